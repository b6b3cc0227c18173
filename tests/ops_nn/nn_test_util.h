// Helpers for the nn op tests on top of tests/common/op_harness.h (attributes, makeNode, runNode)
// and error_text.h: random data from a fixed-seed generator, and comparison.
#pragma once

#include "tests/common/error_text.h"
#include "tests/common/op_harness.h"

#include <QtTest/QtTest>

#include <cmath>
#include <random>
#include <string>
#include <vector>

namespace nnc::test {

/// A float tensor of the given dims with values uniform in [lo, hi).
inline Tensor randomTensor(std::mt19937 &rng, Dims dims, float lo = -1.0f, float hi = 1.0f)
{
    Tensor t(DataType::Float, std::move(dims));
    std::uniform_real_distribution<float> dist(lo, hi);
    for (float &v : t.mutableSpan<float>())
        v = dist(rng);
    return t;
}

/// Largest |a - b| / (1 + |b|) over the elements; infinity when shapes differ.
inline double maxRelDiff(const Tensor &a, const Tensor &b)
{
    if (a.dims() != b.dims())
        return INFINITY;
    const auto va = a.toFloatVector(), vb = b.toFloatVector();
    double m = 0;
    for (std::size_t i = 0; i < va.size(); ++i) {
        if (std::isnan(va[i]) != std::isnan(vb[i]))
            return INFINITY;
        if (!std::isnan(va[i]))
            m = std::max(m, std::abs(double(va[i]) - vb[i]) / (1.0 + std::abs(double(vb[i]))));
    }
    return m;
}

} // namespace nnc::test
