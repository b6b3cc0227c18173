// Binding sources to models: by name ("x"/"y", arrays named after inputs/outputs, test-data
// positions), by description (.json with preprocessing, checked numerically against loops written
// here), by --input/--label overrides; reshaped rows; the shared intent model's real val.npz.
#include "data_test_util.h"

#include <cmath>

using namespace nnc;
using datatest::fixture;

class TestDatasetBinding : public QObject
{
    Q_OBJECT

private slots:
    void xAndYBindToASingleInputModel();
    void descriptionScalesNormalizesAndTransposesNhwcToNchw();
    void descriptionTransposesNchwToNhwcWithScalarMean();
    void channelsLastLayoutNormalizesTheLastAxis();
    void flatRowsAreReshapedToTheDeclaredShape();
    void overridesMapArraysWithOtherNames();
    void agreementOverrideLeavesTheOutputUnlabelled();
    void overridesApplyOnTopOfADescription();
    void overrideSyntaxErrorsAreUsageErrors_data();
    void overrideSyntaxErrorsAreUsageErrors();
    void twoInputsBindByNameAndLabelsByOutputName();
    void descriptionCarriesMetricIgnoreIndexAndTagNames();
    void descriptionSourceIsRelativeToTheFile();
    void batchOutsideTheSetIsAnError();
    void sharedIntentModelValidationSetBinds();
};

void TestDatasetBinding::xAndYBindToASingleInputModel()
{
    const Model m = datatest::model("chain");
    for (const char *f : {"stored.npz", "deflated.npz", "zip64.npz"}) {
        auto ds = openDataset(fixture(f), m);
        DT_OK(ds);
        const DatasetSpec &s = (*ds)->spec();
        QCOMPARE(s.source, fixture(f));
        QCOMPARE(s.inputs.size(), std::size_t{1});
        QCOMPARE(s.inputs[0].input, std::string("x"));
        QCOMPARE(s.inputs[0].array, std::string("x"));
        QCOMPARE(s.labels.size(), std::size_t{1});
        QCOMPARE(s.labels[0].output, std::string("y"));
        QCOMPARE(s.labels[0].array, std::string("y"));
        QCOMPARE(s.labels[0].metric, std::string("accuracy"));
        QCOMPARE((*ds)->size(), int64_t{6});
        auto b = (*ds)->batch(2, 3);
        DT_OK(b);
        QCOMPARE(b->start, int64_t{2});
        QCOMPARE(b->count, int64_t{3});
        QCOMPARE(datatest::dims(b->inputs[0]), QString("[3, 4]"));
        QCOMPARE(b->inputs[0].data<float>()[0], 0.8f);
        QCOMPARE(b->labels[0].toInt64Vector(), (std::vector<int64_t>{1, 0, 1}));
    }
}

static Tensor rawArray(const char *file, const char *name)
{
    auto src = openArraySource(fixture(file));
    if (!src)
        qFatal("%s", src.error().message.c_str());
    for (const ArrayInfo &a : (*src)->arrays())
        if (a.name == name) {
            auto t = (*src)->readRows(name, 0, a.shape[0]);
            if (!t)
                qFatal("%s", t.error().message.c_str());
            return *t;
        }
    qFatal("no array %s in %s", name, file);
}

static bool close(float got, double want)
{
    return std::abs(got - want) <= 1e-5 * std::max(1.0, std::abs(want));
}

