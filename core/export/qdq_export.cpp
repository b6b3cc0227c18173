// QDQ and pruned-float export (see the header). The weight numbers come from
// compressLayerWeight, the function the evaluator uses; activation parameters from chooseParams
// on the plan's range, as the evaluator's fake-quantization observer does.
#include "core/export/qdq_export.h"

#include "core/eval/weight_compression.h"
#include "core/ops/op_table.h"
#include "core/stats/layers.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

namespace nnc {

namespace {

/// The lowest IR version that may carry an ai.onnx opset (onnx/helper.py VERSION_TABLE).
int64_t irVersionFor(int64_t opset)
{
    if (opset >= 21)
        return 10;
    if (opset >= 19)
        return 9;
    if (opset >= 15)
        return 8;
    if (opset >= 12)
        return 7;
    if (opset >= 11)
        return 6;
    if (opset >= 10)
        return 5;
    return 3;
}

void collectNames(const Graph &g, std::unordered_set<std::string> &names)
{
    for (const auto &name : g.initializerOrder)
        names.insert(name);
    for (const auto &v : g.inputs)
        names.insert(v.name);
    for (const auto &v : g.outputs)
        names.insert(v.name);
    for (const Node &n : g.nodes) {
        names.insert(n.name);
        for (const auto &s : n.inputs)
            names.insert(s);
        for (const auto &s : n.outputs)
            names.insert(s);
        for (const Attribute &a : n.attributes) {
            if (a.g)
                collectNames(*a.g, names);
            for (const auto &sg : a.graphs)
                if (sg)
                    collectNames(*sg, names);
        }
    }
}

/// Ops of the default domain whose kernel row differs between two opsets (or that the op table
/// does not know): raising the opset could change what they compute.
std::set<std::string> opsetRaiseBlockers(const Graph &g, int64_t from, int64_t to)
{
    std::set<std::string> out;
    forEachNode(g, [&](const Node &n, int) {
        if (!n.domain.empty() && n.domain != "ai.onnx")
            return;
        const OpEntry *a = findKernel("", n.opType, from);
        const OpEntry *b = findKernel("", n.opType, to);
        if (!a || a != b)
            out.insert(n.opType);
    });
    return out;
}

/// Free names a graph reads (inputs of its nodes not defined inside it, subgraphs included).
void readNames(const Graph &g, std::unordered_map<std::string, int> &reads)
{
    for (const Node &n : g.nodes) {
        for (const auto &s : n.inputs)
            if (!s.empty())
                ++reads[s];
        for (const Attribute &a : n.attributes) {
            if (a.g)
                readNames(*a.g, reads);
            for (const auto &sg : a.graphs)
                if (sg)
                    readNames(*sg, reads);
        }
    }
}

/// Replaces reads of `from` by `to` in every node of g and its subgraphs.
void renameReads(Graph &g, const std::string &from, const std::string &to)
{
    for (Node &n : g.nodes) {
        for (auto &s : n.inputs)
            if (s == from)
                s = to;
        for (Attribute &a : n.attributes) {
            if (a.g) {
                auto copy = std::make_shared<Graph>(*a.g);
                renameReads(*copy, from, to);
                a.g = copy;
            }
            for (auto &sg : a.graphs)
                if (sg) {
                    auto copy = std::make_shared<Graph>(*sg);
                    renameReads(*copy, from, to);
                    sg = copy;
                }
        }
    }
}

class Editor
{
public:
    explicit Editor(const Model &source) : m(source)
    {
        m.path.clear();
        collectNames(m.graph, m_names);
    }

    Model m;
    std::vector<Node> front;                                  // nodes placed first
    std::unordered_map<std::string, std::vector<Node>> after; // after the producer of a tensor

    std::string unique(const std::string &base)
    {
        std::string name = base;
        for (int k = 1; m_names.contains(name); ++k)
            name = base + "_" + std::to_string(k);
        m_names.insert(name);
        return name;
    }

    void addInitializer(const std::string &name, const Tensor &t)
    {
        // IR 3 wants every initializer listed as a graph input; from IR 4 it need not be, with
        // no other difference, so new initializers lift a model to IR 4.
        m.irVersion = std::max<int64_t>(m.irVersion, 4);
        m.graph.initializers[name] = t;
        m.graph.initializerOrder.push_back(name);
    }

