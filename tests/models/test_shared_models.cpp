// The real public models in ../shared/models (third-party, never copied here): `nncompress
// inspect --json` agrees with each model's facts.json, and our engine reproduces ONNX Runtime's
// stored outputs for every reference/test_data_set_*. Skips with a message where ../shared is
// absent.
#include "core/data/dataset.h"
#include "core/eval/evaluator.h"
#include "core/model/onnx_reader.h"
#include "core/runtime/session.h"

#include <QProcess>
#include <QtTest>

#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;
using namespace nnc;

class TestSharedModels : public QObject
{
    Q_OBJECT

private slots:
    void inspectAgreesWithFacts_data();
    void inspectAgreesWithFacts();
    void outputsMatchOnnxRuntime_data();
    void outputsMatchOnnxRuntime();
    void hinglishReachesRecordedIntentAccuracy();

private:
    static void addModelRows();
};

void TestSharedModels::addModelRows()
{
    QTest::addColumn<QString>("dir");
    const fs::path root = NNC_SHARED_DIR "/models";
    if (!fs::exists(root)) {
        QTest::newRow("absent") << QString();
        return;
    }
    std::vector<fs::path> dirs;
    for (const auto &e : fs::directory_iterator(root))
        if (fs::exists(e.path() / "model.onnx"))
            dirs.push_back(e.path());
    std::sort(dirs.begin(), dirs.end());
    for (const auto &d : dirs)
        QTest::newRow(d.filename().c_str()) << QString::fromStdString(d.string());
}

void TestSharedModels::inspectAgreesWithFacts_data()
{
    addModelRows();
}

void TestSharedModels::inspectAgreesWithFacts()
{
    QFETCH(QString, dir);
    if (dir.isEmpty())
        QSKIP("../shared/models is absent: the third-party model checks are skipped.");
    QProcess p;
    p.start(NNC_CLI_PATH, {"inspect", "--json", dir + "/model.onnx"});
    QVERIFY(p.waitForFinished(120000));
    QCOMPARE(p.exitCode(), 0);
    const auto got = nlohmann::json::parse(p.readAllStandardOutput().toStdString());
    std::ifstream f(fs::path(dir.toStdString()) / "facts.json");
    const auto facts = nlohmann::json::parse(f);
    QCOMPARE(got["ir_version"].get<int64_t>(), facts["ir_version"].get<int64_t>());
    QCOMPARE(QString::fromStdString(got["opsets"].dump()), QString::fromStdString(facts["opsets"].dump()));
    QCOMPARE(QString::fromStdString(got["op_counts"].dump()),
             QString::fromStdString(facts["op_counts"].dump()));
    QCOMPARE(got["node_count"].get<int64_t>(), facts["node_count"].get<int64_t>());
    QCOMPARE(got["parameter_count"].get<int64_t>(), facts["parameter_count"].get<int64_t>());
    for (const char *key : {"inputs", "outputs"}) {
        QCOMPARE(got[key].size(), facts[key].size());
        for (std::size_t i = 0; i < facts[key].size(); ++i) {
            QCOMPARE(got[key][i]["name"], facts[key][i]["name"]);
            QCOMPARE(got[key][i]["dtype"], facts[key][i]["dtype"]);
            QCOMPARE(QString::fromStdString(got[key][i]["shape"].dump()),
                     QString::fromStdString(facts[key][i]["shape"].dump()));
        }
    }
}

void TestSharedModels::outputsMatchOnnxRuntime_data()
{
    addModelRows();
}

void TestSharedModels::outputsMatchOnnxRuntime()
{
    QFETCH(QString, dir);
    if (dir.isEmpty())
        QSKIP("../shared/models is absent: the third-party model checks are skipped.");
    const fs::path d = dir.toStdString();
    auto model = readModel(d / "model.onnx");
    QVERIFY2(model, model ? "" : model.error().message.c_str());
    auto shared = std::make_shared<const Model>(std::move(*model));
    auto session = Session::create(shared);
    QVERIFY2(session, session ? "" : session.error().message.c_str());
    const auto names = session->outputNames();
    int sets = 0;
    for (int s = 0;; ++s) {
        const fs::path set = d / "reference" / ("test_data_set_" + std::to_string(s));
        if (!fs::exists(set))
            break;
        ++sets;
        std::vector<Tensor> inputs;
        for (std::size_t i = 0; fs::exists(set / ("input_" + std::to_string(i) + ".pb")); ++i) {
            auto t = readTensorFile(set / ("input_" + std::to_string(i) + ".pb"));
            QVERIFY(t);
            inputs.push_back(std::move(*t));
        }
        auto outs = session->run(inputs);
        QVERIFY2(outs, outs ? "" : outs.error().message.c_str());
        for (std::size_t i = 0; i < names.size(); ++i) {
            auto want = readTensorFile(set / ("output_" + std::to_string(i) + ".pb"));
            QVERIFY(want);
            const Tensor &got = (*outs)[i];
            QCOMPARE(got.dims(), want->dims());
            // Tolerance: 1e-4 of the output's scale (its largest magnitude, at least 1).
            double scale = 1.0, maxErr = 0.0;
            for (int64_t k = 0; k < want->numel(); ++k)
                scale = std::max(scale, std::abs(want->valueAsDouble(k)));
            for (int64_t k = 0; k < want->numel(); ++k)
                maxErr = std::max(maxErr, std::abs(got.valueAsDouble(k) - want->valueAsDouble(k)));
            qInfo("%s set %d output '%s': max abs error %.3g (scale %.3g)",
                  d.filename().c_str(), s, names[i].c_str(), maxErr, scale);
            QVERIFY2(maxErr <= 1e-4 * scale, qPrintable(QString("max abs error %1 exceeds %2")
                                                             .arg(maxErr).arg(1e-4 * scale)));
        }
    }
    QVERIFY(sets >= 1);
}

void TestSharedModels::hinglishReachesRecordedIntentAccuracy()
{
    const fs::path d = NNC_SHARED_DIR "/models/hinglish_intent_slot_int8";
    if (!fs::exists(d / "val.npz"))
        QSKIP("../shared/models/hinglish_intent_slot_int8 is absent: skipped.");
    std::ifstream f(d / "facts.json");
    const auto facts = nlohmann::json::parse(f);
    const auto &v = facts["validation"];
    auto model = readModel(d / "model.onnx");
    QVERIFY(model);
    auto shared = std::make_shared<const Model>(std::move(*model));
    DatasetOverrides o;
    o.labels = {"intent_logits=intent:accuracy"};
    auto data = openDataset(d / "val.npz", *shared, o);
    QVERIFY2(data, data ? "" : data.error().message.c_str());
    auto ev = Evaluator::create(shared, std::move(*data));
    QVERIFY2(ev, ev ? "" : ev.error().message.c_str());
    QCOMPARE((*ev)->sampleCount(), v["n"].get<int64_t>());
    auto r = (*ev)->evaluate(nullptr);
    QVERIFY2(r, r ? "" : r.error().message.c_str());
    QCOMPARE(r->heads[0].output, std::string("intent_logits"));
    qInfo("intent accuracy %.4f (ONNX Runtime, facts.json: %.4f)", r->heads[0].baseline,
          v["accuracy"].get<double>());
    QCOMPARE(r->heads[0].baseline, v["accuracy"].get<double>());
}

QTEST_APPLESS_MAIN(TestSharedModels)
#include "test_shared_models.moc"
