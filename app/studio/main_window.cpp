// MainWindow: menus, layer table, plots and the background tasks that feed them.
#include "app/studio/main_window.h"

#include "app/studio/language.h"
#include "widgets/channel_range_plot.h"
#include "widgets/histogram_plot.h"
#include "widgets/layer_table_model.h"
#include "widgets/weight_stats_panel.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QScreen>
#include <QScrollBar>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace nnc::studio {

namespace {

constexpr int kMaxRecentFiles = 8;
constexpr int kAutoBins = 0;  // combo data for "Auto": computeLayerDetail picks the count
const char *const kRecentKey = "recentFiles";

std::filesystem::path toPath(const QString &path)
{
    return std::filesystem::path(QFile::encodeName(path).toStdString());
}

/// 1280x800 where the screen allows, else 90 % of it (small laptop screens, tests).
QSize defaultWindowSize()
{
    const QScreen *screen = QGuiApplication::primaryScreen();
    if (!screen)
        return {1280, 800};
    const QSize avail = screen->availableGeometry().size();
    return {std::min(1280, avail.width() * 9 / 10), std::min(800, avail.height() * 9 / 10)};
}

} // namespace

MainWindow::MainWindow(QWidget *parent) : QMainWindow(parent)
{
    setObjectName(QStringLiteral("mainWindow"));
    setAcceptDrops(true);
    createActions();
    createMenus();
    createCentralWidget();
    createStatusBar();
    retranslateUi();

    QSettings settings;
    if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray()))
        resize(defaultWindowSize());
    m_splitterUserSized =
        m_splitter->restoreState(settings.value(QStringLiteral("window/splitter")).toByteArray());
    m_logScale->setChecked(settings.value(QStringLiteral("view/logScale"), false).toBool());
    m_perChannel->setChecked(settings.value(QStringLiteral("view/perChannel"), false).toBool());
    updatePlotMode();
}

MainWindow::~MainWindow() = default;

void MainWindow::createActions()
{
    m_openAction = new QAction(this);
    m_openAction->setShortcut(QKeySequence::Open);
    connect(m_openAction, &QAction::triggered, this, &MainWindow::openDialog);

    m_closeAction = new QAction(this);
    m_closeAction->setShortcut(QKeySequence::Close);
    m_closeAction->setEnabled(false);
    connect(m_closeAction, &QAction::triggered, this, &MainWindow::closeModel);

    m_quitAction = new QAction(this);
    m_quitAction->setShortcut(QKeySequence::Quit);
    m_quitAction->setMenuRole(QAction::QuitRole);
    connect(m_quitAction, &QAction::triggered, this, &QWidget::close);

    m_logScale = new QAction(this);
    m_logScale->setObjectName(QStringLiteral("actionLogScale"));
    m_logScale->setCheckable(true);
    m_logScale->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
    connect(m_logScale, &QAction::toggled, this, [this](bool on) {
        m_histogram->setLogScale(on);
        QSettings().setValue(QStringLiteral("view/logScale"), on);
    });

    m_perChannel = new QAction(this);
    m_perChannel->setObjectName(QStringLiteral("actionPerChannel"));
    m_perChannel->setCheckable(true);
    m_perChannel->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_K));
    connect(m_perChannel, &QAction::toggled, this, [this](bool on) {
        updatePlotMode();
        QSettings().setValue(QStringLiteral("view/perChannel"), on);
    });

    m_aboutAction = new QAction(this);
    m_aboutAction->setMenuRole(QAction::AboutRole);
    connect(m_aboutAction, &QAction::triggered, this, &MainWindow::showAbout);
    m_aboutQtAction = new QAction(this);
    m_aboutQtAction->setMenuRole(QAction::AboutQtRole);
    connect(m_aboutQtAction, &QAction::triggered, qApp, &QApplication::aboutQt);

    m_languageGroup = new QActionGroup(this);
    m_languageGroup->setExclusive(true);
    const QString saved = QSettings().value(QLatin1String(kLanguageSettingsKey)).toString();
    m_systemLanguage = new QAction(m_languageGroup);
    m_systemLanguage->setCheckable(true);
    m_systemLanguage->setData(QString());
    m_systemLanguage->setChecked(normalizeLanguage(saved).isEmpty());
    for (const QString &code : availableLanguages()) {
        // Language names are shown in their own language, so they are not translated.
        auto *action = new QAction(nativeLanguageName(code), m_languageGroup);
        action->setCheckable(true);
        action->setData(code);
        action->setChecked(normalizeLanguage(saved) == code);
    }
    connect(m_languageGroup, &QActionGroup::triggered, this,
            [this](QAction *action) { setLanguage(action->data().toString()); });
}

