// GroupedBarPlot: a few series of bars side by side per category (A + B against fused, teacher
// against student per class). Data and drawing are kept apart: setGroups() stores the values,
// redraw() turns them into QCustomPlot bars. Hovering a bar shows its series, category and value.
#pragma once

#include "widgets/plot_widget.h"

#include <QStringList>

#include <vector>

namespace nnc {

class GroupedBarPlot final : public PlotWidget
{
    Q_OBJECT

public:
    explicit GroupedBarPlot(QWidget *parent = nullptr);

    /// values[series][category]; `labels` (same layout, optional) is the text of each bar's
    /// tooltip and, when `labelBars` is set, is drawn above it. NaN values draw no bar.
    void setGroups(const QStringList &categories, const QStringList &series,
                   const std::vector<std::vector<double>> &values, const QString &yLabel,
                   const QString &title, const std::vector<QStringList> &labels = {},
                   bool labelBars = false);
    /// Removes every bar and shows `placeholder` in the middle.
    void clear(const QString &placeholder);
    void setExportBaseName(const QString &name) { m_exportName = name; }

    int categoryCount() const { return static_cast<int>(m_categories.size()); }
    int seriesCount() const { return static_cast<int>(m_series.size()); }
    double value(int series, int category) const;

    void resetView() override;

protected:
    QString exportBaseName() const override;

private:
    void redraw();
    void showToolTip(const QPoint &pos);

    QStringList m_categories, m_series;
    std::vector<std::vector<double>> m_values;
    std::vector<QStringList> m_labels;
    QString m_yLabel, m_title, m_exportName = QStringLiteral("bars");
    bool m_labelBars = false;
};

} // namespace nnc
