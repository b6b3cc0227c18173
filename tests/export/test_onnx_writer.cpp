// ONNX writer round trip: every fixture and shared model is read, written, read back, and must
// come back with equal nodes, initializers, attributes and declarations, and run to bit-identical
// outputs on its reference inputs. Also: atomic writes leave no partial file on failure.
#include "core/model/onnx_reader.h"
#include "core/model/onnx_writer.h"
#include "core/runtime/session.h"

#include <QtTest>

#include <cmath>
#include <cstring>
#include <filesystem>

using namespace nnc;
namespace fs = std::filesystem;

class TestOnnxWriter : public QObject
{
    Q_OBJECT

private slots:
    void roundTrip_data();
    void roundTrip();
    void keepsMetadataAndOpsets();
    void unwritableAttributeIsAnError();
    void failedWriteLeavesTargetUntouched();
};

static bool sameTensor(const Tensor &a, const Tensor &b, std::string &why)
{
    if (a.dtype() != b.dtype() || a.dims() != b.dims()) {
        why = "dtype/shape " + std::string(dtypeName(a.dtype())) + dimsToString(a.dims()) + " vs " +
              std::string(dtypeName(b.dtype())) + dimsToString(b.dims());
        return false;
    }
    if (a.dtype() == DataType::String) {
        const auto sa = a.strings(), sb = b.strings();
        if (!std::equal(sa.begin(), sa.end(), sb.begin(), sb.end())) {
            why = "string values differ";
            return false;
        }
        return true;
    }
    if (std::memcmp(a.bytes().data(), b.bytes().data(), a.byteSize()) != 0) {
        why = "values differ";
        return false;
    }
    return true;
}

static bool sameInfo(const std::vector<ValueInfo> &a, const std::vector<ValueInfo> &b,
                     std::string &why)
{
    if (a.size() != b.size()) {
        why = "count differs";
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i].name != b[i].name || a[i].dtype != b[i].dtype || a[i].hasShape != b[i].hasShape ||
            a[i].shape.size() != b[i].shape.size()) {
            why = "'" + a[i].name + "' differs";
            return false;
        }
        for (std::size_t d = 0; d < a[i].shape.size(); ++d)
            if (a[i].shape[d].value != b[i].shape[d].value ||
                a[i].shape[d].param != b[i].shape[d].param) {
                why = "'" + a[i].name + "' dim " + std::to_string(d) + " differs";
                return false;
            }
    }
    return true;
}

static bool sameGraph(const Graph &a, const Graph &b, std::string &why);

static bool sameAttr(const Attribute &a, const Attribute &b, std::string &why)
{
    if (a.name != b.name || a.kind != b.kind) {
        why = "attribute '" + a.name + "' name/kind differs";
        return false;
    }
    using K = Attribute::Kind;
    bool ok = true;
    switch (a.kind) {
    case K::Float:
        ok = std::memcmp(&a.f, &b.f, sizeof a.f) == 0;
        break;
    case K::Int:
        ok = a.i == b.i;
        break;
    case K::String:
        ok = a.s == b.s;
        break;
    case K::Floats:
        ok = a.floats.size() == b.floats.size() &&
             std::memcmp(a.floats.data(), b.floats.data(), a.floats.size() * sizeof(float)) == 0;
        break;
    case K::Ints:
        ok = a.ints == b.ints;
        break;
    case K::Strings:
        ok = a.strings == b.strings;
        break;
    case K::Tensor:
        ok = sameTensor(a.t, b.t, why);
        break;
    case K::Tensors:
        ok = a.tensors.size() == b.tensors.size();
        for (std::size_t i = 0; ok && i < a.tensors.size(); ++i)
            ok = sameTensor(a.tensors[i], b.tensors[i], why);
        break;
    case K::Graph:
        ok = sameGraph(*a.g, *b.g, why);
        break;
    case K::Graphs:
        ok = a.graphs.size() == b.graphs.size();
        for (std::size_t i = 0; ok && i < a.graphs.size(); ++i)
            ok = sameGraph(*a.graphs[i], *b.graphs[i], why);
        break;
    case K::Undefined:
        break;
    }
    if (!ok)
        why = "attribute '" + a.name + "': " + why;
    return ok;
}

