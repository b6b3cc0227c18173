// PreviewPanel: auto-preview on the project's plan (debounced), figures equal to
// `nncompress eval`, only what changed recomputed, cancel, changed predictions shown as images
// and decoded text, and a window closed in the middle of a preview.
#include "app/studio/eval_service.h"
#include "app/studio/project.h"
#include "widgets/preview_panel.h"
#include "widgets/sample_view.h"

#include "core/plan/plan.h"
#include "tests/common/studio_test_main.h"
#include "tests/studio_preview/demo_eval.h"

#include "core/eval/budget.h"

#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QUndoStack>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QListWidget>
#include <QMainWindow>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace nnc;
using namespace nnc::studio;
using namespace nnc::test;

namespace {

/// `nncompress eval --budget` on the same plan: its JSON (exit code 5 when a head is over).
QJsonObject cliBudget(const QString &model, const QString &data, const CompressionPlan &p,
                      const QString &budget, int *exitCode)
{
    QTemporaryDir dir;
    const QString planPath = dir.path() + "/plan.json";
    if (auto r = savePlan(p, planPath.toStdString()); !r)
        qFatal("savePlan: %s", r.error().message.c_str());
    QProcess cli;
    cli.start(QStringLiteral(NNC_CLI_PATH), {"eval", kDemo + model, "--data", kDemo + data,
                                             "--plan", planPath, "--budget", budget, "--json"});
    if (!cli.waitForFinished(300000))
        qFatal("nncompress eval did not finish");
    *exitCode = cli.exitCode();
    return QJsonDocument::fromJson(cli.readAllStandardOutput()).object();
}

/// A project, an evaluator service opened on a demo and the panel, as the main window has them.
struct Fixture
{
    Project project;
    EvalService service;
    PreviewPanel panel{&project, &service};

    Fixture(const QString &model, const QString &data)
    {
        project.setModelPath(kDemo + model);
        project.setDataPath(kDemo + data);
        panel.resize(700, 900);
        panel.show();
        service.open(loadDemo(model), kDemo + data);
    }
};

/// With NNC_PREVIEW_SHOTS=folder set, saves what the panel looks like (for looking at it).
void shoot(QWidget &w, const QString &name)
{
    const QString dir = qEnvironmentVariable("NNC_PREVIEW_SHOTS");
    if (!dir.isEmpty())
        w.grab().save(dir + "/" + name + ".png");
}

QString cell(QTableWidget *t, int row, int col)
{
    return t->item(row, col) ? t->item(row, col)->text() : QString();
}

} // namespace

class TestPreviewPanel final : public QObject
{
    Q_OBJECT

private slots:
    void autoPreviewRunsOnOpenAndMatchesCli();
    void editsAreDebouncedIntoOnePreview();
    void onlyWhatChangedIsRecomputed();
    void autoPreviewOffWaitsForRun();
    void cancelStopsThePreview();
    void changedPredictionShowsTheImage();
    void changedPredictionShowsTheDecodedText();
    void closingTheWindowDuringAPreviewIsClean();
    void noDataSaysSo();
    void budgetVerdictsMatchCoreOnTheFusedModel();
};

void TestPreviewPanel::autoPreviewRunsOnOpenAndMatchesCli()
{
    Fixture f("fashion_cnn.onnx", "fashion_val.json");
    QVERIFY(f.panel.autoPreview());
    QSignalSpy shown(&f.panel, &PreviewPanel::previewShown);
    QVERIFY(shown.wait(120000));  // nobody pressed Run
    const QJsonObject cli = cliEval("fashion_cnn.onnx", "fashion_val.json", f.project.plan());
    const EvalResult &r = *f.panel.result();
    QCOMPARE(r.heads[0].compressed, cli["compressed"]["logits"]["accuracy"].toDouble());
    QCOMPARE(r.heads[0].baseline, cli["baseline"]["logits"]["accuracy"].toDouble());
    QCOMPARE(r.size.compressedBytes, cli["size_bytes"]["compressed"].toInteger());
    QCOMPARE(qsizetype(r.heads[0].changedSamples.size()),
             cli["changed_samples"]["logits"].toArray().size());
    // The table shows the same figures.
    QTableWidget *t = f.panel.headTable();
    QCOMPARE(t->rowCount(), 1);
    QCOMPARE(cell(t, 0, 0), QStringLiteral("logits"));
    const QLocale l;
    QCOMPARE(cell(t, 0, 2),
             l.toString(cli["baseline"]["logits"]["accuracy"].toDouble() * 100, 'f', 2) + " %");
    QCOMPARE(cell(t, 0, 3),
             l.toString(cli["compressed"]["logits"]["accuracy"].toDouble() * 100, 'f', 2) + " %");
    QVERIFY(cell(t, 0, 4).endsWith(" pp"));
    QCOMPARE(t->columnCount(), int(PreviewPanel::ColumnCount));
    QVERIFY(f.panel.sizeLabel()->text().contains(
        l.toString(cli["size_bytes"]["compressed"].toInteger())));
    QCOMPARE(f.panel.changedList()->count(), cli["changed_samples"]["logits"].toArray().size());
    QVERIFY(f.panel.estimatePlot()->pointCount() >= 1);
    QVERIFY(!f.panel.isStale());
}

