// WeightStatsPanel: formats a WeightStats snapshot with the user's locale.
#include "widgets/weight_stats_panel.h"

#include <QEvent>
#include <QFontDatabase>
#include <QFormLayout>
#include <QLabel>
#include <QLocale>

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
        "absmax", "zeros", "sparsity", "nans", "infs", "channels"};
    return QString::fromLatin1(kNames[static_cast<std::size_t>(field)]);
}

WeightStatsPanel::WeightStatsPanel(QWidget *parent) : QWidget(parent)
{
    auto *form = new QFormLayout(this);
    form->setLabelAlignment(Qt::AlignLeft);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setRowWrapPolicy(QFormLayout::DontWrapRows);
    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    for (int i = 0; i < FieldCount; ++i) {
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
        QT_TR_NOOP("Channels")};
    for (std::size_t i = 0; i < kLabels.size(); ++i)
        m_keys[i]->setText(tr(kLabels[i]));
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

QString WeightStatsPanel::valueText(Field field) const
{
    return m_values[static_cast<std::size_t>(field)]->text();
}

} // namespace nnc
