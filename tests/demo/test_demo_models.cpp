// The bundled demo models (resources/demo): every model evaluated by our engine on its committed
// validation set gives exactly the figures torch recorded when it was trained
// (expected_accuracy.json, written by scripts/train/), the README shows those figures,
// demos.json lists every model with data that binds, the NLP vocabulary matches the models'
// embeddings, and the assets stay within their size budget.
#include "core/data/dataset.h"
#include "core/eval/evaluator.h"
#include "core/model/onnx_reader.h"

#include <nlohmann/json.hpp>

#include <QtTest>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

using namespace nnc;
namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

const fs::path kDemoDir = fs::path(NNC_SOURCE_DIR) / "resources" / "demo";
constexpr std::uintmax_t kBudgetBytes = 8u * 1024u * 1024u;

std::string readText(const fs::path &path)
{
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

json readJson(const fs::path &path)
{
    return json::parse(readText(path));
}

/// The value the engine should report for one recorded head: the same arithmetic as
/// MetricAccumulator::value (core/eval/metrics.cpp), from the counts torch recorded.
double expectedValue(const json &head)
{
    if (head.at("metric") == "entity_f1") {
        const auto tp = head.at("true_positives").get<int64_t>();
        const auto predicted = head.at("predicted").get<int64_t>();
        const auto gold = head.at("gold").get<int64_t>();
        if (gold == 0 && predicted == 0)
            return 1.0;
        const double p = predicted ? double(tp) / predicted : 0.0;
        const double r = gold ? double(tp) / gold : 0.0;
        return p + r > 0 ? 2 * p * r / (p + r) : 0.0;
    }
    return double(head.at("correct").get<int64_t>()) / double(head.at("total").get<int64_t>());
}

std::string describe(const json &head)
{
    if (head.at("metric") == "entity_f1")
        return std::to_string(head.at("true_positives").get<int64_t>()) + " true positives, "
               + std::to_string(head.at("predicted").get<int64_t>()) + " predicted, "
               + std::to_string(head.at("gold").get<int64_t>()) + " gold entities";
    return std::to_string(head.at("correct").get<int64_t>()) + "/"
           + std::to_string(head.at("total").get<int64_t>()) + " correct";
}

/// Evaluates `model` (float, no plan) on the dataset description `data`.
Result<EvalResult> evaluateDemo(const fs::path &model, const fs::path &data)
{
    auto m = readModel(model);
    if (!m)
        return std::unexpected(m.error());
    auto shared = std::make_shared<const Model>(std::move(*m));
    auto ds = openDataset(data, *shared);
    if (!ds)
        return std::unexpected(ds.error());
    auto ev = Evaluator::create(shared, std::move(*ds));
    if (!ev)
        return std::unexpected(ev.error());
    return (*ev)->evaluate(nullptr);
}

/// Compares every recorded head with the engine's baseline; prints both.
void compareHeads(const EvalResult &r, const json &record, const std::string &name)
{
    QCOMPARE(r.samples, record.at("samples").get<int64_t>());
    QCOMPARE(r.heads.size(), record.at("heads").size());
    for (const auto &[output, head] : record.at("heads").items()) {
        const auto it = std::find_if(r.heads.begin(), r.heads.end(),
                                     [&](const HeadResult &h) { return h.output == output; });
        QVERIFY2(it != r.heads.end(), (name + ": the engine has no head " + output).c_str());
        QCOMPARE(it->metric, head.at("metric").get<std::string>());
        QVERIFY(it->hasLabels);
        const double want = expectedValue(head);
        qInfo("%s %s: engine %.6f, torch %.6f (%s)", name.c_str(), output.c_str(), it->baseline,
              want, describe(head).c_str());
        if (head.at("metric") == "accuracy") {
            // Exact in correct count: a single flipped sample is a failure.
            const auto total = head.at("total").get<int64_t>();
            QCOMPARE(std::llround(it->baseline * double(total)), head.at("correct").get<int64_t>());
        }
        QCOMPARE(it->baseline, want);
    }
}

/// Records of expected_accuracy.json that describe an exported model (not reference-only rows).
std::vector<std::pair<std::string, json>> demoRecords()
{
    std::vector<std::pair<std::string, json>> out;
    const json all = readJson(kDemoDir / "expected_accuracy.json");  // outlives the loop
    for (const auto &[key, record] : all.items())
        if (record.contains("model"))
            out.emplace_back(key, record);
    return out;
}

} // namespace

class TestDemoModels : public QObject
{
    Q_OBJECT

private slots:
    void engineMatchesRecordedAccuracy_data();
    void engineMatchesRecordedAccuracy();
    void fullFashionTestSetMatches_data();
    void fullFashionTestSetMatches();
    void demosListEveryModelWithItsData();
    void readmeShowsRecordedFigures();
    void vocabularyMatchesEmbeddings();
    void assetsStayWithinBudget();
};

void TestDemoModels::engineMatchesRecordedAccuracy_data()
{
    QTest::addColumn<QString>("key");
    const auto records = demoRecords();
    QVERIFY2(records.size() >= 7, "expected_accuracy.json lists fewer than 7 demo models");
    for (const auto &[key, record] : records)
        QTest::newRow(key.c_str()) << QString::fromStdString(key);
}

