// Evaluator implementation: baseline run, plan application (weights + fake-quant observer),
// signature-checked activation cache for incremental re-evaluation, calibration, sensitivity.
#include "core/eval/evaluator.h"

#include "core/eval/metrics.h"
#include "core/eval/weight_compression.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

namespace nnc {

namespace {

std::string quantKey(const QuantConfig &q)
{
    if (!q.enabled)
        return "-";
    std::string k = std::to_string(q.spec.bits) + "/" + std::to_string(int(q.spec.range)) + "/"
                    + (q.spec.symmetric ? "s" : "a") + "/" + (q.granularity == Granularity::PerChannel ? "c" : "t")
                    + "/" + calibMethodName(q.calibration);
    if (q.range) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "/%a:%a", double(q.range->rmin), double(q.range->rmax));
        k += buf;
    }
    return k;
}

std::string pruneKey(const PruneConfig &p)
{
    if (!p.enabled())
        return "-";
    char buf[96];
    std::snprintf(buf, sizeof buf, "%a/%d/%d/%d/%d", p.spec.ratio, int(p.spec.structure), int(p.spec.l2),
                  p.spec.n, p.spec.m);
    return buf;
}

class FakeQuantObserver final : public TensorObserver
{
public:
    std::unordered_map<std::string, QuantParams> params;
    std::unordered_set<std::string> skip;   // fed from the cache: already quantized

    std::optional<Tensor> observe(const std::string &name, const Tensor &value) override
    {
        auto it = params.find(name);
        if (it == params.end() || skip.contains(name) || value.dtype() != DataType::Float)
            return std::nullopt;
        Tensor out(DataType::Float, value.dims());
        fakeQuantize(value.span<float>(), out.mutableSpan<float>(), it->second);
        return out;
    }
};

class HistogramObserver final : public TensorObserver
{
public:
    std::map<std::string, StreamingHistogram> hist;
    std::optional<Tensor> observe(const std::string &name, const Tensor &value) override
    {
        auto it = hist.find(name);
        if (it != hist.end() && value.dtype() == DataType::Float)
            it->second.add(value.span<float>());
        return std::nullopt;
    }
};

double sqnrDb(double signal, double noise)
{
    if (noise <= 0)
        return std::numeric_limits<double>::infinity();
    if (signal <= 0)
        return -std::numeric_limits<double>::infinity();
    return 10.0 * std::log10(signal / noise);
}

Tensor concatRows(const std::vector<Tensor> &parts)
{
    if (parts.empty())
        return {};
    Dims d = parts.front().dims();
    int64_t rows = 0;
    for (const Tensor &t : parts)
        rows += t.rank() ? t.dim(0) : 1;
    if (d.empty())
        d.push_back(rows);
    else
        d[0] = rows;
    Tensor out(parts.front().dtype(), d);
    std::byte *dst = out.mutableBytes().data();
    for (const Tensor &t : parts) {
        std::memcpy(dst, t.bytes().data(), t.byteSize());
        dst += t.byteSize();
    }
    return out;
}

} // namespace

class EvaluatorImpl
{
public:
    std::shared_ptr<const Model> model;
    std::unique_ptr<Dataset> data;
    EvalOptions options;
    std::optional<Session> session;
    std::vector<Layer> layers;
    std::vector<std::string> actTensors;
    std::vector<std::string> outputNames;
    std::vector<std::pair<int64_t, int64_t>> batches;
    int64_t samples = 0;

    // float baseline
    bool baselineDone = false;
    std::vector<std::vector<Tensor>> floatOutputs;   // [batch][output]
    std::vector<MetricAccumulator> baselineMetrics;  // per output
    std::vector<bool> headHasLabels;
    std::vector<int> headLabelIndex;
    std::vector<Batch> batchCache;                   // inputs + labels, when within budget
    bool cacheBatches = false;

