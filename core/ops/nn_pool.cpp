// Pooling of the nn family: MaxPool (optional Indices, ceil_mode, dilations, storage_order),
// AveragePool (count_include_pad, ceil_mode, dilations), LpPool, the global pools and MaxUnpool.
// Problems are promoted to 3 spatial dims; each (n, c) plane is pooled independently, in
// parallel. Window bounds per output position are precomputed per axis, so the inner loops
// have no bounds checks.
#include "core/ops/nn_internal.h"
#include "core/ops/nn_parallel.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace nnc::nn {

namespace {

inline int64_t ceilDiv(int64_t a, int64_t b)
{
    return a >= 0 ? (a + b - 1) / b : -((-a) / b);
}

/// For one axis and each output position: the input start, the kernel taps [klo, khi) that fall
/// inside the input, and how many taps fall inside the padded input (count_include_pad).
struct AxisWindows
{
    std::vector<int64_t> start, klo, khi, padded;
};

AxisWindows axisWindows(const Geometry3 &g, int axis)
{
    const auto a = static_cast<std::size_t>(axis);
    const int64_t in = g.in[a], out = g.out[a], k = g.kernel[a], s = g.stride[a];
    const int64_t d = g.dilation[a], pb = g.padBegin[a], pe = g.padEnd[a];
    AxisWindows w;
    for (int64_t o = 0; o < out; ++o) {
        const int64_t st = o * s - pb;
        const int64_t lo = std::clamp<int64_t>(ceilDiv(-st, d), 0, k);
        const int64_t hi = std::clamp<int64_t>(ceilDiv(in - st, d), lo, k);
        const int64_t plo = std::clamp<int64_t>(ceilDiv(-pb - st, d), 0, k);
        const int64_t phi = std::clamp<int64_t>(ceilDiv(in + pe - st, d), plo, k);
        w.start.push_back(st);
        w.klo.push_back(lo);
        w.khi.push_back(hi);
        w.padded.push_back(phi - plo);
    }
    return w;
}

enum class PoolKind { Max, Average, Lp };

/// Pools every (n, c) plane. For Max, `indices` (may be null) receives flat input indices.
template<class T>
void poolPlanes(PoolKind kind, const Geometry3 &g, int64_t planes, const T *x, T *y,
                int64_t *indices, bool countIncludePad, bool columnMajor, float p)
{
    const AxisWindows wd = axisWindows(g, 0), wh = axisWindows(g, 1), ww = axisWindows(g, 2);
    const int64_t IH = g.in[1], IW = g.in[2], ID = g.in[0];
    const int64_t OD = g.out[0], OH = g.out[1], OW = g.out[2];
    const int64_t dd = g.dilation[0], dh = g.dilation[1], dw = g.dilation[2];
    const int64_t inSize = g.inSize(), outSize = g.outSize();
    parallelForRange(
        planes, (planes * outSize * g.kernelSize() > 32768) ? 1 : (planes),
        [&](int64_t begin_, int64_t end_) {
            for (int64_t pl = begin_; pl < end_; ++pl) {
                const T *xp = x + pl * inSize;
                T *yp = y + pl * outSize;
                int64_t *ip = indices ? indices + pl * outSize : nullptr;
                for (int64_t od = 0; od < OD; ++od)
                    for (int64_t oh = 0; oh < OH; ++oh)
                        for (int64_t ow = 0; ow < OW; ++ow) {
                            const auto d = static_cast<std::size_t>(od),
                                       h = static_cast<std::size_t>(oh),
                                       w = static_cast<std::size_t>(ow);
                            const int64_t o = (od * OH + oh) * OW + ow;
                            if (kind == PoolKind::Max) {
                                T best = std::numeric_limits<T>::lowest();
                                int64_t bestIdx = -1;
                                for (int64_t kd = wd.klo[d]; kd < wd.khi[d]; ++kd) {
                                    const int64_t id = wd.start[d] + kd * dd;
                                    for (int64_t kh = wh.klo[h]; kh < wh.khi[h]; ++kh) {
                                        const int64_t ih = wh.start[h] + kh * dh;
                                        const T *row = xp + (id * IH + ih) * IW;
                                        for (int64_t kw = ww.klo[w]; kw < ww.khi[w]; ++kw) {
                                            const int64_t iw = ww.start[w] + kw * dw;
                                            if (row[iw] > best || bestIdx < 0) {
                                                best = row[iw];
                                                bestIdx = columnMajor ? id + ih * ID + iw * ID * IH
                                                                      : (id * IH + ih) * IW + iw;
                                            }
                                        }
                                    }
                                }
                                yp[o] = best;
                                if (ip)
                                    ip[o] = bestIdx < 0 ? -1 : pl * inSize + bestIdx;
                            } else {
                                double acc = 0;
                                for (int64_t kd = wd.klo[d]; kd < wd.khi[d]; ++kd) {
                                    const int64_t id = wd.start[d] + kd * dd;
                                    for (int64_t kh = wh.klo[h]; kh < wh.khi[h]; ++kh) {
                                        const int64_t ih = wh.start[h] + kh * dh;
                                        const T *row = xp + (id * IH + ih) * IW;
                                        for (int64_t kw = ww.klo[w]; kw < ww.khi[w]; ++kw) {
                                            const double v =
                                                static_cast<double>(row[ww.start[w] + kw * dw]);
                                            acc += kind == PoolKind::Average ? v
                                                   : p == 2.0f               ? v * v
                                                               : std::pow(std::abs(v), double(p));
                                        }
                                    }
                                }
                                if (kind == PoolKind::Average) {
                                    const int64_t count =
                                        countIncludePad
                                            ? wd.padded[d] * wh.padded[h] * ww.padded[w]
                                            : (wd.khi[d] - wd.klo[d]) * (wh.khi[h] - wh.klo[h]) *
                                                  (ww.khi[w] - ww.klo[w]);
                                    yp[o] = static_cast<T>(count > 0 ? acc / double(count) : 0.0);
                                } else {
                                    yp[o] =
                                        static_cast<T>(p == 2.0f ? std::sqrt(acc)
                                                                 : std::pow(acc, 1.0 / double(p)));
                                }
                            }
                        }
            }
        });
}

/// Fast pooling without indices: for each output row, every kernel tap (kd, kh, kw) is applied
/// to the whole row at once (max or sum into the row), so the inner loop is a plain strided
/// pass with precomputed bounds that the compiler vectorizes.
template<class T>
void poolPlanesByTap(PoolKind kind, const Geometry3 &g, int64_t planes, const T *x, T *y,
                     bool countIncludePad, float p)
{
    const AxisWindows wd = axisWindows(g, 0), wh = axisWindows(g, 1), ww = axisWindows(g, 2);
    const int64_t IH = g.in[1], IW = g.in[2];
    const int64_t OD = g.out[0], OH = g.out[1], OW = g.out[2];
    const int64_t KW = g.kernel[2], sw = g.stride[2], dw = g.dilation[2];
    const int64_t dd = g.dilation[0], dh = g.dilation[1];
    const int64_t inSize = g.inSize(), outSize = g.outSize();
    // Per kw tap: the output range [lo, hi) whose input column is inside the row.
    std::vector<int64_t> owLo(static_cast<std::size_t>(KW)), owHi(owLo.size());
    for (int64_t kw = 0; kw < KW; ++kw) {
        const int64_t off = kw * dw - g.padBegin[2];
        owLo[static_cast<std::size_t>(kw)] =
            std::clamp<int64_t>(ceilDiv(-off, sw), 0, OW);
        owHi[static_cast<std::size_t>(kw)] =
            std::clamp<int64_t>(ceilDiv(IW - off, sw), owLo[static_cast<std::size_t>(kw)], OW);
    }
    // Divisors along W for averages.
    std::vector<T> wCount(static_cast<std::size_t>(OW));
    for (int64_t ow = 0; ow < OW; ++ow) {
        const auto w = static_cast<std::size_t>(ow);
        wCount[w] = static_cast<T>(countIncludePad ? ww.padded[w] : ww.khi[w] - ww.klo[w]);
    }
    const bool isMax = kind == PoolKind::Max;
    parallelForRange(
        planes, (planes * outSize * g.kernelSize() > 32768) ? 1 : (planes),
        [&](int64_t begin_, int64_t end_) {
            for (int64_t pl = begin_; pl < end_; ++pl) {
                const T *xp = x + pl * inSize;
                T *yp = y + pl * outSize;
                for (int64_t od = 0; od < OD; ++od)
                    for (int64_t oh = 0; oh < OH; ++oh) {
                        const auto d = static_cast<std::size_t>(od),
                                   h = static_cast<std::size_t>(oh);
                        T *yr = yp + (od * OH + oh) * OW;
                        if (isMax && sw > 1) {
                            // Strided windows: output-major with the few input rows gathered up
                            // front (strided tap-major passes would need slow gathers).
                            const T *rows[64];
                            int nrows = 0;
                            for (int64_t kd = wd.klo[d]; kd < wd.khi[d]; ++kd)
                                for (int64_t kh = wh.klo[h]; kh < wh.khi[h] && nrows < 64; ++kh)
                                    rows[nrows++] =
                                        xp +
                                        ((wd.start[d] + kd * dd) * IH + wh.start[h] + kh * dh) * IW;
                            if (nrows <
                                static_cast<int>((wd.khi[d] - wd.klo[d]) * (wh.khi[h] - wh.klo[h])))
                                nrows = -1; // more than 64 rows: fall through to the tap-major loop
                            if (nrows == 2 && KW == 2 && sw == 2 && dw == 1) {
                                // The common 2x2 stride-2 window: interior outputs (both
                                // columns inside the row) in one vectorizable pass.
                                const T *r0 = rows[0], *r1 = rows[1];
                                const int64_t pl0 = g.padBegin[2];
                                int64_t lo = 0, hi = OW;
                                while (lo < OW && lo * 2 - pl0 < 0)
                                    ++lo;
                                while (hi > lo && (hi - 1) * 2 - pl0 + 1 >= g.in[2])
                                    --hi;
                                const T *a = r0 - pl0, *b = r1 - pl0;
#pragma omp simd
                                for (int64_t ow = lo; ow < hi; ++ow)
                                    yr[ow] = std::max(std::max(a[2 * ow], a[2 * ow + 1]),
                                                      std::max(b[2 * ow], b[2 * ow + 1]));
                                for (int64_t ow = 0; ow < OW; ++ow) {
                                    if (ow == lo)
                                        ow = hi;
                                    if (ow >= OW)
                                        break;
                                    const auto w = static_cast<std::size_t>(ow);
                                    T best = std::numeric_limits<T>::lowest();
                                    for (int r = 0; r < 2; ++r)
                                        for (int64_t kw = ww.klo[w]; kw < ww.khi[w]; ++kw)
                                            best = std::max(best, rows[r][ww.start[w] + kw]);
                                    yr[ow] = best;
                                }
                                continue;
                            }
                            if (nrows >= 0) {
                                for (int64_t ow = 0; ow < OW; ++ow) {
                                    const auto w = static_cast<std::size_t>(ow);
                                    T best = std::numeric_limits<T>::lowest();
                                    const int64_t st = ww.start[w];
                                    for (int r = 0; r < nrows; ++r)
                                        for (int64_t kw = ww.klo[w]; kw < ww.khi[w]; ++kw)
                                            best = std::max(best, rows[r][st + kw * dw]);
                                    yr[ow] = best;
                                }
                                continue;
                            }
                        }
                        std::fill(yr, yr + OW, isMax ? std::numeric_limits<T>::lowest() : T(0));
                        for (int64_t kd = wd.klo[d]; kd < wd.khi[d]; ++kd)
                            for (int64_t kh = wh.klo[h]; kh < wh.khi[h]; ++kh) {
                                const T *row =
                                    xp +
                                    ((wd.start[d] + kd * dd) * IH + wh.start[h] + kh * dh) * IW;
                                for (int64_t kw = 0; kw < KW; ++kw) {
                                    const int64_t lo = owLo[static_cast<std::size_t>(kw)];
                                    const int64_t hi = owHi[static_cast<std::size_t>(kw)];
                                    const T *src = row + kw * dw - g.padBegin[2];
                                    if (isMax) {
#pragma omp simd
                                        for (int64_t ow = lo; ow < hi; ++ow)
                                            yr[ow] = std::max(yr[ow], src[ow * sw]);
                                    } else if (kind == PoolKind::Average) {
#pragma omp simd
                                        for (int64_t ow = lo; ow < hi; ++ow)
                                            yr[ow] += src[ow * sw];
                                    } else if (p == 2.0f) {
#pragma omp simd
                                        for (int64_t ow = lo; ow < hi; ++ow)
                                            yr[ow] += src[ow * sw] * src[ow * sw];
                                    } else {
                                        for (int64_t ow = lo; ow < hi; ++ow)
                                            yr[ow] += static_cast<T>(std::pow(
                                                std::abs(static_cast<double>(src[ow * sw])),
                                                double(p)));
                                    }
                                }
                            }
                        if (kind == PoolKind::Average) {
                            const T dh2 =
                                static_cast<T>(countIncludePad ? wd.padded[d] * wh.padded[h]
                                                               : (wd.khi[d] - wd.klo[d]) *
                                                                     (wh.khi[h] - wh.klo[h]));
                            for (int64_t ow = 0; ow < OW; ++ow) {
                                const T count = dh2 * wCount[static_cast<std::size_t>(ow)];
                                yr[ow] = count > T(0) ? yr[ow] / count : T(0);
                            }
                        } else if (kind == PoolKind::Lp) {
                            for (int64_t ow = 0; ow < OW; ++ow)
                                yr[ow] = static_cast<T>(
                                    p == 2.0f
                                        ? std::sqrt(static_cast<double>(yr[ow]))
                                        : std::pow(static_cast<double>(yr[ow]), 1.0 / double(p)));
                        }
                    }
            }
        });
}

template<class F>
Result<void> dispatchPoolType(DataType t, const char *op, bool allowInt8, F &&f)
{
    switch (t) {
    case DataType::Float: return f(float{});
    case DataType::Double: return f(double{});
    case DataType::Int8:
        if (allowInt8)
            return f(int8_t{});
        break;
    case DataType::UInt8:
        if (allowInt8)
            return f(uint8_t{});
        break;
    default: break;
    }
    return fail(std::string(op) + " does not support element type " + std::string(dtypeName(t))
                    + ".",
                Error::Code::Unsupported);
}

class PoolKernel final : public Kernel
{
public:
    PoolKernel(PoolKind kind, const char *op, WindowAttrs attrs, bool countIncludePad,
               bool columnMajor, float p)
        : m_kind(kind), m_op(op), m_attrs(std::move(attrs)), m_countIncludePad(countIncludePad),
          m_columnMajor(columnMajor), m_p(p)
    {
    }

