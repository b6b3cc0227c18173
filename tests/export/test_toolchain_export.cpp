// Toolchain formats (core/export/toolchain_export.h) on tinycnn: ONNX Runtime overrides with
// their calibration table, AIMET encodings 0.6.1 and 1.0.0, the TensorRT calibration cache.
// Round trips: plan -> export -> import gives the same bits and integer ranges for every layer,
// the same activation ranges (exact through ORT's calibration table; the same scale and zero
// point otherwise), and a preview bit-identical to the original plan's. Also: the files follow
// the formats' rules (ORT's override validation, AIMET's offset convention, TensorRT's hex
// scales), what a format cannot express is refused with the exact message, and bad files are
// errors naming the entry.
#include "core/data/dataset.h"
#include "core/eval/evaluator.h"
#include "core/export/toolchain_export.h"
#include "core/model/onnx_reader.h"
#include "tests/common/test_plans.h"
#include "tests/common/model_fixture.h"

#include <QRegularExpression>
#include <QtTest>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <bit>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>

using namespace nnc;
namespace fs = std::filesystem;
using json = nlohmann::json;

class TestToolchainExport : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void ortRoundTrip_data();
    void ortRoundTrip();
    void ortFileFollowsOrtRules();
    void aimetRoundTrip_data();
    void aimetRoundTrip();
    void aimetOffsetConvention();
    void trtCacheLines();
    void refusals_data();
    void refusals();
    void importErrors();
    void nonFiniteRangesAreRefused();
    void importRefusesNumbersItCannotHold_data();
    void importRefusesNumbersItCannotHold();
    void importDisablesWhatTheFileOmits();
    void companionNeverOverwritesTheModel();
    void histogramWeightScalesAreNotReimported();
    void sharedModelsExportAndReadBack_data();
    void sharedModelsExportAndReadBack();

private:
    fs::path m_dir;
};

static const char *kModel = NNC_SOURCE_DIR "/tests/data/eval/tinycnn.onnx";
static const char *kData = NNC_SOURCE_DIR "/tests/data/eval/tinycnn_val.npz";

static std::unique_ptr<Evaluator> makeEvaluator(std::shared_ptr<const Model> model)
{
    auto data = openDataset(kData, *model);
    if (!data)
        qFatal("%s", data.error().message.c_str());
    EvalOptions o;
    o.collectOutputs = true;
    o.layerErrorSamples = 0;
    auto ev = Evaluator::create(model, std::move(*data), o);
    if (!ev)
        qFatal("%s", ev.error().message.c_str());
    return std::move(*ev);
}

/// The shared plans (tests/common/test_plans.h) and this test's own.
static CompressionPlan makePlan(const QString &name)
{
    if (auto shared = test::sharedPlan(name.toStdString()))
        return *shared;
    CompressionPlan p = CompressionPlan::defaults();
    if (name == "w6_a8") {
        p.weightDefaults.spec.bits = 6;
    } else if (name == "w8pt_a8_signed_sym") {
        p.weightDefaults.granularity = Granularity::PerTensor;
        p.activationDefaults.spec = QuantSpec{8, IntRange::Signed, true};
    } else if (name == "w5_unsigned_asym") {
        p.weightDefaults.spec = QuantSpec{5, IntRange::Unsigned, false};
    } else if (name == "w12_a16") {
        p.weightDefaults.spec.bits = 12;
        p.activationDefaults.spec.bits = 16;
    } else if (name == "mixed") {
        p.layers["conv2"].weights.enabled = false;
        p.layers["fc"].weights.bits = 7;
        p.activations["r1"].enabled = false;
        p.activations["f"].symmetric = true; // unsigned symmetric: S = rmax / 255
    } else if (name == "manual_weight_range") {
        p.layers["fc"].weights.granularity = Granularity::PerTensor;
        p.layers["fc"].weights.rmin = -0.5f;
        p.layers["fc"].weights.rmax = 0.75f;
        p.layers["fc"].weights.symmetric = false;
        p.layers["fc"].weights.range = IntRange::Signed;
    } else {
        qFatal("unknown plan %s", qPrintable(name));
    }
    return p;
}

void TestToolchainExport::initTestCase()
{
    m_dir = fs::temp_directory_path() / ("nnc_toolchain_" + std::to_string(::getpid()));
    fs::create_directories(m_dir);
}

void TestToolchainExport::cleanupTestCase()
{
    std::error_code ec;
    fs::remove_all(m_dir, ec);
}

