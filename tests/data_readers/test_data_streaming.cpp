// Streaming: a deflated member read in many small in-order batches equals one big read and is
// decoded exactly once (O(batch) per read); going backwards restarts the decoder from the
// member's start; a gzip IDX stream behaves the same; batches of a bound dataset agree.
#include "data_test_util.h"

#include "core/data/byte_source.h"
#include "core/data/zip_archive.h"

#include <cstring>
#include <random>

using namespace nnc;
using datatest::fixture;

class TestDataStreaming : public QObject
{
    Q_OBJECT

private slots:
    void smallInOrderBatchesEqualOneBigRead_data();
    void smallInOrderBatchesEqualOneBigRead();
    void inOrderReadsDecodeEachByteOnce();
    void backwardsReadRestartsFromTheMemberStart();
    void randomAccessMatchesTheWholeMember();
    void datasetBatchesInOrderEqualOneBatch();
};

static Tensor readAll(ArraySource &src, const std::string &name)
{
    for (const ArrayInfo &a : src.arrays())
        if (a.name == name) {
            auto t = src.readRows(name, 0, a.shape[0]);
            if (!t)
                qFatal("%s", t.error().message.c_str());
            return *t;
        }
    qFatal("no array %s", name.c_str());
}

void TestDataStreaming::smallInOrderBatchesEqualOneBigRead_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("array");
    QTest::addColumn<int>("batch");
    QTest::newRow("deflated npz, 7 rows") << "stream.npz" << "x" << 7;
    QTest::newRow("deflated npz, 1 row") << "stream.npz" << "x" << 1;
    QTest::newRow("deflated npz, 1000 rows") << "stream.npz" << "x" << 1000;
    QTest::newRow("deflated npz labels, 13 rows") << "stream.npz" << "y" << 13;
    QTest::newRow("gzip IDX images, 1 row") << "idx/tiny-images-idx3-ubyte.gz" << "x" << 1;
    QTest::newRow("gzip IDX labels, 3 rows") << "idx/tiny-images-idx3-ubyte.gz" << "y" << 3;
    QTest::newRow("ZIP64 stored member, 4 rows") << "zip64.npz" << "x" << 4;
}

void TestDataStreaming::smallInOrderBatchesEqualOneBigRead()
{
    QFETCH(QString, file);
    QFETCH(QString, array);
    QFETCH(int, batch);
    qInfo("file %s array %s batch %d", qPrintable(file), qPrintable(array), batch);
    auto big = openArraySource(fixture(file.toStdString()));
    DT_OK(big);
    const Tensor all = readAll(**big, array.toStdString());
    auto src = openArraySource(fixture(file.toStdString()));
    DT_OK(src);
    const int64_t n = all.dim(0);
    const std::size_t rowBytes = all.byteSize() / static_cast<std::size_t>(n);
    for (int64_t s = 0; s < n; s += batch) {
        const int64_t c = std::min<int64_t>(batch, n - s);
        auto t = (*src)->readRows(array.toStdString(), s, c);
        DT_OK(t);
        QCOMPARE(t->dim(0), c);
        QVERIFY2(std::memcmp(t->bytes().data(), all.bytes().data() + s * rowBytes,
                             t->byteSize()) == 0,
                 qPrintable(QString("rows %1..%2 differ").arg(s).arg(s + c)));
    }
    if (file == "stream.npz" && array == "x") {
        // And the values are what the generator wrote: ((7 r + 3 c) % 251) / 4.
        for (int64_t r = 0; r < n; r += 97)
            for (int64_t c = 0; c < 8; ++c)
                QCOMPARE(all.data<float>()[r * 8 + c],
                         static_cast<float>((r * 7 + c * 3) % 251) / 4.0f);
    }
}

/// The stream.npz "x" member's decoder, opened directly (internal API).
static std::unique_ptr<data::InflateByteSource> xMember(uint64_t *size)
{
    auto file = MappedFile::open(fixture("stream.npz"));
    if (!file)
        qFatal("%s", file.error().message.c_str());
    auto zip = data::ZipArchive::open(*file);
    if (!zip)
        qFatal("%s", zip.error().message.c_str());
    for (const auto &e : zip->entries())
        if (e.name == "x.npy") {
            auto m = zip->openMember(e);
            if (!m)
                qFatal("%s", m.error().message.c_str());
            if (e.method != 8)
                qFatal("x.npy is not deflated");
            *size = e.uncompressedSize;
            return std::unique_ptr<data::InflateByteSource>(
                static_cast<data::InflateByteSource *>(m->release()));
        }
    qFatal("no x.npy");
}