    Result<void> run(KernelContext &ctx) override
    {
        const Tensor *x = ctx.input(0);
        if (!x)
            return fail(std::string(m_op) + " needs input X.");
        if (x->rank() < 3)
            return fail(std::string(m_op) + " input X must have rank 3 or more ([N, C, "
                        "spatial...]), got shape " + shapeText(*x) + ".");
        if (m_attrs.kernelShape.empty())
            return fail(std::string(m_op) + " needs a kernel_shape attribute.");
        const std::span<const int64_t> inSpatial(x->dims().begin() + 2, x->dims().end());
        if (m_attrs.kernelShape.size() != inSpatial.size())
            return fail(std::string(m_op) + " kernel_shape " + dimsToString(m_attrs.kernelShape)
                        + " does not match the " + std::to_string(inSpatial.size())
                        + " spatial dimensions of X with shape " + shapeText(*x) + ".");
        auto geo = forwardGeometry(m_attrs, inSpatial, m_attrs.kernelShape);
        if (!geo)
            return std::unexpected(geo.error());
        const Dims outDims = geo->outDims({x->dim(0), x->dim(1)});
        const bool wantIndices = m_kind == PoolKind::Max && ctx.outputs.size() > 1;
        return dispatchPoolType(x->dtype(), m_op, m_kind == PoolKind::Max, [&](auto tag) {
            using T = decltype(tag);
            Tensor y(x->dtype(), outDims);
            Tensor idx;
            if (wantIndices)
                idx = Tensor(DataType::Int64, outDims);
            if (y.numel() > 0 && !wantIndices && std::is_floating_point_v<T>)
                poolPlanesByTap<T>(m_kind, *geo, x->dim(0) * x->dim(1), x->data<T>(),
                                   y.mutableData<T>(), m_countIncludePad, m_p);
            else if (y.numel() > 0)
                poolPlanes<T>(m_kind, *geo, x->dim(0) * x->dim(1), x->data<T>(), y.mutableData<T>(),
                              wantIndices ? idx.mutableData<int64_t>() : nullptr, m_countIncludePad,
                              m_columnMajor, m_p);
            ctx.outputs[0] = std::move(y);
            if (wantIndices)
                ctx.outputs[1] = std::move(idx);
            return Result<void>{};
        });
    }

private:
    PoolKind m_kind;
    const char *m_op;
    WindowAttrs m_attrs;
    bool m_countIncludePad;
    bool m_columnMajor;
    float m_p;
};

Result<std::unique_ptr<Kernel>> makePool(const KernelBuildInfo &info, PoolKind kind,
                                         const char *op)
{
    auto attrs = parseWindowAttrs(info.node);
    if (!attrs)
        return std::unexpected(attrs.error());
    const int64_t storage = info.node.attrInt("storage_order", 0);
    if (storage != 0 && storage != 1)
        return fail("MaxPool storage_order must be 0 or 1, not " + std::to_string(storage) + ".");
    float p = 2.0f;
    if (kind == PoolKind::Lp) {
        // LpPool-1 had p as a float; later opsets as an int.
        const Attribute *a = info.node.attr("p");
        if (a && a->kind == Attribute::Kind::Int)
            p = static_cast<float>(a->i);
        else if (a && a->kind == Attribute::Kind::Float)
            p = a->f;
        if (p <= 0.0f)
            return fail("LpPool p must be positive.");
    }
    return std::make_unique<PoolKernel>(kind, op, std::move(*attrs),
                                        info.node.attrInt("count_include_pad", 0) != 0,
                                        storage == 1, p);
}

Result<std::unique_ptr<Kernel>> makeMaxPool(const KernelBuildInfo &info)
{
    return makePool(info, PoolKind::Max, "MaxPool");
}

Result<std::unique_ptr<Kernel>> makeAveragePool(const KernelBuildInfo &info)
{
    return makePool(info, PoolKind::Average, "AveragePool");
}

Result<std::unique_ptr<Kernel>> makeLpPool(const KernelBuildInfo &info)
{
    return makePool(info, PoolKind::Lp, "LpPool");
}

// ---------------------------------------------------------------------------------------------
// Global pools: one value per (n, c) plane.

class GlobalPoolKernel final : public Kernel
{
public:
    GlobalPoolKernel(PoolKind kind, const char *op, float p) : m_kind(kind), m_op(op), m_p(p) {}

