// SensitivityView: setting controls, the per-layer bar chart and the layer x bits heat map.
#include "widgets/sensitivity_view.h"

#include "app/studio/eval_service.h"
#include "app/studio/project.h"
#include "core/eval/budget.h"

#include <qcustomplot.h>

#include <QCheckBox>
#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QVBoxLayout>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <memory>
#include <set>

namespace nnc {

namespace {

const QString kKind = QStringLiteral("sensitivity");
// A press and release closer than this (pixels) is a click, not a drag of the view.
constexpr int kClickSlop = 4;

QString ppText(double pp)
{
    if (!std::isfinite(pp))
        return QStringLiteral("–");
    return QString::number(pp, 'f', std::abs(pp) < 10 ? 2 : 1);
}

// Red for losses, fading to white at no change (at `zero` in 0..1 of the data range), green for
// gains.
QCPColorGradient lossGradient(double zero = 0.95)
{
    zero = std::clamp(zero, 0.05, 1.0);
    QCPColorGradient g;
    g.clearColorStops();
    g.setColorStopAt(0.0, QColor(165, 0, 38));
    g.setColorStopAt(zero * 0.35, QColor(244, 109, 67));
    g.setColorStopAt(zero * 0.7, QColor(254, 224, 144));
    g.setColorStopAt(zero, QColor(250, 250, 245));
    if (zero < 1.0)
        g.setColorStopAt(1.0, QColor(120, 190, 120));
    g.setNanHandling(QCPColorGradient::nhTransparent);
    return g;
}

/// A layer whose loss alone is more than the budget, judged as judgeBudgets judges a head.
bool overBudget(double deltaPp, std::optional<double> maxDropPp)
{
    return maxDropPp && std::isfinite(deltaPp) && !withinBudget(-deltaPp, *maxDropPp);
}

bool isClick(const QPoint &press, const QPoint &release)
{
    return (press - release).manhattanLength() <= kClickSlop;
}

} // namespace

// ---------------------------------------------------------------------------------------------
// Bar chart

SensitivityBarPlot::SensitivityBarPlot(QWidget *parent) : PlotWidget(parent)
{
    QCustomPlot *p = plot();
    auto *bars = new QCPBars(p->xAxis, p->yAxis);
    bars->setName(QStringLiteral("delta"));
    bars->setWidth(0.7);
    bars->setPen(QPen(QColor(140, 30, 30), 0));
    bars->setBrush(QColor(214, 96, 77));
    bars->setSelectable(QCP::stNone);
    auto *gains = new QCPBars(p->xAxis, p->yAxis);
    gains->setName(QStringLiteral("gain"));
    gains->setWidth(0.7);
    gains->setPen(QPen(QColor(40, 110, 60), 0));
    gains->setBrush(QColor(110, 180, 120));
    gains->setSelectable(QCP::stNone);
    // Losses beyond the head's budget: darker and hatched (a solid fill under the hatch), so
    // they read without colour too.
    auto *overFill = new QCPBars(p->xAxis, p->yAxis);
    overFill->setName(QStringLiteral("overBudgetFill"));
    overFill->setWidth(0.7);
    overFill->setPen(Qt::NoPen);
    overFill->setBrush(QColor(200, 60, 60));
    overFill->setSelectable(QCP::stNone);
    auto *over = new QCPBars(p->xAxis, p->yAxis);
    over->setName(QStringLiteral("overBudget"));
    over->setWidth(0.7);
    over->setPen(QPen(QColor(90, 0, 20), 1.5));
    over->setBrush(QBrush(QColor(110, 0, 25), Qt::BDiagPattern));
    over->setSelectable(QCP::stNone);
    auto *line = new QCPItemStraightLine(p);
    line->setPen(QPen(QColor(150, 20, 35), 1.5, Qt::DashLine));
    line->setSelectable(false);
    line->setVisible(false);
    m_budgetLine = line;
    auto *budgetText = new QCPItemText(p);
    budgetText->setPositionAlignment(Qt::AlignRight | Qt::AlignTop);
    budgetText->position->setTypeX(QCPItemPosition::ptAxisRectRatio);
    budgetText->position->setTypeY(QCPItemPosition::ptPlotCoords);
    budgetText->setColor(QColor(150, 20, 35));
    budgetText->setPadding(QMargins(4, 2, 4, 2));
    budgetText->setBrush(QColor(255, 255, 255, 200));
    budgetText->setSelectable(false);
    budgetText->setClipToAxisRect(true);
    budgetText->setVisible(false);
    m_budgetText = budgetText;
    p->xAxis->setTickLabelRotation(35);
    p->xAxis->grid()->setVisible(false);
    p->yAxis->grid()->setZeroLinePen(QPen(Qt::black, 1));
    p->axisRect()->setRangeZoom(Qt::Vertical | Qt::Horizontal);
    p->axisRect()->setRangeDrag(Qt::Vertical | Qt::Horizontal);
    p->plotLayout()->insertRow(0);
    auto *title = new QCPTextElement(p, QString(), QFont(font().family(), font().pointSize() + 1,
                                                         QFont::Bold));
    title->setObjectName(QStringLiteral("title"));
    p->plotLayout()->addElement(0, 0, title);
    connect(p, &QCustomPlot::mousePress, this, [this](QMouseEvent *e) { m_pressPos = e->pos(); });
    connect(p, &QCustomPlot::mouseRelease, this, [this](QMouseEvent *e) {
        if (e->button() != Qt::LeftButton || !isClick(m_pressPos, e->pos()) || m_values.empty())
            return;
        if (!plot()->axisRect()->rect().contains(e->pos()))
            return;
        const double x = plot()->xAxis->pixelToCoord(e->pos().x());
        const int i = static_cast<int>(std::lround(x));
        if (i >= 0 && i < barCount() && std::abs(x - i) <= 0.45)
            emit layerClicked(m_layers.at(i));
    });
    p->setMouseTracking(true);
    connect(p, &QCustomPlot::mouseMove, this, [this](QMouseEvent *e) {
        if (m_values.empty())
            return;
        const double x = plot()->xAxis->pixelToCoord(e->pos().x());
        const int i = static_cast<int>(std::lround(x));
        if (i >= 0 && i < barCount() && std::abs(x - i) <= 0.45)
            plot()->setToolTip(
                barOverBudget(i)
                    ? tr("%1: %2 percentage points, more than the head's budget of %3 pp on its "
                         "own (click to select the layer)")
                          .arg(m_layers.at(i), ppText(m_values[static_cast<std::size_t>(i)]),
                               ppText(*m_budget))
                    : tr("%1: %2 percentage points (click to select the layer)")
                          .arg(m_layers.at(i), ppText(m_values[static_cast<std::size_t>(i)])));
        else
            plot()->setToolTip(QString());
    });
    clear(QString());
}

void SensitivityBarPlot::setBars(const QStringList &layers, const std::vector<double> &deltaPp,
                                 const QString &title)
{
    m_layers = layers;
    m_values = deltaPp;
    m_values.resize(static_cast<std::size_t>(layers.size()), 0.0);
    m_title = title;
    setPlaceholderText(QString());
    redraw();
    resetView();
}

void SensitivityBarPlot::clear(const QString &placeholder)
{
    m_layers.clear();
    m_values.clear();
    m_title.clear();
    setPlaceholderText(placeholder);
    redraw();
    resetView();
}

void SensitivityBarPlot::redraw()
{
    QCustomPlot *p = plot();
    auto *bars = qobject_cast<QCPBars *>(p->plottable(0));
    auto *gains = qobject_cast<QCPBars *>(p->plottable(1));
    auto *overFill = qobject_cast<QCPBars *>(p->plottable(2));
    auto *over = qobject_cast<QCPBars *>(p->plottable(3));
    QVector<double> keys, values, gainKeys, gainValues, overKeys, overValues;
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    for (int i = 0; i < m_layers.size(); ++i) {
        const double v = m_values[static_cast<std::size_t>(i)];
        if (std::isfinite(v) && v > 0) {
            gainKeys << i;
            gainValues << v;
        } else if (barOverBudget(i)) {
            overKeys << i;
            overValues << v;
        } else {
            keys << i;
            values << (std::isfinite(v) ? v : 0.0);
        }
        // Long generated names would crowd the axis: elide the middle, the tooltip has it all.
        QString label = m_layers.at(i);
        if (label.size() > 18)
            label = label.left(8) + QStringLiteral("…") + label.right(8);
        ticker->addTick(i, label);
    }
    bars->setData(keys, values, true);
    gains->setData(gainKeys, gainValues, true);
    over->setData(overKeys, overValues, true);
    overFill->setData(overKeys, overValues, true);
    auto *line = static_cast<QCPItemStraightLine *>(m_budgetLine);
    auto *budgetText = static_cast<QCPItemText *>(m_budgetText);
    const bool showBudget = m_budget.has_value() && !m_layers.isEmpty();
    line->setVisible(showBudget);
    budgetText->setVisible(showBudget);
    if (showBudget) {
        line->point1->setCoords(0, -*m_budget);
        line->point2->setCoords(1, -*m_budget);
        budgetText->position->setCoords(0.995, -*m_budget);
        const int n = overBudgetCount();
        budgetText->setText(n > 0 ? tr("budget −%1 pp · layers beyond it alone: %2")
                                        .arg(ppText(*m_budget)).arg(n)
                                  : tr("budget −%1 pp · no layer beyond it alone")
                                        .arg(ppText(*m_budget)));
    }
    // Each bar's figure at its end, while there is room for them.
    for (QObject *item : m_valueItems)
        p->removeItem(static_cast<QCPAbstractItem *>(item));
    m_valueItems.clear();
    if (m_layers.size() <= 40)
        for (int i = 0; i < m_layers.size(); ++i) {
            const double v = m_values[static_cast<std::size_t>(i)];
            auto *text = new QCPItemText(p);
            text->position->setCoords(i, std::isfinite(v) ? v : 0.0);
            text->setPositionAlignment(Qt::AlignHCenter | (v < 0 ? Qt::AlignTop : Qt::AlignBottom));
            text->setPadding(QMargins(0, 2, 0, 2));
            text->setText(ppText(v));
            text->setClipToAxisRect(true);
            text->setSelectable(false);
            m_valueItems.push_back(text);
        }
    p->xAxis->setTicker(ticker);
    p->xAxis->setTickLabels(!m_layers.isEmpty());
    // QCustomPlot skips a tick label that would cross the widget's edge: keep room on the right
    // for the last (rotated) label.
    int right = 15;
    if (!m_layers.isEmpty()) {
        const QFontMetrics fm(p->xAxis->tickLabelFont());
        const double advance = fm.horizontalAdvance(ticker->ticks().last());
        right = std::max(right, static_cast<int>(advance * std::cos(35 * M_PI / 180)) - 30);
    }
    p->axisRect()->setAutoMargins(QCP::msLeft | QCP::msTop | QCP::msBottom);
    p->axisRect()->setMargins(QMargins(0, 0, right, 0));
    p->yAxis->setLabel(tr("Accuracy change (percentage points)"));
    if (auto *title = qobject_cast<QCPTextElement *>(p->plotLayout()->element(0, 0)))
        title->setText(m_title);
}

void SensitivityBarPlot::resetView()
{
    QCustomPlot *p = plot();
    const int n = std::max(1, static_cast<int>(m_values.size()));
    p->xAxis->setRange(-0.6, n - 0.4);
    double lo = 0, hi = 0;
    for (double v : m_values)
        if (std::isfinite(v)) {
            lo = std::min(lo, v);
            hi = std::max(hi, v);
        }
    if (hi - lo < 0.5) {
        // Nearly no change everywhere: keep a readable scale of half a point.
        if (lo >= 0) {
            hi = std::max(hi, 0.5);
            lo = -0.05 * hi;
        } else {
            lo = std::min(lo, -0.5);
            hi = std::max(hi, 0.05);
        }
    } else if (lo >= 0) {
        lo = -0.05 * hi;   // gains only: the axis starts just below zero
    }
    // The budget line stays in view (a loose budget: the chart reaches down to it).
    if (m_budget && !m_values.empty())
        lo = std::min(lo, -*m_budget - 0.08 * std::max(0.5, hi - lo));
    const double pad = (hi - lo) * 0.12;   // room for the value labels
    p->yAxis->setRange(lo - pad, hi + pad);
    replot();
}

QPoint SensitivityBarPlot::barPosition(int index) const
{
    const int x = static_cast<int>(std::lround(plot()->xAxis->coordToPixel(index)));
    const double v = index >= 0 && index < barCount() ? m_values[static_cast<std::size_t>(index)] : 0;
    const int y = static_cast<int>(std::lround(plot()->yAxis->coordToPixel(std::isfinite(v) ? v / 2 : 0)));
    return {x, y};
}

void SensitivityBarPlot::setBudget(std::optional<double> maxDropPp)
{
    if (maxDropPp == m_budget)
        return;
    m_budget = maxDropPp;
    redraw();
    resetView();
}

bool SensitivityBarPlot::barOverBudget(int index) const
{
    return index >= 0 && index < barCount() &&
           overBudget(m_values[static_cast<std::size_t>(index)], m_budget);
}

int SensitivityBarPlot::overBudgetCount() const
{
    int n = 0;
    for (int i = 0; i < barCount(); ++i)
        n += barOverBudget(i);
    return n;
}

void SensitivityBarPlot::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        redraw();
        replot();
    }
    PlotWidget::changeEvent(event);
}

