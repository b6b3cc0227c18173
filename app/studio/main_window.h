// The Studio's main window: the document (Project: model, data, plan, undo stack), the evaluator
// service, and the views on them: the layer table, the weights view of the selected layer with
// its draggable quantization range, the layer settings panel, and the other panels (preview,
// activations, sensitivity, summary). Loading and statistics run on worker threads (LatestTask),
// evaluation on the EvalService worker; the GUI thread only renders snapshots.
#pragma once

#include "app/studio/latest_task.h"
#include "app/studio/model_snapshot.h"
#include "app/studio/studio_export.h"
#include "core/report/report.h"
#include "core/plan/plan.h"
#include "widgets/weight_readout.h"

#include <QJsonObject>
#include <QMainWindow>

#include <optional>

class QAction;
class QActionGroup;
class QComboBox;
class QLabel;
class QLineEdit;
class QMenu;
class QProgressBar;
class QPushButton;
class QSplitter;
class QStackedWidget;
class QTabWidget;
class QTableView;
class QTimer;
class QToolButton;
class QDockWidget;

namespace nnc {
class ChannelRangePlot;
class HistogramPlot;
class LayerFilterProxy;
class LayerSettingsPanel;
class LayerTableModel;
class WeightStatsPanel;
} // namespace nnc

namespace nnc::studio {

class EvalService;
class Project;

/// What a file given to openFile() is, judged by extension and, for .json, by content.
enum class FileKind { Model, Data, Project, Plan, Unknown };
FileKind detectFileKind(const QString &path);

/// A bundled demo (resources/demo/demos.json) with absolute paths.
struct DemoEntry
{
    QString id, title, titleZh, description, descriptionZh, model, data;
    bool isDefault = false;
};
/// The demo folder: the source tree's resources/demo (development builds) or the installed
/// share/nncompress/demo next to the executable; empty when neither exists.
QString demoDirectory();
/// Every demo of demos.json in `dir` (empty when it is missing or unreadable).
QList<DemoEntry> loadDemos(const QString &dir);

class MainWindow final : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    /// Opens any supported file: a model (.onnx), validation data (.npz, .npy, dataset .json),
    /// a project (.nncproj) or a plan (.json), chosen by extension and content. A model loads in
    /// the background; the current one stays until it succeeds.
    void openFile(const QString &path);
    /// Opens a model and its validation data together (a demo).
    void openModelWithData(const QString &modelPath, const QString &dataPath);
    /// Opens the default demo (the Fashion-MNIST CNN with its data); false when none is found.
    bool openDefaultDemo();
    /// Switches the UI language ("en", "zh_CN"; "" follows the system) and saves the choice.
    void setLanguage(const QString &code);
    /// Offers to restore the recovery file when the previous session did not end cleanly.
    void offerRecovery();

    bool isLoading() const;
    const ModelSnapshot *snapshot() const { return m_snapshot ? &*m_snapshot : nullptr; }
    const LayerDetail *shownDetail() const { return m_detail ? &*m_detail : nullptr; }
    QStringList recentFiles() const;
    Project *project() const { return m_project; }
    EvalService *evalService() const { return m_eval; }
    /// The readouts shown for the selected layer under the plan.
    const WeightReadout &readout() const { return m_readout; }
    /// Saves the project to `path` (no dialog); shows an error dialog and returns false on failure.
    bool saveProjectAs(const QString &path);
    /// Imports a plan file as one undo step (checked against the open model).
    bool importPlan(const QString &path);
    /// The recovery file the autosave writes.
    static QString recoveryPath();
    /// Writes the recovery file now (the autosave timer does so every 60 s when modified).
    void autosave();

