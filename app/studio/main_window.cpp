// MainWindow: menus, the document, the layer table, the weights view, the panels, and the
// background tasks that feed them.
#include "app/studio/main_window.h"

#include "app/studio/eval_service.h"
#include "app/studio/language.h"
#include "app/studio/project.h"
#include "app/studio/report_pdf.h"
#include "app/studio/settings_dialog.h"
#include "core/eval/weight_compression.h"
#include "core/prune/pruner.h"
#include "widgets/channel_range_plot.h"
#include "widgets/histogram_plot.h"
#include "widgets/layer_settings_panel.h"
#include "widgets/layer_table_model.h"
#include "widgets/weight_stats_panel.h"

// Panels built by other parts of the team join as soon as their files exist in the tree.
#if __has_include("widgets/preview_panel.h") && __has_include("widgets/preview_panel.cpp")
#include "widgets/preview_panel.h"
#define NNC_HAVE_PREVIEW_PANEL 1
#endif
#if __has_include("widgets/activation_view.h") && __has_include("widgets/activation_view.cpp")
#include "widgets/activation_view.h"
#define NNC_HAVE_ACTIVATION_VIEW 1
#endif
#if __has_include("widgets/sensitivity_view.h") && __has_include("widgets/sensitivity_view.cpp")
#include "widgets/sensitivity_view.h"
#define NNC_HAVE_SENSITIVITY_VIEW 1
#endif
#if __has_include("widgets/summary_view.h") && __has_include("widgets/summary_view.cpp")
#include "widgets/summary_view.h"
#define NNC_HAVE_SUMMARY_VIEW 1
#endif
#if __has_include("widgets/fusion_page.h") && __has_include("widgets/distill_page.h")
#include "widgets/distill_page.h"
#include "widgets/fusion_page.h"
#define NNC_HAVE_WORKBENCH_PAGES 1
#endif

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QProgressDialog>
#include <QPushButton>
#include <QScreen>
#include <QScrollArea>
#include <QScrollBar>
#include <QScopedValueRollback>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QUndoStack>
#include <QVBoxLayout>

#include <utility>

namespace nnc::studio {

namespace {

constexpr int kMaxRecentFiles = 8;
constexpr int kAutoBins = 0;  // combo data for "Auto": computeLayerDetail picks the count
constexpr int kMergeDrag = 1;  // the moves of one range drag on the histogram: one undo step
constexpr int kAutosaveMs = 60 * 1000;
const char *const kRecentKey = "recentFiles";
const char *const kSessionKey = "session/running";

std::filesystem::path toPath(const QString &path)
{
    return std::filesystem::path(QFile::encodeName(path).toStdString());
}

QString canonical(const QString &path)
{
    const QFileInfo info(path);
    const QString c = info.canonicalFilePath();
    return c.isEmpty() ? info.absoluteFilePath() : c;
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

bool samePrune(const PruneSpec &a, const PruneSpec &b)
{
    return a.ratio == b.ratio && a.structure == b.structure && a.l2 == b.l2 && a.n == b.n &&
           a.m == b.m;
}

/// A page in a scroll area: a tab's minimum size then no longer dictates the window's (the
/// docks can take their share at 1280x800) and a tall page scrolls instead of being squeezed.
QScrollArea *scrolled(QWidget *page, QWidget *parent)
{
    auto *scroll = new QScrollArea(parent);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(page);
    return scroll;
}

/// The tab of `tabs` that shows `page` (directly or inside its scroll area), or -1.
int tabOf(const QTabWidget *tabs, const QWidget *page)
{
    for (int i = 0; i < tabs->count(); ++i) {
        const QWidget *w = tabs->widget(i);
        if (w == page)
            return i;
        if (auto *scroll = qobject_cast<const QScrollArea *>(w); scroll && scroll->widget() == page)
            return i;
    }
    return -1;
}

} // namespace

// ---- Files: kinds and demos --------------------------------------------------------------------

FileKind detectFileKind(const QString &path)
{
    const QFileInfo info(path);
    if (info.isDir())
        return FileKind::Data;  // an ONNX test-data folder of .pb tensors
    const QString suffix = info.suffix().toLower();
    if (suffix == QLatin1String("onnx"))
        return FileKind::Model;
    if (suffix == QLatin1String("nncproj"))
        return FileKind::Project;
    if (suffix == QLatin1String("npz") || suffix == QLatin1String("npy") ||
        suffix == QLatin1String("gz") || suffix == QLatin1String("idx") ||
        path.contains(QLatin1String("-ubyte")))
        return FileKind::Data;
    if (suffix == QLatin1String("json")) {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly) || file.size() > (64 << 20))
            return FileKind::Unknown;
        const QJsonObject root = QJsonDocument::fromJson(file.readAll()).object();
        const QString format = root.value(QStringLiteral("format")).toString();
        if (format == QLatin1String("nncompress-project"))
            return FileKind::Project;
        if (format == QLatin1String("nncompress-plan"))
            return FileKind::Plan;
        if (root.contains(QStringLiteral("source")) || root.contains(QStringLiteral("inputs")))
            return FileKind::Data;
        return FileKind::Unknown;
    }
    return FileKind::Unknown;
}

QString demoDirectory()
{
    QStringList candidates;
#ifdef NNC_DEMO_DIR
    candidates << QStringLiteral(NNC_DEMO_DIR);
#endif
    const QString app = QCoreApplication::applicationDirPath();
    candidates << app + QStringLiteral("/../share/nncompress/demo")
               << app + QStringLiteral("/../share/nncompress-studio/demo");
    for (const QString &dir : candidates)
        if (QFileInfo::exists(dir + QStringLiteral("/demos.json")))
            return QDir::cleanPath(dir);
    return {};
}

QList<DemoEntry> loadDemos(const QString &dir)
{
    QList<DemoEntry> out;
    QFile file(dir + QStringLiteral("/demos.json"));
    if (dir.isEmpty() || !file.open(QIODevice::ReadOnly))
        return out;
    const QJsonArray demos =
        QJsonDocument::fromJson(file.readAll()).object().value(QStringLiteral("demos")).toArray();
    const QDir base(dir);
    for (const QJsonValue &v : demos) {
        const QJsonObject o = v.toObject();
        DemoEntry d;
        d.id = o.value(QStringLiteral("id")).toString();
        d.title = o.value(QStringLiteral("title")).toString();
        d.titleZh = o.value(QStringLiteral("title_zh")).toString();
        d.description = o.value(QStringLiteral("description")).toString();
        d.descriptionZh = o.value(QStringLiteral("description_zh")).toString();
        d.model = base.absoluteFilePath(o.value(QStringLiteral("model")).toString());
        const QString data = o.value(QStringLiteral("data")).toString();
        d.data = data.isEmpty() ? QString() : base.absoluteFilePath(data);
        d.isDefault = o.value(QStringLiteral("default")).toBool();
        if (!d.model.isEmpty())
            out << d;
    }
    return out;
}

// ---- Construction ------------------------------------------------------------------------------

MainWindow::MainWindow(QWidget *parent) : QMainWindow(parent)
{
    setObjectName(QStringLiteral("mainWindow"));
    setAcceptDrops(true);
    setDockNestingEnabled(true);
    // The settings panel is tall: it takes the right edge from top to bottom.
    setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);
    setCorner(Qt::TopRightCorner, Qt::RightDockWidgetArea);
    m_project = new Project(this);
    m_eval = new EvalService(this);
    createActions();
    createMenus();
    createCentralWidget();
    createPanels();
    createStatusBar();

    connect(m_project, &Project::planChanged, this, &MainWindow::onPlanChanged);
    connect(m_project, &Project::modifiedChanged, this, [this] { updateTitle(); });
    connect(m_project, &Project::filePathChanged, this, [this] { updateTitle(); });
    connect(m_eval, &EvalService::opened, this, [this](qint64 samples) {
        m_dataError.clear();
        const QString path = m_eval->dataPath();
        const bool wasModified = m_project->isModified();
        const bool sameData = canonical(path) == canonical(m_project->dataPath());
        m_project->setDataPath(path);
        if (!wasModified && (sameData || m_quietDataOpen))
            m_project->markUnmodified();
        m_quietDataOpen = false;
        m_dataLabel->setText(tr("Data: %1 (%n sample(s))", nullptr, static_cast<int>(samples))
                                 .arg(QFileInfo(path).fileName()));
        m_dataLabel->setToolTip(QDir::toNativeSeparators(path));
    });
    connect(m_eval, &EvalService::openFailed, this, [this](const QString &message) {
        const QString failed = m_eval->dataPath();
        m_dataError = message;
        m_quietDataOpen = false;
        showError(tr("Open Validation Data"),
                  tr("Could not use %1 with this model.").arg(QFileInfo(failed).fileName()), message);
        // Back to the data that worked, if any: the window stays usable.
        const QString previous = m_project->dataPath();
        if (!previous.isEmpty() && canonical(previous) != canonical(failed) && m_snapshot)
            reopenEvaluator();
        else
            m_dataLabel->setText(tr("No validation data"));
    });
    connect(m_eval, &EvalService::previewFinished, this,
            [this](const nnc::EvalResult &result) { m_model->setEvalResult(result); });

    m_autosaveTimer = new QTimer(this);
    m_autosaveTimer->setInterval(kAutosaveMs);
    connect(m_autosaveTimer, &QTimer::timeout, this, &MainWindow::autosave);
    m_autosaveTimer->start();

    retranslateUi();
    restoreLayout();
    onPlanChanged();
}

