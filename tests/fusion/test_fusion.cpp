// Network fusion: backbone matching, savings counted by hand, exact outputs when the backbones
// are identical, the demo intent/slot pair, bad input, and the `nncompress fuse` command.
#include "core/data/dataset.h"
#include "core/fusion/fusion.h"
#include "core/fusion/model_cost.h"
#include "core/model/onnx_reader.h"
#include "core/model/onnx_writer.h"
#include "core/runtime/session.h"
#include "tests/common/model_fixture.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <cstring>
#include <limits>
#include <filesystem>
#include <random>
#include <set>

using namespace nnc;
namespace fs = std::filesystem;

namespace {

const fs::path kDemo = fs::path(NNC_SOURCE_DIR) / "resources" / "demo";

Tensor filled(Dims dims, float v)
{
    Tensor t(DataType::Float, std::move(dims));
    for (float &x : t.mutableSpan<float>())
        x = v;
    return t;
}

Tensor randomTensor(Dims dims, unsigned seed)
{
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> d(-1, 1);
    Tensor t(DataType::Float, std::move(dims));
    for (float &x : t.mutableSpan<float>())
        x = d(rng);
    return t;
}

Node node(std::string op, std::string name, std::vector<std::string> in,
          std::vector<std::string> out)
{
    Node n;
    n.opType = std::move(op);
    n.name = std::move(name);
    n.inputs = std::move(in);
    n.outputs = std::move(out);
    return n;
}

Attribute intAttr(std::string name, int64_t v)
{
    Attribute a;
    a.name = std::move(name);
    a.kind = Attribute::Kind::Int;
    a.i = v;
    return a;
}

/// x [N, inDim] -> Gemm(W1 [8, inDim], b1 [8]) -> Relu -> Gemm(W2 [classes, 8], b2) -> `output`.
/// Both models use the same value, node and initializer names, so B's head must be renamed.
std::shared_ptr<Model> tinyModel(const std::string &output, float w1, float b1, int64_t classes,
                                 unsigned seed, int64_t inDim = 4)
{
    auto m = std::make_shared<Model>();
    m->irVersion = 8;
    m->opsets[""] = 13;
    m->path = "tiny_" + output + ".onnx";
    Graph &g = m->graph;
    g.name = "tiny";
    ValueInfo x;
    x.name = "x";
    x.dtype = DataType::Float;
    x.hasShape = true;
    x.shape = {Dim{-1, false, "N"}, Dim{inDim, true, ""}};
    g.inputs.push_back(x);
    g.initializers["W1"] = filled({8, inDim}, w1);
    g.initializers["b1"] = filled({8}, b1);
    g.initializers["W2"] = randomTensor({classes, 8}, seed);
    g.initializers["b2"] = randomTensor({classes}, seed + 1);
    g.initializerOrder = {"W1", "b1", "W2", "b2"};
    Node g1 = node("Gemm", "g1", {"x", "W1", "b1"}, {"h"});
    g1.attributes.push_back(intAttr("transB", 1));
    Node g2 = node("Gemm", "g2", {"r", "W2", "b2"}, {output});
    g2.attributes.push_back(intAttr("transB", 1));
    g.nodes = {g1, node("Relu", "relu", {"h"}, {"r"}), g2};
    ValueInfo y;
    y.name = output;
    y.dtype = DataType::Float;
    y.hasShape = true;
    y.shape = {Dim{-1, false, "N"}, Dim{classes, true, ""}};
    g.outputs.push_back(y);
    return m;
}

/// A copy of `m` that keeps only output `keep` and the nodes and initializers it needs.
std::shared_ptr<Model> keepOutput(const Model &m, const std::string &keep)
{
    auto out = std::make_shared<Model>(m);
    Graph &g = out->graph;
    std::erase_if(g.outputs, [&](const ValueInfo &v) { return v.name != keep; });
    std::set<std::string> needed{keep};
    std::vector<Node> kept;
    for (auto it = g.nodes.rbegin(); it != g.nodes.rend(); ++it) {
        bool use = false;
        for (const auto &o : it->outputs)
            use = use || needed.contains(o);
        if (!use)
            continue;
        for (const auto &i : it->inputs)
            needed.insert(i);
        kept.insert(kept.begin(), *it);
    }
    g.nodes = kept;
    std::erase_if(g.initializerOrder, [&](const std::string &n) { return !needed.contains(n); });
    std::erase_if(g.initializers, [&](const auto &kv) { return !needed.contains(kv.first); });
    return out;
}

std::unordered_map<std::string, Tensor> runNamed(std::shared_ptr<const Model> m,
                                                 std::vector<Tensor> in)
{
    auto s = Session::create(std::move(m));
    if (!s)
        qFatal("%s", s.error().message.c_str());
    auto out = s->run(in);
    if (!out)
        qFatal("%s", out.error().message.c_str());
    std::unordered_map<std::string, Tensor> named;
    const auto names = s->outputNames();
    for (std::size_t i = 0; i < names.size(); ++i)
        named[names[i]] = (*out)[i];
    return named;
}

bool bitEqual(const Tensor &a, const Tensor &b)
{
    return a.dtype() == b.dtype() && a.dims() == b.dims() &&
           std::memcmp(a.bytes().data(), b.bytes().data(), a.byteSize()) == 0;
}

/// onnx.checker through Debian's python, when it and the onnx module are installed.
std::optional<QString> onnxCheckerProblem(const fs::path &file)
{
    if (!fs::exists("/usr/bin/python3"))
        return std::nullopt;
    QProcess probe;
    probe.start("/usr/bin/python3", {"-c", "import onnx"});
    probe.waitForFinished(60000);
    if (probe.exitCode() != 0)
        return std::nullopt;
    QProcess p;
    p.start("/usr/bin/python3",
            {"-c",
             "import onnx,sys; onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True)",
             QString::fromStdString(file.string())});
    p.waitForFinished(120000);
    if (p.exitCode() != 0)
        return QString::fromUtf8(p.readAllStandardError());
    return QString();
}

} // namespace

