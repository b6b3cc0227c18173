// Summary view, for showing a product team what compression buys: large before/after figures
// (model size float vs compressed, compression ratio, accuracy per output head before and after
// with the change) from the latest accuracy preview. Every figure's font follows the window size
// and shrinks further only when its text would not fit, so nothing is clipped at any size.
#pragma once

#include "core/eval/evaluator.h"

#include <QLabel>
#include <QWidget>

#include <optional>
#include <vector>

class QGridLayout;
class QStackedWidget;

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
    /// Back to the empty state.
    void clear();
    bool hasResult() const { return m_result.has_value(); }

    /// The text shown for a figure, by object name: "sizeFloat", "sizeCompressed", "ratio",
    /// "ratioDetail", "headBaseline<i>", "headCompressed<i>", "headDelta<i>", "headCaption<i>",
    /// "emptyMessage", "title", "subtitle". Empty when there is no such figure.
    QString figureText(const QString &name) const;
    int headCardCount() const { return static_cast<int>(m_headCards.size()); }

protected:
    void resizeEvent(QResizeEvent *event) override;
    void changeEvent(QEvent *event) override;

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
    };
    Card makeCard(const QString &key, bool beforeAfter);
    void rebuild();
    void retranslate();
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
};

} // namespace nnc
