// The Studio main window end to end: open a model, list layers, show a layer's histogram and
// statistics, filter and sort, survive a corrupt file, switch language, export plots.
#include "app/studio/language.h"
#include "app/studio/latest_task.h"
#include "app/studio/main_window.h"
#include "tests/studio/tiny_onnx.h"
#include "widgets/channel_range_plot.h"
#include "widgets/histogram_plot.h"
#include "widgets/layer_table_model.h"
#include "widgets/weight_stats_panel.h"
#include "tests/common/studio_test_main.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QDropEvent>
#include <QFileInfo>
#include <QFile>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QMimeData>
#include <QProcess>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QWheelEvent>

#include <atomic>
#include <memory>
#include <thread>

using nnc::WeightStatsPanel;
using nnc::studio::MainWindow;

namespace {

QString statText(MainWindow &w, WeightStatsPanel::Field f)
{
    return w.statsPanel()->valueText(f);
}

double statNumber(MainWindow &w, WeightStatsPanel::Field f)
{
    bool ok = false;
    const double v = QLocale().toDouble(statText(w, f), &ok);
    if (!ok)
        qWarning() << "not a number:" << WeightStatsPanel::keyName(f) << statText(w, f);
    return ok ? v : std::nan("");
}

QMessageBox *visibleMessageBox()
{
    for (QWidget *w : QApplication::topLevelWidgets())
        if (auto *box = qobject_cast<QMessageBox *>(w); box && box->isVisible())
            return box;
    return nullptr;
}

/// The table row (in view order) whose name column is `name`, or -1.
int rowOf(MainWindow &w, const QString &name)
{
    const QAbstractItemModel *m = w.layerTable()->model();
    for (int r = 0; r < m->rowCount(); ++r)
        if (m->index(r, nnc::LayerTableModel::ColName).data().toString() == name)
            return r;
    return -1;
}

} // namespace

class TestStudioWindow : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void resolvesLanguage_data();
    void resolvesLanguage();
    void translationResourceIsEmbedded();
    void translationCatalogueIsComplete();

    void opensModelAndListsLayers();
    void selectingLayerShowsHistogramAndStats();
    void autoBinCountFollowsRiceRule_data();
    void autoBinCountFollowsRiceRule();
    void togglesLogScaleAndPerChannelView();
    void filterBoxMatchesNameOrOp();
    void sortsByParameterCount();
    void corruptFileShowsErrorAndWindowStaysUsable();
    void missingFileShowsError();
    void dropOpensFile();
    void switchingLanguageTranslatesMenus();
    void plotsExportPngPdfSvg();
    void plotWheelZoomsAndResetRestores();
    void recentFilesMenuReopensModel();
    void latestTaskDropsSupersededResults();
    void opensSharedMnistModel();
    void workbenchTabsHideTheLayerDocks();

private:
    QString writeFile(const QString &name, const QByteArray &bytes);
    void openAndWait(MainWindow &w, const QString &path);

    QTemporaryDir m_dir;
    QString m_model;
};

QString TestStudioWindow::writeFile(const QString &name, const QByteArray &bytes)
{
    const QString path = m_dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
        qFatal("cannot write %s", qPrintable(path));
    return path;
}

void TestStudioWindow::openAndWait(MainWindow &w, const QString &path)
{
    QSignalSpy loaded(&w, &MainWindow::modelLoaded);
    QSignalSpy failed(&w, &MainWindow::loadFailed);
    w.openFile(path);
    QTRY_VERIFY_WITH_TIMEOUT(loaded.count() + failed.count() > 0, 20000);
    if (!failed.isEmpty())
        QFAIL(qPrintable(QStringLiteral("loading %1 failed: %2")
                             .arg(path, failed.first().at(1).toString())));
}

void TestStudioWindow::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_model = writeFile(QStringLiteral("tiny.onnx"), tiny_onnx::model());
}

void TestStudioWindow::init()
{
    QSettings().clear();
    nnc::studio::applyLanguage(QStringLiteral("en"));
}

void TestStudioWindow::cleanup()
{
    // A failed test may leave a dialog open; close it so the next test starts clean.
    while (QMessageBox *box = visibleMessageBox())
        box->close();
    nnc::studio::applyLanguage(QStringLiteral("en"));
}

