// The ONNX reader: dtypes from typed fields and raw_data, external data, node sorting, symbolic
// dims, TensorProto files, half-precision conversions.
#include "core/model/onnx_reader.h"
#include "core/runtime/session.h"

#include <QtTest>

#include <cmath>

using namespace nnc;

class TestReader : public QObject
{
    Q_OBJECT

private slots:
    void readsEveryDtypeFromTypedFields();
    void readsExternalDataAtOffset();
    void sortsUnsortedNodesAndRuns();
    void keepsSymbolicDims();
    void tensorFileRoundTrip();
    void halfPrecisionConversionsRoundToNearestEven();
};

static Model load(const char *name)
{
    auto m = readModel(std::string(NNC_SOURCE_DIR "/tests/data/models/") + name);
    if (!m)
        qFatal("%s", m.error().message.c_str());
    return *m;
}

void TestReader::readsEveryDtypeFromTypedFields()
{
    const Model m = load("dtypes.onnx");
    const Graph &g = m.graph;
    QCOMPARE(g.initializers.size(), std::size_t(15));
    QCOMPARE(g.initializer("f32")->data<float>()[1], -2.0f);
    QCOMPARE(g.initializer("f64")->data<double>()[0], 0.25);
    QCOMPARE(int(g.initializer("i8")->data<int8_t>()[0]), -128);
    QCOMPARE(int(g.initializer("u8")->data<uint8_t>()[1]), 255);
    QCOMPARE(int(g.initializer("i16")->data<int16_t>()[0]), -300);
    QCOMPARE(int(g.initializer("u16")->data<uint16_t>()[0]), 65535);
    QCOMPARE(g.initializer("i32")->data<int32_t>()[1], 70000);
    QCOMPARE(g.initializer("i64")->data<int64_t>()[0], -(int64_t(1) << 40));
    QCOMPARE(g.initializer("u32")->data<uint32_t>()[0], 4000000000u);
    QCOMPARE(g.initializer("u64")->data<uint64_t>()[0], uint64_t(1) << 63);
    QCOMPARE(g.initializer("b")->valueAsDouble(0), 1.0);
    QCOMPARE(g.initializer("b")->valueAsDouble(1), 0.0);
    QCOMPARE(g.initializer("f16")->valueAsDouble(0), 1.5);
    QCOMPARE(g.initializer("f16")->valueAsDouble(1), -0.5);
    QCOMPARE(g.initializer("bf16")->valueAsDouble(0), 1.5);
    QCOMPARE(g.initializer("s")->strings()[1], std::string("right"));
    QCOMPARE(g.initializer("raw_i64")->dims(), (Dims{1, 3}));
    QCOMPARE(g.initializer("raw_i64")->data<int64_t>()[2], int64_t(3));
}

void TestReader::readsExternalDataAtOffset()
{
    const Model m = load("external.onnx");
    const Tensor *w = m.graph.initializer("W");
    QVERIFY(w);
    QCOMPARE(w->dims(), (Dims{3, 4}));
    for (int i = 0; i < 12; ++i)
        QCOMPARE(w->data<float>()[i], float(i));
}

void TestReader::sortsUnsortedNodesAndRuns()
{
    auto m = std::make_shared<const Model>(load("unsorted.onnx"));
    QCOMPARE(m->graph.nodes.front().name, std::string("mm"));
    QCOMPARE(m->graph.nodes.back().name, std::string("relu"));
    auto s = Session::create(m);
    if (!s && s.error().code == Error::Code::Unsupported)
        QSKIP("MatMul/Relu kernels not built yet");
    QVERIFY(s);
    const Tensor x = Tensor::fromVector<float>({1, 2}, {1.0f, -1.0f});
    auto y = s->run(std::vector<Tensor>{x});
    QVERIFY2(y, y ? "" : y.error().message.c_str());
    // [1, -1] x [[1, 2], [3, 4]] = [-2, -2] -> relu -> [0, 0]
    QCOMPARE((*y)[0].data<float>()[0], 0.0f);
    // Wrong shape is named with both shapes.
    const Tensor bad = Tensor::fromVector<float>({1, 3}, {1, 2, 3});
    auto e = s->run(std::vector<Tensor>{bad});
    QVERIFY(!e);
    QCOMPARE(QString::fromStdString(e.error().message),
             QString("input 'x' is float [1, 3], but the model expects float [batch, 2]."));
}

void TestReader::keepsSymbolicDims()
{
    const Model m = load("unsorted.onnx");
    const ValueInfo &x = m.graph.inputs[0];
    QVERIFY(x.hasShape);
    QCOMPARE(x.shape[0].param, std::string("batch"));
    QVERIFY(!x.shape[0].isFixed());
    QCOMPARE(x.shape[1].value, int64_t(2));
}

void TestReader::tensorFileRoundTrip()
{
    QTemporaryDir dir;
    const std::string path = dir.filePath("t.pb").toStdString();
    const Tensor t = Tensor::fromVector<float>({2, 2}, {1.0f, -2.5f, 3.25f, NAN});
    QVERIFY(writeTensorFile(path, t, "weights"));
    std::string name;
    auto back = readTensorFile(path, &name);
    QVERIFY(back);
    QCOMPARE(name, std::string("weights"));
    QCOMPARE(back->dims(), (Dims{2, 2}));
    QCOMPARE(back->data<float>()[2], 3.25f);
    QVERIFY(std::isnan(back->data<float>()[3]));
    auto bad = readTensorFile(NNC_SOURCE_DIR "/tests/data/corrupt/not_a_model.onnx");
    QVERIFY(!bad);
    QVERIFY(QString::fromStdString(bad.error().message).contains("is not an ONNX TensorProto file."));
}

void TestReader::halfPrecisionConversionsRoundToNearestEven()
{
    QCOMPARE(halfToFloat(floatToHalf(1.0f)), 1.0f);
    QCOMPARE(floatToHalf(65504.0f), uint16_t(0x7bff));        // max half
    QCOMPARE(floatToHalf(65520.0f), uint16_t(0x7c00));        // rounds to +Inf
    QCOMPARE(floatToHalf(1.0f + 1.0f / 2048), uint16_t(0x3c00)); // tie -> even (1.0)
    QCOMPARE(floatToHalf(1.0f + 3.0f / 2048), uint16_t(0x3c02)); // tie -> even (up)
    QCOMPARE(halfToFloat(0x0001), std::ldexp(1.0f, -24));     // smallest subnormal
    QCOMPARE(floatToHalf(std::ldexp(1.0f, -24)), uint16_t(0x0001));
    QVERIFY(std::isnan(halfToFloat(floatToHalf(NAN))));
    QCOMPARE(bfloat16ToFloat(floatToBfloat16(1.5f)), 1.5f);
    QCOMPARE(floatToBfloat16(1.0f + 1.0f / 256), uint16_t(0x3f80)); // tie -> even
}

QTEST_APPLESS_MAIN(TestReader)
#include "test_reader.moc"
