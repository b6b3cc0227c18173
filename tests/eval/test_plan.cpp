// The plan: defaults and overrides, exact JSON round trip, every validation error with its JSON
// path, atomic save, and the size estimate.
#include "core/model/onnx_reader.h"
#include "core/plan/plan.h"

#include <QtTest>

#include <fstream>

using namespace nnc;

class TestPlan : public QObject
{
    Q_OBJECT

private slots:
    void overridesResolveOverDefaults();
    void roundTripsExactly();
    void rejectsBadPlans_data();
    void rejectsBadPlans();
    void validatesNamesAgainstTheModel();
    void savesAtomically();
    void estimatesSize();
};

static const char *kPlan = R"({
  "format": "nncompress-plan", "version": 1, "model": "tinycnn.onnx",
  "defaults": {"weights": {"bits": 6}, "pruning": {"ratio": 0.25}},
  "layers": {"conv2": {"weights": {"bits": 4, "symmetric": false, "range": "signed",
                                   "rmin": -0.3, "rmax": 0.7},
                       "pruning": {"structure": "n:m", "n": 2, "m": 4}},
             "fc": {"weights": {"enabled": false}}},
  "activations": {"r1": {"bits": 5, "calibration": "percentile:99.9", "rmin": 0, "rmax": 2.5}}
})";

void TestPlan::overridesResolveOverDefaults()
{
    auto p = parsePlan(kPlan);
    QVERIFY2(p, p ? "" : p.error().message.c_str());
    QCOMPARE(p->weightConfig("conv1").spec.bits, 6);
    QCOMPARE(p->weightConfig("conv1").granularity, Granularity::PerChannel);
    const QuantConfig c2 = p->weightConfig("conv2");
    QCOMPARE(c2.spec.bits, 4);
    QVERIFY(!c2.spec.symmetric);
    QCOMPARE(c2.range->rmin, -0.3f);
    QVERIFY(!p->weightConfig("fc").enabled);
    QCOMPARE(p->pruneConfig("conv1").spec.ratio, 0.25);
    QCOMPARE(p->pruneConfig("conv2").spec.structure, PruneStructure::NM);
    QCOMPARE(p->pruneConfig("conv2").spec.ratio, 0.25);
    const QuantConfig a = p->activationConfig("r1");
    QCOMPARE(a.spec.bits, 5);
    QCOMPARE(a.calibration.method, CalibMethod::Percentile);
    QCOMPARE(a.calibration.percentile, 99.9);
    QCOMPARE(a.range->rmax, 2.5f);
    QVERIFY(!p->activationConfig("r2").range);
}

void TestPlan::roundTripsExactly()
{
    auto p = parsePlan(kPlan);
    QVERIFY(p);
    p->activations["r2"].rmin = 0.1f;   // a float that is not a short decimal
    p->activations["r2"].rmax = 1.0f / 3.0f;
    const std::string text = planToJson(*p);
    auto back = parsePlan(text);
    QVERIFY(back);
    QCOMPARE(planToJson(*back), text);
    QCOMPARE(back->activationConfig("r2").range->rmax, 1.0f / 3.0f);
}

void TestPlan::rejectsBadPlans_data()
{
    QTest::addColumn<QString>("json");
    QTest::addColumn<QString>("message");
    const QString head = R"({"format": "nncompress-plan", "version": 1, )";
    QTest::newRow("not json") << "{" << "the plan is not valid JSON";
    QTest::newRow("format") << R"({"format": "x", "version": 1})" << "$.format: expected \"nncompress-plan\".";
    QTest::newRow("version") << R"({"format": "nncompress-plan", "version": 2})"
                             << "$.version: version 2 is not supported (this program reads version 1).";
    QTest::newRow("unknown field") << head + R"("extra": 1})" << "$.extra: unknown field.";
    QTest::newRow("bits") << head + R"("layers": {"conv1": {"weights": {"bits": 17}}}})"
                          << "$.layers.conv1.weights.bits: 17 is outside 2 to 16.";
    QTest::newRow("bits type") << head + R"("layers": {"conv1": {"weights": {"bits": "8"}}}})"
                               << "$.layers.conv1.weights.bits: expected a whole number.";
    QTest::newRow("rmin > rmax") << head + R"("activations": {"r1": {"rmin": 2, "rmax": 1}}})"
                                 << "$.activations.r1: rmin 2.0 is greater than rmax 1.0.";
    QTest::newRow("rmin alone") << head + R"("activations": {"r1": {"rmin": 0}}})"
                                << "$.activations.r1: rmin and rmax must be given together.";
    QTest::newRow("ratio") << head + R"("defaults": {"pruning": {"ratio": 1.0}}})"
                           << "$.defaults.pruning.ratio: 1.0 is outside [0, 1).";
    QTest::newRow("range name") << head + R"("defaults": {"weights": {"range": "int8"}}})"
                                << "$.defaults.weights.range: expected \"signed\", \"unsigned\" or \"signed_restricted\".";
    QTest::newRow("symmetric type") << head + R"("layers": {"fc": {"weights": {"symmetric": 1}}}})"
                                    << "$.layers.fc.weights.symmetric: expected true or false.";
    QTest::newRow("calibration") << head + R"("defaults": {"activations": {"calibration": "magic"}}})"
                                 << "$.defaults.activations.calibration:";
}