MainWindow::~MainWindow()
{
    m_loadTask.cancel();
    m_detailTask.cancel();
    m_pruneTask.cancel();
    m_readoutTask.cancel();
    // The panels talk to the project and the evaluator service until their last breath, and
    // those two were created first (Qt would delete them first): delete the panels now.
    delete takeCentralWidget();
    for (QDockWidget *dock : findChildren<QDockWidget *>(Qt::FindDirectChildrenOnly))
        delete dock;
}

void MainWindow::createActions()
{
    m_newAction = new QAction(this);
    m_newAction->setShortcut(QKeySequence::New);
    connect(m_newAction, &QAction::triggered, this, &MainWindow::newProject);

    m_openAction = new QAction(this);
    m_openAction->setShortcut(QKeySequence::Open);
    connect(m_openAction, &QAction::triggered, this, &MainWindow::openDialog);

    m_openDataAction = new QAction(this);
    m_openDataAction->setObjectName(QStringLiteral("actionOpenData"));
    connect(m_openDataAction, &QAction::triggered, this, &MainWindow::openDataDialog);

    m_saveAction = new QAction(this);
    m_saveAction->setShortcut(QKeySequence::Save);
    connect(m_saveAction, &QAction::triggered, this, [this] { save(); });
    m_saveAsAction = new QAction(this);
    m_saveAsAction->setShortcut(QKeySequence::SaveAs);
    connect(m_saveAsAction, &QAction::triggered, this, [this] { saveAsDialog(); });

    m_importPlanAction = new QAction(this);
    connect(m_importPlanAction, &QAction::triggered, this, &MainWindow::importPlanDialog);
    m_exportPlanAction = new QAction(this);
    connect(m_exportPlanAction, &QAction::triggered, this, &MainWindow::exportPlanDialog);
    m_exportModelAction = new QAction(this);
    connect(m_exportModelAction, &QAction::triggered, this, &MainWindow::exportModelDialog);
    m_exportReportAction = new QAction(this);
    connect(m_exportReportAction, &QAction::triggered, this, &MainWindow::exportReportDialog);

    m_closeAction = new QAction(this);
    m_closeAction->setShortcut(QKeySequence::Close);
    m_closeAction->setEnabled(false);
    connect(m_closeAction, &QAction::triggered, this, [this] {
        if (maybeSave())
            closeModel();
    });

    m_quitAction = new QAction(this);
    m_quitAction->setShortcut(QKeySequence::Quit);
    m_quitAction->setMenuRole(QAction::QuitRole);
    connect(m_quitAction, &QAction::triggered, this, &QWidget::close);

    QUndoStack *stack = m_project->undoStack();
    m_undoAction = new QAction(this);
    m_undoAction->setObjectName(QStringLiteral("actionUndo"));
    m_undoAction->setShortcut(QKeySequence::Undo);
    m_undoAction->setEnabled(false);
    connect(m_undoAction, &QAction::triggered, stack, &QUndoStack::undo);
    connect(stack, &QUndoStack::canUndoChanged, m_undoAction, &QAction::setEnabled);
    m_redoAction = new QAction(this);
    m_redoAction->setObjectName(QStringLiteral("actionRedo"));
    m_redoAction->setShortcut(QKeySequence::Redo);
    m_redoAction->setEnabled(false);
    connect(m_redoAction, &QAction::triggered, stack, &QUndoStack::redo);
    connect(stack, &QUndoStack::canRedoChanged, m_redoAction, &QAction::setEnabled);
    auto undoTexts = [this] {
        const QUndoStack *s = m_project->undoStack();
        m_undoAction->setText(s->canUndo() ? tr("&Undo %1").arg(s->undoText()) : tr("&Undo"));
        m_redoAction->setText(s->canRedo() ? tr("&Redo %1").arg(s->redoText()) : tr("&Redo"));
    };
    connect(stack, &QUndoStack::indexChanged, this, undoTexts);
    connect(stack, &QUndoStack::undoTextChanged, this, undoTexts);
    connect(stack, &QUndoStack::redoTextChanged, this, undoTexts);

    m_settingsAction = new QAction(this);
    m_settingsAction->setObjectName(QStringLiteral("actionSettings"));
    m_settingsAction->setMenuRole(QAction::PreferencesRole);
    m_settingsAction->setShortcut(QKeySequence::Preferences);
    connect(m_settingsAction, &QAction::triggered, this, &MainWindow::showSettingsDialog);

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
    m_fileMenu->addAction(m_newAction);
    m_fileMenu->addAction(m_openAction);
    m_demoMenu = m_fileMenu->addMenu(QString());
    m_demoMenu->setObjectName(QStringLiteral("menuDemo"));
    m_fileMenu->addAction(m_openDataAction);
    m_recentMenu = m_fileMenu->addMenu(QString());
    m_recentMenu->setObjectName(QStringLiteral("menuRecent"));
    m_fileMenu->addSeparator();
    m_fileMenu->addAction(m_saveAction);
    m_fileMenu->addAction(m_saveAsAction);
    m_fileMenu->addSeparator();
    m_fileMenu->addAction(m_importPlanAction);
    m_fileMenu->addAction(m_exportPlanAction);
    m_fileMenu->addAction(m_exportModelAction);
    m_fileMenu->addAction(m_exportReportAction);
    m_fileMenu->addSeparator();
    m_fileMenu->addAction(m_closeAction);
    m_fileMenu->addAction(m_quitAction);
    rebuildRecentMenu();

    m_editMenu = menuBar()->addMenu(QString());
    m_editMenu->setObjectName(QStringLiteral("menuEdit"));
    m_editMenu->addAction(m_undoAction);
    m_editMenu->addAction(m_redoAction);
    m_editMenu->addSeparator();
    m_editMenu->addAction(m_settingsAction);

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
    m_viewMenu->addSeparator();

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
    m_welcomeDemo = new QPushButton(welcomePage);
    m_welcomeDemo->setObjectName(QStringLiteral("welcomeDemo"));
    connect(m_welcomeDemo, &QPushButton::clicked, this, [this] { openDefaultDemo(); });
    auto *buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(m_welcomeOpen);
    buttons->addWidget(m_welcomeDemo);
    buttons->addStretch(1);
    welcomeLayout->addStretch(2);
    welcomeLayout->addWidget(m_welcome);
    welcomeLayout->addSpacing(12);
    welcomeLayout->addLayout(buttons);
    welcomeLayout->addStretch(3);
    m_pages->addWidget(welcomePage);

    // Page 1: tabs; the first is layer table | layer detail.
    m_tabs = new QTabWidget(m_pages);
    m_tabs->setObjectName(QStringLiteral("mainTabs"));
    m_tabs->setDocumentMode(true);
    m_splitter = new QSplitter(Qt::Horizontal, m_tabs);
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
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->setTextElideMode(Qt::ElideMiddle);  // "node_Ma…14_quant": suffixes tell layers apart
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setHighlightSections(false);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_table->horizontalHeader()->setStretchLastSection(false);
    // Columns can be hidden from the header's context menu (remembered across sessions).
    m_table->horizontalHeader()->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_table->horizontalHeader(), &QWidget::customContextMenuRequested, this,
            [this](const QPoint &pos) {
                QMenu menu(this);
                for (int c = 0; c < LayerTableModel::ColCount; ++c) {
                    if (c == LayerTableModel::ColName)
                        continue;  // the name is what the rows are
                    QAction *a = menu.addAction(
                        m_model->headerData(c, Qt::Horizontal, Qt::DisplayRole).toString());
                    a->setCheckable(true);
                    a->setChecked(!m_table->isColumnHidden(c));
                    connect(a, &QAction::toggled, this, [this, c](bool on) {
                        m_table->setColumnHidden(c, !on);
                        QStringList hidden;
                        for (int k = 0; k < LayerTableModel::ColCount; ++k)
                            if (m_table->isColumnHidden(k))
                                hidden << QString::number(k);
                        QSettings().setValue(QStringLiteral("view/hiddenColumns"), hidden);
                    });
                }
                menu.exec(m_table->horizontalHeader()->mapToGlobal(pos));
            });
    {
        // By default the storage type is hidden: it is in the statistics beside the plot.
        const QStringList hidden =
            QSettings()
                .value(QStringLiteral("view/hiddenColumns"),
                       QStringList{QString::number(LayerTableModel::ColDtype)})
                .toStringList();
        for (const QString &c : hidden)
            m_table->setColumnHidden(c.toInt(), true);
    }
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this] { showSelectedLayer(); });
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            [this] { onSelectionChanged(); });
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
    rightLayout->addWidget(m_detailTitle);
    header->addWidget(m_logButton);
    header->addWidget(m_channelButton);
    header->addSpacing(8);
    header->addWidget(m_binsLabel);
    header->addWidget(m_bins);
    header->addStretch(1);

    m_detailTabs = new QTabWidget(right);
    m_detailTabs->setObjectName(QStringLiteral("detailTabs"));
    auto *weightsPage = new QWidget(m_detailTabs);
    auto *weightsLayout = new QVBoxLayout(weightsPage);
    weightsLayout->setContentsMargins(0, 4, 0, 0);
    weightsLayout->addLayout(header);
    m_detailSplitter = new QSplitter(Qt::Horizontal, weightsPage);
    m_detailSplitter->setObjectName(QStringLiteral("detailSplitter"));
    m_plots = new QStackedWidget(m_detailSplitter);
    m_histogram = new HistogramPlot(m_plots);
    m_histogram->setObjectName(QStringLiteral("histogramPlot"));
    m_channels = new ChannelRangePlot(m_plots);
    m_channels->setObjectName(QStringLiteral("channelPlot"));
    m_plots->addWidget(m_histogram);
    m_plots->addWidget(m_channels);
    // The statistics are a long form: it scrolls rather than forcing the window to be tall.
    auto *statsScroll = new QScrollArea(m_detailSplitter);
    statsScroll->setWidgetResizable(true);
    statsScroll->setFrameShape(QFrame::NoFrame);
    statsScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_stats = new WeightStatsPanel(statsScroll);
    m_stats->setObjectName(QStringLiteral("statsPanel"));
    statsScroll->setWidget(m_stats);
    statsScroll->setMinimumWidth(m_stats->sizeHint().width() + 16);
    m_detailSplitter->addWidget(m_plots);
    m_detailSplitter->addWidget(statsScroll);
    m_detailSplitter->setStretchFactor(0, 1);
    m_detailSplitter->setStretchFactor(1, 0);
    m_detailSplitter->setCollapsible(0, false);
    weightsLayout->addWidget(m_detailSplitter, 1);
    m_detailTabs->addTab(weightsPage, QString());
    rightLayout->addWidget(m_detailTabs, 1);

    connect(m_histogram, &HistogramPlot::rangeDragged, this, [this](double lo, double hi) {
        const QString layer = currentLayerName();
        if (layer.isEmpty())
            return;
        const float rmin = static_cast<float>(lo), rmax = static_cast<float>(hi);
        m_project->editPlan(tr("Drag the range of %1").arg(layer),
                            [name = layer.toStdString(), rmin, rmax](CompressionPlan &p) {
                                QuantOverride &o = p.layers[name].weights;
                                o.rmin = rmin;
                                o.rmax = rmax;
                            },
                            kMergeDrag);
    });
    connect(m_histogram, &HistogramPlot::rangeDragFinished, this, [this] {
        m_project->endMerge();
        updateReadout();  // the lines snap to the plan's stored (float) range
    });

    m_splitter->addWidget(left);
    m_splitter->addWidget(right);
    m_splitter->setStretchFactor(0, 2);
    m_splitter->setStretchFactor(1, 3);
    m_splitter->setCollapsible(1, false);
    connect(m_splitter, &QSplitter::splitterMoved, this, [this] { m_splitterUserSized = true; });
    m_tabs->addTab(m_splitter, QString());
    m_pages->addWidget(m_tabs);
    m_pages->setCurrentIndex(0);
    setCentralWidget(m_pages);
}

