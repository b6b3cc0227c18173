// ActivationView: activation histogram, range overlays and calibrator candidates.
#include "widgets/activation_view.h"

#include "app/studio/eval_service.h"
#include "app/studio/project.h"

#include <qcustomplot.h>

#include <QCheckBox>
#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QPointer>
#include <QPushButton>
#include <QRegularExpression>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace nnc {

namespace {

const QString kKind = QStringLiteral("activations");
const QString kProposalKind = QStringLiteral("activation-proposals");
constexpr double kLogFloor = 0.5;
constexpr int kMaxBars = 256;
constexpr int kMaxLevels = 64;    // levels are drawn for up to 6 bits
constexpr int kHitPixels = 6;
constexpr int kClickSlop = 4;

bool sameSpec(const QuantSpec &a, const QuantSpec &b)
{
    return a.bits == b.bits && a.range == b.range && a.symmetric == b.symmetric;
}

bool sameMethod(const CalibConfig &a, const CalibConfig &b)
{
    return a.method == b.method && (a.method != CalibMethod::Percentile || a.percentile == b.percentile);
}

QString num(double v)
{
    return QLocale().toString(v, 'g', 4);
}

/// Share of the histogram's values outside [rmin, rmax] (bins cut by a bound count in part).
double clippedShare(const StreamingHistogram &h, float rmin, float rmax)
{
    const auto &c = h.counts();
    if (c.empty() || h.count() == 0 || h.hi() <= h.lo())
        return 0;
    const double w = (h.hi() - h.lo()) / static_cast<double>(c.size());
    double out = 0;
    for (std::size_t i = 0; i < c.size(); ++i) {
        if (c[i] <= 0)
            continue;
        // The values lie within the exact [min, max]: the outer bins are cut to it, so a range
        // that covers the data clips nothing.
        const double a = std::max<double>(h.lo() + w * static_cast<double>(i), h.min());
        const double b = std::min<double>(h.lo() + w * static_cast<double>(i + 1), h.max());
        double inside = 0;
        if (b - a <= 0)
            inside = a >= rmin && a <= rmax ? 1.0 : 0.0;
        else
            inside = std::clamp((std::min<double>(b, rmax) - std::max<double>(a, rmin)) / (b - a),
                                0.0, 1.0);
        out += c[i] * (1.0 - inside);
    }
    return out / static_cast<double>(h.count());
}

} // namespace

// ---------------------------------------------------------------------------------------------
// Plot

ActivationPlot::ActivationPlot(QWidget *parent) : PlotWidget(parent)
{
    QCustomPlot *p = plot();
    auto *bars = new QCPBars(p->xAxis, p->yAxis);
    bars->setName(QStringLiteral("bins"));
    bars->setWidthType(QCPBars::wtPlotCoords);
    bars->setPen(QPen(QColor(31, 92, 153), 0));
    bars->setBrush(QColor(66, 133, 199));
    bars->setAntialiased(false);
    bars->setSelectable(QCP::stNone);
    p->axisRect()->setRangeZoom(Qt::Horizontal | Qt::Vertical);
    p->axisRect()->setRangeDrag(Qt::Horizontal | Qt::Vertical);
    connect(p, &QCustomPlot::mousePress, this, [this](QMouseEvent *e) { m_pressPos = e->pos(); });
    connect(p, &QCustomPlot::mouseRelease, this, [this](QMouseEvent *e) {
        if (e->button() != Qt::LeftButton || (m_pressPos - e->pos()).manhattanLength() > kClickSlop)
            return;
        if (const int i = proposalAt(e->pos()); i >= 0)
            emit proposalClicked(i);
    });
    p->setMouseTracking(true);
    connect(p, &QCustomPlot::mouseMove, this, [this](QMouseEvent *e) {
        const int i = proposalAt(e->pos());
        plot()->setCursor(i >= 0 ? Qt::PointingHandCursor : Qt::ArrowCursor);
        if (i >= 0) {
            const CalibProposal &c = m_profile->proposals[static_cast<std::size_t>(i)];
            plot()->setToolTip(tr("%1 proposes [%2, %3]: click to use this range")
                                   .arg(ActivationView::methodName(c.config),
                                        num(c.range.rmin), num(c.range.rmax)));
        } else {
            plot()->setToolTip(QString());
        }
    });
    setLogScale(true);
    clear(QString());
}

