// GroupedBarPlot: bars of several series per category, with a legend and hover tooltips.
#include "widgets/grouped_bar_plot.h"

#include <qcustomplot.h>

#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace nnc {

namespace {

// Distinguishable in print and for the common forms of colour blindness (Okabe-Ito).
const QColor kSeriesColors[] = {QColor(0, 114, 178), QColor(230, 159, 0), QColor(0, 158, 115),
                                QColor(204, 121, 167), QColor(86, 180, 233)};

} // namespace

GroupedBarPlot::GroupedBarPlot(QWidget *parent) : PlotWidget(parent)
{
    QCustomPlot *p = plot();
    // Shorter than the default plot: these charts share a page with tables.
    p->setMinimumHeight(150);
    p->xAxis->grid()->setVisible(false);
    p->yAxis->grid()->setZeroLinePen(QPen(Qt::black, 1));
    p->axisRect()->setRangeZoom(Qt::Horizontal | Qt::Vertical);
    p->axisRect()->setRangeDrag(Qt::Horizontal | Qt::Vertical);
    p->plotLayout()->insertRow(0);
    auto *title = new QCPTextElement(p, QString(), QFont(font().family(), font().pointSize(),
                                                         QFont::Bold));
    title->setObjectName(QStringLiteral("title"));
    p->plotLayout()->addElement(0, 0, title);
    // The legend sits in its own row under the axes, one line wide, so it never covers a bar.
    p->legend->setVisible(false);
    p->legend->setFont(font());
    p->axisRect()->insetLayout()->take(p->legend);
    auto *legendRow = new QCPLayoutGrid;
    p->plotLayout()->addElement(2, 0, legendRow);
    legendRow->setMargins(QMargins(0, 0, 0, 4));
    // An empty legend reports a maximum width of its margins alone, and the plot layout's one
    // column took it: before the first data the axes were a few pixels wide. Any explicit
    // maximum below QWIDGETSIZE_MAX replaces that hint.
    legendRow->setMaximumSize(QWIDGETSIZE_MAX - 1, QWIDGETSIZE_MAX);
    legendRow->addElement(0, 0, p->legend);
    p->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    p->legend->setBorderPen(Qt::NoPen);
    p->plotLayout()->setRowStretchFactor(2, 0.001);
    p->setMouseTracking(true);
    connect(p, &QCustomPlot::mouseMove, this, [this](QMouseEvent *e) { showToolTip(e->pos()); });
    clear(QString());
}

void GroupedBarPlot::setGroups(const QStringList &categories, const QStringList &series,
                               const std::vector<std::vector<double>> &values,
                               const QString &yLabel, const QString &title,
                               const std::vector<QStringList> &labels, bool labelBars)
{
    m_categories = categories;
    m_series = series;
    m_values = values;
    m_values.resize(static_cast<std::size_t>(series.size()));
    for (auto &v : m_values)
        v.resize(static_cast<std::size_t>(categories.size()), std::nan(""));
    m_labels = labels;
    m_yLabel = yLabel;
    m_title = title;
    m_labelBars = labelBars;
    setPlaceholderText(QString());
    redraw();
    resetView();
}

void GroupedBarPlot::clear(const QString &placeholder)
{
    m_categories.clear();
    m_series.clear();
    m_values.clear();
    m_labels.clear();
    m_title.clear();
    setPlaceholderText(placeholder);
    redraw();
    resetView();
}

double GroupedBarPlot::value(int series, int category) const
{
    if (series < 0 || series >= seriesCount() || category < 0 || category >= categoryCount())
        return std::nan("");
    return m_values[static_cast<std::size_t>(series)][static_cast<std::size_t>(category)];
}

