// HistogramPlot: bars of equal width over the histogram's range.
#include "widgets/histogram_plot.h"

#include <qcustomplot.h>

#include <QToolTip>

#include <algorithm>

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
    connect(p, &QCustomPlot::mouseMove, this,
            [this](QMouseEvent *event) { showToolTip(event->pos()); });
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
}

void HistogramPlot::clear(const QString &placeholder)
{
    m_histogram = Histogram{};
    m_title.clear();
    setPlaceholderText(placeholder);
    redraw();
    resetView();
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
    if (m_histogram.counts.empty()) {
        p->xAxis->setRange(-1, 1);
        p->yAxis->setRange(m_log ? kLogFloor : 0.0, m_log ? 10.0 : 1.0);
        p->replot();
        return;
    }
    const double width = m_histogram.binWidth() > 0 ? m_histogram.binWidth() : 1.0;
    const double lo = m_histogram.binWidth() > 0 ? m_histogram.lo : m_histogram.lo - 0.5;
    const double hi = m_histogram.binWidth() > 0 ? m_histogram.hi : m_histogram.hi + 0.5;
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
