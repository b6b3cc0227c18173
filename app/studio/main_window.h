// The Studio's main window: opens a model (menu, recent files, drag and drop, command line),
// lists its compressible layers and shows the selected layer's weight histogram, per-channel
// ranges and statistics. Loading and statistics run on worker threads (LatestTask).
#pragma once

#include "app/studio/latest_task.h"
#include "app/studio/model_snapshot.h"

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
class QTableView;
class QToolButton;

namespace nnc {
class ChannelRangePlot;
class HistogramPlot;
class LayerFilterProxy;
class LayerTableModel;
class WeightStatsPanel;
} // namespace nnc

namespace nnc::studio {

class MainWindow final : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    /// Starts loading `path` in the background; the current model stays shown until it succeeds.
    void openFile(const QString &path);
    /// Switches the UI language ("en", "zh_CN"; "" follows the system) and saves the choice.
    void setLanguage(const QString &code);

    bool isLoading() const;
    /// The loaded model, or nullptr before the first successful load / after Close.
    const ModelSnapshot *snapshot() const { return m_snapshot ? &*m_snapshot : nullptr; }
    /// The detail shown for the selected layer, or nullptr while none is (yet) shown.
    const LayerDetail *shownDetail() const { return m_detail ? &*m_detail : nullptr; }
    QStringList recentFiles() const;

    QTableView *layerTable() const { return m_table; }
    QLineEdit *filterEdit() const { return m_filter; }
    HistogramPlot *histogramPlot() const { return m_histogram; }
    ChannelRangePlot *channelPlot() const { return m_channels; }
    WeightStatsPanel *statsPanel() const { return m_stats; }
    QAction *logScaleAction() const { return m_logScale; }
    QAction *perChannelAction() const { return m_perChannel; }

signals:
    void modelLoaded(const QString &path);
    void loadFailed(const QString &path, const QString &message);
    void layerShown(const QString &layerName);

protected:
    void changeEvent(QEvent *event) override;
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void createActions();
    void createMenus();
    void createCentralWidget();
    void createStatusBar();
    void retranslateUi();

    void openDialog();
    void closeModel();
    void cancelLoading();
    void onLoaded(const QString &path, Result<ModelSnapshot> result);
    void showLoadError(const QString &path, const QString &message);
    void fitTableColumns();
    void showSelectedLayer();
    void onDetail(Result<LayerDetail> result);
    void updateDetailTitle();
    void updateSummary();
    void updatePlotMode();
    void addRecentFile(const QString &path);
    void rebuildRecentMenu();
    void showAbout();

    // Model state (GUI thread only).
    std::optional<ModelSnapshot> m_snapshot;
    std::optional<LayerDetail> m_detail;
    QString m_path;
    QString m_loadingPath;
    QString m_detailError;
    bool m_splitterUserSized = false;  ///< restored or dragged: fitTableColumns() only widens
    LatestTask<Result<ModelSnapshot>> m_loadTask{this};
    LatestTask<Result<LayerDetail>> m_detailTask{this};

    // Actions and menus.
    QMenu *m_fileMenu = nullptr;
    QMenu *m_recentMenu = nullptr;
    QMenu *m_viewMenu = nullptr;
    QMenu *m_languageMenu = nullptr;
    QMenu *m_helpMenu = nullptr;
    QAction *m_openAction = nullptr;
    QAction *m_closeAction = nullptr;
    QAction *m_quitAction = nullptr;
    QAction *m_logScale = nullptr;
    QAction *m_perChannel = nullptr;
    QAction *m_aboutAction = nullptr;
    QAction *m_aboutQtAction = nullptr;
    QAction *m_systemLanguage = nullptr;
    QActionGroup *m_languageGroup = nullptr;

    // Widgets.
    QStackedWidget *m_pages = nullptr;
    QLabel *m_welcome = nullptr;
    QPushButton *m_welcomeOpen = nullptr;
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
    QStackedWidget *m_plots = nullptr;
    HistogramPlot *m_histogram = nullptr;
    ChannelRangePlot *m_channels = nullptr;
    WeightStatsPanel *m_stats = nullptr;
    QLabel *m_summary = nullptr;
    QProgressBar *m_progress = nullptr;
    QToolButton *m_cancel = nullptr;
};

} // namespace nnc::studio
