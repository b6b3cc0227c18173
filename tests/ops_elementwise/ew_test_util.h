// Helpers for the elementwise/reduction op tests: one-node kernels built from the op table,
// random tensors from a fixed-seed generator, strided index helpers for the plain reference
// implementations, and tolerance comparison (rtol 1e-3, atol 1e-7 as against ONNX Runtime).
#pragma once

#include "core/ops/op_util.h"
#include "tests/common/op_harness.h"

#include <QtTest/QtTest>

#include <cmath>
#include <random>
#include <string>
#include <vector>

namespace nnc::ewtest {

using test::floatAttr;
using test::intAttr;
using test::intsAttr;
using test::stringAttr;

/// Builds the kernel for `op` at `opset` and runs it on `inputs` (nullptr = omitted optional
/// input). Returns the outputs, or the factory's / kernel's error.
inline Result<std::vector<Tensor>> run(const std::string &op, std::vector<const Tensor *> inputs,
                                       std::vector<Attribute> attrs = {}, int64_t opset = 17,
                                       std::size_t outputs = 1)
{
    return test::runOneNode(op, std::move(attrs), std::move(inputs), opset, outputs);
}

/// Runs and returns output 0, failing the test (with the error text) when the op fails.
#define EW_RUN1(result, ...)                                                                       \
    auto result##_r = ::nnc::ewtest::run(__VA_ARGS__);                                             \
    QVERIFY2(result##_r.has_value(), result##_r ? "" : result##_r.error().message.c_str());        \
    const Tensor result = (*result##_r)[0]

/// The error text of a result ("" when it holds a value).
template <class T> std::string errorOf(const Result<T> &r)
{
    return r ? std::string() : r.error().message;
}

/// Random tensor of dtype T with values uniform in [lo, hi] (integers: inclusive).
template <class T>
Tensor randomTensor(std::mt19937 &rng, const Dims &dims, double lo = -3.0, double hi = 3.0)
{
    Tensor t(dtypeOf<T>(), dims);
    T *p = t.mutableData<T>();
    for (int64_t i = 0; i < t.numel(); ++i) {
        if constexpr (std::is_floating_point_v<T>)
            p[i] = static_cast<T>(std::uniform_real_distribution<double>(lo, hi)(rng));
        else
            p[i] = static_cast<T>(std::uniform_int_distribution<int64_t>(
                static_cast<int64_t>(lo), static_cast<int64_t>(hi))(rng));
    }
    return t;
}

/// Row-major multi-index of flat position `flat` in `dims`.
inline std::vector<int64_t> unravel(int64_t flat, const Dims &dims)
{
    std::vector<int64_t> idx(dims.size());
    for (std::size_t d = dims.size(); d-- > 0;) {
        idx[d] = dims[d] ? flat % dims[d] : 0;
        flat = dims[d] ? flat / dims[d] : 0;
    }
    return idx;
}

/// Flat position in `dims` of the right-aligned broadcast of the output multi-index `idx`.
inline int64_t broadcastFlat(const std::vector<int64_t> &idx, const Dims &dims)
{
    int64_t flat = 0;
    const std::size_t lead = idx.size() - dims.size();
    for (std::size_t d = 0; d < dims.size(); ++d)
        flat = flat * dims[d] + (dims[d] == 1 ? 0 : idx[d + lead]);
    return flat;
}

/// Compares element by element as doubles: |a - b| <= atol + rtol * |b|, NaN matching NaN and
/// infinities matching exactly. Returns "" or a description of the first mismatch.
inline std::string compare(const Tensor &got, const Tensor &want, double rtol = 1e-3,
                           double atol = 1e-7)
{
    if (got.dtype() != want.dtype())
        return "dtype " + std::string(dtypeName(got.dtype())) +
               " != " + std::string(dtypeName(want.dtype()));
    if (got.dims() != want.dims())
        return "shape " + dimsToString(got.dims()) + " != " + dimsToString(want.dims());
    if (got.dtype() == DataType::String) {
        for (int64_t i = 0; i < got.numel(); ++i)
            if (got.strings()[i] != want.strings()[i])
                return "element " + std::to_string(i) + ": \"" + got.strings()[i] + "\" != \"" +
                       want.strings()[i] + "\"";
        return {};
    }
    const bool exact = !isFloatingPoint(want.dtype());
    for (int64_t i = 0; i < got.numel(); ++i) {
        const double g = got.valueAsDouble(i), w = want.valueAsDouble(i);
        bool ok;
        if (std::isnan(w))
            ok = std::isnan(g);
        else if (std::isinf(w))
            ok = g == w;
        else if (exact)
            ok = g == w;
        else
            ok = std::abs(g - w) <= atol + rtol * std::abs(w);
        if (!ok)
            return "element " + std::to_string(i) + " " + dimsToString(unravel(i, got.dims())) +
                   ": got " + std::to_string(g) + ", want " + std::to_string(w);
    }
    return {};
}

#define EW_COMPARE(got, ...)                                                                       \
    do {                                                                                           \
        const std::string ew_diff = ::nnc::ewtest::compare(got, __VA_ARGS__);                      \
        QVERIFY2(ew_diff.empty(), ew_diff.c_str());                                                \
    } while (0)

/// A random shape of rank in [minRank, maxRank] with dims in [1, maxDim].
inline Dims randomDims(std::mt19937 &rng, int minRank, int maxRank, int64_t maxDim)
{
    const int rank = std::uniform_int_distribution<int>(minRank, maxRank)(rng);
    Dims d(static_cast<std::size_t>(rank));
    for (auto &v : d)
        v = std::uniform_int_distribution<int64_t>(1, maxDim)(rng);
    return d;
}

} // namespace nnc::ewtest
