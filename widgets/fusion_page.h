// Fusion page: the network-fusion workbench in the Studio. The user picks two task models (and
// each one's validation data), the page finds their common backbone off the GUI thread and shows
// the matched weights with their distances, what sharing the backbone saves (parameters, bytes,
// multiply-accumulates: A + B against fused) as figures and bars, and, on request, each head's
// metric in the fused model against the separate model it replaces. "Build fused model…" writes
// the validated fused ONNX model atomically. Everything runs through core/fusion (fuseModels).
#pragma once

#include "app/studio/latest_task.h"
#include "core/fusion/fusion.h"

#include <QString>
#include <QWidget>

#include <memory>
#include <optional>

class QComboBox;
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

class FusionPage final : public QWidget
{
    Q_OBJECT

public:
    /// `eval` is not used: the page works on two models of its own, not the project's model.
    FusionPage(studio::Project *project, studio::EvalService *eval, QWidget *parent = nullptr);
    ~FusionPage() override;

    void setModelA(const QString &path);
    void setModelB(const QString &path);
    void setDataA(const QString &path);
    void setDataB(const QString &path);
    void setBackbone(BackboneSource source);
    QString modelA() const;
    QString modelB() const;
    QString dataA() const;
    QString dataB() const;
    BackboneSource backbone() const;

    /// Matches, builds, validates and counts (no data needed). Result through finished().
    void analyze();
    /// analyze() plus each head evaluated on its own data, fused against separate.
    void previewSharing();
    /// Builds the fused model with the chosen backbone and writes it atomically to `path`.
    void buildFusedModel(const QString &path);
    /// Stops the running work; its result is dropped and the page is ready again.
    void cancel();
    bool isBusy() const;

    /// The last successful result (empty before the first, or after a failed run).
    const std::optional<FusionReport> &report() const { return m_report; }
    /// The data each side of report() was evaluated on (empty when it has no head figures):
    /// what the run used, not what the fields say now.
    QString reportDataA() const { return m_reportDataA; }
    QString reportDataB() const { return m_reportDataB; }
    /// The last error's message ("" after a success).
    QString lastError() const { return m_lastError; }

signals:
    /// A run ended (ok = false: failed; the error was shown). Not emitted for cancelled runs.
    void finished(bool ok);
    /// A run completed: its result (analysis, preview or build; a build keeps the preview's
    /// head figures), emitted just before finished(true).
    void resultReady(const nnc::FusionReport &report);

protected:
    void changeEvent(QEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    enum class Job { Analyze, Preview, Build };
    void start(Job job, const QString &outPath = {});
    void setBusy(bool busy, const QString &what = {});
    void showReport();
    void showError(const QString &title, const QString &message);
    void retranslate();
    void askAndBuild();

    studio::Project *m_project;
    std::unique_ptr<studio::LatestTask<Result<FusionReport>>> m_task;
    std::optional<FusionReport> m_report;
    QString m_reportDataA, m_reportDataB;
    QString m_lastError;
    bool m_shownOnce = false;

    QLabel *m_labelA = nullptr, *m_labelB = nullptr, *m_labelDataA = nullptr,
           *m_labelDataB = nullptr, *m_labelBackbone = nullptr;
    QLineEdit *m_modelA = nullptr, *m_modelB = nullptr, *m_dataA = nullptr, *m_dataB = nullptr;
    QToolButton *m_browseA = nullptr, *m_browseB = nullptr, *m_browseDataA = nullptr,
                *m_browseDataB = nullptr;
    QComboBox *m_backbone = nullptr;
    QPushButton *m_analyze = nullptr, *m_preview = nullptr, *m_build = nullptr;
    std::unique_ptr<WorkbenchRunControls> m_run;  ///< Cancel, progress bar, status line
    QLabel *m_status = nullptr; ///< the run controls' status line
    QLabel *m_summary = nullptr;
    QGroupBox *m_layersBox = nullptr, *m_headsBox = nullptr, *m_savingsBox = nullptr;
    QTableWidget *m_layers = nullptr, *m_heads = nullptr, *m_savings = nullptr;
    GroupedBarPlot *m_savingsPlot = nullptr;
};

} // namespace nnc
