// Binary, variadic and ternary elementwise kernels (Add ... Where) against plain reference
// loops on random broadcast shapes (fixed seed), including shapes large enough to take the
// multithreaded path, plus the exact error texts for incompatible shapes and types.
#include "ew_test_util.h"

#include <cmath>
#include <cstring>
#include <functional>

using namespace nnc;
using namespace nnc::ewtest;

namespace {

/// A shape that broadcasts to `out`: a random suffix of it, some dims replaced by 1.
Dims shapeFor(std::mt19937 &rng, const Dims &out)
{
    const auto keep = std::uniform_int_distribution<std::size_t>(0, out.size())(rng);
    Dims d(out.end() - static_cast<std::ptrdiff_t>(keep), out.end());
    for (auto &v : d)
        if (std::uniform_int_distribution<int>(0, 9)(rng) < 3)
            v = 1;
    return d;
}

/// Expected op(a, b) by walking the output index space element by element.
template <class A, class B, class O, class F>
Tensor referenceBinary(const Tensor &a, const Tensor &b, DataType outType, F f)
{
    const Dims out = *ops::broadcastShapes(a.dims(), b.dims());
    Tensor r(outType, out);
    for (int64_t i = 0; i < r.numel(); ++i) {
        const auto idx = unravel(i, out);
        r.mutableData<O>()[i] =
            f(a.data<A>()[broadcastFlat(idx, a.dims())], b.data<B>()[broadcastFlat(idx, b.dims())]);
    }
    return r;
}

/// Python-style modulo computed independently of the kernel (floor division).
template <class T> T pyMod(T a, T b)
{
    if constexpr (std::is_floating_point_v<T>) {
        return static_cast<T>(a - b * std::floor(static_cast<double>(a) / b));
    } else {
        const auto q =
            static_cast<int64_t>(std::floor(static_cast<double>(a) / static_cast<double>(b)));
        return static_cast<T>(static_cast<int64_t>(a) - static_cast<int64_t>(b) * q);
    }
}

template <class T> void checkArithmetic(const Tensor &a, const Tensor &b0)
{
    // divisors: nonzero, both signs
    Tensor b = b0;
    T *pb = b.mutableData<T>();
    for (int64_t i = 0; i < b.numel(); ++i)
        if (pb[i] == T(0))
            pb[i] = T(1);
    struct Case
    {
        const char *op;
        std::vector<Attribute> attrs;
        std::function<T(T, T)> ref;
    };
    std::vector<Case> cases = {
        {"Add", {}, [](T x, T y) { return static_cast<T>(x + y); }},
        {"Sub", {}, [](T x, T y) { return static_cast<T>(x - y); }},
        {"Mul", {}, [](T x, T y) { return static_cast<T>(x * y); }},
        {"Div", {}, [](T x, T y) { return static_cast<T>(x / y); }},
        {"Mod",
         {intAttr("fmod", 1)},
         [](T x, T y) {
             if constexpr (std::is_floating_point_v<T>)
                 return std::fmod(x, y);
             else
                 return static_cast<T>(x % y);
         }},
        {"Max", {}, [](T x, T y) { return std::max(x, y); }},
        {"Min", {}, [](T x, T y) { return std::min(x, y); }},
    };
    if constexpr (std::is_signed_v<T>)
        cases.push_back({"Mod", {}, [](T x, T y) { return pyMod(x, y); }});
    for (const Case &c : cases) {
        auto got = run(c.op, {&a, &b}, c.attrs, 17);
        QVERIFY2(got.has_value(), errorOf(got).c_str());
        const Tensor want = referenceBinary<T, T, T>(a, b, a.dtype(), c.ref);
        const std::string diff = compare((*got)[0], want, 1e-5, 1e-6);
        QVERIFY2(diff.empty(), (std::string(c.op) + ": " + diff).c_str());
    }
    // comparisons: exact bool outputs
    struct Pred
    {
        const char *op;
        std::function<bool(T, T)> ref;
    };
    const Pred preds[] = {
        {"Equal", [](T x, T y) { return x == y; }},
        {"Less", [](T x, T y) { return x < y; }},
        {"Greater", [](T x, T y) { return x > y; }},
        {"LessOrEqual", [](T x, T y) { return x <= y; }},
        {"GreaterOrEqual", [](T x, T y) { return x >= y; }},
    };
    for (const Pred &p : preds) {
        auto got = run(p.op, {&a, &b}, {}, 17);
        QVERIFY2(got.has_value(), errorOf(got).c_str());
        const Tensor want = referenceBinary<T, T, uint8_t>(
            a, b, DataType::Bool, [&](T x, T y) { return static_cast<uint8_t>(p.ref(x, y)); });
        const std::string diff = compare((*got)[0], want);
        QVERIFY2(diff.empty(), (std::string(p.op) + ": " + diff).c_str());
    }
}

/// Random output shapes, inputs broadcast into them; ints get small values so equal values
/// (ties for comparisons, Max/Min) occur often.
template <class T> void randomBinaryCases(uint32_t seed, int cases, int64_t maxDim)
{
    std::mt19937 rng(seed);
    for (int c = 0; c < cases; ++c) {
        const Dims out = randomDims(rng, 0, 5, maxDim);
        const Dims da = shapeFor(rng, out), db = shapeFor(rng, out);
        qInfo("case %d: %s a=%s b=%s", c, dtypeName(dtypeOf<T>()).data(), dimsToString(da).c_str(),
              dimsToString(db).c_str());
        const Tensor a = randomTensor<T>(rng, da, -9, 9);
        const Tensor b = randomTensor<T>(rng, db, -9, 9);
        checkArithmetic<T>(a, b);
        if (QTest::currentTestFailed())
            return;
    }
}

} // namespace

