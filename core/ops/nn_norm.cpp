// Normalizations of the nn family: BatchNormalization (inference, and training mode from opset 14),
// LayerNormalization, InstanceNormalization, GroupNormalization, LRN and MeanVarianceNormalization.
// Statistics accumulate in double; rows/planes run in parallel. Layout: X [N, C, spatial...]
// (LayerNormalization: any rank).
#include "core/ops/nn_internal.h"
#include "core/ops/nn_parallel.h"
#include "core/ops/op_util.h"

#include <algorithm>
#include <cmath>

namespace nnc::nn {

namespace {

template<class F>
Result<void> dispatchFloat(DataType t, const char *op, F &&f)
{
    switch (t) {
    case DataType::Float: return f(float{});
    case DataType::Double: return f(double{});
    default:
        return fail(std::string(op) + " supports float and double inputs, not "
                        + std::string(dtypeName(t)) + ".",
                    Error::Code::Unsupported);
    }
}

/// Parameter tensors (scale, bias, mean, var) of any float type as doubles; empty when absent.
std::vector<double> asDoubles(const Tensor *t)
{
    std::vector<double> v;
    if (!t)
        return v;
    v.resize(static_cast<std::size_t>(t->numel()));
    for (int64_t i = 0; i < t->numel(); ++i)
        v[static_cast<std::size_t>(i)] = t->valueAsDouble(i);
    return v;
}

Tensor fromDoubles(DataType dtype, Dims dims, const std::vector<double> &v)
{
    Tensor t(dtype, std::move(dims));
    if (dtype == DataType::Double)
        std::copy(v.begin(), v.end(), t.mutableData<double>());
    else
        std::transform(v.begin(), v.end(), t.mutableData<float>(),
                       [](double d) { return static_cast<float>(d); });
    return t;
}

/// Population mean and variance of n values (two passes, double accumulation).
template<class T>
std::pair<double, double> meanVar(const T *x, int64_t n)
{
    double sum = 0;
#pragma omp simd reduction(+ : sum)
    for (int64_t i = 0; i < n; ++i)
        sum += static_cast<double>(x[i]);
    const double mean = sum / double(n);
    double sq = 0;
#pragma omp simd reduction(+ : sq)
    for (int64_t i = 0; i < n; ++i) {
        const double d = static_cast<double>(x[i]) - mean;
        sq += d * d;
    }
    return {mean, sq / double(n)};
}

} // namespace

template<class T>
void batchNormCoefficients(const std::vector<double> &scale, const std::vector<double> &bias,
                           const std::vector<double> &mean, const std::vector<double> &var,
                           double epsilon, std::vector<T> &a, std::vector<T> &b)
{
    a.resize(scale.size());
    b.resize(scale.size());
    for (std::size_t i = 0; i < scale.size(); ++i) {
        const double ai = scale[i] / std::sqrt(var[i] + epsilon);
        a[i] = static_cast<T>(ai);
        b[i] = static_cast<T>(bias[i] - mean[i] * ai);
    }
}

template<class T>
void batchNormRun(const T *x, T *y, int64_t n, T a, T b)
{
#pragma omp simd
    for (int64_t i = 0; i < n; ++i)
        y[i] = x[i] * a + b;
}

template void batchNormCoefficients<float>(const std::vector<double> &,
                                           const std::vector<double> &,
                                           const std::vector<double> &,
                                           const std::vector<double> &, double,
                                           std::vector<float> &, std::vector<float> &);
template void batchNormCoefficients<double>(const std::vector<double> &,
                                            const std::vector<double> &,
                                            const std::vector<double> &,
                                            const std::vector<double> &, double,
                                            std::vector<double> &, std::vector<double> &);
template void batchNormRun<float>(const float *, float *, int64_t, float, float);
template void batchNormRun<double>(const double *, double *, int64_t, double, double);

/// Parameter tensors of any float type as doubles (for the Conv + BatchNormalization fusion).
std::vector<double> batchNormParamAsDoubles(const Tensor *t)
{
    return asDoubles(t);
}

namespace {

// ---------------------------------------------------------------------------------------------
// BatchNormalization

class BatchNormKernel final : public Kernel
{
public:
    BatchNormKernel(double epsilon, double momentum, bool training, Activation act = {})
        : m_epsilon(epsilon), m_momentum(momentum), m_training(training), m_act(act)
    {
    }

