// Writing files so a crash or error never leaves a half-written file: temporary file in the same
// folder, flushed, then renamed over the target.
#pragma once

#include "core/util/error.h"

#include <filesystem>
#include <string_view>

namespace nnc {

Result<void> writeFileAtomically(const std::filesystem::path &path, std::string_view bytes);

} // namespace nnc
