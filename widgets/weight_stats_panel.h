// The statistics shown beside the histogram: a two-column form of a WeightStats snapshot.
#pragma once

#include "core/stats/layers.h"
#include "widgets/weight_readout.h"

#include <QWidget>

#include <array>

class QLabel;

namespace nnc {

class WeightStatsPanel final : public QWidget
{
    Q_OBJECT

public:
    /// Rows of the form, in display order. Value labels are named "stat_<key>" (see keyName).
    /// The layer's name and op are in the window's title line, not repeated here.
    enum Field {
        FShape, FDtype, FQuantized, FCount, FMin, FMax, FMean, FStd, FAbsMax,
        FZeros, FSparsity, FNans, FInfs, FChannels,
        // Readouts under the plan (see WeightReadout), updated live while a range is dragged.
        FClipped, FSqnr, FMse, FLevels, FCompressedSparsity, FieldCount
    };

    explicit WeightStatsPanel(QWidget *parent = nullptr);

    void setStats(const Layer &layer, const WeightStats &stats);
    /// Shows dashes in every value.
    void clear();
    /// The readouts of the layer under the plan; an invalid readout shows dashes.
    void setReadout(const WeightReadout &readout);
    QString valueText(Field field) const;
    static QString keyName(Field field);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();

    std::array<QLabel *, FieldCount> m_keys{};
    std::array<QLabel *, FieldCount> m_values{};
    QLabel *m_readoutTitle = nullptr;
    QLabel *m_statsTitle = nullptr;
    WeightReadout m_readout;
    bool m_hasStats = false;
    bool m_quantized = false;
};

} // namespace nnc
