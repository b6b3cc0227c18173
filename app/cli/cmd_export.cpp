// nncompress export: a model under a plan as QDQ ONNX, as the pruned float model, as the
// calibrated plan, or as a deployment toolchain's parameter file (ONNX Runtime overrides, AIMET
// encodings, TensorRT calibration cache); and nncompress plan import, the way back from the
// toolchain files. A thin layer over core/export.
#include "app/cli/cli.h"

#include "core/data/dataset.h"
#include "core/eval/evaluator.h"
#include "core/export/export_check.h"
#include "core/export/qdq_export.h"
#include "core/export/toolchain_export.h"
#include "core/model/onnx_reader.h"
#include "core/model/onnx_writer.h"
#include "core/plan/plan.h"
#include "core/runtime/session.h"

#include <cstdio>
#include <filesystem>
#include <limits>
#include <string>

namespace nnc::cli {

namespace {

namespace fs = std::filesystem;

/// The Error itself, for report().
Error errorOf(std::string message, Error::Code code = Error::Code::Input)
{
    return fail(std::move(message), code).error();
}

constexpr const char *kHelp =
    R"(Usage: nncompress export MODEL --plan PLAN.json --format FORMAT --out FILE
                        [--data DATA] [--check N] [--fake-quant-weights]
                        [--aimet-version 0.6.1|1.0.0] [--trt-version 8601]

Writes MODEL compressed as PLAN.json describes, in one of these formats
(docs/export-formats.md):
  qdq     ONNX with weights stored as int8/uint8 behind DequantizeLinear
          (per-channel where the plan says so) and QuantizeLinear ->
          DequantizeLinear on the quantized activations; bit widths without an
          ONNX type get a Clip. Runs to the preview's numbers bit for bit.
  pruned  the float ONNX model with the planned pruning applied (with
          --fake-quant-weights, weights also rounded to their planned grid)
  plan    the plan JSON with every activation range filled in
  ort-overrides
          ONNX Runtime's TensorQuantOverrides JSON (scale and zero point per
          tensor, per channel for per-channel weights) for quantize_static,
          plus its calibration table (FILE with .calibration.json) holding
          each activation's rmin/rmax
  aimet   AIMET quantization encodings (--aimet-version 0.6.1, the default,
          or 1.0.0)
  trt-cache
          a TensorRT calibration cache (EntropyCalibration2, scale = amax/127);
          needs 8-bit symmetric signed_restricted activations and TensorRT's own
          weight scheme (8-bit symmetric per channel)
The input model is never overwritten: --out must be another file. The file is
written atomically, after the export has been checked. Whatever the format
cannot express exactly is printed as a note.

Options:
  --data PATH            validation data: activation ranges missing from the plan
                         are calibrated on it first (without --data they must be
                         present in the plan), and the export is checked on it
  --check N              before writing, run the first N samples (default 8; 0: no
                         check) through the preview and through the exported model:
                         every output value must be bit-identical
  --input INPUT=ARRAY    feed model input INPUT from array ARRAY (repeatable)
  --limit N              calibrate on the first N samples only
  --batch N              samples per run (default 64)
  --threads N            engine threads (default: all cores)
  --aimet-version V      AIMET encodings version: 0.6.1 (default) or 1.0.0
  --trt-version N        TensorRT version in the cache header (default 8601 = 8.6.1)
)";

/// Fills missing activation ranges from --data with the evaluator's calibration.
Result<std::vector<std::string>> calibrateMissing(const Args &a, std::shared_ptr<const Model> model,
                                                  CompressionPlan &plan)
{
    DatasetOverrides o;
    if (auto it = a.options.find("--input"); it != a.options.end())
        o.inputs = it->second;
    auto data = openDataset(*a.value("--data"), *model, o);
    if (!data)
        return std::unexpected(data.error());
    EvalOptions opt;
    for (auto [name, field] :
         {std::pair{"--limit", &opt.limit}, std::pair{"--batch", &opt.batchSize}}) {
        auto v = wholeNumberOption(a, name, *field);
        if (!v)
            return std::unexpected(v.error());
        *field = *v;
    }
    auto threads = wholeNumberOption(a, "--threads", 0);
    if (!threads)
        return std::unexpected(threads.error());
    opt.threads = static_cast<int>(*threads);
    auto ev = Evaluator::create(std::move(model), std::move(*data), opt);
    if (!ev)
        return std::unexpected(ev.error());
    return (*ev)->calibrate(plan, true);
}

bool sameFile(const fs::path &a, const fs::path &b)
{
    std::error_code ec;
    if (fs::exists(a, ec) && fs::exists(b, ec))
        return fs::equivalent(a, b, ec);
    return fs::weakly_canonical(a, ec) == fs::weakly_canonical(b, ec);
}

} // namespace

