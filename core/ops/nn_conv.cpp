// Convolutions of the nn family: Conv (1-D to 3-D, groups, dilations, strides, pads, auto_pad)
// as im2col + GEMM (the AVX-512 kernel where the CPU has it, else Eigen; a register-blocked AVX2
// kernel for reductions of <= 32; none of it for 1x1 convs, which read X directly), depthwise
// 3x3/5x5 directly, and ConvTranspose as GEMM + col2im; com.microsoft FusedConv adds an
// activation. Problems of rank 1 and 2 are promoted to 3 spatial dims with leading size-1 dims
// so one set of loops serves all ranks.
// Layout: X [N, C, D, H, W], Conv W [M, C/group, kD, kH, kW], ConvTranspose W [C, M/group, k...].
#include "core/ops/nn_gemm_avx512.h"
#include "core/ops/nn_gemm_util.h"
#include "core/ops/nn_internal.h"
#include "core/ops/nn_parallel.h"

#if defined(__AVX2__) && defined(__FMA__)
#include <immintrin.h>
#endif

#include <algorithm>
#include <cstring>

namespace nnc::nn {

namespace {

/// ceil(a / b) for b > 0 and any sign of a.
inline int64_t ceilDiv(int64_t a, int64_t b)
{
    return a >= 0 ? (a + b - 1) / b : -((-a) / b);
}

/// Index range [lo, hi) of positions o in [0, count) with 0 <= o * s + off < limit.
inline std::pair<int64_t, int64_t> validRange(int64_t off, int64_t s, int64_t limit, int64_t count)
{
    const int64_t lo = std::clamp<int64_t>(ceilDiv(-off, s), 0, count);
    const int64_t hi = std::clamp<int64_t>(ceilDiv(limit - off, s), lo, count);
    return {lo, hi};
}

/// Scratch memory of the running thread, shared by every conv kernel that runs on it (a thread
/// runs one kernel item at a time), so memory stays at one buffer per thread rather than one per
/// kernel. `owner`/`key` record what the buffer holds, so im2col can keep padding zeros between
/// calls of the same kernel on the same geometry.
struct ThreadScratch
{
    std::vector<double> buffer;   // doubles: 8-byte aligned, fits float or double elements
    const void *owner = nullptr;
    Geometry3 geometry;
    std::array<int64_t, 3> key{0, 0, 0};