class TestEwBroadcast : public QObject
{
    Q_OBJECT

private slots:
    void randomShapesFloat() { randomBinaryCases<float>(11, 60, 4); }
    void randomShapesDouble() { randomBinaryCases<double>(12, 30, 4); }
    void randomShapesInt32() { randomBinaryCases<int32_t>(13, 40, 4); }
    void randomShapesInt64() { randomBinaryCases<int64_t>(14, 40, 4); }
    void randomShapesInt8() { randomBinaryCases<int8_t>(15, 20, 4); }

    void largeShapesTakeTheThreadedPath()
    {
        // > 2 * 32768 elements so rows are split across threads; includes the NCHW bias case.
        std::mt19937 rng(21);
        const std::vector<std::pair<Dims, Dims>> shapes = {
            {{8, 64, 16, 16}, {64, 1, 1}},
            {{8, 64, 16, 16}, {8, 64, 16, 16}},
            {{70000}, {}},
            {{1}, {300, 300}},
            {{300, 1}, {1, 300}},
            {{4, 1, 128, 160}, {3, 1, 160}},
        };
        for (const auto &[da, db] : shapes) {
            qInfo("large: a=%s b=%s", dimsToString(da).c_str(), dimsToString(db).c_str());
            const Tensor a = randomTensor<float>(rng, da);
            const Tensor b = randomTensor<float>(rng, db);
            EW_RUN1(got, "Mul", {&a, &b});
            EW_COMPARE(got,
                       referenceBinary<float, float, float>(a, b, DataType::Float,
                                                            [](float x, float y) { return x * y; }),
                       0, 0);
        }
    }

    void powFloatBaseWithIntAndFloatExponents()
    {
        std::mt19937 rng(31);
        const Tensor base = randomTensor<float>(rng, {3, 4}, 0.1, 3.0);
        const Tensor ef = randomTensor<float>(rng, {4}, -2, 2);
        const Tensor ei = randomTensor<int64_t>(rng, {3, 1}, -3, 3);
        const Tensor two = Tensor::fromVector<float>({}, {2.0f});
        const Tensor half = Tensor::fromVector<float>({1}, {0.5f});
        EW_RUN1(pf, "Pow", {&base, &ef});
        EW_COMPARE(pf,
                   referenceBinary<float, float, float>(
                       base, ef, DataType::Float, [](float x, float y) { return std::pow(x, y); }));
        EW_RUN1(pi, "Pow", {&base, &ei});
        EW_COMPARE(pi, referenceBinary<float, int64_t, float>(
                           base, ei, DataType::Float,
                           [](float x, int64_t y) { return std::pow(x, static_cast<float>(y)); }));
        EW_RUN1(p2, "Pow", {&base, &two});
        EW_COMPARE(p2, referenceBinary<float, float, float>(base, two, DataType::Float,
                                                            [](float x, float) { return x * x; }));
        EW_RUN1(ph, "Pow", {&base, &half});
        EW_COMPARE(
            ph, referenceBinary<float, float, float>(base, half, DataType::Float,
                                                     [](float x, float) { return std::sqrt(x); }));
        // integer base keeps its type: 3^2 = 9, 2^-1 truncates to 0
        const Tensor ib = Tensor::fromVector<int32_t>({3}, {3, 2, -2});
        const Tensor ie = Tensor::fromVector<int64_t>({3}, {2, -1, 3});
        EW_RUN1(ip, "Pow", {&ib, &ie});
        EW_COMPARE(ip, Tensor::fromVector<int32_t>({3}, {9, 0, -8}));
    }

