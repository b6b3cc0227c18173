// Tests of the quant op family: QuantizeLinear, DequantizeLinear, DynamicQuantizeLinear,
// MatMulInteger, QLinearMatMul, ConvInteger, QLinearConv. Golden values come from
// /work/shared/guide/quantization.md and ONNX's backend test data; the integer kernels are also
// compared against plain loop references on random shapes (fixed seeds, parameters printed).
#include "tests/ops_quant/case_runner.h"
#include "tests/ops_quant/op_harness.h"

#include <QElapsedTimer>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

using namespace nnc;
using nnc::test::runOp;

namespace {

Tensor scalarF(float v)
{
    return Tensor::fromVector<float>({}, {v});
}

template<class T>
Tensor scalarQ(T v)
{
    return Tensor::fromVector<T>({}, {v});
}

template<class T>
std::vector<T> values(const Tensor &t)
{
    const auto s = t.span<T>();
    return {s.begin(), s.end()};
}

// Reference quantization of one value: saturate(round_half_even(x / s) + z).
int64_t refQuantize(float x, float s, int64_t z, int64_t lo, int64_t hi)
{
    const double q = std::nearbyint(static_cast<double>(x / s)) + static_cast<double>(z);
    return static_cast<int64_t>(std::clamp(q, static_cast<double>(lo), static_cast<double>(hi)));
}

template<class T>
Tensor randomBytes(std::mt19937 &rng, Dims dims, int lo = std::numeric_limits<T>::lowest(),
                   int hi = std::numeric_limits<T>::max())
{
    Tensor t(dtypeOf<T>(), std::move(dims));
    std::uniform_int_distribution<int> dist(lo, hi);
    for (T &v : t.mutableSpan<T>())
        v = static_cast<T>(dist(rng));
    return t;
}

int32_t at(const Tensor &t, int64_t i)
{
    return t.dtype() == DataType::UInt8 ? int32_t{t.data<uint8_t>()[i]} : int32_t{t.data<int8_t>()[i]};
}

// Plain reference for MatMulInteger / QLinearMatMul accumulators: A [batchA..., M, K] (or [K]),
// B [batchB..., K, N] (or [K]), batch dims broadcast numpy-style; zero points per tensor, per row
// of A, per column of B.
struct RefMatMul
{
    Dims outDims;
    std::vector<int64_t> acc;
    int64_t m = 0, n = 0;
};

RefMatMul refMatMul(const Tensor &a, const std::vector<int32_t> &az, const Tensor &b,
                    const std::vector<int32_t> &bz)
{
    Dims ad = a.dims(), bd = b.dims();
    const bool aVec = ad.size() == 1, bVec = bd.size() == 1;
    if (aVec)
        ad.insert(ad.begin(), 1);
    if (bVec)
        bd.push_back(1);
    const int64_t m = ad[ad.size() - 2], k = ad.back(), n = bd.back();
    const std::size_t rank = std::max(ad.size(), bd.size()) - 2;
    Dims batch(rank), aB(rank, 1), bB(rank, 1);
    for (std::size_t i = 0; i < rank; ++i) {
        if (i + ad.size() - 2 >= rank)
            aB[i] = ad[i + ad.size() - 2 - rank];
        if (i + bd.size() - 2 >= rank)
            bB[i] = bd[i + bd.size() - 2 - rank];
        batch[i] = std::max(aB[i], bB[i]);
    }
    RefMatMul r;
    r.m = m;
    r.n = n;
    r.outDims = batch;
    if (!aVec)
        r.outDims.push_back(m);
    if (!bVec)
        r.outDims.push_back(n);
    const int64_t nb = numElements(batch);
    r.acc.assign(static_cast<std::size_t>(nb * m * n), 0);
    for (int64_t o = 0; o < nb; ++o) {
        int64_t rem = o, ai = 0, bi = 0, as = 1, bs = 1;
        for (std::size_t d = rank; d-- > 0;) {
            const int64_t idx = rem % batch[d];
            rem /= batch[d];
            ai += (aB[d] == 1 ? 0 : idx) * as;
            bi += (bB[d] == 1 ? 0 : idx) * bs;
            as *= aB[d];
            bs *= bB[d];
        }
        for (int64_t i = 0; i < m; ++i)
            for (int64_t j = 0; j < n; ++j) {
                int64_t s = 0;
                for (int64_t p = 0; p < k; ++p) {
                    const int32_t za = az.size() == 1 ? az[0] : az[static_cast<std::size_t>(i)];
                    const int32_t zb = bz.size() == 1 ? bz[0] : bz[static_cast<std::size_t>(j)];
                    s += int64_t{at(a, (ai * m + i) * k + p) - za} * (at(b, (bi * k + p) * n + j) - zb);
                }
                r.acc[static_cast<std::size_t>((o * m + i) * n + j)] = s;
            }
    }
    return r;
}

// Plain reference for integer convolution (direct loops, explicit pads), 1 to 3 spatial dims.
struct ConvCase
{
    int64_t n, cin, cout, group;
    Dims in, kernel, stride, dilation, padB, padE;
};

std::vector<int64_t> refConv(const ConvCase &c, const Tensor &x, int32_t xz, const Tensor &w,
                             const std::vector<int32_t> &wz, Dims &outDims)
{
    const std::size_t r = c.in.size();
    Dims out(r);
    for (std::size_t i = 0; i < r; ++i)
        out[i] = (c.in[i] + c.padB[i] + c.padE[i] - ((c.kernel[i] - 1) * c.dilation[i] + 1)) / c.stride[i] + 1;
    outDims = {c.n, c.cout};
    outDims.insert(outDims.end(), out.begin(), out.end());
    const int64_t osz = numElements(out), isz = numElements(c.in), ksz = numElements(c.kernel);
    const int64_t cg = c.cin / c.group, mg = c.cout / c.group;
    std::vector<int64_t> y(static_cast<std::size_t>(c.n * c.cout * osz), 0);
    for (int64_t b = 0; b < c.n; ++b)
        for (int64_t m = 0; m < c.cout; ++m)
            for (int64_t o = 0; o < osz; ++o) {
                Dims oi(r);
                for (int64_t rem = o, d = static_cast<int64_t>(r) - 1; d >= 0; --d) {
                    oi[static_cast<std::size_t>(d)] = rem % out[static_cast<std::size_t>(d)];
                    rem /= out[static_cast<std::size_t>(d)];
                }
                int64_t s = 0;
                const int64_t g = m / mg;
                for (int64_t ci = 0; ci < cg; ++ci)
                    for (int64_t kk = 0; kk < ksz; ++kk) {
                        int64_t xoff = 0, rem = kk;
                        Dims ki(r);
                        for (int64_t d = static_cast<int64_t>(r) - 1; d >= 0; --d) {
                            ki[static_cast<std::size_t>(d)] = rem % c.kernel[static_cast<std::size_t>(d)];
                            rem /= c.kernel[static_cast<std::size_t>(d)];
                        }
                        bool inside = true;
                        for (std::size_t d = 0; d < r; ++d) {
                            const int64_t p = oi[d] * c.stride[d] - c.padB[d] + ki[d] * c.dilation[d];
                            inside = inside && p >= 0 && p < c.in[d];
                            xoff = xoff * c.in[d] + p;
                        }
                        if (!inside)
                            continue;
                        const int64_t xv = at(x, (b * c.cin + g * cg + ci) * isz + xoff) - xz;
                        const int32_t z = wz.size() == 1 ? wz[0] : wz[static_cast<std::size_t>(m)];
                        s += xv * (at(w, (m * cg + ci) * ksz + kk) - z);
                    }
                y[static_cast<std::size_t>((b * c.cout + m) * osz + o)] = s;
            }
    return y;
}

Tensor randomByteTensor(std::mt19937 &rng, bool isSigned, Dims dims)
{
    return isSigned ? randomBytes<int8_t>(rng, std::move(dims)) : randomBytes<uint8_t>(rng, std::move(dims));
}

Tensor zeroPointTensor(std::mt19937 &rng, bool isSigned, Dims dims)
{
    return isSigned ? randomBytes<int8_t>(rng, std::move(dims), -20, 20)
                    : randomBytes<uint8_t>(rng, std::move(dims), 100, 150);
}

std::vector<int32_t> toInts(const Tensor &t)
{
    std::vector<int32_t> v(static_cast<std::size_t>(t.numel()));
    for (int64_t i = 0; i < t.numel(); ++i)
        v[static_cast<std::size_t>(i)] = at(t, i);
    return v;
}

} // namespace

