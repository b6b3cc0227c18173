// The analysis views on the demo CNN through the real EvalService: the sensitivity view draws one
// bar per layer with the evaluator's own figures and a click selects the right layer; a run can
// be cancelled; the activation view shows the calibrators' proposals and adopting one is one undo
// step; the summary view shows the figures of an EvalResult without clipping them, and the
// fusion and distillation rows the figures of given workbench results (hidden when absent).
#include "app/studio/eval_service.h"
#include "app/studio/project.h"
#include "core/data/dataset.h"
#include "core/eval/budget.h"
#include "core/eval/activation_profile.h"
#include "core/model/onnx_reader.h"
#include "tests/common/model_fixture.h"
#include "tests/common/studio_test_main.h"
#include "widgets/activation_view.h"
#include "widgets/sensitivity_view.h"
#include "widgets/summary_view.h"

#include <QComboBox>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSignalSpy>
#include <QUndoStack>
#include <QtTest>

using namespace nnc;
using namespace nnc::studio;

namespace {

const char *kModel = NNC_SOURCE_DIR "/resources/demo/fashion_cnn.onnx";
const char *kData = NNC_SOURCE_DIR "/resources/demo/fashion_val.json";
constexpr int64_t kSamples = 400;
constexpr int kWaitMs = 120000;

std::shared_ptr<const Model> loadModel()
{
    return test::readModelShared(kModel);
}

EvalOptions options()
{
    EvalOptions o;
    o.batchSize = 50;
    o.limit = kSamples;
    return o;
}

/// An EvalService opened on the demo CNN and its first kSamples validation images.
bool openService(EvalService &service, const std::shared_ptr<const Model> &model)
{
    QSignalSpy opened(&service, &EvalService::opened);
    service.open(model, QString::fromUtf8(kData), options());
    return opened.wait(kWaitMs) || opened.count() > 0;
}

QStringList layerNames(const Model &model)
{
    QStringList names;
    for (const Layer &l : findLayers(model))
        names << QString::fromStdString(l.name);
    return names;
}

/// A labelled head's figures as the evaluator gives them (`deltaPp` as given, not derived).
HeadResult labelledHead(const std::string &output, const std::string &metric, double baseline,
                        double compressed, double deltaPp)
{
    HeadResult h;
    h.output = output;
    h.metric = metric;
    h.hasLabels = true;
    h.baseline = baseline;
    h.compressed = compressed;
    h.deltaPp = deltaPp;
    return h;
}

/// A result on `samples` samples with the given float and compressed sizes and heads.
EvalResult sizedResult(int64_t samples, int64_t floatBytes, int64_t compressedBytes,
                       std::vector<HeadResult> heads)
{
    EvalResult r;
    r.samples = samples;
    r.size.floatBytes = floatBytes;
    r.size.compressedBytes = compressedBytes;
    r.heads = std::move(heads);
    return r;
}

} // namespace

class TestStudioViews : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void sensitivityBarsMatchTheEvaluatorAndSelectLayers();
    void sensitivityMarksLayersBeyondTheBudget();
    void sensitivityRunCancels();
    void sensitivityNeedsDataAndASetting();
    void activationViewShowsProposalsAndAdoptsOne();
    void activationProposalsFollowTheSpec();
    void activationViewFollowsTheLatestLayer();
    void summaryShowsTheFiguresOfAResult();
    void summaryShowsBudgetVerdicts();
    void summaryFollowsThePreviewAndFitsTheWindow();
    void summaryShowsFusionAndDistillationRows();

private:
    std::shared_ptr<const Model> m_model;
};

void TestStudioViews::initTestCase()
{
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    m_model = loadModel();
}

