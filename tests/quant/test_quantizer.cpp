// Tests of core/quant/quantizer: the guide's worked examples exactly, integer ranges and
// parameters for every bit width 2..16, zero representability, degenerate ranges, the vectorized
// and parallel fakeQuantize against a plain reference loop, per-channel quantization on each
// op's weight axis, bit-exact agreement with the engine's own ONNX QuantizeLinear ->
// DequantizeLinear kernels, error measures and the weight-size rule.
#include "core/ops/op_table.h"
#include "core/quant/quantizer.h"

#include <QElapsedTimer>
#include <QTest>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>

using namespace nnc;

namespace {

// The fake quantization of one value, written out plainly from the guide's formula (float32,
// true division, round half to even, clamp, then float(q - Z) * S).
float refFakeQuant(float x, const QuantParams &p)
{
    if (std::isnan(x))
        return 0.0f;
    float q = std::nearbyint(x / p.scale) + static_cast<float>(p.zeroPoint);
    q = std::max(q, static_cast<float>(p.qmin));
    q = std::min(q, static_cast<float>(p.qmax));
    return static_cast<float>(static_cast<int32_t>(q) - p.zeroPoint) * p.scale;
}

bool sameBits(float a, float b)
{
    return std::bit_cast<uint32_t>(a) == std::bit_cast<uint32_t>(b)
           || (a == 0.0f && b == 0.0f);   // +0 and -0 are the same dequantized value
}

QString describe(const QuantParams &p)
{
    return QStringLiteral("S=%1 Z=%2 [%3, %4]").arg(double(p.scale), 0, 'g', 9).arg(p.zeroPoint)
        .arg(p.qmin).arg(p.qmax);
}

/// Runs one ONNX op through the engine's kernel table.
Result<Tensor> runKernel(const char *op, int64_t opset, std::vector<const Tensor *> inputs,
                         int64_t axis)
{
    const OpEntry *e = findKernel("", op, opset);
    if (!e)
        return fail(std::string("no kernel for ") + op);
    Node node;
    node.opType = op;
    Attribute a;
    a.name = "axis";
    a.kind = Attribute::Kind::Int;
    a.i = axis;
    node.attributes.push_back(a);
    for (std::size_t i = 0; i < inputs.size(); ++i)
        node.inputs.push_back("in" + std::to_string(i));
    node.outputs.push_back("out");
    auto kernel = e->create(KernelBuildInfo{node, opset});
    if (!kernel)
        return std::unexpected(kernel.error());
    KernelContext ctx;
    ctx.inputs = inputs;
    ctx.outputs.resize(1);
    if (auto ok = (*kernel)->run(ctx); !ok)
        return std::unexpected(ok.error());
    return ctx.outputs[0];
}

/// Random values with many exact rounding ties: half of them are (k + 0.5) * S for a
/// power-of-two S (so x / S is exactly k + 0.5), the rest uniform in [lo, hi].
std::vector<float> valuesWithTies(std::mt19937 &rng, std::size_t n, float pow2Scale, float lo,
                                  float hi)
{
    std::uniform_real_distribution<float> u(lo, hi);
    std::uniform_int_distribution<int> k(-300, 300);
    std::vector<float> v(n);
    for (std::size_t i = 0; i < n; ++i)
        v[i] = (i % 2 == 0) ? (static_cast<float>(k(rng)) + 0.5f) * pow2Scale : u(rng);
    return v;
}

template<class Q>
Tensor zeroPointTensor(int32_t z, int64_t count = 0)
{
    if (count == 0)
        return Tensor::fromVector<Q>({}, {static_cast<Q>(z)});
    return Tensor::fromVector<Q>({count}, std::vector<Q>(static_cast<std::size_t>(count), static_cast<Q>(z)));
}

} // namespace

class TestQuantizer : public QObject
{
    Q_OBJECT

private slots:
    // --- The guide's worked examples ------------------------------------------------------