    Result<void> run(KernelContext &ctx) override
    {
        const Tensor *x = ctx.input(0);
        if (!x)
            return fail("BatchNormalization needs input X.");
        for (std::size_t i = 1; i < 5; ++i)
            if (!ctx.input(i))
                return fail("BatchNormalization needs inputs X, scale, B, mean and var.");
        if (x->rank() < 2)
            return fail("BatchNormalization input X must have rank 2 or more ([N, C, ...]), "
                        "got shape " + shapeText(*x) + ".");
        return dispatchFloat(x->dtype(), "BatchNormalization",
                             [&](auto tag) { return compute<decltype(tag)>(*x, ctx); });
    }

private:
    template<class T>
    Result<void> compute(const Tensor &x, KernelContext &ctx)
    {
        const int64_t N = x.dim(0), C = x.dim(1);
        const int64_t spatial = N * C == 0 ? 0 : x.numel() / (N * C);
        std::vector<double> scale = asDoubles(ctx.input(1)), bias = asDoubles(ctx.input(2));
        std::vector<double> mean = asDoubles(ctx.input(3)), var = asDoubles(ctx.input(4));
        // Per channel normally; per (channel, position) for spatial=0 models (opset < 9).
        const auto perChannel = static_cast<std::size_t>(C);
        const auto perElement = static_cast<std::size_t>(C * spatial);
        const std::size_t params = scale.size();
        if ((params != perChannel && params != perElement) || bias.size() != params
            || mean.size() != params || var.size() != params)
            return fail("BatchNormalization parameters have shapes " + shapeText(*ctx.input(1))
                        + ", " + shapeText(*ctx.input(2)) + ", " + shapeText(*ctx.input(3))
                        + ", " + shapeText(*ctx.input(4)) + " but X of shape " + shapeText(x)
                        + " has " + std::to_string(C) + " channels.");
        const bool elementwise = params != perChannel;
        std::vector<double> runMean, runVar;
        if (m_training && !elementwise) {
            // Batch statistics per channel over N and the spatial positions.
            std::vector<double> bm(perChannel, 0.0), bv(perChannel, 0.0);
            const T *px = x.data<T>();
            for (int64_t c = 0; c < C; ++c) {
                double sum = 0;
                for (int64_t n = 0; n < N; ++n)
                    for (int64_t i = 0; i < spatial; ++i)
                        sum += static_cast<double>(px[(n * C + c) * spatial + i]);
                const double m = sum / double(N * spatial);
                double sq = 0;
                for (int64_t n = 0; n < N; ++n)
                    for (int64_t i = 0; i < spatial; ++i) {
                        const double d = static_cast<double>(px[(n * C + c) * spatial + i]) - m;
                        sq += d * d;
                    }
                bm[static_cast<std::size_t>(c)] = m;
                bv[static_cast<std::size_t>(c)] = sq / double(N * spatial);
            }
            runMean.resize(perChannel);
            runVar.resize(perChannel);
            for (std::size_t c = 0; c < perChannel; ++c) {
                runMean[c] = mean[c] * m_momentum + bm[c] * (1.0 - m_momentum);
                runVar[c] = var[c] * m_momentum + bv[c] * (1.0 - m_momentum);
            }
            mean = std::move(bm);
            var = std::move(bv);
        }
        // y = x * a + b with a = scale / sqrt(var + eps), b = bias - mean * a.
        std::vector<T> a, b;
        batchNormCoefficients(scale, bias, mean, var, m_epsilon, a, b);
        Tensor y(x.dtype(), x.dims());
        const T *px = x.data<T>();
        T *py = y.mutableData<T>();
        parallelForRange(
            N * C, (x.numel() > (1 << 17)) ? 1 : (N * C), [&](int64_t begin_, int64_t end_) {
                for (int64_t plane = begin_; plane < end_; ++plane) {
                    const T *xp = px + plane * spatial;
                    T *yp = py + plane * spatial;
                    const int64_t c = plane % C;
                    if (elementwise) {
                        const T *ap = a.data() + c * spatial, *bp = b.data() + c * spatial;
#pragma omp simd
                        for (int64_t i = 0; i < spatial; ++i)
                            yp[i] = xp[i] * ap[i] + bp[i];
                    } else {
                        batchNormRun(xp, yp, spatial, a[static_cast<std::size_t>(c)],
                                     b[static_cast<std::size_t>(c)]);
                    }
                    // A fused activation: a separate pass over the plane while it is in cache,
                    // so the affine loop above compiles exactly as without it.
                    m_act.apply(yp, spatial);
                }
            });
        ctx.outputs[0] = std::move(y);
        // Optional outputs: the running statistics (updated in training mode, else passed on).
        const DataType statType = ctx.input(3)->dtype();
        if (ctx.outputs.size() > 1)
            ctx.outputs[1] = m_training ? fromDoubles(statType, ctx.input(3)->dims(), runMean)
                                        : *ctx.input(3);
        if (ctx.outputs.size() > 2)
            ctx.outputs[2] = m_training ? fromDoubles(statType, ctx.input(4)->dims(), runVar)
                                        : *ctx.input(4);
        return {};
    }