class TestFusion : public QObject
{
    Q_OBJECT

private slots:
    void savingsCountedByHand()
    {
        auto a = tinyModel("ya", 1.0f, 0.5f, 3, 1);
        auto b = tinyModel("yb", 2.0f, -0.5f, 5, 7);
        auto match = matchBackbone(*a, *b);
        QVERIFY2(match, match ? "" : match.error().message.c_str());
        QCOMPARE(match->computeNodes, 2); // g1 and relu; g2 differs in its weight's shape
        QCOMPARE(match->headInputsA, std::vector<std::string>{"r"});
        QCOMPARE(match->weights.size(), std::size_t(2));
        // W1: a = 1, b = 2 everywhere: ||a - b|| / ||a|| = 1, cosine 1.
        QCOMPARE(match->weights[0].weightA, std::string("W1"));
        QCOMPARE(match->weights[0].relativeL2, 1.0);
        QCOMPARE(match->weights[0].cosine, 1.0);
        // b1: 0.5 against -0.5: ||1|| / ||0.5|| = 2, cosine -1.
        QCOMPARE(match->weights[1].relativeL2, 2.0);
        QCOMPARE(match->weights[1].cosine, -1.0);

        auto fused = buildFusedModel(*a, *b, *match, BackboneSource::A);
        QVERIFY2(fused, fused ? "" : fused.error().message.c_str());
        QCOMPARE(fused->renamedB.at("W2"), std::string("b/W2"));
        QCOMPARE(fused->renamedB.at("g2"), std::string("b/g2"));
        QCOMPARE(fused->outputsB.at("yb"), std::string("yb"));

        // By hand: A = 8*4 + 8 + 3*8 + 3 = 67 parameters, B = 40 + 5*8 + 5 = 85, fused = 40 +
        // 27 + 45 = 112. MACs at batch 3: A = 3 * (8*4 + 3*8) = 168, B = 3 * (32 + 40) = 216,
        // fused = 3 * (32 + 24 + 40) = 288.
        CostOptions co;
        co.batch = 3;
        auto ca = measureModelCost(a, co), cb = measureModelCost(b, co);
        auto cf = measureModelCost(fused->model, co);
        QVERIFY(ca && cb && cf);
        QCOMPARE(ca->parameters, 67);
        QCOMPARE(cb->parameters, 85);
        QCOMPARE(cf->parameters, 112);
        QCOMPARE(ca->bytes, 67 * 4);
        QCOMPARE(cf->bytes, 112 * 4);
        QCOMPARE(ca->macs, 168);
        QCOMPARE(cb->macs, 216);
        QCOMPARE(cf->macs, 288);
        QCOMPARE(cf->macsByOp.at("Gemm"), 288);
    }

