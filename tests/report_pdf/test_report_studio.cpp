// File > Export Report in the real main window carries the Fusion and Distillation pages' latest
// results and the project's accuracy budgets (the demo fused model open, both pages run on the
// demo NLP models).
#include "app/studio/eval_service.h"
#include "app/studio/language.h"
#include "app/studio/main_window.h"
#include "app/studio/project.h"
#include "tests/common/studio_test_main.h"
#include "widgets/distill_page.h"
#include "widgets/fusion_page.h"

#include <QFile>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using nnc::studio::MainWindow;

namespace {

const QString kDemo = QStringLiteral(NNC_SOURCE_DIR "/resources/demo/");

} // namespace

class TestReportStudio : public QObject
{
    Q_OBJECT

private slots:
    void exportedReportHasTheWorkbenchSectionsAndBudgets()
    {
        QSettings().clear();
        nnc::studio::applyLanguage(QStringLiteral("en"));
        MainWindow window;
        {
            QSignalSpy loaded(&window, &MainWindow::modelLoaded);
            QSignalSpy opened(window.evalService(), &nnc::studio::EvalService::opened);
            window.openModelWithData(kDemo + "commands_fused.onnx", kDemo + "commands_val.json");
            QVERIFY(QTest::qWaitFor([&] { return !loaded.isEmpty() && !opened.isEmpty(); },
                                    120000));
        }
        QTemporaryDir dir;
        // Without any page run or budget: no section.
        const QString plain = dir.filePath("plain.html");
        {
            QSignalSpy finished(&window, &MainWindow::exportFinished);
            window.startReportExport(plain);
            QVERIFY(QTest::qWaitFor([&] { return !finished.isEmpty(); }, 300000));
            QVERIFY2(finished.front().at(0).toBool(), qPrintable(finished.front().at(2).toString()));
        }
        QFile p(plain);
        QVERIFY(p.open(QIODevice::ReadOnly));
        const QString plainHtml = QString::fromUtf8(p.readAll());
        QVERIFY(!plainHtml.contains(QStringLiteral("id=\"fusion\"")));
        QVERIFY(!plainHtml.contains(QStringLiteral("id=\"distillation\"")));
        QVERIFY(!plainHtml.contains(QStringLiteral("data-nnc=\"budget\"")));

        auto *fusion = window.findChild<nnc::FusionPage *>();
        auto *distill = window.findChild<nnc::DistillPage *>();
        QVERIFY(fusion && distill);
        fusion->setModelA(kDemo + "commands_intent.onnx");
        fusion->setModelB(kDemo + "commands_slots.onnx");
        fusion->setDataA(kDemo + "commands_val_intent.json");
        fusion->setDataB(kDemo + "commands_val_slots.json");
        {
            QSignalSpy done(fusion, &nnc::FusionPage::finished);
            fusion->previewSharing();
            QVERIFY(QTest::qWaitFor([&] { return !done.isEmpty(); }, 300000));
            QVERIFY(done.front().at(0).toBool());
        }
        distill->setTeacher(kDemo + "commands_teacher.onnx");
        distill->setStudent(kDemo + "commands_student.onnx");
        distill->setData(kDemo + "commands_val.json");
        distill->setTemperature(2);
        {
            QSignalSpy done(distill, &nnc::DistillPage::finished);
            distill->run();
            QVERIFY(QTest::qWaitFor([&] { return !done.isEmpty(); }, 300000));
            QVERIFY(done.front().at(0).toBool());
        }
        QVERIFY(window.project()->setBudgets({{"intent_logits", 0.5}, {"slot_logits", 100.0}},
                                             QStringLiteral("budgets")));

        const QString path = dir.filePath("report.html");
        QSignalSpy finished(&window, &MainWindow::exportFinished);
        window.startReportExport(path);
        QVERIFY(QTest::qWaitFor([&] { return !finished.isEmpty(); }, 300000));
        QVERIFY2(finished.front().at(0).toBool(), qPrintable(finished.front().at(2).toString()));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QString html = QString::fromUtf8(f.readAll());
        QVERIFY(html.contains(QStringLiteral("<h2 id=\"fusion\">Network fusion</h2>")));
        QVERIFY(html.contains(QStringLiteral("commands_intent.onnx, heads previewed on "
                                             "commands_val_intent.json")));
        QCOMPARE(html.count(QStringLiteral("data-nnc=\"fusion-head\"")),
                 int(fusion->report()->heads.size()));
        QVERIFY(html.contains(QStringLiteral("<h2 id=\"distillation\">Knowledge distillation</h2>")));
        QVERIFY(html.contains(QStringLiteral("data-nnc=\"distill-temperature\" data-value=\"2\"")));
        QVERIFY(html.contains(QStringLiteral("commands_teacher.onnx")));
        QCOMPARE(html.count(QStringLiteral("data-nnc=\"budget\"")), 2);
        QVERIFY(html.contains(QStringLiteral("<tr data-output=\"slot_logits\" data-nnc=\"budget\" "
                                             "data-pass=\"1\">")));
    }
};

NNC_STUDIO_TEST_MAIN(TestReportStudio, "ReportStudioTest")

#include "test_report_studio.moc"
