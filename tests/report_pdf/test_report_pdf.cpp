// The report as PDF: a valid PDF with the expected pages, fonts embedded (Chinese included),
// written atomically; and the Studio's headless --report-pdf command.
#include "app/studio/report_pdf.h"
#include "app/studio/studio_export.h"
#include "core/model/onnx_reader.h"
#include "core/plan/plan.h"
#include "tests/common/studio_test_main.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace nnc;

namespace {

const QString kDemo = QStringLiteral(NNC_SOURCE_DIR "/resources/demo/");

CompressionPlan samplePlan()
{
    CompressionPlan p = CompressionPlan::defaults();
    p.layers["/fc1/Gemm"].weights.bits = 4;
    p.layers["/conv2/Conv"].pruning.ratio = 0.5;
    return p;
}

/// Pages of a PDF as Qt's writer lays it out: one "/Type /Page" object per page.
int pageObjects(const QByteArray &pdf)
{
    static const QRegularExpression page(QStringLiteral("/Type\\s*/Page(?![s\\w])"));
    return int(QString::fromLatin1(pdf).count(page));
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

/// What one run of the Studio executable's headless command left: whether it finished in time,
/// its exit code and its standard error.
struct StudioRun
{
    bool finished = false;
    int exitCode = -1;
    QString err;
};

/// Runs the Studio executable with `args` on the offscreen platform; `runtimeDir` becomes its
/// XDG_RUNTIME_DIR (else Qt warns on stderr).
StudioRun runStudio(const QString &runtimeDir, const QStringList &args, int timeoutMs = 120000)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("QT_QPA_PLATFORM", "offscreen");
    env.insert("XDG_RUNTIME_DIR", runtimeDir);
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(NNC_STUDIO_PATH), args);
    StudioRun r;
    r.finished = p.waitForFinished(timeoutMs);
    r.exitCode = p.exitCode();
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

} // namespace

