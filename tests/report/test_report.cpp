// The compression report: the HTML carries the evaluator's own figures (parsed back and compared
// with a separate evaluation), is self-contained, is complete in both languages, and bad input
// gives a precise error and writes nothing.
#include "core/eval/evaluator.h"
#include "core/model/onnx_reader.h"
#include "core/plan/plan.h"
#include "core/report/report.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <QtTest>

#include <cmath>
#include <set>

using namespace nnc;

namespace {

const QString kDemo = QStringLiteral(NNC_SOURCE_DIR "/resources/demo/");

std::filesystem::path demo(const char *name)
{
    return (kDemo + QLatin1String(name)).toStdString();
}

/// Default 8-bit plan with 4-bit weights on fc1 and 50% pruning on conv2.
CompressionPlan samplePlan()
{
    CompressionPlan p = CompressionPlan::defaults();
    p.model = "fashion_cnn.onnx";
    p.layers["/fc1/Gemm"].weights.bits = 4;
    p.layers["/conv2/Conv"].pruning.ratio = 0.5;
    return p;
}

/// data-nnc="key" data-value="v" pairs, in document order, within `html`.
QList<QPair<QString, double>> values(const QString &html)
{
    QList<QPair<QString, double>> out;
    static const QRegularExpression re(
        QStringLiteral("data-nnc=\"([^\"]+)\" data-value=\"([^\"]+)\""));
    for (auto it = re.globalMatch(html); it.hasNext();) {
        const auto m = it.next();
        const QString v = m.captured(2);
        out.append({m.captured(1), v == QLatin1String("inf") ? INFINITY : v.toDouble()});
    }
    return out;
}

double valueOf(const QString &html, const QString &key)
{
    for (const auto &[k, v] : values(html))
        if (k == key)
            return v;
    return NAN;
}

/// The <tr data-layer="name"> row of the layer table.
QString layerRow(const QString &html, const QString &layer)
{
    const qsizetype a =
        html.indexOf(QStringLiteral("<tr data-layer=\"") + layer + QLatin1Char('"'));
    if (a < 0)
        return {};
    return html.mid(a, html.indexOf(QLatin1String("</tr>"), a) - a);
}

bool sameDouble(double a, double b)
{
    return (std::isinf(a) && std::isinf(b) && (a > 0) == (b > 0)) || a == b;
}

struct Shared
{
    ReportData data;
    EvalResult independent;
    SensitivityResult sensitivity;
};

/// One report and one independent evaluation for the tests that read figures (each costs a few
/// seconds): 400 samples, 4-bit sensitivity.
const Shared &shared()
{
    static Shared s = [] {
        Shared r;
        auto model = readModel(demo("fashion_cnn.onnx"));
        if (!model)
            qFatal("%s", model.error().message.c_str());
        auto m = std::make_shared<const Model>(std::move(*model));
        ReportOptions o;
        o.limit = 400;
        o.created = "2026-01-02 03:04 UTC";
        auto data = buildReport(m, demo("fashion_val.json"), samplePlan(), "sample.json", o);
        if (!data)
            qFatal("%s", data.error().message.c_str());
        r.data = std::move(*data);
        auto ds = openDataset(demo("fashion_val.json"), *m);
        EvalOptions eo;
        eo.limit = 400;
        auto ev = Evaluator::create(m, std::move(*ds), eo);
        if (!ev)
            qFatal("%s", ev.error().message.c_str());
        const CompressionPlan plan = samplePlan();
        r.independent = *(*ev)->evaluate(&plan);
        SensitivitySpec spec;
        spec.bits = {4};
        r.sensitivity = *(*ev)->sensitivity(spec);
        return r;
    }();
    return s;
}

} // namespace

