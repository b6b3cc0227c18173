// The uint8 x int8 GEMM of MatMulInteger on AVX-512 VNNI (vpdpbusd: 4 byte products summed
// into each int32 lane per instruction), used at run time when the CPU has it although the
// build targets AVX2. Only the functions marked target("avx512f,avx512vnni") contain such code;
// they are called only after a CPU check. Results are exact integers, the same as the
// widened-float path (quant_gemm.cpp) gives.
#include "core/ops/nn_parallel.h"
#include "core/ops/quant_internal.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define NNC_HAVE_VNNI_KERNEL 1
#endif

namespace nnc::quant {

namespace {

std::atomic<bool> &vnniFlag()
{
    static std::atomic<bool> flag = [] {
        const char *env = std::getenv("NNC_DISABLE_VNNI");
        return !(env && std::strcmp(env, "1") == 0);
    }();
    return flag;
}

bool cpuHasVnni()
{
#ifdef NNC_HAVE_VNNI_KERNEL
    static const bool has =
        __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vnni");
    return has;
#else
    return false;
#endif
}

constexpr int64_t kPanel = 16;   // columns per packed panel (one zmm of int32)
constexpr int kRows = 6;         // rows per register tile (6 x 2 accumulators)

#ifdef NNC_HAVE_VNNI_KERNEL

/// Per-row and per-column terms of the zero-point correction (see matMulIntegerVnni).
struct Correction
{
    const int32_t *rowZa;    ///< za' per row of the tile
    const int32_t *rowSum;   ///< sum of A' per row of the tile
    const int32_t *colU;     ///< colSum - K zb', per column of the tile (padded)
    const int32_t *colZb;    ///< zb' per column of the tile (padded)
};

/// C[MR x 16*NP] = A'[MR x 4*k4] (uint8, row stride lda bytes) x B' panels (signed bytes, 64
/// per 4-k group, panels panelBytes apart), corrected for the zero points; columns beyond the
/// masks are not stored.
template<int MR, int NP, bool ToFloat>
__attribute__((target("avx512f,avx512vnni"))) void tile(const uint8_t *a, int64_t lda,
                                                        const int8_t *b, int64_t panelBytes,
                                                        int64_t k4, const Correction &cor,
                                                        void *c, int64_t ldc, __mmask16 m0,
                                                        __mmask16 m1)
{
    __m512i acc[MR][NP];
    for (int r = 0; r < MR; ++r)
        for (int p = 0; p < NP; ++p)
            acc[r][p] = _mm512_setzero_si512();
    for (int64_t q = 0; q < k4; ++q) {
        __m512i bv[NP];
        for (int p = 0; p < NP; ++p)
            bv[p] = _mm512_loadu_si512(b + p * panelBytes + q * 64);
        for (int r = 0; r < MR; ++r) {
            int32_t quad;
            std::memcpy(&quad, a + r * lda + q * 4, 4);
            const __m512i av = _mm512_set1_epi32(quad);
            for (int p = 0; p < NP; ++p)
                acc[r][p] = _mm512_dpbusd_epi32(acc[r][p], av, bv[p]);
        }
    }
    // S - za' (colSum - K zb') - rowSum zb', all modulo 2^32.
    __m512i u[NP], z[NP];
    for (int p = 0; p < NP; ++p) {
        u[p] = _mm512_loadu_si512(cor.colU + p * 16);
        z[p] = _mm512_loadu_si512(cor.colZb + p * 16);
    }
    for (int r = 0; r < MR; ++r) {
        const __m512i za = _mm512_set1_epi32(cor.rowZa[r]);
        const __m512i rs = _mm512_set1_epi32(cor.rowSum[r]);
        for (int p = 0; p < NP; ++p) {
            __m512i v = _mm512_sub_epi32(acc[r][p], _mm512_mullo_epi32(za, u[p]));
            v = _mm512_sub_epi32(v, _mm512_mullo_epi32(rs, z[p]));
            const __mmask16 mask = p == 0 ? m0 : m1;
            if constexpr (ToFloat) // vcvtdq2ps rounds to nearest, as static_cast<float>
                _mm512_mask_storeu_ps(static_cast<float *>(c) + r * ldc + p * 16, mask,
                                      _mm512_cvtepi32_ps(v));
            else
                _mm512_mask_storeu_epi32(static_cast<int32_t *>(c) + r * ldc + p * 16, mask, v);
        }
    }
}

template<int NP, bool ToFloat>
void tileRows(int rows, const uint8_t *a, int64_t lda, const int8_t *b, int64_t panelBytes,
              int64_t k4, const Correction &cor, void *c, int64_t ldc, __mmask16 m0,
              __mmask16 m1)
{
    switch (rows) {
    case 6: tile<6, NP, ToFloat>(a, lda, b, panelBytes, k4, cor, c, ldc, m0, m1); return;
    case 5: tile<5, NP, ToFloat>(a, lda, b, panelBytes, k4, cor, c, ldc, m0, m1); return;
    case 4: tile<4, NP, ToFloat>(a, lda, b, panelBytes, k4, cor, c, ldc, m0, m1); return;
    case 3: tile<3, NP, ToFloat>(a, lda, b, panelBytes, k4, cor, c, ldc, m0, m1); return;
    case 2: tile<2, NP, ToFloat>(a, lda, b, panelBytes, k4, cor, c, ldc, m0, m1); return;
    default: tile<1, NP, ToFloat>(a, lda, b, panelBytes, k4, cor, c, ldc, m0, m1); return;
    }
}

#endif

} // namespace

bool vnniAvailable()
{
    return cpuHasVnni() && vnniFlag().load(std::memory_order_relaxed);
}

void setVnniEnabled(bool enabled)
{
    vnniFlag().store(enabled, std::memory_order_relaxed);
}

VnniPackedB packBVnni(const Tensor &b, int64_t offset, int64_t k, int64_t n)
{
    VnniPackedB p;
    p.k = k;
    p.n = n;
    p.k4 = (k + 3) / 4;
    p.panels = (n + kPanel - 1) / kPanel;
    p.shift = b.dtype() == DataType::UInt8 ? 128 : 0;
    p.data.assign(static_cast<std::size_t>(p.panels * p.k4 * 64), 0);
    p.colSums.assign(static_cast<std::size_t>(n), 0);
    for (int64_t kk = 0; kk < k; ++kk)
        for (int64_t j = 0; j < n; ++j) {
            const int32_t v = byteAt(b, offset + kk * n + j) - p.shift; // in [-128, 127]
            const int64_t panel = j / kPanel, col = j % kPanel;
            p.data[static_cast<std::size_t>((panel * p.k4 + kk / 4) * 64 + col * 4 + kk % 4)] =
                static_cast<int8_t>(v);
            p.colSums[static_cast<std::size_t>(j)] += v;
        }
    return p;
}

void matMulIntegerVnni(const Tensor &a, int64_t offset, int64_t m, const VnniPackedB &b,
                       const int32_t *aZp, bool aZpPerRow, const int32_t *bZp, bool bZpPerColumn,
                       void *c, int64_t ldc, bool toFloat)
{
#ifdef NNC_HAVE_VNNI_KERNEL
    const int64_t k = b.k, n = b.n, k4 = b.k4, lda = k4 * 4;
    // A' = A as uint8 (int8 shifted up by 128), rows padded with zeros to whole 4-k groups.
    const int32_t aShift = a.dtype() == DataType::Int8 ? 128 : 0;
    std::vector<uint8_t> ap(static_cast<std::size_t>(m * lda), 0);
    std::vector<int32_t> rowSums(static_cast<std::size_t>(m), 0);
    const bool aSigned = a.dtype() == DataType::Int8;
    for (int64_t i = 0; i < m; ++i) {
        uint8_t *dst = ap.data() + i * lda;
        int32_t sum = 0;
        if (aSigned) {
            const int8_t *src = a.data<int8_t>() + offset + i * k;
            for (int64_t q = 0; q < k; ++q) {
                dst[q] = static_cast<uint8_t>(int32_t{src[q]} + 128);
                sum += dst[q];
            }
        } else {
            const uint8_t *src = a.data<uint8_t>() + offset + i * k;
            std::memcpy(dst, src, static_cast<std::size_t>(k));
            for (int64_t q = 0; q < k; ++q)
                sum += src[q];
        }
        rowSums[static_cast<std::size_t>(i)] = sum;
    }
    // (a - za)(b - zb) summed = S - za' colSum - zb' rowSum + K za' zb'
    //                         = S - za' (colSum - K zb') - rowSum zb',
    // with za' = za + aShift and zb' = zb - bShift, all modulo 2^32 like int32 wrapping.
    std::vector<int32_t> rowZa(static_cast<std::size_t>(m));
    for (int64_t i = 0; i < m; ++i)
        rowZa[static_cast<std::size_t>(i)] = (aZpPerRow ? aZp[i] : aZp[0]) + aShift;
    const int64_t padded = b.panels * kPanel;
    std::vector<int32_t> colU(static_cast<std::size_t>(padded), 0);
    std::vector<int32_t> colZb(static_cast<std::size_t>(padded), 0);
    for (int64_t j = 0; j < n; ++j) {
        const uint32_t zb = static_cast<uint32_t>((bZpPerColumn ? bZp[j] : bZp[0]) - b.shift);
        colZb[static_cast<std::size_t>(j)] = static_cast<int32_t>(zb);
        colU[static_cast<std::size_t>(j)] = static_cast<int32_t>(
            static_cast<uint32_t>(b.colSums[static_cast<std::size_t>(j)])
            - static_cast<uint32_t>(k) * zb);
    }
    const int64_t rowBlocks = (m + kRows - 1) / kRows;
    const int64_t colPairs = (b.panels + 1) / 2;
    const int64_t panelBytes = k4 * 64;
    // Units (row block, column pair) go to the nn work-sharing pool, whose caller never waits
    // for a thread the OS has not scheduled (an OpenMP region would, on a busy machine).
    auto runUnit = [&](int64_t unit) {
        const int64_t pair = unit / rowBlocks, rb = unit % rowBlocks;
        const int64_t i0 = rb * kRows, rows = std::min<int64_t>(kRows, m - i0);
        const int64_t p0 = pair * 2, np = std::min<int64_t>(2, b.panels - p0);
        const int64_t j0 = p0 * kPanel, cols = std::min(n, j0 + np * kPanel) - j0;
        const auto mask = [](int64_t count) {
            return static_cast<__mmask16>(count >= 16 ? 0xFFFF : count <= 0 ? 0 : (1u << count) - 1);
        };
        const __mmask16 m0 = mask(cols), m1 = mask(cols - 16);
        const Correction cor{rowZa.data() + i0, rowSums.data() + i0, colU.data() + j0,
                             colZb.data() + j0};
        const int8_t *bp = b.data.data() + p0 * panelBytes;
        const uint8_t *arow = ap.data() + i0 * lda;
        const int64_t at = i0 * ldc + j0;   // elements of 4 bytes, int32 or float
        void *crow = toFloat ? static_cast<void *>(static_cast<float *>(c) + at)
                             : static_cast<void *>(static_cast<int32_t *>(c) + at);
        const int r = static_cast<int>(rows);
        if (np == 2 && toFloat)
            tileRows<2, true>(r, arow, lda, bp, panelBytes, k4, cor, crow, ldc, m0, m1);
        else if (np == 2)
            tileRows<2, false>(r, arow, lda, bp, panelBytes, k4, cor, crow, ldc, m0, m1);
        else if (toFloat)
            tileRows<1, true>(r, arow, lda, bp, panelBytes, k4, cor, crow, ldc, m0, m1);
        else
            tileRows<1, false>(r, arow, lda, bp, panelBytes, k4, cor, crow, ldc, m0, m1);
    };
    const int64_t units = rowBlocks * colPairs;
    if (m * n * k > (1 << 20)) {
        // About 4 pieces per thread, each a run of consecutive units.
        const int64_t pieces = std::min<int64_t>(units, 4 * nn::parallelThreads());
        nn::parallelFor(pieces, [&](int64_t piece) {
            for (int64_t u = units * piece / pieces; u < units * (piece + 1) / pieces; ++u)
                runUnit(u);
        });
    } else {
        for (int64_t u = 0; u < units; ++u)
            runUnit(u);
    }
#else
    (void)a; (void)offset; (void)m; (void)b; (void)aZp; (void)aZpPerRow; (void)bZp;
    (void)bZpPerColumn; (void)c; (void)ldc; (void)toFloat;
#endif
}

} // namespace nnc::quant
