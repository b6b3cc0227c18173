// Unary elementwise kernels against double-precision reference formulas on random inputs
// (fixed seed) plus special values (0, +-inf, NaN, large magnitudes), Clip's opset 6 vs 11
// semantics, Round's half-to-even, Cast pairs and the bool-valued ops.
#include "ew_test_util.h"

#include <cmath>
#include <functional>
#include <limits>
#include <numbers>

using namespace nnc;
using namespace nnc::ewtest;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

double refSigmoid(double x)
{
    return 1.0 / (1.0 + std::exp(-x));
}

double refSoftplus(double x)
{
    return x > 30 ? x : std::log(1.0 + std::exp(x));
}

struct UnaryCase
{
    const char *op;
    std::function<double(double)> ref;
    double lo, hi; ///< random input range
    std::vector<Attribute> attrs = {};
    int opset = 17;
};

std::vector<UnaryCase> unaryCases()
{
    const double selA = 1.67326319217681884765625, selG = 1.05070102214813232421875;
    return {
        {"Relu", [](double x) { return std::max(x, 0.0); }, -5, 5},
        {"LeakyRelu", [](double x) { return x < 0 ? double(0.01f) * x : x; }, -5, 5},
        {"LeakyRelu",
         [](double x) { return x < 0 ? double(0.3f) * x : x; },
         -5,
         5,
         {floatAttr("alpha", 0.3f)}},
        {"Elu",
         [](double x) { return x < 0 ? 2.0 * (std::exp(x) - 1) : x; },
         -5,
         5,
         {floatAttr("alpha", 2.0f)}},
        {"Selu", [=](double x) { return x > 0 ? selG * x : selG * selA * (std::exp(x) - 1); }, -5,
         5},
        {"Celu",
         [](double x) { return std::max(0.0, x) + std::min(0.0, 0.5 * (std::exp(x / 0.5) - 1)); },
         -5,
         5,
         {floatAttr("alpha", 0.5f)}},
        {"ThresholdedRelu", [](double x) { return x > 1.0 ? x : 0.0; }, -3, 3},
        {"Sigmoid", refSigmoid, -20, 20},
        {"HardSigmoid", [](double x) { return std::clamp(double(0.2f) * x + 0.5, 0.0, 1.0); }, -5,
         5},
        {"HardSigmoid",
         [](double x) { return std::clamp(0.5 * x + double(0.1f), 0.0, 1.0); },
         -5,
         5,
         {floatAttr("alpha", 0.5f), floatAttr("beta", 0.1f)}},
        {"HardSwish", [](double x) { return x * std::clamp(x / 6 + 0.5, 0.0, 1.0); }, -8, 8},
        {"Tanh", [](double x) { return std::tanh(x); }, -10, 10},
        {"Gelu",
         [](double x) { return 0.5 * x * (1 + std::erf(x / std::sqrt(2.0))); },
         -5,
         5,
         {},
         20},
        {"Gelu",
         [](double x) {
             return 0.5 * x *
                    (1 + std::tanh(std::sqrt(2 / std::numbers::pi) * (x + 0.044715 * x * x * x)));
         },
         -5,
         5,
         {stringAttr("approximate", "tanh")},
         20},
        {"Erf", [](double x) { return std::erf(x); }, -3, 3},
        {"Softplus", refSoftplus, -20, 20},
        {"Softsign", [](double x) { return x / (1 + std::abs(x)); }, -5, 5},
        {"Mish", [](double x) { return x * std::tanh(refSoftplus(x)); }, -10, 10, {}, 18},
        {"Shrink",
         [](double x) {
             return x < -double(1.5f) ? x + double(0.25f)
                                      : (x > double(1.5f) ? x - double(0.25f) : 0.0);
         },
         -3,
         3,
         {floatAttr("lambd", 1.5f), floatAttr("bias", 0.25f)}},
        {"Exp", [](double x) { return std::exp(x); }, -20, 20},
        {"Log", [](double x) { return std::log(x); }, 1e-3, 100},
        {"Sqrt", [](double x) { return std::sqrt(x); }, 0, 100},
        {"Reciprocal", [](double x) { return 1 / x; }, 0.1, 10},
        {"Neg", [](double x) { return -x; }, -5, 5},
        {"Abs", [](double x) { return std::abs(x); }, -5, 5},
        {"Floor", [](double x) { return std::floor(x); }, -5, 5},
        {"Ceil", [](double x) { return std::ceil(x); }, -5, 5},
        {"Sign", [](double x) { return double((x > 0) - (x < 0)); }, -5, 5},
        {"Sin", [](double x) { return std::sin(x); }, -10, 10},
        {"Cos", [](double x) { return std::cos(x); }, -10, 10},
        {"Tan", [](double x) { return std::tan(x); }, -1.5, 1.5},
        {"Asin", [](double x) { return std::asin(x); }, -1, 1},
        {"Acos", [](double x) { return std::acos(x); }, -1, 1},
        {"Atan", [](double x) { return std::atan(x); }, -10, 10},
        {"Sinh", [](double x) { return std::sinh(x); }, -5, 5},
        {"Cosh", [](double x) { return std::cosh(x); }, -5, 5},
        {"Asinh", [](double x) { return std::asinh(x); }, -5, 5},
        {"Acosh", [](double x) { return std::acosh(x); }, 1, 10},
        {"Atanh", [](double x) { return std::atanh(x); }, -0.99, 0.99},
    };
}

