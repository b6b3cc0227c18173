// UI language: which one to use (command line, saved choice, system locale) and installing the
// Studio's and Qt's translators for it. English is the source language and needs no translator.
#pragma once

#include <QLocale>
#include <QString>
#include <QStringList>

namespace nnc::studio {

/// Language codes the Studio ships: "en" (source) and "zh_CN".
QStringList availableLanguages();
/// The language's own name for menus ("English", "简体中文").
QString nativeLanguageName(const QString &code);
/// Maps user input ("zh", "zh-CN", "zh_Hans_CN", "en_US" ...) to a shipped code; empty if none.
QString normalizeLanguage(const QString &code);
/// The language to use: `commandLine` (--lang) wins, then `saved` (QSettings; empty = follow
/// the system), then `system`'s UI languages; English when none of them is shipped.
QString resolveLanguage(const QString &commandLine, const QString &saved, const QLocale &system);
/// Installs the translators for `code` (removing earlier ones). Returns false if the Studio's
/// own translation for it is missing (the UI then stays English). Qt's own catalogue (standard
/// dialog buttons) is loaded from Qt's translations folder when present.
bool applyLanguage(const QString &code);
/// The code applied last ("en" before any call).
QString currentLanguage();

/// QSettings key holding the saved choice ("" = system default).
inline constexpr char kLanguageSettingsKey[] = "ui/language";

} // namespace nnc::studio