Q_DECLARE_METATYPE(ConvCase)

class TestQuantOps : public QObject
{
    Q_OBJECT

private slots:
    // --- QuantizeLinear / DequantizeLinear -------------------------------------------------

    void workedExampleUnsignedAsymmetric()
    {
        // quantization.md: uint8, r in [-1, 3]: S = 4/255, Z = 64.
        const float s = 4.0f / 255.0f;
        const Tensor x = Tensor::fromVector<float>({3}, {0.0f, 3.0f, 1.0f});
        const Tensor scale = scalarF(s), zp = scalarQ<uint8_t>(64);
        auto q = runOp("QuantizeLinear", 13, {}, {&x, &scale, &zp});
        QVERIFY2(q, qPrintable(test::errorText(q)));
        QCOMPARE(values<uint8_t>((*q)[0]), (std::vector<uint8_t>{64, 255, 128}));
        auto r = runOp("DequantizeLinear", 13, {}, {&(*q)[0], &scale, &zp});
        QVERIFY(r);
        QCOMPARE((*r)[0].dtype(), DataType::Float);
        QCOMPARE((*r)[0].data<float>()[0], 0.0f);
        QVERIFY(std::abs((*r)[0].data<float>()[2] - 1.0039216f) < 1e-6f);
    }

    void workedExampleSignedSymmetric()
    {
        // quantization.md: int8 symmetric, r in [-2.5, 1]: S = 2.5/127, q(1) = 51, q(-2.5) = -127.
        const Tensor x = Tensor::fromVector<float>({2}, {1.0f, -2.5f});
        const Tensor scale = scalarF(2.5f / 127.0f), zp = scalarQ<int8_t>(0);
        auto q = runOp("QuantizeLinear", 10, {}, {&x, &scale, &zp});
        QVERIFY(q);
        QCOMPARE((*q)[0].dtype(), DataType::Int8);
        QCOMPARE(values<int8_t>((*q)[0]), (std::vector<int8_t>{51, -127}));
        auto r = runOp("DequantizeLinear", 10, {}, {&(*q)[0], &scale, &zp});
        QVERIFY(r);
        QVERIFY(std::abs((*r)[0].data<float>()[0] - 1.0039370f) < 1e-6f);
    }

    void roundsHalfToEven()
    {
        const Tensor x = Tensor::fromVector<float>({7}, {2.5f, 3.5f, -2.5f, 0.5f, 1.5f, -0.5f, -3.5f});
        const Tensor scale = scalarF(1.0f), zp = scalarQ<int8_t>(0);
        auto q = runOp("QuantizeLinear", 19, {}, {&x, &scale, &zp});
        QVERIFY(q);
        QCOMPARE(values<int8_t>((*q)[0]), (std::vector<int8_t>{2, 4, -2, 0, 2, 0, -4}));
    }

    void saturatesAndDefaultsToUint8()
    {
        const Tensor x = Tensor::fromVector<float>({4}, {300.0f, -5.0f, 254.6f, 1e30f});
        const Tensor scale = scalarF(1.0f);
        auto q = runOp("QuantizeLinear", 13, {}, {&x, &scale});   // no zero point: uint8, Z = 0
        QVERIFY(q);
        QCOMPARE((*q)[0].dtype(), DataType::UInt8);
        QCOMPARE(values<uint8_t>((*q)[0]), (std::vector<uint8_t>{255, 0, 255, 255}));
        const Tensor zp16 = scalarQ<int16_t>(-10);
        const Tensor big = Tensor::fromVector<float>({3}, {40000.0f, -40000.0f, 12.5f});
        auto q16 = runOp("QuantizeLinear", 21, {}, {&big, &scale, &zp16});
        QVERIFY2(q16, qPrintable(test::errorText(q16)));
        QCOMPARE(values<int16_t>((*q16)[0]), (std::vector<int16_t>{32767, -32768, 2}));
    }

