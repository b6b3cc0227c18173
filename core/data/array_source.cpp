// Array sources: .npy, .npz (stored/deflated members), IDX (raw or gzip) and ONNX test-data
// folders, each read by sample ranges without loading whole arrays.
#include "core/data/dataset.h"

#include "core/data/byte_source.h"
#include "core/data/npy_header.h"
#include "core/data/zip_archive.h"
#include "core/model/onnx_reader.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>
#include <map>
#include <new>
#include <optional>

namespace nnc {

namespace {

using data::ByteSource;

std::string quoted(const std::filesystem::path &p) { return "'" + p.string() + "'"; }

std::string joinNames(const std::vector<ArrayInfo> &arrays)
{
    std::string s;
    for (const ArrayInfo &a : arrays)
        s += (s.empty() ? "" : ", ") + a.name;
    return s.empty() ? "none" : s;
}

/// Checks a row range against an array's shape (message names the array).
Result<void> checkRange(const ArrayInfo &a, int64_t start, int64_t count)
{
    if (a.shape.empty())
        return fail("array '" + a.name + "' is a scalar (shape []); it has no sample axis.");
    if (start < 0 || count < 0 || start > a.shape[0] || count > a.shape[0] - start)
        return fail("rows " + std::to_string(start) + " to " + std::to_string(start + count)
                    + " of array '" + a.name + "' are out of range; it has "
                    + std::to_string(a.shape[0]) + " samples.");
    return {};
}

/// A zeroed tensor for rows of `array`; a failed allocation (a corrupt header claiming huge
/// rows, or too large a batch) becomes an error instead of an exception.
Result<Tensor> allocate(DataType dtype, const Dims &dims, const std::string &array)
{
    try {
        return Tensor(dtype, dims);
    } catch (const std::bad_alloc &) {
        return fail("not enough memory for " + dimsToString(dims) + " "
                    + std::string(dtypeName(dtype)) + " values of array '" + array + "'.");
    }
}

// One array stored as contiguous row-major bytes in a byte stream (npy, npz member, IDX).
struct StoredArray
{
    ArrayInfo info;
    std::unique_ptr<ByteSource> bytes;
    uint64_t dataOffset = 0;
    bool bigEndian = false;
};

class StoredArraySource final : public ArraySource
{
public:
    StoredArraySource(std::filesystem::path path, std::vector<StoredArray> arrays)
        : m_path(std::move(path)), m_arrays(std::move(arrays))
    {
        for (const StoredArray &a : m_arrays)
            m_infos.push_back(a.info);
    }

    const std::vector<ArrayInfo> &arrays() const override { return m_infos; }

