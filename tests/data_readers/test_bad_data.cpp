// Every file in tests/data/datasets/bad/ gives its exact expected message (bad/expected.tsv):
// corrupt or truncated npy/npz/IDX/pb data from openArraySource or the first read, data that
// does not fit the model from openDataset, and NaN/infinite inputs from the first batch.
#include "data_test_util.h"

#include <fstream>
#include <random>
#include <sstream>

using namespace nnc;
using datatest::fixture;

class TestBadData : public QObject
{
    Q_OBJECT

private slots:
    void eachBadFileGivesItsMessage_data();
    void eachBadFileGivesItsMessage();
    void randomCorruptionsGiveErrorsNotCrashes_data();
    void randomCorruptionsGiveErrorsNotCrashes();
};

void TestBadData::eachBadFileGivesItsMessage_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("overrides");
    QTest::addColumn<QString>("expected");
    std::ifstream in(fixture("bad/expected.tsv"));
    QVERIFY2(in.good(), "bad/expected.tsv is missing");
    std::string line;
    int rows = 0;
    const QString dir = QString::fromStdString(fixture("bad").string());
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#')
            continue;
        const QStringList f = QString::fromStdString(line).split('\t');
        QCOMPARE(f.size(), 4);
        const QString name = f[0] + (f[1] == "-" ? "" : " with " + f[1])
                             + (f[2] == "-" ? "" : " " + f[2]);
        QTest::newRow(qPrintable(name)) << f[0] << f[1] << f[2]
                                        << QString(f[3]).replace("{dir}", dir);
        ++rows;
    }
    QVERIFY(rows >= 40);
}

/// The first error: opening, or reading every row of every array.
static QString sourceError(const std::filesystem::path &path)
{
    auto src = openArraySource(path);
    if (!src)
        return datatest::msg(src.error());
    for (const ArrayInfo &a : (*src)->arrays()) {
        auto t = (*src)->readRows(a.name, 0, a.shape.empty() ? 1 : a.shape[0]);
        if (!t)
            return datatest::msg(t.error());
    }
    return "(no error)";
}

/// The first error: binding, or reading the whole set as one batch.
static QString datasetError(const std::filesystem::path &path, const QString &model,
                            const QString &overrides)
{
    const Model m = datatest::model(model.toStdString());
    DatasetOverrides o;
    if (overrides != "-") {
        const QStringList words = overrides.split(' ', Qt::SkipEmptyParts);
        for (int i = 0; i + 1 < words.size(); i += 2)
            (words[i] == "--input" ? o.inputs : o.labels).push_back(words[i + 1].toStdString());
    }
    auto ds = openDataset(path, m, o);
    if (!ds)
        return datatest::msg(ds.error());
    auto b = (*ds)->batch(0, (*ds)->size());
    if (!b)
        return datatest::msg(b.error());
    return "(no error)";
}

void TestBadData::eachBadFileGivesItsMessage()
{
    QFETCH(QString, file);
    QFETCH(QString, model);
    QFETCH(QString, overrides);
    QFETCH(QString, expected);
    const auto path = fixture("bad/" + file.toStdString());
    const QString got = model == "-" ? sourceError(path) : datasetError(path, model, overrides);
    QCOMPARE(got, expected);
}

void TestBadData::randomCorruptionsGiveErrorsNotCrashes_data()
{
    QTest::addColumn<QString>("file");
    for (const char *f : {"stored.npz", "deflated.npz", "zip64.npz", "stream.npz", "npy/f4.npy",
                          "npy/f4.npy.gz", "idx/tiny-images-idx3-ubyte.gz", "idx/values-idx2-float"})
        QTest::newRow(f) << f;
}

/// Truncated and bit-flipped copies (fixed seed) of each valid file: opening and reading every
/// row must end in a value or an error sentence, never a crash or an exception. Run under the
/// asan preset this also catches out-of-bounds reads in the parsers.
void TestBadData::randomCorruptionsGiveErrorsNotCrashes()
{
    QFETCH(QString, file);
    std::ifstream in(fixture(file.toStdString()), std::ios::binary);
    const std::string good((std::istreambuf_iterator<char>(in)), {});
    QVERIFY(!good.empty());
    QTemporaryDir dir;
    const std::string path = dir.filePath(QFileInfo(file).fileName()).toStdString();
    std::mt19937 rng(20261126);
    int errors = 0;
    for (int round = 0; round < 150; ++round) {
        std::string bad = good;
        if (round % 3 == 0) {
            bad.resize(rng() % good.size());
        } else {
            const int flips = 1 + static_cast<int>(rng() % 4);
            for (int k = 0; k < flips; ++k)
                bad[rng() % bad.size()] ^= static_cast<char>(1 + rng() % 255);
        }
        std::ofstream(path, std::ios::binary | std::ios::trunc) << bad;
        const QString got = sourceError(path);
        if (got != "(no error)") {
            ++errors;
            QVERIFY2(got.endsWith('.') && got.size() > 20,
                     qPrintable(QString("round %1: '%2'").arg(round).arg(got)));
        }
    }
    qInfo("%s: %d of 150 corrupted copies reported an error", qPrintable(file), errors);
    QVERIFY(errors >= 50); // every truncation at least
}

QTEST_APPLESS_MAIN(TestBadData)
#include "test_bad_data.moc"