void TestDatasetBinding::descriptionScalesNormalizesAndTransposesNhwcToNchw()
{
    const Model m = datatest::model("image"); // image [N, 3, 2, 4], logits [N, 5]
    auto ds = openDataset(fixture("nhwc.json"), m);
    DT_OK(ds);
    const InputBinding &ib = (*ds)->spec().inputs[0];
    QCOMPARE(ib.array, std::string("images"));
    QCOMPARE(ib.layout, std::string("NHWC->NCHW"));
    QCOMPARE(ib.mean, (std::vector<float>{0.5f, 0.25f, 0.125f}));
    QCOMPARE((*ds)->spec().labels[0].metric, std::string("top5"));
    auto b = (*ds)->batch(0, 4);
    DT_OK(b);
    const Tensor &x = b->inputs[0];
    QCOMPARE(datatest::dims(x), QString("[4, 3, 2, 4]"));
    QCOMPARE(x.dtype(), DataType::Float);
    const Tensor raw = rawArray("nhwc.npz", "images"); // uint8 [4, 2, 4, 3] = N, H, W, C
    const double mean[3] = {0.5, 0.25, 0.125}, stdv[3] = {0.25, 0.5, 2.0};
    int checked = 0;
    for (int n = 0; n < 4; ++n)
        for (int c = 0; c < 3; ++c)
            for (int h = 0; h < 2; ++h)
                for (int w = 0; w < 4; ++w) {
                    const double v = raw.data<uint8_t>()[((n * 2 + h) * 4 + w) * 3 + c];
                    const double want = (v / 255.0 - mean[c]) / stdv[c];
                    const float got = x.data<float>()[((n * 3 + c) * 2 + h) * 4 + w];
                    QVERIFY2(close(got, want), qPrintable(QString("n%1 c%2 h%3 w%4: %5 vs %6")
                                                              .arg(n).arg(c).arg(h).arg(w)
                                                              .arg(got).arg(want)));
                    ++checked;
                }
    QCOMPARE(checked, 96);
}

void TestDatasetBinding::descriptionTransposesNchwToNhwcWithScalarMean()
{
    const Model m = datatest::model("image_nhwc"); // image [N, 2, 4, 3]
    auto ds = openDataset(fixture("nchw_to_nhwc.json"), m);
    DT_OK(ds);
    auto b = (*ds)->batch(1, 3);
    DT_OK(b);
    const Tensor &x = b->inputs[0];
    QCOMPARE(datatest::dims(x), QString("[3, 2, 4, 3]"));
    const Tensor raw = rawArray("nchw.npz", "x"); // uint8 [4, 3, 2, 4] = N, C, H, W
    const double stdv[3] = {1, 2, 4};
    for (int n = 0; n < 3; ++n)
        for (int h = 0; h < 2; ++h)
            for (int w = 0; w < 4; ++w)
                for (int c = 0; c < 3; ++c) {
                    const double v = raw.data<uint8_t>()[(((n + 1) * 3 + c) * 2 + h) * 4 + w];
                    const float got = x.data<float>()[((n * 2 + h) * 4 + w) * 3 + c];
                    QVERIFY(close(got, (v - 100.0) / stdv[c]));
                }
}

void TestDatasetBinding::channelsLastLayoutNormalizesTheLastAxis()
{
    const Model m = datatest::model("image_nhwc");
    DatasetSpec spec;
    spec.source = fixture("nhwc.npz");
    InputBinding ib;
    ib.input = "image";
    ib.array = "images";
    ib.scale = 2.0;
    ib.mean = {10, 20, 30};
    ib.layout = "NHWC";
    spec.inputs.push_back(ib);
    auto ds = bindDataset(spec, m);
    DT_OK(ds);
    auto b = (*ds)->batch(0, 4);
    DT_OK(b);
    const Tensor raw = rawArray("nhwc.npz", "images");
    for (int64_t i = 0; i < raw.numel(); ++i)
        QVERIFY(close(b->inputs[0].data<float>()[i],
                      raw.data<uint8_t>()[i] * 2.0 - 10.0 * (1 + i % 3)));
}