void TestStudioWindow::resolvesLanguage_data()
{
    QTest::addColumn<QString>("commandLine");
    QTest::addColumn<QString>("saved");
    QTest::addColumn<QString>("system");
    QTest::addColumn<QString>("expected");
    QTest::newRow("system zh_CN") << "" << "" << "zh_CN" << "zh_CN";
    QTest::newRow("system en_US") << "" << "" << "en_US" << "en";
    QTest::newRow("system de_DE falls back to English") << "" << "" << "de_DE" << "en";
    QTest::newRow("system zh_TW is not Simplified") << "" << "" << "zh_TW" << "en";
    QTest::newRow("saved beats system") << "" << "en" << "zh_CN" << "en";
    QTest::newRow("saved zh_CN") << "" << "zh_CN" << "en_US" << "zh_CN";
    QTest::newRow("command line beats saved") << "zh_CN" << "en" << "en_US" << "zh_CN";
    QTest::newRow("command line dash form") << "zh-CN" << "" << "en_US" << "zh_CN";
    QTest::newRow("command line en") << "en" << "zh_CN" << "zh_CN" << "en";
    QTest::newRow("unknown command line ignored") << "klingon" << "zh_CN" << "en_US" << "zh_CN";
}

void TestStudioWindow::resolvesLanguage()
{
    QFETCH(QString, commandLine);
    QFETCH(QString, saved);
    QFETCH(QString, system);
    QFETCH(QString, expected);
    QCOMPARE(nnc::studio::resolveLanguage(commandLine, saved, QLocale(system)), expected);
}

void TestStudioWindow::translationResourceIsEmbedded()
{
    QVERIFY(QFile::exists(QStringLiteral(":/i18n/nncompress_zh_CN.qm")));
    QVERIFY(nnc::studio::applyLanguage(QStringLiteral("zh_CN")));
    QCOMPARE(nnc::studio::currentLanguage(), QStringLiteral("zh_CN"));
    QCOMPARE(QCoreApplication::translate("nnc::studio::MainWindow", "&File"), QStringLiteral("文件(&F)"));
}

void TestStudioWindow::translationCatalogueIsComplete()
{
    // Every message of the committed catalogue is translated...
    const QString ts = QStringLiteral(NNC_SOURCE_DIR "/translations/nncompress_zh_CN.ts");
    auto unfinished = [](const QString &path) {
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            return QStringList{QStringLiteral("cannot read ") + path};
        const QString xml = QString::fromUtf8(f.readAll());
        QStringList bad;
        static const QRegularExpression message(
            QStringLiteral("<message[^>]*>\\s*<source>(.*?)</source>(.*?)</message>"),
            QRegularExpression::DotMatchesEverythingOption);
        for (auto it = message.globalMatch(xml); it.hasNext();) {
            const auto m = it.next();
            const QString tr = m.captured(2);
            if (tr.contains(QLatin1String("type=\"unfinished\"")) ||
                tr.contains(QLatin1String("type=\"vanished\"")) ||
                tr.contains(QLatin1String("type=\"obsolete\"")) ||
                tr.contains(QLatin1String("<translation></translation>")) ||
                tr.contains(QLatin1String("<numerusform></numerusform>")))
                bad << m.captured(1);
        }
        return bad;
    };
    QStringList bad = unfinished(ts);
    QVERIFY2(bad.isEmpty(), qPrintable(bad.join(QLatin1Char('\n'))));

    // ...and it holds every string in the sources: lupdate on a copy adds nothing unfinished.
    const QString lupdate = QStringLiteral(NNC_LUPDATE);
    if (!QFile::exists(lupdate))
        QSKIP("lupdate is not installed");
    const QString copy = m_dir.filePath(QStringLiteral("check_zh_CN.ts"));
    QFile::remove(copy);
    QVERIFY(QFile::copy(ts, copy));
    QFile::setPermissions(copy, QFile::ReadOwner | QFile::WriteOwner);
    QProcess p;
    p.start(lupdate, {QStringLiteral("-silent"), QStringLiteral("-no-obsolete"),
                      QStringLiteral("-locations"), QStringLiteral("none"),
                      QStringLiteral("-I"), QStringLiteral(NNC_SOURCE_DIR),
                      QStringLiteral(NNC_SOURCE_DIR "/widgets"),
                      QStringLiteral(NNC_SOURCE_DIR "/app/studio"), QStringLiteral("-ts"), copy});
    QVERIFY(p.waitForFinished(60000));
    QCOMPARE(p.exitCode(), 0);
    bad = unfinished(copy);
    QVERIFY2(bad.isEmpty(), qPrintable(QStringLiteral("untranslated strings (run the "
                                                       "nnc_studio_lupdate target):\n") +
                                       bad.join(QLatin1Char('\n'))));
}

