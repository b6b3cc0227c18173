// Weight histogram: renders an nnc::Histogram snapshot as bars, with linear or logarithmic counts.
// Keeps the data apart from the drawing: setHistogram() stores the snapshot, redraw() paints it.
#pragma once

#include "core/stats/histogram.h"
#include "widgets/plot_widget.h"

namespace nnc {

class HistogramPlot final : public PlotWidget
{
    Q_OBJECT

public:
    explicit HistogramPlot(QWidget *parent = nullptr);

    /// Shows `histogram` (bins over [lo, hi]); `title` names it in exports ("conv1.weight").
    void setHistogram(const Histogram &histogram, const QString &title);
    /// Removes the data and shows `placeholder` instead.
    void clear(const QString &placeholder);
    /// Logarithmic count axis; empty bins then sit on the axis floor rather than at zero.
    void setLogScale(bool on);
    bool logScale() const { return m_log; }

    bool hasData() const { return !m_histogram.counts.empty(); }
    const Histogram &histogram() const { return m_histogram; }
    /// Sum of the counts in all bins (out-of-range and NaN values excluded).
    int64_t binnedCount() const;

    void resetView() override;

protected:
    void changeEvent(QEvent *event) override;
    QString exportBaseName() const override;

private:
    void redraw();
    void retranslate();
    void showToolTip(const QPoint &pos);

    Histogram m_histogram;
    QString m_title;
    bool m_log = false;
};

} // namespace nnc
