// Integer convolutions: ConvInteger (int32 output) and QLinearConv (requantized output), for 1 to
// 3 spatial dimensions with groups, strides, dilations, pads and auto_pad. Each group is an
// im2col followed by the exact integer GEMM of quant_gemm.cpp; padding contributes x_zero_point,
// i.e. zero after the zero point is subtracted.
#include "core/ops/quant_internal.h"

#include <algorithm>
#include <array>

namespace nnc::quant {

namespace {

enum class AutoPad { NotSet, SameUpper, SameLower, Valid };

struct ConvAttrs
{
    AutoPad autoPad = AutoPad::NotSet;
    std::vector<int64_t> kernelShape, strides, pads, dilations;
    int64_t group = 1;
};

Result<ConvAttrs> parseConvAttrs(const Node &node)
{
    ConvAttrs a;
    const std::string pad = node.attrString("auto_pad", "NOTSET");
    if (pad == "NOTSET" || pad.empty())
        a.autoPad = AutoPad::NotSet;
    else if (pad == "SAME_UPPER")
        a.autoPad = AutoPad::SameUpper;
    else if (pad == "SAME_LOWER")
        a.autoPad = AutoPad::SameLower;
    else if (pad == "VALID")
        a.autoPad = AutoPad::Valid;
    else
        return fail("auto_pad '" + pad + "' is not one of NOTSET, SAME_UPPER, SAME_LOWER, VALID.");
    a.kernelShape = node.attrInts("kernel_shape");
    a.strides = node.attrInts("strides");
    a.pads = node.attrInts("pads");
    a.dilations = node.attrInts("dilations");
    a.group = node.attrInt("group", 1);
    if (a.group < 1)
        return fail("group must be at least 1, not " + std::to_string(a.group) + ".");
    for (int64_t v : a.strides)
        if (v < 1)
            return fail("strides must be positive.");
    for (int64_t v : a.dilations)
        if (v < 1)
            return fail("dilations must be positive.");
    for (int64_t v : a.pads)
        if (v < 0)
            return fail("pads must not be negative.");
    return a;
}

// Geometry normalized to 3 spatial dims (leading dims of size 1 for 1-D and 2-D convs).
struct ConvGeometry
{
    int64_t batch = 0, cin = 0, cout = 0, group = 1, rank = 0;
    std::array<int64_t, 3> in{1, 1, 1}, kernel{1, 1, 1}, out{1, 1, 1}, stride{1, 1, 1},
        dilation{1, 1, 1}, padBegin{0, 0, 0};
    Dims outDims;

