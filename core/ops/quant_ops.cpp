// quant op family: QuantizeLinear, DequantizeLinear and DynamicQuantizeLinear, plus the family's
// entries in the op table (the integer matmul and conv kernels live in quant_gemm.cpp and
// quant_conv.cpp). Quantization follows ONNX exactly: q = saturate(round_half_even(x / scale)
// + zero_point), computed in float with a true division as ONNX Runtime does, so QDQ models
// reproduce bit for bit; r = (q - zero_point) * scale.
#include "core/ops/nn_parallel.h"
#include "core/ops/op_table.h"
#include "core/ops/op_util.h"
#include "core/ops/quant_internal.h"

#include <algorithm>
#include <cmath>
#include <limits>

#if defined(__AVX2__)
#include <immintrin.h>
#endif

namespace nnc {

namespace quant {

std::string typeText(const Tensor &t)
{
    return std::string(dtypeName(t.dtype()));
}

Result<void> checkScalarOrCount(const Tensor &t, int64_t n, const std::string &what,
                                const std::string &countMeaning)
{
    if (t.numel() == 1 && t.rank() <= 1)
        return {};
    if (t.rank() == 1 && t.numel() == n)
        return {};
    return fail(what + " has shape " + dimsToString(t.dims()) + "; it must be a scalar or a 1-D tensor of "
                + std::to_string(n) + " values (" + countMeaning + ").");
}

} // namespace quant

namespace {

using quant::typeText;

// Where each element's scale and zero point come from: x is viewed as [outer, axisDim, inner]
// around the quantization axis. Per tensor: one value. Per axis: value d along the axis.
// Blocked (opset 21): the scale has x's rank with ceil(axisDim / block) along the axis.
struct ScaleLayout
{
    bool perTensor = true;
    int64_t outer = 1, axisDim = 1, inner = 1;
    int64_t block = 0;       ///< > 0 for blocked quantization
    int64_t numBlocks = 1;   ///< ceil(axisDim / block)
};

Result<ScaleLayout> scaleLayout(const Tensor &x, const Tensor &scale, const Tensor *zeroPoint,
                                int64_t axisAttr, int64_t blockSize)
{
    ScaleLayout l;
    if (zeroPoint && zeroPoint->dims() != scale.dims()
        && !(zeroPoint->numel() == 1 && scale.numel() == 1))
        return fail("the zero point has shape " + dimsToString(zeroPoint->dims())
                    + " but the scale has shape " + dimsToString(scale.dims())
                    + "; they must match.");
    if (scale.rank() == 0 || (scale.rank() == 1 && scale.numel() == 1 && blockSize <= 0))
        return l;
    auto axis = ops::normalizeAxis(axisAttr, x.rank());
    if (!axis)
        return fail("the quantization " + axis.error().message);
    l.perTensor = false;
    l.axisDim = x.dim(*axis);
    for (int64_t i = 0; i < *axis; ++i)
        l.outer *= x.dim(i);
    for (int64_t i = *axis + 1; i < x.rank(); ++i)
        l.inner *= x.dim(i);
    if (blockSize <= 0) {
        if (scale.rank() != 1 || scale.numel() != l.axisDim)
            return fail("the scale has shape " + dimsToString(scale.dims())
                        + "; per-axis quantization along axis " + std::to_string(*axis)
                        + " of an input of shape " + dimsToString(x.dims()) + " needs "
                        + std::to_string(l.axisDim) + " values.");
        return l;
    }
    l.block = blockSize;
    l.numBlocks = (l.axisDim + blockSize - 1) / blockSize;
    Dims expected = x.dims();
    expected[static_cast<std::size_t>(*axis)] = l.numBlocks;
    if (scale.dims() != expected)
        return fail("the scale has shape " + dimsToString(scale.dims()) + "; blocked quantization with "
                    "block_size " + std::to_string(blockSize) + " along axis "
                    + std::to_string(*axis) + " of an input of shape " + dimsToString(x.dims())
                    + " needs shape " + dimsToString(expected) + ".");
    return l;
}

/// Calls f(scaleOffset, scaleStride, xOffset, count) for every contiguous run of x that uses
/// scales scale[scaleOffset + j * scaleStride], j < count. Runs are independent (parallel-safe).
template<class F>
void forEachRun(const ScaleLayout &l, int64_t total, F &&f)
{
    if (l.perTensor) {
        constexpr int64_t kChunk = 1 << 14;
        const int64_t chunks = (total + kChunk - 1) / kChunk;
        auto chunk = [&](int64_t c) {
            f(int64_t{0}, int64_t{0}, c * kChunk, std::min(kChunk, total - c * kChunk));
        };
        if (chunks > 1)
            nn::parallelFor(chunks, chunk);
        else
            for (int64_t c = 0; c < chunks; ++c)
                chunk(c);
        return;
    }
    const int64_t rows = l.outer * l.axisDim;
    auto row = [&](int64_t r) {
        const int64_t o = r / l.axisDim, d = r % l.axisDim;
        if (l.block > 0)
            f((o * l.numBlocks + d / l.block) * l.inner, int64_t{1}, r * l.inner, l.inner);
        else
            f(d, int64_t{0}, r * l.inner, l.inner);
    };
    if (total > (1 << 14))
        // Chunks of rows, not one pool claim per row: with per-axis scales on the last axis a
        // row is one element.
        nn::parallelForRange(rows, std::max<int64_t>(1, (int64_t{1} << 14) / l.inner),
                             [&](int64_t begin, int64_t end) {
                                 for (int64_t r = begin; r < end; ++r)
                                     row(r);
                             });
    else
        for (int64_t r = 0; r < rows; ++r)
            row(r);
}

template<class Q>
constexpr bool isQuantOutput()
{
    return std::is_same_v<Q, uint8_t> || std::is_same_v<Q, int8_t> || std::is_same_v<Q, uint16_t>
           || std::is_same_v<Q, int16_t>;
}

/// saturate(round_half_even(x / scale) + zeroPoint) for Q's range. NaN maps to the lowest value,
/// as in ONNX Runtime's x86 kernels (the spec leaves it open).
template<class Q>
inline Q quantizeValue(float x, float scale, float zeroPoint)
{
    constexpr float lo = static_cast<float>(std::numeric_limits<Q>::lowest());
    constexpr float hi = static_cast<float>(std::numeric_limits<Q>::max());
    const float v = std::nearbyint(x / scale) + zeroPoint;
    if (std::isnan(v))
        return std::numeric_limits<Q>::lowest();
    return static_cast<Q>(std::clamp(v, lo, hi));
}

std::vector<float> zeroPointsAsFloat(const Tensor *zp, std::size_t n)
{
    std::vector<float> out(n, 0.0f);
    if (zp)
        for (std::size_t i = 0; i < n && i < static_cast<std::size_t>(zp->numel()); ++i)
            out[i] = static_cast<float>(zp->valueAsDouble(static_cast<int64_t>(i)));
    return out;
}

bool isScaleType(DataType t)
{
    return t == DataType::Float || t == DataType::Float16 || t == DataType::BFloat16;
}

class QuantizeLinear final : public Kernel
{
public:
    QuantizeLinear(int64_t opset, int64_t axis, int64_t blockSize, int64_t outputType)
        : m_opset(opset), m_axis(axis), m_blockSize(blockSize), m_outputType(outputType)
    {}

