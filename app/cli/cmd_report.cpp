// nncompress report: the compression report of a plan as one self-contained HTML file. A thin
// layer over core/report.
#include "app/cli/cli.h"

#include "core/report/report.h"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>
#include <unistd.h>
#include <vector>

namespace nnc::cli {

namespace {

namespace fs = std::filesystem;

constexpr const char *kHelp =
    R"(Usage: nncompress report MODEL --data DATA --plan PLAN.json --out report.html
                        [--lang en|zh_CN] [--no-sensitivity] [--sensitivity-bits B]
                        [--limit N] [--batch N] [--threads N] [--budget [HEAD=]PP,...]
                        [--fusion-a A.onnx --fusion-b B.onnx [--backbone a|b|mean]
                         [--fusion-data-a DATA] [--fusion-data-b DATA]]
                        [--teacher T.onnx --student S.onnx [--distill-data DATA]
                         [--temperature T] [--student-plan PLAN.json]]

Evaluates MODEL under PLAN.json on DATA and writes a self-contained HTML report
(inline styles and charts, no scripts, nothing fetched from the network) for
the people who decide whether to ship the compressed model: sizes before and
after, accuracy per output with the change in percentage points, the per-layer
table (bits, pruning, sparsity, weight and output SQNR, sensitivity), weight
histograms of the five layers with the largest error with their quantization
ranges, and the per-layer sensitivity chart. With --budget, each output's drop
is judged against its accuracy budget (pass or fail, and in the headline). With
--fusion-a/--fusion-b the report gains a network fusion section (as nncompress
fuse: shared backbone, weight distances, savings, per-head accuracy of the fused
model against the separate ones); with --teacher/--student a knowledge
distillation section (as nncompress distill-compare: per-head accuracy,
agreement, KL at T, per-class accuracy, size, MACs and speed, and the student
under --student-plan). docs/report.md describes it; the Studio writes the same
report as PDF (nncompress-studio --report-pdf).

Options:
  --data PATH             validation data (dataset description .json or arrays)
  --plan PATH             the compression plan (docs/plan-format.md)
  --out PATH              the HTML file to write (atomically)
  --lang CODE             report language: en (default) or zh_CN
  --no-sensitivity        skip the sensitivity analysis (one evaluation per layer)
  --sensitivity-bits B    weight bit width tried on each layer alone (default 4)
  --limit N               evaluate the first N samples only
  --batch N               samples per run (default 64)
  --threads N             engine threads (default: all cores)
  --budget SPEC           accuracy budgets in pp: "0.5" for every output, or
                          "intent_logits=0.5,slot_logits=1" (a bare number among
                          them is the default for the other outputs); the report
                          is written either way, and the exit code is 5 when an
                          output is over its budget (as nncompress eval --budget)

Network fusion section:
  --fusion-a MODEL        the first task model (its backbone is kept with --backbone a)
  --fusion-b MODEL        the second task model
  --backbone a|b|mean     the fused backbone's weights (default a)
  --fusion-data-a DATA    validation data for model A's heads (accuracy preview)
  --fusion-data-b DATA    validation data for model B's heads

Knowledge distillation section:
  --teacher MODEL         the teacher model
  --student MODEL         the student model
  --distill-data DATA     data both are evaluated on (default: --data)
  --temperature T         softmax temperature of the KL divergence (default 4)
  --student-plan PLAN     also evaluate the student under this plan
)";

} // namespace

