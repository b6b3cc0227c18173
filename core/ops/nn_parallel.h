// Work sharing for the nn kernels in which the calling thread never waits for a thread the OS
// has not scheduled. OpenMP's fork-join needs every team thread to arrive at the closing
// barrier, so on a machine where another process holds a core each parallel region can cost a
// scheduler time slice; here chunks are claimed from a shared counter, the caller claims them
// too, and it returns as soon as every claimed chunk is done.
#pragma once

#include <algorithm>
#include <cstdint>
#include <type_traits>

namespace nnc::nn {

namespace detail {
using ChunkFn = void (*)(void *context, int64_t index);
void parallelForImpl(int64_t count, void *context, ChunkFn fn);
} // namespace detail

/// Runs f(i) for every i in [0, count), on the calling thread and up to
/// omp_get_max_threads() - 1 pool threads, one index at a time (make each index a worthwhile
/// chunk of work). Runs serially when count <= 1, inside an OpenMP region, inside another
/// parallelFor, or while another thread is using the pool. f must not throw.
template<class F>
void parallelFor(int64_t count, F &&f)
{
    using Fn = std::remove_reference_t<F>;
    detail::parallelForImpl(count, const_cast<void *>(static_cast<const void *>(&f)),
                            [](void *context, int64_t i) { (*static_cast<Fn *>(context))(i); });
}

/// Runs f(begin, end) over [0, n) in chunks of at least `minChunk` items (about four per
/// thread, for balance); one call f(0, n) when that leaves a single chunk.
template<class F>
void parallelForRange(int64_t n, int64_t minChunk, F &&f);

/// Number of threads parallelFor may use (the caller included); 1 inside a parallel region.
int parallelThreads();

/// A small index identifying the running thread for per-thread scratch: 0 on callers,
/// 1 .. parallelThreads() - 1 on pool workers.
int parallelThreadIndex();

template<class F>
void parallelForRange(int64_t n, int64_t minChunk, F &&f)
{
    const int64_t threads = parallelThreads();
    const int64_t chunks = threads <= 1 ? 1 : std::min<int64_t>(n / std::max<int64_t>(minChunk, 1),
                                                                 4 * threads);
    if (chunks <= 1) {
        if (n > 0)
            f(int64_t{0}, n);
        return;
    }
    parallelFor(chunks, [&](int64_t c) { f(n * c / chunks, n * (c + 1) / chunks); });
}

} // namespace nnc::nn