    Result<void> run(KernelContext &ctx) override
    {
        const Tensor *x = ctx.input(0);
        const Tensor *scale = ctx.input(1);
        const Tensor *zp = ctx.input(2);
        if (!x || !scale)
            return fail("QuantizeLinear needs the inputs x and y_scale.");
        const DataType xt = x->dtype();
        if (xt != DataType::Float && xt != DataType::Float16 && xt != DataType::BFloat16
            && xt != DataType::Int32)
            return fail("input x has type " + typeText(*x)
                        + "; QuantizeLinear takes float, float16, bfloat16 or int32.");
        if (!isScaleType(scale->dtype()))
            return fail("y_scale has type " + typeText(*scale) + "; it must be float, float16 or bfloat16.");
        if (m_opset < 13 && scale->numel() != 1)
            return fail("y_scale has shape " + dimsToString(scale->dims()) + "; before opset 13 "
                        "QuantizeLinear takes a scalar scale only.");
        DataType outType = DataType::UInt8;
        if (zp) {
            outType = zp->dtype();
            if (m_outputType != 0 && static_cast<int64_t>(outType) != m_outputType)
                return fail("y_zero_point has type " + typeText(*zp)
                            + " but the output_dtype attribute asks for another type.");
        } else if (m_outputType != 0) {
            outType = static_cast<DataType>(m_outputType);
        }
        auto layout = scaleLayout(*x, *scale, zp, m_axis, m_blockSize);
        if (!layout)
            return std::unexpected(layout.error());

        const std::vector<float> xf = xt == DataType::Float ? std::vector<float>{} : x->toFloatVector();
        const float *xs = xt == DataType::Float ? x->data<float>() : xf.data();
        const std::vector<float> sc = scale->toFloatVector();
        const std::vector<float> zps = zeroPointsAsFloat(zp, sc.size());
        Tensor y(outType, x->dims());
        bool ok = false;
        quant::visitQuantType(outType, [&](auto tag) {
            using Q = decltype(tag);
            if constexpr (isQuantOutput<Q>()) {
                ok = true;
                Q *out = y.mutableData<Q>();
                forEachRun(*layout, x->numel(),
                           [&](int64_t so, int64_t ss, int64_t xo, int64_t n) {
                               for (int64_t j = 0; j < n; ++j) {
                                   const auto s = static_cast<std::size_t>(so + j * ss);
                                   out[xo + j] = quantizeValue<Q>(xs[xo + j], sc[s], zps[s]);
                               }
                           });
            }
        });
        if (!ok)
            return fail("QuantizeLinear cannot produce " + std::string(dtypeName(outType))
                            + " (supported: uint8, int8, uint16, int16).",
                        Error::Code::Unsupported);
        ctx.outputs[0] = std::move(y);
        return {};
    }

private:
    int64_t m_opset, m_axis, m_blockSize, m_outputType;
};

class DequantizeLinear final : public Kernel
{
public:
    DequantizeLinear(int64_t opset, int64_t axis, int64_t blockSize, int64_t outputType)
        : m_opset(opset), m_axis(axis), m_blockSize(blockSize), m_outputType(outputType)
    {}

