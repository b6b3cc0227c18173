// The report's model-against-model sections and budgets: the fusion and distillation sections
// carry exactly what core/fusion and core/distill return on the demo NLP models, the budget
// verdicts are rendered with words (not colour alone) and reach the headline, the Chinese report
// has no English left in the new sections, and bad section options give the exact error and
// write nothing.
#include "core/distill/distill.h"
#include "core/fusion/fusion.h"
#include "core/model/onnx_reader.h"
#include "core/plan/plan.h"
#include "core/report/report.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cmath>

using namespace nnc;

namespace {

const QString kDemo = QStringLiteral(NNC_SOURCE_DIR "/resources/demo/");

std::filesystem::path demo(const char *name)
{
    return (kDemo + QString::fromUtf8(name)).toStdString();
}

std::shared_ptr<const Model> load(const char *name)
{
    auto m = readModel(demo(name));
    if (!m)
        qFatal("cannot read %s: %s", name, m.error().message.c_str());
    return std::make_shared<const Model>(std::move(*m));
}

constexpr int64_t kLimit = 96;

/// The value of data-value in the first element whose attributes contain `marker`, at the
/// `index`-th data-value after it (cells of one row in order).
double cellValue(const QString &html, const QString &marker, int index)
{
    qsizetype at = html.indexOf(marker);
    if (at < 0)
        return NAN;
    const qsizetype end = html.indexOf(QString::fromUtf8("</tr>"), at);
    static const QRegularExpression re(QStringLiteral("data-value=\"([^\"]+)\""));
    int k = 0;
    for (auto it = re.globalMatch(html, at); it.hasNext();) {
        const auto m = it.next();
        if (end >= 0 && m.capturedStart() > end)
            break;
        if (k++ == index) {
            const QString v = m.captured(1);
            return v == QString::fromUtf8("inf") ? INFINITY : v.toDouble();
        }
    }
    return NAN;
}

/// `s` escaped as the report escapes text.
QString htmlText(const QString &s)
{
    QString t = s.toHtmlEscaped();
    return t.replace(QLatin1Char('\''), QStringLiteral("&#39;"));
}

/// Bars of a grouped chart: data-nnc=key, data-row=row, data-series=series -> value.
double barValue(const QString &html, const QString &key, const QString &row, int series)
{
    const QString marker = QStringLiteral("data-nnc=\"%1\" data-row=\"%2\" data-series=\"%3\" "
                                          "data-value=\"")
                               .arg(key, htmlText(row), QString::number(series));
    const qsizetype at = html.indexOf(marker);
    if (at < 0)
        return NAN;
    const qsizetype from = at + marker.size();
    return html.mid(from, html.indexOf(QLatin1Char('"'), from) - from).toDouble();
}

struct Shared
{
    ReportData data;
    FusionReport fusion;        ///< fuseModels called directly
    DistillReport distill;      ///< compareDistill called directly
    CompressionPlan studentPlan;
    QString en, zh;
};

CompressionPlan studentPlan()
{
    CompressionPlan p = CompressionPlan::defaults();
    p.model = "commands_student.onnx";
    return p;
}

Shared &shared()
{
    static Shared s = [] {
        Shared r;
        ReportOptions o;
        o.sensitivity = false;
        o.limit = kLimit;
        o.threads = 1;
        o.created = "2026-01-01 00:00 UTC";
        CompressionPlan plan = CompressionPlan::defaults();
        plan.model = "commands_fused.onnx";
        auto d = buildReport(load("commands_fused.onnx"), demo("commands_val.json"), plan,
                             "fused.json", o);
        if (!d)
            qFatal("report: %s", d.error().message.c_str());
        r.data = std::move(*d);

        FusionRequest fr;
        fr.modelA = demo("commands_intent.onnx");
        fr.modelB = demo("commands_slots.onnx");
        fr.backbone = BackboneSource::Mean;
        fr.dataA = demo("commands_val_intent.json");
        fr.dataB = demo("commands_val_slots.json");
        fr.limit = kLimit;
        fr.threads = 1;
        auto direct = fuseModels(fr);
        if (!direct)
            qFatal("fuse: %s", direct.error().message.c_str());
        r.fusion = std::move(*direct);
        auto section = buildReportFusion(fr);
        if (!section)
            qFatal("fusion section: %s", section.error().message.c_str());
        r.data.fusion = std::move(*section);

        DistillOptions dopt;
        dopt.temperature = 3;
        dopt.limit = kLimit;
        dopt.threads = 1;
        r.studentPlan = studentPlan();
        auto dd = compareDistill(load("commands_teacher.onnx"), load("commands_student.onnx"),
                                 demo("commands_val.json"), &r.studentPlan, dopt);
        if (!dd)
            qFatal("distill: %s", dd.error().message.c_str());
        r.distill = std::move(*dd);
        QTemporaryDir dir;
        const std::filesystem::path planPath = dir.filePath("student.json").toStdString();
        if (!savePlan(r.studentPlan, planPath))
            qFatal("cannot save the student plan");
        auto ds = buildReportDistillation(demo("commands_teacher.onnx"),
                                          demo("commands_student.onnx"),
                                          demo("commands_val.json"), planPath, dopt);
        if (!ds)
            qFatal("distillation section: %s", ds.error().message.c_str());
        r.data.distillation = std::move(*ds);

        auto budgets = parseBudgets("intent_logits=5,slot_logits=5");
        if (!budgets || !applyReportBudgets(r.data, *budgets))
            qFatal("budgets");
        r.en = QString::fromStdString(renderReportHtml(r.data, ReportLanguage::English));
        r.zh = QString::fromStdString(renderReportHtml(r.data, ReportLanguage::Chinese));
        return r;
    }();
    return s;
}

/// ReportData with two synthetic heads, for the budget rendering.
ReportData twoHeads(double deltaA, double deltaB)
{
    ReportData d = shared().data;
    d.fusion.reset();
    d.distillation.reset();
    d.budgets.clear();
    d.heads.resize(2);
    d.heads[0].output = "a";
    d.heads[0].metric = "accuracy";
    d.heads[0].baseline = 0.9;
    d.heads[0].deltaPp = deltaA;
    d.heads[0].compressed = 0.9 + deltaA / 100;
    d.heads[1].output = "b";
    d.heads[1].metric = "accuracy";
    d.heads[1].baseline = 0.8;
    d.heads[1].deltaPp = deltaB;
    d.heads[1].compressed = 0.8 + deltaB / 100;
    return d;
}

} // namespace

