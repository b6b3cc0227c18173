// PreviewPanel: the accuracy preview dock (see preview_panel.h).
#include "widgets/preview_panel.h"

#include "app/studio/eval_service.h"
#include "app/studio/project.h"
#include "widgets/sample_view.h"

#include <qcustomplot.h>

#include <QCheckBox>
#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QProgressBar>
#include <QScrollBar>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>

#include <cmath>

namespace nnc {

namespace {

constexpr int kDebounceMs = 300;
constexpr int kMaxListed = 5000;  ///< changed predictions listed per head

QString percent(double v)
{
    return QLocale().toString(v * 100.0, 'f', 2) + QStringLiteral(" %");
}

QString bytes(int64_t n)
{
    const QLocale l;
    return QObject::tr("%1 (%2 bytes)")
        .arg(l.formattedDataSize(n, 1, QLocale::DataSizeTraditionalFormat),
             l.toString(static_cast<qlonglong>(n)));
}

QString decibels(double db)
{
    if (std::isinf(db))
        return db > 0 ? QStringLiteral("∞") : QStringLiteral("−∞");
    return QLocale().toString(db, 'f', 1) + QStringLiteral(" dB");
}

/// A background for an accuracy change: neutral within ±0.1 pp, amber to 1 pp, red beyond;
/// green for a gain. Translucent so it reads on light and dark themes.
QColor deltaColour(double pp)
{
    if (pp > 0.1)
        return QColor(60, 170, 90, 110);
    if (pp >= -0.1)
        return QColor(60, 170, 90, 50);
    if (pp >= -1.0)
        return QColor(235, 170, 40, 120);
    return QColor(220, 60, 50, 130);
}

QString metricName(const std::string &metric)
{
    if (metric == "accuracy")
        return QObject::tr("accuracy");
    if (metric == "top5")
        return QObject::tr("top-5 accuracy");
    if (metric == "token_accuracy")
        return QObject::tr("token accuracy");
    if (metric == "entity_f1")
        return QObject::tr("entity F1");
    if (metric == "agreement")
        return QObject::tr("agreement");
    return QString::fromStdString(metric);
}

} // namespace

// ---- EstimatePlot ----

EstimatePlot::EstimatePlot(QWidget *parent) : PlotWidget(parent)
{
    QCustomPlot *p = plot();
    p->setMinimumSize(200, 110);
    auto *low = p->addGraph();
    auto *high = p->addGraph();
    auto *value = p->addGraph();
    auto *base = p->addGraph();
    const QColor band(60, 120, 200);
    low->setPen(QPen(band.lighter(150)));
    high->setPen(QPen(band.lighter(150)));
    high->setBrush(QColor(band.red(), band.green(), band.blue(), 50));
    high->setChannelFillGraph(low);
    value->setPen(QPen(band, 2));
    value->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, 4));
    base->setPen(QPen(QColor(120, 120, 120), 1, Qt::DashLine));
    p->xAxis->setLabel(tr("samples evaluated"));
    p->yAxis->setLabel(tr("compressed, %"));
    QFont f = p->xAxis->labelFont();
    f.setPointSizeF(f.pointSizeF() * 0.85);
    p->xAxis->setLabelFont(f);
    p->yAxis->setLabelFont(f);
    clear(tr("The estimate appears as batches are evaluated"));
}

void EstimatePlot::clear(const QString &placeholder)
{
    m_points.clear();
    setPlaceholderText(placeholder);
    rebuild();
}

void EstimatePlot::addEstimate(const Estimate &e)
{
    if (!m_points.empty() && (e.total != m_points.back().total || e.done < m_points.back().done))
        m_points.clear();
    m_points.push_back(e);
    setPlaceholderText({});
    rebuild();
}

void EstimatePlot::setBaseline(std::optional<double> baseline)
{
    m_baseline = baseline;
    rebuild();
}

void EstimatePlot::rebuild()
{
    QCustomPlot *p = plot();
    QVector<double> x, lo, hi, v;
    for (const Estimate &e : m_points) {
        x << double(e.done);
        lo << e.low * 100;
        hi << e.high * 100;
        v << e.value * 100;
    }
    p->graph(0)->setData(x, lo, true);
    p->graph(1)->setData(x, hi, true);
    p->graph(2)->setData(x, v, true);
    p->graph(3)->data()->clear();
    if (m_baseline && !m_points.empty())
        p->graph(3)->setData({0.0, double(m_points.back().total)},
                             {*m_baseline * 100, *m_baseline * 100}, true);
    resetView();
}

