// Data-movement ops: hand-checked cases, opset differences (Split attribute/input/num_outputs,
// Slice attributes vs inputs, Pad attribute vs input vs axes), error messages, and differential
// tests of the fast kernels (Transpose fast paths, Slice, Pad, Tile, Expand) against plain
// reference implementations on random shapes with a fixed seed.
#include "shape_test_util.h"

#include <algorithm>
#include <limits>
#include <numeric>

using namespace nnc;
using namespace nnc::shapetest;

namespace {

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();

std::vector<int64_t> unravel(int64_t flat, const Dims &dims)
{
    std::vector<int64_t> idx(dims.size());
    for (std::size_t d = dims.size(); d-- > 0;) {
        idx[d] = flat % dims[d];
        flat /= dims[d];
    }
    return idx;
}

int64_t ravel(const std::vector<int64_t> &idx, const Dims &dims)
{
    int64_t flat = 0;
    for (std::size_t d = 0; d < dims.size(); ++d)
        flat = flat * dims[d] + idx[d];
    return flat;
}

std::vector<float> refTranspose(const Tensor &x, const std::vector<int64_t> &perm, Dims &outDims)
{
    outDims.clear();
    for (int64_t p : perm)
        outDims.push_back(x.dims()[static_cast<std::size_t>(p)]);
    std::vector<float> out(static_cast<std::size_t>(numElements(outDims)));
    const auto in = floats(x);
    for (int64_t o = 0; o < static_cast<int64_t>(out.size()); ++o) {
        const auto oi = unravel(o, outDims);
        std::vector<int64_t> ii(perm.size());
        for (std::size_t d = 0; d < perm.size(); ++d)
            ii[static_cast<std::size_t>(perm[d])] = oi[d];
        out[static_cast<std::size_t>(o)] = in[static_cast<std::size_t>(ravel(ii, x.dims()))];
    }
    return out;
}

/// The index list of one sliced axis as the ONNX spec words it: negative start/end count from
/// the end; start is clamped to [0, dim] (forward) or [0, dim - 1] (backward), end to [0, dim] or
/// [-1, dim - 1]. (This differs from Python slicing only for a backward start below -dim, which
/// the spec clamps to 0 and Python to "before the first element".)
std::vector<int64_t> pySlice(int64_t start, int64_t end, int64_t step, int64_t dim)
{
    auto fix = [&](int64_t v, int64_t lo, int64_t hi) {
        if (v < 0)
            v = v + dim; // callers keep |v| small enough not to overflow, or INT64_MIN/MAX
        return std::clamp(v, lo, hi);
    };
    const int64_t s = step > 0 ? fix(start, 0, dim) : fix(start, 0, dim - 1);
    const int64_t e = step > 0 ? fix(end, 0, dim) : fix(end, -1, dim - 1);
    std::vector<int64_t> out;
    for (int64_t i = s; step > 0 ? i < e : i > e; i += step)
        out.push_back(i);
    return out;
}

std::vector<float> refSlice(const Tensor &x, const std::vector<std::vector<int64_t>> &perAxis,
                            Dims &outDims)
{
    outDims.clear();
    for (const auto &v : perAxis)
        outDims.push_back(static_cast<int64_t>(v.size()));
    std::vector<float> out(static_cast<std::size_t>(numElements(outDims)));
    const auto in = floats(x);
    for (int64_t o = 0; o < static_cast<int64_t>(out.size()); ++o) {
        auto idx = unravel(o, outDims);
        for (std::size_t d = 0; d < idx.size(); ++d)
            idx[d] = perAxis[d][static_cast<std::size_t>(idx[d])];
        out[static_cast<std::size_t>(o)] = in[static_cast<std::size_t>(ravel(idx, x.dims()))];
    }
    return out;
}

/// Source index of a padded position by walking (bouncing) step by step: independent of the
/// kernel's closed-form modulo arithmetic.
int64_t refPadSource(int64_t i, int64_t dim, const std::string &mode)
{
    if (i >= 0 && i < dim)
        return i;
    if (mode == "constant")
        return -1;
    if (mode == "edge")
        return i < 0 ? 0 : dim - 1;
    if (mode == "wrap") {
        while (i < 0)
            i += dim;
        while (i >= dim)
            i -= dim;
        return i;
    }
    if (dim == 1)
        return 0;
    // reflect: walk from the nearest edge bouncing off both ends
    int64_t pos = i < 0 ? 0 : dim - 1;
    int64_t dir = i < 0 ? 1 : -1;
    for (int64_t steps = i < 0 ? -i : i - (dim - 1); steps > 0; --steps) {
        if (pos + dir < 0 || pos + dir >= dim)
            dir = -dir;
        pos += dir;
    }
    return pos;
}

std::vector<float> refPad(const Tensor &x, const std::vector<int64_t> &pads, const std::string &mode,
                          float value, Dims &outDims)
{
    const std::size_t r = x.dims().size();
    outDims.clear();
    for (std::size_t d = 0; d < r; ++d)
        outDims.push_back(x.dims()[d] + pads[d] + pads[d + r]);
    std::vector<float> out(static_cast<std::size_t>(numElements(outDims)));
    const auto in = floats(x);
    for (int64_t o = 0; o < static_cast<int64_t>(out.size()); ++o) {
        auto idx = unravel(o, outDims);
        bool constant = false;
        for (std::size_t d = 0; d < r; ++d) {
            idx[d] = refPadSource(idx[d] - pads[d], x.dims()[d], mode);
            constant = constant || idx[d] < 0;
        }
        out[static_cast<std::size_t>(o)] =
            constant ? value : in[static_cast<std::size_t>(ravel(idx, x.dims()))];
    }
    return out;
}

Dims randomDims(std::mt19937 &rng, int rank, int maxDim)
{
    std::uniform_int_distribution<int> u(1, maxDim);
    Dims d;
    for (int i = 0; i < rank; ++i)
        d.push_back(u(rng));
    return d;
}

std::vector<float> castFloats(const Tensor &t) { return t.toFloatVector(); }

} // namespace