    int64_t inSize() const { return in[0] * in[1] * in[2]; }
    int64_t kernelSize() const { return kernel[0] * kernel[1] * kernel[2]; }
    int64_t outSize() const { return out[0] * out[1] * out[2]; }
};

Result<ConvGeometry> convGeometry(const ConvAttrs &a, const Tensor &x, const Tensor &w)
{
    ConvGeometry g;
    if (x.rank() < 3 || x.rank() > 5)
        return fail("input x has shape " + dimsToString(x.dims())
                    + "; integer convolution needs [N, C, D1 (, D2 (, D3))].");
    if (w.rank() != x.rank())
        return fail("weight w has shape " + dimsToString(w.dims()) + " but x has shape "
                    + dimsToString(x.dims()) + "; their ranks must match.");
    const int64_t r = x.rank() - 2;
    g.rank = r;
    g.batch = x.dim(0);
    g.cin = x.dim(1);
    g.cout = w.dim(0);
    g.group = a.group;
    if (g.cin % g.group != 0 || g.cout % g.group != 0 || w.dim(1) * g.group != g.cin)
        return fail("x has " + std::to_string(g.cin) + " channels and w has shape "
                    + dimsToString(w.dims()) + ", which do not fit group "
                    + std::to_string(g.group) + ".");
    auto check = [&](const std::vector<int64_t> &v, std::size_t n, const char *name) -> Result<void> {
        if (!v.empty() && v.size() != n)
            return fail(std::string(name) + " has " + std::to_string(v.size()) + " values; "
                        + std::to_string(n) + " expected for " + std::to_string(r)
                        + " spatial dimensions.");
        return {};
    };
    const auto ur = static_cast<std::size_t>(r);
    for (auto [v, n, name] : {std::tuple{&a.kernelShape, ur, "kernel_shape"},
                              std::tuple{&a.strides, ur, "strides"},
                              std::tuple{&a.dilations, ur, "dilations"},
                              std::tuple{&a.pads, 2 * ur, "pads"}})
        if (auto ok = check(*v, n, name); !ok)
            return std::unexpected(ok.error());
    g.outDims = {g.batch, g.cout};
    for (std::size_t i = 0; i < ur; ++i) {
        const std::size_t j = 3 - ur + i;
        g.in[j] = x.dim(static_cast<int64_t>(i) + 2);
        g.kernel[j] = w.dim(static_cast<int64_t>(i) + 2);
        if (!a.kernelShape.empty() && a.kernelShape[i] != g.kernel[j])
            return fail("kernel_shape " + dimsToString(a.kernelShape)
                        + " does not match the weight shape " + dimsToString(w.dims()) + ".");
        g.stride[j] = a.strides.empty() ? 1 : a.strides[i];
        g.dilation[j] = a.dilations.empty() ? 1 : a.dilations[i];
        const int64_t span = (g.kernel[j] - 1) * g.dilation[j] + 1;
        int64_t pb = 0, pe = 0;
        if (a.autoPad == AutoPad::NotSet) {
            pb = a.pads.empty() ? 0 : a.pads[i];
            pe = a.pads.empty() ? 0 : a.pads[i + ur];
        } else if (a.autoPad == AutoPad::SameUpper || a.autoPad == AutoPad::SameLower) {
            const int64_t o = (g.in[j] + g.stride[j] - 1) / g.stride[j];
            const int64_t total = std::max<int64_t>(0, (o - 1) * g.stride[j] + span - g.in[j]);
            pb = a.autoPad == AutoPad::SameUpper ? total / 2 : total - total / 2;
            pe = total - pb;
        }
        g.padBegin[j] = pb;
        const int64_t padded = g.in[j] + pb + pe;
        if (padded < span)
            return fail("the kernel (extent " + std::to_string(span)
                        + ") is larger than the padded input (" + std::to_string(padded)
                        + ") along spatial dimension " + std::to_string(i) + ".");
        g.out[j] = (padded - span) / g.stride[j] + 1;
        g.outDims.push_back(g.out[j]);
    }
    return g;
}

// col[(c * kernelSize + kOffset), outPos] = xg[c, in(outPos, kOffset)] or 0 in the padding.
void im2col(const float *xg, int64_t channels, const ConvGeometry &g, float *col)
{
    const int64_t ks = g.kernelSize(), os = g.outSize();
#pragma omp parallel for schedule(static) if (channels * ks * os > (1 << 15))
    for (int64_t row = 0; row < channels * ks; ++row) {
        const int64_t c = row / ks;
        int64_t kr = row % ks;
        const int64_t k2 = kr % g.kernel[2];
        kr /= g.kernel[2];
        const int64_t k1 = kr % g.kernel[1], k0 = kr / g.kernel[1];
        const float *xc = xg + c * g.inSize();
        float *dst = col + row * os;
        for (int64_t o0 = 0; o0 < g.out[0]; ++o0) {
            const int64_t i0 = o0 * g.stride[0] - g.padBegin[0] + k0 * g.dilation[0];
            for (int64_t o1 = 0; o1 < g.out[1]; ++o1) {
                const int64_t i1 = o1 * g.stride[1] - g.padBegin[1] + k1 * g.dilation[1];
                const bool rowInside = i0 >= 0 && i0 < g.in[0] && i1 >= 0 && i1 < g.in[1];
                const float *src = xc + (i0 * g.in[1] + i1) * g.in[2];
                for (int64_t o2 = 0; o2 < g.out[2]; ++o2) {
                    const int64_t i2 = o2 * g.stride[2] - g.padBegin[2] + k2 * g.dilation[2];
                    *dst++ = rowInside && i2 >= 0 && i2 < g.in[2] ? src[i2] : 0.0f;
                }
            }
        }
    }
}

// acc[N, M, outSize] = conv(x - xZp, w - wZp[m]) in exact int32.
void integerConv(const Tensor &x, int32_t xZp, const Tensor &w, const std::vector<int32_t> &wZp,
                 const ConvGeometry &g, int32_t *acc)
{
    const int64_t cg = g.cin / g.group, mg = g.cout / g.group;
    const int64_t kdim = cg * g.kernelSize(), os = g.outSize();
    std::vector<float> wf(static_cast<std::size_t>(g.cout * kdim));
    float maxW = 0.0f;
    for (int64_t m = 0; m < g.cout; ++m) {
        const int32_t z = wZp.size() == 1 ? wZp[0] : wZp[static_cast<std::size_t>(m)];
        maxW = std::max(maxW, widenBytes(w, m * kdim, kdim, [z](int64_t) { return z; },
                                         wf.data() + m * kdim));
    }
    std::vector<float> xf(static_cast<std::size_t>(g.cin * g.inSize()));
    std::vector<float> col(static_cast<std::size_t>(kdim * os));
    for (int64_t n = 0; n < g.batch; ++n) {
        const float maxX = widenBytes(x, n * g.cin * g.inSize(), g.cin * g.inSize(),
                                      [xZp](int64_t) { return xZp; }, xf.data());
        for (int64_t gi = 0; gi < g.group; ++gi) {
            const float *xg = xf.data() + gi * cg * g.inSize();
            const bool pointwise = g.kernelSize() == 1 && g.inSize() == os
                                   && g.stride == std::array<int64_t, 3>{1, 1, 1}
                                   && g.padBegin == std::array<int64_t, 3>{0, 0, 0};
            if (!pointwise)
                im2col(xg, cg, g, col.data());
            exactIntGemm(wf.data() + gi * mg * kdim, kdim, pointwise ? xg : col.data(), os,
                         acc + (n * g.cout + gi * mg) * os, os, mg, kdim, os, maxW, maxX);
        }
    }
}

Result<void> checkOperand(const Tensor *t, const char *name, const char *op)
{
    if (!t)
        return fail(std::string(op) + " needs the input " + name + ".");
    if (!isByteType(t->dtype()))
        return fail(std::string("input ") + name + " has type " + typeText(*t) + "; " + op
                    + " takes uint8 or int8.");
    return {};
}

Result<int32_t> scalarZeroPoint(const Tensor *zp, const Tensor &operand, const char *name)
{
    if (!zp)
        return 0;
    if (zp->dtype() != operand.dtype())
        return fail(std::string(name) + " has type " + typeText(*zp) + " but its operand has type "
                    + typeText(operand) + "; they must match.");
    if (zp->numel() != 1)
        return fail(std::string(name) + " has shape " + dimsToString(zp->dims())
                    + "; it must be a scalar.");
    return byteAt(*zp, 0);
}

Result<std::vector<int32_t>> channelZeroPoints(const Tensor *zp, const Tensor &w, int64_t cout)
{
    if (!zp)
        return std::vector<int32_t>{0};
    if (zp->dtype() != w.dtype())
        return fail("w_zero_point has type " + typeText(*zp) + " but w has type " + typeText(w)
                    + "; they must match.");
    if (auto ok = checkScalarOrCount(*zp, cout, "w_zero_point", "one per output channel"); !ok)
        return std::unexpected(ok.error());
    std::vector<int32_t> v(static_cast<std::size_t>(zp->numel()));
    for (int64_t i = 0; i < zp->numel(); ++i)
        v[static_cast<std::size_t>(i)] = byteAt(*zp, i);
    return v;
}

} // namespace

Result<std::unique_ptr<Kernel>> makeConvInteger(const KernelBuildInfo &info)
{
    auto attrs = parseConvAttrs(info.node);
    if (!attrs)
        return std::unexpected(attrs.error());
    return makeKernel([a = *attrs](KernelContext &ctx) -> Result<void> {
        const Tensor *x = ctx.input(0);
        const Tensor *w = ctx.input(1);
        if (auto ok = checkOperand(x, "x", "ConvInteger"); !ok)
            return ok;
        if (auto ok = checkOperand(w, "w", "ConvInteger"); !ok)
            return ok;
        auto g = convGeometry(a, *x, *w);
        if (!g)
            return std::unexpected(g.error());
        auto xz = scalarZeroPoint(ctx.input(2), *x, "x_zero_point");
        if (!xz)
            return std::unexpected(xz.error());
        auto wz = channelZeroPoints(ctx.input(3), *w, g->cout);
        if (!wz)
            return std::unexpected(wz.error());
        Tensor y(DataType::Int32, g->outDims);
        integerConv(*x, *xz, *w, *wz, *g, y.mutableData<int32_t>());
        ctx.outputs[0] = std::move(y);
        return {};
    });
}

Result<std::unique_ptr<Kernel>> makeQLinearConv(const KernelBuildInfo &info)
{
    auto attrs = parseConvAttrs(info.node);
    if (!attrs)
        return std::unexpected(attrs.error());
    return makeKernel([a = *attrs](KernelContext &ctx) -> Result<void> {
        const Tensor *x = ctx.input(0);
        const Tensor *w = ctx.input(3);
        const Tensor *xScale = ctx.input(1);
        const Tensor *wScale = ctx.input(4);
        const Tensor *yScale = ctx.input(6);
        const Tensor *yZp = ctx.input(7);
        const Tensor *bias = ctx.input(8);
        if (auto ok = checkOperand(x, "x", "QLinearConv"); !ok)
            return ok;
        if (auto ok = checkOperand(w, "w", "QLinearConv"); !ok)
            return ok;
        if (!xScale || !wScale || !yScale)
            return fail("QLinearConv needs the inputs x_scale, w_scale and y_scale.");
        auto g = convGeometry(a, *x, *w);
        if (!g)
            return std::unexpected(g.error());
        auto xz = scalarZeroPoint(ctx.input(2), *x, "x_zero_point");
        if (!xz)
            return std::unexpected(xz.error());
        auto wz = channelZeroPoints(ctx.input(5), *w, g->cout);
        if (!wz)
            return std::unexpected(wz.error());
        if (xScale->numel() != 1)
            return fail("x_scale has shape " + dimsToString(xScale->dims()) + "; it must be a scalar.");
        if (yScale->numel() != 1)
            return fail("y_scale has shape " + dimsToString(yScale->dims()) + "; it must be a scalar.");
        if (auto ok = checkScalarOrCount(*wScale, g->cout, "w_scale", "one per output channel"); !ok)
            return ok;
        const DataType yType = yZp ? yZp->dtype() : x->dtype();
        if (!isByteType(yType))
            return fail("y_zero_point has type " + typeText(*yZp) + "; it must be uint8 or int8.");
        if (yZp && yZp->numel() != 1)
            return fail("y_zero_point has shape " + dimsToString(yZp->dims()) + "; it must be a scalar.");
        if (bias && (bias->dtype() != DataType::Int32 || bias->numel() != g->cout))
            return fail("the bias B has type " + typeText(*bias) + " and shape "
                        + dimsToString(bias->dims()) + "; it must be int32 with "
                        + std::to_string(g->cout) + " values (one per output channel).");
        const int32_t yz = yZp ? byteAt(*yZp, 0) : 0;
        const float xs = xScale->toFloatVector()[0], ys = yScale->toFloatVector()[0];
        const std::vector<float> ws = wScale->toFloatVector();

        const int64_t total = numElements(g->outDims), os = g->outSize();
        std::vector<int32_t> acc(static_cast<std::size_t>(total));
        integerConv(*x, *xz, *w, *wz, *g, acc.data());
        Tensor y(yType, g->outDims);
        const int32_t qmin = yType == DataType::UInt8 ? 0 : -128;
        const int32_t qmax = yType == DataType::UInt8 ? 255 : 127;
        const int32_t *b = bias ? bias->data<int32_t>() : nullptr;
        auto store = [&](auto *out) {
            using Q = std::remove_pointer_t<decltype(out)>;
            const int64_t planes = g->batch * g->cout;
#pragma omp parallel for schedule(static) if (total > (1 << 15))
            for (int64_t p = 0; p < planes; ++p) {
                const int64_t m = p % g->cout;
                // (x_scale * w_scale) / y_scale in float, as ONNX Runtime computes it.
                const float mult = xs * ws[ws.size() == 1 ? 0 : static_cast<std::size_t>(m)] / ys;
                const int32_t bm = b ? b[m] : 0;
                for (int64_t i = p * os; i < (p + 1) * os; ++i)
                    out[i] = static_cast<Q>(requantize(acc[static_cast<std::size_t>(i)] + bm, mult,
                                                       yz, qmin, qmax));
            }
        };
        if (yType == DataType::UInt8)
            store(y.mutableData<uint8_t>());
        else
            store(y.mutableData<int8_t>());
        ctx.outputs[0] = std::move(y);
        return {};
    });
}

} // namespace nnc::quant