QColor ActivationPlot::proposalColor(int index)
{
    static const QColor colors[] = {QColor(120, 120, 120), QColor(46, 139, 87),
                                    QColor(200, 100, 0), QColor(148, 52, 160)};
    return colors[static_cast<std::size_t>(index) % std::size(colors)];
}

void ActivationPlot::setProfile(const ActivationProfile &profile, std::optional<Range> current,
                                const QuantSpec &spec)
{
    const bool sameTensor = m_profile && m_profile->tensor == profile.tensor;
    m_profile = profile;
    m_current = current;
    m_spec = spec;
    setPlaceholderText(profile.histogram.count() == 0 ? tr("No finite values") : QString());
    redraw();
    if (!sameTensor)
        resetView();
    else
        replot();
}

void ActivationPlot::clear(const QString &placeholder)
{
    m_profile.reset();
    m_current.reset();
    setPlaceholderText(placeholder);
    redraw();
    resetView();
}

void ActivationPlot::setLogScale(bool on)
{
    m_log = on;
    QCPAxis *y = plot()->yAxis;
    if (on) {
        y->setScaleType(QCPAxis::stLogarithmic);
        y->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
        y->setNumberFormat(QStringLiteral("eb"));
        y->setNumberPrecision(0);
        y->setLabel(tr("Count (log scale)"));
    } else {
        y->setScaleType(QCPAxis::stLinear);
        y->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
        y->setNumberFormat(QStringLiteral("gb"));
        y->setNumberPrecision(6);
        y->setLabel(tr("Count"));
    }
    redraw();
    resetView();
}