    // activation checkpoints
    struct Entry
    {
        std::string sig;
        std::vector<Tensor> perBatch;
    };
    std::vector<std::string> checkpoints;            // cached tensor names
    std::map<std::string, std::vector<Entry>> cache; // at most: float entry + latest plan entry
    std::map<std::string, std::vector<std::size_t>> upLayers;
    std::map<std::string, std::vector<std::string>> upActs;

    // compressed weights per layer
    std::map<std::string, std::pair<std::string, Tensor>> weightCache;
    std::map<std::string, std::pair<std::string, LayerResult>> layerCache;

    Result<void> init();
    Result<Batch> getBatch(std::size_t b);
    std::string signature(const std::string &tensor, const CompressionPlan *plan) const;
    Result<void> prepareWeights(const CompressionPlan &plan, std::unordered_map<std::string, Tensor> &weights,
                                std::vector<LayerResult> &layerResults);
    Result<void> runBaseline(const Progress &progress);
    Result<EvalResult> evaluate(const CompressionPlan *plan, const Progress &progress,
                                const EstimateCallback &estimate);

    // Per-layer output error: float layer outputs of the first samples are kept once; each plan
    // evaluation reruns those samples in full under the plan and compares layer by layer.
    std::vector<std::vector<Tensor>> floatLayerOutputs;  // [batch][layer]
    std::size_t layerErrorBatches = 0;
    Result<void> layerOutputErrors(FakeQuantObserver &observer,
                                   const std::unordered_map<std::string, Tensor> &weights,
                                   std::vector<LayerResult> &layerResults, const Progress &progress);
};

Result<void> EvaluatorImpl::layerOutputErrors(FakeQuantObserver &observer,
                                              const std::unordered_map<std::string, Tensor> &weights,
                                              std::vector<LayerResult> &layerResults,
                                              const Progress &progress)
{
    if (options.layerErrorSamples <= 0 || layers.empty() || layerResults.size() != layers.size())
        return {};
    std::vector<std::string> outs;
    for (const Layer &l : layers)
        outs.push_back(model->graph.nodes[l.nodeIndex].outputs.at(0));
    const auto in = session->inputNames();
    if (floatLayerOutputs.empty()) {
        int64_t covered = 0;
        for (std::size_t b = 0; b < batches.size() && covered < options.layerErrorSamples; ++b) {
            auto batch = getBatch(b);
            if (!batch)
                return std::unexpected(batch.error());
            std::unordered_map<std::string, Tensor> feeds;
            for (std::size_t i = 0; i < in.size(); ++i)
                feeds[in[i]] = batch->inputs[i];
            auto r = session->runPartial(feeds, outs);
            if (!r)
                return std::unexpected(r.error());
            std::vector<Tensor> row;
            for (const auto &o : outs)
                row.push_back(r->at(o));
            floatLayerOutputs.push_back(std::move(row));
            covered += batch->count;
        }
        layerErrorBatches = floatLayerOutputs.size();
    }
    std::vector<double> sig(layers.size(), 0.0), noise(layers.size(), 0.0);
    for (std::size_t b = 0; b < layerErrorBatches; ++b) {
        if (progress.cancelled())
            return fail("evaluation was cancelled.", Error::Code::Cancelled);
        auto batch = getBatch(b);
        if (!batch)
            return std::unexpected(batch.error());
        std::unordered_map<std::string, Tensor> feeds;
        for (std::size_t i = 0; i < in.size(); ++i)
            feeds[in[i]] = batch->inputs[i];
        observer.skip.clear();
        RunOptions ro;
        ro.weights = &weights;
        ro.observer = &observer;
        auto r = session->runPartial(feeds, outs, ro);
        if (!r)
            return std::unexpected(r.error());
        for (std::size_t li = 0; li < layers.size(); ++li) {
            const Tensor &f = floatLayerOutputs[b][li];
            const Tensor &q = r->at(outs[li]);
            if (f.dtype() != DataType::Float || q.dtype() != DataType::Float || f.numel() != q.numel())
                continue;
            const float *pf = f.data<float>(), *pq = q.data<float>();
            for (int64_t i = 0; i < f.numel(); ++i) {
                sig[li] += double(pf[i]) * pf[i];
                noise[li] += (double(pq[i]) - pf[i]) * (double(pq[i]) - pf[i]);
            }
        }
    }
    for (std::size_t li = 0; li < layers.size(); ++li)
        layerResults[li].outputSqnrDb = sqnrDb(sig[li], noise[li]);
    return {};
}