void MainWindow::createMenus()
{
    m_fileMenu = menuBar()->addMenu(QString());
    m_fileMenu->setObjectName(QStringLiteral("menuFile"));
    m_fileMenu->addAction(m_openAction);
    m_recentMenu = m_fileMenu->addMenu(QString());
    m_recentMenu->setObjectName(QStringLiteral("menuRecent"));
    m_fileMenu->addAction(m_closeAction);
    m_fileMenu->addSeparator();
    m_fileMenu->addAction(m_quitAction);
    rebuildRecentMenu();

    m_viewMenu = menuBar()->addMenu(QString());
    m_viewMenu->setObjectName(QStringLiteral("menuView"));
    m_viewMenu->addAction(m_logScale);
    m_viewMenu->addAction(m_perChannel);
    m_viewMenu->addSeparator();
    m_languageMenu = m_viewMenu->addMenu(QString());
    m_languageMenu->setObjectName(QStringLiteral("menuLanguage"));
    m_languageMenu->addAction(m_systemLanguage);
    m_languageMenu->addSeparator();
    for (QAction *action : m_languageGroup->actions())
        if (action != m_systemLanguage)
            m_languageMenu->addAction(action);

    m_helpMenu = menuBar()->addMenu(QString());
    m_helpMenu->setObjectName(QStringLiteral("menuHelp"));
    m_helpMenu->addAction(m_aboutAction);
    m_helpMenu->addAction(m_aboutQtAction);
}

void MainWindow::createCentralWidget()
{
    m_pages = new QStackedWidget(this);

    // Page 0: nothing loaded yet.
    auto *welcomePage = new QWidget(m_pages);
    auto *welcomeLayout = new QVBoxLayout(welcomePage);
    m_welcome = new QLabel(welcomePage);
    m_welcome->setAlignment(Qt::AlignCenter);
    m_welcome->setWordWrap(true);
    m_welcome->setTextFormat(Qt::RichText);
    m_welcomeOpen = new QPushButton(welcomePage);
    connect(m_welcomeOpen, &QPushButton::clicked, this, &MainWindow::openDialog);
    welcomeLayout->addStretch(2);
    welcomeLayout->addWidget(m_welcome);
    welcomeLayout->addSpacing(12);
    welcomeLayout->addWidget(m_welcomeOpen, 0, Qt::AlignHCenter);
    welcomeLayout->addStretch(3);
    m_pages->addWidget(welcomePage);

    // Page 1: layer table | layer detail.
    m_splitter = new QSplitter(Qt::Horizontal, m_pages);
    m_splitter->setObjectName(QStringLiteral("mainSplitter"));

    auto *left = new QWidget(m_splitter);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(6, 6, 0, 6);
    m_filter = new QLineEdit(left);
    m_filter->setObjectName(QStringLiteral("layerFilter"));
    m_filter->setClearButtonEnabled(true);
    m_model = new LayerTableModel(this);
    m_proxy = new LayerFilterProxy(this);
    m_proxy->setSourceModel(m_model);
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &LayerFilterProxy::setFilterText);
    m_table = new QTableView(left);
    m_table->setObjectName(QStringLiteral("layerTable"));
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(LayerTableModel::ColIndex, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->setTextElideMode(Qt::ElideMiddle);  // "node_Ma…14_quant": suffixes tell layers apart
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setHighlightSections(false);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_table->horizontalHeader()->setStretchLastSection(false);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this] { showSelectedLayer(); });
    leftLayout->addWidget(m_filter);
    leftLayout->addWidget(m_table);

    auto *right = new QWidget(m_splitter);
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 6, 6, 6);
    auto *header = new QHBoxLayout;
    m_detailTitle = new QLabel(right);
    m_detailTitle->setObjectName(QStringLiteral("detailTitle"));
    m_detailTitle->setTextFormat(Qt::PlainText);
    QFont titleFont = m_detailTitle->font();
    titleFont.setBold(true);
    m_detailTitle->setFont(titleFont);
    m_detailTitle->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_logButton = new QToolButton(right);
    m_logButton->setDefaultAction(m_logScale);
    m_logButton->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_channelButton = new QToolButton(right);
    m_channelButton->setDefaultAction(m_perChannel);
    m_channelButton->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_binsLabel = new QLabel(right);
    m_bins = new QComboBox(right);
    m_bins->setObjectName(QStringLiteral("binsCombo"));
    m_bins->addItem(QString(), kAutoBins);  // "Auto", text set in retranslateUi()
    for (int bins : {16, 32, 64, 128, 256, 512})
        m_bins->addItem(QString::number(bins), bins);
    m_bins->setCurrentIndex(0);
    m_binsLabel->setBuddy(m_bins);
    connect(m_bins, &QComboBox::currentIndexChanged, this, [this] { showSelectedLayer(); });
    // The title gets a line of its own: layer and tensor names can be long.
    rightLayout->addWidget(m_detailTitle);
    header->addWidget(m_logButton);
    header->addWidget(m_channelButton);
    header->addSpacing(8);
    header->addWidget(m_binsLabel);
    header->addWidget(m_bins);
    header->addStretch(1);
    rightLayout->addLayout(header);

    m_detailSplitter = new QSplitter(Qt::Horizontal, right);
    m_plots = new QStackedWidget(m_detailSplitter);
    m_histogram = new HistogramPlot(m_plots);
    m_histogram->setObjectName(QStringLiteral("histogramPlot"));
    m_channels = new ChannelRangePlot(m_plots);
    m_channels->setObjectName(QStringLiteral("channelPlot"));
    m_plots->addWidget(m_histogram);
    m_plots->addWidget(m_channels);
    m_stats = new WeightStatsPanel(m_detailSplitter);
    m_stats->setObjectName(QStringLiteral("statsPanel"));
    m_stats->setMinimumWidth(220);
    m_detailSplitter->addWidget(m_plots);
    m_detailSplitter->addWidget(m_stats);
    m_detailSplitter->setStretchFactor(0, 1);
    m_detailSplitter->setStretchFactor(1, 0);
    m_detailSplitter->setCollapsible(0, false);
    rightLayout->addWidget(m_detailSplitter, 1);

    m_splitter->addWidget(left);
    m_splitter->addWidget(right);
    m_splitter->setStretchFactor(0, 2);
    m_splitter->setStretchFactor(1, 3);
    m_splitter->setCollapsible(1, false);
    connect(m_splitter, &QSplitter::splitterMoved, this, [this] { m_splitterUserSized = true; });
    m_pages->addWidget(m_splitter);
    m_pages->setCurrentIndex(0);
    setCentralWidget(m_pages);
}

