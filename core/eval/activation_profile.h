// Activation statistics for the Studio's activations view: the validation set streamed batch by
// batch through the float model, each watched tensor (a layer's input) folded into a
// StreamingHistogram, and the range every calibrator proposes for it under the tensor's
// configured quantization. Memory stays bounded: one batch and one histogram per tensor.
#pragma once

#include "core/calib/calibrator.h"
#include "core/data/dataset.h"
#include "core/plan/plan.h"
#include "core/runtime/session.h"
#include "core/util/error.h"
#include "core/util/progress.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace nnc {

class Evaluator;

/// One calibrator's answer for a tensor.
struct CalibProposal
{
    CalibConfig config;   ///< the method (and percentile) that proposed it
    Range range;
};

struct ActivationProfile
{
    std::string tensor;
    StreamingHistogram histogram;        ///< every finite value of the tensor over the samples
    QuantSpec spec;                      ///< the configured spec the proposals were made for
    std::vector<CalibProposal> proposals;  ///< in proposalMethods() order
    int64_t samples = 0;                 ///< validation samples streamed
};

/// The calibrators the profile asks, in display order: MinMax, Percentile 99.99, Entropy, MSE.
std::vector<CalibConfig> proposalMethods();

/// Streams samples [0, limit) (all when limit < 0) of `data` in batches of `batchSize` through the
/// float `session` and profiles each of `tensors` (graph inputs or node outputs holding float
/// data) with the spec `plan.activationConfig(tensor)` resolves to. Reports (batches done,
/// batches total); cancellation returns Code::Cancelled. Errors: an unknown tensor, a non-float
/// tensor, an empty tensor list, or the session's and dataset's own errors.
Result<std::vector<ActivationProfile>> profileActivations(
    Session &session, Dataset &data, std::span<const std::string> tensors,
    const CompressionPlan &plan, int64_t batchSize = 64, int64_t limit = -1,
    const Progress &progress = {});

/// The same over the evaluator's own session and batches (its batch cache is reused, so the
/// validation set is never read twice). Call on the evaluator's thread.
Result<std::vector<ActivationProfile>> profileActivations(
    Evaluator &evaluator, std::span<const std::string> tensors, const CompressionPlan &plan,
    const Progress &progress = {});

} // namespace nnc
