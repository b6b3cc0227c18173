// The one definition of how a plan turns a layer's float weight into its compressed form (prune,
// then choose parameters, then fake-quantize). The evaluator and the exporters both call it, so
// the preview and an exported model hold the same numbers bit for bit.
#pragma once

#include "core/plan/plan.h"
#include "core/stats/layers.h"

#include <vector>

namespace nnc {

/// The axis whose slices N:M pruning groups along (the op's reduction dimension) for a layer.
int weightReductionAxis(const Layer &layer, const Model &model);

/// Per-channel (along `axis`) or per-tensor (one entry) quantization parameters of a float
/// weight under `q`: its manual range when set (per tensor), else MinMax per slice, else the
/// configured histogram method per slice. Non-finite values are ignored by MinMax.
std::vector<QuantParams> weightQuantParams(const Tensor &weight, const QuantConfig &q, int axis);

struct CompressedWeight
{
    Tensor original;                 ///< the float view of the weight (layerWeight)
    Tensor pruned;                   ///< after pruning (== original when pruning is off)
    Tensor weight;                   ///< after pruning and fake quantization: what runs
    std::vector<QuantParams> params; ///< empty when quantization is off
    int axis = -1;                   ///< channel axis of params, -1 for one per-tensor pair
};

/// Compresses one layer's weight as the evaluator does. Errors name the layer.
Result<CompressedWeight> compressLayerWeight(const Model &model, const Layer &layer,
                                             const QuantConfig &q, const PruneConfig &p);

} // namespace nnc
