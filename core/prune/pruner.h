// Pruning: unstructured magnitude, structured (output channels by L1/L2), and N:M. Deterministic
// (ties broken by index). Prune first, then quantize: zeros stay exactly zero.
#pragma once

#include "core/model/tensor.h"
#include "core/util/error.h"

#include <span>

namespace nnc {

enum class PruneStructure { Unstructured, Channel, NM };

struct PruneSpec
{
    double ratio = 0.0;          ///< [0, 1): share of weights (or channels) zeroed
    PruneStructure structure = PruneStructure::Unstructured;
    bool l2 = false;             ///< Channel: rank channels by L2 instead of L1 norm
    int n = 2, m = 4;            ///< NM: keep n of every m along the reduction dimension
};

/// Returns a pruned copy of a float weight. `outputAxis` is the output-channel axis (the guide's
/// per-channel axis); the reduction dimension for N:M is the axis the op sums over (Conv: the
/// flattened [Cin/g, kH, kW] of each filter; MatMul [K, N]: axis 0; Gemm transB: axis 1).
Result<Tensor> pruneWeight(const Tensor &weight, const PruneSpec &spec, int outputAxis,
                           int reductionAxis);

/// The magnitude below which floor(ratio * N) weights of all the given tensors fall (global
/// unstructured pruning); ties broken by tensor order then index.
float globalMagnitudeThreshold(std::span<const Tensor *const> weights, double ratio);

/// Zeroes weights with |w| < threshold (and, to hit an exact count with ties, the first
/// `extraAtThreshold` weights equal to it in index order).
Tensor pruneBelow(const Tensor &weight, float threshold, int64_t extraAtThreshold = 0);

} // namespace nnc
