// Proof that exported models are the previewed models. For tinycnn under several plans (8-bit
// per-channel weights + 8-bit activations, 4-bit weights, 6-bit weights and activations, 50%
// pruning + 8-bit, restricted and asymmetric ranges that need a Clip), the QDQ export
// (a) run by this engine gives the evaluator's compressed outputs bit for bit, which proves the
// graph computes exactly the preview's fake quantization; (b) passes onnx.checker when python3
// with onnx is present; (c) run by ONNX Runtime (scripts/ort/run.js) agrees with the preview's
// predictions (figures printed). Also: the pruned format, the input model untouched, and errors.
#include "core/data/dataset.h"
#include "core/data/npz_writer.h"
#include "core/eval/evaluator.h"
#include "core/eval/metrics.h"
#include "core/export/export_check.h"
#include "core/export/qdq_export.h"
#include "core/model/onnx_reader.h"
#include "core/model/onnx_writer.h"
#include "core/runtime/session.h"
#include "tests/common/ort_runner.h"
#include "tests/common/test_plans.h"
#include "tests/common/model_fixture.h"

#include <QProcess>
#include <QtTest>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>

using namespace nnc;
namespace fs = std::filesystem;

class TestQdqExport : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void qdqMatchesPreview_data();
    void qdqMatchesPreview();
    void prunedMatchesPreview_data();
    void prunedMatchesPreview();
    void inputModelIsNotModified();
    void missingRangesAreListed();
    void opsetIsRaisedOnlyWhenSafe();
    void clipBoundsAreOnTheGrid();
    void exportCheckFindsAChangedModel();
    void sixteenBitTypesAtOpset21();
    void sharedModelsMatchPreview_data();
    void sharedModelsMatchPreview();

private:
    fs::path m_dir;
    test::OrtSetup m_ort;
    bool m_python = false;
};

static const char *kModel = NNC_SOURCE_DIR "/tests/data/eval/tinycnn.onnx";
static const char *kData = NNC_SOURCE_DIR "/tests/data/eval/tinycnn_val.npz";

static std::unique_ptr<Evaluator> makeEvaluator(std::shared_ptr<const Model> model)
{
    auto data = openDataset(kData, *model);
    if (!data)
        qFatal("%s", data.error().message.c_str());
    EvalOptions o;
    o.batchSize = 64; // all 40 samples in one batch, as the direct runs below
    o.collectOutputs = true;
    auto ev = Evaluator::create(model, std::move(*data), o);
    if (!ev)
        qFatal("%s", ev.error().message.c_str());
    return std::move(*ev);
}

static Tensor samples(const char *array)
{
    auto src = openArraySource(kData);
    if (!src)
        qFatal("%s", src.error().message.c_str());
    auto x = (*src)->readRows(array, 0, 40);
    if (!x)
        qFatal("%s", x.error().message.c_str());
    return *x;
}

static int64_t differingBits(const Tensor &a, const Tensor &b)
{
    if (a.dims() != b.dims() || a.dtype() != b.dtype())
        return -1;
    int64_t n = 0;
    for (int64_t i = 0; i < a.numel(); ++i)
        n += std::memcmp(a.data<float>() + i, b.data<float>() + i, sizeof(float)) != 0;
    return n;
}

/// The shared plans (tests/common/test_plans.h) and this test's own.
static CompressionPlan makePlan(const QString &name)
{
    if (auto shared = test::sharedPlan(name.toStdString()))
        return *shared;
    CompressionPlan p = CompressionPlan::defaults();
    if (name == "w8pt_a8_signed_restricted") {
        p.weightDefaults.granularity = Granularity::PerTensor;
        p.activationDefaults.spec = QuantSpec{8, IntRange::SignedRestricted, true};
    } else if (name == "w5_asym_unsigned_a7_signed") {
        p.weightDefaults.spec = QuantSpec{5, IntRange::Unsigned, false};
        p.activationDefaults.spec = QuantSpec{7, IntRange::Signed, false};
    } else if (name == "mixed_layers") {
        p.layers["conv1"].weights.bits = 3;
        p.layers["fc"].pruning.ratio = 0.3;
        p.activations["r1"].enabled = false;
        p.activations["f"].bits = 4;
    } else if (name == "w12_a8") {
        p.weightDefaults.spec.bits = 12; // no 16-bit QDQ below opset 21: float values on the grid
    } else {
        qFatal("unknown plan %s", qPrintable(name));
    }
    return p;
}

