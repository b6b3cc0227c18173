// PreviewPanel: the accuracy preview dock (see preview_panel.h).
#include "widgets/preview_panel.h"

#include "app/studio/eval_service.h"
#include "app/studio/project.h"
#include "widgets/metric_name.h"
#include "widgets/sample_view.h"

#include <qcustomplot.h>

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QMenu>
#include <QPainter>
#include <QStyledItemDelegate>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QProgressBar>
#include <QResizeEvent>
#include <QScrollArea>
#include <QScrollBar>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
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
        .arg(l.formattedDataSize(n, 1, QLocale::DataSizeSIFormat),
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

QString signedPp(double pp)
{
    // A typographic minus, as the verdicts are read rather than parsed.
    const QString digits = QLocale().toString(std::abs(pp), 'f', 2);
    if (digits == QLocale().toString(0.0, 'f', 2))
        return digits;
    return (pp < 0 ? QStringLiteral("−") : QStringLiteral("+")) + digits;
}

QString ppNumber(double pp)
{
    if (!std::isfinite(pp))
        return QStringLiteral("–"); // a head without a finite figure (NaN outputs)
    return QLocale().toString(pp, 'f', 2);
}

const QColor kPassColour(40, 150, 70);
const QColor kFailColour(200, 50, 40);

/// A small round verdict icon: a tick on green or a cross on red (drawn, so it looks the same
/// under every style and platform theme).
QIcon verdictIcon(bool pass)
{
    const int size = 32;
    QPixmap pm(size, size);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(Qt::NoPen);
    p.setBrush(pass ? kPassColour : kFailColour);
    p.drawEllipse(QRectF(1, 1, size - 2, size - 2));
    p.setPen(QPen(Qt::white, 4, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    if (pass) {
        p.drawPolyline(QPolygonF({QPointF(9, 17), QPointF(14, 22), QPointF(23, 11)}));
    } else {
        p.drawLine(QPointF(11, 11), QPointF(21, 21));
        p.drawLine(QPointF(21, 11), QPointF(11, 21));
    }
    return QIcon(pm);
}

/// Edits a Budget cell: a spin box in pp whose lowest position means "no budget of its own".
class BudgetDelegate final : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    QWidget *createEditor(QWidget *parent, const QStyleOptionViewItem &,
                          const QModelIndex &) const override
    {
        auto *spin = new QDoubleSpinBox(parent);
        spin->setRange(-0.1, 100.0);
        spin->setDecimals(2);
        spin->setSingleStep(0.1);
        spin->setSuffix(QObject::tr(" pp"));
        spin->setSpecialValueText(QObject::tr("default"));
        spin->setToolTip(QObject::tr("The largest drop this head may have, in percentage "
                                     "points. The lowest position, \"default\", removes the "
                                     "head's own budget so the default for every head applies."));
        return spin;
    }

    void setEditorData(QWidget *editor, const QModelIndex &index) const override
    {
        const QVariant v = index.data(PreviewPanel::BudgetRole);
        static_cast<QDoubleSpinBox *>(editor)->setValue(v.isValid() ? v.toDouble() : -0.1);
    }

    void setModelData(QWidget *editor, QAbstractItemModel *model,
                      const QModelIndex &index) const override
    {
        auto *spin = static_cast<QDoubleSpinBox *>(editor);
        spin->interpretText();
        const double v = spin->value();
        // Opening and closing the editor must not change a budget the spin box can only show
        // rounded (0.125 shows as 0.13): nothing is written unless the text changed.
        const QVariant stored = index.data(PreviewPanel::BudgetRole);
        if (spin->textFromValue(v) == spin->textFromValue(stored.isValid() ? stored.toDouble() : -0.1))
            return;
        model->setData(index, v < 0 ? QVariant() : QVariant(v), PreviewPanel::BudgetRole);
    }
};

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

void EstimatePlot::resizeEvent(QResizeEvent *event)
{
    PlotWidget::resizeEvent(event);
    fitTickCount();
}

void EstimatePlot::fitTickCount()
{
    QCustomPlot *p = plot();
    // A label such as "10000" needs about 45 px with its gap; QCustomPlot treats the count as a
    // target and rounds to tidy steps.
    const int count = std::clamp((width() - 60) / 70, 2, 6); // 60 px: the value axis
    if (p->xAxis->ticker()->tickCount() != count) {
        p->xAxis->ticker()->setTickCount(count);
        p->replot(QCustomPlot::rpQueuedReplot);
    }
}

void EstimatePlot::resetView()
{
    QCustomPlot *p = plot();
    fitTickCount();
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
    m_heads = new QTableWidget(0, ColumnCount, this);
    m_heads->verticalHeader()->hide();
    // Only Budget cells are editable (their item flags); double-click or F2 opens the editor.
    m_heads->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed);
    m_heads->setItemDelegateForColumn(ColBudget, new BudgetDelegate(m_heads));
    m_heads->setContextMenuPolicy(Qt::CustomContextMenu);
    m_heads->setSelectionMode(QAbstractItemView::NoSelection);
    m_defaultBudgetOn = new QCheckBox(this);
    m_defaultBudget = new QDoubleSpinBox(this);
    m_defaultBudget->setRange(0.0, 100.0);
    m_defaultBudget->setDecimals(2);
    m_defaultBudget->setSingleStep(0.1);
    m_defaultBudget->setValue(1.0);
    m_defaultBudget->setEnabled(false);
    // One undo step per finished edit (Enter, focus out, an arrow step), not per keystroke.
    m_defaultBudget->setKeyboardTracking(false);
    m_budgetSummary = new QLabel(this);
    m_budgetSummary->setWordWrap(true);
    m_budgetSummary->setTextFormat(Qt::RichText);
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
    auto *budgetRow = new QHBoxLayout;
    budgetRow->addWidget(m_defaultBudgetOn);
    budgetRow->addWidget(m_defaultBudget);
    budgetRow->addStretch(1);
    figuresLayout->addLayout(budgetRow);
    figuresLayout->addWidget(m_heads);
    figuresLayout->addWidget(m_budgetSummary);
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

    // The figures scroll when the dock is shorter than they are (two heads, a budget line and
    // the size lines at 1280x800) instead of being drawn over each other.
    auto *figuresScroll = new QScrollArea(this);
    figuresScroll->setObjectName(QStringLiteral("previewFiguresScroll"));
    figuresScroll->setFrameShape(QFrame::NoFrame);
    figuresScroll->setWidgetResizable(true);
    figuresScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    figuresScroll->setWidget(figures);

    m_split = new QSplitter(Qt::Vertical, this);
    m_split->addWidget(figuresScroll);
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

    connect(m_defaultBudgetOn, &QCheckBox::toggled, this, [this](bool on) {
        m_defaultBudget->setEnabled(on);
        if (!m_fillingHeads)
            setBudget({}, on ? std::optional<double>(m_defaultBudget->value()) : std::nullopt);
    });
    connect(m_defaultBudget, &QDoubleSpinBox::valueChanged, this, [this](double v) {
        if (!m_fillingHeads && m_defaultBudgetOn->isChecked())
            setBudget({}, v);
    });
    connect(m_heads, &QTableWidget::itemChanged, this, &PreviewPanel::onHeadItemChanged);
    connect(m_heads, &QTableWidget::customContextMenuRequested, this, &PreviewPanel::showHeadMenu);
    connect(m_budgetSummary, &QLabel::linkActivated, this, [this](const QString &link) {
        if (link != QLatin1String("remove-unknown") || !m_project)
            return;
        std::vector<HeadBudget> keep;
        for (const HeadBudget &b : m_project->budgets())
            if (std::ranges::find(m_judgement.unknownOutputs, b.output) ==
                m_judgement.unknownOutputs.end())
                keep.push_back(b);
        if (auto r = m_project->setBudgets(keep, tr("Remove budgets of missing outputs")); !r)
            setStatus(QString::fromStdString(r.error().message), true);
    });

    if (m_project) {
        connect(m_project, &studio::Project::planChanged, this, &PreviewPanel::onPlanChanged);
        connect(m_project, &studio::Project::budgetsChanged, this,
                &PreviewPanel::onBudgetsChanged);
    }
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
                                        tr("Compressed"), tr("Change"), tr("Budget"),
                                        tr("Verdict"), tr("Agreement"), tr("SQNR")});
    const QStringList tips = {
        tr("The model output (head) being scored."),
        tr("How the output is scored against the labels of the validation data."),
        tr("The score of the original float model on the same samples."),
        tr("The score of the model under the compression plan."),
        tr("Compressed minus float score, in percentage points (pp)."),
        tr("The largest drop the plan may cost this head, in pp: its own budget, or the "
           "default for every head (shown as \"default\"). Double-click to edit; right-click "
           "for more."),
        tr("Whether the head's drop stays within its budget, judged as `nncompress eval "
           "--budget` judges it."),
        tr("Share of predictions (arg-max) where the compressed model agrees with the float "
           "model."),
        tr("Signal-to-quantization-noise ratio of the output: how far the compressed model's "
           "raw outputs are from the float ones, in decibels (higher is closer)."),
    };
    for (int c = 0; c < tips.size(); ++c)
        m_heads->horizontalHeaderItem(c)->setToolTip(tips[c]);
    m_defaultBudgetOn->setText(tr("Budget for every head:"));
    m_defaultBudgetOn->setToolTip(tr("The largest accuracy drop, in percentage points, that the "
                                     "plan may cost each output head without a budget of its "
                                     "own. Saved with the project."));
    m_defaultBudget->setSuffix(tr(" pp"));
    m_defaultBudget->setToolTip(m_defaultBudgetOn->toolTip());
    m_budgetSummary->setToolTip(tr("Give a head its own budget by double-clicking its Budget "
                                   "cell."));
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
    else
        showBudgets();
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
    // The figures grew or shrank (rows, budget summary): give them their room again unless the
    // user sized the parts.
    if (!m_splitUserSized && m_split->orientation() == Qt::Vertical)
        layoutSplit();
}