class TestReport : public QObject
{
    Q_OBJECT

private slots:
    void htmlHoldsTheEvaluatorsFigures()
    {
        const Shared &s = shared();
        const QString html =
            QString::fromStdString(renderReportHtml(s.data, ReportLanguage::English));
        const EvalResult &e = s.independent;
        QCOMPARE(valueOf(html, "samples"), 400.0);
        QCOMPARE(valueOf(html, "size-before"), double(e.size.floatBytes));
        QCOMPARE(valueOf(html, "size-after"), double(e.size.compressedBytes));
        QVERIFY(e.size.compressedBytes < e.size.floatBytes);
        QCOMPARE(valueOf(html, "ratio"), e.size.ratio());
        QCOMPARE(e.heads.size(), std::size_t(1));
        QCOMPARE(valueOf(html, "head-0-baseline"), e.heads[0].baseline);
        QCOMPARE(valueOf(html, "head-0-compressed"), e.heads[0].compressed);
        QCOMPARE(valueOf(html, "head-0-delta"), e.heads[0].deltaPp);
        // The large figures are shown as the reader sees them, too.
        QVERIFY(html.contains(QString::fromStdString(formatPercent(e.heads[0].baseline)) +
                              QStringLiteral("</span>")));
        QVERIFY(html.contains(QString::fromStdString(formatBytes(e.size.compressedBytes))));

        QCOMPARE(e.layers.size(), std::size_t(5));
        for (const LayerResult &lr : e.layers) {
            const QString row = layerRow(html, QString::fromStdString(lr.layer));
            QVERIFY2(!row.isEmpty(), lr.layer.c_str());
            QVERIFY(sameDouble(valueOf(row, "wsqnr"), lr.weightSqnrDb));
            QVERIFY(sameDouble(valueOf(row, "osqnr"), lr.outputSqnrDb));
            QCOMPARE(valueOf(row, "sparsity"), lr.sparsity);
            double sens = NAN;
            for (const SensitivityRow &r : s.sensitivity.rows)
                if (r.layer == lr.layer)
                    sens = r.deltaPp[0];
            QCOMPARE(valueOf(row, "sens"), sens);
        }
        QCOMPARE(valueOf(layerRow(html, "/fc1/Gemm"), "bits"), 4.0);
        QCOMPARE(valueOf(layerRow(html, "/conv1/Conv"), "bits"), 8.0);
        QVERIFY(layerRow(html, "/conv2/Conv").contains(QLatin1String("<td>50%</td>")));
        QCOMPARE(valueOf(layerRow(html, "/conv2/Conv"), "sparsity"), 0.5);
    }

    void sensitivityChartHasOneBarPerLayerWorstFirst()
    {
        const Shared &s = shared();
        QVERIFY(s.data.sensitivity.has_value());
        QCOMPARE(s.data.sensitivity->bits, 4);
        QCOMPARE(s.data.sensitivity->heads, s.sensitivity.heads);
        QCOMPARE(s.data.sensitivity->bars.size(), s.sensitivity.rows.size());
        const QString html =
            QString::fromStdString(renderReportHtml(s.data, ReportLanguage::English));
        static const QRegularExpression bar(QStringLiteral(
            "<rect [^>]*data-head=\"logits\" data-layer=\"([^\"]+)\" data-value=\"([^\"]+)\""));
        // The evaluator sorts by the first head's delta, worst first: the chart's order.
        int k = 0;
        for (auto it = bar.globalMatch(html); it.hasNext(); ++k) {
            const auto m = it.next();
            QVERIFY(k < int(s.sensitivity.rows.size()));
            QCOMPARE(m.captured(1).toStdString(), s.sensitivity.rows[std::size_t(k)].layer);
            QCOMPARE(m.captured(2).toDouble(), s.sensitivity.rows[std::size_t(k)].deltaPp[0]);
        }
        QCOMPARE(k, int(s.sensitivity.rows.size()));
    }

