// Finding compressible layers, resolving their constant weights to a float view, and weight
// statistics.
#include "core/stats/layers.h"

#include <cmath>
#include <limits>
#include <unordered_map>

namespace nnc {

namespace {

/// Where each tensor of the main graph comes from, for constant resolution.
struct ConstIndex
{
    const Model &model;
    std::unordered_map<std::string, const Node *> producer;

    explicit ConstIndex(const Model &m) : model(m)
    {
        for (const Node &n : m.graph.nodes)
            for (const auto &o : n.outputs)
                producer[o] = &n;
    }

    /// True when `name` is an initializer, a Constant output, or Identity/Cast/DequantizeLinear/
    /// Reshape/Transpose... of constants. Kept to the ops the guide lists.
    bool isConstant(const std::string &name, int depth = 0) const
    {
        if (name.empty() || depth > 8)
            return false;
        // Initializers count as constants even when also listed as graph inputs (IR 4 PyTorch
        // exports list every weight there as an overridable default).
        if (model.graph.initializer(name))
            return true;
        auto it = producer.find(name);
        if (it == producer.end())
            return false;
        const Node &n = *it->second;
        if (n.opType == "Constant")
            return true;
        if (n.opType == "Identity" || n.opType == "Cast")
            return isConstant(n.inputs[0], depth + 1);
        if (n.opType == "DequantizeLinear" || n.opType == "Reshape") {
            // Reshape of a constant (CNTK's MatMul weights) is a constant with a new shape.
            for (const auto &in : n.inputs)
                if (!in.empty() && !isConstant(in, depth + 1))
                    return false;
            return true;
        }
        return false;
    }