static std::string slurp(const fs::path &p)
{
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

/// The imported plan means what the original meant: per layer the same weight settings (a manual
/// range only where the original had one), per activation the same (S, Z) from its range and the
/// exact range itself when `exactRanges`; and the preview is bit-identical.
static void compareImported(const Model &model, Evaluator &ev, const CompressionPlan &orig,
                            const CompressionPlan &imported, bool exactRanges)
{
    const auto layers = findLayers(model);
    QVERIFY(validatePlan(imported, layers, activationTensors(layers)));
    for (const Layer &l : layers) {
        const QuantConfig a = orig.weightConfig(l.name), b = imported.weightConfig(l.name);
        QCOMPARE(b.enabled, a.enabled);
        if (!a.enabled)
            continue;
        QCOMPARE(b.spec.bits, a.spec.bits);
        // An asymmetric grid may come back unsigned (AIMET has no signedness for it): the same
        // real values, with Z shifted by 2^(b-1).
        if (a.spec.symmetric)
            QCOMPARE(b.spec.range, a.spec.range);
        else
            QVERIFY(b.spec.range != IntRange::SignedRestricted);
        QCOMPARE(b.spec.symmetric, a.spec.symmetric);
        QCOMPARE(b.granularity, a.granularity);
        QCOMPARE(b.range.has_value(), a.range.has_value());
        if (a.range) {
            const QuantParams pa = chooseParams(a.spec, a.range->rmin, a.range->rmax);
            const QuantParams pb = chooseParams(b.spec, b.range->rmin, b.range->rmax);
            QCOMPARE(pb.scale, pa.scale);
            QCOMPARE(dequantizeValue(pb.qmin, pb), dequantizeValue(pa.qmin, pa));
            QCOMPARE(dequantizeValue(pb.qmax, pb), dequantizeValue(pa.qmax, pa));
        }
    }
    for (const auto &t : activationTensors(layers)) {
        const QuantConfig a = orig.activationConfig(t), b = imported.activationConfig(t);
        QCOMPARE(b.enabled, a.enabled);
        if (!a.enabled)
            continue;
        QCOMPARE(b.spec.bits, a.spec.bits);
        QVERIFY(b.range);
        const QuantParams pa = chooseParams(a.spec, a.range->rmin, a.range->rmax);
        const QuantParams pb = chooseParams(b.spec, b.range->rmin, b.range->rmax);
        QCOMPARE(pb.scale, pa.scale);
        QCOMPARE(pb.zeroPoint, pa.zeroPoint);
        QCOMPARE(pb.qmin, pa.qmin);
        QCOMPARE(pb.qmax, pa.qmax);
        if (exactRanges) {
            QCOMPARE(b.range->rmin, a.range->rmin);
            QCOMPARE(b.range->rmax, a.range->rmax);
            QCOMPARE(b.spec.range, a.spec.range);
        }
    }
    auto pa = ev.evaluate(&orig);
    auto pb = ev.evaluate(&imported);
    QVERIFY2(pa && pb, pa ? (pb ? "" : pb.error().message.c_str()) : pa.error().message.c_str());
    const Tensor &x = pa->outputs[0], &y = pb->outputs[0];
    QCOMPARE(x.dims(), y.dims());
    QVERIFY(std::memcmp(x.data<float>(), y.data<float>(), sizeof(float) * x.numel()) == 0);
}

void TestToolchainExport::ortRoundTrip_data()
{
    QTest::addColumn<QString>("plan");
    for (const char *p : {"w8pc_a8", "w4_a8", "w6_a8", "w8pt_a8_signed_sym", "w5_unsigned_asym",
                          "w12_a16", "mixed", "manual_weight_range"})
        QTest::newRow(p) << QString(p);
}

void TestToolchainExport::ortRoundTrip()
{
    QFETCH(QString, plan);
    auto model = test::readModelShared(kModel);
    auto ev = makeEvaluator(model);
    CompressionPlan p = makePlan(plan);
    QVERIFY(ev->calibrate(p, true));
    auto ex = exportOrtOverrides(*model, p);
    QVERIFY2(ex, ex ? "" : ex.error().message.c_str());
    QCOMPARE(ex->files.size(), std::size_t(2));
    for (const auto &n : ex->notes)
        qInfo("note: %s", n.c_str());
    const fs::path out = m_dir / (plan.toStdString() + "_ort.json");
    auto written = writeToolchainExport(*ex, out, kModel);
    QVERIFY2(written, written ? "" : written.error().message.c_str());
    QCOMPARE(written->size(), std::size_t(2));
    QCOMPARE((*written)[1], m_dir / (plan.toStdString() + "_ort.calibration.json"));

    // With the calibration table beside it: the exact ranges.
    auto imp = importPlanFile(*model, out);
    QVERIFY2(imp, imp ? "" : imp.error().message.c_str());
    QCOMPARE(imp->format, std::string("ort-overrides"));
    compareImported(*model, *ev, p, imp->plan, true);
    // Without it: ranges rebuilt from scale and zero point, same quantization.
    auto bare = importOrtOverrides(*model, ex->files[0].text);
    QVERIFY2(bare, bare ? "" : bare.error().message.c_str());
    compareImported(*model, *ev, p, bare->plan, false);
}

void TestToolchainExport::ortFileFollowsOrtRules()
{
    // The rules of onnxruntime's TensorQuantOverridesHelper.is_valid: per-channel lists carry
    // "axis" in the first dict and one dict per channel; 'scale'/'zero_point' never appear with
    // 'symmetric', 'reduce_range', 'rmin' or 'rmax'; every quant_type is a QuantType name.
    auto model = test::readModelShared(kModel);
    auto ev = makeEvaluator(model);
    CompressionPlan p = makePlan("w4_a8");
    p.layers["fc"].weights.granularity = Granularity::PerTensor;
    QVERIFY(ev->calibrate(p, true));
    auto ex = exportOrtOverrides(*model, p);
    QVERIFY(ex);
    const json j = json::parse(ex->files[0].text);
    QCOMPARE(j.size(), std::size_t(6));          // w1, w2, w3, image, r1, f
    std::map<std::string, std::size_t> channels; // per-channel weights: w1, w2 (fc per tensor)
    for (const Layer &l : findLayers(*model))
        if (l.name != "fc")
            channels[l.weight] = static_cast<std::size_t>(l.shape[0]);
    QCOMPARE(channels.size(), std::size_t(2));
    for (const auto &[name, list] : j.items()) {
        QVERIFY(list.is_array() && !list.empty());
        const bool perChannel = channels.contains(name);
        QCOMPARE(list[0].contains("axis"), perChannel);
        if (perChannel) {
            QCOMPARE(list.size(), channels.at(name));
            QCOMPARE(list[0]["axis"].get<int>(), 0);
        } else {
            QCOMPARE(list.size(), std::size_t(1));
        }
        for (std::size_t k = 0; k < list.size(); ++k) {
            const json &d = list[k];
            QVERIFY(k == 0 || !d.contains("axis"));
            QVERIFY(d.contains("scale") && d.contains("zero_point"));
            for (const char *bad : {"symmetric", "reduce_range", "rmin", "rmax"})
                QVERIFY(!d.contains(bad));
            const std::string t = d["quant_type"];
            QVERIFY2(t == (name.starts_with("w") ? "QInt4" : "QUInt8"), t.c_str());
            QVERIFY(d["scale"].get<double>() > 0);
        }
    }
    // The scales are the evaluator's, bit for bit.
    const QuantConfig act = p.activationConfig("r1");
    const QuantParams r1 = chooseParams(act.spec, act.range->rmin, act.range->rmax);
    QCOMPARE(static_cast<float>(j["r1"][0]["scale"].get<double>()), r1.scale);
    QCOMPARE(j["r1"][0]["zero_point"].get<int>(), r1.zeroPoint);
    // The calibration table as ORT's write_calibration_table writes TensorsData.
    const json t = json::parse(ex->files[1].text);
    QCOMPARE(t["CLS"].get<std::string>(), std::string("TensorsData"));
    QCOMPARE(t["data"]["r1"]["CLS"].get<std::string>(), std::string("TensorData"));
    QCOMPARE(static_cast<float>(t["data"]["r1"]["highest"]["data"].get<double>()), act.range->rmax);
    QCOMPARE(t["data"]["r1"]["lowest"]["dtype"].get<std::string>(), std::string("float32"));
    bool noted = false;
    for (const auto &n : ex->notes)
        noted = noted || n.find("QInt4/QUInt4") != std::string::npos;
    QVERIFY(noted);
}

void TestToolchainExport::aimetRoundTrip_data()
{
    QTest::addColumn<QString>("plan");
    QTest::addColumn<QString>("version");
    for (const char *v : {"0.6.1", "1.0.0"})
        for (const char *p : {"w8pc_a8", "w4_a8", "w6_a6", "w8pt_a8_signed_sym", "w5_unsigned_asym",
                              "w12_a16", "mixed", "manual_weight_range"})
            QTest::newRow((std::string(p) + "@" + v).c_str()) << QString(p) << QString(v);
}

void TestToolchainExport::aimetRoundTrip()
{
    QFETCH(QString, plan);
    QFETCH(QString, version);
    auto model = test::readModelShared(kModel);
    auto ev = makeEvaluator(model);
    CompressionPlan p = makePlan(plan);
    QVERIFY(ev->calibrate(p, true));
    auto ex = exportAimet(*model, p, version.toStdString());
    QVERIFY2(ex, ex ? "" : ex.error().message.c_str());
    QCOMPARE(ex->files.size(), std::size_t(1));
    const json j = json::parse(ex->files[0].text);
    QCOMPARE(j["version"].get<std::string>(), version.toStdString());
    QCOMPARE(j["param_encodings"].is_array(), version == "1.0.0");
    const fs::path out = m_dir / (plan.toStdString() + "_" + version.toStdString() + ".json");
    QVERIFY(writeToolchainExport(*ex, out, kModel));
    auto imp = importPlanFile(*model, out);
    QVERIFY2(imp, imp ? "" : imp.error().message.c_str());
    QCOMPARE(imp->format, "aimet " + version.toStdString());
    for (const auto &n : imp->notes)
        qInfo("import note: %s", n.c_str());
    compareImported(*model, *ev, p, imp->plan, false);
}

void TestToolchainExport::aimetOffsetConvention()
{
    // AIMET: integers [0, 2^b - 1], real = scale * (q + offset); symmetric 8-bit: offset -128;
    // min/max are the grid's ends.
    auto model = test::readModelShared(kModel);
    CompressionPlan p = CompressionPlan::defaults();
    for (const char *t : {"image", "r1", "f"}) {
        p.activations[t].rmin = -1.0f;
        p.activations[t].rmax = 3.0f;
    }
    auto ex = exportAimet(*model, p, "0.6.1");
    QVERIFY(ex);
    const json j = json::parse(ex->files[0].text);
    // The guide's example: unsigned 8-bit asymmetric [-1, 3]: S = 4/255, Z = 64.
    const json &e = j["activation_encodings"]["r1"][0];
    QCOMPARE(e["offset"].get<int>(), -64);
    QCOMPARE(static_cast<float>(e["scale"].get<double>()), 4.0f / 255.0f);
    QCOMPARE(e["is_symmetric"].get<std::string>(), std::string("False"));
    QCOMPARE(e["bitwidth"].get<int>(), 8);
    QVERIFY(std::abs(e["min"].get<double>() - -64.0 * (4.0f / 255.0f)) < 1e-12);
    QVERIFY(std::abs(e["max"].get<double>() - 191.0 * (4.0f / 255.0f)) < 1e-12);
    const json &w = j["param_encodings"]["w1"];
    QCOMPARE(w.size(), std::size_t(4));
    for (const json &c : w) {
        QCOMPARE(c["offset"].get<int>(), -128);
        QCOMPARE(c["is_symmetric"].get<std::string>(), std::string("True"));
    }
    auto v1 = exportAimet(*model, p, "1.0.0");
    QVERIFY(v1);
    const json k = json::parse(v1->files[0].text);
    const json &pw = k["param_encodings"][0];
    QCOMPARE(pw["name"].get<std::string>(), std::string("w1"));
    QCOMPARE(pw["enc_type"].get<std::string>(), std::string("PER_CHANNEL"));
    QCOMPARE(pw["is_sym"].get<bool>(), true);
    QCOMPARE(pw["bw"].get<int>(), 8);
    QCOMPARE(pw["scale"].size(), std::size_t(4));
    QCOMPARE(pw["offset"][0].get<int>(), -128);
    QCOMPARE(k["activation_encodings"][1]["enc_type"].get<std::string>(),
             std::string("PER_TENSOR"));
}

void TestToolchainExport::trtCacheLines()
{
    auto model = test::readModelShared(kModel);
    auto ev = makeEvaluator(model);
    CompressionPlan p = CompressionPlan::defaults();
    p.activationDefaults.spec = QuantSpec{8, IntRange::SignedRestricted, true};
    QVERIFY(ev->calibrate(p, true));
    auto ex = exportTrtCache(*model, p);
    QVERIFY2(ex, ex ? "" : ex.error().message.c_str());
    const QStringList lines = QString::fromStdString(ex->files[0].text).trimmed().split('\n');
    QCOMPARE(lines.size(), 4);
    QCOMPARE(lines[0], QString("TRT-8601-EntropyCalibration2"));
    const char *names[] = {"image", "r1", "f"};
    for (int i = 0; i < 3; ++i) {
        const QStringList parts = lines[i + 1].split(": ");
        QCOMPARE(parts.size(), 2);
        QCOMPARE(parts[0], QString(names[i]));
        QCOMPARE(parts[1].size(), 8);
        bool ok = false;
        const uint32_t bits = parts[1].toUInt(&ok, 16);
        QVERIFY(ok);
        const float scale = std::bit_cast<float>(bits);
        const QuantConfig q = p.activationConfig(names[i]);
        const double amax = std::max(std::abs(double(q.range->rmin)), double(q.range->rmax));
        QCOMPARE(scale, static_cast<float>(amax / 127.0)); // TensorRT: scale = amax / 127
        QCOMPARE(scale, chooseParams(q.spec, q.range->rmin, q.range->rmax).scale);
    }
    // The guide's example: signed 8-bit symmetric [-2.5, 1.0]: S = 2.5 / 127 = 0x3ca14285.
    for (const char *t : {"image", "r1", "f"}) {
        p.activations[t].rmin = -2.5f;
        p.activations[t].rmax = 1.0f;
    }
    auto fixed = exportTrtCache(*model, p, 100100);
    QVERIFY(fixed);
    QVERIFY(fixed->files[0].text.starts_with("TRT-100100-EntropyCalibration2\nimage: "));
    char expect[16];
    std::snprintf(expect, sizeof expect, "%08x", std::bit_cast<uint32_t>(2.5f / 127.0f));
    QVERIFY(fixed->files[0].text.find(std::string("r1: ") + expect + "\n") != std::string::npos);
}

void TestToolchainExport::refusals_data()
{
    QTest::addColumn<QString>("format");
    QTest::addColumn<QString>("plan");
    QTest::addColumn<QString>("message");
    QTest::newRow("ort 6-bit activations")
        << "ort"
        << "w6_a6"
        << "activation tensor 'image': 6-bit activations have no ONNX Runtime quantization type "
           "(it quantizes activations to 8 or 16 bits and saturates to the whole type). Use "
           "--format qdq, which confines them with a Clip.";
    QTest::newRow("ort restricted activations")
        << "ort"
        << "a8_restricted"
        << "activation tensor 'image': a restricted range (-127 to 127) cannot be expressed: ONNX "
           "Runtime's QuantizeLinear saturates activations to the whole type. Use --format qdq.";
    QTest::newRow("ort pruning")
        << "ort"
        << "prune"
        << "the plan prunes layers 'conv1', 'conv2', 'fc', and ONNX Runtime's "
           "TensorQuantOverrides carries quantization parameters only: export the pruned model "
           "with --format pruned, then export this format for it from a plan without pruning.";
    QTest::newRow("ort narrow restricted weight range")
        << "ort"
        << "narrow_weight"
        << "layer 'fc': weight element 0 quantizes to a different integer when saturated to "
           "[-128, 127] (what ONNX Runtime stores) than to the plan's signed_restricted 8-bit "
           "range: its range is narrower than the weights. Use --format qdq, or a plan range that "
           "covers the weights.";
    QTest::newRow("aimet 3-bit weights")
        << "aimet"
        << "w3"
        << "layer 'conv1': AIMET encodings take bit widths 4 to 32, not 3. Use --format qdq.";
    QTest::newRow("aimet restricted activations")
        << "aimet"
        << "a8_restricted"
        << "activation tensor 'image': AIMET encodings use the whole b-bit range; the plan's "
           "restricted range cannot be expressed. Use --format qdq.";
    QTest::newRow("trt unsigned activations")
        << "trt"
        << "trt_unsigned"
        << "activation tensor 'image': TensorRT's calibrated activations are 8-bit "
           "signed_restricted symmetric (scale = amax / 127), and the plan's are 8-bit unsigned "
           "asymmetric. Change the plan's activations, or use --format qdq.";
    QTest::newRow("trt 4-bit weights")
        << "trt"
        << "trt_w4"
        << "layer 'conv1': TensorRT quantizes weights itself, 8-bit symmetric per channel from "
           "their extremes, and the plan has 4 bits, which a calibration cache cannot express. "
           "Use --format qdq (explicit quantization).";
    QTest::newRow("trt per-tensor weights")
        << "trt"
        << "trt_per_tensor"
        << "layer 'fc': TensorRT quantizes weights itself, 8-bit symmetric per channel from their "
           "extremes, and the plan's are per tensor, which a calibration cache cannot express. Use "
           "--format qdq (explicit quantization).";
    QTest::newRow("missing ranges")
        << "aimet"
        << "no_ranges"
        << "activation tensors 'image', 'r1', 'f' have no range in the plan: calibrate first "
           "(export --data, or nncompress calibrate).";
}

void TestToolchainExport::refusals()
{
    QFETCH(QString, format);
    QFETCH(QString, plan);
    QFETCH(QString, message);
    auto model = test::readModelShared(kModel);
    CompressionPlan p = CompressionPlan::defaults();
    const bool trtActs = plan.startsWith("trt_") && plan != "trt_unsigned";
    if (trtActs)
        p.activationDefaults.spec = QuantSpec{8, IntRange::SignedRestricted, true};
    if (plan == "w6_a6") {
        p.weightDefaults.spec.bits = 6;
        p.activationDefaults.spec.bits = 6;
    } else if (plan == "a8_restricted") {
        p.activationDefaults.spec = QuantSpec{8, IntRange::SignedRestricted, true};
    } else if (plan == "prune") {
        p.pruneDefaults.spec.ratio = 0.25;
    } else if (plan == "narrow_weight") {
        p.layers["fc"].weights.granularity = Granularity::PerTensor;
        p.layers["fc"].weights.rmin = -0.01f;
        p.layers["fc"].weights.rmax = 0.01f;
    } else if (plan == "w3") {
        p.weightDefaults.spec.bits = 3;
    } else if (plan == "trt_w4") {
        p.weightDefaults.spec.bits = 4;
    } else if (plan == "trt_per_tensor") {
        p.layers["fc"].weights.granularity = Granularity::PerTensor;
    }
    if (plan != "no_ranges")
        for (const char *t : {"image", "r1", "f"}) {
            p.activations[t].rmin = -1.0f;
            p.activations[t].rmax = 2.0f;
        }
    auto ex = format == "ort"     ? exportOrtOverrides(*model, p)
              : format == "aimet" ? exportAimet(*model, p, "1.0.0")
                                  : exportTrtCache(*model, p);
    QVERIFY(!ex);
    const QString got = QString::fromStdString(ex.error().message);
    if (message.contains("element 0")) {
        // Which element comes first depends on the weights; the rest of the text is exact.
        const QRegularExpression re(
            "^" + QRegularExpression::escape(message).replace("element\\ 0", "element\\ \\d+") +
            "$");
        QVERIFY2(re.match(got).hasMatch(), qPrintable(got));
    } else {
        QCOMPARE(got, message);
    }
    QCOMPARE(ex.error().code, plan == "no_ranges" ? Error::Code::Input : Error::Code::Unsupported);
}

void TestToolchainExport::importErrors()
{
    auto model = test::readModelShared(kModel);
    auto notJson = importOrtOverrides(*model, "{\"w1\": [");
    QVERIFY(!notJson);
    QVERIFY2(notJson.error().message.starts_with("the overrides file is not valid JSON at byte"),
             notJson.error().message.c_str());
    auto badType = importOrtOverrides(
        *model, R"({"r1": [{"quant_type": "QInt3", "scale": 0.1, "zero_point": 0}]})");
    QVERIFY(!badType);
    QCOMPARE(badType.error().message,
             std::string("$['r1'][0].quant_type: 'QInt3' is not one of QInt8, QUInt8, QInt16, "
                         "QUInt16, QInt4, QUInt4."));
    auto wrongKind = importOrtOverrides(*model, R"({"r1": [{"symmetric": "yes"}]})");
    QVERIFY(!wrongKind);
    QVERIFY2(
        wrongKind.error().message.starts_with("the overrides file has a value of the wrong type"),
        wrongKind.error().message.c_str());
    auto textAxis = importOrtOverrides(*model, R"({"r1": [{"axis": "zero"}]})");
    QVERIFY(!textAxis);
    QCOMPARE(textAxis.error().message, std::string("$['r1'][0].axis: expected a whole number."));
    // Per-channel scales that are not the weights' extremes at any bit width.
    std::string odd = R"({"w1": [)";
    for (int c = 0; c < 4; ++c)
        odd += std::string(c ? "," : "") + R"({)" + (c ? "" : R"("axis": 0, )") +
               R"("quant_type": "QInt8", "scale": 0.5, "zero_point": 0})";
    odd += "]}";
    auto mismatch = importOrtOverrides(*model, odd);
    QVERIFY(!mismatch);
    QVERIFY2(mismatch.error().message.starts_with(
                 "$['w1']: weight 'w1': the file's per-channel scales are not the extremes of the "
                 "weights at any bit width (channel 0: the file's scale 0.5 and zero point 0"),
             mismatch.error().message.c_str());
    auto channels = importOrtOverrides(
        *model, R"({"w1": [{"axis": 0, "quant_type": "QInt8", "scale": 0.5, "zero_point": 0},
                          {"quant_type": "QInt8", "scale": 0.5, "zero_point": 0}]})");
    QVERIFY(!channels);
    QCOMPARE(channels.error().message,
             std::string("$['w1']: weight 'w1' has 4 channels along axis 0, but the file gives 2 "
                         "encodings."));
    auto table = importOrtOverrides(*model, R"({"CLS": "TensorsData", "data": {}})");
    QVERIFY(!table);
    QCOMPARE(table.error().message,
             std::string("this is ONNX Runtime's calibration table, not its overrides: import the "
                         "overrides file (the calibration table beside it is read with it)."));
    auto version = importAimet(*model, R"({"version": "2.0.0", "activation_encodings": {}})");
    QVERIFY(!version);
    QCOMPARE(version.error().message,
             std::string("$.version: AIMET encodings version '2.0.0' is not supported (0.4.0 to "
                         "0.6.1, 1.0.0)."));
    auto perChannelAct =
        importAimet(*model, R"({"version": "1.0.0", "activation_encodings": [{"name": "r1", "bw": 8,
                  "enc_type": "PER_CHANNEL", "is_sym": false, "scale": [0.1, 0.2],
                  "offset": [0, 0]}]})");
    QVERIFY(!perChannelAct);
    QCOMPARE(perChannelAct.error().message,
             std::string("$.activation_encodings[0]: activation tensor 'r1' has per-channel "
                         "encodings; a plan quantizes activations per tensor."));
    auto missing = importPlanFile(*model, m_dir / "nothing_here.json");
    QVERIFY(!missing);
    QVERIFY2(missing.error().message.find("nothing_here.json") != std::string::npos,
             missing.error().message.c_str());
}

