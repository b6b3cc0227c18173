// Live readouts of one layer's weight under a compression setting: what the quantization range
// clips, the error it makes (SQNR, MSE), how many integer levels the values use and the sparsity
// after pruning. Computed exactly, over every weight, with the engine's own pruning and fake
// quantization (core/eval/weight_compression.h), so the figures match the evaluator's; the work
// is vectorized and cheap enough to redo on every mouse move of a range drag.
#pragma once

#include "core/model/tensor.h"
#include "core/plan/plan.h"

#include <vector>

namespace nnc {

struct WeightReadout
{
    bool valid = false;
    bool quantized = false;     ///< quantization enabled in the setting
    double clippedShare = 0;    ///< share of the (pruned) weights outside the range, 0..1
    double sqnrDb = 0;          ///< original vs compressed; +inf when identical
    double mse = 0;
    int64_t levelsUsed = 0;     ///< distinct integer codes the compressed weights use
    int64_t levelsTotal = 0;    ///< 2^bits (the restricted range has one fewer)
    double sparsity = 0;        ///< zero share of the compressed weight, 0..1
    float rmin = 0, rmax = 0;   ///< the per-tensor range (per-channel: the envelope of the
                                ///< channels that hold a nonzero value)
    std::vector<QuantParams> params;  ///< one per tensor or per channel
    /// One per entry of `params`: 1 when every (pruned) value of that channel is zero, so its
    /// range is the quantizer's fallback (S = 1) and says nothing about the data; such channels
    /// (an embedding's padding row, a pruned-away filter) stay out of `rmin`/`rmax`.
    std::vector<uint8_t> zeroChannel;
};

/// `original`: the layer's float weight; `pruned`: the same after the plan's pruning (equal to
/// `original` when pruning is off); `axis`: the layer's channel axis; `q`: the effective
/// quantization config (its `range`, when set, gives one per-tensor range as in the engine).
/// Non-float or empty tensors give an invalid readout.
WeightReadout computeWeightReadout(const Tensor &original, const Tensor &pruned, int axis,
                                   const QuantConfig &q);

/// The magnitude below which pruning zeroed weights: the largest |w| that `pruned` set to zero
/// (0 when nothing was pruned). Meaningful as a threshold for unstructured pruning.
float pruneThreshold(const Tensor &original, const Tensor &pruned);

} // namespace nnc
