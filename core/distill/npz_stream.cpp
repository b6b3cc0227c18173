// Streaming stored-zip .npz writer: member data is placed at offsets fixed up front, so batches
// of several members can arrive interleaved; CRC-32 runs along each member; headers last.
#include "core/distill/npz_stream.h"

#include "core/data/zip_records.h"

#include <zlib.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <set>
#include <sys/stat.h>
#include <unistd.h>

namespace nnc {

struct NpzStreamWriter::State
{
    Member member;
    std::string fileName;  // "NAME.npy"
    std::string npyHeader; // magic, version, header length, dict, padding
    uint64_t headerOffset = 0, dataOffset = 0, dataBytes = 0, written = 0;
    uLong crc = 0;
    bool z64 = false;
    uint64_t size() const { return npyHeader.size() + dataBytes; }
    std::size_t localHeaderSize() const { return 30 + fileName.size() + (z64 ? 20 : 0); }
};

Result<std::unique_ptr<NpzStreamWriter>> NpzStreamWriter::create(const std::filesystem::path &path,
                                                                 std::vector<Member> members)
{
    std::unique_ptr<NpzStreamWriter> w(new NpzStreamWriter());
    w->m_path = path;
    std::set<std::string> seen;
    uint64_t offset = 0;
    for (Member &m : members) {
        if (m.name.empty() || !seen.insert(m.name).second)
            return fail("cannot write '" + path.string() + "': array name '" + m.name +
                            "' is empty or repeated.",
                        Error::Code::Internal);
        State s;
        s.fileName = m.name + ".npy";
        s.npyHeader = data::npyHeaderBytes("<f4", m.shape);
        s.dataBytes = static_cast<uint64_t>(numElements(m.shape)) * sizeof(float);
        s.headerOffset = offset;
        s.z64 = s.size() >= 0xffffffffu || offset >= 0xffffffffu;
        s.crc = crc32(0L, Z_NULL, 0);
        s.crc = crc32(s.crc, reinterpret_cast<const Bytef *>(s.npyHeader.data()),
                      static_cast<uInt>(s.npyHeader.size()));
        s.dataOffset = offset + s.localHeaderSize() + s.npyHeader.size();
        offset = s.dataOffset + s.dataBytes;
        s.member = std::move(m);
        w->m_members.push_back(std::move(s));
    }
    w->m_end = offset;
    const std::filesystem::path dir = path.has_parent_path() ? path.parent_path() : ".";
    w->m_tmp = (dir / ("." + path.filename().string() + ".XXXXXX")).string();
    w->m_fd = ::mkstemp(w->m_tmp.data());
    if (w->m_fd < 0)
        return fail("cannot write '" + path.string() + "': " + std::strerror(errno) + ".");
    for (const State &s : w->m_members)
        if (auto r = w->writeAt(s.dataOffset - s.npyHeader.size(), s.npyHeader.data(),
                                s.npyHeader.size());
            !r)
            return std::unexpected(r.error());
    return w;
}

NpzStreamWriter::~NpzStreamWriter()
{
    if (m_fd >= 0)
        ::close(m_fd);
    if (!m_done && !m_tmp.empty())
        ::unlink(m_tmp.c_str());
}

Result<void> NpzStreamWriter::writeAt(uint64_t offset, const void *data, std::size_t size)
{
    const auto *p = static_cast<const char *>(data);
    std::size_t done = 0;
    while (done < size) {
        const ssize_t n = ::pwrite(m_fd, p + done, size - done, static_cast<off_t>(offset + done));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return fail("cannot write '" + m_path.string() + "': " + std::strerror(errno) + ".");
        }
        done += static_cast<std::size_t>(n);
    }
    return {};
}

Result<void> NpzStreamWriter::append(std::size_t index, std::span<const float> values)
{
    if (index >= m_members.size() || m_fd < 0)
        return fail("no array " + std::to_string(index) + " in '" + m_path.string() + "'.",
                    Error::Code::Internal);
    State &s = m_members[index];
    const uint64_t bytes = values.size() * sizeof(float);
    if (s.written + bytes > s.dataBytes)
        return fail("array '" + s.member.name + "' of '" + m_path.string() +
                        "' received more than its " + dimsToString(s.member.shape) + " values.",
                    Error::Code::Internal);
    if (auto r = writeAt(s.dataOffset + s.written, values.data(), bytes); !r)
        return r;
    for (uint64_t off = 0; off < bytes; off += (1u << 30))
        s.crc = crc32(s.crc, reinterpret_cast<const Bytef *>(values.data()) + off,
                      static_cast<uInt>(std::min<uint64_t>(1u << 30, bytes - off)));
    s.written += bytes;
    return {};
}

Result<void> NpzStreamWriter::finish()
{
    if (m_fd < 0 || m_done)
        return fail("'" + m_path.string() + "' is already finished.", Error::Code::Internal);
    std::string central;
    for (const State &s : m_members) {
        if (s.written != s.dataBytes)
            return fail("array '" + s.member.name + "' of '" + m_path.string() + "' holds " +
                            std::to_string(s.written / sizeof(float)) + " of its " +
                            std::to_string(s.dataBytes / sizeof(float)) + " values.",
                        Error::Code::Internal);
        const uint64_t size = s.size();
        const data::ZipMember m{s.fileName, static_cast<uint32_t>(s.crc), size,
                                s.headerOffset};
        const std::string local = data::zipLocalHeader(m);
        if (auto r = writeAt(s.headerOffset, local.data(), local.size()); !r)
            return r;
        central += data::zipCentralEntry(m);
    }
    const uint64_t cdOffset = m_end;
    const auto count = static_cast<uint16_t>(m_members.size());
    const std::string tail = central + data::zipEndRecords(count, central.size(), cdOffset);
    if (auto r = writeAt(cdOffset, tail.data(), tail.size()); !r)
        return r;
    if (::fsync(m_fd) != 0 || ::close(m_fd) != 0) {
        m_fd = -1;
        return fail("cannot write '" + m_path.string() + "': " + std::strerror(errno) + ".");
    }
    m_fd = -1;
    ::chmod(m_tmp.c_str(), 0644);
    if (std::rename(m_tmp.c_str(), m_path.c_str()) != 0)
        return fail("cannot write '" + m_path.string() + "': " + std::strerror(errno) + ".");
    m_done = true;
    return {};
}

} // namespace nnc
