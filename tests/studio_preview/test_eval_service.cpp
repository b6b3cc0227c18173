// EvalService: the worker-thread evaluator and its job queue. The preview's figures equal
// `nncompress eval --json` for the same plan; cancel, supersede, a bad data file, the sample
// reader and destroying the service in the middle of a job.
#include "app/studio/eval_service.h"

#include "core/model/onnx_reader.h"
#include "core/plan/plan.h"
#include "tests/common/studio_test_main.h"
#include "tests/studio_preview/demo_eval.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <cmath>
#include <memory>

using namespace nnc;
using namespace nnc::studio;
using namespace nnc::test;

namespace {

CompressionPlan plan(int bits, double prune = 0.0)
{
    CompressionPlan p = CompressionPlan::defaults();
    p.weightDefaults.spec.bits = bits;
    p.pruneDefaults.spec.ratio = prune;
    return p;
}

bool waitOpened(EvalService &service)
{
    QSignalSpy opened(&service, &EvalService::opened);
    QSignalSpy failed(&service, &EvalService::openFailed);
    (void)QTest::qWaitFor([&] { return opened.count() || failed.count(); }, 60000);
    return opened.count() == 1;
}

EvalResult runPreview(EvalService &service, const CompressionPlan &p)
{
    QSignalSpy finished(&service, &EvalService::previewFinished);
    service.preview(p);
    if (!finished.wait(300000))
        qFatal("the preview did not finish");
    return finished.at(0).at(0).value<EvalResult>();
}

int64_t argmax(const Tensor &t)
{
    const std::vector<float> v = t.toFloatVector();
    return std::max_element(v.begin(), v.end()) - v.begin();
}

} // namespace

class TestEvalService final : public QObject
{
    Q_OBJECT

private slots:
    void previewEqualsCliEval_data();
    void previewEqualsCliEval();
    void estimatesArriveAndEndAtTheResult();
    void secondPreviewRerunsOnlyWhatChanged();
    void cancelStopsThePreview();
    void secondPreviewSupersedesTheFirst();
    void badDataFileGivesOpenFailedWithTheEnginesMessage();
    void previewWithoutDataFails();
    void submitSupersedesAndCancelsByKind();
    void sensitivityRunsThroughSubmit();
    void sampleShowsStoredRowAndBothPredictions();
    void sampleOfTheNlpDemo();
    void realModelsPreviewLikeCli_data();
    void realModelsPreviewLikeCli();
    void destroyingTheServiceMidJobIsClean();
    void destroyingTheServiceWhileOpeningIsClean();
};

void TestEvalService::previewEqualsCliEval_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("data");
    QTest::addColumn<int>("bits");
    QTest::addColumn<double>("prune");
    QTest::newRow("cnn 8 bit") << "fashion_cnn.onnx" << "fashion_val.json" << 8 << 0.0;
    QTest::newRow("cnn 3 bit pruned") << "fashion_cnn.onnx" << "fashion_val.json" << 3 << 0.5;
    QTest::newRow("nlp fused 4 bit") << "commands_fused.onnx" << "commands_val.json" << 4 << 0.0;
}

