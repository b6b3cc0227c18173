// Internal to the nn op family (core/ops/nn_*.cpp): the per-file entry lists that nn_ops.cpp
// joins, and the convolution/pooling window geometry they share. Not a public API.
#pragma once

#include "core/model/graph.h"
#include "core/ops/kernel.h"

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace nnc::nn {

std::span<const OpEntry> gemmOps();   // MatMul, Gemm, Einsum (nn_gemm.cpp)
std::span<const OpEntry> convOps();   // Conv, ConvTranspose (nn_conv.cpp)
std::span<const OpEntry> poolOps();   // MaxPool, AveragePool, Global*, LpPool (nn_pool.cpp)
std::span<const OpEntry> normOps();   // BatchNormalization, LayerNormalization, ... (nn_norm.cpp)

enum class AutoPad { NotSet, SameUpper, SameLower, Valid };

/// Parses an auto_pad attribute value ("" counts as NOTSET), or an error naming it.
Result<AutoPad> parseAutoPad(const std::string &s);

/// The sliding-window attributes shared by Conv, ConvTranspose and the pools, parsed once.
/// Vectors are empty when the attribute is absent (defaults depend on the spatial rank,
/// which is known only when the input arrives).
struct WindowAttrs
{
    std::vector<int64_t> kernelShape;
    std::vector<int64_t> strides;
    std::vector<int64_t> pads;        ///< begins then ends, 2 * spatial rank
    std::vector<int64_t> dilations;
    AutoPad autoPad = AutoPad::NotSet;
    bool ceilMode = false;
};

Result<WindowAttrs> parseWindowAttrs(const Node &node);

/// Concrete window geometry for one call, promoted to 3 spatial dims: lower-rank problems
/// get leading dims of size 1 (kernel 1, stride 1, pad 0) so kernels need only 3-D loops.
struct Geometry3
{
    int rank = 0;                          ///< the real spatial rank (1..3)
    std::array<int64_t, 3> in{1, 1, 1};
    std::array<int64_t, 3> out{1, 1, 1};
    std::array<int64_t, 3> kernel{1, 1, 1};
    std::array<int64_t, 3> stride{1, 1, 1};
    std::array<int64_t, 3> dilation{1, 1, 1};
    std::array<int64_t, 3> padBegin{0, 0, 0};
    std::array<int64_t, 3> padEnd{0, 0, 0};

    bool operator==(const Geometry3 &) const = default;
    int64_t inSize() const { return in[0] * in[1] * in[2]; }
    int64_t outSize() const { return out[0] * out[1] * out[2]; }
    int64_t kernelSize() const { return kernel[0] * kernel[1] * kernel[2]; }
    /// The output dims (real rank only) appended to `prefix`.
    std::vector<int64_t> outDims(std::vector<int64_t> prefix) const;
};

/// Computes the forward (Conv/pool) geometry for `inSpatial` with the given kernel.
/// `allowCeil` is false for Conv. Errors name bad attribute lengths or empty outputs.
Result<Geometry3> forwardGeometry(const WindowAttrs &a, std::span<const int64_t> inSpatial,
                                  std::span<const int64_t> kernel);

/// An activation fused into Conv/Gemm/MatMul outputs (com.microsoft FusedConv/FusedGemm, or a
/// graph optimizer's Conv+Relu rewrite). Applied in place while the output block is in cache.
struct Activation
{
    /// ReluNaN is the plain ONNX Relu kernel's rule (NaN passes through; -0 becomes +0), used
    /// when the executor fuses a Relu node; Relu is ONNX Runtime's contrib rule (NaN -> 0).
    enum class Kind { None, Relu, LeakyRelu, Sigmoid, Tanh, Clip, HardSigmoid, ReluNaN };
    Kind kind = Kind::None;
    float alpha = 0.0f;   ///< LeakyRelu slope, Clip min, HardSigmoid alpha
    float beta = 0.0f;    ///< Clip max, HardSigmoid beta

    void apply(float *p, int64_t n) const;
    void apply(double *p, int64_t n) const;
};

/// Reads the ONNX Runtime contrib convention: string attribute "activation" (Relu, LeakyRelu,
/// Sigmoid, Tanh, Clip, HardSigmoid; absent = none) and floats "activation_params"
/// ([alpha] / [min, max] / [alpha, beta]); defaults as the plain ONNX ops.
Result<Activation> parseFusedActivation(const Node &node);

/// Kernels of Conv, Gemm and BatchNormalization (ai.onnx) that apply `act` to their output 0
/// while each block is in cache, for the executor's producer + activation fusion (see
/// core/ops/fusion.h). The activation is applied to float and double outputs only.
Result<std::unique_ptr<Kernel>> makeConvWithActivation(const KernelBuildInfo &info, Activation act);
Result<std::unique_ptr<Kernel>> makeGemmWithActivation(const KernelBuildInfo &info, Activation act);
Result<std::unique_ptr<Kernel>> makeBatchNormWithActivation(const KernelBuildInfo &info,
                                                            Activation act);

/// BatchNormalization's inference affine step, shared by its kernel and by the executor's
/// Conv + BatchNormalization fusion so both run the same machine code (nn_norm.cpp):
/// per-channel a = scale / sqrt(var + epsilon), b = bias - mean * a (computed in double,
/// rounded to T), and y[i] = x[i] * a + b over a run (x may equal y).
template<class T>
void batchNormCoefficients(const std::vector<double> &scale, const std::vector<double> &bias,
                           const std::vector<double> &mean, const std::vector<double> &var,
                           double epsilon, std::vector<T> &a, std::vector<T> &b);
template<class T>
void batchNormRun(const T *x, T *y, int64_t n, T a, T b);
/// A BatchNormalization parameter tensor (any float type) as doubles; empty when null.
std::vector<double> batchNormParamAsDoubles(const Tensor *t);

/// Conv (ai.onnx) followed by inference BatchNormalization (and `act`), computed per output
/// block while it is in cache. Inputs: X, W, B (or null), then the BatchNormalization's scale,
/// B, mean and var. When the parameters are not one per channel it computes the Conv and then
/// runs the BatchNormalization kernel on the result (same values, same messages).
Result<std::unique_ptr<Kernel>> makeConvBatchNorm(const KernelBuildInfo &conv,
                                                  const KernelBuildInfo &batchNorm,
                                                  Activation act);

/// Wraps a kernel so float16 / bfloat16 inputs are computed in float32: such inputs are
/// converted, and output 0 is converted back to input 0's type when that was a half type.
std::unique_ptr<Kernel> wrapHalfAsFloat(std::unique_ptr<Kernel> inner);

/// A factory whose kernels also accept float16 / bfloat16 (see wrapHalfAsFloat).
template<KernelFactory F>
Result<std::unique_ptr<Kernel>> halfCapable(const KernelBuildInfo &info)
{
    auto kernel = F(info);
    if (!kernel)
        return kernel;
    return wrapHalfAsFloat(std::move(*kernel));
}

/// Shape text for messages: "[1, 3, 28, 28]".
std::string shapeText(const Tensor &t);

} // namespace nnc::nn