    void workedExampleUnsignedAsymmetric()
    {
        const QuantParams p = chooseParams({8, IntRange::Unsigned, false}, -1.0f, 3.0f);
        QCOMPARE(p.scale, 4.0f / 255.0f);
        QCOMPARE(p.zeroPoint, 64);
        QCOMPARE(p.qmin, 0);
        QCOMPARE(p.qmax, 255);
        QCOMPARE(quantizeValue(0.0f, p), 64);
        QCOMPARE(quantizeValue(3.0f, p), 255);
        QCOMPARE(quantizeValue(1.0f, p), 128);
        QCOMPARE(dequantizeValue(128, p), 64.0f * p.scale);
        QVERIFY(std::abs(dequantizeValue(128, p) - 1.0039216f) < 1e-7f);
        float out = 0;
        fakeQuantize(std::span<const float>(std::array{1.0f}), std::span<float>(&out, 1), p);
        QCOMPARE(out, 64.0f * p.scale);
    }

    void workedExampleSignedSymmetric()
    {
        const QuantParams p = chooseParams({8, IntRange::Signed, true}, -2.5f, 1.0f);
        QCOMPARE(p.scale, 2.5f / 127.0f);
        QCOMPARE(p.zeroPoint, 0);
        QCOMPARE(quantizeValue(1.0f, p), 51);
        QVERIFY(std::abs(dequantizeValue(51, p) - 1.0039370f) < 1e-7f);
        QCOMPARE(quantizeValue(-2.5f, p), -127);
        QCOMPARE(dequantizeValue(-127, p), -2.5f);
    }

    void roundHalfToEven()
    {
        const QuantParams p{1.0f, 0, -128, 127};
        QCOMPARE(quantizeValue(2.5f, p), 2);
        QCOMPARE(quantizeValue(3.5f, p), 4);
        QCOMPARE(quantizeValue(-2.5f, p), -2);
        QCOMPARE(quantizeValue(0.5f, p), 0);
        QCOMPARE(quantizeValue(-1.5f, p), -2);
        // The vectorized loop (long input, plus an unaligned tail) rounds the same way.
        const std::vector<float> base{2.5f, 3.5f, -2.5f, 0.5f, -1.5f, 1.5f, -3.5f};
        const std::vector<float> want{2.0f, 4.0f, -2.0f, 0.0f, -2.0f, 2.0f, -4.0f};
        std::vector<float> in;
        for (int i = 0; i < 301; ++i)
            in.insert(in.end(), base.begin(), base.end());
        std::vector<float> out(in.size());
        fakeQuantize(in, out, p);
        for (std::size_t i = 0; i < in.size(); ++i)
            QCOMPARE(out[i], want[i % want.size()]);
    }

    // --- Ranges and parameters for every bit width ----------------------------------------

    void integerRangesEveryWidth()
    {
        for (int b = 2; b <= 16; ++b) {
            const int64_t half = int64_t{1} << (b - 1);
            QCOMPARE(integerRange(b, IntRange::Signed), std::make_pair(int32_t(-half), int32_t(half - 1)));
            QCOMPARE(integerRange(b, IntRange::SignedRestricted),
                     std::make_pair(int32_t(-(half - 1)), int32_t(half - 1)));
            QCOMPARE(integerRange(b, IntRange::Unsigned), std::make_pair(int32_t(0), int32_t(2 * half - 1)));
        }
        QCOMPARE(integerRange(8, IntRange::SignedRestricted), std::make_pair(-127, 127));
        QCOMPARE(integerRange(16, IntRange::Unsigned), std::make_pair(0, 65535));
    }

