// Worker-side functions of the Studio: everything here runs off the GUI thread.
#include "app/studio/model_snapshot.h"

#include "core/model/onnx_reader.h"

#include <string_view>

namespace nnc::studio {

namespace {

int64_t tensorElements(const Tensor &t)
{
    return t.empty() ? 0 : t.numel();
}

void countGraph(const Graph &graph, ModelSummary &summary)
{
    for (const auto &[name, tensor] : graph.initializers)
        summary.parameters += tensorElements(tensor);
    for (const Node &node : graph.nodes) {
        ++summary.nodes;
        const bool isConstant = node.opType == "Constant" && node.domain.empty();
        for (const Attribute &a : node.attributes) {
            if (isConstant && a.kind == Attribute::Kind::Tensor)
                summary.parameters += tensorElements(a.t);
            if (a.g)
                countGraph(*a.g, summary);
            for (const auto &sub : a.graphs)
                if (sub)
                    countGraph(*sub, summary);
        }
    }
}

} // namespace

ModelSummary summarize(const Model &model)
{
    ModelSummary summary;
    summary.irVersion = model.irVersion;
    for (const auto &[domain, version] : model.opsets) {
        if (!summary.opsets.empty())
            summary.opsets += ", ";
        summary.opsets += domain.empty() ? std::string("ai.onnx") : domain;
        summary.opsets += ' ' + std::to_string(version);
    }
    summary.producer = model.producerName;
    if (!model.producerVersion.empty())
        summary.producer += (summary.producer.empty() ? "" : " ") + model.producerVersion;
    countGraph(model.graph, summary);
    summary.floatBytes = summary.parameters * 4;
    return summary;
}

Result<ModelSnapshot> loadModelSnapshot(const std::filesystem::path &path, const Progress &progress)
{
    auto model = readModel(path, progress);
    if (!model)
        return std::unexpected(model.error());
    ModelSnapshot snapshot;
    auto shared = std::make_shared<const Model>(std::move(*model));
    snapshot.layers = findLayers(*shared);
    snapshot.summary = summarize(*shared);
    snapshot.model = std::move(shared);
    return snapshot;
}

Result<LayerDetail> computeLayerDetail(const Model &model, const Layer &layer, int bins)
{
    auto weight = layerWeight(model, layer);
    if (!weight)
        return std::unexpected(weight.error());
    if (weight->dtype() != DataType::Float)
        return fail("The weight of layer " + layer.name + " is not a float tensor.",
                    Error::Code::Internal);
    LayerDetail detail;
    detail.layer = layer;
    detail.stats = computeWeightStats(*weight, layer.channelAxis);
    detail.histogram = computeHistogram(weight->span<float>(), bins);
    return detail;
}

} // namespace nnc::studio