void MainWindow::createStatusBar()
{
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("summaryLabel"));
    m_progress = new QProgressBar(this);
    m_progress->setMaximumWidth(200);
    m_progress->setTextVisible(false);
    m_progress->hide();
    m_cancel = new QToolButton(this);
    m_cancel->setAutoRaise(true);
    m_cancel->hide();
    connect(m_cancel, &QToolButton::clicked, this, &MainWindow::cancelLoading);
    statusBar()->addPermanentWidget(m_summary, 1);
    statusBar()->addPermanentWidget(m_progress);
    statusBar()->addPermanentWidget(m_cancel);
}

void MainWindow::retranslateUi()
{
    m_fileMenu->setTitle(tr("&File"));
    m_recentMenu->setTitle(tr("Open &Recent"));
    m_viewMenu->setTitle(tr("&View"));
    m_languageMenu->setTitle(tr("&Language"));
    m_helpMenu->setTitle(tr("&Help"));
    m_openAction->setText(tr("&Open Model…"));
    m_openAction->setStatusTip(tr("Open an ONNX model file"));
    m_closeAction->setText(tr("&Close Model"));
    m_quitAction->setText(tr("&Quit"));
    m_logScale->setText(tr("&Log-Scale Counts"));
    m_logScale->setToolTip(tr("Show histogram counts on a logarithmic axis (%1)")
                               .arg(m_logScale->shortcut().toString(QKeySequence::NativeText)));
    m_perChannel->setText(tr("&Per-Channel Ranges"));
    m_perChannel->setToolTip(tr("Show the min/max range of each output channel (%1)")
                                 .arg(m_perChannel->shortcut().toString(QKeySequence::NativeText)));
    m_aboutAction->setText(tr("&About NNCompress Studio"));
    m_aboutQtAction->setText(tr("About &Qt"));
    m_systemLanguage->setText(tr("&System Default"));
    m_welcome->setText(tr("<p style='font-size:large'><b>No model open</b></p>"
                          "<p>Open an ONNX model with <b>File ▸ Open Model…</b> (%1),<br>"
                          "pick one from <b>Open Recent</b>, or drop a .onnx file here.</p>")
                           .arg(m_openAction->shortcut().toString(QKeySequence::NativeText)));
    m_welcomeOpen->setText(tr("Open Model…"));
    m_filter->setPlaceholderText(tr("Filter layers by name or op"));
    m_binsLabel->setText(tr("&Bins:"));
    m_bins->setItemText(0, tr("Auto"));
    m_cancel->setText(tr("Cancel"));
    m_cancel->setToolTip(tr("Stop loading the model"));
    m_model->retranslate();
    rebuildRecentMenu();
    updateDetailTitle();
    updateSummary();
    if (!m_detail && m_detailError.isEmpty()) {
        m_histogram->clear(m_snapshot ? tr("Select a layer") : QString());
        m_channels->clear(m_snapshot ? tr("Select a layer") : QString());
    }
    if (m_path.isEmpty())
        setWindowTitle(tr("NNCompress Studio"));
    else
        setWindowTitle(tr("%1 — NNCompress Studio").arg(QFileInfo(m_path).fileName()));
}

