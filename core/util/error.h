// Errors in the core are values: every fallible API returns nnc::Result<T>.
#pragma once

#include <expected>
#include <string>
#include <utility>

namespace nnc {

/// What failed, in one plain sentence a user can act on (file, offset, node, tensor named).
/// `code` groups errors for the CLI's exit codes.
struct Error
{
    enum class Code { Input, Unsupported, Usage, Cancelled, Internal };
    Code code = Code::Input;
    std::string message;
};

template<class T>
using Result = std::expected<T, Error>;

inline std::unexpected<Error> fail(std::string message, Error::Code code = Error::Code::Input)
{
    return std::unexpected(Error{code, std::move(message)});
}

} // namespace nnc