/// Expected output for a float input computed in double, then rounded to float.
Tensor referenceUnary(const Tensor &x, const std::function<double(double)> &f)
{
    Tensor y(x.dtype(), x.dims());
    for (int64_t i = 0; i < x.numel(); ++i) {
        if (x.dtype() == DataType::Float)
            y.mutableData<float>()[i] = static_cast<float>(f(x.data<float>()[i]));
        else
            y.mutableData<double>()[i] = f(x.data<double>()[i]);
    }
    return y;
}

} // namespace

class TestEwUnary : public QObject
{
    Q_OBJECT

private slots:
    void randomInputsMatchReference()
    {
        std::mt19937 rng(101);
        for (const UnaryCase &c : unaryCases()) {
            // 20000 elements: more than two chunks of the math grain, so the threaded path runs
            for (const int64_t n : {int64_t{7}, int64_t{20000}}) {
                qInfo("%s opset %d, %lld elements, inputs in [%g, %g]", c.op, c.opset,
                      static_cast<long long>(n), c.lo, c.hi);
                const Tensor xf = randomTensor<float>(rng, {n}, c.lo, c.hi);
                EW_RUN1(yf, c.op, {&xf}, c.attrs, c.opset);
                EW_COMPARE(yf, referenceUnary(xf, c.ref), 1e-3, 1e-6);
                const Tensor xd = randomTensor<double>(rng, {n / 7 + 1, 7}, c.lo, c.hi);
                EW_RUN1(yd, c.op, {&xd}, c.attrs, c.opset);
                EW_COMPARE(yd, referenceUnary(xd, c.ref), 1e-9, 1e-12);
            }
        }
    }

    void vectorizedFloatMathIsAccurate()
    {
        // A dense sweep through the Eigen-based float paths, tighter than the ONNX tolerance:
        // relative 2e-6 (a few float ulp) plus 1e-7 absolute near zero crossings.
        std::vector<float> xs;
        for (int i = -200000; i <= 200000; ++i)
            xs.push_back(static_cast<float>(i) * 1e-4f);
        for (float t = 1e-30f; t < 1e-3f; t *= 3.7f) {
            xs.push_back(t);
            xs.push_back(-t);
        }
        const Tensor x = Tensor::fromVector<float>({static_cast<int64_t>(xs.size())}, xs);
        const std::pair<const char *, std::function<double(double)>> cases[] = {
            {"Exp", [](double v) { return std::exp(v); }},
            {"Tanh", [](double v) { return std::tanh(v); }},
            {"Sigmoid", refSigmoid},
            {"Erf", [](double v) { return std::erf(v); }},
        };
        for (const auto &[op, ref] : cases) {
            qInfo("%s: %zu points in [-20, 20] plus tiny magnitudes", op, xs.size());
            EW_RUN1(y, op, {&x});
            const std::string diff = compare(y, referenceUnary(x, ref), 2e-6, 1e-7);
            QVERIFY2(diff.empty(), (std::string(op) + ": " + diff).c_str());
        }
        // Gelu's 1 + erf(x / sqrt 2) loses bits as it nears 0 (down to x = -2, where the kernel
        // switches to erfc): 1e-5 relative there.
        EW_RUN1(g, "Gelu", {&x}, {}, 20);
        EW_COMPARE(g,
                   referenceUnary(
                       x, [](double v) { return 0.5 * v * (1 + std::erf(v / std::sqrt(2.0))); }),
                   1e-5, 1e-7);
        const Tensor pos = Tensor::fromVector<float>({static_cast<int64_t>(xs.size())}, [&] {
            std::vector<float> p;
            for (float v : xs)
                p.push_back(std::abs(v) + 1e-6f);
            return p;
        }());
        EW_RUN1(l, "Log", {&pos});
        EW_COMPARE(l, referenceUnary(pos, [](double v) { return std::log(v); }), 2e-6, 1e-7);
    }

