// The compression report: what a product team needs to judge a plan (sizes, accuracy per head,
// per-layer errors, weight histograms of the worst layers with their quantization ranges, and
// per-layer sensitivity), gathered once through the evaluator into a ReportData that the HTML
// renderer here and the Studio's PDF writer (app/studio/report_pdf.h) both draw.
#pragma once

#include "core/distill/distill.h"
#include "core/eval/budget.h"
#include "core/eval/evaluator.h"
#include "core/fusion/fusion.h"
#include "core/report/report_text.h"
#include "core/stats/histogram.h"
#include "core/util/error.h"
#include "core/util/progress.h"

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace nnc {

struct ReportOptions
{
    bool sensitivity = true; ///< run the per-layer sensitivity analysis (the slow part)
    int sensitivityBits = 4; ///< weight bit width tried on each layer alone (2..16)
    int64_t limit = -1;      ///< evaluate the first N samples only (-1 = all)
    int64_t batchSize = 64;
    int threads = 0; ///< engine threads (0 = all cores)
    int histogramBins = 60;
    std::size_t worstLayers = 5; ///< layers whose weight histograms are shown (lowest
                                 ///< weight SQNR first, among the compressed layers)
    std::string created;         ///< creation time shown; empty = now, "YYYY-MM-DD HH:MM UTC"
};

/// One row of the per-layer table: the plan's settings and what the evaluator measured.
struct ReportLayer
{
    std::string name, op;
    Dims shape;
    int64_t params = 0;
    bool quantized = false; ///< weights quantized by the plan
    int bits = 32;          ///< weight bit width (32 when not quantized)
    bool perChannel = false;
    bool symmetric = true;
    PruneConfig pruning;     ///< the layer's effective pruning
    bool compressed = false; ///< the evaluator replaced the weight
    /// Integer weights feeding MatMulInteger/ConvInteger: the evaluator keeps them as stored.
    bool keptAsStored = false;
    std::string storedType;              ///< "float32", "int8" ...
    double sparsity = 0;                 ///< zero share of the compressed weight (0..1)
    double weightSqnrDb = 0;             ///< +inf when unchanged
    double outputSqnrDb = 0;             ///< +inf when identical to the float model's
    std::optional<double> sensitivityPp; ///< change with only this layer at
                                         ///< ReportOptions::sensitivityBits, in pp: the
                                         ///< lowest over the heads (the largest loss)
    int64_t floatBytes = 0, compressedBytes = 0;
};

/// A weight histogram (float weights) with the quantization range of the layer.
struct ReportHistogram
{
    std::string layer;
    Histogram histogram; ///< over [min(weights, range), max(weights, range)]
    bool quantized = false;
    int bits = 32;
    int64_t channels = 0;              ///< (scale, zero point) pairs
    double rangeLo = 0, rangeHi = 0;   ///< union of the channels' representable ranges
    double narrowLo = 0, narrowHi = 0; ///< the narrowest channel's range
    double stepMin = 0, stepMax = 0;   ///< smallest and largest scale (grid step)
    std::vector<double> levels;        ///< grid of the widest channel when it has <= 64 levels
    double clippedShare = 0;           ///< weights outside their own channel's range (0..1)
    double weightSqnrDb = 0, outputSqnrDb = 0;
};

struct ReportSensitivityBar
{
    std::string layer;
    std::vector<double> deltaPp;      ///< per head (ReportSensitivity::heads), percentage points
    std::vector<double> outputSqnrDb; ///< per head, with only this layer compressed
};

/// Bars per sensitivity chart (the most sensitive layers; the layer table lists them all).
inline constexpr std::size_t kMaxSensitivityBars = 40;

struct ReportSensitivity
{
    int bits = 4;
    std::vector<std::string> heads;         ///< model outputs, one chart each
    std::vector<std::string> metrics;       ///< their metrics (HeadResult::metric)
    std::vector<ReportSensitivityBar> bars; ///< one per layer (the evaluator's order)
    /// Indices into `bars` for head `head`'s chart: largest loss first (ties by output SQNR).
    std::vector<std::size_t> order(std::size_t head) const;
};

/// Network fusion section: two task models sharing one backbone (core/fusion's figures).
struct ReportFusion
{
    std::string modelA, modelB; ///< file names
    std::string dataA, dataB;   ///< file names of each side's preview data ("" = no preview)
    FusionReport result;        ///< as fuseModels returned it (the fused graph itself dropped)
};

/// Knowledge distillation section: teacher against student (core/distill's figures).
struct ReportDistillation
{
    std::string teacherFile, studentFile, dataFile; ///< file names
    /// The plan the student was also evaluated under: its file name, or "" for a plan held in
    /// memory (result.withPlan tells whether there was one at all).
    std::string planFile;
    CostOptions cost; ///< the shape the MACs were counted at
    DistillReport result;
};

struct ReportData
{
    std::string modelFile;       ///< file name
    int64_t modelParameters = 0; ///< compressible weights
    int64_t opset = 0;
    std::string dataFile;
    std::string dataDescription; ///< the description's "description" field, if any
    int64_t samples = 0;         ///< samples evaluated
    int64_t datasetSize = 0;     ///< samples in the data set
    std::string planFile;        ///< file name, empty for a plan held in memory
    CompressionPlan plan;
    std::string created;           ///< "YYYY-MM-DD HH:MM UTC"
    std::vector<HeadResult> heads; ///< float vs compressed, one per model output
    SizeEstimate size;
    std::vector<ReportLayer> layers;         ///< in model order
    std::vector<ReportHistogram> histograms; ///< lowest weight SQNR first
    std::optional<ReportSensitivity> sensitivity;
    std::vector<std::string> calibrated; ///< activation ranges calibrated for the evaluation
    int64_t layerErrorSamples = 0;       ///< samples behind the output SQNR column
    std::optional<ReportFusion> fusion;
    std::optional<ReportDistillation> distillation;
    /// Per-head accuracy budgets judged on `heads` (empty: no budget was given).
    std::vector<BudgetVerdict> budgets;
};

/// Gathers a report for `plan` on `model` with the data at `dataPath` (a dataset description
/// .json or an array file, as openDataset takes). `planFile` is shown as the plan's name (empty
/// for a plan that lives in memory). Errors: data that does not open or does not fit the model,
/// a plan naming layers or tensors the model lacks ("the plan does not fit ..."), bad options,
/// cancellation. Progress runs 0..100 over evaluation and sensitivity.
Result<ReportData> buildReport(std::shared_ptr<const Model> model,
                               const std::filesystem::path &dataPath, const CompressionPlan &plan,
                               const std::string &planFile, const ReportOptions &options = {},
                               const Progress &progress = {});

/// Same, reading the model and the plan from files; errors name the file.
Result<ReportData> buildReportFromFiles(const std::filesystem::path &modelPath,
                                        const std::filesystem::path &dataPath,
                                        const std::filesystem::path &planPath,
                                        const ReportOptions &options = {},
                                        const Progress &progress = {});

/// The fusion section through core/fusion: fuseModels(request) (nothing is written: a request
/// with `out` is refused), then the names shown. Errors are fuseModels' own ("cannot fuse ...",
/// missing files, data that does not fit a model).
Result<ReportFusion> buildReportFusion(FusionRequest request, const Progress &progress = {});
/// The fusion section from a result already at hand (the Studio's Fusion page).
ReportFusion reportFusionFrom(FusionReport result, const std::filesystem::path &dataA = {},
                              const std::filesystem::path &dataB = {});

/// The distillation section through core/distill: reads both models (and the plan file when
/// `planPath` is not empty), then compareDistill. Errors name the file or repeat
/// compareDistill's message.
Result<ReportDistillation> buildReportDistillation(const std::filesystem::path &teacherPath,
                                                   const std::filesystem::path &studentPath,
                                                   const std::filesystem::path &dataPath,
                                                   const std::filesystem::path &planPath,
                                                   const DistillOptions &options,
                                                   const Progress &progress = {});
/// The distillation section from a result already at hand (the Studio's Distillation page).
ReportDistillation reportDistillationFrom(DistillReport result,
                                          const std::filesystem::path &teacher,
                                          const std::filesystem::path &student,
                                          const std::filesystem::path &data,
                                          const std::string &planFile = {},
                                          const CostOptions &cost = {});

/// The optional sections of a report made from files (CLI and `nncompress-studio --report-pdf`).
struct ReportSectionsRequest
{
    std::optional<FusionRequest> fusion; ///< `out` must be empty
    struct Distillation
    {
        std::filesystem::path teacher, student, data, plan; ///< plan: "" = none
        DistillOptions options;
    };
    std::optional<Distillation> distillation;
    std::vector<HeadBudget> budgets; ///< empty: none
};

/// The sections request from command-line options, shared by `nncompress report` and
/// `nncompress-studio --report-pdf` so both accept and refuse the same things. `option(name)`
/// returns the value of "--name" when given ("budget", "fusion-a", "fusion-b", "backbone",
/// "fusion-data-a", "fusion-data-b", "teacher", "student", "distill-data", "temperature",
/// "student-plan"). The distillation data defaults to `data`. Errors (Code::Usage) name the
/// option: "--fusion-a and --fusion-b go together ...", "--backbone needs --fusion-a and
/// --fusion-b.", a bad budget or temperature.
Result<ReportSectionsRequest>
parseReportSections(const std::function<std::optional<std::string>(const std::string &)> &option,
                    const std::filesystem::path &data);
/// The option names parseReportSections reads (without "--"), for the parsers to accept.
std::vector<std::string> reportSectionOptions();

/// buildReportFromFiles, then the fusion and distillation sections and the budget verdicts. A
/// budget naming an output the model lacks is refused before anything runs. Progress runs
/// 0..100 over the main report (the sections are quick); cancellation is checked throughout.
Result<ReportData> buildReportWithSections(const std::filesystem::path &modelPath,
                                           const std::filesystem::path &dataPath,
                                           const std::filesystem::path &planPath,
                                           const ReportSectionsRequest &sections,
                                           const ReportOptions &options = {},
                                           const Progress &progress = {});

/// Judges `budgets` (parseBudgets) on the report's heads into data.budgets (judgeBudgets). A
/// budget naming an output the model lacks is an error and leaves `data` unchanged.
Result<void> applyReportBudgets(ReportData &data, const std::vector<HeadBudget> &budgets);

// Text shared by the HTML and the PDF renderers, in the report's language.

/// Metric name ("accuracy", "准确率") for HeadResult::metric.
std::string reportMetricName(const std::string &metric, ReportLanguage lang);
/// Plan summary as (label, text) lines: weights, activations, pruning, per-layer overrides.
std::vector<std::pair<std::string, std::string>> reportPlanSummary(const ReportData &data,
                                                                   ReportLanguage lang);
/// "8" / "4 (per channel)" / "float" for the bits column.
std::string reportBitsText(const ReportLayer &layer, ReportLanguage lang);
/// "–" / "50%" / "2:4" / "25% ch." for the pruning column.
std::string reportPruningText(const ReportLayer &layer, ReportLanguage lang);
/// Data line: "fashion_val.json, 2,000 samples".
std::string reportDataLine(const ReportData &data, ReportLanguage lang);
/// Model line: "fashion_cnn.onnx: 5 compressible layers, 421,642 weights, opset 13".
std::string reportModelLine(const ReportData &data, ReportLanguage lang);

/// One or two sentences with the key figures ("Under this plan the model shrinks from ...").
std::string reportHeadline(const ReportData &data, ReportLanguage lang);
/// The fusion section's sentence: what sharing saves and what each head gains or loses.
std::string reportFusionHeadline(const ReportFusion &fusion, ReportLanguage lang);
/// The distillation section's sentence: the student's size and speed against the teacher's and
/// what it keeps of the teacher's accuracy (and under the plan, when there is one).
std::string reportDistillHeadline(const ReportDistillation &distill, ReportLanguage lang);
/// Rows per fusion-distance or per-class chart; the largest differences are kept beyond it.
inline constexpr std::size_t kMaxChartRows = 40;
/// Indices of `head.perClass` drawn in its chart: every class with samples, or when more than
/// kMaxChartRows, those with the largest |teacher - student| accuracy gap (then the plan's gap),
/// in class order.
std::vector<std::size_t> reportClassRows(const DistillHead &head);
/// Indices of `weights` drawn in the fusion distance chart: all, or the kMaxChartRows with the
/// largest relative L2 (NaN last), in backbone order.
std::vector<std::size_t> reportDistanceRows(const std::vector<WeightDistance> &weights);

/// " · ✓ within budget" / " · ✗ over budget" for a head with a budget verdict, "" otherwise (the
/// summary cards).
std::string reportBudgetNote(const ReportData &data, const std::string &output,
                             ReportLanguage lang);
/// "Model A's", "model B's", "the mean of both models'" backbone, in words.
std::string reportBackboneText(BackboneSource source, ReportLanguage lang);
/// Relative L2 distance for display: "0.287", "∞" for +inf, "–" for NaN.
std::string reportDistanceText(double v);

/// `text` with its first letter upper-cased in English (labels built from metric names).
std::string reportCapitalized(std::string text, ReportLanguage lang);

/// The report as one self-contained HTML page: inline CSS and SVG charts, no scripts, no
/// external references (it opens offline and prints).
std::string renderReportHtml(const ReportData &data, ReportLanguage lang);
/// renderReportHtml written atomically (nothing is left behind on failure).
Result<void> writeReportHtml(const ReportData &data, ReportLanguage lang,
                             const std::filesystem::path &path);

} // namespace nnc
