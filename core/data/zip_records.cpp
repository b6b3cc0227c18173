// Byte records of stored .npz files (see zip_records.h); numbers follow the ZIP application note
// (APPNOTE 6.3): version 2.0 needed, 4.5 with ZIP64; no flags; time 0 and date 0x21 (1980-01-01).
#include "core/data/zip_records.h"

namespace nnc::data {

std::string npyHeaderBytes(std::string_view descr, const Dims &shape)
{
    std::string dims = "(";
    for (std::size_t i = 0; i < shape.size(); ++i)
        dims += std::to_string(shape[i]) +
                (shape.size() == 1 ? "," : (i + 1 < shape.size() ? ", " : ""));
    dims += ")";
    std::string header = "{'descr': '" + std::string(descr) +
                         "', 'fortran_order': False, 'shape': " + dims + ", }";
    const std::size_t total = 10 + header.size() + 1;
    header.append((64 - total % 64) % 64, ' ');
    header.push_back('\n');
    std::string out = "\x93NUMPY";
    out.push_back(1);
    out.push_back(0);
    put16(out, static_cast<uint16_t>(header.size()));
    return out + header;
}

std::string zipLocalHeader(const ZipMember &m)
{
    const bool z64 = m.z64();
    std::string local;
    put32(local, 0x04034b50);
    put16(local, z64 ? 45 : 20);
    put16(local, 0);
    put16(local, 0); // stored
    put16(local, 0);
    put16(local, 0x21);
    put32(local, m.crc);
    put32(local, z64 ? 0xffffffffu : static_cast<uint32_t>(m.size));
    put32(local, z64 ? 0xffffffffu : static_cast<uint32_t>(m.size));
    put16(local, static_cast<uint16_t>(m.fileName.size()));
    put16(local, static_cast<uint16_t>(z64 ? 20 : 0));
    local += m.fileName;
    if (z64) {
        put16(local, 0x0001);
        put16(local, 16);
        put64(local, m.size);
        put64(local, m.size);
    }
    return local;
}

std::string zipCentralEntry(const ZipMember &m)
{
    const bool z64 = m.z64();
    std::string extra;
    if (z64) {
        put16(extra, 0x0001);
        put16(extra, 24);
        put64(extra, m.size);
        put64(extra, m.size);
        put64(extra, m.offset);
    }
    std::string central;
    put32(central, 0x02014b50);
    put16(central, z64 ? 45 : 20);
    put16(central, z64 ? 45 : 20);
    put16(central, 0);
    put16(central, 0);
    put16(central, 0);
    put16(central, 0x21);
    put32(central, m.crc);
    put32(central, z64 ? 0xffffffffu : static_cast<uint32_t>(m.size));
    put32(central, z64 ? 0xffffffffu : static_cast<uint32_t>(m.size));
    put16(central, static_cast<uint16_t>(m.fileName.size()));
    put16(central, static_cast<uint16_t>(extra.size()));
    put16(central, 0);
    put16(central, 0);
    put16(central, 0);
    put32(central, 0);
    put32(central, z64 ? 0xffffffffu : static_cast<uint32_t>(m.offset));
    central += m.fileName;
    central += extra;
    return central;
}

std::string zipEndRecords(uint16_t count, uint64_t centralSize, uint64_t centralOffset)
{
    std::string tail;
    if (centralOffset >= 0xffffffffu) {
        const uint64_t z64Offset = centralOffset + centralSize;
        put32(tail, 0x06064b50);
        put64(tail, 44);
        put16(tail, 45);
        put16(tail, 45);
        put32(tail, 0);
        put32(tail, 0);
        put64(tail, count);
        put64(tail, count);
        put64(tail, centralSize);
        put64(tail, centralOffset);
        put32(tail, 0x07064b50);
        put32(tail, 0);
        put64(tail, z64Offset);
        put32(tail, 1);
    }
    put32(tail, 0x06054b50);
    put16(tail, 0);
    put16(tail, 0);
    put16(tail, count);
    put16(tail, count);
    put32(tail, static_cast<uint32_t>(centralSize));
    put32(tail, centralOffset >= 0xffffffffu ? 0xffffffffu : static_cast<uint32_t>(centralOffset));
    put16(tail, 0);
    return tail;
}

} // namespace nnc::data
