// The interactive Studio end to end: the demo opens with its data; bit width and range edits
// change the overlay and readouts; a simulated mouse drag of rmin edits the plan as one undo
// step; projects save and reopen; bad models, data and plans give dialogs and leave the window
// usable; the recovery file is offered after a crash; the drag's frame rate is measured.
#include "app/studio/eval_service.h"
#include "app/studio/language.h"
#include "app/studio/main_window.h"
#include "app/studio/project.h"
#include "app/studio/settings_dialog.h"
#include "tests/studio/tiny_onnx.h"
#include "widgets/channel_range_plot.h"
#include "widgets/grouped_bar_plot.h"
#include "widgets/histogram_plot.h"
#include "widgets/layer_settings_panel.h"
#include "widgets/layer_table_model.h"
#include "widgets/metric_name.h"
#include "widgets/weight_readout.h"
#include "widgets/weight_stats_panel.h"
#include "tests/common/studio_test_main.h"

#include <qcustomplot.h>

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QUndoStack>

#include <cmath>
#include <random>

using nnc::studio::FileKind;
using nnc::studio::MainWindow;

namespace {

QMessageBox *visibleMessageBox(const QString &objectName = {})
{
    for (QWidget *w : QApplication::topLevelWidgets())
        if (auto *box = qobject_cast<QMessageBox *>(w); box && box->isVisible())
            if (objectName.isEmpty() || box->objectName() == objectName)
                return box;
    return nullptr;
}

/// Y[1, n] = X[1, n] x W[n, n] with W ~ N(0, 0.05) (seeded): a layer of n * n weights.
QByteArray matmulModel(int n)
{
    using namespace tiny_onnx;
    std::mt19937 rng(42);
    std::normal_distribution<float> normal(0.0f, 0.05f);
    std::vector<float> w(static_cast<std::size_t>(n) * n);
    for (float &v : w)
        v = normal(rng);
    QByteArray graph;
    tagBytes(graph, 1, node("big", "MatMul", {"X", "W"}, "Y"));
    tagBytes(graph, 2, "big");
    tagBytes(graph, 5, floatTensor("W", {n, n}, w));
    tagBytes(graph, 11, valueInfo("X", {1, n}));
    tagBytes(graph, 12, valueInfo("Y", {1, n}));
    QByteArray opset;
    tagBytes(opset, 1, "");
    tagVarint(opset, 2, 13);
    QByteArray m;
    tagVarint(m, 1, 8);
    tagBytes(m, 7, graph);
    tagBytes(m, 8, opset);
    return m;
}

} // namespace

class TestStudioEditor : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void detectsFileKinds();
    void opensDemoWithItsData();
    void everyDemoIsListedInTheMenu();
    void fourBitsChangeOverlayAndSqnr();
    void draggingRminEditsPlanAsOneUndoStep();
    void settingsApplyToAllSelectedLayers();
    void resetLayerAndDefaults();
    void undoActionNamesTheStep();
    void modifiedMarkerAndClosePrompt();
    void savesAndReopensProject();
    void projectFormatIsStrict();
    void projectPathsAreRelativeNearTheProject();
    void corruptModelShowsDialogAndWindowStaysUsable();
    void dataThatDoesNotFitShowsDialog();
    void planForAnotherModelIsRefused();
    void recoveryIsOfferedAfterACrash();
    void previewFillsLayerTableWithHeatMap();
    void settingsDialogSavesChoices();
    void switchingToChineseTranslatesMenus();
    void dropsModelDataProjectAndPlan();
    void dragFrameRateOnAMillionWeights();
    void hugeLayerReadoutsComeFromAWorker();
    void zeroChannelStaysOutOfTheRange();
    void emptyPlotKeepsItsWidthAndPlaceholder();
    void metricNamesAreTranslated();

private:
    QString writeFile(const QString &name, const QByteArray &bytes);
    bool openDemo(MainWindow &w);
    void openAndWait(MainWindow &w, const QString &path);

    QTemporaryDir m_dir;
    QString m_tiny;
};

QString TestStudioEditor::writeFile(const QString &name, const QByteArray &bytes)
{
    const QString path = m_dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
        qFatal("cannot write %s", qPrintable(path));
    return path;
}

void TestStudioEditor::openAndWait(MainWindow &w, const QString &path)
{
    QSignalSpy loaded(&w, &MainWindow::modelLoaded);
    QSignalSpy failed(&w, &MainWindow::loadFailed);
    w.openFile(path);
    QTRY_VERIFY_WITH_TIMEOUT(loaded.count() + failed.count() > 0, 30000);
    QVERIFY2(failed.isEmpty(), qPrintable(path));
    QTRY_VERIFY_WITH_TIMEOUT(w.shownDetail() != nullptr, 20000);
}

bool TestStudioEditor::openDemo(MainWindow &w)
{
    QSignalSpy loaded(&w, &MainWindow::modelLoaded);
    QSignalSpy opened(w.evalService(), &nnc::studio::EvalService::opened);
    if (!w.openDefaultDemo())
        return false;
    if (!QTest::qWaitFor([&] { return !loaded.isEmpty() && !opened.isEmpty(); }, 60000))
        return false;
    return QTest::qWaitFor([&] { return w.shownDetail() != nullptr; }, 20000);
}

void TestStudioEditor::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_tiny = writeFile(QStringLiteral("tiny.onnx"), tiny_onnx::model());
    QVERIFY2(!nnc::studio::demoDirectory().isEmpty(), "resources/demo is not found");
}

void TestStudioEditor::init()
{
    QSettings().clear();
    nnc::studio::applyLanguage(QStringLiteral("en"));
}

void TestStudioEditor::cleanup()
{
    while (QMessageBox *box = visibleMessageBox())
        box->close();
    nnc::studio::applyLanguage(QStringLiteral("en"));
}