void MainWindow::createPanels()
{
    m_settings = new LayerSettingsPanel(m_project, m_eval, this);
    m_settings->setObjectName(QStringLiteral("layerSettings"));
    m_settingsDock = new QDockWidget(this);
    m_settingsDock->setObjectName(QStringLiteral("settingsDock"));
    m_settingsDock->setWidget(m_settings);
    m_settingsDock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable |
                                QDockWidget::DockWidgetClosable);
    addDockWidget(Qt::RightDockWidgetArea, m_settingsDock);
    m_viewMenu->addAction(m_settingsDock->toggleViewAction());

#ifdef NNC_HAVE_PREVIEW_PANEL
    auto *preview = new PreviewPanel(m_project, m_eval, this);
    preview->setObjectName(QStringLiteral("previewPanel"));
    m_previewPanel = preview;
    m_previewDock = new QDockWidget(this);
    m_previewDock->setObjectName(QStringLiteral("previewDock"));
    // The panel is tall when laid out in full: a scroll area lets the dock be shorter.
    auto *previewScroll = new QScrollArea(this);
    previewScroll->setWidgetResizable(true);
    previewScroll->setFrameShape(QFrame::NoFrame);
    previewScroll->setWidget(preview);
    m_previewDock->setWidget(previewScroll);
    // Under the layer views, across the window: the consequence of every edit stays in sight.
    addDockWidget(Qt::BottomDockWidgetArea, m_previewDock);
    m_viewMenu->addAction(m_previewDock->toggleViewAction());
    // The accuracy budgets' verdict in the status bar: in sight with the preview dock closed.
    auto *verdict = new QLabel(this);
    verdict->setObjectName(QStringLiteral("budgetVerdictLabel"));
    verdict->hide();
    statusBar()->addPermanentWidget(verdict);
    connect(preview, &PreviewPanel::budgetVerdictChanged, verdict,
            [verdict](const QString &text, const QString &tip) {
                verdict->setText(text);
                verdict->setToolTip(tip);
                verdict->setVisible(!text.isEmpty());
            });
#endif
#ifdef NNC_HAVE_ACTIVATION_VIEW
    auto *activations = new ActivationView(m_project, m_eval, m_detailTabs);
    activations->setObjectName(QStringLiteral("activationView"));
    m_activationView = activations;
    m_detailTabs->addTab(scrolled(activations, m_detailTabs), QString());
    connect(this, &MainWindow::layerShown, activations, &ActivationView::setLayer);
#endif
#ifdef NNC_HAVE_SENSITIVITY_VIEW
    auto *sensitivity = new SensitivityView(m_project, m_eval, m_tabs);
    sensitivity->setObjectName(QStringLiteral("sensitivityView"));
    m_sensitivityView = sensitivity;
    m_tabs->addTab(scrolled(sensitivity, m_tabs), QString());
    connect(sensitivity, &SensitivityView::layerActivated, this, [this](const QString &layer) {
        m_tabs->setCurrentIndex(0);
        selectLayer(layer);
    });
    connect(sensitivity, &SensitivityView::sensitivityFinished, this,
            [this](const nnc::SensitivityResult &result) {
                QHash<QString, double> deltas;
                QString setting;
                for (const SensitivityRow &row : result.rows) {
                    if (!row.deltaPp.empty())
                        deltas.insert(QString::fromStdString(row.layer), row.deltaPp.front());
                    QStringList parts;
                    if (row.bits)
                        parts << tr("%1-bit weights").arg(*row.bits);
                    if (row.pruneRatio)
                        parts << tr("%1 % pruning").arg(*row.pruneRatio * 100.0, 0, 'f', 0);
                    setting = parts.join(QStringLiteral(", "));
                }
                m_model->setSensitivity(deltas, setting);
            });
#endif
#ifdef NNC_HAVE_SUMMARY_VIEW
    auto *summary = new SummaryView(m_project, m_eval, m_tabs);
    summary->setObjectName(QStringLiteral("summaryView"));
    m_summaryView = summary;
    m_tabs->addTab(scrolled(summary, m_tabs), QString());
#endif
#ifdef NNC_HAVE_WORKBENCH_PAGES
    // Model-against-model workbenches: they open their own models, not the project's.
    m_fusionPage = new FusionPage(m_project, m_eval, m_tabs);
    m_tabs->addTab(scrolled(m_fusionPage, m_tabs), QString());
    m_distillPage = new DistillPage(m_project, m_eval, m_tabs);
    m_tabs->addTab(scrolled(m_distillPage, m_tabs), QString());
#endif
#if defined(NNC_HAVE_SUMMARY_VIEW) && defined(NNC_HAVE_WORKBENCH_PAGES)
    // The workbenches' latest results appear in the Summary view below the compression figures.
    connect(static_cast<FusionPage *>(m_fusionPage), &FusionPage::resultReady, summary,
            &SummaryView::setFusionReport);
    connect(static_cast<DistillPage *>(m_distillPage), &DistillPage::resultReady, summary,
            &SummaryView::setDistillReport);
#endif
    connect(m_tabs, &QTabWidget::currentChanged, this, &MainWindow::updateDocksForTab);
    // A dock the user shows or closes while a workbench tab is current is the user's choice:
    // leaving the tab must not undo it.
    for (QDockWidget *dock : {m_settingsDock, m_previewDock})
        if (dock)
            connect(dock, &QDockWidget::visibilityChanged, this, [this, dock] {
                if (!m_updatingDocks)
                    m_docksHiddenForTab.removeAll(dock);
            });
}

