// Compression commands: plan init, calibrate, eval, sensitivity. Thin layers over the core.
#include "app/cli/cli.h"

#include "core/data/dataset.h"
#include "core/data/npz_writer.h"
#include "core/eval/budget.h"
#include "core/eval/evaluator.h"
#include "core/model/onnx_reader.h"
#include "core/plan/plan.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <unistd.h>

namespace nnc::cli {

namespace {

using ojson = nlohmann::ordered_json;

/// Progress on stderr: a bar with ETA on a terminal, plain lines otherwise (every 10%).
class StderrProgress
{
public:
    explicit StderrProgress(std::string what) : m_what(std::move(what)), m_tty(::isatty(2)) {}
    Progress progress()
    {
        return Progress(std::stop_token{}, [this](int64_t done, int64_t total) { show(done, total); });
    }
    void show(int64_t done, int64_t total)
    {
        if (total <= 0)
            return;
        const double f = double(done) / total;
        const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
        const double eta = f > 0 ? elapsed * (1 - f) / f : 0;
        if (m_tty) {
            const int width = 30, filled = static_cast<int>(f * width);
            std::fprintf(stderr, "\r%s [%.*s%*s] %3.0f%% ETA %.0fs ", m_what.c_str(), filled,
                         "##############################", width - filled, "", f * 100, eta);
            if (done == total)
                std::fputc('\n', stderr);
        } else {
            const int decile = static_cast<int>(f * 10);
            if (decile != m_lastDecile || done == total) {
                m_lastDecile = decile;
                std::fprintf(stderr, "%s: %lld/%lld (%.0f%%)\n", m_what.c_str(), static_cast<long long>(done),
                             static_cast<long long>(total), f * 100);
            }
        }
    }

private:
    std::string m_what;
    bool m_tty;
    int m_lastDecile = -1;
    std::chrono::steady_clock::time_point m_start = std::chrono::steady_clock::now();
};

Result<std::shared_ptr<const Model>> loadModel(const std::string &path)
{
    auto m = readModel(path);
    if (!m)
        return std::unexpected(m.error());
    return std::make_shared<const Model>(std::move(*m));
}

DatasetOverrides overridesFrom(const Args &a)
{
    DatasetOverrides o;
    if (auto it = a.options.find("--input"); it != a.options.end())
        o.inputs = it->second;
    if (auto it = a.options.find("--label"); it != a.options.end())
        o.labels = it->second;
    return o;
}

Result<std::unique_ptr<Evaluator>> makeEvaluator(const Args &a, std::shared_ptr<const Model> model)
{
    auto dataPath = a.value("--data");
    if (!dataPath)
        return fail("--data is required.", Error::Code::Usage);
    auto data = openDataset(*dataPath, *model, overridesFrom(a));
    if (!data)
        return std::unexpected(data.error());
    EvalOptions opt;
    auto limit = wholeNumberOption(a, "--limit", -1);
    if (!limit)
        return std::unexpected(limit.error());
    opt.limit = *limit;
    auto batch = wholeNumberOption(a, "--batch", 64);
    if (!batch)
        return std::unexpected(batch.error());
    opt.batchSize = *batch;
    auto threads = wholeNumberOption(a, "--threads", 0);
    if (!threads)
        return std::unexpected(threads.error());
    opt.threads = static_cast<int>(*threads);
    auto budget = wholeNumberOption(a, "--cache-mb", 1024);
    if (!budget)
        return std::unexpected(budget.error());
    opt.cacheBudgetBytes = static_cast<std::size_t>(std::max<int64_t>(0, *budget)) << 20;
    opt.collectOutputs = a.has("--save-outputs");
    return Evaluator::create(std::move(model), std::move(*data), opt);
}

Result<CompressionPlan> loadPlanFor(const std::string &path, const Model &model)
{
    auto plan = loadPlan(path);
    if (!plan)
        return plan;
    const auto layers = findLayers(model);
    if (auto v = validatePlan(*plan, layers, activationTensors(layers)); !v)
        return fail("plan '" + path + "' does not fit '" + model.path.string() + "': " + v.error().message);
    return plan;
}

ojson num(double v)
{
    return std::isfinite(v) ? ojson(v) : ojson(v > 0 ? "inf" : "-inf");
}

const std::vector<std::string> kDataOptions = {"--data", "--input", "--label", "--limit",
                                               "--batch", "--threads", "--cache-mb"};

std::vector<std::string> with(std::vector<std::string> a, std::initializer_list<const char *> more)
{
    for (const char *m : more)
        a.push_back(m);
    return a;
}

constexpr const char *kDataHelp = R"(Data options:
  --data PATH            validation data: .npz, .npy, IDX (.gz), a folder of ONNX
                         test_data_set_*, or a dataset description .json
  --input INPUT=ARRAY    feed model input INPUT from array ARRAY (repeatable)
  --label OUTPUT=ARRAY[:metric]  judge OUTPUT against labels ARRAY; metric is
                         accuracy, top5, token_accuracy or entity_f1 (repeatable)
  --limit N              use only the first N samples
  --batch N              samples per run (default 64; models with a fixed batch of
                         1 are evaluated one sample at a time)
  --threads N            engine threads (default: all cores)
  --cache-mb N           activation cache budget in MiB (default 1024)
)";

} // namespace