/// Output SQNR of `got` against `ref` in dB (+inf when equal).
static double sqnrDb(const Tensor &ref, const Tensor &got)
{
    double sig = 0, noise = 0;
    for (int64_t i = 0; i < ref.numel() && i < got.numel(); ++i) {
        const double r = ref.data<float>()[i], g = got.data<float>()[i];
        sig += r * r;
        noise += (r - g) * (r - g);
    }
    return noise > 0 ? 10 * std::log10(sig / noise) : std::numeric_limits<double>::infinity();
}

void TestQdqExport::initTestCase()
{
    m_dir = fs::temp_directory_path() / ("nnc_export_test_" + std::to_string(::getpid()));
    fs::create_directories(m_dir);
    m_python = QProcess::execute("/usr/bin/python3", {"-c", "import onnx"}) == 0;
    m_ort = test::ensureOrt();
}

void TestQdqExport::cleanupTestCase()
{
    std::error_code ec;
    fs::remove_all(m_dir, ec);
}

/// onnx.checker on a file when python3-onnx knows the model's opset and IR version; "" when it
/// passes or cannot be run, else the checker's message.
static QString checkerProblem(const fs::path &p, bool python)
{
    if (!python)
        return {};
    QProcess proc;
    proc.start("/usr/bin/python3",
               {"-c",
                "import onnx,sys; m=onnx.load(sys.argv[1]); "
                "v=[o.version for o in m.opset_import if o.domain in ('','ai.onnx')][0]; "
                "sys.exit(0 if v>onnx.defs.onnx_opset_version() or m.ir_version>onnx.IR_VERSION "
                "else onnx.checker.check_model(m))",
                QString::fromStdString(p.string())});
    proc.waitForFinished(120000);
    if (proc.exitCode() == 0)
        return {};
    return QString::fromUtf8(proc.readAllStandardError());
}

void TestQdqExport::qdqMatchesPreview_data()
{
    QTest::addColumn<QString>("plan");
    for (const char *p : {"w8pc_a8", "w4_a8", "w6_a6", "prune50_w8_a8", "w8pt_a8_signed_restricted",
                          "w5_asym_unsigned_a7_signed", "mixed_layers", "w12_a8"})
        QTest::newRow(p) << QString(p);
}