    void sensitivityHasOneChartPerOutput()
    {
        // The fused command model has two heads (intent accuracy, slot entity F1).
        auto model = readModel(demo("commands_fused.onnx"));
        QVERIFY(model);
        CompressionPlan plan = CompressionPlan::defaults();
        ReportOptions o;
        o.limit = 128;
        auto d = buildReport(std::make_shared<const Model>(std::move(*model)),
                             demo("commands_val.json"), plan, "", o);
        QVERIFY2(d, d ? "" : d.error().message.c_str());
        QCOMPARE(d->heads.size(), std::size_t(2));
        QCOMPARE(d->sensitivity->heads.size(), std::size_t(2));
        for (const ReportLayer &l : d->layers) {
            // The table shows the larger loss of the two heads.
            for (const ReportSensitivityBar &b : d->sensitivity->bars)
                if (b.layer == l.name)
                    QCOMPARE(*l.sensitivityPp, std::min(b.deltaPp[0], b.deltaPp[1]));
        }
        for (std::size_t h = 0; h < 2; ++h) {
            const auto order = d->sensitivity->order(h);
            for (std::size_t i = 1; i < order.size(); ++i)
                QVERIFY(d->sensitivity->bars[order[i - 1]].deltaPp[h] <=
                        d->sensitivity->bars[order[i]].deltaPp[h]);
        }
        const QString html = QString::fromStdString(renderReportHtml(*d, ReportLanguage::English));
        for (const HeadResult &h : d->heads)
            QCOMPARE(html.count(
                         QStringLiteral("data-head=\"%1\"").arg(QString::fromStdString(h.output))),
                     qsizetype(d->layers.size()));
        // Embedding rows that are all zero (padding) do not stretch the range to +-127.
        for (const ReportHistogram &g : d->histograms)
            QVERIFY2(g.rangeHi < 10 && g.stepMax < 0.1, g.layer.c_str());
    }

    void histogramsShowTheWorstLayersWithTheirRanges()
    {
        const ReportData &d = shared().data;
        QCOMPARE(d.histograms.size(), std::size_t(5));
        for (std::size_t i = 1; i < d.histograms.size(); ++i)
            QVERIFY(d.histograms[i - 1].weightSqnrDb <= d.histograms[i].weightSqnrDb);
        QCOMPARE(d.histograms.front().layer, std::string("/conv2/Conv")); // pruned by half
        for (const ReportHistogram &h : d.histograms) {
            QVERIFY(h.quantized);
            // Min/max per channel: the union of the ranges covers every weight, nothing clipped.
            QCOMPARE(h.clippedShare, 0.0);
            QVERIFY(h.rangeLo <= h.narrowLo && h.narrowHi <= h.rangeHi);
            QVERIFY(h.histogram.lo <= h.rangeLo && h.rangeHi <= h.histogram.hi);
            int64_t n = h.histogram.below + h.histogram.above;
            for (int64_t c : h.histogram.counts)
                n += c;
            for (const ReportLayer &l : d.layers)
                if (l.name == h.layer)
                    QCOMPARE(n, l.params);
            if (h.layer == "/fc1/Gemm") {
                QCOMPARE(h.bits, 4);
                QCOMPARE(h.levels.size(), std::size_t(15)); // signed restricted: -7..7
            } else {
                QCOMPARE(h.bits, 8);
                QVERIFY(h.levels.empty()); // 255 levels: too dense to draw
            }
        }
    }

    void htmlIsSelfContainedAndWellFormed()
    {
        for (ReportLanguage lang : {ReportLanguage::English, ReportLanguage::Chinese}) {
            const QString html = QString::fromStdString(renderReportHtml(shared().data, lang));
            for (const char *bad :
                 {"http:", "https:", "<script", "src=", "url(", "@import", "<link", "<img", "&lt;"})
                QVERIFY2(!html.contains(QLatin1String(bad), Qt::CaseInsensitive), bad);
            QVERIFY(html.startsWith(QLatin1String("<!DOCTYPE html>")));
            QVERIFY(html.contains(QLatin1String("<meta charset=\"utf-8\">")));
            // Every chart is well-formed XML (an SVG viewer would refuse anything else).
            static const QRegularExpression svg(QStringLiteral("<svg .*?</svg>"),
                                                QRegularExpression::DotMatchesEverythingOption);
            int charts = 0;
            for (auto it = svg.globalMatch(html); it.hasNext(); ++charts) {
                QXmlStreamReader xml(it.next().captured(0));
                while (!xml.atEnd())
                    xml.readNext();
                QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
            }
            QCOMPARE(charts, 6); // five histograms and the sensitivity chart
        }
    }