int cmdPlan(int argc, char **argv)
{
    constexpr const char *help = R"(Usage: nncompress plan init MODEL --out PLAN.json [--bits 8] [--act-bits 8]
                          [--per-channel|--per-tensor] [--symmetric|--asymmetric]
                          [--no-activations] [--prune RATIO]

Writes a default compression plan listing every compressible layer of MODEL.
Weights default to 8-bit signed restricted symmetric per-channel, activations to
8-bit unsigned asymmetric per-tensor (ranges filled by 'nncompress calibrate').
The format is described in docs/plan-format.md.
)";
    if (argc < 3 || std::string(argv[2]) == "--help") {
        std::fputs(help, argc < 3 ? stderr : stdout);
        return argc < 3 ? kUsage : kOk;
    }
    if (std::string(argv[2]) != "init")
        return usageError("unknown plan subcommand '" + std::string(argv[2]) + "' (use 'init').", "plan");
    auto args = parseArgs(argc, argv, 3,
                          {"--help", "--per-channel", "--per-tensor", "--symmetric", "--asymmetric", "--no-activations"},
                          {"--out", "--bits", "--act-bits", "--prune"});
    if (!args)
        return usageError(args.error().message, "plan");
    if (args->has("--help")) {
        std::fputs(help, stdout);
        return kOk;
    }
    if (args->positional.size() != 1 || !args->value("--out"))
        return usageError("expected MODEL and --out PLAN.json.", "plan");
    auto model = loadModel(args->positional[0]);
    if (!model)
        return report(model.error());
    CompressionPlan plan = CompressionPlan::defaults();
    plan.model = (*model)->path.filename().string();
    auto bits = wholeNumberOption(*args, "--bits", 8);
    auto actBits = wholeNumberOption(*args, "--act-bits", 8);
    if (!bits || !actBits)
        return usageError((!bits ? bits.error() : actBits.error()).message, "plan");
    if (*bits < 2 || *bits > 16 || *actBits < 2 || *actBits > 16)
        return usageError("bit widths must be between 2 and 16.", "plan");
    plan.weightDefaults.spec.bits = static_cast<int>(*bits);
    plan.activationDefaults.spec.bits = static_cast<int>(*actBits);
    if (args->has("--per-tensor"))
        plan.weightDefaults.granularity = Granularity::PerTensor;
    if (args->has("--per-channel"))
        plan.weightDefaults.granularity = Granularity::PerChannel;
    if (args->has("--asymmetric")) {
        plan.weightDefaults.spec.symmetric = false;
        plan.weightDefaults.spec.range = IntRange::Signed;
    }
    if (args->has("--symmetric")) {
        plan.weightDefaults.spec.symmetric = true;
        plan.activationDefaults.spec.symmetric = true;
        plan.activationDefaults.spec.range = IntRange::SignedRestricted;
    }
    if (args->has("--no-activations"))
        plan.activationDefaults.enabled = false;
    if (auto p = args->value("--prune")) {
        try {
            plan.pruneDefaults.spec.ratio = std::stod(*p);
        } catch (...) {
            return usageError("--prune takes a ratio in [0, 1).", "plan");
        }
        if (plan.pruneDefaults.spec.ratio < 0 || plan.pruneDefaults.spec.ratio >= 1)
            return usageError("--prune takes a ratio in [0, 1).", "plan");
    }
    for (const Layer &l : findLayers(**model))
        plan.layers[l.name] = LayerOverride{};
    if (auto r = savePlan(plan, *args->value("--out")); !r)
        return report(r.error());
    std::fprintf(stderr, "wrote %s (%zu layers)\n", args->value("--out")->c_str(), plan.layers.size());
    return kOk;
}