    template<class T>
    T *get(int64_t count)
    {
        const auto doubles = static_cast<std::size_t>((count * int64_t(sizeof(T)) + 7) / 8);
        if (buffer.size() < doubles) {
            buffer.resize(doubles);
            owner = nullptr;
        }
        return reinterpret_cast<T *>(buffer.data());
    }
};

ThreadScratch &threadScratch()
{
    thread_local ThreadScratch scratch;
    return scratch;
}

/// Largest im2col band, in elements: about 1 MB of floats, so a band written by im2col is still
/// in the core's cache when the GEMM reads it.
constexpr int64_t kMaxColElements = int64_t{1} << 18;

/// Lays out the receptive fields of one group of one image as a (Cg * kernelSize) x outSize
/// matrix: row (c, kd, kh, kw), column (od, oh, ow). Padding positions become zero, unless
/// writeZeros is false: they depend only on the geometry, so a buffer that already holds this
/// geometry's zeros needs only the data positions rewritten.
/// Only output rows [r0, r1) of the flattened (od, oh) row index are laid out (a band of
/// columns (r1 - r0) * OW wide).
template<class T>
void im2col(const T *x, int64_t channels, const Geometry3 &g, T *col, int64_t r0, int64_t r1,
            bool writeZeros = true)
{
    const int64_t ID = g.in[0], IH = g.in[1], IW = g.in[2];
    const int64_t OH = g.out[1], OW = g.out[2];
    const int64_t P = (r1 - r0) * OW;
    T *row = col;
    for (int64_t c = 0; c < channels; ++c) {
        const T *xc = x + c * ID * IH * IW;
        for (int64_t kd = 0; kd < g.kernel[0]; ++kd)
        for (int64_t kh = 0; kh < g.kernel[1]; ++kh)
        for (int64_t kw = 0; kw < g.kernel[2]; ++kw) {
            const int64_t offW = kw * g.dilation[2] - g.padBegin[2];
            const auto [owLo, owHi] = validRange(offW, g.stride[2], IW, OW);
            const int64_t sw = g.stride[2];
            T *dst = row;
            for (int64_t r = r0; r < r1; ++r, dst += OW) {
                const int64_t od = r / OH, oh = r % OH;
                const int64_t id = od * g.stride[0] + kd * g.dilation[0] - g.padBegin[0];
                {
                    const int64_t ih = oh * g.stride[1] + kh * g.dilation[1] - g.padBegin[1];
                    if (id < 0 || id >= ID || ih < 0 || ih >= IH) {
                        if (writeZeros)
                            std::fill(dst, dst + OW, T(0));
                        continue;
                    }
                    const T *src = xc + (id * IH + ih) * IW + offW;
                    if (writeZeros)
                        std::fill(dst, dst + owLo, T(0));
                    if (sw == 1) {
                        // Rows are short (tens of elements): an inline copy beats a memcpy call.
#pragma omp simd
                        for (int64_t ow = owLo; ow < owHi; ++ow)
                            dst[ow] = src[ow];
                    } else {
#pragma omp simd
                        for (int64_t ow = owLo; ow < owHi; ++ow)
                            dst[ow] = src[ow * sw];
                    }
                    if (writeZeros)
                        std::fill(dst + owHi, dst + OW, T(0));
                }
            }
            row += P;
        }
    }
}

/// Inverse of im2col for ConvTranspose: adds column matrix entries (row (m, kd, kh, kw),
/// column = input position) into the output image y of `channels` channels.
/// Here g.in is the ConvTranspose input (the column count) and g.out its output.
template<class T>
void col2im(const T *col, int64_t channels, const Geometry3 &g, T *y)
{
    const int64_t ID = g.in[0], IH = g.in[1], IW = g.in[2];
    const int64_t OD = g.out[0], OH = g.out[1], OW = g.out[2];
    const T *row = col;
    for (int64_t c = 0; c < channels; ++c) {
        T *yc = y + c * OD * OH * OW;
        for (int64_t kd = 0; kd < g.kernel[0]; ++kd)
        for (int64_t kh = 0; kh < g.kernel[1]; ++kh)
        for (int64_t kw = 0; kw < g.kernel[2]; ++kw) {
            const int64_t offW = kw * g.dilation[2] - g.padBegin[2];
            const auto [iwLo, iwHi] = validRange(offW, g.stride[2], OW, IW);
            const int64_t sw = g.stride[2];
            for (int64_t id = 0; id < ID; ++id) {
                const int64_t od = id * g.stride[0] + kd * g.dilation[0] - g.padBegin[0];
                if (od < 0 || od >= OD)
                    continue;
                for (int64_t ih = 0; ih < IH; ++ih) {
                    const int64_t oh = ih * g.stride[1] + kh * g.dilation[1] - g.padBegin[1];
                    if (oh < 0 || oh >= OH)
                        continue;
                    const T *src = row + (id * IH + ih) * IW;
                    T *dst = yc + (od * OH + oh) * OW + offW;
                    for (int64_t iw = iwLo; iw < iwHi; ++iw)
                        dst[iw * sw] += src[iw];
                }
            }
            row += ID * IH * IW;
        }
    }
}


/// Convolutions whose reduction (channels per group x kernel taps) is at most this use
/// smallKGemm instead of Eigen: Eigen's packing costs more than the product for tiny K.
constexpr int64_t kSmallK = 32;

/// y (M x P, row stride ldy) = w (M x K) * col (K x P, row stride ldcol) + bias (per row; null
/// for none), row-major, for small K.
/// Register-blocked: 4 rows x 16 columns of accumulators per step, so each column vector of
/// `col` is loaded once for 4 rows and every output is written exactly once.
void smallKGemm(const float *w, const float *col, int64_t ldcol, const float *bias, float *y,
                int64_t M, int64_t K, int64_t P, int64_t ldy)
{
    int64_t p0 = 0;
#if defined(__AVX2__) && defined(__FMA__)
    for (; p0 + 16 <= P; p0 += 16) {
        int64_t m = 0;
        for (; m + 4 <= M; m += 4) {
            // Eight named accumulators (an array would be spilled to the stack at -O2).
            __m256 a00 = _mm256_set1_ps(bias ? bias[m] : 0.0f), a01 = a00;
            __m256 a10 = _mm256_set1_ps(bias ? bias[m + 1] : 0.0f), a11 = a10;
            __m256 a20 = _mm256_set1_ps(bias ? bias[m + 2] : 0.0f), a21 = a20;
            __m256 a30 = _mm256_set1_ps(bias ? bias[m + 3] : 0.0f), a31 = a30;
            const float *w0 = w + m * K, *w1 = w0 + K, *w2 = w1 + K, *w3 = w2 + K;
            const float *cp = col + p0;
            for (int64_t k = 0; k < K; ++k, cp += ldcol) {
                const __m256 c0 = _mm256_loadu_ps(cp);
                const __m256 c1 = _mm256_loadu_ps(cp + 8);
                __m256 wv = _mm256_broadcast_ss(w0 + k);
                a00 = _mm256_fmadd_ps(wv, c0, a00);
                a01 = _mm256_fmadd_ps(wv, c1, a01);
                wv = _mm256_broadcast_ss(w1 + k);
                a10 = _mm256_fmadd_ps(wv, c0, a10);
                a11 = _mm256_fmadd_ps(wv, c1, a11);
                wv = _mm256_broadcast_ss(w2 + k);
                a20 = _mm256_fmadd_ps(wv, c0, a20);
                a21 = _mm256_fmadd_ps(wv, c1, a21);
                wv = _mm256_broadcast_ss(w3 + k);
                a30 = _mm256_fmadd_ps(wv, c0, a30);
                a31 = _mm256_fmadd_ps(wv, c1, a31);
            }
            float *yr = y + m * ldy + p0;
            _mm256_storeu_ps(yr, a00);
            _mm256_storeu_ps(yr + 8, a01);
            _mm256_storeu_ps(yr + ldy, a10);
            _mm256_storeu_ps(yr + ldy + 8, a11);
            _mm256_storeu_ps(yr + 2 * ldy, a20);
            _mm256_storeu_ps(yr + 2 * ldy + 8, a21);
            _mm256_storeu_ps(yr + 3 * ldy, a30);
            _mm256_storeu_ps(yr + 3 * ldy + 8, a31);
        }
        for (; m < M; ++m) {
            __m256 a0 = _mm256_set1_ps(bias ? bias[m] : 0.0f), a1 = a0;
            for (int64_t k = 0; k < K; ++k) {
                const __m256 wv = _mm256_broadcast_ss(w + m * K + k);
                a0 = _mm256_fmadd_ps(wv, _mm256_loadu_ps(col + k * ldcol + p0), a0);
                a1 = _mm256_fmadd_ps(wv, _mm256_loadu_ps(col + k * ldcol + p0 + 8), a1);
            }
            _mm256_storeu_ps(y + m * ldy + p0, a0);
            _mm256_storeu_ps(y + m * ldy + p0 + 8, a1);
        }
    }
#endif
    // Remaining columns (all of them without AVX2).
    if (p0 < P) {
        for (int64_t m = 0; m < M; ++m) {
            float *yr = y + m * ldy;
            const float b = bias ? bias[m] : 0.0f;
            for (int64_t p = p0; p < P; ++p)
                yr[p] = b;
            for (int64_t k = 0; k < K; ++k) {
                const float wk = w[m * K + k];
                const float *cr = col + k * ldcol;
#pragma omp simd
                for (int64_t p = p0; p < P; ++p)
                    yr[p] += wk * cr[p];
            }
        }
    }
}

/// Depthwise convolution (one input and one output channel per group) of one channel plane,
/// without im2col: every kernel tap is applied to a whole output row at once.
template<class T>
void depthwisePlane(const T *x, const T *w, T bias, const Geometry3 &g, T *y)
{
    const int64_t ID = g.in[0], IH = g.in[1], IW = g.in[2];
    const int64_t OD = g.out[0], OH = g.out[1], OW = g.out[2];
    const int64_t KD = g.kernel[0], KH = g.kernel[1], KW = g.kernel[2];
    const int64_t sw = g.stride[2];
    for (int64_t od = 0; od < OD; ++od)
    for (int64_t oh = 0; oh < OH; ++oh) {
        T *yr = y + (od * OH + oh) * OW;
        std::fill(yr, yr + OW, bias);
        for (int64_t kd = 0; kd < KD; ++kd) {
            const int64_t id = od * g.stride[0] + kd * g.dilation[0] - g.padBegin[0];
            if (id < 0 || id >= ID)
                continue;
            for (int64_t kh = 0; kh < KH; ++kh) {
                const int64_t ih = oh * g.stride[1] + kh * g.dilation[1] - g.padBegin[1];
                if (ih < 0 || ih >= IH)
                    continue;
                const T *xr = x + (id * IH + ih) * IW;
                const T *wr = w + (kd * KH + kh) * KW;
                for (int64_t kw = 0; kw < KW; ++kw) {
                    const int64_t off = kw * g.dilation[2] - g.padBegin[2];
                    const auto [lo, hi] = validRange(off, sw, IW, OW);
                    const T wv = wr[kw];
                    const T *src = xr + off;
                    if (sw == 1) {
#pragma omp simd
                        for (int64_t ow = lo; ow < hi; ++ow)
                            yr[ow] += wv * src[ow];
                    } else {
#pragma omp simd
                        for (int64_t ow = lo; ow < hi; ++ow)
                            yr[ow] += wv * src[ow * sw];
                    }
                }
            }
        }
    }
}

/// 2-D depthwise convolution of one channel plane through a zero-padded, column-phase-split copy
/// of the input (phase r holds padded columns r, r + s, r + 2s ... for stride s), so every tap
/// reads contiguous memory and each output vector accumulates all KH x KW taps in registers
/// before one store. `buf` needs depthwisePaddedSize() elements.
inline int64_t depthwisePaddedRows(const Geometry3 &g)
{
    return (g.out[1] - 1) * g.stride[1] + (g.kernel[1] - 1) * g.dilation[1] + 1;
}

inline int64_t depthwisePhaseCols(const Geometry3 &g)
{
    const int64_t widthNeeded =
        (g.out[2] - 1) * g.stride[2] + (g.kernel[2] - 1) * g.dilation[2] + 1;
    return (widthNeeded + g.stride[2] - 1) / g.stride[2];
}

inline int64_t depthwisePaddedSize(const Geometry3 &g)
{
    return g.stride[2] * depthwisePaddedRows(g) * depthwisePhaseCols(g);
}

template<class T, int KH, int KW>
void depthwise2d(const T *x, const T *w, T bias, const Geometry3 &g, T *buf, T *y)
{
    const int64_t IH = g.in[1], IW = g.in[2], OH = g.out[1], OW = g.out[2];
    const int64_t sh = g.stride[1], sw = g.stride[2], dh = g.dilation[1], dw = g.dilation[2];
    const int64_t pt = g.padBegin[1], pl = g.padBegin[2];
    const int64_t rows = depthwisePaddedRows(g), cols = depthwisePhaseCols(g);
    const int64_t phaseSize = rows * cols;
    // Padded copy, split into sw column phases.
    for (int64_t r = 0; r < rows; ++r) {
        const int64_t ih = r - pt;
        for (int64_t ph = 0; ph < sw; ++ph) {
            T *dst = buf + ph * phaseSize + r * cols;
            if (ih < 0 || ih >= IH) {
                std::fill(dst, dst + cols, T(0));
                continue;
            }
            // Columns j with 0 <= j * sw + ph - pl < IW come from the row, the rest are zero.
            const auto [lo, hi] = validRange(ph - pl, sw, IW, cols);
            const T *src = x + ih * IW + ph - pl;
            std::fill(dst, dst + lo, T(0));
            if (sw == 1) {
                std::memcpy(dst + lo, src + lo, sizeof(T) * static_cast<std::size_t>(hi - lo));
            } else {
#pragma omp simd
                for (int64_t j = lo; j < hi; ++j)
                    dst[j] = src[j * sw];
            }
            std::fill(dst + hi, dst + cols, T(0));
        }
    }
    T wk[KH * KW];
    for (int i = 0; i < KH * KW; ++i)
        wk[i] = w[i];
    const T *tap[KH * KW];
    for (int64_t oh = 0; oh < OH; ++oh) {
        for (int kh = 0; kh < KH; ++kh)
            for (int kw = 0; kw < KW; ++kw) {
                const int64_t q = kw * dw;
                tap[kh * KW + kw] =
                    buf + (q % sw) * phaseSize + (oh * sh + kh * dh) * cols + q / sw;
            }
        T *yr = y + oh * OW;
#pragma omp simd
        for (int64_t ow = 0; ow < OW; ++ow) {
            T acc = bias;
#pragma GCC unroll 25
            for (int t = 0; t < KH * KW; ++t)
                acc += wk[t] * tap[t][ow];
            yr[ow] = acc;
        }
    }
}

template<class T>
void addBias(T *y, const T *bias, int64_t channels, int64_t size)
{
    if (!bias)
        return;
    for (int64_t c = 0; c < channels; ++c) {
        const T b = bias[c];
        T *p = y + c * size;
#pragma omp simd
        for (int64_t i = 0; i < size; ++i)
            p[i] += b;
    }
}

/// Runs f(item) for items [0, count): across the threads (each GEMM then runs serially) when
/// there is enough independent work, otherwise in order on the calling thread so the GEMMs can
/// split each product across the threads.
template<class F>
void forItems(int64_t count, int64_t flopsPerItem, F &&f)
{
    const int threads = parallelThreads();
    // Small GEMMs split poorly; many independent items parallelize well.
    const bool outer = threads > 1 && count >= threads
                       && (flopsPerItem < (int64_t{1} << 24) || count >= 4 * threads);
    if (outer) {
        parallelFor(count, f);
    } else {
        for (int64_t i = 0; i < count; ++i)
            f(i);
    }
}

Result<void> checkFloatType(const Tensor &x, const char *op)
{
    if (x.dtype() != DataType::Float && x.dtype() != DataType::Double)
        return fail(std::string(op) + " supports float and double inputs, not "
                        + std::string(dtypeName(x.dtype())) + ".",
                    Error::Code::Unsupported);
    return {};
}

Result<void> checkSameType(const Tensor &x, const Tensor *t, const char *op, const char *what)
{
    if (t && t->dtype() != x.dtype())
        return fail(std::string(op) + " " + what + " has element type "
                    + std::string(dtypeName(t->dtype())) + " but X has "
                    + std::string(dtypeName(x.dtype())) + ".");
    return {};
}

// ---------------------------------------------------------------------------------------------
// Conv

class ConvKernel final : public Kernel
{
public:
    ConvKernel(WindowAttrs attrs, int64_t group, Activation act)
        : m_attrs(std::move(attrs)), m_group(group), m_act(act)
    {
    }

