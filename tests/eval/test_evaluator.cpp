// The evaluator on a small CNN: baseline equals a direct run, incremental re-evaluation after an
// edit gives bit-identical outputs to a fresh full evaluation while running fewer nodes,
// progressive estimates, cancellation of eval and sensitivity, and sensitivity ordering.
#include "core/data/dataset.h"
#include "core/eval/evaluator.h"
#include "core/eval/metrics.h"
#include "core/model/onnx_reader.h"

#include <QtTest>

#include <cstring>

using namespace nnc;

class TestEvaluator : public QObject
{
    Q_OBJECT

private slots:
    void baselineMatchesDirectRun();
    void incrementalEqualsFullEvaluation_data();
    void incrementalEqualsFullEvaluation();
    void progressiveEstimates();
    void evaluationCancels();
    void sensitivityCancelsAndSorts();
    void sensitivityCancelStopsTheRunningEvaluation();
    void quantizationLowersSqnrWithFewerBits();
};

static const char *kModel = NNC_SOURCE_DIR "/tests/data/eval/tinycnn.onnx";
static const char *kData = NNC_SOURCE_DIR "/tests/data/eval/tinycnn_val.npz";

static std::unique_ptr<Evaluator> makeEvaluator(int64_t batch = 8, bool collect = true)
{
    auto m = readModel(kModel);
    if (!m)
        qFatal("%s", m.error().message.c_str());
    auto model = std::make_shared<const Model>(std::move(*m));
    auto data = openDataset(kData, *model);
    if (!data)
        qFatal("%s", data.error().message.c_str());
    EvalOptions o;
    o.batchSize = batch;
    o.collectOutputs = collect;
    auto ev = Evaluator::create(model, std::move(*data), o);
    if (!ev)
        qFatal("%s", ev.error().message.c_str());
    return std::move(*ev);
}

static bool sameBits(const Tensor &a, const Tensor &b)
{
    return a.dims() == b.dims() && a.byteSize() == b.byteSize()
           && std::memcmp(a.bytes().data(), b.bytes().data(), a.byteSize()) == 0;
}

void TestEvaluator::baselineMatchesDirectRun()
{
    auto ev = makeEvaluator();
    auto r = ev->evaluate(nullptr);
    QVERIFY2(r, r ? "" : r.error().message.c_str());
    QCOMPARE(r->samples, int64_t(40));
    QCOMPARE(r->heads.size(), std::size_t(1));
    QCOMPARE(r->heads[0].metric, std::string("accuracy"));
    // Direct run of all 40 samples at once through a session.
    auto m = readModel(kModel);
    auto model = std::make_shared<const Model>(std::move(*m));
    auto src = openArraySource(kData);
    QVERIFY(src);
    auto x = (*src)->readRows("x", 0, 40);
    auto y = (*src)->readRows("y", 0, 40);
    QVERIFY(x && y);
    auto s = Session::create(model);
    QVERIFY(s);
    auto out = s->run(std::vector<Tensor>{*x});
    QVERIFY(out);
    MetricAccumulator acc{"accuracy"};
    acc.add((*out)[0], *y);
    QCOMPARE(r->heads[0].baseline, acc.value());
    QCOMPARE(r->heads[0].compressed, acc.value());
}

void TestEvaluator::incrementalEqualsFullEvaluation_data()
{
    QTest::addColumn<QString>("edited");
    QTest::newRow("last layer") << "fc";
    QTest::newRow("first layer") << "conv1";
    QTest::newRow("middle layer") << "conv2";
}