void TestPreviewPanel::editsAreDebouncedIntoOnePreview()
{
    Fixture f("fashion_cnn.onnx", "fashion_val.json");
    QSignalSpy shown(&f.panel, &PreviewPanel::previewShown);
    QVERIFY(shown.wait(120000));
    QSignalSpy started(&f.service, &EvalService::previewStarted);
    // A burst of edits (a slider drag): each restarts the 300 ms debounce.
    for (int bits = 7; bits >= 3; --bits) {
        f.project.editPlan("bits",
                           [bits](CompressionPlan &p) { p.weightDefaults.spec.bits = bits; });
        QVERIFY(f.panel.isStale());
        // Events are delivered between edits, but no sleep: a loaded machine that stalls this
        // loop for 300 ms would otherwise let the debounce fire mid-burst.
        QCoreApplication::processEvents();
    }
    QVERIFY(shown.wait(120000));
    QTest::qWait(500);
    QCOMPARE(started.count(), 1);
    QCOMPARE(shown.count(), 2);
    QVERIFY(!f.panel.isStale());
    const QJsonObject cli = cliEval("fashion_cnn.onnx", "fashion_val.json", f.project.plan());
    QCOMPARE(f.panel.result()->heads[0].compressed,
             cli["compressed"]["logits"]["accuracy"].toDouble());
    // The next edit re-runs again.
    const double threeBit = f.panel.result()->heads[0].compressed;
    f.project.editPlan("bits", [](CompressionPlan &p) { p.weightDefaults.spec.bits = 2; });
    QVERIFY(shown.wait(120000));
    QVERIFY(f.panel.result()->heads[0].compressed != threeBit);
}

void TestPreviewPanel::onlyWhatChangedIsRecomputed()
{
    Fixture f("fashion_cnn.onnx", "fashion_val.json");
    QSignalSpy shown(&f.panel, &PreviewPanel::previewShown);
    QVERIFY(shown.wait(120000));
    const std::vector<Layer> layers = findLayers(*loadDemo("fashion_cnn.onnx"));
    const std::string last = layers.back().name;
    f.project.editPlan("last layer 4 bit",
                       [&](CompressionPlan &p) { p.layers[last].weights.bits = 4; });
    QVERIFY(shown.wait(120000));
    const EvalResult &r = *f.panel.result();
    QVERIFY(r.nodesRun < r.nodesFull);
    const QLocale l;
    QVERIFY2(f.panel.workLabel()->text().contains(l.toString(qlonglong(r.nodesRun)))
                 && f.panel.workLabel()->text().contains(l.toString(qlonglong(r.nodesFull))),
             qPrintable(f.panel.workLabel()->text()));
}

void TestPreviewPanel::autoPreviewOffWaitsForRun()
{
    Fixture f("fashion_mlp.onnx", "fashion_val.json");
    QSignalSpy shown(&f.panel, &PreviewPanel::previewShown);
    QVERIFY(shown.wait(120000));
    f.panel.autoPreviewBox()->setChecked(false);
    QSignalSpy started(&f.service, &EvalService::previewStarted);
    f.project.editPlan("bits", [](CompressionPlan &p) { p.weightDefaults.spec.bits = 4; });
    QTest::qWait(800);
    QCOMPARE(started.count(), 0);
    QVERIFY(f.panel.isStale());
    QTest::mouseClick(f.panel.runButton(), Qt::LeftButton);
    QVERIFY(shown.wait(120000));
    QCOMPARE(started.count(), 1);
    QVERIFY(!f.panel.isStale());
}

