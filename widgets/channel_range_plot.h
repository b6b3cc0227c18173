// Per-channel view: one vertical bar per output channel spanning that channel's [min, max], and
// the quantization range each channel gets under the plan.
#pragma once

#include "widgets/plot_widget.h"

#include <vector>

namespace nnc {

class ChannelRangePlot final : public PlotWidget
{
    Q_OBJECT

public:
    explicit ChannelRangePlot(QWidget *parent = nullptr);

    /// Shows one range per channel; `channelMin` and `channelMax` have the same length.
    /// `axis` is the weight axis the channels run along (shown in the axis label).
    void setRanges(std::vector<float> channelMin, std::vector<float> channelMax, int axis,
                   const QString &title);
    void clear(const QString &placeholder);
    /// The quantization range of each channel under the plan (one entry: the same range for
    /// every channel, a per-tensor scheme), drawn as red steps above and below the bars; empty
    /// vectors hide them.
    void setQuantRanges(const std::vector<float> &low, const std::vector<float> &high);
    int quantRangeCount() const { return m_quantCount; }

    int channelCount() const { return static_cast<int>(m_min.size()); }
    void resetView() override;

protected:
    void changeEvent(QEvent *event) override;
    QString exportBaseName() const override;

private:
    void retranslate();
    void showToolTip(const QPoint &pos);

    std::vector<float> m_min, m_max;
    int m_axis = 0;
    QString m_title;
    int m_quantCount = 0;
};

} // namespace nnc