void MainWindow::updateDocksForTab()
{
    const int current = m_tabs->currentIndex();
    const bool workbench = (m_fusionPage && current == tabOf(m_tabs, m_fusionPage))
                           || (m_distillPage && current == tabOf(m_tabs, m_distillPage));
    const QScopedValueRollback guard(m_updatingDocks, true);
    if (workbench) {
        for (QDockWidget *dock : {m_settingsDock, m_previewDock}) {
            if (dock && dock->isVisible() && !dock->isFloating()) {
                dock->hide();
                m_docksHiddenForTab.append(dock);
            }
        }
        return;
    }
    const QList<QWidget *> hidden = std::exchange(m_docksHiddenForTab, {});
    for (QWidget *dock : hidden)
        dock->show();
}

void MainWindow::createStatusBar()
{
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("summaryLabel"));
    m_dataLabel = new QLabel(this);
    m_dataLabel->setObjectName(QStringLiteral("dataLabel"));
    m_progress = new QProgressBar(this);
    m_progress->setMaximumWidth(200);
    m_progress->setTextVisible(false);
    m_progress->hide();
    m_cancel = new QToolButton(this);
    m_cancel->setAutoRaise(true);
    m_cancel->hide();
    connect(m_cancel, &QToolButton::clicked, this, &MainWindow::cancelLoading);
    statusBar()->addPermanentWidget(m_summary, 1);
    statusBar()->addPermanentWidget(m_dataLabel);
    statusBar()->addPermanentWidget(m_progress);
    statusBar()->addPermanentWidget(m_cancel);
}

void MainWindow::retranslateUi()
{
    m_fileMenu->setTitle(tr("&File"));
    m_demoMenu->setTitle(tr("Open &Demo"));
    m_recentMenu->setTitle(tr("Open &Recent"));
    m_editMenu->setTitle(tr("&Edit"));
    m_viewMenu->setTitle(tr("&View"));
    m_languageMenu->setTitle(tr("&Language"));
    m_helpMenu->setTitle(tr("&Help"));
    m_newAction->setText(tr("&New Project"));
    m_openAction->setText(tr("&Open…"));
    m_openAction->setStatusTip(tr("Open a model, validation data, a project or a plan"));
    m_openDataAction->setText(tr("Open &Validation Data…"));
    m_openDataAction->setStatusTip(tr("Open the data the model is evaluated on"));
    m_saveAction->setText(tr("&Save"));
    m_saveAsAction->setText(tr("Save &As…"));
    m_importPlanAction->setText(tr("&Import Plan…"));
    m_exportPlanAction->setText(tr("&Export Plan…"));
    m_exportModelAction->setText(tr("Export &Model…"));
    m_exportModelAction->setStatusTip(
        tr("Write the compressed model (QDQ ONNX, pruned ONNX) or a deployment toolchain's file "
           "(ONNX Runtime, AIMET, TensorRT)"));
    m_exportReportAction->setText(tr("Export Re&port…"));
    m_exportReportAction->setStatusTip(
        tr("Write a report for a product team (PDF or self-contained HTML) in the interface language"));
    m_closeAction->setText(tr("&Close Model"));
    m_quitAction->setText(tr("&Quit"));
    const QUndoStack *stack = m_project->undoStack();
    m_undoAction->setText(stack->canUndo() ? tr("&Undo %1").arg(stack->undoText()) : tr("&Undo"));
    m_redoAction->setText(stack->canRedo() ? tr("&Redo %1").arg(stack->redoText()) : tr("&Redo"));
    m_settingsAction->setText(tr("&Settings…"));
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
                          "<p>Open an ONNX model with <b>File ▸ Open…</b> (%1),<br>"
                          "try a bundled demo, or drop a .onnx, .npz or .nncproj file here.</p>")
                           .arg(m_openAction->shortcut().toString(QKeySequence::NativeText)));
    m_welcomeOpen->setText(tr("Open…"));
    m_welcomeDemo->setText(tr("Open the Demo"));
    m_welcomeDemo->setEnabled(!demoDirectory().isEmpty());
    m_filter->setPlaceholderText(tr("Filter layers by name or op"));
    m_binsLabel->setText(tr("&Bins:"));
    m_bins->setItemText(0, tr("Auto"));
    m_cancel->setText(tr("Cancel"));
    m_cancel->setToolTip(tr("Stop loading the model"));
    m_tabs->setTabText(0, tr("Layers"));
    m_detailTabs->setTabText(0, tr("Weights"));
    if (m_activationView)
        m_detailTabs->setTabText(tabOf(m_detailTabs, m_activationView), tr("Activations"));
    if (m_sensitivityView)
        m_tabs->setTabText(tabOf(m_tabs, m_sensitivityView), tr("Sensitivity"));
    if (m_summaryView)
        m_tabs->setTabText(tabOf(m_tabs, m_summaryView), tr("Summary"));
    if (m_fusionPage)
        m_tabs->setTabText(tabOf(m_tabs, m_fusionPage), tr("Fusion"));
    if (m_distillPage)
        m_tabs->setTabText(tabOf(m_tabs, m_distillPage), tr("Distillation"));
    m_settingsDock->setWindowTitle(tr("Layer Settings"));
    if (m_previewDock)
        m_previewDock->setWindowTitle(tr("Accuracy Preview"));
    if (m_dataLabel->text().isEmpty() || !m_eval->isOpen())
        m_dataLabel->setText(m_snapshot ? tr("No validation data") : QString());
    m_model->retranslate();
    rebuildRecentMenu();
    rebuildDemoMenu();
    updateDetailTitle();
    updateSummary();
    if (!m_detail && m_detailError.isEmpty()) {
        m_histogram->clear(m_snapshot ? tr("Select a layer") : QString());
        m_channels->clear(m_snapshot ? tr("Select a layer") : QString());
    }
    updateTitle();
}

void MainWindow::updateTitle()
{
    QString name;
    if (!m_project->filePath().isEmpty())
        name = QFileInfo(m_project->filePath()).fileName();
    else if (!m_path.isEmpty())
        name = QFileInfo(m_path).fileName();
    // "[*]" is where Qt shows the modified marker.
    setWindowTitle(name.isEmpty() ? tr("NNCompress Studio[*]")
                                  : tr("%1[*] — NNCompress Studio").arg(name));
    setWindowModified(m_project->isModified());
}

void MainWindow::restoreLayout()
{
    QSettings settings;
    if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray()))
        resize(defaultWindowSize());
    // First start: the docks get their default sizes once the window has its real size.
    m_defaultDocks = !restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    m_detailSplitter->setSizes({400, 230});
    m_splitterUserSized =
        m_splitter->restoreState(settings.value(QStringLiteral("window/splitter")).toByteArray());
    m_detailSplitter->restoreState(settings.value(QStringLiteral("window/detailSplitter")).toByteArray());
    m_logScale->setChecked(settings.value(QStringLiteral("view/logScale"), false).toBool());
    m_perChannel->setChecked(settings.value(QStringLiteral("view/perChannel"), false).toBool());
    updatePlotMode();
}

void MainWindow::showEvent(QShowEvent *event)
{
    QMainWindow::showEvent(event);
    // A workbench tab restored before the window was shown hides the docks now they exist.
    QTimer::singleShot(0, this, &MainWindow::updateDocksForTab);
    if (!m_defaultDocks)
        return;
    m_defaultDocks = false;
    // The settings panel narrow on the right, the preview about a third of the height.
    QTimer::singleShot(0, this, [this] {
        resizeDocks({m_settingsDock}, {std::max(300, width() / 4)}, Qt::Horizontal);
        if (m_previewDock)
            resizeDocks({m_previewDock}, {height() * 36 / 100}, Qt::Vertical);
    });
}

void MainWindow::saveLayout()
{
    // The docks a workbench tab hid are part of the user's layout: save them as shown.
    const QScopedValueRollback guard(m_updatingDocks, true);
    const QList<QWidget *> hidden = std::exchange(m_docksHiddenForTab, {});
    for (QWidget *dock : hidden)
        dock->show();
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    settings.setValue(QStringLiteral("window/splitter"), m_splitter->saveState());
    settings.setValue(QStringLiteral("window/detailSplitter"), m_detailSplitter->saveState());
}

void MainWindow::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QMainWindow::changeEvent(event);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (!maybeSave()) {
        event->ignore();
        return;
    }
    saveLayout();
    m_loadTask.cancel();
    m_detailTask.cancel();
    m_pruneTask.cancel();
    m_eval->cancel();
    m_autosaveTimer->stop();
    // A clean end: nothing to recover next time.
    QSettings().setValue(QLatin1String(kSessionKey), false);
    QFile::remove(recoveryPath());
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
    // A model and its data dropped together: the model first, the data once it is loaded.
    QString model, data, other;
    for (const QUrl &url : urls) {
        const QString path = url.toLocalFile();
        switch (detectFileKind(path)) {
        case FileKind::Model: model = path; break;
        case FileKind::Data: data = path; break;
        default: other = path; break;
        }
    }
    if (!model.isEmpty())
        openModelWithData(model, data);
    else if (!other.isEmpty())
        openFile(other);
    else if (!data.isEmpty())
        openFile(data);
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