void TestToolchainExport::nonFiniteRangesAreRefused()
{
    // An infinite or NaN range used to give ONNX Runtime a calibration table with null in it
    // (refused only by the read-back, with a confusing message) and AIMET a file built from the
    // float limits or from 0: every format now names the tensor and writes nothing.
    auto model = test::readModelShared(kModel);
    for (const float bad :
         {std::numeric_limits<float>::infinity(), std::numeric_limits<float>::quiet_NaN()}) {
        CompressionPlan p = CompressionPlan::defaults();
        p.activationDefaults.spec = QuantSpec{8, IntRange::SignedRestricted, true};
        for (const char *t : {"image", "r1", "f"}) {
            p.activations[t].rmin = -1.0f;
            p.activations[t].rmax = 2.0f;
        }
        p.activations["r1"].rmax = bad;
        p.activations["r1"].range = IntRange::Unsigned;
        p.activations["r1"].symmetric = false;
        for (int f = 0; f < 3; ++f) {
            auto ex = f == 0   ? exportOrtOverrides(*model, p)
                      : f == 1 ? exportAimet(*model, p, "0.6.1")
                               : exportTrtCache(*model, p);
            QVERIFY(!ex);
            QVERIFY2(ex.error().message.starts_with("activation tensor 'r1': its range [-1.000000, "),
                     ex.error().message.c_str());
            QVERIFY2(ex.error().message.find("] is not finite") != std::string::npos,
                     ex.error().message.c_str());
            QCOMPARE(ex.error().code, Error::Code::Input);
        }
        CompressionPlan w = CompressionPlan::defaults();
        for (const char *t : {"image", "r1", "f"}) {
            w.activations[t].rmin = -1.0f;
            w.activations[t].rmax = 2.0f;
        }
        w.layers["fc"].weights.granularity = Granularity::PerTensor;
        w.layers["fc"].weights.rmin = -bad;
        w.layers["fc"].weights.rmax = 1.0f;
        auto ex = exportAimet(*model, w, "1.0.0");
        QVERIFY(!ex);
        QVERIFY2(ex.error().message.starts_with("layer 'fc': its weight range ["),
                 ex.error().message.c_str());
    }
}

