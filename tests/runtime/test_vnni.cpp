// MatMulInteger's AVX-512 VNNI kernel: every operand type combination (uint8/int8 A and B),
// scalar, per-row and per-column zero points, shapes that are not multiples of the kernel's
// 4-k groups, 16-column panels or 6-row tiles, and broadcast batches give exactly the int32
// values of a plain 64-bit reference and of the widened-float path.
#include "core/ops/quant_internal.h"
#include "core/runtime/session.h"

#include <QtTest>

#include <cstdlib>
#include <cstring>
#include <map>
#include <random>

using namespace nnc;

namespace {

Tensor randomBytes(DataType type, Dims dims, std::mt19937 &rng)
{
    Tensor t(type, std::move(dims));
    std::uniform_int_distribution<int> dist(type == DataType::UInt8 ? 0 : -128,
                                            type == DataType::UInt8 ? 255 : 127);
    for (auto &b : t.mutableBytes())
        b = static_cast<std::byte>(dist(rng));
    return t;
}

ValueInfo info(const std::string &name, DataType type)
{
    ValueInfo v;
    v.name = name;
    v.dtype = type;
    return v;
}

struct Case
{
    DataType aType, bType;
    Dims aDims, bDims;
    Dims aZpDims, bZpDims;   ///< empty vector = scalar; {} with noZp = omitted
    bool aZp = true, bZp = true;
};

/// Session for Y = MatMulInteger(A, B, a_zp, b_zp) with every operand fed as an input.
Session session(const Case &c)
{
    auto m = std::make_shared<Model>();
    m->opsets[""] = 17;
    Graph &g = m->graph;
    g.inputs = {info("a", c.aType), info("b", c.bType), info("az", c.aType), info("bz", c.bType)};
    Node n;
    n.name = "mmi";
    n.opType = "MatMulInteger";
    n.inputs = {"a", "b", c.aZp ? "az" : "", c.bZp ? "bz" : ""};
    n.outputs = {"y"};
    g.nodes.push_back(n);
    g.outputs.push_back(info("y", DataType::Int32));
    auto s = Session::create(m, SessionOptions{2});
    if (!s)
        qFatal("%s", s.error().message.c_str());
    return std::move(*s);
}

int32_t byteValue(const Tensor &t, int64_t i)
{
    return t.dtype() == DataType::UInt8 ? int32_t{t.data<uint8_t>()[i]}
                                        : int32_t{t.data<int8_t>()[i]};
}

/// Plain reference for A [batch..., M, K] x B [K, N] or B [batch..., K, N] of the same batch.
std::vector<int32_t> reference(const Tensor &a, const Tensor &b, const Tensor &az, const Tensor &bz,
                               bool hasAz, bool hasBz)
{
    const int64_t k = a.dims().back(), m = a.dims()[a.dims().size() - 2];
    const int64_t n = b.dims().back();
    const int64_t batches = a.numel() / (m * k);
    const bool bBatched = b.rank() > 2;
    std::vector<int32_t> out(static_cast<std::size_t>(batches * m * n));
    for (int64_t o = 0; o < batches; ++o)
        for (int64_t i = 0; i < m; ++i)
            for (int64_t j = 0; j < n; ++j) {
                const int64_t za = !hasAz ? 0 : byteValue(az, az.numel() == 1 ? 0 : i);
                const int64_t zb = !hasBz ? 0 : byteValue(bz, bz.numel() == 1 ? 0 : j);
                int64_t sum = 0;
                for (int64_t q = 0; q < k; ++q)
                    sum += (byteValue(a, (o * m + i) * k + q) - za)
                           * (byteValue(b, (bBatched ? o * k * n : 0) + q * n + j) - zb);
                out[static_cast<std::size_t>((o * m + i) * n + j)] = static_cast<int32_t>(sum);
            }
    return out;
}

} // namespace

class TestRuntimeVnni : public QObject
{
    Q_OBJECT

private slots:
    void cleanup() { quant::setVnniEnabled(true); }

