// Zip central directory parsing (APPNOTE 6.3: EOCD, ZIP64 EOCD locator/record, extra field 1).
#include "core/data/zip_archive.h"

#include <algorithm>

namespace nnc::data {

namespace {

constexpr uint32_t kLocalSig = 0x04034b50;
constexpr uint32_t kCentralSig = 0x02014b50;
constexpr uint32_t kEocdSig = 0x06054b50;
constexpr uint32_t kZip64LocatorSig = 0x07064b50;
constexpr uint32_t kZip64EocdSig = 0x06064b50;

uint64_t le(std::span<const std::byte> b, std::size_t at, int n)
{
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; --i)
        v = (v << 8) | static_cast<uint8_t>(b[at + static_cast<std::size_t>(i)]);
    return v;
}

std::string quoted(const MappedFile &f) { return "'" + f.path().string() + "'"; }

std::string methodName(uint16_t m)
{
    switch (m) {
    case 1: return " (shrink)";
    case 6: return " (implode)";
    case 9: return " (deflate64)";
    case 12: return " (bzip2)";
    case 14: return " (lzma)";
    case 93: return " (zstd)";
    case 95: return " (xz)";
    default: return "";
    }
}

} // namespace

Result<ZipArchive> ZipArchive::open(std::shared_ptr<const MappedFile> file)
{
    const auto b = file->bytes();
    const std::string name = quoted(*file);
    const uint64_t size = b.size();
    if (size < 22)
        return fail(name + " is not a zip archive: it has only " + std::to_string(size)
                    + " bytes (a truncated file?).");
    // The EOCD record is the last 22 bytes plus a comment of up to 65535 bytes.
    uint64_t eocd = UINT64_MAX;
    const uint64_t lowest = size > 22 + 65535 ? size - 22 - 65535 : 0;
    for (uint64_t p = size - 22 + 1; p-- > lowest;) {
        if (le(b, p, 4) == kEocdSig && p + 22 + le(b, p + 20, 2) == size) {
            eocd = p;
            break;
        }
    }
    if (eocd == UINT64_MAX)
        return fail(name + " is not a zip archive: it has no end-of-central-directory record "
                           "(a truncated file?).");
    if (le(b, eocd + 4, 2) != 0 || le(b, eocd + 6, 2) != 0)
        return fail(name + " spans several disks, which is not supported.");
    uint64_t count = le(b, eocd + 10, 2);
    uint64_t cdSize = le(b, eocd + 12, 4);
    uint64_t cdOffset = le(b, eocd + 16, 4);
    if (count == 0xFFFF || cdSize == 0xFFFFFFFF || cdOffset == 0xFFFFFFFF) {
        if (eocd < 20 || le(b, eocd - 20, 4) != kZip64LocatorSig)
            return fail(name + " is corrupt: its end-of-central-directory record at byte offset "
                        + std::to_string(eocd) + " needs a ZIP64 locator, which is missing.");
        const uint64_t rec = le(b, eocd - 20 + 8, 8);
        if (size < 56 || rec > size - 56 || le(b, rec, 4) != kZip64EocdSig)
            return fail(name + " is corrupt: no ZIP64 end-of-central-directory record at byte "
                               "offset " + std::to_string(rec) + ".");
        count = le(b, rec + 32, 8);
        cdSize = le(b, rec + 40, 8);
        cdOffset = le(b, rec + 48, 8);
    }
    if (cdOffset > size || cdSize > size - cdOffset)
        return fail(name + " is corrupt: its central directory (bytes " + std::to_string(cdOffset)
                    + " to " + std::to_string(cdOffset + cdSize)
                    + ") runs past the end of the file (" + std::to_string(size)
                    + " bytes).");
    ZipArchive zip;
    zip.m_file = file;
    uint64_t p = cdOffset;
    const uint64_t cdEnd = cdOffset + cdSize;
    for (uint64_t i = 0; i < count; ++i) {
        if (p + 46 > cdEnd || le(b, p, 4) != kCentralSig)
            return fail(name + " is corrupt: no central directory entry at byte offset "
                        + std::to_string(p) + ".");
        ZipEntry e;
        e.flags = static_cast<uint16_t>(le(b, p + 8, 2));
        e.method = static_cast<uint16_t>(le(b, p + 10, 2));
        e.crc32 = static_cast<uint32_t>(le(b, p + 16, 4));
        e.compressedSize = le(b, p + 20, 4);
        e.uncompressedSize = le(b, p + 24, 4);
        const uint64_t nameLen = le(b, p + 28, 2), extraLen = le(b, p + 30, 2),
                       commentLen = le(b, p + 32, 2);
        const uint64_t disk = le(b, p + 34, 2);
        e.localHeaderOffset = le(b, p + 42, 4);
        if (p + 46 + nameLen + extraLen + commentLen > cdEnd)
            return fail(name + " is corrupt: the central directory entry at byte offset "
                        + std::to_string(p) + " runs past the directory's end.");
        e.name.assign(reinterpret_cast<const char *>(b.data() + p + 46), nameLen);
        // ZIP64 extra field: 64-bit values for exactly the fields stored as all ones.
        const bool needUsize = e.uncompressedSize == 0xFFFFFFFF,
                   needCsize = e.compressedSize == 0xFFFFFFFF,
                   needOffset = e.localHeaderOffset == 0xFFFFFFFF;
        bool found = false;
        for (uint64_t x = p + 46 + nameLen; x + 4 <= p + 46 + nameLen + extraLen;) {
            const uint64_t id = le(b, x, 2), len = le(b, x + 2, 2);
            if (x + 4 + len > p + 46 + nameLen + extraLen)
                break;
            if (id == 0x0001) {
                uint64_t q = x + 4;
                const uint64_t end = q + len;
                auto take = [&](uint64_t &field) {
                    if (q + 8 > end)
                        return false;
                    field = le(b, q, 8);
                    q += 8;
                    return true;
                };
                found = (!needUsize || take(e.uncompressedSize))
                        && (!needCsize || take(e.compressedSize))
                        && (!needOffset || take(e.localHeaderOffset));
                break;
            }
            x += 4 + len;
        }
        if ((needUsize || needCsize || needOffset) && !found)
            return fail(name + " is corrupt: member '" + e.name
                        + "' needs a ZIP64 extra field, which is missing or too short (central "
                          "directory byte offset " + std::to_string(p) + ").");
        if (disk != 0 && disk != 0xFFFF)
            return fail(name + " spans several disks, which is not supported.");
        zip.m_entries.push_back(std::move(e));
        p += 46 + nameLen + extraLen + commentLen;
    }
    return zip;
}