void TestStudioEditor::detectsFileKinds()
{
    const QString demo = nnc::studio::demoDirectory();
    QCOMPARE(nnc::studio::detectFileKind(m_tiny), FileKind::Model);
    QCOMPARE(nnc::studio::detectFileKind(demo + QStringLiteral("/fashion_val.json")), FileKind::Data);
    QCOMPARE(nnc::studio::detectFileKind(demo + QStringLiteral("/fashion_val.npz")), FileKind::Data);
    const QString plan = writeFile(QStringLiteral("kind_plan.json"),
                                   R"({"format": "nncompress-plan", "version": 1})");
    QCOMPARE(nnc::studio::detectFileKind(plan), FileKind::Plan);
    const QString project = writeFile(QStringLiteral("kind.json"),
                                      R"({"format": "nncompress-project", "version": 1})");
    QCOMPARE(nnc::studio::detectFileKind(project), FileKind::Project);
    QCOMPARE(nnc::studio::detectFileKind(m_dir.filePath(QStringLiteral("x.nncproj"))), FileKind::Project);
    QCOMPARE(nnc::studio::detectFileKind(writeFile(QStringLiteral("other.json"), "[1, 2]")),
             FileKind::Unknown);
}

void TestStudioEditor::opensDemoWithItsData()
{
    MainWindow w;
    QVERIFY(openDemo(w));
    QCOMPARE(QFileInfo(w.project()->modelPath()).fileName(), QStringLiteral("fashion_cnn.onnx"));
    QCOMPARE(QFileInfo(w.project()->dataPath()).fileName(), QStringLiteral("fashion_val.json"));
    QVERIFY(w.evalService()->isOpen());
    QCOMPARE(w.layerTable()->model()->rowCount(), 5);
    QVERIFY2(!w.project()->isModified(), "opening the demo is no edit");
    QVERIFY(!w.isWindowModified());
}

void TestStudioEditor::everyDemoIsListedInTheMenu()
{
    MainWindow w;
    const QList<nnc::studio::DemoEntry> demos = nnc::studio::loadDemos(nnc::studio::demoDirectory());
    QVERIFY(demos.size() >= 2);
    auto *menu = w.findChild<QMenu *>(QStringLiteral("menuDemo"));
    QVERIFY(menu);
    QCOMPARE(menu->actions().size(), demos.size());
    for (int i = 0; i < demos.size(); ++i)
        QCOMPARE(menu->actions()[i]->text(), demos[i].title);
    w.setLanguage(QStringLiteral("zh_CN"));
    for (int i = 0; i < demos.size(); ++i)
        QCOMPARE(menu->actions()[i]->text(), demos[i].titleZh);
    // Each entry opens its model with its data.
    QSignalSpy opened(w.evalService(), &nnc::studio::EvalService::opened);
    menu->actions()[1]->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(!opened.isEmpty(), 60000);
    QCOMPARE(QFileInfo(w.project()->modelPath()).fileName(),
             QFileInfo(demos[1].model).fileName());
    QCOMPARE(QFileInfo(w.project()->dataPath()).fileName(), QFileInfo(demos[1].data).fileName());
}

void TestStudioEditor::fourBitsChangeOverlayAndSqnr()
{
    MainWindow w;
    QVERIFY(openDemo(w));
    QVERIFY(w.selectLayer(QStringLiteral("/conv2/Conv")));
    QTRY_VERIFY(w.shownDetail() && w.shownDetail()->layer.name == "/conv2/Conv");
    // Per tensor, so the plot shows one grid of levels.
    auto *granularity = w.settingsPanel()->findChild<QComboBox *>(QStringLiteral("weightGranularity"));
    QVERIFY(granularity);
    granularity->setCurrentIndex(0);
    QCOMPARE(w.project()->plan().weightConfig("/conv2/Conv").granularity, nnc::Granularity::PerTensor);
    const double sqnr8 = w.readout().sqnrDb;
    const QString shown8 = w.statsPanel()->valueText(nnc::WeightStatsPanel::FSqnr);
    QVERIFY(w.histogramPlot()->overlay().showRange);
    QVERIFY2(w.histogramPlot()->overlay().levels.empty(), "8 bits: too many levels to draw");

    w.settingsPanel()->weightBitsBox()->setValue(4);
    QCOMPARE(w.project()->plan().weightConfig("/conv2/Conv").spec.bits, 4);
    QCOMPARE(w.project()->plan().weightConfig("/conv1/Conv").spec.bits, 8);
    // Restricted signed 4-bit: codes -7..7, fifteen levels drawn.
    QCOMPARE(static_cast<int>(w.histogramPlot()->overlay().levels.size()), 15);
    QVERIFY2(w.readout().sqnrDb < sqnr8 - 15, qPrintable(QString::number(w.readout().sqnrDb)));
    QVERIFY(w.statsPanel()->valueText(nnc::WeightStatsPanel::FSqnr) != shown8);
    QCOMPARE(w.readout().levelsTotal, 15);
    QVERIFY(w.readout().levelsUsed <= 15 && w.readout().levelsUsed >= 8);
    // The per-channel view shows the range of every channel (here one range for all).
    QCOMPARE(w.channelPlot()->quantRangeCount(), 32);
    // The table shows the new bit width.
    const int row = w.layerModel()->rowOf(QStringLiteral("/conv2/Conv"));
    QCOMPARE(w.layerModel()->index(row, nnc::LayerTableModel::ColWeightBits).data().toString(),
             QStringLiteral("4"));
}