class TestReportSections : public QObject
{
    Q_OBJECT

private slots:
    void fusionSectionCarriesCoreFusionFigures()
    {
        const Shared &s = shared();
        QVERIFY(s.data.fusion);
        const ReportFusion &f = *s.data.fusion;
        QCOMPARE(f.modelA, std::string("commands_intent.onnx"));
        QCOMPARE(f.modelB, std::string("commands_slots.onnx"));
        QCOMPARE(f.dataA, std::string("commands_val_intent.json"));
        QCOMPARE(f.dataB, std::string("commands_val_slots.json"));
        QVERIFY(!f.result.fused); // the graph is not kept in a report
        const FusionReport &r = s.fusion;
        const QString &h = s.en;
        QVERIFY(h.contains(QString::fromUtf8("<h2 id=\"fusion\">Network fusion</h2>")));
        QVERIFY(h.contains(QString::fromUtf8("data-nnc=\"fusion-backbone\" data-value=\"mean\"")));
        QVERIFY(h.contains(QString::fromUtf8("weights taken from the element-wise mean of A and B")));
        // Cost rows: A+B, fused, saved share.
        QCOMPARE(cellValue(h, "data-nnc=\"fusion-parameters\"", 0),
                 double(r.costA.parameters + r.costB.parameters));
        QCOMPARE(cellValue(h, "data-nnc=\"fusion-parameters\"", 1), double(r.costFused.parameters));
        const int64_t sepMacs = r.costA.macs + r.costB.macs;
        QCOMPARE(cellValue(h, "data-nnc=\"fusion-macs\"", 1), double(r.costFused.macs));
        QCOMPARE(cellValue(h, "data-nnc=\"fusion-macs\"", 2),
                 double(sepMacs - r.costFused.macs) / double(sepMacs));
        QCOMPARE(cellValue(h, "data-nnc=\"fusion-bytes\"", 1), double(r.costFused.bytes));
        QVERIFY(r.costFused.parameters < r.costA.parameters + r.costB.parameters);
        // Heads: separate, fused, delta, exactly as previewHeads gave them.
        QCOMPARE(r.heads.size(), std::size_t(2));
        for (const HeadPreview &p : r.heads) {
            const QString row = QStringLiteral("data-nnc=\"fusion-head\" data-output=\"%1\"")
                                    .arg(QString::fromStdString(p.output));
            QCOMPARE(cellValue(h, row, 0), p.separate);
            QCOMPARE(cellValue(h, row, 1), p.fused);
            QCOMPARE(cellValue(h, row, 2), p.deltaPp);
        }
        // Distances: one row and two bars per matched weight.
        QVERIFY(!r.weights.empty());
        for (const WeightDistance &w : r.weights) {
            const QString row = QStringLiteral("data-nnc=\"fusion-weight\" data-weight=\"%1\"")
                                    .arg(QString::fromStdString(w.weightA));
            QCOMPARE(cellValue(h, row, 0), w.relativeL2);
            QCOMPARE(cellValue(h, row, 1), w.cosine);
            QCOMPARE(barValue(h, "fusion-distance", QString::fromStdString(w.weightA), 0),
                     w.relativeL2);
            QCOMPARE(barValue(h, "fusion-distance", QString::fromStdString(w.weightA), 1),
                     1.0 - w.cosine);
        }
        // The headline states the parameter saving with the core's counts.
        const QString headline = QString::fromStdString(reportFusionHeadline(f, ReportLanguage::English));
        QVERIFY2(headline.contains(QString::fromStdString(
                     formatCount(r.costA.parameters + r.costB.parameters) + " → " +
                     formatCount(r.costFused.parameters))),
                 qPrintable(headline));
        QVERIFY(h.contains(htmlText(headline)));
    }