Result<std::unique_ptr<ByteSource>> ZipArchive::openMember(const ZipEntry &e) const
{
    const auto b = m_file->bytes();
    const uint64_t size = b.size();
    const std::string what = "member '" + e.name + "' of " + quoted(*m_file);
    if (e.flags & 0x1)
        return fail(what + " is encrypted, which is not supported.");
    if (e.method != 0 && e.method != 8)
        return fail(what + " uses compression method " + std::to_string(e.method)
                    + methodName(e.method) + "; only stored and deflate are supported.");
    const uint64_t lh = e.localHeaderOffset;
    if (lh > size || size - lh < 30 || le(b, lh, 4) != kLocalSig)
        return fail(what + " is corrupt: no local file header at byte offset "
                    + std::to_string(lh) + ".");
    const uint64_t dataOffset = lh + 30 + le(b, lh + 26, 2) + le(b, lh + 28, 2);
    if (dataOffset > size || e.compressedSize > size - dataOffset)
        return fail(what + " is truncated: its data needs bytes " + std::to_string(dataOffset)
                    + " to " + std::to_string(dataOffset + e.compressedSize)
                    + " but the file has " + std::to_string(size) + ".");
    if (e.method == 0) {
        if (e.compressedSize != e.uncompressedSize)
            return fail(what + " is corrupt: it is stored uncompressed but its sizes differ ("
                        + std::to_string(e.compressedSize) + " and "
                        + std::to_string(e.uncompressedSize) + " bytes).");
        return std::make_unique<MappedByteSource>(m_file, dataOffset, e.uncompressedSize, what);
    }
    const uint64_t bound = e.compressedSize * InflateByteSource::kMaxDeflateRatio + 1024;
    if (e.uncompressedSize > bound)
        return fail(what + " is corrupt: it states " + std::to_string(e.uncompressedSize)
                    + " uncompressed bytes, more than its " + std::to_string(e.compressedSize)
                    + " compressed bytes can hold.");
    auto s = InflateByteSource::open(m_file, dataOffset, e.compressedSize,
                                     InflateByteSource::Format::RawDeflate,
                                     static_cast<int64_t>(e.uncompressedSize), e.crc32, what);
    if (!s)
        return std::unexpected(s.error());
    return std::unique_ptr<ByteSource>(std::move(*s));
}

} // namespace nnc::data
