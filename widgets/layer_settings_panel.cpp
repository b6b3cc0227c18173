// LayerSettingsPanel: form controls bound to the plan through undoable Project edits.
#include "widgets/layer_settings_panel.h"

#include "app/studio/project.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QSignalBlocker>
#include <QSlider>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace nnc {

namespace {

// Merge ids: the steps of one slider or spin-box gesture collapse into one undo step.
constexpr int kMergePruneRatio = 101;
constexpr int kMergeWeightRange = 102;
constexpr int kMergeActRange = 103;

const CalibMethod kMethods[] = {CalibMethod::MinMax, CalibMethod::Percentile,
                                CalibMethod::Entropy, CalibMethod::Mse};
const IntRange kRanges[] = {IntRange::Signed, IntRange::Unsigned, IntRange::SignedRestricted};
const PruneStructure kStructures[] = {PruneStructure::Unstructured, PruneStructure::Channel,
                                      PruneStructure::NM};

template<class T, std::size_t N>
int indexOf(const T (&values)[N], T v)
{
    for (std::size_t i = 0; i < N; ++i)
        if (values[i] == v)
            return static_cast<int>(i);
    return 0;
}

QDoubleSpinBox *rangeBox(QWidget *parent)
{
    auto *box = new QDoubleSpinBox(parent);
    box->setDecimals(6);
    box->setRange(-1e6, 1e6);
    box->setSingleStep(0.01);
    box->setKeyboardTracking(false);
    return box;
}

} // namespace

LayerSettingsPanel::LayerSettingsPanel(studio::Project *project, studio::EvalService *,
                                       QWidget *parent)
    : QWidget(parent), m_project(project)
{
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    outer->addWidget(scroll);
    auto *content = new QWidget(scroll);
    scroll->setWidget(content);
    auto *layout = new QVBoxLayout(content);
    layout->setContentsMargins(6, 6, 6, 6);

    m_title = new QLabel(content);
    m_title->setObjectName(QStringLiteral("settingsTitle"));
    m_title->setWordWrap(true);
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_scope = new QComboBox(content);
    m_scope->setObjectName(QStringLiteral("settingsScope"));
    m_scope->addItem(QString());
    m_scope->addItem(QString());
    connect(m_scope, &QComboBox::currentIndexChanged, this, [this] { refresh(); });
    layout->addWidget(m_scope);
    layout->addWidget(m_title);

    m_w = buildQuant(content, true);
    m_a = buildQuant(content, false);
    layout->addWidget(m_w.group);
    layout->addWidget(m_a.group);

    m_prune = new QGroupBox(content);
    m_prune->setObjectName(QStringLiteral("pruneGroup"));
    auto *pf = new QFormLayout(m_prune);
    pf->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_ratioLabel = new QLabel(m_prune);
    auto *ratioRow = new QHBoxLayout;
    m_pruneSlider = new QSlider(Qt::Horizontal, m_prune);
    m_pruneSlider->setObjectName(QStringLiteral("pruneSlider"));
    m_pruneSlider->setRange(0, 95);
    m_pruneSlider->setPageStep(10);
    m_pruneValue = new QLabel(m_prune);
    m_pruneValue->setMinimumWidth(m_pruneValue->fontMetrics().horizontalAdvance(QStringLiteral("100 %")));
    m_pruneValue->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    ratioRow->addWidget(m_pruneSlider, 1);
    ratioRow->addWidget(m_pruneValue);
    pf->addRow(m_ratioLabel, ratioRow);
    m_structureLabel = new QLabel(m_prune);
    m_structure = new QComboBox(m_prune);
    m_structure->setObjectName(QStringLiteral("pruneStructure"));
    for (int i = 0; i < 3; ++i)
        m_structure->addItem(QString());
    pf->addRow(m_structureLabel, m_structure);
    m_nmLabel = new QLabel(m_prune);
    auto *nmRow = new QHBoxLayout;
    m_n = new QSpinBox(m_prune);
    m_n->setRange(1, 16);
    m_m = new QSpinBox(m_prune);
    m_m->setRange(1, 16);
    nmRow->addWidget(m_n);
    nmRow->addWidget(new QLabel(QStringLiteral(":"), m_prune));
    nmRow->addWidget(m_m);
    nmRow->addStretch(1);
    pf->addRow(m_nmLabel, nmRow);
    layout->addWidget(m_prune);

    m_reset = new QPushButton(content);
    m_reset->setObjectName(QStringLiteral("resetLayer"));
    layout->addWidget(m_reset);
    layout->addStretch(1);

    connectQuant(m_w, true);
    connectQuant(m_a, false);

    connect(m_pruneSlider, &QSlider::valueChanged, this, [this](int v) {
        m_pruneValue->setText(QStringLiteral("%1 %").arg(v));
        if (m_refreshing)
            return;
        const double ratio = v / 100.0;
        editPruning(tr("Set pruning ratio to %1 %").arg(v),
                    [ratio](PruneOverride &o) { o.ratio = ratio; },
                    [ratio](PruneConfig &c) { c.spec.ratio = ratio; }, kMergePruneRatio);
    });
    connect(m_pruneSlider, &QSlider::sliderReleased, this, [this] { m_project->endMerge(); });
    connect(m_structure, &QComboBox::currentIndexChanged, this, [this](int i) {
        if (m_refreshing || i < 0)
            return;
        const PruneStructure s = kStructures[i];
        editPruning(tr("Set pruning structure to %1").arg(m_structure->itemText(i)),
                    [s](PruneOverride &o) { o.structure = s; },
                    [s](PruneConfig &c) { c.spec.structure = s; });
    });
    for (QSpinBox *box : {m_n, m_m}) {
        connect(box, &QSpinBox::valueChanged, this, [this] {
            if (m_refreshing)
                return;
            const int n = std::min(m_n->value(), m_m->value()), m = m_m->value();
            editPruning(tr("Set N:M pruning to %1:%2").arg(n).arg(m),
                        [n, m](PruneOverride &o) { o.n = n; o.m = m; },
                        [n, m](PruneConfig &c) { c.spec.n = n; c.spec.m = m; });
        });
    }
    connect(m_reset, &QPushButton::clicked, this, [this] {
        if (editsDefaults()) {
            const CompressionPlan fresh = CompressionPlan::defaults();
            m_project->editPlan(tr("Reset model-wide defaults"), [fresh](CompressionPlan &p) {
                p.weightDefaults = fresh.weightDefaults;
                p.activationDefaults = fresh.activationDefaults;
                p.pruneDefaults = fresh.pruneDefaults;
            });
            return;
        }
        const QStringList layers = targets();
        const QStringList acts = activationTargets();
        m_project->editPlan(layers.size() == 1 ? tr("Reset %1").arg(layers.first())
                                               : tr("Reset %n layer(s)", nullptr, int(layers.size())),
                            [layers, acts](CompressionPlan &p) {
                                for (const QString &l : layers)
                                    p.layers.erase(l.toStdString());
                                for (const QString &a : acts)
                                    p.activations.erase(a.toStdString());
                            });
    });

    connect(m_project, &studio::Project::planChanged, this, [this] { refresh(); });
    retranslate();
    refresh();
}

