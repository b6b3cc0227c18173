// Runs ONNX's backend test cases (node/, pytorch-converted/, pytorch-operator/, simple/) through
// the engine. A case whose ops are all supported must match the stored outputs within ONNX's own
// tolerances (float: |got - want| <= atol + rtol * |want| with rtol 1e-3, atol 1e-7; integers,
// bools and strings exactly). Cases with unsupported ops are skipped and counted.
// Usage: test_conformance [substring-filter] [-v]. Fails on any failure not listed, with its
// reason, in known_failures.txt.
#include "core/model/onnx_reader.h"
#include "core/runtime/session.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>

namespace fs = std::filesystem;
using namespace nnc;

namespace {

constexpr double kRtol = 1e-3;
constexpr double kAtol = 1e-7;

std::string compare(const Tensor &got, const Tensor &want, const std::string &name)
{
    if (got.dtype() != want.dtype())
        return "output '" + name + "' is " + std::string(dtypeName(got.dtype())) + ", expected "
               + std::string(dtypeName(want.dtype()));
    if (got.dims() != want.dims())
        return "output '" + name + "' has shape " + dimsToString(got.dims()) + ", expected "
               + dimsToString(want.dims());
    if (got.dtype() == DataType::String) {
        for (int64_t i = 0; i < got.numel(); ++i)
            if (got.strings()[i] != want.strings()[i])
                return "output '" + name + "' differs at " + std::to_string(i);
        return {};
    }
    const bool fp = isFloatingPoint(got.dtype());
    // float16 outputs get float16 precision.
    const double rtol = got.dtype() == DataType::Float16 || got.dtype() == DataType::BFloat16 ? 1e-2 : kRtol;
    for (int64_t i = 0; i < got.numel(); ++i) {
        const double g = got.valueAsDouble(i), w = want.valueAsDouble(i);
        if (fp) {
            if (std::isnan(w) && std::isnan(g))
                continue;
            if (std::isinf(w) && g == w)
                continue;
            if (!(std::abs(g - w) <= kAtol + rtol * std::abs(w)))
                return "output '" + name + "' element " + std::to_string(i) + " is "
                       + std::to_string(g) + ", expected " + std::to_string(w);
        } else if (got.dtype() == DataType::Int64 || got.dtype() == DataType::UInt64) {
            if (got.toInt64Vector()[static_cast<std::size_t>(i)] != want.toInt64Vector()[static_cast<std::size_t>(i)])
                return "output '" + name + "' element " + std::to_string(i) + " differs";
        } else if (g != w) {
            return "output '" + name + "' element " + std::to_string(i) + " is " + std::to_string(g)
                   + ", expected " + std::to_string(w);
        }
    }
    return {};
}

enum class Outcome { Pass, Fail, Skip };

Outcome runCase(const fs::path &dir, std::string &why)
{
    auto model = readModel(dir / "model.onnx");
    if (!model) {
        why = "read: " + model.error().message;
        return Outcome::Fail;
    }
    if (auto missing = unsupportedOps(*model); !missing.empty()) {
        why = missing.front();
        return Outcome::Skip;
    }
    auto shared = std::make_shared<const Model>(std::move(*model));
    auto session = Session::create(shared, SessionOptions{2});
    if (!session) {
        why = "create: " + session.error().message;
        return session.error().code == Error::Code::Unsupported ? Outcome::Skip : Outcome::Fail;
    }
    std::vector<fs::path> sets;
    for (const auto &e : fs::directory_iterator(dir))
        if (e.is_directory() && e.path().filename().string().starts_with("test_data_set_"))
            sets.push_back(e.path());
    std::sort(sets.begin(), sets.end());
    if (sets.empty()) {
        why = "no test_data_set folders";
        return Outcome::Skip;
    }
    const auto inputNames = session->inputNames();
    const auto outputNames = session->outputNames();
    for (const auto &set : sets) {
        // Inputs are input_0.pb ... in graph order, but optional trailing inputs may be absent.
        std::unordered_map<std::string, Tensor> feeds;
        std::vector<Tensor> inputs;
        for (std::size_t i = 0;; ++i) {
            const fs::path p = set / ("input_" + std::to_string(i) + ".pb");
            if (!fs::exists(p))
                break;
            std::string name;
            auto t = readTensorFile(p, &name);
            if (!t) {
                why = t.error().message;
                return Outcome::Fail;
            }
            inputs.push_back(std::move(*t));
        }
        const auto &decl = shared->graph.dataInputs();
        for (std::size_t i = 0; i < inputs.size() && i < decl.size(); ++i) {
            // ONNX 1.12's test data stores bfloat16 tensors as uint16 (numpy has no bfloat16):
            // same bits, so reinterpret them as the model declares.
            if (decl[i]->dtype == DataType::BFloat16 && inputs[i].dtype() == DataType::UInt16)
                inputs[i] = Tensor::view(DataType::BFloat16, inputs[i].dims(),
                                         std::make_shared<Tensor>(inputs[i]),
                                         inputs[i].bytes().data());
            feeds[decl[i]->name] = inputs[i];
        }
        auto outs = session->runPartial(feeds, outputNames);
        if (!outs) {
            why = outs.error().message;
            return outs.error().code == Error::Code::Unsupported ? Outcome::Skip : Outcome::Fail;
        }
        for (std::size_t i = 0; i < outputNames.size(); ++i) {
            const fs::path p = set / ("output_" + std::to_string(i) + ".pb");
            if (!fs::exists(p))
                continue;
            auto want = readTensorFile(p);
            if (!want) {
                why = want.error().message;
                return Outcome::Fail;
            }
            auto it = outs->find(outputNames[i]);
            if (it == outs->end()) {
                why = "no output " + outputNames[i];
                return Outcome::Fail;
            }
            Tensor got = it->second;
            if (got.dtype() == DataType::BFloat16 && want->dtype() == DataType::UInt16)
                got = Tensor::view(DataType::UInt16, got.dims(), std::make_shared<Tensor>(got),
                                   got.bytes().data());
            if (std::string d = compare(got, *want, outputNames[i]); !d.empty()) {
                why = set.filename().string() + ": " + d;
                return Outcome::Fail;
            }
        }
    }
    return Outcome::Pass;
}

} // namespace