void ActivationPlot::redraw()
{
    QCustomPlot *p = plot();
    p->xAxis->setLabel(tr("Activation value"));
    p->yAxis->setLabel(m_log ? tr("Count (log scale)") : tr("Count"));
    for (QObject *item : m_items)
        p->removeItem(static_cast<QCPAbstractItem *>(item));
    m_items.clear();
    m_levelLines = 0;
    auto *bars = qobject_cast<QCPBars *>(p->plottable(0));
    QVector<double> keys, values;
    // An empty plot shows its message, not made-up axis numbers.
    const bool empty = !m_profile || m_profile->histogram.count() == 0;
    p->xAxis->setTickLabels(!empty);
    p->yAxis->setTickLabels(!empty);
    if (empty) {
        bars->setData(keys, values);
        return;
    }
    const StreamingHistogram &h = m_profile->histogram;
    const auto &counts = h.counts();
    const int n = static_cast<int>(counts.size());
    const int group = std::max(1, (n + kMaxBars - 1) / kMaxBars);
    const double w = (h.hi() - h.lo()) / n;
    for (int i = 0; i < n; i += group) {
        double c = 0;
        for (int k = i; k < std::min(n, i + group); ++k)
            c += counts[static_cast<std::size_t>(k)];
        if (c <= 0)
            continue;   // empty: no bar (on a log axis it would stand at the floor)
        keys << h.lo() + w * (i + group / 2.0);
        values << (m_log ? std::max(c, kLogFloor) : c);
    }
    bars->setWidth(w > 0 ? w * group : 1.0);
    bars->setBaseValue(m_log ? kLogFloor : 0.0);
    bars->setData(keys, values, true);

    auto vline = [&](double x, const QPen &pen) {
        auto *line = new QCPItemStraightLine(p);
        line->point1->setCoords(x, 1);
        line->point2->setCoords(x, 2);
        line->setPen(pen);
        line->setSelectable(false);
        m_items.push_back(line);
        return line;
    };
    const double span = std::max(1e-6, double(h.max()) - double(h.min()));
    // Clipped regions and levels of the range in use.
    if (m_current) {
        const double far = 1e3 * span + std::abs(h.min()) + std::abs(h.max());
        auto shade = [&](double from, double to) {
            auto *rect = new QCPItemRect(p);
            rect->topLeft->setTypeY(QCPItemPosition::ptAxisRectRatio);
            rect->bottomRight->setTypeY(QCPItemPosition::ptAxisRectRatio);
            rect->topLeft->setCoords(from, 0);
            rect->bottomRight->setCoords(to, 1);
            rect->setPen(Qt::NoPen);
            rect->setBrush(QColor(220, 60, 60, 45));
            rect->setSelectable(false);
            m_items.push_back(rect);
        };
        shade(m_current->rmin - far, m_current->rmin);
        shade(m_current->rmax, m_current->rmax + far);
        if (m_spec.bits <= 6) {
            const QuantParams q = chooseParams(m_spec, m_current->rmin, m_current->rmax);
            if (q.qmax - q.qmin + 1 <= kMaxLevels)
                for (int32_t v = q.qmin; v <= q.qmax; ++v) {
                    vline(dequantizeValue(v, q), QPen(QColor(60, 60, 160, 110), 1, Qt::DotLine));
                    ++m_levelLines;
                }
        }
        const QPen rangePen(QColor(20, 60, 150), 2);
        vline(m_current->rmin, rangePen);
        vline(m_current->rmax, rangePen);
    }
    // Candidates: dashed lines at each proposal's bounds (rmin only when it clips the data),
    // labels stacked so they never sit on each other.
    for (std::size_t i = 0; i < m_profile->proposals.size(); ++i) {
        const CalibProposal &c = m_profile->proposals[i];
        const QColor color = proposalColor(static_cast<int>(i));
        const QPen pen(color, 2, Qt::DashLine);
        vline(c.range.rmax, pen);
        if (c.range.rmin > h.min() + 1e-6 * span)
            vline(c.range.rmin, pen);
        auto *label = new QCPItemText(p);
        label->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
        label->position->setCoords(c.range.rmax, 0.03 + 0.085 * static_cast<double>(i));
        label->setPositionAlignment(Qt::AlignRight | Qt::AlignTop);
        label->setText(QStringLiteral("%1 %2").arg(ActivationView::methodName(c.config),
                                                  num(c.range.rmax)));
        label->setColor(color.darker(130));
        label->setBrush(QColor(255, 255, 255, 210));
        label->setPadding(QMargins(3, 1, 3, 1));
        label->setClipToAxisRect(true);
        label->setSelectable(false);
        m_items.push_back(label);
    }
}

int ActivationPlot::proposalAt(const QPoint &pos) const
{
    if (!m_profile || !plot()->axisRect()->rect().contains(pos))
        return -1;
    int best = -1;
    double bestDist = kHitPixels + 0.5;
    for (std::size_t i = 0; i < m_profile->proposals.size(); ++i) {
        const Range &r = m_profile->proposals[i].range;
        for (float x : {r.rmax, r.rmin}) {
            if (x == r.rmin && !(r.rmin > m_profile->histogram.min()))
                continue;
            const double d = std::abs(plot()->xAxis->coordToPixel(x) - pos.x());
            if (d < bestDist) {
                bestDist = d;
                best = static_cast<int>(i);
            }
        }
    }
    return best;
}

QPoint ActivationPlot::proposalPosition(int index) const
{
    if (!m_profile || index < 0 || index >= static_cast<int>(m_profile->proposals.size()))
        return {};
    const Range &r = m_profile->proposals[static_cast<std::size_t>(index)].range;
    const QRect rect = plot()->axisRect()->rect();
    return {static_cast<int>(std::lround(plot()->xAxis->coordToPixel(r.rmax))),
            rect.top() + rect.height() * 3 / 4};
}