void TestPreviewPanel::cancelStopsThePreview()
{
    Project project;
    EvalService service;
    PreviewPanel panel(&project, &service);
    panel.setAutoPreview(false);
    service.open(loadDemo("fashion_cnn.onnx"), kDemo + "fashion_val.json",
                 EvalOptions{.batchSize = 4});
    QSignalSpy opened(&service, &EvalService::opened);
    QVERIFY(opened.wait(60000));
    QSignalSpy shown(&panel, &PreviewPanel::previewShown);
    QSignalSpy progress(&service, &EvalService::previewProgress);
    QSignalSpy cancelled(&service, &EvalService::previewCancelled);
    QTest::mouseClick(panel.runButton(), Qt::LeftButton);
    QVERIFY(progress.wait(60000));
    QVERIFY(panel.cancelButton()->isEnabled());
    QTest::mouseClick(panel.cancelButton(), Qt::LeftButton);
    QCOMPARE(cancelled.count(), 1);
    QVERIFY(!panel.cancelButton()->isEnabled());
    QVERIFY(panel.statusLabel()->text().contains("cancelled"));
    QTRY_VERIFY_WITH_TIMEOUT(!service.isBusy(), 60000);
    QTest::qWait(200);
    QCOMPARE(shown.count(), 0);
    QVERIFY(!panel.result());
}

void TestPreviewPanel::changedPredictionShowsTheImage()
{
    Fixture f("fashion_cnn.onnx", "fashion_val.json");
    QSignalSpy shown(&f.panel, &PreviewPanel::previewShown);
    QVERIFY(shown.wait(120000));
    f.project.editPlan("3 bit", [](CompressionPlan &p) { p.weightDefaults.spec.bits = 3; });
    QVERIFY(shown.wait(120000));
    QVERIFY(f.panel.changedList()->count() > 0);
    QSignalSpy sample(&f.panel, &PreviewPanel::sampleShown);
    f.panel.selectChangedSample(0);
    QVERIFY(sample.wait(60000));
    QCOMPARE(sample.at(0).at(0).toLongLong(), f.panel.result()->heads[0].changedSamples[0]);
    SampleView *view = f.panel.sampleView();
    QCOMPARE(view->image().size(), QSize(28, 28));
    QVERIFY(view->text().isEmpty());
    QTableWidget *t = view->predictionTable();
    QCOMPARE(t->rowCount(), 1);
    const QStringList classes = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                 "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"};
    for (int col = 1; col <= 3; ++col) {
        const QString name = cell(t, 0, col).section(" (", 0, 0);
        QVERIFY2(classes.contains(name), qPrintable(cell(t, 0, col)));
    }
    // A changed prediction: the float and compressed columns name different classes.
    QVERIFY(cell(t, 0, 2).section(" (", 0, 0) != cell(t, 0, 3).section(" (", 0, 0));
    QVERIFY(view->caption().contains(QString::number(sample.at(0).at(0).toLongLong())));
    shoot(f.panel, "preview_image_tall");
    f.panel.resize(1250, 300);
    QTest::qWait(100);
    shoot(f.panel, "preview_image_wide");
}

void TestPreviewPanel::changedPredictionShowsTheDecodedText()
{
    Fixture f("commands_fused.onnx", "commands_val.json");
    QSignalSpy shown(&f.panel, &PreviewPanel::previewShown);
    QVERIFY(shown.wait(120000));
    f.project.editPlan("2 bit", [](CompressionPlan &p) { p.weightDefaults.spec.bits = 2; });
    QVERIFY(shown.wait(120000));
    QCOMPARE(f.panel.headTable()->rowCount(), 2);
    QVERIFY(f.panel.changedList()->count() > 0);
    QSignalSpy sample(&f.panel, &PreviewPanel::sampleShown);
    f.panel.selectChangedSample(0);
    QVERIFY(sample.wait(60000));
    SampleView *view = f.panel.sampleView();
    QVERIFY(view->image().isNull());
    QVERIFY(!view->text().isEmpty());
    // The intent row plus one row per token of the slot head.
    QTableWidget *t = view->predictionTable();
    QVERIFY(t->rowCount() > 2);
    QCOMPARE(cell(t, 0, 0), QStringLiteral("intent_logits"));
    QVERIFY(cell(t, 1, 0).startsWith("slot_logits · "));
    shoot(f.panel, "preview_text_tall");
    f.panel.resize(1250, 300);
    QTest::qWait(100);
    shoot(f.panel, "preview_text_wide");
}

