// DynamicQuantizeLinear runs its min/max and quantization passes with AVX2 over chunks (in
// parallel for large inputs); every byte, the scale and the zero point must equal the scalar
// formula of the ONNX spec, including NaN (-> 0), -0, exact .5 ties (half to even), values
// that saturate, and lengths that leave scalar tails.
#include "core/runtime/session.h"

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

using namespace nnc;

namespace {

Session dqlSession()
{
    auto m = std::make_shared<Model>();
    m->opsets[""] = 17;
    ValueInfo x;
    x.name = "x";
    x.dtype = DataType::Float;
    m->graph.inputs.push_back(x);
    Node n;
    n.name = "dql";
    n.opType = "DynamicQuantizeLinear";
    n.inputs = {"x"};
    n.outputs = {"y", "scale", "zp"};
    m->graph.nodes.push_back(n);
    for (const char *o : {"y", "scale", "zp"}) {
        ValueInfo v;
        v.name = o;
        m->graph.outputs.push_back(v);
    }
    auto s = Session::create(m, SessionOptions{2});
    if (!s)
        qFatal("%s", s.error().message.c_str());
    return std::move(*s);
}

} // namespace

class TestRuntimeDql : public QObject
{
    Q_OBJECT

private slots:
    void matchesScalarFormula_data()
    {
        QTest::addColumn<qint64>("n");
        QTest::addColumn<bool>("negativeOnly");
        for (qint64 n : {1LL, 7LL, 31LL, 33LL, 1000LL, 49152LL, 100003LL, 262147LL})
            QTest::newRow(qPrintable(QString("n%1").arg(n))) << n << false;
        QTest::newRow("negative_100003") << qint64(100003) << true;
    }

    void matchesScalarFormula()
    {
        QFETCH(qint64, n);
        QFETCH(bool, negativeOnly);
        Tensor x(DataType::Float, {n});
        std::mt19937 rng(static_cast<uint32_t>(n));
        std::uniform_real_distribution<float> dist(negativeOnly ? -6.0f : -3.0f,
                                                   negativeOnly ? -0.5f : 5.0f);
        auto v = x.mutableSpan<float>();
        for (float &f : v)
            f = dist(rng);
        // Specials at positions the vector loop covers (and the tail).
        const int64_t specials[] = {3, 8, 17, 40, n - 1};
        for (int64_t i : specials)
            if (i >= 0 && i < n)
                v[static_cast<std::size_t>(i)] = std::numeric_limits<float>::quiet_NaN();
        if (n > 20)
            v[20] = -0.0f;
        Session s = dqlSession();
        auto r = s.run(std::vector<Tensor>{x});
        QVERIFY2(r.has_value(), r ? "" : r.error().message.c_str());

        float lo = 0.0f, hi = 0.0f;
        for (float f : v) {
            lo = std::min(lo, f);
            hi = std::max(hi, f);
        }
        const float scale = hi == lo ? 1.0f : (hi - lo) / 255.0f;
        const float zp = std::nearbyint(std::clamp(0.0f - lo / scale, 0.0f, 255.0f));
        QCOMPARE((*r)[1].span<float>()[0], scale);
        QCOMPARE(int((*r)[2].span<uint8_t>()[0]), int(zp));
        // Ties: values whose quotient is exactly k + 0.5 round to even.
        const auto y = (*r)[0].span<uint8_t>();
        for (int64_t i = 0; i < n; ++i) {
            const float q = std::nearbyint(v[static_cast<std::size_t>(i)] / scale) + zp;
            const int want = std::isnan(q) ? 0 : int(std::clamp(q, 0.0f, 255.0f));
            if (int(y[static_cast<std::size_t>(i)]) != want)
                QFAIL(qPrintable(QString("element %1 (x = %2): got %3, want %4")
                                     .arg(i).arg(double(v[static_cast<std::size_t>(i)]), 0, 'g', 9)
                                     .arg(int(y[static_cast<std::size_t>(i)])).arg(want)));
        }
    }

    void exactTiesRoundToEven()
    {
        // x = 0 .. 255 and -x: scale = 510/255 = 2, so x / 2 hits every .5 tie.
        Tensor x(DataType::Float, {512});
        auto v = x.mutableSpan<float>();
        for (int i = 0; i < 256; ++i) {
            v[static_cast<std::size_t>(i)] = float(i);
            v[static_cast<std::size_t>(256 + i)] = -float(i);
        }
        Session s = dqlSession();
        auto r = s.run(std::vector<Tensor>{x});
        QVERIFY(r.has_value());
        QCOMPARE((*r)[1].span<float>()[0], 2.0f);
        const int zp = (*r)[2].span<uint8_t>()[0];
        QCOMPARE(zp, 128);   // nearbyint(127.5) = 128
        const auto y = (*r)[0].span<uint8_t>();
        QCOMPARE(int(y[1]), 128);     // 0.5 -> 0, + 128
        QCOMPARE(int(y[3]), 130);     // 1.5 -> 2
        QCOMPARE(int(y[5]), 130);     // 2.5 -> 2
        QCOMPARE(int(y[255]), 255);   // 127.5 -> 128, saturates
        QCOMPARE(int(y[256 + 255]), 0);   // -127.5 -> -128, + 128
        QCOMPARE(int(y[256 + 3]), 126);   // -1.5 -> -2
    }
};

QTEST_APPLESS_MAIN(TestRuntimeDql)
#include "test_dql.moc"
