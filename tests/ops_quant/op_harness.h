// Test harness for single kernels: builds a Node with attributes, finds its kernel in the op table
// at an opset and runs it on given tensors. Shared by tests/ops_quant and tests/ops_rnn.
#pragma once

#include "core/ops/op_table.h"

#include <QString>

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

inline Attribute stringAttr(std::string name, std::string v)
{
    Attribute a;
    a.name = std::move(name);
    a.kind = Attribute::Kind::String;
    a.s = std::move(v);
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

inline Attribute floatsAttr(std::string name, std::vector<float> v)
{
    Attribute a;
    a.name = std::move(name);
    a.kind = Attribute::Kind::Floats;
    a.floats = std::move(v);
    return a;
}

inline Attribute stringsAttr(std::string name, std::vector<std::string> v)
{
    Attribute a;
    a.name = std::move(name);
    a.kind = Attribute::Kind::Strings;
    a.strings = std::move(v);
    return a;
}

/// Runs op `opType` (ai.onnx) at `opset` on `inputs` (nullptr = omitted optional input) and
/// returns its `numOutputs` outputs, or the kernel's (or the factory's) error.
/// `outputNames` (optional) names the node's outputs; "" marks an omitted optional output.
inline Result<std::vector<Tensor>> runOp(const std::string &opType, int64_t opset,
                                         std::vector<Attribute> attrs,
                                         std::vector<const Tensor *> inputs, int numOutputs = 1,
                                         std::vector<std::string> outputNames = {})
{
    const OpEntry *e = findKernel("", opType, opset);
    if (!e)
        return fail("no kernel for " + opType + " at opset " + std::to_string(opset) + ".");
    Node node;
    node.opType = opType;
    node.attributes = std::move(attrs);
    for (std::size_t i = 0; i < inputs.size(); ++i)
        node.inputs.push_back(inputs[i] ? "in" + std::to_string(i) : std::string());
    for (int i = 0; i < numOutputs; ++i)
        node.outputs.push_back(static_cast<std::size_t>(i) < outputNames.size()
                                   ? outputNames[static_cast<std::size_t>(i)]
                                   : "out" + std::to_string(i));
    auto kernel = e->create(KernelBuildInfo{node, opset});
    if (!kernel)
        return std::unexpected(kernel.error());
    KernelContext ctx;
    ctx.inputs = inputs;
    ctx.outputs.resize(static_cast<std::size_t>(numOutputs));
    if (auto ok = (*kernel)->run(ctx); !ok)
        return std::unexpected(ok.error());
    return std::move(ctx.outputs);
}

inline QString errorText(const Result<std::vector<Tensor>> &r)
{
    return r ? QString() : QString::fromStdString(r.error().message);
}

} // namespace nnc::test