QString SensitivityBarPlot::exportBaseName() const
{
    return QStringLiteral("sensitivity-bars");
}

// ---------------------------------------------------------------------------------------------
// Heat map

SensitivityGridPlot::SensitivityGridPlot(QWidget *parent) : PlotWidget(parent)
{
    QCustomPlot *p = plot();
    auto *map = new QCPColorMap(p->xAxis, p->yAxis);
    map->setName(QStringLiteral("grid"));
    map->setInterpolate(false);
    map->setTightBoundary(false);
    map->setSelectable(QCP::stNone);
    auto *scale = new QCPColorScale(p);
    scale->setObjectName(QStringLiteral("scale"));
    scale->setType(QCPAxis::atRight);
    scale->setBarWidth(12);
    p->plotLayout()->addElement(0, 1, scale);
    map->setColorScale(scale);
    // The scale owns the gradient once linked: set it there.
    scale->setGradient(lossGradient());
    auto *group = new QCPMarginGroup(p);
    p->axisRect()->setMarginGroup(QCP::msBottom | QCP::msTop, group);
    scale->setMarginGroup(QCP::msBottom | QCP::msTop, group);
    p->xAxis->grid()->setVisible(false);
    p->yAxis->grid()->setVisible(false);
    p->yAxis->setRangeReversed(true);   // first layer at the top, as in the layer table
    p->axisRect()->setRangeZoom(Qt::Vertical | Qt::Horizontal);
    p->axisRect()->setRangeDrag(Qt::Vertical | Qt::Horizontal);
    p->plotLayout()->insertRow(0);
    auto *title = new QCPTextElement(p, QString(), QFont(font().family(), font().pointSize() + 1,
                                                         QFont::Bold));
    p->plotLayout()->addElement(0, 0, title);
    // Cell figures only while a cell is wide enough for them (zoom in to see them when narrow).
    connect(p, &QCustomPlot::afterLayout, this, [this] {
        const double cell = std::abs(plot()->xAxis->coordToPixel(1) - plot()->xAxis->coordToPixel(0));
        const double rowHeight = std::abs(plot()->yAxis->coordToPixel(1) - plot()->yAxis->coordToPixel(0));
        int widest = 0, height = 0;
        for (QObject *item : m_cellItems) {
            const auto *text = static_cast<QCPItemText *>(item);
            const QFontMetrics fm(text->font());
            widest = std::max(widest, fm.horizontalAdvance(text->text()));
            height = std::max(height, fm.height());
        }
        const bool fits = cell >= widest + 4 && rowHeight >= height;
        for (QObject *item : m_cellItems)
            static_cast<QCPAbstractItem *>(item)->setVisible(fits);
    });
    connect(p, &QCustomPlot::mousePress, this, [this](QMouseEvent *e) { m_pressPos = e->pos(); });
    connect(p, &QCustomPlot::mouseRelease, this, [this](QMouseEvent *e) {
        if (e->button() != Qt::LeftButton || !isClick(m_pressPos, e->pos()) || m_layers.isEmpty())
            return;
        if (!plot()->axisRect()->rect().contains(e->pos()))
            return;
        const int row = static_cast<int>(std::lround(plot()->yAxis->pixelToCoord(e->pos().y())));
        const int col = static_cast<int>(std::lround(plot()->xAxis->pixelToCoord(e->pos().x())));
        if (row >= 0 && row < rowCount() && col >= 0 && col < columnCount())
            emit layerClicked(m_layers.at(row));
    });
    p->setMouseTracking(true);
    connect(p, &QCustomPlot::mouseMove, this, [this](QMouseEvent *e) {
        const int row = static_cast<int>(std::lround(plot()->yAxis->pixelToCoord(e->pos().y())));
        const int col = static_cast<int>(std::lround(plot()->xAxis->pixelToCoord(e->pos().x())));
        if (row >= 0 && row < rowCount() && col >= 0 && col < columnCount())
            plot()->setToolTip(tr("%1 at %2 bits: %3 percentage points")
                                   .arg(m_layers.at(row))
                                   .arg(m_bits[static_cast<std::size_t>(col)])
                                   .arg(ppText(cellValue(row, col))));
        else
            plot()->setToolTip(QString());
    });
    clear(QString());
}