    void distillationSectionCarriesCoreDistillFigures()
    {
        const Shared &s = shared();
        QVERIFY(s.data.distillation);
        const ReportDistillation &dd = *s.data.distillation;
        const DistillReport &r = s.distill;
        QCOMPARE(dd.teacherFile, std::string("commands_teacher.onnx"));
        QCOMPARE(dd.studentFile, std::string("commands_student.onnx"));
        QCOMPARE(dd.planFile, std::string("student.json"));
        QVERIFY(dd.result.withPlan);
        const QString &h = s.en;
        QVERIFY(h.contains(QString::fromUtf8("<h2 id=\"distillation\">Knowledge distillation</h2>")));
        QVERIFY(h.contains(QString::fromUtf8("data-nnc=\"distill-temperature\" data-value=\"3\"")));
        QVERIFY(h.contains(QString::fromUtf8("KL at T = 3")));
        QCOMPARE(cellValue(h, "data-nnc=\"distill-samples\"", 0), double(kLimit));
        QCOMPARE(r.heads.size(), std::size_t(2));
        for (const DistillHead &d : r.heads) {
            QVERIFY(d.hasLabels);
            const QString row = QStringLiteral("data-nnc=\"distill-head\" data-output=\"%1\"")
                                    .arg(QString::fromStdString(d.output));
            QCOMPARE(cellValue(h, row, 0), d.teacher);
            QCOMPARE(cellValue(h, row, 1), d.student);
            QCOMPARE(cellValue(h, row, 2), (d.student - d.teacher) * 100.0);
            QCOMPARE(cellValue(h, row, 3), d.agreement);
            QCOMPARE(cellValue(h, row, 4), d.klDivergence);
            QVERIFY(d.plan);
            QCOMPARE(cellValue(h, row, 5), *d.plan);
            QCOMPARE(cellValue(h, row, 6), (*d.plan - d.teacher) * 100.0);
            // Per-class bars: teacher, student, student under the plan.
            const QString key = QStringLiteral("distill-class-") + QString::fromStdString(d.output);
            int rows = 0;
            for (const ClassAccuracy &c : d.perClass) {
                if (c.total == 0)
                    continue;
                ++rows;
                const QString name = QString::fromStdString(c.name);
                QCOMPARE(barValue(h, key, name, 0), double(c.teacherCorrect) / double(c.total));
                QCOMPARE(barValue(h, key, name, 1), double(c.studentCorrect) / double(c.total));
                QCOMPARE(barValue(h, key, name, 2), double(c.planCorrect) / double(c.total));
            }
            // The demo set is ordered by intent: its first samples hold one intent, three tags.
            QVERIFY2(rows >= (d.output == "slot_logits" ? 3 : 1), d.output.c_str());
        }
        // Cost: parameters, bytes, MACs of both; the plan's stored size.
        QCOMPARE(cellValue(h, "data-nnc=\"distill-cost-teacher\"", 0),
                 double(r.teacherCost.parameters));
        QCOMPARE(cellValue(h, "data-nnc=\"distill-cost-teacher\"", 1), double(r.teacherCost.bytes));
        QCOMPARE(cellValue(h, "data-nnc=\"distill-cost-teacher\"", 2), double(r.teacherCost.macs));
        QCOMPARE(cellValue(h, "data-nnc=\"distill-cost-student\"", 0),
                 double(r.studentCost.parameters));
        QCOMPARE(cellValue(h, "data-nnc=\"distill-cost-student\"", 2), double(r.studentCost.macs));
        QCOMPARE(cellValue(h, "data-nnc=\"distill-cost-plan\"", 1),
                 double(r.planSize.compressedBytes));
        QVERIFY(r.planSize.compressedBytes < r.studentCost.bytes);
        QVERIFY(dd.result.timedBatches > 0 || r.timedBatches == 0);
        // "Distil, then quantize" is answered in the headline.
        const QString headline =
            QString::fromStdString(reportDistillHeadline(dd, ReportLanguage::English));
        QVERIFY2(headline.contains(QString::fromUtf8("Distilled, then compressed under the plan to ")),
                 qPrintable(headline));
        QVERIFY(headline.contains(QString::fromStdString(formatBytes(r.planSize.compressedBytes))));
    }

