// Shared pieces of the nncompress commands: argument parsing and exit codes.
#pragma once

#include "core/util/error.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace nnc::cli {

/// 5: `eval --budget` ran fine but a head lost more accuracy than its budget allows.
enum ExitCode { kOk = 0, kFailure = 1, kUsage = 2, kInputError = 3, kUnsupported = 4, kOverBudget = 5 };

/// Parsed command line: positional arguments and --options (with or without a value).
struct Args
{
    std::vector<std::string> positional;
    std::map<std::string, std::vector<std::string>> options;  // "--out" -> values
    bool has(const std::string &name) const { return options.contains(name); }
    std::optional<std::string> value(const std::string &name) const;
};

/// Parses argv[first..]; `flags` lists options that take no value. Unknown options are errors.
Result<Args> parseArgs(int argc, char **argv, int first, const std::vector<std::string> &flags,
                       const std::vector<std::string> &valued);

/// The value of option `name` as a whole number, or `fallback` when the option is absent. A
/// value that is not entirely a whole number, or is below `min` when one is given, is a usage
/// error naming the option and the value.
Result<int64_t> wholeNumberOption(const Args &a, const std::string &name, int64_t fallback,
                                  std::optional<int64_t> min = std::nullopt);

/// Reads --batch N (samples per run, at least 1; default 64), --limit N (the first N samples,
/// at least 1; default -1: all) and --threads N (0: all cores; the default) into
/// `opt.batchSize`, `opt.limit` and `opt.threads`. Returns the first bad value's usage error.
template <class Options>
Result<void> readBatchOptions(const Args &a, Options &opt)
{
    auto batch = wholeNumberOption(a, "--batch", 64, 1);
    auto limit = wholeNumberOption(a, "--limit", -1, 1);
    auto threads = wholeNumberOption(a, "--threads", 0, 0);
    for (const auto *r : {&batch, &limit, &threads})
        if (!*r)
            return std::unexpected(r->error());
    opt.batchSize = *batch;
    opt.limit = *limit;
    opt.threads = static_cast<int>(*threads);
    return {};
}

/// Reads --cost-batch N (default 1) and --seq-len N (default 16), both at least 1: the input
/// shape multiply-accumulates are counted at, into `opt.cost.batch` and `opt.cost.sequence`.
template <class Options>
Result<void> readCostShapeOptions(const Args &a, Options &opt)
{
    auto costBatch = wholeNumberOption(a, "--cost-batch", 1, 1);
    auto seq = wholeNumberOption(a, "--seq-len", 16, 1);
    for (const auto *r : {&costBatch, &seq})
        if (!*r)
            return std::unexpected(r->error());
    opt.cost.batch = *costBatch;
    opt.cost.sequence = *seq;
    return {};
}

/// Prints "nncompress: <message>" to stderr and returns the exit code for the error.
int report(const Error &e);
int usageError(const std::string &message, const std::string &command);

int cmdInspect(int argc, char **argv);
int cmdRun(int argc, char **argv);
int cmdOps(int argc, char **argv);
int cmdPlan(int argc, char **argv);
int cmdCalibrate(int argc, char **argv);
int cmdEval(int argc, char **argv);
int cmdSensitivity(int argc, char **argv);
int cmdExport(int argc, char **argv);
/// Network fusion and distillation (cmd_fusion.cpp, cmd_distill.cpp).
int cmdFuse(int argc, char **argv);
int cmdDistillCompare(int argc, char **argv);
int cmdSoftLabels(int argc, char **argv);
/// nncompress plan import FILE --model MODEL --out PLAN.json (in cmd_export.cpp).
int cmdPlanImport(int argc, char **argv);
int cmdReport(int argc, char **argv);

} // namespace nnc::cli