void PreviewPanel::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    // After the layouts have given the table its new width.
    QTimer::singleShot(0, this, &PreviewPanel::fitHeadsHeight);
    layoutSplit();
}

void PreviewPanel::layoutSplit()
{
    const Qt::Orientation o = width() > height() * 3 / 2 ? Qt::Horizontal : Qt::Vertical;
    if (m_split->orientation() != o || !m_splitUserSized) {
        m_split->setOrientation(o);
        // Figures, estimate, changed predictions: the figures table needs the most room.
        if (o == Qt::Horizontal) {
            const int room = width();
            m_split->setSizes({room * 50 / 100, room * 19 / 100, room * 31 / 100});
        } else {
            // Stacked: the figures take what they need, the rest is shared.
            const auto *scroll = static_cast<const QScrollArea *>(m_split->widget(0));
            const int figures = std::min(scroll->widget()->sizeHint().height(), height() / 2);
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
    if (m_result)
        showBudgets();  // the verdicts now belong to an older plan: say so
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
    m_fillingHeads = true;
    m_heads->setRowCount(0);
    m_fillingHeads = false;
    const QString previous = m_changedHead->currentData().toString();
    m_changedHead->blockSignals(true);
    m_changedHead->clear();
    if (!m_result) {
        m_size->setText(tr("Model size: —"));
        m_work->clear();
        m_changedHead->blockSignals(false);
        m_changedHead->setVisible(false);
        fillChangedList();
        showBudgets();
        return;
    }
    const EvalResult &r = *m_result;
    const QLocale l;
    m_fillingHeads = true;
    for (const HeadResult &h : r.heads) {
        const int row = m_heads->rowCount();
        m_heads->insertRow(row);
        auto set = [&](int col, const QString &text, const QString &tip = {}) {
            auto *item = new QTableWidgetItem(text);
            item->setFlags(item->flags() & ~Qt::ItemIsEditable);
            if (col >= ColFloat && col != ColVerdict)
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            if (!tip.isEmpty())
                item->setToolTip(tip);
            m_heads->setItem(row, col, item);
            return item;
        };
        set(ColOutput, QString::fromStdString(h.output));
        set(ColMetric, metricDisplayName(h.metric));
        set(ColFloat, h.hasLabels ? percent(h.baseline) : QStringLiteral("—"),
            h.hasLabels ? QString() : tr("No labels for this output: only agreement is measured."));
        set(ColCompressed, percent(h.compressed));
        auto *delta = set(ColChange, (h.deltaPp >= 0 ? QStringLiteral("+") : QString())
                                 + l.toString(h.deltaPp, 'f', 2) + QStringLiteral(" pp"));
        delta->setBackground(deltaColour(h.deltaPp));
        set(ColBudget, {})->setFlags(Qt::ItemIsEnabled | Qt::ItemIsEditable);
        set(ColVerdict, {});
        set(ColAgreement, percent(h.agreement));
        set(ColSqnr, decibels(h.sqnrDb));
        // The output name is the item's data: its text also gives the head's count.
        m_changedHead->addItem(QStringLiteral("%1 (%2)").arg(
                                   QString::fromStdString(h.output),
                                   l.toString(static_cast<qlonglong>(h.changedSamples.size()))),
                               QString::fromStdString(h.output));
    }
    m_fillingHeads = false;
    showBudgets();

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

void PreviewPanel::onBudgetsChanged()
{
    // Budgets change the verdicts, never the figures: no new evaluation.
    showBudgets();
}

void PreviewPanel::showBudgets()
{
    m_fillingHeads = true;
    const std::vector<HeadBudget> none;
    const std::vector<HeadBudget> &budgets = m_project ? m_project->budgets() : none;
    const std::optional<double> fallback = m_project ? m_project->ownBudget({}) : std::nullopt;
    m_defaultBudgetOn->setChecked(fallback.has_value());
    m_defaultBudget->setEnabled(fallback.has_value());
    if (fallback)
        m_defaultBudget->setValue(*fallback);

    m_judgement = m_result ? studio::judgeProjectBudgets(budgets, *m_result)
                           : studio::BudgetJudgement{};
    int over = 0;
    for (int row = 0; m_result && row < m_heads->rowCount(); ++row) {
        const HeadResult &h = m_result->heads[std::size_t(row)];
        const QString head = QString::fromStdString(h.output);
        QTableWidgetItem *budget = m_heads->item(row, ColBudget);
        QTableWidgetItem *verdict = m_heads->item(row, ColVerdict);
        if (!budget || !verdict)
            continue;
        const std::optional<double> own = m_project ? m_project->ownBudget(h.output) : std::nullopt;
        budget->setData(BudgetRole, own ? QVariant(*own) : QVariant());
        QFont font = budget->font();
        font.setItalic(!own);
        budget->setFont(font);
        budget->setForeground(own ? QBrush() : QBrush(QColor(128, 128, 128)));
        if (own) {
            budget->setText(tr("%1 pp").arg(ppNumber(*own)));
            budget->setToolTip(tr("%1 may lose at most %2 pp. Double-click to change it; "
                                  "right-click to use the default instead.")
                                   .arg(head, ppNumber(*own)));
        } else if (fallback) {
            budget->setText(tr("%1 pp (default)").arg(ppNumber(*fallback)));
            budget->setToolTip(tr("The default budget for every head applies. Double-click to "
                                  "give %1 a budget of its own.").arg(head));
        } else {
            budget->setText(QStringLiteral("—"));
            budget->setToolTip(tr("No budget. Double-click to give %1 one, or set a budget for "
                                  "every head above the table.").arg(head));
        }

        const BudgetVerdict *v = nullptr;
        for (const BudgetVerdict &candidate : m_judgement.verdicts)
            if (candidate.output == h.output)
                v = &candidate;
        // The verdict's icon also beside the head's name, in sight when the table is scrolled.
        if (QTableWidgetItem *name = m_heads->item(row, ColOutput)) {
            name->setIcon(v ? verdictIcon(v->pass) : QIcon());
            name->setToolTip(v ? (v->pass ? tr("%1: within budget").arg(head)
                                          : tr("%1: over budget").arg(head))
                               : QString());
        }
        if (!v) {
            verdict->setText(tr("no budget"));
            verdict->setIcon({});
            verdict->setBackground(QBrush());
            verdict->setForeground(QBrush(QColor(128, 128, 128)));
            verdict->setToolTip(tr("Set a budget to judge this head."));
            continue;
        }
        verdict->setForeground(QBrush());
        verdict->setIcon(verdictIcon(v->pass));
        const QColor c = v->pass ? kPassColour : kFailColour;
        verdict->setBackground(QColor(c.red(), c.green(), c.blue(), 60));
        const QString metric = metricDisplayName(h.metric);
        if (v->pass) {
            verdict->setText(tr("within budget (%1 of %2 pp)")
                                 .arg(signedPp(h.deltaPp), ppNumber(v->maxDropPp)));
            verdict->setToolTip(v->dropPp > 0
                                    ? tr("%1 loses %2 pp of %3; its budget allows %4 pp.")
                                          .arg(head, ppNumber(v->dropPp), metric,
                                               ppNumber(v->maxDropPp))
                                    : tr("%1 loses no %2 (change %3 pp); its budget allows "
                                         "%4 pp.")
                                          .arg(head, metric, signedPp(h.deltaPp),
                                               ppNumber(v->maxDropPp)));
        } else {
            ++over;
            const double excess = v->dropPp - v->maxDropPp;
            // Never "over by 0.00": show enough digits to see the excess.
            const QString by = std::isfinite(excess) && excess < 0.005
                                   ? QLocale().toString(excess, 'g', 2)
                                              : ppNumber(excess);
            verdict->setText(tr("over budget by %1 pp").arg(by));
            verdict->setToolTip(tr("%1 loses %2 pp of %3, more than its budget of %4 pp.")
                                    .arg(head, ppNumber(v->dropPp), metric,
                                         ppNumber(v->maxDropPp)));
        }
    }
    m_fillingHeads = false;

    QStringList lines;
    if (m_result && !m_judgement.verdicts.empty()) {
        const int judged = int(m_judgement.verdicts.size());
        if (over == 0)
            lines << QStringLiteral("<span style=\"color:%1\">✔ %2</span>")
                         .arg(kPassColour.name(),
                              tr("Heads within budget: %1 of %2.").arg(judged).arg(judged));
        else
            lines << QStringLiteral("<span style=\"color:%1\">✘ %2</span>")
                         .arg(kFailColour.name(),
                              tr("Heads over budget: %1 of %2.").arg(over).arg(judged));
        if (m_stale)
            lines << tr("(judged on the figures shown, which are being updated)");
    } else if (m_result && budgets.empty()) {
        lines << tr("No accuracy budgets: set one for every head above, or double-click a "
                    "head's Budget cell.");
    }
    if (!m_judgement.unknownOutputs.empty()) {
        QStringList names;
        for (const std::string &o : m_judgement.unknownOutputs)
            names << QStringLiteral("“%1”").arg(QString::fromStdString(o).toHtmlEscaped());
        lines << QStringLiteral("<span style=\"color:%1\">%2</span> <a href=\"remove-unknown\">%3</a>")
                     .arg(kFailColour.name(),
                          tr("Budgets ignored: this model has no output named %1.")
                              .arg(names.join(QStringLiteral(", "))),
                          tr("Remove"));
    }
    // One line for the status bar, so the verdict stays in sight with the dock closed.
    QString line, tip;
    if (m_result && !m_judgement.verdicts.empty()) {
        QStringList overHeads, tips;
        for (const BudgetVerdict &v : m_judgement.verdicts) {
            const QString head = QString::fromStdString(v.output);
            if (!v.pass)
                overHeads << head.toHtmlEscaped();
            tips << (v.pass ? tr("%1: within budget (drop %2 of %3 pp)")
                            : tr("%1: over budget (drop %2 of %3 pp)"))
                        .arg(head, ppNumber(v.dropPp), ppNumber(v.maxDropPp));
        }
        line = overHeads.isEmpty()
                   ? QStringLiteral("<span style=\"color:%1\">✔ %2</span>")
                         .arg(kPassColour.name(), tr("Within budget"))
                   : QStringLiteral("<span style=\"color:%1\">✘ %2</span>")
                         .arg(kFailColour.name(),
                              tr("Over budget: %1").arg(overHeads.join(QStringLiteral(", "))));
        if (m_stale)
            line += QStringLiteral(" ") + tr("(updating)");
        tip = tips.join(QLatin1Char('\n'));
    }
    if (line != m_verdictLine || tip != m_verdictTip) {
        m_verdictLine = line;
        m_verdictTip = tip;
        emit budgetVerdictChanged(line, tip);
    }
    m_budgetSummary->setText(lines.join(QStringLiteral("<br>")));
    m_budgetSummary->setVisible(!lines.isEmpty());
    m_heads->resizeColumnsToContents();
    fitHeadsHeight();
}

void PreviewPanel::setBudget(const std::string &output, std::optional<double> pp)
{
    if (!m_project)
        return;
    if (auto r = m_project->setBudget(output, pp); !r)
        setStatus(QString::fromStdString(r.error().message), true);
}

void PreviewPanel::onHeadItemChanged(QTableWidgetItem *item)
{
    if (m_fillingHeads || !item || item->column() != ColBudget || !m_result)
        return;
    const int row = item->row();
    if (row < 0 || row >= int(m_result->heads.size()))
        return;
    const QVariant v = item->data(BudgetRole);
    const std::string output = m_result->heads[std::size_t(row)].output;
    // Deferred: the edit arrives from inside the delegate, and the project's change rebuilds
    // the cells.
    QMetaObject::invokeMethod(this, [this, output, v] {
        setBudget(output, v.isValid() ? std::optional<double>(v.toDouble()) : std::nullopt);
        showBudgets();  // also when nothing changed: the cell shows the project's value again
    }, Qt::QueuedConnection);
}

void PreviewPanel::showHeadMenu(const QPoint &pos)
{
    QTableWidgetItem *item = m_heads->itemAt(pos);
    if (!item || !m_result || !m_project)
        return;
    const int row = item->row();
    if (row < 0 || row >= int(m_result->heads.size()))
        return;
    const std::string output = m_result->heads[std::size_t(row)].output;
    const QString head = QString::fromStdString(output);
    QMenu menu(this);
    menu.addAction(tr("Set the budget of %1…").arg(head), this, [this, row] {
        if (QTableWidgetItem *b = m_heads->item(row, ColBudget))
            m_heads->editItem(b);
    });
    QAction *useDefault = menu.addAction(tr("Use the default budget for %1").arg(head), this,
                                         [this, output] { setBudget(output, std::nullopt); });
    useDefault->setEnabled(m_project->ownBudget(output).has_value());
    const std::optional<double> own = m_project->ownBudget(output);
    QAction *asDefault = menu.addAction(tr("Make %1's budget the default for every head").arg(head),
                                        this, [this, own] { setBudget({}, own); });
    asDefault->setEnabled(own.has_value());
    menu.exec(m_heads->viewport()->mapToGlobal(pos));
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