    void specialValues()
    {
        const float nan = std::numeric_limits<float>::quiet_NaN();
        const float inf = std::numeric_limits<float>::infinity();
        const Tensor x =
            Tensor::fromVector<float>({8}, {0.f, -0.f, inf, -inf, nan, 100.f, -100.f, 1e-30f});
        struct Expect
        {
            const char *op;
            std::vector<float> want;
        };
        const Expect cases[] = {
            {"Sigmoid", {0.5f, 0.5f, 1.f, 0.f, nan, 1.f, 3.7200760e-44f, 0.5f}},
            {"Tanh", {0.f, -0.f, 1.f, -1.f, nan, 1.f, -1.f, 1e-30f}},
            {"Exp", {1.f, 1.f, inf, 0.f, nan, inf, 0.f, 1.f}},
            {"Softplus", {0.6931472f, 0.6931472f, inf, 0.f, nan, 100.f, 0.f, 0.6931472f}},
            {"Relu", {0.f, 0.f, inf, 0.f, nan, 100.f, 0.f, 1e-30f}},
            {"Log", {-inf, -inf, inf, nan, nan, 4.6051702f, nan, -69.07755f}},
            {"Sqrt", {0.f, -0.f, inf, nan, nan, 10.f, nan, 1e-15f}},
            {"Abs", {0.f, 0.f, inf, inf, nan, 100.f, 100.f, 1e-30f}},
        };
        for (const Expect &c : cases) {
            qInfo("%s on 0, -0, inf, -inf, nan, 100, -100, 1e-30", c.op);
            EW_RUN1(y, c.op, {&x});
            EW_COMPARE(y, Tensor::fromVector<float>({8}, c.want), 1e-5, 1e-30);
        }
        // The threaded Eigen path must give the same special values as the short one.
        std::vector<float> big(20000, nan);
        big[5] = -200.f;
        big[6] = 200.f;
        const Tensor xb = Tensor::fromVector<float>({20000}, big);
        EW_RUN1(sb, "Sigmoid", {&xb});
        QVERIFY(std::isnan(sb.data<float>()[0]) && std::isnan(sb.data<float>()[19999]));
        QCOMPARE(sb.data<float>()[5], 0.f);
        QCOMPARE(sb.data<float>()[6], 1.f);
        EW_RUN1(eb, "Exp", {&xb});
        QVERIFY(std::isnan(eb.data<float>()[100]));
        EW_RUN1(tb, "Tanh", {&xb});
        QVERIFY(std::isnan(tb.data<float>()[100]));
        QCOMPARE(tb.data<float>()[5], -1.f);
    }

    void integerUnaryOps()
    {
        const Tensor x =
            Tensor::fromVector<int32_t>({5}, {-3, 0, 4, std::numeric_limits<int32_t>::min(), 7});
        EW_RUN1(r, "Relu", {&x}, {}, 14);
        EW_COMPARE(r, Tensor::fromVector<int32_t>({5}, {0, 0, 4, 0, 7}));
        EW_RUN1(n, "Neg", {&x});
        EW_COMPARE(n, Tensor::fromVector<int32_t>(
                          {5}, {3, 0, -4, std::numeric_limits<int32_t>::min(), -7}));
        EW_RUN1(a, "Abs", {&x});
        EW_COMPARE(
            a, Tensor::fromVector<int32_t>({5}, {3, 0, 4, std::numeric_limits<int32_t>::min(), 7}));
        EW_RUN1(s, "Sign", {&x});
        EW_COMPARE(s, Tensor::fromVector<int32_t>({5}, {-1, 0, 1, -1, 1}));
        QCOMPARE(errorOf(run("Exp", {&x})), std::string("input type int32 is not supported."));
    }

    void roundIsHalfToEven()
    {
        const Tensor x = Tensor::fromVector<float>(
            {9}, {0.5f, 1.5f, 2.5f, -0.5f, -1.5f, 2.4f, 2.6f, -2.5f, 3.5f});
        EW_RUN1(y, "Round", {&x});
        EW_COMPARE(y,
                   Tensor::fromVector<float>({9}, {0.f, 2.f, 2.f, -0.f, -2.f, 2.f, 3.f, -2.f, 4.f}),
                   0, 0);
    }

