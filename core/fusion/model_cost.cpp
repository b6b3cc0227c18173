// Parameters, bytes and multiply-accumulates of a model (see model_cost.h for the rules).
#include "core/fusion/model_cost.h"

#include "core/runtime/session.h"

#include <unordered_map>

namespace nnc {

namespace {

// Parameters are the floating-point initializers (the trained weights). Constant nodes hold
// shapes, axes and scalars in exported graphs (LayerNorm's epsilon, a Pow exponent): their bytes
// count, their elements are not parameters.
void addGraphParameters(const Graph &g, ModelCost &cost)
{
    for (const auto &[name, t] : g.initializers) {
        if (t.dtype() == DataType::String)
            continue;
        if (isFloatingPoint(t.dtype()))
            cost.parameters += t.numel();
        cost.bytes += static_cast<int64_t>(t.byteSize());
    }
    for (const Node &n : g.nodes) {
        if (n.opType == "Constant" && n.domain.empty()) {
            for (const Attribute &a : n.attributes) {
                if (a.kind == Attribute::Kind::Tensor && !a.t.empty() &&
                    a.t.dtype() != DataType::String) {
                    cost.bytes += static_cast<int64_t>(a.t.byteSize());
                } else if (a.kind == Attribute::Kind::Floats) {
                    cost.bytes += static_cast<int64_t>(a.floats.size() * sizeof(float));
                } else if (a.kind == Attribute::Kind::Float) {
                    cost.bytes += sizeof(float);
                } else if (a.kind == Attribute::Kind::Ints) {
                    cost.bytes += static_cast<int64_t>(a.ints.size() * sizeof(int64_t));
                } else if (a.kind == Attribute::Kind::Int) {
                    cost.bytes += sizeof(int64_t);
                }
            }
        }
        for (const Attribute &a : n.attributes) {
            if (a.g)
                addGraphParameters(*a.g, cost);
            for (const auto &sg : a.graphs)
                if (sg)
                    addGraphParameters(*sg, cost);
        }
    }
}

/// Records the dims of every tensor a run sees (no data kept).
class ShapeRecorder final : public TensorObserver
{
public:
    std::unordered_map<std::string, Dims> dims;
    std::optional<Tensor> observe(const std::string &name, const Tensor &value) override
    {
        dims[name] = value.dims();
        return std::nullopt;
    }
};

Result<Tensor> placeholderInput(const ValueInfo &vi, const CostOptions &options)
{
    if (!vi.hasShape)
        return fail("input '" + vi.name +
                    "' declares no shape, so the multiply-accumulates cannot be counted.");
    Dims dims;
    // The probe allocates the input: its size is checked before (no int64 overflow, no
    // allocation failure escaping as an exception).
    constexpr int64_t kMaxElements = int64_t{1} << 28;
    int64_t elements = 1;
    for (std::size_t i = 0; i < vi.shape.size(); ++i) {
        const int64_t d = vi.shape[i].isFixed() ? vi.shape[i].value
                                                : (i == 0 ? options.batch : options.sequence);
        if (d < 0)
            return fail("input '" + vi.name + "' declares the negative dimension " +
                        std::to_string(d) + ".");
        if (d > 0 && elements > kMaxElements / d)
            return fail("input '" + vi.name + "' would have more than " +
                            std::to_string(kMaxElements) +
                            " elements at the counting shape (batch " +
                            std::to_string(options.batch) + ", sequence " +
                            std::to_string(options.sequence) +
                            "); count the multiply-accumulates at a smaller batch or sequence.",
                        Error::Code::Usage);
        elements = d == 0 ? 0 : elements * d;
        dims.push_back(d);
    }
    if (vi.dtype == DataType::String || vi.dtype == DataType::Undefined)
        return fail("input '" + vi.name + "' has type " + std::string(dtypeName(vi.dtype)) +
                    ", which the cost probe cannot feed.");
    Tensor t(vi.dtype, dims);
    if (isInteger(vi.dtype) || vi.dtype == DataType::Bool) {
        // Ones: a valid token id, a "real token" mask value, true for booleans.
        auto bytes = t.mutableBytes();
        const std::size_t es = dtypeSize(vi.dtype);
        for (std::size_t i = 0; i < bytes.size(); i += es)
            bytes[i] = std::byte{1}; // little-endian: the low byte holds the 1
    }
    return t;
}

int64_t dimsNumel(const Dims &d)
{
    return numElements(d);
}

} // namespace

ModelCost countParameters(const Model &model)
{
    ModelCost cost;
    addGraphParameters(model.graph, cost);
    return cost;
}

Result<ModelCost> measureModelCost(std::shared_ptr<const Model> model, const CostOptions &options)
{
    if (!model)
        return fail("no model to measure.", Error::Code::Internal);
    if (options.batch < 1 || options.sequence < 1)
        return fail("the batch size and sequence length for counting must be at least 1.",
                    Error::Code::Usage);
    ModelCost cost = countParameters(*model);
    auto session = Session::create(model, SessionOptions{options.threads});
    if (!session)
        return std::unexpected(session.error());
    const Graph &g = model->graph;
    std::vector<Tensor> inputs;
    for (const std::string &name : session->inputNames()) {
        const ValueInfo *vi = nullptr;
        for (const ValueInfo *d : g.dataInputs())
            if (d->name == name)
                vi = d;
        if (!vi)
            return fail("input '" + name + "' is not declared.", Error::Code::Internal);
        auto t = placeholderInput(*vi, options);
        if (!t)
            return std::unexpected(t.error());
        inputs.push_back(std::move(*t));
    }
    ShapeRecorder rec;
    RunOptions ro;
    ro.observer = &rec;
    if (auto r = session->run(inputs, ro); !r)
        return fail("counting the multiply-accumulates of '" + model->path.string() +
                    "' needs one run on placeholder inputs, which failed: " + r.error().message);
    auto shapeOf = [&](const std::string &name) -> const Dims * {
        if (name.empty())
            return nullptr;
        if (auto it = rec.dims.find(name); it != rec.dims.end())
            return &it->second;
        if (const Tensor *t = g.initializer(name))
            return &t->dims();
        return nullptr;
    };
    for (const Node &n : g.nodes) {
        if (!n.domain.empty())
            continue;
        int64_t macs = 0;
        const std::string &op = n.opType;
        const Dims *x = n.inputs.empty() ? nullptr : shapeOf(n.inputs[0]);
        const Dims *w = n.inputs.size() > 1 ? shapeOf(n.inputs[1]) : nullptr;
        const Dims *y = n.outputs.empty() ? nullptr : shapeOf(n.outputs[0]);
        if ((op == "Conv" || op == "ConvInteger") && w && y && !w->empty() && (*w)[0] > 0) {
            macs = dimsNumel(*y) * (dimsNumel(*w) / (*w)[0]);
        } else if (op == "ConvTranspose" && x && w && !w->empty() && (*w)[0] > 0) {
            macs = dimsNumel(*x) * (dimsNumel(*w) / (*w)[0]);
        } else if (op == "Gemm" && x && y && x->size() == 2) {
            const int64_t k = n.attrInt("transA", 0) ? (*x)[0] : (*x)[1];
            macs = dimsNumel(*y) * k;
        } else if ((op == "MatMul" || op == "MatMulInteger") && x && y && !x->empty()) {
            macs = dimsNumel(*y) * x->back();
        } else if ((op == "GRU" || op == "LSTM" || op == "RNN") && x && w && x->size() == 3) {
            const Dims *r = n.inputs.size() > 2 ? shapeOf(n.inputs[2]) : nullptr;
            if (r) {
                // layout 0: X [seq, batch, input]; layout 1: [batch, seq, input]
                const int64_t steps = (*x)[0], batch = (*x)[1];
                macs = steps * batch * (dimsNumel(*w) + dimsNumel(*r));
            }
        } else {
            continue;
        }
        cost.macs += macs;
        cost.macsByOp[op] += macs;
    }
    return cost;
}

} // namespace nnc