void SensitivityGridPlot::setGrid(const QStringList &layers, const std::vector<int> &bits,
                                  const std::vector<std::vector<double>> &values,
                                  const QString &title)
{
    m_layers = layers;
    m_bits = bits;
    m_values = values;
    m_values.resize(static_cast<std::size_t>(layers.size()));
    for (auto &row : m_values)
        row.resize(bits.size(), std::nan(""));
    m_title = title;
    setPlaceholderText(QString());
    redraw();
    resetView();
}

void SensitivityGridPlot::clear(const QString &placeholder)
{
    m_layers.clear();
    m_bits.clear();
    m_values.clear();
    m_title.clear();
    setPlaceholderText(placeholder);
    redraw();
    resetView();
}

double SensitivityGridPlot::cellValue(int row, int column) const
{
    if (row < 0 || row >= rowCount() || column < 0 || column >= columnCount())
        return std::nan("");
    return m_values[static_cast<std::size_t>(row)][static_cast<std::size_t>(column)];
}

void SensitivityGridPlot::redraw()
{
    QCustomPlot *p = plot();
    auto *map = qobject_cast<QCPColorMap *>(p->plottable(0));
    for (QObject *item : m_cellItems)
        p->removeItem(static_cast<QCPAbstractItem *>(item));
    m_cellItems.clear();
    for (QObject *item : m_frameItems)
        p->removeItem(static_cast<QCPAbstractItem *>(item));
    m_frameItems.clear();

    const int nx = std::max(1, columnCount());
    const int ny = std::max(1, rowCount());
    map->data()->setSize(nx, ny);
    map->data()->setRange(QCPRange(0, nx - 1), QCPRange(0, ny - 1));
    double lo = 0, hi = 0;
    for (int r = 0; r < ny; ++r)
        for (int c = 0; c < nx; ++c) {
            const double v = cellValue(r, c);
            map->data()->setCell(c, r, v);
            if (std::isfinite(v)) {
                lo = std::min(lo, v);
                hi = std::max(hi, v);
            }
        }
    // 0 sits at the white stop so gains and losses read at a glance.
    if (lo > -0.5)
        lo = -0.5;
    hi = std::max(hi, -lo * 0.05 / 0.95);
    map->setGradient(lossGradient(-lo / (hi - lo)));
    map->setDataRange(QCPRange(lo, hi));
    map->setVisible(!m_layers.isEmpty());
    if (auto *scale = qobject_cast<QCPColorScale *>(p->plotLayout()->element(1, 1))) {
        scale->setVisible(!m_layers.isEmpty());
        scale->axis()->setLabel(tr("Accuracy change (pp)"));
    }

    QSharedPointer<QCPAxisTickerText> xt(new QCPAxisTickerText);
    for (int c = 0; c < columnCount(); ++c)
        xt->addTick(c, QString::number(m_bits[static_cast<std::size_t>(c)]));
    p->xAxis->setTicker(xt);
    QSharedPointer<QCPAxisTickerText> yt(new QCPAxisTickerText);
    for (int r = 0; r < rowCount(); ++r) {
        QString label = m_layers.at(r);
        if (label.size() > 18)
            label = label.left(8) + QStringLiteral("…") + label.right(8);
        yt->addTick(r, label);
    }
    p->yAxis->setTicker(yt);
    p->xAxis->setTickLabels(!m_layers.isEmpty());
    p->yAxis->setTickLabels(!m_layers.isEmpty());
    p->xAxis->setLabel(tr("Weight bits"));

    // Cell values written in the cells while they stay legible.
    if (rowCount() * columnCount() <= 240) {
        for (int r = 0; r < rowCount(); ++r)
            for (int c = 0; c < columnCount(); ++c) {
                const double v = cellValue(r, c);
                auto *text = new QCPItemText(p);
                text->setClipToAxisRect(true);
                text->position->setCoords(c, r);
                const bool beyond = overBudget(v, m_budget);
                text->setText(beyond ? ppText(v) + QStringLiteral(" ✘") : ppText(v));
                if (beyond) {
                    QFont bold = text->font();
                    bold.setBold(true);
                    text->setFont(bold);
                }
                const double t = (v - lo) / (hi - lo);
                text->setColor(std::isfinite(t) && t < 0.4 ? Qt::white : Qt::black);
                m_cellItems.push_back(text);
            }
    }
    // A dark frame around each cell beyond the budget, also when the figures are left out.
    for (int r = 0; r < rowCount(); ++r)
        for (int c = 0; c < columnCount(); ++c) {
            if (!cellOverBudget(r, c))
                continue;
            auto *frame = new QCPItemRect(p);
            frame->setClipToAxisRect(true);
            frame->topLeft->setCoords(c - 0.46, r + 0.44);
            frame->bottomRight->setCoords(c + 0.46, r - 0.44);
            frame->setPen(QPen(QColor(60, 0, 10), 2));
            frame->setBrush(Qt::NoBrush);
            frame->setSelectable(false);
            m_frameItems.push_back(frame);
        }
    if (auto *title = qobject_cast<QCPTextElement *>(p->plotLayout()->element(0, 0)))
        title->setText(m_title);
}