void TestStudioViews::sensitivityBarsMatchTheEvaluatorAndSelectLayers()
{
    Project project;
    EvalService service;
    QVERIFY(openService(service, m_model));
    SensitivityView view(&project, &service);
    view.resize(1200, 700);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setSetting(4, std::nullopt);
    view.setGridEnabled(true);
    QVERIFY(view.runButton()->isEnabled());

    QSignalSpy finished(&view, &SensitivityView::sensitivityFinished);
    QVERIFY(view.run());
    QVERIFY(view.isRunning());
    QVERIFY(finished.wait(kWaitMs));
    QVERIFY(!view.isRunning());
    qInfo("sensitivity run (4 bits and the 2/3/4/6/8-bit grid, %lld samples): %.2f s",
          static_cast<long long>(kSamples), view.lastRunSeconds());

    const QStringList layers = layerNames(*m_model);
    QVERIFY(layers.size() >= 4);
    SensitivityBarPlot *bars = view.barPlot();
    QCOMPARE(bars->barCount(), layers.size());
    for (int i = 0; i < layers.size(); ++i)
        QCOMPARE(bars->barLayer(i), layers[i]);
    QCOMPARE(view.lastResult().rows.size(), std::size_t(layers.size()));
    QCOMPARE(view.gridPlot()->rowCount(), layers.size());
    QCOMPARE(view.gridPlot()->columnCount(), 5);

    // The bars are the evaluator's own figures for 4-bit weights.
    auto data = openDataset(kData, *m_model);
    QVERIFY(data);
    auto ev = Evaluator::create(m_model, std::move(*data), options());
    QVERIFY(ev);
    SensitivitySpec spec;
    spec.bits = {4};
    auto direct = (*ev)->sensitivity(spec);
    QVERIFY(direct);
    int nonZero = 0;
    for (const SensitivityRow &row : direct->rows) {
        const int i = layers.indexOf(QString::fromStdString(row.layer));
        QVERIFY(i >= 0);
        QCOMPARE(bars->barValue(i), row.deltaPp[0]);
        // 4 bits is one column of the grid (2, 3, 4, 6, 8).
        QCOMPARE(view.gridPlot()->cellValue(i, 2), row.deltaPp[0]);
        nonZero += row.deltaPp[0] != 0.0;
    }
    QVERIFY(nonZero > 0);

    // Clicking a bar or a cell activates its layer.
    QSignalSpy activated(&view, &SensitivityView::layerActivated);
    for (int i : {0, int(layers.size()) - 1, 1}) {
        QTest::mouseClick(bars->canvas(), Qt::LeftButton, {}, bars->barPosition(i));
        QCOMPARE(activated.count(), 1);
        QCOMPARE(activated.takeFirst().at(0).toString(), layers[i]);
    }
    SensitivityGridPlot *grid = view.gridPlot();
    QTest::mouseClick(grid->canvas(), Qt::LeftButton, {}, grid->cellPosition(2, 4));
    QCOMPARE(activated.count(), 1);
    QCOMPARE(activated.takeFirst().at(0).toString(), layers[2]);
    // A click between bars selects nothing.
    const QPoint a = bars->barPosition(0), b = bars->barPosition(1);
    QTest::mouseClick(bars->canvas(), Qt::LeftButton, {}, QPoint((a.x() + b.x()) / 2, a.y()));
    QCOMPARE(activated.count(), 0);
}

void TestStudioViews::sensitivityMarksLayersBeyondTheBudget()
{
    Project project;
    EvalService service;
    QVERIFY(openService(service, m_model));
    SensitivityView view(&project, &service);
    view.resize(1200, 700);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setSetting(2, std::nullopt);
    view.setGridEnabled(true);
    QSignalSpy finished(&view, &SensitivityView::sensitivityFinished);
    QVERIFY(view.run());
    QVERIFY(finished.wait(kWaitMs));
    SensitivityBarPlot *bars = view.barPlot();
    SensitivityGridPlot *grid = view.gridPlot();
    QCOMPARE(grid->columnCount(), 5);  // 2 bits is its first column
    // Budgets: the layers whose loss alone exceeds the head's budget are marked, bars and cells.
    QVERIFY(!bars->budget());
    QCOMPARE(bars->overBudgetCount(), 0);
    double worst = 0;
    for (int i = 0; i < bars->barCount(); ++i)
        worst = std::max(worst, -bars->barValue(i));
    QVERIFY2(worst > 0, "2-bit weights cost no layer any accuracy");
    const double budget = worst / 2;
    QVERIFY(project.setBudget({}, budget));
    QCOMPARE(bars->budget(), std::optional<double>(budget));
    int over = 0;
    for (int i = 0; i < bars->barCount(); ++i) {
        const bool beyond = -bars->barValue(i) > budget;
        QCOMPARE(bars->barOverBudget(i), beyond);
        QCOMPARE(grid->cellOverBudget(i, 0), beyond);
        over += beyond;
    }
    QVERIFY(over >= 1);
    QCOMPARE(bars->overBudgetCount(), over);
    if (const QString dir = qEnvironmentVariable("NNC_VIEWS_SHOTS"); !dir.isEmpty())
        view.grab().save(dir + QStringLiteral("/sensitivity_budget.png"));
    // The head's own budget wins over the default; a loose one marks nothing.
    QVERIFY(project.setBudget("logits", worst + 1.0));
    QCOMPARE(bars->overBudgetCount(), 0);
    project.undoStack()->undo();
    QCOMPARE(bars->overBudgetCount(), over);
    project.undoStack()->undo();
    QVERIFY(!bars->budget());
    QCOMPARE(bars->overBudgetCount(), 0);
}

