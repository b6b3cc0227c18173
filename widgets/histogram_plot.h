// Weight histogram: renders an nnc::Histogram snapshot as bars, with linear or logarithmic counts,
// and the compression overlay: the quantization range as two draggable vertical lines (rmin,
// rmax) with the clipped regions shaded, the quantization levels when there are few, and the
// pruned band (-t, t). Keeps the data apart from the drawing: setHistogram() and setOverlay()
// store snapshots, redraw() paints them. Dragging a line emits rangeDragged() on every move and
// rangeDragFinished() on release; the plot itself never edits a plan.
#pragma once

#include "core/stats/histogram.h"
#include "widgets/plot_widget.h"

#include <vector>

class QCPItemRect;
class QCPItemStraightLine;

namespace nnc {

/// What the histogram draws over the bars. Coordinates are weight values.
struct HistogramOverlay
{
    bool showRange = false;      ///< draw the quantization range lines and clipped regions
    bool rangeEditable = true;   ///< the lines can be dragged
    double rmin = 0, rmax = 0;
    bool symmetric = false;      ///< dragging one line mirrors the other around 0
    std::vector<double> levels;  ///< quantization levels to draw (empty: none)
    double pruneThreshold = 0;   ///< > 0: shade (-t, t), the band pruning zeroes
};

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

    void setOverlay(const HistogramOverlay &overlay);
    const HistogramOverlay &overlay() const { return m_overlay; }
    bool isDragging() const { return m_drag != Handle::None; }
    /// The range line's x position in canvas pixels (for tests and hit testing).
    int linePixel(bool upper) const;

signals:
    /// While a range line is dragged: the new range (rmin < rmax).
    void rangeDragged(double rmin, double rmax);
    /// The drag ended (mouse released) at this range.
    void rangeDragFinished(double rmin, double rmax);

protected:
    void changeEvent(QEvent *event) override;
    QString exportBaseName() const override;

private:
    void redraw();
    void retranslate();
    void showToolTip(const QPoint &pos);
    void updateOverlayItems();
    enum class Handle { None, Min, Max };
    Handle handleAt(const QPoint &pos) const;
    void onMousePress(QMouseEvent *event);
    void onMouseMove(QMouseEvent *event);
    void onMouseRelease(QMouseEvent *event);

    Histogram m_histogram;
    QString m_title;
    bool m_log = false;
    HistogramOverlay m_overlay;
    Handle m_drag = Handle::None;
    QCPItemStraightLine *m_minLine = nullptr;
    QCPItemStraightLine *m_maxLine = nullptr;
    QCPItemRect *m_clipLeft = nullptr;
    QCPItemRect *m_clipRight = nullptr;
    QCPItemRect *m_pruneBand = nullptr;
    std::vector<QCPItemStraightLine *> m_levelLines;  ///< a pool, extra ones hidden
};

} // namespace nnc