void TestStudioEditor::draggingRminEditsPlanAsOneUndoStep()
{
    MainWindow w;
    w.resize(1280, 800);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QVERIFY(openDemo(w));
    QVERIFY(w.selectLayer(QStringLiteral("/fc1/Gemm")));
    QTRY_VERIFY(w.shownDetail() && w.shownDetail()->layer.name == "/fc1/Gemm");
    nnc::HistogramPlot *plot = w.histogramPlot();
    const nnc::CompressionPlan before = w.project()->plan();
    const int steps = w.project()->undoStack()->count();
    const double rmin0 = plot->overlay().rmin;
    const double clipped0 = w.readout().clippedShare;

    QWidget *canvas = plot->canvas();
    const int x0 = plot->linePixel(false);
    const int y = plot->plot()->axisRect()->rect().center().y();
    QTest::mousePress(canvas, Qt::LeftButton, {}, QPoint(x0, y));
    QVERIFY(plot->isDragging());
    for (int dx = 5; dx <= 60; dx += 5)
        QTest::mouseMove(canvas, QPoint(x0 + dx, y));
    QTest::mouseRelease(canvas, Qt::LeftButton, {}, QPoint(x0 + 60, y));
    QVERIFY(!plot->isDragging());

    const nnc::QuantConfig q = w.project()->plan().weightConfig("/fc1/Gemm");
    QVERIFY(q.range.has_value());
    QVERIFY2(q.range->rmin > rmin0, qPrintable(QStringLiteral("%1 -> %2").arg(rmin0).arg(q.range->rmin)));
    QCOMPARE(static_cast<double>(q.range->rmin), static_cast<double>(static_cast<float>(plot->overlay().rmin)));
    QVERIFY(w.readout().clippedShare > clipped0);
    // Symmetric scheme: the upper line moved in with the lower one.
    QCOMPARE(q.range->rmax, -q.range->rmin);
    QVERIFY(std::abs(w.settingsPanel()->weightMinBox()->value() - q.range->rmin) < 1e-6);
    QCOMPARE(w.project()->undoStack()->count(), steps + 1);

    w.project()->undoStack()->undo();
    QVERIFY(w.project()->plan() == before);
    QVERIFY(!w.project()->plan().weightConfig("/fc1/Gemm").range);
    QCOMPARE(plot->overlay().rmin, rmin0);

    // The view does not pan while a line is dragged, and does when the press is elsewhere.
    const QRectF view = plot->viewRange();
    QTest::mousePress(canvas, Qt::LeftButton, {}, QPoint(plot->linePixel(false), y));
    QTest::mouseMove(canvas, QPoint(plot->linePixel(false) + 30, y));
    QTest::mouseRelease(canvas, Qt::LeftButton, {}, QPoint(plot->linePixel(false), y));
    QCOMPARE(plot->viewRange(), view);
    // A second drag is a second step.
    QCOMPARE(w.project()->undoStack()->count(), steps + 1);
    QCOMPARE(w.project()->undoStack()->index(), steps + 1);
}

void TestStudioEditor::settingsApplyToAllSelectedLayers()
{
    MainWindow w;
    QVERIFY(openDemo(w));
    QTableView *table = w.layerTable();
    table->selectRow(w.layerModel()->rowOf(QStringLiteral("/conv1/Conv")));
    table->selectionModel()->select(
        table->model()->index(w.layerModel()->rowOf(QStringLiteral("/fc1/Gemm")), 0),
        QItemSelectionModel::Select | QItemSelectionModel::Rows);
    QCOMPARE(w.settingsPanel()->selection().size(), 2);
    w.settingsPanel()->weightBitsBox()->setValue(5);
    const nnc::CompressionPlan &plan = w.project()->plan();
    QCOMPARE(plan.weightConfig("/conv1/Conv").spec.bits, 5);
    QCOMPARE(plan.weightConfig("/fc1/Gemm").spec.bits, 5);
    QCOMPARE(plan.weightConfig("/conv2/Conv").spec.bits, 8);
    // The pruning slider: one undo step for the whole gesture.
    const int steps = w.project()->undoStack()->count();
    for (int v : {10, 20, 30})
        w.settingsPanel()->pruneSlider()->setValue(v);
    w.project()->endMerge();
    QCOMPARE(w.project()->undoStack()->count(), steps + 1);
    QCOMPARE(w.project()->plan().pruneConfig("/fc1/Gemm").spec.ratio, 0.30);
    QCOMPARE(w.project()->plan().pruneConfig("/conv1/Conv").spec.ratio, 0.30);
    // The pruned band appears on the histogram once the worker has pruned the weights.
    QTRY_VERIFY(w.histogramPlot()->overlay().pruneThreshold > 0);
    QTRY_VERIFY(std::abs(w.readout().sparsity - 0.30) < 0.01);
}

void TestStudioEditor::resetLayerAndDefaults()
{
    MainWindow w;
    QVERIFY(openDemo(w));
    QVERIFY(w.selectLayer(QStringLiteral("/conv3/Conv")));
    QTRY_VERIFY(w.shownDetail() && w.shownDetail()->layer.name == "/conv3/Conv");
    w.settingsPanel()->weightBitsBox()->setValue(3);
    QVERIFY(w.project()->plan().layers.count("/conv3/Conv"));
    auto *reset = w.settingsPanel()->findChild<QPushButton *>(QStringLiteral("resetLayer"));
    QVERIFY(reset);
    reset->click();
    QVERIFY(!w.project()->plan().layers.count("/conv3/Conv"));
    QCOMPARE(w.settingsPanel()->weightBitsBox()->value(), 8);
    // An activation range is calibrated on data until set by hand; then it starts at [0, 1].
    auto *actMin = w.settingsPanel()->findChild<QDoubleSpinBox *>(QStringLiteral("activationMin"));
    QVERIFY(actMin);
    QCOMPARE(actMin->text(), QStringLiteral("calibrated"));
    auto *actManual = w.settingsPanel()->findChild<QCheckBox *>(QStringLiteral("activationManualRange"));
    QVERIFY(actManual);
    actManual->setChecked(true);
    const std::string input = w.shownDetail()->layer.activationInputs.at(0);
    const nnc::QuantConfig aq = w.project()->plan().activationConfig(input);
    QVERIFY(aq.range.has_value());
    QCOMPARE(aq.range->rmin, 0.0f);
    QCOMPARE(aq.range->rmax, 1.0f);
    reset->click();
    QVERIFY(!w.project()->plan().activationConfig(input).range);
    // Model-wide defaults: every layer without its own setting follows.
    w.settingsPanel()->setEditsDefaults(true);
    w.settingsPanel()->weightBitsBox()->setValue(6);
    QCOMPARE(w.project()->plan().weightDefaults.spec.bits, 6);
    QCOMPARE(w.project()->plan().weightConfig("/fc2/Gemm").spec.bits, 6);
    QVERIFY(w.project()->plan().layers.empty());
}

void TestStudioEditor::undoActionNamesTheStep()
{
    MainWindow w;
    QVERIFY(openDemo(w));
    QVERIFY(!w.undoAction()->isEnabled());
    w.settingsPanel()->weightBitsBox()->setValue(6);
    QVERIFY(w.undoAction()->isEnabled());
    QVERIFY2(w.undoAction()->text().contains(QStringLiteral("Set weight bits to 6")),
             qPrintable(w.undoAction()->text()));
    w.undoAction()->trigger();
    QCOMPARE(w.project()->plan().weightConfig("/conv1/Conv").spec.bits, 8);
    QVERIFY(w.redoAction()->isEnabled());
    QVERIFY(w.redoAction()->text().contains(QStringLiteral("Set weight bits to 6")));
    w.redoAction()->trigger();
    QCOMPARE(w.project()->plan().weightConfig("/conv1/Conv").spec.bits, 6);
}

