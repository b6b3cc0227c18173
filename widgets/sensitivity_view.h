// Sensitivity view: how much accuracy each layer loses when it alone is compressed. The user picks
// a setting (weight bits and/or pruning ratio, optionally activation bits) and runs the analysis
// on the EvalService worker ("sensitivity" jobs); a bar chart shows the per-layer accuracy change
// for that setting and a heat map the layer x weight-bit-width grid. Clicking a bar or a cell
// selects that layer in the rest of the Studio.
#pragma once

#include "core/eval/evaluator.h"
#include "widgets/plot_widget.h"

#include <QMetaType>
#include <QStringList>
#include <QWidget>

#include <optional>
#include <vector>

class QCheckBox;
class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;

namespace nnc::studio {
class EvalService;
class Project;
} // namespace nnc::studio

namespace nnc {

/// Bars of one value per layer (model order); a click in a layer's column selects it.
class SensitivityBarPlot final : public PlotWidget
{
    Q_OBJECT

public:
    explicit SensitivityBarPlot(QWidget *parent = nullptr);
    /// One bar per layer: accuracy change in percentage points (negative = worse).
    void setBars(const QStringList &layers, const std::vector<double> &deltaPp, const QString &title);
    void clear(const QString &placeholder);
    int barCount() const { return static_cast<int>(m_values.size()); }
    double barValue(int index) const { return m_values.at(static_cast<std::size_t>(index)); }
    QString barLayer(int index) const { return m_layers.value(index); }
    /// Widget position (in canvas() coordinates) of the middle of bar `index`'s column.
    QPoint barPosition(int index) const;
    /// The accuracy budget of the head shown (largest allowed drop, pp) as a dashed line at
    /// −budget; bars whose loss alone exceeds it are drawn hatched in a darker red.
    /// std::nullopt hides the line.
    void setBudget(std::optional<double> maxDropPp);
    std::optional<double> budget() const { return m_budget; }
    /// True when bar `index`'s loss alone exceeds the budget (as judgeBudgets judges a head).
    bool barOverBudget(int index) const;
    int overBudgetCount() const;
    void resetView() override;

signals:
    void layerClicked(const QString &layer);

protected:
    QString exportBaseName() const override;
    void changeEvent(QEvent *event) override;

private:
    void redraw();

    QStringList m_layers;
    std::vector<double> m_values;
    std::optional<double> m_budget;
    QObject *m_budgetLine = nullptr;   ///< QCPItemStraightLine, owned by the plot
    QObject *m_budgetText = nullptr;   ///< QCPItemText, owned by the plot
    std::vector<QObject *> m_valueItems;   ///< value labels (QCPItemText), owned by the plot
    QString m_title;
    QPoint m_pressPos;
};

/// Heat map of accuracy change, layers (rows) x weight bit widths (columns).
class SensitivityGridPlot final : public PlotWidget
{
    Q_OBJECT

public:
    explicit SensitivityGridPlot(QWidget *parent = nullptr);
    /// values[layer][column] in percentage points; NaN for a missing cell.
    void setGrid(const QStringList &layers, const std::vector<int> &bits,
                 const std::vector<std::vector<double>> &values, const QString &title);
    void clear(const QString &placeholder);
    int rowCount() const { return static_cast<int>(m_layers.size()); }
    int columnCount() const { return static_cast<int>(m_bits.size()); }
    double cellValue(int row, int column) const;
    /// Widget position (in canvas() coordinates) of the centre of a cell.
    QPoint cellPosition(int row, int column) const;
    /// Cells whose loss exceeds the head's budget get a dark frame and a "✘" after the figure.
    void setBudget(std::optional<double> maxDropPp);
    bool cellOverBudget(int row, int column) const;
    void resetView() override;

signals:
    void layerClicked(const QString &layer);

protected:
    QString exportBaseName() const override;
    void changeEvent(QEvent *event) override;

private:
    void redraw();