    void nanAndInfinityAsOnnxRuntime()
    {
        // Expected values from onnxruntime 1.30: NaN -> the lowest value, +-inf saturate.
        const Tensor x = Tensor::fromVector<float>({4}, {NAN, INFINITY, -INFINITY, 1.0f});
        const Tensor scale = scalarF(1.0f), zu = scalarQ<uint8_t>(3), zs = scalarQ<int8_t>(3);
        auto qu = runOp("QuantizeLinear", 13, {}, {&x, &scale, &zu});
        QVERIFY(qu);
        QCOMPARE(values<uint8_t>((*qu)[0]), (std::vector<uint8_t>{0, 255, 0, 4}));
        auto qs = runOp("QuantizeLinear", 13, {}, {&x, &scale, &zs});
        QVERIFY(qs);
        QCOMPARE(values<int8_t>((*qs)[0]), (std::vector<int8_t>{-128, 127, -128, 4}));
        // DynamicQuantizeLinear ignores NaN when finding the range.
        const Tensor xd = Tensor::fromVector<float>({4}, {NAN, 1.0f, -2.0f, 3.0f});
        auto d = runOp("DynamicQuantizeLinear", 11, {}, {&xd}, 3);
        QVERIFY(d);
        QCOMPARE(values<uint8_t>((*d)[0]), (std::vector<uint8_t>{0, 153, 0, 255}));
        QCOMPARE(int{(*d)[2].data<uint8_t>()[0]}, 102);
    }

    void outputDtypeAttributeWithoutZeroPoint()
    {
        const Tensor x = Tensor::fromVector<float>({2}, {-3.0f, 70000.0f});
        const Tensor scale = scalarF(1.0f);
        auto q = runOp("QuantizeLinear", 21, {test::intAttr("output_dtype", 4)}, {&x, &scale});
        QVERIFY(q);
        QCOMPARE((*q)[0].dtype(), DataType::UInt16);
        QCOMPARE(values<uint16_t>((*q)[0]), (std::vector<uint16_t>{0, 65535}));
    }

    void perAxisMatchesOnnxCase()
    {
        // test_quantizelinear_axis / test_dequantizelinear_axis of the ONNX backend tests.
        const std::vector<float> xv{-162, 10, -100, 232, -20, -50, -76, 0, 0, 252, 32, -44,
                                    245, -485, -960, -270, -375, -470};
        const std::vector<uint8_t> qv{3, 89, 34, 200, 74, 59, 5, 24, 24, 87, 32, 13,
                                      245, 99, 4, 142, 121, 102};
        const Tensor x = Tensor::fromVector<float>({1, 3, 3, 2}, xv);
        const Tensor scale = Tensor::fromVector<float>({3}, {2, 4, 5});
        const Tensor zp = Tensor::fromVector<uint8_t>({3}, {84, 24, 196});
        auto q = runOp("QuantizeLinear", 13, {}, {&x, &scale, &zp});
        QVERIFY2(q, qPrintable(test::errorText(q)));
        QCOMPARE(values<uint8_t>((*q)[0]), qv);
        auto r = runOp("DequantizeLinear", 13, {}, {&(*q)[0], &scale, &zp});
        QVERIFY(r);
        QCOMPARE(values<float>((*r)[0]), xv);
        // The same along axis -3 (negative axis).
        auto qn = runOp("QuantizeLinear", 13, {test::intAttr("axis", -3)}, {&x, &scale, &zp});
        QVERIFY(qn);
        QCOMPARE(values<uint8_t>((*qn)[0]), qv);
    }

    void perAxisLastAxisRandom()
    {
        std::mt19937 rng(7);
        std::uniform_real_distribution<float> dist(-3.0f, 3.0f);
        const Dims dims{4, 5, 6};
        qInfo("per-axis int8 along axis 2, x %s", dimsToString(dims).c_str());
        Tensor x(DataType::Float, dims);
        for (float &v : x.mutableSpan<float>())
            v = dist(rng);
        std::vector<float> sv(6);
        std::vector<int8_t> zv(6);
        for (int i = 0; i < 6; ++i) {
            sv[static_cast<std::size_t>(i)] = 0.01f * static_cast<float>(i + 1);
            zv[static_cast<std::size_t>(i)] = static_cast<int8_t>(i * 7 - 20);
        }
        const Tensor scale = Tensor::fromVector<float>({6}, sv);
        const Tensor zp = Tensor::fromVector<int8_t>({6}, zv);
        auto q = runOp("QuantizeLinear", 13, {test::intAttr("axis", 2)}, {&x, &scale, &zp});
        QVERIFY(q);
        for (int64_t i = 0; i < x.numel(); ++i) {
            const auto c = static_cast<std::size_t>(i % 6);
            QCOMPARE(int64_t{(*q)[0].data<int8_t>()[i]},
                     refQuantize(x.data<float>()[i], sv[c], zv[c], -128, 127));
        }
    }

    void blockedQuantization()
    {
        // opset 21, block_size 2 along axis 1: x [2, 5] uses scales [2, 3].
        const Tensor x = Tensor::fromVector<float>({2, 5}, {1, 2, 3, 4, 5, -1, -2, -3, -4, -5});
        const Tensor scale = Tensor::fromVector<float>({2, 3}, {1, 2, 4, 0.5f, 1, 2});
        const Tensor zp = Tensor::fromVector<int8_t>({2, 3}, {0, 1, 2, 3, 4, 5});
        const std::vector<Attribute> attrs{test::intAttr("axis", 1), test::intAttr("block_size", 2)};
        auto q = runOp("QuantizeLinear", 21, attrs, {&x, &scale, &zp});
        QVERIFY2(q, qPrintable(test::errorText(q)));
        // row 0: 1/1+0, 2/1+0, 3/2+1 = 2(1.5->2)+1, 4/2+1, 5/4+2 = 1+2
        // row 1: -1/.5+3, -2/.5+3, -3/1+4, -4/1+4, -5/2+5 = -2(-2.5->-2)+5
        QCOMPARE(values<int8_t>((*q)[0]), (std::vector<int8_t>{1, 2, 3, 3, 3, 1, -1, 1, 0, 3}));
        auto r = runOp("DequantizeLinear", 21, attrs, {&(*q)[0], &scale, &zp});
        QVERIFY(r);
        QCOMPARE(values<float>((*r)[0]), (std::vector<float>{1, 2, 4, 4, 4, -1, -2, -3, -4, -4}));
        // block_size is ignored before opset 21, where this scale shape is an error.
        auto old = runOp("QuantizeLinear", 19, attrs, {&x, &scale, &zp});
        QVERIFY(!old);
    }

