// The core library must stay free of Qt: no file under core/ may include a Qt or QCustomPlot
// header. This test scans the sources, so a violation fails the suite, not just a review.
#include <QtTest>

#include <filesystem>
#include <fstream>
#include <regex>

class TestCoreIsQtFree : public QObject
{
    Q_OBJECT

private slots:
    void noQtIncludesInCore();
    void detectorCatchesAQtInclude();

private:
    static bool includesQt(const std::string &line);
};

bool TestCoreIsQtFree::includesQt(const std::string &line)
{
    static const std::regex re(R"(^\s*#\s*include\s*[<"](Q[A-Za-z]*|qcustomplot\.h|Qt[A-Za-z]*/)[^>"]*[>"])");
    return std::regex_search(line, re);
}

void TestCoreIsQtFree::detectorCatchesAQtInclude()
{
    QVERIFY(includesQt("#include <QString>"));
    QVERIFY(includesQt("#include <QtCore/QObject>"));
    QVERIFY(includesQt("  #include \"qcustomplot.h\""));
    QVERIFY(!includesQt("#include <vector>"));
    QVERIFY(!includesQt("#include \"core/quant/fake_quant.h\""));
}

void TestCoreIsQtFree::noQtIncludesInCore()
{
    namespace fs = std::filesystem;
    int files = 0;
    QStringList offenders;
    for (const auto &entry : fs::recursive_directory_iterator(NNC_SOURCE_DIR "/core")) {
        if (!entry.is_regular_file())
            continue;
        const auto ext = entry.path().extension();
        if (ext != ".h" && ext != ".cpp" && ext != ".hpp")
            continue;
        ++files;
        std::ifstream in(entry.path());
        std::string line;
        int n = 0;
        while (std::getline(in, line)) {
            ++n;
            if (includesQt(line))
                offenders << QString::fromStdString(entry.path().string()) + ":" + QString::number(n);
        }
    }
    QVERIFY(files > 10);
    QVERIFY2(offenders.isEmpty(), qPrintable("Qt headers in core/: " + offenders.join(", ")));
}

QTEST_APPLESS_MAIN(TestCoreIsQtFree)
#include "test_core_is_qt_free.moc"
