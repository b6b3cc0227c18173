// .npy (every dtype, format versions 1.0/2.0/3.0, big-endian, gzip) and .npz (stored, deflated,
// hand-written ZIP64) read through openArraySource, checked value by value.
#include "data_test_util.h"

#include <cmath>

using namespace nnc;
using datatest::fixture;

Q_DECLARE_METATYPE(nnc::DataType)

class TestNpyNpz : public QObject
{
    Q_OBJECT

private slots:
    void npyEveryDtype_data();
    void npyEveryDtype();
    void npyRowSubsetsStartAtTheRightRow();
    void npzStoredDeflatedAndZip64HoldTheSameArrays_data();
    void npzStoredDeflatedAndZip64HoldTheSameArrays();
    void outOfRangeRowsAndUnknownArraysAreReported();
    void zeroRowsReadAsAnEmptyTensor();
};

void TestNpyNpz::npyEveryDtype_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<nnc::DataType>("dtype");
    QTest::addColumn<QList<double>>("values");
    const QList<double> floats{0.5, 1.0, -2.0, 3.25, 4.0, -5.5};
    const QList<double> signedv{0, 1, -2, 3, 4, -5};
    const QList<double> unsignedv{0, 1, 2, 3, 4, 200};
    QTest::newRow("<f2") << "npy/f2.npy" << DataType::Float16 << floats;
    QTest::newRow("<f4") << "npy/f4.npy" << DataType::Float << floats;
    QTest::newRow("<f8") << "npy/f8.npy" << DataType::Double << floats;
    QTest::newRow("|i1") << "npy/i1.npy" << DataType::Int8 << signedv;
    QTest::newRow("<i2") << "npy/i2.npy" << DataType::Int16 << signedv;
    QTest::newRow("<i4") << "npy/i4.npy" << DataType::Int32 << signedv;
    QTest::newRow("<i8") << "npy/i8.npy" << DataType::Int64
                         << QList<double>{0, 1, -2, 3, 4, -std::ldexp(1.0, 40)};
    QTest::newRow("|u1") << "npy/u1.npy" << DataType::UInt8 << unsignedv;
    QTest::newRow("<u2") << "npy/u2.npy" << DataType::UInt16 << unsignedv;
    QTest::newRow("<u4") << "npy/u4.npy" << DataType::UInt32 << unsignedv;
    QTest::newRow("<u8") << "npy/u8.npy" << DataType::UInt64
                         << QList<double>{0, 1, 2, 3, 4, std::ldexp(1.0, 40)};
    QTest::newRow("|b1") << "npy/b1.npy" << DataType::Bool << QList<double>{1, 0, 0, 1, 1, 1};
    QTest::newRow(">f4 (big-endian)") << "npy/be_f4.npy" << DataType::Float << floats;
    QTest::newRow(">i8 (big-endian)") << "npy/be_i8.npy" << DataType::Int64
                                      << QList<double>{0, 1, -2, 3, 4, -std::ldexp(1.0, 40)};
    QTest::newRow("format 2.0") << "npy/v2.npy" << DataType::Float << floats;
    QTest::newRow("format 3.0") << "npy/v3.npy" << DataType::Float << floats;
    QTest::newRow("gzipped .npy") << "npy/f4.npy.gz" << DataType::Float << floats;
}

void TestNpyNpz::npyEveryDtype()
{
    QFETCH(QString, file);
    QFETCH(nnc::DataType, dtype);
    QFETCH(QList<double>, values);
    auto src = openArraySource(fixture(file.toStdString()));
    DT_OK(src);
    const auto &arrays = (*src)->arrays();
    QCOMPARE(arrays.size(), std::size_t{1});
    // The array is named after the file stem ("f4" for f4.npy and f4.npy.gz).
    QCOMPARE(QString::fromStdString(arrays[0].name),
             QFileInfo(file).fileName().section('.', 0, 0));
    QCOMPARE(arrays[0].dtype, dtype);
    QCOMPARE(arrays[0].shape, (Dims{3, 2}));
    auto t = (*src)->readRows(arrays[0].name, 0, 3);
    DT_OK(t);
    QCOMPARE(t->dtype(), dtype);
    QCOMPARE(t->dims(), (Dims{3, 2}));
    for (int i = 0; i < 6; ++i)
        QCOMPARE(t->valueAsDouble(i), values[i]);
}