    void dequantizeWiderTypes()
    {
        const Tensor x32 = Tensor::fromVector<int32_t>({3}, {-1000000, 0, 7});
        const Tensor scale = scalarF(0.5f);
        auto r = runOp("DequantizeLinear", 13, {}, {&x32, &scale});
        QVERIFY(r);
        QCOMPARE(values<float>((*r)[0]), (std::vector<float>{-500000.0f, 0.0f, 3.5f}));
        const Tensor x16 = Tensor::fromVector<uint16_t>({2}, {65535, 1});
        const Tensor z16 = scalarQ<uint16_t>(32768);
        auto r16 = runOp("DequantizeLinear", 21, {}, {&x16, &scale, &z16});
        QVERIFY(r16);
        QCOMPARE(values<float>((*r16)[0]), (std::vector<float>{16383.5f, -16383.5f}));
    }

    void dequantizeFloat16ScaleGivesFloat16()
    {
        const Tensor x = Tensor::fromVector<int8_t>({2}, {4, -6});
        Tensor scale(DataType::Float16, {});
        scale.mutableData<uint16_t>()[0] = floatToHalf(0.25f);
        auto r = runOp("DequantizeLinear", 19, {}, {&x, &scale});
        QVERIFY2(r, qPrintable(test::errorText(r)));
        QCOMPARE((*r)[0].dtype(), DataType::Float16);
        QCOMPARE(halfToFloat((*r)[0].data<uint16_t>()[0]), 1.0f);
        QCOMPARE(halfToFloat((*r)[0].data<uint16_t>()[1]), -1.5f);
    }

    void badScaleShapesAreErrors()
    {
        const Tensor x(DataType::Float, {2, 3});
        const Tensor scale = Tensor::fromVector<float>({2}, {1, 1});
        auto r = runOp("QuantizeLinear", 13, {}, {&x, &scale});
        QVERIFY(!r);
        QCOMPARE(test::errorText(r),
                 QStringLiteral("the scale has shape [2]; per-axis quantization along axis 1 of an "
                                "input of shape [2, 3] needs 3 values."));
        const Tensor scale3 = Tensor::fromVector<float>({3}, {1, 1, 1});
        auto r10 = runOp("QuantizeLinear", 10, {}, {&x, &scale3});
        QVERIFY(!r10);
        QCOMPARE(test::errorText(r10), QStringLiteral("y_scale has shape [3]; before opset 13 "
                                                      "QuantizeLinear takes a scalar scale only."));
        const Tensor q(DataType::UInt8, {2, 3});
        const Tensor zp = scalarQ<int8_t>(0);
        const Tensor s1 = scalarF(1.0f);
        auto rz = runOp("DequantizeLinear", 13, {}, {&q, &s1, &zp});
        QVERIFY(!rz);
        QCOMPARE(test::errorText(rz), QStringLiteral("x_zero_point has type int8 but x has type "
                                                     "uint8; they must match."));
    }

    // --- DynamicQuantizeLinear -------------------------------------------------------------

    void dynamicQuantizeLinear_data()
    {
        QTest::addColumn<std::vector<float>>("x");
        QTest::addColumn<std::vector<uint8_t>>("y");
        QTest::addColumn<float>("scale");
        QTest::addColumn<int>("zp");
        // ONNX backend cases test_dynamicquantizelinear{,_max_adjusted,_min_adjusted}.
        QTest::newRow("onnx") << std::vector<float>{0, 2, -3, -2.5f, 1.34f, 0.5f}
                              << std::vector<uint8_t>{153, 255, 0, 26, 221, 179} << 0.019607843831181526f << 153;
        QTest::newRow("onnx max adjusted")
            << std::vector<float>{-1.0f, -2.1f, -1.3f, -2.5f, -3.34f, -4.0f}
            << std::vector<uint8_t>{191, 121, 172, 96, 42, 0} << 0.01568627543747425f << 255;
        QTest::newRow("onnx min adjusted")
            << std::vector<float>{1, 2.1f, 1.3f, 2.5f, 3.34f, 4, 1.5f, 2.6f, 3.9f, 4, 3, 2.345f}
            << std::vector<uint8_t>{64, 134, 83, 159, 213, 255, 96, 166, 249, 255, 191, 149}
            << 0.01568627543747425f << 0;
        QTest::newRow("all zero: scale 1, no division by zero")
            << std::vector<float>{0, 0, 0} << std::vector<uint8_t>{0, 0, 0} << 1.0f << 0;
    }

    void dynamicQuantizeLinear()
    {
        QFETCH(std::vector<float>, x);
        QFETCH(std::vector<uint8_t>, y);
        QFETCH(float, scale);
        QFETCH(int, zp);
        const Tensor xt = Tensor::fromVector<float>({static_cast<int64_t>(x.size())}, x);
        auto r = runOp("DynamicQuantizeLinear", 11, {}, {&xt}, 3);
        QVERIFY(r);
        QCOMPARE(values<uint8_t>((*r)[0]), y);
        QCOMPARE((*r)[1].data<float>()[0], scale);
        QCOMPARE((*r)[1].rank(), int64_t{0});
        QCOMPARE(int{(*r)[2].data<uint8_t>()[0]}, zp);
    }

