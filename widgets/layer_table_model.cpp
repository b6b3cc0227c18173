// LayerTableModel and LayerFilterProxy.
#include "widgets/layer_table_model.h"

#include <QColor>
#include <QLocale>

#include <algorithm>
#include <cmath>
#include <limits>

namespace nnc {

LayerTableModel::LayerTableModel(QObject *parent) : QAbstractTableModel(parent) {}

void LayerTableModel::setLayers(std::vector<Layer> layers)
{
    beginResetModel();
    m_layers = std::move(layers);
    m_figures.assign(m_layers.size(), Figures{});
    m_sensitivity.clear();
    updateRanges();
    endResetModel();
}

const Layer *LayerTableModel::layerAt(int row) const
{
    if (row < 0 || row >= static_cast<int>(m_layers.size()))
        return nullptr;
    return &m_layers[static_cast<std::size_t>(row)];
}

int LayerTableModel::rowOf(const QString &name) const
{
    const std::string n = name.toStdString();
    for (std::size_t i = 0; i < m_layers.size(); ++i)
        if (m_layers[i].name == n)
            return static_cast<int>(i);
    return -1;
}

void LayerTableModel::setPlan(const CompressionPlan &plan)
{
    m_plan = plan;
    if (!m_layers.empty())
        emit dataChanged(index(0, ColWeightBits), index(rowCount() - 1, ColPruneRatio));
}

void LayerTableModel::setEvalResult(const EvalResult &result)
{
    m_figures.assign(m_layers.size(), Figures{});
    QHash<QString, std::size_t> rows;
    for (std::size_t i = 0; i < m_layers.size(); ++i)
        rows.insert(QString::fromStdString(m_layers[i].name), i);
    for (const LayerResult &l : result.layers) {
        const auto it = rows.constFind(QString::fromStdString(l.layer));
        if (it == rows.constEnd())
            continue;
        Figures &f = m_figures[*it];
        f.has = true;
        f.weightSqnr = l.weightSqnrDb;
        f.outputSqnr = l.outputSqnrDb;
        f.sparsity = l.sparsity;
    }
    for (const LayerSize &l : result.size.layers) {
        const auto it = rows.constFind(QString::fromStdString(l.layer));
        if (it != rows.constEnd())
            m_figures[*it].compressedBytes = l.compressedBytes;
    }
    updateRanges();
    if (!m_layers.empty())
        emit dataChanged(index(0, ColSparsity), index(rowCount() - 1, ColSize));
}

void LayerTableModel::clearEvalResult()
{
    m_figures.assign(m_layers.size(), Figures{});
    updateRanges();
    if (!m_layers.empty())
        emit dataChanged(index(0, ColSparsity), index(rowCount() - 1, ColSize));
}

void LayerTableModel::setSensitivity(const QHash<QString, double> &deltaPp, const QString &setting)
{
    m_sensitivity = deltaPp;
    m_sensitivitySetting = setting;
    updateRanges();
    if (!m_layers.empty())
        emit dataChanged(index(0, ColSensitivity), index(rowCount() - 1, ColSensitivity));
    emit headerDataChanged(Qt::Horizontal, ColSensitivity, ColSensitivity);
}

void LayerTableModel::updateRanges()
{
    for (int k = 0; k < 2; ++k) {
        m_sqnrLo[k] = std::numeric_limits<double>::infinity();
        m_sqnrHi[k] = -std::numeric_limits<double>::infinity();
    }
    for (const Figures &f : m_figures) {
        if (!f.has)
            continue;
        const double v[2] = {f.weightSqnr, f.outputSqnr};
        for (int k = 0; k < 2; ++k) {
            if (!std::isfinite(v[k]))
                continue;
            m_sqnrLo[k] = std::min(m_sqnrLo[k], v[k]);
            m_sqnrHi[k] = std::max(m_sqnrHi[k], v[k]);
        }
    }
    m_sensLo = 0;
    for (double d : m_sensitivity)
        if (std::isfinite(d))
            m_sensLo = std::min(m_sensLo, d);
}

QVariant LayerTableModel::heat(int column, double value) const
{
    // 0 = best (no colour), 1 = worst (strongest red). Light tints keep dark text readable.
    double t = 0;
    if (column == ColSensitivity) {
        if (!(m_sensLo < 0) || !std::isfinite(value) || value >= 0)
            return {};
        t = std::clamp(value / m_sensLo, 0.0, 1.0);
    } else {
        const int k = column == ColWeightSqnr ? 0 : 1;
        if (!std::isfinite(value))
            return {};
        const double span = m_sqnrHi[k] - m_sqnrLo[k];
        t = span > 0 ? (m_sqnrHi[k] - value) / span : 0.5;
        // Anything above 40 dB is harmless whatever its rank.
        if (value > 40)
            t *= 0.25;
    }
    if (t <= 0.02)
        return {};
    const auto mix = [t](int from, int to) { return static_cast<int>(from + (to - from) * t); };
    return QColor(mix(255, 244), mix(255, 120), mix(255, 110));
}

int LayerTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_layers.size());
}

int LayerTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColCount;
}

namespace {

QString decibels(double v)
{
    if (std::isinf(v) && v > 0)
        return LayerTableModel::tr("exact");
    return QLocale().toString(v, 'f', 1);
}

} // namespace

QVariant LayerTableModel::data(const QModelIndex &index, int role) const
{
    const Layer *layer = index.isValid() ? layerAt(index.row()) : nullptr;
    if (!layer)
        return {};
    const auto column = static_cast<Column>(index.column());
    const Figures &fig = m_figures[static_cast<std::size_t>(index.row())];
    const QString name = QString::fromStdString(layer->name);
    const QuantConfig wq = m_plan.weightConfig(layer->name);
    const bool hasAct = !layer->activationInputs.empty();
    const QuantConfig aq = hasAct ? m_plan.activationConfig(layer->activationInputs.front())
                                  : QuantConfig{};
    const PruneConfig pc = m_plan.pruneConfig(layer->name);
    const auto sens = m_sensitivity.constFind(name);
    const QLocale locale;
    if (role == Qt::DisplayRole) {
        switch (column) {
        case ColIndex: return index.row() + 1;
        case ColName: return name;
        case ColOp: return QString::fromStdString(layer->op);
        case ColShape: return QString::fromStdString(dimsToString(layer->shape));
        case ColParams: return locale.toString(static_cast<qlonglong>(layer->params));
        case ColWeightBits: return wq.enabled ? QString::number(wq.spec.bits) : tr("float");
        case ColActBits:
            if (!hasAct)
                return QStringLiteral("–");
            return aq.enabled ? QString::number(aq.spec.bits) : tr("float");
        case ColPruneRatio:
            if (pc.spec.structure == PruneStructure::NM)
                return QStringLiteral("%1:%2").arg(pc.spec.n).arg(pc.spec.m);
            if (pc.spec.ratio <= 0)
                return QStringLiteral("–");
            return locale.toString(pc.spec.ratio * 100.0, 'f', 0) + QStringLiteral(" %") +
                   (pc.spec.structure == PruneStructure::Channel ? tr(" (ch)") : QString());
        case ColSparsity:
            return fig.has ? locale.toString(fig.sparsity * 100.0, 'f', 1) + QStringLiteral(" %")
                           : QString();
        case ColWeightSqnr: return fig.has ? decibels(fig.weightSqnr) : QString();
        case ColOutputSqnr: return fig.has ? decibels(fig.outputSqnr) : QString();
        case ColSensitivity:
            return sens != m_sensitivity.constEnd() ? locale.toString(*sens, 'f', 2) : QString();
        case ColSize:
            return fig.compressedBytes >= 0
                       ? locale.formattedDataSize(fig.compressedBytes, 1,
                                                  QLocale::DataSizeSIFormat)
                       : QString();
        case ColDtype: {
            const QString dtype = QString::fromLatin1(dtypeName(layer->storedType));
            return layer->storedQuantized ? tr("%1 (quantized)").arg(dtype) : dtype;
        }
        case ColCount: break;
        }
    } else if (role == SortRole) {
        // Missing figures sort after every real one (NaN would make the order arbitrary).
        constexpr double kMissing = 1e300;
        switch (column) {
        case ColIndex: return index.row();
        case ColParams: return static_cast<qlonglong>(layer->params);
        case ColShape: return static_cast<qlonglong>(layer->shape.size());
        case ColWeightBits: return wq.enabled ? wq.spec.bits : 32;
        case ColActBits: return hasAct && aq.enabled ? aq.spec.bits : 32;
        case ColPruneRatio: return pc.spec.ratio;
        case ColSparsity: return fig.has ? fig.sparsity : kMissing;
        // +inf (exact) sorts as a very large number.
        case ColWeightSqnr: return fig.has ? std::min(fig.weightSqnr, 1e9) : kMissing;
        case ColOutputSqnr: return fig.has ? std::min(fig.outputSqnr, 1e9) : kMissing;
        case ColSensitivity: return sens != m_sensitivity.constEnd() ? *sens : kMissing;
        case ColSize:
            return fig.compressedBytes >= 0 ? static_cast<qlonglong>(fig.compressedBytes)
                                            : QVariant(kMissing);
        default: return data(index, Qt::DisplayRole);
        }
    } else if (role == Qt::BackgroundRole) {
        if (column == ColWeightSqnr && fig.has)
            return heat(column, fig.weightSqnr);
        if (column == ColOutputSqnr && fig.has)
            return heat(column, fig.outputSqnr);
        if (column == ColSensitivity && sens != m_sensitivity.constEnd())
            return heat(column, *sens);
    } else if (role == Qt::ForegroundRole) {
        // Tinted cells get dark text whatever the palette, so they stay readable in dark themes.
        if (data(index, Qt::BackgroundRole).isValid())
            return QColor(Qt::black);
    } else if (role == Qt::TextAlignmentRole) {
        if (column != ColName && column != ColOp && column != ColShape && column != ColDtype)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    } else if (role == Qt::ToolTipRole && column == ColName) {
        return tr("%1 (weight tensor %2)")
            .arg(QString::fromStdString(layer->name), QString::fromStdString(layer->weight));
    }
    return {};
}