void TestStudioEditor::modifiedMarkerAndClosePrompt()
{
    MainWindow w;
    w.show();
    QVERIFY(openDemo(w));
    QVERIFY(w.windowTitle().contains(QStringLiteral("[*]")));
    QVERIFY(!w.isWindowModified());
    w.settingsPanel()->weightBitsBox()->setValue(7);
    QVERIFY(w.isWindowModified());

    // Cancel keeps the window open...
    QTimer::singleShot(200, [] {
        if (QMessageBox *box = visibleMessageBox(QStringLiteral("saveChangesBox")))
            box->button(QMessageBox::Cancel)->click();
    });
    QVERIFY(!w.close());
    QVERIFY(w.isVisible());
    // ...Discard closes it.
    QTimer::singleShot(200, [] {
        if (QMessageBox *box = visibleMessageBox(QStringLiteral("saveChangesBox")))
            box->button(QMessageBox::Discard)->click();
    });
    QVERIFY(w.close());
}

void TestStudioEditor::savesAndReopensProject()
{
    const QString path = m_dir.filePath(QStringLiteral("saved.nncproj"));
    nnc::CompressionPlan saved;
    {
        MainWindow w;
        QVERIFY(openDemo(w));
        QVERIFY(w.selectLayer(QStringLiteral("/fc1/Gemm")));
        QTRY_VERIFY(w.shownDetail() && w.shownDetail()->layer.name == "/fc1/Gemm");
        w.settingsPanel()->weightBitsBox()->setValue(5);
        const std::string input = w.shownDetail()->layer.activationInputs.at(0);
        w.project()->editPlan(QStringLiteral("range"), [input](nnc::CompressionPlan &p) {
            p.layers["/fc1/Gemm"].weights.rmin = -0.125f;
            p.layers["/fc1/Gemm"].weights.rmax = 0.25f;
            p.activations[input].bits = 6;
        });
        w.perChannelAction()->setChecked(true);
        QVERIFY(w.isWindowModified());
        QVERIFY(w.saveProjectAs(path));
        QVERIFY(!w.isWindowModified());
        QCOMPARE(w.project()->filePath(), path);
        QVERIFY(w.windowTitle().startsWith(QStringLiteral("saved.nncproj")));
        saved = w.project()->plan();
    }
    // Paths are stored relative to the project when the model is near it, absolute otherwise.
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonObject root = QJsonDocument::fromJson(file.readAll()).object();
    QCOMPARE(root.value(QStringLiteral("format")).toString(), QStringLiteral("nncompress-project"));
    QVERIFY(QFileInfo(root.value(QStringLiteral("model")).toString()).fileName() ==
            QStringLiteral("fashion_cnn.onnx"));

    MainWindow w;
    openAndWait(w, path);
    QVERIFY(w.project()->plan() == saved);
    QCOMPARE(w.currentLayerName(), QStringLiteral("/fc1/Gemm"));
    QVERIFY(w.perChannelAction()->isChecked());
    QTRY_VERIFY_WITH_TIMEOUT(w.evalService()->isOpen(), 60000);
    QCOMPARE(QFileInfo(w.project()->dataPath()).fileName(), QStringLiteral("fashion_val.json"));
    QVERIFY(!w.project()->isModified());
    QCOMPARE(w.project()->undoStack()->count(), 0);
    QCOMPARE(w.settingsPanel()->weightBitsBox()->value(), 5);
    QCOMPARE(w.histogramPlot()->overlay().rmin, -0.125);
    QCOMPARE(w.histogramPlot()->overlay().rmax, 0.25);
    QVERIFY(w.recentFiles().contains(path));
}

void TestStudioEditor::projectFormatIsStrict()
{
    struct Case { const char *name; QByteArray text; QString expected; };
    const QList<Case> cases = {
        {"notjson.nncproj", "{", QStringLiteral("is not valid JSON")},
        {"format.nncproj", R"({"format": "x", "version": 1, "plan": {}})",
         QStringLiteral("$.format must be \"nncompress-project\"")},
        {"version.nncproj", R"({"format": "nncompress-project", "version": 3, "plan": {}})",
         QStringLiteral("$.version 3 is not supported")},
        {"unknown.nncproj",
         R"({"format": "nncompress-project", "version": 1, "plan": {}, "extra": 1})",
         QStringLiteral("$.extra is not a project field")},
        {"plan.nncproj",
         R"({"format": "nncompress-project", "version": 1, "model": "m.onnx", "plan": {"format": "nncompress-plan", "version": 1, "layers": {"a": {"weights": {"bits": 17}}}}})",
         QStringLiteral("$.plan.layers.a.weights.bits")},
    };
    for (const Case &c : cases) {
        nnc::studio::Project p;
        auto r = p.open(writeFile(QString::fromLatin1(c.name), c.text));
        QVERIFY2(!r, c.name);
        QVERIFY2(QString::fromStdString(r.error().message).contains(c.expected),
                 qPrintable(QString::fromStdString(r.error().message)));
        QVERIFY(p.modelPath().isEmpty());
    }
    // A bad project in the window: a dialog, and the open document is untouched.
    MainWindow w;
    openAndWait(w, m_tiny);
    QSignalSpy errors(&w, &MainWindow::errorShown);
    w.openFile(m_dir.filePath(QStringLiteral("version.nncproj")));
    QCOMPARE(errors.count(), 1);
    QVERIFY(visibleMessageBox(QStringLiteral("loadErrorBox")));
    QCOMPARE(w.layerTable()->model()->rowCount(), 2);
}