int cmdExport(int argc, char **argv)
{
    auto args = parseArgs(argc, argv, 2, {"--help", "--fake-quant-weights"},
                          {"--plan", "--format", "--out", "--data", "--input", "--limit", "--batch",
                           "--threads", "--check", "--aimet-version", "--trt-version"});
    if (!args)
        return usageError(args.error().message, "export");
    if (args->has("--help")) {
        std::fputs(kHelp, stdout);
        return kOk;
    }
    if (args->positional.size() != 1 || !args->value("--plan") || !args->value("--format") ||
        !args->value("--out"))
        return usageError("expected MODEL, --plan, --format and --out.", "export");
    const std::string format = *args->value("--format");
    const bool toolchain = format == "ort-overrides" || format == "aimet" || format == "trt-cache";
    if (format != "qdq" && format != "pruned" && format != "plan" && !toolchain)
        return usageError(
            "--format is qdq, pruned, plan, ort-overrides, aimet or trt-cache, not '" + format +
                "'.",
            "export");
    if (args->value("--aimet-version") && format != "aimet")
        return usageError("--aimet-version applies to --format aimet only.", "export");
    if (args->value("--trt-version") && format != "trt-cache")
        return usageError("--trt-version applies to --format trt-cache only.", "export");
    if (args->has("--fake-quant-weights") && format != "pruned")
        return usageError("--fake-quant-weights applies to --format pruned only.", "export");
    const fs::path modelPath = args->positional[0];
    const fs::path out = *args->value("--out");
    if (sameFile(modelPath, out))
        return report(
            errorOf("--out '" + out.string() + "' is the input model; choose another file.",
                    Error::Code::Usage));
    if (sameFile(*args->value("--plan"), out) && format != "plan")
        return report(errorOf("--out '" + out.string() + "' is the plan file; choose another file.",
                              Error::Code::Usage));

    auto read = readModel(modelPath);
    if (!read)
        return report(read.error());
    auto model = std::make_shared<const Model>(std::move(*read));
    auto plan = loadPlan(*args->value("--plan"));
    if (!plan)
        return report(plan.error());
    {
        const auto layers = findLayers(*model);
        if (auto v = validatePlan(*plan, layers, activationTensors(layers)); !v)
            return report(errorOf("plan '" + *args->value("--plan") + "' does not fit '" +
                                  modelPath.string() + "': " + v.error().message));
    }
    if (args->value("--data") && format != "pruned") {
        auto done = calibrateMissing(*args, model, *plan);
        if (!done)
            return report(done.error());
        if (!done->empty())
            std::fprintf(stderr, "calibrated %zu activation tensors that had no range\n",
                         done->size());
    }

    if (toolchain) {
        Result<ToolchainExport> ex = fail("unreachable");
        if (format == "ort-overrides") {
            ex = exportOrtOverrides(*model, *plan);
        } else if (format == "aimet") {
            ex = exportAimet(*model, *plan, args->value("--aimet-version").value_or("0.6.1"));
        } else {
            auto v = wholeNumberOption(*args, "--trt-version", 8601);
            if (!v)
                return report(v.error());
            if (*v <= 0 || *v > std::numeric_limits<int>::max())
                return usageError("--trt-version takes a positive whole number such as 8601, not '" +
                                      *args->value("--trt-version") + "'.",
                                  "export");
            ex = exportTrtCache(*model, *plan, static_cast<int>(*v));
        }
        if (!ex)
            return report(ex.error());
        for (const ToolchainFile &f : ex->files)
            if (!f.suffix.empty() && sameFile(companionPath(out, f.suffix), modelPath))
                return report(errorOf("the companion file '" +
                                          companionPath(out, f.suffix).string() +
                                          "' would overwrite the input model; choose another "
                                          "--out.",
                                      Error::Code::Usage));
        auto written = writeToolchainExport(*ex, out, modelPath);
        if (!written)
            return report(written.error());
        for (const auto &note : ex->notes)
            std::fprintf(stderr, "note: %s\n", note.c_str());
        for (const auto &p : *written) {
            std::error_code ec;
            std::fprintf(stderr, "wrote %s (%s, %lld bytes)\n", p.string().c_str(), format.c_str(),
                         static_cast<long long>(fs::file_size(p, ec)));
        }
        return kOk;
    }

    if (format == "plan") {
        if (const auto missing = missingActivationRanges(*model, *plan); !missing.empty())
            return report(errorOf(std::to_string(missing.size()) + " activation tensors ('" +
                                  missing.front() +
                                  "' first) have no range: pass --data to calibrate them."));
        if (auto r = savePlan(*plan, out); !r)
            return report(r.error());
        std::fprintf(stderr, "wrote %s: the plan with every activation range\n",
                     out.string().c_str());
        return kOk;
    }

    auto ex = format == "qdq" ? exportQdq(*model, *plan)
                              : exportPruned(*model, *plan, args->has("--fake-quant-weights"));
    if (!ex)
        return report(ex.error());
    // Check before writing: the exported graph must compile wherever the input did.
    auto exported = std::make_shared<const Model>(std::move(ex->model));
    if (Session::create(model)) {
        if (auto s = Session::create(exported); !s)
            return report(
                errorOf("the exported model does not load in the engine: " + s.error().message,
                        Error::Code::Internal));
    }
    auto checkCount = wholeNumberOption(*args, "--check", 8);
    if (!checkCount)
        return report(checkCount.error());
    if (args->value("--data") && *checkCount > 0) {
        DatasetOverrides o;
        if (auto it = args->options.find("--input"); it != args->options.end())
            o.inputs = it->second;
        auto d1 = openDataset(*args->value("--data"), *model, o);
        auto d2 = openDataset(*args->value("--data"), *model, o);
        if (!d1 || !d2)
            return report(d1 ? d2.error() : d1.error());
        const CompressionPlan previewPlan =
            format == "qdq" ? *plan : prunedPreviewPlan(*plan, args->has("--fake-quant-weights"));
        auto check =
            checkExport(model, exported, previewPlan, std::move(*d1), std::move(*d2), *checkCount);
        if (!check)
            return report(check.error());
        if (check->differing > 0)
            return report(errorOf(
                "the export does not reproduce the preview: " + std::to_string(check->differing) +
                    " of " + std::to_string(check->values) + " output values differ on " +
                    std::to_string(check->samples) + " samples (first: " + check->firstDifference +
                    "); nothing was written.",
                Error::Code::Internal));
        std::fprintf(
            stderr,
            "checked on %lld samples: all %lld output values equal the preview's, bit for bit\n",
            static_cast<long long>(check->samples), static_cast<long long>(check->values));
    }
    if (auto w = writeModel(*exported, out); !w)
        return report(w.error());
    int qdq = 0, clips = 0;
    for (const Node &n : exported->graph.nodes) {
        qdq += n.opType == "QuantizeLinear" || n.opType == "DequantizeLinear";
        clips += n.opType == "Clip" && n.name.ends_with("_Clip");
    }
    for (const auto &note : ex->notes)
        std::fprintf(stderr, "note: %s\n", note.c_str());
    std::error_code ec;
    std::fprintf(stderr, "wrote %s (%s, opset %lld, %d Q/DQ nodes, %d grid Clips, %lld bytes)\n",
                 out.string().c_str(), format.c_str(), static_cast<long long>(exported->opset("")),
                 qdq, clips, static_cast<long long>(fs::file_size(out, ec)));
    return kOk;
}