    void tinyFusedOutputsFollowTheChosenBackbone()
    {
        auto a = tinyModel("ya", 1.0f, 0.5f, 3, 1);
        auto b = tinyModel("yb", 2.0f, -0.5f, 5, 7);
        auto match = matchBackbone(*a, *b);
        QVERIFY(match);
        const Tensor x = randomTensor({6, 4}, 42);
        const auto outA = runNamed(a, {x}), outB = runNamed(b, {x});
        auto fa = buildFusedModel(*a, *b, *match, BackboneSource::A);
        auto fb = buildFusedModel(*a, *b, *match, BackboneSource::B);
        auto fm = buildFusedModel(*a, *b, *match, BackboneSource::Mean);
        QVERIFY(fa && fb && fm);
        // Backbone from A: A's head is exactly A; from B: B's head is exactly B.
        QVERIFY(bitEqual(runNamed(fa->model, {x}).at("ya"), outA.at("ya")));
        QVERIFY(bitEqual(runNamed(fb->model, {x}).at("yb"), outB.at("yb")));
        QVERIFY(!bitEqual(runNamed(fa->model, {x}).at("yb"), outB.at("yb")));
        // Mean: W1 = 1.5, b1 = 0 everywhere.
        const Tensor &w1 = fm->model->graph.initializers.at("W1");
        const Tensor &b1 = fm->model->graph.initializers.at("b1");
        for (float v : w1.span<float>())
            QCOMPARE(v, 1.5f);
        for (float v : b1.span<float>())
            QCOMPARE(v, 0.0f);
        auto mean = tinyModel("ya", 1.5f, 0.0f, 3, 1);
        QVERIFY(bitEqual(runNamed(fm->model, {x}).at("ya"), runNamed(mean, {x}).at("ya")));
    }

    void identicalBackbonesGiveTheOriginalOutputsExactly()
    {
        // Split the demo's fused model into an intent model and a slot model that share the
        // same backbone weights, then fuse them again.
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const fs::path root = dir.path().toStdString();
        auto whole = test::readModelShared(kDemo / "commands_fused.onnx");
        auto intent = keepOutput(*whole, "intent_logits");
        auto slotModel = keepOutput(*whole, "slot_logits");
        QVERIFY(writeModel(*intent, root / "intent.onnx"));
        QVERIFY(writeModel(*slotModel, root / "slots.onnx"));
        auto data = openDataset(kDemo / "commands_val.json", *whole);
        QVERIFY(data);
        auto batch = (*data)->batch(0, 200);
        QVERIFY(batch);
        const auto ref = runNamed(whole, batch->inputs);
        for (const char *bb : {"a", "b", "mean"}) {
            FusionRequest req;
            req.modelA = root / "intent.onnx";
            req.modelB = root / "slots.onnx";
            req.backbone = *parseBackboneSource(bb);
            req.out = root / (std::string("fused_") + bb + ".onnx");
            auto r = fuseModels(req);
            QVERIFY2(r, r ? "" : r.error().message.c_str());
            QCOMPARE(r->backboneComputeNodes, 10);
            for (const WeightDistance &w : r->weights) {
                QVERIFY(w.identical);
                QCOMPARE(w.relativeL2, 0.0);
            }
            // The written file reads back, builds a session and gives the originals' outputs
            // bit for bit.
            auto back = test::readModelShared(*req.out);
            const auto out = runNamed(back, batch->inputs);
            QVERIFY(bitEqual(out.at("intent_logits"), ref.at("intent_logits")));
            QVERIFY(bitEqual(out.at("slot_logits"), ref.at("slot_logits")));
            const auto separateA = runNamed(test::readModelShared(req.modelA), batch->inputs);
            const auto separateB = runNamed(test::readModelShared(req.modelB), batch->inputs);
            QVERIFY(bitEqual(out.at("intent_logits"), separateA.at("intent_logits")));
            QVERIFY(bitEqual(out.at("slot_logits"), separateB.at("slot_logits")));
            // One copy of the backbone: as many parameters as the demo's own fused model.
            QCOMPARE(r->costFused.parameters, countParameters(*whole).parameters);
            if (auto problem = onnxCheckerProblem(*req.out))
                QVERIFY2(problem->isEmpty(), qPrintable(*problem));
        }
    }