Result<void> EvaluatorImpl::init()
{
    auto s = Session::create(model, SessionOptions{options.threads});
    if (!s)
        return std::unexpected(s.error());
    session.emplace(std::move(*s));
    layers = findLayers(*model);
    actTensors = activationTensors(layers);
    outputNames = session->outputNames();
    samples = data->size();
    if (options.limit >= 0)
        samples = std::min(samples, options.limit);
    if (samples <= 0)
        return fail("the validation set is empty.");
    int64_t bs = std::max<int64_t>(1, options.batchSize);
    for (const ValueInfo *v : model->graph.dataInputs())
        if (v->hasShape && !v->shape.empty() && v->shape[0].isFixed() && v->shape[0].value == 1)
            bs = 1; // fixed batch of 1: evaluate sample by sample
    for (int64_t s0 = 0; s0 < samples; s0 += bs)
        batches.emplace_back(s0, std::min(bs, samples - s0));

    // Heads: one per model output; labels from the dataset spec.
    const DatasetSpec &spec = data->spec();
    for (const auto &name : outputNames) {
        MetricAccumulator m;
        int label = -1;
        for (std::size_t i = 0; i < spec.labels.size(); ++i)
            if (spec.labels[i].output == name) {
                label = static_cast<int>(i);
                m.metric = spec.labels[i].metric;
                m.ignoreIndex = spec.labels[i].ignoreIndex;
                m.tagNames = spec.labels[i].tagNames;
            }
        if (label < 0)
            m.metric = "agreement";
        baselineMetrics.push_back(m);
        headHasLabels.push_back(label >= 0);
        headLabelIndex.push_back(label);
    }

    // Which tensors each checkpoint depends on, for cache signatures.
    std::unordered_map<std::string, std::size_t> producer;
    const auto &nodes = model->graph.nodes;
    for (std::size_t i = 0; i < nodes.size(); ++i)
        for (const auto &o : nodes[i].outputs)
            producer[o] = i;
    std::unordered_map<std::size_t, std::vector<std::size_t>> layersOfNode;
    for (std::size_t li = 0; li < layers.size(); ++li)
        layersOfNode[layers[li].nodeIndex].push_back(li);
    const std::set<std::string> actSet(actTensors.begin(), actTensors.end());
    for (const auto &t : actTensors) {
        std::set<std::size_t> ls;
        std::set<std::string> acts;
        std::vector<std::string> stack{t};
        std::unordered_set<std::string> seen;
        while (!stack.empty()) {
            const std::string cur = stack.back();
            stack.pop_back();
            if (!seen.insert(cur).second)
                continue;
            if (actSet.contains(cur))
                acts.insert(cur);
            auto it = producer.find(cur);
            if (it == producer.end())
                continue;
            if (auto lit = layersOfNode.find(it->second); lit != layersOfNode.end())
                ls.insert(lit->second.begin(), lit->second.end());
            for (const auto &in : nodes[it->second].inputs)
                if (!in.empty())
                    stack.push_back(in);
        }
        upLayers[t] = {ls.begin(), ls.end()};
        upActs[t] = {acts.begin(), acts.end()};
    }
    return {};
}

Result<Batch> EvaluatorImpl::getBatch(std::size_t b)
{
    if (cacheBatches && b < batchCache.size())
        return batchCache[b];
    auto batch = data->batch(batches[b].first, batches[b].second);
    if (!batch)
        return batch;
    if (cacheBatches) {
        if (batchCache.size() != b)
            batchCache.resize(b);
        batchCache.push_back(*batch);
    }
    return batch;
}