void SensitivityGridPlot::resetView()
{
    QCustomPlot *p = plot();
    p->xAxis->setRange(-0.5, std::max(1, columnCount()) - 0.5);
    p->yAxis->setRange(-0.5, std::max(1, rowCount()) - 0.5);
    replot();
}

QPoint SensitivityGridPlot::cellPosition(int row, int column) const
{
    return {static_cast<int>(std::lround(plot()->xAxis->coordToPixel(column))),
            static_cast<int>(std::lround(plot()->yAxis->coordToPixel(row)))};
}

void SensitivityGridPlot::setBudget(std::optional<double> maxDropPp)
{
    if (maxDropPp == m_budget)
        return;
    m_budget = maxDropPp;
    redraw();
    replot();
}

bool SensitivityGridPlot::cellOverBudget(int row, int column) const
{
    return overBudget(cellValue(row, column), m_budget);
}

void SensitivityGridPlot::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        redraw();
        replot();
    }
    PlotWidget::changeEvent(event);
}

QString SensitivityGridPlot::exportBaseName() const
{
    return QStringLiteral("sensitivity-grid");
}

// ---------------------------------------------------------------------------------------------
// The view

/// What one run hands back to the GUI thread.
struct SensitivityView::Outcome
{
    SensitivityResult chosen;
    SensitivityResult grid;
    std::vector<int> gridBits;
    QStringList layerOrder;
    double seconds = 0;
};