    void matchesReference_data()
    {
        QTest::addColumn<int>("aType");
        QTest::addColumn<int>("bType");
        QTest::addColumn<QString>("shape");
        const std::pair<DataType, const char *> types[] = {{DataType::UInt8, "u8"},
                                                          {DataType::Int8, "s8"}};
        for (auto [at, an] : types)
            for (auto [bt, bn] : types)
                for (const char *shape : {"flat", "odd", "perrow", "percol", "batched", "nozp",
                                          "k1"})
                    QTest::newRow((std::string(an) + "x" + bn + "_" + shape).c_str())
                        << int(at) << int(bt) << QString(shape);
    }

    void matchesReference()
    {
        if (!quant::vnniAvailable())
            QSKIP("this CPU has no AVX-512 VNNI (or NNC_DISABLE_VNNI=1): nothing to compare");
        QFETCH(int, aType);
        QFETCH(int, bType);
        QFETCH(QString, shape);
        Case c{DataType(aType), DataType(bType), {}, {}, {}, {}};
        if (shape == "flat") {
            c.aDims = {1, 64, 256};
            c.bDims = {256, 96};
        } else if (shape == "odd") {
            c.aDims = {13, 37};   // 13 rows: two 6-row tiles + 1; K = 37: not whole 4-k groups
            c.bDims = {37, 45};   // 45 columns: 2 panels + 13
        } else if (shape == "perrow") {
            c.aDims = {2, 7, 19};
            c.bDims = {19, 33};
            c.aZpDims = {7};
        } else if (shape == "percol") {
            c.aDims = {11, 40};
            c.bDims = {40, 21};
            c.bZpDims = {21};
        } else if (shape == "batched") {
            c.aDims = {3, 5, 9};
            c.bDims = {3, 9, 17};
        } else if (shape == "nozp") {
            c.aDims = {8, 64};
            c.bDims = {64, 16};
            c.aZp = c.bZp = false;
        } else {
            c.aDims = {4, 1};
            c.bDims = {1, 3};
        }
        std::mt19937 rng(static_cast<uint32_t>(aType * 131 + bType * 17 + shape.size()));
        const Tensor a = randomBytes(c.aType, c.aDims, rng);
        const Tensor b = randomBytes(c.bType, c.bDims, rng);
        const Tensor az = randomBytes(c.aType, c.aZpDims, rng);
        const Tensor bz = randomBytes(c.bType, c.bZpDims, rng);
        Session s = session(c);
        const std::vector<Tensor> in{a, b, az, bz};
        auto vnni = s.run(in);
        QVERIFY2(vnni.has_value(), vnni ? "" : vnni.error().message.c_str());
        const auto want = reference(a, b, az, bz, c.aZp, c.bZp);
        const auto got = (*vnni)[0].span<int32_t>();
        QCOMPARE(got.size(), want.size());
        for (std::size_t i = 0; i < want.size(); ++i)
            if (got[i] != want[i])
                QFAIL(qPrintable(QString("element %1: VNNI %2, reference %3")
                                     .arg(i).arg(got[i]).arg(want[i])));
        // A second run reuses the packed B; a changed B must not reuse it.
        auto again = s.run(in);
        QVERIFY(again.has_value());
        QVERIFY(std::memcmp((*again)[0].bytes().data(), (*vnni)[0].bytes().data(),
                            (*vnni)[0].byteSize()) == 0);
        quant::setVnniEnabled(false);
        auto plain = s.run(in);
        QVERIFY(plain.has_value());
        QVERIFY(std::memcmp((*plain)[0].bytes().data(), (*vnni)[0].bytes().data(),
                            (*vnni)[0].byteSize()) == 0);
    }