    void budgetVerdictsAreWrittenOutAndReachTheHeadline()
    {
        ReportData d = twoHeads(-1.0, 0.2);
        auto b = parseBudgets("a=0.5,0");
        QVERIFY(b);
        QVERIFY(applyReportBudgets(d, *b));
        QCOMPARE(d.budgets.size(), std::size_t(2));
        QVERIFY(!d.budgets[0].pass);
        QVERIFY(d.budgets[1].pass);
        const QString en = QString::fromStdString(renderReportHtml(d, ReportLanguage::English));
        QVERIFY(en.contains(QString::fromUtf8("<h3 style=\"margin-top:18px\">Accuracy budgets</h3>")));
        QVERIFY(en.contains(QString::fromUtf8(
            "<tr data-output=\"a\" data-nnc=\"budget\" data-pass=\"0\"><td class=\"text\">a</td>"
            "<td>0.5</td><td data-value=\"1\">1.00</td><td class=\"text neg\"><b>✗ over "
            "budget</b></td></tr>")));
        QVERIFY(en.contains(QString::fromUtf8(
            "<tr data-output=\"b\" data-nnc=\"budget\" data-pass=\"1\"><td class=\"text\">b</td>"
            "<td>0</td><td data-value=\"-0.20000000000000001\">-0.20</td><td class=\"text "
            "pos\"><b>✓ within budget</b></td></tr>")));
        // The summary cards carry the verdicts too.
        QVERIFY(en.contains(QString::fromUtf8(">-1.00 pp · ✗ over budget</div>")));
        QVERIFY(en.contains(QString::fromUtf8(">+0.20 pp · ✓ within budget</div>")));
        const std::string headline = reportHeadline(d, ReportLanguage::English);
        QVERIFY2(headline.ends_with(" Over budget: 'a' drops 1.00 pp where 0.5 pp is allowed."),
                 headline.c_str());
        QVERIFY(reportHeadline(d, ReportLanguage::Chinese)
                    .ends_with("超出预算：输出“a”下降了 1.00 个百分点，而预算只允许 0.5 个百分点。"));
        const QString zh = QString::fromStdString(renderReportHtml(d, ReportLanguage::Chinese));
        QVERIFY(zh.contains(QString::fromUtf8("<b>✗ 超出预算</b>")));
        QVERIFY(zh.contains(QString::fromUtf8("<b>✓ 符合预算</b>")));

        // All within budget: said in the headline too.
        ReportData ok = twoHeads(-0.1, 0.0);
        QVERIFY(applyReportBudgets(ok, *b));
        QVERIFY(reportHeadline(ok, ReportLanguage::English)
                    .ends_with(" Every output stays within its accuracy budget."));
        // No budgets: no table, no sentence.
        ReportData none = twoHeads(-0.1, 0.0);
        const QString plain = QString::fromStdString(renderReportHtml(none, ReportLanguage::English));
        QVERIFY(!plain.contains(QString::fromUtf8("Accuracy budgets")));
        QVERIFY(!plain.contains(QString::fromUtf8("budget")));

        // A budget for a head the model lacks is refused and changes nothing.
        ReportData bad = twoHeads(-1.0, 0.2);
        auto unknown = parseBudgets("a=1,zzz=2");
        QVERIFY(unknown);
        auto r = applyReportBudgets(bad, *unknown);
        QVERIFY(!r);
        QCOMPARE(r.error().message,
                 std::string("Budget names 'zzz', which is not an output of the model (outputs: "
                             "a, b)."));
        QVERIFY(bad.budgets.empty());
    }