void TestStudioEditor::projectPathsAreRelativeNearTheProject()
{
    QTemporaryDir dir;
    QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("models/v1")));
    QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("projects")));
    const QString model = dir.filePath(QStringLiteral("models/v1/m.onnx"));
    const QString data = dir.filePath(QStringLiteral("projects/val.npz"));
    nnc::studio::Project p;
    p.setModelPath(model);
    p.setDataPath(data);
    QVERIFY(p.isModified());
    const QString path = dir.filePath(QStringLiteral("projects/p.nncproj"));
    QVERIFY(p.save(path).has_value());
    QVERIFY(!p.isModified());
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QJsonObject root = QJsonDocument::fromJson(f.readAll()).object();
    QCOMPARE(root.value(QStringLiteral("model")).toString(), QStringLiteral("../models/v1/m.onnx"));
    QCOMPARE(root.value(QStringLiteral("data")).toString(), QStringLiteral("val.npz"));
    // Moved together, the project still finds its files.
    const QString moved = dir.path() + QStringLiteral("-moved");
    QVERIFY(QDir().rename(dir.path(), moved));
    nnc::studio::Project q;
    QVERIFY(q.open(moved + QStringLiteral("/projects/p.nncproj")).has_value());
    QCOMPARE(q.modelPath(), moved + QStringLiteral("/models/v1/m.onnx"));
    QCOMPARE(q.dataPath(), moved + QStringLiteral("/projects/val.npz"));
    QVERIFY(QDir(moved).removeRecursively());
    // Far away files stay absolute.
    nnc::studio::Project far;
    far.setModelPath(QStringLiteral("/usr/share/x/y/z/m.onnx"));
    QVERIFY(QDir().mkpath(m_dir.filePath(QStringLiteral("a/b/c"))));
    QVERIFY(far.save(m_dir.filePath(QStringLiteral("a/b/c/far.nncproj"))).has_value());
    QFile g(m_dir.filePath(QStringLiteral("a/b/c/far.nncproj")));
    QVERIFY(g.open(QIODevice::ReadOnly));
    QCOMPARE(QJsonDocument::fromJson(g.readAll()).object().value(QStringLiteral("model")).toString(),
             QStringLiteral("/usr/share/x/y/z/m.onnx"));
    // Two folders up, but only through the root: /tmp/x/p.nncproj and /usr/m.onnx share nothing.
    const QString shallow = QStringLiteral("/tmp/nnc-studio-test-%1").arg(QCoreApplication::applicationPid());
    QVERIFY(QDir().mkpath(shallow));
    nnc::studio::Project rootOnly;
    rootOnly.setModelPath(QStringLiteral("/usr/m.onnx"));
    QVERIFY(rootOnly.save(shallow + QStringLiteral("/p.nncproj")).has_value());
    QFile h(shallow + QStringLiteral("/p.nncproj"));
    QVERIFY(h.open(QIODevice::ReadOnly));
    const QString stored = QJsonDocument::fromJson(h.readAll()).object().value(QStringLiteral("model")).toString();
    h.close();
    QVERIFY(QDir(shallow).removeRecursively());
    QCOMPARE(stored, QStringLiteral("/usr/m.onnx"));
}

void TestStudioEditor::corruptModelShowsDialogAndWindowStaysUsable()
{
    MainWindow w;
    QVERIFY(openDemo(w));
    w.settingsPanel()->weightBitsBox()->setValue(4);
    const nnc::CompressionPlan edited = w.project()->plan();
    QByteArray bytes = tiny_onnx::model();
    bytes.truncate(bytes.size() / 2);
    const QString corrupt = writeFile(QStringLiteral("corrupt.onnx"), bytes);
    // The edit is unsaved: answer the prompt with Discard, as a user opening another model would.
    QTimer::singleShot(200, [] {
        if (QMessageBox *box = visibleMessageBox(QStringLiteral("saveChangesBox")))
            box->button(QMessageBox::Discard)->click();
    });
    QSignalSpy failed(&w, &MainWindow::loadFailed);
    w.openFile(corrupt);
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 20000);
    QMessageBox *box = visibleMessageBox(QStringLiteral("loadErrorBox"));
    QVERIFY(box);
    QVERIFY2(box->informativeText().contains(QStringLiteral("truncated")) ||
                 box->informativeText().contains(QStringLiteral("corrupt.onnx")),
             qPrintable(box->informativeText()));
    box->close();
    // Nothing lost: the demo, its plan and its data are still there and still editable.
    QCOMPARE(w.layerTable()->model()->rowCount(), 5);
    QVERIFY(w.project()->plan() == edited);
    QVERIFY(w.evalService()->isOpen());
    w.settingsPanel()->weightBitsBox()->setValue(3);
    QCOMPARE(w.project()->plan().weightConfig("/conv1/Conv").spec.bits, 3);
}

void TestStudioEditor::dataThatDoesNotFitShowsDialog()
{
    MainWindow w;
    QVERIFY(openDemo(w));
    QSignalSpy errors(&w, &MainWindow::errorShown);
    QSignalSpy failed(w.evalService(), &nnc::studio::EvalService::openFailed);
    // The NLP demo's data has token ids, not images.
    w.openFile(nnc::studio::demoDirectory() + QStringLiteral("/commands_val.json"));
    QTRY_VERIFY_WITH_TIMEOUT(!failed.isEmpty(), 60000);
    QCOMPARE(errors.count(), 1);
    QVERIFY(!errors.first().at(1).toString().isEmpty());
    QVERIFY(visibleMessageBox(QStringLiteral("loadErrorBox")));
    // The data that fits comes back.
    QTRY_VERIFY_WITH_TIMEOUT(w.evalService()->isOpen(), 60000);
    QCOMPARE(QFileInfo(w.project()->dataPath()).fileName(), QStringLiteral("fashion_val.json"));
    QCOMPARE(w.layerTable()->model()->rowCount(), 5);
}

void TestStudioEditor::planForAnotherModelIsRefused()
{
    MainWindow w;
    openAndWait(w, m_tiny);
    const QString plan = writeFile(
        QStringLiteral("other_plan.json"),
        R"({"format": "nncompress-plan", "version": 1, "layers": {"/conv9/Conv": {"weights": {"bits": 4}}}})");
    QSignalSpy errors(&w, &MainWindow::errorShown);
    w.openFile(plan);
    QCOMPARE(errors.count(), 1);
    QVERIFY2(errors.first().at(1).toString().contains(QStringLiteral("/conv9/Conv")),
             qPrintable(errors.first().at(1).toString()));
    QVERIFY(w.project()->plan().layers.empty());
    QCOMPARE(w.project()->undoStack()->count(), 0);
    // A plan that fits is one undo step.
    const QString good = writeFile(
        QStringLiteral("good_plan.json"),
        R"({"format": "nncompress-plan", "version": 1, "layers": {"fc": {"weights": {"bits": 4}}}})");
    QVERIFY(w.importPlan(good));
    QCOMPARE(w.project()->plan().weightConfig("fc").spec.bits, 4);
    QCOMPARE(w.project()->undoStack()->count(), 1);
}