void EstimatePlot::resetView()
{
    QCustomPlot *p = plot();
    const double total = m_points.empty() ? 1.0 : double(m_points.back().total);
    p->xAxis->setRange(0, std::max(1.0, total));
    double lo = 100, hi = 0;
    for (const Estimate &e : m_points) {
        lo = std::min(lo, e.low * 100);
        hi = std::max(hi, e.high * 100);
    }
    if (m_baseline && !m_points.empty()) {
        lo = std::min(lo, *m_baseline * 100);
        hi = std::max(hi, *m_baseline * 100);
    }
    if (lo > hi) {
        lo = 0;
        hi = 100;
    }
    const double pad = std::max(0.5, (hi - lo) * 0.08);
    p->yAxis->setRange(std::max(0.0, lo - pad), std::min(100.0, hi + pad));
    // Queued: the estimates of a burst of batches that arrive together are drawn once.
    p->replot(QCustomPlot::rpQueuedReplot);
}

QString EstimatePlot::exportBaseName() const
{
    return QStringLiteral("accuracy_estimate");
}

// ---- PreviewPanel ----

PreviewPanel::PreviewPanel(studio::Project *project, studio::EvalService *eval, QWidget *parent)
    : QWidget(parent), m_project(project), m_eval(eval)
{
    m_debounce = new QTimer(this);
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(kDebounceMs);
    connect(m_debounce, &QTimer::timeout, this, &PreviewPanel::runPreview);

    m_auto = new QCheckBox(this);
    m_auto->setChecked(true);
    m_run = new QPushButton(this);
    m_cancel = new QPushButton(this);
    m_cancel->setEnabled(false);
    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 1000);
    m_progress->setValue(0);
    m_progress->setTextVisible(false);
    m_progress->setMaximumHeight(14);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_estimate = new QLabel(this);
    m_estimate->setWordWrap(true);
    m_plot = new EstimatePlot(this);

    m_headsTitle = new QLabel(this);
    m_heads = new QTableWidget(0, 7, this);
    m_heads->verticalHeader()->hide();
    m_heads->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_heads->setSelectionMode(QAbstractItemView::NoSelection);
    m_heads->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_heads->horizontalHeader()->setStretchLastSection(true);
    m_heads->setSizeAdjustPolicy(QAbstractScrollArea::AdjustToContents);
    m_heads->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_size = new QLabel(this);
    m_size->setWordWrap(true);
    m_size->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_work = new QLabel(this);
    m_work->setWordWrap(true);

    m_changedTitle = new QLabel(this);
    m_changedHead = new QComboBox(this);
    m_changed = new QListWidget(this);
    m_changed->setSelectionMode(QAbstractItemView::SingleSelection);
    m_sample = new SampleView(this);

    // One row of controls across the top, then three parts: the figures, the running
    // estimate, the changed predictions. Side by side in a wide dock (under the layer views),
    // stacked in a tall one (beside them).
    auto *bar = new QHBoxLayout;
    bar->addWidget(m_auto);
    bar->addWidget(m_run);
    bar->addWidget(m_cancel);
    bar->addWidget(m_progress, 1);
    bar->addWidget(m_status, 3);
    m_progress->setMinimumWidth(80);
    m_status->setWordWrap(false);
    m_status->setMinimumWidth(40);
    m_status->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);

    auto *figures = new QWidget(this);
    auto *figuresLayout = new QVBoxLayout(figures);
    figuresLayout->setContentsMargins(0, 0, 0, 0);
    figuresLayout->setSpacing(2);
    figuresLayout->addWidget(m_headsTitle);
    figuresLayout->addWidget(m_heads);
    figuresLayout->addWidget(m_size);
    figuresLayout->addWidget(m_work);
    figuresLayout->addStretch(1);

    auto *estimate = new QWidget(this);
    auto *estimateLayout = new QVBoxLayout(estimate);
    estimateLayout->setContentsMargins(0, 0, 0, 0);
    estimateLayout->setSpacing(2);
    estimateLayout->addWidget(m_estimate);
    estimateLayout->addWidget(m_plot, 1);

    auto *changed = new QWidget(this);
    auto *changedLayout = new QVBoxLayout(changed);
    changedLayout->setContentsMargins(0, 0, 0, 0);
    changedLayout->setSpacing(2);
    auto *changedRow = new QHBoxLayout;
    changedRow->addWidget(m_changedTitle, 1);
    changedRow->addWidget(m_changedHead);
    changedLayout->addLayout(changedRow);
    auto *lists = new QSplitter(Qt::Horizontal, changed);
    lists->addWidget(m_changed);
    lists->addWidget(m_sample);
    lists->setStretchFactor(0, 1);
    lists->setStretchFactor(1, 4);
    lists->setChildrenCollapsible(false);
    const int itemWidth = m_changed->fontMetrics().horizontalAdvance(tr("Sample %1").arg(99999));
    m_changed->setMinimumWidth(itemWidth + m_changed->verticalScrollBar()->sizeHint().width() + 12);
    changedLayout->addWidget(lists, 1);

    m_split = new QSplitter(Qt::Vertical, this);
    m_split->addWidget(figures);
    m_split->addWidget(estimate);
    m_split->addWidget(changed);
    m_split->setChildrenCollapsible(false);
    m_split->setStretchFactor(0, 3);
    m_split->setStretchFactor(1, 2);
    m_split->setStretchFactor(2, 4);
    // Proportional part sizes follow the panel's size until the user drags a handle.
    connect(m_split, &QSplitter::splitterMoved, this, [this] { m_splitUserSized = true; });
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 2, 4, 2);
    layout->setSpacing(2);
    layout->addLayout(bar);
    layout->addWidget(m_split, 1);

    connect(m_auto, &QCheckBox::toggled, this, [this](bool on) {
        if (on && m_stale)
            m_debounce->start();
        else if (!on)
            m_debounce->stop();
    });
    connect(m_run, &QPushButton::clicked, this, &PreviewPanel::runPreview);
    connect(m_cancel, &QPushButton::clicked, this, &PreviewPanel::cancelPreview);
    connect(m_changedHead, &QComboBox::currentIndexChanged, this, [this] { fillChangedList(); });
    connect(m_changed, &QListWidget::currentRowChanged, this, [this] { requestSample(); });

    if (m_project)
        connect(m_project, &studio::Project::planChanged, this, &PreviewPanel::onPlanChanged);
    if (m_eval) {
        connect(m_eval, &studio::EvalService::opened, this, &PreviewPanel::onOpened);
        connect(m_eval, &studio::EvalService::openFailed, this, [this](const QString &message) {
            m_result.reset();
            m_shownPlan.reset();
            showResult();
            setRunning(false);
            setStatus(tr("The validation data could not be opened: %1").arg(message), true);
        });
        connect(m_eval, &studio::EvalService::previewStarted, this, &PreviewPanel::onStarted);
        connect(m_eval, &studio::EvalService::previewProgress, this, &PreviewPanel::onProgress);
        connect(m_eval, &studio::EvalService::previewEstimate, this, &PreviewPanel::onEstimate);
        connect(m_eval, &studio::EvalService::previewFinished, this, &PreviewPanel::onFinished);
        connect(m_eval, &studio::EvalService::previewFailed, this, &PreviewPanel::onFailed);
        connect(m_eval, &studio::EvalService::previewCancelled, this, &PreviewPanel::onCancelled);
        connect(m_eval, &studio::EvalService::sampleReady, this, &PreviewPanel::onSample);
        connect(m_eval, &studio::EvalService::sampleFailed, this,
                [this](const QString &message) { m_sample->clear(message); });
    }
    retranslateUi();
    showResult();
    if (m_eval && m_eval->isOpen())
        onOpened();
    else
        setStatus(tr("Open a model and its validation data to preview the accuracy."));
}

