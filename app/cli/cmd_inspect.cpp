// `nncompress inspect MODEL [--json]`: model facts and per-layer weight statistics.
#include "app/cli/cli.h"

#include "core/model/onnx_reader.h"
#include "core/stats/layers.h"
#include "core/stats/summary.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <iostream>

namespace nnc::cli {

namespace {

constexpr const char *kHelp = R"(Usage: nncompress inspect MODEL [--json]

Reads an ONNX model and prints its inputs, outputs, opsets, op counts, parameter
totals and a table of compressible layers (Conv, ConvTranspose, Gemm, MatMul,
LSTM/GRU/RNN, Gather embeddings, and weights stored quantized) with weight
statistics.

Options:
  --json    print one JSON object (stable keys) instead of text
  --help    show this help

Exit codes: 0 ok, 2 usage error, 3 the model could not be read.
)";

nlohmann::json shapeJson(const ValueInfo &v)
{
    if (!v.hasShape)
        return nullptr;
    nlohmann::json arr = nlohmann::json::array();
    for (const Dim &d : v.shape) {
        if (d.hasValue)
            arr.push_back(d.value);
        else if (!d.param.empty())
            arr.push_back(d.param);
        else
            arr.push_back(nullptr);
    }
    return arr;
}

std::string shapeText(const ValueInfo &v)
{
    if (!v.hasShape)
        return "?";
    std::string s = "[";
    for (std::size_t i = 0; i < v.shape.size(); ++i) {
        s += i ? ", " : "";
        const Dim &d = v.shape[i];
        s += d.hasValue ? std::to_string(d.value) : (d.param.empty() ? "?" : d.param);
    }
    return s + "]";
}

nlohmann::json number(double v)
{
    return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
}

} // namespace

int cmdInspect(int argc, char **argv)
{
    auto args = parseArgs(argc, argv, 2, {"--json", "--help"}, {});
    if (!args)
        return usageError(args.error().message, "inspect");
    if (args->has("--help")) {
        std::fputs(kHelp, stdout);
        return kOk;
    }
    if (args->positional.size() != 1)
        return usageError("expected exactly one MODEL argument.", "inspect");

    auto model = readModel(args->positional[0]);
    if (!model)
        return report(model.error());
    const ModelSummary sum = summarizeModel(*model);
    const auto layers = findLayers(*model);

    struct Row
    {
        const Layer *layer;
        WeightStats stats;
    };
    std::vector<Row> rows;
    for (const Layer &l : layers) {
        auto w = layerWeight(*model, l);
        rows.push_back({&l, w ? computeWeightStats(*w, l.channelAxis) : WeightStats{}});
    }

    if (args->has("--json")) {
        nlohmann::ordered_json j;
        j["file"] = model->path.string();
        j["ir_version"] = model->irVersion;
        j["producer"] = model->producerName;
        nlohmann::ordered_json opsets = nlohmann::ordered_json::object();
        for (const auto &[domain, v] : model->opsets)
            opsets[domain.empty() ? "ai.onnx" : domain] = v;
        j["opsets"] = opsets;
        auto io = [](const ValueInfo &v) {
            nlohmann::ordered_json e;
            e["name"] = v.name;
            e["dtype"] = std::string(dtypeName(v.dtype));
            e["shape"] = shapeJson(v);
            return e;
        };
        j["inputs"] = nlohmann::ordered_json::array();
        for (const ValueInfo *v : model->graph.dataInputs())
            j["inputs"].push_back(io(*v));
        j["outputs"] = nlohmann::ordered_json::array();
        for (const ValueInfo &v : model->graph.outputs)
            j["outputs"].push_back(io(v));
        j["op_counts"] = sum.opCounts;
        j["node_count"] = sum.nodeCount;
        j["parameter_count"] = sum.parameterCount;
        j["initializer_elements"] = sum.initializerElements;
        j["constant_node_elements"] = sum.constantElements;
        j["parameter_bytes"] = sum.parameterBytes;
        j["layers"] = nlohmann::ordered_json::array();
        for (const Row &r : rows) {
            nlohmann::ordered_json l;
            l["name"] = r.layer->name;
            l["op"] = r.layer->op;
            l["weight"] = r.layer->weight;
            l["shape"] = r.layer->shape;
            l["params"] = r.layer->params;
            l["dtype"] = std::string(dtypeName(r.layer->storedType));
            l["stored_quantized"] = r.layer->storedQuantized;
            l["min"] = number(r.stats.min);
            l["max"] = number(r.stats.max);
            l["mean"] = number(r.stats.mean);
            l["std"] = number(r.stats.std);
            l["abs_max"] = number(r.stats.absMax);
            l["sparsity"] = number(r.stats.sparsity);
            l["nan_count"] = r.stats.nans;
            l["inf_count"] = r.stats.infs;
            l["channel_axis"] = r.layer->channelAxis;
            l["channel_min"] = r.stats.channelMin;
            l["channel_max"] = r.stats.channelMax;
            j["layers"].push_back(std::move(l));
        }
        std::cout << j.dump(1) << '\n';
        return kOk;
    }

    std::printf("Model      %s\n", model->path.c_str());
    std::printf("IR         %lld, producer %s %s\n", static_cast<long long>(model->irVersion),
                model->producerName.c_str(), model->producerVersion.c_str());
    std::string ops;
    for (const auto &[domain, v] : model->opsets)
        ops += (ops.empty() ? "" : ", ") + (domain.empty() ? std::string("ai.onnx") : domain) + " "
               + std::to_string(v);
    std::printf("Opsets     %s\n", ops.c_str());
    for (const ValueInfo *v : model->graph.dataInputs())
        std::printf("Input      %s %s %s\n", v->name.c_str(), std::string(dtypeName(v->dtype)).c_str(),
                    shapeText(*v).c_str());
    for (const ValueInfo &v : model->graph.outputs)
        std::printf("Output     %s %s %s\n", v.name.c_str(), std::string(dtypeName(v.dtype)).c_str(),
                    shapeText(v).c_str());
    std::printf("Nodes      %lld\n", static_cast<long long>(sum.nodeCount));
    std::printf("Parameters %lld (%.2f MB as stored)\n\n", static_cast<long long>(sum.parameterCount),
                sum.parameterBytes / 1e6);
    std::printf("%-40s %-14s %-20s %10s %10s %10s %10s %8s\n", "Layer", "Op", "Weight shape",
                "Params", "Min", "Max", "Std", "Sparsity");
    int64_t layerParams = 0;
    for (const Row &r : rows) {
        std::string name = r.layer->name;
        if (name.size() > 40)
            name = "..." + name.substr(name.size() - 37);
        std::printf("%-40s %-14s %-20s %10lld %10.4g %10.4g %10.4g %7.2f%%\n", name.c_str(),
                    r.layer->op.c_str(), dimsToString(r.layer->shape).c_str(),
                    static_cast<long long>(r.layer->params), r.stats.min, r.stats.max, r.stats.std,
                    100.0 * r.stats.sparsity);
        layerParams += r.layer->params;
    }
    std::printf("\n%zu compressible layers, %lld weights (%.1f%% of all parameters)\n", rows.size(),
                static_cast<long long>(layerParams),
                sum.parameterCount ? 100.0 * layerParams / sum.parameterCount : 0.0);
    return kOk;
}

} // namespace nnc::cli
