// `nncompress export`: formats, calibration with --data, refusal to overwrite the input model,
// exact messages for what it cannot do, and an exported file that reloads with the plan inside.
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
    QVERIFY(r.err.contains("--format is qdq, pruned or plan, not 'tflite'."));
}

QTEST_APPLESS_MAIN(TestCliExport)
#include "test_cli_export.moc"