class TestShapeCopy : public QObject
{
    Q_OBJECT

private slots:
    void transposeHandChecked()
    {
        const Tensor x = iota({2, 3});
        SHAPE_RUN(t, "Transpose", {}, {&x}, 13);
        QCOMPARE(t.dims(), (Dims{3, 2}));
        QCOMPARE(floats(t), (std::vector<float>{0, 3, 1, 4, 2, 5}));
        const Tensor y = iota({1, 2, 2, 2});
        SHAPE_RUN(nhwc, "Transpose", {intsAttr("perm", {0, 2, 3, 1})}, {&y}, 13);
        QCOMPARE(nhwc.dims(), (Dims{1, 2, 2, 2}));
        QCOMPARE(floats(nhwc), (std::vector<float>{0, 4, 1, 5, 2, 6, 3, 7}));
        QCOMPARE(QString::fromStdString(errorOf(run("Transpose", {intsAttr("perm", {0, 0})}, {&x}, 13))),
                 QString("Transpose perm [0, 0] is not a permutation of the axes of shape [2, 3]."));
    }

    void transposeMatchesReferenceOnRandomShapes()
    {
        std::mt19937 rng(1234);
        const std::vector<std::vector<int64_t>> fixedPerms = {
            {0, 2, 3, 1}, {0, 3, 1, 2}, {1, 0}, {0, 2, 1}, {2, 1, 0}, {3, 2, 1, 0}, {1, 0, 2, 3}};
        for (int c = 0; c < 60; ++c) {
            std::vector<int64_t> perm;
            if (c < static_cast<int>(fixedPerms.size()) * 4) {
                perm = fixedPerms[static_cast<std::size_t>(c) % fixedPerms.size()];
            } else {
                const int rank = 1 + static_cast<int>(rng() % 5);
                perm.resize(static_cast<std::size_t>(rank));
                std::iota(perm.begin(), perm.end(), 0);
                std::shuffle(perm.begin(), perm.end(), rng);
            }
            // Sizes up to 70 cross the 32-element blocks of the 2-D path; some dims are 1.
            Dims dims = randomDims(rng, static_cast<int>(perm.size()), c % 3 == 0 ? 70 : 6);
            if (c % 5 == 0)
                dims[rng() % dims.size()] = 1;
            const Tensor x = randomFloats(dims, rng);
            qDebug("case %d: shape %s perm %s", c, dimsToString(dims).c_str(),
                   dimsToString(perm).c_str());
            SHAPE_RUN(got, "Transpose", {intsAttr("perm", perm)}, {&x}, 13);
            Dims wantDims;
            const auto want = refTranspose(x, perm, wantDims);
            QCOMPARE(got.dims(), wantDims);
            QVERIFY(floats(got) == want);
        }
    }