void TestToolchainExport::importRefusesNumbersItCannotHold_data()
{
    // Numbers that used to be wrapped, rounded or let through as infinity: each is an error
    // naming the entry now, never a plan that means something else.
    QTest::addColumn<QString>("format");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("message");
    QTest::newRow("ort zero point beyond int32")
        << "ort" << R"({"r1": [{"quant_type": "QUInt8", "scale": 0.01, "zero_point": 4294967296}]})"
        << "$['r1'][0].zero_point: 4294967296 is outside -2147483648..2147483647.";
    QTest::newRow("ort fractional axis")
        << "ort" << R"({"w1": [{"axis": 0.7, "quant_type": "QInt8"}]})"
        << "$['w1'][0].axis: expected a whole number, not 0.7.";
    QTest::newRow("ort rmax beyond float32")
        << "ort" << R"({"r1": [{"quant_type": "QUInt8", "rmin": 0, "rmax": 1e39}]})"
        << "$['r1'][0].rmax: 1e+39 is not a finite float32 number.";
    QTest::newRow("aimet offset wrapping to zero")
        << "aimet"
        << R"({"version": "0.6.1", "activation_encodings": {"r1": [{"bitwidth": 8,
              "is_symmetric": "False", "offset": -4294967296, "scale": 0.01}]}})"
        << "$.activation_encodings['r1']: offset -4294967296 puts zero outside the 8-bit grid.";
    QTest::newRow("aimet huge offset")
        << "aimet"
        << R"({"version": "0.6.1", "activation_encodings": {"r1": [{"bitwidth": 8,
              "is_symmetric": "False", "offset": 1e300, "scale": 0.01}]}})"
        << "$.activation_encodings['r1'][0].offset: 1e+300 is outside "
           "-1099511627776..1099511627776.";
    QTest::newRow("aimet fractional offset")
        << "aimet"
        << R"({"version": "1.0.0", "activation_encodings": [{"name": "r1", "bw": 8,
              "dtype": "INT", "enc_type": "PER_TENSOR", "is_sym": false, "scale": [0.01],
              "offset": [-64.5]}]})"
        << "$.activation_encodings[0].offset[0]: expected a whole number, not -64.5.";
    QTest::newRow("aimet 1.0.0 bw wrapping to 8")
        << "aimet"
        << R"({"version": "1.0.0", "activation_encodings": [{"name": "r1", "bw": 4294967304,
              "dtype": "INT", "enc_type": "PER_TENSOR", "is_sym": false, "scale": [0.01],
              "offset": [0]}]})"
        << "$.activation_encodings[0].bw: 4294967304 is outside 0..64.";
    QTest::newRow("aimet channels of different widths")
        << "aimet"
        << R"({"version": "0.6.1", "param_encodings": {"w1": [
              {"bitwidth": 8, "is_symmetric": "True", "offset": -128, "scale": 0.01},
              {"bitwidth": 4, "is_symmetric": "True", "offset": -8, "scale": 0.1},
              {"bitwidth": 8, "is_symmetric": "True", "offset": -128, "scale": 0.01},
              {"bitwidth": 8, "is_symmetric": "True", "offset": -128, "scale": 0.01}]}})"
        << "$.param_encodings['w1'][1]: bitwidth, dtype and is_symmetric differ from the first "
           "channel's; a plan holds one kind of grid per tensor.";
}