void TestDemoModels::engineMatchesRecordedAccuracy()
{
    QFETCH(QString, key);
    const json record = readJson(kDemoDir / "expected_accuracy.json").at(key.toStdString());
    const fs::path model = kDemoDir / record.at("model").get<std::string>();
    const fs::path data = kDemoDir / record.at("data").get<std::string>();
    qInfo("%s on %s", model.filename().c_str(), data.filename().c_str());
    auto r = evaluateDemo(model, data);
    QVERIFY2(r, r ? "" : r.error().message.c_str());
    compareHeads(*r, record, key.toStdString());
}

void TestDemoModels::fullFashionTestSetMatches_data()
{
    QTest::addColumn<QString>("key");
    for (const auto &[key, record] : demoRecords())
        if (record.contains("full"))
            QTest::newRow(key.c_str()) << QString::fromStdString(key);
}

void TestDemoModels::fullFashionTestSetMatches()
{
    QFETCH(QString, key);
    const json record = readJson(kDemoDir / "expected_accuracy.json").at(key.toStdString());
    const json full = record.at("full");
    const fs::path data = kDemoDir / full.at("data").get<std::string>();
    const fs::path source = readJson(data).at("source").get<std::string>();
    if (!fs::exists(source))
        QSKIP("Debian's dataset-fashion-mnist is not installed (no t10k images).");
    auto r = evaluateDemo(kDemoDir / record.at("model").get<std::string>(), data);
    QVERIFY2(r, r ? "" : r.error().message.c_str());
    compareHeads(*r, full, key.toStdString() + " (10,000 test images)");
}

void TestDemoModels::demosListEveryModelWithItsData()
{
    const json demos = readJson(kDemoDir / "demos.json").at("demos");
    std::set<std::string> listed;
    int defaults = 0;
    for (const json &d : demos) {
        const auto id = d.at("id").get<std::string>();
        for (const char *field : {"title", "title_zh", "description", "description_zh"})
            QVERIFY2(!d.at(field).get<std::string>().empty(), (id + ": empty " + field).c_str());
        for (const char *field : {"model", "data", "data_full", "tokenizer"})
            if (d.contains(field))
                QVERIFY2(fs::exists(kDemoDir / d.at(field).get<std::string>()),
                         (id + ": " + field + " does not exist").c_str());
        defaults += d.value("default", false);
        listed.insert(d.at("model").get<std::string>() + " " + d.at("data").get<std::string>());
    }
    QCOMPARE(defaults, 1);
    // The default is the Fashion-MNIST CNN, which scripts/run.sh opens too.
    QCOMPARE(demos.at(0).at("model").get<std::string>(), std::string("fashion_cnn.onnx"));
    QVERIFY(demos.at(0).value("default", false));
    std::set<std::string> recorded;
    for (const auto &[key, record] : demoRecords())
        recorded.insert(record.at("model").get<std::string>() + " "
                        + record.at("data").get<std::string>());
    QCOMPARE(listed, recorded);
}

void TestDemoModels::readmeShowsRecordedFigures()
{
    // Each model has a table row "| key | ..." holding every head's value in percent, 2 decimals.
    const std::string readme = readText(kDemoDir / "README.md");
    for (const auto &[key, record] : demoRecords()) {
        const std::string marker = "| " + key + " |";
        const auto at = readme.find(marker);
        QVERIFY2(at != std::string::npos, ("README.md has no row " + marker).c_str());
        const std::string row = readme.substr(at, readme.find('\n', at) - at);
        for (const auto &[output, head] : record.at("heads").items()) {
            const std::string figure =
                QString::number(expectedValue(head) * 100, 'f', 2).toStdString();
            QVERIFY2(row.find(figure) != std::string::npos,
                     (key + ": README row lacks " + output + " " + figure + ": " + row).c_str());
        }
    }
}

void TestDemoModels::vocabularyMatchesEmbeddings()
{
    std::ifstream in(kDemoDir / "commands_vocab.txt");
    std::vector<std::string> vocab;
    for (std::string line; std::getline(in, line);)
        vocab.push_back(line);
    QVERIFY(vocab.size() > 2);
    QCOMPARE(vocab[0], std::string("[PAD]"));
    QCOMPARE(vocab[1], std::string("[UNK]"));
    QCOMPARE(std::set<std::string>(vocab.begin(), vocab.end()).size(), vocab.size());
    const json tokenizer = readJson(kDemoDir / "commands_tokenizer.json");
    QCOMPARE(tokenizer.at("pad_id").get<int>(), 0);
    QCOMPARE(tokenizer.at("unk_id").get<int>(), 1);
    int checked = 0;
    for (const auto &[key, record] : demoRecords()) {
        if (key.rfind("commands_", 0) != 0)
            continue;
        auto m = readModel(kDemoDir / record.at("model").get<std::string>());
        QVERIFY2(m, m ? "" : m.error().message.c_str());
        const Tensor *embed = m->graph.initializer("encoder.embed.weight");
        QVERIFY2(embed, (key + " has no initializer encoder.embed.weight").c_str());
        QCOMPARE(embed->dim(0), int64_t(vocab.size()));
        ++checked;
    }
    QCOMPARE(checked, 5);
}

void TestDemoModels::assetsStayWithinBudget()
{
    std::uintmax_t total = 0;
    for (const auto &e : fs::directory_iterator(kDemoDir))
        if (e.is_regular_file())
            total += e.file_size();
    qInfo("resources/demo: %llu bytes", static_cast<unsigned long long>(total));
    QVERIFY2(total > 1'000'000, "resources/demo holds less than 1 MB: the demo files are missing");
    QVERIFY2(total < kBudgetBytes, "resources/demo is over its 8 MiB budget");
}

QTEST_APPLESS_MAIN(TestDemoModels)
#include "test_demo_models.moc"