void TestEvaluator::incrementalEqualsFullEvaluation()
{
    QFETCH(QString, edited);
    CompressionPlan plan = CompressionPlan::defaults();
    auto ev = makeEvaluator();
    auto first = ev->evaluate(&plan);
    QVERIFY2(first, first ? "" : first.error().message.c_str());
    QCOMPARE(first->nodesRun, first->nodesFull); // nothing cached for this plan yet
    // Calibrated ranges are part of the plan from here on, as the Studio keeps them.
    QVERIFY(ev->calibrate(plan, true));
    plan.layers[edited.toStdString()].weights.bits = 4;
    auto incremental = ev->evaluate(&plan);
    QVERIFY(incremental);
    qInfo("%s edited: %lld of %lld node runs", qPrintable(edited),
          static_cast<long long>(incremental->nodesRun), static_cast<long long>(incremental->nodesFull));
    // Editing the first layer reruns everything; later layers rerun only their downstream part.
    if (edited == "conv1")
        QCOMPARE(incremental->nodesRun, incremental->nodesFull);
    else
        QVERIFY(incremental->nodesRun < incremental->nodesFull);
    if (edited == "fc")
        QCOMPARE(incremental->nodesRun, int64_t(5)); // only Gemm, once per batch of 8 (40 samples)

    auto fresh = makeEvaluator();
    auto full = fresh->evaluate(&plan);
    QVERIFY(full);
    QCOMPARE(full->nodesRun, full->nodesFull);
    QVERIFY(sameBits(incremental->outputs[0], full->outputs[0]));
    QCOMPARE(incremental->heads[0].compressed, full->heads[0].compressed);
    QCOMPARE(incremental->heads[0].changedSamples, full->heads[0].changedSamples);
}

void TestEvaluator::progressiveEstimates()
{
    auto ev = makeEvaluator(8, false);
    CompressionPlan plan = CompressionPlan::defaults();
    std::vector<int64_t> done;
    auto r = ev->evaluate(&plan, Progress{}, [&](const Estimate &e) {
        done.push_back(e.done);
        QVERIFY(e.low <= e.value && e.value <= e.high);
        QCOMPARE(e.total, int64_t(40));
    });
    QVERIFY(r);
    QCOMPARE(done, (std::vector<int64_t>{8, 16, 24, 32, 40}));
}

void TestEvaluator::evaluationCancels()
{
    auto ev = makeEvaluator(8, false);
    std::stop_source stop;
    int reports = 0;
    Progress p(stop.get_token(), [&](int64_t, int64_t) {
        if (++reports == 2)
            stop.request_stop();
    });
    CompressionPlan plan = CompressionPlan::defaults();
    plan.activationDefaults.enabled = false;
    auto r = ev->evaluate(&plan, p);
    QVERIFY(!r);
    QCOMPARE(r.error().code, Error::Code::Cancelled);
    QCOMPARE(reports, 2); // stopped at the next batch boundary
    // The evaluator is still usable after a cancel.
    auto again = ev->evaluate(&plan);
    QVERIFY(again);
}

void TestEvaluator::sensitivityCancelsAndSorts()
{
    auto ev = makeEvaluator(8, false);
    SensitivitySpec spec;
    spec.bits = {2, 8};
    auto r = ev->sensitivity(spec);
    QVERIFY(r);
    QCOMPARE(r->rows.size(), std::size_t(6));
    for (std::size_t i = 1; i < r->rows.size(); ++i)
        QVERIFY(r->rows[i - 1].deltaPp[0] <= r->rows[i].deltaPp[0]);
    std::stop_source stop;
    stop.request_stop();
    auto c = ev->sensitivity(spec, Progress(stop.get_token()));
    QVERIFY(!c);
    QCOMPARE(c.error().code, Error::Code::Cancelled);
}

// Requests a stop when batch() has been called `stopAt` times (0 = never): cancellation that
// arrives in the middle of an evaluation, at a known point, without timing.
class StoppingDataset : public Dataset
{
public:
    StoppingDataset(std::unique_ptr<Dataset> inner, std::stop_source stop)
        : m_inner(std::move(inner)), m_stop(std::move(stop))
    {}
    int64_t size() const override { return m_inner->size(); }
    const DatasetSpec &spec() const override { return m_inner->spec(); }
    Result<Batch> batch(int64_t start, int64_t count) override
    {
        ++calls;
        if (stopAt > 0 && calls == stopAt)
            m_stop.request_stop();
        return m_inner->batch(start, count);
    }
    int64_t calls = 0;
    int64_t stopAt = 0;

private:
    std::unique_ptr<Dataset> m_inner;
    std::stop_source m_stop;
};