void MainWindow::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QMainWindow::changeEvent(event);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/splitter"), m_splitter->saveState());
    m_loadTask.cancel();
    m_detailTask.cancel();
    event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    const QMimeData *mime = event->mimeData();
    if (mime->hasUrls() && !mime->urls().isEmpty() && mime->urls().first().isLocalFile())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (urls.isEmpty() || !urls.first().isLocalFile())
        return;
    event->acceptProposedAction();
    openFile(urls.first().toLocalFile());
}

void MainWindow::setLanguage(const QString &code)
{
    QSettings().setValue(QLatin1String(kLanguageSettingsKey), normalizeLanguage(code));
    const QString lang = resolveLanguage(QString(), code, QLocale::system());
    if (!applyLanguage(lang))
        statusBar()->showMessage(tr("The %1 translation is missing.").arg(nativeLanguageName(lang)), 5000);
    for (QAction *action : m_languageGroup->actions())
        action->setChecked(action->data().toString() == normalizeLanguage(code));
    // installTranslator() posts LanguageChange; retranslate now so the change is immediate.
    retranslateUi();
}

// ---- Loading ---------------------------------------------------------------------------------

void MainWindow::openDialog()
{
    QSettings settings;
    const QString dir = settings.value(QStringLiteral("lastDirectory"), QDir::homePath()).toString();
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open Model"), dir, tr("ONNX models (*.onnx);;All files (*)"));
    if (path.isEmpty())
        return;
    settings.setValue(QStringLiteral("lastDirectory"), QFileInfo(path).absolutePath());
    openFile(path);
}

bool MainWindow::isLoading() const
{
    return m_loadTask.isRunning();
}

void MainWindow::openFile(const QString &path)
{
    if (path.isEmpty())
        return;
    const QString absolute = QFileInfo(path).absoluteFilePath();
    m_loadingPath = absolute;
    m_progress->setRange(0, 0);  // busy until the reader reports its first step
    m_progress->show();
    m_cancel->show();
    statusBar()->showMessage(tr("Loading %1…").arg(QDir::toNativeSeparators(absolute)));
    m_loadTask.start(
        [file = toPath(absolute)](const Progress &progress) { return loadModelSnapshot(file, progress); },
        [this, absolute](Result<ModelSnapshot> result) { onLoaded(absolute, std::move(result)); },
        [this](int64_t done, int64_t total) {
            if (total <= 0)
                return;
            m_progress->setRange(0, 1000);
            m_progress->setValue(static_cast<int>(std::min<int64_t>(1000, done * 1000 / total)));
        });
}

void MainWindow::cancelLoading()
{
    m_loadTask.cancel();
    m_progress->hide();
    m_cancel->hide();
    statusBar()->showMessage(tr("Loading cancelled."), 4000);
    m_loadingPath.clear();
}