void GroupedBarPlot::redraw()
{
    QCustomPlot *p = plot();
    p->clearPlottables();
    for (int i = p->itemCount() - 1; i >= 0; --i)
        if (p->item(i)->objectName() == QLatin1String("barLabel"))
            p->removeItem(i);
    const int n = seriesCount();
    const double groupWidth = 0.8;
    // One group for the plot's lifetime (clearPlottables() above took the old bars out of it).
    auto *group = p->findChild<QCPBarsGroup *>(QStringLiteral("barsGroup"));
    if (!group) {
        group = new QCPBarsGroup(p);
        group->setObjectName(QStringLiteral("barsGroup"));
        group->setSpacingType(QCPBarsGroup::stAbsolute);
        group->setSpacing(1);
    }
    for (int s = 0; s < n; ++s) {
        auto *bars = new QCPBars(p->xAxis, p->yAxis);
        bars->setName(m_series.at(s));
        const QColor color = kSeriesColors[s % std::size(kSeriesColors)];
        bars->setPen(QPen(color.darker(130), 0));
        bars->setBrush(color);
        bars->setWidth(groupWidth / std::max(1, n));
        bars->setBarsGroup(group);
        bars->setSelectable(QCP::stNone);
        QVector<double> keys, vals;
        for (int c = 0; c < categoryCount(); ++c) {
            const double v = value(s, c);
            if (!std::isfinite(v))
                continue;
            keys << c;
            vals << v;
        }
        bars->setData(keys, vals, true);
        if (m_labelBars && static_cast<std::size_t>(s) < m_labels.size()) {
            const double offset = (s - (n - 1) / 2.0) * groupWidth / std::max(1, n);
            for (int c = 0; c < categoryCount(); ++c) {
                const double v = value(s, c);
                if (!std::isfinite(v) || c >= m_labels[static_cast<std::size_t>(s)].size())
                    continue;
                auto *text = new QCPItemText(p);
                text->setObjectName(QStringLiteral("barLabel"));
                text->setClipToAxisRect(true);
                text->setPositionAlignment(Qt::AlignHCenter | Qt::AlignBottom);
                text->position->setCoords(c + offset, v);
                text->setPadding(QMargins(0, 0, 0, 2));
                text->setText(m_labels[static_cast<std::size_t>(s)].at(c));
            }
        }
    }
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    for (int c = 0; c < categoryCount(); ++c) {
        QString label = m_categories.at(c);
        if (label.size() > 16)
            label = label.left(7) + QStringLiteral("…") + label.right(7);
        ticker->addTick(c, label);
    }
    p->xAxis->setTicker(ticker);
    p->xAxis->setTickLabelRotation(categoryCount() > 6 ? 45 : 0);
    p->xAxis->setTickLabels(categoryCount() > 0);
    p->yAxis->setLabel(m_yLabel);
    p->legend->setVisible(n > 1);
    if (auto *title = qobject_cast<QCPTextElement *>(p->plotLayout()->element(0, 0)))
        title->setText(m_title);
}

void GroupedBarPlot::resetView()
{
    QCustomPlot *p = plot();
    p->xAxis->setRange(-0.6, std::max(1, categoryCount()) - 0.4);
    double lo = 0, hi = 0;
    for (const auto &series : m_values)
        for (double v : series)
            if (std::isfinite(v)) {
                lo = std::min(lo, v);
                hi = std::max(hi, v);
            }
    if (hi - lo <= 0)
        hi = lo + 1;
    // Head room for the labels above the bars.
    const double pad = (hi - lo) * (m_labelBars ? 0.3 : 0.05);
    p->yAxis->setRange(lo < 0 ? lo - pad : 0, hi + pad);
    replot();
}

void GroupedBarPlot::showToolTip(const QPoint &pos)
{
    QCustomPlot *p = plot();
    const int n = seriesCount();
    if (n == 0 || !p->axisRect()->rect().contains(pos)) {
        QToolTip::hideText();
        return;
    }
    const double x = p->xAxis->pixelToCoord(pos.x());
    const int c = static_cast<int>(std::lround(x));
    const double width = 0.8 / n;
    const int s = static_cast<int>(std::floor((x - c + 0.4) / width));
    const double v = value(s, c);
    if (!std::isfinite(v)) {
        QToolTip::hideText();
        return;
    }
    QString text = static_cast<std::size_t>(s) < m_labels.size() &&
                           c < m_labels[static_cast<std::size_t>(s)].size()
                       ? m_labels[static_cast<std::size_t>(s)].at(c)
                       : QString::number(v, 'g', 4);
    QToolTip::showText(p->mapToGlobal(pos),
                       tr("%1, %2: %3").arg(m_series.at(s), m_categories.at(c), text), p);
}

QString GroupedBarPlot::exportBaseName() const
{
    return m_exportName;
}

} // namespace nnc