LayerSettingsPanel::QuantControls LayerSettingsPanel::buildQuant(QWidget *parent, bool weights)
{
    QuantControls c;
    c.group = new QGroupBox(parent);
    c.group->setObjectName(weights ? QStringLiteral("weightGroup") : QStringLiteral("activationGroup"));
    c.group->setCheckable(true);
    auto *form = new QFormLayout(c.group);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    const QString prefix = weights ? QStringLiteral("weight") : QStringLiteral("activation");
    c.bitsLabel = new QLabel(c.group);
    c.bits = new QSpinBox(c.group);
    c.bits->setObjectName(prefix + QStringLiteral("Bits"));
    c.bits->setRange(2, 16);
    c.bits->setKeyboardTracking(false);
    form->addRow(c.bitsLabel, c.bits);
    c.schemeLabel = new QLabel(c.group);
    c.scheme = new QComboBox(c.group);
    c.scheme->setObjectName(prefix + QStringLiteral("Scheme"));
    c.scheme->addItem(QString());
    c.scheme->addItem(QString());
    form->addRow(c.schemeLabel, c.scheme);
    c.rangeLabel = new QLabel(c.group);
    c.intRange = new QComboBox(c.group);
    c.intRange->setObjectName(prefix + QStringLiteral("IntRange"));
    for (int i = 0; i < 3; ++i)
        c.intRange->addItem(QString());
    form->addRow(c.rangeLabel, c.intRange);
    c.granularityLabel = new QLabel(c.group);
    c.granularity = new QComboBox(c.group);
    c.granularity->setObjectName(prefix + QStringLiteral("Granularity"));
    c.granularity->addItem(QString());
    c.granularity->addItem(QString());
    form->addRow(c.granularityLabel, c.granularity);
    c.calibLabel = new QLabel(c.group);
    c.calibration = new QComboBox(c.group);
    c.calibration->setObjectName(prefix + QStringLiteral("Calibration"));
    for (int i = 0; i < 4; ++i)
        c.calibration->addItem(QString());
    form->addRow(c.calibLabel, c.calibration);
    c.manual = new QCheckBox(c.group);
    c.manual->setObjectName(prefix + QStringLiteral("ManualRange"));
    form->addRow(c.manual);
    c.minLabel = new QLabel(c.group);
    c.rmin = rangeBox(c.group);
    c.rmin->setObjectName(prefix + QStringLiteral("Min"));
    form->addRow(c.minLabel, c.rmin);
    c.maxLabel = new QLabel(c.group);
    c.rmax = rangeBox(c.group);
    c.rmax->setObjectName(prefix + QStringLiteral("Max"));
    form->addRow(c.maxLabel, c.rmax);
    return c;
}