void TestPreviewPanel::closingTheWindowDuringAPreviewIsClean()
{
    // As in the main window: the service is created before the dock, so it dies first.
    auto *window = new QMainWindow;
    auto *project = new Project(window);
    auto *service = new EvalService(window);
    auto *panel = new PreviewPanel(project, service, window);
    window->setCentralWidget(panel);
    window->show();
    service->open(loadDemo("fashion_cnn.onnx"), kDemo + "fashion_val.json",
                  EvalOptions{.batchSize = 4});
    QSignalSpy progress(service, &EvalService::previewProgress);
    QVERIFY(progress.wait(120000));  // auto-preview is running
    panel->selectChangedSample(0);
    delete window;
    QTest::qWait(300);

    // And the other order: the panel goes first, the service keeps working.
    EvalService kept;
    Project p2;
    auto *early = new PreviewPanel(&p2, &kept);
    kept.open(loadDemo("fashion_mlp.onnx"), kDemo + "fashion_val.json");
    QSignalSpy started(&kept, &EvalService::previewStarted);
    QVERIFY(started.wait(120000));
    delete early;
    QTRY_VERIFY_WITH_TIMEOUT(!kept.isBusy(), 60000);
}

void TestPreviewPanel::noDataSaysSo()
{
    Project project;
    EvalService service;
    PreviewPanel panel(&project, &service);
    QVERIFY(panel.statusLabel()->text().contains("validation data"));
    QTest::mouseClick(panel.runButton(), Qt::LeftButton);
    QVERIFY(!panel.result());
    QVERIFY(!service.isBusy());
}

namespace {

/// The row of `output` in the head table, or -1.
int headRow(QTableWidget *t, const QString &output)
{
    for (int r = 0; r < t->rowCount(); ++r)
        if (cell(t, r, PreviewPanel::ColOutput) == output)
            return r;
    return -1;
}

/// The panel's verdict cells agree with core's judgeBudgets on the same result and budgets.
void checkVerdictsEqualCore(PreviewPanel &panel, const Project &project)
{
    const auto core = judgeBudgets(*panel.result(), project.budgets());
    QVERIFY(core);
    QCOMPARE(panel.judgement().verdicts.size(), core->size());
    QTableWidget *t = panel.headTable();
    for (const BudgetVerdict &v : *core) {
        const int row = headRow(t, QString::fromStdString(v.output));
        QVERIFY(row >= 0);
        QTableWidgetItem *item = t->item(row, PreviewPanel::ColVerdict);
        QVERIFY(!item->icon().isNull());
        QVERIFY2(item->text().startsWith(v.pass ? "within budget" : "over budget by"),
                 qPrintable(item->text()));
        // The colour says the same: green for a pass, red for a fail.
        const QColor bg = item->background().color();
        QVERIFY2(v.pass ? bg.green() > bg.red() : bg.red() > bg.green(), qPrintable(bg.name()));
    }
}

} // namespace