void MainWindow::onLoaded(const QString &path, Result<ModelSnapshot> result)
{
    m_progress->hide();
    m_cancel->hide();
    m_loadingPath.clear();
    statusBar()->clearMessage();
    if (!result) {
        showLoadError(path, QString::fromStdString(result.error().message));
        return;
    }
    m_detailTask.cancel();
    m_detail.reset();
    m_snapshot = std::move(*result);
    m_path = path;
    m_model->setLayers(m_snapshot->layers);
    m_pages->setCurrentIndex(1);
    fitTableColumns();
    m_closeAction->setEnabled(true);
    addRecentFile(path);
    m_stats->clear();
    retranslateUi();
    statusBar()->showMessage(tr("Loaded %1: %n layer(s).", nullptr,
                                static_cast<int>(m_snapshot->layers.size()))
                                 .arg(QFileInfo(path).fileName()),
                             5000);
    if (m_proxy->rowCount() > 0)
        m_table->selectRow(0);
    emit modelLoaded(path);
}

void MainWindow::showLoadError(const QString &path, const QString &message)
{
    // Not QMessageBox::critical(): a window-modal box that returns at once keeps the event loop
    // (and tests) running, and the window stays usable once it is closed.
    auto *box = new QMessageBox(QMessageBox::Critical, tr("Open Model"),
                                tr("Could not open %1.").arg(QFileInfo(path).fileName()),
                                QMessageBox::Ok, this);
    box->setObjectName(QStringLiteral("loadErrorBox"));
    box->setInformativeText(message);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
    statusBar()->showMessage(tr("Could not open %1.").arg(QFileInfo(path).fileName()), 8000);
    emit loadFailed(path, message);
}

void MainWindow::closeModel()
{
    m_loadTask.cancel();
    m_detailTask.cancel();
    m_snapshot.reset();
    m_detail.reset();
    m_path.clear();
    m_model->setLayers({});
    m_stats->clear();
    m_closeAction->setEnabled(false);
    m_pages->setCurrentIndex(0);
    m_progress->hide();
    m_cancel->hide();
    retranslateUi();
}

void MainWindow::fitTableColumns()
{
    m_table->resizeColumnsToContents();
    // Widen the table pane to show every column, up to 45 % of the window (the plot needs room);
    // when that is not enough the name column gives way (elided, full name in its tooltip).
    const int chrome = 2 * m_table->frameWidth() + m_table->verticalScrollBar()->sizeHint().width() + 8;
    int wanted = chrome;
    for (int c = 0; c < LayerTableModel::ColCount; ++c)
        wanted += m_table->columnWidth(c);
    const QList<int> sizes = m_splitter->sizes();
    const int total = sizes.value(0) + sizes.value(1);
    if (total <= 0)
        return;
    const int left = std::min(wanted, total * 45 / 100);
    if (!m_splitterUserSized || sizes.value(0) < left)
        m_splitter->setSizes({left, total - left});
    const int available = m_splitter->sizes().value(0);
    if (wanted > available) {
        const int name = m_table->columnWidth(LayerTableModel::ColName);
        m_table->setColumnWidth(LayerTableModel::ColName, std::max(110, name - (wanted - available)));
    }
}

// ---- Layer detail ----------------------------------------------------------------------------

void MainWindow::showSelectedLayer()
{
    if (!m_snapshot)
        return;
    const QModelIndex current = m_proxy->mapToSource(m_table->currentIndex());
    const Layer *layer = current.isValid() ? m_model->layerAt(current.row()) : nullptr;
    m_detail.reset();
    m_detailError.clear();
    if (!layer) {
        m_detailTask.cancel();
        m_stats->clear();
        m_histogram->clear(tr("Select a layer"));
        m_channels->clear(tr("Select a layer"));
        updateDetailTitle();
        return;
    }
    const int bins = m_bins->currentData().toInt();
    std::shared_ptr<const Model> model = m_snapshot->model;
    m_detailTask.start(
        [model, layer = *layer, bins](const Progress &) { return computeLayerDetail(*model, layer, bins); },
        [this](Result<LayerDetail> result) { onDetail(std::move(result)); });
    updateDetailTitle();
}

void MainWindow::onDetail(Result<LayerDetail> result)
{
    if (!result) {
        m_detailError = QString::fromStdString(result.error().message);
        m_stats->clear();
        m_histogram->clear(m_detailError);
        m_channels->clear(m_detailError);
        updateDetailTitle();
        return;
    }
    m_detail = std::move(*result);
    const QString name = QString::fromStdString(m_detail->layer.name);
    m_histogram->setHistogram(m_detail->histogram, name);
    m_channels->setRanges(m_detail->stats.channelMin, m_detail->stats.channelMax,
                          m_detail->layer.channelAxis, name);
    m_stats->setStats(m_detail->layer, m_detail->stats);
    updateDetailTitle();
    emit layerShown(name);
}