int main(int argc, char **argv)
{
    std::string filter;
    bool verbose = false;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "-v")
            verbose = true;
        else
            filter = a;
    }
    const fs::path root = NNC_ONNX_TESTDATA;
    if (!fs::exists(root)) {
        std::printf("SKIP: %s is absent (install libonnx-testdata)\n", root.c_str());
        return 0;
    }
    std::map<std::string, std::string> known;
    {
        std::ifstream in(NNC_KNOWN_FAILURES);
        std::string line;
        while (std::getline(in, line)) {
            if (line.empty() || line[0] == '#')
                continue;
            const auto sp = line.find(' ');
            known[line.substr(0, sp)] = sp == std::string::npos ? "" : line.substr(sp + 1);
        }
    }
    int passed = 0, failed = 0, skipped = 0, knownFailed = 0;
    std::map<std::string, int> skippedOps;
    std::vector<std::string> unexpected;
    for (const char *suite : {"node", "pytorch-converted", "pytorch-operator", "simple"}) {
        if (!fs::exists(root / suite))
            continue;
        std::vector<fs::path> cases;
        for (const auto &e : fs::directory_iterator(root / suite))
            if (e.is_directory() && fs::exists(e.path() / "model.onnx"))
                cases.push_back(e.path());
        std::sort(cases.begin(), cases.end());
        for (const auto &c : cases) {
            const std::string name = c.filename().string();
            if (!filter.empty() && name.find(filter) == std::string::npos)
                continue;
            std::string why;
            const auto t0 = std::chrono::steady_clock::now();
            const Outcome o = runCase(c, why);
            const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
            if (o == Outcome::Pass) {
                ++passed;
                if (verbose)
                    std::printf("PASS %s/%s (%.0f ms)\n", suite, name.c_str(), ms);
            } else if (o == Outcome::Skip) {
                ++skipped;
                ++skippedOps[why];
                if (verbose)
                    std::printf("SKIP %s/%s: %s\n", suite, name.c_str(), why.c_str());
            } else if (known.contains(name)) {
                ++knownFailed;
                if (verbose)
                    std::printf("KNOWN %s/%s: %s\n", suite, name.c_str(), why.c_str());
            } else {
                ++failed;
                unexpected.push_back(std::string(suite) + "/" + name + ": " + why);
                std::printf("FAIL %s/%s: %s\n", suite, name.c_str(), why.c_str());
            }
        }
    }
    if (verbose || filter.empty()) {
        std::printf("\nSkipped cases by first unsupported op:\n");
        for (const auto &[op, n] : skippedOps)
            std::printf("  %4d  %s\n", n, op.c_str());
    }
    std::printf("\nconformance: %d known failures (listed in known_failures.txt)\n", knownFailed);
    std::printf("%d passed, %d failed, %d skipped (unsupported op)\n", passed, failed, skipped);
    return failed == 0 ? 0 : 1;
}
