// IDX files (gzip and raw, every IDX element type, images paired with labels by name; the
// Fashion-MNIST files when the Debian package is installed) and ONNX test-data folders.
#include "data_test_util.h"

#include <zlib.h>

#include <cstring>

using namespace nnc;
using datatest::fixture;

class TestIdxPb : public QObject
{
    Q_OBJECT

private slots:
    void gzipImagesArePairedWithTheirLabels();
    void openingTheLabelsFileFindsTheImages();
    void rawIdxElementTypesAreBigEndian_data();
    void rawIdxElementTypesAreBigEndian();
    void idxImagesFeedAnNchwModelWithAFixedBatchOfOne();
    void fashionMnistMatchesAnIndependentGzread();
    void onnxTestDataFolderIsOneSamplePerSet();
    void onnxTestDataFolderBindsInputsByPosition();
    void singleTestDataSetFolderOpensToo();
};

static const char *kFashion = "/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz";

void TestIdxPb::gzipImagesArePairedWithTheirLabels()
{
    auto src = openArraySource(fixture("idx/tiny-images-idx3-ubyte.gz"));
    DT_OK(src);
    const auto &a = (*src)->arrays();
    QCOMPARE(a.size(), std::size_t{2});
    QCOMPARE(a[0].name, std::string("x"));
    QCOMPARE(a[0].dtype, DataType::UInt8);
    QCOMPARE(a[0].shape, (Dims{4, 28, 28}));
    QCOMPARE(a[1].name, std::string("y"));
    QCOMPARE(a[1].shape, (Dims{4}));
    auto x = (*src)->readRows("x", 1, 2);
    DT_OK(x);
    for (int64_t i = 0; i < 2 * 784; ++i)
        QCOMPARE(int(x->data<uint8_t>()[i]), int(((784 + i) * 13) % 256));
    auto y = (*src)->readRows("y", 0, 4);
    DT_OK(y);
    QCOMPARE(y->toInt64Vector(), (std::vector<int64_t>{7, 2, 1, 0}));
}

void TestIdxPb::openingTheLabelsFileFindsTheImages()
{
    auto src = openArraySource(fixture("idx/tiny-labels-idx1-ubyte.gz"));
    DT_OK(src);
    const auto &a = (*src)->arrays();
    QCOMPARE(a.size(), std::size_t{2});
    QCOMPARE(a[0].name, std::string("x")); // images first, whichever file was opened
    QCOMPARE(a[0].shape, (Dims{4, 28, 28}));
    QCOMPARE(a[1].name, std::string("y"));
}

void TestIdxPb::rawIdxElementTypesAreBigEndian_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("dtype");
    QTest::addColumn<QList<double>>("values");
    QTest::newRow("0x0B int16") << "idx/values-idx2-short" << int(DataType::Int16)
                                << QList<double>{0, 1, -2, 3, 4, -5};
    QTest::newRow("0x0D float") << "idx/values-idx2-float" << int(DataType::Float)
                                << QList<double>{0.5, 1.0, -2.0, 3.25, 4.0, -5.5};
    QTest::newRow("0x0E double") << "idx/values-idx2-double" << int(DataType::Double)
                                 << QList<double>{0.5, 1.0, -2.0, 3.25, 4.0, -5.5};
}

void TestIdxPb::rawIdxElementTypesAreBigEndian()
{
    QFETCH(QString, file);
    QFETCH(int, dtype);
    QFETCH(QList<double>, values);
    auto src = openArraySource(fixture(file.toStdString()));
    DT_OK(src);
    QCOMPARE((*src)->arrays().size(), std::size_t{1});
    QCOMPARE(int((*src)->arrays()[0].dtype), dtype);
    QCOMPARE((*src)->arrays()[0].shape, (Dims{3, 2}));
    auto t = (*src)->readRows("x", 0, 3);
    DT_OK(t);
    for (int i = 0; i < 6; ++i)
        QCOMPARE(t->valueAsDouble(i), values[i]);
}

void TestIdxPb::idxImagesFeedAnNchwModelWithAFixedBatchOfOne()
{
    const Model m = datatest::model("mnist_like"); // image [1, 1, 28, 28], logits [1, 10]
    auto ds = openDataset(fixture("idx/tiny-images-idx3-ubyte.gz"), m);
    DT_OK(ds);
    QCOMPARE((*ds)->size(), int64_t{4});
    QCOMPARE((*ds)->spec().inputs[0].array, std::string("x"));
    QCOMPARE((*ds)->spec().labels.size(), std::size_t{1});
    QCOMPARE((*ds)->spec().labels[0].output, std::string("logits"));
    QCOMPARE((*ds)->spec().labels[0].array, std::string("y"));
    QCOMPARE((*ds)->spec().labels[0].metric, std::string("accuracy"));
    auto b = (*ds)->batch(3, 1);
    DT_OK(b);
    QCOMPARE(datatest::dims(b->inputs[0]), QString("[1, 1, 28, 28]"));
    QCOMPARE(b->inputs[0].dtype(), DataType::Float); // uint8 cast to the input's dtype
    QCOMPARE(b->inputs[0].data<float>()[5], float(((3 * 784 + 5) * 13) % 256));
    QCOMPARE(b->labels[0].dtype(), DataType::Int64);
    QCOMPARE(b->labels[0].toInt64Vector(), (std::vector<int64_t>{0}));
}

