// Index-driven ops: Gather (any axis, negative indices), GatherElements, GatherND (batch_dims),
// ScatterElements / Scatter (reductions by opset), ScatterND; hand-checked cases, error messages,
// and a differential test of Gather against a plain reference on random shapes.
#include "shape_test_util.h"

using namespace nnc;
using namespace nnc::shapetest;

class TestShapeGather : public QObject
{
    Q_OBJECT

private slots:
    void gatherAxesAndNegativeIndices()
    {
        const Tensor x = iota({3, 2});
        const Tensor idx = i64({2, 2}, {0, 1, -1, 0});
        SHAPE_RUN(a, "Gather", {}, {&x, &idx}, 13);
        QCOMPARE(a.dims(), (Dims{2, 2, 2}));
        QCOMPARE(floats(a), (std::vector<float>{0, 1, 2, 3, 4, 5, 0, 1}));
        const Tensor col = i32({}, {-1});
        SHAPE_RUN(b, "Gather", {intAttr("axis", 1)}, {&x, &col}, 13);
        QCOMPARE(b.dims(), (Dims{3}));
        QCOMPARE(floats(b), (std::vector<float>{1, 3, 5}));
        const Tensor bad = i64({1}, {3});
        QCOMPARE(QString::fromStdString(errorOf(run("Gather", {}, {&x, &bad}, 13))),
                 QString("Gather index 3 is out of range for axis 0 of shape [3, 2] (size 3)."));
        const Tensor scalar = f32({}, {1});
        const Tensor zero = i64({}, {0});
        QCOMPARE(QString::fromStdString(errorOf(run("Gather", {}, {&scalar, &zero}, 13))),
                 QString("Gather axis 0 is out of range for rank 0."));
        const Tensor fidx = f32({1}, {0});
        QCOMPARE(QString::fromStdString(errorOf(run("Gather", {}, {&x, &fidx}, 13))),
                 QString("Gather expects int32 or int64 indices, got float."));
        // Strings move too.
        Tensor s(DataType::String, {3});
        s.mutableStrings() = {"x", "y", "z"};
        const Tensor si = i64({2}, {2, 0});
        SHAPE_RUN(c, "Gather", {}, {&s, &si}, 13);
        QCOMPARE(c.strings()[0], std::string("z"));
        QCOMPARE(c.strings()[1], std::string("x"));
    }

    void gatherMatchesReferenceOnRandomShapes()
    {
        std::mt19937 rng(11);
        for (int c = 0; c < 40; ++c) {
            const int rank = 1 + static_cast<int>(rng() % 4);
            Dims dims;
            for (int i = 0; i < rank; ++i)
                dims.push_back(1 + static_cast<int64_t>(rng() % 5));
            const int64_t axis = static_cast<int64_t>(rng() % static_cast<unsigned>(rank));
            const int64_t n = dims[static_cast<std::size_t>(axis)];
            Dims idims = {1 + static_cast<int64_t>(rng() % 3), 1 + static_cast<int64_t>(rng() % 3)};
            std::vector<int64_t> iv;
            for (int64_t i = 0; i < numElements(idims); ++i)
                iv.push_back(static_cast<int64_t>(rng() % static_cast<unsigned>(2 * n)) - n);
            qDebug("case %d: shape %s axis %lld indices %s", c, dimsToString(dims).c_str(),
                   static_cast<long long>(axis), dimsToString(iv).c_str());
            const Tensor x = randomFloats(dims, rng);
            const Tensor idx = i64(idims, iv);
            SHAPE_RUN(y, "Gather", {intAttr("axis", axis - (c % 2 ? rank : 0))}, {&x, &idx}, 13);
            const int64_t outer = numElements(std::span<const int64_t>(dims.data(), static_cast<std::size_t>(axis)));
            const int64_t inner = numElements(std::span<const int64_t>(dims.begin() + axis + 1, dims.end()));
            const auto in = floats(x);
            std::vector<float> want;
            for (int64_t o = 0; o < outer; ++o)
                for (int64_t j : iv)
                    for (int64_t k = 0; k < inner; ++k)
                        want.push_back(in[static_cast<std::size_t>((o * n + (j < 0 ? j + n : j)) * inner + k)]);
            QCOMPARE(floats(y), want);
        }
    }