void LayerSettingsPanel::connectQuant(QuantControls &c, bool weights)
{
    // One editing function for both kinds: weights go to layer overrides, activations to the
    // overrides of the layers' input tensors.
    auto edit = [this, weights](const QString &text, std::function<void(QuantOverride &)> o,
                                std::function<void(QuantConfig &)> d, int mergeId = -1) {
        if (m_refreshing)
            return;
        editQuant(weights, text, o, d, mergeId);
    };
    QuantControls *ctl = weights ? &m_w : &m_a;
    connect(c.group, &QGroupBox::toggled, this, [edit, weights](bool on) {
        edit(on ? (weights ? tr("Quantize weights") : tr("Quantize activations"))
                : (weights ? tr("Keep weights in float") : tr("Keep activations in float")),
             [on](QuantOverride &o) { o.enabled = on; }, [on](QuantConfig &q) { q.enabled = on; });
    });
    connect(c.bits, &QSpinBox::valueChanged, this, [edit, weights](int bits) {
        edit(weights ? tr("Set weight bits to %1").arg(bits) : tr("Set activation bits to %1").arg(bits),
             [bits](QuantOverride &o) { o.bits = bits; },
             [bits](QuantConfig &q) { q.spec.bits = bits; });
    });
    connect(c.scheme, &QComboBox::currentIndexChanged, this, [edit, ctl](int i) {
        const bool sym = i == 0;
        edit(tr("Set scheme to %1").arg(ctl->scheme->itemText(i)),
             [sym](QuantOverride &o) { o.symmetric = sym; },
             [sym](QuantConfig &q) { q.spec.symmetric = sym; });
    });
    connect(c.intRange, &QComboBox::currentIndexChanged, this, [edit, ctl](int i) {
        if (i < 0)
            return;
        const IntRange r = kRanges[i];
        edit(tr("Set integer range to %1").arg(ctl->intRange->itemText(i)),
             [r](QuantOverride &o) { o.range = r; }, [r](QuantConfig &q) { q.spec.range = r; });
    });
    connect(c.granularity, &QComboBox::currentIndexChanged, this, [edit, ctl](int i) {
        const Granularity g = i == 1 ? Granularity::PerChannel : Granularity::PerTensor;
        edit(tr("Set granularity to %1").arg(ctl->granularity->itemText(i)),
             [g](QuantOverride &o) { o.granularity = g; },
             [g](QuantConfig &q) { q.granularity = g; });
    });
    connect(c.calibration, &QComboBox::currentIndexChanged, this, [edit, ctl](int i) {
        if (i < 0)
            return;
        CalibConfig cc;
        cc.method = kMethods[i];
        // A new method proposes a new range: drop the manual one so it takes effect.
        edit(tr("Set calibration to %1").arg(ctl->calibration->itemText(i)),
             [cc](QuantOverride &o) { o.calibration = cc; o.rmin.reset(); o.rmax.reset(); },
             [cc](QuantConfig &q) { q.calibration = cc; q.range.reset(); });
    });
    connect(c.manual, &QCheckBox::toggled, this, [this, edit, ctl](bool on) {
        float lo = static_cast<float>(ctl->rmin->value());
        float hi = static_cast<float>(ctl->rmax->value());
        if (ctl->rmin->value() == ctl->rmin->minimum() || ctl->rmax->value() == ctl->rmax->minimum()) {
            // No known range yet (activations): [0, 1] as a starting point to edit.
            lo = 0.0f;
            hi = 1.0f;
        }
        edit(on ? tr("Set a manual range") : tr("Use the calibrated range"),
             [on, lo, hi](QuantOverride &o) {
                 if (on) { o.rmin = lo; o.rmax = hi; } else { o.rmin.reset(); o.rmax.reset(); }
             },
             [on, lo, hi](QuantConfig &q) {
                 if (on) q.range = Range{lo, hi}; else q.range.reset();
             });
    });
    auto rangeChanged = [edit, ctl, weights] {
        float lo = static_cast<float>(ctl->rmin->value());
        float hi = static_cast<float>(ctl->rmax->value());
        if (lo > hi)
            std::swap(lo, hi);
        edit(tr("Set range to [%1, %2]").arg(lo).arg(hi),
             [lo, hi](QuantOverride &o) { o.rmin = lo; o.rmax = hi; },
             [lo, hi](QuantConfig &q) { q.range = Range{lo, hi}; },
             weights ? kMergeWeightRange : kMergeActRange);
    };
    connect(c.rmin, &QDoubleSpinBox::valueChanged, this, rangeChanged);
    connect(c.rmax, &QDoubleSpinBox::valueChanged, this, rangeChanged);
    for (QDoubleSpinBox *box : {c.rmin, c.rmax})
        connect(box, &QDoubleSpinBox::editingFinished, this, [this] { m_project->endMerge(); });
}