    Result<void> run(KernelContext &ctx) override
    {
        const Tensor *x = ctx.input(0);
        const Tensor *scale = ctx.input(1);
        const Tensor *zp = ctx.input(2);
        if (!x || !scale)
            return fail("DequantizeLinear needs the inputs x and x_scale.");
        if (!isScaleType(scale->dtype()))
            return fail("x_scale has type " + typeText(*scale) + "; it must be float, float16 or bfloat16.");
        if (m_opset < 13 && scale->numel() != 1)
            return fail("x_scale has shape " + dimsToString(scale->dims()) + "; before opset 13 "
                        "DequantizeLinear takes a scalar scale only.");
        if (zp && zp->dtype() != x->dtype())
            return fail("x_zero_point has type " + typeText(*zp) + " but x has type " + typeText(*x)
                        + "; they must match.");
        auto layout = scaleLayout(*x, *scale, zp, m_axis, m_blockSize);
        if (!layout)
            return std::unexpected(layout.error());
        DataType outType = scale->dtype();
        if (m_outputType != 0) {
            outType = static_cast<DataType>(m_outputType);
            if (!isScaleType(outType))
                return fail("the output_dtype attribute must name float, float16 or bfloat16.");
        }

        const std::vector<float> sc = scale->toFloatVector();
        std::vector<int64_t> zps(sc.size(), 0);
        if (zp)
            for (std::size_t i = 0; i < zps.size() && i < static_cast<std::size_t>(zp->numel()); ++i)
                zps[i] = static_cast<int64_t>(zp->valueAsDouble(static_cast<int64_t>(i)));
        Tensor y(DataType::Float, x->dims());
        float *out = y.mutableData<float>();
        const bool known = quant::visitQuantType(x->dtype(), [&](auto tag) {
            using Q = decltype(tag);
            const Q *in = x->data<Q>();
            forEachRun(*layout, x->numel(), [&](int64_t so, int64_t ss, int64_t xo, int64_t n) {
                for (int64_t j = 0; j < n; ++j) {
                    const auto s = static_cast<std::size_t>(so + j * ss);
                    out[xo + j] = static_cast<float>(static_cast<int64_t>(in[xo + j]) - zps[s]) * sc[s];
                }
            });
        });
        if (!known)
            return fail("input x has type " + typeText(*x)
                            + "; DequantizeLinear takes uint8, int8, uint16, int16 or int32.",
                        Error::Code::Unsupported);
        ctx.outputs[0] = outType == DataType::Float ? std::move(y) : y.castTo(outType);
        return {};
    }

private:
    int64_t m_opset, m_axis, m_blockSize, m_outputType;
};

template<class K>
Result<std::unique_ptr<Kernel>> makeQdq(const KernelBuildInfo &info)
{
    const Node &n = info.node;
    const int64_t axis = info.opset >= 13 ? n.attrInt("axis", 1) : 1;
    const int64_t block = info.opset >= 21 ? n.attrInt("block_size", 0) : 0;
    const int64_t outType = n.attrInt("output_dtype", 0);
    if (block < 0)
        return fail("block_size must not be negative.");
    if (outType != 0 && !dtypeFromOnnx(static_cast<int32_t>(outType)))
        return fail("output_dtype " + std::to_string(outType) + " is not a supported element type.",
                    Error::Code::Unsupported);
    return std::make_unique<K>(info.opset, axis, block, outType);
}

// The two passes of DynamicQuantizeLinear over [begin, end): the running min/max (NaN ignored,
// as std::min/std::max with the accumulator second) and the uint8 quantization. The AVX2 loops
// compute lane by lane exactly what the scalar ones do: IEEE division, round-half-even
// (nearbyint in the default rounding mode), the same clamp, NaN to 0 (max(NaN, 0) gives 0).
void dqlRange(const float *in, int64_t begin, int64_t end, float &lo, float &hi)
{
    int64_t i = begin;
#if defined(__AVX2__)
    if (end - begin >= 32) {
        __m256 vlo = _mm256_set1_ps(lo), vhi = _mm256_set1_ps(hi);
        for (; i + 8 <= end; i += 8) {
            const __m256 x = _mm256_loadu_ps(in + i);
            vlo = _mm256_min_ps(x, vlo);   // x < lo ? x : lo
            vhi = _mm256_max_ps(x, vhi);   // x > hi ? x : hi
        }
        alignas(32) float l[8], h[8];
        _mm256_store_ps(l, vlo);
        _mm256_store_ps(h, vhi);
        for (int j = 0; j < 8; ++j) {
            lo = std::min(lo, l[j]);
            hi = std::max(hi, h[j]);
        }
    }
#endif
    for (; i < end; ++i) {
        lo = std::min(lo, in[i]);
        hi = std::max(hi, in[i]);
    }
}

void dqlQuantize(const float *in, int64_t begin, int64_t end, float scale, float zpf,
                 uint8_t *out)
{
    int64_t i = begin;
#if defined(__AVX2__)
    const __m256 vs = _mm256_set1_ps(scale), vz = _mm256_set1_ps(zpf);
    const __m256 v0 = _mm256_setzero_ps(), v255 = _mm256_set1_ps(255.0f);
    for (; i + 8 <= end; i += 8) {
        __m256 v = _mm256_div_ps(_mm256_loadu_ps(in + i), vs);
        v = _mm256_add_ps(_mm256_round_ps(v, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC), vz);
        v = _mm256_min_ps(_mm256_max_ps(v, v0), v255);
        const __m256i q = _mm256_cvtps_epi32(v);   // whole numbers in [0, 255]: exact
        const __m128i w = _mm_packus_epi32(_mm256_castsi256_si128(q),
                                           _mm256_extracti128_si256(q, 1));
        _mm_storel_epi64(reinterpret_cast<__m128i *>(out + i), _mm_packus_epi16(w, w));
    }
#endif
    for (; i < end; ++i)
        out[i] = quantizeValue<uint8_t>(in[i], scale, zpf);
}

// DynamicQuantizeLinear (uint8 only), the formula of the ONNX spec as ONNX Runtime computes it:
//   rmin = min(0, min(x)), rmax = max(0, max(x)), scale = (rmax - rmin) / 255,
//   zero_point = saturate(round_half_even(0 - rmin / scale)), y = quantize(x, scale, zero_point).
// An all-zero (or empty) x has rmax == rmin; scale is then 1 instead of a division by zero.
Result<std::unique_ptr<Kernel>> makeDynamicQuantizeLinear(const KernelBuildInfo &)
{
    return makeKernel([](KernelContext &ctx) -> Result<void> {
        const Tensor *x = ctx.input(0);
        if (!x)
            return fail("DynamicQuantizeLinear needs the input x.");
        if (x->dtype() != DataType::Float)
            return fail("input x has type " + typeText(*x) + "; DynamicQuantizeLinear takes float.");
        const float *in = x->data<float>();
        const int64_t n = x->numel();
        float lo = 0.0f, hi = 0.0f;
        constexpr int64_t kChunk = 1 << 15;
        const int64_t chunks = (n + kChunk - 1) / kChunk;
        if (chunks > 2) {
            // Per-chunk extremes, combined afterwards: min/max of the same values in any order
            // (NaN never enters; +0 is never replaced by -0), so the result does not depend on
            // the threads.
            std::vector<float> los(static_cast<std::size_t>(chunks), 0.0f), his(los);
            nn::parallelFor(chunks, [&](int64_t c) {
                dqlRange(in, c * kChunk, std::min(n, (c + 1) * kChunk),
                         los[static_cast<std::size_t>(c)], his[static_cast<std::size_t>(c)]);
            });
            for (int64_t c = 0; c < chunks; ++c) {
                lo = std::min(lo, los[static_cast<std::size_t>(c)]);
                hi = std::max(hi, his[static_cast<std::size_t>(c)]);
            }
        } else {
            dqlRange(in, 0, n, lo, hi);
        }
        if (!std::isfinite(lo) || !std::isfinite(hi))
            return fail("input x contains an infinite value; its quantization range is undefined.");
        const float scale = hi == lo ? 1.0f : (hi - lo) / 255.0f;
        const float zpf = std::nearbyint(std::clamp(0.0f - lo / scale, 0.0f, 255.0f));
        Tensor y(DataType::UInt8, x->dims());
        uint8_t *out = y.mutableData<uint8_t>();
        if (chunks > 2)
            nn::parallelFor(chunks, [&](int64_t c) {
                dqlQuantize(in, c * kChunk, std::min(n, (c + 1) * kChunk), scale, zpf, out);
            });
        else
            dqlQuantize(in, 0, n, scale, zpf, out);
        ctx.outputs[0] = std::move(y);
        if (ctx.outputs.size() > 1)
            ctx.outputs[1] = Tensor::fromVector<float>({}, {scale});
        if (ctx.outputs.size() > 2)
            ctx.outputs[2] = Tensor::fromVector<uint8_t>({}, {static_cast<uint8_t>(zpf)});
        return {};
    });
}

const OpEntry kEntries[] = {
    {"", "QuantizeLinear", 10, kMaxOpset, &makeQdq<QuantizeLinear>},
    {"", "DequantizeLinear", 10, kMaxOpset, &makeQdq<DequantizeLinear>},
    {"", "DynamicQuantizeLinear", 11, kMaxOpset, &makeDynamicQuantizeLinear},
    {"", "MatMulInteger", 10, kMaxOpset, &quant::makeMatMulInteger},
    {"", "QLinearMatMul", 10, kMaxOpset, &quant::makeQLinearMatMul},
    {"", "ConvInteger", 10, kMaxOpset, &quant::makeConvInteger},
    {"", "QLinearConv", 10, kMaxOpset, &quant::makeQLinearConv},
};

} // namespace

std::span<const OpEntry> quantOps()
{
    return kEntries;
}

} // namespace nnc