void TestToolchainExport::importRefusesNumbersItCannotHold()
{
    QFETCH(QString, format);
    QFETCH(QString, text);
    QFETCH(QString, message);
    auto model = test::readModelShared(kModel);
    auto r = format == "ort" ? importOrtOverrides(*model, text.toStdString())
                             : importAimet(*model, text.toStdString());
    QVERIFY2(!r, "imported");
    QCOMPARE(QString::fromStdString(r.error().message), message);
}

void TestToolchainExport::importDisablesWhatTheFileOmits()
{
    // An AIMET file listing one activation and one weight, plus a bias: the rest is disabled
    // explicitly, the bias noted as ignored.
    auto model = test::readModelShared(kModel);
    const std::string text = R"({"version": "0.6.1",
        "activation_encodings": {"r1": [{"bitwidth": 8, "dtype": "int", "is_symmetric": "False",
            "min": -0.5, "max": 1.4921568627, "offset": -64, "scale": 0.0078125}]},
        "param_encodings": {"b1": [{"bitwidth": 8, "dtype": "int", "is_symmetric": "True",
            "offset": -128, "scale": 0.01}]}})";
    auto imp = importAimet(*model, text);
    QVERIFY2(imp, imp ? "" : imp.error().message.c_str());
    const CompressionPlan &p = imp->plan;
    for (const char *l : {"conv1", "conv2", "fc"})
        QVERIFY(!p.weightConfig(l).enabled);
    QVERIFY(!p.activationConfig("image").enabled);
    QVERIFY(!p.activationConfig("f").enabled);
    const QuantConfig r1 = p.activationConfig("r1");
    QVERIFY(r1.enabled);
    QCOMPARE(r1.spec.range, IntRange::Unsigned);
    const QuantParams qp = chooseParams(r1.spec, r1.range->rmin, r1.range->rmax);
    QCOMPARE(qp.scale, 0.0078125f);
    QCOMPARE(qp.zeroPoint, 64);
    QCOMPARE(imp->notes.size(), std::size_t(1));
    QVERIFY2(imp->notes[0].find("'b1'") != std::string::npos, imp->notes[0].c_str());
}

