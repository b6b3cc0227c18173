// Worker-side functions of the Studio: everything here runs off the GUI thread.
#include "app/studio/model_snapshot.h"

#include "core/model/onnx_reader.h"

#include <algorithm>
#include <cmath>


namespace nnc::studio {

ModelOverview overview(const Model &model)
{
    ModelOverview o;
    o.irVersion = model.irVersion;
    for (const auto &[domain, version] : model.opsets) {
        if (!o.opsets.empty())
            o.opsets += ", ";
        o.opsets += domain.empty() ? std::string("ai.onnx") : domain;
        o.opsets += ' ' + std::to_string(version);
    }
    o.producer = model.producerName;
    if (!model.producerVersion.empty())
        o.producer += (o.producer.empty() ? "" : " ") + model.producerVersion;
    o.counts = summarizeModel(model);
    o.floatBytes = o.counts.parameterCount * 4;
    return o;
}

Result<ModelSnapshot> loadModelSnapshot(const std::filesystem::path &path, const Progress &progress)
{
    auto model = readModel(path, progress);
    if (!model)
        return std::unexpected(model.error());
    ModelSnapshot snapshot;
    auto shared = std::make_shared<const Model>(std::move(*model));
    snapshot.layers = findLayers(*shared);
    snapshot.overview = overview(*shared);
    snapshot.model = std::move(shared);
    return snapshot;
}

int autoBinCount(int64_t count)
{
    const double rice = 2.0 * std::cbrt(static_cast<double>(std::max<int64_t>(count, 0)));
    return static_cast<int>(std::clamp(std::ceil(rice), 16.0, 256.0));
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
    detail.histogram =
        computeHistogram(weight->span<float>(), bins > 0 ? bins : autoBinCount(weight->numel()));
    return detail;
}

} // namespace nnc::studio