PreviewPanel::~PreviewPanel()
{
    if (m_eval && m_running)
        m_eval->cancelPreview();
}

void PreviewPanel::retranslateUi()
{
    m_auto->setText(tr("Auto-preview"));
    m_auto->setToolTip(tr("Re-evaluate the model automatically a moment after each change to "
                          "the plan."));
    m_run->setText(tr("Run"));
    m_run->setToolTip(tr("Evaluate the float and the compressed model on the validation data "
                         "now."));
    m_cancel->setText(tr("Cancel"));
    m_cancel->setToolTip(tr("Stop the running evaluation; the figures shown stay as they were."));
    m_progress->setToolTip(tr("How much of the evaluation (calibration, float baseline, "
                              "compressed model) is done."));
    m_headsTitle->setText(QStringLiteral("<b>%1</b>").arg(tr("Accuracy per output")));
    m_heads->setHorizontalHeaderLabels({tr("Output"), tr("Metric"), tr("Float"),
                                        tr("Compressed"), tr("Change"), tr("Agreement"),
                                        tr("SQNR")});
    const QStringList tips = {
        tr("The model output (head) being scored."),
        tr("How the output is scored against the labels of the validation data."),
        tr("The score of the original float model on the same samples."),
        tr("The score of the model under the compression plan."),
        tr("Compressed minus float score, in percentage points (pp)."),
        tr("Share of predictions (arg-max) where the compressed model agrees with the float "
           "model."),
        tr("Signal-to-quantization-noise ratio of the output: how far the compressed model's "
           "raw outputs are from the float ones, in decibels (higher is closer)."),
    };
    for (int c = 0; c < tips.size(); ++c)
        m_heads->horizontalHeaderItem(c)->setToolTip(tips[c]);
    m_size->setToolTip(tr("Storage of the weights: float32 before, and after quantization and "
                          "pruning under the plan."));
    m_work->setToolTip(tr("Node executions this evaluation ran, against a full evaluation: "
                          "cached activations upstream of an edit are reused."));
    m_estimate->setToolTip(tr("The compressed score over the samples evaluated so far, with its "
                              "95 % confidence interval."));
    m_changedTitle->setText(QStringLiteral("<b>%1</b>").arg(tr("Changed predictions")));
    m_changedTitle->setToolTip(tr("Samples the compressed model predicts differently from the "
                                  "float model; select one to see it."));
    m_changedHead->setToolTip(tr("The output whose changed predictions are listed."));
    if (m_result)
        showResult();
}