    void chartsKeepTheLargestDifferencesBeyondTheirRowLimit()
    {
        DistillHead h;
        h.output = "many";
        h.metric = "accuracy";
        h.hasLabels = true;
        for (int i = 0; i < 100; ++i) {
            ClassAccuracy c;
            c.name = std::to_string(i);
            c.total = i == 7 ? 0 : 100;
            c.teacherCorrect = 90;
            // Classes 50..99 have a gap of (i - 49) points, the others none.
            c.studentCorrect = 90 - std::max(0, i - 49);
            h.perClass.push_back(c);
        }
        const std::vector<std::size_t> rows = reportClassRows(h);
        QCOMPARE(rows.size(), kMaxChartRows);
        QCOMPARE(rows.front(), std::size_t(60)); // the 40 largest gaps: classes 60..99
        QCOMPARE(rows.back(), std::size_t(99));
        QVERIFY(std::is_sorted(rows.begin(), rows.end()));
        h.perClass.resize(30);
        QCOMPARE(reportClassRows(h).size(), std::size_t(29)); // class 7 has no sample

        std::vector<WeightDistance> w(50);
        for (std::size_t i = 0; i < w.size(); ++i)
            w[i].relativeL2 = i == 3 ? NAN : double(i % 10);
        const std::vector<std::size_t> d = reportDistanceRows(w);
        QCOMPARE(d.size(), kMaxChartRows);
        QVERIFY(std::find(d.begin(), d.end(), std::size_t(3)) == d.end()); // NaN left out first
        for (std::size_t i : {std::size_t(9), std::size_t(19), std::size_t(49)})
            QVERIFY(std::find(d.begin(), d.end(), i) != d.end());

        ReportData data = twoHeads(0, 0);
        ReportDistillation dd;
        dd.teacherFile = "t.onnx";
        dd.studentFile = "s.onnx";
        dd.result.samples = 9900;
        dd.result.temperature = 4;
        h.perClass.clear();
        for (int i = 0; i < 100; ++i)
            h.perClass.push_back({std::to_string(i), 100, 90, 90 - std::max(0, i - 49), 0});
        dd.result.heads = {h};
        data.distillation = dd;
        const QString html = QString::fromStdString(renderReportHtml(data, ReportLanguage::English));
        QCOMPARE(html.count(QStringLiteral("data-nnc=\"distill-class-many\"")), int(2 * kMaxChartRows));
        QVERIFY(html.contains(QStringLiteral(
            "The 40 classes with the largest gap between teacher and student are shown, of 100.")));
    }