    /// Also applies an inference BatchNormalization whose scale, B, mean and var are inputs 3..6
    /// (one value per output channel; the caller checks), before the activation.
    void setBatchNorm(double epsilon)
    {
        m_batchNorm = true;
        m_bnEpsilon = epsilon;
    }

    Result<void> run(KernelContext &ctx) override
    {
        const Tensor *x = ctx.input(0);
        const Tensor *w = ctx.input(1);
        const Tensor *b = ctx.input(2);
        if (!x || !w)
            return fail("Conv needs inputs X and W.");
        if (auto r = checkFloatType(*x, "Conv"); !r)
            return r;
        if (auto r = checkSameType(*x, w, "Conv", "W"); !r)
            return r;
        if (auto r = checkSameType(*x, b, "Conv", "B"); !r)
            return r;
        if (x->dtype() == DataType::Float)
            return compute<float>(*x, *w, b, ctx);
        return compute<double>(*x, *w, b, ctx);
    }

private:
    template<class T>
    Result<void> compute(const Tensor &x, const Tensor &w, const Tensor *b, KernelContext &ctx)
    {
        if (x.rank() < 3)
            return fail("Conv input X must have rank 3 or more ([N, C, spatial...]), got shape "
                        + shapeText(x) + ".");
        if (w.rank() != x.rank())
            return fail("Conv weights W have shape " + shapeText(w) + " but X has shape "
                        + shapeText(x) + "; their ranks must match.");
        const int64_t N = x.dim(0), C = x.dim(1), M = w.dim(0);
        const int64_t G = m_group;
        if (G <= 0 || C % G != 0 || M % G != 0)
            return fail("Conv group " + std::to_string(G) + " does not divide the "
                        + std::to_string(C) + " input channels and " + std::to_string(M)
                        + " output channels.");
        if (w.dim(1) * G != C)
            return fail("Conv input X has " + std::to_string(C) + " channels but W of shape "
                        + shapeText(w) + " expects " + std::to_string(w.dim(1) * G) + " ("
                        + std::to_string(w.dim(1)) + " per group x " + std::to_string(G)
                        + " groups).");
        const std::span<const int64_t> kernel(w.dims().begin() + 2, w.dims().end());
        if (!m_attrs.kernelShape.empty()
            && !std::equal(kernel.begin(), kernel.end(), m_attrs.kernelShape.begin(),
                           m_attrs.kernelShape.end()))
            return fail("Conv kernel_shape " + dimsToString(m_attrs.kernelShape)
                        + " does not match the weight shape " + shapeText(w) + ".");
        if (b && (b->rank() != 1 || b->dim(0) != M))
            return fail("Conv bias B has shape " + shapeText(*b) + " but " + std::to_string(M)
                        + " output channels need shape [" + std::to_string(M) + "].");
        const std::span<const int64_t> inSpatial(x.dims().begin() + 2, x.dims().end());
        auto geo = forwardGeometry(m_attrs, inSpatial, kernel);
        if (!geo)
            return std::unexpected(geo.error());
        const Geometry3 &g = *geo;
        Tensor y(x.dtype(), g.outDims({N, M}));
        const int64_t Cg = C / G, Mg = M / G;
        const int64_t ks = g.kernelSize(), K = Cg * ks;
        const int64_t Pin = g.inSize(), P = g.outSize();
        if (y.numel() == 0) {
            ctx.outputs[0] = std::move(y);
            return {};
        }
        const bool pointwise = ks == 1 && g.stride == std::array<int64_t, 3>{1, 1, 1}
                               && g.padBegin == std::array<int64_t, 3>{0, 0, 0}
                               && g.out == g.in;
        const T *px = x.data<T>();
        const T *pw = w.data<T>();
        const T *pb = b ? b->data<T>() : nullptr;
        T *py = y.mutableData<T>();
        // Fused BatchNormalization: its per-channel coefficients, computed as its kernel does.
        std::vector<T> bnA, bnB;
        if (m_batchNorm)
            batchNormCoefficients(batchNormParamAsDoubles(ctx.input(3)),
                                  batchNormParamAsDoubles(ctx.input(4)),
                                  batchNormParamAsDoubles(ctx.input(5)),
                                  batchNormParamAsDoubles(ctx.input(6)), m_bnEpsilon, bnA, bnB);
        // The epilogue of output channel `channel` over a run of its values.
        auto epilogue = [&](T *run, int64_t n, int64_t channel) {
            if (!bnA.empty())
                batchNormRun<T>(run, run, n, bnA[static_cast<std::size_t>(channel)],
                                bnB[static_cast<std::size_t>(channel)]);
            m_act.apply(run, n);
        };
        if (Cg == 1 && Mg == 1) {
            // Depthwise: direct, parallel over all (image, channel) planes. 2-D 3x3 and 5x5
            // kernels use the register-accumulating padded-copy path.
            const bool flat = g.kernel[0] == 1 && g.in[0] == 1;
            const int64_t kh = g.kernel[1], kw = g.kernel[2];
            const bool fast = flat && kh == kw && (kh == 3 || kh == 5);
            const int64_t bufSize = fast ? depthwisePaddedSize(g) : 0;
            auto onePlane = [&](int64_t plane) {
                const int64_t c = plane % C;
                const T bias = pb ? pb[c] : T(0);
                if (fast) {
                    ThreadScratch &scratch = threadScratch();
                    T *buf = scratch.get<T>(bufSize);
                    scratch.owner = nullptr;   // now holds other data than im2col zeros
                    if (kh == 3)
                        depthwise2d<T, 3, 3>(px + plane * Pin, pw + c * ks, bias, g, buf,
                                             py + plane * P);
                    else
                        depthwise2d<T, 5, 5>(px + plane * Pin, pw + c * ks, bias, g, buf,
                                             py + plane * P);
                } else {
                    depthwisePlane(px + plane * Pin, pw + c * ks, bias, g, py + plane * P);
                }
                epilogue(py + plane * P, P, c);
            };
            if (N * C * P * ks > 32768)
                parallelFor(N * C, onePlane);
            else
                for (int64_t plane = 0; plane < N * C; ++plane)
                    onePlane(plane);
            ctx.outputs[0] = std::move(y);
            return {};
        }
        // Output rows (od, oh) per band: the whole image unless its im2col matrix would exceed
        // kMaxColElements, so big images do not need huge buffers.
        // Work is split into bands of output rows (od, oh) whose im2col matrix stays within
        // kMaxColElements (about 1 MB, so it is still in cache for the GEMM); units are
        // (image, group, band), so even one large image is shared across the threads.
        const int64_t rowsTotal = g.out[0] * g.out[1], OW = g.out[2];
        const int64_t bandRows =
            std::clamp<int64_t>(kMaxColElements / std::max<int64_t>(1, K * OW), 1, rowsTotal);
        const int64_t bands = (rowsTotal + bandRows - 1) / bandRows;
        forItems(N * G * bands, Mg * K * bandRows * OW, [&](int64_t unit) {
            const int64_t item = unit / bands, band = unit % bands;
            const int64_t n = item / G, grp = item % G;
            const T *xg = px + (n * C + grp * Cg) * Pin;
            T *yg = py + (n * M + grp * Mg) * P;
            const T *wg = pw + grp * Mg * K;
            const T *bg = pb ? pb + grp * Mg : nullptr;
            const int64_t r0 = band * bandRows, r1 = std::min(rowsTotal, r0 + bandRows);
            const int64_t Pb = (r1 - r0) * OW; // columns in this band
            T *yb = yg + r0 * OW;
            const T *col = xg + r0 * OW; // 1x1: the band of X itself, row stride P
            int64_t ldcol = P;
            if (!pointwise) {
                ThreadScratch &scratch = threadScratch();
                T *buf = scratch.get<T>(K * Pb);
                // Padding zeros depend only on the geometry and band: write them once.
                const std::array<int64_t, 3> key{Cg, r0, r1};
                const bool fresh =
                    scratch.owner != this || !(scratch.geometry == g) || scratch.key != key;
                im2col(xg, Cg, g, buf, r0, r1, fresh);
                scratch.owner = this;
                scratch.geometry = g;
                scratch.key = key;
                col = buf;
                ldcol = Pb;
            }
            runBand(wg, col, ldcol, bg, yb, Mg, K, Pb, P);
            if (m_act.kind != Activation::Kind::None || !bnA.empty())
                for (int64_t m = 0; m < Mg; ++m)
                    epilogue(yb + m * P, Pb, grp * Mg + m);
        });
        ctx.outputs[0] = std::move(y);
        return {};
    }