void TestPlan::rejectsBadPlans()
{
    QFETCH(QString, json);
    QFETCH(QString, message);
    auto p = parsePlan(json.toStdString());
    QVERIFY(!p);
    QVERIFY2(QString::fromStdString(p.error().message).startsWith(message),
             qPrintable(QString::fromStdString(p.error().message)));
}

void TestPlan::validatesNamesAgainstTheModel()
{
    auto m = readModel(NNC_SOURCE_DIR "/tests/data/eval/tinycnn.onnx");
    QVERIFY(m);
    const auto layers = findLayers(*m);
    QCOMPARE(layers.size(), std::size_t(3));
    const auto acts = activationTensors(layers);
    QCOMPARE(acts, (std::vector<std::string>{"image", "r1", "f"}));
    auto p = parsePlan(kPlan);
    QVERIFY(p);
    QVERIFY(validatePlan(*p, layers, acts));
    p->layers["conv9"] = {};
    auto bad = validatePlan(*p, layers, acts);
    QVERIFY(!bad);
    QCOMPARE(QString::fromStdString(bad.error().message),
             QString("$.layers.conv9: the model has no layer named 'conv9'."));
    p->layers.erase("conv9");
    p->activations["c1"].bits = 8;
    bad = validatePlan(*p, layers, acts);
    QVERIFY(!bad);
    QVERIFY(QString::fromStdString(bad.error().message).startsWith("$.activations.c1: the model has no quantizable"));
}

void TestPlan::savesAtomically()
{
    QTemporaryDir dir;
    const std::string path = dir.filePath("plan.json").toStdString();
    auto p = parsePlan(kPlan);
    QVERIFY(p);
    QVERIFY(savePlan(*p, path));
    auto back = loadPlan(path);
    QVERIFY(back);
    QCOMPARE(planToJson(*back), planToJson(*p));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 1); // no temp left
    auto missing = loadPlan(dir.filePath("nope.json").toStdString());
    QVERIFY(!missing);
    QVERIFY(QString::fromStdString(missing.error().message).contains("nope.json"));
    auto cannot = savePlan(*p, "/nonexistent-dir/plan.json");
    QVERIFY(!cannot);
}

void TestPlan::estimatesSize()
{
    auto m = readModel(NNC_SOURCE_DIR "/tests/data/eval/tinycnn.onnx");
    QVERIFY(m);
    const auto layers = findLayers(*m);
    CompressionPlan p = CompressionPlan::defaults();
    const SizeEstimate f = estimateSize(*m, layers, nullptr);
    // 36 + 4 + 216 + 270 float parameters
    QCOMPARE(f.floatBytes, int64_t((36 + 4 + 216 + 270) * 4));
    QCOMPARE(f.compressedBytes, f.floatBytes);
    const SizeEstimate q = estimateSize(*m, layers, &p);
    // 8-bit per-channel: conv1 36*8 + 4*(32+8) bits = 448 bits = 56 bytes
    QCOMPARE(q.layers[0].compressedBytes, int64_t(56));
    // conv2: 216*8 + 6*40 = 1968 bits = 246 bytes; fc: 270*8 + 5*40 = 2360 bits = 295 bytes
    QCOMPARE(q.layers[1].compressedBytes, int64_t(246));
    QCOMPARE(q.layers[2].compressedBytes, int64_t(295));
    QCOMPARE(q.compressedBytes, int64_t(4 * 4 + 56 + 246 + 295));
    // 50% sparse conv2 at 8 bits: mask 216 + 108 * 8 = 1080 bits < dense 1728: 165 bytes
    const SizeEstimate s = estimateSize(*m, layers, &p, {0.0, 0.5, 0.0});
    QCOMPARE(s.layers[1].compressedBytes, int64_t((216 + 108 * 8 + 240 + 7) / 8));
}

QTEST_APPLESS_MAIN(TestPlan)
#include "test_plan.moc"
