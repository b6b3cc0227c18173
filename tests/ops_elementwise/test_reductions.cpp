// Reduction kernels (Reduce*, ArgMax/ArgMin, Softmax family, TopK, CumSum) against plain
// reference loops on random shapes and axis sets (fixed seed), the attribute-vs-input axes
// switch by opset, Softmax's opset 11 vs 13 semantics, and the error texts.
#include "ew_test_util.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <numeric>

using namespace nnc;
using namespace nnc::ewtest;

namespace {

/// Groups every input element by the output cell it reduces into; returns the cells in
/// row-major order of the kept dims.
std::vector<std::vector<double>> groupByCell(const Tensor &x, const std::vector<bool> &reduced)
{
    Dims keptDims;
    for (std::size_t d = 0; d < reduced.size(); ++d)
        if (!reduced[d])
            keptDims.push_back(x.dims()[d]);
    std::vector<std::vector<double>> cells(static_cast<std::size_t>(numElements(keptDims)));
    for (int64_t i = 0; i < x.numel(); ++i) {
        const auto idx = unravel(i, x.dims());
        int64_t cell = 0;
        for (std::size_t d = 0; d < reduced.size(); ++d)
            if (!reduced[d])
                cell = cell * x.dims()[d] + idx[d];
        cells[static_cast<std::size_t>(cell)].push_back(x.valueAsDouble(i));
    }
    return cells;
}

using Fold = std::function<double(const std::vector<double> &)>;

double sum(const std::vector<double> &v)
{
    return std::accumulate(v.begin(), v.end(), 0.0);
}

const std::vector<std::pair<const char *, Fold>> &reduceRefs()
{
    static const std::vector<std::pair<const char *, Fold>> refs = {
        {"ReduceSum", sum},
        {"ReduceMean", [](const auto &v) { return sum(v) / double(v.size()); }},
        {"ReduceMax", [](const auto &v) { return *std::max_element(v.begin(), v.end()); }},
        {"ReduceMin", [](const auto &v) { return *std::min_element(v.begin(), v.end()); }},
        {"ReduceProd",
         [](const auto &v) {
             double p = 1;
             for (double x : v)
                 p *= x;
             return p;
         }},
        {"ReduceL1",
         [](const auto &v) {
             double s = 0;
             for (double x : v)
                 s += std::abs(x);
             return s;
         }},
        {"ReduceL2",
         [](const auto &v) {
             double s = 0;
             for (double x : v)
                 s += x * x;
             return std::sqrt(s);
         }},
        {"ReduceSumSquare",
         [](const auto &v) {
             double s = 0;
             for (double x : v)
                 s += x * x;
             return s;
         }},
        {"ReduceLogSum", [](const auto &v) { return std::log(sum(v)); }},
        {"ReduceLogSumExp",
         [](const auto &v) {
             double s = 0;
             for (double x : v)
                 s += std::exp(x);
             return std::log(s);
         }},
    };
    return refs;
}

Tensor int64Tensor(std::vector<int64_t> v)
{
    return Tensor::fromVector<int64_t>({static_cast<int64_t>(v.size())}, v);
}

} // namespace