    void transposeMovesAnyDtype()
    {
        Tensor s(DataType::String, {2, 3});
        s.mutableStrings() = {"a", "b", "c", "d", "e", "f"};
        SHAPE_RUN(t, "Transpose", {}, {&s}, 13);
        QCOMPARE(std::vector<std::string>(t.strings().begin(), t.strings().end()),
                 (std::vector<std::string>{"a", "d", "b", "e", "c", "f"}));
        for (DataType dt : {DataType::UInt8, DataType::Float16, DataType::Int32, DataType::Int64,
                            DataType::Double, DataType::Bool}) {
            const Tensor x = iota({3, 2, 4}).castTo(dt);
            qDebug("dtype %s", std::string(dtypeName(dt)).c_str());
            SHAPE_RUN(y, "Transpose", {intsAttr("perm", {2, 0, 1})}, {&x}, 13);
            Dims d;
            QCOMPARE(castFloats(y), refTranspose(x, {2, 0, 1}, d));
        }
    }

    void concatAxesAndErrors()
    {
        const Tensor a = iota({2, 2}), b = f32({2, 1}, {10, 11});
        const Tensor empty(DataType::Float, {2, 0});
        SHAPE_RUN(c, "Concat", {intAttr("axis", -1)}, {&a, &empty, &b}, 13);
        QCOMPARE(c.dims(), (Dims{2, 3}));
        QCOMPARE(floats(c), (std::vector<float>{0, 1, 10, 2, 3, 11}));
        const Tensor s1 = i64({1}, {4}), s0 = i64({0}, {});
        SHAPE_RUN(sh, "Concat", {intAttr("axis", 0)}, {&s0, &s1, &s1}, 13);
        QCOMPARE(ints(sh), (std::vector<int64_t>{4, 4}));
        QCOMPARE(QString::fromStdString(errorOf(run("Concat", {intAttr("axis", 0)}, {&a, &b}, 13))),
                 QString("Concat on axis 0 cannot join shapes [2, 2] (input 0) and [2, 1] "
                         "(input 1)."));
        const Tensor i = i64({2, 1}, {1, 2});
        QVERIFY(errorOf(run("Concat", {intAttr("axis", 1)}, {&a, &i}, 13)).find("dtype")
                != std::string::npos);
        QVERIFY(!run("Concat", {}, {&a}, 13));
        const Tensor s = f32({}, {1});
        QCOMPARE(QString::fromStdString(errorOf(run("Concat", {intAttr("axis", 0)}, {&s, &s}, 13))),
                 QString("Concat axis 0 is out of range for rank 0."));
        QVERIFY(!run("Split", {}, {&s}, 13, 1));
        const Tensor z = i64({1}, {0});
        QVERIFY(!run("Slice", {}, {&s, &z, &z, &z}, 13));
    }