// ---- Files -------------------------------------------------------------------------------------

QString MainWindow::recoveryPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
           QStringLiteral("/recovery.nncproj");
}

void MainWindow::autosave()
{
    if (!m_project->isModified() || m_project->modelPath().isEmpty())
        return;
    if (auto written = m_project->writeAutosave(recoveryPath()); !written)
        statusBar()->showMessage(tr("Autosave failed: %1")
                                     .arg(QString::fromStdString(written.error().message)),
                                 8000);
}

void MainWindow::offerRecovery()
{
    QSettings settings;
    const bool unclean = settings.value(QLatin1String(kSessionKey), false).toBool();
    settings.setValue(QLatin1String(kSessionKey), true);
    const QString path = recoveryPath();
    if (!QFile::exists(path))
        return;
    if (!unclean) {
        QFile::remove(path);  // left by a clean session: stale
        return;
    }
    auto *box = new QMessageBox(QMessageBox::Question, tr("Restore Unsaved Work"),
                                tr("NNCompress Studio did not close normally last time."),
                                QMessageBox::Yes | QMessageBox::No, this);
    box->setObjectName(QStringLiteral("recoveryBox"));
    box->setInformativeText(tr("Restore the work autosaved at %1?")
                                .arg(QLocale().toString(QFileInfo(path).lastModified(),
                                                        QLocale::ShortFormat)));
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this, path](int result) {
        if (result == QMessageBox::Yes) {
            Project probe;
            if (auto ok = probe.open(path); !ok) {
                showError(tr("Restore Unsaved Work"), tr("The recovery file cannot be read."),
                          QString::fromStdString(ok.error().message));
                return;
            }
            m_pendingProject = path;
            m_pendingPlan = probe.plan();
            m_pendingView = probe.viewState();
            m_pendingData = probe.dataPath();
            m_pendingRecovery = true;
            loadModel(probe.modelPath());
        } else {
            QFile::remove(path);
        }
    });
    box->open();
}

void MainWindow::newProject()
{
    if (!maybeSave())
        return;
    closeModel();
}

bool MainWindow::maybeSave()
{
    if (!m_project->isModified())
        return true;
    QMessageBox box(QMessageBox::Warning, tr("Unsaved Changes"),
                    tr("The project has unsaved changes."),
                    QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, this);
    box.setObjectName(QStringLiteral("saveChangesBox"));
    box.setInformativeText(tr("Save them before continuing?"));
    box.setDefaultButton(QMessageBox::Save);
    switch (box.exec()) {
    case QMessageBox::Save: return save();
    case QMessageBox::Discard: return true;
    default: return false;
    }
}

void MainWindow::openDialog()
{
    QSettings settings;
    const QString dir = settings.value(QStringLiteral("lastDirectory"), QDir::homePath()).toString();
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open"), dir,
        tr("Everything NNCompress opens (*.onnx *.nncproj *.json *.npz *.npy);;ONNX models "
           "(*.onnx);;Projects (*.nncproj);;Plans and data descriptions (*.json);;Arrays "
           "(*.npz *.npy);;All files (*)"));
    if (path.isEmpty())
        return;
    settings.setValue(QStringLiteral("lastDirectory"), QFileInfo(path).absolutePath());
    openFile(path);
}

void MainWindow::openDataDialog()
{
    QSettings settings;
    const QString dir = settings.value(QStringLiteral("lastDirectory"), QDir::homePath()).toString();
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open Validation Data"), dir,
        tr("Validation data (*.json *.npz *.npy *.gz);;All files (*)"));
    if (path.isEmpty())
        return;
    settings.setValue(QStringLiteral("lastDirectory"), QFileInfo(path).absolutePath());
    openData(path);
}

void MainWindow::openFile(const QString &path)
{
    if (path.isEmpty())
        return;
    switch (detectFileKind(path)) {
    case FileKind::Project: openProject(path); return;
    case FileKind::Plan: importPlan(path); return;
    case FileKind::Data: openData(path); return;
    case FileKind::Model:
    case FileKind::Unknown: break;  // the model reader says what is wrong with anything else
    }
    if (!maybeSave())
        return;
    m_pendingProject.clear();
    m_pendingPlan.reset();
    m_pendingData.clear();
    loadModel(path);
}

void MainWindow::openModelWithData(const QString &modelPath, const QString &dataPath)
{
    if (!maybeSave())
        return;
    m_pendingProject.clear();
    m_pendingPlan.reset();
    m_pendingData = dataPath;
    loadModel(modelPath);
}

bool MainWindow::openDefaultDemo()
{
    const QList<DemoEntry> demos = loadDemos(demoDirectory());
    for (const DemoEntry &d : demos) {
        if (d.isDefault) {
            openModelWithData(d.model, d.data);
            return true;
        }
    }
    if (!demos.isEmpty()) {
        openModelWithData(demos.first().model, demos.first().data);
        return true;
    }
    return false;
}

void MainWindow::rebuildDemoMenu()
{
    m_demoMenu->clear();
    const bool chinese = currentLanguage() == QLatin1String("zh_CN");
    const QList<DemoEntry> demos = loadDemos(demoDirectory());
    for (const DemoEntry &d : demos) {
        const QString title = chinese && !d.titleZh.isEmpty() ? d.titleZh : d.title;
        QAction *action = m_demoMenu->addAction(title);
        const QString tip = chinese && !d.descriptionZh.isEmpty() ? d.descriptionZh : d.description;
        action->setStatusTip(tip);
        action->setToolTip(tip);
        action->setData(d.id);
        connect(action, &QAction::triggered, this,
                [this, d] { openModelWithData(d.model, d.data); });
    }
    m_demoMenu->setToolTipsVisible(true);
    m_demoMenu->setEnabled(!demos.isEmpty());
}

void MainWindow::openProject(const QString &path)
{
    // Read it into a scratch project first: a bad file leaves the open one untouched.
    Project probe;
    if (auto ok = probe.open(path); !ok) {
        showError(tr("Open Project"), tr("Could not open %1.").arg(QFileInfo(path).fileName()),
                  QString::fromStdString(ok.error().message));
        return;
    }
    if (probe.modelPath().isEmpty()) {
        showError(tr("Open Project"), tr("Could not open %1.").arg(QFileInfo(path).fileName()),
                  tr("The project names no model."));
        return;
    }
    if (!maybeSave())
        return;
    m_pendingProject = QFileInfo(path).absoluteFilePath();
    m_pendingPlan = probe.plan();
    m_pendingView = probe.viewState();
    m_pendingData = probe.dataPath();
    loadModel(probe.modelPath());
}

void MainWindow::openData(const QString &path)
{
    if (!m_snapshot) {
        if (isLoading()) {
            m_pendingData = path;  // opened once the model arrives
            return;
        }
        showError(tr("Open Validation Data"),
                  tr("Could not open %1.").arg(QFileInfo(path).fileName()),
                  tr("Open a model first: validation data is read for a model's inputs."));
        return;
    }
    if (!QFileInfo::exists(path)) {
        showError(tr("Open Validation Data"),
                  tr("Could not open %1.").arg(QFileInfo(path).fileName()),
                  tr("The file %1 does not exist.").arg(QDir::toNativeSeparators(path)));
        return;
    }
    EvalOptions options;
    options.threads = savedThreads();
    options.cacheBudgetBytes = savedCacheBytes();
    m_dataLabel->setText(tr("Opening %1…").arg(QFileInfo(path).fileName()));
    m_eval->open(m_snapshot->model, QFileInfo(path).absoluteFilePath(), options);
}

void MainWindow::reopenEvaluator()
{
    if (!m_snapshot || m_project->dataPath().isEmpty())
        return;
    const bool wasModified = m_project->isModified();
    const QString data = m_project->dataPath();
    openData(data);
    m_quietDataOpen = !wasModified;  // reopening is no change to save
}

bool MainWindow::save()
{
    if (m_project->filePath().isEmpty())
        return saveAsDialog();
    return saveProjectAs(m_project->filePath());
}

bool MainWindow::saveAsDialog()
{
    QSettings settings;
    QString suggestion = m_project->filePath();
    if (suggestion.isEmpty()) {
        const QString dir = settings.value(QStringLiteral("lastDirectory"), QDir::homePath()).toString();
        suggestion = dir + QLatin1Char('/') +
                     (m_path.isEmpty() ? tr("untitled") : QFileInfo(m_path).completeBaseName()) +
                     QStringLiteral(".nncproj");
    }
    QString path = QFileDialog::getSaveFileName(this, tr("Save Project"), suggestion,
                                                tr("NNCompress projects (*.nncproj)"));
    if (path.isEmpty())
        return false;
    if (QFileInfo(path).suffix().isEmpty())
        path += QStringLiteral(".nncproj");
    settings.setValue(QStringLiteral("lastDirectory"), QFileInfo(path).absolutePath());
    return saveProjectAs(path);
}

