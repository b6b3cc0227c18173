// Producer + consumer fusion for the executor. Two kinds of pair run as one kernel when the
// intermediate tensor is invisible to the caller:
//   - Conv, Gemm or BatchNormalization followed by Relu: the Relu is applied to each output
//     block while it is still in cache, instead of a second pass over a fresh tensor;
//   - MatMulInteger followed by Cast to float: the int32 accumulators are converted as they are
//     stored (the ONNX Runtime "MatMulIntegerToFloat" pattern of dynamically quantized models).
// A fused kernel gives the same bits as the two kernels in sequence (the same values, the same
// Relu rule, the same int32 -> float rounding). Whether a pair may be fused on a given run (the
// intermediate is not observed, kept or replaced) is the executor's decision
// (core/runtime/session.cpp).
#pragma once

#include "core/ops/kernel.h"

#include <memory>
#include <vector>

namespace nnc {

struct FusedKernel
{
    /// Computes the producer's outputs with output 0 replaced by the consumer's output; null
    /// when the ops cannot fuse this pair.
    std::unique_ptr<Kernel> kernel;
    /// The element types of the producer's input 0 for which the fused kernel is valid; for
    /// other types the executor runs the two nodes' own kernels.
    std::vector<DataType> inputTypes;
};

/// The fused kernel for `producer` followed by `consumer`, a node whose only input is the
/// producer's output 0 (the executor checks that nothing else reads it).
FusedKernel makeFusedKernel(const KernelBuildInfo &producer, const KernelBuildInfo &consumer);

} // namespace nnc