void TestEvalService::previewEqualsCliEval()
{
    QFETCH(QString, model);
    QFETCH(QString, data);
    QFETCH(int, bits);
    QFETCH(double, prune);
    const CompressionPlan p = plan(bits, prune);
    const QJsonObject cli = cliEval(model, data, p);
    QVERIFY(!cli.isEmpty());

    EvalService service;
    QSignalSpy opened(&service, &EvalService::opened);
    service.open(loadDemo(model), kDemo + data);
    QVERIFY(opened.wait(60000));
    QCOMPARE(opened.at(0).at(0).toLongLong(), cli["samples"].toInteger());
    QVERIFY(service.isOpen());
    QSignalSpy started(&service, &EvalService::previewStarted);
    QSignalSpy progress(&service, &EvalService::previewProgress);
    const EvalResult r = runPreview(service, p);

    QCOMPARE(started.count(), 1);
    QVERIFY(!progress.isEmpty());
    QCOMPARE(progress.last().at(0).toLongLong(), progress.last().at(1).toLongLong());
    QCOMPARE(r.samples, cli["samples"].toInteger());
    QCOMPARE(qsizetype(r.heads.size()), cli["baseline"].toObject().size());
    for (const HeadResult &h : r.heads) {
        const QString out = QString::fromStdString(h.output);
        const QString key = h.metric == "entity_f1" ? "entity_f1" : "accuracy";
        QCOMPARE(h.baseline, cli["baseline"][out][key].toDouble());
        QCOMPARE(h.compressed, cli["compressed"][out][key].toDouble());
        QCOMPARE(h.deltaPp, cli["delta_pp"][out].toDouble());
        QCOMPARE(h.agreement, cli["agreement"][out].toDouble());
        QVERIFY2(std::abs(h.sqnrDb - cli["output_sqnr_db"][out].toDouble()) < 1e-6,
                 qPrintable(QString::number(h.sqnrDb)));
        const QJsonArray changed = cli["changed_samples"][out].toArray();
        QCOMPARE(qsizetype(h.changedSamples.size()), changed.size());
        for (qsizetype i = 0; i < changed.size(); ++i)
            QCOMPARE(h.changedSamples[std::size_t(i)], changed[i].toInteger());
    }
    QCOMPARE(r.size.floatBytes, cli["size_bytes"]["float"].toInteger());
    QCOMPARE(r.size.compressedBytes, cli["size_bytes"]["compressed"].toInteger());
    QCOMPARE(qsizetype(r.calibrated.size()), cli["calibrated_tensors"].toArray().size());
    for (std::size_t i = 0; i < r.calibrated.size(); ++i)
        QCOMPARE(QString::fromStdString(r.calibrated[i]),
                 cli["calibrated_tensors"][qsizetype(i)].toString());
    QCOMPARE(qsizetype(r.layers.size()), cli["layers"].toArray().size());
    QTRY_VERIFY(!service.isBusy());
}

void TestEvalService::estimatesArriveAndEndAtTheResult()
{
    EvalService service;
    service.open(loadDemo("fashion_cnn.onnx"), kDemo + "fashion_val.json",
                 EvalOptions{.batchSize = 16});
    QVERIFY(waitOpened(service));
    QSignalSpy estimates(&service, &EvalService::previewEstimate);
    const EvalResult r = runPreview(service, plan(4));
    QVERIFY(estimates.count() >= 2);
    const auto first = estimates.first().at(0).value<Estimate>();
    const auto last = estimates.last().at(0).value<Estimate>();
    QVERIFY(first.done < first.total);
    QVERIFY(first.low <= first.value && first.value <= first.high);
    QCOMPARE(last.done, last.total);
    QCOMPARE(last.total, r.samples);
    QCOMPARE(last.output, r.heads[0].output);
    QCOMPARE(last.value, r.heads[0].compressed);
    QVERIFY(last.low < last.value && last.value < last.high);
    // The interval narrows as samples arrive.
    QVERIFY(last.high - last.low < first.high - first.low);
}

void TestEvalService::secondPreviewRerunsOnlyWhatChanged()
{
    EvalService service;
    service.open(loadDemo("fashion_cnn.onnx"), kDemo + "fashion_val.json");
    QVERIFY(waitOpened(service));
    CompressionPlan p = plan(8);
    const EvalResult full = runPreview(service, p);
    QCOMPARE(full.nodesRun, full.nodesFull);
    // Only the last layer changes: everything upstream of it comes from the cache.
    auto model = loadDemo("fashion_cnn.onnx");
    const std::vector<Layer> layers = findLayers(*model);
    QVERIFY(layers.size() >= 2);
    p.layers[layers.back().name].weights.bits = 4;
    QSignalSpy progress(&service, &EvalService::previewProgress);
    const EvalResult incremental = runPreview(service, p);
    // No calibration pass (the first third of the bar): the activation ranges are remembered.
    QVERIFY(!progress.isEmpty());
    for (const QList<QVariant> &step : progress)
        QVERIFY2(step.at(0).toLongLong() >= step.at(1).toLongLong() / 3,
                 qPrintable(step.at(0).toString()));
    QCOMPARE(incremental.calibrated, full.calibrated);
    QVERIFY(!full.calibrated.empty());
    QCOMPARE(incremental.nodesFull, full.nodesFull);
    QVERIFY2(incremental.nodesRun < full.nodesRun / 2,
             qPrintable(QStringLiteral("%1 of %2").arg(incremental.nodesRun).arg(full.nodesFull)));
}