    void modSignConventions()
    {
        const Tensor a = Tensor::fromVector<int32_t>({4}, {7, -7, 7, -7});
        const Tensor b = Tensor::fromVector<int32_t>({4}, {3, 3, -3, -3});
        EW_RUN1(py, "Mod", {&a, &b});
        EW_COMPARE(py, Tensor::fromVector<int32_t>({4}, {1, 2, -2, -1}));
        EW_RUN1(c, "Mod", {&a, &b}, {intAttr("fmod", 1)});
        EW_COMPARE(c, Tensor::fromVector<int32_t>({4}, {1, -1, 1, -1}));
        const Tensor fa = Tensor::fromVector<float>({4}, {7.5f, -7.5f, 7.5f, -7.5f});
        const Tensor fb = Tensor::fromVector<float>({4}, {2.f, 2.f, -2.f, -2.f});
        EW_RUN1(ff, "Mod", {&fa, &fb}, {intAttr("fmod", 1)});
        EW_COMPARE(ff, Tensor::fromVector<float>({4}, {1.5f, -1.5f, 1.5f, -1.5f}));
        // INT_MIN % -1 and INT_MIN / -1 must not trap
        const Tensor m = Tensor::fromVector<int32_t>({1}, {std::numeric_limits<int32_t>::min()});
        const Tensor neg1 = Tensor::fromVector<int32_t>({1}, {-1});
        EW_RUN1(mm, "Mod", {&m, &neg1});
        EW_COMPARE(mm, Tensor::fromVector<int32_t>({1}, {0}));
        EW_RUN1(md, "Div", {&m, &neg1});
        EW_COMPARE(md, Tensor::fromVector<int32_t>({1}, {std::numeric_limits<int32_t>::min()}));
    }

    void maxMinPropagateNaN()
    {
        const float nan = std::numeric_limits<float>::quiet_NaN();
        const Tensor a = Tensor::fromVector<float>({3}, {nan, 1.f, 2.f});
        const Tensor b = Tensor::fromVector<float>({3}, {1.f, nan, 3.f});
        EW_RUN1(mx, "Max", {&a, &b});
        EW_COMPARE(mx, Tensor::fromVector<float>({3}, {nan, nan, 3.f}));
        EW_RUN1(mn, "Min", {&a, &b});
        EW_COMPARE(mn, Tensor::fromVector<float>({3}, {nan, nan, 2.f}));
    }

    void variadicOnRandomShapes()
    {
        std::mt19937 rng(41);
        for (int c = 0; c < 30; ++c) {
            const Dims out = randomDims(rng, 0, 4, 4);
            const int count = std::uniform_int_distribution<int>(1, 4)(rng);
            std::vector<Tensor> ins;
            std::string desc;
            for (int k = 0; k < count; ++k) {
                ins.push_back(randomTensor<float>(rng, shapeFor(rng, out)));
                desc += " " + dimsToString(ins.back().dims());
            }
            qInfo("variadic case %d:%s", c, desc.c_str());
            std::vector<const Tensor *> ptrs;
            for (const Tensor &t : ins)
                ptrs.push_back(&t);
            Dims full;
            for (const Tensor &t : ins)
                full = *ops::broadcastShapes(full, t.dims());
            const std::pair<const char *, std::function<float(const std::vector<float> &)>>
                folds[] = {
                    {"Sum",
                     [](const std::vector<float> &v) {
                         float s = 0;
                         for (float x : v)
                             s += x;
                         return s;
                     }},
                    {"Mean",
                     [](const std::vector<float> &v) {
                         float s = 0;
                         for (float x : v)
                             s += x;
                         return s / float(v.size());
                     }},
                    {"Max",
                     [](const std::vector<float> &v) {
                         return *std::max_element(v.begin(), v.end());
                     }},
                    {"Min",
                     [](const std::vector<float> &v) {
                         return *std::min_element(v.begin(), v.end());
                     }},
                };
            for (const auto &[op, ref] : folds) {
                Tensor want(DataType::Float, full);
                for (int64_t i = 0; i < want.numel(); ++i) {
                    const auto idx = unravel(i, full);
                    std::vector<float> vals;
                    for (const Tensor &t : ins)
                        vals.push_back(t.data<float>()[broadcastFlat(idx, t.dims())]);
                    want.mutableData<float>()[i] = ref(vals);
                }
                EW_RUN1(got, op, ptrs);
                EW_COMPARE(got, want, 1e-5, 1e-6);
            }
        }
    }

