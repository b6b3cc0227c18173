// HistogramPlot: bars of equal width over the histogram's range.
#include "widgets/histogram_plot.h"

#include <qcustomplot.h>

#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace nnc {

namespace {
// Where empty bins sit on a logarithmic axis: below 1 (the smallest non-zero count).
constexpr double kLogFloor = 0.5;
} // namespace

HistogramPlot::HistogramPlot(QWidget *parent) : PlotWidget(parent)
{
    QCustomPlot *p = plot();
    auto *bars = new QCPBars(p->xAxis, p->yAxis);
    bars->setName(QStringLiteral("bins"));
    bars->setWidthType(QCPBars::wtPlotCoords);
    bars->setPen(QPen(QColor(31, 92, 153), 0));
    bars->setBrush(QColor(66, 133, 199));
    bars->setAntialiased(false);
    bars->setAntialiasedFill(false);

    p->axisRect()->setRangeZoom(Qt::Horizontal | Qt::Vertical);
    p->axisRect()->setRangeDrag(Qt::Horizontal | Qt::Vertical);
    p->setMouseTracking(true);
    connect(p, &QCustomPlot::mousePress, this, [this](QMouseEvent *e) { onMousePress(e); });
    connect(p, &QCustomPlot::mouseMove, this, [this](QMouseEvent *e) { onMouseMove(e); });
    connect(p, &QCustomPlot::mouseRelease, this, [this](QMouseEvent *e) { onMouseRelease(e); });

    // Overlay items: x in weight values, y spanning the axis rect (0 = top, 1 = bottom).
    auto band = [p](const QColor &fill) {
        auto *rect = new QCPItemRect(p);
        rect->setSelectable(false);
        rect->setPen(Qt::NoPen);
        rect->setBrush(fill);
        for (QCPItemPosition *pos : {rect->topLeft, rect->bottomRight}) {
            pos->setTypeX(QCPItemPosition::ptPlotCoords);
            pos->setTypeY(QCPItemPosition::ptAxisRectRatio);
        }
        rect->topLeft->setCoords(0, 0);
        rect->bottomRight->setCoords(0, 1);
        rect->setVisible(false);
        return rect;
    };
    m_clipLeft = band(QColor(214, 39, 40, 40));
    m_clipRight = band(QColor(214, 39, 40, 40));
    m_pruneBand = band(QColor(120, 120, 120, 60));
    auto line = [p](const QColor &color, qreal width, Qt::PenStyle style) {
        auto *l = new QCPItemStraightLine(p);
        l->setSelectable(false);
        l->setPen(QPen(color, width, style));
        for (QCPItemPosition *pos : {l->point1, l->point2}) {
            pos->setTypeX(QCPItemPosition::ptPlotCoords);
            pos->setTypeY(QCPItemPosition::ptAxisRectRatio);
        }
        l->point1->setCoords(0, 0);
        l->point2->setCoords(0, 1);
        l->setVisible(false);
        return l;
    };
    m_minLine = line(QColor(200, 30, 30), 2.0, Qt::SolidLine);
    m_maxLine = line(QColor(200, 30, 30), 2.0, Qt::SolidLine);
    // Levels are drawn before the range lines so the lines stay on top: create them up front.
    for (int i = 0; i < 64; ++i)
        m_levelLines.push_back(line(QColor(230, 140, 20, 150), 1.0, Qt::DashLine));
    m_minLine->setLayer(QStringLiteral("overlay"));
    m_maxLine->setLayer(QStringLiteral("overlay"));
    connect(p->xAxis, qOverload<const QCPRange &>(&QCPAxis::rangeChanged), this,
            [this] { updateOverlayItems(); });
    retranslate();
    clear(QString());
}

void HistogramPlot::retranslate()
{
    plot()->xAxis->setLabel(tr("Weight value"));
    plot()->yAxis->setLabel(m_log ? tr("Count (log scale)") : tr("Count"));
    if (!m_title.isEmpty() && m_histogram.counts.empty())
        setPlaceholderText(tr("No finite values"));
    plot()->replot();
}

void HistogramPlot::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    PlotWidget::changeEvent(event);
}

QString HistogramPlot::exportBaseName() const
{
    return m_title.isEmpty() ? QStringLiteral("histogram") : m_title + QStringLiteral("-histogram");
}

void HistogramPlot::setHistogram(const Histogram &histogram, const QString &title)
{
    m_histogram = histogram;
    m_title = title;
    setPlaceholderText(m_histogram.counts.empty() ? tr("No finite values") : QString());
    redraw();
    resetView();
    updateOverlayItems();
}

void HistogramPlot::clear(const QString &placeholder)
{
    m_histogram = Histogram{};
    m_title.clear();
    m_overlay = HistogramOverlay{};
    m_drag = Handle::None;
    plot()->setInteraction(QCP::iRangeDrag, true);
    setPlaceholderText(placeholder);
    redraw();
    resetView();
    updateOverlayItems();
}

