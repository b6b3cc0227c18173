// nncompress-studio entry point: application identity, UI language, command line, main window.
#include "app/studio/language.h"
#include "app/studio/main_window.h"
#include "app/studio/report_pdf.h"
#include "app/studio/screenshots.h"
#include "core/util/cpu.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QMessageBox>
#include <QSettings>

#include <clocale>
#include <cstdio>

namespace {

// --lang must be known before the command-line help is built, so that the help is translated.
QString languageArgument(const QStringList &args)
{
    for (qsizetype i = 1; i < args.size(); ++i) {
        if (args[i] == QLatin1String("--lang") && i + 1 < args.size())
            return args[i + 1];
        if (args[i].startsWith(QLatin1String("--lang=")))
            return args[i].mid(7);
    }
    return {};
}

} // namespace

int main(int argc, char **argv)
{
    // First, before any of our vectorised code runs: an old CPU gets a sentence, not SIGILL.
    const std::string cpuProblem = nnc::cpuSupportProblem();
    QApplication app(argc, argv);
    // Qt sets the C locale from the environment; the core formats and parses numbers with the C
    // library (report SVG coordinates, JSON, option values), which must not take "2,5" for 2.5.
    std::setlocale(LC_NUMERIC, "C");
    if (!cpuProblem.empty()) {
        std::fprintf(stderr, "%s\n", cpuProblem.c_str());
        QMessageBox::critical(nullptr, QStringLiteral("NNCompress Studio"),
                              QString::fromStdString(cpuProblem));
        return 1;
    }
    QCoreApplication::setOrganizationName(QStringLiteral("NNCompress"));
    QCoreApplication::setOrganizationDomain(QStringLiteral("nncompress.github.io"));
    QCoreApplication::setApplicationName(QStringLiteral("Studio"));
    QCoreApplication::setApplicationVersion(QStringLiteral(NNC_VERSION));
    QGuiApplication::setApplicationDisplayName(QStringLiteral("NNCompress Studio"));
    QGuiApplication::setDesktopFileName(QStringLiteral("nncompress-studio"));
    QGuiApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/nncompress-studio.svg")));

    const QString cliLanguage = languageArgument(QCoreApplication::arguments());
    const QString language = nnc::studio::resolveLanguage(
        cliLanguage, QSettings().value(QLatin1String(nnc::studio::kLanguageSettingsKey)).toString(),
        QLocale::system());
    nnc::studio::applyLanguage(language);
    // Headless: `--report-pdf OUT --model M --data D --plan P` writes the report, shows no window.
    if (nnc::studio::isReportPdfCommand(QCoreApplication::arguments()))
        return nnc::studio::runReportPdfCommand(QCoreApplication::arguments(), language);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QCoreApplication::translate("main", "Inspect and compress ONNX neural networks."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption langOption(
        QStringLiteral("lang"),
        QCoreApplication::translate("main", "User interface language (en, zh_CN)."),
        QCoreApplication::translate("main", "code"));
    parser.addOption(langOption);
    const QCommandLineOption dataOption(
        QStringLiteral("data"),
        QCoreApplication::translate("main", "Validation data to open with the model."),
        QCoreApplication::translate("main", "file"));
    parser.addOption(dataOption);
    const QCommandLineOption screenshotsOption(
        QStringLiteral("screenshots"),
        QCoreApplication::translate("main", "Render the main views of the demo into a folder as "
                                            "PNG files, then quit."),
        QCoreApplication::translate("main", "folder"));
    parser.addOption(screenshotsOption);
    const QCommandLineOption sizeOption(
        QStringLiteral("window-size"),
        QCoreApplication::translate("main", "Window size for --screenshots (default 1280x800)."),
        QStringLiteral("WxH"));
    parser.addOption(sizeOption);
    const QCommandLineOption suffixOption(
        QStringLiteral("screenshot-suffix"),
        QCoreApplication::translate("main", "Text appended to each screenshot's file name."),
        QStringLiteral("suffix"));
    parser.addOption(suffixOption);
    parser.addPositionalArgument(
        QStringLiteral("file"),
        QCoreApplication::translate("main", "Model, project or plan to open (default: the demo "
                                            "model with its validation data)."),
        QStringLiteral("[model.onnx|project.nncproj]"));
    parser.process(app);
    if (parser.isSet(langOption) && nnc::studio::normalizeLanguage(parser.value(langOption)).isEmpty())
        std::fprintf(stderr, "%s\n",
                     qPrintable(QCoreApplication::translate("main", "Unknown language \"%1\"; "
                                                                    "available: %2.")
                                    .arg(parser.value(langOption),
                                         nnc::studio::availableLanguages().join(QStringLiteral(", ")))));

    nnc::studio::MainWindow window;
    if (parser.isSet(screenshotsOption)) {
        QSize size(1280, 800);
        if (const QStringList wh = parser.value(sizeOption).split(QLatin1Char('x'));
            wh.size() == 2 && wh[0].toInt() > 0 && wh[1].toInt() > 0)
            size = QSize(wh[0].toInt(), wh[1].toInt());
        window.resize(size);
        window.show();
        return nnc::studio::runScreenshots(window, parser.value(screenshotsOption),
                                           parser.value(suffixOption), size);
    }
    window.show();
    if (const QStringList files = parser.positionalArguments(); !files.isEmpty()) {
        if (parser.isSet(dataOption))
            window.openModelWithData(files.first(), parser.value(dataOption));
        else
            window.openFile(files.first());
    } else {
        window.openDefaultDemo();
    }
    window.offerRecovery();
    return app.exec();
}