void TestEvaluator::sensitivityCancelStopsTheRunningEvaluation()
{
    auto m = readModel(kModel);
    QVERIFY(m);
    auto model = std::make_shared<const Model>(std::move(*m));
    auto data = openDataset(kData, *model);
    QVERIFY(data);
    std::stop_source stop;
    auto owned = std::make_unique<StoppingDataset>(std::move(*data), stop);
    StoppingDataset *ds = owned.get();
    EvalOptions o;
    o.batchSize = 8;
    o.collectOutputs = false;
    o.cacheBudgetBytes = 0; // no batch cache: every evaluation reads its batches again
    auto ev = Evaluator::create(model, std::move(owned), o);
    QVERIFY(ev);
    // Baseline first, then count the batches one layer-alone evaluation reads.
    QVERIFY((*ev)->evaluate(nullptr));
    const int64_t afterBaseline = ds->calls;
    CompressionPlan probe = CompressionPlan::defaults();
    probe.activationDefaults.enabled = false;
    QVERIFY((*ev)->evaluate(&probe));
    const int64_t perEvaluation = ds->calls - afterBaseline;
    QVERIFY2(perEvaluation >= 3, "the test needs evaluations of several batches");

    // Stop during the second batch of the sensitivity run's second evaluation.
    ds->stopAt = ds->calls + perEvaluation + 2;
    int64_t reported = 0;
    SensitivitySpec spec;
    spec.bits = {2, 8};
    auto r = (*ev)->sensitivity(spec, Progress(stop.get_token(), [&](int64_t done, int64_t) {
                                    reported = done;
                                }));
    QVERIFY(!r);
    QCOMPARE(r.error().code, Error::Code::Cancelled);
    // Only the first evaluation finished, and the second stopped at its next batch boundary
    // instead of reading all its batches.
    QCOMPARE(reported, int64_t(1));
    QVERIFY2(ds->calls < ds->stopAt + perEvaluation - 2,
             qPrintable(QString("%1 batch reads after the stop").arg(ds->calls - ds->stopAt)));
}

void TestEvaluator::quantizationLowersSqnrWithFewerBits()
{
    auto ev = makeEvaluator(8, false);
    double last = std::numeric_limits<double>::infinity();
    std::vector<double> lastLayer(3, std::numeric_limits<double>::infinity());
    for (int bits : {16, 8, 4, 2}) {
        CompressionPlan plan = CompressionPlan::defaults();
        plan.activationDefaults.enabled = false;
        plan.weightDefaults.spec.bits = bits;
        auto r = ev->evaluate(&plan);
        QVERIFY(r);
        qInfo("weights %2d bits: output SQNR %.1f dB, agreement %.3f", bits, r->heads[0].sqnrDb,
              r->heads[0].agreement);
        QVERIFY(r->heads[0].sqnrDb < last);
        last = r->heads[0].sqnrDb;
        QCOMPARE(r->layers.size(), std::size_t(3));
        for (std::size_t i = 0; i < r->layers.size(); ++i) {
            const LayerResult &l = r->layers[i];
            QVERIFY(l.compressed);
            // Each layer's output drifts further from the float model with fewer bits.
            QVERIFY2(l.outputSqnrDb < lastLayer[i], qPrintable(QString("%1: %2 dB at %3 bits")
                                                                   .arg(QString::fromStdString(l.layer))
                                                                   .arg(l.outputSqnrDb).arg(bits)));
            lastLayer[i] = l.outputSqnrDb;
        }
    }
}

QTEST_APPLESS_MAIN(TestEvaluator)
#include "test_evaluator.moc"
