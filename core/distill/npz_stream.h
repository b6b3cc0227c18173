// A .npz writer that takes its arrays batch by batch (soft labels for a large training set
// never sit in memory whole). Members are float32 .npy files in a stored (uncompressed) zip,
// as core/data/npz_writer.h writes them; the file appears atomically when finish() succeeds
// (temporary file in the same folder, then rename) and never when it fails or is abandoned.
#pragma once

#include "core/model/tensor.h"
#include "core/util/error.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace nnc {

class NpzStreamWriter
{
public:
    struct Member
    {
        std::string name; ///< array name ("NAME.npy" in the zip)
        Dims shape;       ///< full shape, sample axis first; float32 elements
    };

    /// Creates the temporary file beside `path` with room for every member. Errors: an
    /// unwritable folder, an empty or duplicate member name.
    static Result<std::unique_ptr<NpzStreamWriter>> create(const std::filesystem::path &path,
                                                           std::vector<Member> members);
    ~NpzStreamWriter();
    NpzStreamWriter(const NpzStreamWriter &) = delete;
    NpzStreamWriter &operator=(const NpzStreamWriter &) = delete;

    /// Appends the next values of member `index` in C order. Fails when more values arrive than
    /// the member's shape holds.
    Result<void> append(std::size_t index, std::span<const float> values);
    /// Writes the zip headers and renames the file into place. Fails when a member is not full.
    Result<void> finish();

private:
    struct State;
    NpzStreamWriter() = default;
    Result<void> writeAt(uint64_t offset, const void *data, std::size_t size);

    std::filesystem::path m_path;
    std::string m_tmp;
    int m_fd = -1;
    bool m_done = false;
    uint64_t m_end = 0;
    std::vector<State> m_members;
};

} // namespace nnc
