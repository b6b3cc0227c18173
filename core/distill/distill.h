// Knowledge distillation workbench: a teacher and a student judged model against model on one
// validation set (per-head accuracy, agreement, KL divergence at a temperature, per-class
// accuracy, size, compute and speed), optionally with the student under a compression plan;
// and the teacher's soft labels exported for a training pipeline. Qt-free: the CLI
// (`nncompress distill-compare`, `nncompress soft-labels`) and the Studio call these.
#pragma once

#include "core/fusion/model_cost.h"
#include "core/model/graph.h"
#include "core/plan/plan.h"
#include "core/util/error.h"
#include "core/util/progress.h"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace nnc {

struct DistillOptions
{
    double temperature = 4.0; ///< softmax temperature for the KL divergence (> 0)
    int64_t batchSize = 64;
    int64_t limit = -1; ///< first N samples only (-1 = all)
    int threads = 0;    ///< engine threads (0 = all cores)
    /// Input whose zeros mark padding positions of sequence outputs that have no labels
    /// ("" = the input named "attention_mask" when there is one).
    std::string maskInput;
    CostOptions cost; ///< shape the MACs are counted at
};

/// Accuracy of each model on the samples of one gold class (token heads: one tag).
struct ClassAccuracy
{
    std::string name; ///< tag name, or the class id as text
    int64_t total = 0;
    int64_t teacherCorrect = 0, studentCorrect = 0, planCorrect = 0;
};

struct DistillHead
{
    std::string output;
    std::string metric; ///< from the dataset's label binding; "agreement" when unlabelled
    bool hasLabels = false;
    int64_t positions = 0;           ///< samples (class heads) or unmasked tokens compared
    double teacher = 0, student = 0; ///< metric value 0..1 (unlabelled: 0)
    double agreement = 0;            ///< share of positions where the arg-max matches the teacher's
    double klDivergence = 0;         ///< mean over positions of KL(teacher_T || student_T), nats
    std::optional<double> plan, planAgreement, planKl; ///< the student under the plan
    std::vector<ClassAccuracy> perClass;               ///< labelled heads only, by class id
};

struct DistillReport
{
    int64_t samples = 0;
    double temperature = 0;
    int64_t batchSize = 0;
    std::vector<DistillHead> heads;            ///< outputs the two models share, teacher's order
    std::vector<std::string> unmatchedOutputs; ///< outputs only one model has
    ModelCost teacherCost, studentCost;
    double teacherMsPerBatch = 0, studentMsPerBatch = 0; ///< median wall time of full batches
    int64_t timedBatches = 0;
    bool withPlan = false;
    SizeEstimate planSize;               ///< the student's weights under the plan
    std::vector<std::string> calibrated; ///< activation ranges the plan lacked, calibrated
};

/// Teacher against student on `data` (a dataset description or array file, bound to each model
/// separately; labels come from the teacher's binding). With `plan`, the student is also
/// evaluated under it (through the Evaluator) and compared with the teacher. The KL divergence
/// leaves out classes the teacher gives probability 0 (0 log 0 = 0) and is +inf where the
/// student gives 0 to a class the teacher does not. Errors: no shared output, outputs of
/// different shapes, a plan that names layers the student does not have, bad data (the
/// dataset's message), no samples, cancellation.
Result<DistillReport> compareDistill(std::shared_ptr<const Model> teacher,
                                     std::shared_ptr<const Model> student,
                                     const std::filesystem::path &data, const CompressionPlan *plan,
                                     const DistillOptions &options, const Progress &progress = {});

struct SoftLabelOptions
{
    double temperature = 4.0; ///< > 0
    int64_t batchSize = 64;
    int64_t limit = -1;
    int threads = 0;
};

struct SoftLabelArray
{
    std::string name;
    Dims shape;
};

struct SoftLabelSummary
{
    int64_t samples = 0;
    std::vector<SoftLabelArray> arrays;
};

/// Runs the teacher over `data` batch by batch and streams into `out` (.npz, written
/// atomically), for every floating output O of rank >= 2: "O_logits" (raw, float32) and
/// "O_soft" (softmax of logits / T over the last axis), row i = sample i of the data's arrays;
/// plus "temperature" (a float32 scalar). Outputs of rank 1 get "O_logits" only. An `out` that
/// is the teacher, `data` or the array file it names is refused (Code::Usage).
Result<SoftLabelSummary> exportSoftLabels(std::shared_ptr<const Model> teacher,
                                          const std::filesystem::path &data,
                                          const std::filesystem::path &out,
                                          const SoftLabelOptions &options,
                                          const Progress &progress = {});

/// softmax(x / T) over the last axis of `logits` (any floating dtype), as float32.
Tensor softmaxWithTemperature(const Tensor &logits, double temperature);

} // namespace nnc