    void splitByOpset()
    {
        const Tensor x = iota({2, 6});
        // Opset 11: split attribute.
        auto a = run("Split", {intAttr("axis", 1), intsAttr("split", {1, 5})}, {&x}, 11, 2);
        QVERIFY(a);
        QCOMPARE((*a)[0].dims(), (Dims{2, 1}));
        QCOMPARE(floats((*a)[1]), (std::vector<float>{1, 2, 3, 4, 5, 7, 8, 9, 10, 11}));
        // Opset 13: split input; the attribute is ignored.
        const Tensor sizes = i64({3}, {2, 0, 4});
        auto b = run("Split", {intAttr("axis", 1), intsAttr("split", {1, 5})}, {&x, &sizes}, 13, 3);
        QVERIFY(b);
        QCOMPARE((*b)[1].dims(), (Dims{2, 0}));
        QCOMPARE(floats((*b)[2]), (std::vector<float>{2, 3, 4, 5, 8, 9, 10, 11}));
        // No sizes: equal parts.
        auto c = run("Split", {intAttr("axis", -1)}, {&x}, 13, 3);
        QVERIFY(c);
        QCOMPARE(floats((*c)[1]), (std::vector<float>{2, 3, 8, 9}));
        QCOMPARE(QString::fromStdString(errorOf(run("Split", {intAttr("axis", 1)}, {&x}, 13, 4))),
                 QString("Split cannot divide axis 1 of shape [2, 6] into 4 equal parts."));
        // Opset 18 num_outputs: ceil-sized chunks, the last one smaller (6 = 2 + 2 + 2 / 7 = 3+3+1).
        const Tensor y = iota({7});
        auto d = run("Split", {intAttr("num_outputs", 3)}, {&y}, 18, 3);
        QVERIFY(d);
        QCOMPARE((*d)[0].dims(), (Dims{3}));
        QCOMPARE((*d)[2].dims(), (Dims{1}));
        QCOMPARE(floats((*d)[2]), (std::vector<float>{6}));
        QCOMPARE(QString::fromStdString(errorOf(run("Split", {}, {&x, &sizes}, 13, 3))),
                 QString("Split sizes [2, 0, 4] add up to 6 but axis 0 of shape [2, 6] has 2."));
        QVERIFY(!run("Split", {intAttr("num_outputs", 2)}, {&y}, 18, 3));
    }

    void sliceAttributesBefore10InputsFrom10()
    {
        const Tensor x = iota({3, 4});
        SHAPE_RUN(a, "Slice", {intsAttr("starts", {1, 0}), intsAttr("ends", {3, -1})}, {&x}, 9);
        QCOMPARE(a.dims(), (Dims{2, 3}));
        QCOMPARE(floats(a), (std::vector<float>{4, 5, 6, 8, 9, 10}));
        SHAPE_RUN(b, "Slice", {intsAttr("starts", {1}), intsAttr("ends", {kMax}), intsAttr("axes", {1})},
                  {&x}, 9);
        QCOMPARE(floats(b), (std::vector<float>{1, 2, 3, 5, 6, 7, 9, 10, 11}));
        // Opset 10 ignores attributes and reads inputs; negative step reverses.
        const Tensor starts = i64({1}, {-1}), ends = i64({1}, {kMin}), axes = i64({1}, {1}),
                     steps = i64({1}, {-2});
        SHAPE_RUN(c, "Slice", {}, {&x, &starts, &ends, &axes, &steps}, 10);
        QCOMPARE(c.dims(), (Dims{3, 2}));
        QCOMPARE(floats(c), (std::vector<float>{3, 1, 7, 5, 11, 9}));
        // Omitted axes (nullptr) with steps present.
        const Tensor s2 = i64({2}, {0, 3}), e2 = i64({2}, {kMax, 0}), st2 = i64({2}, {2, -1});
        SHAPE_RUN(d, "Slice", {}, {&x, &s2, &e2, nullptr, &st2}, 13);
        QCOMPARE(d.dims(), (Dims{2, 3}));
        QCOMPARE(floats(d), (std::vector<float>{3, 2, 1, 11, 10, 9}));
        // Empty result when start is past the end.
        const Tensor s3 = i64({1}, {10}), e3 = i64({1}, {20});
        SHAPE_RUN(e, "Slice", {}, {&x, &s3, &e3}, 13);
        QCOMPARE(e.dims(), (Dims{0, 4}));
        const Tensor zero = i64({1}, {0});
        QCOMPARE(QString::fromStdString(errorOf(run("Slice", {}, {&x, &s3, &e3, nullptr, &zero}, 13))),
                 QString("Slice step for axis 0 is 0."));
        const Tensor dupAxes = i64({2}, {1, -1});
        QCOMPARE(QString::fromStdString(errorOf(run("Slice", {}, {&x, &s2, &e2, &dupAxes}, 13))),
                 QString("Slice axes [1, -1] repeat axis 1."));
    }