    QStringList m_layers;
    std::vector<int> m_bits;
    std::vector<std::vector<double>> m_values;
    std::vector<QObject *> m_cellItems;   ///< value labels (QCPItemText), owned by the plot
    std::vector<QObject *> m_frameItems;  ///< frames of cells beyond the budget (QCPItemRect)
    std::optional<double> m_budget;
    QString m_title;
    QPoint m_pressPos;
};

class SensitivityView final : public QWidget
{
    Q_OBJECT

public:
    SensitivityView(studio::Project *project, studio::EvalService *eval, QWidget *parent = nullptr);
    ~SensitivityView() override;

    /// The weight bit widths of the grid.
    static std::vector<int> gridBits() { return {2, 3, 4, 6, 8}; }

    /// The setting the bar chart shows; std::nullopt = off. At least one of bits and pruning
    /// must be on to run.
    void setSetting(std::optional<int> weightBits, std::optional<double> pruneRatio,
                    std::optional<int> activationBits = std::nullopt);
    void setGridEnabled(bool on);
    /// Starts the analysis on the EvalService (replacing a running one). Returns false (and says
    /// why in the status line) when there is no evaluator or no setting.
    bool run();
    void cancel();
    bool isRunning() const { return m_running; }

    /// The last finished analysis: one row per layer for the chosen setting (what the bar chart
    /// shows), and the full grid (empty when the grid was off).
    const SensitivityResult &lastResult() const { return m_chosen; }
    const SensitivityResult &gridResult() const { return m_grid; }
    /// Seconds the last finished run took on the worker.
    double lastRunSeconds() const { return m_seconds; }
    QString statusText() const;

    SensitivityBarPlot *barPlot() const { return m_bars; }
    SensitivityGridPlot *gridPlot() const { return m_gridPlot; }
    QComboBox *headCombo() const { return m_head; }
    QPushButton *runButton() const { return m_run; }
    QPushButton *cancelButton() const { return m_cancel; }
    QProgressBar *progressBar() const { return m_progress; }

signals:
    void layerActivated(const QString &layerName);
    /// After each finished run: one row per layer for the chosen setting (see lastResult()).
    void sensitivityFinished(const nnc::SensitivityResult &result);
    void runningChanged(bool running);

protected:
    void changeEvent(QEvent *event) override;

private:
    struct Outcome;
    void retranslate();
    void updateEnabled();
    void setRunning(bool running);
    void finish(uint64_t run, const Outcome &outcome);
    void fail(uint64_t run, const QString &message, bool cancelled);
    void showHead();
    void showBudget();
    void resetResults(const QString &placeholder);

    studio::Project *m_project = nullptr;
    studio::EvalService *m_eval = nullptr;

    QLabel *m_bitsLabel = nullptr;
    QComboBox *m_bits = nullptr;
    QLabel *m_pruneLabel = nullptr;
    QComboBox *m_prune = nullptr;
    QLabel *m_actLabel = nullptr;
    QComboBox *m_act = nullptr;
    QCheckBox *m_gridCheck = nullptr;
    QPushButton *m_run = nullptr;
    QPushButton *m_cancel = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_headLabel = nullptr;
    QComboBox *m_head = nullptr;
    SensitivityBarPlot *m_bars = nullptr;
    SensitivityGridPlot *m_gridPlot = nullptr;

    bool m_running = false;
    uint64_t m_runCounter = 0;   ///< incremented per run; late answers of older runs are dropped
    uint64_t m_jobId = 0;
    QString m_statusMessage;
    enum class Status { Idle, NoData, Running, Done, Cancelled, Failed } m_statusKind = Status::Idle;

    SensitivityResult m_chosen;
    SensitivityResult m_grid;
    std::vector<int> m_shownGridBits;
    QStringList m_layerOrder;
    QString m_settingText;
    double m_seconds = 0;
};

} // namespace nnc

Q_DECLARE_METATYPE(nnc::SensitivityResult)