void TestEvalService::cancelStopsThePreview()
{
    EvalService service;
    // Batches of 4 make 500 batches: the preview is still running when the cancel arrives.
    service.open(loadDemo("fashion_cnn.onnx"), kDemo + "fashion_val.json",
                 EvalOptions{.batchSize = 4});
    QVERIFY(waitOpened(service));
    QSignalSpy progress(&service, &EvalService::previewProgress);
    QSignalSpy finished(&service, &EvalService::previewFinished);
    QSignalSpy cancelled(&service, &EvalService::previewCancelled);
    QSignalSpy ended(&service, &EvalService::jobEnded);
    service.preview(plan(4));
    QVERIFY(service.isBusy(QStringLiteral("preview")));
    QVERIFY(progress.wait(60000));
    service.cancelPreview();
    QCOMPARE(cancelled.count(), 1);
    QVERIFY(QTest::qWaitFor([&] { return !service.isBusy(); }, 60000));
    QCOMPARE(ended.count(), 1);
    QCOMPARE(ended.at(0).at(1).toString(), QStringLiteral("preview"));
    QCOMPARE(ended.at(0).at(2).toBool(), false);
    const qsizetype progressAtStop = progress.count();
    QTest::qWait(200);
    QCOMPARE(finished.count(), 0);
    QCOMPARE(progress.count(), progressAtStop);
    // It stopped short of the end: the last progress shown is below the total.
    QVERIFY(progress.last().at(0).toLongLong() < progress.last().at(1).toLongLong());
    // The service still works afterwards.
    const EvalResult r = runPreview(service, plan(4));
    QCOMPARE(r.samples, 2000);
    QCOMPARE(cancelled.count(), 1);
}

void TestEvalService::secondPreviewSupersedesTheFirst()
{
    EvalService service;
    service.open(loadDemo("fashion_cnn.onnx"), kDemo + "fashion_val.json");
    QVERIFY(waitOpened(service));
    QSignalSpy finished(&service, &EvalService::previewFinished);
    QSignalSpy cancelled(&service, &EvalService::previewCancelled);
    QSignalSpy progress(&service, &EvalService::previewProgress);
    service.preview(plan(2, 0.7));
    QVERIFY(progress.wait(60000));  // the first one is running
    service.preview(plan(8));
    QVERIFY(finished.wait(300000));
    QTest::qWait(300);
    QCOMPARE(finished.count(), 1);
    QCOMPARE(cancelled.count(), 0);
    const EvalResult r = finished.at(0).at(0).value<EvalResult>();
    const QJsonObject cli = cliEval("fashion_cnn.onnx", "fashion_val.json", plan(8));
    QCOMPARE(r.heads[0].compressed, cli["compressed"]["logits"]["accuracy"].toDouble());
    QCOMPARE(r.size.compressedBytes, cli["size_bytes"]["compressed"].toInteger());
    // Queued (never started) previews are replaced too: three in a row give one answer.
    finished.clear();
    service.preview(plan(2));
    service.preview(plan(3));
    service.preview(plan(8));
    QVERIFY(finished.wait(300000));
    QTest::qWait(300);
    QCOMPARE(finished.count(), 1);
    QCOMPARE(finished.at(0).at(0).value<EvalResult>().size.compressedBytes,
             r.size.compressedBytes);
}