    void demoIntentAndSlotModels()
    {
        QTemporaryDir dir;
        FusionRequest req;
        req.modelA = kDemo / "commands_intent.onnx";
        req.modelB = kDemo / "commands_slots.onnx";
        req.dataA = kDemo / "commands_val_intent.json";
        req.dataB = kDemo / "commands_val_slots.json";
        req.cost.sequence = 18;
        req.out = fs::path(dir.path().toStdString()) / "fused.onnx";
        auto r = fuseModels(req);
        QVERIFY2(r, r ? "" : r.error().message.c_str());
        // Embedding, the GRU and the shape arithmetic feeding its initial state are shared.
        QCOMPARE(r->backboneComputeNodes, 10);
        QCOMPARE(r->headInputsA, std::vector<std::string>{"/encoder/rnn/GRU_output_1"});
        QCOMPARE(r->headInputsB, std::vector<std::string>{"/encoder/rnn/GRU_output_0"});
        QCOMPARE(r->weights.size(), std::size_t(4)); // embedding, W, R, B
        for (const WeightDistance &w : r->weights) {
            QVERIFY(!w.identical); // trained apart
            QVERIFY(w.relativeL2 > 0.1);
        }
        // Saved: one backbone = 989*64 + 2*192*64*2 + 2*384 = 113,216 parameters.
        QCOMPARE(r->costA.parameters + r->costB.parameters - r->costFused.parameters, 113216);
        QCOMPARE(r->costFused.parameters, 117731);
        // MACs at batch 1, 18 steps: the GRU is 18 * 2*192*(64+64) = 884,736 and runs once.
        QCOMPARE(r->costA.macs, 884736 + 16 * 128);
        QCOMPARE(r->costB.macs, 884736 + 18 * 128 * 19);
        QCOMPARE(r->costFused.macs, 884736 + 16 * 128 + 18 * 128 * 19);
        QCOMPARE(r->heads.size(), std::size_t(2));
        // The backbone is A's: A's head is unchanged, B's head reads an encoder it was not
        // trained with.
        QCOMPARE(r->heads[0].output, std::string("intent_logits"));
        QCOMPARE(r->heads[0].separate, 1058.0 / 1065.0);
        QCOMPARE(r->heads[0].fused, r->heads[0].separate);
        QCOMPARE(r->heads[0].agreement, 1.0);
        QCOMPARE(r->heads[1].output, std::string("slot_logits"));
        QCOMPARE(r->heads[1].separate, 2.0 * 895 / (975 + 973));
        QVERIFY(r->heads[1].fused < r->heads[1].separate);
        QVERIFY(fs::exists(*req.out));
    }

    void badInput_data()
    {
        QTest::addColumn<QString>("a");
        QTest::addColumn<QString>("b");
        QTest::addColumn<QString>("message");
        const QString demo = QString::fromStdString(kDemo.string()) + "/";
        QTest::newRow("different inputs")
            << demo + "fashion_cnn.onnx" << demo + "commands_student.onnx"
            << "the models' inputs differ: model B has no input 'image' (model A: image; model B: "
               "input_ids, attention_mask); fusion matches inputs by name.";
        QTest::newRow("no common prefix") << demo + "fashion_cnn.onnx" << demo + "fashion_mlp.onnx"
                                          << "the models have no common backbone: no node reading "
                                             "their inputs is identical in both "
                                             "(same op, attributes, inputs and weight shapes); "
                                             "model A's first such node, Conv node "
                                             "'/conv1/Conv', has no counterpart in model B.";
        QTest::newRow("missing file") << demo + "no_such_model.onnx" << demo + "fashion_mlp.onnx"
                                      << "'" + demo + "no_such_model.onnx' does not exist.";
    }

    void badInput()
    {
        QFETCH(QString, a);
        QFETCH(QString, b);
        QFETCH(QString, message);
        QTemporaryDir dir;
        FusionRequest req;
        req.modelA = a.toStdString();
        req.modelB = b.toStdString();
        req.out = fs::path(dir.path().toStdString()) / "fused.onnx";
        auto r = fuseModels(req);
        QVERIFY(!r);
        QVERIFY2(QString::fromStdString(r.error().message).endsWith(message),
                 r.error().message.c_str());
        QVERIFY(!fs::exists(*req.out));
        QVERIFY(fs::is_empty(dir.path().toStdString()));
    }

    void inputShapesMustAgree()
    {
        auto a = tinyModel("ya", 1.0f, 0.5f, 3, 1, 4);
        auto b = tinyModel("yb", 1.0f, 0.5f, 3, 1, 6);
        auto m = matchBackbone(*a, *b);
        QVERIFY(!m);
        QCOMPARE(m.error().message,
                 std::string("input 'x' has shape [N, 4] in model A and [N, 6] in model B."));
        QVERIFY(!parseBackboneSource("avg"));
        QCOMPARE(parseBackboneSource("avg").error().message,
                 std::string("the backbone must be a, b or mean, not 'avg'."));
    }