void TestStudioWindow::opensModelAndListsLayers()
{
    MainWindow w;
    w.show();
    openAndWait(w, m_model);
    QVERIFY(w.snapshot());
    const QAbstractItemModel *table = w.layerTable()->model();
    QCOMPARE(table->rowCount(), 2);
    QVERIFY(rowOf(w, QStringLiteral("conv1")) >= 0);
    QVERIFY(rowOf(w, QStringLiteral("fc")) >= 0);
    const int conv = rowOf(w, QStringLiteral("conv1"));
    QCOMPARE(table->index(conv, nnc::LayerTableModel::ColOp).data().toString(), QStringLiteral("Conv"));
    QCOMPARE(table->index(conv, nnc::LayerTableModel::ColShape).data().toString(),
             QStringLiteral("[3, 2, 3, 3]"));
    QCOMPARE(table->index(conv, nnc::LayerTableModel::ColParams).data(nnc::LayerTableModel::SortRole)
                 .toLongLong(), 54LL);

    QVERIFY(w.windowTitle().contains(QStringLiteral("tiny.onnx")));
    const QString summary = w.findChild<QLabel *>(QStringLiteral("summaryLabel"))->text();
    QVERIFY2(summary.contains(QStringLiteral("IR 8")), qPrintable(summary));
    QVERIFY2(summary.contains(QStringLiteral("ai.onnx 13")), qPrintable(summary));
    QVERIFY2(summary.contains(QStringLiteral("3 nodes")), qPrintable(summary));
    QVERIFY2(summary.contains(QStringLiteral("117 parameters")), qPrintable(summary));  // 54+3+60
    QCOMPARE(w.recentFiles().value(0), QFileInfo(m_model).absoluteFilePath());
}

void TestStudioWindow::selectingLayerShowsHistogramAndStats()
{
    MainWindow w;
    w.show();
    openAndWait(w, m_model);
    QSignalSpy shown(&w, &MainWindow::layerShown);

    w.layerTable()->selectRow(rowOf(w, QStringLiteral("fc")));
    QTRY_VERIFY(w.shownDetail() && w.shownDetail()->layer.name == "fc");
    QVERIFY(w.histogramPlot()->hasData());
    QCOMPARE(w.histogramPlot()->binnedCount(), 59LL);  // 60 values, one NaN
    QCOMPARE(statText(w, WeightStatsPanel::FNans), QStringLiteral("1"));
    QCOMPARE(statText(w, WeightStatsPanel::FCount), QStringLiteral("60"));

    w.layerTable()->selectRow(rowOf(w, QStringLiteral("conv1")));
    QTRY_VERIFY(w.shownDetail() && w.shownDetail()->layer.name == "conv1");
    QVERIFY(!shown.isEmpty());
    QVERIFY(w.histogramPlot()->hasData());
    QCOMPARE(w.histogramPlot()->binnedCount(), 54LL);
    // "Auto" bins for 54 values: the Rice rule gives 8, raised to the floor of 16.
    QCOMPARE(static_cast<int>(w.histogramPlot()->histogram().counts.size()), 16);
    const QString title = w.findChild<QLabel *>(QStringLiteral("detailTitle"))->text();
    QVERIFY2(title.startsWith(QStringLiteral("conv1 — Conv, weight W [3, 2, 3, 3]")), qPrintable(title));
    QCOMPARE(statText(w, WeightStatsPanel::FShape), QStringLiteral("[3, 2, 3, 3]"));
    QCOMPARE(statText(w, WeightStatsPanel::FDtype), QStringLiteral("float"));
    QCOMPARE(statText(w, WeightStatsPanel::FQuantized), QStringLiteral("no"));
    QCOMPARE(statNumber(w, WeightStatsPanel::FCount), 54.0);
    QCOMPARE(statNumber(w, WeightStatsPanel::FMin), -2.7);
    QCOMPARE(statNumber(w, WeightStatsPanel::FMax), 2.6);
    QCOMPARE(statNumber(w, WeightStatsPanel::FAbsMax), 2.7);
    QVERIFY(std::abs(statNumber(w, WeightStatsPanel::FMean) - (-0.05)) < 1e-6);
    QCOMPARE(statNumber(w, WeightStatsPanel::FZeros), 1.0);
    QCOMPARE(statNumber(w, WeightStatsPanel::FNans), 0.0);
    QCOMPARE(statNumber(w, WeightStatsPanel::FInfs), 0.0);
    QVERIFY2(statText(w, WeightStatsPanel::FSparsity).startsWith(QStringLiteral("1.85")),
             qPrintable(statText(w, WeightStatsPanel::FSparsity)));  // 1/54
    QCOMPARE(w.channelPlot()->channelCount(), 3);

    // Choosing a bin count recomputes the histogram of the same layer.
    auto *bins = w.findChild<QComboBox *>(QStringLiteral("binsCombo"));
    QVERIFY(bins);
    bins->setCurrentIndex(bins->findData(64));
    QTRY_COMPARE(static_cast<int>(w.histogramPlot()->histogram().counts.size()), 64);
    QCOMPARE(w.histogramPlot()->binnedCount(), 54LL);
    QCOMPARE(w.shownDetail()->layer.name, std::string("conv1"));
}