void TestPreviewPanel::budgetVerdictsMatchCoreOnTheFusedModel()
{
    Fixture f("commands_fused.onnx", "commands_val.json");
    QSignalSpy shown(&f.panel, &PreviewPanel::previewShown);
    QVERIFY(shown.wait(120000));
    f.project.editPlan("3 bit", [](CompressionPlan &p) { p.weightDefaults.spec.bits = 3; });
    QVERIFY(shown.wait(120000));
    QTableWidget *t = f.panel.headTable();
    const int intent = headRow(t, "intent_logits");
    const int slot = headRow(t, "slot_logits");
    QVERIFY(intent >= 0 && slot >= 0);
    const double slotDrop = -f.panel.result()->heads[std::size_t(slot)].deltaPp;
    const double intentDrop = -f.panel.result()->heads[std::size_t(intent)].deltaPp;
    // 3-bit weights cost slot F1 more than intent accuracy (the premise of the budgets below).
    QVERIFY2(slotDrop > 0.5 && intentDrop < 0.5,
             qPrintable(QString("slot %1 intent %2").arg(slotDrop).arg(intentDrop)));
    // No budgets yet: no verdicts, a hint.
    QVERIFY(f.panel.judgement().verdicts.empty());
    QCOMPARE(cell(t, slot, PreviewPanel::ColVerdict), QStringLiteral("no budget"));
    QVERIFY(f.panel.budgetSummaryLabel()->text().contains("No accuracy budgets"));

    QSignalSpy started(&f.service, &EvalService::previewStarted);
    const int steps = f.project.undoStack()->count();

    // Tight: 0.5 pp for every head, set with the default budget controls.
    f.panel.defaultBudgetBox()->setChecked(true);
    f.panel.defaultBudgetSpin()->setValue(0.5);
    QCOMPARE(f.project.ownBudget({}), std::optional<double>(0.5));
    checkVerdictsEqualCore(f.panel, f.project);
    QVERIFY(cell(t, slot, PreviewPanel::ColVerdict).startsWith("over budget by"));
    QVERIFY(cell(t, intent, PreviewPanel::ColVerdict).startsWith("within budget ("));
    QVERIFY(cell(t, slot, PreviewPanel::ColBudget).contains("default"));
    QVERIFY(f.panel.budgetSummaryLabel()->text().contains("Heads over budget: 1 of 2."));
    QVERIFY(f.panel.budgetVerdictLine().contains("Over budget: slot_logits"));
    // The CLI gives the same verdicts for the same plan and budget (and exit code 5).
    int exitCode = -1;
    const QJsonObject cli =
        cliBudget("commands_fused.onnx", "commands_val.json", f.project.plan(), "0.5", &exitCode);
    QCOMPARE(exitCode, 5);
    for (const BudgetVerdict &v : f.panel.judgement().verdicts) {
        const QJsonObject head = cli["budget"][QString::fromStdString(v.output)].toObject();
        QCOMPARE(head["pass"].toBool(), v.pass);
        QCOMPARE(head["max_drop_pp"].toDouble(), v.maxDropPp);
        QVERIFY(std::abs(head["drop_pp"].toDouble() - v.dropPp) < 1e-9);
    }
    shoot(f.panel, "preview_budget_tight");

    // Loose: the slot head gets its own budget through its Budget cell.
    // (As a user does: the cell's editor, a value typed, Enter.)
    t->editItem(t->item(slot, PreviewPanel::ColBudget));
    auto *editor = t->viewport()->findChild<QDoubleSpinBox *>();
    QVERIFY(editor);
    const double loose = std::ceil(slotDrop + 1.0);
    editor->selectAll();
    QTest::keyClicks(editor, QString::number(loose));
    QTest::keyClick(editor, Qt::Key_Return);
    QTRY_COMPARE(f.project.ownBudget("slot_logits"), std::optional<double>(loose));
    checkVerdictsEqualCore(f.panel, f.project);
    QVERIFY(cell(t, slot, PreviewPanel::ColVerdict).startsWith("within budget ("));
    QVERIFY(!cell(t, slot, PreviewPanel::ColBudget).contains("default"));
    QVERIFY(f.panel.budgetSummaryLabel()->text().contains("Heads within budget: 2 of 2."));
    QVERIFY(f.panel.budgetVerdictLine().contains("Within budget"));
    shoot(f.panel, "preview_budget_loose");

    // One undo step per edit (check box, spin box, cell); undo brings the verdict back.
    QCOMPARE(f.project.undoStack()->count(), steps + 3);
    f.project.undoStack()->undo();
    QVERIFY(cell(t, slot, PreviewPanel::ColVerdict).startsWith("over budget by"));
    f.project.undoStack()->undo();
    f.project.undoStack()->undo();
    QVERIFY(f.panel.judgement().verdicts.empty());
    QVERIFY(!f.panel.defaultBudgetBox()->isChecked());
    f.project.undoStack()->redo();
    QVERIFY(f.panel.defaultBudgetBox()->isChecked());

    // A budget for an output this model lacks: set aside with a message and a way to drop it.
    QVERIFY(f.project.setBudget("ner_logits", 0.1));
    QVERIFY(f.panel.budgetSummaryLabel()->text().contains("ner_logits"));
    QCOMPARE(f.panel.judgement().unknownOutputs, std::vector<std::string>{"ner_logits"});
    QCOMPARE(f.panel.judgement().verdicts.size(), std::size_t(2));
    emit f.panel.budgetSummaryLabel()->linkActivated("remove-unknown");
    QVERIFY(!f.project.ownBudget("ner_logits"));
    QVERIFY(!f.panel.budgetSummaryLabel()->text().contains("ner_logits"));

    // Budgets judge the figures shown: none of these edits ran an evaluation.
    QTest::qWait(500);
    QCOMPARE(started.count(), 0);
}

NNC_STUDIO_TEST_MAIN(TestPreviewPanel, "PreviewPanelTest")
#include "test_preview_panel.moc"
