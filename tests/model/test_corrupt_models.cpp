// Every file in tests/data/corrupt/ gives exit code 3 and its exact expected message, through the
// CLI (the user's view) and through readModel (the API's view).
#include "core/model/onnx_reader.h"

#include <QProcess>
#include <QtTest>

#include <fstream>
#include <sstream>

class TestCorruptModels : public QObject
{
    Q_OBJECT

private slots:
    void cliReportsEachCorruptFile_data();
    void cliReportsEachCorruptFile();
    void missingFileAndDirectoryAreReported();
};

void TestCorruptModels::cliReportsEachCorruptFile_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("expected");
    std::ifstream in(NNC_SOURCE_DIR "/tests/data/corrupt/expected.tsv");
    QVERIFY2(in.good(), "expected.tsv is missing");
    std::string line;
    int rows = 0;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#')
            continue;
        const auto tab = line.find('\t');
        QVERIFY(tab != std::string::npos);
        const QString file = QString::fromStdString(line.substr(0, tab));
        QTest::newRow(qPrintable(file)) << file << QString::fromStdString(line.substr(tab + 1));
        ++rows;
    }
    QVERIFY(rows >= 10);
}

void TestCorruptModels::cliReportsEachCorruptFile()
{
    QFETCH(QString, file);
    QFETCH(QString, expected);
    const QString rel = "tests/data/corrupt/" + file;
    QProcess p;
    p.setWorkingDirectory(NNC_SOURCE_DIR);
    p.start(NNC_CLI_PATH, {"inspect", rel});
    QVERIFY(p.waitForFinished(30000));
    QCOMPARE(p.exitStatus(), QProcess::NormalExit); // no crash, no abort
    QCOMPARE(p.exitCode(), 3);
    const QString err = QString::fromUtf8(p.readAllStandardError());
    QVERIFY2(err.contains(expected), qPrintable("stderr was: " + err));
    QVERIFY2(err.contains(rel), "the message must name the file");

    // The API gives the same message as a value, never an exception.
    const auto r = nnc::readModel(std::filesystem::path(NNC_SOURCE_DIR) / rel.toStdString());
    QVERIFY(!r.has_value());
    QVERIFY(QString::fromStdString(r.error().message).contains(expected.section("'tests/", 0, 0)));
}

void TestCorruptModels::missingFileAndDirectoryAreReported()
{
    auto missing = nnc::readModel("/nonexistent/model.onnx");
    QVERIFY(!missing);
    QCOMPARE(QString::fromStdString(missing.error().message),
             QString("cannot read model: '/nonexistent/model.onnx' does not exist."));
    auto dir = nnc::readModel(NNC_SOURCE_DIR "/tests/data");
    QVERIFY(!dir);
    QVERIFY(QString::fromStdString(dir.error().message).contains("is a directory, not a file."));
}

QTEST_APPLESS_MAIN(TestCorruptModels)
#include "test_corrupt_models.moc"