SensitivityView::SensitivityView(studio::Project *project, studio::EvalService *eval,
                                 QWidget *parent)
    : QWidget(parent), m_project(project), m_eval(eval)
{
    auto *layout = new QVBoxLayout(this);
    auto *controls = new QHBoxLayout;
    m_bitsLabel = new QLabel(this);
    m_bits = new QComboBox(this);
    m_bits->setObjectName(QStringLiteral("sensitivityBits"));
    m_pruneLabel = new QLabel(this);
    m_prune = new QComboBox(this);
    m_prune->setObjectName(QStringLiteral("sensitivityPrune"));
    m_actLabel = new QLabel(this);
    m_act = new QComboBox(this);
    m_act->setObjectName(QStringLiteral("sensitivityActivationBits"));
    m_gridCheck = new QCheckBox(this);
    m_gridCheck->setChecked(true);
    m_run = new QPushButton(this);
    m_run->setObjectName(QStringLiteral("sensitivityRun"));
    m_run->setDefault(true);
    m_cancel = new QPushButton(this);
    m_cancel->setObjectName(QStringLiteral("sensitivityCancel"));
    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 1000);
    m_progress->setTextVisible(true);
    m_progress->setMaximumWidth(220);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("sensitivityStatus"));
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->setWordWrap(true);
    m_bitsLabel->setBuddy(m_bits);
    m_pruneLabel->setBuddy(m_prune);
    m_actLabel->setBuddy(m_act);
    for (QWidget *w : std::initializer_list<QWidget *>{m_bitsLabel, m_bits, m_pruneLabel, m_prune,
                                                       m_actLabel, m_act, m_gridCheck})
        controls->addWidget(w);
    controls->addSpacing(12);
    controls->addWidget(m_run);
    controls->addWidget(m_cancel);
    controls->addWidget(m_progress);
    controls->addStretch(1);
    layout->addLayout(controls);

    auto *statusRow = new QHBoxLayout;
    m_headLabel = new QLabel(this);
    m_head = new QComboBox(this);
    m_head->setObjectName(QStringLiteral("sensitivityHead"));
    m_head->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_headLabel->setBuddy(m_head);
    statusRow->addWidget(m_headLabel);
    statusRow->addWidget(m_head);
    statusRow->addSpacing(12);
    statusRow->addWidget(m_status, 1);
    layout->addLayout(statusRow);

    auto *split = new QSplitter(Qt::Horizontal, this);
    m_bars = new SensitivityBarPlot(split);
    m_bars->setObjectName(QStringLiteral("sensitivityBars"));
    m_gridPlot = new SensitivityGridPlot(split);
    m_gridPlot->setObjectName(QStringLiteral("sensitivityGrid"));
    split->addWidget(m_bars);
    split->addWidget(m_gridPlot);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    split->setChildrenCollapsible(false);
    layout->addWidget(split, 1);

    m_bits->addItem(QString(), 0);
    for (int b : {2, 3, 4, 5, 6, 8})
        m_bits->addItem(QString::number(b), b);
    m_bits->setCurrentIndex(m_bits->findData(4));
    m_prune->addItem(QString(), 0.0);
    for (int pct : {25, 50, 75, 90})
        m_prune->addItem(QStringLiteral("%1 %").arg(pct), pct / 100.0);
    m_act->addItem(QString(), 0);
    for (int b : {4, 8})
        m_act->addItem(QString::number(b), b);

    connect(m_run, &QPushButton::clicked, this, [this] { run(); });
    connect(m_cancel, &QPushButton::clicked, this, [this] { cancel(); });
    connect(m_bits, &QComboBox::currentIndexChanged, this, [this] { updateEnabled(); });
    connect(m_prune, &QComboBox::currentIndexChanged, this, [this] { updateEnabled(); });
    connect(m_head, &QComboBox::currentIndexChanged, this, [this] { showHead(); });
    if (m_project)
        connect(m_project, &studio::Project::budgetsChanged, this, [this] { showBudget(); });
    connect(m_bars, &SensitivityBarPlot::layerClicked, this, &SensitivityView::layerActivated);
    connect(m_gridPlot, &SensitivityGridPlot::layerClicked, this, &SensitivityView::layerActivated);
    if (m_eval) {
        connect(m_eval, &studio::EvalService::opened, this, [this] {
            // Another model or data set: the old figures no longer describe it.
            cancel();
            resetResults(tr("Choose a setting and press Run"));
            m_statusKind = Status::Idle;
            retranslate();
        });
        connect(m_eval, &studio::EvalService::openFailed, this, [this] {
            cancel();
            resetResults(QString());
            retranslate();
        });
        connect(m_eval, &studio::EvalService::jobEnded, this,
                [this](quint64 id, const QString &kind, bool completed) {
                    // A run dropped from the queue never answers: leave the running state.
                    if (kind == kKind && id == m_jobId && !completed && m_running) {
                        setRunning(false);
                        m_statusKind = Status::Cancelled;
                        retranslate();
                    }
                });
    }
    resetResults(QString());
    setRunning(false);
    retranslate();
}