    void sameOutputNameIsKeptApart()
    {
        // Both heads write "y": A keeps it, B's becomes "b/y"; fusing a model with itself gives
        // one backbone and, with no head left in B, an Identity for B's output.
        auto a = tinyModel("y", 1.0f, 0.5f, 3, 1);
        auto b = tinyModel("y", 1.0f, 0.5f, 5, 2);
        auto m = matchBackbone(*a, *b);
        QVERIFY(m);
        auto f = buildFusedModel(*a, *b, *m, BackboneSource::A);
        QVERIFY(f);
        QCOMPARE(f->outputsB.at("y"), std::string("b/y"));
        const Tensor x = randomTensor({2, 4}, 3);
        const auto out = runNamed(f->model, {x});
        QVERIFY(bitEqual(out.at("y"), runNamed(a, {x}).at("y")));
        QVERIFY(bitEqual(out.at("b/y"), runNamed(b, {x}).at("y")));

        auto self = matchBackbone(*a, *a);
        QVERIFY(self);
        QCOMPARE(self->computeNodes, 3);
        auto fs2 = buildFusedModel(*a, *a, *self, BackboneSource::Mean);
        QVERIFY(fs2);
        const auto out2 = runNamed(fs2->model, {x});
        QVERIFY(bitEqual(out2.at("y"), out2.at("b/y")));
        QCOMPARE(fs2->model->graph.nodes.back().opType, std::string("Identity"));
    }

    void cancellation()
    {
        QTemporaryDir dir;
        FusionRequest req;
        req.modelA = kDemo / "commands_intent.onnx";
        req.modelB = kDemo / "commands_slots.onnx";
        req.dataA = kDemo / "commands_val_intent.json";
        req.batchSize = 100;
        req.out = fs::path(dir.path().toStdString()) / "fused.onnx";
        std::stop_source stop;
        int64_t reports = 0;
        Progress progress(stop.get_token(), [&](int64_t done, int64_t total) {
            ++reports;
            QCOMPARE(total, 11);
            if (done == 3)
                stop.request_stop();
        });
        auto r = fuseModels(req, progress);
        QVERIFY(!r);
        QCOMPARE(r.error().code, Error::Code::Cancelled);
        QCOMPARE(reports, 3);
        QVERIFY(fs::is_empty(dir.path().toStdString()));
    }

    void outNeverReplacesAnInput()
    {
        // --out naming model A (or B, or a data file) is refused before anything is read or
        // written; the input stays byte for byte.
        QTemporaryDir dir;
        const fs::path root = dir.path().toStdString();
        QVERIFY(writeModel(*tinyModel("ya", 1.0f, 0.5f, 3, 1), root / "a.onnx"));
        QVERIFY(writeModel(*tinyModel("yb", 2.0f, -0.5f, 5, 7), root / "b.onnx"));
        const auto sizeA = fs::file_size(root / "a.onnx"), sizeB = fs::file_size(root / "b.onnx");
        for (const char *victim : {"a.onnx", "b.onnx"}) {
            FusionRequest req;
            req.modelA = root / "a.onnx";
            req.modelB = root / "b.onnx";
            req.out = root / "." / victim; // another spelling of the same file
            auto r = fuseModels(req);
            QVERIFY(!r);
            QCOMPARE(r.error().code, Error::Code::Usage);
            QVERIFY2(r.error().message.find("choose another file") != std::string::npos,
                     r.error().message.c_str());
        }
        QCOMPARE(fs::file_size(root / "a.onnx"), sizeA);
        QCOMPARE(fs::file_size(root / "b.onnx"), sizeB);
        QVERIFY(readModel(root / "a.onnx"));
    }

    void previewWithoutSamplesIsAnError()
    {
        auto a = test::readModelShared(kDemo / "commands_intent.onnx");
        auto p = previewHeads(a, a, kDemo / "commands_val_intent.json", {}, "A", 64, 0, 1);
        QVERIFY(!p);
        QVERIFY2(p.error().message.find("gives no samples to preview model A's heads on (limit 0") !=
                     std::string::npos,
                 p.error().message.c_str());
    }

