// `nncompress export`: formats, calibration with --data, refusal to overwrite the input model,
// exact messages for what it cannot do, and an exported file that reloads with the plan inside;
// the toolchain formats and `nncompress plan import`.
#include "core/model/onnx_reader.h"
#include "core/plan/plan.h"

#include <QProcess>
#include <QtTest>

#include <filesystem>

using namespace nnc;
namespace fs = std::filesystem;

class TestCliExport : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void exportsQdqWithCalibration();
    void planFormatHasEveryRange();
    void refusesToOverwriteTheModel();
    void missingRangesWithoutData();
    void badFormatIsAUsageError();
    void toolchainFormatsAndImport();

private:
    struct Run
    {
        int code = -1;
        QString err;
    };
    Run run(const QStringList &args);
    fs::path m_dir;
    fs::path m_plan;
};

static const QString kModel = NNC_SOURCE_DIR "/tests/data/eval/tinycnn.onnx";
static const QString kData = NNC_SOURCE_DIR "/tests/data/eval/tinycnn_val.npz";

TestCliExport::Run TestCliExport::run(const QStringList &args)
{
    QProcess p;
    p.start(NNC_CLI_PATH, args);
    p.waitForFinished(120000);
    Run r{p.exitCode(), QString::fromUtf8(p.readAllStandardError())};
    qInfo("nncompress %s -> %d: %s", qPrintable(args.join(' ')), r.code,
          qPrintable(r.err.trimmed()));
    return r;
}

void TestCliExport::initTestCase()
{
    m_dir = fs::temp_directory_path() / ("nnc_cli_export_" + std::to_string(::getpid()));
    fs::create_directories(m_dir);
    m_plan = m_dir / "plan.json";
    CompressionPlan p = CompressionPlan::defaults();
    p.weightDefaults.spec.bits = 6;
    QVERIFY(savePlan(p, m_plan));
}

void TestCliExport::exportsQdqWithCalibration()
{
    const fs::path out = m_dir / "q.onnx";
    const Run r =
        run({"export", kModel, "--plan", QString::fromStdString(m_plan.string()), "--format", "qdq",
             "--out", QString::fromStdString(out.string()), "--data", kData});
    QCOMPARE(r.code, 0);
    QVERIFY(r.err.contains("calibrated 3 activation tensors that had no range"));
    QVERIFY(r.err.contains(
        "checked on 8 samples: all 40 output values equal the preview's, bit for bit"));
    QVERIFY(r.err.contains("(qdq, opset 13, 9 Q/DQ nodes, 0 grid Clips"));
    auto m = readModel(out);
    QVERIFY2(m, m ? "" : m.error().message.c_str());
    auto plan = parsePlan(m->metadata.at("nncompress.plan"));
    QVERIFY(plan);
    QCOMPARE(plan->weightDefaults.spec.bits, 6);
    QVERIFY(plan->activationConfig("r1").range.has_value());
    QCOMPARE(m->metadata.at("nncompress.format"), std::string("qdq"));
}

void TestCliExport::planFormatHasEveryRange()
{
    const fs::path out = m_dir / "full.json";
    QCOMPARE(run({"export", kModel, "--plan", QString::fromStdString(m_plan.string()), "--format",
                  "plan", "--out", QString::fromStdString(out.string()), "--data", kData})
                 .code,
             0);
    auto plan = loadPlan(out);
    QVERIFY(plan);
    for (const char *t : {"image", "r1", "f"})
        QVERIFY2(plan->activationConfig(t).range.has_value(), t);
    // The completed plan exports without data.
    const Run r = run({"export", kModel, "--plan", QString::fromStdString(out.string()), "--format",
                       "qdq", "--out", QString::fromStdString((m_dir / "q2.onnx").string())});
    QCOMPARE(r.code, 0);
}

void TestCliExport::refusesToOverwriteTheModel()
{
    const fs::path copy = m_dir / "model.onnx";
    fs::copy_file(kModel.toStdString(), copy, fs::copy_options::overwrite_existing);
    const auto before = fs::file_size(copy);
    const QString sneaky = QString::fromStdString((m_dir / "." / "model.onnx").string());
    const Run r =
        run({"export", QString::fromStdString(copy.string()), "--plan",
             QString::fromStdString(m_plan.string()), "--format", "pruned", "--out", sneaky});
    QCOMPARE(r.code, 2);
    QVERIFY(r.err.contains("is the input model; choose another file."));
    QCOMPARE(fs::file_size(copy), before);
}

void TestCliExport::missingRangesWithoutData()
{
    const fs::path out = m_dir / "none.onnx";
    const Run r = run({"export", kModel, "--plan", QString::fromStdString(m_plan.string()),
                       "--format", "qdq", "--out", QString::fromStdString(out.string())});
    QCOMPARE(r.code, 3);
    QCOMPARE(r.err.trimmed(),
             QString("nncompress: activation tensors 'image', 'r1', 'f' have no range in the plan: "
                     "calibrate first (export --data, or nncompress calibrate)."));
    QVERIFY(!fs::exists(out));
}