    void paramsEveryWidthAndKind()
    {
        const std::pair<float, float> ranges[] = {{-1.0f, 3.0f}, {-2.5f, 1.0f}, {0.2f, 7.0f},
                                                  {-6.0f, -0.5f}, {-1e-3f, 2e-3f}};
        for (int b = 2; b <= 16; ++b)
            for (IntRange kind : {IntRange::Signed, IntRange::Unsigned, IntRange::SignedRestricted})
                for (bool sym : {true, false})
                    for (auto [lo, hi] : ranges) {
                        const QuantSpec spec{b, kind, sym};
                        const QuantParams p = chooseParams(spec, lo, hi);
                        const auto [qmin, qmax] = integerRange(b, kind);
                        const QString what = QStringLiteral("b=%1 kind=%2 sym=%3 range [%4, %5]: %6")
                                                 .arg(b).arg(int(kind)).arg(sym).arg(lo).arg(hi)
                                                 .arg(describe(p));
                        QVERIFY2(p.qmin == qmin && p.qmax == qmax, qPrintable(what));
                        QVERIFY2(p.scale > 0, qPrintable(what));
                        QVERIFY2(p.zeroPoint >= qmin && p.zeroPoint <= qmax, qPrintable(what));
                        // Zero is exactly representable: q(0) = Z and its fake quantization is 0.
                        QVERIFY2(quantizeValue(0.0f, p) == p.zeroPoint, qPrintable(what));
                        QVERIFY2(refFakeQuant(0.0f, p) == 0.0f, qPrintable(what));
                        const double rlo = std::min(lo, 0.0f), rhi = std::max(hi, 0.0f);
                        double expectScale = 0;
                        if (sym && kind == IntRange::Unsigned)
                            expectScale = rhi / ((1 << b) - 1);
                        else if (sym)
                            expectScale = std::max(-rlo, rhi) / ((1 << (b - 1)) - 1);
                        else
                            expectScale = (rhi - rlo) / (qmax - qmin);
                        if (expectScale > 0) {
                            QVERIFY2(p.scale == static_cast<float>(expectScale), qPrintable(what));
                            if (sym)
                                QVERIFY2(p.zeroPoint == 0, qPrintable(what));
                        }
                        // Inside the covered range the error is at most S / 2 (plus float slack).
                        const bool coversNegatives = !(sym && kind == IntRange::Unsigned);
                        const double from = coversNegatives ? rlo : 0.0;
                        for (int i = 0; i <= 200; ++i) {
                            const double x = from + (rhi - from) * i / 200.0;
                            const auto xf = static_cast<float>(x);
                            const float r = refFakeQuant(xf, p);
                            // S / 2, plus the float rounding of x / S and of S * (q - Z).
                            const double slack = (std::abs(double(xf)) / p.scale + 1) * 0x1p-23 * p.scale
                                                 + std::abs(double(xf)) * 0x1p-23;
                            QVERIFY2(std::abs(double(r) - double(xf)) <= 0.5 * p.scale + slack,
                                     qPrintable(what + QStringLiteral(" x=%1 r=%2").arg(x).arg(double(r))));
                        }
                    }
    }

    void asymmetricEndpointsMapToIntegerEnds()
    {
        for (int b = 2; b <= 16; ++b) {
            const QuantParams p = chooseParams({b, IntRange::Unsigned, false}, -1.0f, 3.0f);
            QCOMPARE(quantizeValue(3.0f, p), p.qmax);
            QCOMPARE(quantizeValue(-1.0f, p), p.qmin);
            QCOMPARE(quantizeValue(100.0f, p), p.qmax);   // clipped
            QCOMPARE(quantizeValue(-100.0f, p), p.qmin);
        }
    }

    void degenerateRanges()
    {
        const QuantParams a = chooseParams({8, IntRange::Signed, true}, 0.0f, 0.0f);
        QCOMPARE(a.scale, 1.0f);
        QCOMPARE(a.zeroPoint, 0);
        const QuantParams b = chooseParams({8, IntRange::Signed, false}, 0.0f, 0.0f);
        QCOMPARE(b.scale, 1.0f);
        QCOMPARE(b.zeroPoint, 0);
        const QuantParams c = chooseParams({8, IntRange::Unsigned, false}, 0.0f, 0.0f);
        QCOMPARE(c.scale, 1.0f);
        QCOMPARE(c.zeroPoint, 128);   // the unsigned midpoint
        const QuantParams d = chooseParams({4, IntRange::Unsigned, true}, -3.0f, 0.0f);
        QCOMPARE(d.scale, 1.0f);      // unsigned symmetric sees no positive range
        QCOMPARE(d.zeroPoint, 0);
        for (const QuantParams &p : {a, b, c, d}) {
            QCOMPARE(quantizeValue(0.0f, p), p.zeroPoint);
            QCOMPARE(refFakeQuant(0.0f, p), 0.0f);
        }
        // Reversed, NaN and infinite bounds do not produce invalid parameters.
        const QuantParams r = chooseParams({8, IntRange::Signed, false}, 3.0f, -1.0f);
        QCOMPARE(r.scale, chooseParams({8, IntRange::Signed, false}, -1.0f, 3.0f).scale);
        const QuantParams n = chooseParams({8, IntRange::Signed, true}, std::nanf(""), 2.0f);
        QCOMPARE(n.scale, 2.0f / 127.0f);
        const QuantParams inf = chooseParams({8, IntRange::Signed, false},
                                             -std::numeric_limits<float>::infinity(), 1.0f);
        QVERIFY(std::isfinite(inf.scale) && inf.scale > 0);
        const QuantParams tiny = chooseParams({8, IntRange::Signed, true}, 0.0f, 1e-43f);
        QVERIFY(tiny.scale >= std::numeric_limits<float>::min());
    }