void TestToolchainExport::companionNeverOverwritesTheModel()
{
    // --out model.json next to model.onnx is fine, but a companion landing on the model is not.
    const fs::path model = m_dir / "victim.calibration.json";
    {
        std::ofstream f(model);
        f << "precious";
    }
    ToolchainExport ex;
    ex.files.push_back({"", "{}"});
    ex.files.push_back({".calibration.json", "{}"});
    auto w = writeToolchainExport(ex, m_dir / "victim.json", model);
    QVERIFY(!w);
    QCOMPARE(w.error().code, Error::Code::Usage);
    QCOMPARE(slurp(model), std::string("precious"));
    QVERIFY(!fs::exists(m_dir / "victim.json")); // nothing written at all
}

void TestToolchainExport::histogramWeightScalesAreNotReimported()
{
    // Percentile per-channel weight scales are exported as computed (the toolchain uses them as
    // they are), but a plan cannot rebuild them: the export says so, and import refuses the file.
    auto model = test::readModelShared(kModel);
    auto ev = makeEvaluator(model);
    CompressionPlan p = CompressionPlan::defaults();
    p.weightDefaults.calibration.method = CalibMethod::Percentile;
    p.weightDefaults.calibration.percentile = 99.9;
    QVERIFY(ev->calibrate(p, true));
    auto ex = exportOrtOverrides(*model, p);
    QVERIFY2(ex, ex ? "" : ex.error().message.c_str());
    bool noted = false;
    for (const auto &n : ex->notes)
        noted = noted || n.starts_with("the per-channel weight scales of 'conv1', 'conv2', 'fc' "
                                       "come from a histogram calibration method");
    QVERIFY(noted);
    auto back = importOrtOverrides(*model, ex->files[0].text, &ex->files[1].text);
    QVERIFY(!back);
    QCOMPARE(back.error().code, Error::Code::Unsupported);
}

