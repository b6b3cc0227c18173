// Internals shared by the quant op family files (quant_ops.cpp, quant_gemm.cpp, quant_conv.cpp):
// the kernel factories that quant_ops.cpp lists in the op table, integer-type dispatch, and the
// exact integer GEMM that MatMulInteger, QLinearMatMul, ConvInteger and QLinearConv share.
#pragma once

#include "core/ops/kernel.h"

#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace nnc::quant {

Result<std::unique_ptr<Kernel>> makeMatMulInteger(const KernelBuildInfo &info);
/// MatMulInteger whose int32 result is converted to float (static_cast rounding) as it is
/// stored: the fused MatMulInteger + Cast(to float) of the executor (core/ops/fusion.h).
Result<std::unique_ptr<Kernel>> makeMatMulIntegerToFloat(const KernelBuildInfo &info);
Result<std::unique_ptr<Kernel>> makeQLinearMatMul(const KernelBuildInfo &info);
Result<std::unique_ptr<Kernel>> makeConvInteger(const KernelBuildInfo &info);
Result<std::unique_ptr<Kernel>> makeQLinearConv(const KernelBuildInfo &info);

/// Calls f(T{}) for the integer element types quantized tensors use (uint8, int8, uint16,
/// int16, int32); returns false for any other type.
template<class F>
bool visitQuantType(DataType t, F &&f)
{
    switch (t) {
    case DataType::UInt8: f(uint8_t{}); return true;
    case DataType::Int8: f(int8_t{}); return true;
    case DataType::UInt16: f(uint16_t{}); return true;
    case DataType::Int16: f(int16_t{}); return true;
    case DataType::Int32: f(int32_t{}); return true;
    default: return false;
    }
}

/// True for uint8 and int8, the operand types of the integer matmul/conv ops.
inline bool isByteType(DataType t)
{
    return t == DataType::UInt8 || t == DataType::Int8;
}

/// Reads element i of a uint8/int8 tensor as int32.
inline int32_t byteAt(const Tensor &t, int64_t i)
{
    return t.dtype() == DataType::UInt8 ? int32_t{t.data<uint8_t>()[i]}
                                        : int32_t{t.data<int8_t>()[i]};
}

/// Widens n uint8/int8 values starting at element `offset` of `src` to float, subtracting
/// zeroPoint(i) from element i. Returns the largest magnitude written (the GEMM's exactness
/// bound). The values are small integers, so the float copies are exact.
template<class ZeroPoint>
float widenBytes(const Tensor &src, int64_t offset, int64_t n, ZeroPoint zeroPoint, float *dst)
{
    float maxAbs = 0.0f;
    auto run = [&](const auto *p) {
        for (int64_t i = 0; i < n; ++i) {
            const float v = static_cast<float>(int32_t{p[offset + i]} - zeroPoint(i));
            dst[i] = v;
            maxAbs = std::max(maxAbs, std::abs(v));
        }
    };
    if (src.dtype() == DataType::UInt8)
        run(src.data<uint8_t>());
    else
        run(src.data<int8_t>());
    return maxAbs;
}

/// C[M,N] = A[M,K] * B[K,N] for float matrices holding integers with |a| <= maxAbsA and
/// |b| <= maxAbsB; the int32 result is exact. Float GEMM is exact while every partial sum stays
/// below 2^24, so K is split into chunks of at most 2^24 / (maxAbsA * maxAbsB) (258 for full
/// 8-bit ranges) whose float products are converted to int32 and summed. All matrices are
/// row-major with leading dimensions lda, ldb, ldc.
void exactIntGemm(const float *a, int64_t lda, const float *b, int64_t ldb, int32_t *c,
                  int64_t ldc, int64_t m, int64_t k, int64_t n, float maxAbsA, float maxAbsB);

/// True when the CPU has AVX-512 VNNI and the int8 kernel is not disabled (setVnniEnabled, or
/// NNC_DISABLE_VNNI=1 in the environment at start-up).
bool vnniAvailable();
/// Turns the VNNI kernel off or back on (tests compare it with the widened-float path).
void setVnniEnabled(bool enabled);

/// B (K x N, uint8 or int8) packed for matMulIntegerVnni: signed bytes (uint8 values shifted
/// down by 128) in panels of 16 columns, 4 consecutive k per column in each 64-byte group,
/// zero-padded; with the column sums of the signed values.
struct VnniPackedB
{
    int64_t k = 0, n = 0, k4 = 0, panels = 0;
    int32_t shift = 0;                 ///< 128 when B was uint8
    std::vector<int8_t> data;
    std::vector<int32_t> colSums;
};

/// Packs the K x N matrix starting at element `offset` of b.
VnniPackedB packBVnni(const Tensor &b, int64_t offset, int64_t k, int64_t n);

/// C[M x N] (row stride ldc) = (A - za) x (B - zb) in int32 for the M x K uint8/int8 matrix at
/// element `offset` of a. za: aZp[0], or aZp[i] per row when aZpPerRow; zb likewise per column.
/// Exact (modulo 2^32, as int32 accumulation wraps). With `toFloat`, C is float and each int32
/// value is stored converted (as static_cast<float>). Call only when vnniAvailable().
void matMulIntegerVnni(const Tensor &a, int64_t offset, int64_t m, const VnniPackedB &b,
                       const int32_t *aZp, bool aZpPerRow, const int32_t *bZp, bool bZpPerColumn,
                       void *c, int64_t ldc, bool toFloat = false);

/// Requantizes an int32 accumulator: saturate(round_half_even(acc * multiplier) + zeroPoint)
/// into [qmin, qmax], computed in float as ONNX Runtime does.
inline int32_t requantize(int32_t acc, float multiplier, int32_t zeroPoint, int32_t qmin,
                          int32_t qmax)
{
    const float v = std::nearbyint(static_cast<float>(acc) * multiplier)
                    + static_cast<float>(zeroPoint);
    if (!(v >= static_cast<float>(qmin)))   // also catches NaN
        return qmin;
    if (v > static_cast<float>(qmax))
        return qmax;
    return static_cast<int32_t>(v);
}

/// "uint8" etc. for messages.
std::string typeText(const Tensor &t);

/// Error unless t's element count is 1 or `n`; `what` names the input ("a_zero_point").
Result<void> checkScalarOrCount(const Tensor &t, int64_t n, const std::string &what,
                                const std::string &countMeaning);

} // namespace nnc::quant
