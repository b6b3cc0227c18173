// .npy encoding and a minimal stored-zip writer (with CRC-32 from zlib).
#include "core/data/npz_writer.h"

#include "core/data/zip_records.h"
#include "core/util/atomic_file.h"

#include <zlib.h>

#include <cstring>

namespace nnc {

namespace {

const char *descr(DataType t)
{
    switch (t) {
    case DataType::Float: return "<f4";
    case DataType::Double: return "<f8";
    case DataType::Int8: return "|i1";
    case DataType::UInt8: return "|u1";
    case DataType::Int16: return "<i2";
    case DataType::UInt16: return "<u2";
    case DataType::Int32: return "<i4";
    case DataType::UInt32: return "<u4";
    case DataType::Int64: return "<i8";
    case DataType::UInt64: return "<u8";
    case DataType::Bool: return "|b1";
    case DataType::Float16: return "<f2";
    default: return nullptr;
    }
}

} // namespace

Result<std::string> npyBytes(const Tensor &t)
{
    const char *d = descr(t.dtype());
    if (!d)
        return fail("cannot write a " + std::string(dtypeName(t.dtype())) + " array to .npy.");
    std::string out = data::npyHeaderBytes(d, t.dims());
    out.append(reinterpret_cast<const char *>(t.bytes().data()), t.byteSize());
    return out;
}

Result<void> writeNpz(const std::filesystem::path &path,
                      const std::vector<std::pair<std::string, Tensor>> &arrays)
{
    std::string zip, central;
    uint16_t count = 0;
    for (const auto &[name, tensor] : arrays) {
        auto npy = npyBytes(tensor);
        if (!npy)
            return fail("array '" + name + "': " + npy.error().message);
        const std::string member = name + ".npy";
        uLong c = crc32(0L, Z_NULL, 0);
        for (std::size_t off = 0; off < npy->size(); off += (1u << 30))
            c = crc32(c, reinterpret_cast<const Bytef *>(npy->data() + off),
                      static_cast<uInt>(std::min<std::size_t>(1u << 30, npy->size() - off)));
        const data::ZipMember m{member, static_cast<uint32_t>(c), npy->size(), zip.size()};
        zip += data::zipLocalHeader(m);
        zip += *npy;
        central += data::zipCentralEntry(m);
        ++count;
    }
    const uint64_t cdOffset = zip.size();
    zip += central;
    zip += data::zipEndRecords(count, central.size(), cdOffset);
    return writeFileAtomically(path, zip);
}

} // namespace nnc
