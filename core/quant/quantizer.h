// Affine quantization as ONNX QuantizeLinear/DequantizeLinear define it (round half to even,
// saturation), for 2 to 16 bits. The formulas are in ../shared/guide/quantization.md.
#pragma once

#include "core/model/tensor.h"
#include "core/util/error.h"

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace nnc {

enum class IntRange { Signed, Unsigned, SignedRestricted };

/// How to quantize: bit width 2..16, integer range, symmetric (Z = 0) or asymmetric.
struct QuantSpec
{
    int bits = 8;
    IntRange range = IntRange::Signed;
    bool symmetric = true;
};

/// One (scale, zero point) with its integer range.
struct QuantParams
{
    float scale = 1.0f;
    int32_t zeroPoint = 0;
    int32_t qmin = -128;
    int32_t qmax = 127;
};

/// [qmin, qmax] for b bits (guide's table).
std::pair<int32_t, int32_t> integerRange(int bits, IntRange range);

/// Scale and zero point for the real range [rmin, rmax] (zero always representable; degenerate
/// ranges give S = 1). Symmetric: Z = 0 (unsigned symmetric: S = rmax / (2^b - 1)).
/// S is computed in double and rounded once to float; Z = clamp(nearbyint(qmin - rmin / S)).
/// Degenerate (S would be 0): S = 1, Z = 0, except asymmetric unsigned, Z = 2^(b-1) (the
/// midpoint). Bits outside 2..16 are clamped; reversed bounds are swapped; NaN bounds count as
/// 0 and infinite ones as the float limits; S is at least the smallest normal float.
QuantParams chooseParams(const QuantSpec &spec, float rmin, float rmax);

/// q = clamp(nearbyint(r / S) + Z, qmin, qmax)
int32_t quantizeValue(float r, const QuantParams &p);
/// r = S * (q - Z)
float dequantizeValue(int32_t q, const QuantParams &p);

/// out[i] = S * (clamp(round(in[i] / S) + Z, qmin, qmax) - Z); in and out may alias. Vectorized.
/// Bit-identical to ONNX QuantizeLinear -> DequantizeLinear: float32 true division, round half
/// to even, float(q - Z) * S; NaN gives 0 (ONNX maps NaN to the zero point), +-inf clip.
/// Processes min(in.size(), out.size()) values; parallel (OpenMP) for large inputs.
void fakeQuantize(std::span<const float> in, std::span<float> out, const QuantParams &p);

/// Per-channel fake quantization along `axis` of a float tensor, one QuantParams per channel.
/// params.size() must equal the axis length (or 1 for per-tensor).
Result<Tensor> fakeQuantizeTensor(const Tensor &x, std::span<const QuantParams> params, int axis);

/// Min/max params of a whole tensor (MinMax calibration of a weight, per tensor). Non-finite
/// values are ignored; an empty or all-non-finite input gives the degenerate range [0, 0].
QuantParams tensorParams(std::span<const float> values, const QuantSpec &spec);

/// One QuantParams per slice along `axis` (negative counts from the back) of a float tensor,
/// each from that slice's min/max (MinMax per channel, the guide's default for weights).
/// Errors: non-float tensor, axis out of range.
Result<std::vector<QuantParams>> perChannelParams(const Tensor &weight, const QuantSpec &spec,
                                                  int axis);

/// The guide's per-channel (output-channel) axis of an op's constant weight operand: Conv 0,
/// ConvTranspose 1, Gemm B 0 with transB else 1, MatMul weight the last axis, Gather table 0,
/// LSTM/GRU/RNN W and R 1. -1 for any other op (quantize per tensor).
int weightChannelAxis(std::string_view opType, int64_t weightRank, bool transB = false);

/// Storage of one compressible weight under the guide's size rule, in bits: `numel` values of
/// which `nonZero` are kept, `channels` (scale, zero point) pairs of 32 + bits bits each, dense
/// (numel * bits) or, when smaller, sparse (a 1-bit mask per weight plus nonZero * bits).
/// bits = 32 with channels = 0 gives the cost of a float weight (dense or masked sparse).
int64_t compressedWeightBits(int64_t numel, int64_t nonZero, int64_t channels, int bits);

/// Quantization error measures of approx against ref (same length).
struct ErrorStats
{
    double mse = 0;
    double sqnrDb = 0;        ///< +inf when exact
    double maxAbs = 0;
    double cosine = 1;
    double clippedFraction = 0;  ///< share of ref outside [rmin, rmax] (0 if rmin > rmax)
};
/// Over the first min(ref.size(), approx.size()) values, accumulated in double. Empty input:
/// mse 0, SQNR +inf, cosine 1. Cosine is 0 when exactly one side is all zeros.
ErrorStats compareTensors(std::span<const float> ref, std::span<const float> approx,
                          float rmin = 1.0f, float rmax = -1.0f);

} // namespace nnc