    void dynamicQuantizeLinearRandom()
    {
        std::mt19937 rng(11);
        for (int c = 0; c < 5; ++c) {
            const float lo = -5.0f + static_cast<float>(c), hi = 0.5f + 2.0f * static_cast<float>(c);
            const int64_t n = 1000 + 20000 * c;
            qInfo("DynamicQuantizeLinear n=%lld range [%g, %g]", static_cast<long long>(n), lo, hi);
            std::uniform_real_distribution<float> dist(lo, hi);
            Tensor x(DataType::Float, {n});
            for (float &v : x.mutableSpan<float>())
                v = dist(rng);
            auto r = runOp("DynamicQuantizeLinear", 11, {}, {&x}, 3);
            QVERIFY(r);
            const auto xs = x.span<float>();
            const float mn = std::min(0.0f, *std::min_element(xs.begin(), xs.end()));
            const float mx = std::max(0.0f, *std::max_element(xs.begin(), xs.end()));
            const float s = (mx - mn) / 255.0f;
            const auto z = static_cast<int64_t>(std::nearbyint(std::clamp(-mn / s, 0.0f, 255.0f)));
            QCOMPARE((*r)[1].data<float>()[0], s);
            QCOMPARE(int64_t{(*r)[2].data<uint8_t>()[0]}, z);
            for (int64_t i = 0; i < n; ++i)
                QCOMPARE(int64_t{(*r)[0].data<uint8_t>()[i]}, refQuantize(xs[static_cast<std::size_t>(i)], s, z, 0, 255));
        }
    }

    // --- MatMulInteger / QLinearMatMul -----------------------------------------------------

    void matMulIntegerOnnxCase()
    {
        const Tensor a = Tensor::fromVector<uint8_t>({4, 3}, {11, 7, 3, 10, 6, 2, 9, 5, 1, 8, 4, 0});
        const Tensor b = Tensor::fromVector<uint8_t>({3, 2}, {1, 4, 2, 5, 3, 6});
        const Tensor az = Tensor::fromVector<uint8_t>({1}, {12});
        const Tensor bz = Tensor::fromVector<uint8_t>({1}, {0});
        auto r = runOp("MatMulInteger", 10, {}, {&a, &b, &az, &bz});
        QVERIFY2(r, qPrintable(test::errorText(r)));
        QCOMPARE((*r)[0].dims(), (Dims{4, 2}));
        QCOMPARE(values<int32_t>((*r)[0]), (std::vector<int32_t>{-38, -83, -44, -98, -50, -113, -56, -128}));
    }

    void matMulIntegerMatchesReference_data()
    {
        QTest::addColumn<Dims>("aDims");
        QTest::addColumn<Dims>("bDims");
        QTest::addColumn<bool>("aSigned");
        QTest::addColumn<bool>("bSigned");
        QTest::addColumn<int>("zpKind");   // 0 none, 1 scalar, 2 per row / per column
        QTest::newRow("2d u8 x s8 scalar zp") << Dims{7, 13} << Dims{13, 5} << false << true << 1;
        QTest::newRow("3d x 2d per-col zp") << Dims{2, 9, 31} << Dims{31, 6} << false << true << 2;
        QTest::newRow("batch broadcast") << Dims{3, 1, 4, 8} << Dims{2, 8, 5} << true << false << 1;
        QTest::newRow("vector x matrix") << Dims{17} << Dims{17, 4} << false << false << 2;
        QTest::newRow("matrix x vector") << Dims{3, 17} << Dims{17} << true << true << 0;
        QTest::newRow("long K chunked, full range") << Dims{5, 1100} << Dims{1100, 9} << false << true << 2;
        QTest::newRow("long K batched B") << Dims{2, 3, 700} << Dims{2, 700, 4} << true << true << 1;
        QTest::newRow("empty K") << Dims{3, 0} << Dims{0, 2} << false << false << 1;
    }

    void matMulIntegerMatchesReference()
    {
        QFETCH(Dims, aDims);
        QFETCH(Dims, bDims);
        QFETCH(bool, aSigned);
        QFETCH(bool, bSigned);
        QFETCH(int, zpKind);
        qInfo("MatMulInteger A%s %s x B%s %s zp kind %d", dimsToString(aDims).c_str(),
              aSigned ? "int8" : "uint8", dimsToString(bDims).c_str(), bSigned ? "int8" : "uint8", zpKind);
        std::mt19937 rng(1234);
        Tensor a = randomByteTensor(rng, aSigned, aDims);
        Tensor b = randomByteTensor(rng, bSigned, bDims);
        const int64_t m = aDims.size() == 1 ? 1 : aDims[aDims.size() - 2];
        const int64_t n = bDims.size() == 1 ? 1 : bDims.back();
        Tensor az, bz;
        if (zpKind == 1) {
            az = zeroPointTensor(rng, aSigned, {});
            bz = zeroPointTensor(rng, bSigned, {});
        } else if (zpKind == 2) {
            az = zeroPointTensor(rng, aSigned, {m});
            bz = zeroPointTensor(rng, bSigned, {n});
        }
        if (std::string(QTest::currentDataTag()) == "long K chunked, full range") {
            // Worst case for float exactness: |a - za| = 255 and |b - zb| = 255 everywhere.
            for (uint8_t &v : a.mutableSpan<uint8_t>())
                v = 255;
            for (int8_t &v : b.mutableSpan<int8_t>())
                v = -128;
            az = Tensor::fromVector<uint8_t>({m}, std::vector<uint8_t>(static_cast<std::size_t>(m), 0));
            bz = Tensor::fromVector<int8_t>({n}, std::vector<int8_t>(static_cast<std::size_t>(n), 127));
        }
        auto r = runOp("MatMulInteger", 10, {}, {&a, &b, zpKind ? &az : nullptr, zpKind ? &bz : nullptr});
        QVERIFY2(r, qPrintable(test::errorText(r)));
        const RefMatMul ref = refMatMul(a, zpKind ? toInts(az) : std::vector<int32_t>{0}, b,
                                        zpKind ? toInts(bz) : std::vector<int32_t>{0});
        QCOMPARE((*r)[0].dims(), ref.outDims);
        QCOMPARE((*r)[0].dtype(), DataType::Int32);
        for (std::size_t i = 0; i < ref.acc.size(); ++i)
            QCOMPARE(int64_t{(*r)[0].data<int32_t>()[i]}, ref.acc[i]);
    }