void HistogramPlot::setLogScale(bool on)
{
    if (m_log == on)
        return;
    m_log = on;
    QCPAxis *y = plot()->yAxis;
    if (on) {
        y->setScaleType(QCPAxis::stLogarithmic);
        y->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
        y->setNumberFormat(QStringLiteral("eb"));
        y->setNumberPrecision(0);
    } else {
        y->setScaleType(QCPAxis::stLinear);
        y->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
        y->setNumberFormat(QStringLiteral("gb"));
        y->setNumberPrecision(6);
    }
    retranslate();
    redraw();
    resetView();
}

int64_t HistogramPlot::binnedCount() const
{
    int64_t total = 0;
    for (int64_t c : m_histogram.counts)
        total += c;
    return total;
}

void HistogramPlot::redraw()
{
    auto *bars = qobject_cast<QCPBars *>(plot()->plottable(0));
    const std::size_t n = m_histogram.counts.size();
    QVector<double> keys(static_cast<qsizetype>(n));
    QVector<double> values(static_cast<qsizetype>(n));
    for (std::size_t i = 0; i < n; ++i) {
        keys[static_cast<qsizetype>(i)] = m_histogram.binCenter(i);
        const double c = static_cast<double>(m_histogram.counts[i]);
        values[static_cast<qsizetype>(i)] = m_log ? std::max(c, kLogFloor) : c;
    }
    // A single-value histogram (lo == hi) has no width: draw it as a visible sliver.
    const double width = m_histogram.binWidth() > 0 ? m_histogram.binWidth() : 1.0;
    bars->setWidth(width);
    bars->setBaseValue(m_log ? kLogFloor : 0.0);
    bars->setData(keys, values, true);
}

void HistogramPlot::resetView()
{
    QCustomPlot *p = plot();
    // Fit the data and the range lines (a range wider than the weights must stay visible).
    if (m_histogram.counts.empty()) {
        p->xAxis->setRange(-1, 1);
        p->yAxis->setRange(m_log ? kLogFloor : 0.0, m_log ? 10.0 : 1.0);
        p->replot();
        return;
    }
    const double width = m_histogram.binWidth() > 0 ? m_histogram.binWidth() : 1.0;
    double lo = m_histogram.binWidth() > 0 ? m_histogram.lo : m_histogram.lo - 0.5;
    double hi = m_histogram.binWidth() > 0 ? m_histogram.hi : m_histogram.hi + 0.5;
    if (m_overlay.showRange && std::isfinite(m_overlay.rmin) && std::isfinite(m_overlay.rmax)) {
        lo = std::min(lo, m_overlay.rmin);
        hi = std::max(hi, m_overlay.rmax);
    }
    const double margin = std::max(width, (hi - lo) * 0.02);
    p->xAxis->setRange(lo - margin, hi + margin);
    const double peak = static_cast<double>(
        std::max<int64_t>(1, *std::max_element(m_histogram.counts.begin(), m_histogram.counts.end())));
    if (m_log)
        p->yAxis->setRange(kLogFloor, peak * 2.0);
    else
        p->yAxis->setRange(0.0, peak * 1.05);
    p->replot();
}

void HistogramPlot::setOverlay(const HistogramOverlay &overlay)
{
    m_overlay = overlay;
    if (m_overlay.rmin > m_overlay.rmax)
        std::swap(m_overlay.rmin, m_overlay.rmax);
    updateOverlayItems();
    // Queued: the moves of a drag and the plan edits they cause coalesce into one repaint.
    plot()->replot(QCustomPlot::rpQueuedReplot);
}

void HistogramPlot::updateOverlayItems()
{
    const bool data = hasData();
    const QCPRange x = plot()->xAxis->range();
    // The clipped bands reach past the visible range whatever the zoom.
    const double farLeft = std::min(x.lower, m_overlay.rmin) - x.size();
    const double farRight = std::max(x.upper, m_overlay.rmax) + x.size();
    const bool range = data && m_overlay.showRange;
    m_minLine->setVisible(range);
    m_maxLine->setVisible(range);
    m_clipLeft->setVisible(range);
    m_clipRight->setVisible(range);
    m_minLine->point1->setCoords(m_overlay.rmin, 0);
    m_minLine->point2->setCoords(m_overlay.rmin, 1);
    m_maxLine->point1->setCoords(m_overlay.rmax, 0);
    m_maxLine->point2->setCoords(m_overlay.rmax, 1);
    m_clipLeft->topLeft->setCoords(farLeft, 0);
    m_clipLeft->bottomRight->setCoords(m_overlay.rmin, 1);
    m_clipRight->topLeft->setCoords(m_overlay.rmax, 0);
    m_clipRight->bottomRight->setCoords(farRight, 1);
    const double t = m_overlay.pruneThreshold;
    m_pruneBand->setVisible(data && t > 0);
    m_pruneBand->topLeft->setCoords(-t, 0);
    m_pruneBand->bottomRight->setCoords(t, 1);
    const std::size_t levels = data ? std::min(m_overlay.levels.size(), m_levelLines.size()) : 0;
    for (std::size_t i = 0; i < m_levelLines.size(); ++i) {
        QCPItemStraightLine *l = m_levelLines[i];
        l->setVisible(i < levels);
        if (i < levels) {
            l->point1->setCoords(m_overlay.levels[i], 0);
            l->point2->setCoords(m_overlay.levels[i], 1);
        }
    }
}