    double m_epsilon, m_momentum;
    bool m_training;
    Activation m_act;
};

Result<std::unique_ptr<Kernel>> makeBatchNorm(const KernelBuildInfo &info)
{
    const Node &n = info.node;
    const bool training = info.opset >= 14 && n.attrInt("training_mode", 0) != 0;
    return std::make_unique<BatchNormKernel>(n.attrFloat("epsilon", 1e-5f),
                                             n.attrFloat("momentum", 0.9f), training);
}

} // namespace

Result<std::unique_ptr<Kernel>> makeBatchNormWithActivation(const KernelBuildInfo &info,
                                                            Activation act)
{
    const Node &n = info.node;
    const bool training = info.opset >= 14 && n.attrInt("training_mode", 0) != 0;
    return std::make_unique<BatchNormKernel>(n.attrFloat("epsilon", 1e-5f),
                                             n.attrFloat("momentum", 0.9f), training, act);
}

namespace {

// ---------------------------------------------------------------------------------------------
// LayerNormalization

class LayerNormKernel final : public Kernel
{
public:
    LayerNormKernel(int64_t axis, double epsilon, int64_t stashType)
        : m_axis(axis), m_epsilon(epsilon), m_stashType(stashType)
    {
    }

    Result<void> run(KernelContext &ctx) override
    {
        const Tensor *x = ctx.input(0);
        const Tensor *scale = ctx.input(1);
        if (!x || !scale)
            return fail("LayerNormalization needs inputs X and Scale.");
        return dispatchFloat(x->dtype(), "LayerNormalization",
                             [&](auto tag) { return compute<decltype(tag)>(*x, ctx); });
    }

private:
    /// Expands a Scale/B tensor that broadcasts to the normalized dims into `inner` values.
    static Result<std::vector<double>> expand(const Tensor &t, std::span<const int64_t> normDims,
                                              const char *what)
    {
        const int64_t inner = numElements(normDims);
        std::vector<double> v = asDoubles(&t);
        if (t.numel() == inner)
            return v;
        if (t.rank() > static_cast<int64_t>(normDims.size()))
            return fail(std::string("LayerNormalization ") + what + " of shape " + shapeText(t)
                        + " does not broadcast to the normalized shape " + dimsToString(normDims)
                        + ".");
        for (std::size_t i = 0; i < t.dims().size(); ++i) {
            const int64_t d = t.dims()[i];
            const int64_t n = normDims[normDims.size() - t.dims().size() + i];
            if (d != 1 && d != n)
                return fail(std::string("LayerNormalization ") + what + " of shape "
                            + shapeText(t) + " does not broadcast to the normalized shape "
                            + dimsToString(normDims) + ".");
        }
        const auto strides = ops::broadcastStrides(t.dims(), normDims);
        std::vector<double> out(static_cast<std::size_t>(inner));
        std::vector<int64_t> idx(normDims.size(), 0);
        for (int64_t i = 0; i < inner; ++i) {
            int64_t off = 0, rem = i;
            for (std::size_t d = normDims.size(); d-- > 0;) {
                off += (rem % normDims[d]) * strides[d];
                rem /= normDims[d];
            }
            out[static_cast<std::size_t>(i)] = v[static_cast<std::size_t>(off)];
        }
        return out;
    }