    void matMulIntegerErrors()
    {
        const Tensor a(DataType::UInt8, {2, 3}), b(DataType::UInt8, {4, 2});
        auto r = runOp("MatMulInteger", 10, {}, {&a, &b});
        QVERIFY(!r);
        QCOMPARE(test::errorText(r), QStringLiteral("inner dimensions differ: A has shape [2, 3] "
                                                    "and B has shape [4, 2]."));
        const Tensor f(DataType::Float, {3, 2});
        auto rf = runOp("MatMulInteger", 10, {}, {&a, &f});
        QVERIFY(!rf);
        QCOMPARE(test::errorText(rf), QStringLiteral("input B has type float; MatMulInteger takes uint8 or int8."));
        const Tensor b2(DataType::UInt8, {3, 2});
        const Tensor badZp(DataType::UInt8, {3});
        auto rz = runOp("MatMulInteger", 10, {}, {&a, &b2, &badZp});
        QVERIFY(!rz);
        QCOMPARE(test::errorText(rz), QStringLiteral("a_zero_point has shape [3]; it must be a scalar or a "
                                                     "1-D tensor of 2 values (one per row of A)."));
    }

    void qLinearMatMulOnnxCase()
    {
        // test_qlinearmatmul_2D and _3D.
        const std::vector<uint8_t> av{208, 236, 0, 238, 3, 214, 255, 29};
        const std::vector<uint8_t> bv{152, 51, 244, 60, 26, 255, 0, 127, 246, 127, 254, 247};
        const Tensor as = Tensor::fromVector<float>({1}, {0.0066f}), bs = Tensor::fromVector<float>({1}, {0.00705f});
        const Tensor ys = Tensor::fromVector<float>({1}, {0.0107f});
        const Tensor az = Tensor::fromVector<uint8_t>({1}, {113}), bz = Tensor::fromVector<uint8_t>({1}, {114});
        const Tensor yz = Tensor::fromVector<uint8_t>({1}, {118});
        const Tensor a = Tensor::fromVector<uint8_t>({2, 4}, av), b = Tensor::fromVector<uint8_t>({4, 3}, bv);
        auto r = runOp("QLinearMatMul", 10, {}, {&a, &as, &az, &b, &bs, &bz, &ys, &yz});
        QVERIFY2(r, qPrintable(test::errorText(r)));
        QCOMPARE(values<uint8_t>((*r)[0]), (std::vector<uint8_t>{168, 115, 255, 1, 66, 151}));
        std::vector<uint8_t> a2 = av, b2 = bv;
        a2.insert(a2.end(), av.begin(), av.end());
        b2.insert(b2.end(), bv.begin(), bv.end());
        const Tensor a3 = Tensor::fromVector<uint8_t>({2, 2, 4}, a2), b3 = Tensor::fromVector<uint8_t>({2, 4, 3}, b2);
        auto r3 = runOp("QLinearMatMul", 10, {}, {&a3, &as, &az, &b3, &bs, &bz, &ys, &yz});
        QVERIFY(r3);
        QCOMPARE((*r3)[0].dims(), (Dims{2, 2, 3}));
        QCOMPARE(values<uint8_t>((*r3)[0]),
                 (std::vector<uint8_t>{168, 115, 255, 1, 66, 151, 168, 115, 255, 1, 66, 151}));
    }

    void qLinearMatMulMatchesReference_data()
    {
        QTest::addColumn<Dims>("aDims");
        QTest::addColumn<Dims>("bDims");
        QTest::addColumn<bool>("int8Out");
        QTest::addColumn<bool>("perColumn");
        QTest::newRow("2d uint8 out") << Dims{6, 20} << Dims{20, 7} << false << false;
        QTest::newRow("batched int8 out per column") << Dims{3, 5, 40} << Dims{40, 8} << true << true;
        QTest::newRow("long K") << Dims{4, 600} << Dims{600, 3} << false << true;
    }

    void qLinearMatMulMatchesReference()
    {
        QFETCH(Dims, aDims);
        QFETCH(Dims, bDims);
        QFETCH(bool, int8Out);
        QFETCH(bool, perColumn);
        qInfo("QLinearMatMul A%s B%s %s out, %s b scale", dimsToString(aDims).c_str(),
              dimsToString(bDims).c_str(), int8Out ? "int8" : "uint8", perColumn ? "per-column" : "scalar");
        std::mt19937 rng(99);
        const Tensor a = randomBytes<uint8_t>(rng, aDims);
        const Tensor b = randomBytes<int8_t>(rng, bDims);
        const int64_t n = bDims.back(), k = bDims[bDims.size() - 2];
        const Tensor az = scalarQ<uint8_t>(121);
        const Tensor bz = perColumn ? randomBytes<int8_t>(rng, {n}, -3, 3) : scalarQ<int8_t>(2);
        std::vector<float> bsv(static_cast<std::size_t>(perColumn ? n : 1));
        std::uniform_real_distribution<float> sd(0.001f, 0.02f);
        for (float &v : bsv)
            v = sd(rng);
        const Tensor as = scalarF(0.02f), bs = Tensor::fromVector<float>({static_cast<int64_t>(bsv.size())}, bsv);
        // An output scale that puts most results in range and some beyond it.
        // (accumulator spread ~ sqrt(K) * 74 * 74 for uniform bytes; 2.5 sigma -> 127)
        const Tensor ys = scalarF(0.02f * 0.0105f * std::sqrt(static_cast<float>(k)) * 5476.0f * 2.5f / 127.0f);
        const Tensor yz = int8Out ? scalarQ<int8_t>(-3) : scalarQ<uint8_t>(128);
        auto r = runOp("QLinearMatMul", 10, {}, {&a, &as, &az, &b, &bs, &bz, &ys, &yz});
        QVERIFY2(r, qPrintable(test::errorText(r)));
        const RefMatMul ref = refMatMul(a, {121}, b, toInts(bz));
        QCOMPARE((*r)[0].dims(), ref.outDims);
        int clipped = 0;
        for (std::size_t i = 0; i < ref.acc.size(); ++i) {
            const std::size_t col = i % static_cast<std::size_t>(n);
            const float mult = 0.02f * bsv[bsv.size() == 1 ? 0 : col] / ys.data<float>()[0];
            const double q = std::nearbyint(static_cast<float>(ref.acc[i]) * mult) + (int8Out ? -3 : 128);
            const int64_t lo = int8Out ? -128 : 0, hi = int8Out ? 127 : 255;
            const auto expect = static_cast<int64_t>(std::clamp(q, double(lo), double(hi)));
            clipped += expect == lo || expect == hi;
            const int64_t got = int8Out ? int64_t{(*r)[0].data<int8_t>()[i]} : int64_t{(*r)[0].data<uint8_t>()[i]};
            QCOMPARE(got, expect);
        }
        qInfo("  %d of %zu outputs saturated", clipped, ref.acc.size());
    }