    void chineseSectionsHaveNoEnglishLeft()
    {
        const QString &zh = shared().zh;
        QVERIFY(zh.contains(QString::fromUtf8("<h2 id=\"fusion\">网络融合</h2>")));
        QVERIFY(zh.contains(QString::fromUtf8("<h2 id=\"distillation\">知识蒸馏</h2>")));
        QVERIFY(zh.contains(QString::fromUtf8("精度预算")));
        // Every new string without placeholders: its English text is nowhere in the Chinese page
        // (the ones with placeholders are checked through their fixed words below).
        int checked = 0;
        bool inNew = false;
        for (const ReportString &s : reportStrings()) {
            if (s.key == "budgets_title")
                inNew = true;
            if (!inNew || s.key == "page")
                continue;
            const QString en = QString::fromUtf8(s.en.data(), qsizetype(s.en.size()));
            if (en.contains(QLatin1Char('{')) || en.size() <= 2)
                continue;
            ++checked;
            QVERIFY2(!zh.contains(en.toHtmlEscaped()), std::string(s.key).c_str());
        }
        QVERIFY(checked > 40);
        for (const char *english :
             {"One shared backbone", "fused against", "heads previewed on", "nodes (",
              "besides constants", "The student has", "of the teacher", "Distilled, then",
              "per class on", "Accuracy on", "Entity F1 on", "KL at T", "teacher ", "student ",
              " separate", "A + B (separate)", "Every output", "Over budget", " ms<"})
            QVERIFY2(!zh.contains(QString::fromUtf8(english)), english);
        // The English page has them, so the check above can fail.
        QVERIFY(shared().en.contains(QString::fromUtf8("One shared backbone")));
        QVERIFY(shared().en.contains(QString::fromUtf8("The student has")));
    }

    void sectionsAreSelfContained()
    {
        for (const QString &h : {shared().en, shared().zh}) {
            QVERIFY(!h.contains(QString::fromUtf8("<script")));
            QVERIFY(!h.contains(QString::fromUtf8("http://")));
            QVERIFY(!h.contains(QString::fromUtf8("https://")));
            QVERIFY(!h.contains(QString::fromUtf8("<img")));
            QCOMPARE(h.count(QString::fromUtf8("<svg")), h.count(QString::fromUtf8("</svg>")));
            // Fusion distance chart and two per-class charts.
            QVERIFY(h.count(QString::fromUtf8("<svg")) >= 3);
        }
    }