void TestNpyNpz::npyRowSubsetsStartAtTheRightRow()
{
    for (const char *f : {"npy/i8.npy", "npy/be_i8.npy", "npy/f4.npy.gz"}) {
        auto src = openArraySource(fixture(f));
        DT_OK(src);
        const std::string name = (*src)->arrays()[0].name;
        auto all = (*src)->readRows(name, 0, 3);
        DT_OK(all);
        // Out of order on purpose: the gzip stream must restart for the second read.
        for (auto [start, count] : {std::pair{2, 1}, std::pair{1, 2}, std::pair{0, 1}}) {
            auto part = (*src)->readRows(name, start, count);
            DT_OK(part);
            QCOMPARE(part->dims(), (Dims{count, 2}));
            for (int i = 0; i < count * 2; ++i)
                QCOMPARE(part->valueAsDouble(i), all->valueAsDouble(start * 2 + i));
        }
    }
}

void TestNpyNpz::npzStoredDeflatedAndZip64HoldTheSameArrays_data()
{
    QTest::addColumn<QString>("file");
    QTest::newRow("np.savez (stored)") << "stored.npz";
    QTest::newRow("np.savez_compressed (deflate)") << "deflated.npz";
    QTest::newRow("ZIP64 records and extra fields") << "zip64.npz";
}

void TestNpyNpz::npzStoredDeflatedAndZip64HoldTheSameArrays()
{
    QFETCH(QString, file);
    auto src = openArraySource(fixture(file.toStdString()));
    DT_OK(src);
    const auto &arrays = (*src)->arrays();
    QCOMPARE(arrays.size(), std::size_t{2});
    QCOMPARE(arrays[0].name, std::string("x"));
    QCOMPARE(arrays[0].dtype, DataType::Float);
    QCOMPARE(arrays[0].shape, (Dims{6, 4}));
    QCOMPARE(arrays[1].name, std::string("y"));
    QCOMPARE(arrays[1].dtype, DataType::Int64);
    QCOMPARE(arrays[1].shape, (Dims{6}));
    auto x = (*src)->readRows("x", 0, 6);
    DT_OK(x);
    for (int i = 0; i < 24; ++i)
        QCOMPARE(x->data<float>()[i], static_cast<float>(i) / 10.0f);
    auto y = (*src)->readRows("y", 2, 3);
    DT_OK(y);
    QCOMPARE(y->toInt64Vector(), (std::vector<int64_t>{1, 0, 1}));
}

void TestNpyNpz::outOfRangeRowsAndUnknownArraysAreReported()
{
    const auto path = fixture("deflated.npz");
    auto src = openArraySource(path);
    DT_OK(src);
    auto r = (*src)->readRows("x", 5, 4);
    QVERIFY(!r);
    QCOMPARE(datatest::msg(r.error()),
             QString("rows 5 to 9 of array 'x' are out of range; it has 6 samples."));
    r = (*src)->readRows("x", -1, 1);
    QVERIFY(!r);
    QCOMPARE(datatest::msg(r.error()),
             QString("rows -1 to 0 of array 'x' are out of range; it has 6 samples."));
    r = (*src)->readRows("q", 0, 1);
    QVERIFY(!r);
    QCOMPARE(datatest::msg(r.error()),
             QString("'%1' has no array 'q'; its arrays are x, y.")
                 .arg(QString::fromStdString(path.string())));
    auto missing = openArraySource("/nonexistent/val.npz");
    QVERIFY(!missing);
    QCOMPARE(datatest::msg(missing.error()), QString("'/nonexistent/val.npz' does not exist."));
}

void TestNpyNpz::zeroRowsReadAsAnEmptyTensor()
{
    auto src = openArraySource(fixture("deflated.npz"));
    DT_OK(src);
    auto r = (*src)->readRows("x", 6, 0);
    DT_OK(r);
    QCOMPARE(r->dims(), (Dims{0, 4}));
    QCOMPARE(r->numel(), int64_t{0});
}

QTEST_APPLESS_MAIN(TestNpyNpz)
#include "test_npy_npz.moc"
