// Shared helpers for kernels: numpy broadcasting, axis normalization, reading small
// integer tensors (shapes, axes), and type dispatch.
#pragma once

#include "core/model/tensor.h"
#include "core/util/error.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace nnc::ops {

/// Numpy-style broadcast of two shapes, or an error naming both shapes.
Result<Dims> broadcastShapes(std::span<const int64_t> a, std::span<const int64_t> b);
/// Broadcast of any number of shapes.
Result<Dims> broadcastShapes(std::span<const Dims> shapes);

/// Element strides of `in` viewed as `out` (broadcast dims get stride 0). in.size() <= out.size().
std::vector<int64_t> broadcastStrides(std::span<const int64_t> in, std::span<const int64_t> out);

/// Row-major strides of a shape.
std::vector<int64_t> stridesOf(std::span<const int64_t> dims);

/// Maps a possibly negative axis into [0, rank), or an error.
Result<int64_t> normalizeAxis(int64_t axis, int64_t rank);

/// Reads an integer tensor (int32/int64) as int64 values.
std::vector<int64_t> readInts(const Tensor &t);

/// Iterates the output index space of a broadcast, calling f(outIndex, offsetA, offsetB).
/// Uses a fast inner loop over the last dimension.
template<class F>
void forEachBroadcast(std::span<const int64_t> outDims, std::span<const int64_t> stridesA,
                      std::span<const int64_t> stridesB, F &&f)
{
    const int64_t rank = static_cast<int64_t>(outDims.size());
    const int64_t total = numElements(outDims);
    if (total == 0)
        return;
    if (rank == 0) {
        f(0, 0, 0);
        return;
    }
    std::vector<int64_t> idx(static_cast<std::size_t>(rank), 0);
    const int64_t inner = outDims[rank - 1];
    const int64_t sa = stridesA[rank - 1], sb = stridesB[rank - 1];
    int64_t offA = 0, offB = 0;
    for (int64_t o = 0; o < total; o += inner) {
        for (int64_t k = 0; k < inner; ++k)
            f(o + k, offA + k * sa, offB + k * sb);
        // advance the outer index (all dims but the last)
        for (int64_t d = rank - 2; d >= 0; --d) {
            const auto du = static_cast<std::size_t>(d);
            ++idx[du];
            offA += stridesA[du];
            offB += stridesB[du];
            if (idx[du] < outDims[du])
                break;
            offA -= stridesA[du] * outDims[du];
            offB -= stridesB[du] * outDims[du];
            idx[du] = 0;
        }
    }
}

} // namespace nnc::ops
