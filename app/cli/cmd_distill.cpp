// `nncompress distill-compare` and `nncompress soft-labels`: the knowledge-distillation
// workbench on the command line. Thin layers over core/distill.
#include "app/cli/cli.h"

#include "core/distill/distill.h"
#include "core/model/onnx_reader.h"
#include "core/plan/plan.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <iostream>

namespace nnc::cli {

namespace {

using ojson = nlohmann::ordered_json;

constexpr const char *kCompareHelp =
    R"(Usage: nncompress distill-compare TEACHER STUDENT --data DATA [--temperature 4]
                                 [--plan PLAN.json] [--json]

Compares a student with its teacher on validation data: per output head the
accuracy (or entity F1) of each, their arg-max agreement, the KL divergence of
the student from the teacher at temperature T (mean over samples, or over the
labelled / unmasked tokens of sequence outputs), accuracy per class, parameters,
bytes, multiply-accumulates, and the median time per batch of each on this
machine. With --plan the student is also evaluated under the compression plan
against the teacher. See docs/fusion-distillation.md.

Options:
  --data DATA          dataset description .json or array file (both models)
  --temperature T      softmax temperature for the KL divergence (default 4)
  --plan PLAN.json     also judge the student under this compression plan
  --batch N            samples per run (default 64)
  --limit N            only the first N samples
  --threads N          engine threads (default: all cores)
  --mask-input NAME    input whose zeros mark padding (default attention_mask)
  --cost-batch N       batch size the MACs are counted at (default 1)
  --seq-len N          length given to every other dynamic input dim (default 16)
  --per-class          print the per-class table (always in --json)
  --json               print one JSON object
  --help               show this help
)";

constexpr const char *kSoftHelp =
    R"(Usage: nncompress soft-labels TEACHER --data DATA --temperature T --out SOFT.npz

Runs TEACHER over DATA batch by batch and writes its soft labels as .npz, row i
for sample i of the data's arrays: for every output O, O_logits (raw float32)
and O_soft (softmax of logits / T over the last axis), plus 'temperature'. The
file is streamed to disk and appears only when complete.

Options:
  --data DATA          dataset description .json or array file
  --temperature T      softmax temperature (default 4)
  --out SOFT.npz       the file to write
  --batch N            samples per run (default 64)
  --limit N            only the first N samples
  --threads N          engine threads (default: all cores)
  --help               show this help
)";

Result<double> temperatureOption(const Args &a)
{
    auto v = a.value("--temperature");
    if (!v)
        return 4.0;
    try {
        std::size_t used = 0;
        const double t = std::stod(*v, &used);
        if (used != v->size() || !std::isfinite(t) || t <= 0)
            throw std::invalid_argument("");
        return t;
    } catch (...) {
        return fail("--temperature takes a positive number, not '" + *v + "'.", Error::Code::Usage);
    }
}

ojson costJson(const ModelCost &c)
{
    return {{"parameters", c.parameters}, {"bytes", c.bytes}, {"macs", c.macs}};
}

void progressLine(const char *what, int64_t done, int64_t total)
{
    if (total > 0 && (done == total || done % 10 == 0))
        std::fprintf(stderr, "%s: %lld/%lld batches\n", what, static_cast<long long>(done),
                     static_cast<long long>(total));
}

} // namespace