class TestReductions : public QObject
{
    Q_OBJECT

private slots:
    void reduceRandomShapesAndAxes()
    {
        std::mt19937 rng(201);
        for (int c = 0; c < 60; ++c) {
            const Dims dims = randomDims(rng, 1, 5, 5);
            const int64_t rank = static_cast<int64_t>(dims.size());
            std::vector<int64_t> axes;
            std::vector<bool> reduced(dims.size(), false);
            for (int64_t d = 0; d < rank; ++d)
                if (std::uniform_int_distribution<int>(0, 1)(rng)) {
                    // write some axes negative
                    axes.push_back(std::uniform_int_distribution<int>(0, 1)(rng) ? d : d - rank);
                    reduced[static_cast<std::size_t>(d)] = true;
                }
            std::shuffle(axes.begin(), axes.end(), rng);
            if (axes.empty())
                reduced.assign(dims.size(), true); // empty axes = all
            const bool keep = std::uniform_int_distribution<int>(0, 1)(rng);
            const Tensor x = randomTensor<float>(rng, dims, 0.5, 2.0);
            Dims outDims;
            for (std::size_t d = 0; d < dims.size(); ++d)
                if (!reduced[d])
                    outDims.push_back(dims[d]);
                else if (keep)
                    outDims.push_back(1);
            const auto cells = groupByCell(x, reduced);
            std::string axesText;
            for (int64_t a : axes)
                axesText += std::to_string(a) + " ";
            for (const auto &[op, ref] : reduceRefs()) {
                Tensor want(DataType::Float, outDims);
                for (std::size_t i = 0; i < cells.size(); ++i)
                    want.mutableData<float>()[i] = static_cast<float>(ref(cells[i]));
                // opset 13: axes attribute (input for ReduceSum); opset 18: axes input
                for (const int opset : {13, 18}) {
                    qInfo("case %d: %s opset %d x=%s axes=[%s] keepdims=%d", c, op, opset,
                          dimsToString(dims).c_str(), axesText.c_str(), keep ? 1 : 0);
                    const bool asInput = opset >= 18 || std::string(op) == "ReduceSum";
                    std::vector<Attribute> attrs = {intAttr("keepdims", keep)};
                    const Tensor axesT = int64Tensor(axes);
                    std::vector<const Tensor *> ins = {&x};
                    if (asInput)
                        ins.push_back(&axesT);
                    else
                        attrs.push_back(intsAttr("axes", axes));
                    EW_RUN1(got, op, ins, attrs, opset);
                    EW_COMPARE(got, want, 1e-4, 1e-6);
                }
            }
        }
    }

    void reduceIntegerAndDoubleTypes()
    {
        const Tensor xi = Tensor::fromVector<int32_t>({2, 3}, {1, -2, 3, 4, 5, -6});
        const Tensor ax = int64Tensor({1});
        EW_RUN1(s, "ReduceSum", {&xi, &ax}, {intAttr("keepdims", 0)}, 13);
        EW_COMPARE(s, Tensor::fromVector<int32_t>({2}, {2, 3}));
        EW_RUN1(mx, "ReduceMax", {&xi, &ax}, {}, 18);
        EW_COMPARE(mx, Tensor::fromVector<int32_t>({2, 1}, {3, 5}));
        EW_RUN1(l1, "ReduceL1", {&xi}, {intsAttr("axes", {0})}, 13);
        EW_COMPARE(l1, Tensor::fromVector<int32_t>({1, 3}, {5, 7, 9}));
        const Tensor xd = Tensor::fromVector<double>({2, 2}, {1e-8, 1.0, 2.0, 3.0});
        EW_RUN1(md, "ReduceMean", {&xd}, {intAttr("keepdims", 0)}, 13);
        EW_COMPARE(md, Tensor::fromVector<double>({}, {(1e-8 + 6.0) / 4}), 1e-15, 0);
    }

    void reduceLargeTensorsThreaded()
    {
        std::mt19937 rng(211);
        struct Case
        {
            Dims dims;
            std::vector<int64_t> axes;
        };
        // inner==1 rows, outer==1 with wide inner (column-parallel), a permuted pattern
        const Case cases[] = {{{64, 2048}, {1}}, {{2048, 64}, {0}}, {{8, 32, 16, 24}, {0, 2}}};
        for (const Case &c : cases) {
            qInfo("large ReduceMean x=%s", dimsToString(c.dims).c_str());
            const Tensor x = randomTensor<float>(rng, c.dims);
            std::vector<bool> reduced(c.dims.size(), false);
            for (int64_t a : c.axes)
                reduced[static_cast<std::size_t>(a)] = true;
            const auto cells = groupByCell(x, reduced);
            Dims outDims = c.dims;
            for (int64_t a : c.axes)
                outDims[static_cast<std::size_t>(a)] = 1;
            Tensor want(DataType::Float, outDims);
            for (std::size_t i = 0; i < cells.size(); ++i)
                want.mutableData<float>()[i] =
                    static_cast<float>(sum(cells[i]) / double(cells[i].size()));
            const Tensor axesT = int64Tensor(c.axes);
            EW_RUN1(got, "ReduceMean", {&x, &axesT}, {}, 18);
            EW_COMPARE(got, want, 1e-4, 1e-6);
        }
    }