void TestQdqExport::qdqMatchesPreview()
{
    QFETCH(QString, plan);
    auto model = test::readModelShared(kModel);
    auto ev = makeEvaluator(model);
    CompressionPlan p = makePlan(plan);
    auto cal = ev->calibrate(p, true);
    QVERIFY2(cal, cal ? "" : cal.error().message.c_str());
    auto preview = ev->evaluate(&p);
    QVERIFY2(preview, preview ? "" : preview.error().message.c_str());
    QCOMPARE(preview->outputs.size(), std::size_t(1));

    auto ex = exportQdq(*model, p);
    QVERIFY2(ex, ex ? "" : ex.error().message.c_str());
    for (const auto &n : ex->notes)
        qInfo("note: %s", n.c_str());
    int qdq = 0, clips = 0;
    for (const Node &n : ex->model.graph.nodes) {
        qdq += n.opType == "QuantizeLinear" || n.opType == "DequantizeLinear";
        clips += n.opType == "Clip";
    }
    QVERIFY(qdq > 0);
    QVERIFY(ex->model.metadata.contains("nncompress.plan"));
    auto back = parsePlan(ex->model.metadata.at("nncompress.plan"));
    QVERIFY(back);
    QVERIFY(*back == p);
    const fs::path file = m_dir / (plan.toStdString() + ".onnx");
    auto w = writeModel(ex->model, file);
    QVERIFY2(w, w ? "" : w.error().message.c_str());

    // (a) our engine on the written file: the preview's outputs, bit for bit.
    auto reread = readModel(file);
    QVERIFY2(reread, reread ? "" : reread.error().message.c_str());
    auto session = Session::create(std::make_shared<const Model>(std::move(*reread)));
    QVERIFY2(session, session ? "" : session.error().message.c_str());
    const Tensor x = samples("x");
    auto out = session->run(std::vector<Tensor>{x});
    QVERIFY2(out, out ? "" : out.error().message.c_str());
    const int64_t diff = differingBits((*out)[0], preview->outputs[0]);
    qInfo("plan %s: %d Q/DQ nodes, %d Clip; engine vs preview: %lld of %lld values differ",
          qPrintable(plan), qdq, clips, static_cast<long long>(diff),
          static_cast<long long>(preview->outputs[0].numel()));
    QCOMPARE(diff, int64_t(0));

    // (b) the ONNX checker.
    const QString problem = checkerProblem(file, m_python);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));

    // (c) ONNX Runtime: predictions and accuracy next to the preview's.
    NNC_REQUIRE_ORT(m_ort, "engine part passed; ONNX Runtime comparison skipped: ");
    const Tensor labels = samples("y");
    const auto pv = argmaxLastAxis(preview->outputs[0]);
    const auto lab = labels.toInt64Vector();
    for (const char *level : {"none", "all"}) {
        QString error;
        const fs::path work = m_dir / (plan.toStdString() + "_ort");
        const auto ortOut = test::runOrt(m_ort.cache, file, {x}, {"image"}, work / "in",
                                         work / (std::string("out_") + level), level, error);
        QVERIFY2(!ortOut.empty(), qPrintable(error));
        const Tensor *ort = &ortOut[0];
        const auto po = argmaxLastAxis(*ort);
        QCOMPARE(po.size(), pv.size());
        int64_t agree = 0, correctOrt = 0, correctPreview = 0;
        for (std::size_t i = 0; i < po.size(); ++i) {
            agree += po[i] == pv[i];
            correctOrt += po[i] == lab[i];
            correctPreview += pv[i] == lab[i];
        }
        double maxAbs = 0;
        for (int64_t i = 0; i < ort->numel(); ++i)
            maxAbs = std::max(maxAbs, std::abs(double(ort->data<float>()[i]) -
                                               preview->outputs[0].data<float>()[i]));
        const int64_t bits = differingBits(*ort, preview->outputs[0]);
        qInfo("plan %s, ORT optimize=%s: predictions agree %lld/%zu; accuracy ORT %.3f vs preview "
              "%.3f; "
              "max |logit diff| %.3g; %lld of %lld logits differ in any bit",
              qPrintable(plan), level, static_cast<long long>(agree), po.size(),
              double(correctOrt) / po.size(), double(correctPreview) / po.size(), maxAbs,
              static_cast<long long>(bits), static_cast<long long>(ort->numel()));
        QVERIFY2(agree == static_cast<int64_t>(po.size()),
                 "ONNX Runtime's predictions differ from the preview");
    }
}

void TestQdqExport::prunedMatchesPreview_data()
{
    QTest::addColumn<bool>("fakeQuant");
    QTest::newRow("pruned") << false;
    QTest::newRow("pruned+fakequant") << true;
}