static bool sameGraph(const Graph &a, const Graph &b, std::string &why)
{
    if (a.name != b.name) {
        why = "graph name differs";
        return false;
    }
    if (a.initializerOrder != b.initializerOrder) {
        why = "initializer order differs";
        return false;
    }
    for (const auto &name : a.initializerOrder)
        if (!sameTensor(a.initializers.at(name), b.initializers.at(name), why)) {
            why = "initializer '" + name + "': " + why;
            return false;
        }
    if (!sameInfo(a.inputs, b.inputs, why) || !sameInfo(a.outputs, b.outputs, why) ||
        !sameInfo(a.valueInfo, b.valueInfo, why)) {
        why = "declarations: " + why;
        return false;
    }
    if (a.nodes.size() != b.nodes.size()) {
        why = "node count " + std::to_string(a.nodes.size()) + " vs " +
              std::to_string(b.nodes.size());
        return false;
    }
    for (std::size_t i = 0; i < a.nodes.size(); ++i) {
        const Node &x = a.nodes[i], &y = b.nodes[i];
        if (x.name != y.name || x.opType != y.opType || x.domain != y.domain ||
            x.inputs != y.inputs || x.outputs != y.outputs ||
            x.attributes.size() != y.attributes.size()) {
            why = "node " + x.label() + " differs";
            return false;
        }
        for (std::size_t k = 0; k < x.attributes.size(); ++k)
            if (!sameAttr(x.attributes[k], y.attributes[k], why)) {
                why = "node " + x.label() + ": " + why;
                return false;
            }
    }
    return true;
}

static fs::path tempDir()
{
    const fs::path d =
        fs::temp_directory_path() / ("nnc_writer_test_" + std::to_string(::getpid()));
    fs::create_directories(d);
    return d;
}

/// Inputs for a run: the reference set when there is one, else deterministic values for fixed
/// float/int64 inputs (symbolic dims set to 2); empty when the model cannot be fed.
static std::vector<Tensor> inputsFor(const Model &m, const fs::path &refDir)
{
    std::vector<Tensor> in;
    const auto data = m.graph.dataInputs();
    if (!refDir.empty() && fs::exists(refDir / "input_0.pb")) {
        for (std::size_t i = 0; i < data.size(); ++i) {
            auto t = readTensorFile(refDir / ("input_" + std::to_string(i) + ".pb"));
            if (!t)
                return {};
            in.push_back(*t);
        }
        return in;
    }
    for (const ValueInfo *v : data) {
        Dims dims;
        for (const Dim &d : v->shape)
            dims.push_back(d.isFixed() ? d.value : 2); // symbolic (batch) dims: 2
        if (!v->hasShape || (v->dtype != DataType::Float && v->dtype != DataType::Int64))
            return {};
        Tensor t(v->dtype, dims);
        for (int64_t i = 0; i < t.numel(); ++i) {
            if (v->dtype == DataType::Float)
                t.mutableData<float>()[i] = std::sin(0.37f * float(i));
            else
                t.mutableData<int64_t>()[i] = 0;
        }
        in.push_back(t);
    }
    return in;
}

void TestOnnxWriter::roundTrip_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("refDir");
    for (const auto &e : fs::directory_iterator(NNC_SOURCE_DIR "/tests/data/models"))
        if (e.path().extension() == ".onnx")
            QTest::newRow(e.path().filename().c_str())
                << QString::fromStdString(e.path().string()) << QString();
    QTest::newRow("tinycnn") << QString(NNC_SOURCE_DIR "/tests/data/eval/tinycnn.onnx")
                             << QString();
    const fs::path shared = fs::path(NNC_SHARED_DIR) / "models";
    if (fs::exists(shared)) {
        std::vector<fs::path> dirs;
        for (const auto &e : fs::directory_iterator(shared))
            if (fs::exists(e.path() / "model.onnx"))
                dirs.push_back(e.path());
        std::sort(dirs.begin(), dirs.end());
        for (const auto &d : dirs)
            QTest::newRow(("shared/" + d.filename().string()).c_str())
                << QString::fromStdString((d / "model.onnx").string())
                << QString::fromStdString((d / "reference" / "test_data_set_0").string());
    } else {
        qInfo("shared models absent (%s): only the fixtures are checked", shared.c_str());
    }
}

