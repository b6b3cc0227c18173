// An AVX-512 float GEMM kernel for the nn ops, used at run time when the CPU has AVX-512F even
// though the build targets AVX2 (the build's Eigen GEMM cannot use AVX-512; on CPUs that have
// it this kernel is about 1.6x faster per core). Row-major operands, no transposes.
#pragma once

#include <cstdint>

namespace nnc::nn {

/// True when the CPU supports AVX-512F and the kernel is not disabled (see setAvx512Enabled).
bool avx512Available();

/// Turns the AVX-512 kernel off or back on (tests compare both paths; the environment variable
/// NNC_DISABLE_AVX512=1 turns it off at start-up).
void setAvx512Enabled(bool enabled);

/// C[M x N] = A[M x K] * B[K x N] (+ bias[i] on row i when bias is not null; + C when
/// accumulate). lda, ldb, ldc are row strides in elements. Call only when avx512Available().
void gemmAvx512(int64_t M, int64_t N, int64_t K, const float *A, int64_t lda, const float *B,
                int64_t ldb, float *C, int64_t ldc, const float *bias, bool accumulate);

} // namespace nnc::nn