bool MainWindow::saveProjectAs(const QString &path)
{
    QJsonObject view = m_project->viewState();
    view.insert(QStringLiteral("layer"), currentLayerName());
    view.insert(QStringLiteral("tab"), m_tabs->currentIndex());
    view.insert(QStringLiteral("detailTab"), m_detailTabs->currentIndex());
    view.insert(QStringLiteral("perChannel"), m_perChannel->isChecked());
    view.insert(QStringLiteral("logScale"), m_logScale->isChecked());
    view.insert(QStringLiteral("filter"), m_filter->text());
    m_project->setViewState(view);
    if (auto ok = m_project->save(path); !ok) {
        showError(tr("Save Project"), tr("Could not save %1.").arg(QFileInfo(path).fileName()),
                  QString::fromStdString(ok.error().message));
        return false;
    }
    addRecentFile(m_project->filePath());
    statusBar()->showMessage(tr("Saved %1.").arg(QFileInfo(path).fileName()), 4000);
    QFile::remove(recoveryPath());
    return true;
}

bool MainWindow::importPlan(const QString &path)
{
    const QString name = QFileInfo(path).fileName();
    if (!m_snapshot) {
        showError(tr("Import Plan"), tr("Could not import %1.").arg(name),
                  tr("Open the model the plan was made for first."));
        return false;
    }
    auto plan = loadPlan(toPath(path));
    if (!plan) {
        showError(tr("Import Plan"), tr("Could not import %1.").arg(name),
                  QString::fromStdString(plan.error().message));
        return false;
    }
    if (auto valid = validatePlan(*plan, m_snapshot->layers, activationTensors(m_snapshot->layers));
        !valid) {
        showError(tr("Import Plan"), tr("%1 does not fit this model.").arg(name),
                  QString::fromStdString(valid.error().message));
        return false;
    }
    plan->model = QFileInfo(m_path).fileName().toStdString();
    m_project->replacePlan(*plan, tr("Import plan %1").arg(name));
    statusBar()->showMessage(tr("Imported %1.").arg(name), 4000);
    return true;
}

void MainWindow::importPlanDialog()
{
    QSettings settings;
    const QString dir = settings.value(QStringLiteral("lastDirectory"), QDir::homePath()).toString();
    const QString path = QFileDialog::getOpenFileName(this, tr("Import Plan"), dir,
                                                      tr("Compression plans (*.json)"));
    if (!path.isEmpty())
        importPlan(path);
}

void MainWindow::exportPlanDialog()
{
    QSettings settings;
    const QString dir = settings.value(QStringLiteral("lastDirectory"), QDir::homePath()).toString();
    const QString base = m_path.isEmpty() ? tr("plan") : QFileInfo(m_path).completeBaseName() + QStringLiteral("_plan");
    const QString path = QFileDialog::getSaveFileName(this, tr("Export Plan"),
                                                      dir + QLatin1Char('/') + base + QStringLiteral(".json"),
                                                      tr("Compression plans (*.json)"));
    if (path.isEmpty())
        return;
    if (auto ok = savePlan(m_project->plan(), toPath(path)); !ok) {
        showError(tr("Export Plan"), tr("Could not save %1.").arg(QFileInfo(path).fileName()),
                  QString::fromStdString(ok.error().message));
        return;
    }
    statusBar()->showMessage(tr("Exported the plan to %1.").arg(QFileInfo(path).fileName()), 4000);
}

namespace {

/// A window-modal progress dialog for an export (busy when `maximum` is 0); `onCancel` runs when
/// the user cancels or closes it, never when the work finishes (see closeExportProgress()).
QProgressDialog *openExportProgress(QWidget *parent, const QString &label, int maximum,
                                    std::function<void()> onCancel)
{
    auto *dialog = new QProgressDialog(
        label, QCoreApplication::translate("nnc::studio::MainWindow", "Cancel"), 0, maximum, parent);
    dialog->setWindowModality(Qt::WindowModal);
    dialog->setMinimumDuration(300);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    QObject::connect(dialog, &QProgressDialog::canceled, parent, std::move(onCancel));
    return dialog;
}

/// Closes the dialog of finished work: closing a QProgressDialog emits canceled(), so that
/// connection goes first.
void closeExportProgress(QProgressDialog *dialog)
{
    QObject::disconnect(dialog, &QProgressDialog::canceled, nullptr, nullptr);
    dialog->close();
}

} // namespace

void MainWindow::exportModelDialog()
{
    if (!m_snapshot) {
        showError(tr("Export Model"), tr("Open a model first."), QString());
        return;
    }
    const QList<ModelExportChoice> choices = modelExportChoices();
    QStringList filters;
    for (const ModelExportChoice &c : choices)
        filters << c.filter;
    QSettings settings;
    const QString dir = settings.value(QStringLiteral("lastDirectory"), QDir::homePath()).toString();
    QString selected = filters.front();
    QString path = QFileDialog::getSaveFileName(
        this, tr("Export Model"),
        dir + QLatin1Char('/') + QFileInfo(m_path).completeBaseName() + QStringLiteral("_qdq.onnx"),
        filters.join(QStringLiteral(";;")), &selected);
    if (path.isEmpty())
        return;
    const qsizetype index = filters.indexOf(selected);
    const ModelExportChoice &choice = choices[index < 0 ? 0 : index];
    if (QFileInfo(path).suffix().isEmpty())
        path += choice.extension;
    startModelExport(choice.format, path);
}

void MainWindow::startModelExport(ModelExportFormat format, const QString &path)
{
    if (!m_snapshot) {
        emit exportFinished(false, path, tr("Open a model first."));
        return;
    }
    QProgressDialog *dialog =
        openExportProgress(this, tr("Exporting %1…").arg(QFileInfo(path).fileName()), 0, [this, path] {
            m_exportTask.cancel();
            emit exportFinished(false, path, tr("The export was cancelled."));
        });
    std::shared_ptr<const Model> model = m_snapshot->model;
    const std::filesystem::path modelPath = toPath(m_path);
    const std::filesystem::path dataPath = toPath(m_project->dataPath());
    const CompressionPlan plan = m_project->plan();
    const std::filesystem::path out = toPath(path);
    m_exportTask.start(
        [=](const Progress &progress) {
            return exportModelFile(model, modelPath, dataPath, plan, format, out, progress);
        },
        [this, dialog, path](Result<QStringList> result) {
            closeExportProgress(dialog);
            if (!result) {
                const QString message = studioExportError(result.error().message);
                showError(tr("Export Model"), tr("Could not export %1.").arg(QFileInfo(path).fileName()),
                          message);
                emit exportFinished(false, path, message);
                return;
            }
            statusBar()->showMessage(tr("Exported %1.").arg(QFileInfo(path).fileName()), 6000);
            emit exportFinished(true, path, result->join(QLatin1Char('\n')));
        },
        [dialog](int64_t done, int64_t total) {
            if (total > 0) {
                dialog->setMaximum(1000);
                dialog->setValue(int(done * 1000 / total));
            }
        });
}

void MainWindow::exportReportDialog()
{
    if (!m_snapshot) {
        showError(tr("Export Report"), tr("Open a model first."), QString());
        return;
    }
    const QString pdf = tr("PDF document (*.pdf)");
    const QString html = tr("Self-contained web page (*.html)");
    QSettings settings;
    const QString dir = settings.value(QStringLiteral("lastDirectory"), QDir::homePath()).toString();
    QString selected = pdf;
    QString path = QFileDialog::getSaveFileName(
        this, tr("Export Report"),
        dir + QLatin1Char('/') + QFileInfo(m_path).completeBaseName() + QStringLiteral("_report.pdf"),
        pdf + QStringLiteral(";;") + html, &selected);
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix().isEmpty())
        path += selected == html ? QStringLiteral(".html") : QStringLiteral(".pdf");
    startReportExport(path);
}

void MainWindow::startReportExport(const QString &path)
{
    if (!m_snapshot || m_project->dataPath().isEmpty()) {
        const QString why = tr("A report needs a model and its validation data: open both first.");
        showError(tr("Export Report"), why, QString());
        emit exportFinished(false, path, why);
        return;
    }
    QProgressDialog *dialog = openExportProgress(
        this, tr("Writing the report %1…").arg(QFileInfo(path).fileName()), 1000, [this, path] {
            m_reportTask.cancel();
            emit exportFinished(false, path, tr("The report was cancelled."));
        });
    std::shared_ptr<const Model> model = m_snapshot->model;
    const std::filesystem::path dataPath = toPath(m_project->dataPath());
    const CompressionPlan plan = m_project->plan();
    const std::string planName =
        m_project->filePath().isEmpty() ? std::string() : QFileInfo(m_project->filePath()).fileName().toStdString();
    ReportOptions options;
    options.threads = savedThreads();
    // The report also carries the Fusion and Distillation pages' latest results and the budgets.
    ReportExtras extras;
    extras.budgets = m_project->budgets();
#ifdef NNC_HAVE_WORKBENCH_PAGES
    if (const auto *fusion = static_cast<FusionPage *>(m_fusionPage); fusion && fusion->report()) {
        extras.fusion = *fusion->report();
        // The inputs the figures came from, even when the fields were edited since.
        extras.fusionDataA = toPath(fusion->reportDataA());
        extras.fusionDataB = toPath(fusion->reportDataB());
    }
    if (const auto *distill = static_cast<DistillPage *>(m_distillPage); distill && distill->report()) {
        extras.distillation = *distill->report();
        extras.teacher = toPath(distill->reportTeacher());
        extras.student = toPath(distill->reportStudent());
        extras.distillData = toPath(distill->reportData());
    }
#endif
    m_reportTask.start(
        [=](const Progress &progress) {
            return buildStudioReport(model, dataPath, plan, planName, options, extras, progress);
        },
        [this, dialog, path](Result<ReportData> data) {
            closeExportProgress(dialog);
            finishReport(path, std::move(data));
        },
        [dialog](int64_t done, int64_t total) {
            if (total > 0)
                dialog->setValue(int(done * 1000 / total));
        });
}