void PreviewPanel::fitHeadsHeight()
{
    // Every row visible without a vertical scroll bar; room for the horizontal one when the
    // columns are wider than the table.
    int h = m_heads->horizontalHeader()->sizeHint().height() + m_heads->verticalHeader()->length()
            + 2 * m_heads->frameWidth();
    if (m_heads->horizontalHeader()->length() > m_heads->viewport()->width())
        h += m_heads->horizontalScrollBar()->sizeHint().height();
    m_heads->setFixedHeight(h);
}

void PreviewPanel::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    // After the layouts have given the table its new width.
    QTimer::singleShot(0, this, &PreviewPanel::fitHeadsHeight);
    const Qt::Orientation o = width() > height() * 3 / 2 ? Qt::Horizontal : Qt::Vertical;
    if (m_split->orientation() != o || !m_splitUserSized) {
        m_split->setOrientation(o);
        // Figures, estimate, changed predictions: the figures table needs the most room.
        if (o == Qt::Horizontal) {
            const int room = width();
            m_split->setSizes({room * 45 / 100, room * 21 / 100, room * 34 / 100});
        } else {
            // Stacked: the figures take what they need, the rest is shared.
            const int figures = std::min(m_split->widget(0)->sizeHint().height(), height() / 2);
            const int rest = std::max(0, height() - figures);
            m_split->setSizes({figures, rest * 2 / 5, rest * 3 / 5});
        }
    }
}

void PreviewPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void PreviewPanel::setStatus(const QString &text, bool error)
{
    m_status->setText(text);
    m_status->setToolTip(text);
    m_status->setStyleSheet(error ? QStringLiteral("color: #c0392b;") : QString());
}

void PreviewPanel::setAutoPreview(bool on)
{
    m_auto->setChecked(on);
}

bool PreviewPanel::autoPreview() const
{
    return m_auto->isChecked();
}

void PreviewPanel::setRunning(bool running)
{
    m_running = running;
    m_cancel->setEnabled(running);
    if (!running)
        m_progress->setValue(m_progress->minimum());
}

void PreviewPanel::runPreview()
{
    m_debounce->stop();
    if (!m_eval || !m_project || m_eval->dataPath().isEmpty()) {
        setStatus(tr("Open a model and its validation data to preview the accuracy."));
        return;
    }
    m_requested = m_project->plan();
    setRunning(true);
    m_progress->setValue(0);
    m_plot->clear(tr("Waiting for the first batch…"));
    m_estimate->clear();
    setStatus(tr("Evaluating…"));
    m_eval->preview(m_requested);
}

