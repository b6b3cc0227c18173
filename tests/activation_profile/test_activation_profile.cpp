// Activation profiles on the demo CNN: the histogram holds every element of the tensor, the
// proposals are exactly what the calibrators give on the same data, the evaluator's batches give
// the same profile as a separately opened dataset, the plan's spec is used, cancellation and bad
// input give errors.
#include "core/data/dataset.h"
#include "core/eval/activation_profile.h"
#include "core/eval/evaluator.h"
#include "core/model/onnx_reader.h"
#include "core/stats/layers.h"
#include "tests/common/model_fixture.h"

#include <QtTest>

#include <algorithm>
#include <numeric>
#include <stop_token>

using namespace nnc;

namespace {

const char *kModel = NNC_SOURCE_DIR "/resources/demo/fashion_cnn.onnx";
const char *kData = NNC_SOURCE_DIR "/resources/demo/fashion_val.json";
constexpr int64_t kSamples = 300;

std::vector<std::string> layerInputs(const Model &model)
{
    return activationTensors(findLayers(model));
}

} // namespace

class TestActivationProfile : public QObject
{
    Q_OBJECT

private slots:
    void countsSumToElementCount();
    void proposalsEqualCalibratorsOnSameData();
    void evaluatorBatchesGiveTheSameProfile();
    void proposalsUseThePlansSpec();
    void cancels();
    void badInputIsAnError();
};

void TestActivationProfile::countsSumToElementCount()
{
    auto model = test::readModelShared(kModel);
    auto session = Session::create(model);
    QVERIFY(session);
    auto data = openDataset(kData, *model);
    QVERIFY2(data, data ? "" : data.error().message.c_str());
    const auto tensors = layerInputs(*model);
    QVERIFY(tensors.size() >= 4);
    std::vector<std::pair<int64_t, int64_t>> reports;
    Progress progress(std::stop_token{}, [&](int64_t d, int64_t t) { reports.emplace_back(d, t); });
    auto r = profileActivations(*session, **data, tensors, CompressionPlan::defaults(), 64,
                                kSamples, progress);
    QVERIFY2(r, r ? "" : r.error().message.c_str());
    QCOMPARE(r->size(), tensors.size());
    // 300 samples in batches of 64: 5 batches, reported in order.
    QCOMPARE(reports.size(), std::size_t(5));
    QCOMPARE(reports.back(), std::make_pair(int64_t(5), int64_t(5)));

    // Element count of each tensor from one direct run of the same samples.
    auto direct = (*data)->batch(0, kSamples);
    QVERIFY(direct);
    std::unordered_map<std::string, Tensor> feeds{{session->inputNames()[0], direct->inputs[0]}};
    auto values = session->runPartial(feeds, tensors);
    QVERIFY(values);
    for (const ActivationProfile &p : *r) {
        const auto &counts = p.histogram.counts();
        const double sum = std::accumulate(counts.begin(), counts.end(), 0.0);
        const int64_t numel = values->at(p.tensor).numel();
        QVERIFY(numel > 0);
        QCOMPARE(sum, double(numel));
        QCOMPARE(p.histogram.count(), numel);
        QCOMPARE(p.histogram.nonFinite(), int64_t(0));
        QCOMPARE(p.samples, kSamples);
    }
}

void TestActivationProfile::proposalsEqualCalibratorsOnSameData()
{
    auto model = test::readModelShared(kModel);
    auto session = Session::create(model);
    QVERIFY(session);
    auto data = openDataset(kData, *model);
    QVERIFY(data);
    const auto tensors = layerInputs(*model);
    const CompressionPlan plan = CompressionPlan::defaults();
    auto r = profileActivations(*session, **data, tensors, plan, 37, kSamples);
    QVERIFY2(r, r ? "" : r.error().message.c_str());

    // The same samples in one run, all values added to one histogram at once.
    auto direct = (*data)->batch(0, kSamples);
    QVERIFY(direct);
    std::unordered_map<std::string, Tensor> feeds{{session->inputNames()[0], direct->inputs[0]}};
    auto values = session->runPartial(feeds, tensors);
    QVERIFY(values);
    const auto methods = proposalMethods();
    QCOMPARE(methods.size(), std::size_t(4));
    QCOMPARE(methods[0].method, CalibMethod::MinMax);
    QCOMPARE(methods[1].method, CalibMethod::Percentile);
    QCOMPARE(methods[1].percentile, 99.99);
    QCOMPARE(methods[2].method, CalibMethod::Entropy);
    QCOMPARE(methods[3].method, CalibMethod::Mse);
    int differing = 0;
    for (const ActivationProfile &p : *r) {
        const Tensor &t = values->at(p.tensor);
        const std::span<const float> v(t.data<float>(), static_cast<std::size_t>(t.numel()));
        StreamingHistogram h;
        h.add(v);
        QCOMPARE(p.histogram.counts(), h.counts());
        QCOMPARE(p.histogram.min(), *std::min_element(v.begin(), v.end()));
        QCOMPARE(p.histogram.max(), *std::max_element(v.begin(), v.end()));
        const QuantSpec spec = plan.activationConfig(p.tensor).spec;
        QCOMPARE(p.proposals.size(), methods.size());
        for (std::size_t i = 0; i < methods.size(); ++i) {
            const Range want = calibrate(h, methods[i], spec);
            QCOMPARE(p.proposals[i].config.method, methods[i].method);
            QCOMPARE(p.proposals[i].range.rmin, want.rmin);
            QCOMPARE(p.proposals[i].range.rmax, want.rmax);
        }
        QCOMPARE(p.proposals[0].range.rmin, p.histogram.min());
        QCOMPARE(p.proposals[0].range.rmax, p.histogram.max());
        if (p.proposals[2].range.rmax != p.proposals[0].range.rmax)
            ++differing;
    }
    // Real activations have tails: entropy clips at least one of them below its maximum.
    QVERIFY(differing > 0);
}

