// Random-access byte streams under the array readers: a slice of a memory-mapped file, or a
// deflate/gzip stream decoded on demand. Internal to core/data (tests use it directly).
#pragma once

#include "core/util/error.h"
#include "core/util/mapped_file.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace nnc::data {

/// Bytes [0, size()) of some stored stream. Not thread-safe: reads may move a decoder.
class ByteSource
{
public:
    virtual ~ByteSource() = default;
    /// Uncompressed size in bytes, when the container states it (zip members, mapped slices);
    /// for gzip streams this is unknown and returns -1.
    virtual int64_t size() const = 0;
    /// An upper bound on size() when that is unknown (gzip: deflate expands at most 1032:1), so
    /// a corrupt header cannot make a reader allocate more than the stream could hold.
    virtual uint64_t maxSize() const { return static_cast<uint64_t>(size()); }
    /// Copies bytes [pos, pos + out.size()) into `out`. Fails (naming the stream and the byte
    /// offset) when the stream is shorter or corrupt.
    virtual Result<void> read(uint64_t pos, std::span<std::byte> out) = 0;
    /// What the stream is, for messages: "'a.npy'" or "member 'x.npy' of 'a.npz'".
    virtual const std::string &what() const = 0;
};

/// A slice of a mapped file, read without copying the file.
class MappedByteSource final : public ByteSource
{
public:
    MappedByteSource(std::shared_ptr<const MappedFile> file, uint64_t offset, uint64_t size,
                     std::string what);
    int64_t size() const override { return static_cast<int64_t>(m_size); }
    Result<void> read(uint64_t pos, std::span<std::byte> out) override;
    const std::string &what() const override { return m_what; }

private:
    std::shared_ptr<const MappedFile> m_file;
    uint64_t m_offset = 0, m_size = 0;
    std::string m_what;
};

struct InflateState;

/// A deflate (zip member) or gzip stream inside a mapped file, decoded sequentially. The decoder
/// state is kept between reads, so reads at increasing positions cost only the bytes between
/// them; a read before the current position restarts from the start of the stream. Memory is
/// the zlib state plus a 64 KiB scratch buffer, whatever the stream's size.
/// Deflate cannot expand data more than 1032:1; kMaxDeflateRatio bounds claimed sizes.
class InflateByteSource final : public ByteSource
{
public:
    static constexpr uint64_t kMaxDeflateRatio = 1032;
    enum class Format { RawDeflate, Gzip };
    /// `compressedSize` bytes at `offset` of `file`; `uncompressedSize` is -1 when unknown
    /// (gzip); `crc32` (zip members) is checked when the stream is decoded to its end.
    static Result<std::unique_ptr<InflateByteSource>> open(std::shared_ptr<const MappedFile> file,
                                                           uint64_t offset,
                                                           uint64_t compressedSize,
                                                           Format format,
                                                           int64_t uncompressedSize,
                                                           std::optional<uint32_t> crc32,
                                                           std::string what);
    ~InflateByteSource() override;
    int64_t size() const override { return m_uncompressedSize; }
    uint64_t maxSize() const override;
    Result<void> read(uint64_t pos, std::span<std::byte> out) override;
    const std::string &what() const override { return m_what; }

    /// Decoded bytes produced since opening, restarts included (lets tests prove that in-order
    /// reads decode each byte once).
    uint64_t bytesDecoded() const { return m_decodedTotal; }
    /// How many times a backwards read restarted the decoder.
    int restarts() const { return m_restarts; }

private:
    InflateByteSource() = default;
    Result<void> restart();
    /// Decodes into `out` (fully, or fails), advancing m_pos.
    Result<void> decode(std::span<std::byte> out);

    std::shared_ptr<const MappedFile> m_file;
    uint64_t m_offset = 0, m_compressedSize = 0;
    Format m_format = Format::RawDeflate;
    int64_t m_uncompressedSize = -1;
    std::optional<uint32_t> m_expectedCrc;
    std::string m_what;

    std::unique_ptr<InflateState> m_state;
    uint64_t m_inPos = 0;     ///< compressed bytes consumed, relative to m_offset
    uint64_t m_pos = 0;       ///< uncompressed position
    bool m_ended = false;     ///< the stream reached its end marker
    uint32_t m_crc = 0;
    uint64_t m_decodedTotal = 0;
    int m_restarts = 0;
    std::vector<std::byte> m_scratch;
};

} // namespace nnc::data
