// Producer + consumer fusion for the executor. These chains run as one kernel when the
// intermediate tensors are invisible to the caller:
//   - Conv, Gemm or BatchNormalization followed by Relu: the Relu is applied to each output
//     block while it is still in cache, instead of a second pass over a fresh tensor;
//   - Conv followed by an inference BatchNormalization (and optionally a Relu): the
//     BatchNormalization's affine step (the same code as its kernel's) then the Relu, per block;
//   - MatMulInteger followed by Cast to float: the int32 accumulators are converted as they are
//     stored (the ONNX Runtime "MatMulIntegerToFloat" pattern of dynamically quantized models).
// A fused kernel gives the same bits as the two kernels in sequence (the same values, the same
// Relu rule, the same int32 -> float rounding). Whether a pair may be fused on a given run (the
// intermediate is not observed, kept or replaced) is the executor's decision
// (core/runtime/session.cpp).
#pragma once

#include "core/ops/kernel.h"

#include <memory>
#include <span>
#include <string>
#include <vector>

namespace nnc {

struct FusedKernel
{
    /// Computes the producer's outputs with output 0 replaced by the last consumer's output;
    /// null when the ops cannot fuse this chain.
    std::unique_ptr<Kernel> kernel;
    /// The element types of the producer's input 0 for which the fused kernel is valid; for
    /// other types the executor runs the nodes' own kernels.
    std::vector<DataType> inputTypes;
    /// The kernel's inputs: the producer's inputs, padded with omitted inputs to
    /// `producerInputs` entries when that is larger, then these consumer inputs by name.
    std::size_t producerInputs = 0;
    std::vector<std::string> extraInputs;
};

/// The fused kernel for `producer` followed by the chain `consumers`: consumers[0] reads the
/// producer's output 0 as its first input, each next one the previous one's output, and nothing
/// else reads those intermediates (the executor checks).
FusedKernel makeFusedKernel(const KernelBuildInfo &producer,
                            std::span<const KernelBuildInfo> consumers);

} // namespace nnc