void PreviewPanel::cancelPreview()
{
    m_debounce->stop();
    if (m_eval)
        m_eval->cancelPreview();
}

void PreviewPanel::onPlanChanged()
{
    m_stale = !m_shownPlan || !m_project || !(*m_shownPlan == m_project->plan());
    if (m_result && m_stale)
        setStatus(m_auto->isChecked() ? tr("The plan changed: updating…")
                                      : tr("The plan changed: press Run to update the figures."));
    if (m_auto->isChecked() && m_eval && !m_eval->dataPath().isEmpty())
        m_debounce->start();  // restarts: a burst of edits gives one evaluation
}

void PreviewPanel::onOpened()
{
    m_result.reset();
    m_shownPlan.reset();
    m_stale = true;
    showResult();
    m_plot->clear(tr("The estimate appears as batches are evaluated"));
    setStatus(m_auto->isChecked() ? tr("Validation data opened: evaluating…")
                                  : tr("Validation data opened: press Run to evaluate."));
    if (m_auto->isChecked())
        m_debounce->start();
}

void PreviewPanel::onStarted()
{
    setRunning(true);
    setStatus(tr("Evaluating…"));
}

void PreviewPanel::onProgress(qint64 done, qint64 total)
{
    if (total > 0)
        m_progress->setValue(static_cast<int>(done * 1000 / total));
}

void PreviewPanel::onEstimate(const Estimate &e)
{
    m_plot->addEstimate(e);
    const QLocale l;
    m_estimate->setText(tr("%1: %2 (95 % interval %3–%4), %5 of %6 samples")
                            .arg(QString::fromStdString(e.output), percent(e.value),
                                 percent(e.low), percent(e.high),
                                 l.toString(static_cast<qlonglong>(e.done)),
                                 l.toString(static_cast<qlonglong>(e.total))));
    if (m_result) {
        for (const HeadResult &h : m_result->heads)
            if (h.output == e.output && h.hasLabels)
                m_plot->setBaseline(h.baseline);
    }
}

void PreviewPanel::onFinished(const EvalResult &r)
{
    m_result = r;
    m_shownPlan = m_requested;
    m_stale = !m_project || !(m_requested == m_project->plan());
    setRunning(false);
    showResult();
    setStatus(m_stale ? tr("The plan changed meanwhile: updating…")
                      : tr("Evaluated %n sample(s) in %1 s.", nullptr, int(r.samples))
                            .arg(QLocale().toString(r.seconds, 'f', 2)));
    emit previewShown();
}

void PreviewPanel::onFailed(const QString &message)
{
    setRunning(false);
    setStatus(tr("The preview failed: %1").arg(message), true);
}

void PreviewPanel::onCancelled()
{
    setRunning(false);
    setStatus(m_result ? tr("Preview cancelled: the figures shown are from the previous run.")
                       : tr("Preview cancelled."));
}

