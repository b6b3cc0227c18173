// WeightStatsPanel: formats a WeightStats snapshot with the user's locale.
#include "widgets/weight_stats_panel.h"

#include <QEvent>
#include <QFontDatabase>
#include <QFormLayout>
#include <QLabel>
#include <QLocale>

#include <cmath>
#include <vector>

namespace nnc {

namespace {

QString number(double v)
{
    return QLocale().toString(v, 'g', 6);
}

QString integer(int64_t v)
{
    return QLocale().toString(static_cast<qlonglong>(v));
}

} // namespace

QString WeightStatsPanel::keyName(Field field)
{
    static constexpr std::array<const char *, FieldCount> kNames = {
        "shape", "dtype", "quantized", "count", "min", "max", "mean", "std",
        "absmax", "zeros", "sparsity", "nans", "infs", "channels",
        "clipped", "sqnr", "mse", "levels", "compressed_sparsity"};
    return QString::fromLatin1(kNames[static_cast<std::size_t>(field)]);
}

WeightStatsPanel::WeightStatsPanel(QWidget *parent) : QWidget(parent)
{
    auto *form = new QFormLayout(this);
    form->setLabelAlignment(Qt::AlignLeft);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setRowWrapPolicy(QFormLayout::DontWrapRows);
    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    // The readouts under the plan come first: they are what changes while the user edits.
    std::vector<int> order;
    for (int i = FClipped; i < FieldCount; ++i)
        order.push_back(i);
    for (int i = 0; i < FClipped; ++i)
        order.push_back(i);
    for (int i : order) {
        if (i == FClipped || i == FShape) {
            auto *title = new QLabel(this);
            QFont bold = title->font();
            bold.setBold(true);
            title->setFont(bold);
            form->addRow(title);
            (i == FClipped ? m_readoutTitle : m_statsTitle) = title;
        }
        auto *key = new QLabel(this);
        auto *value = new QLabel(this);
        value->setObjectName(QStringLiteral("stat_") + keyName(static_cast<Field>(i)));
        value->setTextInteractionFlags(Qt::TextSelectableByMouse);
        // High-rank shapes can be long: let them wrap instead of widening the panel.
        value->setWordWrap(i == FShape);
        if (i >= FCount)
            value->setFont(mono);
        m_keys[static_cast<std::size_t>(i)] = key;
        m_values[static_cast<std::size_t>(i)] = value;
        form->addRow(key, value);
    }
    retranslate();
    clear();
}

void WeightStatsPanel::retranslate()
{
    static const std::array<const char *, FieldCount> kLabels = {
        QT_TR_NOOP("Shape"),
        QT_TR_NOOP("Stored type"), QT_TR_NOOP("Stored quantized"), QT_TR_NOOP("Count"),
        QT_TR_NOOP("Min"),      QT_TR_NOOP("Max"),      QT_TR_NOOP("Mean"),
        QT_TR_NOOP("Std"),      QT_TR_NOOP("Abs max"),  QT_TR_NOOP("Zeros"),
        QT_TR_NOOP("Sparsity"), QT_TR_NOOP("NaN"),      QT_TR_NOOP("Inf"),
        QT_TR_NOOP("Channels"), QT_TR_NOOP("Clipped"), QT_TR_NOOP("SQNR"),
        QT_TR_NOOP("MSE"), QT_TR_NOOP("Levels in use"), QT_TR_NOOP("Sparsity")};
    static const std::array<const char *, FieldCount> kTips = {
        nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr,
        nullptr, nullptr, nullptr, nullptr,
        QT_TR_NOOP("Clipped: the share of weights outside the quantization range, which are "
                   "saturated to its ends."),
        QT_TR_NOOP("SQNR: signal-to-quantization-noise ratio of the compressed weight against "
                   "the original, in decibels (higher is better)."),
        QT_TR_NOOP("MSE: the mean squared difference between the compressed and the original "
                   "weights."),
        QT_TR_NOOP("Levels in use: how many of the integer codes the quantized weights actually "
                   "take."),
        QT_TR_NOOP("Sparsity: the share of weights that are zero after pruning and "
                   "quantization.")};
    for (std::size_t i = 0; i < kLabels.size(); ++i) {
        m_keys[i]->setText(tr(kLabels[i]));
        const QString tip = kTips[i] ? tr(kTips[i]) : QString();
        m_keys[i]->setToolTip(tip);
        m_values[i]->setToolTip(tip);
    }
    m_readoutTitle->setText(tr("Under the plan"));
    m_statsTitle->setText(tr("Weight statistics"));
    m_readoutTitle->setToolTip(tr("How the layer's weight fares under its compression settings; "
                                  "updated live while you drag the range."));
    setReadout(m_readout);
    if (m_hasStats)
        m_values[FQuantized]->setText(m_quantized ? tr("yes") : tr("no"));
}

void WeightStatsPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void WeightStatsPanel::clear()
{
    m_hasStats = false;
    m_readout = WeightReadout{};
    for (QLabel *value : m_values)
        value->setText(QStringLiteral("–"));
}

void WeightStatsPanel::setStats(const Layer &layer, const WeightStats &stats)
{
    m_hasStats = true;
    m_quantized = layer.storedQuantized;
    auto set = [this](Field f, const QString &text) { m_values[static_cast<std::size_t>(f)]->setText(text); };
    set(FShape, QString::fromStdString(dimsToString(layer.shape)));
    set(FDtype, QString::fromLatin1(dtypeName(layer.storedType)));
    set(FQuantized, m_quantized ? tr("yes") : tr("no"));
    set(FCount, integer(stats.count));
    set(FMin, number(stats.min));
    set(FMax, number(stats.max));
    set(FMean, number(stats.mean));
    set(FStd, number(stats.std));
    set(FAbsMax, number(stats.absMax));
    set(FZeros, integer(stats.zeros));
    set(FSparsity, QLocale().toString(stats.sparsity * 100.0, 'f', 2) + QStringLiteral(" %"));
    set(FNans, integer(stats.nans));
    set(FInfs, integer(stats.infs));
    set(FChannels, stats.channelMin.empty()
                       ? QStringLiteral("–")
                       : tr("%1 (axis %2)").arg(stats.channelMin.size()).arg(layer.channelAxis));
}

void WeightStatsPanel::setReadout(const WeightReadout &readout)
{
    m_readout = readout;
    auto set = [this](Field f, const QString &text) { m_values[static_cast<std::size_t>(f)]->setText(text); };
    const QString dash = QStringLiteral("–");
    if (!readout.valid) {
        for (Field f : {FClipped, FSqnr, FMse, FLevels, FCompressedSparsity})
            set(f, dash);
        return;
    }
    const QLocale locale;
    auto percent = [&locale](double share) {
        return locale.toString(share * 100.0, 'f', 2) + QStringLiteral(" %");
    };
    set(FClipped, readout.quantized ? percent(readout.clippedShare) : dash);
    set(FSqnr, std::isinf(readout.sqnrDb) ? tr("exact")
                                          : locale.toString(readout.sqnrDb, 'f', 2) + tr(" dB"));
    set(FMse, locale.toString(readout.mse, 'g', 4));
    set(FLevels, readout.quantized ? tr("%1 of %2").arg(locale.toString(static_cast<qlonglong>(readout.levelsUsed)),
                                                        locale.toString(static_cast<qlonglong>(readout.levelsTotal)))
                                   : dash);
    set(FCompressedSparsity, percent(readout.sparsity));
}

QString WeightStatsPanel::valueText(Field field) const
{
    return m_values[static_cast<std::size_t>(field)]->text();
}

} // namespace nnc