void TestOnnxWriter::roundTrip()
{
    QFETCH(QString, path);
    QFETCH(QString, refDir);
    auto a = readModel(path.toStdString());
    if (!a)
        QSKIP(("the reader rejects this fixture: " + a.error().message).c_str());
    const fs::path out = tempDir() / (fs::path(path.toStdString()).stem().string() + "_rt.onnx");
    auto w = writeModel(*a, out);
    QVERIFY2(w, w ? "" : w.error().message.c_str());
    auto b = readModel(out);
    QVERIFY2(b, b ? "" : b.error().message.c_str());
    QCOMPARE(b->irVersion, a->irVersion);
    QCOMPARE(b->opsets, a->opsets);
    QCOMPARE(b->metadata, a->metadata);
    QCOMPARE(b->producerName, a->producerName);
    std::string why;
    QVERIFY2(sameGraph(a->graph, b->graph, why), why.c_str());

    // Same outputs, bit for bit, on the reference (or deterministic) inputs.
    const auto inputs = inputsFor(*a, refDir.toStdString());
    if (inputs.empty()) {
        qInfo("%s: structure checked; no runnable inputs", qPrintable(path));
        return;
    }
    auto ma = std::make_shared<const Model>(std::move(*a));
    auto mb = std::make_shared<const Model>(std::move(*b));
    auto sa = Session::create(ma);
    if (!sa) {
        qInfo("%s: structure checked; not runnable: %s", qPrintable(path),
              sa.error().message.c_str());
        return;
    }
    auto sb = Session::create(mb);
    QVERIFY2(sb, sb ? "" : sb.error().message.c_str());
    auto ra = sa->run(inputs);
    QVERIFY2(ra, ra ? "" : ra.error().message.c_str());
    auto rb = sb->run(inputs);
    QVERIFY2(rb, rb ? "" : rb.error().message.c_str());
    QCOMPARE(rb->size(), ra->size());
    for (std::size_t i = 0; i < ra->size(); ++i)
        QVERIFY2(sameTensor((*ra)[i], (*rb)[i], why),
                 ("output " + std::to_string(i) + ": " + why).c_str());
    qInfo("%s: %zu outputs identical", qPrintable(path), ra->size());
    fs::remove(out);
}

void TestOnnxWriter::keepsMetadataAndOpsets()
{
    auto a = readModel(NNC_SOURCE_DIR "/tests/data/eval/tinycnn.onnx");
    QVERIFY(a);
    a->metadata["nncompress.test"] = "{\"k\": 1}";
    a->opsets["com.microsoft"] = 1;
    const fs::path out = tempDir() / "meta.onnx";
    QVERIFY(writeModel(*a, out));
    auto b = readModel(out);
    QVERIFY(b);
    QCOMPARE(b->metadata.at("nncompress.test"), std::string("{\"k\": 1}"));
    QCOMPARE(b->opsets.at("com.microsoft"), int64_t(1));
    QCOMPARE(b->opset(""), a->opset(""));
    fs::remove(out);
}

void TestOnnxWriter::unwritableAttributeIsAnError()
{
    auto a = readModel(NNC_SOURCE_DIR "/tests/data/eval/tinycnn.onnx");
    QVERIFY(a);
    Attribute bad;
    bad.name = "sparse";
    a->graph.nodes[0].attributes.push_back(bad);
    auto r = serializeModel(*a);
    QVERIFY(!r);
    QVERIFY2(r.error().message.find("attribute 'sparse' of node") != std::string::npos,
             r.error().message.c_str());
    QVERIFY2(r.error().message.find("cannot be written back") != std::string::npos,
             r.error().message.c_str());
}

void TestOnnxWriter::failedWriteLeavesTargetUntouched()
{
    auto a = readModel(NNC_SOURCE_DIR "/tests/data/eval/tinycnn.onnx");
    QVERIFY(a);
    const fs::path out = tempDir() / "keep.onnx";
    QVERIFY(writeModel(*a, out));
    const auto before = fs::file_size(out);
    Model bad = *a;
    Attribute u;
    u.name = "sparse";
    bad.graph.nodes[0].attributes.push_back(u);
    QVERIFY(!writeModel(bad, out));
    QCOMPARE(fs::file_size(out), before);
    QVERIFY(readModel(out));
    fs::remove(out);
}

QTEST_APPLESS_MAIN(TestOnnxWriter)
#include "test_onnx_writer.moc"