int HistogramPlot::linePixel(bool upper) const
{
    return static_cast<int>(std::lround(
        plot()->xAxis->coordToPixel(upper ? m_overlay.rmax : m_overlay.rmin)));
}

HistogramPlot::Handle HistogramPlot::handleAt(const QPoint &pos) const
{
    if (!hasData() || !m_overlay.showRange || !m_overlay.rangeEditable ||
        !plot()->axisRect()->rect().contains(pos))
        return Handle::None;
    constexpr int kGrab = 6;  // pixels either side of a line
    const int dMin = std::abs(pos.x() - linePixel(false));
    const int dMax = std::abs(pos.x() - linePixel(true));
    if (std::min(dMin, dMax) > kGrab)
        return Handle::None;
    return dMin <= dMax ? Handle::Min : Handle::Max;
}

void HistogramPlot::onMousePress(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton)
        return;
    m_drag = handleAt(event->pos());
    if (m_drag != Handle::None) {
        // Our own drag: the axis rect must not pan the view at the same time.
        plot()->setInteraction(QCP::iRangeDrag, false);
        QToolTip::hideText();
    }
}

void HistogramPlot::onMouseMove(QMouseEvent *event)
{
    if (m_drag == Handle::None) {
        const Handle over = handleAt(event->pos());
        plot()->setCursor(over != Handle::None ? Qt::SizeHorCursor : Qt::ArrowCursor);
        if (over != Handle::None) {
            const QLocale locale;
            QToolTip::showText(
                plot()->mapToGlobal(event->pos()),
                (over == Handle::Min ? tr("rmin = %1: drag to change the quantization range "
                                          "(a range set by hand is one range for the whole "
                                          "tensor).")
                                     : tr("rmax = %1: drag to change the quantization range "
                                          "(a range set by hand is one range for the whole "
                                          "tensor)."))
                    .arg(locale.toString(over == Handle::Min ? m_overlay.rmin : m_overlay.rmax,
                                         'g', 5)),
                plot());
            return;
        }
        showToolTip(event->pos());
        return;
    }
    const double x = plot()->xAxis->pixelToCoord(event->pos().x());
    // Keep the lines apart by at least one pixel's worth of value.
    const double gap = std::abs(plot()->xAxis->pixelToCoord(1) - plot()->xAxis->pixelToCoord(0));
    if (m_overlay.symmetric) {
        const double t = std::max(std::abs(x), gap);
        m_overlay.rmin = -t;
        m_overlay.rmax = t;
    } else if (m_drag == Handle::Min) {
        m_overlay.rmin = std::min(x, m_overlay.rmax - gap);
    } else {
        m_overlay.rmax = std::max(x, m_overlay.rmin + gap);
    }
    updateOverlayItems();
    emit rangeDragged(m_overlay.rmin, m_overlay.rmax);
    plot()->replot(QCustomPlot::rpQueuedReplot);
}

void HistogramPlot::onMouseRelease(QMouseEvent *event)
{
    if (m_drag == Handle::None || event->button() != Qt::LeftButton)
        return;
    m_drag = Handle::None;
    plot()->setInteraction(QCP::iRangeDrag, true);
    emit rangeDragFinished(m_overlay.rmin, m_overlay.rmax);
}

void HistogramPlot::showToolTip(const QPoint &pos)
{
    if (m_histogram.counts.empty() || !plot()->axisRect()->rect().contains(pos)) {
        QToolTip::hideText();
        return;
    }
    const double x = plot()->xAxis->pixelToCoord(pos.x());
    const double w = m_histogram.binWidth();
    if (w <= 0 || x < m_histogram.lo || x > m_histogram.hi) {
        QToolTip::hideText();
        return;
    }
    const auto bin = std::min(static_cast<std::size_t>((x - m_histogram.lo) / w),
                              m_histogram.counts.size() - 1);
    const double from = m_histogram.lo + static_cast<double>(bin) * w;
    const QLocale locale;
    QToolTip::showText(plot()->mapToGlobal(pos),
                       tr("[%1, %2): %3 values")
                           .arg(locale.toString(from, 'g', 5), locale.toString(from + w, 'g', 5),
                                locale.toString(static_cast<qlonglong>(m_histogram.counts[bin]))),
                       plot());
}

} // namespace nnc
