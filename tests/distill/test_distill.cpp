// Knowledge distillation: the teacher/student comparison against a direct computation, the
// student under a plan, soft labels against a direct evaluation, the streaming .npz writer,
// cancellation, bad input, and the CLI commands.
#include "core/data/dataset.h"
#include "core/distill/distill.h"
#include "core/distill/npz_stream.h"
#include "core/eval/evaluator.h"
#include "core/eval/metrics.h"
#include "core/model/onnx_reader.h"
#include "core/runtime/session.h"
#include "core/data/npz_writer.h"
#include "tests/common/model_fixture.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>

using namespace nnc;
namespace fs = std::filesystem;

namespace {

const fs::path kDemo = fs::path(NNC_SOURCE_DIR) / "resources" / "demo";

/// Outputs of `model` on samples [0, count) of `data`, run in batches of `batchSize` (as the
/// code under test runs them, so that the float sums round the same way), concatenated.
std::vector<Tensor> runAll(std::shared_ptr<const Model> model, const fs::path &data, int64_t count,
                           int64_t batchSize, std::vector<int64_t> *slotTags = nullptr)
{
    auto ds = openDataset(data, *model);
    if (!ds)
        qFatal("%s", ds.error().message.c_str());
    auto s = Session::create(model);
    if (!s)
        qFatal("%s", s.error().message.c_str());
    std::vector<std::vector<float>> values;
    std::vector<Dims> dims;
    for (int64_t start = 0; start < count; start += batchSize) {
        auto b = (*ds)->batch(start, std::min(batchSize, count - start));
        if (!b)
            qFatal("%s", b.error().message.c_str());
        auto out = s->run(b->inputs);
        if (!out)
            qFatal("%s", out.error().message.c_str());
        values.resize(out->size());
        dims.resize(out->size());
        for (std::size_t i = 0; i < out->size(); ++i) {
            const auto v = (*out)[i].toFloatVector();
            values[i].insert(values[i].end(), v.begin(), v.end());
            dims[i] = (*out)[i].dims();
        }
        if (slotTags && b->labels.size() > 1) {
            const auto t = b->labels[1].toInt64Vector();
            slotTags->insert(slotTags->end(), t.begin(), t.end());
        }
    }
    std::vector<Tensor> result;
    for (std::size_t i = 0; i < values.size(); ++i) {
        dims[i][0] = count;
        result.push_back(Tensor::fromVector(dims[i], values[i]));
    }
    return result;
}

/// KL(softmax(t/T) || softmax(s/T)) of one row, written out plainly (no shared code).
double klRow(const float *t, const float *s, int64_t n, double temp)
{
    std::vector<double> pt(n), ps(n);
    double zt = 0, zs = 0;
    for (int64_t i = 0; i < n; ++i) {
        pt[i] = std::exp(double(t[i]) / temp);
        ps[i] = std::exp(double(s[i]) / temp);
        zt += pt[i];
        zs += ps[i];
    }
    double kl = 0;
    for (int64_t i = 0; i < n; ++i)
        kl += pt[i] / zt * std::log((pt[i] / zt) / (ps[i] / zs));
    return kl;
}

/// x [N, 3] -> Add(x, offsets) -> "logits": a model whose logits are its input shifted per
/// class (an offset of -inf masks the class out).
std::shared_ptr<const Model> shiftModel(std::vector<float> offsets)
{
    auto m = std::make_shared<Model>();
    m->irVersion = 8;
    m->opsets[""] = 13;
    Graph &g = m->graph;
    g.name = "shift";
    ValueInfo x;
    x.name = "x";
    x.dtype = DataType::Float;
    x.hasShape = true;
    x.shape = {Dim{-1, false, "N"}, Dim{3, true, ""}};
    g.inputs.push_back(x);
    g.initializers["offsets"] = Tensor::fromVector({3}, offsets);
    g.initializerOrder = {"offsets"};
    Node add;
    add.opType = "Add";
    add.name = "add";
    add.inputs = {"x", "offsets"};
    add.outputs = {"logits"};
    g.nodes = {add};
    ValueInfo y = x;
    y.name = "logits";
    g.outputs.push_back(y);
    return m;
}

} // namespace

