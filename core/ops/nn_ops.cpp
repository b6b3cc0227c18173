// nn op family: joins the entries of nn_gemm.cpp, nn_conv.cpp, nn_pool.cpp and nn_norm.cpp into
// one span for the op table, and holds the window geometry (strides, pads, dilations,
// auto_pad, ceil_mode) that Conv, ConvTranspose and the pools share.
#include "core/ops/nn_internal.h"
#include "core/ops/op_table.h"

#include <algorithm>
#include <cmath>

namespace nnc {

namespace nn {

Result<AutoPad> parseAutoPad(const std::string &s)
{
    if (s.empty() || s == "NOTSET")
        return AutoPad::NotSet;
    if (s == "SAME_UPPER")
        return AutoPad::SameUpper;
    if (s == "SAME_LOWER")
        return AutoPad::SameLower;
    if (s == "VALID")
        return AutoPad::Valid;
    return fail("auto_pad '" + s + "' is not one of NOTSET, SAME_UPPER, SAME_LOWER, VALID.");
}

Result<WindowAttrs> parseWindowAttrs(const Node &node)
{
    WindowAttrs a;
    a.kernelShape = node.attrInts("kernel_shape");
    a.strides = node.attrInts("strides");
    a.pads = node.attrInts("pads");
    a.dilations = node.attrInts("dilations");
    a.ceilMode = node.attrInt("ceil_mode", 0) != 0;
    auto pad = parseAutoPad(node.attrString("auto_pad", "NOTSET"));
    if (!pad)
        return std::unexpected(pad.error());
    a.autoPad = *pad;
    for (int64_t v : a.kernelShape)
        if (v <= 0)
            return fail("kernel_shape values must be positive.");
    for (int64_t v : a.strides)
        if (v <= 0)
            return fail("strides must be positive.");
    for (int64_t v : a.dilations)
        if (v <= 0)
            return fail("dilations must be positive.");
    for (int64_t v : a.pads)
        if (v < 0)
            return fail("pads must not be negative.");
    return a;
}

std::vector<int64_t> Geometry3::outDims(std::vector<int64_t> prefix) const
{
    for (int i = 3 - rank; i < 3; ++i)
        prefix.push_back(out[static_cast<std::size_t>(i)]);
    return prefix;
}

namespace {

template<class T>
void applyActivation(const Activation &a, T *p, int64_t n)
{
    const T alpha = static_cast<T>(a.alpha), beta = static_cast<T>(a.beta);
    switch (a.kind) {
    case Activation::Kind::None:
        return;
    case Activation::Kind::Relu:
#pragma omp simd
        for (int64_t i = 0; i < n; ++i)
            p[i] = p[i] > T(0) ? p[i] : T(0);
        return;
    case Activation::Kind::ReluNaN:
        // Exactly the Relu kernel's expression (elementwise_unary.cpp), so fused results keep
        // the same bits.
#pragma omp simd
        for (int64_t i = 0; i < n; ++i)
            p[i] = ((p[i] > T(0)) | (p[i] != p[i])) ? p[i] : T(0);
        return;
    case Activation::Kind::LeakyRelu:
#pragma omp simd
        for (int64_t i = 0; i < n; ++i)
            p[i] = p[i] >= T(0) ? p[i] : p[i] * alpha;
        return;
    case Activation::Kind::Clip:
#pragma omp simd
        for (int64_t i = 0; i < n; ++i)
            p[i] = std::min(std::max(p[i], alpha), beta);
        return;
    case Activation::Kind::HardSigmoid:
#pragma omp simd
        for (int64_t i = 0; i < n; ++i)
            p[i] = std::min(std::max(alpha * p[i] + beta, T(0)), T(1));
        return;
    case Activation::Kind::Sigmoid:
        for (int64_t i = 0; i < n; ++i)
            p[i] = T(1) / (T(1) + std::exp(-p[i]));
        return;
    case Activation::Kind::Tanh:
        for (int64_t i = 0; i < n; ++i)
            p[i] = std::tanh(p[i]);
        return;
    }
}

} // namespace

void Activation::apply(float *p, int64_t n) const
{
    applyActivation(*this, p, n);
}

void Activation::apply(double *p, int64_t n) const
{
    applyActivation(*this, p, n);
}

Result<Activation> parseFusedActivation(const Node &node)
{
    Activation a;
    const std::string name = node.attrString("activation", "");
    // FusedConv passes parameters as "activation_params"; FusedGemm as activation_alpha/beta
    // (and LeakyRelu's slope also as leaky_relu_alpha).
    std::vector<float> params = node.attrFloats("activation_params");
    if (params.empty()) {
        const Attribute *alpha = node.attr("activation_alpha");
        if (!alpha)
            alpha = node.attr("leaky_relu_alpha");
        const Attribute *beta = node.attr("activation_beta");
        if (alpha || beta) {
            params.push_back(alpha ? alpha->f : NAN);
            params.push_back(beta ? beta->f : NAN);
        }
    }
    auto param = [&](std::size_t i, float fallback) {
        return i < params.size() && !std::isnan(params[i]) ? params[i] : fallback;
    };
    if (name.empty() || name == "Identity") {
        a.kind = Activation::Kind::None;
    } else if (name == "Relu") {
        a.kind = Activation::Kind::Relu;
    } else if (name == "LeakyRelu") {
        a.kind = Activation::Kind::LeakyRelu;
        a.alpha = param(0, 0.01f);
    } else if (name == "Sigmoid") {
        a.kind = Activation::Kind::Sigmoid;
    } else if (name == "Tanh") {
        a.kind = Activation::Kind::Tanh;
    } else if (name == "Clip") {
        a.kind = Activation::Kind::Clip;
        a.alpha = param(0, -INFINITY);
        a.beta = param(1, INFINITY);
    } else if (name == "HardSigmoid") {
        a.kind = Activation::Kind::HardSigmoid;
        a.alpha = param(0, 0.2f);
        a.beta = param(1, 0.5f);
    } else {
        return fail("fused activation '" + name + "' is not supported (Relu, LeakyRelu, Sigmoid, "
                    "Tanh, Clip, HardSigmoid).",
                    Error::Code::Unsupported);
    }
    return a;
}

namespace {

bool isHalfType(DataType t)
{
    return t == DataType::Float16 || t == DataType::BFloat16;
}

class HalfAsFloatKernel final : public Kernel
{
public:
    explicit HalfAsFloatKernel(std::unique_ptr<Kernel> inner) : m_inner(std::move(inner)) {}