void PreviewPanel::showResult()
{
    m_heads->setRowCount(0);
    const QString previous = m_changedHead->currentData().toString();
    m_changedHead->blockSignals(true);
    m_changedHead->clear();
    if (!m_result) {
        m_size->setText(tr("Model size: —"));
        m_work->clear();
        m_changedHead->blockSignals(false);
        m_changedHead->setVisible(false);
        fillChangedList();
        return;
    }
    const EvalResult &r = *m_result;
    const QLocale l;
    for (const HeadResult &h : r.heads) {
        const int row = m_heads->rowCount();
        m_heads->insertRow(row);
        auto set = [&](int col, const QString &text, const QString &tip = {}) {
            auto *item = new QTableWidgetItem(text);
            if (col >= 2)
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            if (!tip.isEmpty())
                item->setToolTip(tip);
            m_heads->setItem(row, col, item);
            return item;
        };
        set(0, QString::fromStdString(h.output));
        set(1, metricName(h.metric));
        set(2, h.hasLabels ? percent(h.baseline) : QStringLiteral("—"),
            h.hasLabels ? QString() : tr("No labels for this output: only agreement is measured."));
        set(3, percent(h.compressed));
        auto *delta = set(4, (h.deltaPp >= 0 ? QStringLiteral("+") : QString())
                                 + l.toString(h.deltaPp, 'f', 2) + QStringLiteral(" pp"));
        delta->setBackground(deltaColour(h.deltaPp));
        set(5, percent(h.agreement));
        set(6, decibels(h.sqnrDb));
        // The output name is the item's data: its text also gives the head's count.
        m_changedHead->addItem(QStringLiteral("%1 (%2)").arg(
                                   QString::fromStdString(h.output),
                                   l.toString(static_cast<qlonglong>(h.changedSamples.size()))),
                               QString::fromStdString(h.output));
    }
    m_heads->resizeColumnsToContents();
    fitHeadsHeight();

    const SizeEstimate &s = r.size;
    m_size->setText(tr("Model size: float %1 → compressed %2, %3× smaller")
                        .arg(bytes(s.floatBytes), bytes(s.compressedBytes),
                             l.toString(s.ratio(), 'f', 2)));
    const double share = r.nodesFull > 0 ? 100.0 * double(r.nodesRun) / double(r.nodesFull) : 0;
    QString work = tr("Recomputed %1 of %2 node runs (%3 %) in %4 s")
                       .arg(l.toString(static_cast<qlonglong>(r.nodesRun)),
                            l.toString(static_cast<qlonglong>(r.nodesFull)),
                            l.toString(share, 'f', 0), l.toString(r.seconds, 'f', 2));
    if (!r.calibrated.empty())
        work += tr("; %n activation range(s) calibrated", nullptr, int(r.calibrated.size()));
    m_work->setText(work);

    m_changedHead->setVisible(r.heads.size() > 1);
    const int keep = m_changedHead->findData(previous);
    m_changedHead->setCurrentIndex(keep >= 0 ? keep : 0);
    m_changedHead->blockSignals(false);
    fillChangedList();
    for (const HeadResult &h : r.heads)
        if (h.hasLabels) {
            m_plot->setBaseline(h.baseline);
            break;
        }
}

void PreviewPanel::fillChangedList()
{
    const qint64 selected = m_sampleWanted;
    m_changed->blockSignals(true);
    m_changed->clear();
    int head = m_changedHead->currentIndex();
    const HeadResult *h = m_result && head >= 0 && head < int(m_result->heads.size())
                              ? &m_result->heads[std::size_t(head)]
                              : nullptr;
    int reselect = -1;
    if (h) {
        const QLocale l;
        for (std::size_t i = 0; i < h->changedSamples.size() && i < kMaxListed; ++i) {
            const int64_t idx = h->changedSamples[i];
            auto *item = new QListWidgetItem(tr("Sample %1").arg(idx));
            item->setData(Qt::UserRole, qlonglong(idx));
            m_changed->addItem(item);
            if (idx == selected)
                reselect = m_changed->count() - 1;
        }
        const auto count = static_cast<qlonglong>(h->changedSamples.size());
        m_changedTitle->setText(
            QStringLiteral("<b>%1</b>")
                .arg(count > kMaxListed
                         ? tr("Changed predictions (%1, the first %2 listed)")
                               .arg(l.toString(count), l.toString(kMaxListed))
                         : tr("Changed predictions (%1)").arg(l.toString(count))));
    } else {
        m_changedTitle->setText(QStringLiteral("<b>%1</b>").arg(tr("Changed predictions")));
    }
    m_changed->blockSignals(false);
    if (reselect >= 0) {
        m_changed->setCurrentRow(reselect);  // same sample, new plan: show it again
    } else {
        m_sampleWanted = -1;
        m_sample->clear(h && h->changedSamples.empty()
                            ? tr("No prediction changed.")
                            : tr("Select a changed prediction to see its sample."));
    }
}

void PreviewPanel::selectChangedSample(int row)
{
    m_changed->setCurrentRow(row);
}

void PreviewPanel::requestSample()
{
    QListWidgetItem *item = m_changed->currentItem();
    if (!item || !m_eval || !m_shownPlan)
        return;
    m_sampleWanted = item->data(Qt::UserRole).toLongLong();
    m_sample->clear(tr("Reading sample %1…").arg(m_sampleWanted));
    m_eval->previewSample(*m_shownPlan, m_sampleWanted);
}

void PreviewPanel::onSample(const studio::SamplePreview &s)
{
    if (s.index != m_sampleWanted)
        return;
    m_sample->setSample(s);
    emit sampleShown(s.index);
}

} // namespace nnc