class TestDistill : public QObject
{
    Q_OBJECT

private slots:
    void teacherAgainstStudentMatchesADirectComputation()
    {
        auto teacher = test::readModelShared(kDemo / "commands_teacher.onnx");
        auto student = test::readModelShared(kDemo / "commands_student.onnx");
        DistillOptions opt;
        opt.temperature = 2.0;
        opt.batchSize = 100; // 1065 = 10 full batches and one of 65
        opt.cost.sequence = 18;
        auto r = compareDistill(teacher, student, kDemo / "commands_val.json", nullptr, opt);
        QVERIFY2(r, r ? "" : r.error().message.c_str());
        QCOMPARE(r->samples, 1065);
        QCOMPARE(r->heads.size(), std::size_t(2));
        const DistillHead &intent = r->heads[0], &slotHead = r->heads[1];
        QCOMPARE(intent.output, std::string("intent_logits"));
        // The counts torch recorded (resources/demo/README.md).
        QCOMPARE(intent.teacher, 1055.0 / 1065.0);
        QCOMPARE(intent.student, 1058.0 / 1065.0);
        QCOMPARE(slotHead.teacher, 2.0 * 885 / (1014 + 973));
        QCOMPARE(slotHead.student, 2.0 * 844 / (945 + 973));

        // KL and agreement recomputed here over all samples (intent) and labelled tokens (slots).
        std::vector<int64_t> tags;
        const auto yt = runAll(teacher, kDemo / "commands_val.json", 1065, 100, &tags);
        const auto ys = runAll(student, kDemo / "commands_val.json", 1065, 100);
        double klIntent = 0;
        int64_t agreeIntent = 0;
        for (int64_t i = 0; i < 1065; ++i) {
            const float *t = yt[0].data<float>() + i * 16, *s = ys[0].data<float>() + i * 16;
            klIntent += klRow(t, s, 16, 2.0);
            agreeIntent += std::max_element(t, t + 16) - t == std::max_element(s, s + 16) - s;
        }
        QVERIFY(std::abs(intent.klDivergence - klIntent / 1065) < 1e-9);
        QCOMPARE(intent.agreement, double(agreeIntent) / 1065);
        QCOMPARE(intent.positions, 1065);
        double klSlots = 0;
        int64_t tokens = 0;
        for (std::size_t k = 0; k < tags.size(); ++k) {
            if (tags[k] == -100)
                continue;
            klSlots += klRow(yt[1].data<float>() + k * 19, ys[1].data<float>() + k * 19, 19, 2.0);
            ++tokens;
        }
        QCOMPARE(slotHead.positions, tokens);
        QVERIFY(std::abs(slotHead.klDivergence - klSlots / tokens) < 1e-9);
        QVERIFY(slotHead.klDivergence > 0);

        // Per class: every sample / labelled token once; correct counts add up to the accuracy.
        int64_t total = 0, teacherCorrect = 0;
        for (const ClassAccuracy &c : intent.perClass) {
            total += c.total;
            teacherCorrect += c.teacherCorrect;
        }
        QCOMPARE(total, 1065);
        QCOMPARE(teacherCorrect, 1055);
        QCOMPARE(slotHead.perClass.size(), std::size_t(19));
        QCOMPARE(slotHead.perClass[1].name, std::string("B-destination"));
        total = 0;
        for (const ClassAccuracy &c : slotHead.perClass)
            total += c.total;
        QCOMPARE(total, tokens);

        // Costs: the README's parameter counts; MACs at batch 1, 18 steps for the student:
        // LSTM 18 * (2*128*32 * 2) + slot MatMul 18*64*19 + intent Gemm 16*64.
        QCOMPARE(r->teacherCost.parameters, 470819);
        QCOMPARE(r->studentCost.parameters, 50819);
        QCOMPARE(r->studentCost.macs, 18 * 2 * 128 * 64 + 18 * 64 * 19 + 16 * 64);
        QVERIFY(r->teacherCost.macs > r->studentCost.macs);
        QCOMPARE(r->timedBatches, 10); // full batches only
        QVERIFY(r->teacherMsPerBatch > 0 && r->studentMsPerBatch > 0);
        std::printf("teacher %.2f ms, student %.2f ms per batch of 100\n", r->teacherMsPerBatch,
                    r->studentMsPerBatch);
    }