    void unsignedSymmetric()
    {
        const QuantParams p = chooseParams({8, IntRange::Unsigned, true}, 0.0f, 5.0f);
        QCOMPARE(p.scale, 5.0f / 255.0f);
        QCOMPARE(p.zeroPoint, 0);
        QCOMPARE(quantizeValue(5.0f, p), 255);
        QCOMPARE(quantizeValue(-1.0f, p), 0);
    }

    void nonFiniteInputs()
    {
        const QuantParams p = chooseParams({8, IntRange::Unsigned, false}, -1.0f, 3.0f);
        std::vector<float> in(100, 1.0f);
        in[3] = std::nanf("");
        in[50] = std::numeric_limits<float>::infinity();
        in[51] = -std::numeric_limits<float>::infinity();
        std::vector<float> out(in.size());
        fakeQuantize(in, out, p);
        QCOMPARE(out[3], 0.0f);   // ONNX maps NaN to the zero point
        QCOMPARE(out[50], static_cast<float>(255 - 64) * p.scale);
        QCOMPARE(out[51], static_cast<float>(0 - 64) * p.scale);
        QCOMPARE(quantizeValue(std::nanf(""), p), 64);
    }

    // --- fakeQuantize against the plain reference ------------------------------------------

    void fakeQuantizeMatchesReference_data()
    {
        QTest::addColumn<int>("n");
        QTest::addColumn<int>("bits");
        QTest::addColumn<int>("kind");
        QTest::addColumn<bool>("sym");
        QTest::addColumn<int>("alias");   // 0 separate, 1 in place, 2 overlapping shifted
        const int sizes[] = {0, 1, 7, 8, 33, 1000, 65535, 65536 + 13, 1 << 20};
        int seed = 0;
        for (int n : sizes)
            for (int alias : {0, 1, 2}) {
                const int bits = 2 + (seed * 5) % 15;
                const int kind = seed % 3;
                const bool sym = seed % 2;
                QTest::addRow("n=%d bits=%d kind=%d sym=%d alias=%d", n, bits, kind, int(sym), alias)
                    << n << bits << kind << sym << alias;
                ++seed;
            }
    }

    void fakeQuantizeMatchesReference()
    {
        QFETCH(int, n);
        QFETCH(int, bits);
        QFETCH(int, kind);
        QFETCH(bool, sym);
        QFETCH(int, alias);
        std::mt19937 rng(static_cast<unsigned>(n * 31 + bits));
        const QuantParams p = chooseParams({bits, IntRange(kind), sym}, -1.7f, 2.9f);
        const std::vector<float> in = valuesWithTies(rng, static_cast<std::size_t>(n), 0.03125f, -3.0f, 4.0f);
        std::vector<float> want(in.size());
        for (std::size_t i = 0; i < in.size(); ++i)
            want[i] = refFakeQuant(in[i], p);

        std::vector<float> got;
        QElapsedTimer timer;
        timer.start();
        if (alias == 0) {
            got.resize(in.size());
            fakeQuantize(in, got, p);
        } else if (alias == 1) {
            got = in;
            fakeQuantize(got, got, p);
        } else {
            // Input at offset 0, output at offset 5 of the same buffer (partial overlap).
            std::vector<float> buf(in.size() + 5);
            std::copy(in.begin(), in.end(), buf.begin());
            fakeQuantize(std::span<const float>(buf.data(), in.size()),
                         std::span<float>(buf.data() + 5, in.size()), p);
            got.assign(buf.begin() + 5, buf.end());
        }
        const double ns = static_cast<double>(timer.nsecsElapsed());
        if (n >= (1 << 20))
            qInfo("fakeQuantize %d values: %.2f ms (%.2f Gvalues/s)", n, ns / 1e6, n / ns);
        for (std::size_t i = 0; i < in.size(); ++i)
            if (!sameBits(got[i], want[i]))
                QFAIL(qPrintable(QStringLiteral("element %1: x=%2 got %3 want %4 (%5)")
                                     .arg(i).arg(double(in[i]), 0, 'g', 9).arg(double(got[i]), 0, 'g', 9)
                                     .arg(double(want[i]), 0, 'g', 9).arg(describe(p))));
    }