    /// y band (Mg x Pb, row stride ldy) = w (Mg x K) * col (K x Pb, row stride ldcol) + bias.
    template<class T>
    static void runBand(const T *w, const T *col, int64_t ldcol, const T *bias, T *y, int64_t Mg,
                        int64_t K, int64_t Pb, int64_t ldy)
    {
        if constexpr (std::is_same_v<T, float>) {
            if (avx512Available() && Pb >= 16) {
                // Bias fused into the GEMM: the output block is written once.
                gemmBias(Mg, Pb, K, w, K, col, ldcol, y, ldy, bias);
                return;
            }
            if (K <= kSmallK) {
                smallKGemm(w, col, ldcol, bias, y, Mg, K, Pb, ldy);
                return;
            }
        }
        gemm<T>(false, false, Mg, Pb, K, T(1), w, K, col, ldcol, T(0), y, ldy);
        if (bias)
            for (int64_t m = 0; m < Mg; ++m) {
                T *row = y + m * ldy;
                const T b = bias[m];
#pragma omp simd
                for (int64_t i = 0; i < Pb; ++i)
                    row[i] += b;
            }
    }

    WindowAttrs m_attrs;
    int64_t m_group;
    Activation m_act;
    bool m_batchNorm = false;
    double m_bnEpsilon = 0.0;
};

/// Conv + inference BatchNormalization (+ activation), see makeConvBatchNorm.
class ConvBatchNormKernel final : public Kernel
{
public:
    ConvBatchNormKernel(std::unique_ptr<ConvKernel> fused, std::unique_ptr<ConvKernel> conv,
                        std::unique_ptr<Kernel> batchNorm)
        : m_fused(std::move(fused)), m_conv(std::move(conv)), m_batchNorm(std::move(batchNorm))
    {
    }

