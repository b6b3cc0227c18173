// Table of a model's compressible layers (a snapshot of nnc::findLayers), and the proxy that
// sorts it and filters it by layer name or op type.
#pragma once

#include "core/stats/layers.h"

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>

#include <vector>

namespace nnc {

class LayerTableModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    /// ColDtype shows the stored element type, with "(quantized)" for pre-quantized weights.
    enum Column { ColIndex, ColName, ColOp, ColShape, ColParams, ColDtype, ColCount };
    /// Role that returns the raw value to sort by (numbers as numbers, not formatted text).
    static constexpr int SortRole = Qt::UserRole + 1;

    explicit LayerTableModel(QObject *parent = nullptr);

    void setLayers(std::vector<Layer> layers);
    const std::vector<Layer> &layers() const { return m_layers; }
    /// The layer at a source-model row, or nullptr when out of range.
    const Layer *layerAt(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    /// Header texts are tr() strings: call after the UI language changed.
    void retranslate();

private:
    std::vector<Layer> m_layers;
};

/// Case-insensitive substring filter on layer name or op type; sorts by LayerTableModel::SortRole.
class LayerFilterProxy final : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit LayerFilterProxy(QObject *parent = nullptr);
    void setFilterText(const QString &text);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_text;
};

} // namespace nnc
