// Helpers for the nn op tests: build a one-node graph entry, find its kernel in the op table,
// run it, and compare tensors. Random data comes from a fixed-seed generator.
#pragma once

#include "core/model/graph.h"
#include "core/ops/op_table.h"

#include <QtTest/QtTest>

#include <cmath>
#include <random>
#include <string>
#include <vector>

namespace nnc::test {

inline Attribute intAttr(std::string name, int64_t v)
{
    Attribute a;
    a.name = std::move(name);
    a.kind = Attribute::Kind::Int;
    a.i = v;
    return a;
}

inline Attribute floatAttr(std::string name, float v)
{
    Attribute a;
    a.name = std::move(name);
    a.kind = Attribute::Kind::Float;
    a.f = v;
    return a;
}

inline Attribute intsAttr(std::string name, std::vector<int64_t> v)
{
    Attribute a;
    a.name = std::move(name);
    a.kind = Attribute::Kind::Ints;
    a.ints = std::move(v);
    return a;
}

inline Attribute stringAttr(std::string name, std::string v)
{
    Attribute a;
    a.name = std::move(name);
    a.kind = Attribute::Kind::String;
    a.s = std::move(v);
    return a;
}

inline Node makeNode(std::string op, std::vector<Attribute> attrs, std::size_t inputs = 1,
                     std::size_t outputs = 1)
{
    Node n;
    n.opType = std::move(op);
    n.name = "test_" + n.opType;
    for (std::size_t i = 0; i < inputs; ++i)
        n.inputs.push_back("in" + std::to_string(i));
    for (std::size_t i = 0; i < outputs; ++i)
        n.outputs.push_back("out" + std::to_string(i));
    n.attributes = std::move(attrs);
    return n;
}

/// Builds the node's kernel at `opset` and runs it once; `inputs` may hold nullptr for omitted
/// optional inputs. Returns the outputs or the kernel's error.
inline Result<std::vector<Tensor>> runNode(const Node &node, std::vector<const Tensor *> inputs,
                                           int64_t opset = 17)
{
    const OpEntry *e = findKernel(node.domain, node.opType, opset);
    if (!e)
        return fail("no kernel for " + node.opType);
    auto kernel = e->create(KernelBuildInfo{node, opset});
    if (!kernel)
        return std::unexpected(kernel.error());
    KernelContext ctx;
    ctx.inputs = inputs;
    ctx.outputs.resize(node.outputs.size());
    if (auto r = (*kernel)->run(ctx); !r)
        return std::unexpected(r.error());
    return std::move(ctx.outputs);
}

/// The error message of a result, or "" when it holds a value (QVERIFY2 evaluates its message
/// even when the check passes, so never call .error() there directly).
template<class T>
QString errorText(const Result<T> &r)
{
    return r ? QString() : QString::fromStdString(r.error().message);
}

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