    Result<void> run(KernelContext &ctx) override
    {
        const Tensor *w = ctx.input(1);
        bool perChannel = w && w->rank() >= 1;
        for (std::size_t i = 3; i < 7 && perChannel; ++i)
            perChannel = ctx.input(i) && ctx.input(i)->numel() == w->dim(0)
                         && (ctx.input(i)->dtype() == DataType::Float
                             || ctx.input(i)->dtype() == DataType::Double);
        if (perChannel)
            return m_fused->run(ctx);
        // Anything else: the two kernels in turn (their own checks and messages).
        const Tensor *convIn[3] = {ctx.input(0), ctx.input(1), ctx.input(2)};
        KernelContext convCtx;
        convCtx.inputs = convIn;
        convCtx.outputs.resize(1);
        if (auto r = m_conv->run(convCtx); !r)
            return r;
        const Tensor *bnIn[5] = {&convCtx.outputs[0], ctx.input(3), ctx.input(4), ctx.input(5),
                                 ctx.input(6)};
        KernelContext bnCtx;
        bnCtx.inputs = bnIn;
        bnCtx.outputs.resize(1);
        if (auto r = m_batchNorm->run(bnCtx); !r)
            return r;
        ctx.outputs[0] = std::move(bnCtx.outputs[0]);
        return {};
    }

private:
    std::unique_ptr<ConvKernel> m_fused, m_conv;
    std::unique_ptr<Kernel> m_batchNorm;
};

Result<std::unique_ptr<Kernel>> makeConv(const KernelBuildInfo &info)
{
    auto attrs = parseWindowAttrs(info.node);
    if (!attrs)
        return std::unexpected(attrs.error());
    return std::make_unique<ConvKernel>(std::move(*attrs), info.node.attrInt("group", 1),
                                        Activation{});
}

} // namespace

Result<std::unique_ptr<Kernel>> makeConvWithActivation(const KernelBuildInfo &info, Activation act)
{
    auto attrs = parseWindowAttrs(info.node);
    if (!attrs)
        return std::unexpected(attrs.error());
    return std::make_unique<ConvKernel>(std::move(*attrs), info.node.attrInt("group", 1), act);
}

namespace {

} // namespace

Result<std::unique_ptr<Kernel>> makeConvBatchNorm(const KernelBuildInfo &conv,
                                                  const KernelBuildInfo &batchNorm,
                                                  Activation act)
{
    auto attrs = parseWindowAttrs(conv.node);
    if (!attrs)
        return std::unexpected(attrs.error());
    const int64_t group = conv.node.attrInt("group", 1);
    auto fused = std::make_unique<ConvKernel>(*attrs, group, act);
    fused->setBatchNorm(static_cast<double>(batchNorm.node.attrFloat("epsilon", 1e-5f)));
    auto plain = std::make_unique<ConvKernel>(*attrs, group, Activation{});
    auto bn = makeBatchNormWithActivation(batchNorm, act);
    if (!bn)
        return std::unexpected(bn.error());
    return std::make_unique<ConvBatchNormKernel>(std::move(fused), std::move(plain),
                                                 std::move(*bn));
}

namespace {

/// com.microsoft FusedConv: Conv followed by an activation (and, in ONNX Runtime, an optional
/// fourth input Z added before the activation, which this kernel rejects).
Result<std::unique_ptr<Kernel>> makeFusedConv(const KernelBuildInfo &info)
{
    if (info.node.hasInput(3))
        return fail("FusedConv with a residual input Z is not supported.",
                    Error::Code::Unsupported);
    auto attrs = parseWindowAttrs(info.node);
    if (!attrs)
        return std::unexpected(attrs.error());
    auto act = parseFusedActivation(info.node);
    if (!act)
        return std::unexpected(act.error());
    return std::make_unique<ConvKernel>(std::move(*attrs), info.node.attrInt("group", 1), *act);
}

// ---------------------------------------------------------------------------------------------
// ConvTranspose

class ConvTransposeKernel final : public Kernel
{
public:
    ConvTransposeKernel(WindowAttrs attrs, int64_t group, std::vector<int64_t> outputPadding,
                        std::vector<int64_t> outputShape)
        : m_attrs(std::move(attrs)), m_group(group), m_outputPadding(std::move(outputPadding)),
          m_outputShape(std::move(outputShape))
    {
    }