    void emptyAxesAndNoop()
    {
        const Tensor x = Tensor::fromVector<float>({2, 2}, {1.f, 2.f, 3.f, 4.f});
        const Tensor none(DataType::Int64, {0});
        EW_RUN1(all, "ReduceSum", {&x, &none}, {}, 13);
        EW_COMPARE(all, Tensor::fromVector<float>({1, 1}, {10.f}));
        EW_RUN1(omitted, "ReduceSum", {&x, nullptr}, {intAttr("keepdims", 0)}, 13);
        EW_COMPARE(omitted, Tensor::fromVector<float>({}, {10.f}));
        EW_RUN1(noop, "ReduceSum", {&x, &none}, {intAttr("noop_with_empty_axes", 1)}, 13);
        EW_COMPARE(noop, x);
        EW_RUN1(noop18, "ReduceMax", {&x}, {intAttr("noop_with_empty_axes", 1)}, 18);
        EW_COMPARE(noop18, x);
        // before opset 13 the axes attribute is used and a second input is not read
        const Tensor ax = int64Tensor({0});
        EW_RUN1(attr12, "ReduceSum", {&x}, {intsAttr("axes", {1})}, 12);
        EW_COMPARE(attr12, Tensor::fromVector<float>({2, 1}, {3.f, 7.f}));
        EW_RUN1(in13, "ReduceSum", {&x, &ax}, {intsAttr("axes", {1})}, 13);
        EW_COMPARE(in13, Tensor::fromVector<float>({1, 2}, {4.f, 6.f}));
    }

    void reduceOverZeroSizedAxis()
    {
        const Tensor x(DataType::Float, {2, 0, 3});
        const Tensor ax = int64Tensor({1});
        EW_RUN1(s, "ReduceSum", {&x, &ax}, {}, 13);
        EW_COMPARE(s, Tensor(DataType::Float, {2, 1, 3}));
        EW_RUN1(m, "ReduceMax", {&x, &ax}, {intAttr("keepdims", 0)}, 18);
        const float inf = std::numeric_limits<float>::infinity();
        EW_COMPARE(m, Tensor::fromVector<float>({2, 3}, std::vector<float>(6, -inf)));
        const Tensor ax0 = int64Tensor({0});
        EW_RUN1(e, "ReduceSum", {&x, &ax0}, {}, 13);
        QCOMPARE(e.dims(), (Dims{1, 0, 3}));
    }

    void reduceErrors()
    {
        const Tensor x(DataType::Float, {2, 3, 4});
        const Tensor dup = int64Tensor({1, -2});
        QCOMPARE(errorOf(run("ReduceSum", {&x, &dup}, {}, 13)),
                 std::string("axis -2 appears twice in axes."));
        QCOMPARE(errorOf(run("ReduceMean", {&x}, {intsAttr("axes", {3})}, 13)),
                 std::string("axis 3 is out of range for rank 3."));
        const Tensor fax = Tensor::fromVector<float>({1}, {0.f});
        QCOMPARE(errorOf(run("ReduceMax", {&x, &fax}, {}, 18)),
                 std::string("axes must be int64, not float."));
    }