int cmdCalibrate(int argc, char **argv)
{
    const std::string help = std::string(R"(Usage: nncompress calibrate MODEL --data DATA --plan PLAN.json --out PLAN.json
                           [--method minmax|percentile:99.99|entropy|mse] [--all]

Runs the float model over the data and fills the activation ranges (rmin/rmax)
of every enabled activation tensor of the plan with the chosen method (default:
each tensor's own). --all recalibrates tensors that already have a range. The
output is written atomically (it may be the input plan).

)") + kDataHelp;
    auto args = parseArgs(argc, argv, 2, {"--help", "--all"}, with(kDataOptions, {"--plan", "--out", "--method"}));
    if (!args)
        return usageError(args.error().message, "calibrate");
    if (args->has("--help")) {
        std::fputs(help.c_str(), stdout);
        return kOk;
    }
    if (args->positional.size() != 1 || !args->value("--plan") || !args->value("--out"))
        return usageError("expected MODEL, --data, --plan and --out.", "calibrate");
    auto model = loadModel(args->positional[0]);
    if (!model)
        return report(model.error());
    auto plan = loadPlanFor(*args->value("--plan"), **model);
    if (!plan)
        return report(plan.error());
    if (auto m = args->value("--method")) {
        auto c = parseCalibMethod(*m);
        if (!c)
            return usageError(c.error().message, "calibrate");
        plan->activationDefaults.calibration = *c;
        for (auto &[name, o] : plan->activations)
            o.calibration.reset();
    }
    auto ev = makeEvaluator(*args, *model);
    if (!ev)
        return report(ev.error());
    StderrProgress bar("calibrating");
    const auto t0 = std::chrono::steady_clock::now();
    auto done = (*ev)->calibrate(*plan, !args->has("--all"), bar.progress());
    if (!done)
        return report(done.error());
    if (auto r = savePlan(*plan, *args->value("--out")); !r)
        return report(r.error());
    std::fprintf(stderr, "calibrated %zu activation tensors on %lld samples in %.2f s\n", done->size(),
                 static_cast<long long>((*ev)->sampleCount()),
                 std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    return kOk;
}

int cmdEval(int argc, char **argv)
{
    const std::string help = std::string(R"(Usage: nncompress eval MODEL --data DATA [--plan PLAN.json] [--json]
                      [--save-outputs OUT.npz]

Evaluates MODEL on DATA: per output head the float baseline, and with a plan the
compressed model, the difference in percentage points, agreement with the float
predictions, output SQNR, and the samples whose prediction changed. Activation
ranges missing from the plan are calibrated on the same data first.

)") + kDataHelp + R"(  --json                 print one JSON object
  --save-outputs OUT.npz write the evaluated model's raw outputs (one array per
                         output name, in sample order)
  --budget B             judge the plan per output head: B is the largest allowed
                         accuracy drop in percentage points, for every head ("0.5")
                         or per head ("intent_logits=0.5,slot_logits=1"); exit
                         code 5 when a head loses more than its budget
)";
    auto args = parseArgs(argc, argv, 2, {"--help", "--json"},
                          with(kDataOptions, {"--plan", "--save-outputs", "--budget"}));
    if (!args)
        return usageError(args.error().message, "eval");
    if (args->has("--help")) {
        std::fputs(help.c_str(), stdout);
        return kOk;
    }
    if (args->positional.size() != 1)
        return usageError("expected exactly one MODEL argument.", "eval");
    auto model = loadModel(args->positional[0]);
    if (!model)
        return report(model.error());
    std::optional<CompressionPlan> plan;
    if (auto p = args->value("--plan")) {
        auto loaded = loadPlanFor(*p, **model);
        if (!loaded)
            return report(loaded.error());
        plan = std::move(*loaded);
    }
    std::vector<HeadBudget> budgets;
    if (auto b = args->value("--budget")) {
        if (!plan)
            return usageError("--budget judges a plan: give one with --plan.", "eval");
        auto parsed = parseBudgets(*b);
        if (!parsed)
            return usageError(parsed.error().message, "eval");
        budgets = std::move(*parsed);
    }
    auto ev = makeEvaluator(*args, *model);
    if (!ev)
        return report(ev.error());
    StderrProgress bar("evaluating");
    auto r = (*ev)->evaluate(plan ? &*plan : nullptr, bar.progress());
    if (!r)
        return report(r.error());
    std::vector<BudgetVerdict> verdicts;
    if (!budgets.empty()) {
        auto judged = judgeBudgets(*r, budgets);
        if (!judged)
            return usageError(judged.error().message, "eval");
        verdicts = std::move(*judged);
    }
    const bool overBudget = std::ranges::any_of(verdicts, [](const BudgetVerdict &v) { return !v.pass; });
    if (auto out = args->value("--save-outputs")) {
        std::vector<std::pair<std::string, Tensor>> arrays;
        for (std::size_t i = 0; i < r->heads.size(); ++i)
            arrays.emplace_back(r->heads[i].output, r->outputs[i]);
        if (auto w = writeNpz(*out, arrays); !w)
            return report(w.error());
    }
    if (args->has("--json")) {
        ojson j;
        j["model"] = (*model)->path.string();
        j["samples"] = r->samples;
        j["baseline"] = ojson::object();
        for (const HeadResult &h : r->heads) {
            j["baseline"][h.output] = {{"metric", h.metric}, {h.metric == "agreement" ? "agreement" : h.metric == "entity_f1" ? "entity_f1" : "accuracy", h.baseline}};
        }
        if (plan) {
            j["compressed"] = ojson::object();
            j["delta_pp"] = ojson::object();
            j["agreement"] = ojson::object();
            j["output_sqnr_db"] = ojson::object();
            j["output_cosine"] = ojson::object();
            j["changed_samples"] = ojson::object();
            for (const HeadResult &h : r->heads) {
                const char *key = h.metric == "entity_f1" ? "entity_f1" : h.metric == "agreement" ? "agreement" : "accuracy";
                j["compressed"][h.output] = {{"metric", h.metric}, {key, h.compressed}};
                j["delta_pp"][h.output] = h.deltaPp;
                j["agreement"][h.output] = h.agreement;
                j["output_sqnr_db"][h.output] = num(h.sqnrDb);
                j["output_cosine"][h.output] = h.cosine;
                j["changed_samples"][h.output] = h.changedSamples;
            }
            j["layers"] = ojson::array();
            for (const LayerResult &l : r->layers)
                j["layers"].push_back({{"name", l.layer}, {"compressed", l.compressed},
                                       {"weight_sqnr_db", num(l.weightSqnrDb)}, {"output_sqnr_db", num(l.outputSqnrDb)},
                                       {"sparsity", l.sparsity}});
            j["calibrated_tensors"] = r->calibrated;
        }
        j["size_bytes"] = {{"float", r->size.floatBytes}, {"compressed", r->size.compressedBytes}};
        j["compression_ratio"] = r->size.ratio();
        j["seconds"] = r->seconds;
        if (!verdicts.empty()) {
            j["budget"] = ojson::object();
            for (const BudgetVerdict &v : verdicts)
                j["budget"][v.output] = {{"drop_pp", v.dropPp}, {"max_drop_pp", v.maxDropPp}, {"pass", v.pass}};
            j["within_budget"] = !overBudget;
        }
        std::cout << j.dump(2) << '\n';
        return overBudget ? kOverBudget : kOk;
    }
    std::printf("%lld samples, %.2f s\n", static_cast<long long>(r->samples), r->seconds);
    for (const HeadResult &h : r->heads) {
        if (plan)
            std::printf("%-24s %-14s float %7.3f%%  compressed %7.3f%%  delta %+7.3f pp  agreement %7.3f%%  "
                        "SQNR %6.1f dB  changed %zu\n",
                        h.output.c_str(), h.metric.c_str(), h.baseline * 100, h.compressed * 100, h.deltaPp,
                        h.agreement * 100, h.sqnrDb, h.changedSamples.size());
        else
            std::printf("%-24s %-14s float %7.3f%%\n", h.output.c_str(), h.metric.c_str(), h.baseline * 100);
    }
    std::printf("size: float %lld bytes, compressed %lld bytes (%.2fx)\n",
                static_cast<long long>(r->size.floatBytes), static_cast<long long>(r->size.compressedBytes),
                r->size.ratio());
    for (const BudgetVerdict &v : verdicts)
        std::printf("budget %-17s drop %+7.3f pp  allowed %.3f pp  %s\n", v.output.c_str(), v.dropPp, v.maxDropPp,
                    v.pass ? "within budget" : "OVER BUDGET");
    return overBudget ? kOverBudget : kOk;
}

int cmdSensitivity(int argc, char **argv)
{
    const std::string help = std::string(R"(Usage: nncompress sensitivity MODEL --data DATA [--bits 4[,6,8]] [--prune 0.5[,0.7]]
                            [--act-bits 8] [--json]

Compresses each layer alone under each setting and reports the accuracy delta
(percentage points, per output head) and the output SQNR, worst first. With
several --bits or --prune values it runs the layer x setting grid.

)") + kDataHelp;
    auto args = parseArgs(argc, argv, 2, {"--help", "--json"}, with(kDataOptions, {"--bits", "--prune", "--act-bits"}));
    if (!args)
        return usageError(args.error().message, "sensitivity");
    if (args->has("--help")) {
        std::fputs(help.c_str(), stdout);
        return kOk;
    }
    if (args->positional.size() != 1)
        return usageError("expected exactly one MODEL argument.", "sensitivity");
    SensitivitySpec spec;
    auto split = [](const std::string &s) {
        std::vector<std::string> out;
        std::size_t a = 0;
        while (a <= s.size()) {
            const auto b = s.find(',', a);
            out.push_back(s.substr(a, b == std::string::npos ? std::string::npos : b - a));
            if (b == std::string::npos)
                break;
            a = b + 1;
        }
        return out;
    };
    try {
        if (auto b = args->value("--bits"))
            for (const auto &v : split(*b)) {
                const int bits = std::stoi(v);
                if (bits < 2 || bits > 16)
                    return usageError("--bits values must be between 2 and 16.", "sensitivity");
                spec.bits.push_back(bits);
            }
        if (auto p = args->value("--prune"))
            for (const auto &v : split(*p)) {
                const double r = std::stod(v);
                if (r < 0 || r >= 1)
                    return usageError("--prune values must be in [0, 1).", "sensitivity");
                spec.pruneRatios.push_back(r);
            }
        if (auto a = args->value("--act-bits"))
            spec.activationBits = std::stoi(*a);
    } catch (...) {
        return usageError("--bits, --prune and --act-bits take numbers (comma-separated lists).", "sensitivity");
    }
    if (spec.bits.empty() && spec.pruneRatios.empty())
        spec.bits.push_back(4);
    auto model = loadModel(args->positional[0]);
    if (!model)
        return report(model.error());
    auto ev = makeEvaluator(*args, *model);
    if (!ev)
        return report(ev.error());
    StderrProgress bar("sensitivity");
    auto r = (*ev)->sensitivity(spec, bar.progress());
    if (!r)
        return report(r.error());
    if (args->has("--json")) {
        ojson j;
        j["heads"] = r->heads;
        j["rows"] = ojson::array();
        for (const auto &row : r->rows) {
            ojson o;
            o["layer"] = row.layer;
            o["bits"] = row.bits ? ojson(*row.bits) : ojson(nullptr);
            o["prune"] = row.pruneRatio ? ojson(*row.pruneRatio) : ojson(nullptr);
            o["delta_pp"] = ojson::object();
            o["output_sqnr_db"] = ojson::object();
            for (std::size_t h = 0; h < r->heads.size(); ++h) {
                o["delta_pp"][r->heads[h]] = row.deltaPp[h];
                o["output_sqnr_db"][r->heads[h]] = num(row.outputSqnrDb[h]);
            }
            j["rows"].push_back(o);
        }
        std::cout << j.dump(2) << '\n';
        return kOk;
    }
    std::printf("%-36s %5s %6s", "layer", "bits", "prune");
    for (const auto &h : r->heads)
        std::printf(" %16s %10s", (h.substr(0, 12) + " Δpp").c_str(), "SQNR dB");
    std::printf("\n");
    for (const auto &row : r->rows) {
        std::printf("%-36s %5s %6s", row.layer.substr(0, 36).c_str(),
                    row.bits ? std::to_string(*row.bits).c_str() : "-",
                    row.pruneRatio ? std::to_string(*row.pruneRatio).substr(0, 4).c_str() : "-");
        for (std::size_t h = 0; h < r->heads.size(); ++h)
            std::printf(" %+16.3f %10.1f", row.deltaPp[h], row.outputSqnrDb[h]);
        std::printf("\n");
    }
    return kOk;
}

} // namespace nnc::cli