void TestQdqExport::prunedMatchesPreview()
{
    QFETCH(bool, fakeQuant);
    auto model = test::readModelShared(kModel);
    auto ev = makeEvaluator(model);
    CompressionPlan p = CompressionPlan::defaults();
    p.pruneDefaults.spec.ratio = 0.5;
    p.weightDefaults.spec.bits = 4;
    // The preview of the same thing: activations off, weights quantized only with fakeQuant.
    CompressionPlan same = p;
    same.activationDefaults.enabled = false;
    same.weightDefaults.enabled = fakeQuant;
    auto preview = ev->evaluate(&same);
    QVERIFY2(preview, preview ? "" : preview.error().message.c_str());
    auto ex = exportPruned(*model, p, fakeQuant);
    QVERIFY2(ex, ex ? "" : ex.error().message.c_str());
    QCOMPARE(ex->notes.size(), std::size_t(1)); // activation quantization is not expressed
    QVERIFY(ex->notes[0].find("activation quantization is not part of the pruned format") !=
            std::string::npos);
    QCOMPARE(ex->model.graph.nodes.size(), model->graph.nodes.size());
    QCOMPARE(ex->model.graph.initializerOrder, model->graph.initializerOrder);
    const Tensor &w2 = ex->model.graph.initializers.at("w2");
    int64_t zeros = 0;
    for (float v : w2.span<float>())
        zeros += v == 0.0f;
    QCOMPARE(zeros, w2.numel() / 2);
    auto session = Session::create(std::make_shared<const Model>(std::move(ex->model)));
    QVERIFY(session);
    auto out = session->run(std::vector<Tensor>{samples("x")});
    QVERIFY(out);
    QCOMPARE(differingBits((*out)[0], preview->outputs[0]), int64_t(0));
}

void TestQdqExport::inputModelIsNotModified()
{
    auto model = test::readModelShared(kModel);
    auto before = serializeModel(*model);
    QVERIFY(before);
    auto ev = makeEvaluator(model);
    CompressionPlan p = makePlan("w6_a6");
    QVERIFY(ev->calibrate(p, true));
    QVERIFY(exportQdq(*model, p));
    QVERIFY(exportPruned(*model, p, true));
    auto after = serializeModel(*model);
    QVERIFY(after);
    QVERIFY(*before == *after);
}

void TestQdqExport::missingRangesAreListed()
{
    auto model = test::readModelShared(kModel);
    CompressionPlan p = CompressionPlan::defaults();
    p.activations["r1"].rmin = 0.0f;
    p.activations["r1"].rmax = 2.0f;
    QCOMPARE(missingActivationRanges(*model, p), (std::vector<std::string>{"image", "f"}));
    auto ex = exportQdq(*model, p);
    QVERIFY(!ex);
    QCOMPARE(
        ex.error().message,
        std::string("activation tensors 'image', 'f' have no range in the plan: calibrate first "
                    "(export --data, or nncompress calibrate)."));
    p.layers["no_such_layer"].weights.bits = 4;
    auto bad = exportQdq(*model, p);
    QVERIFY(!bad);
    QVERIFY2(bad.error().message.find("no_such_layer") != std::string::npos,
             bad.error().message.c_str());
}

void TestQdqExport::opsetIsRaisedOnlyWhenSafe()
{
    auto m = readModel(kModel);
    QVERIFY(m);
    CompressionPlan p = CompressionPlan::defaults();
    p.activationDefaults.enabled = false;
    // opset 11 -> 13: Conv, Relu, Flatten, Gemm. The op table decides; print what it says.
    Model old = *m;
    old.opsets[""] = 11;
    auto ex = exportQdq(old, p);
    if (ex) {
        QCOMPARE(ex->model.opset(""), int64_t(13));
        QVERIFY(ex->model.irVersion >= 7);
        bool noted = false;
        for (const auto &n : ex->notes)
            noted = noted || n.find("raised from 11 to 13") != std::string::npos;
        QVERIFY(noted);
        qInfo("opset 11 raised to 13");
    } else {
        QVERIFY2(ex.error().message.find("per-channel DequantizeLinear needs opset 13") !=
                     std::string::npos,
                 ex.error().message.c_str());
        qInfo("opset 11 kept: %s", ex.error().message.c_str());
    }
    // An op whose meaning changes between 11 and 13 (Squeeze: axes attribute -> input) blocks it.
    Node sq;
    sq.name = "sq";
    sq.opType = "Squeeze";
    sq.inputs = {"logits"};
    sq.outputs = {"squeezed"};
    old.graph.nodes.push_back(sq);
    auto blocked = exportQdq(old, p);
    QVERIFY(!blocked);
    QVERIFY2(blocked.error().message.find("Squeeze") != std::string::npos,
             blocked.error().message.c_str());
    QVERIFY2(blocked.error().message.find("per_tensor") != std::string::npos,
             blocked.error().message.c_str());
    // Per-tensor weights need only opset 10: no raise at all from 11.
    p.weightDefaults.granularity = Granularity::PerTensor;
    auto perTensor = exportQdq(old, p);
    QVERIFY2(perTensor, perTensor ? "" : perTensor.error().message.c_str());
    QCOMPARE(perTensor->model.opset(""), int64_t(11));
}