    // --- Bit-exact agreement with ONNX QuantizeLinear -> DequantizeLinear -------------------

    void matchesOnnxQdqKernels_data()
    {
        QTest::addColumn<int>("bits");
        QTest::addColumn<int>("kind");
        QTest::addColumn<bool>("sym");
        QTest::addColumn<float>("scale");   // 0: from chooseParams on the data range
        QTest::addRow("uint8 asym pow2 scale") << 8 << int(IntRange::Unsigned) << false << 0.03125f;
        QTest::addRow("int8 sym pow2 scale") << 8 << int(IntRange::Signed) << true << 0.0625f;
        QTest::addRow("uint8 asym chosen") << 8 << int(IntRange::Unsigned) << false << 0.0f;
        QTest::addRow("int8 sym chosen") << 8 << int(IntRange::Signed) << true << 0.0f;
        QTest::addRow("int8 asym chosen") << 8 << int(IntRange::Signed) << false << 0.0f;
        QTest::addRow("uint16 asym chosen") << 16 << int(IntRange::Unsigned) << false << 0.0f;
        QTest::addRow("int16 sym pow2 scale") << 16 << int(IntRange::Signed) << true << 0.0009765625f;
        QTest::addRow("int16 asym chosen") << 16 << int(IntRange::Signed) << false << 0.0f;
    }

    void matchesOnnxQdqKernels()
    {
        QFETCH(int, bits);
        QFETCH(int, kind);
        QFETCH(bool, sym);
        QFETCH(float, scale);
        std::mt19937 rng(static_cast<unsigned>(bits * 7 + kind));
        QuantParams p = chooseParams({bits, IntRange(kind), sym}, -5.0f, 8.0f);
        if (scale > 0)
            p.scale = scale;
        // Half the values are (k + 0.5) * S rounded to float; for most of them x / S is exactly
        // k + 0.5 again, a tie (a power-of-two S makes every one a tie).
        const std::vector<float> xs = valuesWithTies(rng, 20000, p.scale, -6.0f, 9.0f);
        qInfo("%s", qPrintable(describe(p)));
        const Tensor x = Tensor::fromVector<float>({static_cast<int64_t>(xs.size())}, xs);
        const Tensor s = Tensor::fromVector<float>({}, {p.scale});
        const bool isSigned = IntRange(kind) != IntRange::Unsigned;
        const Tensor z = bits == 8 ? (isSigned ? zeroPointTensor<int8_t>(p.zeroPoint) : zeroPointTensor<uint8_t>(p.zeroPoint))
                                   : (isSigned ? zeroPointTensor<int16_t>(p.zeroPoint)
                                               : zeroPointTensor<uint16_t>(p.zeroPoint));
        const int64_t opset = bits == 8 ? 13 : 21;
        auto q = runKernel("QuantizeLinear", opset, {&x, &s, &z}, 1);
        QVERIFY2(q, q ? "" : q.error().message.c_str());
        auto r = runKernel("DequantizeLinear", opset, {&*q, &s, &z}, 1);
        QVERIFY2(r, r ? "" : r.error().message.c_str());
        std::vector<float> fq(xs.size());
        fakeQuantize(xs, fq, p);
        const float *onnx = r->data<float>();
        int ties = 0;
        for (std::size_t i = 0; i < xs.size(); ++i) {
            const float t = xs[i] / p.scale;
            ties += t - std::floor(t) == 0.5f;
            if (!sameBits(fq[i], onnx[i]))
                QFAIL(qPrintable(QStringLiteral("x=%1: fakeQuantize %2, ONNX QDQ %3")
                                     .arg(double(xs[i]), 0, 'g', 9).arg(double(fq[i]), 0, 'g', 9)
                                     .arg(double(onnx[i]), 0, 'g', 9)));
            QCOMPARE(quantizeValue(xs[i], p), static_cast<int32_t>(q->valueAsDouble(int64_t(i))));
        }
        qInfo("%d exact ties of %d values", ties, int(xs.size()));
        QVERIFY2(ties > 1000, qPrintable(QStringLiteral("only %1 exact ties").arg(ties)));
    }