void TestIdxPb::fashionMnistMatchesAnIndependentGzread()
{
    if (!std::filesystem::exists(kFashion))
        QSKIP("dataset-fashion-mnist is not installed");
    // Reference: the whole file through zlib's gz* API, parsed here.
    gzFile gz = gzopen(kFashion, "rb");
    QVERIFY(gz);
    std::vector<unsigned char> raw(16 + 10000 * 784);
    QCOMPARE(gzread(gz, raw.data(), static_cast<unsigned>(raw.size())), int(raw.size()));
    gzclose(gz);
    QCOMPARE(int(raw[2]), 0x08);
    QCOMPARE(int(raw[3]), 3);
    auto src = openArraySource(kFashion);
    DT_OK(src);
    QCOMPARE((*src)->arrays()[0].shape, (Dims{10000, 28, 28}));
    QCOMPARE((*src)->arrays().size(), std::size_t{2}); // t10k-labels-idx1-ubyte.gz beside it
    QCOMPARE((*src)->arrays()[1].shape, (Dims{10000}));
    for (int64_t start : {0, 17, 5000, 9990}) {
        auto t = (*src)->readRows("x", start, 10);
        DT_OK(t);
        QVERIFY(std::memcmp(t->bytes().data(), raw.data() + 16 + start * 784, 10 * 784) == 0);
    }
    // The real MNIST model from the shared folder, when present: labels 0..9 fit its 10 classes.
    const auto mnist = std::filesystem::path(NNC_SHARED_DIR) / "models/mnist8_zoo_cntk/model.onnx";
    if (!std::filesystem::exists(mnist))
        return;
    auto m = readModel(mnist);
    DT_OK(m);
    auto ds = openDataset(kFashion, *m);
    DT_OK(ds);
    QCOMPARE((*ds)->size(), int64_t{10000});
    auto b = (*ds)->batch(9999, 1);
    DT_OK(b);
    QCOMPARE(datatest::dims(b->inputs[0]), QString("[1, 1, 28, 28]"));
    QCOMPARE(b->inputs[0].data<float>()[400], float(raw[16 + 9999 * 784 + 400]));
}

void TestIdxPb::onnxTestDataFolderIsOneSamplePerSet()
{
    auto src = openArraySource(fixture("pb"));
    DT_OK(src);
    const auto &a = (*src)->arrays();
    QCOMPARE(a.size(), std::size_t{2});
    QCOMPARE(a[0].name, std::string("input_0"));
    QCOMPARE(a[0].shape, (Dims{3, 1, 4}));
    QCOMPARE(a[1].name, std::string("output_0"));
    QCOMPARE(a[1].shape, (Dims{3, 1, 2}));
    auto t = (*src)->readRows("input_0", 1, 2);
    DT_OK(t);
    QCOMPARE(datatest::dims(*t), QString("[2, 1, 4]"));
    for (int i = 0; i < 8; ++i)
        QCOMPARE(t->data<float>()[i], static_cast<float>(4 + i) / 10.0f);
}

void TestIdxPb::onnxTestDataFolderBindsInputsByPosition()
{
    const Model m = datatest::model("chain"); // x [batch, 4]
    auto ds = openDataset(fixture("pb"), m);
    DT_OK(ds);
    QCOMPARE((*ds)->size(), int64_t{3});
    QCOMPARE((*ds)->spec().inputs[0].array, std::string("input_0"));
    QVERIFY((*ds)->spec().labels.empty()); // reference outputs are not labels
    auto b = (*ds)->batch(0, 3);
    DT_OK(b);
    QCOMPARE(datatest::dims(b->inputs[0]), QString("[3, 4]")); // [1, 4] rows reshaped
    QVERIFY(b->labels.empty());
    QCOMPARE(b->inputs[0].data<float>()[11], 1.1f);
}

void TestIdxPb::singleTestDataSetFolderOpensToo()
{
    auto src = openArraySource(fixture("pb/test_data_set_2"));
    DT_OK(src);
    QCOMPARE((*src)->arrays()[0].shape, (Dims{1, 1, 4}));
    auto t = (*src)->readRows("input_0", 0, 1);
    DT_OK(t);
    QCOMPARE(t->data<float>()[0], 0.8f);
}

QTEST_APPLESS_MAIN(TestIdxPb)
#include "test_idx_pb.moc"