void TestStudioEditor::recoveryIsOfferedAfterACrash()
{
    QFile::remove(MainWindow::recoveryPath());
    nnc::CompressionPlan edited;
    {
        MainWindow w;
        w.offerRecovery();  // marks the session as running
        openAndWait(w, m_tiny);
        w.project()->editPlan(QStringLiteral("edit"), [](nnc::CompressionPlan &p) {
            p.layers["fc"].weights.bits = 3;
        });
        w.autosave();
        edited = w.project()->plan();
        QVERIFY(QFile::exists(MainWindow::recoveryPath()));
        // No close(): the process "crashes" here (the session flag stays set).
    }
    MainWindow w;
    QSignalSpy loaded(&w, &MainWindow::modelLoaded);
    w.offerRecovery();
    QMessageBox *box = visibleMessageBox(QStringLiteral("recoveryBox"));
    QVERIFY(box);
    box->button(QMessageBox::Yes)->click();
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 20000);
    QVERIFY(w.project()->plan() == edited);
    QVERIFY2(w.project()->isModified(), "recovered work is not saved yet");
    QVERIFY(w.project()->filePath().isEmpty());

    // A clean close removes the recovery file and nothing is offered next time.
    QTimer::singleShot(200, [] {
        if (QMessageBox *b = visibleMessageBox(QStringLiteral("saveChangesBox")))
            b->button(QMessageBox::Discard)->click();
    });
    QVERIFY(w.close());
    QVERIFY(!QFile::exists(MainWindow::recoveryPath()));
    MainWindow next;
    next.offerRecovery();
    QVERIFY(!visibleMessageBox(QStringLiteral("recoveryBox")));
}

void TestStudioEditor::previewFillsLayerTableWithHeatMap()
{
    MainWindow w;
    QSignalSpy finished(w.evalService(), &nnc::studio::EvalService::previewFinished);
    QVERIFY(openDemo(w));
    w.project()->editPlan(QStringLiteral("2 bits"), [](nnc::CompressionPlan &p) {
        p.layers["/conv2/Conv"].weights.bits = 2;
    });
    w.evalService()->preview(w.project()->plan());
    const int before = finished.count();
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() > before && !w.evalService()->isBusy(QStringLiteral("preview")), 60000);
    const QAbstractItemModel *m = w.layerModel();
    const int worst = w.layerModel()->rowOf(QStringLiteral("/conv2/Conv"));
    const int other = w.layerModel()->rowOf(QStringLiteral("/fc1/Gemm"));
    const QModelIndex sqnr = m->index(worst, nnc::LayerTableModel::ColWeightSqnr);
    QVERIFY(!sqnr.data().toString().isEmpty());
    QVERIFY(!m->index(worst, nnc::LayerTableModel::ColSize).data().toString().isEmpty());
    QVERIFY(m->index(worst, nnc::LayerTableModel::ColWeightSqnr).data(nnc::LayerTableModel::SortRole).toDouble() <
            m->index(other, nnc::LayerTableModel::ColWeightSqnr).data(nnc::LayerTableModel::SortRole).toDouble());
    // The 2-bit layer is the reddest cell of its column, with dark text on it.
    const QColor worstColour = sqnr.data(Qt::BackgroundRole).value<QColor>();
    QVERIFY(worstColour.isValid());
    QVERIFY(worstColour.green() < 200);
    const QVariant otherColour = m->index(other, nnc::LayerTableModel::ColWeightSqnr).data(Qt::BackgroundRole);
    QVERIFY(!otherColour.isValid() || otherColour.value<QColor>().green() > worstColour.green());
    QCOMPARE(sqnr.data(Qt::ForegroundRole).value<QColor>(), QColor(Qt::black));

    // Sensitivity deltas from the views' analysis go into their column.
    w.layerModel()->setSensitivity({{QStringLiteral("/conv2/Conv"), -3.5}, {QStringLiteral("/fc1/Gemm"), -0.2}},
                                   QStringLiteral("4-bit weights"));
    QCOMPARE(m->index(worst, nnc::LayerTableModel::ColSensitivity).data(nnc::LayerTableModel::SortRole).toDouble(), -3.5);
    QVERIFY(m->index(worst, nnc::LayerTableModel::ColSensitivity).data(Qt::BackgroundRole).isValid());
}

void TestStudioEditor::settingsDialogSavesChoices()
{
    nnc::studio::SettingsDialog dialog;
    dialog.languageCombo()->setCurrentIndex(dialog.languageCombo()->findData(QStringLiteral("zh_CN")));
    dialog.findChild<QSpinBox *>(QStringLiteral("threadsSpin"))->setValue(1);
    dialog.findChild<QSpinBox *>(QStringLiteral("cacheSpin"))->setValue(512);
    dialog.save();
    QCOMPARE(nnc::studio::savedThreads(), 1);
    QCOMPARE(nnc::studio::savedCacheBytes(), std::size_t(512) << 20);
    QCOMPARE(QSettings().value(QLatin1String(nnc::studio::kLanguageSettingsKey)).toString(),
             QStringLiteral("zh_CN"));
    // The window layout (geometry, docks, splitters) comes back.
    QByteArray state;
    {
        MainWindow w;
        w.resize(1000, 700);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.close();
        state = QSettings().value(QStringLiteral("window/state")).toByteArray();
    }
    QVERIFY(!state.isEmpty());
    MainWindow w;
    QCOMPARE(w.size(), QSize(1000, 700));
}

void TestStudioEditor::switchingToChineseTranslatesMenus()
{
    MainWindow w;
    w.setLanguage(QStringLiteral("zh_CN"));
    const QList<QAction *> menus = w.menuBar()->actions();
    QStringList titles;
    for (QAction *a : menus)
        titles << a->text();
    QVERIFY2(titles.contains(QStringLiteral("文件(&F)")), qPrintable(titles.join(QLatin1Char(','))));
    QVERIFY2(titles.contains(QStringLiteral("编辑(&E)")), qPrintable(titles.join(QLatin1Char(','))));
    auto *edit = w.findChild<QMenu *>(QStringLiteral("menuEdit"));
    QVERIFY(!edit->actions().isEmpty());
    QVERIFY2(edit->actions().first()->text().startsWith(QStringLiteral("撤销")),
             qPrintable(edit->actions().first()->text()));
    QCOMPARE(w.layerModel()->headerData(nnc::LayerTableModel::ColWeightBits, Qt::Horizontal, Qt::DisplayRole).toString(),
             QCoreApplication::translate("nnc::LayerTableModel", "W bits"));
    QVERIFY(w.layerModel()->headerData(nnc::LayerTableModel::ColWeightBits, Qt::Horizontal, Qt::DisplayRole).toString() !=
            QStringLiteral("W bits"));
    w.setLanguage(QStringLiteral("en"));
    QCOMPARE(w.findChild<QMenu *>(QStringLiteral("menuEdit"))->title(), QStringLiteral("&Edit"));
}