    // --- Per-channel quantization on each op's weight axis ---------------------------------

    void perChannelOnOpAxes_data()
    {
        QTest::addColumn<QString>("op");
        QTest::addColumn<Dims>("dims");
        QTest::addColumn<bool>("transB");
        QTest::addColumn<int>("axis");
        QTest::addRow("Conv [6,3,3,3]") << "Conv" << Dims{6, 3, 3, 3} << false << 0;
        QTest::addRow("ConvTranspose [4,5,3,3]") << "ConvTranspose" << Dims{4, 5, 3, 3} << false << 1;
        QTest::addRow("Gemm transB [7,9]") << "Gemm" << Dims{7, 9} << true << 0;
        QTest::addRow("Gemm [9,7]") << "Gemm" << Dims{9, 7} << false << 1;
        QTest::addRow("MatMul [12,5]") << "MatMul" << Dims{12, 5} << false << 1;
        QTest::addRow("MatMul [2,12,5]") << "MatMul" << Dims{2, 12, 5} << false << 2;
        QTest::addRow("Gather [10,4]") << "Gather" << Dims{10, 4} << false << 0;
        QTest::addRow("LSTM [2,16,3]") << "LSTM" << Dims{2, 16, 3} << false << 1;
        QTest::addRow("GRU [1,12,4]") << "GRU" << Dims{1, 12, 4} << false << 1;
    }

    void perChannelOnOpAxes()
    {
        QFETCH(QString, op);
        QFETCH(Dims, dims);
        QFETCH(bool, transB);
        QFETCH(int, axis);
        QCOMPARE(weightChannelAxis(op.toStdString(), static_cast<int64_t>(dims.size()), transB), axis);

        std::mt19937 rng(static_cast<unsigned>(dims.size() * 13 + dims[0]));
        std::normal_distribution<float> g(0.0f, 1.0f);
        Tensor w(DataType::Float, dims);
        const int64_t channels = dims[static_cast<std::size_t>(axis)];
        // Element i's channel, from its multi-index (independent of the library's layout code).
        auto channelOf = [&](int64_t i) {
            int64_t c = 0;
            for (int64_t d = static_cast<int64_t>(dims.size()) - 1; d >= 0; --d) {
                const int64_t idx = i % dims[static_cast<std::size_t>(d)];
                i /= dims[static_cast<std::size_t>(d)];
                if (d == axis)
                    c = idx;
            }
            return c;
        };
        float *wp = w.mutableData<float>();
        for (int64_t i = 0; i < w.numel(); ++i)
            wp[i] = g(rng) * static_cast<float>(1 + 3 * channelOf(i)) + 0.1f * float(channelOf(i));

        for (const QuantSpec spec : {QuantSpec{8, IntRange::Signed, true}, QuantSpec{4, IntRange::Unsigned, false},
                                     QuantSpec{8, IntRange::SignedRestricted, true}}) {
            auto params = perChannelParams(w, spec, axis);
            QVERIFY(params);
            QCOMPARE(static_cast<int64_t>(params->size()), channels);
            std::vector<float> lo(static_cast<std::size_t>(channels), 1e30f), hi(lo.size(), -1e30f);
            for (int64_t i = 0; i < w.numel(); ++i) {
                const auto c = static_cast<std::size_t>(channelOf(i));
                lo[c] = std::min(lo[c], wp[i]);
                hi[c] = std::max(hi[c], wp[i]);
            }
            for (std::size_t c = 0; c < lo.size(); ++c) {
                const QuantParams want = chooseParams(spec, lo[c], hi[c]);
                QCOMPARE((*params)[c].scale, want.scale);
                QCOMPARE((*params)[c].zeroPoint, want.zeroPoint);
            }
            auto fq = fakeQuantizeTensor(w, *params, axis);
            QVERIFY(fq);
            QCOMPARE(fq->dims(), dims);
            for (int64_t i = 0; i < w.numel(); ++i)
                QVERIFY(sameBits(fq->data<float>()[i],
                                 refFakeQuant(wp[i], (*params)[static_cast<std::size_t>(channelOf(i))])));
            // The same with a negative axis.
            auto fq2 = fakeQuantizeTensor(w, *params, axis - static_cast<int>(dims.size()));
            QVERIFY(fq2);
            QVERIFY(std::memcmp(fq2->data<float>(), fq->data<float>(), fq->byteSize()) == 0);

            // The engine's per-axis QuantizeLinear/DequantizeLinear agree bit for bit (8 bits).
            if (spec.bits == 8 && spec.range != IntRange::SignedRestricted) {
                std::vector<float> sc;
                std::vector<int8_t> zp;
                for (const QuantParams &p : *params) {
                    sc.push_back(p.scale);
                    zp.push_back(static_cast<int8_t>(p.zeroPoint));
                }
                const Tensor s = Tensor::fromVector<float>({channels}, sc);
                const Tensor z = Tensor::fromVector<int8_t>({channels}, zp);
                auto q = runKernel("QuantizeLinear", 13, {&w, &s, &z}, axis);
                QVERIFY2(q, q ? "" : q.error().message.c_str());
                auto r = runKernel("DequantizeLinear", 13, {&*q, &s, &z}, axis);
                QVERIFY2(r, r ? "" : r.error().message.c_str());
                for (int64_t i = 0; i < w.numel(); ++i)
                    QVERIFY(sameBits(fq->data<float>()[i], r->data<float>()[i]));
            }
        }
    }