    void everyStringHasBothLanguages()
    {
        std::set<std::string_view> keys;
        static const QRegularExpression placeholder(QStringLiteral("\\{\\d\\}"));
        static const QRegularExpression han(QStringLiteral("\\p{Han}"));
        for (const ReportString &s : reportStrings()) {
            QVERIFY2(keys.insert(s.key).second, std::string(s.key).c_str());
            QVERIFY2(!s.en.empty() && !s.zh.empty(), std::string(s.key).c_str());
            const QString en = QString::fromUtf8(s.en.data(), qsizetype(s.en.size()));
            const QString zh = QString::fromUtf8(s.zh.data(), qsizetype(s.zh.size()));
            QSet<QString> pe, pz;
            for (auto it = placeholder.globalMatch(en); it.hasNext();)
                pe.insert(it.next().captured(0));
            for (auto it = placeholder.globalMatch(zh); it.hasNext();)
                pz.insert(it.next().captured(0));
            QVERIFY2(pe == pz, std::string(s.key).c_str());
            // Translated, not copied: Chinese text, except a dash and a bare placeholder (the
            // Chinese pruning text needs no "pruning" word before it).
            if (s.key != "not_run" && s.key != "plan_layer_pruning")
                QVERIFY2(zh.contains(han), std::string(s.key).c_str());
        }
        QCOMPARE(reportText("no_such_key", ReportLanguage::Chinese), std::string("<no_such_key>"));
        // Every heading and label of the Chinese report comes from the table: none is English.
        const QString zh =
            QString::fromStdString(renderReportHtml(shared().data, ReportLanguage::Chinese));
        QVERIFY(zh.contains(QLatin1String("<html lang=\"zh-CN\">")));
        for (const char *key : {"title", "section_summary", "section_layers", "section_histograms",
                                "section_sensitivity", "histograms_note", "footer"}) {
            QVERIFY(zh.contains(QString::fromStdString(reportText(key, ReportLanguage::Chinese))));
            QVERIFY2(!zh.contains(QString::fromStdString(reportText(key, ReportLanguage::English))),
                     key);
        }
    }

    void noSensitivityIsSaidNotHidden()
    {
        ReportOptions o;
        o.sensitivity = false;
        o.limit = 64;
        auto m = readModel(demo("fashion_cnn.onnx"));
        auto r = buildReport(std::make_shared<const Model>(std::move(*m)), demo("fashion_val.json"),
                             samplePlan(), "", o);
        QVERIFY2(r, r ? "" : r.error().message.c_str());
        QVERIFY(!r->sensitivity);
        for (const ReportLayer &l : r->layers)
            QVERIFY(!l.sensitivityPp);
        const std::string html = renderReportHtml(*r, ReportLanguage::English);
        QVERIFY(html.find(reportText("sens_skipped", ReportLanguage::English)) !=
                std::string::npos);
        QVERIFY(html.find(reportText("plan_in_memory", ReportLanguage::English)) !=
                std::string::npos);
        QCOMPARE(r->samples, int64_t(64));
        QCOMPARE(r->datasetSize, int64_t(2000));
    }

    void histogramsOnlyForLayersThePlanChanges()
    {
        auto m = readModel(demo("fashion_cnn.onnx"));
        QVERIFY(m);
        CompressionPlan plan = CompressionPlan::defaults();
        plan.weightDefaults.enabled = false;
        ReportOptions o;
        o.sensitivity = false;
        o.limit = 64;
        auto r = buildReport(std::make_shared<const Model>(std::move(*m)), demo("fashion_val.json"),
                             plan, "", o);
        QVERIFY2(r, r ? "" : r.error().message.c_str());
        QVERIFY(r->histograms.empty());
        for (const ReportLayer &l : r->layers)
            QCOMPARE(reportBitsText(l, ReportLanguage::Chinese), std::string("浮点"));
        const std::string html = renderReportHtml(*r, ReportLanguage::English);
        QVERIFY(QString::fromStdString(html).contains(
            QString::fromStdString(reportText("histograms_none", ReportLanguage::English))
                .replace(QLatin1String("'"), QLatin1String("&#39;"))));
    }