void TestEvalService::badDataFileGivesOpenFailedWithTheEnginesMessage()
{
    QTemporaryDir dir;
    const QString bad = dir.path() + "/broken.npz";
    {
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("PK\x03\x04 this is not a zip archive");
    }
    auto model = loadDemo("fashion_cnn.onnx");
    auto expected = openDataset(bad.toStdString(), *model);
    QVERIFY(!expected);
    EvalService service;
    QSignalSpy opened(&service, &EvalService::opened);
    QSignalSpy failed(&service, &EvalService::openFailed);
    service.open(model, bad);
    QVERIFY(failed.wait(60000));
    QCOMPARE(failed.at(0).at(0).toString(), QString::fromStdString(expected.error().message));
    QCOMPARE(opened.count(), 0);
    QVERIFY(!service.isOpen());
    // A preview asked for anyway fails with the same message instead of hanging.
    QSignalSpy previewFailed(&service, &EvalService::previewFailed);
    service.preview(plan(8));
    QVERIFY(previewFailed.wait(60000));
    QCOMPARE(previewFailed.at(0).at(0).toString(),
             QString::fromStdString(expected.error().message));
    // Data that does not fit the model: the NLP data for the image model.
    auto mismatch = openDataset((kDemo + "commands_val.json").toStdString(), *model);
    QVERIFY(!mismatch);
    failed.clear();
    service.open(model, kDemo + "commands_val.json");
    QVERIFY(failed.wait(60000));
    QCOMPARE(failed.at(0).at(0).toString(), QString::fromStdString(mismatch.error().message));
    // And a good file afterwards opens.
    service.open(model, kDemo + "fashion_val.json");
    QVERIFY(opened.wait(60000));
    QVERIFY(service.isOpen());
}

void TestEvalService::previewWithoutDataFails()
{
    EvalService service;
    QSignalSpy failed(&service, &EvalService::previewFailed);
    service.preview(plan(8));
    QCOMPARE(failed.count(), 1);
    QVERIFY(!failed.at(0).at(0).toString().isEmpty());
    QVERIFY(!service.isBusy());
}