    Result<void> run(KernelContext &ctx) override
    {
        const Tensor *x = ctx.input(0);
        const Tensor *w = ctx.input(1);
        const Tensor *b = ctx.input(2);
        if (!x || !w)
            return fail("ConvTranspose needs inputs X and W.");
        if (auto r = checkFloatType(*x, "ConvTranspose"); !r)
            return r;
        if (auto r = checkSameType(*x, w, "ConvTranspose", "W"); !r)
            return r;
        if (auto r = checkSameType(*x, b, "ConvTranspose", "B"); !r)
            return r;
        if (x->dtype() == DataType::Float)
            return compute<float>(*x, *w, b, ctx);
        return compute<double>(*x, *w, b, ctx);
    }

private:
    Result<Geometry3> geometry(std::span<const int64_t> in, std::span<const int64_t> kernel) const
    {
        const auto r = in.size();
        if (r < 1 || r > 3)
            return fail("ConvTranspose supports 1, 2 or 3 spatial dimensions, not "
                            + std::to_string(r) + ".",
                        Error::Code::Unsupported);
        const WindowAttrs &a = m_attrs;
        auto sizeOk = [r](const std::vector<int64_t> &v, std::size_t n) {
            return v.empty() || v.size() == n * r;
        };
        if (!sizeOk(a.strides, 1) || !sizeOk(a.dilations, 1) || !sizeOk(a.pads, 2)
            || !sizeOk(m_outputPadding, 1))
            return fail("ConvTranspose strides, dilations, pads or output_padding do not match "
                        "the input's " + std::to_string(r) + " spatial dimensions.");
        std::vector<int64_t> outShape = m_outputShape;
        if (outShape.size() == r + 2)   // some exporters include N and C
            outShape.erase(outShape.begin(), outShape.begin() + 2);
        if (!outShape.empty() && outShape.size() != r)
            return fail("ConvTranspose output_shape " + dimsToString(m_outputShape)
                        + " does not match the input's " + std::to_string(r)
                        + " spatial dimensions.");
        Geometry3 g;
        g.rank = static_cast<int>(r);
        for (std::size_t i = 0; i < r; ++i) {
            const std::size_t j = 3 - r + i;
            const int64_t s = a.strides.empty() ? 1 : a.strides[i];
            const int64_t d = a.dilations.empty() ? 1 : a.dilations[i];
            const int64_t op = m_outputPadding.empty() ? 0 : m_outputPadding[i];
            const int64_t effK = (kernel[i] - 1) * d + 1;
            const int64_t full = s * (in[i] - 1) + op + effK;
            int64_t pb = 0, pe = 0, out = 0;
            if (!outShape.empty() || a.autoPad == AutoPad::SameUpper
                || a.autoPad == AutoPad::SameLower) {
                out = outShape.empty() ? in[i] * s : outShape[i];
                // A requested output larger than the natural one keeps pads at 0 and leaves
                // the extra positions at the end (zero plus bias), as ONNX Runtime does.
                const int64_t total = std::max<int64_t>(0, full - out);
                if (a.autoPad == AutoPad::SameUpper) {
                    pb = total / 2;
                    pe = total - pb;
                } else {
                    pe = total / 2;
                    pb = total - pe;
                }
            } else {
                if (a.autoPad == AutoPad::NotSet && !a.pads.empty()) {
                    pb = a.pads[i];
                    pe = a.pads[i + r];
                }
                out = full - pb - pe;
            }
            if (out <= 0)
                return fail("ConvTranspose output size " + std::to_string(out)
                            + " in spatial dimension " + std::to_string(i)
                            + " is not positive; check pads and output_shape.");
            g.in[j] = in[i];
            g.out[j] = out;
            g.kernel[j] = kernel[i];
            g.stride[j] = s;
            g.dilation[j] = d;
            g.padBegin[j] = pb;
            g.padEnd[j] = pe;
        }
        return g;
    }

