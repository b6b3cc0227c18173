// The statistics shown beside the histogram: a two-column form of a WeightStats snapshot.
#pragma once

#include "core/stats/layers.h"

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
        FZeros, FSparsity, FNans, FInfs, FChannels, FieldCount
    };

    explicit WeightStatsPanel(QWidget *parent = nullptr);

    void setStats(const Layer &layer, const WeightStats &stats);
    /// Shows dashes in every value.
    void clear();
    QString valueText(Field field) const;
    static QString keyName(Field field);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();

    std::array<QLabel *, FieldCount> m_keys{};
    std::array<QLabel *, FieldCount> m_values{};
    bool m_hasStats = false;
    bool m_quantized = false;
};

} // namespace nnc