SensitivityView::~SensitivityView()
{
    if (m_running && m_eval)
        m_eval->cancel(kKind);
}

void SensitivityView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void SensitivityView::retranslate()
{
    m_bitsLabel->setText(tr("&Weight bits:"));
    m_bits->setItemText(0, tr("Off"));
    m_bits->setToolTip(tr("Weight bits: each layer's weights alone are quantized to this many bits "
                          "while the rest of the model stays float."));
    m_pruneLabel->setText(tr("&Pruning:"));
    m_prune->setItemText(0, tr("Off"));
    m_prune->setToolTip(tr("Pruning ratio: the share of each layer's weights set to zero, the "
                           "smallest magnitudes first."));
    m_actLabel->setText(tr("&Activation bits:"));
    m_act->setItemText(0, tr("Off"));
    m_act->setToolTip(tr("Activation bits: also quantize the layer's input activations to this "
                         "many bits."));
    m_gridCheck->setText(tr("Bit-width &grid"));
    m_gridCheck->setToolTip(tr("Bit-width grid: also try every layer at 2, 3, 4, 6 and 8 weight "
                               "bits (with the chosen pruning and activation bits)."));
    m_run->setText(tr("&Run"));
    m_run->setToolTip(tr("Sensitivity: compress one layer at a time and measure how much accuracy "
                         "the model loses."));
    m_cancel->setText(tr("Cancel"));
    m_headLabel->setText(tr("&Output:"));
    m_head->setToolTip(tr("Output head: the model output whose accuracy change is shown."));
    m_status->setText(statusText());
    if (m_bars->barCount() == 0 && !m_running)
        m_bars->clear(m_eval && m_eval->isOpen() ? tr("Choose a setting and press Run")
                                                 : tr("Open validation data to run a sensitivity analysis"));
    if (m_gridPlot->rowCount() == 0 && !m_running)
        m_gridPlot->clear(m_gridCheck->isChecked() ? QString() : tr("Bit-width grid is off"));
    updateEnabled();
}

QString SensitivityView::statusText() const
{
    switch (m_statusKind) {
    case Status::Idle:
        if (!m_eval || !m_eval->isOpen())
            return tr("Open validation data to run a sensitivity analysis.");
        return tr("Each layer is compressed alone; the rest of the model stays float.");
    case Status::NoData:
        return tr("Open validation data to run a sensitivity analysis.");
    case Status::Running:
        return tr("Running: %1").arg(m_settingText);
    case Status::Done:
        return tr("%1: %2 layers in %3 s. Click a bar or a cell to select its layer.")
            .arg(m_settingText)
            .arg(m_layerOrder.size())
            .arg(m_seconds, 0, 'f', 1);
    case Status::Cancelled:
        return tr("Cancelled.");
    case Status::Failed:
        return tr("Sensitivity analysis failed: %1").arg(m_statusMessage);
    }
    return {};
}

