// `nncompress fuse A.onnx B.onnx`: network fusion. A thin layer over core/fusion.
#include "app/cli/cli.h"

#include "core/fusion/fusion.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <iostream>

namespace nnc::cli {

namespace {

using ojson = nlohmann::ordered_json;

constexpr const char *kHelp =
    R"(Usage: nncompress fuse A.onnx B.onnx [--backbone a|b|mean] [--out FUSED.onnx]
                       [--data-a DATA] [--data-b DATA] [--json]

Network fusion: finds the largest common backbone of two models (the structurally
identical prefix from the inputs: same ops, attributes, input and weight shapes,
inputs matched by name), shows how far apart its weights are (relative L2 and
cosine per weight), counts parameters, bytes and multiply-accumulates of A, B,
A+B and the fused model, and builds the fused model: one copy of the backbone
feeding both heads, every output under its original name. With --data-a/--data-b
each head of the fused model is evaluated on its own task's data next to the
separate model it replaces. See docs/fusion-distillation.md.

Options:
  --backbone a|b|mean    the fused backbone's weights: model A's, model B's or
                         their element-wise mean (default a)
  --out FUSED.onnx       write the fused model (atomically); without it nothing
                         is written
  --data-a DATA          validation data for model A's heads (description .json
                         or array file)
  --data-b DATA          the same for model B's heads
  --batch N              samples per run for the preview (default 64)
  --limit N              preview only the first N samples
  --threads N            engine threads (default: all cores)
  --cost-batch N         batch size the MACs are counted at (default 1)
  --seq-len N            length given to every other dynamic input dim (default 16)
  --json                 print one JSON object
  --help                 show this help

Exit codes: 0 ok, 2 usage error, 3 bad input (different inputs, no common
backbone, unreadable file), 4 unsupported op, 1 other failure.
)";

ojson num(double v)
{
    if (std::isnan(v))
        return "nan"; // a NaN weight: not +-inf, and not JSON null either
    return std::isfinite(v) ? ojson(v) : ojson(v > 0 ? "inf" : "-inf");
}

ojson costJson(const ModelCost &c)
{
    ojson by = ojson::object();
    for (const auto &[op, m] : c.macsByOp)
        by[op] = m;
    return {{"parameters", c.parameters}, {"bytes", c.bytes}, {"macs", c.macs}, {"macs_by_op", by}};
}

std::string group(int64_t v)
{
    std::string s = std::to_string(v < 0 ? -v : v), out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (i && (s.size() - i) % 3 == 0)
            out += ',';
        out += s[i];
    }
    return (v < 0 ? "-" : "") + out;
}

} // namespace

