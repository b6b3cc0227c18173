// GEMM helpers for the nn kernels: Eigen's single-threaded GEMM/GEMV kernels, and a block split
// over the nn thread pool for large products (see nn_gemm_util.h for why not Eigen's threading).
#include "core/ops/nn_gemm_util.h"
#include "core/ops/nn_gemm_avx512.h"
#include "core/ops/nn_parallel.h"

#include <Eigen/Core>

#include <algorithm>
#include <type_traits>
#include <vector>

#if defined(__SSE__)
#include <xmmintrin.h>
#endif

namespace nnc::nn {

namespace {

/// Sets flush-to-zero and denormals-are-zero for the lifetime of the guard on this thread. A
/// product touching denormal floats (e.g. attention weights after a masked Softmax) otherwise
/// takes a microcode assist per FMA and runs 50-100x slower; the values involved are below
/// 1.2e-38, so the results differ from exact IEEE only by amounts under that.
class DenormalGuard
{
public:
    DenormalGuard()
    {
#if defined(__SSE__)
        m_saved = _mm_getcsr();
        _mm_setcsr(m_saved | 0x8040);   // FTZ (bit 15) | DAZ (bit 6)
#endif
    }
    ~DenormalGuard()
    {
#if defined(__SSE__)
        _mm_setcsr(m_saved);
#endif
    }
    DenormalGuard(const DenormalGuard &) = delete;
    DenormalGuard &operator=(const DenormalGuard &) = delete;

private:
    unsigned m_saved = 0;
};

template<class T>
using MatR = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
template<class T>
using StridedMap = Eigen::Map<MatR<T>, 0, Eigen::OuterStride<>>;
template<class T>
using CStridedMap = Eigen::Map<const MatR<T>, 0, Eigen::OuterStride<>>;

/// Eigen's blocked GEMM kernel called directly (no parallelize_gemm): C += alpha * op(A) op(B).
template<class T, int AOrder, int BOrder>
void eigenGemm(int64_t M, int64_t N, int64_t K, T alpha, const T *A, int64_t lda, const T *B,
               int64_t ldb, T *C, int64_t ldc)
{
    using Index = Eigen::Index;
    Eigen::internal::gemm_blocking_space<Eigen::RowMajor, T, T, Eigen::Dynamic, Eigen::Dynamic,
                                         Eigen::Dynamic>
        blocking(M, N, K, 1, true);
    Eigen::internal::general_matrix_matrix_product<Index, T, AOrder, false, T, BOrder, false,
                                                   Eigen::RowMajor, 1>::run(M, N, K, A, lda, B,
                                                                            ldb, C, 1, ldc, alpha,
                                                                            blocking);
}

/// C += alpha * op(A) * op(B) for one row or one column of C, via Eigen's GEMV (never threaded).
template<class T>
void gemvAccumulate(bool transA, bool transB, int64_t M, int64_t N, int64_t K, T alpha,
                    const T *A, int64_t lda, const T *B, int64_t ldb, T *C, int64_t ldc)
{
    const CStridedMap<T> a(A, transA ? K : M, transA ? M : K, Eigen::OuterStride<>(lda));
    const CStridedMap<T> b(B, transB ? N : K, transB ? K : N, Eigen::OuterStride<>(ldb));
    StridedMap<T> c(C, M, N, Eigen::OuterStride<>(ldc));
    if (M == 1) {
        auto arow = [&]() { return transA ? a.col(0).transpose().eval() : a.row(0).eval(); }();
        if (transB)
            c.row(0).noalias() += alpha * (arow * b.transpose());
        else
            c.row(0).noalias() += alpha * (arow * b);
    } else {
        auto bcol = [&]() { return transB ? b.row(0).transpose().eval() : b.col(0).eval(); }();
        if (transA)
            c.col(0).noalias() += alpha * (a.transpose() * bcol);
        else
            c.col(0).noalias() += alpha * (a * bcol);
    }
}

} // namespace

template<class T>
void gemmSerial(bool transA, bool transB, int64_t M, int64_t N, int64_t K, T alpha, const T *A,
                int64_t lda, const T *B, int64_t ldb, T beta, T *C, int64_t ldc)
{
    if (M <= 0 || N <= 0)
        return;
    [[maybe_unused]] DenormalGuard denormals;
    if constexpr (std::is_same_v<T, float>) {
        // The AVX-512 kernel reads B as row-major K x N panels; a transposed B (Gemm with
        // transB, as in linear layers) is copied into that layout first, which costs 1/M of
        // the product.
        if (alpha == 1.0f && (beta == 0.0f || beta == 1.0f) && !transA && K > 0 && N >= 16
            && (!transB || M >= 8) && avx512Available()) {
            if (!transB) {
                gemmAvx512(M, N, K, A, lda, B, ldb, C, ldc, nullptr, beta == 1.0f);
                return;
            }
            thread_local std::vector<float> bt;
            bt.resize(static_cast<std::size_t>(K * N));
            // Transpose in 16 x 16 blocks so reads and writes both stay within a few lines.
            float *dst = bt.data();
            for (int64_t j0 = 0; j0 < N; j0 += 16)
                for (int64_t k0 = 0; k0 < K; k0 += 16) {
                    const int64_t j1 = std::min(N, j0 + 16), k1 = std::min(K, k0 + 16);
                    for (int64_t j = j0; j < j1; ++j)
                        for (int64_t k = k0; k < k1; ++k)
                            dst[k * N + j] = B[j * ldb + k];
                }
            gemmAvx512(M, N, K, A, lda, bt.data(), N, C, ldc, nullptr, beta == 1.0f);
            return;
        }
    }
    if (beta != T(1)) {
        for (int64_t i = 0; i < M; ++i) {
            T *row = C + i * ldc;
            if (beta == T(0))
                std::fill(row, row + N, T(0));
            else
                for (int64_t j = 0; j < N; ++j)
                    row[j] *= beta;
        }
    }
    if (K <= 0 || alpha == T(0))
        return;
    if (M == 1 || N == 1) {
        gemvAccumulate(transA, transB, M, N, K, alpha, A, lda, B, ldb, C, ldc);
        return;
    }
    constexpr int R = Eigen::RowMajor, Cm = Eigen::ColMajor;
    if (!transA && !transB)
        eigenGemm<T, R, R>(M, N, K, alpha, A, lda, B, ldb, C, ldc);
    else if (!transA && transB)
        eigenGemm<T, R, Cm>(M, N, K, alpha, A, lda, B, ldb, C, ldc);
    else if (transA && !transB)
        eigenGemm<T, Cm, R>(M, N, K, alpha, A, lda, B, ldb, C, ldc);
    else
        eigenGemm<T, Cm, Cm>(M, N, K, alpha, A, lda, B, ldb, C, ldc);
}

namespace {

/// Splits C's longer side into blocks and calls block(lo, count, splitN) for each, across the
/// threads when the product is large enough; once with the whole range otherwise.
template<class F>
void forGemmBlocks(int64_t M, int64_t N, int64_t K, F &&block)
{
    const int threads = parallelThreads();
    // Below ~1M multiply-adds (tens of microseconds) sharing the work costs more than it saves.
    constexpr double kMinParallelWork = 1 << 20;
    const double work = double(M) * double(N) * double(K);
    const bool splitN = N >= M;
    const int64_t len = splitN ? N : M;
    // Each block repacks the other operand, which is cheap while blocks keep >= ~64 columns.
    const int64_t blocks =
        threads <= 1 || work < kMinParallelWork ? 1 : std::clamp<int64_t>(len / 64, 1, 3 * threads);
    if (blocks <= 1) {
        block(int64_t{0}, len, splitN);
        return;
    }
    // Block boundaries on multiples of 32 so the register tiles stay whole.
    const int64_t step = ((len + blocks - 1) / blocks + 31) / 32 * 32;
    const int64_t count = (len + step - 1) / step;
    parallelFor(count, [&](int64_t b) {
        const int64_t lo = b * step;
        block(lo, std::min(step, len - lo), splitN);
    });
}

} // namespace

template<class T>
void gemm(bool transA, bool transB, int64_t M, int64_t N, int64_t K, T alpha, const T *A,
          int64_t lda, const T *B, int64_t ldb, T beta, T *C, int64_t ldc)
{
    forGemmBlocks(M, N, K, [&](int64_t lo, int64_t n, bool splitN) {
        if (splitN) {
            const T *Bb = transB ? B + lo * ldb : B + lo;
            gemmSerial(transA, transB, M, n, K, alpha, A, lda, Bb, ldb, beta, C + lo, ldc);
        } else {
            const T *Ab = transA ? A + lo : A + lo * lda;
            gemmSerial(transA, transB, n, N, K, alpha, Ab, lda, B, ldb, beta, C + lo * ldc, ldc);
        }
    });
}

void gemmBias(int64_t M, int64_t N, int64_t K, const float *A, int64_t lda, const float *B,
              int64_t ldb, float *C, int64_t ldc, const float *bias)
{
    const bool avx512 = avx512Available();
    forGemmBlocks(M, N, K, [&](int64_t lo, int64_t n, bool splitN) {
        const int64_t rows = splitN ? M : n, cols = splitN ? n : N;
        const float *Ab = splitN ? A : A + lo * lda;
        const float *Bb = splitN ? B + lo : B;
        float *Cb = splitN ? C + lo : C + lo * ldc;
        const float *biasB = bias && !splitN ? bias + lo : bias;
        if (avx512 && cols >= 16) {
            DenormalGuard denormals;
            gemmAvx512(rows, cols, K, Ab, lda, Bb, ldb, Cb, ldc, biasB, false);
            return;
        }
        gemmSerial(false, false, rows, cols, K, 1.0f, Ab, lda, Bb, ldb, 0.0f, Cb, ldc);
        if (biasB)
            for (int64_t i = 0; i < rows; ++i) {
                float *row = Cb + i * ldc;
                const float b = biasB[i];
#pragma omp simd
                for (int64_t j = 0; j < cols; ++j)
                    row[j] += b;
            }
    });
}

#define NNC_INSTANTIATE_GEMM(T)                                                                   \
    template void gemmSerial<T>(bool, bool, int64_t, int64_t, int64_t, T, const T *, int64_t,    \
                                const T *, int64_t, T, T *, int64_t);                             \
    template void gemm<T>(bool, bool, int64_t, int64_t, int64_t, T, const T *, int64_t, const T *, \
                          int64_t, T, T *, int64_t);
NNC_INSTANTIATE_GEMM(float)
NNC_INSTANTIATE_GEMM(double)
NNC_INSTANTIATE_GEMM(int32_t)
NNC_INSTANTIATE_GEMM(int64_t)
NNC_INSTANTIATE_GEMM(uint32_t)
NNC_INSTANTIATE_GEMM(uint64_t)
#undef NNC_INSTANTIATE_GEMM

} // namespace nnc::nn
