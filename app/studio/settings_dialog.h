// Settings: UI language, evaluator threads and activation cache budget, kept in QSettings.
#pragma once

#include <QDialog>

#include <cstddef>

class QComboBox;
class QSpinBox;

namespace nnc::studio {

/// QSettings keys and defaults (threads 0 = all cores).
inline constexpr char kThreadsSettingsKey[] = "engine/threads";
inline constexpr char kCacheSettingsKey[] = "engine/cacheMiB";
inline constexpr int kDefaultCacheMiB = 1024;

/// The evaluator settings as saved (threads >= 0, cache in bytes).
int savedThreads();
std::size_t savedCacheBytes();

class SettingsDialog final : public QDialog
{
    Q_OBJECT

public:
    explicit SettingsDialog(QWidget *parent = nullptr);

    /// The chosen language code ("" = system, "en", "zh_CN").
    QString language() const;
    int threads() const;
    int cacheMiB() const;
    /// Writes the choices to QSettings (the caller applies the language).
    void save() const;

    QComboBox *languageCombo() const { return m_language; }

private:
    QComboBox *m_language = nullptr;
    QSpinBox *m_threads = nullptr;
    QSpinBox *m_cache = nullptr;
};

} // namespace nnc::studio
