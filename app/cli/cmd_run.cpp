// `nncompress run MODEL --input-dir DIR --output-dir DIR`: runs a model on ONNX test-data files.
#include "app/cli/cli.h"

#include "core/model/onnx_reader.h"
#include "core/ops/op_table.h"
#include "core/runtime/session.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <cstdio>
#include <filesystem>
#include <memory>

namespace nnc::cli {

namespace {

constexpr const char *kHelp = R"(Usage: nncompress run MODEL --input-dir DIR --output-dir DIR [--threads N]

Runs MODEL on the inputs in DIR (ONNX test-data layout: input_0.pb ... input_N.pb
as TensorProto files in the order of the graph's inputs, or files named after
the inputs, e.g. input_ids.pb) and writes output_0.pb ... in graph-output order.
Any case under /usr/share/libonnx-testdata/data can be run directly.

Options:
  --input-dir DIR    folder with the input .pb files
  --output-dir DIR   folder for the output .pb files (created if missing)
  --threads N        engine threads (default: all cores)
  --repeat N         run N times and report the median time (default 1)
  --profile          print the time spent per op type (stderr)
  --help             show this help

Exit codes: 0 ok, 2 usage error, 3 input could not be read, 4 model uses
unsupported ops (the message lists them), 1 the run failed.
)";

} // namespace

int cmdRun(int argc, char **argv)
{
    namespace fs = std::filesystem;
    auto args = parseArgs(argc, argv, 2, {"--help", "--profile"}, {"--input-dir", "--output-dir", "--threads", "--repeat"});
    if (!args)
        return usageError(args.error().message, "run");
    if (args->has("--help")) {
        std::fputs(kHelp, stdout);
        return kOk;
    }
    if (args->positional.size() != 1)
        return usageError("expected exactly one MODEL argument.", "run");
    const auto inDir = args->value("--input-dir");
    const auto outDir = args->value("--output-dir");
    if (!inDir || !outDir)
        return usageError("--input-dir and --output-dir are required.", "run");
    int threads = 0;
    if (auto t = args->value("--threads")) {
        try {
            threads = std::stoi(*t);
        } catch (...) {
            return usageError("--threads takes a whole number.", "run");
        }
    }

    auto model = readModel(args->positional[0]);
    if (!model)
        return report(model.error());
    auto shared = std::make_shared<const Model>(std::move(*model));
    auto session = Session::create(shared, SessionOptions{threads});
    if (!session)
        return report(session.error());

    std::error_code ec;
    if (!fs::is_directory(*inDir, ec))
        return report(Error{Error::Code::Input, "input folder '" + *inDir + "' does not exist."});
    const auto names = session->inputNames();
    std::vector<Tensor> inputs;
    for (std::size_t i = 0; i < names.size(); ++i) {
        fs::path p = fs::path(*inDir) / ("input_" + std::to_string(i) + ".pb");
        if (!fs::exists(p, ec))
            p = fs::path(*inDir) / (names[i] + ".pb");
        if (!fs::exists(p, ec))
            return report(Error{Error::Code::Input,
                                "no file for input '" + names[i] + "' in '" + *inDir + "' (looked for input_"
                                    + std::to_string(i) + ".pb and " + names[i] + ".pb)."});
        auto t = readTensorFile(p);
        if (!t)
            return report(t.error());
        inputs.push_back(std::move(*t));
    }
    int repeat = 1;
    if (auto r = args->value("--repeat")) {
        try {
            repeat = std::max(1, std::stoi(*r));
        } catch (...) {
            return usageError("--repeat takes a whole number.", "run");
        }
    }
    std::map<std::string, std::pair<double, int64_t>> profile;
    RunOptions runOptions;
    if (args->has("--profile"))
        runOptions.profile = &profile;
    std::vector<double> times;
    Result<std::vector<Tensor>> outs;
    for (int i = 0; i < repeat; ++i) {
        const auto start = std::chrono::steady_clock::now();
        outs = session->run(inputs, runOptions);
        times.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
        if (!outs)
            break;
    }
    std::sort(times.begin(), times.end());
    const double ms = times[times.size() / 2];
    if (!outs) {
        Error e = outs.error();
        if (e.code == Error::Code::Input && e.message.starts_with("input '"))
            return report(e);
        if (e.code == Error::Code::Input)
            e.code = Error::Code::Internal; // a failure inside the run, not unreadable input
        return report(e);
    }
    fs::create_directories(*outDir, ec);
    if (ec)
        return report(Error{Error::Code::Input, "cannot create '" + *outDir + "': " + ec.message() + "."});
    const auto outNames = session->outputNames();
    for (std::size_t i = 0; i < outs->size(); ++i) {
        const fs::path p = fs::path(*outDir) / ("output_" + std::to_string(i) + ".pb");
        if (auto r = writeTensorFile(p, (*outs)[i], outNames[i]); !r)
            return report(r.error());
        std::printf("%s: %s %s\n", outNames[i].c_str(), std::string(dtypeName((*outs)[i].dtype())).c_str(),
                    dimsToString((*outs)[i].dims()).c_str());
    }
    std::fprintf(stderr, "ran in %.2f ms (median of %d)\n", ms, repeat);
    if (runOptions.profile) {
        std::vector<std::pair<std::string, std::pair<double, int64_t>>> rows(profile.begin(), profile.end());
        std::sort(rows.begin(), rows.end(), [](const auto &a, const auto &b) { return a.second.first > b.second.first; });
        double total = 0;
        for (const auto &r : rows)
            total += r.second.first;
        for (const auto &[op, v] : rows)
            std::fprintf(stderr, "  %-24s %9.3f ms total %7lld calls %5.1f%%\n", op.c_str(), v.first * 1e3,
                         static_cast<long long>(v.second), total > 0 ? 100.0 * v.first / total : 0.0);
    }
    return kOk;
}

int cmdOps(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    for (const OpEntry &e : allKernels())
        std::printf("%s%s%s %d-%s\n", e.domain.empty() ? "" : std::string(e.domain).c_str(),
                    e.domain.empty() ? "" : "::", std::string(e.opType).c_str(), e.sinceVersion,
                    e.untilVersion >= kMaxOpset ? "" : std::to_string(e.untilVersion).c_str());
    return kOk;
}

} // namespace nnc::cli