    const Node *quantizedSource(const std::string &name) const
    {
        auto it = producer.find(name);
        if (it != producer.end() && it->second->opType == "DequantizeLinear")
            return it->second;
        return nullptr;
    }
};

Result<Tensor> constantValue(const Node &n)
{
    for (const Attribute &a : n.attributes) {
        if (a.name == "value" && a.kind == Attribute::Kind::Tensor)
            return a.t;
        if (a.name == "value_float")
            return Tensor::fromVector<float>({}, {a.f});
        if (a.name == "value_floats")
            return Tensor::fromVector<float>({static_cast<int64_t>(a.floats.size())}, a.floats);
        if (a.name == "value_int")
            return Tensor::fromVector<int64_t>({}, {a.i});
        if (a.name == "value_ints")
            return Tensor::fromVector<int64_t>({static_cast<int64_t>(a.ints.size())}, a.ints);
    }
    return fail("Constant node " + n.label() + " has no numeric value.");
}

/// Dequantizes x with per-tensor or per-axis scale / zero point (DequantizeLinear semantics).
Tensor dequantize(const Tensor &x, const Tensor &scale, const Tensor *zp, int64_t axis)
{
    Tensor out(DataType::Float, x.dims());
    float *o = out.mutableData<float>();
    const int64_t n = x.numel();
    if (scale.numel() <= 1) {
        const double s = scale.numel() ? scale.valueAsDouble(0) : 1.0;
        const double z = zp && zp->numel() ? zp->valueAsDouble(0) : 0.0;
        for (int64_t i = 0; i < n; ++i)
            o[i] = static_cast<float>((x.valueAsDouble(i) - z) * s);
        return out;
    }
    const int64_t rank = x.rank();
    const int64_t ax = axis < 0 ? axis + rank : axis;
    int64_t inner = 1;
    for (int64_t d = ax + 1; d < rank; ++d)
        inner *= x.dim(d);
    const int64_t channels = x.dim(ax);
    for (int64_t i = 0; i < n; ++i) {
        const int64_t c = (i / inner) % channels;
        const double z = zp && zp->numel() > c ? zp->valueAsDouble(c) : 0.0;
        o[i] = static_cast<float>((x.valueAsDouble(i) - z) * scale.valueAsDouble(c));
    }
    return out;
}

Result<Tensor> resolve(const ConstIndex &idx, const std::string &name, int depth = 0)
{
    if (depth > 8)
        return fail("tensor '" + name + "' is not a constant.");
    if (const Tensor *t = idx.model.graph.initializer(name))
        return *t;
    auto it = idx.producer.find(name);
    if (it == idx.producer.end())
        return fail("tensor '" + name + "' is not a constant.");
    const Node &n = *it->second;
    if (n.opType == "Constant")
        return constantValue(n);
    if (n.opType == "Identity")
        return resolve(idx, n.inputs[0], depth + 1);
    if (n.opType == "Cast") {
        auto x = resolve(idx, n.inputs[0], depth + 1);
        if (!x)
            return x;
        const auto to = dtypeFromOnnx(static_cast<int32_t>(n.attrInt("to", 1)));
        return to ? x->castTo(*to) : x->castTo(DataType::Float);
    }
    if (n.opType == "DequantizeLinear") {
        auto x = resolve(idx, n.inputs[0], depth + 1);
        if (!x)
            return x;
        auto s = resolve(idx, n.inputs[1], depth + 1);
        if (!s)
            return s;
        std::optional<Tensor> zp;
        if (n.hasInput(2)) {
            auto z = resolve(idx, n.inputs[2], depth + 1);
            if (!z)
                return z;
            zp = *z;
        }
        return dequantize(*x, *s, zp ? &*zp : nullptr, n.attrInt("axis", 1));
    }
    if (n.opType == "Reshape" && n.hasInput(1)) {
        auto x = resolve(idx, n.inputs[0], depth + 1);
        if (!x)
            return x;
        auto shape = resolve(idx, n.inputs[1], depth + 1);
        if (!shape)
            return shape;
        Dims dims = shape->toInt64Vector();
        const bool allowZero = n.attrInt("allowzero", 0) != 0;
        int64_t known = 1, infer = -1;
        for (std::size_t i = 0; i < dims.size(); ++i) {
            if (dims[i] == 0 && !allowZero && i < x->dims().size())
                dims[i] = x->dims()[i];
            if (dims[i] == -1)
                infer = static_cast<int64_t>(i);
            else
                known *= dims[i];
        }
        if (infer >= 0 && known > 0)
            dims[static_cast<std::size_t>(infer)] = x->numel() / known;
        if (numElements(dims) != x->numel())
            return fail("tensor '" + name + "' reshapes " + dimsToString(x->dims()) + " to "
                        + dimsToString(dims) + ".");
        return x->reshaped(dims);
    }
    return fail("tensor '" + name + "' is not a constant.");
}

int64_t weightParams(const Dims &d)
{
    return numElements(d);
}

} // namespace

std::vector<Layer> findLayers(const Model &model)
{
    const ConstIndex idx(model);
    std::vector<Layer> layers;
    std::unordered_map<std::string, int> opCounter;
    auto add = [&](std::size_t nodeIndex, const Node &n, const std::string &weight, int axis,
                   std::vector<std::string> acts, const std::string &suffix) {
        Layer l;
        const int k = opCounter[n.opType]++;
        l.name = (n.name.empty() ? n.opType + "_" + std::to_string(k) : n.name) + suffix;
        l.op = n.opType;
        l.weight = weight;
        l.nodeIndex = nodeIndex;
        l.channelAxis = axis;
        l.activationInputs = std::move(acts);
        if (auto w = resolve(idx, weight)) {
            l.shape = w->dims();
            l.storedType = w->dtype();
        }
        l.params = weightParams(l.shape);
        if (const Node *dq = idx.quantizedSource(weight)) {
            l.storedQuantized = true;
            if (auto raw = resolve(idx, dq->inputs[0]))
                l.storedType = raw->dtype();
            l.channelAxis = axis;
        }
        if (n.opType == "MatMulInteger" || n.opType == "ConvInteger")
            l.storedQuantized = true;
        // Negative axes (MatMul's last axis) become absolute once the rank is known.
        if (l.channelAxis < 0)
            l.channelAxis += static_cast<int>(l.shape.size());
        if (l.channelAxis < 0)
            l.channelAxis = 0;
        layers.push_back(std::move(l));
    };
    const auto &nodes = model.graph.nodes;
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        const Node &n = nodes[i];
        if (!n.domain.empty())
            continue;
        auto in = [&](std::size_t k) { return n.hasInput(k) ? n.inputs[k] : std::string(); };
        const std::string &op = n.opType;
        if ((op == "Conv" || op == "ConvTranspose") && idx.isConstant(in(1))) {
            add(i, n, in(1), op == "Conv" ? 0 : 1, {in(0)}, "");
        } else if (op == "Gemm") {
            if (idx.isConstant(in(1)))
                add(i, n, in(1), n.attrInt("transB", 0) ? 0 : 1, {in(0)}, "");
        } else if (op == "MatMul" || op == "MatMulInteger") {
            if (idx.isConstant(in(1)) && !idx.isConstant(in(0)))
                add(i, n, in(1), -1, {in(0)}, "");
            else if (idx.isConstant(in(0)) && !idx.isConstant(in(1)))
                add(i, n, in(0), -2, {in(1)}, "");
        } else if (op == "ConvInteger" && idx.isConstant(in(1))) {
            add(i, n, in(1), 0, {in(0)}, "");
        } else if ((op == "LSTM" || op == "GRU" || op == "RNN") && idx.isConstant(in(1))) {
            add(i, n, in(1), 1, {in(0)}, "");
            if (idx.isConstant(in(2)))
                add(i, n, in(2), 1, {}, ":R");
        } else if (op == "Gather" && idx.isConstant(in(0)) && !idx.isConstant(in(1))) {
            add(i, n, in(0), 0, {}, "");
        }
    }
    return layers;
}