void TestStudioViews::sensitivityRunCancels()
{
    Project project;
    EvalService service;
    QVERIFY(openService(service, m_model));
    SensitivityView view(&project, &service);
    view.setSetting(3, 0.5, 8);
    view.setGridEnabled(true);
    QSignalSpy finished(&view, &SensitivityView::sensitivityFinished);
    QSignalSpy ended(&service, &EvalService::jobEnded);
    QVERIFY(view.run());
    QTRY_VERIFY_WITH_TIMEOUT(view.progressBar()->value() > 0, kWaitMs);
    QVERIFY(view.cancelButton()->isEnabled());
    view.cancelButton()->click();
    QVERIFY(!view.isRunning());
    QCOMPARE(view.statusText(), QStringLiteral("Cancelled."));
    QTRY_VERIFY_WITH_TIMEOUT(!service.isBusy(QStringLiteral("sensitivity")), kWaitMs);
    QVERIFY(ended.count() >= 1);
    QCOMPARE(ended.last().at(1).toString(), QStringLiteral("sensitivity"));
    QCOMPARE(ended.last().at(2).toBool(), false);
    QCoreApplication::processEvents();
    QCOMPARE(finished.count(), 0);
    QCOMPARE(view.barPlot()->barCount(), 0);

    // The service is still usable: a second Run while one runs replaces it, and only the
    // newest answers.
    view.setSetting(2, std::nullopt);
    QVERIFY(view.run());
    view.setSetting(8, std::nullopt);
    view.setGridEnabled(false);
    QVERIFY(view.run());
    QVERIFY(view.isRunning());
    QVERIFY(finished.wait(kWaitMs));
    QTRY_VERIFY_WITH_TIMEOUT(!service.isBusy(), kWaitMs);
    QCoreApplication::processEvents();
    QCOMPARE(finished.count(), 1);
    QVERIFY(!view.isRunning());
    for (const SensitivityRow &row : view.lastResult().rows)
        QCOMPARE(row.bits.value_or(0), 8);
    QCOMPARE(view.barPlot()->barCount(), layerNames(*m_model).size());
    QCOMPARE(view.gridPlot()->rowCount(), 0);
}

void TestStudioViews::sensitivityNeedsDataAndASetting()
{
    Project project;
    EvalService service;   // never opened
    SensitivityView view(&project, &service);
    QVERIFY(!view.runButton()->isEnabled());
    QVERIFY(!view.run());
    QCOMPARE(view.statusText(), QStringLiteral("Open validation data to run a sensitivity analysis."));

    QVERIFY(openService(service, m_model));
    view.setSetting(std::nullopt, std::nullopt);
    QVERIFY(!view.runButton()->isEnabled());
    QVERIFY(!view.run());
    view.setSetting(std::nullopt, 0.5);
    QVERIFY(view.runButton()->isEnabled());

    // Pruning alone, with the grid: the bars are the pruned-only rows, the grid adds bits.
    view.setGridEnabled(true);
    QSignalSpy finished(&view, &SensitivityView::sensitivityFinished);
    QVERIFY(view.run());
    QVERIFY(finished.wait(kWaitMs));
    const QStringList layers = layerNames(*m_model);
    QCOMPARE(view.barPlot()->barCount(), layers.size());
    QCOMPARE(view.lastResult().rows.size(), std::size_t(layers.size()));
    for (const SensitivityRow &row : view.lastResult().rows) {
        QVERIFY(!row.bits);
        QCOMPARE(row.pruneRatio.value_or(0), 0.5);
    }
    QCOMPARE(view.gridPlot()->rowCount(), layers.size());
    for (const SensitivityRow &row : view.gridResult().rows) {
        QVERIFY(row.bits.has_value());
        QCOMPARE(row.pruneRatio.value_or(0), 0.5);
    }
}

