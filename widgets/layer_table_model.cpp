// LayerTableModel and LayerFilterProxy.
#include "widgets/layer_table_model.h"

#include <QLocale>

namespace nnc {

LayerTableModel::LayerTableModel(QObject *parent) : QAbstractTableModel(parent) {}

void LayerTableModel::setLayers(std::vector<Layer> layers)
{
    beginResetModel();
    m_layers = std::move(layers);
    endResetModel();
}

const Layer *LayerTableModel::layerAt(int row) const
{
    if (row < 0 || row >= static_cast<int>(m_layers.size()))
        return nullptr;
    return &m_layers[static_cast<std::size_t>(row)];
}

int LayerTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_layers.size());
}

int LayerTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColCount;
}

QVariant LayerTableModel::data(const QModelIndex &index, int role) const
{
    const Layer *layer = index.isValid() ? layerAt(index.row()) : nullptr;
    if (!layer)
        return {};
    const auto column = static_cast<Column>(index.column());
    if (role == Qt::DisplayRole) {
        switch (column) {
        case ColIndex: return index.row() + 1;
        case ColName: return QString::fromStdString(layer->name);
        case ColOp: return QString::fromStdString(layer->op);
        case ColShape: return QString::fromStdString(dimsToString(layer->shape));
        case ColParams: return QLocale().toString(static_cast<qlonglong>(layer->params));
        case ColDtype: {
            const QString dtype = QString::fromLatin1(dtypeName(layer->storedType));
            return layer->storedQuantized ? tr("%1 (quantized)").arg(dtype) : dtype;
        }
        case ColCount: break;
        }
    } else if (role == SortRole) {
        switch (column) {
        case ColIndex: return index.row();
        case ColParams: return static_cast<qlonglong>(layer->params);
        case ColShape: return static_cast<qlonglong>(layer->shape.size());
        default: return data(index, Qt::DisplayRole);
        }
    } else if (role == Qt::TextAlignmentRole) {
        if (column == ColIndex || column == ColParams)
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
    case ColDtype: return tr("Stored as");
    case ColCount: break;
    }
    return {};
}

void LayerTableModel::retranslate()
{
    emit headerDataChanged(Qt::Horizontal, 0, ColCount - 1);
    if (!m_layers.empty())
        emit dataChanged(index(0, ColDtype), index(rowCount() - 1, ColDtype));
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