    void sliceMatchesReferenceOnRandomShapes()
    {
        std::mt19937 rng(99);
        std::uniform_int_distribution<int64_t> pos(-9, 9);
        for (int c = 0; c < 80; ++c) {
            const int rank = 1 + static_cast<int>(rng() % 4);
            const Dims dims = randomDims(rng, rank, 7);
            const Tensor x = randomFloats(dims, rng);
            std::vector<int64_t> starts, ends, axes, steps;
            std::vector<std::vector<int64_t>> perAxis;
            for (int d = 0; d < rank; ++d) {
                const int64_t dim = dims[static_cast<std::size_t>(d)];
                int64_t step = pos(rng) / 3;
                if (step == 0)
                    step = 1;
                int64_t s = pos(rng), e = pos(rng);
                if (rng() % 6 == 0)
                    e = step > 0 ? kMax : kMin;
                if (rng() % 3 == 0) {
                    perAxis.push_back(pySlice(0, dim, 1, dim));
                    continue;
                }
                starts.push_back(s);
                ends.push_back(e);
                axes.push_back(rng() % 2 ? d : d - rank);
                steps.push_back(step);
                perAxis.push_back(pySlice(s, e, step, dim));
            }
            qDebug("case %d: shape %s starts %s ends %s axes %s steps %s", c,
                   dimsToString(dims).c_str(), dimsToString(starts).c_str(),
                   dimsToString(ends).c_str(), dimsToString(axes).c_str(),
                   dimsToString(steps).c_str());
            const Tensor st = i64({static_cast<int64_t>(starts.size())}, starts);
            const Tensor en = i64({static_cast<int64_t>(ends.size())}, ends);
            const Tensor ax = i64({static_cast<int64_t>(axes.size())}, axes);
            const Tensor sp = i64({static_cast<int64_t>(steps.size())}, steps);
            SHAPE_RUN(got, "Slice", {}, {&x, &st, &en, &ax, &sp}, 13);
            Dims wantDims;
            const auto want = refSlice(x, perAxis, wantDims);
            QCOMPARE(got.dims(), wantDims);
            QVERIFY(floats(got) == want);
        }
    }

    void expandAndTile()
    {
        const Tensor x = f32({3, 1}, {1, 2, 3});
        const Tensor shape = i64({3}, {2, 1, 2});
        SHAPE_RUN(e, "Expand", {}, {&x, &shape}, 13);
        QCOMPARE(e.dims(), (Dims{2, 3, 2}));
        QCOMPARE(floats(e), (std::vector<float>{1, 1, 2, 2, 3, 3, 1, 1, 2, 2, 3, 3}));
        const Tensor bad = i64({2}, {2, 3});
        QCOMPARE(QString::fromStdString(errorOf(run("Expand", {}, {&x, &bad}, 13))),
                 QString("Expand cannot broadcast input shape [3, 1] to [2, 3]."));
        const Tensor y = f32({2, 2}, {1, 2, 3, 4});
        const Tensor reps = i64({2}, {2, 3});
        SHAPE_RUN(t, "Tile", {}, {&y, &reps}, 13);
        QCOMPARE(t.dims(), (Dims{4, 6}));
        QCOMPARE(floats(t), (std::vector<float>{1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4,
                                                1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4}));
        const Tensor huge = i64({2}, {int64_t{1} << 40, int64_t{1} << 40});
        const Tensor one = f32({1, 1}, {1});
        QCOMPARE(QString::fromStdString(errorOf(run("Tile", {}, {&one, &huge}, 13))),
                 QString("Tile output shape [1099511627776, 1, 1099511627776, 1] is too large to "
                         "allocate."));
        QCOMPARE(QString::fromStdString(errorOf(run("Expand", {}, {&one, &huge}, 13))),
                 QString("Expand output shape [1099511627776, 1099511627776] is too large to "
                         "allocate."));
        const Tensor short_ = i64({1}, {2});
        QCOMPARE(QString::fromStdString(errorOf(run("Tile", {}, {&y, &short_}, 13))),
                 QString("Tile repeats [2] must have one entry per axis of the input shape "
                         "[2, 2]."));
    }

