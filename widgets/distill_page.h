// Distillation page: the knowledge-distillation workbench in the Studio. The user picks a teacher,
// a student and validation data; off the GUI thread the page compares them (per-head metric,
// arg-max agreement, KL divergence at a temperature, per-class accuracy as grouped bars,
// parameters, bytes, MACs and time per batch of both), optionally with the student under the
// project's compression plan ("distil, then quantize: what is left of the teacher's accuracy?"),
// and exports the teacher's soft labels as .npz. Everything runs through core/distill.
#pragma once

#include "app/studio/latest_task.h"
#include "core/distill/distill.h"

#include <QString>
#include <QWidget>

#include <memory>
#include <optional>

class QComboBox;
class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableWidget;
class QToolButton;

namespace nnc::studio {
class EvalService;
class Project;
} // namespace nnc::studio

namespace nnc {

class GroupedBarPlot;
class WorkbenchRunControls;

class DistillPage final : public QWidget
{
    Q_OBJECT

public:
    /// `eval` is not used: the page runs the teacher and student itself, not the project's model.
    /// `project` gives the plan for "Evaluate the student under the current plan".
    DistillPage(studio::Project *project, studio::EvalService *eval, QWidget *parent = nullptr);
    ~DistillPage() override;

    void setTeacher(const QString &path);
    void setStudent(const QString &path);
    void setData(const QString &path);
    void setTemperature(double t);
    QString teacher() const;
    QString student() const;
    QString data() const;
    double temperature() const;

    /// Teacher against student on the data. Result through finished().
    void run();
    /// run() with the student also evaluated under the project's current plan.
    void runWithPlan();
    /// Writes the teacher's soft labels at the current temperature to `path` (.npz, atomically).
    void exportSoftLabels(const QString &path);
    /// Stops the running work; its result is dropped and nothing is written.
    void cancel();
    bool isBusy() const;

    /// The last comparison (kept when a later export fails; cleared when a comparison fails).
    const std::optional<DistillReport> &report() const { return m_report; }
    /// The teacher, student and data report() came from: what the run used, not what the
    /// fields say now.
    QString reportTeacher() const { return m_reportTeacher; }
    QString reportStudent() const { return m_reportStudent; }
    QString reportData() const { return m_reportData; }
    const std::optional<SoftLabelSummary> &softLabels() const { return m_softLabels; }
    QString lastError() const { return m_lastError; }
    /// The head whose per-class accuracy the chart shows (an index into report()->heads).
    void setChartHead(int index);

signals:
    /// A run or export ended (ok = false: failed; the error was shown). Not emitted on cancel.
    void finished(bool ok);
    /// A comparison completed (with the student-under-plan figures when it was run with the
    /// plan): its result, emitted just before finished(true). Not emitted for exports.
    void resultReady(const nnc::DistillReport &report);

protected:
    void changeEvent(QEvent *event) override;

private:
    void compare(bool withPlan);
    void setBusy(bool busy, const QString &what = {});
    void showReport();
    void showChart();
    void showError(const QString &title, const QString &message);
    void retranslate();
    void askAndExport();

    studio::Project *m_project;
    std::unique_ptr<studio::LatestTask<Result<DistillReport>>> m_compareTask;
    std::unique_ptr<studio::LatestTask<Result<SoftLabelSummary>>> m_exportTask;
    std::optional<DistillReport> m_report;
    QString m_reportTeacher, m_reportStudent, m_reportData;
    std::optional<SoftLabelSummary> m_softLabels;
    QString m_lastError;

    QLabel *m_labelTeacher = nullptr, *m_labelStudent = nullptr, *m_labelData = nullptr,
           *m_labelTemperature = nullptr, *m_labelChartHead = nullptr;
    QLineEdit *m_teacher = nullptr, *m_student = nullptr, *m_data = nullptr;
    QToolButton *m_browseTeacher = nullptr, *m_browseStudent = nullptr, *m_browseData = nullptr;
    QDoubleSpinBox *m_temperature = nullptr;
    QPushButton *m_run = nullptr, *m_runPlan = nullptr, *m_export = nullptr;
    std::unique_ptr<WorkbenchRunControls> m_runControls;  ///< Cancel, progress bar, status line
    QLabel *m_status = nullptr; ///< the run controls' status line
    QLabel *m_summary = nullptr;
    QGroupBox *m_headsBox = nullptr, *m_costBox = nullptr, *m_chartBox = nullptr;
    QTableWidget *m_heads = nullptr, *m_cost = nullptr;
    QComboBox *m_chartHead = nullptr;
    GroupedBarPlot *m_chart = nullptr;
};

} // namespace nnc