void ActivationPlot::resetView()
{
    QCustomPlot *p = plot();
    if (!m_profile || m_profile->histogram.count() == 0) {
        p->xAxis->setRange(0, 1);
        p->yAxis->setRange(m_log ? kLogFloor : 0, m_log ? 10 : 1);
        replot();
        return;
    }
    const StreamingHistogram &h = m_profile->histogram;
    double lo = h.min(), hi = h.max();
    if (m_current) {
        lo = std::min<double>(lo, m_current->rmin);
        hi = std::max<double>(hi, m_current->rmax);
    }
    for (const CalibProposal &c : m_profile->proposals) {
        lo = std::min<double>(lo, c.range.rmin);
        hi = std::max<double>(hi, c.range.rmax);
    }
    const double pad = std::max(1e-6, (hi - lo) * 0.04);
    p->xAxis->setRange(lo - pad, hi + pad);
    double top = 1;
    for (double c : h.counts())
        top = std::max(top, c);
    // Bars merge bins on screen, so the tallest bar can exceed the tallest bin.
    const int group = std::max(1, (static_cast<int>(h.counts().size()) + kMaxBars - 1) / kMaxBars);
    top *= group;
    if (m_log)
        p->yAxis->setRange(kLogFloor, top * 3);
    else
        p->yAxis->setRange(0, top * 1.35);   // headroom for the candidate labels
    replot();
}

void ActivationPlot::addContextActions(QMenu &menu)
{
    QAction *log = menu.addAction(tr("Logarithmic counts"));
    log->setCheckable(true);
    log->setChecked(m_log);
    connect(log, &QAction::toggled, this, [this](bool on) { setLogScale(on); });
    menu.addSeparator();
}

void ActivationPlot::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        redraw();
        replot();
    }
    PlotWidget::changeEvent(event);
}

QString ActivationPlot::exportBaseName() const
{
    if (!m_profile)
        return QStringLiteral("activations");
    QString name = QString::fromStdString(m_profile->tensor);
    name.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9_.-]")), QStringLiteral("_"));
    return name + QStringLiteral("-activations");
}

// ---------------------------------------------------------------------------------------------
// View