void MainWindow::finishReport(const QString &path, Result<ReportData> data)
{
    const ReportLanguage lang = currentLanguage() == QLatin1String("zh_CN") ? ReportLanguage::Chinese
                                                                            : ReportLanguage::English;
    std::string error;
    if (!data) {
        error = data.error().message;
    } else if (path.endsWith(QLatin1String(".html"), Qt::CaseInsensitive)
               || path.endsWith(QLatin1String(".htm"), Qt::CaseInsensitive)) {
        if (auto w = writeReportHtml(*data, lang, toPath(path)); !w)
            error = w.error().message;
    } else if (auto pages = writeReportPdf(*data, lang, path); !pages) {
        error = pages.error().message;
    }
    if (!error.empty()) {
        showError(tr("Export Report"), tr("Could not write %1.").arg(QFileInfo(path).fileName()),
                  QString::fromStdString(error));
        emit exportFinished(false, path, QString::fromStdString(error));
        return;
    }
    statusBar()->showMessage(tr("Wrote the report %1.").arg(QFileInfo(path).fileName()), 6000);
    emit exportFinished(true, path, QString());
}

void MainWindow::showSettingsDialog()
{
    SettingsDialog dialog(this);
    const int threads = savedThreads();
    const std::size_t cache = savedCacheBytes();
    if (dialog.exec() != QDialog::Accepted)
        return;
    dialog.save();
    setLanguage(dialog.language());
    if (threads != savedThreads() || cache != savedCacheBytes())
        reopenEvaluator();
}

bool MainWindow::isLoading() const
{
    return m_loadTask.isRunning();
}

void MainWindow::loadModel(const QString &path)
{
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
    m_pendingProject.clear();
    m_pendingPlan.reset();
    m_pendingData.clear();
    m_pendingRecovery = false;
}

void MainWindow::onLoaded(const QString &path, Result<ModelSnapshot> result)
{
    m_progress->hide();
    m_cancel->hide();
    const bool recovery = m_pendingRecovery;
    m_pendingRecovery = false;
    m_loadingPath.clear();
    statusBar()->clearMessage();
    const QString project = m_pendingProject;
    std::optional<CompressionPlan> plan = std::move(m_pendingPlan);
    const QJsonObject view = m_pendingView;
    QString data = m_pendingData;
    m_pendingProject.clear();
    m_pendingPlan.reset();
    m_pendingView = QJsonObject();
    m_pendingData.clear();
    if (!result) {
        const QString message = QString::fromStdString(result.error().message);
        showError(tr("Open Model"), tr("Could not open %1.").arg(QFileInfo(path).fileName()), message);
        emit loadFailed(path, message);
        return;
    }

    m_detailTask.cancel();
    m_pruneTask.cancel();
    m_detail.reset();
    m_original = Tensor();
    m_pruned = Tensor();
    m_prunedWith.reset();
    m_eval->close();
    m_snapshot = std::move(*result);
    m_path = path;

    // The document: the project's own state, or a fresh plan for a model opened on its own.
    QString planProblem;
    if (!project.isEmpty()) {
        auto ok = recovery ? m_project->restoreAutosave(project) : m_project->open(project);
        if (!ok) {
            planProblem = QString::fromStdString(ok.error().message);
            m_project->clear();
            m_project->setModelPath(path);
            m_project->markUnmodified();
        }
    } else {
        m_project->clear();
        m_project->setModelPath(path);
        m_project->markUnmodified();
    }
    if (plan && planProblem.isEmpty()) {
        if (auto valid = validatePlan(m_project->plan(), m_snapshot->layers,
                                      activationTensors(m_snapshot->layers));
            !valid)
            planProblem = QString::fromStdString(valid.error().message);
    }

    m_model->setLayers(m_snapshot->layers);
    m_model->setPlan(m_project->plan());
    m_settings->setLayers(m_snapshot->layers);
    m_pages->setCurrentIndex(1);
    fitTableColumns();
    m_closeAction->setEnabled(true);
    addRecentFile(project.isEmpty() || recovery ? path : project);
    m_stats->clear();
    retranslateUi();
    statusBar()->showMessage(tr("Loaded %1: %n layer(s).", nullptr,
                                static_cast<int>(m_snapshot->layers.size()))
                                 .arg(QFileInfo(path).fileName()),
                             5000);
    // A bundled demo model brings its own data when none was asked for.
    if (data.isEmpty() && project.isEmpty()) {
        for (const DemoEntry &d : loadDemos(demoDirectory()))
            if (canonical(d.model) == canonical(path) && !d.data.isEmpty())
                data = d.data;
    }
    if (!data.isEmpty()) {
        const bool wasModified = m_project->isModified();
        openData(data);
        m_quietDataOpen = !wasModified;  // opening the model's own data is no edit
    } else {
        m_dataLabel->setText(tr("No validation data"));
    }

    const QString layer = view.value(QStringLiteral("layer")).toString();
    if (!view.isEmpty()) {
        m_filter->setText(view.value(QStringLiteral("filter")).toString());
        m_perChannel->setChecked(view.value(QStringLiteral("perChannel")).toBool());
        m_logScale->setChecked(view.value(QStringLiteral("logScale")).toBool());
        m_tabs->setCurrentIndex(std::clamp(view.value(QStringLiteral("tab")).toInt(), 0, m_tabs->count() - 1));
        m_detailTabs->setCurrentIndex(
            std::clamp(view.value(QStringLiteral("detailTab")).toInt(), 0, m_detailTabs->count() - 1));
    }
    if (layer.isEmpty() || !selectLayer(layer)) {
        if (m_proxy->rowCount() > 0)
            m_table->selectRow(0);
    }
    onPlanChanged();
    if (!planProblem.isEmpty())
        showError(tr("Open Project"), tr("The plan does not fit %1.").arg(QFileInfo(path).fileName()),
                  planProblem);
    emit modelLoaded(path);
}

void MainWindow::showError(const QString &title, const QString &text, const QString &message)
{
    // Not QMessageBox::critical(): a window-modal box that returns at once keeps the event loop
    // (and tests) running, and the window stays usable once it is closed.
    auto *box = new QMessageBox(QMessageBox::Critical, title, text, QMessageBox::Ok, this);
    box->setObjectName(QStringLiteral("loadErrorBox"));
    box->setInformativeText(message);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
    statusBar()->showMessage(text, 8000);
    emit errorShown(title, message);
}

void MainWindow::closeModel()
{
    m_loadTask.cancel();
    m_detailTask.cancel();
    m_pruneTask.cancel();
    m_eval->close();
    m_snapshot.reset();
    m_detail.reset();
    m_original = Tensor();
    m_pruned = Tensor();
    m_prunedWith.reset();
    m_path.clear();
    m_project->clear();
    m_model->setLayers({});
    m_settings->setLayers({});
    m_stats->clear();
    m_closeAction->setEnabled(false);
    m_pages->setCurrentIndex(0);
    m_progress->hide();
    m_cancel->hide();
    m_dataLabel->clear();
    retranslateUi();
}

void MainWindow::fitTableColumns()
{
    m_table->resizeColumnsToContents();
    // Widen the table pane to show the main columns, up to 40 % of the window (the plot needs
    // room); when that is not enough the name column gives way (elided, full name in its
    // tooltip) and the rest scrolls.
    const int chrome = 2 * m_table->frameWidth() + m_table->verticalScrollBar()->sizeHint().width() + 8;
    int wanted = chrome;
    for (int c = 0; c < LayerTableModel::ColCount; ++c)
        wanted += m_table->isColumnHidden(c) ? 0 : m_table->columnWidth(c);
    const QList<int> sizes = m_splitter->sizes();
    const int total = sizes.value(0) + sizes.value(1);
    if (total <= 0)
        return;
    const int left = std::min(wanted, total * 40 / 100);
    if (!m_splitterUserSized || sizes.value(0) < left)
        m_splitter->setSizes({left, total - left});
    const int available = m_splitter->sizes().value(0);
    if (wanted > available) {
        const int name = m_table->columnWidth(LayerTableModel::ColName);
        m_table->setColumnWidth(LayerTableModel::ColName, std::max(110, name - (wanted - available)));
    }
}