void TestQdqExport::clipBoundsAreOnTheGrid()
{
    // 6-bit unsigned activations: the Clip bounds are exactly DequantizeLinear(qmin) and
    // DequantizeLinear(qmax), so Clip(DQ(q8)) == DQ(clamp(q8, qmin, qmax)) for every q8.
    auto model = test::readModelShared(kModel);
    CompressionPlan p = CompressionPlan::defaults();
    p.activationDefaults.spec.bits = 6;
    for (const char *t : {"image", "r1", "f"}) {
        p.activations[t].rmin = -0.3f;
        p.activations[t].rmax = 1.7f;
    }
    auto ex = exportQdq(*model, p);
    QVERIFY2(ex, ex ? "" : ex.error().message.c_str());
    const QuantParams qp = chooseParams(p.activationDefaults.spec, -0.3f, 1.7f);
    QCOMPARE(qp.qmax, 63);
    const Graph &g = ex->model.graph;
    int checked = 0;
    for (const Node &n : g.nodes) {
        if (n.opType != "Clip")
            continue;
        const float lo = g.initializer(n.inputs[1])->data<float>()[0];
        const float hi = g.initializer(n.inputs[2])->data<float>()[0];
        QCOMPARE(lo, dequantizeValue(qp.qmin, qp));
        QCOMPARE(hi, dequantizeValue(qp.qmax, qp));
        for (int q8 = 0; q8 <= 255; ++q8) {
            const float viaClip = std::clamp(dequantizeValue(q8, qp), lo, hi);
            const float exact = dequantizeValue(std::clamp(q8, qp.qmin, qp.qmax), qp);
            QVERIFY(std::memcmp(&viaClip, &exact, sizeof(float)) == 0);
        }
        ++checked;
    }
    QCOMPARE(checked, 3);
    // The graph input keeps its name; its readers read the clipped value.
    QCOMPARE(g.inputs[0].name, std::string("image"));
    QCOMPARE(g.nodes.back().outputs[0], std::string("logits"));
}

void TestQdqExport::exportCheckFindsAChangedModel()
{
    auto model = test::readModelShared(kModel);
    auto ev = makeEvaluator(model);
    CompressionPlan p = makePlan("w6_a6");
    QVERIFY(ev->calibrate(p, true));
    auto ex = exportQdq(*model, p);
    QVERIFY(ex);
    auto open = [&] {
        auto d = openDataset(kData, *model);
        if (!d)
            qFatal("%s", d.error().message.c_str());
        return std::move(*d);
    };
    auto good = checkExport(model, std::make_shared<const Model>(ex->model), p, open(), open(), 40);
    QVERIFY2(good, good ? "" : good.error().message.c_str());
    QCOMPARE(good->samples, int64_t(40));
    QCOMPARE(good->values, int64_t(200));
    QCOMPARE(good->differing, int64_t(0));
    // The last activation scale one ulp larger (its DequantizeLinear feeds the Gemm directly):
    // the check must see it.
    Model bad = ex->model;
    Tensor &scale = bad.graph.initializers.at("f_scale");
    Tensor changed(DataType::Float, {});
    changed.mutableData<float>()[0] = std::nextafter(scale.data<float>()[0], 1.0f);
    scale = changed;
    auto caught = checkExport(model, std::make_shared<const Model>(bad), p, open(), open(), 40);
    QVERIFY(caught);
    qInfo("one-ulp scale change: %lld of %lld values differ; first: %s",
          static_cast<long long>(caught->differing), static_cast<long long>(caught->values),
          caught->firstDifference.c_str());
    QVERIFY(caught->differing > 0);
    QVERIFY(caught->firstDifference.starts_with("output 'logits', sample "));
}