int cmdReport(int argc, char **argv)
{
    std::vector<std::string> valued = {"--data",  "--plan",  "--out",    "--lang",
                                       "--sensitivity-bits", "--limit", "--batch", "--threads"};
    for (const std::string &o : reportSectionOptions())
        valued.push_back("--" + o);
    auto args = parseArgs(argc, argv, 2, {"--help", "--no-sensitivity"}, valued);
    if (!args)
        return usageError(args.error().message, "report");
    if (args->has("--help")) {
        std::fputs(kHelp, stdout);
        return kOk;
    }
    if (args->positional.size() != 1 || !args->value("--data") || !args->value("--plan") ||
        !args->value("--out"))
        return usageError("expected MODEL, --data, --plan and --out.", "report");
    const auto lang = parseReportLanguage(args->value("--lang").value_or("en"));
    if (!lang)
        return usageError("--lang is en or zh_CN, not '" + *args->value("--lang") + "'.", "report");

    ReportOptions opt;
    opt.sensitivity = !args->has("--no-sensitivity");
    for (auto [name, field] :
         {std::pair{"--limit", &opt.limit}, std::pair{"--batch", &opt.batchSize}}) {
        auto v = wholeNumberOption(*args, name, *field);
        if (!v)
            return usageError(v.error().message, "report");
        *field = *v;
    }
    auto threads = wholeNumberOption(*args, "--threads", 0);
    auto bits = wholeNumberOption(*args, "--sensitivity-bits", opt.sensitivityBits);
    if (!threads || !bits)
        return usageError((threads ? bits : threads).error().message, "report");
    opt.threads = static_cast<int>(*threads);
    opt.sensitivityBits = static_cast<int>(*bits);
    if (args->value("--sensitivity-bits") && !opt.sensitivity)
        return usageError("--sensitivity-bits and --no-sensitivity exclude each other.", "report");

    auto sections = parseReportSections(
        [&](const std::string &name) { return args->value("--" + name); },
        *args->value("--data"));
    if (!sections)
        return usageError(sections.error().message, "report");

    const fs::path modelPath = args->positional[0];
    const fs::path out = *args->value("--out");
    std::error_code ec;
    std::vector<fs::path> inputs = {modelPath, fs::path(*args->value("--plan")),
                                    fs::path(*args->value("--data"))};
    for (const char *o : {"--fusion-a", "--fusion-b", "--fusion-data-a", "--fusion-data-b",
                          "--teacher", "--student", "--distill-data", "--student-plan"})
        if (auto v = args->value(o))
            inputs.emplace_back(*v);
    for (const fs::path &in : inputs)
        if (fs::exists(out, ec) && fs::exists(in, ec) && fs::equivalent(in, out, ec))
            return report(
                fail("--out '" + out.string() + "' is one of the inputs; choose another file.",
                     Error::Code::Usage)
                    .error());

    const bool tty = ::isatty(2);
    int lastShown = -1;
    Progress progress(std::stop_token{}, [&](int64_t done, int64_t total) {
        const int pct = total > 0 ? static_cast<int>(100 * done / total) : 0;
        if (pct == lastShown || (!tty && pct / 10 == lastShown / 10 && pct != 100))
            return;
        lastShown = pct;
        std::fprintf(stderr, tty ? "\rreport: %3d%%" : "report: %d%%\n", pct);
        if (tty && pct == 100)
            std::fputc('\n', stderr);
    });
    auto data = buildReportWithSections(modelPath, *args->value("--data"),
                                        *args->value("--plan"), *sections, opt, progress);
    if (!data) {
        if (tty && lastShown >= 0)
            std::fputc('\n', stderr);
        return report(data.error());
    }
    if (auto w = writeReportHtml(*data, *lang, out); !w)
        return report(w.error());
    std::fprintf(stderr, "wrote %s (%s, %lld samples, %zu layers%s%s%s)\n",
                 out.string().c_str(), std::string(reportLanguageCode(*lang)).c_str(),
                 static_cast<long long>(data->samples), data->layers.size(),
                 data->sensitivity ? ", with sensitivity" : "",
                 data->fusion ? ", fusion" : "", data->distillation ? ", distillation" : "");
    for (const BudgetVerdict &v : data->budgets)
        std::fprintf(stderr, "budget %s: drop %.2f pp, allowed %g pp: %s\n", v.output.c_str(),
                     v.dropPp, v.maxDropPp, v.pass ? "pass" : "FAIL");
    // As `eval --budget`: the report is written either way, the exit code tells a script.
    for (const BudgetVerdict &v : data->budgets)
        if (!v.pass)
            return kOverBudget;
    return kOk;
}

} // namespace nnc::cli
