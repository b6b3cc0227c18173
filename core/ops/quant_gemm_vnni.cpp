// The uint8 x int8 GEMM of MatMulInteger on AVX-512 VNNI (vpdpbusd: 4 byte products summed
// into each int32 lane per instruction), used at run time when the CPU has it although the
// build targets AVX2. Only the functions marked target("avx512f,avx512vnni") contain such code;
// they are called only after a CPU check. Results are exact integers, the same as the
// widened-float path (quant_gemm.cpp) gives.
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

/// S[MR x 16*NP] (row stride 32) = A'[MR x 4*k4] (uint8, row stride lda bytes) x B' panels
/// (signed bytes, 64 per 4-k group, panels panelBytes apart).
template<int MR, int NP>
__attribute__((target("avx512f,avx512vnni"))) void tile(const uint8_t *a, int64_t lda,
                                                        const int8_t *b, int64_t panelBytes,
                                                        int64_t k4, int32_t *out)
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
    for (int r = 0; r < MR; ++r)
        for (int p = 0; p < NP; ++p)
            _mm512_storeu_si512(out + r * 32 + p * 16, acc[r][p]);
}

template<int NP>
void tileRows(int rows, const uint8_t *a, int64_t lda, const int8_t *b, int64_t panelBytes,
              int64_t k4, int32_t *out)
{
    switch (rows) {
    case 6: tile<6, NP>(a, lda, b, panelBytes, k4, out); return;
    case 5: tile<5, NP>(a, lda, b, panelBytes, k4, out); return;
    case 4: tile<4, NP>(a, lda, b, panelBytes, k4, out); return;
    case 3: tile<3, NP>(a, lda, b, panelBytes, k4, out); return;
    case 2: tile<2, NP>(a, lda, b, panelBytes, k4, out); return;
    default: tile<1, NP>(a, lda, b, panelBytes, k4, out); return;
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
                       int32_t *c, int64_t ldc)
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
    const int64_t rowBlocks = (m + kRows - 1) / kRows;
    const int64_t colPairs = (b.panels + 1) / 2;
    const int64_t panelBytes = k4 * 64;
    const bool parallel = m * n * k > (1 << 20);
#pragma omp parallel for schedule(static) if (parallel)
    for (int64_t unit = 0; unit < rowBlocks * colPairs; ++unit) {
        const int64_t pair = unit / rowBlocks, rb = unit % rowBlocks;
        const int64_t i0 = rb * kRows, rows = std::min<int64_t>(kRows, m - i0);
        const int64_t p0 = pair * 2, np = std::min<int64_t>(2, b.panels - p0);
        alignas(64) int32_t s[kRows * 32];
        const int8_t *bp = b.data.data() + p0 * panelBytes;
        const uint8_t *arow = ap.data() + i0 * lda;
        if (np == 2)
            tileRows<2>(static_cast<int>(rows), arow, lda, bp, panelBytes, k4, s);
        else
            tileRows<1>(static_cast<int>(rows), arow, lda, bp, panelBytes, k4, s);
        // (a - za)(b - zb) summed = S - za' colSum - zb' rowSum + K za' zb', where
        // za' = za + aShift and zb' = zb - bShift; computed modulo 2^32 like int32 wrapping.
        const int64_t j0 = p0 * kPanel, j1 = std::min(n, j0 + np * kPanel);
        for (int64_t r = 0; r < rows; ++r) {
            const int64_t i = i0 + r;
            const uint32_t za = static_cast<uint32_t>((aZpPerRow ? aZp[i] : aZp[0]) + aShift);
            const uint32_t rs = static_cast<uint32_t>(rowSums[static_cast<std::size_t>(i)]);
            int32_t *crow = c + i * ldc;
            for (int64_t j = j0; j < j1; ++j) {
                const uint32_t zb = static_cast<uint32_t>((bZpPerColumn ? bZp[j] : bZp[0]) - b.shift);
                const uint32_t v = static_cast<uint32_t>(s[r * 32 + (j - j0)])
                                   - za * static_cast<uint32_t>(b.colSums[static_cast<std::size_t>(j)])
                                   - zb * rs + static_cast<uint32_t>(k) * za * zb;
                crow[j] = static_cast<int32_t>(v);
            }
        }
    }
#else
    (void)a; (void)offset; (void)m; (void)b; (void)aZp; (void)aZpPerRow; (void)bZp;
    (void)bZpPerColumn; (void)c; (void)ldc;
#endif
}

} // namespace nnc::quant
