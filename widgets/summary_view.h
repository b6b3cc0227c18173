// Summary view, for showing a product team what compression buys: large before/after figures
// (model size float vs compressed, compression ratio, accuracy per output head before and after
// with the change) from the latest accuracy preview. Every figure's font follows the window size
// and shrinks further only when its text would not fit, so nothing is clipped at any size.
#pragma once

#include "core/distill/distill.h"
#include "core/eval/evaluator.h"
#include "core/fusion/fusion.h"

#include <QLabel>
#include <QPointer>
#include <QWidget>

#include <optional>
#include <vector>

class QGridLayout;
class QStackedWidget;
class QVBoxLayout;

namespace nnc::studio {
class EvalService;
class Project;
} // namespace nnc::studio

namespace nnc {

/// A label that draws its text in the largest font up to maxPixelSize() that fits its rectangle
/// (one line, elided only if even the minimum size does not fit).
class FitLabel final : public QLabel
{
    Q_OBJECT

public:
    explicit FitLabel(QWidget *parent = nullptr);
    void setMaxPixelSize(int px);
    int maxPixelSize() const { return m_maxPx; }
    /// The pixel size the text is drawn at for the current size.
    int fittedPixelSize() const;
    void setBold(bool bold);
    bool isBold() const { return m_bold; }
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    int m_maxPx = 24;
    bool m_bold = false;
};

class SummaryView final : public QWidget
{
    Q_OBJECT

public:
    SummaryView(studio::Project *project, studio::EvalService *eval, QWidget *parent = nullptr);

    /// Shows the figures of `result` (what previewFinished delivers).
    void setResult(const EvalResult &result);
    /// Back to the empty state (the fusion and distillation rows stay).
    void clear();
    bool hasResult() const { return m_result.has_value(); }

    /// Shows a "Network fusion" row below the compression cards: parameters, bytes and MACs of
    /// A + B against the fused model, and each previewed head separate against fused.
    void setFusionReport(const FusionReport &report);
    void clearFusion();
    bool hasFusion() const { return m_fusion.has_value(); }
    /// Shows a "Knowledge distillation" row: teacher against student size, MACs, speed and each
    /// head's metric, and the student under the plan when the comparison included it.
    void setDistillReport(const DistillReport &report);
    void clearDistill();
    bool hasDistill() const { return m_distill.has_value(); }

    /// The text shown for a figure, by object name: "sizeFloat", "sizeCompressed", "ratio",
    /// "ratioDetail", "headBaseline<i>", "headCompressed<i>", "headDelta<i>", "headCaption<i>",
    /// "emptyMessage", "title", "subtitle"; with a fusion report "fusionTitle",
    /// "fusion{Params,Bytes,Macs}{Separate,Fused,Saved}", "fusionHead{Caption,Separate,Fused,
    /// Delta}<i>"; with a distillation report "distillTitle", "distill{Size,Macs}{Teacher,
    /// Student,Ratio}", "distillSpeed", "distillSpeedDetail", "distillPlan{Float,Compressed,
    /// Ratio}", "distillHead{Caption,Teacher,Student,Delta,Plan}<i>". Empty when there is no
    /// such figure.
    QString figureText(const QString &name) const;
    /// Head `i`'s budget verdict line ("✔ within budget …" / "✘ over budget by …"), empty when
    /// the head has no budget (the project's budgets, judged with judgeBudgets).
    QString budgetVerdictText(int head) const;
    int headCardCount() const { return static_cast<int>(m_headCards.size()); }
    int fusionCardCount() const { return static_cast<int>(m_fusionCards.size()); }
    int distillCardCount() const { return static_cast<int>(m_distillCards.size()); }

protected:
    void resizeEvent(QResizeEvent *event) override;
    void changeEvent(QEvent *event) override;
    void showEvent(QShowEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    struct Card
    {
        QWidget *frame = nullptr;
        FitLabel *caption = nullptr;
        FitLabel *beforeCaption = nullptr;
        FitLabel *before = nullptr;
        FitLabel *afterCaption = nullptr;
        FitLabel *after = nullptr;
        FitLabel *footer = nullptr;
        FitLabel *extra = nullptr; ///< a second footer line (distillation: under the plan)
    };
    /// A section below the compression cards: a heading over one row of cards.
    struct Section
    {
        QWidget *widget = nullptr;
        FitLabel *title = nullptr;
        QGridLayout *grid = nullptr;
    };
    Card makeCard(QWidget *parent, const QString &key, bool beforeAfter);
    Section makeSection(const QString &key);
    void rebuild();
    void rebuildFusion();
    void rebuildDistill();
    void layoutSection(Section &section, std::vector<Card> &cards);
    void retranslateFusion();
    void retranslateDistill();
    /// The area the figures are sized for: the scroll area's viewport when inside one.
    QSize visibleArea() const;
    void watchViewport();
    void retranslate();
    void showVerdicts();
    void updateFonts();
    void updateEmptyMessage();

    studio::Project *m_project = nullptr;
    studio::EvalService *m_eval = nullptr;
    std::optional<EvalResult> m_result;
    bool m_updating = false;

    FitLabel *m_title = nullptr;
    FitLabel *m_subtitle = nullptr;
    QStackedWidget *m_stack = nullptr;
    FitLabel *m_empty = nullptr;
    FitLabel *m_emptyHint = nullptr;
    QWidget *m_figures = nullptr;
    QGridLayout *m_grid = nullptr;
    Card m_size;
    Card m_ratio;
    std::vector<Card> m_headCards;

    std::optional<FusionReport> m_fusion;
    std::optional<DistillReport> m_distill;
    QVBoxLayout *m_layout = nullptr;
    Section m_fusionSection, m_distillSection;
    std::vector<Card> m_fusionCards, m_distillCards;
    QPointer<QWidget> m_viewport;
};

} // namespace nnc