    void perTensorParamsFromValues()
    {
        const std::vector<float> v{0.5f, -2.0f, std::nanf(""), 3.0f, std::numeric_limits<float>::infinity()};
        const QuantParams p = tensorParams(v, {8, IntRange::Signed, false});
        const QuantParams want = chooseParams({8, IntRange::Signed, false}, -2.0f, 3.0f);
        QCOMPARE(p.scale, want.scale);
        QCOMPARE(p.zeroPoint, want.zeroPoint);
        QCOMPARE(tensorParams({}, {8, IntRange::Signed, true}).scale, 1.0f);
        QCOMPARE(weightChannelAxis("Relu", 4), -1);
    }

    void fakeQuantizeTensorErrors()
    {
        const Tensor w(DataType::Float, {3, 4});
        const std::vector<QuantParams> two(2);
        auto r = fakeQuantizeTensor(w, two, 0);
        QVERIFY(!r);
        QCOMPARE(QString::fromStdString(r.error().message),
                 QStringLiteral("per-channel quantization along axis 0 of a tensor of shape [3, 4] needs "
                                "3 (scale, zero point) pairs, not 2."));
        const std::vector<QuantParams> three(3);
        auto bad = fakeQuantizeTensor(w, three, 2);
        QVERIFY(!bad);
        QCOMPARE(QString::fromStdString(bad.error().message),
                 QStringLiteral("the quantization axis 2 is out of range for a tensor of shape [3, 4]."));
        auto i8 = fakeQuantizeTensor(Tensor(DataType::Int8, {3}), three, 0);
        QVERIFY(!i8);
        QCOMPARE(QString::fromStdString(i8.error().message),
                 QStringLiteral("fake quantization needs a float tensor; this one is int8."));
        std::vector<QuantParams> zero(1);
        zero[0].scale = 0;
        QVERIFY(!fakeQuantizeTensor(w, zero, 0));
        auto pc = perChannelParams(w, {}, -3);
        QVERIFY(!pc);
        QCOMPARE(QString::fromStdString(pc.error().message),
                 QStringLiteral("the quantization axis -3 is out of range for a tensor of shape [3, 4]."));
    }

    // --- Error and size measures ------------------------------------------------------------