std::string EvaluatorImpl::signature(const std::string &tensor, const CompressionPlan *plan) const
{
    std::string sig;
    for (std::size_t li : upLayers.at(tensor)) {
        const Layer &l = layers[li];
        sig += plan ? quantKey(plan->weightConfig(l.name)) + "|" + pruneKey(plan->pruneConfig(l.name)) : "-|-";
        sig += ";";
    }
    for (const auto &a : upActs.at(tensor)) {
        sig += plan ? quantKey(plan->activationConfig(a)) : "-";
        sig += ";";
    }
    return sig;
}

Result<void> EvaluatorImpl::prepareWeights(const CompressionPlan &plan,
                                           std::unordered_map<std::string, Tensor> &weights,
                                           std::vector<LayerResult> &layerResults)
{
    for (const Layer &l : layers) {
        const QuantConfig q = plan.weightConfig(l.name);
        const PruneConfig p = plan.pruneConfig(l.name);
        LayerResult lr;
        lr.layer = l.name;
        if ((!q.enabled && !p.enabled()) || l.op == "MatMulInteger" || l.op == "ConvInteger") {
            // Weights already stored as integers feed integer ops: left as they are.
            layerResults.push_back(lr);
            continue;
        }
        const std::string key = quantKey(q) + "|" + pruneKey(p);
        auto it = weightCache.find(l.name);
        if (it == weightCache.end() || it->second.first != key) {
            auto cw = compressLayerWeight(*model, l, q, p);
            if (!cw)
                return std::unexpected(cw.error());
            const Tensor &c = cw->weight;
            const ErrorStats e = compareTensors(cw->original.span<float>(), c.span<float>());
            int64_t zeros = 0;
            for (float v : c.span<float>())
                zeros += v == 0.0f;
            lr.weightSqnrDb = e.sqnrDb;
            lr.sparsity = c.numel() ? double(zeros) / c.numel() : 0.0;
            lr.compressed = true;
            weightCache[l.name] = {key, c};
            layerCache[l.name] = {key, lr};
        }
        weights[l.weight] = weightCache[l.name].second;
        layerResults.push_back(layerCache[l.name].second);
    }
    return {};
}

Result<void> EvaluatorImpl::runBaseline(const Progress &progress)
{
    if (baselineDone)
        return {};
    // Decide what to cache from the first batch's sizes.
    auto first = data->batch(batches[0].first, batches[0].second);
    if (!first)
        return std::unexpected(first.error());
    std::size_t batchBytes = 0;
    for (const Tensor &t : first->inputs)
        batchBytes += t.byteSize();
    for (const Tensor &t : first->labels)
        batchBytes += t.byteSize();
    const double perSample = double(batchBytes) / std::max<int64_t>(1, first->count);
    std::size_t budget = options.cacheBudgetBytes;
    if (perSample * samples < budget / 4) {
        cacheBatches = true;
        budget -= static_cast<std::size_t>(perSample * samples);
    }
    {
        std::unordered_map<std::string, Tensor> feeds;
        const auto in = session->inputNames();
        for (std::size_t i = 0; i < in.size(); ++i)
            feeds[in[i]] = first->inputs[i];
        RunOptions ro;
        ro.keep = actTensors;
        auto r = session->runPartial(feeds, outputNames, ro);
        if (!r)
            return std::unexpected(r.error());
        // Two entries per checkpoint (float + latest plan): half the budget each. Prefer the
        // tensors nearest the outputs: they make late-layer edits cheapest.
        std::size_t used = 0;
        for (auto it = actTensors.rbegin(); it != actTensors.rend(); ++it) {
            auto f = r->find(*it);
            if (f == r->end())
                continue;
            const double bytes = double(f->second.byteSize()) / first->count * samples * 2;
            if (used + bytes > budget)
                continue;
            used += static_cast<std::size_t>(bytes);
            checkpoints.push_back(*it);
        }
    }
    for (const auto &c : checkpoints)
        cache[c] = {Entry{signature(c, nullptr), {}}};
    floatOutputs.clear();
    for (std::size_t b = 0; b < batches.size(); ++b) {
        if (progress.cancelled())
            return fail("evaluation was cancelled.", Error::Code::Cancelled);
        auto batch = getBatch(b);
        if (!batch)
            return std::unexpected(batch.error());
        std::unordered_map<std::string, Tensor> feeds;
        const auto in = session->inputNames();
        for (std::size_t i = 0; i < in.size(); ++i)
            feeds[in[i]] = batch->inputs[i];
        RunOptions ro;
        ro.keep = checkpoints;
        auto r = session->runPartial(feeds, outputNames, ro);
        if (!r)
            return std::unexpected(r.error());
        std::vector<Tensor> outs;
        for (const auto &o : outputNames)
            outs.push_back(r->at(o));
        for (std::size_t h = 0; h < outs.size(); ++h)
            if (headHasLabels[h])
                baselineMetrics[h].add(outs[h], batch->labels[static_cast<std::size_t>(headLabelIndex[h])]);
        floatOutputs.push_back(std::move(outs));
        for (const auto &c : checkpoints)
            cache[c][0].perBatch.push_back(r->at(c));
        progress.report(static_cast<int64_t>(b + 1), static_cast<int64_t>(batches.size()));
    }
    baselineDone = true;
    return {};
}