    void tileAndExpandMatchReferenceOnRandomShapes()
    {
        std::mt19937 rng(7);
        for (int c = 0; c < 40; ++c) {
            const int rank = 1 + static_cast<int>(rng() % 4);
            const Dims dims = randomDims(rng, rank, 4);
            const Tensor x = randomFloats(dims, rng);
            std::vector<int64_t> reps;
            Dims target;
            for (int64_t d : dims) {
                reps.push_back(static_cast<int64_t>(rng() % 3));
                target.push_back(d == 1 ? 1 + static_cast<int64_t>(rng() % 3) : d);
            }
            qDebug("case %d: shape %s repeats %s expand to %s", c, dimsToString(dims).c_str(),
                   dimsToString(reps).c_str(), dimsToString(target).c_str());
            const Tensor r = i64({rank}, reps);
            SHAPE_RUN(t, "Tile", {}, {&x, &r}, 13);
            Dims td;
            for (std::size_t i = 0; i < dims.size(); ++i)
                td.push_back(dims[i] * reps[i]);
            QCOMPARE(t.dims(), td);
            const auto in = floats(x);
            const auto got = floats(t);
            for (int64_t o = 0; o < numElements(td); ++o) {
                auto idx = unravel(o, td);
                for (std::size_t d = 0; d < idx.size(); ++d)
                    idx[d] %= dims[d];
                QCOMPARE(got[static_cast<std::size_t>(o)], in[static_cast<std::size_t>(ravel(idx, dims))]);
            }
            // Expand with one extra leading axis.
            Dims ed = target;
            ed.insert(ed.begin(), 2);
            const Tensor es = i64({rank + 1}, ed);
            SHAPE_RUN(e, "Expand", {}, {&x, &es}, 13);
            QCOMPARE(e.dims(), ed);
            const auto eg = floats(e);
            for (int64_t o = 0; o < numElements(ed); ++o) {
                auto idx = unravel(o, ed);
                idx.erase(idx.begin());
                for (std::size_t d = 0; d < idx.size(); ++d)
                    if (dims[d] == 1)
                        idx[d] = 0;
                QCOMPARE(eg[static_cast<std::size_t>(o)], in[static_cast<std::size_t>(ravel(idx, dims))]);
            }
        }
    }

    void padByOpset()
    {
        const Tensor x = f32({2, 2}, {1, 2, 3, 4});
        // Opset 2: pads and value attributes.
        SHAPE_RUN(a, "Pad", {intsAttr("pads", {0, 1, 0, 0}), floatAttr("value", 9)}, {&x}, 2);
        QCOMPARE(a.dims(), (Dims{2, 3}));
        QCOMPARE(floats(a), (std::vector<float>{9, 1, 2, 9, 3, 4}));
        // Opset 11: pads and constant_value inputs.
        const Tensor pads = i64({4}, {1, 0, 0, 1}), cv = f32({}, {-1});
        SHAPE_RUN(b, "Pad", {}, {&x, &pads, &cv}, 11);
        QCOMPARE(b.dims(), (Dims{3, 3}));
        QCOMPARE(floats(b), (std::vector<float>{-1, -1, -1, 1, 2, -1, 3, 4, -1}));
        // Opset 18: axes input; pads only for the listed axes.
        const Tensor p1 = i64({2}, {2, 1}), ax = i64({1}, {-1});
        SHAPE_RUN(c, "Pad", {stringAttr("mode", "edge")}, {&x, &p1, nullptr, &ax}, 18);
        QCOMPARE(c.dims(), (Dims{2, 5}));
        QCOMPARE(floats(c), (std::vector<float>{1, 1, 1, 2, 2, 3, 3, 3, 4, 4}));
        // reflect and negative pads (crop).
        const Tensor row = f32({1, 4}, {1, 2, 3, 4});
        const Tensor p2 = i64({4}, {0, 2, 0, -1});
        SHAPE_RUN(d, "Pad", {stringAttr("mode", "reflect")}, {&row, &p2}, 13);
        QCOMPARE(floats(d), (std::vector<float>{3, 2, 1, 2, 3}));
        // wrap from opset 19 only.
        SHAPE_RUN(w, "Pad", {stringAttr("mode", "wrap")}, {&row, &p2}, 19);
        QCOMPARE(floats(w), (std::vector<float>{3, 4, 1, 2, 3}));
        const auto old = run("Pad", {stringAttr("mode", "wrap")}, {&row, &p2}, 18);
        QVERIFY(!old);
        QCOMPARE(old.error().code, Error::Code::Unsupported);
        const Tensor p3 = i64({2}, {1, 1});
        QCOMPARE(QString::fromStdString(errorOf(run("Pad", {}, {&x, &p3}, 13))),
                 QString("Pad pads [1, 1] must have 2 x 2 values for input shape [2, 2]."));
        const Tensor emptyX(DataType::Float, {0, 2});
        const Tensor p4 = i64({4}, {1, 0, 0, 0});
        QVERIFY(errorOf(run("Pad", {stringAttr("mode", "edge")}, {&emptyX, &p4}, 13)).find("empty")
                != std::string::npos);
    }