    void clipOpset6UsesAttributes()
    {
        const Tensor x = Tensor::fromVector<float>({5}, {-3.f, -1.f, 0.f, 1.f, 3.f});
        EW_RUN1(y, "Clip", {&x}, {floatAttr("min", -1.5f), floatAttr("max", 2.f)}, 6);
        EW_COMPARE(y, Tensor::fromVector<float>({5}, {-1.5f, -1.f, 0.f, 1.f, 2.f}), 0, 0);
        EW_RUN1(d, "Clip", {&x}, {}, 6); // default bounds: no clipping
        EW_COMPARE(d, x, 0, 0);
        // the opset-6 kernel ignores extra inputs; opset 11 ignores the attributes
        const Tensor lo = Tensor::fromVector<float>({}, {0.f});
        EW_RUN1(y11, "Clip", {&x, &lo}, {floatAttr("min", -1.5f), floatAttr("max", 2.f)}, 11);
        EW_COMPARE(y11, Tensor::fromVector<float>({5}, {0.f, 0.f, 0.f, 1.f, 3.f}), 0, 0);
    }

    void clipOpset11UsesOptionalInputs()
    {
        const Tensor x = Tensor::fromVector<float>({5}, {-3.f, -1.f, 0.f, 1.f, 3.f});
        const Tensor lo = Tensor::fromVector<float>({}, {-2.f});
        const Tensor hi = Tensor::fromVector<float>({1}, {0.5f});
        EW_RUN1(both, "Clip", {&x, &lo, &hi}, {}, 11);
        EW_COMPARE(both, Tensor::fromVector<float>({5}, {-2.f, -1.f, 0.f, 0.5f, 0.5f}), 0, 0);
        EW_RUN1(maxOnly, "Clip", {&x, nullptr, &hi}, {}, 13);
        EW_COMPARE(maxOnly, Tensor::fromVector<float>({5}, {-3.f, -1.f, 0.f, 0.5f, 0.5f}), 0, 0);
        EW_RUN1(none, "Clip", {&x}, {}, 13);
        EW_COMPARE(none, x, 0, 0);
        // min > max: everything becomes max
        const Tensor bigLo = Tensor::fromVector<float>({}, {1.f});
        const Tensor smallHi = Tensor::fromVector<float>({}, {-1.f});
        EW_RUN1(inv, "Clip", {&x, &bigLo, &smallHi}, {}, 13);
        EW_COMPARE(inv, Tensor::fromVector<float>({5}, {-1.f, -1.f, -1.f, -1.f, -1.f}), 0, 0);
        // integer types from opset 12
        const Tensor xi = Tensor::fromVector<int64_t>({4}, {-100, -5, 5, 100});
        const Tensor li = Tensor::fromVector<int64_t>({}, {-10});
        const Tensor hiI = Tensor::fromVector<int64_t>({}, {10});
        EW_RUN1(yi, "Clip", {&xi, &li, &hiI}, {}, 12);
        EW_COMPARE(yi, Tensor::fromVector<int64_t>({4}, {-10, -5, 5, 10}));
        // bad bounds
        const Tensor vec = Tensor::fromVector<float>({2}, {0.f, 1.f});
        QCOMPARE(errorOf(run("Clip", {&x, &vec}, {}, 13)),
                 std::string("min must be a scalar, not shape [2]."));
        QCOMPARE(errorOf(run("Clip", {&x, nullptr, &li}, {}, 13)),
                 std::string("max has type int64 but the input is float."));
    }

    void boolValuedOps()
    {
        const float nan = std::numeric_limits<float>::quiet_NaN();
        const float inf = std::numeric_limits<float>::infinity();
        const Tensor x = Tensor::fromVector<float>({4}, {1.f, nan, inf, -inf});
        const auto b = [](std::vector<uint8_t> v) {
            return Tensor::fromVector<uint8_t>({static_cast<int64_t>(v.size())}, v)
                .castTo(DataType::Bool);
        };
        EW_RUN1(n, "IsNaN", {&x});
        EW_COMPARE(n, b({0, 1, 0, 0}));
        EW_RUN1(i, "IsInf", {&x});
        EW_COMPARE(i, b({0, 0, 1, 1}));
        EW_RUN1(ip, "IsInf", {&x}, {intAttr("detect_negative", 0)});
        EW_COMPARE(ip, b({0, 0, 1, 0}));
        EW_RUN1(in, "IsInf", {&x}, {intAttr("detect_positive", 0)});
        EW_COMPARE(in, b({0, 0, 0, 1}));
        const Tensor bools = b({1, 0, 1, 1});
        EW_RUN1(no, "Not", {&bools});
        EW_COMPARE(no, b({0, 1, 0, 0}));
        QCOMPARE(errorOf(run("Not", {&x})), std::string("input must be bool, not float."));
    }