Result<EvalResult> EvaluatorImpl::evaluate(const CompressionPlan *plan, const Progress &progress,
                                           const EstimateCallback &estimate)
{
    const auto t0 = std::chrono::steady_clock::now();
    EvalResult res;
    res.samples = samples;
    res.withPlan = plan != nullptr;
    if (auto r = runBaseline(progress); !r)
        return std::unexpected(r.error());

    std::unordered_map<std::string, Tensor> weights;
    FakeQuantObserver observer;
    if (plan) {
        if (auto r = prepareWeights(*plan, weights, res.layers); !r)
            return std::unexpected(r.error());
        for (const auto &t : actTensors) {
            const QuantConfig q = plan->activationConfig(t);
            if (!q.enabled)
                continue;
            if (!q.range)
                return fail("activation tensor '" + t + "' has no range: calibrate the plan first.");
            observer.params[t] = chooseParams(q.spec, q.range->rmin, q.range->rmax);
        }
    }
    std::vector<double> sparsity;
    for (const LayerResult &lr : res.layers)
        sparsity.push_back(lr.sparsity);
    res.size = estimateSize(*model, layers, plan, sparsity);

    std::vector<MetricAccumulator> metrics = baselineMetrics;
    for (auto &m : metrics)
        m.correct = m.total = m.truePos = m.predicted = m.gold = 0;
    const std::size_t nh = outputNames.size();
    std::vector<int64_t> agree(nh, 0), positions(nh, 0);
    std::vector<double> sig(nh, 0), noise(nh, 0), dot(nh, 0), normA(nh, 0), normB(nh, 0);
    std::vector<std::vector<int64_t>> changed(nh);
    std::vector<std::vector<Tensor>> collected(nh);

    // Cache entries valid for this plan, and the entry this run refreshes.
    std::vector<std::pair<std::string, const Entry *>> valid;
    std::vector<std::string> refresh;
    for (const auto &c : checkpoints) {
        const std::string s = signature(c, plan);
        const Entry *hit = nullptr;
        for (const Entry &e : cache[c])
            if (e.sig == s && e.perBatch.size() == batches.size())
                hit = &e;
        if (hit)
            valid.emplace_back(c, hit);
        else
            refresh.push_back(c);
    }
    std::map<std::string, std::vector<Tensor>> fresh;
    const auto in = session->inputNames();
    for (std::size_t b = 0; b < batches.size(); ++b) {
        if (progress.cancelled())
            return fail("evaluation was cancelled.", Error::Code::Cancelled);
        auto batch = getBatch(b);
        if (!batch)
            return std::unexpected(batch.error());
        std::vector<Tensor> outs;
        if (!plan) {
            outs = floatOutputs[b];
        } else {
            std::unordered_map<std::string, Tensor> feeds;
            for (std::size_t i = 0; i < in.size(); ++i)
                feeds[in[i]] = batch->inputs[i];
            observer.skip.clear();
            for (const auto &[name, entry] : valid) {
                feeds[name] = entry->perBatch[b];
                observer.skip.insert(name);
            }
            RunOptions ro;
            ro.weights = &weights;
            ro.observer = &observer;
            ro.keep = refresh;
            std::vector<std::string> feedNames;
            for (const auto &[k, v] : feeds)
                feedNames.push_back(k);
            res.nodesRun += static_cast<int64_t>(session->plannedNodes(feedNames, outputNames).size());
            auto r = session->runPartial(feeds, outputNames, ro);
            if (!r)
                return std::unexpected(r.error());
            for (const auto &o : outputNames)
                outs.push_back(r->at(o));
            for (const auto &c : refresh)
                if (auto it = r->find(c); it != r->end())
                    fresh[c].push_back(it->second);
        }
        res.nodesFull += static_cast<int64_t>(
            session->plannedNodes(in, outputNames).size());
        for (std::size_t h = 0; h < nh; ++h) {
            const Tensor &got = outs[h];
            const Tensor &ref = floatOutputs[b][h];
            if (headHasLabels[h])
                metrics[h].add(got, batch->labels[static_cast<std::size_t>(headLabelIndex[h])]);
            const auto pa = argmaxLastAxis(got), pb = argmaxLastAxis(ref);
            const int64_t perSample = batch->count ? static_cast<int64_t>(pa.size()) / batch->count : 0;
            for (int64_t s = 0; s < batch->count; ++s) {
                bool diff = false;
                for (int64_t k = 0; k < perSample; ++k) {
                    const auto i = static_cast<std::size_t>(s * perSample + k);
                    diff = diff || pa[i] != pb[i];
                    agree[h] += pa[i] == pb[i];
                    ++positions[h];
                }
                if (diff)
                    changed[h].push_back(batch->start + s);
            }
            if (got.dtype() == DataType::Float && ref.dtype() == DataType::Float) {
                const float *a = got.data<float>(), *r = ref.data<float>();
                for (int64_t i = 0; i < got.numel(); ++i) {
                    sig[h] += double(r[i]) * r[i];
                    noise[h] += (double(a[i]) - r[i]) * (double(a[i]) - r[i]);
                    dot[h] += double(a[i]) * r[i];
                    normA[h] += double(a[i]) * a[i];
                    normB[h] += double(r[i]) * r[i];
                }
            }
            if (options.collectOutputs)
                collected[h].push_back(got);
        }
        if (estimate) {
            std::size_t h = 0;
            while (h < nh && !headHasLabels[h])
                ++h;
            Estimate e;
            e.done = batch->start + batch->count;
            e.total = samples;
            if (h < nh) {
                e.output = outputNames[h];
                e.value = metrics[h].value();
                std::tie(e.low, e.high) = metrics[h].interval95();
            } else if (nh) {
                e.output = outputNames[0];
                e.value = positions[0] ? double(agree[0]) / positions[0] : 1.0;
            }
            estimate(e);
        }
        progress.report(static_cast<int64_t>(b + 1), static_cast<int64_t>(batches.size()));
    }
    // Keep what this run computed as the "latest" cache entry of each refreshed checkpoint.
    for (auto &[name, perBatch] : fresh) {
        if (perBatch.size() != batches.size())
            continue;
        auto &entries = cache[name];
        entries.resize(1); // keep the float entry
        entries.push_back(Entry{signature(name, plan), std::move(perBatch)});
    }
    for (std::size_t h = 0; h < nh; ++h) {
        HeadResult hr;
        hr.output = outputNames[h];
        hr.metric = metrics[h].metric;
        hr.hasLabels = headHasLabels[h];
        hr.agreement = positions[h] ? double(agree[h]) / positions[h] : 1.0;
        hr.baseline = headHasLabels[h] ? baselineMetrics[h].value() : 1.0;
        hr.compressed = headHasLabels[h] ? metrics[h].value() : hr.agreement;
        hr.deltaPp = (hr.compressed - hr.baseline) * 100.0;
        hr.sqnrDb = sqnrDb(sig[h], noise[h]);
        hr.cosine = normA[h] > 0 && normB[h] > 0 ? dot[h] / std::sqrt(normA[h] * normB[h]) : 1.0;
        hr.changedSamples = std::move(changed[h]);
        res.heads.push_back(std::move(hr));
        if (options.collectOutputs)
            res.outputs.push_back(concatRows(collected[h]));
    }
    if (!plan)
        res.nodesRun = res.nodesFull;
    else if (auto r = layerOutputErrors(observer, weights, res.layers, progress); !r)
        return std::unexpected(r.error());
    res.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return res;
}