    void hugeCountingShapeIsAnError()
    {
        // A counting shape whose placeholder input cannot exist is a usage error, not an
        // overflowing element count or an allocation failure.
        auto a = tinyModel("ya", 1.0f, 0.5f, 3, 1);
        for (int64_t batch : {int64_t{1} << 40, std::numeric_limits<int64_t>::max()}) {
            CostOptions co;
            co.batch = batch;
            auto c = measureModelCost(a, co);
            QVERIFY(!c);
            QCOMPARE(c.error().code, Error::Code::Usage);
            QVERIFY2(c.error().message.starts_with("input 'x' would have more than"),
                     c.error().message.c_str());
        }
    }

    void weightDistancesOfDegenerateWeights()
    {
        // Zero norm in A: relative L2 is 0 against zeros and +inf against anything else; a NaN
        // weight gives NaN (never a made-up number), and the CLI prints it as "nan".
        auto a = tinyModel("ya", 0.0f, 0.5f, 3, 1);
        auto zeros = tinyModel("yb", 0.0f, 0.5f, 5, 7);
        auto twos = tinyModel("yb", 2.0f, 0.5f, 5, 7);
        auto mz = matchBackbone(*a, *zeros), mt = matchBackbone(*a, *twos);
        QVERIFY(mz && mt);
        QCOMPARE(mz->weights[0].relativeL2, 0.0);
        QCOMPARE(mz->weights[0].cosine, 1.0);
        QVERIFY(std::isinf(mt->weights[0].relativeL2));
        QCOMPARE(mt->weights[0].cosine, 0.0);

        QTemporaryDir dir;
        const fs::path root = dir.path().toStdString();
        auto nanModel = tinyModel("ya", std::numeric_limits<float>::quiet_NaN(), 0.5f, 3, 1);
        QVERIFY(writeModel(*nanModel, root / "a.onnx"));
        QVERIFY(writeModel(*twos, root / "b.onnx"));
        QProcess p;
        p.start(NNC_CLI_PATH, {"fuse", QString::fromStdString((root / "a.onnx").string()),
                               QString::fromStdString((root / "b.onnx").string()), "--json"});
        QVERIFY(p.waitForFinished(120000));
        QCOMPARE(p.exitCode(), 0);
        const auto j = QJsonDocument::fromJson(p.readAllStandardOutput()).object();
        const auto w0 = j["weights"].toArray()[0].toObject();
        QCOMPARE(w0["weight_a"].toString(), QString("W1"));
        QCOMPARE(w0["relative_l2"].toString(), QString("nan"));
        QCOMPARE(w0["cosine"].toString(), QString("nan"));
    }

    void cliFuseJson()
    {
        QTemporaryDir dir;
        const QString out = dir.path() + "/fused.onnx";
        const QString demo = QString::fromStdString(kDemo.string()) + "/";
        QProcess p;
        p.start(NNC_CLI_PATH, {"fuse", demo + "commands_intent.onnx", demo + "commands_slots.onnx",
                               "--backbone", "b", "--out", out, "--data-b",
                               demo + "commands_val_slots.json", "--seq-len", "18", "--json"});
        QVERIFY(p.waitForFinished(300000));
        QCOMPARE(p.exitCode(), 0);
        const auto j = QJsonDocument::fromJson(p.readAllStandardOutput()).object();
        QCOMPARE(j["backbone"].toString(), QString("b"));
        QCOMPARE(j["saved"].toObject()["parameters"].toInteger(), 113216);
        QCOMPARE(j["cost"].toObject()["fused"].toObject()["macs"].toInteger(),
                 884736 + 16 * 128 + 18 * 128 * 19);
        const auto heads = j["heads"].toArray();
        QCOMPARE(heads.size(), 1);
        QCOMPARE(heads[0].toObject()["delta_pp"].toDouble(), 0.0); // B's own backbone
        QVERIFY(QFile::exists(out));

        QProcess bad;
        bad.start(NNC_CLI_PATH, {"fuse", demo + "fashion_cnn.onnx", demo + "fashion_mlp.onnx",
                                 "--out", dir.path() + "/x.onnx"});
        QVERIFY(bad.waitForFinished(60000));
        QCOMPARE(bad.exitCode(), 3);
        QVERIFY(QString::fromUtf8(bad.readAllStandardError()).contains("no common backbone"));
        QVERIFY(!QFile::exists(dir.path() + "/x.onnx"));

        QProcess usage;
        usage.start(NNC_CLI_PATH, {"fuse", demo + "fashion_cnn.onnx", demo + "fashion_mlp.onnx",
                                   "--backbone", "median"});
        QVERIFY(usage.waitForFinished(60000));
        QCOMPARE(usage.exitCode(), 2);
    }
};

QTEST_APPLESS_MAIN(TestFusion)
#include "test_fusion.moc"