void LayerSettingsPanel::retranslate()
{
    m_scope->setItemText(0, tr("Selected layers"));
    m_scope->setItemText(1, tr("Model-wide defaults"));
    m_scope->setToolTip(tr("Edit the selected layers, or the defaults every layer without its own "
                           "setting follows."));
    for (QuantControls *c : {&m_w, &m_a}) {
        const bool w = c == &m_w;
        c->group->setTitle(w ? tr("Quantize weights") : tr("Quantize input activations"));
        c->group->setToolTip(w ? tr("Weight quantization: store each weight as a small integer "
                                    "times a scale.")
                               : tr("Activation quantization: round the layer's input tensor to "
                                    "integers at run time."));
        c->bitsLabel->setText(tr("Bits:"));
        c->bits->setToolTip(tr("Bit width: how many bits each integer has (2 to 16); fewer bits "
                               "mean a smaller model and more error."));
        c->schemeLabel->setText(tr("Scheme:"));
        c->scheme->setItemText(0, tr("Symmetric"));
        c->scheme->setItemText(1, tr("Asymmetric"));
        c->scheme->setToolTip(tr("Symmetric: the zero point is 0 and the range is centred on 0; "
                                 "asymmetric: a zero point shifts the range to fit the data."));
        c->rangeLabel->setText(tr("Integers:"));
        c->intRange->setItemText(0, tr("Signed"));
        c->intRange->setItemText(1, tr("Unsigned"));
        c->intRange->setItemText(2, tr("Signed, restricted"));
        c->intRange->setToolTip(tr("Integer range: signed (-128..127 for 8 bits), unsigned "
                                   "(0..255) or restricted signed (-127..127, symmetric around "
                                   "0)."));
        c->granularityLabel->setText(tr("Granularity:"));
        c->granularity->setItemText(0, tr("Per tensor"));
        c->granularity->setItemText(1, tr("Per channel"));
        c->granularity->setToolTip(tr("Granularity: one scale for the whole tensor, or one per "
                                      "output channel (a manual range is always per tensor)."));
        c->calibLabel->setText(tr("Calibration:"));
        c->calibration->setItemText(0, tr("Min/max"));
        c->calibration->setItemText(1, tr("Percentile"));
        c->calibration->setItemText(2, tr("Entropy (KL)"));
        c->calibration->setItemText(3, tr("MSE"));
        c->calibration->setToolTip(tr("Calibration: how the range [rmin, rmax] is chosen from the "
                                      "values when you do not set it by hand."));
        c->manual->setText(tr("Manual range"));
        c->manual->setToolTip(tr("Manual range: use the rmin and rmax below (or drag the lines "
                                 "on the histogram) instead of calibrating."));
        c->minLabel->setText(tr("rmin:"));
        c->rmin->setToolTip(tr("rmin: the smallest real value the integers can represent; "
                               "smaller values are clipped to it."));
        c->maxLabel->setText(tr("rmax:"));
        if (!w) {
            c->rmin->setSpecialValueText(tr("calibrated"));
            c->rmax->setSpecialValueText(tr("calibrated"));
        }
        c->rmax->setToolTip(tr("rmax: the largest real value the integers can represent; larger "
                               "values are clipped to it."));
    }
    m_prune->setTitle(tr("Pruning"));
    m_prune->setToolTip(tr("Pruning: set the smallest weights to zero so they need not be "
                           "stored."));
    m_ratioLabel->setText(tr("Ratio:"));
    m_pruneSlider->setToolTip(tr("Pruning ratio: the share of weights (or channels) set to "
                                 "zero, smallest magnitudes first."));
    m_structureLabel->setText(tr("Structure:"));
    m_structure->setItemText(0, tr("Unstructured"));
    m_structure->setItemText(1, tr("Output channels"));
    m_structure->setItemText(2, tr("N:M"));
    m_structure->setToolTip(tr("Structure: single weights anywhere, whole output channels, or "
                               "N of every M consecutive weights (N:M, for sparse hardware)."));
    m_nmLabel->setText(tr("N:M:"));
    m_n->setToolTip(tr("N: how many weights of every group of M are kept."));
    m_m->setToolTip(tr("M: the size of each group of consecutive weights."));
    refresh();
}

void LayerSettingsPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void LayerSettingsPanel::setLayers(const std::vector<Layer> &layers)
{
    m_layers = layers;
    m_layer.clear();
    m_selected.clear();
    refresh();
}

void LayerSettingsPanel::setLayer(const QString &layerName)
{
    m_layer = layerName;
    if (!m_selected.contains(layerName)) {
        m_selected.clear();
        if (!layerName.isEmpty())
            m_selected << layerName;
    }
    refresh();
}

void LayerSettingsPanel::setSelection(const QStringList &selected)
{
    m_selected = selected;
    if (!m_layer.isEmpty() && !m_selected.contains(m_layer))
        m_selected.prepend(m_layer);
    refresh();
}

void LayerSettingsPanel::setEffectiveWeightRange(double rmin, double rmax)
{
    m_effMin = rmin;
    m_effMax = rmax;
    refresh();
}

bool LayerSettingsPanel::editsDefaults() const
{
    return m_scope->currentIndex() == 1;
}

void LayerSettingsPanel::setEditsDefaults(bool on)
{
    m_scope->setCurrentIndex(on ? 1 : 0);
}

const Layer *LayerSettingsPanel::currentLayer() const
{
    const std::string name = m_layer.toStdString();
    for (const Layer &l : m_layers)
        if (l.name == name)
            return &l;
    return nullptr;
}

QStringList LayerSettingsPanel::targets() const
{
    QStringList t = m_selected;
    if (t.isEmpty() && !m_layer.isEmpty())
        t << m_layer;
    return t;
}

QStringList LayerSettingsPanel::activationTargets() const
{
    QStringList out;
    for (const QString &name : targets()) {
        const std::string n = name.toStdString();
        for (const Layer &l : m_layers) {
            if (l.name != n)
                continue;
            for (const std::string &a : l.activationInputs)
                if (!out.contains(QString::fromStdString(a)))
                    out << QString::fromStdString(a);
        }
    }
    return out;
}

void LayerSettingsPanel::recordEdit(const QString &text, const PlanEdit &editDefaults,
                                    const PlanEdit &editTargets, bool haveTargets, int mergeId)
{
    if (editsDefaults()) {
        m_project->editPlan(tr("Defaults: %1").arg(text), editDefaults, mergeId);
        return;
    }
    if (!haveTargets)
        return;
    const QStringList layers = targets();
    const QString step = layers.size() == 1 ? tr("%1: %2").arg(layers.first(), text)
                                            : tr("%n layer(s): %1", nullptr, int(layers.size())).arg(text);
    m_project->editPlan(step, editTargets, mergeId);
}

void LayerSettingsPanel::editQuant(bool weights, const QString &text,
                                   const std::function<void(QuantOverride &)> &change,
                                   const std::function<void(QuantConfig &)> &changeDefault,
                                   int mergeId)
{
    // Weights go to the layers' overrides, activations to those of the layers' input tensors.
    const QStringList names = weights ? targets() : activationTargets();
    recordEdit(
        text,
        [weights, changeDefault](CompressionPlan &p) {
            changeDefault(weights ? p.weightDefaults : p.activationDefaults);
        },
        [weights, names, change](CompressionPlan &p) {
            for (const QString &n : names)
                change(weights ? p.layers[n.toStdString()].weights
                               : p.activations[n.toStdString()]);
        },
        !names.isEmpty(), mergeId);
}