Result<Tensor> layerWeight(const Model &model, const Layer &layer)
{
    const ConstIndex idx(model);
    auto w = resolve(idx, layer.weight);
    if (!w)
        return w;
    if (layer.op == "MatMulInteger" || layer.op == "ConvInteger") {
        // Integer weights with a separate zero point and (by ONNX Runtime's naming convention)
        // a scale "<base>_scale" applied after the op; without one the integer grid is shown.
        const Node &n = model.graph.nodes[layer.nodeIndex];
        const std::size_t zpIndex = layer.op == "MatMulInteger" ? 3 : 3;
        std::optional<Tensor> zp;
        if (n.hasInput(zpIndex))
            if (auto z = resolve(idx, n.inputs[zpIndex]))
                zp = *z;
        std::string base = layer.weight;
        if (const auto pos = base.rfind("_quantized"); pos != std::string::npos)
            base.resize(pos);
        auto scale = resolve(idx, base + "_scale");
        const Tensor one = Tensor::fromVector<float>({}, {1.0f});
        return dequantize(*w, scale ? *scale : one, zp ? &*zp : nullptr, layer.channelAxis);
    }
    return w->dtype() == DataType::Float ? *w : w->castTo(DataType::Float);
}

WeightStats computeWeightStats(const Tensor &weight, int channelAxis)
{
    WeightStats s;
    const Tensor f = weight.dtype() == DataType::Float ? weight : weight.castTo(DataType::Float);
    const float *p = f.data<float>();
    const int64_t n = f.numel();
    s.count = n;
    double sum = 0, sumSq = 0;
    double mn = std::numeric_limits<double>::infinity(), mx = -mn;
    int64_t finite = 0, zeros = 0, nans = 0, infs = 0;
#pragma omp parallel for reduction(+ : sum, sumSq, finite, zeros, nans, infs) reduction(min : mn) reduction(max : mx)
    for (int64_t i = 0; i < n; ++i) {
        const float v = p[i];
        if (std::isnan(v)) {
            ++nans;
            continue;
        }
        if (std::isinf(v)) {
            ++infs;
            continue;
        }
        ++finite;
        zeros += v == 0.0f;
        sum += v;
        sumSq += static_cast<double>(v) * v;
        mn = std::min(mn, static_cast<double>(v));
        mx = std::max(mx, static_cast<double>(v));
    }
    s.zeros = zeros;
    s.nans = nans;
    s.infs = infs;
    if (finite > 0) {
        s.min = mn;
        s.max = mx;
        s.mean = sum / finite;
        s.std = std::sqrt(std::max(0.0, sumSq / finite - s.mean * s.mean));
        s.absMax = std::max(std::abs(mn), std::abs(mx));
    }
    s.sparsity = n ? static_cast<double>(zeros) / n : 0.0;
    if (channelAxis >= 0 && channelAxis < f.rank() && n > 0) {
        const int64_t channels = f.dim(channelAxis);
        int64_t inner = 1;
        for (int64_t d = channelAxis + 1; d < f.rank(); ++d)
            inner *= f.dim(d);
        s.channelMin.assign(static_cast<std::size_t>(channels), std::numeric_limits<float>::infinity());
        s.channelMax.assign(static_cast<std::size_t>(channels), -std::numeric_limits<float>::infinity());
        for (int64_t i = 0; i < n; ++i) {
            const float v = p[i];
            if (!std::isfinite(v))
                continue;
            const auto c = static_cast<std::size_t>((i / inner) % channels);
            s.channelMin[c] = std::min(s.channelMin[c], v);
            s.channelMax[c] = std::max(s.channelMax[c], v);
        }
    }
    return s;
}

} // namespace nnc