    void integerWeightsAreShownAsStored()
    {
        // regression for issue 7: MatMulInteger layers said "8" bits and got range histograms
        // although the evaluator keeps their int8 weights as they are.
        const std::filesystem::path dir =
            std::filesystem::path(NNC_SHARED_DIR) / "models/hinglish_intent_slot_int8";
        if (!std::filesystem::exists(dir / "model.onnx"))
            QSKIP("the shared models are not available (NNC_SHARED_DIR)");
        ReportOptions o;
        o.sensitivity = false;
        o.limit = 4;
        auto m = readModel(dir / "model.onnx");
        QVERIFY(m);
        auto r = buildReport(std::make_shared<const Model>(std::move(*m)), dir / "val.npz",
                             CompressionPlan::defaults(), "", o);
        QVERIFY2(r, r ? "" : r.error().message.c_str());
        int stored = 0;
        for (const ReportLayer &l : r->layers)
            if (l.op == "MatMulInteger") {
                ++stored;
                QVERIFY(l.keptAsStored && !l.compressed);
                QCOMPARE(reportBitsText(l, ReportLanguage::English), std::string("int8 as stored"));
            }
        QCOMPARE(stored, 20);
        QCOMPARE(r->histograms.size(), std::size_t(1)); // the embedding (Gather) only
        QCOMPARE(r->histograms[0].layer, std::string("node_embedding"));
    }

    void cancellationStopsTheReport()
    {
        std::stop_source stop;
        stop.request_stop();
        auto r = buildReportFromFiles(demo("fashion_cnn.onnx"), demo("fashion_val.json"),
                                      planFile(), {}, Progress(stop.get_token()));
        QVERIFY(!r);
        QCOMPARE(r.error().code, Error::Code::Cancelled);
    }