    /// Removes what produced the constant `name` (an initializer, or a Constant/Identity/Cast/
    /// DequantizeLinear/Reshape chain), and whatever of that chain nothing else reads.
    void removeConstant(const std::string &name)
    {
        Graph &g = m.graph;
        if (g.initializers.contains(name)) {
            dropInitializer(name);
            return;
        }
        std::vector<std::string> work;
        for (std::size_t i = 0; i < g.nodes.size(); ++i)
            if (std::find(g.nodes[i].outputs.begin(), g.nodes[i].outputs.end(), name) !=
                g.nodes[i].outputs.end()) {
                work = g.nodes[i].inputs;
                g.nodes.erase(g.nodes.begin() + static_cast<std::ptrdiff_t>(i));
                break;
            }
        static const std::set<std::string> kConstOps{"Constant", "Identity", "Cast",
                                                     "DequantizeLinear", "Reshape"};
        while (!work.empty()) {
            const std::string n = work.back();
            work.pop_back();
            if (n.empty() || stillUsed(n))
                continue;
            if (g.initializers.contains(n)) {
                dropInitializer(n);
                continue;
            }
            for (std::size_t i = 0; i < g.nodes.size(); ++i) {
                const Node &node = g.nodes[i];
                if (!kConstOps.contains(node.opType) || node.outputs.size() != 1 ||
                    node.outputs[0] != n)
                    continue;
                work.insert(work.end(), node.inputs.begin(), node.inputs.end());
                g.nodes.erase(g.nodes.begin() + static_cast<std::ptrdiff_t>(i));
                break;
            }
        }
    }

    /// Node list: front, then every node followed by the nodes inserted after its outputs.
    void assemble()
    {
        std::vector<Node> nodes = std::move(front);
        for (Node &n : m.graph.nodes) {
            std::vector<std::string> outs = n.outputs;
            nodes.push_back(std::move(n));
            for (const auto &o : outs)
                if (auto it = after.find(o); it != after.end())
                    for (Node &x : it->second)
                        nodes.push_back(std::move(x));
        }
        m.graph.nodes = std::move(nodes);
    }

private:
    std::unordered_set<std::string> m_names;

    bool stillUsed(const std::string &name) const
    {
        std::unordered_map<std::string, int> reads;
        readNames(m.graph, reads);
        for (const auto &n : front)
            for (const auto &s : n.inputs)
                ++reads[s];
        if (reads.contains(name))
            return true;
        for (const auto &o : m.graph.outputs)
            if (o.name == name)
                return true;
        return false;
    }