    void gatherElements()
    {
        const Tensor x = f32({2, 2}, {1, 2, 3, 4});
        const Tensor idx = i64({2, 2}, {0, 0, 1, 0});
        SHAPE_RUN(a, "GatherElements", {intAttr("axis", 1)}, {&x, &idx}, 13);
        QCOMPARE(floats(a), (std::vector<float>{1, 1, 4, 3}));
        const Tensor neg = i64({1, 2}, {-1, 0});
        SHAPE_RUN(b, "GatherElements", {}, {&x, &neg}, 13);
        QCOMPARE(floats(b), (std::vector<float>{3, 2}));
        const Tensor big = i64({3, 2}, {0, 0, 0, 0, 0, 0});
        QCOMPARE(QString::fromStdString(errorOf(run("GatherElements", {intAttr("axis", 1)}, {&x, &big}, 13))),
                 QString("GatherElements indices shape [3, 2] does not fit data shape [2, 2] (same "
                         "rank, no larger off the axis)."));
        const Tensor out = i64({1, 1}, {2});
        QVERIFY(errorOf(run("GatherElements", {}, {&x, &out}, 13)).find("out of range")
                != std::string::npos);
    }

    void gatherND()
    {
        const Tensor x = iota({2, 2, 2});
        const Tensor idx = i64({2, 2}, {0, 1, 1, 0});
        SHAPE_RUN(a, "GatherND", {}, {&x, &idx}, 13);
        QCOMPARE(a.dims(), (Dims{2, 2}));
        QCOMPARE(floats(a), (std::vector<float>{2, 3, 4, 5}));
        const Tensor full = i64({1, 3}, {1, 1, -1});
        SHAPE_RUN(b, "GatherND", {}, {&x, &full}, 13);
        QCOMPARE(b.dims(), (Dims{1}));
        QCOMPARE(floats(b), (std::vector<float>{7}));
        // batch_dims = 1: each batch indexes its own [2, 2] slab.
        const Tensor bi = i64({2, 1}, {1, 0});
        SHAPE_RUN(c, "GatherND", {intAttr("batch_dims", 1)}, {&x, &bi}, 12);
        QCOMPARE(c.dims(), (Dims{2, 2}));
        QCOMPARE(floats(c), (std::vector<float>{2, 3, 4, 5}));
        const Tensor tooLong = i64({1, 4}, {0, 0, 0, 0});
        QCOMPARE(QString::fromStdString(errorOf(run("GatherND", {}, {&x, &tooLong}, 13))),
                 QString("GatherND indices shape [1, 4] does not fit data shape [2, 2, 2] with "
                         "batch_dims 0."));
    }

    void scatterElementsReductionsByOpset()
    {
        const Tensor x = f32({1, 5}, {1, 2, 3, 4, 5});
        const Tensor idx = i64({1, 2}, {1, 1});
        const Tensor upd = f32({1, 2}, {1.5f, 2.5f});
        SHAPE_RUN(a, "ScatterElements", {intAttr("axis", 1)}, {&x, &idx, &upd}, 13);
        QCOMPARE(floats(a), (std::vector<float>{1, 2.5f, 3, 4, 5})); // last write wins
        SHAPE_RUN(b, "ScatterElements", {intAttr("axis", 1), stringAttr("reduction", "add")},
                  {&x, &idx, &upd}, 16);
        QCOMPARE(floats(b), (std::vector<float>{1, 6, 3, 4, 5}));
        SHAPE_RUN(m, "ScatterElements", {intAttr("axis", 1), stringAttr("reduction", "mul")},
                  {&x, &idx, &upd}, 16);
        QCOMPARE(floats(m), (std::vector<float>{1, 7.5f, 3, 4, 5}));
        SHAPE_RUN(mx, "ScatterElements", {intAttr("axis", -1), stringAttr("reduction", "max")},
                  {&x, &idx, &upd}, 18);
        QCOMPARE(floats(mx), (std::vector<float>{1, 2.5f, 3, 4, 5}));
        SHAPE_RUN(mn, "ScatterElements", {intAttr("axis", -1), stringAttr("reduction", "min")},
                  {&x, &idx, &upd}, 18);
        QCOMPARE(floats(mn), (std::vector<float>{1, 1.5f, 3, 4, 5}));
        // max does not exist before opset 18; the reduction attribute is ignored before 16.
        QVERIFY(!run("ScatterElements", {stringAttr("reduction", "max")}, {&x, &idx, &upd}, 16));
        SHAPE_RUN(old, "ScatterElements", {intAttr("axis", 1), stringAttr("reduction", "add")},
                  {&x, &idx, &upd}, 13);
        QCOMPARE(floats(old)[1], 2.5f);
        // Integer reductions and the deprecated Scatter alias.
        const Tensor xi = i32({1, 3}, {1, 2, 3}), ui = i32({1, 2}, {10, 20});
        const Tensor ii = i64({1, 2}, {-1, 0});
        SHAPE_RUN(c, "ScatterElements", {intAttr("axis", 1), stringAttr("reduction", "add")},
                  {&xi, &ii, &ui}, 16);
        QCOMPARE(ints(c), (std::vector<int64_t>{21, 2, 13}));
        SHAPE_RUN(d, "Scatter", {intAttr("axis", 1)}, {&xi, &ii, &ui}, 9);
        QCOMPARE(ints(d), (std::vector<int64_t>{20, 2, 10}));
        // The input stays untouched.
        QCOMPARE(ints(xi), (std::vector<int64_t>{1, 2, 3}));
        const Tensor bad = i64({1, 2}, {0, 5});
        QCOMPARE(QString::fromStdString(errorOf(run("ScatterElements", {intAttr("axis", 1)}, {&xi, &bad, &ui}, 13))),
                 QString("ScatterElements index 5 is out of range for axis 1 of shape [1, 3] (size "
                         "3)."));
        const Tensor wrongUpd = f32({1, 2}, {1, 2});
        QVERIFY(errorOf(run("ScatterElements", {intAttr("axis", 1)}, {&xi, &ii, &wrongUpd}, 13))
                    .find("dtype") != std::string::npos);
    }