void MainWindow::updateDetailTitle()
{
    if (m_detail) {
        const Layer &l = m_detail->layer;
        m_detailTitle->setText(tr("%1 — %2, weight %3 %4")
                                   .arg(QString::fromStdString(l.name), QString::fromStdString(l.op),
                                        QString::fromStdString(l.weight),
                                        QString::fromStdString(dimsToString(l.shape))));
    } else if (!m_detailError.isEmpty()) {
        m_detailTitle->setText(tr("Could not read this layer's weight."));
    } else {
        m_detailTitle->setText(m_snapshot && m_snapshot->layers.empty()
                                   ? tr("This model has no layers with constant weights.")
                                   : QString());
    }
    m_detailTitle->setToolTip(m_detailTitle->text());
}

void MainWindow::updatePlotMode()
{
    const bool perChannel = m_perChannel->isChecked();
    m_plots->setCurrentWidget(perChannel ? static_cast<QWidget *>(m_channels) : m_histogram);
    m_logScale->setEnabled(!perChannel);
    m_bins->setEnabled(!perChannel);
    m_binsLabel->setEnabled(!perChannel);
}

// ---- Status bar, recent files, about ---------------------------------------------------------

void MainWindow::updateSummary()
{
    if (!m_snapshot) {
        m_summary->clear();
        return;
    }
    const ModelOverview &o = m_snapshot->overview;
    const QLocale locale;
    m_summary->setText(tr("IR %1 · opsets: %2 · %3 nodes · %4 parameters · %5 as float32")
                           .arg(o.irVersion)
                           .arg(QString::fromStdString(o.opsets),
                                locale.toString(static_cast<qlonglong>(o.counts.nodeCount)),
                                locale.toString(static_cast<qlonglong>(o.counts.parameterCount)),
                                locale.formattedDataSize(o.floatBytes, 1,
                                                         QLocale::DataSizeTraditionalFormat)));
    QString tip = tr("Parameters as stored: %1")
                      .arg(locale.formattedDataSize(o.counts.parameterBytes, 1,
                                                    QLocale::DataSizeTraditionalFormat));
    if (!o.producer.empty())
        tip += QLatin1Char('\n') + tr("Produced by %1").arg(QString::fromStdString(o.producer));
    m_summary->setToolTip(tip);
}

QStringList MainWindow::recentFiles() const
{
    return QSettings().value(QLatin1String(kRecentKey)).toStringList();
}

void MainWindow::addRecentFile(const QString &path)
{
    QStringList files = recentFiles();
    files.removeAll(path);
    files.prepend(path);
    while (files.size() > kMaxRecentFiles)
        files.removeLast();
    QSettings().setValue(QLatin1String(kRecentKey), files);
    rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu()
{
    m_recentMenu->clear();
    const QStringList files = recentFiles();
    for (int i = 0; i < files.size(); ++i) {
        const QString &file = files[i];
        // &1 .. &8 give keyboard accelerators; the full path is in the status tip.
        QAction *action = m_recentMenu->addAction(
            QStringLiteral("&%1  %2").arg(i + 1).arg(QFileInfo(file).fileName()));
        action->setStatusTip(QDir::toNativeSeparators(file));
        action->setToolTip(QDir::toNativeSeparators(file));
        connect(action, &QAction::triggered, this, [this, file] { openFile(file); });
    }
    if (!files.isEmpty())
        m_recentMenu->addSeparator();
    QAction *clear = m_recentMenu->addAction(tr("Clear Recent Files"));
    clear->setEnabled(!files.isEmpty());
    connect(clear, &QAction::triggered, this, [this] {
        QSettings().remove(QLatin1String(kRecentKey));
        rebuildRecentMenu();
    });
}

void MainWindow::showAbout()
{
    QMessageBox::about(
        this, tr("About NNCompress Studio"),
        tr("<h3>NNCompress Studio %1</h3>"
           "<p>Inspect the weights of ONNX neural networks and plan their compression.</p>"
           "<p>Built with Qt %2 and QCustomPlot.</p>")
            .arg(QCoreApplication::applicationVersion(), QString::fromLatin1(qVersion())));
}

} // namespace nnc::studio