    void whereThreeWayBroadcast()
    {
        std::mt19937 rng(51);
        for (int c = 0; c < 40; ++c) {
            const Dims out = randomDims(rng, 0, 4, 5);
            const Dims dc = shapeFor(rng, out), dx = shapeFor(rng, out), dy = shapeFor(rng, out);
            qInfo("where case %d: c=%s x=%s y=%s", c, dimsToString(dc).c_str(),
                  dimsToString(dx).c_str(), dimsToString(dy).c_str());
            const Tensor cond = randomTensor<uint8_t>(rng, dc, 0, 1).castTo(DataType::Bool);
            const Tensor x = randomTensor<int64_t>(rng, dx, -100, 100);
            const Tensor y = randomTensor<int64_t>(rng, dy, -100, 100);
            Dims full = *ops::broadcastShapes(*ops::broadcastShapes(dc, dx), dy);
            Tensor want(DataType::Int64, full);
            for (int64_t i = 0; i < want.numel(); ++i) {
                const auto idx = unravel(i, full);
                want.mutableData<int64_t>()[i] = cond.data<uint8_t>()[broadcastFlat(idx, dc)]
                                                     ? x.data<int64_t>()[broadcastFlat(idx, dx)]
                                                     : y.data<int64_t>()[broadcastFlat(idx, dy)];
            }
            EW_RUN1(got, "Where", {&cond, &x, &y});
            EW_COMPARE(got, want);
            // the same selection on 1-byte and 2-byte element types
            const Tensor x8 = x.castTo(DataType::Int8), y8 = y.castTo(DataType::Int8);
            EW_RUN1(got8, "Where", {&cond, &x8, &y8});
            EW_COMPARE(got8, want.castTo(DataType::Int8));
        }
    }

    void logicOps()
    {
        const Tensor a = Tensor::fromVector<uint8_t>({2, 2}, {0, 0, 1, 1}).castTo(DataType::Bool);
        const Tensor b = Tensor::fromVector<uint8_t>({2}, {0, 1}).castTo(DataType::Bool);
        const auto boolT = [](std::vector<uint8_t> v) {
            return Tensor::fromVector<uint8_t>({2, 2}, v).castTo(DataType::Bool);
        };
        EW_RUN1(an, "And", {&a, &b});
        EW_COMPARE(an, boolT({0, 0, 0, 1}));
        EW_RUN1(o, "Or", {&a, &b});
        EW_COMPARE(o, boolT({0, 1, 1, 1}));
        EW_RUN1(x, "Xor", {&a, &b});
        EW_COMPARE(x, boolT({0, 1, 1, 0}));
        EW_RUN1(eq, "Equal", {&a, &b});
        EW_COMPARE(eq, boolT({1, 0, 0, 1}));
    }

    void preluBroadcastsSlope()
    {
        std::mt19937 rng(61);
        const Tensor x = randomTensor<float>(rng, {2, 3, 4, 5});
        for (const Dims &sd : {Dims{3, 1, 1}, Dims{5}, Dims{1}, Dims{2, 3, 4, 5}}) {
            qInfo("prelu slope %s", dimsToString(sd).c_str());
            const Tensor s = randomTensor<float>(rng, sd, 0, 1);
            EW_RUN1(got, "PRelu", {&x, &s});
            EW_COMPARE(
                got,
                referenceBinary<float, float, float>(
                    x, s, DataType::Float, [](float v, float k) { return v < 0 ? k * v : v; }),
                0, 0);
        }
    }

    void halfInputsComputeInFloat()
    {
        const Tensor a =
            Tensor::fromVector<float>({3}, {1.5f, -2.25f, 1000.f}).castTo(DataType::Float16);
        const Tensor b = Tensor::fromVector<float>({1}, {0.5f}).castTo(DataType::Float16);
        EW_RUN1(got, "Add", {&a, &b});
        QCOMPARE(got.dtype(), DataType::Float16);
        EW_COMPARE(
            got, Tensor::fromVector<float>({3}, {2.f, -1.75f, 1000.5f}).castTo(DataType::Float16));
    }

