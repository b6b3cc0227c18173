// Desktop integration files: the .desktop entry, AppStream metainfo, MIME type and icon agree
// with each other and pass the freedesktop validators (when installed); the icon renders.
#include <QFile>
#include <QImage>
#include <QPainter>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QSvgRenderer>
#include <QTest>
#include <QXmlStreamReader>

namespace {

const QString kLinux = QStringLiteral(NNC_SOURCE_DIR "/packaging/linux/");

QString readText(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

/// Values of "Key=value" lines of the [Desktop Entry] group (untranslated keys only).
QMap<QString, QString> desktopEntry(const QString &path)
{
    QMap<QString, QString> keys;
    for (const QString &line : readText(path).split(QLatin1Char('\n'))) {
        const qsizetype eq = line.indexOf(QLatin1Char('='));
        if (eq > 0 && !line.startsWith(QLatin1Char('#')))
            keys.insert(line.left(eq), line.mid(eq + 1));
    }
    return keys;
}

/// Text of the first element called `name` (optionally with attribute type=`type`).
QString xmlElement(const QString &path, const QString &name, const QString &type = {})
{
    QXmlStreamReader xml(readText(path));
    while (!xml.atEnd()) {
        if (xml.readNext() == QXmlStreamReader::StartElement && xml.name() == name &&
            (type.isEmpty() || xml.attributes().value(QStringLiteral("type")) == type))
            return xml.readElementText(QXmlStreamReader::IncludeChildElements).trimmed();
    }
    return {};
}

QStringList xmlAttributes(const QString &path, const QString &element, const QString &attribute)
{
    QStringList values;
    QXmlStreamReader xml(readText(path));
    while (!xml.atEnd()) {
        if (xml.readNext() == QXmlStreamReader::StartElement && xml.name() == element)
            values << xml.attributes().value(attribute).toString();
    }
    return values;
}

/// Runs a validator if it is installed; returns false (and explains) when it is not.
bool runValidator(const QString &program, const QStringList &args, int *exitCode, QString *output)
{
    const QString exe = QStandardPaths::findExecutable(program);
    if (exe.isEmpty())
        return false;
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(exe, args);
    p.waitForFinished(60000);
    *exitCode = p.exitCode();
    *output = QString::fromUtf8(p.readAll());
    return true;
}

} // namespace

class TestPackaging : public QObject
{
    Q_OBJECT

private slots:
    void desktopEntryPointsAtBinaryIconAndMimeType()
    {
        const auto entry = desktopEntry(kLinux + QStringLiteral("nncompress-studio.desktop"));
        QCOMPARE(entry.value(QStringLiteral("Type")), QStringLiteral("Application"));
        QVERIFY(entry.value(QStringLiteral("Exec")).startsWith(QStringLiteral("nncompress-studio ")));
        QCOMPARE(entry.value(QStringLiteral("Icon")), QStringLiteral("nncompress-studio"));
        QVERIFY(QFile::exists(kLinux + entry.value(QStringLiteral("Icon")) + QStringLiteral(".svg")));
        // The MIME type it claims is the one the package defines.
        const QStringList types = xmlAttributes(kLinux + QStringLiteral("nncompress-onnx.xml"),
                                                QStringLiteral("mime-type"), QStringLiteral("type"));
        QCOMPARE(types, QStringList{QStringLiteral("application/x-onnx")});
        QCOMPARE(entry.value(QStringLiteral("MimeType")), types.first() + QLatin1Char(';'));
        QVERIFY(!entry.value(QStringLiteral("Comment[zh_CN]")).isEmpty());
    }

    void desktopEntryPassesValidator()
    {
        int code = -1;
        QString out;
        if (!runValidator(QStringLiteral("desktop-file-validate"),
                          {kLinux + QStringLiteral("nncompress-studio.desktop")}, &code, &out))
            QSKIP("desktop-file-validate is not installed (package desktop-file-utils)");
        QVERIFY2(code == 0 && !out.contains(QStringLiteral("error")), qPrintable(out));
    }

    void metainfoMatchesDesktopEntryAndVersion()
    {
        const QString meta = kLinux + QStringLiteral("io.github.nncompress.Studio.metainfo.xml");
        QCOMPARE(xmlElement(meta, QStringLiteral("id")), QStringLiteral("io.github.nncompress.Studio"));
        const QString launchable = xmlElement(meta, QStringLiteral("launchable"), QStringLiteral("desktop-id"));
        QCOMPARE(launchable, QStringLiteral("nncompress-studio.desktop"));
        QVERIFY(QFile::exists(kLinux + launchable));
        QCOMPARE(xmlElement(meta, QStringLiteral("icon"), QStringLiteral("stock")),
                 QStringLiteral("nncompress-studio"));
        // The newest release listed is the version being built.
        const QStringList versions = xmlAttributes(meta, QStringLiteral("release"), QStringLiteral("version"));
        QVERIFY(!versions.isEmpty());
        QCOMPARE(versions.first(), QStringLiteral(NNC_VERSION));
    }

    void metainfoPassesValidator()
    {
        int code = -1;
        QString out;
        if (!runValidator(QStringLiteral("appstreamcli"),
                          {QStringLiteral("validate"), QStringLiteral("--no-net"),
                           kLinux + QStringLiteral("io.github.nncompress.Studio.metainfo.xml")},
                          &code, &out))
            QSKIP("appstreamcli is not installed (package appstream)");
        QVERIFY2(code == 0, qPrintable(out));
    }

    void iconRendersAtDesktopSizes()
    {
        for (const QString &path : {kLinux + QStringLiteral("nncompress-studio.svg"),
                                    QStringLiteral(":/icons/nncompress-studio.svg")}) {
            QSvgRenderer svg(path);
            QVERIFY2(svg.isValid(), qPrintable(path));
            QCOMPARE(svg.viewBox(), QRect(0, 0, 128, 128));
            for (int size : {16, 48, 256}) {
                QImage image(size, size, QImage::Format_ARGB32_Premultiplied);
                image.fill(Qt::transparent);
                QPainter painter(&image);
                svg.render(&painter);
                painter.end();
                // Corners stay transparent (rounded tile), the centre is painted.
                QCOMPARE(qAlpha(image.pixel(0, 0)), 0);
                QVERIFY(qAlpha(image.pixel(size / 2, size / 2)) > 200);
            }
        }
    }

    void cpackBuildsDebWithShlibdeps()
    {
        const QString config = readText(QStringLiteral(NNC_BINARY_DIR "/CPackConfig.cmake"));
        if (config.isEmpty())
            QSKIP("no CPackConfig.cmake in the build directory");
        QVERIFY(config.contains(QRegularExpression(QStringLiteral("CPACK_GENERATOR \"DEB\""))));
        QVERIFY(config.contains(QStringLiteral("CPACK_DEBIAN_PACKAGE_SHLIBDEPS \"ON\"")));
        QVERIFY(config.contains(QStringLiteral("CPACK_DEBIAN_PACKAGE_MAINTAINER")));
    }
};

QTEST_MAIN(TestPackaging)
#include "test_packaging.moc"
