// PreviewPanel: the accuracy preview. Per output head the float baseline next to the model under
// the project's plan (delta in percentage points, agreement with the float predictions, output
// SQNR), the model size before and after, the running estimate with its 95 % interval while
// batches arrive, progress and Cancel, and the list of samples whose prediction changed (the
// selected one shown in a SampleView). Auto-preview re-runs the evaluation ~300 ms after the last
// plan edit; every evaluation runs on the EvalService worker, whose caches recompute only what
// the edit changed.
//
// Accuracy budgets (issue #8): each head's row shows the largest drop the project allows it
// (its own budget, or the default for every head), and a verdict judged by core's judgeBudgets
// (the same as `nncompress eval --budget`). The default is set above the table; a head's own
// budget by double-clicking its Budget cell or from the row's context menu. Every budget edit is
// an undo step of the project.
#pragma once

#include "app/studio/project.h"
#include "core/eval/evaluator.h"
#include "core/plan/plan.h"
#include "widgets/plot_widget.h"

#include <QPointer>
#include <QWidget>

#include <optional>
#include <vector>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QListWidget;
class QProgressBar;
class QPushButton;
class QSplitter;
class QTableWidget;
class QTableWidgetItem;
class QTimer;

namespace nnc::studio {
class EvalService;
class Project;
struct SamplePreview;
} // namespace nnc::studio

namespace nnc {

class SampleView;

/// The running estimate of the compressed metric against the samples seen, with its 95 %
/// interval as a band and the float baseline as a line.
class EstimatePlot final : public PlotWidget
{
    Q_OBJECT

public:
    explicit EstimatePlot(QWidget *parent = nullptr);
    /// Forgets the points; `placeholder` is shown until the first one.
    void clear(const QString &placeholder);
    /// Adds the estimate after `e.done` of `e.total` samples (metric values 0..1, shown in %).
    void addEstimate(const Estimate &e);
    /// The float model's value of the same metric (0..1), or nullopt to hide the line.
    void setBaseline(std::optional<double> baseline);
    int pointCount() const { return static_cast<int>(m_points.size()); }
    void resetView() override;

protected:
    QString exportBaseName() const override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void rebuild();
    /// As many sample-count ticks as fit the plot's width without the labels running together.
    void fitTickCount();
    std::vector<Estimate> m_points;
    std::optional<double> m_baseline;
};

class PreviewPanel final : public QWidget
{
    Q_OBJECT

public:
    /// Columns of the head table.
    enum Column { ColOutput, ColMetric, ColFloat, ColCompressed, ColChange, ColBudget,
                  ColVerdict, ColAgreement, ColSqnr, ColumnCount };
    /// Item data role of a Budget cell: the head's own budget in pp (double), or an invalid
    /// QVariant for "none of its own" (the default applies). Setting it edits the project.
    static constexpr int BudgetRole = Qt::UserRole + 1;

    PreviewPanel(studio::Project *project, studio::EvalService *eval, QWidget *parent = nullptr);
    ~PreviewPanel() override;

    /// Evaluates the project's plan now (the Run button).
    void runPreview();
    /// Stops the running preview (the Cancel button).
    void cancelPreview();
    /// Auto-preview: re-evaluate ~300 ms after each plan change (on by default).
    void setAutoPreview(bool on);
    bool autoPreview() const;
    /// The last finished result (nullopt before the first one or after the data changed).
    const std::optional<EvalResult> &result() const { return m_result; }
    /// True while the figures shown belong to an older plan than the project's.
    bool isStale() const { return m_stale; }

    // For tests and screenshots.
    QTableWidget *headTable() const { return m_heads; }
    QListWidget *changedList() const { return m_changed; }
    SampleView *sampleView() const { return m_sample; }
    EstimatePlot *estimatePlot() const { return m_plot; }
    QProgressBar *progressBar() const { return m_progress; }
    QPushButton *runButton() const { return m_run; }
    QPushButton *cancelButton() const { return m_cancel; }
    QCheckBox *autoPreviewBox() const { return m_auto; }
    QLabel *sizeLabel() const { return m_size; }
    QLabel *workLabel() const { return m_work; }
    QLabel *statusLabel() const { return m_status; }
    QLabel *estimateLabel() const { return m_estimate; }
    QCheckBox *defaultBudgetBox() const { return m_defaultBudgetOn; }
    QDoubleSpinBox *defaultBudgetSpin() const { return m_defaultBudget; }
    QLabel *budgetSummaryLabel() const { return m_budgetSummary; }
    /// The line budgetVerdictChanged() last carried.
    QString budgetVerdictLine() const { return m_verdictLine; }
    /// The project's budgets judged against the result shown (empty without a result).
    const studio::BudgetJudgement &judgement() const { return m_judgement; }
    /// Selects the changed prediction at `row` of the list (as a click does).
    void selectChangedSample(int row);

signals:
    /// A preview result was shown.
    void previewShown();
    /// The selected sample is shown in the sample view.
    void sampleShown(qint64 index);
    /// The budget verdict in one short rich-text line for a status bar ("✔ Within budget" /
    /// "✘ Over budget: slot_logits"), empty without budgets or a result; `toolTip` has every
    /// head's verdict.
    void budgetVerdictChanged(const QString &text, const QString &toolTip);

protected:
    void changeEvent(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void retranslateUi();
    void onPlanChanged();
    void onOpened();
    void onStarted();
    void onProgress(qint64 done, qint64 total);
    void onEstimate(const Estimate &e);
    void onFinished(const EvalResult &r);
    void onFailed(const QString &message);
    void onCancelled();
    void onSample(const studio::SamplePreview &s);
    void showResult();
    void fillChangedList();
    void requestSample();
    void setRunning(bool running);
    void fitHeadsHeight();
    void layoutSplit();
    void setStatus(const QString &text, bool error = false);
    void onBudgetsChanged();
    void showBudgets();
    void onHeadItemChanged(QTableWidgetItem *item);
    void showHeadMenu(const QPoint &pos);
    void setBudget(const std::string &output, std::optional<double> pp);

    // Guarded: the main window may destroy the service before its docks.
    QPointer<studio::Project> m_project;
    QPointer<studio::EvalService> m_eval;
    CompressionPlan m_requested;            ///< the plan of the last preview asked for
    std::optional<CompressionPlan> m_shownPlan;  ///< the plan of the result shown
    std::optional<EvalResult> m_result;
    bool m_running = false;
    bool m_stale = false;
    qint64 m_sampleWanted = -1;

    QTimer *m_debounce = nullptr;
    QSplitter *m_split = nullptr;
    bool m_splitUserSized = false;  ///< the user dragged a handle: keep their sizes
    QCheckBox *m_auto = nullptr;
    QPushButton *m_run = nullptr;
    QPushButton *m_cancel = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_estimate = nullptr;
    EstimatePlot *m_plot = nullptr;
    QLabel *m_headsTitle = nullptr;
    QTableWidget *m_heads = nullptr;
    QCheckBox *m_defaultBudgetOn = nullptr;
    QDoubleSpinBox *m_defaultBudget = nullptr;
    QLabel *m_budgetSummary = nullptr;
    studio::BudgetJudgement m_judgement;
    bool m_fillingHeads = false;
    QString m_verdictLine;          ///< last budgetVerdictChanged text, to emit on change only
    QString m_verdictTip;
    QLabel *m_size = nullptr;
    QLabel *m_work = nullptr;
    QLabel *m_changedTitle = nullptr;
    QComboBox *m_changedHead = nullptr;
    QListWidget *m_changed = nullptr;
    SampleView *m_sample = nullptr;
};

} // namespace nnc
