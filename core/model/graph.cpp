// Attribute accessors and small helpers of the graph IR.
#include "core/model/graph.h"

namespace nnc {

const Attribute *Node::attr(std::string_view attrName) const
{
    for (const Attribute &a : attributes)
        if (a.name == attrName)
            return &a;
    return nullptr;
}

int64_t Node::attrInt(std::string_view attrName, int64_t fallback) const
{
    const Attribute *a = attr(attrName);
    return a && a->kind == Attribute::Kind::Int ? a->i : fallback;
}

float Node::attrFloat(std::string_view attrName, float fallback) const
{
    const Attribute *a = attr(attrName);
    return a && a->kind == Attribute::Kind::Float ? a->f : fallback;
}

std::string Node::attrString(std::string_view attrName, std::string fallback) const
{
    const Attribute *a = attr(attrName);
    return a && a->kind == Attribute::Kind::String ? a->s : fallback;
}

std::vector<int64_t> Node::attrInts(std::string_view attrName, std::vector<int64_t> fallback) const
{
    const Attribute *a = attr(attrName);
    return a && a->kind == Attribute::Kind::Ints ? a->ints : fallback;
}

std::vector<float> Node::attrFloats(std::string_view attrName, std::vector<float> fallback) const
{
    const Attribute *a = attr(attrName);
    return a && a->kind == Attribute::Kind::Floats ? a->floats : fallback;
}

std::string Node::label() const
{
    if (!name.empty())
        return "'" + name + "' (" + opType + ")";
    if (!outputs.empty())
        return opType + " node producing '" + outputs.front() + "'";
    return "unnamed " + opType + " node";
}

const Tensor *Graph::initializer(const std::string &tensorName) const
{
    auto it = initializers.find(tensorName);
    return it == initializers.end() ? nullptr : &it->second;
}

std::vector<const ValueInfo *> Graph::dataInputs() const
{
    std::vector<const ValueInfo *> out;
    for (const ValueInfo &v : inputs)
        if (!initializers.contains(v.name))
            out.push_back(&v);
    return out;
}

int64_t Model::opset(std::string_view domain) const
{
    std::string d(domain);
    if (d == "ai.onnx")
        d.clear();
    auto it = opsets.find(d);
    return it == opsets.end() ? 0 : it->second;
}

} // namespace nnc