void TestEvalService::submitSupersedesAndCancelsByKind()
{
    EvalService service;
    service.open(loadDemo("fashion_mlp.onnx"), kDemo + "fashion_val.json");
    QVERIFY(waitOpened(service));
    QSignalSpy ended(&service, &EvalService::jobEnded);
    QSignalSpy busy(&service, &EvalService::busyChanged);
    std::atomic<int> stoppedSeen = 0;
    auto spin = [&stoppedSeen](Evaluator &, const Progress &progress) {
        for (int i = 0; i < 100000 && !progress.cancelled(); ++i) {
            progress.report(i % 100, 100);
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        if (progress.cancelled())
            ++stoppedSeen;
    };
    QList<qint64> progressA;
    const uint64_t a = service.submit("spin", spin, [&](int64_t d, int64_t) { progressA << d; });
    QVERIFY(service.isCurrent(a));
    QVERIFY(QTest::qWaitFor([&] { return !progressA.isEmpty(); }, 10000));
    const uint64_t other = service.submit("other", [](Evaluator &, const Progress &) {});
    const uint64_t b = service.submit("spin", spin);  // supersedes a
    QVERIFY(!service.isCurrent(a));
    QVERIFY(service.isCurrent(b));
    QVERIFY(service.isCurrent(other));
    QVERIFY(QTest::qWaitFor([&] { return ended.count() >= 2; }, 10000));
    QCOMPARE(ended.at(0).at(0).toULongLong(), a);
    QCOMPARE(ended.at(0).at(2).toBool(), false);
    QCOMPARE(ended.at(1).at(0).toULongLong(), other);  // FIFO: "other" was queued before b
    QCOMPARE(ended.at(1).at(2).toBool(), true);
    QVERIFY(service.isBusy("spin"));
    QVERIFY(!service.isBusy("other"));
    service.cancel("spin");
    QVERIFY(!service.isCurrent(b));
    QVERIFY(QTest::qWaitFor([&] { return !service.isBusy(); }, 10000));
    QCOMPARE(ended.count(), 3);
    QCOMPARE(ended.at(2).at(0).toULongLong(), b);
    QCOMPARE(stoppedSeen.load(), 2);
    QCOMPARE(busy.first().at(0).toBool(), true);
    QCOMPARE(busy.last().at(0).toBool(), false);
    // Jobs without a kind do not supersede each other.
    const uint64_t x = service.submit({}, [](Evaluator &, const Progress &) {});
    const uint64_t y = service.submit({}, [](Evaluator &, const Progress &) {});
    QVERIFY(service.isCurrent(x) && service.isCurrent(y));
    QTRY_VERIFY(!service.isBusy());
    QCOMPARE(ended.at(ended.count() - 2).at(2).toBool(), true);
    QCOMPARE(ended.last().at(2).toBool(), true);
    // deliver() drops the result of a job that is no longer current.
    int delivered = 0;
    std::atomic<uint64_t> cid = 0;
    const uint64_t c = service.submit("late", [&](Evaluator &, const Progress &) {
        while (cid == 0)
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        service.deliver(cid, [&] { ++delivered; });  // from the job, as jobs do
    });
    cid = c;
    QVERIFY(QTest::qWaitFor([&] { return !service.isBusy(); }, 10000));
    QCOMPARE(delivered, 1);
    service.deliver(c, [&] { ++delivered; });
    QTest::qWait(50);
    QCOMPARE(delivered, 1);
}

void TestEvalService::sensitivityRunsThroughSubmit()
{
    EvalService service;
    service.open(loadDemo("fashion_cnn.onnx"), kDemo + "fashion_val.json");
    QVERIFY(waitOpened(service));
    std::optional<Result<SensitivityResult>> got;
    QList<qint64> steps;
    auto id = std::make_shared<std::atomic<uint64_t>>(0);
    *id = service.submit(
        "sensitivity",
        [&service, &got, id](Evaluator &ev, const Progress &progress) {
            SensitivitySpec spec;
            spec.bits = {2};
            auto r = ev.sensitivity(spec, progress);
            service.deliver(*id, [&got, r] { got = r; });
        },
        [&](int64_t d, int64_t) { steps << d; });
    QVERIFY(QTest::qWaitFor([&] { return got.has_value(); }, 300000));
    QVERIFY(*got);
    const auto layers = findLayers(*loadDemo("fashion_cnn.onnx"));
    QCOMPARE((**got).rows.size(), layers.size());
    QCOMPARE(steps.last(), qint64(layers.size()));
    // 2-bit weights hurt at least one layer.
    QVERIFY((**got).rows.front().deltaPp[0] < 0);
}

void TestEvalService::sampleShowsStoredRowAndBothPredictions()
{
    EvalService service;
    service.open(loadDemo("fashion_cnn.onnx"), kDemo + "fashion_val.json");
    QVERIFY(waitOpened(service));
    const CompressionPlan p = plan(3);
    const EvalResult r = runPreview(service, p);
    QVERIFY(!r.heads[0].changedSamples.empty());
    const int64_t changed = r.heads[0].changedSamples.front();
    int64_t same = 0;
    while (std::ranges::find(r.heads[0].changedSamples, same) != r.heads[0].changedSamples.end())
        ++same;

    QSignalSpy ready(&service, &EvalService::sampleReady);
    QSignalSpy failed(&service, &EvalService::sampleFailed);
    service.previewSample(p, changed);
    QVERIFY(ready.wait(60000));
    auto s = ready.at(0).at(0).value<SamplePreview>();
    QCOMPARE(s.index, changed);
    QCOMPARE(s.arrays, std::vector<std::string>{"images"});
    QCOMPARE(s.raw[0].dtype(), DataType::UInt8);
    QCOMPARE(s.raw[0].dims(), (Dims{1, 28, 28}));
    QVERIFY(s.dataDescription.find("T-shirt/top") != std::string::npos);
    QCOMPARE(s.outputs, std::vector<std::string>{"logits"});
    QCOMPARE(s.labels[0].numel(), 1);
    // The evaluator said this sample's prediction changed: the sample reader agrees.
    QVERIFY(argmax(s.floatOutputs[0]) != argmax(s.compressedOutputs[0]));

    ready.clear();
    service.previewSample(p, same);
    QVERIFY(ready.wait(60000));
    s = ready.at(0).at(0).value<SamplePreview>();
    QCOMPARE(argmax(s.floatOutputs[0]), argmax(s.compressedOutputs[0]));

    service.previewSample(p, 2000);
    QVERIFY(failed.wait(60000));
    QVERIFY(failed.at(0).at(0).toString().contains("outside the validation set"));
}

void TestEvalService::sampleOfTheNlpDemo()
{
    EvalService service;
    service.open(loadDemo("commands_fused.onnx"), kDemo + "commands_val.json");
    QVERIFY(waitOpened(service));
    QSignalSpy ready(&service, &EvalService::sampleReady);
    service.previewSample(plan(8), 3);
    QVERIFY(ready.wait(60000));
    const auto s = ready.at(0).at(0).value<SamplePreview>();
    QCOMPARE(s.arrays, (std::vector<std::string>{"input_ids", "attention_mask"}));
    QCOMPARE(s.raw[0].dtype(), DataType::Int64);
    QCOMPARE(s.outputs.size(), std::size_t(2));
    QCOMPARE(s.labels.size(), std::size_t(2));
    QCOMPARE(s.floatOutputs[1].rank(), 3);  // slot logits [1, seq, tags]
    // Class names from the demo tokenizer: 16 intents, 19 BIO tags.
    QCOMPARE(s.classNames[0].size(), std::size_t(16));
    QCOMPARE(s.classNames[0][0], std::string("navigate"));
    QCOMPARE(s.classNames[1].size(), std::size_t(19));
    QCOMPARE(s.classNames[1][1], std::string("B-destination"));
    // The decoded tokens are the corpus's tokens of sentence 3 ([UNK] where a name is not in
    // the vocabulary).
    QFile tsv(kDemo + "commands_val.tsv");
    QVERIFY(tsv.open(QIODevice::ReadOnly));
    const QList<QByteArray> rows = tsv.readAll().split('\n');
    const QStringList expected = QString::fromUtf8(rows[4].split('\t')[3]).split(' ');
    QCOMPARE(qsizetype(s.tokens.size()), expected.size());
    int known = 0;
    for (std::size_t i = 0; i < s.tokens.size(); ++i) {
        const QString got = QString::fromStdString(s.tokens[i]);
        QVERIFY2(got == expected[qsizetype(i)] || got == "[UNK]", qPrintable(got));
        known += got != "[UNK]";
    }
    QVERIFY(known > 0);
    QVERIFY(!s.text.empty());
    QCOMPARE(s.labels[0].numel(), 1);
    QVERIFY(s.labels[0].toInt64Vector()[0] >= 0);
}

void TestEvalService::realModelsPreviewLikeCli_data()
{
    QTest::addColumn<QString>("folder");
    QTest::addColumn<qint64>("inputSize");
    QTest::addColumn<qint64>("outputSize");
    QTest::newRow("mnist8_zoo_cntk") << "mnist8_zoo_cntk" << qint64(28 * 28) << qint64(10);
    QTest::newRow("superres_pytorch_tutorial")
        << "superres_pytorch_tutorial" << qint64(224 * 224) << qint64(672 * 672);
}

void TestEvalService::realModelsPreviewLikeCli()
{
    // Third-party models with their ONNX test-data folders (unlabelled: agreement heads).
    QFETCH(QString, folder);
    QFETCH(qint64, inputSize);
    QFETCH(qint64, outputSize);
    const QString dir = QStringLiteral(NNC_SHARED_DIR "/models/") + folder;
    if (!QFileInfo::exists(dir + "/model.onnx"))
        QSKIP("The shared test models are not here (NNC_SHARED_DIR).");
    const QString modelPath = dir + "/model.onnx", data = dir + "/reference";
    QTemporaryDir tmp;
    const CompressionPlan p = plan(4);
    const QString planPath = tmp.path() + "/plan.json";
    QVERIFY(savePlan(p, planPath.toStdString()));
    QProcess cli;
    cli.start(QStringLiteral(NNC_CLI_PATH),
              {"eval", modelPath, "--data", data, "--plan", planPath, "--json"});
    QVERIFY(cli.waitForFinished(300000));
    QCOMPARE(cli.exitCode(), 0);
    const QJsonObject json = QJsonDocument::fromJson(cli.readAllStandardOutput()).object();

    auto m = readModel(modelPath.toStdString());
    QVERIFY(m);
    EvalService service;
    service.open(std::make_shared<const Model>(std::move(*m)), data);
    QVERIFY(waitOpened(service));
    const EvalResult r = runPreview(service, p);
    QCOMPARE(r.samples, json["samples"].toInteger());
    for (const HeadResult &h : r.heads) {
        const QString out = QString::fromStdString(h.output);
        QCOMPARE(h.metric, std::string("agreement"));
        QCOMPARE(h.agreement, json["agreement"][out].toDouble());
        QVERIFY(std::abs(h.sqnrDb - json["output_sqnr_db"][out].toDouble()) < 1e-6);
        QCOMPARE(qsizetype(h.changedSamples.size()), json["changed_samples"][out].toArray().size());
    }
    QCOMPARE(r.size.compressedBytes, json["size_bytes"]["compressed"].toInteger());
    // The sample reader works on test-data folders too: the stored input (an image) and both
    // models' outputs.
    QSignalSpy ready(&service, &EvalService::sampleReady);
    service.previewSample(p, 0);
    QVERIFY(ready.wait(60000));
    const auto s = ready.at(0).at(0).value<SamplePreview>();
    QCOMPARE(s.raw.size(), std::size_t(1));
    QCOMPARE(s.raw[0].numel(), inputSize);
    QCOMPARE(s.floatOutputs.size(), r.heads.size());
    QCOMPARE(s.floatOutputs[0].numel(), outputSize);
    QCOMPARE(s.compressedOutputs[0].numel(), outputSize);
}

void TestEvalService::destroyingTheServiceMidJobIsClean()
{
    // The window closes while a job runs and a preview and a sample read wait behind it: the
    // destructor cancels, joins the worker (the running job still calls back into the service
    // while it stops) and nothing is delivered afterwards.
    auto *service = new EvalService;
    service->open(loadDemo("fashion_cnn.onnx"), kDemo + "fashion_val.json");
    QVERIFY(waitOpened(*service));
    std::atomic<bool> running = false, sawCancel = false;
    int delivered = 0;
    auto id = std::make_shared<std::atomic<uint64_t>>(0);
    *id = service->submit("spin", [&, service, id](Evaluator &, const Progress &pr) {
        running = true;
        while (!pr.cancelled())
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        sawCancel = true;
        pr.report(1, 1);
        service->deliver(*id, [&] { ++delivered; });
    }, [&](int64_t, int64_t) { ++delivered; });
    QSignalSpy previewEnded(service, &EvalService::previewFinished);
    service->preview(plan(4));
    service->previewSample(plan(4), 5);
    QVERIFY(QTest::qWaitFor([&] { return running.load(); }, 10000));
    delete service;
    QVERIFY(sawCancel);
    QTest::qWait(300);  // anything the worker posted would run now
    QCOMPARE(delivered, 0);

    // Destroyed in the middle of a preview's evaluation.
    auto *second = new EvalService;
    second->open(loadDemo("fashion_cnn.onnx"), kDemo + "fashion_val.json",
                 EvalOptions{.batchSize = 4});
    QVERIFY(waitOpened(*second));
    QSignalSpy progress(second, &EvalService::previewProgress);
    second->preview(plan(4));
    QVERIFY(progress.wait(60000));
    delete second;
    QTest::qWait(300);
}

void TestEvalService::destroyingTheServiceWhileOpeningIsClean()
{
    for (int i = 0; i < 3; ++i) {
        auto service = std::make_unique<EvalService>();
        service->open(loadDemo("fashion_cnn.onnx"), kDemo + "fashion_val.json");
        service->preview(plan(8));
        QTest::qWait(i * 20);
        service.reset();
    }
    QTest::qWait(100);
}

NNC_STUDIO_TEST_MAIN(TestEvalService, "EvalServiceTest")
#include "test_eval_service.moc"
