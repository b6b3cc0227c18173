// Mapped slices and on-demand deflate/gzip decoding (zlib) for the array readers.
#include "core/data/byte_source.h"

#include <zlib.h>

#include <algorithm>
#include <cstring>

namespace nnc::data {

namespace {

constexpr uint64_t kMaxChunk = uint64_t{1} << 30; // zlib counts in 32-bit uInt
constexpr std::size_t kScratchBytes = 64 * 1024;

} // namespace

MappedByteSource::MappedByteSource(std::shared_ptr<const MappedFile> file, uint64_t offset,
                                   uint64_t size, std::string what)
    : m_file(std::move(file)), m_offset(offset), m_size(size), m_what(std::move(what))
{}

Result<void> MappedByteSource::read(uint64_t pos, std::span<std::byte> out)
{
    if (pos > m_size || out.size() > m_size - pos)
        return fail(m_what + " is truncated: it needs bytes " + std::to_string(pos) + " to "
                    + std::to_string(pos + out.size()) + " but has "
                    + std::to_string(m_size) + ".");
    if (!out.empty())
        std::memcpy(out.data(), m_file->bytes().data() + m_offset + pos, out.size());
    return {};
}

struct InflateState
{
    z_stream z{};
    bool initialized = false;
    ~InflateState()
    {
        if (initialized)
            inflateEnd(&z);
    }
};

Result<std::unique_ptr<InflateByteSource>> InflateByteSource::open(
    std::shared_ptr<const MappedFile> file, uint64_t offset, uint64_t compressedSize,
    Format format, int64_t uncompressedSize, std::optional<uint32_t> crc32, std::string what)
{
    if (offset > file->bytes().size() || compressedSize > file->bytes().size() - offset)
        return fail(what + " is truncated: its compressed data needs bytes "
                    + std::to_string(offset) + " to " + std::to_string(offset + compressedSize)
                    + " of the file but the file has " + std::to_string(file->bytes().size())
                    + ".");
    std::unique_ptr<InflateByteSource> s(new InflateByteSource());
    s->m_file = std::move(file);
    s->m_offset = offset;
    s->m_compressedSize = compressedSize;
    s->m_format = format;
    s->m_uncompressedSize = uncompressedSize;
    s->m_expectedCrc = crc32;
    s->m_what = std::move(what);
    s->m_state = std::make_unique<InflateState>();
    const int bits = format == Format::Gzip ? 16 + MAX_WBITS : -MAX_WBITS;
    if (inflateInit2(&s->m_state->z, bits) != Z_OK)
        return fail("cannot start a zlib decoder for " + s->m_what + ".", Error::Code::Internal);
    s->m_state->initialized = true;
    return s;
}

InflateByteSource::~InflateByteSource() = default;

uint64_t InflateByteSource::maxSize() const
{
    if (m_uncompressedSize >= 0)
        return static_cast<uint64_t>(m_uncompressedSize);
    return m_compressedSize * kMaxDeflateRatio + 1024;
}

Result<void> InflateByteSource::restart()
{
    if (inflateReset(&m_state->z) != Z_OK)
        return fail("cannot restart the zlib decoder for " + m_what + ".", Error::Code::Internal);
    m_state->z.next_in = nullptr;
    m_state->z.avail_in = 0;
    m_inPos = 0;
    m_pos = 0;
    m_ended = false;
    m_crc = 0;
    ++m_restarts;
    return {};
}

Result<void> InflateByteSource::read(uint64_t pos, std::span<std::byte> out)
{
    if (m_uncompressedSize >= 0
        && (pos > static_cast<uint64_t>(m_uncompressedSize)
            || out.size() > static_cast<uint64_t>(m_uncompressedSize) - pos))
        return fail(m_what + " is truncated: it needs bytes " + std::to_string(pos) + " to "
                    + std::to_string(pos + out.size()) + " but has "
                    + std::to_string(m_uncompressedSize) + ".");
    if (pos < m_pos)
        if (auto r = restart(); !r)
            return r;
    // Skip forward through the scratch buffer: decoding is sequential by nature.
    while (m_pos < pos) {
        if (m_scratch.empty())
            m_scratch.resize(kScratchBytes);
        const uint64_t n = std::min<uint64_t>(pos - m_pos, m_scratch.size());
        if (auto r = decode(std::span(m_scratch).first(n)); !r)
            return r;
    }
    if (auto r = decode(out); !r)
        return r;
    // At the stated end, step the decoder over the final block's end marker so the CRC-32 and
    // the length are checked even when the caller never reads past the last byte.
    if (m_uncompressedSize >= 0 && m_pos == static_cast<uint64_t>(m_uncompressedSize)
        && !m_ended && m_format == Format::RawDeflate) {
        std::byte extra{};
        auto r = decode(std::span(&extra, 1));
        if (r)
            return fail(m_what + " is corrupt: it decodes to more bytes than the "
                        + std::to_string(m_uncompressedSize) + " its header states.");
        if (!m_ended)
            return r;
        // The expected "ends at" failure: the stream ended exactly at its stated size.
    }
    return {};
}

Result<void> InflateByteSource::decode(std::span<std::byte> out)
{
    z_stream &z = m_state->z;
    const std::byte *base = m_file->bytes().data() + m_offset;
    std::size_t done = 0;
    while (done < out.size()) {
        if (m_ended)
            return fail(m_what + " is truncated: its data ends at byte " + std::to_string(m_pos)
                        + " but byte " + std::to_string(m_pos + (out.size() - done) - 1)
                        + " was needed.");
        if (z.avail_in == 0) {
            const uint64_t left = m_compressedSize - m_inPos;
            if (left == 0)
                return fail(m_what + " is truncated: its compressed data stops at byte offset "
                            + std::to_string(m_offset + m_compressedSize)
                            + " before the end of the stream.");
            const uint64_t n = std::min(left, kMaxChunk);
            z.next_in = reinterpret_cast<Bytef *>(const_cast<std::byte *>(base + m_inPos));
            z.avail_in = static_cast<uInt>(n);
            m_inPos += n;
        }
        const std::size_t want = std::min<std::size_t>(out.size() - done, kMaxChunk);
        z.next_out = reinterpret_cast<Bytef *>(out.data() + done);
        z.avail_out = static_cast<uInt>(want);
        const int ret = inflate(&z, Z_NO_FLUSH);
        const std::size_t produced = want - z.avail_out;
        if (produced > 0) {
            m_crc = static_cast<uint32_t>(
                crc32(m_crc, reinterpret_cast<const Bytef *>(out.data() + done),
                      static_cast<uInt>(produced)));
            done += produced;
            m_pos += produced;
            m_decodedTotal += produced;
        }
        const uint64_t consumedAt = m_offset + m_inPos - z.avail_in;
        if (ret == Z_STREAM_END) {
            if (m_format == Format::Gzip) {
                // Concatenated gzip members continue the stream; trailing zeros are padding.
                const std::byte *rest = base + (consumedAt - m_offset);
                const uint64_t restSize = m_offset + m_compressedSize - consumedAt;
                if (restSize >= 2 && rest[0] == std::byte{0x1f} && rest[1] == std::byte{0x8b}) {
                    const uInt keep = z.avail_in;
                    Bytef *next = z.next_in;
                    if (inflateReset(&z) != Z_OK)
                        return fail("cannot restart the zlib decoder for " + m_what + ".",
                                    Error::Code::Internal);
                    z.next_in = next;
                    z.avail_in = keep;
                    continue;
                }
            } else {
                if (m_uncompressedSize >= 0 && m_pos != static_cast<uint64_t>(m_uncompressedSize))
                    return fail(m_what + " is corrupt: it decodes to " + std::to_string(m_pos)
                                + " bytes but its header states "
                                + std::to_string(m_uncompressedSize) + ".");
                if (m_expectedCrc && *m_expectedCrc != m_crc)
                    return fail(m_what + " is corrupt: its CRC-32 check fails.");
            }
            m_ended = true;
            continue;
        }
        if (ret == Z_DATA_ERROR)
            return fail(m_what + " is corrupt: invalid compressed data near byte offset "
                        + std::to_string(consumedAt) + " ("
                        + (z.msg ? std::string(z.msg) : std::string("unknown zlib error"))
                        + ").");
        if (ret == Z_MEM_ERROR)
            return fail("out of memory while decoding " + m_what + ".", Error::Code::Internal);
        if (ret == Z_NEED_DICT || ret == Z_STREAM_ERROR)
            return fail(m_what + " is corrupt: invalid compressed data near byte offset "
                        + std::to_string(consumedAt) + ".");
        // Z_OK or Z_BUF_ERROR (needs more input): loop feeds more or reports truncation.
    }
    return {};
}

} // namespace nnc::data