    template<class T>
    Result<void> compute(const Tensor &x, const Tensor &w, const Tensor *b, KernelContext &ctx)
    {
        if (x.rank() < 3)
            return fail("ConvTranspose input X must have rank 3 or more, got shape "
                        + shapeText(x) + ".");
        if (w.rank() != x.rank())
            return fail("ConvTranspose weights W have shape " + shapeText(w)
                        + " but X has shape " + shapeText(x) + "; their ranks must match.");
        const int64_t N = x.dim(0), C = x.dim(1), G = m_group;
        if (G <= 0 || C % G != 0)
            return fail("ConvTranspose group " + std::to_string(G) + " does not divide the "
                        + std::to_string(C) + " input channels.");
        if (w.dim(0) != C)
            return fail("ConvTranspose input X has " + std::to_string(C)
                        + " channels but W of shape " + shapeText(w) + " expects "
                        + std::to_string(w.dim(0)) + ".");
        const int64_t Mg = w.dim(1), M = Mg * G, Cg = C / G;
        const std::span<const int64_t> kernel(w.dims().begin() + 2, w.dims().end());
        if (!m_attrs.kernelShape.empty()
            && !std::equal(kernel.begin(), kernel.end(), m_attrs.kernelShape.begin(),
                           m_attrs.kernelShape.end()))
            return fail("ConvTranspose kernel_shape " + dimsToString(m_attrs.kernelShape)
                        + " does not match the weight shape " + shapeText(w) + ".");
        if (b && (b->rank() != 1 || b->dim(0) != M))
            return fail("ConvTranspose bias B has shape " + shapeText(*b) + " but "
                        + std::to_string(M) + " output channels need shape ["
                        + std::to_string(M) + "].");
        auto geo = geometry(std::span<const int64_t>(x.dims().begin() + 2, x.dims().end()),
                            kernel);
        if (!geo)
            return std::unexpected(geo.error());
        const Geometry3 &g = *geo;
        Tensor y(x.dtype(), g.outDims({N, M}));
        if (y.numel() == 0) {
            ctx.outputs[0] = std::move(y);
            return {};
        }
        const int64_t ks = g.kernelSize(), Pin = g.inSize(), P = g.outSize();
        const int64_t rows = Mg * ks;
        const T *px = x.data<T>();
        const T *pw = w.data<T>();
        const T *pb = b ? b->data<T>() : nullptr;
        T *py = y.mutableData<T>();
        forItems(N * G, rows * Cg * Pin, [&](int64_t item) {
            const int64_t n = item / G, grp = item % G;
            const T *xg = px + (n * C + grp * Cg) * Pin;
            T *yg = py + (n * M + grp * Mg) * P;
            ThreadScratch &scratch = threadScratch();
            T *col = scratch.get<T>(rows * Pin);
            scratch.owner = nullptr;
            gemm<T>(true, false, rows, Pin, Cg, T(1), pw + grp * Cg * rows, rows, xg, Pin, T(0),
                    col, Pin);
            col2im(static_cast<const T *>(col), Mg, g, yg);
            addBias(yg, pb ? pb + grp * Mg : nullptr, Mg, P);
        });
        ctx.outputs[0] = std::move(y);
        return {};
    }

    WindowAttrs m_attrs;
    int64_t m_group;
    std::vector<int64_t> m_outputPadding;
    std::vector<int64_t> m_outputShape;
};

Result<std::unique_ptr<Kernel>> makeConvTranspose(const KernelBuildInfo &info)
{
    auto attrs = parseWindowAttrs(info.node);
    if (!attrs)
        return std::unexpected(attrs.error());
    return std::make_unique<ConvTransposeKernel>(std::move(*attrs), info.node.attrInt("group", 1),
                                                 info.node.attrInts("output_padding"),
                                                 info.node.attrInts("output_shape"));
}

const OpEntry kEntries[] = {
    {"", "Conv", 1, kMaxOpset, &halfCapable<&makeConv>},
    {"", "ConvTranspose", 1, kMaxOpset, &halfCapable<&makeConvTranspose>},
    {"com.microsoft", "FusedConv", 1, kMaxOpset, &halfCapable<&makeFusedConv>},
};

} // namespace

std::span<const OpEntry> convOps()
{
    return kEntries;
}

} // namespace nnc::nn
