// POSIX implementation of MappedFile.
#include "core/util/mapped_file.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace nnc {

Result<std::shared_ptr<const MappedFile>> MappedFile::open(const std::filesystem::path &path)
{
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
        return fail("'" + path.string() + "' does not exist.");
    if (std::filesystem::is_directory(path, ec))
        return fail("'" + path.string() + "' is a directory, not a file.");
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return fail("cannot open '" + path.string() + "': " + std::strerror(errno) + ".");
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        const int err = errno;
        ::close(fd);
        return fail("cannot read '" + path.string() + "': " + std::strerror(err) + ".");
    }
    std::shared_ptr<MappedFile> file(new MappedFile());
    file->m_path = path;
    file->m_size = static_cast<std::size_t>(st.st_size);
    if (file->m_size > 0) {
        void *p = ::mmap(nullptr, file->m_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (p == MAP_FAILED) {
            const int err = errno;
            ::close(fd);
            return fail("cannot map '" + path.string() + "': " + std::strerror(err) + ".");
        }
        file->m_data = static_cast<const std::byte *>(p);
    }
    ::close(fd);
    return file;
}

MappedFile::~MappedFile()
{
    if (m_data)
        ::munmap(const_cast<std::byte *>(m_data), m_size);
}

} // namespace nnc
