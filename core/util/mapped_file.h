// Read-only memory-mapped files, so large models and external weights are not copied twice.
#pragma once

#include "core/util/error.h"

#include <cstddef>
#include <filesystem>
#include <memory>
#include <span>

namespace nnc {

/// A read-only view of a whole file. Shared ownership: tensors that alias the mapping keep it
/// alive. An empty file maps to an empty span.
class MappedFile
{
public:
    static Result<std::shared_ptr<const MappedFile>> open(const std::filesystem::path &path);
    ~MappedFile();
    MappedFile(const MappedFile &) = delete;
    MappedFile &operator=(const MappedFile &) = delete;

    std::span<const std::byte> bytes() const { return {m_data, m_size}; }
    const std::filesystem::path &path() const { return m_path; }

private:
    MappedFile() = default;
    const std::byte *m_data = nullptr;
    std::size_t m_size = 0;
    std::filesystem::path m_path;
};

} // namespace nnc
