// Writing .npz files (uncompressed zip of .npy members), for raw outputs and soft labels.
#pragma once

#include "core/model/tensor.h"
#include "core/util/error.h"

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace nnc {

/// .npy bytes of a numeric/bool tensor (format 1.0, little-endian, C order).
Result<std::string> npyBytes(const Tensor &t);

/// Writes arrays as NAME.npy members of a stored (uncompressed) zip, atomically; ZIP64 is used
/// when a member or the file exceeds 4 GiB.
Result<void> writeNpz(const std::filesystem::path &path,
                      const std::vector<std::pair<std::string, Tensor>> &arrays);

} // namespace nnc