void TestStudioWindow::autoBinCountFollowsRiceRule_data()
{
    QTest::addColumn<qlonglong>("count");
    QTest::addColumn<int>("bins");
    QTest::newRow("empty") << 0LL << 16;
    QTest::newRow("tiny layer") << 54LL << 16;
    QTest::newRow("1000") << 1000LL << 20;
    QTest::newRow("one million") << 1000000LL << 200;
    QTest::newRow("capped") << 1000000000LL << 256;
}

void TestStudioWindow::autoBinCountFollowsRiceRule()
{
    QFETCH(qlonglong, count);
    QFETCH(int, bins);
    QCOMPARE(nnc::studio::autoBinCount(count), bins);
}

void TestStudioWindow::togglesLogScaleAndPerChannelView()
{
    MainWindow w;
    w.show();
    openAndWait(w, m_model);
    QTRY_VERIFY(w.shownDetail());  // the first row is selected after loading
    auto *plots = w.histogramPlot()->parentWidget();
    auto *stack = qobject_cast<QStackedWidget *>(plots);
    QVERIFY(stack);
    QCOMPARE(stack->currentWidget(), static_cast<QWidget *>(w.histogramPlot()));

    w.logScaleAction()->setChecked(true);
    QVERIFY(w.histogramPlot()->logScale());
    w.perChannelAction()->setChecked(true);
    QCOMPARE(stack->currentWidget(), static_cast<QWidget *>(w.channelPlot()));
    QVERIFY(!w.logScaleAction()->isEnabled());

    // Both choices persist for the next window.
    MainWindow second;
    QVERIFY(second.logScaleAction()->isChecked());
    QVERIFY(second.perChannelAction()->isChecked());
    w.perChannelAction()->setChecked(false);
    w.logScaleAction()->setChecked(false);
    QCOMPARE(stack->currentWidget(), static_cast<QWidget *>(w.histogramPlot()));
    QVERIFY(!w.histogramPlot()->logScale());
}

void TestStudioWindow::filterBoxMatchesNameOrOp()
{
    MainWindow w;
    w.show();
    openAndWait(w, m_model);
    const QAbstractItemModel *table = w.layerTable()->model();
    QTest::keyClicks(w.filterEdit(), QStringLiteral("GEMM"));
    QCOMPARE(table->rowCount(), 1);
    QCOMPARE(table->index(0, nnc::LayerTableModel::ColName).data().toString(), QStringLiteral("fc"));
    w.filterEdit()->setText(QStringLiteral("conv"));
    QCOMPARE(table->rowCount(), 1);
    QCOMPARE(table->index(0, nnc::LayerTableModel::ColName).data().toString(), QStringLiteral("conv1"));
    w.filterEdit()->setText(QStringLiteral("no such layer"));
    QCOMPARE(table->rowCount(), 0);
    w.filterEdit()->clear();
    QCOMPARE(table->rowCount(), 2);
}

