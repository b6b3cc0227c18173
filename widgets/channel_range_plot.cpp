// ChannelRangePlot: candlesticks whose body runs from a channel's min to its max.
#include "widgets/channel_range_plot.h"

#include <qcustomplot.h>

#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace nnc {

ChannelRangePlot::ChannelRangePlot(QWidget *parent) : PlotWidget(parent)
{
    QCustomPlot *p = plot();
    auto *ranges = new QCPFinancial(p->xAxis, p->yAxis);
    ranges->setName(QStringLiteral("ranges"));
    ranges->setChartStyle(QCPFinancial::csCandlestick);
    ranges->setTwoColored(false);
    ranges->setWidthType(QCPFinancial::wtPlotCoords);
    ranges->setWidth(0.7);
    ranges->setPen(QPen(QColor(31, 92, 153), 0));
    ranges->setBrush(QColor(66, 133, 199));

    // Quantization ranges: graphs 0 (low) and 1 (high), drawn as steps centred on channels.
    for (int i = 0; i < 2; ++i) {
        QCPGraph *g = p->addGraph();
        g->setName(i == 0 ? QStringLiteral("quantLow") : QStringLiteral("quantHigh"));
        g->setLineStyle(QCPGraph::lsStepCenter);
        g->setPen(QPen(QColor(200, 30, 30), 1.5));
    }

    // The zero line shows at a glance which channels are one-sided.
    auto *zero = new QCPItemStraightLine(p);
    zero->point1->setCoords(0, 0);
    zero->point2->setCoords(1, 0);
    zero->setPen(QPen(QColor(150, 150, 150), 0, Qt::DashLine));

    QSharedPointer<QCPAxisTickerFixed> ticker(new QCPAxisTickerFixed);
    ticker->setTickStep(1.0);
    ticker->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
    p->xAxis->setTicker(ticker);
    p->axisRect()->setRangeZoom(Qt::Horizontal | Qt::Vertical);
    p->axisRect()->setRangeDrag(Qt::Horizontal | Qt::Vertical);
    p->setMouseTracking(true);
    connect(p, &QCustomPlot::mouseMove, this,
            [this](QMouseEvent *event) { showToolTip(event->pos()); });
    retranslate();
    clear(QString());
}

void ChannelRangePlot::retranslate()
{
    plot()->xAxis->setLabel(tr("Output channel (weight axis %1)").arg(m_axis));
    plot()->yAxis->setLabel(tr("Weight value"));
    if (!m_title.isEmpty() && m_min.empty())
        setPlaceholderText(tr("No per-channel ranges for this layer"));
    plot()->replot();
}

void ChannelRangePlot::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    PlotWidget::changeEvent(event);
}

QString ChannelRangePlot::exportBaseName() const
{
    return m_title.isEmpty() ? QStringLiteral("channels") : m_title + QStringLiteral("-channels");
}

void ChannelRangePlot::setRanges(std::vector<float> channelMin, std::vector<float> channelMax,
                                 int axis, const QString &title)
{
    const std::size_t n = std::min(channelMin.size(), channelMax.size());
    channelMin.resize(n);
    channelMax.resize(n);
    m_min = std::move(channelMin);
    m_max = std::move(channelMax);
    m_axis = axis;
    m_title = title;
    // The previous layer's quantization ranges do not belong to this one.
    plot()->graph(0)->data()->clear();
    plot()->graph(1)->data()->clear();
    m_quantCount = 0;
    QVector<double> keys, open, high, low, close;
    for (std::size_t i = 0; i < n; ++i) {
        // A channel with no finite value has NaN bounds: leave it out rather than draw garbage.
        if (!std::isfinite(m_min[i]) || !std::isfinite(m_max[i]))
            continue;
        keys << static_cast<double>(i);
        low << m_min[i];
        open << m_min[i];
        high << m_max[i];
        close << m_max[i];
    }
    qobject_cast<QCPFinancial *>(plot()->plottable(0))->setData(keys, open, high, low, close, true);
    setPlaceholderText(n == 0 ? tr("No per-channel ranges for this layer") : QString());
    retranslate();
    resetView();
}