    template<class T>
    Result<void> compute(const Tensor &x, KernelContext &ctx)
    {
        auto axis = ops::normalizeAxis(m_axis, x.rank());
        if (!axis)
            return fail("LayerNormalization " + axis.error().message);
        const std::span<const int64_t> normDims(x.dims().begin() + *axis, x.dims().end());
        const int64_t inner = numElements(normDims);
        const int64_t outer =
            numElements(std::span(x.dims()).first(static_cast<std::size_t>(*axis)));
        auto scale = expand(*ctx.input(1), normDims, "Scale");
        if (!scale)
            return std::unexpected(scale.error());
        std::vector<double> bias;
        if (const Tensor *b = ctx.input(2)) {
            auto e = expand(*b, normDims, "B");
            if (!e)
                return std::unexpected(e.error());
            bias = std::move(*e);
        }
        std::vector<T> sc(scale->begin(), scale->end()), bi(bias.begin(), bias.end());
        Tensor y(x.dtype(), x.dims());
        Dims statDims = x.dims();
        for (std::size_t i = static_cast<std::size_t>(*axis); i < statDims.size(); ++i)
            statDims[i] = 1;
        const DataType statType = m_stashType == 11 ? DataType::Double : DataType::Float;
        const bool wantMean = ctx.outputs.size() > 1, wantInv = ctx.outputs.size() > 2;
        std::vector<double> means(static_cast<std::size_t>(outer)), invs(means.size());
        const T *px = x.data<T>();
        T *py = y.mutableData<T>();
        if (inner > 0) {
            parallelForRange(
                outer, (x.numel() > 32768) ? 1 : (outer), [&](int64_t begin_, int64_t end_) {
                    for (int64_t r = begin_; r < end_; ++r) {
                        const T *xr = px + r * inner;
                        T *yr = py + r * inner;
                        const auto [mean, var] = meanVar(xr, inner);
                        const double inv = 1.0 / std::sqrt(var + m_epsilon);
                        means[static_cast<std::size_t>(r)] = mean;
                        invs[static_cast<std::size_t>(r)] = inv;
                        const T m = static_cast<T>(mean), s = static_cast<T>(inv);
                        if (bi.empty())
#pragma omp simd
                            for (int64_t i = 0; i < inner; ++i)
                                yr[i] = (xr[i] - m) * s * sc[static_cast<std::size_t>(i)];
                        else
#pragma omp simd
                            for (int64_t i = 0; i < inner; ++i)
                                yr[i] = (xr[i] - m) * s * sc[static_cast<std::size_t>(i)] +
                                        bi[static_cast<std::size_t>(i)];
                    }
                });
        }
        ctx.outputs[0] = std::move(y);
        if (wantMean)
            ctx.outputs[1] = fromDoubles(statType, statDims, means);
        if (wantInv)
            ctx.outputs[2] = fromDoubles(statType, statDims, invs);
        return {};
    }