    // --- ConvInteger / QLinearConv ---------------------------------------------------------

    void convIntegerOnnxCases()
    {
        const Tensor x = Tensor::fromVector<uint8_t>({1, 1, 3, 3}, {2, 3, 4, 5, 6, 7, 8, 9, 10});
        const Tensor w = Tensor::fromVector<uint8_t>({1, 1, 2, 2}, {1, 1, 1, 1});
        const Tensor xz = scalarQ<uint8_t>(1);
        auto r = runOp("ConvInteger", 10, {test::intsAttr("pads", {1, 1, 1, 1})}, {&x, &w, &xz});
        QVERIFY2(r, qPrintable(test::errorText(r)));
        QCOMPARE((*r)[0].dims(), (Dims{1, 1, 4, 4}));
        QCOMPARE(values<int32_t>((*r)[0]),
                 (std::vector<int32_t>{1, 3, 5, 3, 5, 12, 16, 9, 11, 24, 28, 15, 7, 15, 17, 9}));
        auto r2 = runOp("ConvInteger", 10, {}, {&x, &w, &xz});
        QVERIFY(r2);
        QCOMPARE(values<int32_t>((*r2)[0]), (std::vector<int32_t>{12, 16, 24, 28}));
    }

    void convIntegerMatchesReference_data()
    {
        QTest::addColumn<ConvCase>("c");
        QTest::addColumn<bool>("perChannel");
        QTest::addColumn<QString>("autoPad");
        QTest::newRow("2d 3x3 pad 1") << ConvCase{2, 3, 4, 1, {7, 6}, {3, 3}, {1, 1}, {1, 1}, {1, 1}, {1, 1}} << false << "";
        QTest::newRow("2d stride 2 dilation 2 asym pads per-channel")
            << ConvCase{1, 4, 6, 1, {9, 8}, {3, 2}, {2, 2}, {2, 1}, {0, 2}, {1, 0}} << true << "";
        QTest::newRow("2d grouped") << ConvCase{1, 6, 9, 3, {5, 5}, {3, 3}, {1, 2}, {1, 1}, {1, 0}, {1, 1}} << true << "";
        QTest::newRow("2d depthwise") << ConvCase{2, 4, 4, 4, {6, 6}, {3, 3}, {1, 1}, {1, 1}, {1, 1}, {1, 1}} << false << "";
        QTest::newRow("2d pointwise") << ConvCase{1, 5, 3, 1, {4, 6}, {1, 1}, {1, 1}, {1, 1}, {0, 0}, {0, 0}} << true << "";
        QTest::newRow("1d") << ConvCase{3, 2, 3, 1, {11}, {4}, {3}, {1}, {2}, {1}} << false << "";
        QTest::newRow("3d") << ConvCase{1, 2, 3, 1, {4, 5, 3}, {2, 3, 2}, {1, 2, 1}, {1, 1, 2}, {1, 0, 1}, {0, 1, 1}} << true << "";
        QTest::newRow("big channels (chunked K)") << ConvCase{1, 64, 8, 1, {5, 5}, {3, 3}, {1, 1}, {1, 1}, {1, 1}, {1, 1}} << true << "";
        // SAME_UPPER on 7 with k 4, s 2: out 4, total pad 3 -> begin 1, end 2.
        QTest::newRow("SAME_UPPER") << ConvCase{1, 2, 2, 1, {7, 6}, {4, 3}, {2, 2}, {1, 1}, {1, 0}, {2, 1}} << false << "SAME_UPPER";
        QTest::newRow("SAME_LOWER") << ConvCase{1, 2, 2, 1, {7, 6}, {4, 3}, {2, 2}, {1, 1}, {2, 1}, {1, 0}} << false << "SAME_LOWER";
    }

    void convIntegerMatchesReference()
    {
        QFETCH(ConvCase, c);
        QFETCH(bool, perChannel);
        QFETCH(QString, autoPad);
        qInfo("ConvInteger N=%lld C=%lld M=%lld group=%lld in%s k%s stride%s dil%s pads%s%s %s",
              (long long)c.n, (long long)c.cin, (long long)c.cout, (long long)c.group,
              dimsToString(c.in).c_str(), dimsToString(c.kernel).c_str(), dimsToString(c.stride).c_str(),
              dimsToString(c.dilation).c_str(), dimsToString(c.padB).c_str(), dimsToString(c.padE).c_str(),
              qPrintable(autoPad));
        std::mt19937 rng(5);
        Dims xd{c.n, c.cin}, wd{c.cout, c.cin / c.group};
        xd.insert(xd.end(), c.in.begin(), c.in.end());
        wd.insert(wd.end(), c.kernel.begin(), c.kernel.end());
        const Tensor x = randomBytes<uint8_t>(rng, xd);
        const Tensor w = randomBytes<int8_t>(rng, wd);
        const Tensor xz = scalarQ<uint8_t>(130);
        const Tensor wz = perChannel ? randomBytes<int8_t>(rng, {c.cout}, -5, 5) : scalarQ<int8_t>(3);
        std::vector<Attribute> attrs{test::intsAttr("strides", c.stride), test::intsAttr("dilations", c.dilation),
                                     test::intAttr("group", c.group)};
        if (autoPad.isEmpty()) {
            Dims pads = c.padB;
            pads.insert(pads.end(), c.padE.begin(), c.padE.end());
            attrs.push_back(test::intsAttr("pads", pads));
        } else {
            attrs.push_back(test::stringAttr("auto_pad", autoPad.toStdString()));
        }
        auto r = runOp("ConvInteger", 10, attrs, {&x, &w, &xz, &wz});
        QVERIFY2(r, qPrintable(test::errorText(r)));
        Dims outDims;
        const auto ref = refConv(c, x, 130, w, toInts(wz), outDims);
        QCOMPARE((*r)[0].dims(), outDims);
        for (std::size_t i = 0; i < ref.size(); ++i)
            QCOMPARE(int64_t{(*r)[0].data<int32_t>()[i]}, ref[i]);

        // QLinearConv on the same operands: requantized accumulator plus bias.
        std::vector<int32_t> bias(static_cast<std::size_t>(c.cout));
        for (std::size_t i = 0; i < bias.size(); ++i)
            bias[i] = static_cast<int32_t>(i * 37) - 50;
        std::vector<float> wsv(static_cast<std::size_t>(perChannel ? c.cout : 1));
        for (std::size_t i = 0; i < wsv.size(); ++i)
            wsv[i] = 0.004f + 0.001f * static_cast<float>(i);
        const Tensor xs = scalarF(0.05f), ys = scalarF(0.9f), yz = scalarQ<int8_t>(5);
        const Tensor ws = Tensor::fromVector<float>({static_cast<int64_t>(wsv.size())}, wsv);
        const Tensor bt = Tensor::fromVector<int32_t>({c.cout}, bias);
        auto q = runOp("QLinearConv", 10, attrs, {&x, &xs, &xz, &w, &ws, &wz, &ys, &yz, &bt});
        QVERIFY2(q, qPrintable(test::errorText(q)));
        const int64_t plane = numElements(outDims) / (c.n * c.cout);
        for (std::size_t i = 0; i < ref.size(); ++i) {
            const auto m = static_cast<std::size_t>((static_cast<int64_t>(i) / plane) % c.cout);
            const float mult = 0.05f * wsv[wsv.size() == 1 ? 0 : m] / 0.9f;
            const double v = std::nearbyint(static_cast<float>(ref[i] + bias[m]) * mult) + 5.0;
            QCOMPARE(int64_t{(*q)[0].data<int8_t>()[i]}, static_cast<int64_t>(std::clamp(v, -128.0, 127.0)));
        }
    }

