// A read-only zip archive reader for .npz files: end-of-central-directory (plain and ZIP64),
// central directory entries (ZIP64 extra fields), local headers; stored and deflate members.
// Internal to core/data.
#pragma once

#include "core/data/byte_source.h"

#include <memory>
#include <string>
#include <vector>

namespace nnc::data {

struct ZipEntry
{
    std::string name;
    uint16_t flags = 0;
    uint16_t method = 0;          ///< 0 stored, 8 deflate
    uint32_t crc32 = 0;
    uint64_t compressedSize = 0;
    uint64_t uncompressedSize = 0;
    uint64_t localHeaderOffset = 0;
};

class ZipArchive
{
public:
    /// Reads the central directory of a mapped file. Errors name the file and the byte offset.
    static Result<ZipArchive> open(std::shared_ptr<const MappedFile> file);

    const std::vector<ZipEntry> &entries() const { return m_entries; }
    /// The member's uncompressed bytes: a mapped slice (stored) or a streaming decoder (deflate).
    Result<std::unique_ptr<ByteSource>> openMember(const ZipEntry &entry) const;

private:
    std::shared_ptr<const MappedFile> m_file;
    std::vector<ZipEntry> m_entries;
};

} // namespace nnc::data
