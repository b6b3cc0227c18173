// Pruning: unstructured magnitude, structured (output channels by L1/L2), and N:M. Deterministic
// (ties broken by index). Prune first, then quantize: zeros stay exactly zero.
#pragma once

#include "core/model/tensor.h"
#include "core/util/error.h"

#include <cstdint>
#include <span>
#include <vector>

namespace nnc {

enum class PruneStructure { Unstructured, Channel, NM };

struct PruneSpec
{
    double ratio = 0.0;          ///< [0, 1): share of weights (or channels) zeroed
    PruneStructure structure = PruneStructure::Unstructured;
    bool l2 = false;             ///< Channel: rank channels by L2 instead of L1 norm
    int n = 2, m = 4;            ///< NM: keep n of every m along the reduction dimension
};

/// floor(ratio * n), the number of weights (or channels) a ratio prunes. A relative 1e-12 is added
/// before the floor so that decimal ratios hit their intended count (0.29 * 100 is
/// 28.999999999999996 in binary, but prunes 29).
int64_t pruneCount(double ratio, int64_t n);

/// Returns a pruned copy of a float weight. `outputAxis` is the output-channel axis (the guide's
/// per-channel axis); the reduction dimension for N:M is the axis the op sums over (Conv: the
/// flattened [Cin/g, kH, kW] of each filter; MatMul [K, N]: axis 0; Gemm transB: axis 1).
/// Rule: when reductionAxis > outputAxis, the reduction dimension is the flattening of the axes
/// reductionAxis..rank-1 (Conv passes 1); otherwise it is the axis reductionAxis alone, with the
/// groups strided across the axes after it. A trailing group shorter than m is treated as
/// padded with zeros (its n largest are kept). Negative axes count from the back.
/// Errors: dtype not float/double/float16/bfloat16, ratio outside [0, 1), bad axes, n:m with
/// n < 1 or n > m.
Result<Tensor> pruneWeight(const Tensor &weight, const PruneSpec &spec, int outputAxis,
                           int reductionAxis);

/// The magnitude below which floor(ratio * N) weights of all the given tensors fall (global
/// unstructured pruning); ties broken by tensor order then index.
float globalMagnitudeThreshold(std::span<const Tensor *const> weights, double ratio);

/// Global unstructured pruning in full: the threshold (as globalMagnitudeThreshold) and, per
/// tensor (same order, 0 for null entries), how many weights equal to it pruneBelow must also
/// zero, so that exactly floor(ratio * N) weights are chosen, ties by tensor order then index.
struct GlobalPrunePlan
{
    float threshold = 0;
    std::vector<int64_t> extraAtThreshold;
    int64_t total = 0;    ///< N, all weights of the given tensors
    int64_t pruned = 0;   ///< floor(ratio * N)
};
GlobalPrunePlan globalMagnitudePlan(std::span<const Tensor *const> weights, double ratio);

/// Zeroes weights with |w| < threshold (and, to hit an exact count with ties, the first
/// `extraAtThreshold` weights equal to it in index order).
Tensor pruneBelow(const Tensor &weight, float threshold, int64_t extraAtThreshold = 0);

} // namespace nnc