    void qLinearConvOnnxCase()
    {
        const Tensor x = Tensor::fromVector<uint8_t>(
            {1, 1, 7, 7},
            {255, 174, 162, 25, 203, 168, 58, 15, 59, 237, 95, 129, 0, 64, 56, 242, 153,
             221, 168, 12, 166, 232, 178, 186, 195, 237, 162, 237, 188, 39, 124, 77, 80, 102,
             43, 127, 230, 21, 83, 41, 40, 134, 255, 154, 92, 141, 42, 148, 247});
        const Tensor xs = scalarF(0.003692046971991658f), xz = scalarQ<uint8_t>(132);
        const Tensor w = Tensor::fromVector<uint8_t>({1, 1, 1, 1}, {0});
        const Tensor ws = Tensor::fromVector<float>({1}, {0.0017279457533732057f});
        const Tensor wz = Tensor::fromVector<uint8_t>({1}, {255});
        const Tensor ys = scalarF(0.001626812620088458f), yz = scalarQ<uint8_t>(123);
        auto r = runOp("QLinearConv", 10, {}, {&x, &xs, &xz, &w, &ws, &wz, &ys, &yz});
        QVERIFY2(r, qPrintable(test::errorText(r)));
        QCOMPARE(values<uint8_t>((*r)[0]),
                 (std::vector<uint8_t>{0, 81, 93, 230, 52, 87, 197, 240, 196, 18, 160, 126, 255, 191,
                                       199, 13, 102, 34, 87, 243, 89, 23, 77, 69, 60, 18, 93, 18, 67,
                                       216, 131, 178, 175, 153, 212, 128, 25, 234, 172, 214, 215, 121,
                                       0, 101, 163, 114, 213, 107, 8}));
    }

    void convIntegerErrors()
    {
        const Tensor x(DataType::UInt8, {1, 3, 5, 5}), w(DataType::UInt8, {4, 2, 3, 3});
        auto r = runOp("ConvInteger", 10, {}, {&x, &w});
        QVERIFY(!r);
        QCOMPARE(test::errorText(r), QStringLiteral("x has 3 channels and w has shape [4, 2, 3, 3], "
                                                    "which do not fit group 1."));
        const Tensor w2(DataType::UInt8, {4, 3, 7, 3});
        auto r2 = runOp("ConvInteger", 10, {}, {&x, &w2});
        QVERIFY(!r2);
        QCOMPARE(test::errorText(r2), QStringLiteral("the kernel (extent 7) is larger than the padded "
                                                     "input (5) along spatial dimension 0."));
    }

    void matchesOnnxRuntime_data()
    {
        // Golden cases written by tests/ops_quant/make_onnxruntime_cases.py with onnxruntime 1.30.
        QTest::addColumn<QString>("folder");
        const auto folders = test::caseFolders(NNC_SOURCE_DIR "/tests/ops_quant/onnxruntime_cases");
        QVERIFY(folders.size() > 20);
        for (const auto &f : folders)
            QTest::newRow(f.filename().string().c_str()) << QString::fromStdString(f.string());
    }

    void matchesOnnxRuntime()
    {
        QFETCH(QString, folder);
        const std::string error = test::runCaseFolder(folder.toStdString());
        QVERIFY2(error.empty(), error.c_str());
    }

    // --- Speed (figures only, no timed asserts) --------------------------------------------

    void benchmarkTransformerShapes()
    {
        // The hinglish_intent_slot_int8 model's MatMulInteger shapes: [1, 64, K] x [K, N].
        std::mt19937 rng(3);
        for (auto [k, n] : {std::pair<int64_t, int64_t>{256, 768}, {768, 256}, {256, 256}}) {
            const Tensor a = randomBytes<uint8_t>(rng, {1, 64, k});
            const Tensor b = randomBytes<int8_t>(rng, {k, n});
            const Tensor az = scalarQ<uint8_t>(128), bz = scalarQ<int8_t>(0);
            QElapsedTimer t;
            t.start();
            constexpr int kRuns = 20;
            for (int i = 0; i < kRuns; ++i)
                QVERIFY(runOp("MatMulInteger", 10, {}, {&a, &b, &az, &bz}));
            const double ms = static_cast<double>(t.nsecsElapsed()) / 1e6 / kRuns;
            qInfo("MatMulInteger [1,64,%lld] x [%lld,%lld]: %.3f ms (%.1f GOP/s)", (long long)k,
                  (long long)k, (long long)n, ms, 2.0 * 64 * k * n / ms / 1e6);
        }
    }
};

QTEST_APPLESS_MAIN(TestQuantOps)
#include "test_quant_ops.moc"