namespace {

void dropFiles(QWidget *target, const QStringList &paths)
{
    QMimeData mime;
    QList<QUrl> urls;
    for (const QString &p : paths)
        urls << QUrl::fromLocalFile(p);
    mime.setUrls(urls);
    QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(target, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(target, &drop);
}

} // namespace

void TestStudioEditor::dropsModelDataProjectAndPlan()
{
    const QString demo = nnc::studio::demoDirectory();
    MainWindow w;
    w.show();
    // A model and its .npz dropped together: both open.
    QSignalSpy opened(w.evalService(), &nnc::studio::EvalService::opened);
    dropFiles(&w, {demo + QStringLiteral("/fashion_mlp.onnx"), demo + QStringLiteral("/fashion_val.npz")});
    QTRY_VERIFY_WITH_TIMEOUT(!opened.isEmpty(), 60000);
    QCOMPARE(QFileInfo(w.project()->modelPath()).fileName(), QStringLiteral("fashion_mlp.onnx"));
    QCOMPARE(QFileInfo(w.project()->dataPath()).fileName(), QStringLiteral("fashion_val.npz"));
    // A plan dropped on the open model: one undo step.
    const QString plan = writeFile(
        QStringLiteral("drop_plan.json"),
        R"({"format": "nncompress-plan", "version": 1, "defaults": {"weights": {"bits": 6}}})");
    dropFiles(&w, {plan});
    QCOMPARE(w.project()->plan().weightDefaults.spec.bits, 6);
    QCOMPARE(w.project()->undoStack()->count(), 1);
    // A project dropped: it replaces the document (after the save prompt, answered Discard).
    const QString project = m_dir.filePath(QStringLiteral("dropped.nncproj"));
    QVERIFY(w.saveProjectAs(project));
    w.project()->editPlan(QStringLiteral("edit"), [](nnc::CompressionPlan &p) {
        p.weightDefaults.spec.bits = 3;
    });
    QTimer::singleShot(200, [] {
        if (QMessageBox *box = visibleMessageBox(QStringLiteral("saveChangesBox")))
            box->button(QMessageBox::Discard)->click();
    });
    QSignalSpy loaded(&w, &MainWindow::modelLoaded);
    dropFiles(&w, {project});
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 20000);
    QCOMPARE(w.project()->plan().weightDefaults.spec.bits, 6);
    QCOMPARE(w.project()->filePath(), project);
}

void TestStudioEditor::dragFrameRateOnAMillionWeights()
{
    const QString path = writeFile(QStringLiteral("big.onnx"), matmulModel(1000));
    MainWindow w;
    w.resize(1280, 800);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    openAndWait(w, path);
    QCOMPARE(w.shownDetail()->layer.params, 1000000LL);
    nnc::HistogramPlot *plot = w.histogramPlot();
    // Per tensor at 4 bits: the readouts and the level lines change on every move.
    w.project()->editPlan(QStringLiteral("setup"), [](nnc::CompressionPlan &p) {
        p.layers["big"].weights.granularity = nnc::Granularity::PerTensor;
        p.layers["big"].weights.bits = 4;
    });
    QWidget *canvas = plot->canvas();
    const int y = plot->plot()->axisRect()->rect().center().y();
    const int x0 = plot->linePixel(true);
    QSignalSpy readouts(&w, &MainWindow::readoutChanged);
    QTest::mousePress(canvas, Qt::LeftButton, {}, QPoint(x0, y));
    constexpr int kMoves = 60;
    QElapsedTimer timer;
    timer.start();
    for (int i = 1; i <= kMoves; ++i) {
        QTest::mouseMove(canvas, QPoint(x0 - i * 3, y));
        // Each move is a frame: plan edit, readouts over all weights, overlay, replot.
        plot->plot()->replot(QCustomPlot::rpImmediateRefresh);
    }
    const double ms = static_cast<double>(timer.nsecsElapsed()) / 1e6;
    QTest::mouseRelease(canvas, Qt::LeftButton, {}, QPoint(x0 - kMoves * 3, y));
    QVERIFY(readouts.count() >= kMoves);
    QCOMPARE(w.project()->plan().weightConfig("big").spec.bits, 4);
    QVERIFY(w.readout().clippedShare > 0);
    std::printf("BENCH drag on 1,000,000 weights: %d moves in %.1f ms: %.1f ms per frame, %.1f "
                "frames per second\n",
                kMoves, ms, ms / kMoves, 1000.0 * kMoves / ms);
    // The readouts alone (exact, over every weight), the part that grows with the layer.
    auto weight = nnc::layerWeight(*w.snapshot()->model, w.shownDetail()->layer);
    QVERIFY(weight.has_value());
    nnc::QuantConfig q = w.project()->plan().weightConfig("big");
    timer.restart();
    double sink = 0;
    for (int i = 0; i < 20; ++i) {
        q.range = nnc::Range{-0.1f - 0.001f * static_cast<float>(i), 0.1f};
        sink += nnc::computeWeightReadout(*weight, *weight, 1, q).mse;
    }
    std::printf("BENCH readouts of 1,000,000 weights: %.2f ms each (checksum %g)\n",
                static_cast<double>(timer.nsecsElapsed()) / 1e6 / 20, sink);
}