void TestStudioWindow::sortsByParameterCount()
{
    MainWindow w;
    w.show();
    openAndWait(w, m_model);
    const QAbstractItemModel *table = w.layerTable()->model();
    w.layerTable()->sortByColumn(nnc::LayerTableModel::ColParams, Qt::DescendingOrder);
    QCOMPARE(table->index(0, nnc::LayerTableModel::ColName).data().toString(), QStringLiteral("fc"));
    w.layerTable()->sortByColumn(nnc::LayerTableModel::ColParams, Qt::AscendingOrder);
    QCOMPARE(table->index(0, nnc::LayerTableModel::ColName).data().toString(), QStringLiteral("conv1"));
}

void TestStudioWindow::corruptFileShowsErrorAndWindowStaysUsable()
{
    MainWindow w;
    w.show();
    openAndWait(w, m_model);
    QByteArray garbage;
    for (int i = 0; i < 4096; ++i)
        garbage.append(static_cast<char>((i * 7919 + 13) & 0xff));
    const QString broken = writeFile(QStringLiteral("broken.onnx"), garbage);

    QSignalSpy failed(&w, &MainWindow::loadFailed);
    w.openFile(broken);
    QTRY_VERIFY_WITH_TIMEOUT(visibleMessageBox() != nullptr, 20000);
    QMessageBox *box = visibleMessageBox();
    QVERIFY2(box->text().contains(QStringLiteral("broken.onnx")), qPrintable(box->text()));
    QVERIFY(!box->informativeText().isEmpty());  // the reader's own message
    QCOMPARE(failed.count(), 1);
    QCOMPARE(box->informativeText(), failed.first().at(1).toString());
    box->close();
    QTRY_VERIFY(visibleMessageBox() == nullptr);

    // The previous model is still shown and the window still works.
    QVERIFY(w.snapshot());
    QCOMPARE(w.layerTable()->model()->rowCount(), 2);
    QVERIFY(!w.recentFiles().contains(QFileInfo(broken).absoluteFilePath()));
    w.layerTable()->selectRow(rowOf(w, QStringLiteral("fc")));
    QTRY_VERIFY(w.shownDetail() && w.shownDetail()->layer.name == "fc");
    openAndWait(w, m_model);
}

void TestStudioWindow::missingFileShowsError()
{
    MainWindow w;
    w.show();
    w.openFile(m_dir.filePath(QStringLiteral("does_not_exist.onnx")));
    QTRY_VERIFY_WITH_TIMEOUT(visibleMessageBox() != nullptr, 20000);
    QVERIFY(visibleMessageBox()->text().contains(QStringLiteral("does_not_exist.onnx")));
    visibleMessageBox()->close();
    QVERIFY(!w.snapshot());
    QVERIFY(!w.isLoading());
}

void TestStudioWindow::dropOpensFile()
{
    MainWindow w;
    w.show();
    QSignalSpy loaded(&w, &MainWindow::modelLoaded);
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(m_model)});
    QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&w, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&w, &drop);
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 20000);
    QCOMPARE(w.layerTable()->model()->rowCount(), 2);
}

void TestStudioWindow::switchingLanguageTranslatesMenus()
{
    MainWindow w;
    w.show();
    openAndWait(w, m_model);
    auto *file = w.findChild<QMenu *>(QStringLiteral("menuFile"));
    QVERIFY(file);
    QCOMPARE(file->title(), QStringLiteral("&File"));

    w.setLanguage(QStringLiteral("zh_CN"));
    QTRY_COMPARE(file->title(), QStringLiteral("文件(&F)"));
    QCOMPARE(w.layerTable()->model()->headerData(nnc::LayerTableModel::ColName, Qt::Horizontal)
                 .toString(), QStringLiteral("层"));
    QCOMPARE(QSettings().value(QLatin1String(nnc::studio::kLanguageSettingsKey)).toString(),
             QStringLiteral("zh_CN"));
    // A window opened later starts in the saved language as well.
    MainWindow later;
    QCOMPARE(later.findChild<QMenu *>(QStringLiteral("menuFile"))->title(), QStringLiteral("文件(&F)"));

    w.setLanguage(QStringLiteral("en"));
    QTRY_COMPARE(file->title(), QStringLiteral("&File"));
}

