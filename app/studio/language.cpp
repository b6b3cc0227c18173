// Translator management for the Studio.
#include "app/studio/language.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QTranslator>

#include <memory>

namespace nnc::studio {

namespace {

struct Installed
{
    QString code = QStringLiteral("en");
    std::unique_ptr<QTranslator> app;
    std::unique_ptr<QTranslator> qt;
};

Installed &installed()
{
    static Installed state;
    return state;
}

} // namespace

QStringList availableLanguages()
{
    return {QStringLiteral("en"), QStringLiteral("zh_CN")};
}

QString nativeLanguageName(const QString &code)
{
    if (code == QLatin1String("zh_CN"))
        return QStringLiteral("简体中文");
    return QStringLiteral("English");
}

QString normalizeLanguage(const QString &code)
{
    QString c = code.trimmed().toLower();
    c.replace(QLatin1Char('-'), QLatin1Char('_'));
    if (c.isEmpty())
        return {};
    if (c == QLatin1String("en") || c.startsWith(QLatin1String("en_")) || c == QLatin1String("c"))
        return QStringLiteral("en");
    // Simplified Chinese: zh, zh_CN, zh_SG, zh_Hans*; not zh_TW / zh_HK / zh_Hant (traditional).
    if (c == QLatin1String("zh") || c.startsWith(QLatin1String("zh_cn")) ||
        c.startsWith(QLatin1String("zh_sg")) || c.startsWith(QLatin1String("zh_hans")))
        return QStringLiteral("zh_CN");
    return {};
}

QString resolveLanguage(const QString &commandLine, const QString &saved, const QLocale &system)
{
    if (const QString c = normalizeLanguage(commandLine); !c.isEmpty())
        return c;
    if (const QString s = normalizeLanguage(saved); !s.isEmpty())
        return s;
    for (const QString &ui : system.uiLanguages()) {
        if (const QString l = normalizeLanguage(ui); !l.isEmpty())
            return l;
    }
    return QStringLiteral("en");
}

bool applyLanguage(const QString &code)
{
    Installed &state = installed();
    for (auto *slot : {&state.app, &state.qt}) {
        if (*slot) {
            QCoreApplication::removeTranslator(slot->get());
            slot->reset();
        }
    }
    const QString lang = normalizeLanguage(code).isEmpty() ? QStringLiteral("en") : normalizeLanguage(code);
    state.code = QStringLiteral("en");
    if (lang == QLatin1String("en"))
        return true;

    auto app = std::make_unique<QTranslator>();
    if (!app->load(QStringLiteral(":/i18n/nncompress_") + lang))
        return false;
    QCoreApplication::installTranslator(app.get());
    state.app = std::move(app);
    state.code = lang;

    // Standard buttons and dialogs ("OK", "Cancel", file dialog) come from Qt's catalogue; it is
    // an optional package (qt6-translations-l10n), so its absence is not an error.
    auto qt = std::make_unique<QTranslator>();
    if (qt->load(QStringLiteral("qtbase_") + lang,
                 QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
        QCoreApplication::installTranslator(qt.get());
        state.qt = std::move(qt);
    }
    return true;
}

QString currentLanguage()
{
    return installed().code;
}

} // namespace nnc::studio