Result<std::unique_ptr<Evaluator>> Evaluator::create(std::shared_ptr<const Model> model,
                                                     std::unique_ptr<Dataset> data,
                                                     EvalOptions options)
{
    if (!model || !data)
        return fail("an evaluator needs a model and a dataset.", Error::Code::Internal);
    auto impl = std::make_unique<EvaluatorImpl>();
    impl->model = std::move(model);
    impl->data = std::move(data);
    impl->options = options;
    if (auto r = impl->init(); !r)
        return std::unexpected(r.error());
    return std::unique_ptr<Evaluator>(new Evaluator(std::move(impl)));
}

Evaluator::Evaluator(std::unique_ptr<EvaluatorImpl> impl) : m_impl(std::move(impl)) {}
Evaluator::~Evaluator() = default;

const Model &Evaluator::model() const
{
    return *m_impl->model;
}

const std::vector<Layer> &Evaluator::layers() const
{
    return m_impl->layers;
}

int64_t Evaluator::sampleCount() const
{
    return m_impl->samples;
}

Session &Evaluator::session()
{
    return *m_impl->session;
}

std::size_t Evaluator::batchCount() const
{
    return m_impl->batches.size();
}

Result<Batch> Evaluator::batch(std::size_t index)
{
    if (index >= m_impl->batches.size())
        return fail("batch " + std::to_string(index) + " is outside the " +
                        std::to_string(m_impl->batches.size()) + " batches of the validation set.",
                    Error::Code::Internal);
    return m_impl->getBatch(index);
}