void TestActivationProfile::evaluatorBatchesGiveTheSameProfile()
{
    auto model = test::readModelShared(kModel);
    auto data = openDataset(kData, *model);
    QVERIFY(data);
    EvalOptions o;
    o.batchSize = 50;
    o.limit = kSamples;
    auto ev = Evaluator::create(model, std::move(*data), o);
    QVERIFY2(ev, ev ? "" : ev.error().message.c_str());
    QCOMPARE((*ev)->batchCount(), std::size_t(6));
    const auto tensors = layerInputs(*model);
    auto fromEval = profileActivations(**ev, tensors, CompressionPlan::defaults());
    QVERIFY2(fromEval, fromEval ? "" : fromEval.error().message.c_str());

    auto session = Session::create(model);
    auto data2 = openDataset(kData, *model);
    QVERIFY(session && data2);
    auto fromData = profileActivations(*session, **data2, tensors, CompressionPlan::defaults(),
                                       64, kSamples);
    QVERIFY(fromData);
    QCOMPARE(fromEval->size(), fromData->size());
    for (std::size_t i = 0; i < fromEval->size(); ++i) {
        QCOMPARE((*fromEval)[i].histogram.counts(), (*fromData)[i].histogram.counts());
        QCOMPARE((*fromEval)[i].samples, kSamples);
        for (std::size_t k = 0; k < (*fromEval)[i].proposals.size(); ++k) {
            QCOMPARE((*fromEval)[i].proposals[k].range.rmin, (*fromData)[i].proposals[k].range.rmin);
            QCOMPARE((*fromEval)[i].proposals[k].range.rmax, (*fromData)[i].proposals[k].range.rmax);
        }
    }
    // The evaluator still evaluates after it was borrowed.
    auto r = (*ev)->evaluate(nullptr);
    QVERIFY(r);
    QCOMPARE(r->samples, kSamples);
    // A batch index past the end is an error, not a crash.
    auto past = (*ev)->batch(6);
    QVERIFY(!past);
}

void TestActivationProfile::proposalsUseThePlansSpec()
{
    auto model = test::readModelShared(kModel);
    auto session = Session::create(model);
    auto data = openDataset(kData, *model);
    QVERIFY(session && data);
    const auto tensors = layerInputs(*model);
    const std::string t = tensors[1];
    CompressionPlan plan = CompressionPlan::defaults();
    plan.activations[t].bits = 3;
    plan.activations[t].symmetric = true;
    plan.activations[t].range = IntRange::Signed;
    auto r = profileActivations(*session, **data, std::vector<std::string>{t}, plan, 64, kSamples);
    QVERIFY2(r, r ? "" : r.error().message.c_str());
    QCOMPARE(r->size(), std::size_t(1));
    const ActivationProfile &p = r->front();
    QCOMPARE(p.spec.bits, 3);
    QCOMPARE(p.spec.symmetric, true);
    QCOMPARE(p.spec.range, IntRange::Signed);
    for (const CalibProposal &c : p.proposals) {
        const Range want = calibrate(p.histogram, c.config, p.spec);
        QCOMPARE(c.range.rmin, want.rmin);
        QCOMPARE(c.range.rmax, want.rmax);
    }
    // The default 8-bit unsigned spec proposes something else for the MSE search.
    auto r8 = profileActivations(*session, **data, std::vector<std::string>{t},
                                 CompressionPlan::defaults(), 64, kSamples);
    QVERIFY(r8);
    QCOMPARE(r8->front().spec.bits, 8);
    QVERIFY(r8->front().proposals[3].range.rmax != p.proposals[3].range.rmax
            || r8->front().proposals[3].range.rmin != p.proposals[3].range.rmin);
}

void TestActivationProfile::cancels()
{
    auto model = test::readModelShared(kModel);
    auto session = Session::create(model);
    auto data = openDataset(kData, *model);
    QVERIFY(session && data);
    const auto tensors = layerInputs(*model);
    std::stop_source stop;
    int reports = 0;
    Progress progress(stop.get_token(), [&](int64_t, int64_t) {
        ++reports;
        stop.request_stop();   // cancel after the first batch
    });
    auto r = profileActivations(*session, **data, tensors, CompressionPlan::defaults(), 16, -1,
                                progress);
    QVERIFY(!r);
    QCOMPARE(r.error().code, Error::Code::Cancelled);
    QCOMPARE(reports, 1);
}

void TestActivationProfile::badInputIsAnError()
{
    auto model = test::readModelShared(kModel);
    auto session = Session::create(model);
    auto data = openDataset(kData, *model);
    QVERIFY(session && data);
    auto unknown = profileActivations(*session, **data, std::vector<std::string>{"no_such"},
                                      CompressionPlan::defaults(), 64, 10);
    QVERIFY(!unknown);
    QCOMPARE(unknown.error().message,
             std::string("tensor 'no_such' is not an input or a node output of the model."));
    auto none = profileActivations(*session, **data, std::vector<std::string>{},
                                   CompressionPlan::defaults(), 64, 10);
    QVERIFY(!none);
    QCOMPARE(none.error().message, std::string("no activation tensor was given to profile."));
}

QTEST_APPLESS_MAIN(TestActivationProfile)
#include "test_activation_profile.moc"