    void argMaxArgMinWithTies()
    {
        std::mt19937 rng(221);
        for (int c = 0; c < 40; ++c) {
            const Dims dims = randomDims(rng, 1, 4, 5);
            const int64_t rank = static_cast<int64_t>(dims.size());
            const int64_t axis = std::uniform_int_distribution<int64_t>(-rank, rank - 1)(rng);
            const int64_t a = axis < 0 ? axis + rank : axis;
            const bool keep = std::uniform_int_distribution<int>(0, 1)(rng);
            const bool last = std::uniform_int_distribution<int>(0, 1)(rng);
            const Tensor x = randomTensor<int64_t>(rng, dims, 0, 3).castTo(DataType::Float);
            for (const bool isMax : {true, false}) {
                const char *op = isMax ? "ArgMax" : "ArgMin";
                qInfo("case %d: %s x=%s axis=%lld keepdims=%d select_last_index=%d", c, op,
                      dimsToString(dims).c_str(), static_cast<long long>(axis), keep, last);
                Dims outDims = dims;
                outDims[static_cast<std::size_t>(a)] = 1;
                Tensor want(DataType::Int64, outDims);
                for (int64_t o = 0; o < want.numel(); ++o) {
                    auto idx = unravel(o, outDims);
                    int64_t best = 0;
                    double bestV = 0;
                    for (int64_t k = 0; k < dims[static_cast<std::size_t>(a)]; ++k) {
                        idx[static_cast<std::size_t>(a)] = k;
                        int64_t flat = 0;
                        for (std::size_t d = 0; d < dims.size(); ++d)
                            flat = flat * dims[d] + idx[d];
                        const double v = x.valueAsDouble(flat);
                        const bool better =
                            k == 0 || (isMax ? v > bestV : v < bestV) || (last && v == bestV);
                        if (better) {
                            best = k;
                            bestV = v;
                        }
                    }
                    want.mutableData<int64_t>()[o] = best;
                }
                if (!keep)
                    outDims.erase(outDims.begin() + a);
                EW_RUN1(got, op, {&x},
                        {intAttr("axis", axis), intAttr("keepdims", keep),
                         intAttr("select_last_index", last)},
                        13);
                EW_COMPARE(got, want.reshaped(outDims));
            }
        }
        // NaN wins, first occurrence (numpy); last occurrence with select_last_index
        const float nan = std::numeric_limits<float>::quiet_NaN();
        const Tensor xn =
            Tensor::fromVector<float>({2, 4}, {1.f, nan, 5.f, nan, 2.f, 7.f, 7.f, 1.f});
        for (const char *op : {"ArgMax", "ArgMin"}) {
            EW_RUN1(first, op, {&xn}, {intAttr("axis", 1), intAttr("keepdims", 0)});
            const bool isMax = std::string(op) == "ArgMax";
            EW_COMPARE(first, Tensor::fromVector<int64_t>({2}, {1, isMax ? 1 : 3}));
            EW_RUN1(last, op, {&xn},
                    {intAttr("axis", 1), intAttr("keepdims", 0), intAttr("select_last_index", 1)});
            EW_COMPARE(last, Tensor::fromVector<int64_t>({2}, {3, isMax ? 2 : 3}));
        }
        const Tensor empty(DataType::Float, {2, 0});
        QCOMPARE(errorOf(run("ArgMax", {&empty}, {intAttr("axis", 1)})),
                 std::string("cannot take the index of the extreme value along empty axis 1."));
    }

    void softmaxOpset11FlattensOpset13DoesNot()
    {
        std::mt19937 rng(231);
        const Tensor x = randomTensor<float>(rng, {2, 3, 4}, -5, 5);
        // opset 11, axis 1: softmax over the 12 trailing elements of each batch
        Tensor want11(DataType::Float, {2, 3, 4});
        for (int n = 0; n < 2; ++n) {
            double s = 0;
            for (int j = 0; j < 12; ++j)
                s += std::exp(double(x.data<float>()[n * 12 + j]));
            for (int j = 0; j < 12; ++j)
                want11.mutableData<float>()[n * 12 + j] =
                    static_cast<float>(std::exp(double(x.data<float>()[n * 12 + j])) / s);
        }
        // opset 13, axis 1: softmax over the 3 elements along dim 1
        Tensor want13(DataType::Float, {2, 3, 4});
        for (int n = 0; n < 2; ++n)
            for (int w = 0; w < 4; ++w) {
                double s = 0;
                for (int c = 0; c < 3; ++c)
                    s += std::exp(double(x.data<float>()[n * 12 + c * 4 + w]));
                for (int c = 0; c < 3; ++c)
                    want13.mutableData<float>()[n * 12 + c * 4 + w] = static_cast<float>(
                        std::exp(double(x.data<float>()[n * 12 + c * 4 + w])) / s);
            }
        EW_RUN1(s11, "Softmax", {&x}, {intAttr("axis", 1)}, 11);
        EW_COMPARE(s11, want11);
        EW_RUN1(s11default, "Softmax", {&x}, {}, 11); // default axis 1
        EW_COMPARE(s11default, want11);
        EW_RUN1(s13, "Softmax", {&x}, {intAttr("axis", 1)}, 13);
        EW_COMPARE(s13, want13);
        QVERIFY(!compare(s11, want13).empty()); // the two semantics really differ here
        // the default axis of 13 is -1: same as opset 11 with axis 2 for the last dim
        EW_RUN1(s13default, "Softmax", {&x}, {}, 13);
        EW_RUN1(s11last, "Softmax", {&x}, {intAttr("axis", 2)}, 11);
        EW_COMPARE(s13default, s11last);
        // LogSoftmax is the log of Softmax in both opsets
        for (const int opset : {11, 13}) {
            EW_RUN1(ls, "LogSoftmax", {&x}, {intAttr("axis", 1)}, opset);
            EW_RUN1(sm, "Softmax", {&x}, {intAttr("axis", 1)}, opset);
            Tensor logSm(DataType::Float, sm.dims());
            for (int64_t i = 0; i < sm.numel(); ++i)
                logSm.mutableData<float>()[i] = std::log(sm.data<float>()[i]);
            EW_COMPARE(ls, logSm, 1e-4, 1e-6);
        }
    }