// ---- Layer detail ------------------------------------------------------------------------------

QString MainWindow::currentLayerName() const
{
    if (!m_snapshot)
        return {};
    const QModelIndex current = m_proxy->mapToSource(m_table->currentIndex());
    const Layer *layer = current.isValid() ? m_model->layerAt(current.row()) : nullptr;
    return layer ? QString::fromStdString(layer->name) : QString();
}

bool MainWindow::selectLayer(const QString &name)
{
    const int row = m_model->rowOf(name);
    if (row < 0)
        return false;
    QModelIndex index = m_proxy->mapFromSource(m_model->index(row, LayerTableModel::ColName));
    if (!index.isValid()) {
        m_filter->clear();  // filtered out: show every layer again
        index = m_proxy->mapFromSource(m_model->index(row, LayerTableModel::ColName));
    }
    m_table->selectRow(index.row());
    m_table->scrollTo(index);
    return true;
}

void MainWindow::onSelectionChanged()
{
    QStringList names;
    for (const QModelIndex &index : m_table->selectionModel()->selectedRows()) {
        const Layer *layer = m_model->layerAt(m_proxy->mapToSource(index).row());
        if (layer)
            names << QString::fromStdString(layer->name);
    }
    m_settings->setSelection(names);
}

void MainWindow::showSelectedLayer()
{
    if (!m_snapshot)
        return;
    const QModelIndex current = m_proxy->mapToSource(m_table->currentIndex());
    const Layer *layer = current.isValid() ? m_model->layerAt(current.row()) : nullptr;
    m_detail.reset();
    m_detailError.clear();
    m_original = Tensor();
    m_pruned = Tensor();
    m_prunedWith.reset();
    m_pruneTask.cancel();
    m_settings->setLayer(layer ? QString::fromStdString(layer->name) : QString());
    if (!layer) {
        m_detailTask.cancel();
        m_stats->clear();
        m_histogram->clear(tr("Select a layer"));
        m_channels->clear(tr("Select a layer"));
        m_readout = WeightReadout{};
        updateDetailTitle();
        emit layerShown(QString());
        return;
    }
    const int bins = m_bins->currentData().toInt();
    std::shared_ptr<const Model> model = m_snapshot->model;
    m_detailTask.start(
        [model, layer = *layer, bins](const Progress &) -> Result<LayerDetail> {
            return computeLayerDetail(*model, layer, bins);
        },
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
    // The float weight itself, for the live readouts: layerWeight views the model's storage
    // (no copy for float initializers), so this is cheap on the GUI thread.
    if (auto w = layerWeight(*m_snapshot->model, m_detail->layer); w && w->dtype() == DataType::Float)
        m_original = std::move(*w);
    else
        m_original = Tensor();
    m_pruned = m_original;
    m_prunedWith.reset();
    m_histogram->setHistogram(m_detail->histogram, name);
    m_channels->setRanges(m_detail->stats.channelMin, m_detail->stats.channelMax,
                          m_detail->layer.channelAxis, name);
    m_stats->setStats(m_detail->layer, m_detail->stats);
    updateDetailTitle();
    repruneIfNeeded();
    updateReadout();
    m_histogram->resetView();
    emit layerShown(name);
}

void MainWindow::onPlanChanged()
{
    m_model->setPlan(m_project->plan());
    repruneIfNeeded();
    updateReadout();
}

void MainWindow::repruneIfNeeded()
{
    if (!m_detail || !m_snapshot || m_original.numel() == 0)
        return;
    const Layer layer = m_detail->layer;
    const PruneSpec spec = m_project->plan().pruneConfig(layer.name).spec;
    if (m_prunedWith && samePrune(*m_prunedWith, spec))
        return;
    PruneConfig config;
    config.spec = spec;
    if (!config.enabled()) {
        m_pruneTask.cancel();
        m_pruned = m_original;
        m_prunedWith = spec;
        m_pruneThreshold = 0;
        return;
    }
    // Pruning sorts the weights: a worker's job, the newest request wins.
    std::shared_ptr<const Model> model = m_snapshot->model;
    m_pruneTask.start(
        [model, layer, spec, original = m_original](const Progress &) -> Result<Tensor> {
            return pruneWeight(original, spec, layer.channelAxis, weightReductionAxis(layer, *model));
        },
        [this, spec, name = layer.name](Result<Tensor> pruned) {
            if (!m_detail || m_detail->layer.name != name)
                return;
            if (!pruned) {
                statusBar()->showMessage(QString::fromStdString(pruned.error().message), 8000);
                return;
            }
            m_pruned = std::move(*pruned);
            m_prunedWith = spec;
            m_pruneThreshold = pruneThreshold(m_original, m_pruned);
            updateReadout();
        });
}

void MainWindow::updateReadout()
{
    if (!m_detail || m_original.numel() == 0) {
        m_readoutTask.cancel();
        m_readout = WeightReadout{};
        m_stats->setReadout(m_readout);
        if (m_detail)
            m_histogram->setOverlay(HistogramOverlay{});
        emit readoutChanged();
        return;
    }
    const Layer &layer = m_detail->layer;
    const QuantConfig q = m_project->plan().weightConfig(layer.name);
    // Exact readouts cost about 6 ms per million weights: up to a few million they are computed
    // at once (every frame of a drag); beyond that on a worker, the newest request winning, so
    // the GUI thread never waits on a huge layer.
    constexpr int64_t kSyncReadoutLimit = 3'000'000;
    if (m_original.numel() <= kSyncReadoutLimit) {
        m_readoutTask.cancel();
        showReadout(computeWeightReadout(m_original, m_pruned, layer.channelAxis, q));
        return;
    }
    m_readoutTask.start(
        [original = m_original, pruned = m_pruned, axis = layer.channelAxis, q](const Progress &) {
            return computeWeightReadout(original, pruned, axis, q);
        },
        [this](WeightReadout readout) { showReadout(std::move(readout)); });
}

void MainWindow::showReadout(WeightReadout readout)
{
    if (!m_detail)
        return;
    const Layer &layer = m_detail->layer;
    const CompressionPlan &plan = m_project->plan();
    const QuantConfig q = plan.weightConfig(layer.name);
    const PruneConfig pc = plan.pruneConfig(layer.name);
    m_readout = std::move(readout);
    m_stats->setReadout(m_readout);

    HistogramOverlay overlay;
    // Integer-op weights are left as they are: no range to show or drag.
    overlay.showRange = q.enabled && m_readout.valid && !layer.op.ends_with("Integer");
    // Symmetric signed schemes use [-t, t] whatever the bounds: the lines move as a pair.
    overlay.symmetric = q.spec.symmetric && q.spec.range != IntRange::Unsigned;
    overlay.rangeEditable = true;
    overlay.rmin = q.range ? q.range->rmin : m_readout.rmin;
    overlay.rmax = q.range ? q.range->rmax : m_readout.rmax;
    if (q.enabled && q.spec.bits <= 6 && m_readout.params.size() == 1) {
        const QuantParams &p = m_readout.params.front();
        for (int32_t code = p.qmin; code <= p.qmax; ++code)
            overlay.levels.push_back(dequantizeValue(code, p));
    }
    const bool prunedNow = m_prunedWith && samePrune(*m_prunedWith, pc.spec);
    overlay.pruneThreshold = pc.spec.structure == PruneStructure::Unstructured && pc.enabled() && prunedNow
                                 ? m_pruneThreshold
                                 : 0.0;
    if (m_histogram->isDragging()) {
        // The lines follow the mouse; only the levels and bands follow the plan.
        overlay.rmin = m_histogram->overlay().rmin;
        overlay.rmax = m_histogram->overlay().rmax;
    }
    m_histogram->setOverlay(overlay);
    // The per-channel view: each channel's quantization range next to its values.
    std::vector<float> low, high;
    if (q.enabled) {
        for (std::size_t c = 0; c < m_readout.params.size(); ++c) {
            const QuantParams &p = m_readout.params[c];
            // An all-zero channel's range is the quantizer's fallback (S = 1): show it as zero.
            const bool zero = c < m_readout.zeroChannel.size() && m_readout.zeroChannel[c] &&
                              m_readout.params.size() > 1;
            low.push_back(zero ? 0.0f : dequantizeValue(p.qmin, p));
            high.push_back(zero ? 0.0f : dequantizeValue(p.qmax, p));
        }
    }
    m_channels->setQuantRanges(low, high);
    m_settings->setEffectiveWeightRange(m_readout.rmin, m_readout.rmax);
    emit readoutChanged();
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

// ---- Status bar, recent files, about -----------------------------------------------------------

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
                                                         QLocale::DataSizeSIFormat)));
    QString tip = tr("Parameters as stored: %1")
                      .arg(locale.formattedDataSize(o.counts.parameterBytes, 1,
                                                    QLocale::DataSizeSIFormat));
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