void TestDatasetBinding::flatRowsAreReshapedToTheDeclaredShape()
{
    const Model m = datatest::model("image"); // image [N, 3, 2, 4]; flat.npz x is [3, 24]
    auto ds = openDataset(fixture("flat.npz"), m);
    DT_OK(ds);
    auto b = (*ds)->batch(1, 2);
    DT_OK(b);
    QCOMPARE(datatest::dims(b->inputs[0]), QString("[2, 3, 2, 4]"));
    for (int i = 0; i < 48; ++i)
        QCOMPARE(b->inputs[0].data<float>()[i], float(24 + i));
    QCOMPARE(b->labels[0].toInt64Vector(), (std::vector<int64_t>{4, 2}));
}

void TestDatasetBinding::overridesMapArraysWithOtherNames()
{
    const Model m = datatest::model("chain");
    const auto path = fixture("renamed.npz"); // features, target
    auto plain = openDataset(path, m);
    QVERIFY(!plain);
    QCOMPARE(datatest::msg(plain.error()),
             QString("model input 'x' has no array: '%1' has features, target; name an array "
                     "after the input, or map one with --input x=ARRAY or a dataset "
                     "description.").arg(QString::fromStdString(path.string())));
    DatasetOverrides o;
    o.inputs = {"x=features"};
    o.labels = {"y=target"};
    auto ds = openDataset(path, m, o);
    DT_OK(ds);
    QCOMPARE((*ds)->spec().inputs[0].array, std::string("features"));
    QCOMPARE((*ds)->spec().labels[0].array, std::string("target"));
    QCOMPARE((*ds)->spec().labels[0].metric, std::string("accuracy"));
    auto b = (*ds)->batch(0, 6);
    DT_OK(b);
    QCOMPARE(b->labels[0].toInt64Vector(), (std::vector<int64_t>{0, 1, 1, 0, 1, 0}));
    // Only the input mapped: no labels guessed from "target".
    o.labels.clear();
    auto inputsOnly = openDataset(path, m, o);
    DT_OK(inputsOnly);
    QVERIFY((*inputsOnly)->spec().labels.empty());
    // An explicit metric is checked against the output: y has 2 classes.
    o.labels = {"y=target:top5"};
    auto top5 = openDataset(path, m, o);
    QVERIFY(!top5);
    QCOMPARE(datatest::msg(top5.error()),
             QString("output 'y' has 2 classes; the top5 metric needs at least 5."));
}

void TestDatasetBinding::agreementOverrideLeavesTheOutputUnlabelled()
{
    const Model m = datatest::model("chain");
    DatasetOverrides o;
    o.labels = {"y=:agreement"};
    auto ds = openDataset(fixture("stored.npz"), m, o); // has y, but agreement was asked for
    DT_OK(ds);
    QVERIFY((*ds)->spec().labels.empty());
    auto b = (*ds)->batch(0, 2);
    DT_OK(b);
    QVERIFY(b->labels.empty());
}

void TestDatasetBinding::overridesApplyOnTopOfADescription()
{
    const Model m = datatest::model("two_inputs");
    DatasetOverrides o;
    o.inputs = {"attention_mask=input_ids"};
    o.labels = {"intent_logits=intent:top5"};
    auto bad = openDataset(fixture("two_inputs.json"), m, o);
    QVERIFY(!bad); // intent_logits has 4 classes
    QCOMPARE(datatest::msg(bad.error()),
             QString("output 'intent_logits' has 4 classes; the top5 metric needs at least 5."));
    o.labels = {"slot_logits=slot:token_accuracy"};
    auto ds = openDataset(fixture("two_inputs.json"), m, o);
    DT_OK(ds);
    const DatasetSpec &s = (*ds)->spec();
    QCOMPARE(s.inputs[1].input, std::string("attention_mask"));
    QCOMPARE(s.inputs[1].array, std::string("input_ids"));
    QCOMPARE(s.labels.size(), std::size_t{2});
    QCOMPARE(s.labels[1].metric, std::string("token_accuracy"));
    QCOMPARE(s.labels[1].ignoreIndex, int64_t{-100});  // kept from the description
    QCOMPARE(s.labels[1].tagNames.size(), std::size_t{5});
    auto b = (*ds)->batch(0, 5);
    DT_OK(b);
    QCOMPARE(b->inputs[0].toInt64Vector(), b->inputs[1].toInt64Vector());
}

