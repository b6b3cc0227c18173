// SettingsDialog: a small form over QSettings.
#include "app/studio/settings_dialog.h"

#include "app/studio/language.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QSettings>
#include <QSpinBox>
#include <QThread>
#include <QVBoxLayout>

#include <algorithm>

namespace nnc::studio {

int savedThreads()
{
    return std::max(0, QSettings().value(QLatin1String(kThreadsSettingsKey), 0).toInt());
}

std::size_t savedCacheBytes()
{
    const int mib = QSettings().value(QLatin1String(kCacheSettingsKey), kDefaultCacheMiB).toInt();
    return static_cast<std::size_t>(std::clamp(mib, 16, 1 << 20)) << 20;
}

SettingsDialog::SettingsDialog(QWidget *parent) : QDialog(parent)
{
    setObjectName(QStringLiteral("settingsDialog"));
    setWindowTitle(tr("Settings"));
    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    layout->addLayout(form);

    QSettings settings;
    m_language = new QComboBox(this);
    m_language->setObjectName(QStringLiteral("languageCombo"));
    m_language->addItem(tr("System default"), QString());
    for (const QString &code : availableLanguages())
        m_language->addItem(nativeLanguageName(code), code);
    const QString saved = normalizeLanguage(settings.value(QLatin1String(kLanguageSettingsKey)).toString());
    m_language->setCurrentIndex(std::max(0, m_language->findData(saved)));
    m_language->setToolTip(tr("Language: the language of menus and labels; it changes at once."));
    form->addRow(tr("&Language:"), m_language);

    m_threads = new QSpinBox(this);
    m_threads->setObjectName(QStringLiteral("threadsSpin"));
    m_threads->setRange(0, std::max(64, QThread::idealThreadCount()));
    m_threads->setSpecialValueText(tr("All cores"));
    m_threads->setValue(savedThreads());
    m_threads->setToolTip(tr("Threads: how many CPU cores the evaluator uses (\"All cores\" uses "
                             "every one); takes effect when data is next opened."));
    form->addRow(tr("&Threads:"), m_threads);

    m_cache = new QSpinBox(this);
    m_cache->setObjectName(QStringLiteral("cacheSpin"));
    m_cache->setRange(16, 1 << 20);
    m_cache->setSingleStep(256);
    m_cache->setSuffix(tr(" MiB"));
    m_cache->setValue(static_cast<int>(savedCacheBytes() >> 20));
    m_cache->setToolTip(tr("Cache budget: memory kept for activations so that an edit re-runs "
                           "only the layers after it."));
    form->addRow(tr("&Cache budget:"), m_cache);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
}

QString SettingsDialog::language() const
{
    return m_language->currentData().toString();
}

int SettingsDialog::threads() const
{
    return m_threads->value();
}

int SettingsDialog::cacheMiB() const
{
    return m_cache->value();
}

void SettingsDialog::save() const
{
    QSettings settings;
    settings.setValue(QLatin1String(kLanguageSettingsKey), language());
    settings.setValue(QLatin1String(kThreadsSettingsKey), threads());
    settings.setValue(QLatin1String(kCacheSettingsKey), cacheMiB());
}

} // namespace nnc::studio