QVariant LayerTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && role == Qt::ToolTipRole) {
        switch (static_cast<Column>(section)) {
        case ColIndex: return tr("Position in the graph's node order");
        case ColShape: return tr("Shape of the weight tensor");
        case ColParams: return tr("Number of weight elements");
        case ColWeightBits:
            return tr("Weight bits: the integer width each weight is stored in (\"float\": not "
                      "quantized).");
        case ColActBits:
            return tr("Activation bits: the integer width of the layer's input tensor at run "
                      "time.");
        case ColPruneRatio:
            return tr("Pruning ratio: the share of weights (or output channels) set to zero.");
        case ColSparsity:
            return tr("Sparsity: the share of the compressed weight that is zero, from the "
                      "latest preview.");
        case ColWeightSqnr:
            return tr("Weight SQNR: signal-to-noise ratio of the compressed weight against the "
                      "float one, in dB (higher is better; red marks the worst).");
        case ColOutputSqnr:
            return tr("Output SQNR: signal-to-noise ratio of the layer's output under the plan "
                      "against the float model's, in dB (red marks the worst).");
        case ColSensitivity:
            return m_sensitivitySetting.isEmpty()
                       ? tr("Sensitivity: the accuracy change in percentage points when only "
                            "this layer is compressed (run a sensitivity analysis).")
                       : tr("Sensitivity: the accuracy change in percentage points when only "
                            "this layer is compressed with %1.")
                             .arg(m_sensitivitySetting);
        case ColSize:
            return tr("Compressed size: the estimated storage of the layer's weight under the "
                      "plan.");
        case ColDtype:
            return tr("Element type of the weight as stored in the file; \"quantized\" when it "
                      "is stored as integers with a scale (DequantizeLinear or *Integer ops)");
        default: return {};
        }
    }
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (static_cast<Column>(section)) {
    case ColIndex: return tr("#");
    case ColName: return tr("Layer");
    case ColOp: return tr("Op");
    case ColShape: return tr("Shape");
    case ColParams: return tr("Params");
    case ColWeightBits: return tr("W bits");
    case ColActBits: return tr("A bits");
    case ColPruneRatio: return tr("Pruned");
    case ColSparsity: return tr("Sparsity");
    case ColWeightSqnr: return tr("W SQNR");
    case ColOutputSqnr: return tr("Out SQNR");
    case ColSensitivity: return tr("Δ acc (pp)");
    case ColSize: return tr("Size");
    case ColDtype: return tr("Stored as");
    case ColCount: break;
    }
    return {};
}

void LayerTableModel::retranslate()
{
    emit headerDataChanged(Qt::Horizontal, 0, ColCount - 1);
    if (!m_layers.empty())
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColCount - 1));
}

LayerFilterProxy::LayerFilterProxy(QObject *parent) : QSortFilterProxyModel(parent)
{
    setSortRole(LayerTableModel::SortRole);
    setSortCaseSensitivity(Qt::CaseInsensitive);
}

void LayerFilterProxy::setFilterText(const QString &text)
{
    // Qt 6.4 has no begin/endFilterChange; invalidateFilter() re-runs filterAcceptsRow.
    m_text = text.trimmed();
    invalidateFilter();
}

bool LayerFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (m_text.isEmpty())
        return true;
    const QAbstractItemModel *src = sourceModel();
    const QString name = src->index(sourceRow, LayerTableModel::ColName, sourceParent).data().toString();
    const QString op = src->index(sourceRow, LayerTableModel::ColOp, sourceParent).data().toString();
    return name.contains(m_text, Qt::CaseInsensitive) || op.contains(m_text, Qt::CaseInsensitive);
}

} // namespace nnc
