// Table of a model's compressible layers (a snapshot of nnc::findLayers) with each layer's
// compression settings (from the plan) and figures (from the latest evaluation and sensitivity
// run), and the proxy that sorts it and filters it by layer name or op type. Error columns are
// painted as a heat map: the worst layers of a column stand out.
#pragma once

#include "core/eval/evaluator.h"
#include "core/plan/plan.h"
#include "core/stats/layers.h"

#include <QHash>

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>

#include <vector>

namespace nnc {

class LayerTableModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    /// ColDtype shows the stored element type, with "(quantized)" for pre-quantized weights.
    enum Column {
        ColIndex, ColName, ColOp, ColShape, ColParams, ColWeightBits, ColActBits, ColPruneRatio,
        ColSparsity, ColWeightSqnr, ColOutputSqnr, ColSensitivity, ColSize, ColDtype, ColCount
    };
    /// Role that returns the raw value to sort by (numbers as numbers, not formatted text).
    static constexpr int SortRole = Qt::UserRole + 1;

    explicit LayerTableModel(QObject *parent = nullptr);

    void setLayers(std::vector<Layer> layers);
    const std::vector<Layer> &layers() const { return m_layers; }
    /// The layer at a source-model row, or nullptr when out of range.
    const Layer *layerAt(int row) const;
    /// The source row of the layer called `name`, or -1.
    int rowOf(const QString &name) const;

    /// Settings columns follow the plan.
    void setPlan(const CompressionPlan &plan);
    /// Sparsity, SQNR and compressed size come from an evaluation under the plan.
    void setEvalResult(const EvalResult &result);
    void clearEvalResult();
    /// Accuracy change (percentage points, negative = worse) per layer name for one setting.
    void setSensitivity(const QHash<QString, double> &deltaPp, const QString &setting);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    /// Header texts are tr() strings: call after the UI language changed.
    void retranslate();

private:
    struct Figures
    {
        bool has = false;
        double weightSqnr = 0, outputSqnr = 0, sparsity = 0;
        int64_t compressedBytes = -1;
    };
    /// Background for an error column: white for the best value, red for the worst.
    QVariant heat(int column, double value) const;
    void updateRanges();

    std::vector<Layer> m_layers;
    CompressionPlan m_plan = CompressionPlan::defaults();
    std::vector<Figures> m_figures;
    QHash<QString, double> m_sensitivity;
    QString m_sensitivitySetting;
    // Value ranges of the heat-map columns over the finite values present.
    double m_sqnrLo[2] = {0, 0}, m_sqnrHi[2] = {0, 0};
    double m_sensLo = 0;
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
