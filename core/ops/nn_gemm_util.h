// Matrix-multiply entry points for the nn kernels (row-major, BLAS-like leading dimensions).
// Both run Eigen's GEMM kernel without Eigen's own threading: Eigen's parallel GEMM makes its
// threads spin-wait on each other, which stalls badly when another process holds a core. Here
// large products are split into independent column (or row) blocks run by parallelFor
// (nn_parallel.h), so a descheduled thread only delays the blocks it took.
#pragma once

#include <cstdint>

namespace nnc::nn {

/// C[M x N] = alpha * op(A) * op(B) + beta * C on the calling thread only. op(A) is M x K:
/// A is stored M x K (row stride lda) or, when transA, K x M. Likewise B (K x N or N x K).
/// beta == 0 ignores C's old contents (NaN included). T: float, double, int32_t, int64_t,
/// uint32_t, uint64_t.
template<class T>
void gemmSerial(bool transA, bool transB, int64_t M, int64_t N, int64_t K, T alpha, const T *A,
                int64_t lda, const T *B, int64_t ldb, T beta, T *C, int64_t ldc);

/// Same contract; splits large products across the threads (serially inside a parallel loop).
template<class T>
void gemm(bool transA, bool transB, int64_t M, int64_t N, int64_t K, T alpha, const T *A,
          int64_t lda, const T *B, int64_t ldb, T beta, T *C, int64_t ldc);

/// Float C[M x N] = A[M x K] * B[K x N] + bias (one value per row; null for none), no
/// transposes; split across threads like gemm(), with the bias added inside the GEMM where the
/// AVX-512 kernel is used.
void gemmBias(int64_t M, int64_t N, int64_t K, const float *A, int64_t lda, const float *B,
              int64_t ldb, float *C, int64_t ldc, const float *bias);

} // namespace nnc::nn