    void fusionWithoutDataSaysSo()
    {
        FusionRequest fr;
        fr.modelA = demo("commands_intent.onnx");
        fr.modelB = demo("commands_slots.onnx");
        fr.threads = 1;
        auto f = buildReportFusion(fr);
        QVERIFY2(f, f ? "" : f.error().message.c_str());
        QVERIFY(f->result.heads.empty());
        QVERIFY(f->dataA.empty() && f->dataB.empty());
        ReportData d = twoHeads(0, 0);
        d.fusion = std::move(*f);
        const QString h = QString::fromStdString(renderReportHtml(d, ReportLanguage::English));
        QVERIFY(h.contains(QString::fromUtf8(
            "No validation data was given, so the heads&#39; accuracy was not previewed.")));
        QVERIFY(!h.contains(QString::fromUtf8("data-nnc=\"fusion-head\"")));
        // A report never writes the fused model.
        fr.out = "/tmp/never.onnx";
        auto refused = buildReportFusion(fr);
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, Error::Code::Usage);
    }

    void badSectionOptionsGiveTheExactErrorAndWriteNothing_data()
    {
        QTest::addColumn<QStringList>("extra");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        const QString tryHelp = QStringLiteral("\nTry 'nncompress report --help'.\n");
        QTest::newRow("fusion-a alone")
            << QStringList{"--fusion-a", kDemo + "commands_intent.onnx"} << 2
            << QStringLiteral("nncompress report: --fusion-a and --fusion-b go together: give "
                              "both models to fuse.") +
                   tryHelp;
        QTest::newRow("backbone without models")
            << QStringList{"--backbone", "mean"} << 2
            << QStringLiteral("nncompress report: --backbone needs --fusion-a and --fusion-b.") +
                   tryHelp;
        QTest::newRow("bad backbone")
            << QStringList{"--fusion-a", kDemo + "commands_intent.onnx", "--fusion-b",
                           kDemo + "commands_slots.onnx", "--backbone", "c"}
            << 2
            << QStringLiteral("nncompress report: the backbone must be a, b or mean, not 'c'.") +
                   tryHelp;
        QTest::newRow("student alone")
            << QStringList{"--student", kDemo + "commands_student.onnx"} << 2
            << QStringLiteral("nncompress report: --teacher and --student go together: give both "
                              "models to compare.") +
                   tryHelp;
        QTest::newRow("temperature without models")
            << QStringList{"--temperature", "2"} << 2
            << QStringLiteral("nncompress report: --temperature needs --teacher and --student.") +
                   tryHelp;
        QTest::newRow("zero temperature")
            << QStringList{"--teacher", kDemo + "commands_teacher.onnx", "--student",
                           kDemo + "commands_student.onnx", "--temperature", "0"}
            << 2
            << QStringLiteral("nncompress report: --temperature takes a positive number, not "
                              "'0'.") +
                   tryHelp;
        QTest::newRow("bad budget")
            << QStringList{"--budget", "slot_logits=-1"} << 2
            << QStringLiteral("nncompress report: Budget 'slot_logits=-1': the allowed drop "
                              "cannot be negative.") +
                   tryHelp;
        QTest::newRow("budget for an unknown head")
            << QStringList{"--budget", "intent_logits=1,zzz=2"} << 2
            << QStringLiteral("nncompress: Budget names 'zzz', which is not an output of the "
                              "model (outputs: intent_logits, slot_logits).\n");
        QTest::newRow("missing teacher")
            << QStringList{"--teacher", "/nonexistent/t.onnx", "--student",
                           kDemo + "commands_student.onnx"}
            << 3 << QStringLiteral("nncompress: the teacher model '/nonexistent/t.onnx' does not "
                                   "exist.\n");
        QTest::newRow("missing fusion data")
            << QStringList{"--fusion-a", kDemo + "commands_intent.onnx", "--fusion-b",
                           kDemo + "commands_slots.onnx", "--fusion-data-b", "/nonexistent/b.json"}
            << 3
            << QStringLiteral("nncompress: the fusion data for model B '/nonexistent/b.json' "
                              "does not exist.\n");
        QTest::newRow("models that share no input")
            << QStringList{"--fusion-a", kDemo + "commands_intent.onnx", "--fusion-b",
                           kDemo + "fashion_cnn.onnx"}
            << 3
            << QStringLiteral("nncompress: cannot fuse '") + kDemo +
                   QStringLiteral("commands_intent.onnx' and '") + kDemo +
                   QStringLiteral("fashion_cnn.onnx': the models' inputs differ: model B has no "
                                  "input 'input_ids' (model A: input_ids, attention_mask; model "
                                  "B: image); fusion matches inputs by name.\n");
        QTest::newRow("distillation data that does not fit the student")
            << QStringList{"--teacher", kDemo + "commands_teacher.onnx", "--student",
                           kDemo + "fashion_cnn.onnx"}
            << 3
            << QStringLiteral("nncompress: cannot compare the teacher 'commands_teacher.onnx' "
                              "with the student 'fashion_cnn.onnx': data for the student: '") +
                   kDemo +
                   QStringLiteral("commands_val.json' names 'input_ids', which is not a model "
                                  "input; the inputs are image.\n");
    }

    void badSectionOptionsGiveTheExactErrorAndWriteNothing()
    {
        QFETCH(QStringList, extra);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        QTemporaryDir dir;
        const QString plan = dir.filePath("plan.json");
        CompressionPlan p = CompressionPlan::defaults();
        p.model = "commands_fused.onnx";
        QVERIFY(savePlan(p, plan.toStdString()));
        const QString out = dir.filePath("report.html");
        QProcess proc;
        proc.setProcessChannelMode(QProcess::SeparateChannels);
        proc.start(QStringLiteral(NNC_CLI_PATH),
                   QStringList{"report", kDemo + "commands_fused.onnx", "--data",
                               kDemo + "commands_val.json", "--plan", plan, "--out", out,
                               "--limit", "32", "--no-sensitivity", "--threads", "1"} +
                       extra);
        QVERIFY(proc.waitForFinished(180000));
        QCOMPARE(proc.exitCode(), exitCode);
        // Progress lines ("report: N%") may precede the error when the evaluation ran first.
        QStringList lines = QString::fromUtf8(proc.readAllStandardError())
                                .split(QLatin1Char('\n'), Qt::KeepEmptyParts);
        lines.removeIf([](const QString &l) { return l.startsWith(QString::fromUtf8("report: ")); });
        QCOMPARE(lines.join(QLatin1Char('\n')), message);
        QVERIFY(!QFile::exists(out));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList{"plan.json"});
    }

    void cliWritesEverySectionAndExitsFiveOverBudget()
    {
        QTemporaryDir dir;
        const QString plan = dir.filePath("plan.json");
        CompressionPlan p = CompressionPlan::defaults();
        p.model = "commands_fused.onnx";
        QVERIFY(savePlan(p, plan.toStdString()));
        const QString out = dir.filePath("report.html");
        QProcess proc;
        proc.start(QStringLiteral(NNC_CLI_PATH),
                   {"report", kDemo + "commands_fused.onnx", "--data", kDemo + "commands_val.json",
                    "--plan", plan, "--out", out, "--limit", "64", "--no-sensitivity",
                    "--threads", "1", "--lang", "zh_CN", "--fusion-a",
                    kDemo + "commands_intent.onnx", "--fusion-b", kDemo + "commands_slots.onnx",
                    "--backbone", "b", "--fusion-data-a", kDemo + "commands_val_intent.json",
                    "--teacher", kDemo + "commands_teacher.onnx", "--student",
                    kDemo + "commands_student.onnx", "--temperature", "2", "--budget",
                    "intent_logits=100,slot_logits=0"});
        QVERIFY(proc.waitForFinished(180000));
        const QString err = QString::fromUtf8(proc.readAllStandardError());
        // One verdict line per head; the exit code is 5 exactly when one of them fails.
        const QStringList verdicts =
            err.split(QLatin1Char('\n')).filter(QRegularExpression(QStringLiteral("^budget ")));
        QCOMPARE(verdicts.size(), 2);
        QVERIFY2(verdicts[0].startsWith(QString::fromUtf8("budget intent_logits: drop ")) &&
                     verdicts[0].endsWith(QString::fromUtf8(", allowed 100 pp: pass")),
                 qPrintable(err));
        const bool over = verdicts[1].endsWith(QString::fromUtf8(": FAIL"));
        QCOMPARE(proc.exitCode(), over ? 5 : 0);
        QFile f(out);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QString h = QString::fromUtf8(f.readAll());
        QVERIFY(h.contains(QString::fromUtf8("<h2 id=\"fusion\">网络融合</h2>")));
        QVERIFY(h.contains(QString::fromUtf8("data-nnc=\"fusion-backbone\" data-value=\"b\"")));
        QVERIFY(h.contains(QString::fromUtf8("<h2 id=\"distillation\">知识蒸馏</h2>")));
        QVERIFY(h.contains(QString::fromUtf8("data-nnc=\"distill-temperature\" data-value=\"2\"")));
        // Distillation data defaulted to --data, limited like the rest.
        QCOMPARE(cellValue(h, "data-nnc=\"distill-samples\"", 0), 64.0);
        QCOMPARE(h.count(QString::fromUtf8("data-nnc=\"budget\"")), 2);
        // Only model A's heads were previewed (no --fusion-data-b).
        QCOMPARE(h.count(QString::fromUtf8("data-nnc=\"fusion-head\"")), 1);
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden),
                 (QStringList{"plan.json", "report.html"}));
    }
};

QTEST_APPLESS_MAIN(TestReportSections)
#include "test_report_sections.moc"
