// Counting ops, nodes and parameters over a model and its subgraphs.
#include "core/stats/summary.h"

namespace nnc {

std::string opKey(const Node &node)
{
    return node.domain.empty() ? node.opType : node.domain + "::" + node.opType;
}

namespace {

void addGraph(const Graph &g, ModelSummary &s)
{
    for (const auto &[name, t] : g.initializers) {
        s.initializerElements += t.numel();
        s.parameterBytes += static_cast<int64_t>(t.byteSize());
    }
    for (const Node &n : g.nodes) {
        ++s.nodeCount;
        ++s.opCounts[opKey(n)];
        if (n.opType == "Constant" && n.domain.empty()) {
            for (const Attribute &a : n.attributes) {
                int64_t e = 0, bytes = 0;
                if (a.kind == Attribute::Kind::Tensor) {
                    e = a.t.numel();
                    bytes = static_cast<int64_t>(a.t.byteSize());
                } else if (a.kind == Attribute::Kind::Floats) {
                    e = static_cast<int64_t>(a.floats.size());
                    bytes = e * 4;
                } else if (a.kind == Attribute::Kind::Ints) {
                    e = static_cast<int64_t>(a.ints.size());
                    bytes = e * 8;
                } else if (a.kind == Attribute::Kind::Float || a.kind == Attribute::Kind::Int) {
                    e = 1;
                    bytes = a.kind == Attribute::Kind::Float ? 4 : 8;
                }
                s.constantElements += e;
                s.parameterBytes += bytes;
            }
        }
        for (const Attribute &a : n.attributes) {
            if (a.g)
                addGraph(*a.g, s);
            for (const auto &sg : a.graphs)
                addGraph(*sg, s);
        }
    }
}

} // namespace

ModelSummary summarizeModel(const Model &model)
{
    ModelSummary s;
    addGraph(model.graph, s);
    s.parameterCount = s.initializerElements + s.constantElements;
    return s;
}

} // namespace nnc