void TestCliExport::badFormatIsAUsageError()
{
    const Run r =
        run({"export", kModel, "--plan", QString::fromStdString(m_plan.string()), "--format",
             "tflite", "--out", QString::fromStdString((m_dir / "x").string())});
    QCOMPARE(r.code, 2);
    QVERIFY(r.err.contains(
        "--format is qdq, pruned, plan, ort-overrides, aimet or trt-cache, not 'tflite'."));
    const Run v =
        run({"export", kModel, "--plan", QString::fromStdString(m_plan.string()), "--format", "qdq",
             "--aimet-version", "1.0.0", "--out", QString::fromStdString((m_dir / "x").string())});
    QCOMPARE(v.code, 2);
    QVERIFY(v.err.contains("--aimet-version applies to --format aimet only."));
    // A TensorRT version beyond int is refused, not wrapped (2^32 + 1 used to become 1).
    const Run t = run({"export", kModel, "--plan", QString::fromStdString(m_plan.string()),
                       "--format", "trt-cache", "--trt-version", "4294967297", "--out",
                       QString::fromStdString((m_dir / "x.cache").string())});
    QCOMPARE(t.code, 2);
    QVERIFY(t.err.contains(
        "--trt-version takes a positive whole number such as 8601, not '4294967297'."));
    QVERIFY(!fs::exists(m_dir / "x.cache"));
}

void TestCliExport::toolchainFormatsAndImport()
{
    // ort-overrides with --data: the overrides and the calibration table beside them; plan import
    // reads both back into a plan with the same ranges as '--format plan' computes.
    const fs::path ort = m_dir / "tiny_ort.json";
    const Run r =
        run({"export", kModel, "--plan", QString::fromStdString(m_plan.string()), "--format",
             "ort-overrides", "--out", QString::fromStdString(ort.string()), "--data", kData});
    QCOMPARE(r.code, 0);
    QVERIFY(r.err.contains("wrote " + QString::fromStdString(ort.string()) + " (ort-overrides"));
    QVERIFY(r.err.contains("note: layer 'conv1': 6-bit weights are written as QInt8"));
    QVERIFY(fs::exists(m_dir / "tiny_ort.calibration.json"));
    const fs::path full = m_dir / "tiny_full.json", imported = m_dir / "tiny_imported.json";
    QCOMPARE(run({"export", kModel, "--plan", QString::fromStdString(m_plan.string()), "--format",
                  "plan", "--out", QString::fromStdString(full.string()), "--data", kData})
                 .code,
             0);
    const Run i = run({"plan", "import", QString::fromStdString(ort.string()), "--model", kModel,
                       "--out", QString::fromStdString(imported.string())});
    QCOMPARE(i.code, 0);
    QVERIFY(i.err.contains("(ort-overrides): 3 of 3 layers' weights and 3 activation tensors "
                           "quantized"));
    auto a = loadPlan(full), b = loadPlan(imported);
    QVERIFY(a && b);
    for (const char *l : {"conv1", "conv2", "fc"})
        QCOMPARE(b->weightConfig(l).spec.bits, 6);
    for (const char *t : {"image", "r1", "f"}) {
        QCOMPARE(b->activationConfig(t).range->rmin, a->activationConfig(t).range->rmin);
        QCOMPARE(b->activationConfig(t).range->rmax, a->activationConfig(t).range->rmax);
    }
    // AIMET 1.0.0 and its import.
    const fs::path aimet = m_dir / "tiny_aimet.json";
    QCOMPARE(
        run({"export", kModel, "--plan", QString::fromStdString(full.string()), "--format", "aimet",
             "--aimet-version", "1.0.0", "--out", QString::fromStdString(aimet.string())})
            .code,
        0);
    const Run ai = run({"plan", "import", QString::fromStdString(aimet.string()), "--model", kModel,
                        "--out", QString::fromStdString((m_dir / "a.json").string())});
    QCOMPARE(ai.code, 0);
    QVERIFY(ai.err.contains("(aimet 1.0.0)"));
    // trt-cache refuses the default unsigned activations (exit 4) and writes nothing.
    const fs::path cache = m_dir / "tiny.cache";
    const Run t = run({"export", kModel, "--plan", QString::fromStdString(full.string()),
                       "--format", "trt-cache", "--out", QString::fromStdString(cache.string())});
    QCOMPARE(t.code, 4);
    QVERIFY(t.err.contains("TensorRT quantizes weights itself"));
    QVERIFY(!fs::exists(cache));
    // An AIMET version the format does not have is a usage error.
    const Run bad = run({"export", kModel, "--plan", QString::fromStdString(full.string()),
                         "--format", "aimet", "--aimet-version", "0.9", "--out",
                         QString::fromStdString((m_dir / "b.json").string())});
    QCOMPARE(bad.code, 2);
    QVERIFY(bad.err.contains("AIMET encodings version '0.9' is not supported; use 0.6.1 or "
                             "1.0.0."));
    // Without --data, a plan lacking activation ranges is refused, naming them; nothing written.
    const fs::path none = m_dir / "none_aimet.json";
    const Run nd = run({"export", kModel, "--plan", QString::fromStdString(m_plan.string()),
                        "--format", "aimet", "--out", QString::fromStdString(none.string())});
    QCOMPARE(nd.code, 3);
    QCOMPARE(nd.err.trimmed(),
             QString("nncompress: activation tensors 'image', 'r1', 'f' have no range in the plan: "
                     "calibrate first (export --data, or nncompress calibrate)."));
    QVERIFY(!fs::exists(none));
    // plan import never writes over its inputs.
    const Run over = run({"plan", "import", QString::fromStdString(ort.string()), "--model", kModel,
                          "--out", QString::fromStdString(ort.string())});
    QCOMPARE(over.code, 2);
    QVERIFY(over.err.contains("is an input file; choose another file."));
}

QTEST_APPLESS_MAIN(TestCliExport)
#include "test_cli_export.moc"