    Result<void> run(KernelContext &ctx) override
    {
        bool anyHalf = false;
        for (const Tensor *t : ctx.inputs)
            anyHalf = anyHalf || (t && isHalfType(t->dtype()));
        if (!anyHalf)
            return m_inner->run(ctx);
        std::vector<Tensor> converted(ctx.inputs.size());
        std::vector<const Tensor *> inputs(ctx.inputs.size(), nullptr);
        for (std::size_t i = 0; i < ctx.inputs.size(); ++i) {
            const Tensor *t = ctx.inputs[i];
            if (t && isHalfType(t->dtype())) {
                converted[i] = t->castTo(DataType::Float);
                inputs[i] = &converted[i];
            } else {
                inputs[i] = t;
            }
        }
        KernelContext inner;
        inner.inputs = inputs;
        inner.outputs.resize(ctx.outputs.size());
        inner.subgraphs = ctx.subgraphs;
        if (auto r = m_inner->run(inner); !r)
            return r;
        for (std::size_t o = 0; o < ctx.outputs.size(); ++o)
            ctx.outputs[o] = std::move(inner.outputs[o]);
        const Tensor *first = ctx.input(0);
        if (first && isHalfType(first->dtype()) && !ctx.outputs.empty()
            && ctx.outputs[0].dtype() == DataType::Float)
            ctx.outputs[0] = ctx.outputs[0].castTo(first->dtype());
        return {};
    }

private:
    std::unique_ptr<Kernel> m_inner;
};

} // namespace

std::unique_ptr<Kernel> wrapHalfAsFloat(std::unique_ptr<Kernel> inner)
{
    return std::make_unique<HalfAsFloatKernel>(std::move(inner));
}

std::string shapeText(const Tensor &t)
{
    return dimsToString(t.dims());
}

Result<Geometry3> forwardGeometry(const WindowAttrs &a, std::span<const int64_t> inSpatial,
                                  std::span<const int64_t> kernel)
{
    const auto r = inSpatial.size();
    if (r < 1 || r > 3)
        return fail("only 1, 2 or 3 spatial dimensions are supported, not "
                        + std::to_string(r) + ".",
                    Error::Code::Unsupported);
    if (kernel.size() != r)
        return fail("the kernel has " + std::to_string(kernel.size())
                    + " spatial dimensions but the input has " + std::to_string(r) + ".");
    if (!a.strides.empty() && a.strides.size() != r)
        return fail("strides has " + std::to_string(a.strides.size()) + " values but the input has "
                    + std::to_string(r) + " spatial dimensions.");
    if (!a.dilations.empty() && a.dilations.size() != r)
        return fail("dilations has " + std::to_string(a.dilations.size())
                    + " values but the input has " + std::to_string(r) + " spatial dimensions.");
    if (!a.pads.empty() && a.pads.size() != 2 * r)
        return fail("pads has " + std::to_string(a.pads.size()) + " values but "
                    + std::to_string(2 * r) + " are needed for " + std::to_string(r)
                    + " spatial dimensions.");
    Geometry3 g;
    g.rank = static_cast<int>(r);
    for (std::size_t i = 0; i < r; ++i) {
        const std::size_t j = 3 - r + i;
        const int64_t in = inSpatial[i];
        const int64_t k = kernel[i];
        const int64_t s = a.strides.empty() ? 1 : a.strides[i];
        const int64_t d = a.dilations.empty() ? 1 : a.dilations[i];
        if (k <= 0)
            return fail("kernel dimensions must be positive.");
        const int64_t effK = (k - 1) * d + 1;
        int64_t pb = 0, pe = 0, out = 0;
        switch (a.autoPad) {
        case AutoPad::NotSet: {
            pb = a.pads.empty() ? 0 : a.pads[i];
            pe = a.pads.empty() ? 0 : a.pads[i + r];
            const int64_t span = in + pb + pe - effK;
            if (span < 0)
                return fail("the padded input size " + std::to_string(in + pb + pe)
                            + " is smaller than the dilated kernel size " + std::to_string(effK)
                            + " in spatial dimension " + std::to_string(i) + ".");
            if (a.ceilMode) {
                out = (span + s - 1) / s + 1;
                // A last window that would start inside the end padding is dropped.
                if ((out - 1) * s >= in + pb)
                    --out;
            } else {
                out = span / s + 1;
            }
            break;
        }
        case AutoPad::Valid:
            if (in < effK)
                return fail("the input size " + std::to_string(in)
                            + " is smaller than the dilated kernel size " + std::to_string(effK)
                            + " in spatial dimension " + std::to_string(i) + ".");
            out = (in - effK) / s + 1;
            break;
        case AutoPad::SameUpper:
        case AutoPad::SameLower: {
            out = (in + s - 1) / s;
            const int64_t total = std::max<int64_t>(0, (out - 1) * s + effK - in);
            if (a.autoPad == AutoPad::SameUpper) {
                pb = total / 2;
                pe = total - pb;
            } else {
                pe = total / 2;
                pb = total - pe;
            }
            break;
        }
        }
        g.in[j] = in;
        g.out[j] = out;
        g.kernel[j] = k;
        g.stride[j] = s;
        g.dilation[j] = d;
        g.padBegin[j] = pb;
        g.padEnd[j] = pe;
    }
    return g;
}

} // namespace nn

std::span<const OpEntry> nnOps()
{
    static const std::vector<OpEntry> entries = [] {
        std::vector<OpEntry> all;
        for (auto family : {nn::gemmOps(), nn::convOps(), nn::poolOps(), nn::normOps()})
            all.insert(all.end(), family.begin(), family.end());
        return all;
    }();
    return entries;
}

} // namespace nnc
