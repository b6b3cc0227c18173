// The evaluator: accuracy of a model under a compression plan on a validation set, always next
// to the float baseline on the same samples. Compressed weights are cached per layer setting;
// activations at the inputs of compressible layers are cached per batch (within a memory budget)
// under a signature of every setting upstream of them, so an edit to layer k reruns only the
// nodes downstream of k. Also: activation calibration and per-layer sensitivity.
#pragma once

#include "core/data/dataset.h"
#include "core/plan/plan.h"
#include "core/runtime/session.h"
#include "core/stats/layers.h"
#include "core/util/progress.h"

#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <vector>

namespace nnc {

struct EvalOptions
{
    int64_t batchSize = 64;           ///< samples per run (1 for models with a fixed batch of 1)
    int64_t limit = -1;               ///< evaluate only the first N samples (-1 = all)
    std::size_t cacheBudgetBytes = std::size_t(1) << 30;  ///< activation cache (default 1 GiB)
    int threads = 0;
    bool collectOutputs = false;      ///< keep the evaluated model's outputs (for --save-outputs)
    int64_t layerErrorSamples = 256;  ///< samples used for per-layer output SQNR (0 = off)
};

struct HeadResult
{
    std::string output;
    std::string metric;               ///< accuracy, top5, token_accuracy, entity_f1, agreement
    bool hasLabels = false;
    double baseline = 0;              ///< 0..1 (agreement heads: 1)
    double compressed = 0;
    double deltaPp = 0;               ///< (compressed - baseline) * 100
    double agreement = 1;             ///< share of positions whose arg-max matches the float model
    double sqnrDb = std::numeric_limits<double>::infinity();  ///< output SQNR vs float
    double cosine = 1;
    std::vector<int64_t> changedSamples;  ///< samples whose prediction differs from the float one
};

struct LayerResult
{
    std::string layer;
    double weightSqnrDb = std::numeric_limits<double>::infinity();
    double sparsity = 0;              ///< zero share of the compressed weight
    bool compressed = false;
    /// SQNR of the layer's output under the plan against the float model's, over the first
    /// EvalOptions::layerErrorSamples samples (+inf when identical).
    double outputSqnrDb = std::numeric_limits<double>::infinity();
};

struct EvalResult
{
    int64_t samples = 0;
    bool withPlan = false;
    std::vector<HeadResult> heads;
    std::vector<LayerResult> layers;
    SizeEstimate size;
    double seconds = 0;
    int64_t nodesRun = 0;             ///< node executions this evaluation performed
    int64_t nodesFull = 0;            ///< node executions a full evaluation performs
    std::vector<std::string> calibrated;   ///< activation tensors calibrated on the fly
    std::vector<Tensor> outputs;      ///< with EvalOptions::collectOutputs, one per model output
};

/// Running estimate after each batch, for progressive display.
struct Estimate
{
    int64_t done = 0, total = 0;
    std::string output;
    double value = 0, low = 0, high = 1;  ///< compressed metric with its 95% interval
};
using EstimateCallback = std::function<void(const Estimate &)>;

struct SensitivitySpec
{
    std::vector<int> bits;            ///< weight bit widths to try (empty: no quantization)
    std::vector<double> pruneRatios;  ///< pruning ratios to try (empty: no pruning)
    std::optional<int> activationBits;  ///< also quantize the layer's input activations
};

struct SensitivityRow
{
    std::string layer;
    std::optional<int> bits;
    std::optional<double> pruneRatio;
    std::vector<double> deltaPp;      ///< per head
    std::vector<double> outputSqnrDb; ///< per head
};

struct SensitivityResult
{
    std::vector<std::string> heads;
    std::vector<SensitivityRow> rows; ///< sorted by the first head's delta, worst first
};

class EvaluatorImpl;

class Evaluator
{
public:
    static Result<std::unique_ptr<Evaluator>> create(std::shared_ptr<const Model> model,
                                                     std::unique_ptr<Dataset> data,
                                                     EvalOptions options = {});
    ~Evaluator();

    const Model &model() const;
    const std::vector<Layer> &layers() const;
    int64_t sampleCount() const;

    /// Accuracy under `plan` (nullptr: the float model only). Activation ranges missing from the
    /// plan are calibrated on the fly with each tensor's configured method (listed in the result).
    Result<EvalResult> evaluate(const CompressionPlan *plan, const Progress &progress = {},
                                const EstimateCallback &estimate = {});

    /// Fills rmin/rmax of every enabled activation tensor (only the missing ones when
    /// `onlyMissing`) from the float model's activations over the evaluated samples.
    Result<std::vector<std::string>> calibrate(CompressionPlan &plan, bool onlyMissing,
                                               const Progress &progress = {});

    /// Each compressible layer alone under each setting of `spec`.
    Result<SensitivityResult> sensitivity(const SensitivitySpec &spec, const Progress &progress = {});

    /// For tools that stream the evaluated samples through the float model themselves
    /// (activation statistics): the evaluator's session and its batches, in order (batchSize
    /// samples each, the last one shorter; the limit applies). Same thread rules as every call.
    Session &session();
    std::size_t batchCount() const;
    /// Batch `index` (0 <= index < batchCount()), from the evaluator's batch cache when it holds it.
    Result<Batch> batch(std::size_t index);

private:
    explicit Evaluator(std::unique_ptr<EvaluatorImpl> impl);
    std::unique_ptr<EvaluatorImpl> m_impl;
};

} // namespace nnc