void TestStudioViews::activationViewShowsProposalsAndAdoptsOne()
{
    Project project;
    project.setModelPath(QString::fromUtf8(kModel));
    EvalService service;
    QVERIFY(openService(service, m_model));
    ActivationView view(&project, &service);
    view.resize(1000, 600);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));

    const auto layers = findLayers(*m_model);
    const Layer &layer = layers.at(1);
    QSignalSpy shown(&view, &ActivationView::profileShown);
    view.setLayer(QString::fromStdString(layer.name));
    QVERIFY(shown.wait(kWaitMs));
    const std::string tensor = layer.activationInputs.at(0);
    QCOMPARE(view.tensor(), QString::fromStdString(tensor));
    const ActivationProfile *p = view.profile();
    QVERIFY(p);
    QCOMPARE(p->samples, kSamples);
    QCOMPARE(p->proposals.size(), std::size_t(4));
    QVERIFY(view.plotWidget()->hasData());

    // The proposals are the calibrators' answers on the same samples.
    auto session = Session::create(m_model);
    auto data = openDataset(kData, *m_model);
    QVERIFY(session && data);
    auto direct = profileActivations(*session, **data, std::vector<std::string>{tensor},
                                     project.plan(), 64, kSamples);
    QVERIFY(direct);
    for (std::size_t i = 0; i < 4; ++i) {
        QCOMPARE(p->proposals[i].range.rmin, direct->front().proposals[i].range.rmin);
        QCOMPARE(p->proposals[i].range.rmax, direct->front().proposals[i].range.rmax);
        QPushButton *b = view.proposalButton(static_cast<int>(i));
        QVERIFY(b && b->isEnabled());
        QVERIFY(!b->text().isEmpty());
    }

    // Clicking the entropy candidate line adopts it as one undo step.
    const CompressionPlan before = project.plan();
    const int steps = project.undoStack()->count();
    const Range entropy = p->proposals[2].range;
    ActivationPlot *plot = view.plotWidget();
    QTest::mouseClick(plot->canvas(), Qt::LeftButton, {}, plot->proposalPosition(2));
    QCOMPARE(project.undoStack()->count(), steps + 1);
    const QuantOverride &o = project.plan().activations.at(tensor);
    QCOMPARE(*o.rmin, entropy.rmin);
    QCOMPARE(*o.rmax, entropy.rmax);
    QVERIFY(project.plan().activationConfig(tensor).range.has_value());
    QVERIFY(view.statusText().contains(QStringLiteral("set in the plan")));
    project.undoStack()->undo();
    QVERIFY(project.plan() == before);

    // MinMax covers every value: nothing is clipped.
    view.proposalButton(0)->click();
    QVERIFY2(view.statusText().contains(QStringLiteral("clipped 0 %")), qPrintable(view.statusText()));
    project.undoStack()->undo();

    // The MSE button does the same with its own range.
    const Range mse = p->proposals[3].range;
    view.proposalButton(3)->click();
    QCOMPARE(project.undoStack()->count(), steps + 1);
    QCOMPARE(*project.plan().activations.at(tensor).rmax, mse.rmax);
    project.undoStack()->undo();
    QVERIFY(project.plan() == before);

    // A layer switch and back uses the cached statistics (no new job).
    view.setLayer(QString::fromStdString(layers.at(0).name));
    QVERIFY(shown.wait(kWaitMs));
    view.setLayer(QString::fromStdString(layer.name));
    QVERIFY(!view.isComputing());
    QCOMPARE(view.tensor(), QString::fromStdString(tensor));
}