void TestStudioWindow::plotsExportPngPdfSvg()
{
    MainWindow w;
    w.resize(1200, 800);
    w.show();
    openAndWait(w, m_model);
    QTRY_VERIFY(w.shownDetail());
    struct Case { const char *file; const char *magic; };
    for (const Case c : {Case{"h.png", "\x89PNG"}, Case{"h.pdf", "%PDF"}, Case{"h.svg", "<?xml"}}) {
        const QString path = m_dir.filePath(QString::fromLatin1(c.file));
        qInfo() << "exporting" << c.file;
        const QString error = w.histogramPlot()->saveImage(path, nnc::PlotWidget::formatForPath(path));
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray head = f.read(64);
        QVERIFY2(head.startsWith(c.magic), head.constData());
        QVERIFY(f.size() > 500);
    }
    const QString svg = m_dir.filePath(QStringLiteral("c.svg"));
    QVERIFY(w.channelPlot()->saveImage(svg, nnc::PlotWidget::ImageFormat::Svg).isEmpty());
    // An unwritable destination yields a message naming it, not a crash.
    const QString bad = QStringLiteral("/nonexistent-dir/x.png");
    const QString error = w.histogramPlot()->saveImage(bad, nnc::PlotWidget::ImageFormat::Png);
    QVERIFY2(error.contains(bad), qPrintable(error));
}

void TestStudioWindow::plotWheelZoomsAndResetRestores()
{
    MainWindow w;
    w.show();
    openAndWait(w, m_model);
    QTRY_VERIFY(w.shownDetail());
    nnc::HistogramPlot *plot = w.histogramPlot();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    const QRectF fitted = plot->viewRange();
    QVERIFY(fitted.left() < -2.7 && fitted.right() > 2.6);  // the whole data range is in view

    QWidget *canvas = plot->canvas();
    const QPointF centre(canvas->width() / 2.0, canvas->height() / 2.0);
    QWheelEvent wheel(centre, canvas->mapToGlobal(centre), QPoint(), QPoint(0, 120), Qt::NoButton,
                      Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(canvas, &wheel);
    const QRectF zoomed = plot->viewRange();
    qInfo() << "fitted" << fitted << "zoomed" << zoomed;
    QVERIFY(zoomed.width() < fitted.width() * 0.95);  // wheel up zooms in

    std::unique_ptr<QMenu> menu(plot->createContextMenu(nullptr));
    QStringList texts;
    for (QAction *a : menu->actions())
        if (!a->isSeparator())
            texts << a->text();
    QCOMPARE(texts, (QStringList{QStringLiteral("Reset view"), QStringLiteral("Save as PNG…"),
                                 QStringLiteral("Save as PDF…"), QStringLiteral("Save as SVG…")}));
    menu->findChild<QAction *>(QStringLiteral("actionResetView"))->trigger();
    QCOMPARE(plot->viewRange(), fitted);
}

void TestStudioWindow::recentFilesMenuReopensModel()
{
    {
        MainWindow first;
        openAndWait(first, m_model);
    }
    MainWindow w;  // a new window lists what the previous one opened
    auto *recent = w.findChild<QMenu *>(QStringLiteral("menuRecent"));
    QVERIFY(recent);
    QAction *entry = nullptr;
    for (QAction *a : recent->actions())
        if (a->statusTip() == QDir::toNativeSeparators(QFileInfo(m_model).absoluteFilePath()))
            entry = a;
    QVERIFY(entry);
    QVERIFY(entry->text().contains(QStringLiteral("tiny.onnx")));
    QSignalSpy loaded(&w, &MainWindow::modelLoaded);
    entry->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 20000);
    QCOMPARE(w.layerTable()->model()->rowCount(), 2);
}