void TestToolchainExport::sharedModelsExportAndReadBack_data()
{
    QTest::addColumn<QString>("file");
    const fs::path shared = fs::path(NNC_SHARED_DIR) / "models";
    if (!fs::exists(shared)) {
        QTest::newRow("absent") << QString();
        return;
    }
    std::vector<fs::path> files;
    for (const auto &e : fs::directory_iterator(shared))
        if (fs::exists(e.path() / "model.onnx"))
            files.push_back(e.path() / "model.onnx");
    std::sort(files.begin(), files.end());
    for (const auto &f : files)
        QTest::newRow(f.parent_path().filename().c_str()) << QString::fromStdString(f.string());
}

void TestToolchainExport::sharedModelsExportAndReadBack()
{
    // Real third-party models, weights only (activations need data): AIMET 1.0.0 always exports
    // (its read-back check passing inside the export); ORT overrides export, or refuse naming a
    // weight held outside the initializers. The import of each file gives the plan's weights.
    QFETCH(QString, file);
    if (file.isEmpty())
        QSKIP("shared models absent (NNC_SHARED_DIR/models)");
    auto m = readModel(file.toStdString());
    QVERIFY2(m, m ? "" : m.error().message.c_str());
    CompressionPlan p = CompressionPlan::defaults();
    p.activationDefaults.enabled = false;
    const auto layers = findLayers(*m);
    int quantized = 0;
    for (const Layer &l : layers)
        quantized += l.op != "MatMulInteger" && l.op != "ConvInteger";
    auto aimet = exportAimet(*m, p, "1.0.0");
    QVERIFY2(aimet, aimet ? "" : aimet.error().message.c_str());
    auto back = importAimet(*m, aimet->files[0].text);
    QVERIFY2(back, back ? "" : back.error().message.c_str());
    int enabled = 0;
    for (const Layer &l : layers)
        enabled += back->plan.weightConfig(l.name).enabled;
    QCOMPARE(enabled, quantized);
    auto ort = exportOrtOverrides(*m, p);
    if (!ort) {
        QCOMPARE(ort.error().code, Error::Code::Unsupported);
        QVERIFY2(ort.error().message.find("is not an initializer") != std::string::npos,
                 ort.error().message.c_str());
    }
    qInfo("%s: %d layers, AIMET %zu bytes, ORT overrides %s", qPrintable(file), quantized,
          aimet->files[0].text.size(),
          ort ? (std::to_string(ort->files[0].text.size()) + " bytes").c_str()
              : ort.error().message.c_str());
}

QTEST_APPLESS_MAIN(TestToolchainExport)
#include "test_toolchain_export.moc"
