// The byte records of a stored (uncompressed) .npz: little-endian integers, the .npy header, and
// the zip local header, central-directory entry and end records (ZIP64 where sizes or offsets
// reach 4 GiB). Shared by the whole-file writer (core/data/npz_writer) and the streaming one
// (core/distill/npz_stream). Internal to core.
#pragma once

#include "core/model/tensor.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace nnc::data {

/// Appends `v` to `s` as 2, 4 or 8 little-endian bytes.
inline void put16(std::string &s, uint16_t v)
{
    s.push_back(char(v & 0xff));
    s.push_back(char(v >> 8));
}

inline void put32(std::string &s, uint32_t v)
{
    for (int i = 0; i < 4; ++i)
        s.push_back(char((v >> (8 * i)) & 0xff));
}

inline void put64(std::string &s, uint64_t v)
{
    for (int i = 0; i < 8; ++i)
        s.push_back(char((v >> (8 * i)) & 0xff));
}

/// The .npy format 1.0 header of a C-order array: magic, version, header length and the dict
/// with `descr` ("<f4", "|u1" ...) and `shape`, padded with spaces so the data starts at a
/// multiple of 64 bytes.
std::string npyHeaderBytes(std::string_view descr, const Dims &shape);

/// One stored member of the zip.
struct ZipMember
{
    std::string_view fileName; ///< "NAME.npy"
    uint32_t crc = 0;          ///< CRC-32 of the member's bytes
    uint64_t size = 0;         ///< the member's bytes (stored: compressed = uncompressed)
    uint64_t offset = 0;       ///< where its local header starts in the file
    /// ZIP64 sizes and offset: needed when size or offset reaches 0xffffffff.
    bool z64() const { return size >= 0xffffffffu || offset >= 0xffffffffu; }
};

/// Bytes of the local header (with the file name; 30 + name + 20 more when ZIP64).
std::string zipLocalHeader(const ZipMember &m);
/// Bytes of the member's central-directory entry (with the file name and any ZIP64 extra).
std::string zipCentralEntry(const ZipMember &m);
/// The records after the central directory: ZIP64 end record and locator when `centralOffset`
/// reaches 0xffffffff, then the end of central directory. `count` members (at most 65535),
/// `centralSize` bytes of central directory starting at `centralOffset`.
std::string zipEndRecords(uint16_t count, uint64_t centralSize, uint64_t centralOffset);

} // namespace nnc::data