ActivationView::ActivationView(studio::Project *project, studio::EvalService *eval, QWidget *parent)
    : QWidget(parent), m_project(project), m_eval(eval)
{
    auto *layout = new QVBoxLayout(this);
    auto *top = new QHBoxLayout;
    m_title = new QLabel(this);
    m_title->setObjectName(QStringLiteral("activationTitle"));
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_tensorCombo = new QComboBox(this);
    m_tensorCombo->setObjectName(QStringLiteral("activationTensor"));
    m_tensorCombo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_tensorCombo->hide();
    m_logCheck = new QCheckBox(this);
    m_logCheck->setChecked(true);
    top->addWidget(m_title);
    top->addWidget(m_tensorCombo);
    top->addStretch(1);
    top->addWidget(m_logCheck);
    layout->addLayout(top);

    m_plot = new ActivationPlot(this);
    m_plot->setObjectName(QStringLiteral("activationPlot"));
    layout->addWidget(m_plot, 1);
    m_info = new QLabel(this);
    m_info->setObjectName(QStringLiteral("activationInfo"));
    m_info->setWordWrap(true);
    m_info->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_info);
    m_buttonRow = new QHBoxLayout;
    m_adoptLabel = new QLabel(this);
    m_buttonRow->addWidget(m_adoptLabel);
    for (int i = 0; i < 4; ++i) {
        auto *b = new QPushButton(this);
        b->setObjectName(QStringLiteral("adoptProposal%1").arg(i));
        const QColor c = ActivationPlot::proposalColor(i);
        b->setStyleSheet(QStringLiteral("QPushButton { border-left: 4px solid %1; padding: 3px 8px; }")
                             .arg(c.name()));
        connect(b, &QPushButton::clicked, this, [this, i] { adoptProposal(i); });
        m_buttons.push_back(b);
        m_buttonRow->addWidget(b);
    }
    m_buttonRow->addStretch(1);
    layout->addLayout(m_buttonRow);

    connect(m_logCheck, &QCheckBox::toggled, m_plot, &ActivationPlot::setLogScale);
    connect(m_plot, &ActivationPlot::proposalClicked, this, [this](int i) { adoptProposal(i); });
    connect(m_tensorCombo, &QComboBox::currentIndexChanged, this, [this] {
        if (m_tensorCombo->currentIndex() >= 0)
            m_tensor = m_tensorCombo->currentText();
        refresh();
    });
    if (m_project)
        connect(m_project, &studio::Project::planChanged, this, [this] { refresh(); });
    if (m_eval) {
        connect(m_eval, &studio::EvalService::opened, this, [this] {
            clearCache();
            refresh();
        });
        connect(m_eval, &studio::EvalService::openFailed, this, [this] {
            clearCache();
            refresh();
        });
        connect(m_eval, &studio::EvalService::jobEnded, this,
                [this](quint64 id, const QString &, bool completed) {
                    // Answers arrive before jobEnded; a job that ended without one was dropped
                    // (cancelled or superseded): ask again if its answer is still wanted.
                    if (id == m_jobId) {
                        m_jobId = 0;
                        m_pendingLayer.clear();
                    } else if (id == m_proposalJobId) {
                        m_proposalJobId = 0;
                        m_pendingProposal.clear();
                    } else {
                        return;
                    }
                    // Not at once: jobEnded can arrive from inside submit() or cancel().
                    if (!completed)
                        QMetaObject::invokeMethod(this, [this] { refresh(); }, Qt::QueuedConnection);
                });
    }
    retranslate();
    refresh();
}

ActivationView::~ActivationView()
{
    if (m_eval && m_jobId)
        m_eval->cancel(kKind);
    if (m_eval && m_proposalJobId)
        m_eval->cancel(kProposalKind);
}

void ActivationView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

QString ActivationView::methodName(const CalibConfig &config)
{
    switch (config.method) {
    case CalibMethod::MinMax: return tr("MinMax");
    case CalibMethod::Percentile: return tr("Percentile %1").arg(config.percentile);
    case CalibMethod::Entropy: return tr("Entropy");
    case CalibMethod::Mse: return tr("MSE");
    case CalibMethod::Manual: return tr("Manual");
    }
    return {};
}

void ActivationView::retranslate()
{
    m_logCheck->setText(tr("&Log counts"));
    m_logCheck->setToolTip(tr("Logarithmic counts: rare values in the tails stay visible next to "
                              "the peak."));
    m_adoptLabel->setText(tr("Use:"));
    m_adoptLabel->setToolTip(tr("Calibration: choosing the range [rmin, rmax] that the quantized "
                                "activation covers; values outside it are clipped."));
    const QString tips[] = {
        tr("MinMax: the full observed range, so nothing is clipped."),
        tr("Percentile: the range holding all but the rarest 0.01 % of values."),
        tr("Entropy: the range whose quantized histogram loses the least information (KL "
           "divergence)."),
        tr("MSE: the range with the smallest expected squared quantization error.")};
    m_tips.clear();
    for (std::size_t i = 0; i < m_buttons.size() && i < std::size(tips); ++i)
        m_tips << tips[i];
    updateButtons();
    refresh();
}

void ActivationView::setLayer(const QString &layerName)
{
    if (layerName == m_layer)
        return;
    m_layer = layerName;
    m_tensor.clear();
    refresh();
}

const ActivationProfile *ActivationView::profile() const
{
    const auto it = m_profiles.find(m_tensor);
    return it == m_profiles.end() ? nullptr : &it->second;
}