void TestQdqExport::sixteenBitTypesAtOpset21()
{
    // The same model declared at opset 21 (IR 10): 12-bit weights are stored as int16, 10-bit
    // unsigned activations go through uint16 QuantizeLinear with a Clip to [0, 1023].
    Model m21 = *test::readModelShared(kModel);
    m21.opsets[""] = 21;
    m21.irVersion = 10;
    auto model = std::make_shared<const Model>(m21);
    auto ev = makeEvaluator(model);
    CompressionPlan p = CompressionPlan::defaults();
    p.weightDefaults.spec.bits = 12;
    p.activationDefaults.spec.bits = 10;
    QVERIFY(ev->calibrate(p, true));
    auto preview = ev->evaluate(&p);
    QVERIFY2(preview, preview ? "" : preview.error().message.c_str());
    auto ex = exportQdq(*model, p);
    QVERIFY2(ex, ex ? "" : ex.error().message.c_str());
    QVERIFY(ex->notes.empty());
    const Graph &g = ex->model.graph;
    QCOMPARE(g.initializer("w2_quantized")->dtype(), DataType::Int16);
    QCOMPARE(g.initializer("r1_zero_point")->dtype(), DataType::UInt16);
    int16_t lo = 0, hi = 0;
    for (int16_t v : g.initializer("w2_quantized")->span<int16_t>()) {
        lo = std::min(lo, v);
        hi = std::max(hi, v);
    }
    QVERIFY(lo >= -2047 && hi <= 2047 && hi > 255); // on the 12-bit restricted grid, beyond 8 bits
    const fs::path file = m_dir / "opset21.onnx";
    QVERIFY(writeModel(ex->model, file));
    auto reread = readModel(file);
    QVERIFY2(reread, reread ? "" : reread.error().message.c_str());
    auto session = Session::create(std::make_shared<const Model>(std::move(*reread)));
    QVERIFY2(session, session ? "" : session.error().message.c_str());
    const Tensor x = samples("x");
    auto out = session->run(std::vector<Tensor>{x});
    QVERIFY2(out, out ? "" : out.error().message.c_str());
    QCOMPARE(differingBits((*out)[0], preview->outputs[0]), int64_t(0));
    NNC_REQUIRE_ORT(m_ort, "engine part passed; ONNX Runtime comparison skipped: ");
    QString error;
    const auto ort = test::runOrt(m_ort.cache, file, {x}, {"image"}, m_dir / "opset21_ort" / "in",
                                  m_dir / "opset21_ort" / "out_none", "none", error);
    QVERIFY2(!ort.empty(), qPrintable(error));
    const auto a = argmaxLastAxis(ort[0]), b = argmaxLastAxis(preview->outputs[0]);
    int64_t agree = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
        agree += a[i] == b[i];
    qInfo("opset 21, 12-bit weights (int16), 10-bit activations (uint16): ORT predictions agree "
          "%lld/%zu, SQNR vs preview %.1f dB",
          static_cast<long long>(agree), a.size(), sqnrDb(preview->outputs[0], ort[0]));
    QCOMPARE(agree, static_cast<int64_t>(a.size()));
}

