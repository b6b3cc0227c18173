// The executor: unsupported-op listing (API and CLI exit code 4), partial runs that execute only
// what is downstream of fed tensors, observers that replace activations, weight overrides, and
// reader cancellation.
#include "core/model/onnx_reader.h"
#include "core/runtime/session.h"

#include <QProcess>
#include <QtTest>

using namespace nnc;

class TestSession : public QObject
{
    Q_OBJECT

private slots:
    void listsEveryUnsupportedOp();
    void cliExitsWith4OnUnsupportedOps();
    void partialRunExecutesOnlyDownstreamNodes();
    void observerReplacesActivations();
    void weightOverrideReplacesInitializer();
    void readerCancels();
};

static std::shared_ptr<const Model> load(const char *name)
{
    auto m = readModel(std::string(NNC_SOURCE_DIR "/tests/data/models/") + name);
    if (!m)
        qFatal("%s", m.error().message.c_str());
    return std::make_shared<const Model>(std::move(*m));
}

void TestSession::listsEveryUnsupportedOp()
{
    auto s = Session::create(load("unsupported.onnx"));
    QVERIFY(!s);
    QCOMPARE(s.error().code, Error::Code::Unsupported);
    const QString msg = QString::fromStdString(s.error().message);
    QVERIFY2(msg.contains("uses 2 ops this engine does not support: "
                          "FancyOp (com.example, opset 1), MysteryOp (ai.onnx, opset 13)."),
             qPrintable(msg));
}

void TestSession::cliExitsWith4OnUnsupportedOps()
{
    QTemporaryDir out;
    QProcess p;
    p.start(NNC_CLI_PATH, {"run", NNC_SOURCE_DIR "/tests/data/models/unsupported.onnx", "--input-dir",
                           out.path(), "--output-dir", out.path()});
    QVERIFY(p.waitForFinished(30000));
    QCOMPARE(p.exitCode(), 4);
    QVERIFY(QString::fromUtf8(p.readAllStandardError()).contains("FancyOp (com.example, opset 1)"));
}

static Tensor input()
{
    return Tensor::fromVector<float>({2, 4}, {1, -2, 3, 0.5f, -1, 0, 2, 4});
}

void TestSession::partialRunExecutesOnlyDownstreamNodes()
{
    auto s = Session::create(load("chain.onnx"));
    QVERIFY2(s, s ? "" : s.error().message.c_str());
    const std::vector<std::string> wanted{"y"};
    RunOptions keepR;
    keepR.keep = {"r"};
    auto full = s->runPartial({{"x", input()}}, wanted, keepR);
    QVERIFY(full);
    QCOMPARE(s->plannedNodes(std::vector<std::string>{"x"}, wanted).size(), std::size_t(3));
    // Feeding the cached 'r' leaves only fc2 to run, and gives the identical result.
    const std::vector<std::size_t> planned = s->plannedNodes(std::vector<std::string>{"r"}, wanted);
    QCOMPARE(planned, std::vector<std::size_t>{2});
    auto part = s->runPartial({{"r", full->at("r")}}, wanted);
    QVERIFY(part);
    const Tensor &a = full->at("y"), &b = part->at("y");
    QCOMPARE(a.dims(), b.dims());
    QVERIFY(std::equal(a.span<float>().begin(), a.span<float>().end(), b.span<float>().begin()));
}

namespace {
class ZeroRelu final : public TensorObserver
{
public:
    int seen = 0;
    std::optional<Tensor> observe(const std::string &name, const Tensor &value) override
    {
        ++seen;
        if (name != "r")
            return std::nullopt;
        return Tensor(DataType::Float, value.dims());
    }
};
} // namespace

void TestSession::observerReplacesActivations()
{
    auto s = Session::create(load("chain.onnx"));
    QVERIFY(s);
    ZeroRelu obs;
    RunOptions o;
    o.observer = &obs;
    auto y = s->run(std::vector<Tensor>{input()}, o);
    QVERIFY(y);
    QCOMPARE(obs.seen, 4); // x (fed), h, r, y
    for (float v : (*y)[0].span<float>())
        QCOMPARE(v, 0.0f); // readers of 'r' saw the replacement
}

void TestSession::weightOverrideReplacesInitializer()
{
    auto s = Session::create(load("chain.onnx"));
    QVERIFY(s);
    std::unordered_map<std::string, Tensor> w;
    w["W2"] = Tensor(DataType::Float, {3, 2}); // all zero
    RunOptions o;
    o.weights = &w;
    auto y = s->run(std::vector<Tensor>{input()}, o);
    QVERIFY(y);
    for (float v : (*y)[0].span<float>())
        QCOMPARE(v, 0.0f);
    auto plain = s->run(std::vector<Tensor>{input()});
    QVERIFY(plain);
    QVERIFY((*plain)[0].span<float>()[0] != 0.0f); // the model itself is unchanged
}

void TestSession::readerCancels()
{
    std::stop_source stop;
    stop.request_stop();
    int reports = 0;
    Progress progress(stop.get_token(), [&](int64_t, int64_t) { ++reports; });
    auto m = readModel(NNC_SOURCE_DIR "/tests/data/models/chain.onnx", progress);
    QVERIFY(!m);
    QCOMPARE(m.error().code, Error::Code::Cancelled);
    QCOMPARE(reports, 0);
    QVERIFY(QString::fromStdString(m.error().message).contains("was cancelled"));
}

QTEST_APPLESS_MAIN(TestSession)
#include "test_session.moc"