class TestReportPdf : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        auto model = readModel((kDemo + "fashion_cnn.onnx").toStdString());
        QVERIFY(model);
        ReportOptions o;
        o.limit = 256;
        o.created = "2026-01-02 03:04 UTC";
        auto d =
            buildReport(std::make_shared<const Model>(std::move(*model)),
                        (kDemo + "fashion_val.json").toStdString(), samplePlan(), "plan.json", o);
        QVERIFY2(d, d ? "" : d.error().message.c_str());
        m_data = std::move(*d);
    }

    void writesAValidPdfWithTheExpectedPages_data()
    {
        QTest::addColumn<QString>("lang");
        QTest::addColumn<QString>("font");
        QTest::newRow("en") << "en"
                            << "DejaVuSans";
        QTest::newRow("zh_CN") << "zh_CN"
                               << "WenQuanYi";
    }

    void writesAValidPdfWithTheExpectedPages()
    {
        QFETCH(QString, lang);
        QFETCH(QString, font);
        QTemporaryDir dir;
        const QString path = dir.filePath("report.pdf");
        auto pages = studio::writeReportPdf(m_data, *parseReportLanguage(lang.toStdString()), path);
        QVERIFY2(pages, pages ? "" : pages.error().message.c_str());
        // The demo CNN: summary with the layer table; histograms with the sensitivity chart.
        QCOMPARE(*pages, 2);
        const QByteArray pdf = readAll(path);
        QVERIFY(pdf.startsWith("%PDF-1."));
        QVERIFY(pdf.trimmed().endsWith("%%EOF"));
        QCOMPARE(pageObjects(pdf), *pages);
        QVERIFY(pdf.contains("/MediaBox [0 0 595")); // A4 width in points
        // Text is real text in an embedded font (a reader without the font still shows it).
        QVERIFY(pdf.contains("/FontFile2"));
        QVERIFY2(pdf.contains(font.toLatin1()), qPrintable(font));
        QVERIFY(pdf.size() < 1024 * 1024);
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList{"report.pdf"});
    }

    void textIsExtractableInBothLanguages()
    {
        // Copy-paste and search work only when the embedded fonts map glyphs back to text.
        const QString pdftotext = QStandardPaths::findExecutable(QStringLiteral("pdftotext"));
        if (pdftotext.isEmpty())
            QSKIP("pdftotext (poppler-utils) is not installed");
        for (ReportLanguage lang : {ReportLanguage::English, ReportLanguage::Chinese}) {
            QTemporaryDir dir;
            const QString path = dir.filePath("report.pdf");
            auto pages = studio::writeReportPdf(m_data, lang, path);
            QVERIFY(pages);
            QProcess p;
            p.start(pdftotext, {QStringLiteral("-layout"), path, QStringLiteral("-")});
            QVERIFY(p.waitForFinished(60000));
            const QString text = QString::fromUtf8(p.readAllStandardOutput());
            for (const char *key : {"title", "section_layers", "section_sensitivity"})
                QVERIFY2(text.contains(QString::fromStdString(reportText(key, lang))), key);
            QVERIFY(text.contains(QString::fromStdString(
                reportText("page", lang, {std::to_string(*pages), std::to_string(*pages)}))));
            QVERIFY(
                text.contains(QString::fromStdString(formatPercent(m_data.heads[0].compressed))));
        }
    }

    void layerTableContinuesOnMorePagesForLongModels()
    {
        // 120 layers do not fit a page: the table continues, every row is still there.
        ReportData big = m_data;
        big.layers.clear();
        for (int i = 0; i < 120; ++i) {
            ReportLayer l = m_data.layers[std::size_t(i % 5)];
            l.name = "/encoder/layers." + std::to_string(i) + "/self_attn/q_proj/MatMul";
            big.layers.push_back(l);
        }
        QTemporaryDir dir;
        auto pages = studio::writeReportPdf(big, ReportLanguage::English, dir.filePath("big.pdf"));
        QVERIFY(pages);
        QVERIFY(*pages >= 5);
        QCOMPARE(pageObjects(readAll(dir.filePath("big.pdf"))), *pages);
    }

    void unwritablePathLeavesNothing()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("missing/report.pdf");
        auto pages = studio::writeReportPdf(m_data, ReportLanguage::English, path);
        QVERIFY(!pages);
        QVERIFY2(pages.error().message.starts_with("cannot write '" + path.toStdString() + "'"),
                 pages.error().message.c_str());
        QVERIFY(QDir(dir.path()).isEmpty());
    }

    void headlessCommandWritesThePdf()
    {
        QTemporaryDir dir;
        const QString plan = dir.filePath("plan.json");
        QVERIFY(savePlan(samplePlan(), plan.toStdString()));
        const QString out = dir.filePath("report.pdf");
        const StudioRun r = runStudio(
            dir.path(), {"--report-pdf", out, "--model", kDemo + "fashion_cnn.onnx", "--data",
                         kDemo + "fashion_val.json", "--plan", plan, "--lang", "zh_CN", "--limit",
                         "128", "--no-sensitivity"});
        QVERIFY(r.finished);
        const QString &err = r.err;
        QVERIFY2(r.exitCode == 0, qPrintable(err));
        QVERIFY2(err.contains(QLatin1String("wrote ") + out + QLatin1String(" (2 pages, zh_CN)")),
                 qPrintable(err));
        const QByteArray pdf = readAll(out);
        QVERIFY(pdf.startsWith("%PDF-1."));
        QCOMPARE(pageObjects(pdf), 2);
    }

    void headlessCommandRefusesAPlanForAnotherModel()
    {
        QTemporaryDir dir;
        const QString plan = dir.filePath("plan.json");
        QVERIFY(savePlan(samplePlan(), plan.toStdString()));
        const QString out = dir.filePath("report.pdf");
        const StudioRun r =
            runStudio(dir.path(), {"--report-pdf", out, "--model", kDemo + "fashion_mlp.onnx",
                                   "--data", kDemo + "fashion_val.json", "--plan", plan});
        QVERIFY(r.finished);
        QCOMPARE(r.exitCode, 3);
        QCOMPARE(r.err,
                 QStringLiteral("nncompress-studio: the plan 'plan.json' does not fit the model "
                                "'fashion_mlp.onnx': $.layers./conv2/Conv: the model has no layer "
                                "named '/conv2/Conv'.\n"));
        QVERIFY(!QFile::exists(out));
    }


    void fusionDistillationAndBudgetsAreInThePdf()
    {
        const QString pdftotext = QStandardPaths::findExecutable(QStringLiteral("pdftotext"));
        if (pdftotext.isEmpty())
            QSKIP("pdftotext (poppler-utils) is not installed");
        auto model = readModel((kDemo + "commands_fused.onnx").toStdString());
        QVERIFY(model);
        ReportOptions o;
        o.limit = 128;
        o.sensitivity = false;
        o.threads = 1;
        CompressionPlan plan = CompressionPlan::defaults();
        auto d = buildReport(std::make_shared<const Model>(std::move(*model)),
                             (kDemo + "commands_val.json").toStdString(), plan, "fused.json", o);
        QVERIFY2(d, d ? "" : d.error().message.c_str());
        FusionRequest fr;
        fr.modelA = (kDemo + "commands_intent.onnx").toStdString();
        fr.modelB = (kDemo + "commands_slots.onnx").toStdString();
        fr.dataA = (kDemo + "commands_val_intent.json").toStdString();
        fr.dataB = (kDemo + "commands_val_slots.json").toStdString();
        fr.limit = 128;
        fr.threads = 1;
        auto f = buildReportFusion(fr);
        QVERIFY2(f, f ? "" : f.error().message.c_str());
        d->fusion = std::move(*f);
        DistillOptions dopt;
        dopt.limit = 128;
        dopt.threads = 1;
        auto dd = buildReportDistillation((kDemo + "commands_teacher.onnx").toStdString(),
                                          (kDemo + "commands_student.onnx").toStdString(),
                                          (kDemo + "commands_val.json").toStdString(), {}, dopt);
        QVERIFY2(dd, dd ? "" : dd.error().message.c_str());
        d->distillation = std::move(*dd);
        // A zero budget on every head, and a generous one on the intent head.
        auto budgets = parseBudgets("0,intent_logits=50");
        QVERIFY(budgets);
        QVERIFY(applyReportBudgets(*d, *budgets));
        QCOMPARE(d->budgets.size(), std::size_t(2));
        for (ReportLanguage lang : {ReportLanguage::English, ReportLanguage::Chinese}) {
            QTemporaryDir dir;
            const QString path = dir.filePath("report.pdf");
            auto pages = studio::writeReportPdf(*d, lang, path);
            QVERIFY(pages);
            QProcess p;
            p.start(pdftotext, {QStringLiteral("-layout"), path, QStringLiteral("-")});
            QVERIFY(p.waitForFinished(60000));
            // Words wrapped by the layout come back with line breaks: compare without spaces.
            QString text = QString::fromUtf8(p.readAllStandardOutput());
            text.remove(QRegularExpression(QStringLiteral("\\s+")));
            auto has = [&](const std::string &s) {
                return text.contains(QString::fromStdString(s).remove(QRegularExpression(QStringLiteral("\\s+"))));
            };
            for (const char *key :
                 {"section_fusion", "section_distill", "budgets_title", "fusion_cost_title",
                  "fusion_distances", "fusion_heads", "distill_heads", "distill_cost",
                  "legend_rel_l2", "col_teacher", "col_student", "budget_pass"})
                QVERIFY2(has(reportText(key, lang)), key);
            // Figures as core/fusion and core/distill gave them.
            const FusionReport &fu = d->fusion->result;
            QVERIFY(has(formatCount(fu.costFused.parameters)));
            QVERIFY(has(formatCount(fu.costA.macs + fu.costB.macs)));
            for (const HeadPreview &h : fu.heads)
                QVERIFY(has(formatSignedPp(h.deltaPp)));
            for (const WeightDistance &w : fu.weights)
                QVERIFY(has(reportDistanceText(w.relativeL2)));
            const DistillReport &di = d->distillation->result;
            QVERIFY(has(formatCount(di.teacherCost.parameters)));
            QVERIFY(has(formatCount(di.studentCost.macs)));
            for (const DistillHead &h : di.heads) {
                QVERIFY(has(formatPercent(h.teacher)));
                QVERIFY(has(formatPercent(h.student)));
                QVERIFY(has(formatReal(h.klDivergence, 4)));
            }
            // The budget verdicts in words; the headlines of both sections.
            const bool slotOver = !d->budgets[1].pass;
            QCOMPARE(has(reportText("budget_fail", lang)), slotOver);
            QVERIFY(has(reportFusionHeadline(*d->fusion, lang)));
            QVERIFY(has(reportDistillHeadline(*d->distillation, lang)));
            if (lang == ReportLanguage::Chinese)
                for (const char *english :
                     {"Networkfusion", "Knowledgedistillation", "Teacher", "Student",
                      "withinbudget", "overbudget", "Whatsharingsaves", "RelativeL2",
                      "Timeperbatch", "Storedsize", "Accuracyperclass"})
                    QVERIFY2(!text.contains(QLatin1String(english)), english);
        }
    }

    void headlessCommandTakesTheSectionOptions()
    {
        QTemporaryDir dir;
        CompressionPlan plan = CompressionPlan::defaults();
        const QString planPath = dir.filePath("plan.json");
        QVERIFY(savePlan(plan, planPath.toStdString()));
        const QString out = dir.filePath("report.pdf");
        const QStringList base = {"--report-pdf", out, "--model", kDemo + "commands_fused.onnx",
                                  "--data", kDemo + "commands_val.json", "--plan", planPath,
                                  "--limit", "64", "--no-sensitivity", "--threads", "1"};
        {
            const StudioRun r =
                runStudio(dir.path(), base + QStringList{"--fusion-a", kDemo + "commands_intent.onnx"});
            QVERIFY(r.finished);
            QCOMPARE(r.exitCode, 2);
            QCOMPARE(r.err,
                     QStringLiteral("nncompress-studio --report-pdf: --fusion-a and --fusion-b go "
                                    "together: give both models to fuse.\n"));
            QVERIFY(!QFile::exists(out));
        }
        {
            const StudioRun r =
                runStudio(dir.path(), base + QStringList{"--teacher", kDemo + "commands_teacher.onnx",
                                                         "--student", "/nonexistent/s.onnx"});
            QVERIFY(r.finished);
            QCOMPARE(r.exitCode, 3);
            QCOMPARE(r.err,
                     QStringLiteral("nncompress-studio: the student model '/nonexistent/s.onnx' "
                                    "does not exist.\n"));
            QVERIFY(!QFile::exists(out));
        }
        const StudioRun r = runStudio(
            dir.path(),
            base + QStringList{"--fusion-a", kDemo + "commands_intent.onnx", "--fusion-b",
                               kDemo + "commands_slots.onnx", "--teacher",
                               kDemo + "commands_teacher.onnx", "--student",
                               kDemo + "commands_student.onnx", "--budget", "100"},
            180000);
        QVERIFY(r.finished);
        const QString &err = r.err;
        QVERIFY2(r.exitCode == 0, qPrintable(err));
        QVERIFY2(err.contains(QLatin1String("budget intent_logits: drop ")), qPrintable(err));
        const QByteArray pdf = readAll(out);
        QVERIFY(pdf.startsWith("%PDF-1."));
        // Summary, fusion, distillation (its own page), layers and histograms, at least.
        QVERIFY(pageObjects(pdf) >= 4);
    }


    void studioReportTakesThePagesResultsAndTheProjectBudgets()
    {
        // What File > Export Report gathers: the workbench pages' results as they are (no model
        // runs again) and the project's budgets, those for outputs the model lacks left out.
        FusionRequest fr;
        fr.modelA = (kDemo + "commands_intent.onnx").toStdString();
        fr.modelB = (kDemo + "commands_slots.onnx").toStdString();
        fr.dataA = (kDemo + "commands_val_intent.json").toStdString();
        fr.limit = 64;
        fr.threads = 1;
        auto fusion = fuseModels(fr);
        QVERIFY(fusion);
        QVERIFY(fusion->fused);
        auto teacher = readModel((kDemo + "commands_teacher.onnx").toStdString());
        auto student = readModel((kDemo + "commands_student.onnx").toStdString());
        QVERIFY(teacher && student);
        DistillOptions dopt;
        dopt.limit = 64;
        dopt.threads = 1;
        const CompressionPlan plan = CompressionPlan::defaults();
        auto distill = compareDistill(std::make_shared<const Model>(std::move(*teacher)),
                                      std::make_shared<const Model>(std::move(*student)),
                                      (kDemo + "commands_val.json").toStdString(), &plan, dopt);
        QVERIFY(distill);

        studio::ReportExtras extras;
        extras.fusion = *fusion;
        extras.fusionDataA = fr.dataA.value();
        extras.distillation = *distill;
        extras.teacher = (kDemo + "commands_teacher.onnx").toStdString();
        extras.student = (kDemo + "commands_student.onnx").toStdString();
        extras.distillData = (kDemo + "commands_val.json").toStdString();
        extras.budgets = {{"intent_logits", 100.0}, {"no_such_output", 1.0}};
        auto model = readModel((kDemo + "commands_fused.onnx").toStdString());
        QVERIFY(model);
        ReportOptions o;
        o.limit = 64;
        o.sensitivity = false;
        o.threads = 1;
        auto d = studio::buildStudioReport(std::make_shared<const Model>(std::move(*model)),
                                           (kDemo + "commands_val.json").toStdString(), plan, "",
                                           o, extras, {});
        QVERIFY2(d, d ? "" : d.error().message.c_str());
        QVERIFY(d->fusion);
        QCOMPARE(d->fusion->modelA, std::string("commands_intent.onnx"));
        QCOMPARE(d->fusion->dataA, std::string("commands_val_intent.json"));
        QCOMPARE(d->fusion->dataB, std::string()); // B was not previewed
        QCOMPARE(d->fusion->result.costFused.parameters, fusion->costFused.parameters);
        QVERIFY(!d->fusion->result.fused);
        QVERIFY(d->distillation);
        QCOMPARE(d->distillation->teacherFile, std::string("commands_teacher.onnx"));
        QCOMPARE(d->distillation->planFile, std::string()); // the project's plan, in memory
        QCOMPARE(d->distillation->result.heads.size(), distill->heads.size());
        QCOMPARE(d->distillation->result.heads[0].student, distill->heads[0].student);
        QCOMPARE(d->budgets.size(), std::size_t(1));
        QCOMPARE(d->budgets[0].output, std::string("intent_logits"));
        QVERIFY(d->budgets[0].pass);
        const std::string html = renderReportHtml(*d, ReportLanguage::English);
        QVERIFY(html.find("current plan (not saved to a file)") != std::string::npos);
    }

private:
    ReportData m_data;
};

NNC_STUDIO_TEST_MAIN(TestReportPdf, "ReportPdfTest")

#include "test_report_pdf.moc"