    int64_t m_axis;
    double m_epsilon;
    int64_t m_stashType;
};

Result<std::unique_ptr<Kernel>> makeLayerNorm(const KernelBuildInfo &info)
{
    const Node &n = info.node;
    return std::make_unique<LayerNormKernel>(n.attrInt("axis", -1), n.attrFloat("epsilon", 1e-5f),
                                             n.attrInt("stash_type", 1));
}

// ---------------------------------------------------------------------------------------------
// InstanceNormalization and GroupNormalization: statistics per (n, group of channels).

class GroupStatsNormKernel final : public Kernel
{
public:
    /// numGroups 0 means one group per channel (InstanceNormalization).
    GroupStatsNormKernel(const char *op, int64_t numGroups, double epsilon)
        : m_op(op), m_numGroups(numGroups), m_epsilon(epsilon)
    {
    }

    Result<void> run(KernelContext &ctx) override
    {
        const Tensor *x = ctx.input(0);
        if (!x || !ctx.input(1) || !ctx.input(2))
            return fail(std::string(m_op) + " needs inputs X, scale and B.");
        if (x->rank() < 2)
            return fail(std::string(m_op) + " input X must have rank 2 or more ([N, C, ...]), "
                        "got shape " + shapeText(*x) + ".");
        return dispatchFloat(x->dtype(), m_op,
                             [&](auto tag) { return compute<decltype(tag)>(*x, ctx); });
    }

private:
    template<class T>
    Result<void> compute(const Tensor &x, KernelContext &ctx)
    {
        const int64_t N = x.dim(0), C = x.dim(1);
        const int64_t G = m_numGroups == 0 ? C : m_numGroups;
        if (G <= 0 || C % G != 0)
            return fail(std::string(m_op) + " num_groups " + std::to_string(G)
                        + " does not divide the " + std::to_string(C) + " channels.");
        const int64_t spatial = N * C == 0 ? 0 : x.numel() / (N * C);
        const std::vector<double> scale = asDoubles(ctx.input(1)), bias = asDoubles(ctx.input(2));
        // Per-channel parameters, or per-group ones (GroupNormalization opset 18).
        const auto sz = static_cast<int64_t>(scale.size());
        if ((sz != C && sz != G) || bias.size() != scale.size())
            return fail(std::string(m_op) + " scale and B have shapes "
                        + shapeText(*ctx.input(1)) + " and " + shapeText(*ctx.input(2))
                        + " but X of shape " + shapeText(x) + " has " + std::to_string(C)
                        + " channels.");
        const bool perGroup = sz != C;
        const int64_t cPerG = C / G, groupSize = cPerG * spatial;
        Tensor y(x.dtype(), x.dims());
        const T *px = x.data<T>();
        T *py = y.mutableData<T>();
        if (groupSize > 0) {
            parallelForRange(
                N * G, (x.numel() > 32768) ? 1 : (N * G), [&](int64_t begin_, int64_t end_) {
                    for (int64_t ng = begin_; ng < end_; ++ng) {
                        const T *xg = px + ng * groupSize;
                        T *yg = py + ng * groupSize;
                        const auto [mean, var] = meanVar(xg, groupSize);
                        const double inv = 1.0 / std::sqrt(var + m_epsilon);
                        const int64_t g = ng % G;
                        for (int64_t ci = 0; ci < cPerG; ++ci) {
                            const auto p = static_cast<std::size_t>(perGroup ? g : g * cPerG + ci);
                            const T a = static_cast<T>(scale[p] * inv);
                            const T b = static_cast<T>(bias[p] - mean * scale[p] * inv);
                            const T *xc = xg + ci * spatial;
                            T *yc = yg + ci * spatial;
#pragma omp simd
                            for (int64_t i = 0; i < spatial; ++i)
                                yc[i] = xc[i] * a + b;
                        }
                    }
                });
        }
        ctx.outputs[0] = std::move(y);
        return {};
    }

