// One progress/cancel type for every long operation in the core.
#pragma once

#include <cstdint>
#include <functional>
#include <stop_token>

namespace nnc {

/// Long operations call report() at batch or layer granularity and stop early (returning an
/// Error with Code::Cancelled) when cancelled() is true. A default-constructed Progress never
/// cancels and reports nowhere.
class Progress
{
public:
    using Callback = std::function<void(int64_t done, int64_t total)>;

    Progress() = default;
    explicit Progress(std::stop_token token, Callback cb = {})
        : m_token(std::move(token)), m_callback(std::move(cb))
    {}

    bool cancelled() const { return m_token.stop_requested(); }
    /// The cancellation token alone, for a nested operation that should stop with this one
    /// but report its own progress elsewhere (or nowhere).
    std::stop_token stopToken() const { return m_token; }
    void report(int64_t done, int64_t total) const
    {
        if (m_callback)
            m_callback(done, total);
    }

private:
    std::stop_token m_token;
    Callback m_callback;
};

} // namespace nnc