void TestStudioViews::activationProposalsFollowTheSpec()
{
    Project project;
    EvalService service;
    QVERIFY(openService(service, m_model));
    ActivationView view(&project, &service);
    const auto layers = findLayers(*m_model);
    const std::string tensor = layers.at(2).activationInputs.at(0);
    QSignalSpy shown(&view, &ActivationView::profileShown);
    view.setLayer(QString::fromStdString(layers.at(2).name));
    QVERIFY(shown.wait(kWaitMs));
    QCOMPARE(view.plotWidget()->levelLineCount(), 0);   // 8 bits: levels not drawn
    const Range mse8 = view.profile()->proposals[3].range;

    // 3-bit activations: the calibrators answer again for that spec and 8 levels are drawn.
    project.editPlan(QStringLiteral("3 bits"), [&](CompressionPlan &plan) {
        plan.activations[tensor].bits = 3;
    });
    QTRY_VERIFY_WITH_TIMEOUT(view.profile() && view.profile()->spec.bits == 3, kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(view.plotWidget()->levelLineCount(), 8, kWaitMs);
    const ActivationProfile *p = view.profile();
    for (const CalibProposal &c : p->proposals) {
        const Range want = calibrate(p->histogram, c.config, p->spec);
        QCOMPARE(c.range.rmax, want.rmax);
        QCOMPARE(c.range.rmin, want.rmin);
    }
    QVERIFY(p->proposals[3].range.rmax != mse8.rmax);
}

void TestStudioViews::activationViewFollowsTheLatestLayer()
{
    Project project;
    EvalService service;
    ActivationView view(&project, &service);
    const auto layers = findLayers(*m_model);
    view.setLayer(QString::fromStdString(layers.at(0).name));
    QVERIFY(!view.isComputing());   // no data yet: nothing to compute
    QVERIFY(!view.plotWidget()->hasData());

    QSignalSpy shown(&view, &ActivationView::profileShown);
    QVERIFY(openService(service, m_model));
    // The data arrived: the view computes its layer, then a new selection arrives while the
    // next one is still computing; the view ends on the last one.
    QTRY_VERIFY_WITH_TIMEOUT(view.profile() != nullptr, kWaitMs);
    view.setLayer(QString::fromStdString(layers.at(3).name));
    QVERIFY(view.isComputing());
    view.setLayer(QString::fromStdString(layers.at(4).name));
    const QString want = QString::fromStdString(layers.at(4).activationInputs.at(0));
    QTRY_VERIFY_WITH_TIMEOUT(view.profile() && view.tensor() == want && !view.isComputing(), kWaitMs);
    QVERIFY(view.plotWidget()->hasData());
    QCOMPARE(shown.last().at(0).toString(), want);
}

void TestStudioViews::summaryShowsTheFiguresOfAResult()
{
    Project project;
    EvalService service;
    SummaryView view(&project, &service);
    view.resize(1280, 800);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QVERIFY(!view.hasResult());
    QCOMPARE(view.figureText(QStringLiteral("emptyMessage")),
             QStringLiteral("Open validation data to preview accuracy"));
    QCOMPARE(view.figureText(QStringLiteral("sizeFloat")), QString());

    EvalResult r = sizedResult(2000, 697000, 180000,
                               {labelledHead("intent_logits", "accuracy", 0.912, 0.905, -0.7),
                                labelledHead("slot_logits", "entity_f1", 0.88, 0.8925, 1.25)});
    r.withPlan = true;
    view.setResult(r);
    QVERIFY(view.hasResult());
    QCOMPARE(view.headCardCount(), 2);
    QCOMPARE(view.figureText(QStringLiteral("sizeFloat")), QStringLiteral("697.0 kB"));
    QCOMPARE(view.figureText(QStringLiteral("sizeCompressed")), QStringLiteral("180.0 kB"));
    QCOMPARE(view.figureText(QStringLiteral("ratio")), QStringLiteral("3.9×"));
    QCOMPARE(view.figureText(QStringLiteral("headBaseline0")), QStringLiteral("91.2 %"));
    QCOMPARE(view.figureText(QStringLiteral("headCompressed0")), QStringLiteral("90.5 %"));
    QCOMPARE(view.figureText(QStringLiteral("headDelta0")),
             QStringLiteral("−0.70 percentage points"));
    QCOMPARE(view.figureText(QStringLiteral("headDelta1")),
             QStringLiteral("+1.25 percentage points"));
    QCOMPARE(view.figureText(QStringLiteral("headCaption1")), QStringLiteral("Entity F1 · slot_logits"));
    QCOMPARE(view.figureText(QStringLiteral("subtitle")),
             QStringLiteral("Measured on 2,000 validation samples"));

    // Nothing clipped, large and growing with the window.
    auto check = [&](QSize size, int minValuePx) -> int {
        view.resize(size);
        QCoreApplication::processEvents();
        int valuePx = 0;
        QStringList clipped;
        for (FitLabel *l : view.findChildren<FitLabel *>()) {
            if (!l->isVisibleTo(&view) || l->text().isEmpty())
                continue;
            QFont f = l->font();
            f.setPixelSize(l->fittedPixelSize());
            const QFontMetrics fm(f);
            // The bold ones are drawn bold: measure as drawn, with a little slack for it.
            if (fm.horizontalAdvance(l->text()) > l->contentsRect().width()
                || fm.height() > l->contentsRect().height() + 1)
                clipped << l->objectName();
            else if (l->objectName() == QLatin1String("headCompressed0"))
                valuePx = l->fittedPixelSize();
        }
        [&] {
            QVERIFY2(clipped.isEmpty(), qPrintable(clipped.join(QLatin1Char(' '))));
            QVERIFY2(valuePx >= minValuePx, qPrintable(QString::number(valuePx)));
        }();
        return valuePx;
    };
    const int small = check({1280, 800}, 32);
    const int large = check({1920, 1080}, 40);
    QVERIFY(large > small);

    // A change too small for one decimal gets two, so before and after differ on screen.
    r.heads[0].compressed = 0.9115;
    r.heads[0].deltaPp = -0.05;
    view.setResult(r);
    QCOMPARE(view.figureText(QStringLiteral("headBaseline0")), QStringLiteral("91.20 %"));
    QCOMPARE(view.figureText(QStringLiteral("headCompressed0")), QStringLiteral("91.15 %"));

    view.clear();
    QVERIFY(!view.hasResult());
    QCOMPARE(view.figureText(QStringLiteral("headBaseline0")), QString());
}

void TestStudioViews::summaryShowsBudgetVerdicts()
{
    Project project;
    EvalService service;
    SummaryView view(&project, &service);
    view.resize(1280, 800);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    EvalResult r = sizedResult(1000, 471004, 52647,
                               {labelledHead("intent_logits", "accuracy", 0.99, 0.987, -0.3),
                                labelledHead("slot_logits", "entity_f1", 0.871, 0.856, -1.5)});
    r.withPlan = true;
    view.setResult(r);
    // No budgets: no verdict lines.
    QCOMPARE(view.budgetVerdictText(0), QString());
    QCOMPARE(view.budgetVerdictText(1), QString());

    // 1 pp for every head: intent within, slot over by 0.50; the same verdicts as core's.
    QVERIFY(project.setBudget({}, 1.0));
    const auto core = judgeBudgets(r, project.budgets());
    QVERIFY(core && core->size() == 2);
    QVERIFY((*core)[0].pass && !(*core)[1].pass);
    QCOMPARE(view.budgetVerdictText(0), QStringLiteral("✔ within budget (1.00 pp allowed)"));
    QCOMPARE(view.budgetVerdictText(1), QStringLiteral("✘ over budget by 0.50 pp (1.00 pp allowed)"));
    // Red for over, green for within, and drawn without clipping.
    auto *slotLine = view.findChild<FitLabel *>(QStringLiteral("headVerdict1"));
    auto *intentLine = view.findChild<FitLabel *>(QStringLiteral("headVerdict0"));
    QVERIFY(slotLine && intentLine);
    const QColor over = slotLine->palette().color(QPalette::WindowText);
    const QColor within = intentLine->palette().color(QPalette::WindowText);
    QVERIFY(over.red() > over.green() && within.green() > within.red());
    QCoreApplication::processEvents();
    QFont f = slotLine->font();
    f.setPixelSize(slotLine->fittedPixelSize());
    QVERIFY(QFontMetrics(f).horizontalAdvance(slotLine->text()) <= slotLine->contentsRect().width());
    QVERIFY(slotLine->fittedPixelSize() >= 12);
    if (const QString dir = qEnvironmentVariable("NNC_VIEWS_SHOTS"); !dir.isEmpty())
        view.grab().save(dir + QStringLiteral("/summary_budgets.png"));

    // The slot head's own, looser budget; undo brings the failure back.
    QVERIFY(project.setBudget("slot_logits", 2.0));
    QCOMPARE(view.budgetVerdictText(1), QStringLiteral("✔ within budget (2.00 pp allowed)"));
    project.undoStack()->undo();
    QVERIFY(view.budgetVerdictText(1).startsWith(QStringLiteral("✘ over budget")));
    // A budget for an output the model lacks changes nothing and breaks nothing.
    QVERIFY(project.setBudget("ner_logits", 0.1));
    QVERIFY(view.budgetVerdictText(0).startsWith(QStringLiteral("✔")));
    project.undoStack()->undo();
    project.undoStack()->undo();
    QCOMPARE(view.budgetVerdictText(1), QString());
}

void TestStudioViews::summaryFollowsThePreviewAndFitsTheWindow()
{
    Project project;
    EvalService service;
    SummaryView view(&project, &service);
    QVERIFY(openService(service, m_model));
    QCOMPARE(view.figureText(QStringLiteral("emptyMessage")),
             QStringLiteral("Run the accuracy preview to see the figures"));
    QSignalSpy finished(&service, &EvalService::previewFinished);
    service.preview(CompressionPlan::defaults());
    QVERIFY(finished.wait(kWaitMs));
    QVERIFY(view.hasResult());
    const auto result = finished.first().at(0).value<EvalResult>();
    QCOMPARE(view.headCardCount(), static_cast<int>(result.heads.size()));
    const int decimals = std::abs(result.heads[0].deltaPp) < 0.1 && result.heads[0].deltaPp != 0 ? 2 : 1;
    QCOMPARE(view.figureText(QStringLiteral("headCompressed0")),
             QLocale().toString(result.heads[0].compressed * 100, 'f', decimals) + QStringLiteral(" %"));
    QCOMPARE(view.figureText(QStringLiteral("sizeCompressed")),
             QLocale().formattedDataSize(result.size.compressedBytes, 1,
                                         QLocale::DataSizeSIFormat));
}

void TestStudioViews::summaryShowsFusionAndDistillationRows()
{
    Project project;
    EvalService service;
    QScrollArea scroll;
    scroll.setWidgetResizable(true);
    auto *view = new SummaryView(&project, &service);
    scroll.setWidget(view);
    scroll.resize(1280, 800);
    scroll.show();
    QVERIFY(QTest::qWaitForWindowExposed(&scroll));
    auto *fusionRow = view->findChild<QWidget *>(QStringLiteral("fusionSection"));
    auto *distillRow = view->findChild<QWidget *>(QStringLiteral("distillSection"));
    QVERIFY(fusionRow && distillRow);
    QVERIFY(!fusionRow->isVisibleTo(view));
    QVERIFY(!distillRow->isVisibleTo(view));
    QCOMPARE(view->figureText(QStringLiteral("fusionParamsFused")), QString());
    QCOMPARE(view->figureText(QStringLiteral("distillSizeStudent")), QString());

    FusionReport f;
    f.modelA = "/x/intent.onnx";
    f.modelB = "/x/slot.onnx";
    f.costA = {1200000, 4800000, 3000000, {}};
    f.costB = {1150000, 4600000, 2900000, {}};
    f.costFused = {1300000, 5200000, 3100000, {}};
    HeadPreview ha;
    ha.model = "A";
    ha.output = "intent_logits";
    ha.metric = "accuracy";
    ha.separate = 0.912;
    ha.fused = 0.905;
    ha.deltaPp = -0.7;
    HeadPreview hb = ha;
    hb.model = "B";
    hb.output = "slot_logits";
    hb.metric = "entity_f1";
    hb.separate = 0.88;
    hb.fused = 0.893;
    hb.deltaPp = 1.3;
    f.heads = {ha, hb};
    view->setFusionReport(f);
    QVERIFY(view->hasFusion());
    QVERIFY(fusionRow->isVisibleTo(view));
    QVERIFY(!distillRow->isVisibleTo(view));
    QCOMPARE(view->fusionCardCount(), 5);
    QCOMPARE(view->figureText(QStringLiteral("fusionTitle")),
             QStringLiteral("Network fusion: intent.onnx + slot.onnx sharing one backbone"));
    QCOMPARE(view->figureText(QStringLiteral("fusionParamsSeparate")), QStringLiteral("2.35 M"));
    QCOMPARE(view->figureText(QStringLiteral("fusionParamsFused")), QStringLiteral("1.30 M"));
    QCOMPARE(view->figureText(QStringLiteral("fusionParamsSaved")),
             QStringLiteral("44.7 % saved (1.05 M)"));
    QCOMPARE(view->figureText(QStringLiteral("fusionBytesSeparate")), QStringLiteral("9.4 MB"));
    QCOMPARE(view->figureText(QStringLiteral("fusionBytesFused")), QStringLiteral("5.2 MB"));
    QCOMPARE(view->figureText(QStringLiteral("fusionBytesSaved")),
             QStringLiteral("44.7 % saved (4.2 MB)"));
    QCOMPARE(view->figureText(QStringLiteral("fusionMacsSeparate")), QStringLiteral("5.90 M"));
    QCOMPARE(view->figureText(QStringLiteral("fusionMacsFused")), QStringLiteral("3.10 M"));
    QCOMPARE(view->figureText(QStringLiteral("fusionMacsSaved")),
             QStringLiteral("47.5 % saved (2.80 M)"));
    QCOMPARE(view->figureText(QStringLiteral("fusionHeadCaption0")),
             QStringLiteral("Accuracy · intent_logits (A)"));
    QCOMPARE(view->figureText(QStringLiteral("fusionHeadSeparate0")), QStringLiteral("91.2 %"));
    QCOMPARE(view->figureText(QStringLiteral("fusionHeadFused0")), QStringLiteral("90.5 %"));
    QCOMPARE(view->figureText(QStringLiteral("fusionHeadDelta0")),
             QStringLiteral("−0.70 percentage points"));
    QCOMPARE(view->figureText(QStringLiteral("fusionHeadCaption1")),
             QStringLiteral("Entity F1 · slot_logits (B)"));
    QCOMPARE(view->figureText(QStringLiteral("fusionHeadFused1")), QStringLiteral("89.3 %"));
    QCOMPARE(view->figureText(QStringLiteral("fusionHeadDelta1")),
             QStringLiteral("+1.30 percentage points"));

    // An analysis without a preview: the savings only, no head cards.
    FusionReport analysed = f;
    analysed.heads.clear();
    view->setFusionReport(analysed);
    QCOMPARE(view->fusionCardCount(), 3);
    QCOMPARE(view->figureText(QStringLiteral("fusionHeadFused0")), QString());
    view->setFusionReport(f);

    DistillReport d;
    d.samples = 500;
    d.batchSize = 64;
    d.teacherCost = {1000000, 4000000, 8000000, {}};
    d.studentCost = {250000, 1000000, 2000000, {}};
    d.teacherMsPerBatch = 12.0;
    d.studentMsPerBatch = 3.0;
    DistillHead dh;
    dh.output = "intent_logits";
    dh.metric = "accuracy";
    dh.hasLabels = true;
    dh.teacher = 0.95;
    dh.student = 0.93;
    d.heads = {dh};
    view->setDistillReport(d);
    QVERIFY(distillRow->isVisibleTo(view));
    QCOMPARE(view->distillCardCount(), 4);
    QCOMPARE(view->figureText(QStringLiteral("distillSizeTeacher")), QStringLiteral("4.0 MB"));
    QCOMPARE(view->figureText(QStringLiteral("distillSizeStudent")), QStringLiteral("1.0 MB"));
    QCOMPARE(view->figureText(QStringLiteral("distillSizeRatio")),
             QStringLiteral("4.0× smaller"));
    QCOMPARE(view->figureText(QStringLiteral("distillMacsTeacher")), QStringLiteral("8.00 M"));
    QCOMPARE(view->figureText(QStringLiteral("distillMacsStudent")), QStringLiteral("2.00 M"));
    QCOMPARE(view->figureText(QStringLiteral("distillMacsRatio")), QStringLiteral("4.0× fewer"));
    QCOMPARE(view->figureText(QStringLiteral("distillSpeed")), QStringLiteral("4.0× faster"));
    QCOMPARE(view->figureText(QStringLiteral("distillSpeedDetail")),
             QStringLiteral("12.0 → 3.0 ms per batch"));
    QCOMPARE(view->figureText(QStringLiteral("distillHeadCaption0")), QStringLiteral("Accuracy"));
    QCOMPARE(view->figureText(QStringLiteral("distillHeadTeacher0")), QStringLiteral("95.0 %"));
    QCOMPARE(view->figureText(QStringLiteral("distillHeadStudent0")), QStringLiteral("93.0 %"));
    QCOMPARE(view->figureText(QStringLiteral("distillHeadDelta0")),
             QStringLiteral("−2.00 percentage points"));
    // Not run under the plan: no plan card, no plan line.
    QCOMPARE(view->figureText(QStringLiteral("distillPlanCompressed")), QString());
    QCOMPARE(view->figureText(QStringLiteral("distillHeadPlan0")), QString());

    d.withPlan = true;
    d.planSize.floatBytes = 1000000;
    d.planSize.compressedBytes = 250000;
    d.heads[0].plan = 0.92;
    view->setDistillReport(d);
    QCOMPARE(view->distillCardCount(), 5);
    QCOMPARE(view->figureText(QStringLiteral("distillPlanFloat")), QStringLiteral("1.0 MB"));
    QCOMPARE(view->figureText(QStringLiteral("distillPlanCompressed")), QStringLiteral("250.0 kB"));
    QCOMPARE(view->figureText(QStringLiteral("distillPlanRatio")),
             QStringLiteral("16× smaller than the teacher"));
    QCOMPARE(view->figureText(QStringLiteral("distillHeadPlan0")),
             QStringLiteral("Under the plan: 92.0 % (−3.00 pp)"));

    // With the compression cards too: nothing clipped at either size, the rows' figures large,
    // and the page scrolls rather than squeezing them.
    const EvalResult r = sizedResult(
        2000, 697000, 180000, {labelledHead("intent_logits", "accuracy", 0.912, 0.905, -0.7)});
    view->setResult(r);
    // 960 x 600: about what the tab gets in a 1280 x 800 window beside the docks.
    for (const QSize size : {QSize(960, 600), QSize(1280, 800), QSize(1920, 1080)}) {
        scroll.resize(size);
        QCoreApplication::processEvents();
        QStringList clipped;
        int figurePx = 0;
        for (FitLabel *l : view->findChildren<FitLabel *>()) {
            if (!l->isVisibleTo(view) || l->text().isEmpty())
                continue;
            QFont font = l->font();
            font.setPixelSize(l->fittedPixelSize());
            font.setBold(l->isBold());
            const QFontMetrics fm(font);
            if (fm.horizontalAdvance(l->text()) > l->contentsRect().width()
                || fm.height() > l->contentsRect().height() + 1)
                clipped << l->objectName();
            if (l->objectName() == QLatin1String("fusionParamsFused"))
                figurePx = l->fittedPixelSize();
        }
        QVERIFY2(clipped.isEmpty(), qPrintable(clipped.join(QLatin1Char(' '))));
        QVERIFY2(figurePx >= size.height() / 30, qPrintable(QString::number(figurePx)));
        QVERIFY(view->height() > scroll.viewport()->height());
        QVERIFY(scroll.verticalScrollBar()->maximum() > 0);
        QVERIFY(distillRow->geometry().bottom() <= view->height());
    }

    view->clearFusion();
    QVERIFY(!fusionRow->isVisibleTo(view));
    QCOMPARE(view->figureText(QStringLiteral("fusionParamsFused")), QString());
    QVERIFY(view->hasDistill());
    view->clearDistill();
    QVERIFY(!distillRow->isVisibleTo(view));
    QCOMPARE(view->figureText(QStringLiteral("distillSpeed")), QString());
    QCOMPARE(view->figureText(QStringLiteral("sizeCompressed")), QStringLiteral("180.0 kB"));
}

NNC_STUDIO_TEST_MAIN(TestStudioViews, "StudioViewsTest")
#include "test_studio_views.moc"