void TestStudioWindow::latestTaskDropsSupersededResults()
{
    QObject context;
    nnc::studio::LatestTask<int> task(&context);
    std::atomic<bool> firstSawCancel = false;
    QList<int> delivered;
    task.start(
        [&](const nnc::Progress &progress) {
            for (int i = 0; i < 5000 && !progress.cancelled(); ++i)
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
            firstSawCancel = progress.cancelled();
            return 1;
        },
        [&](int v) { delivered << v; });
    QVERIFY(task.isRunning());
    QList<std::pair<qint64, qint64>> progress;
    task.start(
        [](const nnc::Progress &p) {
            for (int i = 1; i <= 4; ++i)
                p.report(i, 4);
            return 2;
        },
        [&](int v) { delivered << v; },
        [&](int64_t d, int64_t t) { progress.append({d, t}); });
    QTRY_COMPARE(delivered, QList<int>{2});
    QTRY_VERIFY(firstSawCancel.load());
    QVERIFY(!task.isRunning());
    QCOMPARE(progress.size(), 4);
    QCOMPARE(progress.last().first, 4);
    QTest::qWait(50);
    QCOMPARE(delivered, QList<int>{2});  // the first task's late result never arrives
}

void TestStudioWindow::opensSharedMnistModel()
{
    const QString path = QStringLiteral(NNC_SHARED_DIR "/models/mnist8_zoo_cntk/model.onnx");
    if (!QFile::exists(path))
        QSKIP("shared mnist8 model not present");
    MainWindow w;
    w.show();
    openAndWait(w, path);
    // mnist-8: two Conv layers with constant weights (its MatMul weight is a Reshape output,
    // which findLayers does not fold).
    const QAbstractItemModel *table = w.layerTable()->model();
    int convs = 0;
    for (int r = 0; r < table->rowCount(); ++r)
        convs += table->index(r, nnc::LayerTableModel::ColOp).data().toString() == QLatin1String("Conv");
    QCOMPARE(convs, 2);
    QTRY_VERIFY(w.shownDetail());
    QVERIFY(w.histogramPlot()->hasData());
    QVERIFY(statNumber(w, WeightStatsPanel::FCount) > 0);
}

NNC_STUDIO_TEST_MAIN(TestStudioWindow, "StudioWindowTest")

void TestStudioWindow::workbenchTabsHideTheLayerDocks()
{
    MainWindow w;
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    auto *tabs = w.findChild<QTabWidget *>(QStringLiteral("mainTabs"));
    auto *settings = w.findChild<QDockWidget *>(QStringLiteral("settingsDock"));
    auto *preview = w.findChild<QDockWidget *>(QStringLiteral("previewDock"));
    QVERIFY(tabs && settings && preview);
    auto tabNamed = [tabs](const QString &text) {
        for (int i = 0; i < tabs->count(); ++i)
            if (tabs->tabText(i) == text)
                return i;
        return -1;
    };
    const int fusion = tabNamed(QStringLiteral("Fusion"));
    const int distill = tabNamed(QStringLiteral("Distillation"));
    const int summary = tabNamed(QStringLiteral("Summary"));
    QVERIFY(fusion >= 0 && distill >= 0 && summary >= 0);
    QVERIFY(settings->isVisible() && preview->isVisible());

    tabs->setCurrentIndex(fusion);
    QVERIFY(!settings->isVisible());
    QVERIFY(!preview->isVisible());
    // Between the two workbenches the docks stay hidden; one the user shows again stays shown.
    tabs->setCurrentIndex(distill);
    QVERIFY(!settings->isVisible());
    preview->toggleViewAction()->trigger();
    QVERIFY(preview->isVisible());
    // Leaving the workbenches gives back what they hid.
    tabs->setCurrentIndex(summary);
    QVERIFY(settings->isVisible());
    QVERIFY(preview->isVisible());
    // A dock the user shows and closes again on a workbench tab stays closed after it.
    tabs->setCurrentIndex(fusion);
    QVERIFY(!preview->isVisible());
    preview->toggleViewAction()->trigger();
    QVERIFY(preview->isVisible());
    preview->close();
    tabs->setCurrentIndex(summary);
    QVERIFY(settings->isVisible());
    QVERIFY(!preview->isVisible());
    preview->toggleViewAction()->trigger();
    // A dock the user closed on a layer page stays closed on the way back.
    settings->close();
    tabs->setCurrentIndex(fusion);
    tabs->setCurrentIndex(0);
    QVERIFY(!settings->isVisible());
    QVERIFY(preview->isVisible());
}

#include "test_studio_window.moc"