    void changedWeightsAreRepacked()
    {
        if (!quant::vnniAvailable())
            QSKIP("this CPU has no AVX-512 VNNI (or NNC_DISABLE_VNNI=1)");
        Case c{DataType::UInt8, DataType::Int8, {6, 20}, {20, 18}, {}, {}};
        std::mt19937 rng(5);
        const Tensor a = randomBytes(c.aType, c.aDims, rng);
        Tensor b = randomBytes(c.bType, c.bDims, rng);
        const Tensor az = randomBytes(c.aType, {}, rng), bz = randomBytes(c.bType, {}, rng);
        Session s = session(c);
        auto first = s.run(std::vector<Tensor>{a, b, az, bz});
        QVERIFY(first.has_value());
        b.mutableData<int8_t>()[3] = static_cast<int8_t>(b.data<int8_t>()[3] ^ 0x55);
        auto second = s.run(std::vector<Tensor>{a, b, az, bz});
        QVERIFY(second.has_value());
        const auto want = reference(a, b, az, bz, true, true);
        const auto got = (*second)[0].span<int32_t>();
        for (std::size_t i = 0; i < want.size(); ++i)
            QCOMPARE(got[i], want[i]);
    }

    void castToFloatFusionKeepsBits()
    {
        // MatMulInteger -> Cast(to float) runs as one kernel unless the int32 tensor is observed;
        // K = 2048 makes sums beyond 2^24, so the int32 -> float rounding is exercised too.
        auto m = std::make_shared<Model>();
        m->opsets[""] = 17;
        Graph &g = m->graph;
        g.inputs = {info("a", DataType::UInt8), info("az", DataType::UInt8)};
        std::mt19937 rng(9);
        g.initializers["b"] = randomBytes(DataType::Int8, {2048, 40}, rng);
        g.initializers["bz"] = Tensor::fromVector<int8_t>({}, {-128});   // b - bz in [0, 255]
        g.initializerOrder = {"b", "bz"};
        Node mm;
        mm.name = "mm";
        mm.opType = "MatMulInteger";
        mm.inputs = {"a", "b", "az", "bz"};
        mm.outputs = {"acc"};
        Node cast;
        cast.name = "cast";
        cast.opType = "Cast";
        cast.inputs = {"acc"};
        cast.outputs = {"y"};
        Attribute to;
        to.name = "to";
        to.kind = Attribute::Kind::Int;
        to.i = 1;
        cast.attributes.push_back(to);
        g.nodes = {mm, cast};
        g.outputs.push_back(info("y", DataType::Float));
        auto session = Session::create(m, SessionOptions{2});
        QVERIFY(session.has_value());
        Tensor a(DataType::UInt8, {9, 2048});
        for (auto &v : a.mutableSpan<uint8_t>())
            v = 255;   // all-max rows: the largest sums
        for (int64_t i = 2048; i < a.numel(); ++i)
            a.mutableData<uint8_t>()[i] = static_cast<uint8_t>(rng());
        const Tensor az = Tensor::fromVector<uint8_t>({}, {0});
        const std::vector<Tensor> in{a, az};

        class Watch final : public TensorObserver
        {
        public:
            std::optional<Tensor> observe(const std::string &, const Tensor &) override
            {
                return std::nullopt;
            }
        } watch;
        for (bool vnni : {true, false}) {
            quant::setVnniEnabled(vnni);
            std::map<std::string, std::pair<double, int64_t>> profile;
            RunOptions fusedOpts;
            fusedOpts.profile = &profile;
            auto fused = session->run(in, fusedOpts);
            QVERIFY(fused.has_value());
            QVERIFY(!profile.contains("Cast"));
            RunOptions plainOpts;
            plainOpts.observer = &watch;
            plainOpts.keep = {"acc"};
            const std::vector<std::string> wanted{"y"};
            auto plain = session->runPartial({{"a", a}, {"az", az}}, wanted, plainOpts);
            QVERIFY(plain.has_value());
            QCOMPARE((*fused)[0].dtype(), DataType::Float);
            QVERIFY(std::memcmp((*fused)[0].bytes().data(), plain->at("y").bytes().data(),
                                plain->at("y").byteSize()) == 0);
            // The int32 values really exceed 2^24 (the conversion rounds).
            bool large = false;
            for (int32_t v : plain->at("acc").span<int32_t>())
                large = large || std::abs(v) > (1 << 24);
            QVERIFY(large);
        }
    }
};

QTEST_APPLESS_MAIN(TestRuntimeVnni)
#include "test_vnni.moc"
