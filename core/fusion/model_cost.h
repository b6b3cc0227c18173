// What a model costs to store and to run: parameters, weight bytes and multiply-accumulates per
// inference, counted from shapes. Shared by the fusion and distillation workbenches.
#pragma once

#include "core/model/graph.h"
#include "core/util/error.h"

#include <map>
#include <memory>
#include <string>

namespace nnc {

/// The shape one inference is counted at: symbolic or unknown dims of the model's inputs are
/// set to `batch` (dim 0) and `sequence` (every other dim). Fixed dims keep their value.
struct CostOptions
{
    int64_t batch = 1;     ///< >= 1
    int64_t sequence = 16; ///< >= 1
    int threads = 1;       ///< engine threads for the one shape-probing run
};

struct ModelCost
{
    int64_t parameters = 0; ///< elements of floating-point initializers (Constant nodes: no)
    int64_t bytes = 0;      ///< bytes of every initializer and Constant tensor as stored
    int64_t macs = 0;       ///< multiply-accumulates of one inference at CostOptions' shape
    std::map<std::string, int64_t> macsByOp; ///< "Conv", "GRU", ... (only ops that count)
};

/// Parameters and bytes only (no run); subgraph Constant nodes and initializers included.
ModelCost countParameters(const Model &model);

/// Parameters, bytes and MACs. The MACs come from the shapes one run of the model sees, fed
/// with placeholder inputs of CostOptions' shape (floating inputs 0, integer inputs 1, bool
/// true). Counting rule (docs/fusion-distillation.md):
///   Conv: |Y| * |W| / M (M output channels); ConvTranspose: |X| * |W| / C;
///   Gemm: |Y| * K; MatMul (and MatMulInteger): |Y| * K, K the shared axis;
///   RNN/GRU/LSTM: steps * batch * (|W| + |R|), every step counted (sequence_lens ignored).
/// Nodes inside If/Loop subgraphs are not counted. Errors: an input without a declared shape,
/// a placeholder input of more than 2^28 elements at CostOptions' shape (Code::Usage), an
/// unsupported op, a run that fails (its message).
Result<ModelCost> measureModelCost(std::shared_ptr<const Model> model,
                                   const CostOptions &options = {});

} // namespace nnc