    void errorMeasures()
    {
        const std::vector<float> ref{1, 2, 3, 4};
        const ErrorStats exact = compareTensors(ref, ref);
        QCOMPARE(exact.mse, 0.0);
        QVERIFY(std::isinf(exact.sqnrDb) && exact.sqnrDb > 0);
        QCOMPARE(exact.maxAbs, 0.0);
        QCOMPARE(exact.cosine, 1.0);
        QCOMPARE(exact.clippedFraction, 0.0);

        const std::vector<float> approx{1, 2, 3, 5};
        const ErrorStats e = compareTensors(ref, approx, 1.5f, 3.5f);
        QCOMPARE(e.mse, 0.25);
        QVERIFY(std::abs(e.sqnrDb - 10 * std::log10(30.0)) < 1e-12);
        QCOMPARE(e.maxAbs, 1.0);
        QVERIFY(std::abs(e.cosine - 34.0 / (std::sqrt(30.0) * std::sqrt(39.0))) < 1e-12);
        QCOMPARE(e.clippedFraction, 0.5);
        QCOMPARE(compareTensors(ref, approx).clippedFraction, 0.0);   // no range given

        const std::vector<float> neg{-1, -2, -3, -4};
        QVERIFY(std::abs(compareTensors(ref, neg).cosine + 1.0) < 1e-12);
        const std::vector<float> zeros(4, 0.0f);
        QCOMPARE(compareTensors(ref, zeros).cosine, 0.0);
        QVERIFY(std::abs(compareTensors(ref, zeros).sqnrDb) < 1e-12);   // noise = signal: 0 dB
    }

    void errorMeasuresLargeParallel()
    {
        std::mt19937 rng(5);
        std::normal_distribution<float> g;
        std::vector<float> ref(300000), approx(ref.size());
        double err2 = 0, sig2 = 0, maxAbs = 0;
        for (std::size_t i = 0; i < ref.size(); ++i) {
            ref[i] = g(rng);
            approx[i] = ref[i] + 0.01f * g(rng);
            const double d = double(ref[i]) - double(approx[i]);
            err2 += d * d;
            sig2 += double(ref[i]) * ref[i];
            maxAbs = std::max(maxAbs, std::abs(d));
        }
        const ErrorStats e = compareTensors(ref, approx);
        QVERIFY(std::abs(e.mse - err2 / ref.size()) < 1e-12);
        QVERIFY(std::abs(e.sqnrDb - 10 * std::log10(sig2 / err2)) < 1e-9);
        QCOMPARE(e.maxAbs, maxAbs);
    }

    void quantizationSqnrFollowsSixDbPerBit()
    {
        // Uniform data over the full range: the noise power is S^2 / 12, so one more bit adds
        // 20 log10(S_b / S_b+1) = 20 log10((2^b - 1) / (2^(b-1) - 1)) dB (about 6.02 dB).
        std::mt19937 rng(11);
        std::uniform_real_distribution<float> u(-1.0f, 1.0f);
        std::vector<float> x(200000);
        for (float &v : x)
            v = u(rng);
        double prev = 0;
        for (int b = 4; b <= 12; ++b) {
            const QuantParams p = chooseParams({b, IntRange::Signed, true}, -1.0f, 1.0f);
            std::vector<float> y(x.size());
            fakeQuantize(x, y, p);
            const double s = compareTensors(x, y).sqnrDb;
            qInfo("bits %d: SQNR %.2f dB", b, s);
            const double gain = 20 * std::log10(((1 << (b - 1)) - 1.0) / ((1 << (b - 2)) - 1.0));
            if (b > 4)
                QVERIFY2(std::abs(s - prev - gain) < 0.1,
                         qPrintable(QStringLiteral("gain %1, expected %2").arg(s - prev).arg(gain)));
            prev = s;
        }
    }

    void weightSizeRule()
    {
        // 1000 weights, 10 channels, 8 bits, dense: 1000 * 8 + 10 * (32 + 8).
        QCOMPARE(compressedWeightBits(1000, 1000, 10, 8), int64_t{8400});
        // 90% pruned: sparse (1000-bit mask + 100 * 8) beats dense.
        QCOMPARE(compressedWeightBits(1000, 100, 10, 8), int64_t{400 + 1000 + 800});
        // 2-bit weights: the mask costs more than it saves at 50% sparsity (1000 + 1000 > 2000).
        QCOMPARE(compressedWeightBits(1000, 500, 1, 2), int64_t{34 + 2000});
        // Float weight, pruned or not.
        QCOMPARE(compressedWeightBits(1000, 1000, 0, 32), int64_t{32000});
        QCOMPARE(compressedWeightBits(1000, 200, 0, 32), int64_t{1000 + 6400});
    }
};

QTEST_APPLESS_MAIN(TestQuantizer)
#include "test_quantizer.moc"
