// Network fusion: backbone matching, weight distances, the fused graph, the per-head preview.
#include "core/fusion/fusion.h"

#include "core/data/dataset.h"
#include "core/eval/metrics.h"
#include "core/model/onnx_reader.h"
#include "core/model/onnx_writer.h"
#include "core/runtime/session.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <set>
#include <unordered_map>
#include <unordered_set>

namespace nnc {

namespace {

std::string domainName(const std::string &d)
{
    return d.empty() ? "ai.onnx" : d;
}

std::string shapeText(const ValueInfo &vi)
{
    if (!vi.hasShape)
        return "(no shape)";
    std::string s = "[";
    for (std::size_t i = 0; i < vi.shape.size(); ++i) {
        if (i)
            s += ", ";
        const Dim &d = vi.shape[i];
        s += d.isFixed() ? std::to_string(d.value) : (d.param.empty() ? "?" : d.param);
    }
    return s + "]";
}

bool tensorsEqual(const Tensor &a, const Tensor &b)
{
    if (a.dtype() != b.dtype() || a.dims() != b.dims())
        return false;
    if (a.dtype() == DataType::String) {
        auto sa = a.strings(), sb = b.strings();
        return std::equal(sa.begin(), sa.end(), sb.begin(), sb.end());
    }
    return a.byteSize() == b.byteSize() &&
           (a.byteSize() == 0 ||
            std::memcmp(a.bytes().data(), b.bytes().data(), a.byteSize()) == 0);
}

bool hasSubgraph(const Node &n)
{
    for (const Attribute &a : n.attributes)
        if (a.g || !a.graphs.empty() || a.kind == Attribute::Kind::Graph ||
            a.kind == Attribute::Kind::Graphs)
            return true;
    return false;
}

bool attributeEqual(const Attribute &x, const Attribute &y)
{
    if (x.kind != y.kind)
        return false;
    switch (x.kind) {
    case Attribute::Kind::Float:
        return x.f == y.f;
    case Attribute::Kind::Int:
        return x.i == y.i;
    case Attribute::Kind::String:
        return x.s == y.s;
    case Attribute::Kind::Tensor:
        return tensorsEqual(x.t, y.t);
    case Attribute::Kind::Floats:
        return x.floats == y.floats;
    case Attribute::Kind::Ints:
        return x.ints == y.ints;
    case Attribute::Kind::Strings:
        return x.strings == y.strings;
    case Attribute::Kind::Tensors:
        if (x.tensors.size() != y.tensors.size())
            return false;
        for (std::size_t i = 0; i < x.tensors.size(); ++i)
            if (!tensorsEqual(x.tensors[i], y.tensors[i]))
                return false;
        return true;
    default:
        return false; // subgraphs and kinds the IR does not keep never compare equal
    }
}

bool attributesEqual(const Node &a, const Node &b)
{
    if (a.attributes.size() != b.attributes.size())
        return false;
    for (const Attribute &x : a.attributes) {
        const Attribute *y = b.attr(x.name);
        if (!y || !attributeEqual(x, *y))
            return false;
    }
    return true;
}

std::unordered_map<std::string, std::size_t> producers(const Graph &g)
{
    std::unordered_map<std::string, std::size_t> p;
    for (std::size_t i = 0; i < g.nodes.size(); ++i)
        for (const auto &o : g.nodes[i].outputs)
            if (!o.empty())
                p[o] = i;
    return p;
}

bool isConstantNode(const Node &n)
{
    return n.opType == "Constant" && n.domain.empty();
}

WeightDistance distance(const Tensor &a, const Tensor &b)
{
    WeightDistance d;
    d.shape = a.dims();
    d.identical = tensorsEqual(a, b);
    const auto va = a.toFloatVector(), vb = b.toFloatVector();
    double diff = 0, na = 0, nb = 0, dot = 0;
    for (std::size_t i = 0; i < va.size() && i < vb.size(); ++i) {
        const double x = va[i], y = vb[i];
        diff += (x - y) * (x - y);
        na += x * x;
        nb += y * y;
        dot += x * y;
    }
    if (std::isnan(diff) || std::isnan(na) || std::isnan(nb) || std::isnan(dot)) {
        // NaN (or inf - inf) in a weight: no distance is meaningful, and none is made up.
        d.relativeL2 = d.cosine = std::numeric_limits<double>::quiet_NaN();
        return d;
    }
    d.relativeL2 = na > 0 ? std::sqrt(diff) / std::sqrt(na)
                          : (diff > 0 ? std::numeric_limits<double>::infinity() : 0.0);
    d.cosine = na > 0 && nb > 0 ? dot / (std::sqrt(na) * std::sqrt(nb)) : (na == nb ? 1.0 : 0.0);
    return d;
}

Result<void> checkInputs(const Model &a, const Model &b)
{
    const auto ia = a.graph.dataInputs(), ib = b.graph.dataInputs();
    auto list = [](const std::vector<const ValueInfo *> &v) {
        std::string s;
        for (const ValueInfo *x : v)
            s += (s.empty() ? "" : ", ") + x->name;
        return s.empty() ? std::string("none") : s;
    };
    auto find = [](const std::vector<const ValueInfo *> &v,
                   const std::string &n) -> const ValueInfo * {
        for (const ValueInfo *x : v)
            if (x->name == n)
                return x;
        return nullptr;
    };
    const std::string both = " (model A: " + list(ia) + "; model B: " + list(ib) + ")";
    for (const ValueInfo *x : ia)
        if (!find(ib, x->name))
            return fail("the models' inputs differ: model B has no input '" + x->name + "'" + both +
                        "; fusion matches inputs by name.");
    for (const ValueInfo *y : ib)
        if (!find(ia, y->name))
            return fail("the models' inputs differ: model A has no input '" + y->name + "'" + both +
                        "; fusion matches inputs by name.");
    for (const ValueInfo *x : ia) {
        const ValueInfo *y = find(ib, x->name);
        if (x->dtype != y->dtype)
            return fail("input '" + x->name + "' is " + std::string(dtypeName(x->dtype)) +
                        " in model A and " + std::string(dtypeName(y->dtype)) + " in model B.");
        bool same = x->hasShape == y->hasShape && x->shape.size() == y->shape.size();
        for (std::size_t i = 0; same && i < x->shape.size(); ++i) {
            const Dim &p = x->shape[i], &q = y->shape[i];
            same = p.isFixed() == q.isFixed() && (!p.isFixed() || p.value == q.value);
        }
        if (!same)
            return fail("input '" + x->name + "' has shape " + shapeText(*x) + " in model A and " +
                        shapeText(*y) + " in model B.");
    }
    for (const auto &[domain, version] : a.opsets)
        if (auto it = b.opsets.find(domain); it != b.opsets.end() && it->second != version)
            return fail("model A imports opset " + std::to_string(version) + " of " +
                        domainName(domain) + " and model B opset " + std::to_string(it->second) +
                        "; fusion needs the same opset in both.");
    return {};
}

/// Values that nodes outside `inside` read (or the graph outputs) and that a node of `inside`
/// other than Constant produces.
std::vector<std::string> frontier(const Graph &g, const std::set<std::size_t> &inside)
{
    const auto prod = producers(g);
    std::vector<std::string> out;
    auto consider = [&](const std::string &v) {
        auto it = prod.find(v);
        if (it == prod.end() || !inside.contains(it->second) || isConstantNode(g.nodes[it->second]))
            return;
        if (std::find(out.begin(), out.end(), v) == out.end())
            out.push_back(v);
    };
    for (std::size_t i = 0; i < g.nodes.size(); ++i)
        if (!inside.contains(i))
            for (const auto &in : g.nodes[i].inputs)
                consider(in);
    for (const ValueInfo &o : g.outputs)
        consider(o.name);
    return out;
}

} // namespace

std::string_view backboneSourceName(BackboneSource s)
{
    switch (s) {
    case BackboneSource::A:
        return "a";
    case BackboneSource::B:
        return "b";
    case BackboneSource::Mean:
        return "mean";
    }
    return "a";
}

Result<BackboneSource> parseBackboneSource(std::string_view text)
{
    if (text == "a" || text == "A")
        return BackboneSource::A;
    if (text == "b" || text == "B")
        return BackboneSource::B;
    if (text == "mean")
        return BackboneSource::Mean;
    return fail("the backbone must be a, b or mean, not '" + std::string(text) + "'.",
                Error::Code::Usage);
}

Result<BackboneMatch> matchBackbone(const Model &a, const Model &b)
{
    if (auto c = checkInputs(a, b); !c)
        return std::unexpected(c.error());
    const Graph &ga = a.graph, &gb = b.graph;
    const auto prodA = producers(ga), prodB = producers(gb);
    auto constantA = [&](const std::string &v) -> const Node * {
        auto it = prodA.find(v);
        return it != prodA.end() && isConstantNode(ga.nodes[it->second]) ? &ga.nodes[it->second]
                                                                         : nullptr;
    };
    auto constantB = [&](const std::string &v) -> const Node * {
        auto it = prodB.find(v);
        return it != prodB.end() && isConstantNode(gb.nodes[it->second]) ? &gb.nodes[it->second]
                                                                         : nullptr;
    };
    auto initA = [&](const std::string &v) {
        return !prodA.contains(v) ? ga.initializer(v) : nullptr;
    };
    auto initB = [&](const std::string &v) {
        return !prodB.contains(v) ? gb.initializer(v) : nullptr;
    };

    std::unordered_map<std::string, std::string> mapAB; // A value -> B value
    std::unordered_map<std::string, std::string> mapBA;
    for (const ValueInfo *x : ga.dataInputs()) {
        mapAB[x->name] = x->name;
        mapBA[x->name] = x->name;
    }
    std::unordered_map<std::string, std::string> initAB, initBA;
    std::unordered_map<std::string, std::vector<std::size_t>> byOp;
    for (std::size_t j = 0; j < gb.nodes.size(); ++j)
        byOp[gb.nodes[j].domain + "::" + gb.nodes[j].opType].push_back(j);
    std::vector<bool> usedB(gb.nodes.size(), false);
    std::set<std::pair<std::size_t, std::size_t>> pairs; // (A index, B index)
    BackboneMatch m;

    for (std::size_t i = 0; i < ga.nodes.size(); ++i) {
        const Node &na = ga.nodes[i];
        if (isConstantNode(na) || hasSubgraph(na))
            continue;
        bool ready = true;
        for (const auto &in : na.inputs)
            ready = ready && (in.empty() || mapAB.contains(in) || initA(in) || constantA(in));
        if (!ready)
            continue;
        std::optional<std::size_t> chosen;
        for (std::size_t j : byOp[na.domain + "::" + na.opType]) {
            const Node &nb = gb.nodes[j];
            if (usedB[j] || nb.inputs.size() != na.inputs.size() ||
                nb.outputs.size() != na.outputs.size() || !attributesEqual(na, nb))
                continue;
            bool ok = true;
            for (std::size_t k = 0; ok && k < na.outputs.size(); ++k)
                ok = na.outputs[k].empty() == nb.outputs[k].empty();
            std::unordered_map<std::string, std::string> newInit; // within this candidate
            for (std::size_t k = 0; ok && k < na.inputs.size(); ++k) {
                const std::string &x = na.inputs[k], &y = nb.inputs[k];
                if (x.empty() || y.empty()) {
                    ok = x.empty() && y.empty();
                } else if (auto it = mapAB.find(x); it != mapAB.end() && !constantA(x)) {
                    ok = it->second == y;
                } else if (const Tensor *ta = initA(x)) {
                    const Tensor *tb = initB(y);
                    ok = tb && ta->dtype() == tb->dtype() && ta->dims() == tb->dims() &&
                         (isFloatingPoint(ta->dtype()) || tensorsEqual(*ta, *tb));
                    if (ok) {
                        auto ab = initAB.find(x);
                        auto ba = initBA.find(y);
                        auto nw = newInit.find(x);
                        ok = (ab == initAB.end() || ab->second == y) &&
                             (ba == initBA.end() || ba->second == x) &&
                             (nw == newInit.end() || nw->second == y);
                        newInit[x] = y;
                    }
                } else if (const Node *ca = constantA(x)) {
                    const Node *cb = constantB(y);
                    ok = cb && attributesEqual(*ca, *cb);
                } else {
                    ok = false;
                }
            }
            if (!ok)
                continue;
            if (!chosen || (!na.name.empty() && na.name == nb.name))
                chosen = j;
            if (!na.name.empty() && na.name == nb.name)
                break;
        }
        if (!chosen)
            continue;
        const std::size_t j = *chosen;
        const Node &nb = gb.nodes[j];
        usedB[j] = true;
        pairs.insert({i, j});
        ++m.computeNodes;
        for (std::size_t k = 0; k < na.outputs.size(); ++k)
            if (!na.outputs[k].empty()) {
                mapAB[na.outputs[k]] = nb.outputs[k];
                mapBA[nb.outputs[k]] = na.outputs[k];
            }
        for (std::size_t k = 0; k < na.inputs.size(); ++k) {
            const std::string &x = na.inputs[k], &y = nb.inputs[k];
            if (x.empty())
                continue;
            if (const Tensor *ta = initA(x); ta && !initAB.contains(x)) {
                initAB[x] = y;
                initBA[y] = x;
                if (isFloatingPoint(ta->dtype())) {
                    WeightDistance d = distance(*ta, *initB(y));
                    d.node = na.name.empty() ? na.label() : na.name;
                    d.opType = na.opType;
                    d.weightA = x;
                    d.weightB = y;
                    m.weights.push_back(std::move(d));
                }
            } else if (constantA(x) && !mapAB.contains(x) && !mapBA.contains(y)) {
                mapAB[x] = y;
                mapBA[y] = x;
                pairs.insert({prodA.at(x), prodB.at(y)});
            } else if (constantA(x) && !mapBA.contains(y)) {
                // an equal constant B keeps as a separate node: B's readers use A's copy
                mapBA[y] = x;
                if (!usedB[prodB.at(y)])
                    pairs.insert({prodA.at(x), prodB.at(y)});
            }
        }
        for (const auto &[ai, bi] : pairs)
            usedB[bi] = true;
    }
    if (m.computeNodes == 0) {
        std::string first;
        for (const Node &n : ga.nodes) {
            if (isConstantNode(n))
                continue;
            for (const auto &in : n.inputs)
                if (mapAB.contains(in) && first.empty())
                    first = n.opType + " node '" + (n.name.empty() ? n.label() : n.name) + "'";
        }
        return fail("the models have no common backbone: no node reading their inputs is identical "
                    "in both (same op, attributes, inputs and weight shapes)" +
                    (first.empty() ? std::string(".")
                                   : "; model A's first such node, " + first +
                                         ", has no counterpart in model B."));
    }
    std::set<std::size_t> insideA, insideB;
    for (const auto &[ai, bi] : pairs) {
        m.nodesA.push_back(ai);
        m.nodesB.push_back(bi);
        insideA.insert(ai);
        insideB.insert(bi);
    }
    for (const auto &[bv, av] : mapBA)
        m.valueBtoA[bv] = av;
    for (const auto &[bv, av] : initBA)
        m.weightBtoA[bv] = av;
    m.headInputsA = frontier(ga, insideA);
    m.headInputsB = frontier(gb, insideB);
    return m;
}

namespace {

/// Names already used in a graph (values, initializers, node names).
struct NameSet
{
    std::unordered_set<std::string> used;
    bool contains(const std::string &n) const { return used.contains(n); }
    void add(const std::string &n) { used.insert(n); }
    std::string unique(const std::string &prefix, const std::string &name)
    {
        std::string c = prefix + name;
        for (int k = 2; used.contains(c); ++k)
            c = prefix + name + "_" + std::to_string(k);
        used.insert(c);
        return c;
    }
};

void renameValue(Graph &g, const std::string &from, const std::string &to)
{
    for (Node &n : g.nodes) {
        for (auto &s : n.inputs)
            if (s == from)
                s = to;
        for (auto &s : n.outputs)
            if (s == from)
                s = to;
    }
    for (ValueInfo &v : g.valueInfo)
        if (v.name == from)
            v.name = to;
    if (auto it = g.initializers.find(from); it != g.initializers.end()) {
        Tensor t = it->second;
        g.initializers.erase(it);
        g.initializers[to] = t;
        for (auto &s : g.initializerOrder)
            if (s == from)
                s = to;
    }
}

Result<Tensor> meanTensor(const Tensor &a, const Tensor &b, const std::string &name)
{
    Tensor out(a.dtype(), a.dims());
    const auto va = a.toFloatVector(), vb = b.toFloatVector();
    switch (a.dtype()) {
    case DataType::Float: {
        auto o = out.mutableSpan<float>();
        for (std::size_t i = 0; i < o.size(); ++i)
            o[i] = static_cast<float>((double(va[i]) + double(vb[i])) * 0.5);
        return out;
    }
    case DataType::Double: {
        auto o = out.mutableSpan<double>();
        const auto pa = a.span<double>(), pb = b.span<double>();
        for (std::size_t i = 0; i < o.size(); ++i)
            o[i] = (pa[i] + pb[i]) * 0.5;
        return out;
    }
    case DataType::Float16:
    case DataType::BFloat16: {
        auto o = out.mutableSpan<uint16_t>();
        for (std::size_t i = 0; i < o.size(); ++i) {
            const float v = static_cast<float>((double(va[i]) + double(vb[i])) * 0.5);
            o[i] = a.dtype() == DataType::Float16 ? floatToHalf(v) : floatToBfloat16(v);
        }
        return out;
    }
    default:
        return fail("cannot average weight '" + name + "' of type " +
                        std::string(dtypeName(a.dtype())) + ".",
                    Error::Code::Unsupported);
    }
}

} // namespace

Result<FusedModel> buildFusedModel(const Model &a, const Model &b, const BackboneMatch &match,
                                   BackboneSource source)
{
    const Graph &ga = a.graph, &gb = b.graph;
    FusedModel res;
    auto fused = std::make_shared<Model>();
    fused->irVersion = std::max(a.irVersion, b.irVersion);
    fused->producerName = "nncompress";
    fused->producerVersion = "fuse";
    fused->opsets = a.opsets;
    for (const auto &[d, v] : b.opsets)
        fused->opsets.emplace(d, v);
    fused->metadata = a.metadata;
    fused->metadata["nncompress.fusion"] = "backbone=" + std::string(backboneSourceName(source)) +
                                           "; a=" + a.path.filename().string() +
                                           "; b=" + b.path.filename().string();
    fused->docString = "Network fusion of " + a.path.filename().string() + " and " +
                       b.path.filename().string() + ": one shared backbone (" +
                       std::to_string(match.computeNodes) + " nodes) feeding both heads.";
    Graph g = ga;
    g.name = ga.name.empty() ? "fused" : ga.name;

    NameSet names;
    for (const ValueInfo &v : ga.inputs)
        names.add(v.name);
    for (const auto &[n, t] : ga.initializers)
        names.add(n);
    for (const Node &n : ga.nodes) {
        for (const auto &o : n.outputs)
            names.add(o);
        if (!n.name.empty())
            names.add(n.name);
    }
    std::unordered_set<std::string> outputsA;
    for (const ValueInfo &o : ga.outputs)
        outputsA.insert(o.name);
    std::unordered_set<std::string> inputsA;
    for (const ValueInfo &v : ga.inputs)
        inputsA.insert(v.name);

    // 1. B's outputs keep their names; an A output of the same name wins (B's gets "b/"), an A
    //    internal value of that name is renamed instead.
    for (const ValueInfo &o : gb.outputs) {
        std::string name = o.name;
        if (outputsA.contains(name) || inputsA.contains(name) || res.outputsB.contains(name)) {
            name = names.unique("b/", o.name);
        } else if (names.contains(name)) {
            const std::string renamed = names.unique("a/", name);
            renameValue(g, name, renamed);
            res.renamedA[name] = renamed;
        } else {
            names.add(name);
        }
        res.outputsB[o.name] = name;
    }
    auto aName = [&](const std::string &n) {
        auto it = res.renamedA.find(n);
        return it == res.renamedA.end() ? n : it->second;
    };

    // 2. Backbone weights from the chosen source.
    const std::set<std::size_t> backboneA(match.nodesA.begin(), match.nodesA.end());
    if (source != BackboneSource::A) {
        for (const WeightDistance &w : match.weights) {
            if (w.identical)
                continue;
            const std::string nameA = aName(w.weightA);
            const Tensor *ta = ga.initializer(w.weightA);
            const Tensor *tb = gb.initializer(w.weightB);
            if (!ta || !tb)
                return fail("weight '" + w.weightA + "' disappeared while fusing.",
                            Error::Code::Internal);
            Tensor value = *tb;
            if (source == BackboneSource::Mean) {
                auto mean = meanTensor(*ta, *tb, w.weightA);
                if (!mean)
                    return std::unexpected(mean.error());
                value = std::move(*mean);
            }
            bool readOutside = outputsA.contains(nameA);
            for (std::size_t i = 0; i < g.nodes.size() && !readOutside; ++i)
                if (!backboneA.contains(i))
                    for (const auto &in : g.nodes[i].inputs)
                        readOutside = readOutside || in == nameA;
            if (!readOutside) {
                g.initializers[nameA] = value;
                continue;
            }
            // A's head reads the same initializer (tied weights): it keeps A's value.
            const std::string copy = names.unique("fused/", nameA);
            g.initializers[copy] = value;
            g.initializerOrder.push_back(copy);
            for (std::size_t i : backboneA)
                for (auto &in : g.nodes[i].inputs)
                    if (in == nameA)
                        in = copy;
        }
    }

    // 3. B's head reads the shared backbone; its own names are kept unless they clash.
    const std::set<std::size_t> backboneB(match.nodesB.begin(), match.nodesB.end());
    std::unordered_map<std::string, std::string> mapped;
    auto mapB = [&](const std::string &n) -> std::string {
        if (n.empty())
            return n;
        if (auto it = mapped.find(n); it != mapped.end())
            return it->second;
        std::string to;
        if (auto it = match.valueBtoA.find(n); it != match.valueBtoA.end()) {
            to = aName(it->second);
        } else if (auto o = res.outputsB.find(n); o != res.outputsB.end()) {
            to = o->second;
        } else if (names.contains(n)) {
            to = names.unique("b/", n);
            res.renamedB[n] = to;
        } else {
            to = n;
            names.add(n);
        }
        mapped[n] = to;
        return to;
    };
    const auto prodB = producers(gb);
    auto copyInitializerB = [&](const std::string &n) {
        const Tensor *t = prodB.contains(n) ? nullptr : gb.initializer(n);
        if (!t || match.valueBtoA.contains(n))
            return;
        const bool fresh = !mapped.contains(n);
        const std::string to = mapB(n);
        if (fresh) {
            g.initializers[to] = *t;
            g.initializerOrder.push_back(to);
        }
    };
    for (std::size_t j = 0; j < gb.nodes.size(); ++j) {
        if (backboneB.contains(j))
            continue;
        const Node &nb = gb.nodes[j];
        if (hasSubgraph(nb))
            return fail("model B's head has a node with a subgraph (" + nb.opType + " node '" +
                            (nb.name.empty() ? nb.label() : nb.name) +
                            "'); fusion does not rename values inside subgraphs.",
                        Error::Code::Unsupported);
        Node n = nb;
        for (auto &in : n.inputs) {
            copyInitializerB(in);
            in = mapB(in);
        }
        for (auto &out : n.outputs)
            out = mapB(out);
        if (!n.name.empty()) {
            if (names.contains(n.name)) {
                const std::string to = names.unique("b/", n.name);
                res.renamedB[n.name] = to;
                n.name = to;
            } else {
                names.add(n.name);
            }
        }
        g.nodes.push_back(std::move(n));
    }
    for (const ValueInfo &v : gb.valueInfo)
        if (auto it = mapped.find(v.name);
            it != mapped.end() && !match.valueBtoA.contains(v.name)) {
            ValueInfo c = v;
            c.name = it->second;
            g.valueInfo.push_back(std::move(c));
        }

    // 4. Outputs: A's, then B's under their fused names (an Identity when B's output is a
    //    backbone value or an input).
    for (const ValueInfo &o : gb.outputs) {
        const std::string want = res.outputsB.at(o.name);
        copyInitializerB(o.name);
        const std::string have = mapB(o.name);
        if (have != want) {
            Node id;
            id.opType = "Identity";
            id.name = names.unique("fused/Identity_", want);
            id.inputs = {have};
            id.outputs = {want};
            g.nodes.push_back(std::move(id));
        }
        ValueInfo c = o;
        c.name = want;
        g.outputs.push_back(std::move(c));
    }
    fused->graph = std::move(g);

    // Validation: the engine must build it (every op supported, every name resolved).
    auto session = Session::create(fused, SessionOptions{1});
    if (!session)
        return fail("the fused model does not build: " + session.error().message,
                    session.error().code);
    res.model = std::move(fused);
    return res;
}

Result<std::vector<HeadPreview>> previewHeads(std::shared_ptr<const Model> separate,
                                              std::shared_ptr<const Model> fused,
                                              const std::filesystem::path &data,
                                              const std::map<std::string, std::string> &outputNames,
                                              const std::string &label, int64_t batchSize,
                                              int64_t limit, int threads, const Progress &progress)
{
    auto dsSep = openDataset(data, *separate);
    if (!dsSep)
        return fail("data for model " + label + ": " + dsSep.error().message, dsSep.error().code);
    DatasetSpec spec = (*dsSep)->spec();
    std::vector<std::size_t> heads; // label binding indices scored
    for (std::size_t l = 0; l < spec.labels.size(); ++l)
        if (spec.labels[l].metric != "agreement")
            heads.push_back(l);
    if (heads.empty())
        return fail("data '" + data.string() + "' labels none of model " + label +
                    "'s outputs, so its heads cannot be previewed.");
    DatasetSpec fusedSpec = spec;
    for (LabelBinding &lb : fusedSpec.labels)
        if (auto it = outputNames.find(lb.output); it != outputNames.end())
            lb.output = it->second;
    auto dsFused = bindDataset(fusedSpec, *fused);
    if (!dsFused)
        return fail("data for the fused model (" + label + "'s heads): " + dsFused.error().message,
                    dsFused.error().code);
    auto sSep = Session::create(separate, SessionOptions{threads});
    if (!sSep)
        return std::unexpected(sSep.error());
    auto sFused = Session::create(fused, SessionOptions{threads});
    if (!sFused)
        return std::unexpected(sFused.error());
    auto indexOf = [](const std::vector<std::string> &v, const std::string &n) -> int64_t {
        auto it = std::find(v.begin(), v.end(), n);
        return it == v.end() ? -1 : static_cast<int64_t>(it - v.begin());
    };
    const auto outsSep = sSep->outputNames(), outsFused = sFused->outputNames();
    std::vector<MetricAccumulator> accSep, accFused;
    std::vector<int64_t> agree(heads.size(), 0), positions(heads.size(), 0);
    for (std::size_t l : heads) {
        for (auto *acc : {&accSep, &accFused}) {
            MetricAccumulator m(spec.labels[l].metric);
            m.ignoreIndex = spec.labels[l].ignoreIndex;
            m.tagNames = spec.labels[l].tagNames;
            acc->push_back(std::move(m));
        }
    }
    const int64_t total = limit >= 0 ? std::min(limit, (*dsSep)->size()) : (*dsSep)->size();
    if (total <= 0)
        return fail("data '" + data.string() + "' gives no samples to preview model " + label +
                    "'s heads on (limit " + std::to_string(limit) + ", " +
                    std::to_string((*dsSep)->size()) + " samples).");
    const int64_t bs = std::max<int64_t>(1, batchSize);
    const int64_t batches = (total + bs - 1) / bs;
    for (int64_t start = 0, bi = 0; start < total; start += bs, ++bi) {
        if (progress.cancelled())
            return fail("the fusion preview was cancelled.", Error::Code::Cancelled);
        const int64_t count = std::min(bs, total - start);
        auto b1 = (*dsSep)->batch(start, count);
        if (!b1)
            return std::unexpected(b1.error());
        auto b2 = (*dsFused)->batch(start, count);
        if (!b2)
            return std::unexpected(b2.error());
        auto o1 = sSep->run(b1->inputs);
        if (!o1)
            return fail("model " + label + ": " + o1.error().message, o1.error().code);
        auto o2 = sFused->run(b2->inputs);
        if (!o2)
            return fail("the fused model: " + o2.error().message, o2.error().code);
        for (std::size_t h = 0; h < heads.size(); ++h) {
            const LabelBinding &lb = spec.labels[heads[h]];
            const int64_t i1 = indexOf(outsSep, lb.output);
            const int64_t i2 = indexOf(outsFused, fusedSpec.labels[heads[h]].output);
            if (i1 < 0 || i2 < 0)
                return fail("output '" + lb.output + "' is missing from the fused model.",
                            Error::Code::Internal);
            const Tensor &ys = (*o1)[static_cast<std::size_t>(i1)];
            const Tensor &yf = (*o2)[static_cast<std::size_t>(i2)];
            const Tensor &labels = b1->labels[heads[h]];
            accSep[h].add(ys, labels);
            accFused[h].add(yf, labels);
            const auto ps = argmaxLastAxis(ys), pf = argmaxLastAxis(yf);
            const auto lv = labels.toInt64Vector();
            const bool perPosition = lv.size() == ps.size() && labels.rank() >= 2;
            for (std::size_t k = 0; k < ps.size() && k < pf.size(); ++k) {
                if (perPosition && lv[k] == lb.ignoreIndex)
                    continue;
                agree[h] += ps[k] == pf[k];
                ++positions[h];
            }
        }
        progress.report(bi + 1, batches);
    }
    std::vector<HeadPreview> out;
    for (std::size_t h = 0; h < heads.size(); ++h) {
        HeadPreview p;
        p.model = label;
        p.output = spec.labels[heads[h]].output;
        p.fusedOutput = fusedSpec.labels[heads[h]].output;
        p.metric = spec.labels[heads[h]].metric;
        p.samples = total;
        p.separate = accSep[h].value();
        p.fused = accFused[h].value();
        p.deltaPp = (p.fused - p.separate) * 100.0;
        p.agreement = positions[h] ? double(agree[h]) / positions[h] : 1.0;
        out.push_back(std::move(p));
    }
    return out;
}

Result<FusionReport> fuseModels(const FusionRequest &request, const Progress &progress)
{
    if (request.out) {
        // The fused model replaces its file: never one of the models or data being read.
        std::vector<std::filesystem::path> inputs{request.modelA, request.modelB};
        for (const auto &d : {request.dataA, request.dataB})
            if (d)
                inputs.push_back(*d);
        for (const auto &in : inputs) {
            std::error_code ec;
            if (std::filesystem::exists(*request.out, ec) && std::filesystem::exists(in, ec) &&
                std::filesystem::equivalent(*request.out, in, ec))
                return fail("--out '" + request.out->string() + "' is the input '" +
                                in.string() + "'; choose another file for the fused model.",
                            Error::Code::Usage);
        }
    }
    auto ra = readModel(request.modelA);
    if (!ra)
        return std::unexpected(ra.error());
    auto rb = readModel(request.modelB);
    if (!rb)
        return std::unexpected(rb.error());
    auto a = std::make_shared<const Model>(std::move(*ra));
    auto b = std::make_shared<const Model>(std::move(*rb));
    auto match = matchBackbone(*a, *b);
    if (!match)
        return fail("cannot fuse '" + request.modelA.string() + "' and '" +
                        request.modelB.string() + "': " + match.error().message,
                    match.error().code);
    auto fused = buildFusedModel(*a, *b, *match, request.backbone);
    if (!fused)
        return std::unexpected(fused.error());
    FusionReport r;
    r.modelA = request.modelA.string();
    r.modelB = request.modelB.string();
    r.backbone = request.backbone;
    r.nodesA = static_cast<int64_t>(a->graph.nodes.size());
    r.nodesB = static_cast<int64_t>(b->graph.nodes.size());
    r.nodesFused = static_cast<int64_t>(fused->model->graph.nodes.size());
    r.backboneNodes = static_cast<int64_t>(match->nodesA.size());
    r.backboneComputeNodes = match->computeNodes;
    r.headInputsA = match->headInputsA;
    r.headInputsB = match->headInputsB;
    r.weights = match->weights;
    r.outputsB = fused->outputsB;
    r.renamedA = fused->renamedA;
    r.renamedB = fused->renamedB;
    r.costOptions = request.cost;
    std::shared_ptr<const Model> fm = fused->model;
    r.fused = fm;
    for (auto [m, cost] :
         {std::pair{a, &r.costA}, std::pair{b, &r.costB}, std::pair{fm, &r.costFused}}) {
        auto c = measureModelCost(m, request.cost);
        if (!c)
            return std::unexpected(c.error());
        *cost = std::move(*c);
    }
    if (request.dataA) {
        auto p = previewHeads(a, fm, *request.dataA, {}, "A", request.batchSize, request.limit,
                              request.threads, progress);
        if (!p)
            return std::unexpected(p.error());
        r.heads.insert(r.heads.end(), p->begin(), p->end());
    }
    if (request.dataB) {
        auto p = previewHeads(b, fm, *request.dataB, fused->outputsB, "B", request.batchSize,
                              request.limit, request.threads, progress);
        if (!p)
            return std::unexpected(p.error());
        r.heads.insert(r.heads.end(), p->begin(), p->end());
    }
    if (request.out) {
        if (auto w = writeModel(*fm, *request.out); !w)
            return std::unexpected(w.error());
        r.written = request.out;
    }
    return r;
}

} // namespace nnc