    void padMatchesReferenceOnRandomShapes()
    {
        std::mt19937 rng(42);
        const char *modes[] = {"constant", "reflect", "edge", "wrap"};
        for (int c = 0; c < 60; ++c) {
            const int rank = 1 + static_cast<int>(rng() % 4);
            const Dims dims = randomDims(rng, rank, c % 4 == 0 ? 40 : 5);
            const std::string mode = modes[c % 4];
            std::vector<int64_t> pads(static_cast<std::size_t>(2 * rank));
            for (std::size_t i = 0; i < pads.size(); ++i) {
                const int64_t dim = dims[i % static_cast<std::size_t>(rank)];
                // Crops stay within the axis; reflect/wrap pads may exceed the axis length.
                pads[i] = static_cast<int64_t>(rng() % 7) - std::min<int64_t>(2, dim / 2);
            }
            const Tensor x = randomFloats(dims, rng);
            qDebug("case %d: shape %s mode %s pads %s", c, dimsToString(dims).c_str(),
                   mode.c_str(), dimsToString(pads).c_str());
            const Tensor p = i64({2 * rank}, pads), cv = f32({}, {0.5f});
            SHAPE_RUN(got, "Pad", {stringAttr("mode", mode)}, {&x, &p, &cv}, 19);
            Dims wantDims;
            const auto want = refPad(x, pads, mode, 0.5f, wantDims);
            QCOMPARE(got.dims(), wantDims);
            QVERIFY(floats(got) == want);
        }
    }

    void depthToSpaceAndBack()
    {
        const Tensor x = iota({1, 8, 1, 1});
        SHAPE_RUN(dcr, "DepthToSpace", {intAttr("blocksize", 2)}, {&x}, 13);
        QCOMPARE(dcr.dims(), (Dims{1, 2, 2, 2}));
        // DCR: output (c, i, j) takes channel (i*2 + j)*2 + c.
        QCOMPARE(floats(dcr), (std::vector<float>{0, 2, 4, 6, 1, 3, 5, 7}));
        SHAPE_RUN(crd, "DepthToSpace", {intAttr("blocksize", 2), stringAttr("mode", "CRD")}, {&x}, 13);
        // CRD: output (c, i, j) takes channel c*4 + i*2 + j.
        QCOMPARE(floats(crd), (std::vector<float>{0, 1, 2, 3, 4, 5, 6, 7}));
        // SpaceToDepth inverts DCR DepthToSpace.
        std::mt19937 rng(5);
        const Tensor y = randomFloats({2, 12, 3, 5}, rng);
        SHAPE_RUN(s, "DepthToSpace", {intAttr("blocksize", 2)}, {&y}, 13);
        QCOMPARE(s.dims(), (Dims{2, 3, 6, 10}));
        SHAPE_RUN(back, "SpaceToDepth", {intAttr("blocksize", 2)}, {&s}, 13);
        QVERIFY(sameTensor(back, y));
        QCOMPARE(QString::fromStdString(errorOf(run("SpaceToDepth", {intAttr("blocksize", 2)}, {&y}, 13))),
                 QString("SpaceToDepth with blocksize 2 needs a 4-D input whose height and width "
                         "divide by it, got shape [2, 12, 3, 5]."));
        QVERIFY(!run("DepthToSpace", {intAttr("blocksize", 5)}, {&y}, 13));
    }
};

QTEST_APPLESS_MAIN(TestShapeCopy)
#include "test_shape_copy.moc"
