// AVX-512 float GEMM: register tiles of MR rows x 32 columns (two zmm per row) over K blocks,
// reading B rows directly (im2col output and MatMul operands are already row-major panels) and
// broadcasting A. Column tails use masked loads and stores. Only the functions marked
// target("avx512f") contain AVX-512 code; they are called only after a CPU check.
#include "core/ops/nn_gemm_avx512.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define NNC_HAVE_AVX512_KERNEL 1
#endif

namespace nnc::nn {

namespace {

std::atomic<bool> &enabledFlag()
{
    static std::atomic<bool> flag = [] {
        const char *env = std::getenv("NNC_DISABLE_AVX512");
        return !(env && std::strcmp(env, "1") == 0);
    }();
    return flag;
}

bool cpuHasAvx512()
{
#ifdef NNC_HAVE_AVX512_KERNEL
    static const bool has = __builtin_cpu_supports("avx512f");
    return has;
#else
    return false;
#endif
}

#ifdef NNC_HAVE_AVX512_KERNEL

constexpr int64_t kBlockK = 256;

/// One MR x 32 tile of C over k in [0, K). m0/m1 mask the two 16-column halves; Full tiles
/// (all 32 columns) use plain loads and stores.
template<int MR, bool Full>
__attribute__((target("avx512f"))) void tile(int64_t K, const float *A, int64_t lda,
                                             const float *B, int64_t ldb, float *C, int64_t ldc,
                                             const float *bias, bool accumulate, __mmask16 m0,
                                             __mmask16 m1)
{
    __m512 acc0[MR], acc1[MR];
#pragma GCC unroll 16
    for (int r = 0; r < MR; ++r) {
        if (accumulate) {
            acc0[r] = _mm512_maskz_loadu_ps(m0, C + r * ldc);
            acc1[r] = _mm512_maskz_loadu_ps(m1, C + r * ldc + 16);
        } else {
            acc0[r] = bias ? _mm512_set1_ps(bias[r]) : _mm512_setzero_ps();
            acc1[r] = acc0[r];
        }
    }
    for (int64_t k = 0; k < K; ++k) {
        const __m512 b0 =
            Full ? _mm512_loadu_ps(B + k * ldb) : _mm512_maskz_loadu_ps(m0, B + k * ldb);
        const __m512 b1 =
            Full ? _mm512_loadu_ps(B + k * ldb + 16) : _mm512_maskz_loadu_ps(m1, B + k * ldb + 16);
#pragma GCC unroll 16
        for (int r = 0; r < MR; ++r) {
            const __m512 a = _mm512_set1_ps(A[r * lda + k]);
            acc0[r] = _mm512_fmadd_ps(a, b0, acc0[r]);
            acc1[r] = _mm512_fmadd_ps(a, b1, acc1[r]);
        }
    }
#pragma GCC unroll 16
    for (int r = 0; r < MR; ++r) {
        if (Full) {
            _mm512_storeu_ps(C + r * ldc, acc0[r]);
            _mm512_storeu_ps(C + r * ldc + 16, acc1[r]);
        } else {
            _mm512_mask_storeu_ps(C + r * ldc, m0, acc0[r]);
            _mm512_mask_storeu_ps(C + r * ldc + 16, m1, acc1[r]);
        }
    }
}

using TileFn = void (*)(int64_t, const float *, int64_t, const float *, int64_t, float *, int64_t,
                        const float *, bool, __mmask16, __mmask16);

constexpr int kMR = 12;
constexpr TileFn kTiles[2][kMR + 1] = {
    {nullptr, &tile<1, false>, &tile<2, false>, &tile<3, false>, &tile<4, false>, &tile<5, false>,
     &tile<6, false>, &tile<7, false>, &tile<8, false>, &tile<9, false>, &tile<10, false>,
     &tile<11, false>, &tile<12, false>},
    {nullptr, &tile<1, true>, &tile<2, true>, &tile<3, true>, &tile<4, true>, &tile<5, true>,
     &tile<6, true>, &tile<7, true>, &tile<8, true>, &tile<9, true>, &tile<10, true>,
     &tile<11, true>, &tile<12, true>}};

#endif

} // namespace

bool avx512Available()
{
    return cpuHasAvx512() && enabledFlag().load(std::memory_order_relaxed);
}

void setAvx512Enabled(bool enabled)
{
    enabledFlag().store(enabled);
}

void gemmAvx512(int64_t M, int64_t N, int64_t K, const float *A, int64_t lda, const float *B,
                int64_t ldb, float *C, int64_t ldc, const float *bias, bool accumulate)
{
#ifdef NNC_HAVE_AVX512_KERNEL
    if (M <= 0 || N <= 0)
        return;
    if (K <= 0) {
        for (int64_t i = 0; i < M; ++i)
            for (int64_t j = 0; j < N; ++j)
                C[i * ldc + j] = (accumulate ? C[i * ldc + j] : 0.0f) + (bias ? bias[i] : 0.0f);
        return;
    }
    // K blocks keep a B panel (kBlockK x 32 floats) in L1 across all row tiles; later blocks
    // accumulate into C.
    // Blocks of equal size (K = 288: 144 + 144, not 256 + 32).
    const int64_t kBlocks = (K + kBlockK - 1) / kBlockK;
    const int64_t kStep = (K + kBlocks - 1) / kBlocks;
    for (int64_t k0 = 0; k0 < K; k0 += kStep) {
        const int64_t kc = std::min(kStep, K - k0);
        const bool acc = accumulate || k0 > 0;
        for (int64_t j0 = 0; j0 < N; j0 += 32) {
            const int64_t n = std::min<int64_t>(32, N - j0);
            const auto m0 = static_cast<__mmask16>(n >= 16 ? 0xFFFF : (1u << n) - 1);
            const auto m1 = static_cast<__mmask16>(n >= 32  ? 0xFFFF
                                                   : n > 16 ? (1u << (n - 16)) - 1
                                                            : 0);
            // Rows spread evenly over the tiles (64 rows: 11,11,11,11,10,10 rather than
            // 12 x 5 + 4, whose last tile would run at a third of the speed).
            const int64_t tiles = (M + kMR - 1) / kMR;
            for (int64_t t = 0, i0 = 0; t < tiles; ++t) {
                const int mr = static_cast<int>((M - i0 + (tiles - t) - 1) / (tiles - t));
                kTiles[n == 32 ? 1 : 0][mr](
                    kc, A + i0 * lda + k0, lda, B + k0 * ldb + j0, ldb, C + i0 * ldc + j0, ldc,
                    acc ? nullptr : (bias ? bias + i0 : nullptr), acc, m0, m1);
                i0 += mr;
            }
        }
    }
#else
    (void)M, (void)N, (void)K, (void)A, (void)lda, (void)B, (void)ldb, (void)C, (void)ldc;
    (void)bias, (void)accumulate;
#endif
}

} // namespace nnc::nn