void ChannelRangePlot::setQuantRanges(const std::vector<float> &low, const std::vector<float> &high)
{
    const std::size_t channels = m_min.size();
    const std::size_t n = std::min(low.size(), high.size());
    QVector<double> keys, lo, hi;
    if (n > 0 && channels > 0) {
        for (std::size_t c = 0; c < channels; ++c) {
            const std::size_t k = n == 1 ? 0 : std::min(c, n - 1);
            keys << static_cast<double>(c);
            lo << low[k];
            hi << high[k];
        }
    }
    m_quantCount = static_cast<int>(keys.size());
    plot()->graph(0)->setData(keys, lo, true);
    plot()->graph(1)->setData(keys, hi, true);
    plot()->graph(0)->setVisible(!keys.isEmpty());
    plot()->graph(1)->setVisible(!keys.isEmpty());
    // Refit only when a range leaves the view, so a zoom the user chose survives other edits.
    const QCPRange y = plot()->yAxis->range();
    const bool outside =
        std::any_of(lo.begin(), lo.end(), [&y](double v) { return v < y.lower; }) ||
        std::any_of(hi.begin(), hi.end(), [&y](double v) { return v > y.upper; });
    if (outside)
        resetView();
    else
        plot()->replot(QCustomPlot::rpQueuedReplot);
}

void ChannelRangePlot::clear(const QString &placeholder)
{
    setQuantRanges({}, {});
    m_min.clear();
    m_max.clear();
    m_title.clear();
    qobject_cast<QCPFinancial *>(plot()->plottable(0))->data()->clear();
    setPlaceholderText(placeholder);
    resetView();
}

void ChannelRangePlot::resetView()
{
    QCustomPlot *p = plot();
    double lo = 0, hi = 0;
    bool any = false;
    for (std::size_t i = 0; i < m_min.size(); ++i) {
        if (!std::isfinite(m_min[i]) || !std::isfinite(m_max[i]))
            continue;
        lo = any ? std::min<double>(lo, m_min[i]) : m_min[i];
        hi = any ? std::max<double>(hi, m_max[i]) : m_max[i];
        any = true;
    }
    if (!any) {
        p->xAxis->setRange(-0.5, 0.5);
        p->yAxis->setRange(-1, 1);
    } else {
        lo = std::min(lo, 0.0);  // keep the zero line in view
        hi = std::max(hi, 0.0);
        // A quantization range wider than the values stays in view too.
        for (int g = 0; g < 2; ++g) {
            bool found = false;
            const QCPRange r = p->graph(g)->getValueRange(found);
            if (found && p->graph(g)->visible()) {
                lo = std::min(lo, r.lower);
                hi = std::max(hi, r.upper);
            }
        }
        const double pad = hi > lo ? (hi - lo) * 0.05 : 0.5;
        p->xAxis->setRange(-0.6, static_cast<double>(m_min.size()) - 0.4);
        p->yAxis->setRange(lo - pad, hi + pad);
    }
    p->replot();
}

void ChannelRangePlot::showToolTip(const QPoint &pos)
{
    if (m_min.empty() || !plot()->axisRect()->rect().contains(pos)) {
        QToolTip::hideText();
        return;
    }
    const double x = plot()->xAxis->pixelToCoord(pos.x());
    const auto channel = static_cast<long long>(std::llround(x));
    if (channel < 0 || channel >= static_cast<long long>(m_min.size())) {
        QToolTip::hideText();
        return;
    }
    const QLocale locale;
    const auto i = static_cast<std::size_t>(channel);
    QToolTip::showText(plot()->mapToGlobal(pos),
                       tr("Channel %1: min %2, max %3")
                           .arg(channel)
                           .arg(locale.toString(m_min[i], 'g', 5), locale.toString(m_max[i], 'g', 5)),
                       plot());
}

} // namespace nnc