void LayerSettingsPanel::editPruning(const QString &text,
                                     const std::function<void(PruneOverride &)> &change,
                                     const std::function<void(PruneConfig &)> &changeDefault,
                                     int mergeId)
{
    const QStringList layers = targets();
    recordEdit(
        text, [changeDefault](CompressionPlan &p) { changeDefault(p.pruneDefaults); },
        [layers, change](CompressionPlan &p) {
            for (const QString &l : layers)
                change(p.layers[l.toStdString()].pruning);
        },
        !layers.isEmpty(), mergeId);
}

void LayerSettingsPanel::showQuant(QuantControls &c, const QuantConfig &q, bool hasOverride,
                                   double effMin, double effMax)
{
    Q_UNUSED(hasOverride);
    c.group->setChecked(q.enabled);
    c.bits->setValue(q.spec.bits);
    c.scheme->setCurrentIndex(q.spec.symmetric ? 0 : 1);
    c.intRange->setCurrentIndex(indexOf(kRanges, q.spec.range));
    c.granularity->setCurrentIndex(q.granularity == Granularity::PerChannel ? 1 : 0);
    c.calibration->setCurrentIndex(indexOf(kMethods, q.calibration.method == CalibMethod::Manual
                                                          ? CalibMethod::MinMax
                                                          : q.calibration.method));
    c.manual->setChecked(q.range.has_value());
    c.rmin->setEnabled(q.range.has_value());
    c.rmax->setEnabled(q.range.has_value());
    c.rmin->setValue(q.range ? q.range->rmin : effMin);
    c.rmax->setValue(q.range ? q.range->rmax : effMax);
}

void LayerSettingsPanel::refresh()
{
    if (m_refreshing)
        return;
    m_refreshing = true;
    const CompressionPlan &plan = m_project->plan();
    const bool defaults = editsDefaults();
    const Layer *layer = currentLayer();
    const QStringList layers = targets();
    if (defaults)
        m_title->setText(tr("Every layer without its own setting"));
    else if (!layer)
        m_title->setText(tr("Select a layer to edit its compression."));
    else if (layers.size() > 1)
        m_title->setText(tr("%1 and %n more layer(s)", nullptr, int(layers.size() - 1)).arg(m_layer));
    else
        m_title->setText(m_layer);
    const bool editable = defaults || layer;
    // MatMulInteger / ConvInteger weights are integers already: the engine leaves them alone.
    const bool integerOp = !defaults && layer && layer->op.ends_with("Integer");
    m_w.group->setEnabled(editable && !integerOp);
    if (integerOp)
        m_title->setText(tr("%1 (its weight is stored as integers and is left as it is)").arg(m_layer));
    m_a.group->setEnabled(editable && (defaults || !layer->activationInputs.empty()));
    m_prune->setEnabled(editable);
    m_reset->setEnabled(editable);
    m_reset->setText(defaults ? tr("Reset defaults") : tr("Reset layer"));
    m_reset->setToolTip(defaults ? tr("Restore the model-wide defaults of a new plan.")
                                 : tr("Remove the selected layers' own settings so they follow "
                                      "the model-wide defaults again."));

    const QuantConfig wq = defaults ? plan.weightDefaults
                                    : plan.weightConfig(layer ? layer->name : std::string());
    showQuant(m_w, wq, false, m_effMin, m_effMax);
    QuantConfig aq = plan.activationDefaults;
    if (!defaults && layer && !layer->activationInputs.empty())
        aq = plan.activationConfig(layer->activationInputs.front());
    // Activation ranges without a manual one come from calibration on the data when evaluated:
    // the fields say so rather than show a number.
    showQuant(m_a, aq, false, m_a.rmin->minimum(), m_a.rmax->minimum());

    const PruneConfig pc = defaults ? plan.pruneDefaults
                                    : plan.pruneConfig(layer ? layer->name : std::string());
    m_pruneSlider->setValue(static_cast<int>(std::lround(pc.spec.ratio * 100.0)));
    m_pruneValue->setText(QStringLiteral("%1 %").arg(m_pruneSlider->value()));
    m_structure->setCurrentIndex(indexOf(kStructures, pc.spec.structure));
    m_n->setValue(pc.spec.n);
    m_m->setValue(pc.spec.m);
    const bool nm = pc.spec.structure == PruneStructure::NM;
    m_n->setEnabled(nm);
    m_m->setEnabled(nm);
    m_pruneSlider->setEnabled(!nm);
    m_refreshing = false;
}

} // namespace nnc