    void aModelAgainstItselfHasNoDivergence()
    {
        auto student = test::readModelShared(kDemo / "commands_student.onnx");
        DistillOptions opt;
        opt.limit = 200;
        auto r = compareDistill(student, student, kDemo / "commands_val.json", nullptr, opt);
        QVERIFY(r);
        for (const DistillHead &h : r->heads) {
            QCOMPARE(h.agreement, 1.0);
            QVERIFY(std::abs(h.klDivergence) < 1e-12);
            QCOMPARE(h.teacher, h.student);
        }
    }

    void studentUnderAPlan()
    {
        auto teacher = test::readModelShared(kDemo / "commands_teacher.onnx");
        auto student = test::readModelShared(kDemo / "commands_student.onnx");
        CompressionPlan plan = CompressionPlan::defaults();
        DistillOptions opt;
        opt.limit = 300;
        auto r = compareDistill(teacher, student, kDemo / "commands_val.json", &plan, opt);
        QVERIFY2(r, r ? "" : r.error().message.c_str());
        QVERIFY(r->withPlan);
        QVERIFY(r->planSize.compressedBytes < r->planSize.floatBytes);
        // The plan's metric equals what the evaluator reports for the student under the plan.
        auto ds = openDataset(kDemo / "commands_val.json", *student);
        QVERIFY(ds);
        EvalOptions eo;
        eo.limit = 300;
        auto ev = Evaluator::create(student, std::move(*ds), eo);
        QVERIFY(ev);
        auto er = (*ev)->evaluate(&plan);
        QVERIFY(er);
        for (std::size_t h = 0; h < r->heads.size(); ++h) {
            QVERIFY(r->heads[h].plan && r->heads[h].planKl && r->heads[h].planAgreement);
            QCOMPARE(*r->heads[h].plan, er->heads[h].compressed);
            QVERIFY(*r->heads[h].planKl >= 0);
        }
        // Without a plan nothing is filled in.
        auto none = compareDistill(teacher, student, kDemo / "commands_val.json", nullptr, opt);
        QVERIFY(none && !none->heads[0].plan && !none->withPlan);
    }

