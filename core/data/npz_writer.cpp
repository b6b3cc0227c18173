// .npy encoding and a minimal stored-zip writer (with CRC-32 from zlib).
#include "core/data/npz_writer.h"

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

void put16(std::string &s, uint16_t v)
{
    s.push_back(char(v & 0xff));
    s.push_back(char(v >> 8));
}

void put32(std::string &s, uint32_t v)
{
    for (int i = 0; i < 4; ++i)
        s.push_back(char((v >> (8 * i)) & 0xff));
}

void put64(std::string &s, uint64_t v)
{
    for (int i = 0; i < 8; ++i)
        s.push_back(char((v >> (8 * i)) & 0xff));
}

} // namespace

Result<std::string> npyBytes(const Tensor &t)
{
    const char *d = descr(t.dtype());
    if (!d)
        return fail("cannot write a " + std::string(dtypeName(t.dtype())) + " array to .npy.");
    std::string shape = "(";
    for (std::size_t i = 0; i < t.dims().size(); ++i)
        shape += std::to_string(t.dims()[i]) + (t.dims().size() == 1 ? "," : (i + 1 < t.dims().size() ? ", " : ""));
    shape += ")";
    std::string header = "{'descr': '" + std::string(d) + "', 'fortran_order': False, 'shape': " + shape + ", }";
    const std::size_t total = 10 + header.size() + 1;
    header.append((64 - total % 64) % 64, ' ');
    header.push_back('\n');
    std::string out = "\x93NUMPY";
    out.push_back(1);
    out.push_back(0);
    put16(out, static_cast<uint16_t>(header.size()));
    out += header;
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
        const uint64_t size = npy->size(), offset = zip.size();
        const bool z64 = size >= 0xffffffffu || offset >= 0xffffffffu;
        std::string extra;
        if (z64) {
            put16(extra, 0x0001);
            put16(extra, 24);
            put64(extra, size);
            put64(extra, size);
            put64(extra, offset);
        }
        // local header
        put32(zip, 0x04034b50);
        put16(zip, z64 ? 45 : 20);
        put16(zip, 0);
        put16(zip, 0); // stored
        put16(zip, 0);
        put16(zip, 0x21);
        put32(zip, static_cast<uint32_t>(c));
        put32(zip, z64 ? 0xffffffffu : static_cast<uint32_t>(size));
        put32(zip, z64 ? 0xffffffffu : static_cast<uint32_t>(size));
        put16(zip, static_cast<uint16_t>(member.size()));
        put16(zip, static_cast<uint16_t>(z64 ? 20 : 0));
        zip += member;
        if (z64) {
            put16(zip, 0x0001);
            put16(zip, 16);
            put64(zip, size);
            put64(zip, size);
        }
        zip += *npy;
        // central directory entry
        put32(central, 0x02014b50);
        put16(central, z64 ? 45 : 20);
        put16(central, z64 ? 45 : 20);
        put16(central, 0);
        put16(central, 0);
        put16(central, 0);
        put16(central, 0x21);
        put32(central, static_cast<uint32_t>(c));
        put32(central, z64 ? 0xffffffffu : static_cast<uint32_t>(size));
        put32(central, z64 ? 0xffffffffu : static_cast<uint32_t>(size));
        put16(central, static_cast<uint16_t>(member.size()));
        put16(central, static_cast<uint16_t>(extra.size()));
        put16(central, 0);
        put16(central, 0);
        put16(central, 0);
        put32(central, 0);
        put32(central, z64 ? 0xffffffffu : static_cast<uint32_t>(offset));
        central += member;
        central += extra;
        ++count;
    }
    const uint64_t cdOffset = zip.size();
    zip += central;
    if (cdOffset >= 0xffffffffu) {
        const uint64_t z64Offset = zip.size();
        put32(zip, 0x06064b50);
        put64(zip, 44);
        put16(zip, 45);
        put16(zip, 45);
        put32(zip, 0);
        put32(zip, 0);
        put64(zip, count);
        put64(zip, count);
        put64(zip, central.size());
        put64(zip, cdOffset);
        put32(zip, 0x07064b50);
        put32(zip, 0);
        put64(zip, z64Offset);
        put32(zip, 1);
    }
    put32(zip, 0x06054b50);
    put16(zip, 0);
    put16(zip, 0);
    put16(zip, count);
    put16(zip, count);
    put32(zip, static_cast<uint32_t>(central.size()));
    put32(zip, cdOffset >= 0xffffffffu ? 0xffffffffu : static_cast<uint32_t>(cdOffset));
    put16(zip, 0);
    return writeFileAtomically(path, zip);
}

} // namespace nnc