    void opset6BroadcastsByAttribute()
    {
        const Tensor a = Tensor::fromVector<float>({2, 3}, {1.f, 2.f, 3.f, 4.f, 5.f, 6.f});
        const Tensor col = Tensor::fromVector<float>({2}, {10.f, 20.f});
        // axis 0: B [2] lines up with A's first dim (numpy would reject [2, 3] + [2])
        EW_RUN1(s0, "Add", {&a, &col}, {intAttr("broadcast", 1), intAttr("axis", 0)}, 6);
        EW_COMPARE(s0, Tensor::fromVector<float>({2, 3}, {11.f, 12.f, 13.f, 24.f, 25.f, 26.f}));
        // no axis: trailing dims, as numpy
        const Tensor row = Tensor::fromVector<float>({3}, {1.f, 0.f, -1.f});
        EW_RUN1(s1, "Mul", {&a, &row}, {intAttr("broadcast", 1)}, 6);
        EW_COMPARE(s1, Tensor::fromVector<float>({2, 3}, {1.f, 0.f, -3.f, 4.f, 0.f, -6.f}));
        QCOMPARE(errorOf(run("Sub", {&a, &row}, {intAttr("broadcast", 1), intAttr("axis", 1)}, 6)),
                 std::string());
        const Tensor wide = Tensor::fromVector<float>({3, 1}, {1.f, 2.f, 3.f});
        QCOMPARE(
            errorOf(run("Sub", {&a, &wide}, {intAttr("broadcast", 1), intAttr("axis", 1)}, 6)),
            std::string("input 1 of shape [3, 1] does not fit input 0 of shape [2, 3] at axis 1."));
        // comparisons before opset 7 take the same attributes
        const Tensor probe = Tensor::fromVector<float>({2}, {1.f, 5.f});
        EW_RUN1(eq, "Equal", {&a, &probe}, {intAttr("broadcast", 1), intAttr("axis", 0)}, 1);
        EW_COMPARE(eq,
                   Tensor::fromVector<uint8_t>({2, 3}, {1, 0, 0, 0, 1, 0}).castTo(DataType::Bool));
        // PRelu-6: a per-channel 1-D slope applies along axis 1
        const Tensor x = Tensor::fromVector<float>({1, 2, 2}, {-1.f, 1.f, -2.f, 2.f});
        const Tensor slope = Tensor::fromVector<float>({2}, {0.5f, 0.25f});
        EW_RUN1(p6, "PRelu", {&x, &slope}, {}, 6);
        EW_COMPARE(p6, Tensor::fromVector<float>({1, 2, 2}, {-0.5f, 1.f, -0.5f, 2.f}));
    }

    void incompatibleShapesAreReported()
    {
        const Tensor a(DataType::Float, {2, 3});
        const Tensor b(DataType::Float, {4});
        for (const char *op : {"Add", "Mul", "Pow", "Equal", "Max", "PRelu"}) {
            auto r = run(op, {&a, &b});
            QVERIFY(!r);
            QCOMPARE(errorOf(r),
                     std::string("shapes [2, 3] and [4] cannot be broadcast together."));
        }
        const Tensor c = Tensor(DataType::UInt8, {3, 1}).castTo(DataType::Bool);
        const Tensor x(DataType::Float, {1, 4});
        const Tensor y(DataType::Float, {2, 4});
        auto w = run("Where", {&c, &x, &y});
        QCOMPARE(errorOf(w), std::string("shapes [3, 4] and [2, 4] cannot be broadcast together."));
        const Tensor s(DataType::Float, {3});
        const Tensor t(DataType::Float, {2});
        auto v = run("Sum", {&s, &s, &t});
        QCOMPARE(errorOf(v), std::string("shapes [3] and [2] cannot be broadcast together."));
    }

    void badTypesAreReported()
    {
        const Tensor f(DataType::Float, {2});
        const Tensor i(DataType::Int64, {2});
        QCOMPARE(errorOf(run("Add", {&f, &i})), std::string("input types float and int64 differ."));
        const Tensor bl = Tensor(DataType::UInt8, {2}).castTo(DataType::Bool);
        QCOMPARE(errorOf(run("Add", {&bl, &bl})), std::string("input type bool is not supported."));
        QCOMPARE(errorOf(run("And", {&f, &bl})), std::string("input 0 must be bool, not float."));
        QCOMPARE(errorOf(run("Where", {&f, &f, &f})),
                 std::string("condition must be bool, not float."));
        const Tensor zero = Tensor::fromVector<int32_t>({2}, {1, 0});
        QCOMPARE(errorOf(run("Div", {&zero, &zero})), std::string("integer division by zero."));
        QCOMPARE(errorOf(run("Add", {&f, nullptr})), std::string("required input 1 is missing."));
    }

    void opsetRanges()
    {
        QVERIFY(findKernel("", "Add", 6) != findKernel("", "Add", 7)); // attribute broadcasting
        QVERIFY(findKernel("", "Add", 7) != nullptr);
        QVERIFY(findKernel("", "LessOrEqual", 11) == nullptr);
        QVERIFY(findKernel("", "LessOrEqual", 12) != nullptr);
        QVERIFY(findKernel("", "Where", 21) != nullptr);
    }
};

QTEST_APPLESS_MAIN(TestEwBroadcast)
#include "test_ew_broadcast.moc"