int cmdPlanImport(int argc, char **argv)
{
    constexpr const char *help =
        R"(Usage: nncompress plan import FILE --model MODEL --out PLAN.json

Creates a plan for MODEL from a deployment toolchain's parameter file, so that
ranges and bit widths made elsewhere can be inspected and evaluated here:
  - ONNX Runtime TensorQuantOverrides JSON (what 'export --format ort-overrides'
    writes); activation ranges come from the calibration table beside it
    (FILE with .calibration.json) when it exists, else from the scales
  - AIMET encodings, version 0.4.0 to 0.6.1 or 1.0.0
Every layer and activation tensor of MODEL gets an explicit entry: quantized as
the file says, or disabled when the file does not list it. Entries the plan
cannot hold (per-channel ranges that are not the weights' extremes, per-channel
activations) are errors; nothing is written then.
)";
    auto args = parseArgs(argc, argv, 3, {"--help"}, {"--model", "--out"});
    if (!args)
        return usageError(args.error().message, "plan");
    if (args->has("--help")) {
        std::fputs(help, stdout);
        return kOk;
    }
    if (args->positional.size() != 1 || !args->value("--model") || !args->value("--out"))
        return usageError("expected FILE, --model MODEL and --out PLAN.json.", "plan");
    const fs::path file = args->positional[0], modelPath = *args->value("--model"),
                   out = *args->value("--out");
    if (sameFile(out, modelPath) || sameFile(out, file))
        return report(errorOf("--out '" + out.string() + "' is an input file; choose another file.",
                              Error::Code::Usage));
    auto model = readModel(modelPath);
    if (!model)
        return report(model.error());
    auto imported = importPlanFile(*model, file);
    if (!imported)
        return report(imported.error());
    const auto layers = findLayers(*model);
    if (auto v = validatePlan(imported->plan, layers, activationTensors(layers)); !v)
        return report(errorOf("the imported plan does not fit the model: " + v.error().message,
                              Error::Code::Internal));
    if (auto w = savePlan(imported->plan, out); !w)
        return report(w.error());
    for (const auto &note : imported->notes)
        std::fprintf(stderr, "note: %s\n", note.c_str());
    int weights = 0, acts = 0;
    for (const Layer &l : layers)
        weights += imported->plan.weightConfig(l.name).enabled;
    for (const auto &t : activationTensors(layers))
        acts += imported->plan.activationConfig(t).enabled;
    std::fprintf(stderr,
                 "wrote %s from %s (%s): %d of %zu layers' weights and %d activation "
                 "tensors quantized\n",
                 out.string().c_str(), file.string().c_str(), imported->format.c_str(), weights,
                 layers.size(), acts);
    return kOk;
}

} // namespace nnc::cli