int cmdFuse(int argc, char **argv)
{
    auto args = parseArgs(argc, argv, 2, {"--help", "--json"},
                          {"--backbone", "--out", "--data-a", "--data-b", "--batch", "--limit",
                           "--threads", "--cost-batch", "--seq-len"});
    if (!args)
        return usageError(args.error().message, "fuse");
    if (args->has("--help")) {
        std::fputs(kHelp, stdout);
        return kOk;
    }
    if (args->positional.size() != 2)
        return usageError("expected two model arguments, A.onnx and B.onnx.", "fuse");
    FusionRequest req;
    req.modelA = args->positional[0];
    req.modelB = args->positional[1];
    if (auto b = args->value("--backbone")) {
        auto s = parseBackboneSource(*b);
        if (!s)
            return usageError(s.error().message, "fuse");
        req.backbone = *s;
    }
    if (auto o = args->value("--out"))
        req.out = *o;
    if (auto d = args->value("--data-a"))
        req.dataA = *d;
    if (auto d = args->value("--data-b"))
        req.dataB = *d;
    if (auto r = readBatchOptions(*args, req); !r)
        return usageError(r.error().message, "fuse");
    if (auto r = readCostShapeOptions(*args, req); !r)
        return usageError(r.error().message, "fuse");

    auto r = fuseModels(req);
    if (!r)
        return report(r.error());
    const int64_t pBoth = r->costA.parameters + r->costB.parameters;
    const int64_t bBoth = r->costA.bytes + r->costB.bytes;
    const int64_t mBoth = r->costA.macs + r->costB.macs;
    if (args->has("--json")) {
        ojson j;
        j["model_a"] = r->modelA;
        j["model_b"] = r->modelB;
        j["backbone"] = std::string(backboneSourceName(r->backbone));
        j["nodes"] = {{"a", r->nodesA},
                      {"b", r->nodesB},
                      {"fused", r->nodesFused},
                      {"backbone", r->backboneNodes},
                      {"backbone_compute", r->backboneComputeNodes}};
        j["head_inputs"] = {{"a", r->headInputsA}, {"b", r->headInputsB}};
        j["weights"] = ojson::array();
        for (const WeightDistance &w : r->weights)
            j["weights"].push_back({{"node", w.node},
                                    {"op", w.opType},
                                    {"weight_a", w.weightA},
                                    {"weight_b", w.weightB},
                                    {"shape", w.shape},
                                    {"relative_l2", num(w.relativeL2)},
                                    {"cosine", num(w.cosine)},
                                    {"identical", w.identical}});
        j["cost_shape"] = {{"batch", r->costOptions.batch}, {"sequence", r->costOptions.sequence}};
        j["cost"] = {{"a", costJson(r->costA)},
                     {"b", costJson(r->costB)},
                     {"a_plus_b", {{"parameters", pBoth}, {"bytes", bBoth}, {"macs", mBoth}}},
                     {"fused", costJson(r->costFused)}};
        j["saved"] = {{"parameters", pBoth - r->costFused.parameters},
                      {"bytes", bBoth - r->costFused.bytes},
                      {"macs", mBoth - r->costFused.macs}};
        j["outputs_b"] = r->outputsB;
        j["renamed_b"] = r->renamedB;
        j["renamed_a"] = r->renamedA;
        j["heads"] = ojson::array();
        for (const HeadPreview &h : r->heads)
            j["heads"].push_back({{"model", h.model},
                                  {"output", h.output},
                                  {"fused_output", h.fusedOutput},
                                  {"metric", h.metric},
                                  {"samples", h.samples},
                                  {"separate", h.separate},
                                  {"fused", h.fused},
                                  {"delta_pp", h.deltaPp},
                                  {"agreement", h.agreement}});
        j["written"] = r->written ? ojson(r->written->string()) : ojson(nullptr);
        std::cout << j.dump(2) << "\n";
        return kOk;
    }
    std::printf("Fusion of A = %s and B = %s (backbone weights: %s)\n", r->modelA.c_str(),
                r->modelB.c_str(), std::string(backboneSourceName(r->backbone)).c_str());
    std::printf("Common backbone: %lld nodes (%lld besides Constant) of A's %lld and B's %lld\n",
                static_cast<long long>(r->backboneNodes),
                static_cast<long long>(r->backboneComputeNodes), static_cast<long long>(r->nodesA),
                static_cast<long long>(r->nodesB));
    auto list = [](const std::vector<std::string> &v) {
        std::string s;
        for (const auto &x : v)
            s += (s.empty() ? "" : ", ") + x;
        return s.empty() ? std::string("(none)") : s;
    };
    std::printf("  A's heads read: %s\n  B's heads read: %s\n", list(r->headInputsA).c_str(),
                list(r->headInputsB).c_str());
    std::printf("\nBackbone weights, A against B:\n  %-28s %-24s %-16s %10s %8s\n", "node",
                "weight", "shape", "rel. L2", "cosine");
    for (const WeightDistance &w : r->weights)
        std::printf("  %-28s %-24s %-16s %10.4f %8.4f%s\n", w.node.c_str(), w.weightA.c_str(),
                    dimsToString(w.shape).c_str(), w.relativeL2, w.cosine,
                    w.identical ? "  identical" : "");
    std::printf("\nCost (MACs at batch %lld, sequence %lld):\n  %-12s %12s %12s %12s %12s %12s\n",
                static_cast<long long>(r->costOptions.batch),
                static_cast<long long>(r->costOptions.sequence), "", "A", "B", "A+B", "fused",
                "saved");
    auto row = [&](const char *what, int64_t a, int64_t b, int64_t f) {
        std::printf("  %-12s %12s %12s %12s %12s %12s (%.1f %%)\n", what, group(a).c_str(),
                    group(b).c_str(), group(a + b).c_str(), group(f).c_str(),
                    group(a + b - f).c_str(),
                    a + b ? 100.0 * double(a + b - f) / double(a + b) : 0.0);
    };
    row("parameters", r->costA.parameters, r->costB.parameters, r->costFused.parameters);
    row("bytes", r->costA.bytes, r->costB.bytes, r->costFused.bytes);
    row("MACs", r->costA.macs, r->costB.macs, r->costFused.macs);
    if (!r->heads.empty()) {
        std::printf("\nHeads, fused model against the separate model:\n  %-2s %-20s %-12s %10s "
                    "%10s %10s %10s\n",
                    "", "output", "metric", "separate", "fused", "delta pp", "agreement");
        for (const HeadPreview &h : r->heads)
            std::printf("  %-2s %-20s %-12s %9.2f%% %9.2f%% %+10.2f %9.2f%%\n", h.model.c_str(),
                        h.output.c_str(), h.metric.c_str(), h.separate * 100, h.fused * 100,
                        h.deltaPp, h.agreement * 100);
    }
    for (const auto &[from, to] : r->outputsB)
        if (from != to)
            std::printf(
                "B's output '%s' is '%s' in the fused model (A has an output of that name)\n",
                from.c_str(), to.c_str());
    if (r->written)
        std::printf("\nWrote %s (%lld nodes)\n", r->written->string().c_str(),
                    static_cast<long long>(r->nodesFused));
    else
        std::printf("\nNo --out given: the fused model was built and checked but not written.\n");
    return kOk;
}

} // namespace nnc::cli