    const char *m_op;
    int64_t m_numGroups;
    double m_epsilon;
};

Result<std::unique_ptr<Kernel>> makeInstanceNorm(const KernelBuildInfo &info)
{
    return std::make_unique<GroupStatsNormKernel>("InstanceNormalization", 0,
                                                  info.node.attrFloat("epsilon", 1e-5f));
}

Result<std::unique_ptr<Kernel>> makeGroupNorm(const KernelBuildInfo &info)
{
    const int64_t groups = info.node.attrInt("num_groups", -1);
    if (groups <= 0)
        return fail("GroupNormalization needs a positive num_groups attribute.");
    return std::make_unique<GroupStatsNormKernel>("GroupNormalization", groups,
                                                  info.node.attrFloat("epsilon", 1e-5f));
}

// ---------------------------------------------------------------------------------------------
// LRN: y = x / (bias + alpha / size * sum of squares over neighbouring channels) ^ beta

class LrnKernel final : public Kernel
{
public:
    LrnKernel(double alpha, double beta, double bias, int64_t size)
        : m_alpha(alpha), m_beta(beta), m_bias(bias), m_size(size)
    {
    }

    Result<void> run(KernelContext &ctx) override
    {
        const Tensor *x = ctx.input(0);
        if (!x)
            return fail("LRN needs input X.");
        if (x->rank() < 2)
            return fail("LRN input X must have rank 2 or more ([N, C, ...]), got shape "
                        + shapeText(*x) + ".");
        return dispatchFloat(x->dtype(), "LRN", [&](auto tag) {
            using T = decltype(tag);
            const int64_t N = x->dim(0), C = x->dim(1);
            const int64_t spatial = N * C == 0 ? 0 : x->numel() / (N * C);
            const int64_t before = (m_size - 1) / 2, after = m_size - 1 - before;
            Tensor y(x->dtype(), x->dims());
            const T *px = x->data<T>();
            T *py = y.mutableData<T>();
            parallelForRange(
                N * C, (x->numel() > 32768) ? 1 : (N * C), [&](int64_t begin_, int64_t end_) {
                    for (int64_t nc = begin_; nc < end_; ++nc) {
                        const int64_t n = nc / C, c = nc % C;
                        const int64_t lo = std::max<int64_t>(0, c - before);
                        const int64_t hi = std::min<int64_t>(C - 1, c + after);
                        for (int64_t i = 0; i < spatial; ++i) {
                            double sq = 0;
                            for (int64_t k = lo; k <= hi; ++k) {
                                const double v = static_cast<double>(px[(n * C + k) * spatial + i]);
                                sq += v * v;
                            }
                            const double v = static_cast<double>(px[nc * spatial + i]);
                            py[nc * spatial + i] = static_cast<T>(
                                v / std::pow(m_bias + m_alpha / double(m_size) * sq, m_beta));
                        }
                    }
                });
            ctx.outputs[0] = std::move(y);
            return Result<void>{};
        });
    }

private:
    double m_alpha, m_beta, m_bias;
    int64_t m_size;
};

Result<std::unique_ptr<Kernel>> makeLrn(const KernelBuildInfo &info)
{
    const Node &n = info.node;
    const int64_t size = n.attrInt("size", 0);
    if (size <= 0)
        return fail("LRN needs a positive size attribute.");
    return std::make_unique<LrnKernel>(n.attrFloat("alpha", 1e-4f), n.attrFloat("beta", 0.75f),
                                       n.attrFloat("bias", 1.0f), size);
}

// ---------------------------------------------------------------------------------------------
// MeanVarianceNormalization: y = (x - mean) / (sqrt(var) + 1e-9) over `axes` (ONNX's function
// body; var = E[x^2] - E[x]^2).

class MvnKernel final : public Kernel
{
public:
    explicit MvnKernel(std::vector<int64_t> axes) : m_axes(std::move(axes)) {}