    void softmaxNaNPoisonsOnlyItsRow()
    {
        const float nan = std::numeric_limits<float>::quiet_NaN();
        // 40 columns so the strided (axis 0) path runs too; NaN at [1, 3]
        std::vector<float> v(3 * 40);
        for (std::size_t i = 0; i < v.size(); ++i)
            v[i] = static_cast<float>(i % 7) * 0.5f;
        v[43] = nan;
        const Tensor x = Tensor::fromVector<float>({3, 40}, v);
        for (const int64_t axis : {int64_t{1}, int64_t{0}}) {
            qInfo("Softmax/LogSoftmax with a NaN, axis %lld", static_cast<long long>(axis));
            for (const char *op : {"Softmax", "LogSoftmax"}) {
                EW_RUN1(y, op, {&x}, {intAttr("axis", axis)}, 13);
                for (int64_t r = 0; r < 3; ++r)
                    for (int64_t c = 0; c < 40; ++c) {
                        const bool poisoned = axis == 1 ? r == 1 : c == 3;
                        QCOMPARE(std::isnan(y.data<float>()[r * 40 + c]), poisoned);
                    }
            }
        }
    }

    void softmaxRandomAxesAndLargeValues()
    {
        std::mt19937 rng(241);
        for (int c = 0; c < 30; ++c) {
            const Dims dims = randomDims(rng, 1, 4, 6);
            const int64_t rank = static_cast<int64_t>(dims.size());
            const int64_t axis = std::uniform_int_distribution<int64_t>(-rank, rank - 1)(rng);
            const int64_t a = axis < 0 ? axis + rank : axis;
            // offsets of 1000 would overflow exp without the max shift
            const Tensor x = randomTensor<float>(rng, dims, 995, 1005);
            qInfo("case %d: Softmax/LogSoftmax/Hardmax x=%s axis=%lld", c,
                  dimsToString(dims).c_str(), static_cast<long long>(axis));
            Tensor sm(DataType::Float, dims), lsm(DataType::Float, dims), hm(DataType::Float, dims);
            for (int64_t i = 0; i < x.numel(); ++i) {
                const auto idx = unravel(i, dims);
                if (idx[static_cast<std::size_t>(a)] != 0)
                    continue;
                std::vector<int64_t> flats;
                auto j = idx;
                for (int64_t k = 0; k < dims[static_cast<std::size_t>(a)]; ++k) {
                    j[static_cast<std::size_t>(a)] = k;
                    int64_t f = 0;
                    for (std::size_t d = 0; d < dims.size(); ++d)
                        f = f * dims[d] + j[d];
                    flats.push_back(f);
                }
                double m = -INFINITY;
                std::size_t arg = 0;
                for (std::size_t k = 0; k < flats.size(); ++k)
                    if (x.data<float>()[flats[k]] > m) {
                        m = x.data<float>()[flats[k]];
                        arg = k;
                    }
                double s = 0;
                for (int64_t f : flats)
                    s += std::exp(x.data<float>()[f] - m);
                for (std::size_t k = 0; k < flats.size(); ++k) {
                    const double v = x.data<float>()[flats[k]];
                    sm.mutableData<float>()[flats[k]] = static_cast<float>(std::exp(v - m) / s);
                    lsm.mutableData<float>()[flats[k]] = static_cast<float>(v - m - std::log(s));
                    hm.mutableData<float>()[flats[k]] = k == arg ? 1.f : 0.f;
                }
            }
            EW_RUN1(gs, "Softmax", {&x}, {intAttr("axis", axis)}, 13);
            EW_COMPARE(gs, sm, 1e-4, 1e-6);
            EW_RUN1(gl, "LogSoftmax", {&x}, {intAttr("axis", axis)}, 13);
            EW_COMPARE(gl, lsm, 1e-4, 1e-5);
            EW_RUN1(gh, "Hardmax", {&x}, {intAttr("axis", axis)}, 13);
            EW_COMPARE(gh, hm);
        }
    }