void TestDataStreaming::inOrderReadsDecodeEachByteOnce()
{
    uint64_t size = 0;
    auto s = xMember(&size);
    QVERIFY(size > 64 * 1024); // larger than the skip buffer, so skipping is exercised too
    std::vector<std::byte> buf(1000);
    uint64_t pos = 0;
    while (pos + buf.size() <= size) {
        DT_OK(s->read(pos, buf));
        pos += buf.size();
        // Never more decoded than the furthest byte asked for: no re-decoding from the start.
        QCOMPARE(s->bytesDecoded(), pos);
    }
    QCOMPARE(s->restarts(), 0);
    // A forward gap is skipped by decoding through it once.
    auto t = xMember(&size);
    DT_OK(t->read(50000, std::span(buf).first(10)));
    QCOMPARE(t->bytesDecoded(), uint64_t{50010});
    DT_OK(t->read(90000, std::span(buf).first(10)));
    QCOMPARE(t->bytesDecoded(), uint64_t{90010});
    QCOMPARE(t->restarts(), 0);
}

void TestDataStreaming::backwardsReadRestartsFromTheMemberStart()
{
    uint64_t size = 0;
    auto s = xMember(&size);
    std::vector<std::byte> late(64), early(64), again(64);
    DT_OK(s->read(80000, late));
    DT_OK(s->read(100, early));
    QCOMPARE(s->restarts(), 1);
    QCOMPARE(s->bytesDecoded(), uint64_t{80064 + 164});
    DT_OK(s->read(80000, again));
    QCOMPARE(s->restarts(), 1); // forward again: no restart
    QVERIFY(late == again);
    // Reading the whole member to its end also checks its CRC-32 and length.
    std::vector<std::byte> all(size);
    DT_OK(s->read(0, all));
    QCOMPARE(s->restarts(), 2);
    QVERIFY(std::memcmp(all.data() + 80000, late.data(), late.size()) == 0);
    QVERIFY(std::memcmp(all.data() + 100, early.data(), early.size()) == 0);
    auto beyond = s->read(size - 4, std::span(late).first(8));
    QVERIFY(!beyond);
    QVERIFY2(datatest::msg(beyond.error()).contains("is truncated: it needs bytes"),
             qPrintable(datatest::msg(beyond.error())));
}

void TestDataStreaming::randomAccessMatchesTheWholeMember()
{
    uint64_t size = 0;
    auto s = xMember(&size);
    std::vector<std::byte> all(size);
    DT_OK(s->read(0, all));
    std::mt19937 rng(1234);
    for (int i = 0; i < 200; ++i) {
        const uint64_t pos = rng() % size;
        const uint64_t n = std::min<uint64_t>(size - pos, 1 + rng() % 5000);
        std::vector<std::byte> part(n);
        DT_OK(s->read(pos, part));
        QVERIFY2(std::memcmp(part.data(), all.data() + pos, n) == 0,
                 qPrintable(QString("pos %1 n %2").arg(pos).arg(n)));
    }
}

void TestDataStreaming::datasetBatchesInOrderEqualOneBatch()
{
    const Model m = datatest::model("wide");
    auto whole = openDataset(fixture("stream.npz"), m);
    DT_OK(whole);
    QCOMPARE((*whole)->size(), int64_t{3000});
    auto all = (*whole)->batch(0, 3000);
    DT_OK(all);
    QCOMPARE(datatest::dims(all->inputs[0]), QString("[3000, 8]"));
    QCOMPARE(datatest::dims(all->labels[0]), QString("[3000]"));
    auto ds = openDataset(fixture("stream.npz"), m);
    DT_OK(ds);
    for (int64_t s = 0; s < 3000; s += 64) {
        const int64_t c = std::min<int64_t>(64, 3000 - s);
        auto b = (*ds)->batch(s, c);
        DT_OK(b);
        QCOMPARE(b->start, s);
        QCOMPARE(b->count, c);
        QVERIFY(std::memcmp(b->inputs[0].bytes().data(),
                            all->inputs[0].bytes().data() + s * 8 * 4, c * 8 * 4) == 0);
        QVERIFY(std::memcmp(b->labels[0].bytes().data(),
                            all->labels[0].bytes().data() + s * 8, c * 8) == 0);
    }
}

QTEST_APPLESS_MAIN(TestDataStreaming)
#include "test_data_streaming.moc"