QPushButton *ActivationView::proposalButton(int index) const
{
    return index >= 0 && index < static_cast<int>(m_buttons.size())
               ? m_buttons[static_cast<std::size_t>(index)]
               : nullptr;
}

void ActivationView::clearCache()
{
    m_layerInputs.clear();
    m_profiles.clear();
    m_errors.clear();
    ++m_generation;
    if (m_eval && m_jobId)
        m_eval->cancel(kKind);
    if (m_eval && m_proposalJobId)
        m_eval->cancel(kProposalKind);
    m_jobId = m_proposalJobId = 0;
    m_pendingLayer.clear();
    m_pendingProposal.clear();
}

QString ActivationView::statusText() const
{
    return m_info->text();
}

void ActivationView::refresh()
{
    m_title->setText(m_layer.isEmpty() ? tr("Input activations")
                                       : tr("Input activations of %1").arg(m_layer));
    auto placeholder = [this](const QString &text, const QString &info = {}) {
        m_plot->clear(text);
        m_info->setText(info);
        m_tensorCombo->hide();
        updateButtons();
    };
    if (m_layer.isEmpty())
        return placeholder(tr("Select a layer to see its input activations"));
    if (!m_eval || !m_eval->isOpen())
        return placeholder(tr("Open validation data to see activation statistics"));
    if (const auto e = m_errors.find(m_layer); e != m_errors.end())
        return placeholder(tr("No activation statistics"), e->second);
    const auto inputs = m_layerInputs.find(m_layer);
    if (inputs == m_layerInputs.end()) {
        if (m_pendingLayer != m_layer)
            request();
        return placeholder(tr("Computing activation statistics…"));
    }
    if (inputs->second.empty())
        return placeholder(tr("This layer has no activation input to quantize"),
                           tr("Its data input is not a float activation (for example the token ids "
                              "of an embedding lookup)."));
    {
        const QSignalBlocker block(m_tensorCombo);
        m_tensorCombo->clear();
        for (const auto &t : inputs->second)
            m_tensorCombo->addItem(QString::fromStdString(t));
        int i = m_tensorCombo->findText(m_tensor);
        if (i < 0)
            i = 0;
        m_tensorCombo->setCurrentIndex(i);
        m_tensor = m_tensorCombo->currentText();
        m_tensorCombo->setVisible(inputs->second.size() > 1);
    }
    const auto it = m_profiles.find(m_tensor);
    if (it == m_profiles.end()) {
        if (m_pendingLayer != m_layer)
            request();
        return placeholder(tr("Computing activation statistics…"));
    }
    const ActivationProfile &p = it->second;
    const QuantConfig cfg = m_project ? m_project->plan().activationConfig(m_tensor.toStdString())
                                      : CompressionPlan::defaults().activationConfig(m_tensor.toStdString());
    const QString proposalKey = QStringLiteral("%1|%2|%3|%4")
                                    .arg(m_tensor)
                                    .arg(cfg.spec.bits)
                                    .arg(static_cast<int>(cfg.spec.range))
                                    .arg(cfg.spec.symmetric);
    if (!sameSpec(p.spec, cfg.spec) && m_eval && m_pendingProposal != proposalKey) {
        // New bits or scheme: the calibrators answer again on the histogram we already have.
        const uint64_t generation = m_generation;
        QPointer<ActivationView> self(this);
        studio::EvalService *service = m_eval;
        const StreamingHistogram hist = p.histogram;
        const QString tensor = m_tensor;
        const QuantSpec spec = cfg.spec;
        m_proposalJobId = 0;
        m_pendingProposal = proposalKey;
        m_proposalJobId = m_eval->submit(kProposalKind, [self, service, generation, hist, tensor,
                                                         spec](Evaluator &, const Progress &progress) {
            std::vector<CalibProposal> out;
            for (const CalibConfig &c : proposalMethods()) {
                if (progress.cancelled())
                    return;
                out.push_back({c, calibrate(hist, c, spec)});
            }
            QMetaObject::invokeMethod(service, [self, generation, tensor, spec, out] {
                if (self)
                    self->onProposals(generation, tensor, spec, out);
            }, Qt::QueuedConnection);
        });
    }
    showProfile(p);
}