    void softLabelsMatchADirectEvaluation()
    {
        QTemporaryDir dir;
        const fs::path out = fs::path(dir.path().toStdString()) / "soft.npz";
        auto teacher = test::readModelShared(kDemo / "commands_teacher.onnx");
        SoftLabelOptions opt;
        opt.temperature = 4.0;
        opt.batchSize = 32; // 100 samples: three full batches and one of 4
        opt.limit = 100;
        auto r = exportSoftLabels(teacher, kDemo / "commands_val.json", out, opt);
        QVERIFY2(r, r ? "" : r.error().message.c_str());
        QCOMPARE(r->samples, 100);
        auto src = openArraySource(out);
        QVERIFY2(src, src ? "" : src.error().message.c_str());
        // The direct evaluation runs the same batches (kernels may block a batch of 100
        // differently from one of 32, so the float sums may round differently).
        auto ds = openDataset(kDemo / "commands_val.json", *teacher);
        QVERIFY(ds);
        auto session = Session::create(teacher);
        QVERIFY(session);
        const char *names[] = {"intent_logits", "slot_logits"};
        for (int64_t start = 0; start < 100; start += 32) {
            const int64_t count = std::min<int64_t>(32, 100 - start);
            auto b = (*ds)->batch(start, count);
            QVERIFY(b);
            auto direct = session->run(b->inputs);
            QVERIFY(direct);
            for (int o = 0; o < 2; ++o) {
                const Tensor &y = (*direct)[static_cast<std::size_t>(o)];
                auto logits = (*src)->readRows(std::string(names[o]) + "_logits", start, count);
                auto soft = (*src)->readRows(std::string(names[o]) + "_soft", start, count);
                QVERIFY(logits && soft);
                QCOMPARE(logits->dims(), y.dims());
                QCOMPARE(soft->dims(), y.dims());
                QVERIFY(std::memcmp(logits->bytes().data(), y.bytes().data(), y.byteSize()) == 0);
                const int64_t c = y.dims().back();
                const float *x = y.data<float>(), *p = soft->data<float>();
                for (int64_t row = 0; row < y.numel() / c; ++row) {
                    double z = 0, mx = -INFINITY, sum = 0;
                    for (int64_t i = 0; i < c; ++i)
                        mx = std::max(mx, double(x[row * c + i]));
                    for (int64_t i = 0; i < c; ++i)
                        z += std::exp((x[row * c + i] - mx) / 4.0);
                    for (int64_t i = 0; i < c; ++i) {
                        const double want = std::exp((x[row * c + i] - mx) / 4.0) / z;
                        QVERIFY(std::abs(p[row * c + i] - want) < 1e-6);
                        sum += p[row * c + i];
                    }
                    QVERIFY(std::abs(sum - 1) < 1e-5);
                }
            }
        }
        auto whole = (*src)->readRows("slot_logits_soft", 0, 100);
        QVERIFY(whole);
        QCOMPARE(whole->dims(), (Dims{100, 18, 19}));
        auto t = (*src)->readRows("temperature", 0, 1);
        QVERIFY(!t); // a scalar has no sample axis; numpy reads it as a 0-d array
        // numpy reads the file too, when it is installed.
        QProcess p;
        p.start("/usr/bin/python3", {"-c",
                                     "import numpy,sys; z=numpy.load(sys.argv[1]); "
                                     "print(z['temperature'], z['slot_logits_soft'].shape)",
                                     QString::fromStdString(out.string())});
        if (p.waitForFinished(60000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0)
            QCOMPARE(QString::fromUtf8(p.readAllStandardOutput()).trimmed(),
                     QString("4.0 (100, 18, 19)"));
    }

    void streamingWriterNeverLeavesAPartialFile()
    {
        QTemporaryDir dir;
        const fs::path out = fs::path(dir.path().toStdString()) / "part.npz";
        {
            auto w = NpzStreamWriter::create(out, {{"a", {4, 2}}});
            QVERIFY(w);
            const float v[6] = {1, 2, 3, 4, 5, 6};
            QVERIFY((*w)->append(0, v));
            QVERIFY(!(*w)->append(0, v)); // 12 values into 8
            auto f = (*w)->finish();
            QVERIFY(!f);
            QCOMPARE(f.error().message,
                     "array 'a' of '" + out.string() + "' holds 6 of its 8 values.");
        }
        QVERIFY(fs::is_empty(dir.path().toStdString()));
        auto w = NpzStreamWriter::create(out, {{"a", {2, 2}}, {"b", {3}}});
        QVERIFY(w);
        const float a[4] = {1, 2, 3, 4}, b[3] = {7, 8, 9};
        QVERIFY((*w)->append(1, std::span<const float>(b, 1))); // interleaved members
        QVERIFY((*w)->append(0, a));
        QVERIFY((*w)->append(1, std::span<const float>(b + 1, 2)));
        QVERIFY((*w)->finish());
        auto src = openArraySource(out);
        QVERIFY(src);
        auto rb = (*src)->readRows("b", 0, 3);
        QVERIFY(rb);
        QCOMPARE(rb->toFloatVector(), (std::vector<float>{7, 8, 9}));
        auto ra = (*src)->readRows("a", 1, 1);
        QVERIFY(ra);
        QCOMPARE(ra->toFloatVector(), (std::vector<float>{3, 4}));
    }

    void cancellation()
    {
        QTemporaryDir dir;
        const fs::path out = fs::path(dir.path().toStdString()) / "soft.npz";
        auto teacher = test::readModelShared(kDemo / "commands_student.onnx");
        std::stop_source stop;
        int64_t reports = 0;
        Progress progress(stop.get_token(), [&](int64_t done, int64_t) {
            ++reports;
            if (done == 2)
                stop.request_stop();
        });
        SoftLabelOptions opt;
        opt.batchSize = 100;
        auto r = exportSoftLabels(teacher, kDemo / "commands_val.json", out, opt, progress);
        QVERIFY(!r);
        QCOMPARE(r.error().code, Error::Code::Cancelled);
        QCOMPARE(reports, 2);
        QVERIFY(fs::is_empty(dir.path().toStdString()));

        std::stop_source stop2;
        stop2.request_stop();
        auto c = compareDistill(teacher, teacher, kDemo / "commands_val.json", nullptr, {},
                                Progress(stop2.get_token()));
        QVERIFY(!c);
        QCOMPARE(c.error().code, Error::Code::Cancelled);
    }

    void badInput()
    {
        auto teacher = test::readModelShared(kDemo / "commands_teacher.onnx");
        auto intent = test::readModelShared(kDemo / "commands_intent.onnx");
        auto slotModel = test::readModelShared(kDemo / "commands_slots.onnx");
        DistillOptions opt;
        opt.temperature = 0;
        auto r = compareDistill(teacher, teacher, kDemo / "commands_val.json", nullptr, opt);
        QVERIFY(!r);
        QCOMPARE(r.error().message,
                 std::string("the temperature must be a positive number, not 0.000000."));
        opt.temperature = 4;
        opt.limit = 0; // no samples: an error, not a table of zeros
        r = compareDistill(teacher, teacher, kDemo / "commands_val.json", nullptr, opt);
        QVERIFY(!r);
        QVERIFY2(r.error().message.find("gives no samples to compare on (limit 0, 1065 samples)") !=
                     std::string::npos,
                 r.error().message.c_str());
        opt.limit = -1;
        r = compareDistill(intent, slotModel, kDemo / "commands_val.npz", nullptr, opt);
        QVERIFY(!r);
        QCOMPARE(
            r.error().message,
            std::string("the teacher and the student share no output name (teacher: intent_logits; "
                        "student: slot_logits); distillation compares outputs of the same name."));
        r = compareDistill(teacher, teacher, kDemo / "no_such_data.json", nullptr, opt);
        QVERIFY(!r);
        QVERIFY2(QString::fromStdString(r.error().message).startsWith("data for the teacher: "),
                 r.error().message.c_str());
        QVERIFY(QString::fromStdString(r.error().message).contains("no_such_data.json"));
        CompressionPlan plan = CompressionPlan::defaults();
        plan.layers["no_such_layer"] = {};
        r = compareDistill(teacher, teacher, kDemo / "commands_val.json", &plan, opt);
        QVERIFY(!r);
        QVERIFY2(QString::fromStdString(r.error().message).contains("no_such_layer"),
                 r.error().message.c_str());

        QTemporaryDir dir;
        const fs::path out = fs::path(dir.path().toStdString()) / "missing_folder" / "soft.npz";
        auto s = exportSoftLabels(teacher, kDemo / "commands_val.json", out, {});
        QVERIFY(!s);
        QVERIFY2(QString::fromStdString(s.error().message)
                     .startsWith("cannot write '" + QString::fromStdString(out.string()) + "'"),
                 s.error().message.c_str());
    }

    void maskedTeacherClassesAddNothingToTheDivergence()
    {
        // A teacher that masks class 2 (logit -inf, probability 0): 0 log 0 = 0, so the KL is
        // the finite sum over classes 0 and 1, not NaN. A student that masks a class the teacher
        // can produce diverges infinitely.
        QTemporaryDir dir;
        const fs::path data = fs::path(dir.path().toStdString()) / "x.npz";
        const std::vector<float> xs{0.3f, -1.2f, 2.0f, 1.5f, 0.25f, -0.5f, -2.0f, 0.7f, 0.1f};
        QVERIFY(writeNpz(data, {{"x", Tensor::fromVector({3, 3}, xs)}}));
        const float inf = std::numeric_limits<float>::infinity();
        auto teacher = shiftModel({0.0f, 0.5f, -inf});
        auto student = shiftModel({0.25f, 0.0f, 0.0f});
        DistillOptions opt;
        opt.temperature = 2.0;
        opt.threads = 1;
        auto r = compareDistill(teacher, student, data, nullptr, opt);
        QVERIFY2(r, r ? "" : r.error().message.c_str());
        QCOMPARE(r->heads.size(), std::size_t(1));
        double want = 0;
        for (int i = 0; i < 3; ++i) {
            const float t[2] = {xs[3 * i] + 0.0f, xs[3 * i + 1] + 0.5f};
            // The student's probabilities over all three classes, renormalised by hand.
            const double e0 = std::exp((xs[3 * i] + 0.25) / 2), e1 = std::exp(xs[3 * i + 1] / 2.0),
                         e2 = std::exp(xs[3 * i + 2] / 2.0), zs = e0 + e1 + e2;
            const double zt = std::exp(t[0] / 2.0) + std::exp(t[1] / 2.0);
            const double p0 = std::exp(t[0] / 2.0) / zt, p1 = std::exp(t[1] / 2.0) / zt;
            want += p0 * std::log(p0 / (e0 / zs)) + p1 * std::log(p1 / (e1 / zs));
        }
        want /= 3;
        QVERIFY2(std::isfinite(r->heads[0].klDivergence),
                 qPrintable(QString::number(r->heads[0].klDivergence)));
        QVERIFY2(std::abs(r->heads[0].klDivergence - want) < 1e-9,
                 qPrintable(QString("%1 vs %2").arg(r->heads[0].klDivergence).arg(want)));
        auto back = compareDistill(student, teacher, data, nullptr, opt);
        QVERIFY(back);
        QVERIFY(std::isinf(back->heads[0].klDivergence) && back->heads[0].klDivergence > 0);
    }

    void unlabelledSequencesAreComparedOnUnmaskedTokens()
    {
        // The bare array file binds no labels: the slot head is compared on the tokens whose
        // attention_mask is 1, and the KL is the mean over exactly those.
        auto teacher = test::readModelShared(kDemo / "commands_teacher.onnx");
        auto student = test::readModelShared(kDemo / "commands_student.onnx");
        const fs::path data = kDemo / "commands_val.npz";
        DistillOptions opt;
        opt.temperature = 3.0;
        opt.limit = 40;
        opt.batchSize = 16;
        auto r = compareDistill(teacher, student, data, nullptr, opt);
        QVERIFY2(r, r ? "" : r.error().message.c_str());
        const DistillHead *slotTokens = nullptr;
        for (const DistillHead &h : r->heads)
            if (h.output == "slot_logits")
                slotTokens = &h;
        QVERIFY(slotTokens);
        QVERIFY(!slotTokens->hasLabels);
        auto ds = openDataset(data, *teacher);
        QVERIFY(ds);
        auto b = (*ds)->batch(0, 40);
        QVERIFY(b);
        const auto names = Session::create(teacher)->inputNames();
        const auto at = std::find(names.begin(), names.end(), "attention_mask") - names.begin();
        const auto mask = b->inputs[static_cast<std::size_t>(at)].toInt64Vector();
        const auto yt = runAll(teacher, data, 40, 16), ys = runAll(student, data, 40, 16);
        const std::size_t slotIndex = yt[0].rank() == 3 ? 0 : 1;
        double kl = 0;
        int64_t tokens = 0;
        for (std::size_t k = 0; k < mask.size(); ++k) {
            if (mask[k] == 0)
                continue;
            kl += klRow(yt[slotIndex].data<float>() + k * 19, ys[slotIndex].data<float>() + k * 19,
                        19, 3.0);
            ++tokens;
        }
        QVERIFY(tokens > 0 && tokens < int64_t(mask.size())); // the mask does exclude padding
        QCOMPARE(slotTokens->positions, tokens);
        QVERIFY(std::abs(slotTokens->klDivergence - kl / tokens) < 1e-9);
    }

    void softLabelsNeverReplaceAnInput()
    {
        QTemporaryDir dir;
        const fs::path data = fs::path(dir.path().toStdString()) / "val.npz";
        fs::copy_file(kDemo / "commands_val.npz", data);
        const auto before = fs::file_size(data);
        auto teacher = test::readModelShared(kDemo / "commands_student.onnx");
        SoftLabelOptions opt;
        opt.limit = 4;
        auto r = exportSoftLabels(teacher, data, data, opt);
        QVERIFY(!r);
        QCOMPARE(r.error().code, Error::Code::Usage);
        QVERIFY2(r.error().message.find("an input of this run") != std::string::npos,
                 r.error().message.c_str());
        QCOMPARE(fs::file_size(data), before);
        // Through a description, the array file it names is an input too.
        const fs::path desc = fs::path(dir.path().toStdString()) / "val.json";
        {
            std::ofstream f(desc);
            f << R"({"source": "val.npz"})";
        }
        r = exportSoftLabels(teacher, desc, data, opt);
        QVERIFY(!r);
        QCOMPARE(r.error().code, Error::Code::Usage);
        QCOMPARE(fs::file_size(data), before);
    }

    void cli()
    {
        QTemporaryDir dir;
        const QString demo = QString::fromStdString(kDemo.string()) + "/";
        QProcess p;
        p.start(NNC_CLI_PATH, {"distill-compare", demo + "commands_teacher.onnx",
                               demo + "commands_student.onnx", "--data", demo + "commands_val.json",
                               "--temperature", "2", "--limit", "200", "--json"});
        QVERIFY(p.waitForFinished(300000));
        QCOMPARE(p.exitCode(), 0);
        const auto j = QJsonDocument::fromJson(p.readAllStandardOutput()).object();
        QCOMPARE(j["samples"].toInteger(), 200);
        QCOMPARE(j["temperature"].toDouble(), 2.0);
        QCOMPARE(j["heads"].toArray().size(), 2);
        QCOMPARE(j["cost"].toObject()["student"].toObject()["parameters"].toInteger(), 50819);
        QVERIFY(j["heads"].toArray()[1].toObject()["kl_divergence"].toDouble() > 0);

        const QString out = dir.path() + "/soft.npz";
        QProcess s;
        s.start(NNC_CLI_PATH,
                {"soft-labels", demo + "commands_student.onnx", "--data",
                 demo + "commands_val.json", "--temperature", "4", "--out", out, "--limit", "10"});
        QVERIFY(s.waitForFinished(120000));
        QCOMPARE(s.exitCode(), 0);
        QVERIFY(QString::fromUtf8(s.readAllStandardOutput()).contains("slot_logits_soft"));
        QVERIFY(QFile::exists(out));

        QProcess bad;
        bad.start(NNC_CLI_PATH, {"soft-labels", demo + "commands_student.onnx", "--data",
                                 demo + "commands_val.json", "--temperature", "-1", "--out",
                                 dir.path() + "/x.npz"});
        QVERIFY(bad.waitForFinished(60000));
        QCOMPARE(bad.exitCode(), 2);
        QVERIFY(QString::fromUtf8(bad.readAllStandardError())
                    .contains("--temperature takes a positive number, not '-1'."));
    }
};

QTEST_APPLESS_MAIN(TestDistill)
#include "test_distill.moc"
