// File ▸ Export Model and File ▸ Export Report: the work behind them, runnable on a worker
// thread (core only; the PDF is drawn on the GUI thread by report_pdf.h). The same core calls as
// `nncompress export` and `nncompress report`, so the Studio writes what the CLI writes.
#pragma once

#include "core/distill/distill.h"
#include "core/eval/budget.h"
#include "core/fusion/fusion.h"
#include "core/model/graph.h"
#include "core/report/report.h"
#include "core/plan/plan.h"
#include "core/util/error.h"
#include "core/util/progress.h"

#include <QString>
#include <QStringList>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace nnc::studio {

enum class ModelExportFormat { Qdq, Pruned, OrtOverrides, Aimet061, Aimet100, TrtCache };

/// Every format with its file-dialog filter (translated) and default extension.
struct ModelExportChoice
{
    ModelExportFormat format;
    QString filter;     ///< "QDQ ONNX model (*.onnx)"
    QString extension;  ///< ".onnx"
};
QList<ModelExportChoice> modelExportChoices();

/// Exports `plan` applied to `model` in `format` to `out`. Activation ranges missing from the
/// plan are calibrated first on `dataPath` (an error names them when there is no data). Never
/// writes over `modelPath`; writes atomically; nothing is written on any error. Returns the
/// paths written and the export's notes, one line each.
Result<QStringList> exportModelFile(std::shared_ptr<const Model> model,
                                    const std::filesystem::path &modelPath,
                                    const std::filesystem::path &dataPath, CompressionPlan plan,
                                    ModelExportFormat format, const std::filesystem::path &out,
                                    const Progress &progress);

/// An export error as the Studio shows it: the engine's advice for the command line ("Use
/// --format qdq") names the file type to choose in the Export Model dialog instead.
QString studioExportError(const std::string &message);

/// What File ▸ Export Report adds to the project's model, data and plan: the Fusion and
/// Distillation pages' latest results (with the files they were made from, for the names shown)
/// and the project's accuracy budgets.
struct ReportExtras
{
    std::optional<FusionReport> fusion;
    std::filesystem::path fusionDataA, fusionDataB;
    std::optional<DistillReport> distillation;
    std::filesystem::path teacher, student, distillData;
    std::vector<HeadBudget> budgets;
};

/// nnc::buildReport, then the sections from `extras` (no model is run again for them) and the
/// budgets judged on the report's heads. Budgets naming an output the model lacks are left out
/// (as the Studio's budget view sets them aside) rather than failing the export.
Result<ReportData> buildStudioReport(std::shared_ptr<const Model> model,
                                     const std::filesystem::path &dataPath,
                                     const CompressionPlan &plan, const std::string &planName,
                                     const ReportOptions &options, const ReportExtras &extras,
                                     const Progress &progress);

} // namespace nnc::studio