void ActivationView::showProfile(const ActivationProfile &p)
{
    const QuantConfig cfg = m_project ? m_project->plan().activationConfig(p.tensor)
                                      : CompressionPlan::defaults().activationConfig(p.tensor);
    std::optional<Range> current;
    QString source;
    if (cfg.enabled && cfg.range) {
        current = cfg.range;
        source = tr("set in the plan");
    } else if (cfg.enabled) {
        for (const CalibProposal &c : p.proposals)
            if (sameMethod(c.config, cfg.calibration)) {
                current = c.range;
                source = tr("calibrated with %1 when evaluated").arg(methodName(c.config));
            }
    }
    m_plot->setProfile(p, current, cfg.spec);
    const StreamingHistogram &h = p.histogram;
    QStringList parts;
    parts << tr("Tensor %1").arg(QString::fromStdString(p.tensor));
    parts << tr("%1 samples, %2 values").arg(QLocale().toString(static_cast<qlonglong>(p.samples)),
                                             QLocale().toString(static_cast<qlonglong>(h.count())));
    parts << tr("min %1, max %2").arg(num(h.min()), num(h.max()));
    if (!cfg.enabled) {
        parts << tr("activation quantization is off for this tensor");
    } else if (current) {
        parts << tr("range in use [%1, %2] (%3)").arg(num(current->rmin), num(current->rmax), source);
        parts << tr("clipped %1 %").arg(QLocale().toString(100.0 * clippedShare(h, current->rmin,
                                                                                 current->rmax), 'g', 3));
        const auto [qmin, qmax] = integerRange(cfg.spec.bits, cfg.spec.range);
        parts << tr("%1 bits, %2 levels").arg(cfg.spec.bits).arg(qmax - qmin + 1);
    }
    if (h.nonFinite() > 0)
        parts << tr("%1 NaN or infinite values left out").arg(h.nonFinite());
    m_info->setText(parts.join(QStringLiteral(" · ")));
    updateButtons();
    emit profileShown(QString::fromStdString(p.tensor));
}

void ActivationView::updateButtons()
{
    const ActivationProfile *p = m_plot->hasData() ? profile() : nullptr;
    const auto methods = proposalMethods();
    for (std::size_t i = 0; i < m_buttons.size(); ++i) {
        QPushButton *b = m_buttons[i];
        if (p && i < p->proposals.size()) {
            const CalibProposal &c = p->proposals[i];
            // Compact (the view may be a narrow tab): the upper bound, as the plot labels it.
            b->setText(QStringLiteral("%1 %2").arg(methodName(c.config), num(c.range.rmax)));
            b->setToolTip(m_tips.value(static_cast<qsizetype>(i)) + QLatin1Char('\n')
                          + tr("Proposed range: [%1, %2]").arg(num(c.range.rmin), num(c.range.rmax)));
            b->setEnabled(m_project != nullptr);
        } else {
            b->setText(i < methods.size() ? methodName(methods[i]) : QString());
            b->setToolTip(m_tips.value(static_cast<qsizetype>(i)));
            b->setEnabled(false);
        }
    }
    m_adoptLabel->setEnabled(p != nullptr);
}