    void scatterND()
    {
        const Tensor x = iota({4});
        const Tensor idx = i64({2, 1}, {1, -1});
        const Tensor upd = f32({2}, {10, 20});
        SHAPE_RUN(a, "ScatterND", {}, {&x, &idx, &upd}, 13);
        QCOMPARE(floats(a), (std::vector<float>{0, 10, 2, 20}));
        SHAPE_RUN(m, "ScatterND", {stringAttr("reduction", "mul")}, {&x, &idx, &upd}, 16);
        QCOMPARE(floats(m), (std::vector<float>{0, 10, 2, 60}));
        // Slices: indices address rows of a matrix.
        const Tensor y = iota({2, 3});
        const Tensor ri = i64({1, 1}, {1});
        const Tensor ru = f32({1, 3}, {7, 8, 9});
        SHAPE_RUN(b, "ScatterND", {}, {&y, &ri, &ru}, 13);
        QCOMPARE(floats(b), (std::vector<float>{0, 1, 2, 7, 8, 9}));
        const Tensor badUpd = f32({3}, {1, 2, 3});
        QCOMPARE(QString::fromStdString(errorOf(run("ScatterND", {}, {&y, &ri, &badUpd}, 13))),
                 QString("ScatterND updates shape [3] should be [1, 3] for data shape [2, 3] and "
                         "indices shape [1, 1]."));
    }
    void compressAndReverseSequence()
    {
        const Tensor x = iota({3, 2});
        Tensor cond(DataType::Bool, {2});
        cond.mutableData<uint8_t>()[0] = 0;
        cond.mutableData<uint8_t>()[1] = 1;
        SHAPE_RUN(a, "Compress", {intAttr("axis", 0)}, {&x, &cond}, 11);
        QCOMPARE(a.dims(), (Dims{1, 2}));
        QCOMPARE(floats(a), (std::vector<float>{2, 3}));
        // No axis: the flattened input; the condition may be shorter than it.
        SHAPE_RUN(b, "Compress", {}, {&x, &cond}, 11);
        QCOMPARE(floats(b), (std::vector<float>{1}));
        Tensor longCond(DataType::Bool, {4});
        QCOMPARE(QString::fromStdString(errorOf(run("Compress", {intAttr("axis", 1)}, {&x, &longCond}, 11))),
                 QString("Compress condition has 4 entries but axis 1 of shape [3, 2] has 2."));
        // ReverseSequence, time-major [time 3, batch 2]: batch 0 reverses 3 steps, batch 1 two.
        const Tensor lens = i64({2}, {3, 2});
        SHAPE_RUN(r, "ReverseSequence", {}, {&x, &lens}, 10);
        QCOMPARE(floats(r), (std::vector<float>{4, 3, 2, 1, 0, 5}));
        // Batch-major [batch 3, time 2].
        const Tensor lens3 = i64({3}, {1, 2, 0});
        SHAPE_RUN(q, "ReverseSequence", {intAttr("batch_axis", 0), intAttr("time_axis", 1)},
                  {&x, &lens3}, 10);
        QCOMPARE(floats(q), (std::vector<float>{0, 1, 3, 2, 4, 5}));
        const Tensor bad = i64({2}, {4, 1});
        QCOMPARE(QString::fromStdString(errorOf(run("ReverseSequence", {}, {&x, &bad}, 10))),
                 QString("ReverseSequence length 4 is outside [0, 3]."));
    }
    void gatherNDAndScatterNDMatchReferenceOnRandomShapes()
    {
        std::mt19937 rng(31);
        for (int c = 0; c < 40; ++c) {
            const int r = 1 + static_cast<int>(rng() % 4);
            Dims dims;
            for (int i = 0; i < r; ++i)
                dims.push_back(1 + static_cast<int64_t>(rng() % 4));
            const int64_t b = c % 2 && r > 1 ? static_cast<int64_t>(rng() % static_cast<unsigned>(r - 1)) : 0;
            const int64_t k = 1 + static_cast<int64_t>(rng() % static_cast<unsigned>(r - b));
            // indices shape: batch dims, then 1-2 tuple dims, then k.
            Dims idims(dims.begin(), dims.begin() + b);
            idims.push_back(1 + static_cast<int64_t>(rng() % 3));
            idims.push_back(k);
            std::vector<int64_t> iv;
            const int64_t tuples = numElements(idims) / k;
            for (int64_t t = 0; t < tuples; ++t)
                for (int64_t j = 0; j < k; ++j) {
                    const int64_t n = dims[static_cast<std::size_t>(b + j)];
                    iv.push_back(static_cast<int64_t>(rng() % static_cast<unsigned>(2 * n)) - n);
                }
            qDebug("case %d: data %s indices %s batch_dims %lld values %s", c,
                   dimsToString(dims).c_str(), dimsToString(idims).c_str(),
                   static_cast<long long>(b), dimsToString(iv).c_str());
            const Tensor x = randomFloats(dims, rng);
            const Tensor idx = i64(idims, iv);
            SHAPE_RUN(g, "GatherND", {intAttr("batch_dims", b)}, {&x, &idx}, 13);
            // Reference: walk tuples; the batch index comes from the tuple's leading position.
            const auto in = floats(x);
            std::vector<int64_t> strides(dims.size(), 1);
            for (std::size_t d = dims.size(); d-- > 1;)
                strides[d - 1] = strides[d] * dims[d];
            int64_t slice = 1;
            for (std::size_t d = static_cast<std::size_t>(b + k); d < dims.size(); ++d)
                slice *= dims[d];
            const int64_t perBatch = tuples / numElements(std::span<const int64_t>(dims.data(), static_cast<std::size_t>(b)));
            std::vector<int64_t> offsets;
            std::vector<float> want;
            for (int64_t t = 0; t < tuples; ++t) {
                int64_t off = 0, batch = t / perBatch;
                for (int64_t d = b - 1; d >= 0; --d) {
                    off += (batch % dims[static_cast<std::size_t>(d)]) * strides[static_cast<std::size_t>(d)];
                    batch /= dims[static_cast<std::size_t>(d)];
                }
                for (int64_t j = 0; j < k; ++j) {
                    int64_t v = iv[static_cast<std::size_t>(t * k + j)];
                    if (v < 0)
                        v += dims[static_cast<std::size_t>(b + j)];
                    off += v * strides[static_cast<std::size_t>(b + j)];
                }
                offsets.push_back(off);
                for (int64_t e = 0; e < slice; ++e)
                    want.push_back(in[static_cast<std::size_t>(off + e)]);
            }
            QCOMPARE(floats(g), want);
            if (b != 0)
                continue;
            // ScatterND (add) with the same indices: duplicates accumulate.
            const Tensor upd = randomFloats(g.dims(), rng);
            SHAPE_RUN(sc, "ScatterND", {stringAttr("reduction", "add")}, {&x, &idx, &upd}, 16);
            std::vector<float> expect = in;
            const auto u = floats(upd);
            for (std::size_t t = 0; t < offsets.size(); ++t)
                for (int64_t e = 0; e < slice; ++e)
                    expect[static_cast<std::size_t>(offsets[t] + e)] += u[t * static_cast<std::size_t>(slice) + static_cast<std::size_t>(e)];
            std::string why;
            QVERIFY2(closeTo(floats(sc), expect, 1e-6f, &why), why.c_str());
        }
    }
};

QTEST_APPLESS_MAIN(TestShapeGather)
#include "test_shape_gather.moc"
