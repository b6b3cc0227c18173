// Producer + activation fusion for the executor: a Conv, Gemm or BatchNormalization node whose
// only reader is a Relu node can run as one kernel that applies the Relu to each output block
// while it is still in cache, instead of a second pass over a fresh tensor. The fused kernel
// gives the same bits as the two kernels in sequence (the same float values, the same Relu
// rule). Whether a pair may be fused on a given run (the intermediate is not observed, kept or
// replaced) is the executor's decision (core/runtime/session.cpp).
#pragma once

#include "core/ops/kernel.h"

#include <memory>

namespace nnc {

/// A kernel computing `producer` (its outputs, with output 0 replaced by the activation's
/// output) followed by `activation`, a node reading only the producer's output 0; nullptr when
/// this pair is not one the ops can fuse. The result is valid only when the producer's input 0
/// is float or double; for other types the executor runs the two nodes' own kernels.
std::unique_ptr<Kernel> makeFusedActivationKernel(const KernelBuildInfo &producer,
                                                  const KernelBuildInfo &activation);

} // namespace nnc