    Result<void> run(KernelContext &ctx) override
    {
        const Tensor *x = ctx.input(0);
        if (!x)
            return fail(std::string(m_op) + " needs input X.");
        if (x->rank() < 2)
            return fail(std::string(m_op) + " input X must have rank 2 or more ([N, C, "
                        "spatial...]), got shape " + shapeText(*x) + ".");
        Dims outDims = x->dims();
        for (std::size_t i = 2; i < outDims.size(); ++i)
            outDims[i] = 1;
        const int64_t planes = x->dim(0) * x->dim(1);
        const int64_t size = planes == 0 ? 0 : x->numel() / planes;
        return dispatchPoolType(x->dtype(), m_op, m_kind == PoolKind::Max, [&](auto tag) {
            using T = decltype(tag);
            if (size == 0 && planes > 0)
                return Result<void>(fail(std::string(m_op) + " input X has an empty spatial "
                                         "extent (shape " + shapeText(*x) + ")."));
            Tensor y(x->dtype(), outDims);
            const T *px = x->data<T>();
            T *py = y.mutableData<T>();
            parallelForRange(
                planes, (x->numel() > 65536) ? 1 : (planes), [&](int64_t begin_, int64_t end_) {
                    for (int64_t pl = begin_; pl < end_; ++pl) {
                        const T *xp = px + pl * size;
                        if (m_kind == PoolKind::Max) {
                            py[pl] = *std::max_element(xp, xp + size);
                        } else if (m_kind == PoolKind::Average) {
                            double acc = 0;
                            for (int64_t i = 0; i < size; ++i)
                                acc += static_cast<double>(xp[i]);
                            py[pl] = static_cast<T>(acc / double(size));
                        } else {
                            double acc = 0;
                            for (int64_t i = 0; i < size; ++i)
                                acc += std::pow(std::abs(static_cast<double>(xp[i])), double(m_p));
                            py[pl] = static_cast<T>(std::pow(acc, 1.0 / double(m_p)));
                        }
                    }
                });
            ctx.outputs[0] = std::move(y);
            return Result<void>{};
        });
    }

private:
    PoolKind m_kind;
    const char *m_op;
    float m_p;
};

Result<std::unique_ptr<Kernel>> makeGlobalMaxPool(const KernelBuildInfo &)
{
    return std::make_unique<GlobalPoolKernel>(PoolKind::Max, "GlobalMaxPool", 0.0f);
}

Result<std::unique_ptr<Kernel>> makeGlobalAveragePool(const KernelBuildInfo &)
{
    return std::make_unique<GlobalPoolKernel>(PoolKind::Average, "GlobalAveragePool", 0.0f);
}

Result<std::unique_ptr<Kernel>> makeGlobalLpPool(const KernelBuildInfo &info)
{
    const Attribute *a = info.node.attr("p");
    float p = 2.0f;
    if (a && a->kind == Attribute::Kind::Int)
        p = static_cast<float>(a->i);
    else if (a && a->kind == Attribute::Kind::Float)
        p = a->f;
    if (p <= 0.0f)
        return fail("GlobalLpPool p must be positive.");
    return std::make_unique<GlobalPoolKernel>(PoolKind::Lp, "GlobalLpPool", p);
}

// ---------------------------------------------------------------------------------------------
// MaxUnpool: scatters X into a zero tensor at the flat indices MaxPool produced.

class MaxUnpoolKernel final : public Kernel
{
public:
    explicit MaxUnpoolKernel(WindowAttrs attrs) : m_attrs(std::move(attrs)) {}