    Result<Tensor> readRows(const std::string &array, int64_t start, int64_t count) override
    {
        auto it = std::find_if(m_arrays.begin(), m_arrays.end(),
                               [&](const StoredArray &a) { return a.info.name == array; });
        if (it == m_arrays.end())
            return fail(quoted(m_path) + " has no array '" + array + "'; its arrays are "
                        + joinNames(m_infos) + ".");
        if (auto r = checkRange(it->info, start, count); !r)
            return std::unexpected(r.error());
        Dims dims = it->info.shape;
        dims[0] = count;
        auto allocated = allocate(it->info.dtype, dims, array);
        if (!allocated)
            return allocated;
        Tensor t = std::move(*allocated);
        const uint64_t elem = dtypeSize(it->info.dtype);
        const uint64_t rowBytes = static_cast<uint64_t>(numElements(dims) / std::max<int64_t>(count, 1)) * elem;
        if (t.byteSize() > 0) {
            auto out = t.mutableBytes();
            if (auto r = it->bytes->read(it->dataOffset + static_cast<uint64_t>(start) * rowBytes, out);
                !r)
                return fail("cannot read array '" + array + "': " + r.error().message);
            if (it->bigEndian)
                data::swapBytes(out, elem);
        }
        return t;
    }

private:
    std::filesystem::path m_path;
    std::vector<StoredArray> m_arrays;
    std::vector<ArrayInfo> m_infos;
};

Result<StoredArray> npyArray(std::unique_ptr<ByteSource> bytes, std::string name)
{
    auto h = data::readNpyHeader(*bytes, name);
    if (!h)
        return std::unexpected(h.error());
    StoredArray a;
    a.info = ArrayInfo{std::move(name), h->dtype, h->shape};
    a.bytes = std::move(bytes);
    a.dataOffset = h->dataOffset;
    a.bigEndian = h->bigEndian;
    return a;
}

Result<std::unique_ptr<ArraySource>> openNpz(const std::filesystem::path &path,
                                             std::shared_ptr<const MappedFile> file)
{
    auto zip = data::ZipArchive::open(file);
    if (!zip)
        return std::unexpected(zip.error());
    std::vector<StoredArray> arrays;
    for (const data::ZipEntry &e : zip->entries()) {
        if (e.name.size() < 4 || e.name.substr(e.name.size() - 4) != ".npy")
            continue; // numpy writes only .npy members; anything else is not an array
        const std::string name = e.name.substr(0, e.name.size() - 4);
        for (const StoredArray &a : arrays)
            if (a.info.name == name)
                return fail(quoted(path) + " holds two members named '" + e.name + "'.");
        auto bytes = zip->openMember(e);
        if (!bytes)
            return std::unexpected(bytes.error());
        auto a = npyArray(std::move(*bytes), name);
        if (!a)
            return std::unexpected(a.error());
        arrays.push_back(std::move(*a));
    }
    if (arrays.empty())
        return fail(quoted(path) + " holds no .npy arrays.");
    return std::make_unique<StoredArraySource>(path, std::move(arrays));
}

// ---- IDX ------------------------------------------------------------------------------------

std::optional<DataType> idxType(uint8_t code)
{
    switch (code) {
    case 0x08: return DataType::UInt8;
    case 0x09: return DataType::Int8;
    case 0x0B: return DataType::Int16;
    case 0x0C: return DataType::Int32;
    case 0x0D: return DataType::Float;
    case 0x0E: return DataType::Double;
    default: return std::nullopt;
    }
}

bool isGzip(std::span<const std::byte> b)
{
    return b.size() >= 2 && b[0] == std::byte{0x1f} && b[1] == std::byte{0x8b};
}

Result<std::unique_ptr<ByteSource>> wholeFile(const std::filesystem::path &path,
                                              std::shared_ptr<const MappedFile> file)
{
    const uint64_t size = file->bytes().size();
    if (isGzip(file->bytes())) {
        auto s = data::InflateByteSource::open(file, 0, size,
                                               data::InflateByteSource::Format::Gzip, -1,
                                               std::nullopt, quoted(path));
        if (!s)
            return std::unexpected(s.error());
        return std::unique_ptr<ByteSource>(std::move(*s));
    }
    return std::make_unique<data::MappedByteSource>(file, 0, size, quoted(path));
}

Result<StoredArray> idxArray(std::unique_ptr<ByteSource> bytes, std::string name)
{
    const std::string &what = bytes->what();
    std::array<std::byte, 4> magic{};
    if (auto r = bytes->read(0, magic); !r)
        return fail(what + " is not an IDX file: it is shorter than the 4-byte magic number.");
    const auto u = [&](int i) { return static_cast<uint8_t>(magic[static_cast<std::size_t>(i)]); };
    char hex[16];
    std::snprintf(hex, sizeof hex, "0x%02X%02X%02X%02X", u(0), u(1), u(2), u(3));
    const auto type = idxType(u(2));
    if (u(0) != 0 || u(1) != 0 || !type || u(3) == 0)
        return fail(what + " is not an IDX file: its magic number " + std::string(hex)
                    + " at byte offset 0 is not 0x0000TTNN (type TT, NN dimensions).");
    const int nd = u(3);
    std::vector<std::byte> dimBytes(static_cast<std::size_t>(4 * nd));
    if (auto r = bytes->read(4, dimBytes); !r)
        return fail(what + " is truncated: its IDX header needs " + std::to_string(4 + 4 * nd)
                    + " bytes.");
    Dims shape;
    uint64_t total = dtypeSize(*type);
    for (int i = 0; i < nd; ++i) {
        uint32_t d = 0;
        for (int k = 0; k < 4; ++k)
            d = (d << 8) | static_cast<uint8_t>(dimBytes[static_cast<std::size_t>(4 * i + k)]);
        if (d > 0x7FFFFFFF)
            return fail(what + " has a corrupt IDX header: dimension " + std::to_string(i)
                        + " at byte offset " + std::to_string(4 + 4 * i) + " is "
                        + std::to_string(d) + ".");
        shape.push_back(d);
        if (d != 0 && total > (uint64_t{1} << 62) / d)
            return fail(what + " has a corrupt IDX header: its dimensions at byte offsets 4 to "
                        + std::to_string(4 + 4 * nd) + " need more than 2^62 bytes.");
        total *= d;
    }
    const uint64_t dataOffset = 4 + 4 * static_cast<uint64_t>(nd);
    if (bytes->size() < 0 && dataOffset + total > bytes->maxSize())
        return fail(what + " is corrupt or truncated: IDX shape " + dimsToString(shape)
                    + " needs " + std::to_string(total)
                    + " data bytes, more than its compressed data can hold.");
    if (bytes->size() >= 0 && dataOffset + total > static_cast<uint64_t>(bytes->size()))
        return fail(what + " is truncated: IDX shape " + dimsToString(shape) + " needs "
                    + std::to_string(total) + " data bytes from byte offset "
                    + std::to_string(dataOffset) + " but only "
                    + std::to_string(static_cast<uint64_t>(bytes->size()) - dataOffset)
                    + " remain.");
    StoredArray a;
    a.info = ArrayInfo{std::move(name), *type, shape};
    a.bytes = std::move(bytes);
    a.dataOffset = dataOffset;
    a.bigEndian = true; // IDX stores multi-byte values big-endian
    return a;
}

/// Replaces the first occurrence of `from` by `to`; false when absent.
bool replaceFirst(std::string &s, std::string_view from, std::string_view to)
{
    const auto at = s.find(from);
    if (at == std::string::npos)
        return false;
    s.replace(at, from.size(), to);
    return true;
}

Result<std::unique_ptr<ArraySource>> openIdx(const std::filesystem::path &path,
                                             std::shared_ptr<const MappedFile> file)
{
    // Role from the usual MNIST names: "*-labels-idx1-*" is y, anything else x.
    const std::string fname = path.filename().string();
    const bool isLabels = fname.find("labels") != std::string::npos
                          || fname.find("idx1") != std::string::npos;
    std::string partner = fname;
    bool renamed = isLabels ? replaceFirst(partner, "labels", "images")
                            : replaceFirst(partner, "images", "labels");
    renamed = (isLabels ? replaceFirst(partner, "idx1", "idx3")
                        : replaceFirst(partner, "idx3", "idx1")) || renamed;
    std::vector<StoredArray> arrays;
    auto bytes = wholeFile(path, file);
    if (!bytes)
        return std::unexpected(bytes.error());
    auto self = idxArray(std::move(*bytes), isLabels ? "y" : "x");
    if (!self)
        return std::unexpected(self.error());
    arrays.push_back(std::move(*self));
    const std::filesystem::path partnerPath = path.parent_path() / partner;
    std::error_code ec;
    if (renamed && partner != fname && std::filesystem::is_regular_file(partnerPath, ec)) {
        auto pf = MappedFile::open(partnerPath);
        if (!pf)
            return std::unexpected(pf.error());
        auto pb = wholeFile(partnerPath, *pf);
        if (!pb)
            return std::unexpected(pb.error());
        auto other = idxArray(std::move(*pb), isLabels ? "x" : "y");
        if (!other)
            return std::unexpected(other.error());
        arrays.push_back(std::move(*other));
        if (isLabels)
            std::swap(arrays[0], arrays[1]); // x first
    }
    return std::make_unique<StoredArraySource>(path, std::move(arrays));
}

// ---- ONNX test-data folders -------------------------------------------------------------------

/// The number in "test_data_set_12" / "input_3.pb", or -1.
int64_t numberAfter(std::string_view name, std::string_view prefix, std::string_view suffix)
{
    if (name.size() <= prefix.size() + suffix.size() || name.substr(0, prefix.size()) != prefix
        || name.substr(name.size() - suffix.size()) != suffix)
        return -1;
    const auto digits = name.substr(prefix.size(), name.size() - prefix.size() - suffix.size());
    if (digits.empty() || digits.size() > 9
        || !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return -1;
    return std::stoll(std::string(digits));
}

class PbFolderSource final : public ArraySource
{
public:
    static Result<std::unique_ptr<ArraySource>> open(const std::filesystem::path &dir)
    {
        std::error_code ec;
        std::map<int64_t, std::filesystem::path> sets;
        bool direct = false;
        for (const auto &e : std::filesystem::directory_iterator(dir, ec)) {
            const std::string n = e.path().filename().string();
            if (e.is_directory(ec) && numberAfter(n, "test_data_set_", "") >= 0)
                sets[numberAfter(n, "test_data_set_", "")] = e.path();
            else if (numberAfter(n, "input_", ".pb") >= 0)
                direct = true;
        }
        if (ec)
            return fail("cannot list " + quoted(dir) + ": " + ec.message() + ".");
        auto src = std::unique_ptr<PbFolderSource>(new PbFolderSource());
        src->m_dir = dir;
        if (direct)
            src->m_sets.push_back(dir);
        else
            for (auto &[n, p] : sets)
                src->m_sets.push_back(p);
        if (src->m_sets.empty())
            return fail(quoted(dir) + " holds no test_data_set_* folders or input_*.pb files.");
        // Arrays are the .pb files of the first set, sorted inputs first then by number.
        std::map<std::pair<int, int64_t>, std::string> files;
        for (const auto &e : std::filesystem::directory_iterator(src->m_sets[0], ec)) {
            const std::string n = e.path().filename().string();
            if (const int64_t i = numberAfter(n, "input_", ".pb"); i >= 0)
                files[{0, i}] = n;
            else if (const int64_t o = numberAfter(n, "output_", ".pb"); o >= 0)
                files[{1, o}] = n;
        }
        if (files.empty())
            return fail(quoted(src->m_sets[0]) + " holds no input_*.pb files.");
        const int64_t n = static_cast<int64_t>(src->m_sets.size());
        for (const auto &[key, file] : files) {
            auto t = readTensorFile(src->m_sets[0] / file);
            if (!t)
                return std::unexpected(t.error());
            if (t->dtype() == DataType::String || dtypeSize(t->dtype()) == 0)
                return fail(quoted(src->m_sets[0] / file) + " holds "
                            + std::string(dtypeName(t->dtype()))
                            + " data, which cannot be a model input here.");
            Dims shape{n};
            shape.insert(shape.end(), t->dims().begin(), t->dims().end());
            src->m_infos.push_back({file.substr(0, file.size() - 3), t->dtype(), shape});
            for (const auto &set : src->m_sets)
                if (!std::filesystem::is_regular_file(set / file, ec))
                    return fail(quoted(set) + " has no " + file + "; "
                                + quoted(src->m_sets[0]) + " has one.");
        }
        return std::unique_ptr<ArraySource>(std::move(src));
    }

    const std::vector<ArrayInfo> &arrays() const override { return m_infos; }

    Result<Tensor> readRows(const std::string &array, int64_t start, int64_t count) override
    {
        auto it = std::find_if(m_infos.begin(), m_infos.end(),
                               [&](const ArrayInfo &a) { return a.name == array; });
        if (it == m_infos.end())
            return fail(quoted(m_dir) + " has no array '" + array + "'; its arrays are "
                        + joinNames(m_infos) + ".");
        if (auto r = checkRange(*it, start, count); !r)
            return std::unexpected(r.error());
        Dims dims = it->shape;
        dims[0] = count;
        auto allocated = allocate(it->dtype, dims, array);
        if (!allocated)
            return allocated;
        Tensor out = std::move(*allocated);
        const Dims row(it->shape.begin() + 1, it->shape.end());
        std::size_t at = 0;
        for (int64_t s = start; s < start + count; ++s) {
            const auto file = m_sets[static_cast<std::size_t>(s)] / (array + ".pb");
            auto t = readTensorFile(file);
            if (!t)
                return std::unexpected(t.error());
            if (t->dtype() != it->dtype || t->dims() != row)
                return fail(quoted(file) + " has shape " + dimsToString(t->dims()) + " of "
                            + std::string(dtypeName(t->dtype())) + "; "
                            + quoted(m_sets[0] / (array + ".pb")) + " has "
                            + dimsToString(row) + " of " + std::string(dtypeName(it->dtype))
                            + ", and every set must match.");
            const auto b = t->bytes();
            std::memcpy(out.mutableBytes().data() + at, b.data(), b.size());
            at += b.size();
        }
        return out;
    }

private:
    std::filesystem::path m_dir;
    std::vector<std::filesystem::path> m_sets;
    std::vector<ArrayInfo> m_infos;
};

} // namespace

Result<std::unique_ptr<ArraySource>> openArraySource(const std::filesystem::path &path)
{
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
        return fail(quoted(path) + " does not exist.");
    if (std::filesystem::is_directory(path, ec))
        return PbFolderSource::open(path);
    auto file = MappedFile::open(path);
    if (!file)
        return std::unexpected(file.error());
    const auto b = (*file)->bytes();
    if (b.empty())
        return fail(quoted(path) + " is empty (0 bytes).");
    auto starts = [&](std::string_view magic) {
        return b.size() >= magic.size() && std::memcmp(b.data(), magic.data(), magic.size()) == 0;
    };
    if (starts("\x93NUMPY")) {
        auto a = npyArray(std::make_unique<data::MappedByteSource>(*file, 0, b.size(),
                                                                   quoted(path)),
                          path.stem().string());
        if (!a)
            return std::unexpected(a.error());
        std::vector<StoredArray> arrays;
        arrays.push_back(std::move(*a));
        return std::make_unique<StoredArraySource>(path, std::move(arrays));
    }
    if (starts("PK\x03\x04") || starts(std::string_view("PK\x05\x06", 4)))
        return openNpz(path, *file);
    if (isGzip(b)) {
        // A gzipped .npy ("x.npy.gz") or, more usually, a gzipped IDX file.
        auto s = wholeFile(path, *file);
        if (!s)
            return std::unexpected(s.error());
        std::array<std::byte, 6> head{};
        if ((*s)->read(0, head) && std::memcmp(head.data(), "\x93NUMPY", 6) == 0) {
            std::string stem = path.stem().string();
            if (stem.size() > 4 && stem.substr(stem.size() - 4) == ".npy")
                stem.resize(stem.size() - 4);
            auto a = npyArray(std::move(*s), stem);
            if (!a)
                return std::unexpected(a.error());
            std::vector<StoredArray> arrays;
            arrays.push_back(std::move(*a));
            return std::make_unique<StoredArraySource>(path, std::move(arrays));
        }
        return openIdx(path, *file);
    }
    if (b.size() >= 4 && b[0] == std::byte{0} && b[1] == std::byte{0})
        return openIdx(path, *file);
    if (path.extension() == ".npz")
        return fail(quoted(path) + " is not a zip archive: it does not start with a zip "
                                   "local file header.");
    if (path.extension() == ".npy")
        return fail(quoted(path) + " is not a .npy array: it does not start with the NumPy "
                                   "magic bytes.");
    return fail(quoted(path) + " is not a .npz, .npy, IDX or gzip file (unrecognised first "
                               "bytes).");
}

} // namespace nnc