    void badInputGivesThePreciseErrorAndWritesNothing_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("data");
        QTest::addColumn<QStringList>("extra");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        const QString cnn = kDemo + "fashion_cnn.onnx", val = kDemo + "fashion_val.json";
        QTest::newRow("missing data")
            << cnn << QStringLiteral("/nonexistent/val.json") << QStringList() << 3
            << QStringLiteral("nncompress: the validation data '/nonexistent/val.json' does not "
                              "exist.\n");
        QTest::newRow("plan for another model")
            << kDemo + "fashion_mlp.onnx" << val << QStringList() << 3
            << QStringLiteral("nncompress: the plan 'plan.json' does not fit the model "
                              "'fashion_mlp.onnx': $.layers./conv2/Conv: the model has no layer "
                              "named '/conv2/Conv'.\n");
        QTest::newRow("data for another model")
            << cnn << kDemo + "commands_val_intent.json" << QStringList() << 3
            << QStringLiteral("nncompress: '") + kDemo +
                   QStringLiteral("commands_val_intent.json' names 'input_ids', which is not a "
                                  "model input; the inputs are image.\n");
        QTest::newRow("missing plan")
            << cnn << val << QStringList{"--plan", "/nonexistent/plan.json"} << 3
            << QStringLiteral("nncompress: cannot read plan '/nonexistent/plan.json': the file "
                              "does not exist or is unreadable.\n");
        QTest::newRow("bad language")
            << cnn << val << QStringList{"--lang", "fr"} << 2
            << QStringLiteral("nncompress report: --lang is en or zh_CN, not 'fr'.\nTry "
                              "'nncompress report --help'.\n");
        QTest::newRow("bad sensitivity bits")
            << cnn << val << QStringList{"--sensitivity-bits", "1"} << 2
            << QStringLiteral("nncompress: the sensitivity bit width 1 is outside 2 to 16.\n");
    }

    void badInputGivesThePreciseErrorAndWritesNothing()
    {
        QFETCH(QString, model);
        QFETCH(QString, data);
        QFETCH(QStringList, extra);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        QTemporaryDir dir;
        const QString plan = dir.filePath("plan.json");
        QVERIFY(savePlan(samplePlan(), plan.toStdString()));
        const QString out = dir.filePath("report.html");
        QProcess p;
        p.start(QStringLiteral(NNC_CLI_PATH), QStringList{"report", model, "--data", data, "--plan",
                                                          plan, "--out", out, "--limit", "64"} +
                                                  extra);
        QVERIFY(p.waitForFinished(120000));
        QCOMPARE(p.exitCode(), exitCode);
        QCOMPARE(QString::fromUtf8(p.readAllStandardError()), message);
        QVERIFY(!QFile::exists(out));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList{"plan.json"});
    }

    void cliWritesTheReport()
    {
        QTemporaryDir dir;
        const QString plan = dir.filePath("plan.json");
        QVERIFY(savePlan(samplePlan(), plan.toStdString()));
        const QString out = dir.filePath("report.html");
        QProcess p;
        p.start(QStringLiteral(NNC_CLI_PATH),
                {"report", kDemo + "fashion_cnn.onnx", "--data", kDemo + "fashion_val.json",
                 "--plan", plan, "--out", out, "--lang", "zh_CN", "--no-sensitivity", "--limit",
                 "128"});
        QVERIFY(p.waitForFinished(120000));
        QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
        QFile f(out);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QString html = QString::fromUtf8(f.readAll());
        QVERIFY(html.contains(QStringLiteral("压缩报告")));
        QCOMPARE(valueOf(html, "samples"), 128.0);
        QVERIFY(html.contains(
            QString::fromStdString(reportText("sens_skipped", ReportLanguage::Chinese))));
        // Atomic write: no temporary file left beside it.
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden),
                 (QStringList{"plan.json", "report.html"}));
    }

    void unwritableOutputLeavesNothing()
    {
        QTemporaryDir dir;
        const std::filesystem::path out = (dir.filePath("missing") + "/report.html").toStdString();
        auto w = writeReportHtml(shared().data, ReportLanguage::English, out);
        QVERIFY(!w);
        QVERIFY(!std::filesystem::exists(out));
        QVERIFY(QDir(dir.path()).isEmpty());
    }

    void longNonAsciiLayerNamesStayValidUtf8()
    {
        ReportData d = shared().data;
        d.sensitivity->bars[0].layer = "/编码器/第十二层/自注意力/查询投影/矩阵乘法/权重/MatMul";
        const std::string html = renderReportHtml(d, ReportLanguage::Chinese);
        // A cut inside a character would show as U+FFFD after decoding.
        QVERIFY(!QString::fromUtf8(html.data(), qsizetype(html.size())).contains(QChar(0xFFFD)));
        QVERIFY(html.find("\u2026") != std::string::npos);
    }

    void languageCodes()
    {
        QCOMPARE(parseReportLanguage("zh_CN"), std::optional(ReportLanguage::Chinese));
        QCOMPARE(parseReportLanguage("zh-CN"), std::optional(ReportLanguage::Chinese));
        QCOMPARE(parseReportLanguage("zh"), std::optional(ReportLanguage::Chinese));
        QCOMPARE(parseReportLanguage("en_US"), std::optional(ReportLanguage::English));
        QVERIFY(!parseReportLanguage("fr"));
        QCOMPARE(formatSignedPp(-0.001), std::string("0.00"));
        QCOMPARE(formatSignedPp(-0.15), std::string("-0.15"));
        QCOMPARE(formatBytes(694312), std::string("694 KB"));
        QCOMPARE(formatBytes(1234567), std::string("1.23 MB"));
        QCOMPARE(formatCount(421642), std::string("421,642"));
    }

private:
    static std::filesystem::path planFile()
    {
        static QTemporaryDir dir;
        const std::filesystem::path p = (dir.filePath("plan.json")).toStdString();
        if (!savePlan(samplePlan(), p))
            qFatal("cannot write the test plan");
        return p;
    }
};

QTEST_APPLESS_MAIN(TestReport)
#include "test_report.moc"