void SensitivityView::updateEnabled()
{
    const bool open = m_eval && m_eval->isOpen();
    const bool setting = m_bits->currentData().toInt() > 0 || m_prune->currentData().toDouble() > 0;
    m_run->setEnabled(open && setting);
    m_cancel->setEnabled(m_running);
    m_head->setEnabled(m_head->count() > 1);
    if (!setting)
        m_run->setToolTip(tr("Choose weight bits or a pruning ratio first."));
}

void SensitivityView::setRunning(bool running)
{
    const bool changed = running != m_running;
    m_running = running;
    m_progress->setVisible(running);
    m_cancel->setVisible(running);
    if (!running)
        m_progress->setValue(0);
    updateEnabled();
    if (changed)
        emit runningChanged(running);
}

void SensitivityView::setSetting(std::optional<int> weightBits, std::optional<double> pruneRatio,
                                 std::optional<int> activationBits)
{
    auto select = [](QComboBox *combo, const QVariant &value) {
        int i = combo->findData(value);
        if (i < 0) {
            combo->addItem(value.typeId() == QMetaType::Double
                               ? QStringLiteral("%1 %").arg(value.toDouble() * 100)
                               : value.toString(),
                           value);
            i = combo->count() - 1;
        }
        combo->setCurrentIndex(i);
    };
    select(m_bits, weightBits ? QVariant(*weightBits) : QVariant(0));
    select(m_prune, pruneRatio ? QVariant(*pruneRatio) : QVariant(0.0));
    select(m_act, activationBits ? QVariant(*activationBits) : QVariant(0));
}

void SensitivityView::setGridEnabled(bool on)
{
    m_gridCheck->setChecked(on);
}

void SensitivityView::resetResults(const QString &placeholder)
{
    m_chosen = {};
    m_grid = {};
    m_layerOrder.clear();
    m_shownGridBits.clear();
    const QSignalBlocker block(m_head);
    m_head->clear();
    m_bars->clear(placeholder);
    m_gridPlot->clear(QString());
}

bool SensitivityView::run()
{
    if (!m_eval || !m_eval->isOpen()) {
        m_statusKind = Status::NoData;
        retranslate();
        return false;
    }
    const int bits = m_bits->currentData().toInt();
    const double ratio = m_prune->currentData().toDouble();
    const int actBits = m_act->currentData().toInt();
    if (bits <= 0 && ratio <= 0) {
        m_statusKind = Status::Failed;
        m_statusMessage = tr("choose weight bits or a pruning ratio.");
        retranslate();
        return false;
    }
    const bool grid = m_gridCheck->isChecked();

    QStringList parts;
    if (bits > 0)
        parts << tr("%1-bit weights").arg(bits);
    if (ratio > 0)
        parts << tr("%1 % pruned").arg(ratio * 100, 0, 'g', 3);
    if (actBits > 0)
        parts << tr("%1-bit activations").arg(actBits);
    m_settingText = parts.join(QStringLiteral(", "));

    // The chosen setting, and the grid: every grid bit width (plus the chosen one) with the same
    // pruning and activation bits, so the bars are one column of the grid when they can be.
    SensitivitySpec gridSpec;
    if (grid) {
        const std::vector<int> g = gridBits();
        std::set<int> b(g.begin(), g.end());
        if (bits > 0)
            b.insert(bits);
        gridSpec.bits.assign(b.begin(), b.end());
    }
    SensitivitySpec chosenSpec;
    if (bits > 0)
        chosenSpec.bits = {bits};
    if (ratio > 0) {
        chosenSpec.pruneRatios = {ratio};
        gridSpec.pruneRatios = {ratio};
    }
    if (actBits > 0) {
        chosenSpec.activationBits = actBits;
        gridSpec.activationBits = actBits;
    }
    const bool separateChosen = !grid || bits <= 0;
    // Progress across the (one or two) analyses, weighted by how many settings each tries.
    const double gridWeight = grid ? double(gridSpec.bits.size()) : 0.0;
    const double chosenWeight = separateChosen ? 1.0 : 0.0;
    auto phase = std::make_shared<std::atomic<int>>(0);

    const uint64_t runId = ++m_runCounter;
    QPointer<SensitivityView> self(this);
    studio::EvalService *service = m_eval;
    auto job = [self, service, runId, grid, gridSpec, chosenSpec, separateChosen, bits, phase](
                   Evaluator &ev, const Progress &progress) {
        const auto t0 = std::chrono::steady_clock::now();
        Outcome out;
        for (const Layer &l : ev.layers())
            out.layerOrder << QString::fromStdString(l.name);
        auto answer = [&](std::function<void(SensitivityView *)> fn) {
            QMetaObject::invokeMethod(service, [self, fn = std::move(fn)] {
                if (self)
                    fn(self.data());
            }, Qt::QueuedConnection);
        };
        auto failWith = [&](const Error &e) {
            const QString msg = QString::fromStdString(e.message);
            const bool cancelled = e.code == Error::Code::Cancelled;
            answer([runId, msg, cancelled](SensitivityView *v) { v->fail(runId, msg, cancelled); });
        };
        if (grid) {
            auto r = ev.sensitivity(gridSpec, progress);
            if (!r)
                return failWith(r.error());
            out.grid = std::move(*r);
            out.gridBits = gridSpec.bits;
        }
        if (separateChosen) {
            phase->store(1);
            auto r = ev.sensitivity(chosenSpec, progress);
            if (!r)
                return failWith(r.error());
            out.chosen = std::move(*r);
        } else {
            out.chosen.heads = out.grid.heads;
            for (const SensitivityRow &row : out.grid.rows)
                if (row.bits && *row.bits == bits)
                    out.chosen.rows.push_back(row);
        }
        out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        answer([runId, out](SensitivityView *v) { v->finish(runId, out); });
    };
    auto onProgress = [self, phase, gridWeight, chosenWeight](int64_t done, int64_t total) {
        if (!self || total <= 0)
            return;
        const double f = double(done) / double(total);
        const double sum = gridWeight + chosenWeight;
        const double overall = phase->load() == 0 && gridWeight > 0
                                   ? f * gridWeight / sum
                                   : (gridWeight + f * chosenWeight) / sum;
        self->m_progress->setValue(static_cast<int>(std::lround(overall * 1000)));
    };
    setRunning(true);
    m_progress->setValue(0);
    m_statusKind = Status::Running;
    // submit() ends the run it supersedes at once (jobEnded): that one is no longer ours.
    m_jobId = 0;
    m_jobId = m_eval->submit(kKind, std::move(job), std::move(onProgress));
    retranslate();
    return true;
}