void TestDatasetBinding::overrideSyntaxErrorsAreUsageErrors_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("label");
    QTest::addColumn<QString>("expected");
    QTest::newRow("no =") << "x" << ""
                          << "--input 'x' is not of the form INPUT=ARRAY.";
    QTest::newRow("empty array") << "x=" << ""
                                 << "--input 'x=' is not of the form INPUT=ARRAY.";
    QTest::newRow("unknown input") << "image=x" << ""
                                   << "--input image=x names 'image', which is not a model "
                                      "input; the inputs are x.";
    QTest::newRow("label without =") << "" << "y"
                                     << "--label 'y' is not of the form OUTPUT=ARRAY[:metric].";
    QTest::newRow("unknown metric") << "" << "y=y:f1"
                                    << "--label 'y=y:f1' names an unknown metric 'f1'; use "
                                       "accuracy, top5, token_accuracy, entity_f1 or agreement.";
    QTest::newRow("no array") << "" << "y=:accuracy"
                              << "--label 'y=:accuracy' names no array; only the agreement "
                                 "metric goes without labels (OUTPUT=:agreement).";
    QTest::newRow("unknown output") << "" << "logits=y"
                                    << "--label logits=y names 'logits', which is not a model "
                                       "output; the outputs are y.";
}

void TestDatasetBinding::overrideSyntaxErrorsAreUsageErrors()
{
    QFETCH(QString, input);
    QFETCH(QString, label);
    QFETCH(QString, expected);
    const Model m = datatest::model("chain");
    DatasetOverrides o;
    if (!input.isEmpty())
        o.inputs = {input.toStdString()};
    if (!label.isEmpty())
        o.labels = {label.toStdString()};
    auto ds = openDataset(fixture("stored.npz"), m, o);
    QVERIFY(!ds);
    QCOMPARE(datatest::msg(ds.error()), expected);
    QCOMPARE(ds.error().code, Error::Code::Usage);
}

void TestDatasetBinding::twoInputsBindByNameAndLabelsByOutputName()
{
    const Model m = datatest::model("two_inputs");
    auto ds = openDataset(fixture("two_inputs.npz"), m);
    DT_OK(ds);
    const DatasetSpec &s = (*ds)->spec();
    QCOMPARE(s.inputs.size(), std::size_t{2});
    QCOMPARE(s.inputs[0].array, std::string("input_ids"));
    QCOMPARE(s.inputs[1].array, std::string("attention_mask"));
    QCOMPARE(s.labels.size(), std::size_t{2});
    QCOMPARE(s.labels[0].output, std::string("intent_logits"));
    QCOMPARE(s.labels[0].array, std::string("intent")); // "intent_logits" without "_logits"
    QCOMPARE(s.labels[0].metric, std::string("accuracy"));
    QCOMPARE(s.labels[1].output, std::string("slot_logits"));
    QCOMPARE(s.labels[1].array, std::string("slot"));
    QCOMPARE(s.labels[1].metric, std::string("token_accuracy"));
    auto b = (*ds)->batch(1, 2);
    DT_OK(b);
    QCOMPARE(datatest::dims(b->inputs[0]), QString("[2, 8]"));
    QCOMPARE(b->inputs[0].dtype(), DataType::Int64);
    QCOMPARE(b->labels[0].toInt64Vector(), (std::vector<int64_t>{3, 1}));
    QCOMPARE(datatest::dims(b->labels[1]), QString("[2, 8]"));
    QCOMPARE(b->labels[1].toInt64Vector()[7], int64_t{-100});
}