    Result<void> run(KernelContext &ctx) override
    {
        const Tensor *x = ctx.input(0);
        if (!x)
            return fail("MeanVarianceNormalization needs input X.");
        return dispatchFloat(x->dtype(), "MeanVarianceNormalization", [&](auto tag) {
            using T = decltype(tag);
            const int64_t rank = x->rank();
            std::vector<bool> reduced(static_cast<std::size_t>(rank), false);
            for (int64_t a : m_axes) {
                auto n = ops::normalizeAxis(a, rank);
                if (!n)
                    return Result<void>(fail("MeanVarianceNormalization " + n.error().message));
                reduced[static_cast<std::size_t>(*n)] = true;
            }
            // Statistics slot of each element: its index with the reduced axes dropped.
            Dims statDims;
            for (int64_t d = 0; d < rank; ++d)
                statDims.push_back(reduced[static_cast<std::size_t>(d)] ? 1 : x->dim(d));
            const auto statStrides = ops::broadcastStrides(statDims, x->dims());
            const int64_t slots = numElements(statDims);
            std::vector<double> sum(static_cast<std::size_t>(slots), 0.0), sq(sum.size(), 0.0);
            std::vector<int64_t> slotOf(static_cast<std::size_t>(x->numel()));
            std::vector<int64_t> idx(static_cast<std::size_t>(rank), 0);
            const T *px = x->data<T>();
            for (int64_t i = 0; i < x->numel(); ++i) {
                int64_t slot = 0;
                for (std::size_t d = 0; d < idx.size(); ++d)
                    slot += idx[d] * statStrides[d];
                slotOf[static_cast<std::size_t>(i)] = slot;
                const double v = static_cast<double>(px[i]);
                sum[static_cast<std::size_t>(slot)] += v;
                sq[static_cast<std::size_t>(slot)] += v * v;
                for (std::size_t d = idx.size(); d-- > 0;) {
                    if (++idx[d] < x->dim(static_cast<int64_t>(d)))
                        break;
                    idx[d] = 0;
                }
            }
            const double count = slots == 0 ? 1.0 : double(x->numel()) / double(slots);
            Tensor y(x->dtype(), x->dims());
            T *py = y.mutableData<T>();
            for (int64_t i = 0; i < x->numel(); ++i) {
                const auto s = static_cast<std::size_t>(slotOf[static_cast<std::size_t>(i)]);
                const double mean = sum[s] / count;
                const double var = std::max(0.0, sq[s] / count - mean * mean);
                py[i] =
                    static_cast<T>((static_cast<double>(px[i]) - mean) / (std::sqrt(var) + 1e-9));
            }
            ctx.outputs[0] = std::move(y);
            return Result<void>{};
        });
    }

private:
    std::vector<int64_t> m_axes;
};

Result<std::unique_ptr<Kernel>> makeMvn(const KernelBuildInfo &info)
{
    return std::make_unique<MvnKernel>(info.node.attrInts("axes", {0, 2, 3}));
}

const OpEntry kEntries[] = {
    {"", "BatchNormalization", 1, kMaxOpset, &halfCapable<&makeBatchNorm>},
    {"", "LayerNormalization", 1, kMaxOpset, &halfCapable<&makeLayerNorm>},
    {"", "InstanceNormalization", 1, kMaxOpset, &halfCapable<&makeInstanceNorm>},
    {"", "GroupNormalization", 18, kMaxOpset, &halfCapable<&makeGroupNorm>},
    {"", "LRN", 1, kMaxOpset, &halfCapable<&makeLrn>},
    {"", "MeanVarianceNormalization", 9, kMaxOpset, &halfCapable<&makeMvn>},
};

} // namespace

std::span<const OpEntry> normOps()
{
    return kEntries;
}

} // namespace nnc::nn
