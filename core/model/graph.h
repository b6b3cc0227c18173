// The project's own graph IR. Nothing outside core/model sees protobuf types; the rest of the
// program reads models through these structures. A Model is immutable once read.
#pragma once

#include "core/model/tensor.h"

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace nnc {

struct Graph;

/// One dimension of a declared shape: a fixed size, a symbolic name, or unknown.
struct Dim
{
    int64_t value = -1;       ///< >= 0 when fixed
    bool hasValue = false;    ///< a dim_value was stored (some exporters store -1 for "any")
    std::string param;        ///< symbolic name ("batch", "N") when not fixed
    bool isFixed() const { return value >= 0; }
};

/// A graph input, output or value_info entry.
struct ValueInfo
{
    std::string name;
    DataType dtype = DataType::Undefined;
    bool hasShape = false;    ///< false when the model declares no shape at all
    std::vector<Dim> shape;
};

struct Attribute
{
    enum class Kind { Undefined, Float, Int, String, Tensor, Graph, Floats, Ints, Strings, Tensors, Graphs };
    std::string name;
    Kind kind = Kind::Undefined;
    float f = 0.0f;
    int64_t i = 0;
    std::string s;
    nnc::Tensor t;
    std::shared_ptr<const Graph> g;
    std::vector<float> floats;
    std::vector<int64_t> ints;
    std::vector<std::string> strings;
    std::vector<nnc::Tensor> tensors;
    std::vector<std::shared_ptr<const Graph>> graphs;
};

struct Node
{
    std::string name;
    std::string opType;
    std::string domain;       ///< "" for the default ai.onnx domain
    std::vector<std::string> inputs;   ///< "" marks an omitted optional input
    std::vector<std::string> outputs;
    std::vector<Attribute> attributes;

    const Attribute *attr(std::string_view attrName) const;
    int64_t attrInt(std::string_view attrName, int64_t fallback) const;
    float attrFloat(std::string_view attrName, float fallback) const;
    std::string attrString(std::string_view attrName, std::string fallback) const;
    std::vector<int64_t> attrInts(std::string_view attrName, std::vector<int64_t> fallback = {}) const;
    std::vector<float> attrFloats(std::string_view attrName, std::vector<float> fallback = {}) const;
    /// Name used in messages: the node name, or "<opType> #index" style text when unnamed.
    std::string label() const;
    /// Number of present (non-empty) inputs at position i
    bool hasInput(std::size_t i) const { return i < inputs.size() && !inputs[i].empty(); }
};

struct Graph
{
    std::string name;
    std::vector<Node> nodes;                        ///< topologically sorted by the reader
    std::vector<std::string> initializerOrder;      ///< names in file order
    std::unordered_map<std::string, Tensor> initializers;
    std::vector<ValueInfo> inputs;                  ///< as declared (may include initializers, IR < 4)
    std::vector<ValueInfo> outputs;
    std::vector<ValueInfo> valueInfo;

    const Tensor *initializer(const std::string &tensorName) const;
    /// Graph inputs that are not initializers: what a caller must feed.
    std::vector<const ValueInfo *> dataInputs() const;
};

struct Model
{
    std::filesystem::path path;
    int64_t irVersion = 0;
    std::string producerName;
    std::string producerVersion;
    std::string docString;
    std::map<std::string, int64_t> opsets;          ///< domain ("" = ai.onnx) -> version
    std::map<std::string, std::string> metadata;
    Graph graph;

    /// Opset version for a domain ("" and "ai.onnx" are the same), or 0 if not imported.
    int64_t opset(std::string_view domain) const;
};

/// Calls fn(node, depth) for every node, including those inside subgraph attributes.
template<class Fn>
void forEachNode(const Graph &g, Fn &&fn, int depth = 0)
{
    for (const Node &n : g.nodes) {
        fn(n, depth);
        for (const Attribute &a : n.attributes) {
            if (a.g)
                forEachNode(*a.g, fn, depth + 1);
            for (const auto &sg : a.graphs)
                if (sg)
                    forEachNode(*sg, fn, depth + 1);
        }
    }
}

} // namespace nnc