void ActivationView::request()
{
    if (!m_eval || !m_eval->isOpen() || m_layer.isEmpty())
        return;
    const uint64_t generation = m_generation;
    QPointer<ActivationView> self(this);
    studio::EvalService *service = m_eval;
    const QString layer = m_layer;
    const std::string layerName = layer.toStdString();
    const CompressionPlan plan = m_project ? m_project->plan() : CompressionPlan::defaults();
    auto job = [self, service, generation, layer, layerName, plan](Evaluator &ev,
                                                                   const Progress &progress) {
        std::vector<std::string> inputs;
        bool found = false;
        for (const Layer &l : ev.layers())
            if (l.name == layerName) {
                inputs = l.activationInputs;
                found = true;
            }
        auto post = [&](std::function<void(ActivationView *)> fn) {
            QMetaObject::invokeMethod(service, [self, fn = std::move(fn)] {
                if (self)
                    fn(self.data());
            }, Qt::QueuedConnection);
        };
        if (!found) {
            const QString msg = ActivationView::tr("The model has no layer named %1.").arg(layer);
            return post([generation, layer, msg](ActivationView *v) {
                if (generation == v->m_generation)
                    v->onFailed(layer, msg);
            });
        }
        std::vector<ActivationProfile> profiles;
        if (!inputs.empty()) {
            auto r = profileActivations(ev, inputs, plan, progress);
            if (!r) {
                if (r.error().code == Error::Code::Cancelled)
                    return;
                const QString msg = QString::fromStdString(r.error().message);
                return post([generation, layer, msg](ActivationView *v) {
                    if (generation == v->m_generation)
                        v->onFailed(layer, msg);
                });
            }
            profiles = std::move(*r);
        }
        post([generation, layer, inputs, profiles = std::move(profiles)](ActivationView *v) mutable {
            v->onProfiles(generation, layer, std::move(inputs), std::move(profiles));
        });
    };
    auto onProgress = [self](int64_t done, int64_t total) {
        if (self && total > 0 && !self->m_plot->hasData())
            self->m_plot->clear(tr("Computing activation statistics… %1 %").arg(done * 100 / total));
    };
    // submit() ends the job it supersedes at once (jobEnded): that one is no longer ours.
    m_jobId = 0;
    m_pendingLayer = layer;
    m_jobId = m_eval->submit(kKind, std::move(job), std::move(onProgress));
}

void ActivationView::onProfiles(uint64_t generation, const QString &layer,
                                std::vector<std::string> inputs,
                                std::vector<ActivationProfile> profiles)
{
    if (generation != m_generation)
        return;   // computed on data that is no longer open
    for (ActivationProfile &p : profiles)
        m_profiles[QString::fromStdString(p.tensor)] = std::move(p);
    m_layerInputs[layer] = std::move(inputs);
    if (layer == m_pendingLayer) {
        m_pendingLayer.clear();
        m_jobId = 0;   // answered; its jobEnded follows and is ignored
    }
    refresh();
}

void ActivationView::onProposals(uint64_t generation, const QString &tensor,
                                 const QuantSpec &spec, std::vector<CalibProposal> proposals)
{
    if (generation != m_generation)
        return;
    const auto it = m_profiles.find(tensor);
    if (it != m_profiles.end()) {
        it->second.spec = spec;
        it->second.proposals = std::move(proposals);
    }
    m_pendingProposal.clear();
    m_proposalJobId = 0;
    refresh();
}

void ActivationView::onFailed(const QString &layer, const QString &message)
{
    m_errors[layer] = message;
    if (layer == m_pendingLayer) {
        m_pendingLayer.clear();
        m_jobId = 0;
    }
    refresh();
}

bool ActivationView::adoptProposal(int index)
{
    const ActivationProfile *p = profile();
    if (!m_project || !p || index < 0 || index >= static_cast<int>(p->proposals.size()))
        return false;
    const CalibProposal c = p->proposals[static_cast<std::size_t>(index)];
    const std::string tensor = p->tensor;
    m_project->editPlan(tr("Use the %1 range for %2").arg(methodName(c.config),
                                                         QString::fromStdString(tensor)),
                        [tensor, c](CompressionPlan &plan) {
                            QuantOverride &o = plan.activations[tensor];
                            o.rmin = c.range.rmin;
                            o.rmax = c.range.rmax;
                        });
    return true;
}

} // namespace nnc