    void dropInitializer(const std::string &name)
    {
        Graph &g = m.graph;
        g.initializers.erase(name);
        std::erase(g.initializerOrder, name);
        std::erase_if(g.inputs, [&](const ValueInfo &v) { return v.name == name; });
    }
};

Node makeNode(std::string name, std::string op, std::vector<std::string> inputs,
              std::vector<std::string> outputs)
{
    Node n;
    n.name = std::move(name);
    n.opType = std::move(op);
    n.inputs = std::move(inputs);
    n.outputs = std::move(outputs);
    return n;
}

Attribute intAttr(std::string name, int64_t v)
{
    Attribute a;
    a.name = std::move(name);
    a.kind = Attribute::Kind::Int;
    a.i = v;
    return a;
}

Attribute floatAttr(std::string name, float v)
{
    Attribute a;
    a.name = std::move(name);
    a.kind = Attribute::Kind::Float;
    a.f = v;
    return a;
}

/// The ONNX integer type holding [qmin, qmax] for b bits, and whether its saturation range is
/// exactly [qmin, qmax] (else a Clip confines values to the b-bit grid).
struct Storage
{
    DataType dtype = DataType::Undefined;
    bool exact = false;
};

Storage storageFor(const QuantParams &p, int bits, int64_t opset)
{
    Storage s;
    if (bits <= 8) {
        s.dtype = p.qmin < 0 ? DataType::Int8 : DataType::UInt8;
        s.exact = p.qmin < 0 ? (p.qmin == -128 && p.qmax == 127) : (p.qmin == 0 && p.qmax == 255);
    } else if (opset >= 21) {
        s.dtype = p.qmin < 0 ? DataType::Int16 : DataType::UInt16;
        s.exact =
            p.qmin < 0 ? (p.qmin == -32768 && p.qmax == 32767) : (p.qmin == 0 && p.qmax == 65535);
    }
    return s;
}

Tensor zeroPointTensor(DataType dtype, const std::vector<QuantParams> &params, bool perChannel)
{
    Tensor t(dtype, perChannel ? Dims{static_cast<int64_t>(params.size())} : Dims{});
    for (std::size_t c = 0; c < (perChannel ? params.size() : 1); ++c) {
        const int32_t z = params[c].zeroPoint;
        switch (dtype) {
        case DataType::Int8:
            t.mutableData<int8_t>()[c] = static_cast<int8_t>(z);
            break;
        case DataType::UInt8:
            t.mutableData<uint8_t>()[c] = static_cast<uint8_t>(z);
            break;
        case DataType::Int16:
            t.mutableData<int16_t>()[c] = static_cast<int16_t>(z);
            break;
        default:
            t.mutableData<uint16_t>()[c] = static_cast<uint16_t>(z);
            break;
        }
    }
    return t;
}

/// The integer weight for DequantizeLinear, checked value by value: DequantizeLinear of the
/// stored integers (float(q - Z) * S) must equal the evaluator's fake-quantized weight bit for
/// bit, or the export fails instead of writing a model that does not match.
Result<Tensor> integerWeight(const CompressedWeight &cw, DataType dtype, const std::string &layer)
{
    const Tensor &src = cw.pruned;
    Tensor q(dtype, src.dims());
    const int64_t n = src.numel();
    int64_t inner = 1, channels = 1;
    if (cw.axis >= 0) {
        channels = src.dim(cw.axis);
        for (int64_t d = cw.axis + 1; d < src.rank(); ++d)
            inner *= src.dim(d);
    }
    const float *in = src.data<float>();
    const float *expect = cw.weight.data<float>();
    for (int64_t i = 0; i < n; ++i) {
        const QuantParams &p =
            cw.params[static_cast<std::size_t>(cw.axis >= 0 ? (i / inner) % channels : 0)];
        const int32_t v = quantizeValue(in[i], p);
        const float back = dequantizeValue(v, p);
        if (std::memcmp(&back, &expect[i], sizeof(float)) != 0)
            return fail("layer '" + layer + "': the stored integer of weight element " +
                            std::to_string(i) + " does not dequantize to the previewed value.",
                        Error::Code::Internal);
        switch (dtype) {
        case DataType::Int8:
            q.mutableData<int8_t>()[i] = static_cast<int8_t>(v);
            break;
        case DataType::UInt8:
            q.mutableData<uint8_t>()[i] = static_cast<uint8_t>(v);
            break;
        case DataType::Int16:
            q.mutableData<int16_t>()[i] = static_cast<int16_t>(v);
            break;
        default:
            q.mutableData<uint16_t>()[i] = static_cast<uint16_t>(v);
            break;
        }
    }
    return q;
}

struct PlannedWeight
{
    const Layer *layer = nullptr;
    CompressedWeight cw;
};

/// Compressed weights of every layer the plan changes, by weight tensor name (a weight read by
/// several layers takes the last layer's setting, as in the evaluator).
Result<std::vector<PlannedWeight>> planWeights(const Model &model, const std::vector<Layer> &layers,
                                               const CompressionPlan &plan, bool quantize,
                                               std::vector<std::string> &notes)
{
    std::vector<PlannedWeight> out;
    std::map<std::string, std::size_t> byName;
    for (const Layer &l : layers) {
        QuantConfig q = plan.weightConfig(l.name);
        const PruneConfig p = plan.pruneConfig(l.name);
        if (!quantize)
            q.enabled = false;
        if (!q.enabled && !p.enabled())
            continue;
        if (l.op == "MatMulInteger" || l.op == "ConvInteger") {
            notes.push_back("layer '" + l.name + "' (" + l.op +
                            ") already stores integer weights for an integer op; left as it is.");
            continue;
        }
        auto cw = compressLayerWeight(model, l, q, p);
        if (!cw)
            return std::unexpected(cw.error());
        PlannedWeight pw{&l, std::move(*cw)};
        if (auto it = byName.find(l.weight); it != byName.end()) {
            notes.push_back("weight '" + l.weight + "' is shared by layers '" +
                            out[it->second].layer->name + "' and '" + l.name +
                            "'; the last one's setting applies, as in the preview.");
            out[it->second] = std::move(pw);
        } else {
            byName[l.weight] = out.size();
            out.push_back(std::move(pw));
        }
    }
    return out;
}

Result<void> checkPlan(const std::vector<Layer> &layers, const CompressionPlan &plan)
{
    return validatePlan(plan, layers, activationTensors(layers));
}

void recordPlan(Model &m, const CompressionPlan &plan, const char *format)
{
    m.metadata["nncompress.plan"] = planToJson(plan);
    m.metadata["nncompress.format"] = format;
}

/// The dtype of a main-graph activation as far as the model tells without running it: declared
/// (input, value_info, output), or evident from its producer (QuantizeLinear,
/// DynamicQuantizeLinear, Cast) or consumer (MatMulInteger/ConvInteger read integers). Undefined
/// when nothing tells; such tensors are data inputs of float layers and taken as float.
DataType knownType(const Model &m, const std::vector<Layer> &layers, const std::string &name)
{
    const Graph &g = m.graph;
    for (const auto *list : {&g.inputs, &g.valueInfo, &g.outputs})
        for (const ValueInfo &v : *list)
            if (v.name == name && v.dtype != DataType::Undefined)
                return v.dtype;
    if (const Tensor *t = g.initializer(name))
        return t->dtype();
    for (const Node &n : g.nodes) {
        if (n.outputs.empty() || n.outputs[0] != name)
            continue;
        if (n.opType == "DynamicQuantizeLinear")
            return DataType::UInt8;
        if (n.opType == "QuantizeLinear")
            return DataType::UInt8; // or int8: integer either way
        if (n.opType == "Cast")
            return dtypeFromOnnx(static_cast<int32_t>(n.attrInt("to", 1)))
                .value_or(DataType::Undefined);
    }
    for (const Layer &l : layers)
        if ((l.op == "MatMulInteger" || l.op == "ConvInteger") &&
            std::find(l.activationInputs.begin(), l.activationInputs.end(), name) !=
                l.activationInputs.end())
            return DataType::UInt8;
    return DataType::Undefined;
}

} // namespace

std::vector<std::string> missingActivationRanges(const Model &model, const CompressionPlan &plan)
{
    std::vector<std::string> out;
    for (const auto &t : activationTensors(findLayers(model))) {
        const QuantConfig q = plan.activationConfig(t);
        if (q.enabled && !q.range)
            out.push_back(t);
    }
    return out;
}

CompressionPlan prunedPreviewPlan(CompressionPlan plan, bool fakeQuantizeWeights)
{
    plan.activationDefaults.enabled = false;
    for (auto &[name, o] : plan.activations)
        o.enabled = false;
    if (!fakeQuantizeWeights) {
        plan.weightDefaults.enabled = false;
        for (auto &[name, o] : plan.layers)
            o.weights.enabled = false;
    }
    return plan;
}

Result<ExportResult> exportQdq(const Model &model, const CompressionPlan &plan)
{
    const std::vector<Layer> layers = findLayers(model);
    if (auto r = checkPlan(layers, plan); !r)
        return std::unexpected(r.error());
    if (const auto missing = missingActivationRanges(model, plan); !missing.empty()) {
        std::string list;
        for (const auto &t : missing)
            list += (list.empty() ? "'" : ", '") + t + "'";
        return fail("activation tensors " + list +
                    " have no range in the plan: calibrate first (export --data, or nncompress "
                    "calibrate).");
    }
    ExportResult res;
    auto weights = planWeights(model, layers, plan, true, res.notes);
    if (!weights)
        return std::unexpected(weights.error());

    // Which QDQ features are needed, and the opset they need.
    bool anyQdq = false, perChannel = false;
    const int64_t opset = model.opset("");
    for (const PlannedWeight &w : *weights)
        if (!w.cw.params.empty() &&
            (plan.weightConfig(w.layer->name).spec.bits <= 8 || opset >= 21)) {
            anyQdq = true;
            perChannel = perChannel || w.cw.axis >= 0;
        }
    std::vector<std::pair<std::string, QuantParams>> acts;
    for (const auto &t : activationTensors(layers)) {
        const QuantConfig q = plan.activationConfig(t);
        if (!q.enabled)
            continue;
        const DataType dt = knownType(model, layers, t);
        if (dt != DataType::Undefined && dt != DataType::Float) {
            res.notes.push_back(
                "activation tensor '" + t + "' holds " + std::string(dtypeName(dt)) +
                " values, not float; it is not quantized (nor is it in the preview).");
            continue;
        }
        acts.emplace_back(t, chooseParams(q.spec, q.range->rmin, q.range->rmax));
        anyQdq = true;
    }
    int64_t needed = perChannel ? 13 : anyQdq ? 10 : 0;
    // ONNX Runtime's QDQ fusions (e.g. MatMul+Add) insert opset-11 ops such as Round, and then
    // reject an opset-10 model: prefer 11 whenever that changes no op of the model.
    const bool prefer11 =
        needed == 10 && opset < 11 && opsetRaiseBlockers(model.graph, opset, 11).empty();
    if (prefer11)
        needed = 11;
    Editor ed(model);
    if (opset < needed) {
        const auto blockers = opsetRaiseBlockers(model.graph, opset, needed);
        if (!blockers.empty()) {
            std::string list;
            for (const auto &b : blockers)
                list += (list.empty() ? "" : ", ") + b;
            return fail("the model uses ai.onnx opset " + std::to_string(opset) + "; " +
                            (perChannel ? "per-channel DequantizeLinear needs opset 13"
                                        : "QuantizeLinear/DequantizeLinear need opset 10") +
                            ", and raising it could change what these ops compute: " + list + "." +
                            (perChannel ? " Set the weights' granularity to per_tensor in the plan"
                                          " (opset 10 suffices) or convert the model's opset first."
                                        : " Convert the model's opset first."),
                        Error::Code::Unsupported);
        }
        ed.m.opsets[""] = needed;
        ed.m.irVersion = std::max(ed.m.irVersion, irVersionFor(needed));
        res.notes.push_back("the ai.onnx opset was raised from " + std::to_string(opset) + " to " +
                            std::to_string(needed) + " (no op of the model changes meaning" +
                            (prefer11
                                 ? "; 11 rather than 10 because ONNX Runtime's QDQ fusions add "
                                   "opset-11 ops)."
                                 : ")."));
    }
    const int64_t newOpset = ed.m.opset("");

    // Weights: integers behind DequantizeLinear (or float values when no type holds them).
    for (const PlannedWeight &w : *weights) {
        const Layer &l = *w.layer;
        ed.removeConstant(l.weight);
        const int bits = plan.weightConfig(l.name).spec.bits;
        const Storage st =
            w.cw.params.empty() ? Storage{} : storageFor(w.cw.params.front(), bits, newOpset);
        if (w.cw.params.empty() || st.dtype == DataType::Undefined) {
            if (!w.cw.params.empty())
                res.notes.push_back("layer '" + l.name + "': " + std::to_string(bits) +
                                    "-bit weights are stored as float values on the " +
                                    std::to_string(bits) +
                                    "-bit grid: 16-bit DequantizeLinear needs opset 21.");
            ed.addInitializer(l.weight, w.cw.weight);
            continue;
        }
        auto q = integerWeight(w.cw, st.dtype, l.name);
        if (!q)
            return std::unexpected(q.error());
        const bool pc = w.cw.axis >= 0;
        Tensor scale(DataType::Float, pc ? Dims{static_cast<int64_t>(w.cw.params.size())} : Dims{});
        for (std::size_t c = 0; c < (pc ? w.cw.params.size() : 1); ++c)
            scale.mutableData<float>()[c] = w.cw.params[c].scale;
        const std::string qName = ed.unique(l.weight + "_quantized");
        const std::string sName = ed.unique(l.weight + "_scale");
        const std::string zName = ed.unique(l.weight + "_zero_point");
        ed.addInitializer(qName, *q);
        ed.addInitializer(sName, scale);
        ed.addInitializer(zName, zeroPointTensor(st.dtype, w.cw.params, pc));
        Node dq = makeNode(ed.unique(l.weight + "_DequantizeLinear"), "DequantizeLinear",
                           {qName, sName, zName}, {l.weight});
        if (pc)
            dq.attributes.push_back(intAttr("axis", w.cw.axis));
        ed.front.push_back(std::move(dq));
    }

    // Activations: QuantizeLinear -> DequantizeLinear (-> Clip) in place of the tensor.
    for (const auto &[t, p] : acts) {
        const int bits = plan.activationConfig(t).spec.bits;
        const Storage st = storageFor(p, bits, newOpset);
        if (st.dtype == DataType::Undefined)
            return fail("activation tensor '" + t + "': " + std::to_string(bits) +
                            "-bit activations need 16-bit QuantizeLinear, which needs opset 21 "
                            "(the model has " +
                            std::to_string(newOpset) + ").",
                        Error::Code::Unsupported);
        Graph &g = ed.m.graph;
        std::vector<Node> chain;
        std::string source = t; // what QuantizeLinear reads
        std::string result = t; // the name readers see
        Node *producer = nullptr;
        for (Node &n : g.nodes)
            for (auto &o : n.outputs)
                if (o == t)
                    producer = &n;
        if (producer) {
            source = ed.unique(t + "_float");
            for (auto &o : producer->outputs)
                if (o == t)
                    o = source;
        } else {
            result = ed.unique(t + "_quantized_value");
            renameReads(g, t, result);
        }
        Tensor scale(DataType::Float, {});
        scale.mutableData<float>()[0] = p.scale;
        const std::string sName = ed.unique(t + "_scale");
        const std::string zName = ed.unique(t + "_zero_point");
        const std::string qName = ed.unique(t + "_quantized");
        ed.addInitializer(sName, scale);
        ed.addInitializer(zName, zeroPointTensor(st.dtype, {p}, false));
        chain.push_back(makeNode(ed.unique(t + "_QuantizeLinear"), "QuantizeLinear",
                                 {source, sName, zName}, {qName}));
        if (st.exact) {
            chain.push_back(makeNode(ed.unique(t + "_DequantizeLinear"), "DequantizeLinear",
                                     {qName, sName, zName}, {result}));
        } else {
            // The integer type saturates to a wider range than b bits: confine the dequantized
            // value to [S(qmin - Z), S(qmax - Z)], computed exactly as DequantizeLinear does.
            const std::string dqName = ed.unique(t + "_dequantized");
            chain.push_back(makeNode(ed.unique(t + "_DequantizeLinear"), "DequantizeLinear",
                                     {qName, sName, zName}, {dqName}));
            const float lo = dequantizeValue(p.qmin, p), hi = dequantizeValue(p.qmax, p);
            Node clip = makeNode(ed.unique(t + "_Clip"), "Clip", {dqName}, {result});
            if (newOpset >= 11) {
                const std::string loName = ed.unique(t + "_clip_min"),
                                  hiName = ed.unique(t + "_clip_max");
                Tensor a(DataType::Float, {}), b(DataType::Float, {});
                a.mutableData<float>()[0] = lo;
                b.mutableData<float>()[0] = hi;
                ed.addInitializer(loName, a);
                ed.addInitializer(hiName, b);
                clip.inputs.push_back(loName);
                clip.inputs.push_back(hiName);
            } else {
                clip.attributes.push_back(floatAttr("min", lo));
                clip.attributes.push_back(floatAttr("max", hi));
            }
            chain.push_back(std::move(clip));
        }
        if (producer) {
            auto &slot = ed.after[source];
            for (Node &n : chain)
                slot.push_back(std::move(n));
        } else {
            for (Node &n : chain)
                ed.front.push_back(std::move(n));
        }
    }
    ed.assemble();
    recordPlan(ed.m, plan, "qdq");
    res.model = std::move(ed.m);
    return res;
}

Result<ExportResult> exportPruned(const Model &model, const CompressionPlan &plan,
                                  bool fakeQuantizeWeights)
{
    const std::vector<Layer> layers = findLayers(model);
    if (auto r = checkPlan(layers, plan); !r)
        return std::unexpected(r.error());
    ExportResult res;
    auto weights = planWeights(model, layers, plan, fakeQuantizeWeights, res.notes);
    if (!weights)
        return std::unexpected(weights.error());
    Editor ed(model);
    for (const PlannedWeight &w : *weights) {
        const std::string &name = w.layer->weight;
        if (auto it = ed.m.graph.initializers.find(name); it != ed.m.graph.initializers.end()) {
            it->second = w.cw.weight; // same name, same place in the file
            continue;
        }
        ed.removeConstant(name);
        ed.addInitializer(name, w.cw.weight);
    }
    bool actsEnabled = false;
    for (const auto &t : activationTensors(layers))
        actsEnabled = actsEnabled || plan.activationConfig(t).enabled;
    if (actsEnabled)
        res.notes.push_back(
            "activation quantization is not part of the pruned format; use --format qdq to "
            "include it.");
    ed.assemble();
    recordPlan(ed.m, plan, fakeQuantizeWeights ? "pruned+fakequant" : "pruned");
    res.model = std::move(ed.m);
    return res;
}

} // namespace nnc