int cmdDistillCompare(int argc, char **argv)
{
    auto args = parseArgs(argc, argv, 2, {"--help", "--json", "--per-class"},
                          {"--data", "--temperature", "--plan", "--batch", "--limit", "--threads",
                           "--mask-input", "--cost-batch", "--seq-len"});
    if (!args)
        return usageError(args.error().message, "distill-compare");
    if (args->has("--help")) {
        std::fputs(kCompareHelp, stdout);
        return kOk;
    }
    if (args->positional.size() != 2)
        return usageError("expected two model arguments, TEACHER and STUDENT.", "distill-compare");
    auto data = args->value("--data");
    if (!data)
        return usageError("--data is required.", "distill-compare");
    DistillOptions opt;
    auto t = temperatureOption(*args);
    if (!t)
        return usageError(t.error().message, "distill-compare");
    opt.temperature = *t;
    if (auto r = readBatchOptions(*args, opt); !r)
        return usageError(r.error().message, "distill-compare");
    if (auto r = readCostShapeOptions(*args, opt); !r)
        return usageError(r.error().message, "distill-compare");
    if (auto m = args->value("--mask-input"))
        opt.maskInput = *m;
    auto teacher = readSharedModel(args->positional[0]);
    if (!teacher)
        return report(teacher.error());
    auto student = readSharedModel(args->positional[1]);
    if (!student)
        return report(student.error());
    std::optional<CompressionPlan> plan;
    if (auto p = args->value("--plan")) {
        auto loaded = loadPlan(*p);
        if (!loaded)
            return report(loaded.error());
        plan = std::move(*loaded);
    }
    Progress progress(std::stop_token{},
                      [](int64_t d, int64_t n) { progressLine("comparing", d, n); });
    auto r = compareDistill(*teacher, *student, *data, plan ? &*plan : nullptr, opt, progress);
    if (!r)
        return report(r.error());

    if (args->has("--json")) {
        ojson j;
        j["teacher"] = args->positional[0];
        j["student"] = args->positional[1];
        j["samples"] = r->samples;
        j["temperature"] = r->temperature;
        j["heads"] = ojson::array();
        for (const DistillHead &h : r->heads) {
            ojson hj = {{"output", h.output},
                        {"metric", h.metric},
                        {"labelled", h.hasLabels},
                        {"positions", h.positions},
                        {"teacher", h.teacher},
                        {"student", h.student},
                        {"delta_pp", (h.student - h.teacher) * 100},
                        {"agreement", h.agreement},
                        {"kl_divergence", h.klDivergence}};
            if (h.plan) {
                hj["student_plan"] = *h.plan;
                hj["plan_delta_pp"] = (*h.plan - h.teacher) * 100;
                hj["plan_agreement"] = *h.planAgreement;
                hj["plan_kl_divergence"] = *h.planKl;
            }
            hj["per_class"] = ojson::array();
            for (const ClassAccuracy &c : h.perClass) {
                ojson cj = {{"class", c.name},
                            {"total", c.total},
                            {"teacher_correct", c.teacherCorrect},
                            {"student_correct", c.studentCorrect}};
                if (h.plan)
                    cj["plan_correct"] = c.planCorrect;
                hj["per_class"].push_back(cj);
            }
            j["heads"].push_back(hj);
        }
        j["unmatched_outputs"] = r->unmatchedOutputs;
        j["cost_shape"] = {{"batch", opt.cost.batch}, {"sequence", opt.cost.sequence}};
        j["cost"] = {{"teacher", costJson(r->teacherCost)}, {"student", costJson(r->studentCost)}};
        j["speed"] = {{"batch_size", r->batchSize},
                      {"timed_batches", r->timedBatches},
                      {"teacher_ms_per_batch", r->teacherMsPerBatch},
                      {"student_ms_per_batch", r->studentMsPerBatch}};
        if (r->withPlan)
            j["plan"] = {{"float_bytes", r->planSize.floatBytes},
                         {"compressed_bytes", r->planSize.compressedBytes},
                         {"calibrated_tensors", r->calibrated}};
        std::cout << j.dump(2) << "\n";
        return kOk;
    }
    std::printf("Teacher %s against student %s on %lld samples, temperature %g\n",
                args->positional[0].c_str(), args->positional[1].c_str(),
                static_cast<long long>(r->samples), r->temperature);
    std::printf("\n  %-16s %-10s %9s %9s %9s %10s %10s", "output", "metric", "teacher", "student",
                "delta pp", "agreement", "KL(T||S)");
    if (r->withPlan)
        std::printf(" %9s %9s %10s %10s", "plan", "delta pp", "agreement", "KL");
    std::printf("\n");
    for (const DistillHead &h : r->heads) {
        std::printf("  %-16s %-10s %8.2f%% %8.2f%% %+9.2f %9.2f%% %10.5f", h.output.c_str(),
                    h.metric.c_str(), h.teacher * 100, h.student * 100,
                    (h.student - h.teacher) * 100, h.agreement * 100, h.klDivergence);
        if (h.plan)
            std::printf(" %8.2f%% %+9.2f %9.2f%% %10.5f", *h.plan * 100,
                        (*h.plan - h.teacher) * 100, *h.planAgreement * 100, *h.planKl);
        std::printf("\n");
    }
    if (args->has("--per-class"))
        for (const DistillHead &h : r->heads) {
            if (h.perClass.empty())
                continue;
            std::printf("\nPer class, %s:\n  %-16s %8s %9s %9s\n", h.output.c_str(), "class",
                        "count", "teacher", "student");
            for (const ClassAccuracy &c : h.perClass)
                if (c.total)
                    std::printf("  %-16s %8lld %8.2f%% %8.2f%%\n", c.name.c_str(),
                                static_cast<long long>(c.total), 100.0 * c.teacherCorrect / c.total,
                                100.0 * c.studentCorrect / c.total);
        }
    std::printf("\n  %-10s %12s %12s %14s %14s\n", "", "parameters", "bytes", "MACs", "ms/batch");
    std::printf("  %-10s %12lld %12lld %14lld %14.2f\n", "teacher",
                static_cast<long long>(r->teacherCost.parameters),
                static_cast<long long>(r->teacherCost.bytes),
                static_cast<long long>(r->teacherCost.macs), r->teacherMsPerBatch);
    std::printf("  %-10s %12lld %12lld %14lld %14.2f\n", "student",
                static_cast<long long>(r->studentCost.parameters),
                static_cast<long long>(r->studentCost.bytes),
                static_cast<long long>(r->studentCost.macs), r->studentMsPerBatch);
    std::printf("  (MACs at batch %lld, sequence %lld; time: median of %lld batches of %lld)\n",
                static_cast<long long>(opt.cost.batch), static_cast<long long>(opt.cost.sequence),
                static_cast<long long>(r->timedBatches), static_cast<long long>(r->batchSize));
    if (r->withPlan)
        std::printf("  student under the plan: %lld bytes of weights (float %lld)\n",
                    static_cast<long long>(r->planSize.compressedBytes),
                    static_cast<long long>(r->planSize.floatBytes));
    for (const auto &o : r->unmatchedOutputs)
        std::printf("  output '%s' is in only one of the models and was not compared\n", o.c_str());
    return kOk;
}