void TestDatasetBinding::descriptionCarriesMetricIgnoreIndexAndTagNames()
{
    auto spec = readDatasetDescription(fixture("two_inputs.json"));
    DT_OK(spec);
    QCOMPARE(spec->labels.size(), std::size_t{2});
    QCOMPARE(spec->labels[0].array, std::string("intent"));
    QCOMPARE(spec->labels[0].metric, std::string("accuracy"));
    QCOMPARE(spec->labels[1].metric, std::string("entity_f1"));
    QCOMPARE(spec->labels[1].ignoreIndex, int64_t{-100});
    QCOMPARE(spec->labels[1].tagNames,
             (std::vector<std::string>{"O", "B-a", "I-a", "B-b", "I-b"}));
    const Model m = datatest::model("two_inputs");
    auto ds = bindDataset(*spec, m);
    DT_OK(ds);
    QCOMPARE((*ds)->spec().labels[1].tagNames.size(), std::size_t{5});
}

void TestDatasetBinding::descriptionSourceIsRelativeToTheFile()
{
    auto spec = readDatasetDescription(fixture("nhwc.json"));
    DT_OK(spec);
    QCOMPARE(spec->source, fixture("nhwc.npz"));
    QCOMPARE(spec->inputs[0].scale, 1.0 / 255.0);
}

void TestDatasetBinding::batchOutsideTheSetIsAnError()
{
    const Model m = datatest::model("chain");
    auto ds = openDataset(fixture("stored.npz"), m);
    DT_OK(ds);
    auto b = (*ds)->batch(4, 3);
    QVERIFY(!b);
    QCOMPARE(datatest::msg(b.error()),
             QString("samples 4 to 7 are out of range; the dataset has 6."));
}

void TestDatasetBinding::sharedIntentModelValidationSetBinds()
{
    const auto dir = std::filesystem::path(NNC_SHARED_DIR) / "models/hinglish_intent_slot_int8";
    if (!std::filesystem::exists(dir / "val.npz"))
        QSKIP("the shared models folder is not present");
    auto m = readModel(dir / "model.onnx");
    DT_OK(m);
    // Explicitly, as a user would on the command line, and by the output-name rule.
    DatasetOverrides o;
    o.labels = {"intent_logits=intent"};
    for (const DatasetOverrides &ov : {o, DatasetOverrides{}}) {
        auto ds = openDataset(dir / "val.npz", *m, ov);
        DT_OK(ds);
        QCOMPARE((*ds)->size(), int64_t{304});
        const DatasetSpec &s = (*ds)->spec();
        QCOMPARE(s.inputs.size(), std::size_t{2});
        QCOMPARE(s.inputs[0].array, std::string("input_ids"));
        QCOMPARE(s.inputs[1].array, std::string("attention_mask"));
        QCOMPARE(s.labels.size(), std::size_t{1});
        QCOMPARE(s.labels[0].output, std::string("intent_logits"));
        QCOMPARE(s.labels[0].array, std::string("intent"));
        for (int64_t i : {int64_t{0}, int64_t{151}, int64_t{303}}) {
            auto b = (*ds)->batch(i, 1); // the model has a fixed batch of 1
            DT_OK(b);
            QCOMPARE(datatest::dims(b->inputs[0]), QString("[1, 64]"));
            QCOMPARE(b->inputs[0].dtype(), DataType::Int64);
            QCOMPARE(datatest::dims(b->inputs[1]), QString("[1, 64]"));
            QCOMPARE(datatest::dims(b->labels[0]), QString("[1]"));
            const int64_t label = b->labels[0].toInt64Vector()[0];
            QVERIFY(label >= 0 && label < 8);
            // The mask covers the ids and EOS: mask 1 exactly where ids are non-zero.
            const auto ids = b->inputs[0].toInt64Vector(), mask = b->inputs[1].toInt64Vector();
            for (int k = 0; k < 64; ++k)
                QCOMPARE(mask[k], int64_t{ids[k] != 0});
        }
    }
}

QTEST_APPLESS_MAIN(TestDatasetBinding)
#include "test_dataset_binding.moc"