void TestStudioEditor::hugeLayerReadoutsComeFromAWorker()
{
    // 1800 x 1800 = 3.24 million weights: above the limit for readouts on the GUI thread.
    const QString path = writeFile(QStringLiteral("huge.onnx"), matmulModel(1800));
    MainWindow w;
    openAndWait(w, path);
    QTRY_VERIFY_WITH_TIMEOUT(w.readout().valid, 20000);
    const double sqnr8 = w.readout().sqnrDb;
    QSignalSpy readouts(&w, &MainWindow::readoutChanged);
    w.project()->editPlan(QStringLiteral("4 bits"), [](nnc::CompressionPlan &p) {
        p.layers["big"].weights.granularity = nnc::Granularity::PerTensor;
        p.layers["big"].weights.bits = 4;
    });
    QCOMPARE(readouts.count(), 0);  // not computed on the GUI thread
    QTRY_VERIFY_WITH_TIMEOUT(readouts.count() > 0, 20000);
    QCOMPARE(w.readout().levelsTotal, 15);
    QVERIFY(w.readout().sqnrDb < sqnr8 - 15);
    QCOMPARE(static_cast<int>(w.histogramPlot()->overlay().levels.size()), 15);
}

void TestStudioEditor::zeroChannelStaysOutOfTheRange()
{
    // An embedding whose padding row is all zero: that row's per-channel range is the
    // quantizer's fallback (S = 1, +-127 at 8 bits) and must not become the shown range.
    const nnc::Tensor w = nnc::Tensor::fromVector<float>({3, 2}, {0.0f, 0.0f, -0.5f, 0.25f, 0.4f, -0.1f});
    nnc::QuantConfig q;
    q.enabled = true;
    q.granularity = nnc::Granularity::PerChannel;
    const nnc::WeightReadout r = nnc::computeWeightReadout(w, w, 0, q);
    QVERIFY(r.valid);
    QCOMPARE(r.params.size(), std::size_t(3));
    QCOMPARE(r.zeroChannel, (std::vector<uint8_t>{1, 0, 0}));
    QVERIFY2(r.rmin >= -0.51f && r.rmin <= -0.49f, qPrintable(QString::number(r.rmin)));
    QVERIFY2(r.rmax >= 0.49f && r.rmax <= 0.51f, qPrintable(QString::number(r.rmax)));
    QCOMPARE(r.clippedShare, 0.0);

    // Every channel zero (a fully pruned weight): the fallback range is all there is.
    const nnc::Tensor zeros = nnc::Tensor::fromVector<float>({2, 2}, {0.0f, 0.0f, 0.0f, 0.0f});
    const nnc::WeightReadout z = nnc::computeWeightReadout(zeros, zeros, 0, q);
    QVERIFY(z.valid);
    QVERIFY(z.rmax > z.rmin);
}

void TestStudioEditor::emptyPlotKeepsItsWidthAndPlaceholder()
{
    // An empty bar chart (the Distillation tab before a run) spans its widget and shows its
    // placeholder whole, as a filled one does.
    nnc::GroupedBarPlot plot;
    plot.resize(800, 400);
    plot.show();
    plot.clear(QStringLiteral("No comparison yet"));
    QVERIFY(QTest::qWaitForWindowExposed(&plot));
    plot.plot()->replot(QCustomPlot::rpImmediateRefresh);
    QCPAxisRect *rect = plot.plot()->axisRect();
    QVERIFY2(rect->width() > plot.plot()->width() / 2, qPrintable(QString::number(rect->width())));
    QCPItemText *placeholder = nullptr;
    for (int i = 0; i < plot.plot()->itemCount(); ++i)
        if (auto *t = qobject_cast<QCPItemText *>(plot.plot()->item(i));
            t && t->objectName() == QLatin1String("placeholder"))
            placeholder = t;
    QVERIFY(placeholder);
    QVERIFY(placeholder->visible());
    QCOMPARE(placeholder->text(), QStringLiteral("No comparison yet"));
    QVERIFY(!placeholder->clipToAxisRect());

    // Too long for the axes: wrapped onto lines that each fit, the words all kept.
    const QString longText = QStringLiteral("The estimate fills in as batches are evaluated, one after another");
    plot.resize(300, 300);
    plot.clear(longText);
    plot.plot()->replot(QCustomPlot::rpImmediateRefresh);
    const int axisWidth = plot.plot()->axisRect()->width();
    const QStringList lines = placeholder->text().split(QLatin1Char('\n'));
    QVERIFY2(lines.size() > 1, qPrintable(placeholder->text()));
    for (const QString &line : lines)
        QVERIFY2(QFontMetrics(placeholder->font()).horizontalAdvance(line) <= axisWidth, qPrintable(line));
    QCOMPARE(lines.join(QLatin1Char(' ')), longText);
    const QString chinese = QStringLiteral("随着各批评估完成，估计值会逐步填满，请稍候再看结果");
    const QStringList zh = nnc::PlotWidget::wrapToWidth(chinese, placeholder->font(), 80).split(QLatin1Char('\n'));
    QVERIFY(zh.size() > 1);
    QCOMPARE(zh.join(QString()), chinese);
    plot.resize(800, 400);

    plot.setGroups({QStringLiteral("a"), QStringLiteral("b")}, {QStringLiteral("x"), QStringLiteral("y")},
                   {{1.0, 2.0}, {2.0, 1.0}}, QStringLiteral("v"), QStringLiteral("t"));
    plot.plot()->replot(QCustomPlot::rpImmediateRefresh);
    QVERIFY(plot.plot()->legend->visible());
    QVERIFY(!placeholder->visible());
    plot.clear(QString());
    plot.plot()->replot(QCustomPlot::rpImmediateRefresh);
    QVERIFY(plot.plot()->axisRect()->width() > plot.plot()->width() / 2);
}

void TestStudioEditor::metricNamesAreTranslated()
{
    // The Fusion and Distillation head tables name metrics as the preview does, in the UI's
    // language, instead of showing the evaluator's ids ("entity_f1").
    MainWindow w;
    QCOMPARE(nnc::metricDisplayName("entity_f1"), QStringLiteral("entity F1"));
    w.setLanguage(QStringLiteral("zh_CN"));
    QCOMPARE(nnc::metricDisplayName("entity_f1"), QStringLiteral("实体 F1"));
    QCOMPARE(nnc::metricDisplayName("accuracy"), QStringLiteral("精度"));
    QCOMPARE(nnc::metricDisplayName("top5"), QStringLiteral("前 5 精度"));
    QCOMPARE(nnc::metricDisplayName("some_new_metric"), QStringLiteral("some_new_metric"));
    w.setLanguage(QStringLiteral("en"));
    QCOMPARE(nnc::metricDisplayName("token_accuracy"), QStringLiteral("token accuracy"));
}

NNC_STUDIO_TEST_MAIN(TestStudioEditor, "StudioEditorTest")

#include "test_studio_editor.moc"