    QTableView *layerTable() const { return m_table; }
    LayerTableModel *layerModel() const { return m_model; }
    QLineEdit *filterEdit() const { return m_filter; }
    HistogramPlot *histogramPlot() const { return m_histogram; }
    ChannelRangePlot *channelPlot() const { return m_channels; }
    WeightStatsPanel *statsPanel() const { return m_stats; }
    LayerSettingsPanel *settingsPanel() const { return m_settings; }
    QTabWidget *mainTabs() const { return m_tabs; }
    QTabWidget *detailTabs() const { return m_detailTabs; }
    QAction *logScaleAction() const { return m_logScale; }
    QAction *perChannelAction() const { return m_perChannel; }
    QAction *undoAction() const { return m_undoAction; }
    QAction *redoAction() const { return m_redoAction; }
    /// The layer whose detail is shown ("" = none).
    QString currentLayerName() const;
    /// Selects a layer in the table (and shows it); false when there is none of that name.
    bool selectLayer(const QString &name);

    /// File > Export Model / Export Report without the file dialog (tests, scripting): runs on a
    /// worker with a progress dialog; exportFinished() reports the outcome.
    void startModelExport(ModelExportFormat format, const QString &path);
    void startReportExport(const QString &path);

signals:
    /// After an export or report: ok, the file(s) written (or the file asked for), the message.
    void exportFinished(bool ok, const QString &path, const QString &message);
    void modelLoaded(const QString &path);
    void loadFailed(const QString &path, const QString &message);
    void layerShown(const QString &layerName);
    /// An error dialog was shown (open, save, import, data).
    void errorShown(const QString &title, const QString &message);
    /// The readouts of the shown layer changed (settings, drag, new layer).
    void readoutChanged();

protected:
    void changeEvent(QEvent *event) override;
    void closeEvent(QCloseEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void createActions();
    void createMenus();
    void createCentralWidget();
    void createPanels();
    void createStatusBar();
    void retranslateUi();
    void updateTitle();
    void restoreLayout();
    void saveLayout();
    /// The layer settings and preview docks belong to the layer pages: a workbench tab (fusion,
    /// distillation) hides them while it is current and shows them again when the user leaves it.
    void updateDocksForTab();

    // Files.
    void newProject();
    void openDialog();
    void openDataDialog();
    void openProject(const QString &path);
    void openData(const QString &path);
    bool save();
    bool saveAsDialog();
    void importPlanDialog();
    void exportPlanDialog();
    void exportModelDialog();
    void exportReportDialog();
    void finishReport(const QString &path, Result<ReportData> data);
    void showSettingsDialog();
    /// Asks Save / Discard / Cancel when the project is modified; true = go ahead.
    bool maybeSave();
    void rebuildDemoMenu();
    void loadModel(const QString &path);
    void cancelLoading();
    void onLoaded(const QString &path, Result<ModelSnapshot> result);
    void showError(const QString &title, const QString &text, const QString &message);
    void closeModel();
    void reopenEvaluator();

    void fitTableColumns();
    void showSelectedLayer();
    void onSelectionChanged();
    void onDetail(Result<LayerDetail> result);
    void updateDetailTitle();
    void updateSummary();
    void updatePlotMode();
    void onPlanChanged();
    void repruneIfNeeded();
    void updateReadout();
    void showReadout(WeightReadout readout);
    void addRecentFile(const QString &path);
    void rebuildRecentMenu();
    void showAbout();

    Project *m_project = nullptr;
    EvalService *m_eval = nullptr;

    // Model state (GUI thread only).
    std::optional<ModelSnapshot> m_snapshot;
    std::optional<LayerDetail> m_detail;
    Tensor m_original;               ///< the shown layer's float weight
    Tensor m_pruned;                 ///< the same after the plan's pruning
    std::optional<PruneSpec> m_prunedWith;
    float m_pruneThreshold = 0;
    WeightReadout m_readout;
    QString m_path;
    QString m_loadingPath;
    QString m_pendingData;           ///< data to open once the loading model arrives
    QString m_pendingProject;        ///< the project file whose model is loading
    std::optional<CompressionPlan> m_pendingPlan;  ///< its plan, applied when the model arrives
    QJsonObject m_pendingView;
    bool m_pendingRecovery = false;  ///< the loading model belongs to a recovery file
    QString m_detailError;
    QString m_dataError;
    bool m_quietDataOpen = false;    ///< the data being opened is no edit to the project
    bool m_splitterUserSized = false;
    bool m_defaultDocks = false;     ///< no saved dock layout: size the docks when first shown
    QList<QWidget *> m_docksHiddenForTab; ///< docks updateDocksForTab hid (shown again on leaving)
    bool m_updatingDocks = false;          ///< updateDocksForTab is showing or hiding docks
    LatestTask<Result<ModelSnapshot>> m_loadTask{this};
    LatestTask<Result<LayerDetail>> m_detailTask{this};
    LatestTask<Result<Tensor>> m_pruneTask{this};
    LatestTask<WeightReadout> m_readoutTask{this};
    LatestTask<Result<QStringList>> m_exportTask{this};
    LatestTask<Result<ReportData>> m_reportTask{this};

    // Actions and menus.
    QMenu *m_fileMenu = nullptr;
    QMenu *m_recentMenu = nullptr;
    QMenu *m_demoMenu = nullptr;
    QMenu *m_editMenu = nullptr;
    QMenu *m_viewMenu = nullptr;
    QMenu *m_languageMenu = nullptr;
    QMenu *m_helpMenu = nullptr;
    QAction *m_newAction = nullptr;
    QAction *m_openAction = nullptr;
    QAction *m_openDataAction = nullptr;
    QAction *m_saveAction = nullptr;
    QAction *m_saveAsAction = nullptr;
    QAction *m_importPlanAction = nullptr;
    QAction *m_exportPlanAction = nullptr;
    QAction *m_exportModelAction = nullptr;
    QAction *m_exportReportAction = nullptr;
    QAction *m_closeAction = nullptr;
    QAction *m_quitAction = nullptr;
    QAction *m_undoAction = nullptr;
    QAction *m_redoAction = nullptr;
    QAction *m_settingsAction = nullptr;
    QAction *m_logScale = nullptr;
    QAction *m_perChannel = nullptr;
    QAction *m_aboutAction = nullptr;
    QAction *m_aboutQtAction = nullptr;
    QAction *m_systemLanguage = nullptr;
    QActionGroup *m_languageGroup = nullptr;
    QTimer *m_autosaveTimer = nullptr;

    // Widgets.
    QStackedWidget *m_pages = nullptr;
    QLabel *m_welcome = nullptr;
    QPushButton *m_welcomeOpen = nullptr;
    QPushButton *m_welcomeDemo = nullptr;
    QTabWidget *m_tabs = nullptr;
    QSplitter *m_splitter = nullptr;
    QSplitter *m_detailSplitter = nullptr;
    QLineEdit *m_filter = nullptr;
    QTableView *m_table = nullptr;
    LayerTableModel *m_model = nullptr;
    LayerFilterProxy *m_proxy = nullptr;
    QLabel *m_detailTitle = nullptr;
    QToolButton *m_logButton = nullptr;
    QToolButton *m_channelButton = nullptr;
    QLabel *m_binsLabel = nullptr;
    QComboBox *m_bins = nullptr;
    QTabWidget *m_detailTabs = nullptr;
    QStackedWidget *m_plots = nullptr;
    HistogramPlot *m_histogram = nullptr;
    ChannelRangePlot *m_channels = nullptr;
    WeightStatsPanel *m_stats = nullptr;
    LayerSettingsPanel *m_settings = nullptr;
    QDockWidget *m_settingsDock = nullptr;
    QDockWidget *m_previewDock = nullptr;
    QWidget *m_previewPanel = nullptr;
    QWidget *m_activationView = nullptr;
    QWidget *m_sensitivityView = nullptr;
    QWidget *m_summaryView = nullptr;
    QWidget *m_fusionPage = nullptr;
    QWidget *m_distillPage = nullptr;
    QLabel *m_summary = nullptr;
    QLabel *m_dataLabel = nullptr;
    QProgressBar *m_progress = nullptr;
    QToolButton *m_cancel = nullptr;
};

} // namespace nnc::studio