int cmdSoftLabels(int argc, char **argv)
{
    auto args = parseArgs(argc, argv, 2, {"--help"},
                          {"--data", "--temperature", "--out", "--batch", "--limit", "--threads"});
    if (!args)
        return usageError(args.error().message, "soft-labels");
    if (args->has("--help")) {
        std::fputs(kSoftHelp, stdout);
        return kOk;
    }
    if (args->positional.size() != 1)
        return usageError("expected exactly one TEACHER argument.", "soft-labels");
    auto data = args->value("--data");
    auto out = args->value("--out");
    if (!data || !out)
        return usageError("--data and --out are required.", "soft-labels");
    SoftLabelOptions opt;
    auto t = temperatureOption(*args);
    if (!t)
        return usageError(t.error().message, "soft-labels");
    opt.temperature = *t;
    if (auto r = readBatchOptions(*args, opt); !r)
        return usageError(r.error().message, "soft-labels");
    auto teacher = readSharedModel(args->positional[0]);
    if (!teacher)
        return report(teacher.error());
    Progress progress(std::stop_token{},
                      [](int64_t d, int64_t n) { progressLine("soft labels", d, n); });
    auto r = exportSoftLabels(*teacher, *data, *out, opt, progress);
    if (!r)
        return report(r.error());
    std::printf("Wrote %s: %lld samples, temperature %g\n", out->c_str(),
                static_cast<long long>(r->samples), opt.temperature);
    for (const SoftLabelArray &a : r->arrays)
        std::printf("  %-24s %s\n", a.name.c_str(), dimsToString(a.shape).c_str());
    return kOk;
}

} // namespace nnc::cli
