// File ▸ Export Model and File ▸ Export Report: the work behind them, runnable on a worker
// thread (core only; the PDF is drawn on the GUI thread by report_pdf.h). The same core calls as
// `nncompress export` and `nncompress report`, so the Studio writes what the CLI writes.
#pragma once

#include "core/model/graph.h"
#include "core/plan/plan.h"
#include "core/util/error.h"
#include "core/util/progress.h"

#include <QString>
#include <QStringList>

#include <filesystem>
#include <memory>
#include <string>

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

} // namespace nnc::studio
