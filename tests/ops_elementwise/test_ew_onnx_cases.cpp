// The ONNX backend node cases (model.onnx + test_data_set_0) whose graphs use elementwise or
// reduction ops (and otherwise only ops that have kernels), run through the executor and
// compared with the stored outputs (rtol 1e-3, atol 1e-7 for floating types, exact otherwise).
// Cases are discovered from the installed test data, so every case of these ops is covered,
// including the "_expanded" ones that decompose a function into them.
#include "ew_test_util.h"

#include "core/model/onnx_reader.h"
#include "core/runtime/session.h"

#include <filesystem>
#include <set>

using namespace nnc;
using namespace nnc::ewtest;

namespace fs = std::filesystem;

namespace {

/// Op types this folder owns: everything the elementwise and reduction families register.
std::set<std::string> ownOps()
{
    std::set<std::string> ops;
    for (auto family : {elementwiseOps(), reductionOps()})
        for (const OpEntry &e : family)
            ops.insert(std::string(e.opType));
    return ops;
}

std::vector<Tensor> readTensors(const fs::path &dir, const std::string &prefix)
{
    std::vector<Tensor> out;
    for (int i = 0;; ++i) {
        const fs::path p = dir / (prefix + std::to_string(i) + ".pb");
        if (!fs::exists(p))
            break;
        auto t = readTensorFile(p);
        if (!t)
            break;
        out.push_back(std::move(*t));
    }
    return out;
}

/// ONNX 1.12's bfloat16 cases store bfloat16 bits in tensors labelled uint16: relabel them.
Tensor asDeclared(const Tensor &t, DataType declared)
{
    if (declared != DataType::BFloat16 || t.dtype() != DataType::UInt16)
        return t;
    auto owner = std::make_shared<Tensor>(t);
    return Tensor::view(DataType::BFloat16, t.dims(), owner, owner->bytes().data());
}

} // namespace

class TestEwOnnxCases : public QObject
{
    Q_OBJECT

private slots:
    void nodeCases_data()
    {
        QTest::addColumn<QString>("dir");
        const fs::path root = fs::path(NNC_ONNX_TESTDATA) / "node";
        if (!fs::exists(root))
            QSKIP("ONNX backend test data is not installed.");
        const auto own = ownOps();
        std::vector<fs::path> dirs;
        for (const auto &e : fs::directory_iterator(root))
            if (e.is_directory())
                dirs.push_back(e.path());
        std::sort(dirs.begin(), dirs.end());
        for (const fs::path &d : dirs) {
            auto model = readModel(d / "model.onnx");
            if (!model)
                continue; // other agents' concern (reader); not an elementwise case
            // A case of ours uses at least one of our ops; the rest (Constant, Reshape ...) must
            // have kernels, so a failure here points at our ops first.
            bool uses = false, runnable = true;
            // Graphs with subgraphs (Loop, If) test the executor's scoping more than our ops.
            forEachNode(model->graph, [&](const Node &n, int depth) {
                runnable = runnable && depth == 0;
                const bool ours =
                    (n.domain.empty() || n.domain == "ai.onnx") && own.contains(n.opType);
                uses = uses || ours;
                runnable = runnable && findKernel(n.domain, n.opType, model->opset(n.domain));
            });
            const bool mine = uses && runnable;
            if (mine)
                QTest::newRow(d.filename().string().c_str()) << QString::fromStdString(d.string());
        }
    }

    void nodeCases()
    {
        QFETCH(QString, dir);
        const fs::path d = dir.toStdString();
        auto model = readModel(d / "model.onnx");
        QVERIFY2(model.has_value(), errorOf(model).c_str());
        const fs::path data = d / "test_data_set_0";
        auto inputs = readTensors(data, "input_");
        auto expected = readTensors(data, "output_");
        QVERIFY(!expected.empty());
        const auto declaredInputs = model->graph.dataInputs();
        for (std::size_t i = 0; i < inputs.size() && i < declaredInputs.size(); ++i)
            inputs[i] = asDeclared(inputs[i], declaredInputs[i]->dtype);
        // The castlike cases feed a [1] 'like' tensor where [3, 4] is declared; only its type
        // matters, so the declared shape is dropped.
        if (d.filename().string().starts_with("test_castlike_"))
            for (ValueInfo &in : model->graph.inputs)
                if (in.name == "like")
                    in.hasShape = false;
        bool bf16Output = false;
        for (std::size_t i = 0; i < expected.size() && i < model->graph.outputs.size(); ++i) {
            expected[i] = asDeclared(expected[i], model->graph.outputs[i].dtype);
            bf16Output = bf16Output || expected[i].dtype() == DataType::BFloat16;
        }
        auto shared = std::make_shared<const Model>(std::move(*model));
        auto session = Session::create(shared);
        QVERIFY2(session.has_value(), errorOf(session).c_str());
        auto got = session->run(inputs);
        QVERIFY2(got.has_value(), errorOf(got).c_str());
        QCOMPARE(got->size(), expected.size());
        // The 1.12 data truncates float -> bfloat16; Cast rounds to nearest even (as ONNX
        // Runtime and later ONNX releases), so bfloat16 outputs may differ by one unit in the
        // last place (2^-7 relative).
        const double rtol = bf16Output ? 1.0 / 128 : 1e-3;
        for (std::size_t i = 0; i < expected.size(); ++i) {
            const std::string diff = compare((*got)[i], expected[i], rtol);
            QVERIFY2(diff.empty(), ("output " + std::to_string(i) + ": " + diff).c_str());
        }
    }
};

QTEST_APPLESS_MAIN(TestEwOnnxCases)
#include "test_ew_onnx_cases.moc"