Result<EvalResult> Evaluator::evaluate(const CompressionPlan *plan, const Progress &progress,
                                       const EstimateCallback &estimate)
{
    if (!plan)
        return m_impl->evaluate(nullptr, progress, estimate);
    CompressionPlan p = *plan;
    auto calibrated = calibrate(p, true, progress);
    if (!calibrated)
        return std::unexpected(calibrated.error());
    auto r = m_impl->evaluate(&p, progress, estimate);
    if (r)
        r->calibrated = *calibrated;
    return r;
}

Result<std::vector<std::string>> Evaluator::calibrate(CompressionPlan &plan, bool onlyMissing,
                                                      const Progress &progress)
{
    EvaluatorImpl &d = *m_impl;
    HistogramObserver obs;
    for (const auto &t : d.actTensors) {
        const QuantConfig q = plan.activationConfig(t);
        if (!q.enabled || (onlyMissing && q.range))
            continue;
        if (q.calibration.method == CalibMethod::Manual)
            return fail("activation tensor '" + t + "' uses manual calibration but has no rmin/rmax.");
        obs.hist.emplace(t, StreamingHistogram());
    }
    std::vector<std::string> done;
    if (obs.hist.empty())
        return done;
    std::vector<std::string> watched;
    for (const auto &[name, h] : obs.hist)
        watched.push_back(name);
    const auto in = d.session->inputNames();
    for (std::size_t b = 0; b < d.batches.size(); ++b) {
        if (progress.cancelled())
            return fail("calibration was cancelled.", Error::Code::Cancelled);
        auto batch = d.getBatch(b);
        if (!batch)
            return std::unexpected(batch.error());
        std::unordered_map<std::string, Tensor> feeds;
        for (std::size_t i = 0; i < in.size(); ++i)
            feeds[in[i]] = batch->inputs[i];
        RunOptions ro;
        ro.observer = &obs;
        auto r = d.session->runPartial(feeds, watched, ro);
        if (!r)
            return std::unexpected(r.error());
        progress.report(static_cast<int64_t>(b + 1), static_cast<int64_t>(d.batches.size()));
    }
    for (const auto &[name, h] : obs.hist) {
        const QuantConfig q = plan.activationConfig(name);
        const Range r = nnc::calibrate(h, q.calibration, q.spec);
        QuantOverride &o = plan.activations[name];
        o.rmin = r.rmin;
        o.rmax = r.rmax;
        done.push_back(name);
    }
    return done;
}