void SensitivityView::cancel()
{
    if (!m_running)
        return;
    ++m_runCounter;   // whatever the cancelled run still sends is dropped
    if (m_eval)
        m_eval->cancel(kKind);
    setRunning(false);
    m_statusKind = Status::Cancelled;
    retranslate();
}

void SensitivityView::fail(uint64_t run, const QString &message, bool cancelled)
{
    if (run != m_runCounter)
        return;
    setRunning(false);
    m_statusKind = cancelled ? Status::Cancelled : Status::Failed;
    m_statusMessage = message;
    retranslate();
}

void SensitivityView::finish(uint64_t run, const Outcome &outcome)
{
    if (run != m_runCounter)
        return;
    m_chosen = outcome.chosen;
    m_grid = outcome.grid;
    m_shownGridBits = outcome.gridBits;
    m_layerOrder = outcome.layerOrder;
    m_seconds = outcome.seconds;
    {
        const QSignalBlocker block(m_head);
        const QString previous = m_head->currentText();
        m_head->clear();
        for (const auto &h : m_chosen.heads)
            m_head->addItem(QString::fromStdString(h));
        const int keep = m_head->findText(previous);
        m_head->setCurrentIndex(keep >= 0 ? keep : 0);
    }
    setRunning(false);
    m_statusKind = Status::Done;
    showHead();
    retranslate();
    emit sensitivityFinished(m_chosen);
}

void SensitivityView::showBudget()
{
    // The budget of the head shown: its own, else the project's default.
    const std::optional<double> budget =
        m_project && !m_chosen.rows.empty()
            ? m_project->budgetFor(m_head->currentText().toStdString())
            : std::nullopt;
    m_bars->setBudget(budget);
    m_gridPlot->setBudget(budget);
}

void SensitivityView::showHead()
{
    showBudget();
    const int head = std::max(0, m_head->currentIndex());
    if (m_chosen.rows.empty()) {
        m_bars->clear(tr("Choose a setting and press Run"));
        m_gridPlot->clear(QString());
        return;
    }
    auto layerIndex = [this](const std::string &name) {
        return m_layerOrder.indexOf(QString::fromStdString(name));
    };
    std::vector<double> bars(static_cast<std::size_t>(m_layerOrder.size()), std::nan(""));
    for (const SensitivityRow &row : m_chosen.rows) {
        const int i = layerIndex(row.layer);
        if (i >= 0 && static_cast<std::size_t>(head) < row.deltaPp.size())
            bars[static_cast<std::size_t>(i)] = row.deltaPp[static_cast<std::size_t>(head)];
    }
    const QString headName = m_head->currentText();
    m_bars->setBars(m_layerOrder, bars,
                    m_chosen.heads.size() > 1 ? tr("%1 — %2").arg(m_settingText, headName)
                                              : m_settingText);
    if (m_grid.rows.empty() || m_shownGridBits.empty()) {
        m_gridPlot->clear(m_gridCheck->isChecked() ? QString() : tr("Bit-width grid is off"));
        return;
    }
    std::vector<std::vector<double>> cells(static_cast<std::size_t>(m_layerOrder.size()),
                                           std::vector<double>(m_shownGridBits.size(), std::nan("")));
    for (const SensitivityRow &row : m_grid.rows) {
        const int i = layerIndex(row.layer);
        if (i < 0 || !row.bits || static_cast<std::size_t>(head) >= row.deltaPp.size())
            continue;
        const auto it = std::find(m_shownGridBits.begin(), m_shownGridBits.end(), *row.bits);
        if (it != m_shownGridBits.end())
            cells[static_cast<std::size_t>(i)][static_cast<std::size_t>(it - m_shownGridBits.begin())] =
                row.deltaPp[static_cast<std::size_t>(head)];
    }
    m_gridPlot->setGrid(m_layerOrder, m_shownGridBits, cells,
                        m_chosen.heads.size() > 1 ? tr("By weight bits — %1").arg(headName)
                                                  : tr("By weight bits"));
}

} // namespace nnc