    void castPairs()
    {
        // values exactly representable in float16; those out of a target's range are skipped
        const std::vector<double> vals = {0, 1, -1, 2.75, -2.75, 100, 0.5};
        const DataType types[] = {DataType::Float, DataType::Double, DataType::Int8,
                                  DataType::Int16, DataType::Int32,  DataType::Int64,
                                  DataType::UInt8, DataType::Bool,   DataType::Float16};
        for (DataType from : types) {
            Tensor src = Tensor::fromVector<double>({7}, vals).castTo(from);
            for (DataType to : types) {
                qInfo("Cast %s -> %s", dtypeName(from).data(), dtypeName(to).data());
                EW_RUN1(y, "Cast", {&src}, {intAttr("to", static_cast<int64_t>(to))}, 13);
                QCOMPARE(y.dtype(), to);
                for (int64_t i = 0; i < 7; ++i) {
                    const double s = src.valueAsDouble(i);
                    double want = s;
                    if (to == DataType::Bool)
                        want = s != 0 ? 1 : 0;
                    else if (isInteger(to))
                        want = std::trunc(s);
                    if ((to == DataType::UInt8 && (want < 0 || want > 255)) ||
                        (to == DataType::Int8 && (want < -128 || want > 127)))
                        continue; // out of the target's range: wraps, not asserted here
                    QCOMPARE(y.valueAsDouble(i), want);
                }
            }
        }
        const Tensor f = Tensor::fromVector<float>({4}, {0.1f, -2.5f, 1e-5f, 3.f});
        EW_RUN1(s, "Cast", {&f}, {intAttr("to", 8)}, 13);
        QCOMPARE(std::vector<std::string>(s.strings().begin(), s.strings().end()),
                 (std::vector<std::string>{"0.1", "-2.5", "1e-05", "3"}));
        EW_RUN1(back, "Cast", {&s}, {intAttr("to", 1)}, 13);
        EW_COMPARE(back, f, 0, 0);
        QCOMPARE(errorOf(run("Cast", {&f}, {intAttr("to", 999)}, 13)),
                 std::string("attribute 'to' names element type 999, which is not supported."));
        // opset 1-5: `to` is a type name
        EW_RUN1(c1, "Cast", {&f}, {stringAttr("to", "INT32")}, 1);
        EW_COMPARE(c1, Tensor::fromVector<int32_t>({4}, {0, -2, 0, 3}));
        QCOMPARE(errorOf(run("Cast", {&f}, {stringAttr("to", "COMPLEX64")}, 1)),
                 std::string("attribute 'to' names element type \"COMPLEX64\", which is not "
                             "supported."));
        const Tensor like(DataType::Int16, {});
        EW_RUN1(cl, "CastLike", {&f, &like}, {}, 15);
        EW_COMPARE(cl, Tensor::fromVector<int16_t>({4}, {0, -2, 0, 3}));
    }

    void geluNeedsOpset20AndAValidMode()
    {
        QVERIFY(findKernel("", "Gelu", 19) == nullptr);
        const Tensor x(DataType::Float, {2});
        QCOMPARE(
            errorOf(run("Gelu", {&x}, {stringAttr("approximate", "fast")}, 20)),
            std::string("attribute 'approximate' must be \"none\" or \"tanh\", not \"fast\"."));
    }

    void halfTypesRoundTrip()
    {
        const Tensor x =
            Tensor::fromVector<float>({3}, {-1.f, 0.f, 2.f}).castTo(DataType::BFloat16);
        EW_RUN1(y, "Sigmoid", {&x});
        QCOMPARE(y.dtype(), DataType::BFloat16);
        EW_COMPARE(y.castTo(DataType::Float),
                   Tensor::fromVector<float>({3}, {0.26894142f, 0.5f, 0.880797f}), 1e-2, 0);
    }
};

QTEST_APPLESS_MAIN(TestEwUnary)
#include "test_ew_unary.moc"