Result<SensitivityResult> Evaluator::sensitivity(const SensitivitySpec &spec, const Progress &progress)
{
    SensitivityResult out;
    out.heads = m_impl->outputNames;
    std::vector<std::optional<int>> bitsList;
    for (int b : spec.bits)
        bitsList.emplace_back(b);
    if (bitsList.empty())
        bitsList.emplace_back(std::nullopt);
    std::vector<std::optional<double>> pruneList;
    for (double p : spec.pruneRatios)
        pruneList.emplace_back(p);
    if (pruneList.empty())
        pruneList.emplace_back(std::nullopt);
    const auto &layers = m_impl->layers;
    const int64_t total = static_cast<int64_t>(layers.size() * bitsList.size() * pruneList.size());
    int64_t done = 0;
    for (const Layer &l : layers) {
        for (const auto &bits : bitsList) {
            for (const auto &ratio : pruneList) {
                if (progress.cancelled())
                    return fail("sensitivity analysis was cancelled.", Error::Code::Cancelled);
                CompressionPlan plan = CompressionPlan::defaults();
                plan.weightDefaults.enabled = false;
                plan.activationDefaults.enabled = false;
                LayerOverride &lo = plan.layers[l.name];
                if (bits) {
                    lo.weights.enabled = true;
                    lo.weights.bits = *bits;
                }
                if (ratio)
                    lo.pruning.ratio = *ratio;
                if (spec.activationBits)
                    for (const auto &t : l.activationInputs) {
                        plan.activations[t].enabled = true;
                        plan.activations[t].bits = *spec.activationBits;
                    }
                // The caller's token reaches each evaluation, so Cancel stops the one running
                // instead of waiting for it; its own batch progress is not reported.
                auto r = evaluate(&plan, Progress{progress.stopToken()});
                if (!r) {
                    if (r.error().code == Error::Code::Cancelled)
                        return fail("sensitivity analysis was cancelled.", Error::Code::Cancelled);
                    return std::unexpected(r.error());
                }
                SensitivityRow row;
                row.layer = l.name;
                row.bits = bits;
                row.pruneRatio = ratio;
                for (const HeadResult &h : r->heads) {
                    row.deltaPp.push_back(h.deltaPp);
                    row.outputSqnrDb.push_back(h.sqnrDb);
                }
                out.rows.push_back(std::move(row));
                progress.report(++done, total);
            }
        }
    }
    std::stable_sort(out.rows.begin(), out.rows.end(), [](const SensitivityRow &a, const SensitivityRow &b) {
        const double da = a.deltaPp.empty() ? 0 : a.deltaPp[0];
        const double db = b.deltaPp.empty() ? 0 : b.deltaPp[0];
        if (da != db)
            return da < db;
        const double sa = a.outputSqnrDb.empty() ? 0 : a.outputSqnrDb[0];
        const double sb = b.outputSqnrDb.empty() ? 0 : b.outputSqnrDb[0];
        return sa < sb;
    });
    return out;
}

} // namespace nnc
