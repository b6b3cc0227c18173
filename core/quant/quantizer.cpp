// Affine quantization math (guide: /work/shared/guide/quantization.md). Quantization is computed
// exactly as ONNX QuantizeLinear does it, in float32 with a true division and round half to even
// (q = nearbyint(r / S) + Z, saturated), and dequantization as float(q - Z) * S, so the preview
// equals an exported QDQ model bit for bit.
#include "core/quant/quantizer.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>

namespace nnc {

namespace {

constexpr std::size_t kParallelThreshold = std::size_t{1} << 18;
constexpr std::size_t kChunk = std::size_t{1} << 14;

int clampBits(int bits)
{
    return std::clamp(bits, 2, 16);
}

// The fake-quantization of one element, written so that GCC vectorizes the loops below: a true
// division, nearbyint (roundps under the default rounding mode), compare-and-select clamping
// and a NaN select (ONNX maps NaN to the zero point, so the dequantized value is 0).
inline float fakeQuantOne(float x, float s, float z, float lo, float hi)
{
    float v = std::nearbyint(x / s) + z;
    v = v > hi ? hi : v;
    v = v < lo ? lo : v;
    v = v == v ? v : z;
    return (v - z) * s;
}

void fakeQuantInPlace(float *x, std::size_t n, float s, float z, float lo, float hi)
{
#pragma omp simd
    for (std::size_t i = 0; i < n; ++i)
        x[i] = fakeQuantOne(x[i], s, z, lo, hi);
}

void fakeQuantCopy(const float *__restrict in, float *__restrict out, std::size_t n, float s,
                   float z, float lo, float hi)
{
#pragma omp simd
    for (std::size_t i = 0; i < n; ++i)
        out[i] = fakeQuantOne(in[i], s, z, lo, hi);
}

// Serial fake quantization of [in, in + n) to out for any aliasing of the two ranges.
void fakeQuantRange(const float *in, float *out, std::size_t n, const QuantParams &p)
{
    const float s = p.scale, z = static_cast<float>(p.zeroPoint);
    const float lo = static_cast<float>(p.qmin), hi = static_cast<float>(p.qmax);
    if (in == out) {
        fakeQuantInPlace(out, n, s, z, lo, hi);
        return;
    }
    const auto a = reinterpret_cast<std::uintptr_t>(in), b = reinterpret_cast<std::uintptr_t>(out);
    const std::uintptr_t bytes = n * sizeof(float);
    if (a + bytes <= b || b + bytes <= a) {
        fakeQuantCopy(in, out, n, s, z, lo, hi);
        return;
    }
    // Partial overlap: go through a local buffer so every input is read before it is written.
    float buf[1024];
    if (out < in) {
        for (std::size_t i = 0; i < n; i += 1024) {
            const std::size_t m = std::min<std::size_t>(1024, n - i);
            fakeQuantCopy(in + i, buf, m, s, z, lo, hi);
            std::memmove(out + i, buf, m * sizeof(float));
        }
    } else {
        for (std::size_t end = n; end > 0;) {
            const std::size_t m = std::min<std::size_t>(1024, end);
            end -= m;
            fakeQuantCopy(in + end, buf, m, s, z, lo, hi);
            std::memmove(out + end, buf, m * sizeof(float));
        }
    }
}

} // namespace

std::pair<int32_t, int32_t> integerRange(int bits, IntRange range)
{
    const int b = clampBits(bits);
    switch (range) {
    case IntRange::Unsigned:
        return {0, (int32_t{1} << b) - 1};
    case IntRange::SignedRestricted:
        return {-((int32_t{1} << (b - 1)) - 1), (int32_t{1} << (b - 1)) - 1};
    case IntRange::Signed:
    default:
        return {-(int32_t{1} << (b - 1)), (int32_t{1} << (b - 1)) - 1};
    }
}

QuantParams chooseParams(const QuantSpec &spec, float rmin, float rmax)
{
    const int b = clampBits(spec.bits);
    QuantParams p;
    std::tie(p.qmin, p.qmax) = integerRange(b, spec.range);
    // Non-finite bounds carry no usable range: NaN counts as 0, infinities as the float limits.
    auto sane = [](float v) {
        if (std::isnan(v))
            return 0.0;
        return std::clamp(static_cast<double>(v), -static_cast<double>(std::numeric_limits<float>::max()),
                          static_cast<double>(std::numeric_limits<float>::max()));
    };
    double lo = sane(rmin), hi = sane(rmax);
    if (lo > hi)
        std::swap(lo, hi);
    lo = std::min(lo, 0.0);   // zero must be exactly representable
    hi = std::max(hi, 0.0);

    double scale = 0;
    bool symmetric = spec.symmetric;
    if (symmetric && spec.range == IntRange::Unsigned)
        scale = hi / static_cast<double>(p.qmax);   // rmax / (2^b - 1); negatives clip to 0
    else if (symmetric)
        scale = std::max(-lo, hi) / static_cast<double>((int32_t{1} << (b - 1)) - 1);
    else
        scale = (hi - lo) / static_cast<double>(p.qmax - p.qmin);

    auto s = static_cast<float>(scale);
    if (!(s > 0) || !std::isfinite(s)) {
        // Degenerate range (e.g. a fully pruned tensor): S = 1, Z = 0; an asymmetric unsigned
        // range takes the midpoint so the fallback grid is centred on zero like a signed one.
        p.scale = 1.0f;
        p.zeroPoint = (!symmetric && spec.range == IntRange::Unsigned) ? (int32_t{1} << (b - 1)) : 0;
        return p;
    }
    // Keep S a normal float: a subnormal scale loses precision in r / S and is rejected by
    // some runtimes; ranges that small are zero for every practical purpose.
    s = std::max(s, std::numeric_limits<float>::min());
    p.scale = s;
    if (symmetric) {
        p.zeroPoint = 0;
    } else {
        const double z = std::nearbyint(static_cast<double>(p.qmin) - lo / static_cast<double>(s));
        p.zeroPoint = static_cast<int32_t>(
            std::clamp(z, static_cast<double>(p.qmin), static_cast<double>(p.qmax)));
    }
    return p;
}

int32_t quantizeValue(float r, const QuantParams &p)
{
    float v = std::nearbyint(r / p.scale) + static_cast<float>(p.zeroPoint);
    if (std::isnan(v))
        return p.zeroPoint;
    v = std::clamp(v, static_cast<float>(p.qmin), static_cast<float>(p.qmax));
    return static_cast<int32_t>(v);
}

float dequantizeValue(int32_t q, const QuantParams &p)
{
    return static_cast<float>(q - p.zeroPoint) * p.scale;
}

void fakeQuantize(std::span<const float> in, std::span<float> out, const QuantParams &p)
{
    const std::size_t n = std::min(in.size(), out.size());
    const float *src = in.data();
    float *dst = out.data();
    const auto a = reinterpret_cast<std::uintptr_t>(src), b = reinterpret_cast<std::uintptr_t>(dst);
    const bool partialOverlap = src != dst && a < b + n * sizeof(float) && b < a + n * sizeof(float);
    if (n < kParallelThreshold || partialOverlap) {
        fakeQuantRange(src, dst, n, p);
        return;
    }
    const auto chunks = static_cast<int64_t>((n + kChunk - 1) / kChunk);
#pragma omp parallel for schedule(static)
    for (int64_t c = 0; c < chunks; ++c) {
        const std::size_t begin = static_cast<std::size_t>(c) * kChunk;
        fakeQuantRange(src + begin, dst + begin, std::min(kChunk, n - begin), p);
    }
}

Result<Tensor> fakeQuantizeTensor(const Tensor &x, std::span<const QuantParams> params, int axis)
{
    if (x.dtype() != DataType::Float)
        return fail("fake quantization needs a float tensor; this one is "
                    + std::string(dtypeName(x.dtype())) + ".");
    if (params.empty())
        return fail("fake quantization needs at least one (scale, zero point) pair.");
    for (const QuantParams &p : params)
        if (!(p.scale > 0) || !std::isfinite(p.scale) || p.qmin > p.qmax)
            return fail("fake quantization got an invalid scale or integer range (scale "
                        + std::to_string(p.scale) + ", range [" + std::to_string(p.qmin) + ", "
                        + std::to_string(p.qmax) + "]).");
    Tensor out(DataType::Float, x.dims());
    const auto in = x.span<float>();
    const auto dst = out.mutableSpan<float>();
    if (params.size() == 1) {
        fakeQuantize(in, dst, params[0]);
        return out;
    }
    const int64_t rank = x.rank();
    if (axis < -rank || axis >= rank)
        return fail("the quantization axis " + std::to_string(axis) + " is out of range for a tensor of shape "
                    + dimsToString(x.dims()) + ".");
    const int64_t ax = axis < 0 ? axis + rank : axis;
    const int64_t channels = x.dim(ax);
    if (static_cast<int64_t>(params.size()) != channels)
        return fail("per-channel quantization along axis " + std::to_string(ax) + " of a tensor of shape "
                    + dimsToString(x.dims()) + " needs " + std::to_string(channels)
                    + " (scale, zero point) pairs, not " + std::to_string(params.size()) + ".");
    int64_t outer = 1, inner = 1;
    for (int64_t i = 0; i < ax; ++i)
        outer *= x.dim(i);
    for (int64_t i = ax + 1; i < rank; ++i)
        inner *= x.dim(i);
    const int64_t rows = outer * channels;
#pragma omp parallel for schedule(static) if (x.numel() >= static_cast<int64_t>(kParallelThreshold))
    for (int64_t r = 0; r < rows; ++r) {
        const auto off = static_cast<std::size_t>(r * inner);
        fakeQuantRange(in.data() + off, dst.data() + off, static_cast<std::size_t>(inner),
                       params[static_cast<std::size_t>(r % channels)]);
    }
    return out;
}

QuantParams tensorParams(std::span<const float> values, const QuantSpec &spec)
{
    float lo = std::numeric_limits<float>::infinity(), hi = -lo;
    for (float v : values) {
        if (!std::isfinite(v))
            continue;
        lo = v < lo ? v : lo;
        hi = v > hi ? v : hi;
    }
    if (lo > hi)
        lo = hi = 0;
    return chooseParams(spec, lo, hi);
}

Result<std::vector<QuantParams>> perChannelParams(const Tensor &weight, const QuantSpec &spec,
                                                  int axis)
{
    if (weight.dtype() != DataType::Float)
        return fail("per-channel quantization needs a float tensor; this one is "
                    + std::string(dtypeName(weight.dtype())) + ".");
    const int64_t rank = weight.rank();
    if (rank == 0 || axis < -rank || axis >= rank)
        return fail("the quantization axis " + std::to_string(axis) + " is out of range for a tensor of shape "
                    + dimsToString(weight.dims()) + ".");
    const int64_t ax = axis < 0 ? axis + rank : axis;
    const int64_t channels = weight.dim(ax);
    int64_t outer = 1, inner = 1;
    for (int64_t i = 0; i < ax; ++i)
        outer *= weight.dim(i);
    for (int64_t i = ax + 1; i < rank; ++i)
        inner *= weight.dim(i);
    const float inf = std::numeric_limits<float>::infinity();
    std::vector<float> lo(static_cast<std::size_t>(channels), inf), hi(lo.size(), -inf);
    const float *w = weight.data<float>();
    for (int64_t o = 0; o < outer; ++o)
        for (int64_t c = 0; c < channels; ++c) {
            const float *row = w + (o * channels + c) * inner;
            float l = lo[static_cast<std::size_t>(c)], h = hi[static_cast<std::size_t>(c)];
            for (int64_t i = 0; i < inner; ++i) {
                const float v = row[i];
                if (!std::isfinite(v))
                    continue;
                l = v < l ? v : l;
                h = v > h ? v : h;
            }
            lo[static_cast<std::size_t>(c)] = l;
            hi[static_cast<std::size_t>(c)] = h;
        }
    std::vector<QuantParams> out(lo.size());
    for (std::size_t c = 0; c < lo.size(); ++c)
        out[c] = lo[c] > hi[c] ? chooseParams(spec, 0, 0) : chooseParams(spec, lo[c], hi[c]);
    return out;
}

int weightChannelAxis(std::string_view opType, int64_t weightRank, bool transB)
{
    if (weightRank <= 0)
        return -1;
    if (opType == "Conv")
        return 0;
    if (opType == "ConvTranspose")
        return weightRank >= 2 ? 1 : -1;
    if (opType == "Gemm")
        return weightRank == 2 ? (transB ? 0 : 1) : -1;
    if (opType == "MatMul")
        return static_cast<int>(weightRank - 1);
    if (opType == "Gather")
        return 0;
    if (opType == "LSTM" || opType == "GRU" || opType == "RNN")
        return weightRank >= 2 ? 1 : -1;
    return -1;
}

int64_t compressedWeightBits(int64_t numel, int64_t nonZero, int64_t channels, int bits)
{
    numel = std::max<int64_t>(numel, 0);
    nonZero = std::clamp<int64_t>(nonZero, 0, numel);
    const int64_t b = std::max(bits, 1);
    const int64_t params = std::max<int64_t>(channels, 0) * (32 + b);
    const int64_t dense = numel * b;
    const int64_t sparse = numel + nonZero * b;
    return params + std::min(dense, sparse);
}

ErrorStats compareTensors(std::span<const float> ref, std::span<const float> approx, float rmin,
                          float rmax)
{
    ErrorStats st;
    const auto n = static_cast<int64_t>(std::min(ref.size(), approx.size()));
    if (n == 0) {
        st.sqnrDb = std::numeric_limits<double>::infinity();
        return st;
    }
    const bool checkClip = rmin <= rmax;
    double sumErr2 = 0, sumRef2 = 0, sumApp2 = 0, dot = 0, maxAbs = 0;
    int64_t clipped = 0;
    const float *r = ref.data(), *a = approx.data();
#pragma omp parallel for schedule(static) if (n >= static_cast<int64_t>(kParallelThreshold)) \
    reduction(+ : sumErr2, sumRef2, sumApp2, dot, clipped) reduction(max : maxAbs)
    for (int64_t i = 0; i < n; ++i) {
        const double x = r[i], y = a[i], e = x - y;
        sumErr2 += e * e;
        sumRef2 += x * x;
        sumApp2 += y * y;
        dot += x * y;
        maxAbs = std::max(maxAbs, std::abs(e));
        clipped += (checkClip && (r[i] < rmin || r[i] > rmax)) ? 1 : 0;
    }
    st.mse = sumErr2 / static_cast<double>(n);
    st.maxAbs = maxAbs;
    st.sqnrDb = sumErr2 == 0 ? std::numeric_limits<double>::infinity()
                             : 10.0 * std::log10(sumRef2 / sumErr2);
    if (sumRef2 == 0 && sumApp2 == 0)
        st.cosine = 1;
    else if (sumRef2 == 0 || sumApp2 == 0)
        st.cosine = 0;
    else
        st.cosine = std::clamp(dot / (std::sqrt(sumRef2) * std::sqrt(sumApp2)), -1.0, 1.0);
    st.clippedFraction = checkClip ? static_cast<double>(clipped) / static_cast<double>(n) : 0.0;
    return st;
}

} // namespace nnc