    void topKLargestSmallestAndTies()
    {
        std::mt19937 rng(251);
        for (int c = 0; c < 40; ++c) {
            const Dims dims = randomDims(rng, 1, 3, 6);
            const int64_t rank = static_cast<int64_t>(dims.size());
            const int64_t axis = std::uniform_int_distribution<int64_t>(-rank, rank - 1)(rng);
            const int64_t a = axis < 0 ? axis + rank : axis;
            const int64_t n = dims[static_cast<std::size_t>(a)];
            const int64_t k = std::uniform_int_distribution<int64_t>(0, n)(rng);
            const bool largest = std::uniform_int_distribution<int>(0, 1)(rng);
            // few distinct values: many ties, which must come out lowest index first
            const Tensor x = randomTensor<int32_t>(rng, dims, 0, 3);
            qInfo("case %d: TopK x=%s axis=%lld k=%lld largest=%d", c, dimsToString(dims).c_str(),
                  static_cast<long long>(axis), static_cast<long long>(k), largest);
            Dims outDims = dims;
            outDims[static_cast<std::size_t>(a)] = k;
            Tensor wantV(DataType::Int32, outDims), wantI(DataType::Int64, outDims);
            for (int64_t o = 0; o < numElements(outDims); ++o) {
                auto idx = unravel(o, outDims);
                if (idx[static_cast<std::size_t>(a)] != 0)
                    continue;
                std::vector<std::pair<int32_t, int64_t>> items;
                for (int64_t j = 0; j < n; ++j) {
                    auto src = idx;
                    src[static_cast<std::size_t>(a)] = j;
                    int64_t f = 0;
                    for (std::size_t d = 0; d < dims.size(); ++d)
                        f = f * dims[d] + src[d];
                    items.push_back({x.data<int32_t>()[f], j});
                }
                std::stable_sort(items.begin(), items.end(), [&](const auto &p, const auto &q) {
                    return largest ? p.first > q.first : p.first < q.first;
                });
                for (int64_t j = 0; j < k; ++j) {
                    auto dst = idx;
                    dst[static_cast<std::size_t>(a)] = j;
                    int64_t f = 0;
                    for (std::size_t d = 0; d < outDims.size(); ++d)
                        f = f * outDims[d] + dst[d];
                    wantV.mutableData<int32_t>()[f] = items[static_cast<std::size_t>(j)].first;
                    wantI.mutableData<int64_t>()[f] = items[static_cast<std::size_t>(j)].second;
                }
            }
            const Tensor kt = int64Tensor({k});
            auto got =
                run("TopK", {&x, &kt}, {intAttr("axis", axis), intAttr("largest", largest)}, 11, 2);
            QVERIFY2(got.has_value(), errorOf(got).c_str());
            EW_COMPARE((*got)[0], wantV);
            EW_COMPARE((*got)[1], wantI);
        }
    }

