// Activation profiles: float-model activations streamed into histograms, then each calibrator.
#include "core/eval/activation_profile.h"

#include "core/eval/evaluator.h"

#include <algorithm>
#include <functional>
#include <unordered_map>
#include <unordered_set>

namespace nnc {

namespace {

using BatchFn = std::function<Result<Batch>(std::size_t index)>;

// Every name a run can produce or be fed: the graph's inputs and its nodes' outputs.
Result<void> checkTensors(const Model &model, std::span<const std::string> tensors)
{
    if (tensors.empty())
        return fail("no activation tensor was given to profile.", Error::Code::Usage);
    std::unordered_set<std::string> known;
    for (const ValueInfo &v : model.graph.inputs)
        known.insert(v.name);
    for (const Node &n : model.graph.nodes)
        for (const auto &o : n.outputs)
            known.insert(o);
    for (const auto &t : tensors)
        if (!known.contains(t))
            return fail("tensor '" + t + "' is not an input or a node output of the model.");
    return {};
}

Result<std::vector<ActivationProfile>> profile(Session &session, std::size_t batchCount,
                                               const BatchFn &batchAt,
                                               std::span<const std::string> tensors,
                                               const CompressionPlan &plan,
                                               const Progress &progress)
{
    if (auto ok = checkTensors(session.model(), tensors); !ok)
        return std::unexpected(ok.error());
    std::vector<std::string> wanted;
    for (const auto &t : tensors)
        if (std::find(wanted.begin(), wanted.end(), t) == wanted.end())
            wanted.push_back(t);

    std::vector<ActivationProfile> out(wanted.size());
    for (std::size_t i = 0; i < wanted.size(); ++i) {
        out[i].tensor = wanted[i];
        out[i].spec = plan.activationConfig(wanted[i]).spec;
    }
    const auto in = session.inputNames();
    for (std::size_t b = 0; b < batchCount; ++b) {
        if (progress.cancelled())
            return fail("activation statistics were cancelled.", Error::Code::Cancelled);
        auto batch = batchAt(b);
        if (!batch)
            return std::unexpected(batch.error());
        std::unordered_map<std::string, Tensor> feeds;
        for (std::size_t i = 0; i < in.size() && i < batch->inputs.size(); ++i)
            feeds[in[i]] = batch->inputs[i];
        auto r = session.runPartial(feeds, wanted);
        if (!r)
            return std::unexpected(r.error());
        for (ActivationProfile &p : out) {
            const Tensor &t = r->at(p.tensor);
            if (t.dtype() == DataType::Float) {
                p.histogram.add(std::span<const float>(t.data<float>(),
                                                       static_cast<std::size_t>(t.numel())));
            } else if (t.dtype() == DataType::String || t.dtype() == DataType::Undefined) {
                return fail("tensor '" + p.tensor + "' holds " + std::string(dtypeName(t.dtype()))
                            + " data, which has no histogram.");
            } else {
                const std::vector<float> v = t.toFloatVector();
                p.histogram.add(v);
            }
            p.samples += batch->count;
        }
        progress.report(static_cast<int64_t>(b + 1), static_cast<int64_t>(batchCount));
    }
    for (ActivationProfile &p : out)
        for (const CalibConfig &c : proposalMethods())
            p.proposals.push_back({c, calibrate(p.histogram, c, p.spec)});
    return out;
}

} // namespace

std::vector<CalibConfig> proposalMethods()
{
    CalibConfig minmax;
    minmax.method = CalibMethod::MinMax;
    CalibConfig percentile;
    percentile.method = CalibMethod::Percentile;
    percentile.percentile = 99.99;
    CalibConfig entropy;
    entropy.method = CalibMethod::Entropy;
    CalibConfig mse;
    mse.method = CalibMethod::Mse;
    return {minmax, percentile, entropy, mse};
}

Result<std::vector<ActivationProfile>> profileActivations(
    Session &session, Dataset &data, std::span<const std::string> tensors,
    const CompressionPlan &plan, int64_t batchSize, int64_t limit, const Progress &progress)
{
    const int64_t samples = limit < 0 ? data.size() : std::min(limit, data.size());
    if (samples <= 0)
        return fail("the validation set is empty.");
    const int64_t bs = std::max<int64_t>(1, batchSize);
    const auto count = static_cast<std::size_t>((samples + bs - 1) / bs);
    return profile(session, count, [&](std::size_t b) {
        const int64_t start = static_cast<int64_t>(b) * bs;
        return data.batch(start, std::min(bs, samples - start));
    }, tensors, plan, progress);
}

Result<std::vector<ActivationProfile>> profileActivations(
    Evaluator &evaluator, std::span<const std::string> tensors, const CompressionPlan &plan,
    const Progress &progress)
{
    return profile(evaluator.session(), evaluator.batchCount(),
                   [&](std::size_t b) { return evaluator.batch(b); }, tensors, plan, progress);
}

} // namespace nnc
