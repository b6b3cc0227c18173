// Helpers for the shape op tests: run one node's kernel at a given opset (through
// tests/common/op_harness.h) and compare tensors. Random data comes from fixed-seed generators.
#pragma once

#include "tests/common/op_harness.h"

#include <QtTest/QtTest>

#include <cmath>
#include <random>
#include <string>
#include <vector>

namespace nnc::shapetest {

using test::floatAttr;
using test::floatsAttr;
using test::intAttr;
using test::intsAttr;
using test::stringAttr;
using test::tensorAttr;

/// Runs one node of `op` with `attrs` at `opset`; inputs may hold nullptr (omitted inputs).
inline Result<std::vector<Tensor>> run(const std::string &op, std::vector<Attribute> attrs,
                                       std::vector<const Tensor *> inputs, int64_t opset,
                                       std::size_t outputs = 1)
{
    return test::runOneNode(op, std::move(attrs), std::move(inputs), opset, outputs);
}

/// Runs and returns output 0, failing the test (QVERIFY-style) on error.
#define SHAPE_RUN(var, ...)                                                                        \
    auto var##_r = ::nnc::shapetest::run(__VA_ARGS__);                                             \
    QVERIFY2(var##_r.has_value(), var##_r ? "" : var##_r.error().message.c_str());                 \
    const Tensor &var = var##_r->at(0)

/// The error message of a run expected to fail ("" if it succeeded).
inline std::string errorOf(const Result<std::vector<Tensor>> &r)
{
    return r ? std::string() : r.error().message;
}

inline Tensor f32(Dims d, std::vector<float> v) { return Tensor::fromVector<float>(std::move(d), v); }
inline Tensor i64(Dims d, std::vector<int64_t> v) { return Tensor::fromVector<int64_t>(std::move(d), v); }
inline Tensor i32(Dims d, std::vector<int32_t> v) { return Tensor::fromVector<int32_t>(std::move(d), v); }

/// 0, 1, 2, ... as float.
inline Tensor iota(Dims d)
{
    Tensor t(DataType::Float, std::move(d));
    for (int64_t i = 0; i < t.numel(); ++i)
        t.mutableData<float>()[i] = static_cast<float>(i);
    return t;
}

inline std::vector<float> floats(const Tensor &t) { return t.toFloatVector(); }
inline std::vector<int64_t> ints(const Tensor &t) { return t.toInt64Vector(); }

/// Exact equality of dtype, shape and elements (strings included).
inline bool sameTensor(const Tensor &a, const Tensor &b, std::string *why = nullptr)
{
    auto say = [&](std::string s) {
        if (why)
            *why = std::move(s);
        return false;
    };
    if (a.dtype() != b.dtype())
        return say("dtype differs");
    if (a.dims() != b.dims())
        return say("shape " + dimsToString(a.dims()) + " vs " + dimsToString(b.dims()));
    if (a.dtype() == DataType::String) {
        for (int64_t i = 0; i < a.numel(); ++i)
            if (a.strings()[static_cast<std::size_t>(i)] != b.strings()[static_cast<std::size_t>(i)])
                return say("string element " + std::to_string(i) + " differs");
        return true;
    }
    if (a.byteSize() && std::memcmp(a.bytes().data(), b.bytes().data(), a.byteSize()) != 0)
        return say("bytes differ");
    return true;
}

inline bool closeTo(const std::vector<float> &got, const std::vector<float> &want, float tol,
                    std::string *why = nullptr)
{
    if (got.size() != want.size()) {
        if (why)
            *why = "size " + std::to_string(got.size()) + " vs " + std::to_string(want.size());
        return false;
    }
    for (std::size_t i = 0; i < got.size(); ++i)
        if (!(std::abs(got[i] - want[i]) <= tol * (1.0f + std::abs(want[i])))) {
            if (why)
                *why = "element " + std::to_string(i) + ": " + std::to_string(got[i]) + " vs "
                       + std::to_string(want[i]);
            return false;
        }
    return true;
}

inline Tensor randomFloats(Dims d, std::mt19937 &rng)
{
    std::uniform_real_distribution<float> u(-10.0f, 10.0f);
    Tensor t(DataType::Float, std::move(d));
    for (float &v : t.mutableSpan<float>())
        v = u(rng);
    return t;
}

} // namespace nnc::shapetest