    void topKOpsetsAndErrors()
    {
        const Tensor x = Tensor::fromVector<float>({5}, {3.f, 1.f, 4.f, 1.f, 5.f});
        auto v1 = run("TopK", {&x}, {intAttr("k", 2)}, 1, 2);
        QVERIFY2(v1.has_value(), errorOf(v1).c_str());
        EW_COMPARE((*v1)[0], Tensor::fromVector<float>({2}, {5.f, 4.f}));
        EW_COMPARE((*v1)[1], Tensor::fromVector<int64_t>({2}, {4, 2}));
        const Tensor k2 = int64Tensor({2});
        auto s = run("TopK", {&x, &k2}, {intAttr("largest", 0)}, 11, 2);
        QVERIFY2(s.has_value(), errorOf(s).c_str());
        EW_COMPARE((*s)[0], Tensor::fromVector<float>({2}, {1.f, 1.f}));
        EW_COMPARE((*s)[1], Tensor::fromVector<int64_t>({2}, {1, 3}));
        const Tensor k9 = int64Tensor({9});
        QCOMPARE(errorOf(run("TopK", {&x, &k9}, {}, 11, 2)),
                 std::string("K = 9 is out of range for axis 0 of size 5."));
        // NaN never breaks the sort; it ranks above every number
        const float nan = std::numeric_limits<float>::quiet_NaN();
        const Tensor xn = Tensor::fromVector<float>({4}, {1.f, nan, 2.f, nan});
        auto n = run("TopK", {&xn, &k2}, {}, 11, 2);
        QVERIFY2(n.has_value(), errorOf(n).c_str());
        EW_COMPARE((*n)[1], Tensor::fromVector<int64_t>({2}, {1, 3}));
    }

    void cumSumAllModes()
    {
        std::mt19937 rng(261);
        for (int c = 0; c < 30; ++c) {
            const Dims dims = randomDims(rng, 1, 4, 5);
            const int64_t rank = static_cast<int64_t>(dims.size());
            const int64_t axis = std::uniform_int_distribution<int64_t>(-rank, rank - 1)(rng);
            const int64_t a = axis < 0 ? axis + rank : axis;
            const bool exclusive = std::uniform_int_distribution<int>(0, 1)(rng);
            const bool reverse = std::uniform_int_distribution<int>(0, 1)(rng);
            const Tensor x = randomTensor<int64_t>(rng, dims, -9, 9);
            qInfo("case %d: CumSum x=%s axis=%lld exclusive=%d reverse=%d", c,
                  dimsToString(dims).c_str(), static_cast<long long>(axis), exclusive, reverse);
            Tensor want(DataType::Int64, dims);
            for (int64_t i = 0; i < x.numel(); ++i) {
                const auto idx = unravel(i, dims);
                int64_t s = 0;
                for (int64_t j = 0; j < x.numel(); ++j) {
                    const auto jdx = unravel(j, dims);
                    bool same = true;
                    for (std::size_t d = 0; d < dims.size(); ++d)
                        same = same && (d == static_cast<std::size_t>(a) || jdx[d] == idx[d]);
                    const int64_t p = jdx[static_cast<std::size_t>(a)],
                                  q = idx[static_cast<std::size_t>(a)];
                    const bool inRange =
                        reverse ? (exclusive ? p > q : p >= q) : (exclusive ? p < q : p <= q);
                    if (same && inRange)
                        s += x.data<int64_t>()[j];
                }
                want.mutableData<int64_t>()[i] = s;
            }
            const Tensor axT = Tensor::fromVector<int32_t>({}, {static_cast<int32_t>(axis)});
            EW_RUN1(got, "CumSum", {&x, &axT},
                    {intAttr("exclusive", exclusive), intAttr("reverse", reverse)}, 14);
            EW_COMPARE(got, want);
        }
        const Tensor x(DataType::Float, {3});
        const Tensor bad = int64Tensor({0, 0});
        QCOMPARE(errorOf(run("CumSum", {&x, &bad}, {}, 14)),
                 std::string("axis must be an int32 or int64 scalar, not int64 [2]."));
    }
};

QTEST_APPLESS_MAIN(TestReductions)
#include "test_reductions.moc"