    Result<void> run(KernelContext &ctx) override
    {
        const Tensor *x = ctx.input(0);
        const Tensor *ind = ctx.input(1);
        if (!x || !ind)
            return fail("MaxUnpool needs inputs X and I.");
        if (x->rank() < 3)
            return fail("MaxUnpool input X must have rank 3 or more, got shape " + shapeText(*x)
                        + ".");
        if (ind->dims() != x->dims())
            return fail("MaxUnpool indices I have shape " + shapeText(*ind)
                        + " but X has shape " + shapeText(*x) + ".");
        const std::size_t r = static_cast<std::size_t>(x->rank()) - 2;
        if (m_attrs.kernelShape.size() != r)
            return fail("MaxUnpool kernel_shape " + dimsToString(m_attrs.kernelShape)
                        + " does not match the " + std::to_string(r)
                        + " spatial dimensions of X.");
        if ((!m_attrs.strides.empty() && m_attrs.strides.size() != r)
            || (!m_attrs.pads.empty() && m_attrs.pads.size() != 2 * r))
            return fail("MaxUnpool strides or pads do not match the " + std::to_string(r)
                        + " spatial dimensions of X.");
        // The indices address the inferred output; an explicit output_shape places the same
        // coordinates into a (usually larger) tensor.
        Dims inferred = {x->dim(0), x->dim(1)};
        for (std::size_t i = 0; i < r; ++i) {
            const int64_t s = m_attrs.strides.empty() ? 1 : m_attrs.strides[i];
            const int64_t pads = m_attrs.pads.empty() ? 0 : m_attrs.pads[i] + m_attrs.pads[i + r];
            inferred.push_back((x->dim(static_cast<int64_t>(i) + 2) - 1) * s
                               + m_attrs.kernelShape[i] - pads);
        }
        Dims outDims = inferred;
        if (const Tensor *shape = ctx.input(2)) {
            outDims = shape->toInt64Vector();
            if (outDims.size() != x->dims().size() || outDims[0] != x->dim(0)
                || outDims[1] != x->dim(1))
                return fail("MaxUnpool output_shape " + dimsToString(outDims)
                            + " does not match X of shape " + shapeText(*x) + ".");
        }
        const std::vector<int64_t> idx = ind->toInt64Vector();
        return dispatchPoolType(x->dtype(), "MaxUnpool", true, [&](auto tag) {
            using T = decltype(tag);
            Tensor y(x->dtype(), outDims);
            T *py = y.mutableData<T>();
            const T *px = x->data<T>();
            const int64_t inferredCount = numElements(inferred);
            for (std::size_t i = 0; i < idx.size(); ++i) {
                int64_t rem = idx[i], flat = 0, stride = 1;
                bool inside = rem >= 0 && rem < inferredCount;
                for (std::size_t d = inferred.size(); d-- > 0 && inside;) {
                    const int64_t coord = rem % inferred[d];
                    rem /= inferred[d];
                    inside = coord < outDims[d];
                    flat += coord * stride;
                    stride *= outDims[d];
                }
                if (!inside)
                    return Result<void>(fail("MaxUnpool index " + std::to_string(idx[i])
                                             + " is outside the output of shape "
                                             + dimsToString(outDims) + "."));
                py[flat] = px[i];
            }
            ctx.outputs[0] = std::move(y);
            return Result<void>{};
        });
    }

private:
    WindowAttrs m_attrs;
};

Result<std::unique_ptr<Kernel>> makeMaxUnpool(const KernelBuildInfo &info)
{
    auto attrs = parseWindowAttrs(info.node);
    if (!attrs)
        return std::unexpected(attrs.error());
    if (attrs->kernelShape.empty())
        return fail("MaxUnpool needs a kernel_shape attribute.");
    return std::make_unique<MaxUnpoolKernel>(std::move(*attrs));
}

const OpEntry kEntries[] = {
    {"", "MaxPool", 1, kMaxOpset, &halfCapable<&makeMaxPool>},
    {"", "AveragePool", 1, kMaxOpset, &halfCapable<&makeAveragePool>},
    {"", "LpPool", 1, kMaxOpset, &halfCapable<&makeLpPool>},
    {"", "GlobalMaxPool", 1, kMaxOpset, &halfCapable<&makeGlobalMaxPool>},
    {"", "GlobalAveragePool", 1, kMaxOpset, &halfCapable<&makeGlobalAveragePool>},
    {"", "GlobalLpPool", 1, kMaxOpset, &halfCapable<&makeGlobalLpPool>},
    {"", "MaxUnpool", 9, kMaxOpset, &halfCapable<&makeMaxUnpool>},
};

} // namespace

std::span<const OpEntry> poolOps()
{
    return kEntries;
}

} // namespace nnc::nn
