// The one-kernel harness of the op tests (tests/ops_*): attribute builders, a node of one op,
// and one run of that node's kernel, found in the op table at an opset, on given tensors.
// Header-only and Qt-free (the benchmarks use it too); each op-test folder adds its own reference
// and comparison helpers on top.
#pragma once

#include "core/model/graph.h"
#include "core/ops/op_table.h"

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

inline Attribute tensorAttr(std::string name, Tensor t)
{
    Attribute a;
    a.name = std::move(name);
    a.kind = Attribute::Kind::Tensor;
    a.t = std::move(t);
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

/// A node "test_<op>" of `op` (ai.onnx) with `attrs`, `inputs` inputs in0, in1, ... (all present)
/// and `outputs` outputs out0, out1, ...
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

/// A node "test_<op>" of `op` (ai.onnx) with `attrs`. Its inputs are in0, in1, ... with ""
/// where `inputs` holds nullptr (an omitted optional input); its `outputs` outputs are out0,
/// out1, ... unless `outputNames` names them ("" marks an omitted optional output).
inline Node oneNode(const std::string &op, std::vector<Attribute> attrs,
                    const std::vector<const Tensor *> &inputs, std::size_t outputs = 1,
                    const std::vector<std::string> &outputNames = {})
{
    Node n;
    n.opType = op;
    n.name = "test_" + op;
    n.attributes = std::move(attrs);
    for (std::size_t i = 0; i < inputs.size(); ++i)
        n.inputs.push_back(inputs[i] ? "in" + std::to_string(i) : std::string());
    for (std::size_t i = 0; i < outputs; ++i)
        n.outputs.push_back(i < outputNames.size() ? outputNames[i] : "out" + std::to_string(i));
    return n;
}

/// Builds `node`'s kernel at `opset` and runs it once on `inputs` (nullptr = omitted optional
/// input). Returns one tensor per node output, or the factory's or the kernel's error.
inline Result<std::vector<Tensor>> runNode(const Node &node, std::vector<const Tensor *> inputs,
                                           int64_t opset = 17)
{
    const OpEntry *e = findKernel(node.domain, node.opType, opset);
    if (!e)
        return fail("no kernel for " + node.opType + " at opset " + std::to_string(opset) + ".");
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

/// oneNode() and runNode() in one call.
inline Result<std::vector<Tensor>> runOneNode(const std::string &op, std::vector<Attribute> attrs,
                                              std::vector<const Tensor *> inputs, int64_t opset,
                                              std::size_t outputs = 1,
                                              const std::vector<std::string> &outputNames = {})
{
    const Node node = oneNode(op, std::move(attrs), inputs, outputs, outputNames);
    return runNode(node, std::move(inputs), opset);
}

} // namespace nnc::test