void TestQdqExport::sharedModelsMatchPreview_data()
{
    QTest::addColumn<QString>("dir");
    const fs::path shared = fs::path(NNC_SHARED_DIR) / "models";
    if (!fs::exists(shared)) {
        QTest::newRow("absent") << QString();
        return;
    }
    std::vector<fs::path> dirs;
    for (const auto &e : fs::directory_iterator(shared))
        if (fs::exists(e.path() / "reference" / "test_data_set_0"))
            dirs.push_back(e.path());
    std::sort(dirs.begin(), dirs.end());
    for (const auto &d : dirs)
        QTest::newRow(d.filename().c_str()) << QString::fromStdString(d.string());
}

void TestQdqExport::sharedModelsMatchPreview()
{
    // Default plan (8-bit per-channel weights, 8-bit activations calibrated on reference set 0),
    // exported and run on set 0: every output equals the preview's bit for bit. Models whose
    // opset cannot be raised safely must say so (Unsupported) and then export per tensor.
    QFETCH(QString, dir);
    if (dir.isEmpty())
        QSKIP("shared models absent");
    const fs::path d = dir.toStdString();
    auto m = readModel(d / "model.onnx");
    QVERIFY2(m, m ? "" : m.error().message.c_str());
    auto model = std::make_shared<const Model>(std::move(*m));
    auto data = openDataset(d / "reference", *model);
    if (!data) {
        // Reference sets whose tensors include the batch axis: set 0 as an .npz, one row per
        // leading index, arrays named after the inputs.
        std::vector<std::pair<std::string, Tensor>> arrays;
        const auto inputs = model->graph.dataInputs();
        for (std::size_t i = 0; i < inputs.size(); ++i) {
            auto t = readTensorFile(d / "reference" / "test_data_set_0" /
                                    ("input_" + std::to_string(i) + ".pb"));
            QVERIFY(t);
            arrays.emplace_back(inputs[i]->name, *t);
        }
        const fs::path npz = m_dir / (d.filename().string() + "_set0.npz");
        QVERIFY(writeNpz(npz, arrays));
        auto alt = openDataset(npz, *model);
        if (!alt)
            QSKIP(("reference set 0 not readable as a dataset: " + data.error().message + " / " +
                   alt.error().message)
                      .c_str());
        data = std::move(alt);
    }
    EvalOptions o;
    o.batchSize = 1;
    o.limit = 1;
    o.collectOutputs = true;
    auto ev = Evaluator::create(model, std::move(*data), o);
    QVERIFY2(ev, ev ? "" : ev.error().message.c_str());
    CompressionPlan p = CompressionPlan::defaults();
    auto cal = (*ev)->calibrate(p, true);
    QVERIFY2(cal, cal ? "" : cal.error().message.c_str());
    auto ex = exportQdq(*model, p);
    if (!ex) {
        QCOMPARE(ex.error().code, Error::Code::Unsupported);
        qInfo("per-channel refused: %s", ex.error().message.c_str());
        p.weightDefaults.granularity = Granularity::PerTensor;
        ex = exportQdq(*model, p);
        if (!ex) {
            QCOMPARE(ex.error().code, Error::Code::Unsupported);
            qInfo("per-tensor refused too: %s", ex.error().message.c_str());
            return;
        }
    }
    for (const auto &n : ex->notes)
        qInfo("note: %s", n.c_str());
    auto preview = (*ev)->evaluate(&p);
    QVERIFY2(preview, preview ? "" : preview.error().message.c_str());
    const fs::path file = m_dir / (d.filename().string() + "_qdq.onnx");
    QVERIFY(writeModel(ex->model, file));
    auto reread = readModel(file);
    QVERIFY2(reread, reread ? "" : reread.error().message.c_str());
    int qdq = 0;
    for (const Node &n : reread->graph.nodes)
        qdq += n.opType == "QuantizeLinear" || n.opType == "DequantizeLinear";
    auto session = Session::create(std::make_shared<const Model>(std::move(*reread)));
    QVERIFY2(session, session ? "" : session.error().message.c_str());
    std::vector<Tensor> inputs;
    for (std::size_t i = 0; i < session->inputNames().size(); ++i) {
        auto t = readTensorFile(d / "reference" / "test_data_set_0" /
                                ("input_" + std::to_string(i) + ".pb"));
        QVERIFY(t);
        inputs.push_back(*t);
    }
    auto out = session->run(inputs);
    QVERIFY2(out, out ? "" : out.error().message.c_str());
    QCOMPARE(out->size(), preview->outputs.size());
    for (std::size_t i = 0; i < out->size(); ++i) {
        const int64_t diff = differingBits((*out)[i], preview->outputs[i]);
        qInfo("%s: opset %lld, %d Q/DQ nodes; output %zu: %lld of %lld values differ from the "
              "preview",
              d.filename().c_str(), static_cast<long long>(ex->model.opset("")), qdq, i,
              static_cast<long long>(diff), static_cast<long long>((*out)[i].numel()));
        QCOMPARE(diff, int64_t(0));
    }
    // The pruned format (50% of every layer, weights also on their 8-bit grid): equal to the
    // preview of the same plan without activation quantization.
    {
        CompressionPlan pp = p;
        pp.pruneDefaults.spec.ratio = 0.5;
        auto pruned = exportPruned(*model, pp, true);
        QVERIFY2(pruned, pruned ? "" : pruned.error().message.c_str());
        const CompressionPlan same = prunedPreviewPlan(pp, true);
        auto pv = (*ev)->evaluate(&same);
        QVERIFY2(pv, pv ? "" : pv.error().message.c_str());
        auto ps = Session::create(std::make_shared<const Model>(std::move(pruned->model)));
        QVERIFY2(ps, ps ? "" : ps.error().message.c_str());
        auto po = ps->run(inputs);
        QVERIFY2(po, po ? "" : po.error().message.c_str());
        for (std::size_t i = 0; i < po->size(); ++i)
            QCOMPARE(differingBits((*po)[i], pv->outputs[i]), int64_t(0));
        qInfo("%s: pruned+fakequant export equals its preview", d.filename().c_str());
    }
    const QString problem = checkerProblem(file, m_python);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));

    NNC_REQUIRE_ORT(m_ort, "engine part passed; ONNX Runtime comparison skipped: ");
    for (const char *level : {"none", "all"}) {
        QString error;
        const fs::path work = m_dir / (d.filename().string() + "_ort");
        const auto ort = test::runOrt(m_ort.cache, file, inputs, session->inputNames(), work / "in",
                                      work / (std::string("out_") + level), level, error);
        QVERIFY2(!ort.empty(), qPrintable(error));
        QCOMPARE(ort.size(), preview->outputs.size());
        for (std::size_t i = 0; i < ort.size(); ++i) {
            if (ort[i].dtype() != DataType::Float)
                continue;
            const auto a = argmaxLastAxis(ort[i]), b = argmaxLastAxis(preview->outputs[i]);
            int64_t agree = 0;
            for (std::size_t k = 0; k < a.size() && k < b.size(); ++k)
                agree += a[k] == b[k];
            const double db = sqnrDb(preview->outputs[i], ort[i]);
            const double quantNoise = preview->heads[i].sqnrDb;
            qInfo("%s, ORT optimize=%s, output %zu: SQNR vs preview %.1f dB (preview vs float %.1f "
                  "dB); "
                  "arg-max agree %lld/%zu",
                  d.filename().c_str(), level, i, db, quantNoise, static_cast<long long>(agree),
                  a.size());
            // Float summation order differs between engines, so an activation near a rounding
            // boundary can land one quantization step away, and deep, coarsely quantized nets
            // amplify that; the difference must stay well below the quantization error itself.
            QVERIFY2(db > quantNoise + 3.0,
                     "ONNX Runtime's output is farther from the preview than the "
                     "preview is from the float model");
        }
    }
}

QTEST_APPLESS_MAIN(TestQdqExport)
#include "test_qdq_export.moc"
