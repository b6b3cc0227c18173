#include "app/studio/studio_export.h"

#include "app/studio/project.h"
#include "core/data/dataset.h"
#include "core/eval/evaluator.h"
#include "core/export/qdq_export.h"
#include "core/export/toolchain_export.h"
#include "core/model/onnx_writer.h"
#include "core/runtime/session.h"

#include <QCoreApplication>

namespace fs = std::filesystem;

namespace nnc::studio {
namespace {

bool sameFile(const fs::path &a, const fs::path &b)
{
    std::error_code ec;
    return fs::exists(a, ec) && fs::exists(b, ec) && fs::equivalent(a, b, ec);
}

} // namespace

QList<ModelExportChoice> modelExportChoices()
{
    return {
        {ModelExportFormat::Qdq, QCoreApplication::translate("nnc::studio::ModelExport", "QDQ ONNX model (*.onnx)"), QStringLiteral(".onnx")},
        {ModelExportFormat::Pruned, QCoreApplication::translate("nnc::studio::ModelExport", "Pruned float ONNX model (*.onnx)"), QStringLiteral(".onnx")},
        {ModelExportFormat::OrtOverrides, QCoreApplication::translate("nnc::studio::ModelExport", "ONNX Runtime tensor overrides (*.json)"), QStringLiteral(".json")},
        {ModelExportFormat::Aimet061, QCoreApplication::translate("nnc::studio::ModelExport", "AIMET encodings 0.6.1 (*.encodings)"), QStringLiteral(".encodings")},
        {ModelExportFormat::Aimet100, QCoreApplication::translate("nnc::studio::ModelExport", "AIMET encodings 1.0.0 (*.json)"), QStringLiteral(".json")},
        {ModelExportFormat::TrtCache, QCoreApplication::translate("nnc::studio::ModelExport", "TensorRT calibration cache (*.cache)"), QStringLiteral(".cache")},
    };
}

QString studioExportError(const std::string &message)
{
    QString text = QString::fromStdString(message);
    // The sentence stays in the engine's language (English, like the rest of the message); the
    // file type is named as the dialog shows it, in the UI's language.
    QString qdq;
    for (const ModelExportChoice &c : modelExportChoices())
        if (c.format == ModelExportFormat::Qdq)
            qdq = c.filter;
    text.replace(QStringLiteral("Use --format qdq"),
                 QStringLiteral("Choose the file type \u201c%1\u201d instead").arg(qdq));
    return text;
}

Result<QStringList> exportModelFile(std::shared_ptr<const Model> model, const fs::path &modelPath,
                                    const fs::path &dataPath, CompressionPlan plan,
                                    ModelExportFormat format, const fs::path &out,
                                    const Progress &progress)
{
    if (sameFile(out, modelPath))
        return fail("The export would overwrite the model it was made from; choose another file.",
                    Error::Code::Usage);
    if (auto ok = validatePlan(plan, findLayers(*model), activationTensors(findLayers(*model))); !ok)
        return std::unexpected(ok.error());

    QStringList lines;
    const bool needsRanges = format != ModelExportFormat::Pruned;
    if (needsRanges && !missingActivationRanges(*model, plan).empty()) {
        if (dataPath.empty()) {
            const auto missing = missingActivationRanges(*model, plan);
            return fail(std::to_string(missing.size()) + " activation tensors ('" + missing.front() +
                            "' first) have no range: open validation data to calibrate them.",
                        Error::Code::Input);
        }
        auto data = openDataset(dataPath, *model);
        if (!data)
            return std::unexpected(data.error());
        auto ev = Evaluator::create(model, std::move(*data));
        if (!ev)
            return std::unexpected(ev.error());
        auto done = (*ev)->calibrate(plan, true, progress);
        if (!done)
            return std::unexpected(done.error());
        lines << QCoreApplication::translate("nnc::studio::ModelExport",
                                            "Calibrated %n activation range(s) on the validation data.", nullptr,
                                            int(done->size()));
    }
    if (progress.cancelled())
        return fail("The export was cancelled.", Error::Code::Cancelled);

    if (format == ModelExportFormat::Qdq || format == ModelExportFormat::Pruned) {
        auto ex = format == ModelExportFormat::Qdq ? exportQdq(*model, plan)
                                                   : exportPruned(*model, plan, false);
        if (!ex)
            return std::unexpected(ex.error());
        auto exported = std::make_shared<const Model>(std::move(ex->model));
        // The exported graph must compile wherever the input did (checked before writing).
        if (Session::create(model)) {
            if (auto s = Session::create(exported); !s)
                return fail("The exported model does not load in the engine: " + s.error().message,
                            Error::Code::Internal);
        }
        if (auto w = writeModel(*exported, out); !w)
            return std::unexpected(w.error());
        lines.prepend(QString::fromStdString(out.string()));
        for (const std::string &note : ex->notes)
            lines << QString::fromStdString(note);
        return lines;
    }

    Result<ToolchainExport> ex = fail("unknown format", Error::Code::Internal);
    switch (format) {
    case ModelExportFormat::OrtOverrides: ex = exportOrtOverrides(*model, plan); break;
    case ModelExportFormat::Aimet061: ex = exportAimet(*model, plan, "0.6.1"); break;
    case ModelExportFormat::Aimet100: ex = exportAimet(*model, plan, "1.0.0"); break;
    case ModelExportFormat::TrtCache: ex = exportTrtCache(*model, plan); break;
    default: break;
    }
    if (!ex)
        return std::unexpected(ex.error());
    for (const ToolchainFile &f : ex->files)
        if (!f.suffix.empty() && sameFile(companionPath(out, f.suffix), modelPath))
            return fail("The companion file '" + companionPath(out, f.suffix).string() +
                            "' would overwrite the model; choose another file.",
                        Error::Code::Usage);
    auto written = writeToolchainExport(*ex, out, modelPath);
    if (!written)
        return std::unexpected(written.error());
    QStringList paths;
    for (const fs::path &p : *written)
        paths << QString::fromStdString(p.string());
    for (const std::string &note : ex->notes)
        lines << QString::fromStdString(note);
    return paths + lines;
}

Result<ReportData> buildStudioReport(std::shared_ptr<const Model> model, const fs::path &dataPath,
                                     const CompressionPlan &plan, const std::string &planName,
                                     const ReportOptions &options, const ReportExtras &extras,
                                     const Progress &progress)
{
    auto data = buildReport(std::move(model), dataPath, plan, planName, options, progress);
    if (!data)
        return data;
    if (extras.fusion)
        data->fusion = reportFusionFrom(*extras.fusion, extras.fusionDataA, extras.fusionDataB);
    if (extras.distillation)
        // A plan on the Distillation page is the project's plan, held in memory.
        data->distillation = reportDistillationFrom(*extras.distillation, extras.teacher,
                                                    extras.student, extras.distillData);
    if (!extras.budgets.empty()) {
        EvalResult heads;
        heads.heads = data->heads;
        data->budgets = judgeProjectBudgets(extras.budgets, heads).verdicts;
    }
    return data;
}

} // namespace nnc::studio
