// Tests of core/prune/pruner: exact pruning counts (zeros counted), the zeroed set equal to a
// plain sort by (|w|, index) reference including ties, global thresholds across tensors,
// structured output-channel pruning by L1 and L2, N:M patterns along each op's reduction
// dimension, determinism, dtype handling and error messages.
#include "core/prune/pruner.h"
#include "core/quant/quantizer.h"

#include <QTest>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

using namespace nnc;

namespace {

Tensor randomWeight(std::mt19937 &rng, Dims dims, int distinctMagnitudes = 0)
{
    Tensor t(DataType::Float, std::move(dims));
    std::normal_distribution<float> g(0.0f, 1.0f);
    std::uniform_int_distribution<int> level(1, std::max(1, distinctMagnitudes));
    std::bernoulli_distribution sign(0.5);
    for (float &v : t.mutableSpan<float>()) {
        if (distinctMagnitudes > 0)
            v = (sign(rng) ? 1.0f : -1.0f) * 0.125f * static_cast<float>(level(rng));   // many ties
        else
            do
                v = g(rng);
            while (v == 0.0f);
    }
    return t;
}

int64_t countZeros(const Tensor &t)
{
    int64_t z = 0;
    for (float v : t.span<float>())
        z += v == 0.0f;
    return z;
}

/// Indices of the k weights of smallest (|w|, index), by a full sort.
std::vector<int64_t> referenceSmallest(std::span<const float> w, int64_t k)
{
    std::vector<int64_t> idx(w.size());
    std::iota(idx.begin(), idx.end(), 0);
    std::sort(idx.begin(), idx.end(), [&](int64_t a, int64_t b) {
        const float ma = std::abs(w[static_cast<std::size_t>(a)]), mb = std::abs(w[static_cast<std::size_t>(b)]);
        return ma != mb ? ma < mb : a < b;
    });
    idx.resize(static_cast<std::size_t>(k));
    std::sort(idx.begin(), idx.end());
    return idx;
}

std::vector<int64_t> zeroIndices(const Tensor &t)
{
    std::vector<int64_t> z;
    const auto s = t.span<float>();
    for (std::size_t i = 0; i < s.size(); ++i)
        if (s[i] == 0.0f)
            z.push_back(static_cast<int64_t>(i));
    return z;
}

QString message(const Result<Tensor> &r)
{
    return r ? QString() : QString::fromStdString(r.error().message);
}

} // namespace

class TestPruner : public QObject
{
    Q_OBJECT

private slots:
    void pruneCountIsFloorOfRatio()
    {
        QCOMPARE(pruneCount(0.29, 100), int64_t{29});   // 0.29 * 100 = 28.999999999999996
        QCOMPARE(pruneCount(0.5, 7), int64_t{3});
        QCOMPARE(pruneCount(0.999, 1000), int64_t{999});
        QCOMPARE(pruneCount(0.0, 1000), int64_t{0});
        QCOMPARE(pruneCount(0.3, 3), int64_t{0} + 0);   // 0.9 -> 0
        QCOMPARE(pruneCount(0.7, 10), int64_t{7});
        QCOMPARE(pruneCount(0.1, 1000000000), int64_t{100000000});
        QCOMPARE(pruneCount(0.999999999, 10), int64_t{9});
    }

    // --- Unstructured ------------------------------------------------------------------------

    void unstructuredExactCount_data()
    {
        QTest::addColumn<Dims>("dims");
        QTest::addColumn<double>("ratio");
        QTest::addColumn<int>("distinct");   // 0: continuous values; n: n magnitudes (ties)
        for (double r : {0.0, 0.1, 0.25, 0.29, 0.5, 0.9, 0.999})
            QTest::addRow("[16,8,3,3] ratio %g", r) << Dims{16, 8, 3, 3} << r << 0;
        QTest::addRow("[1000] ratio 0.37 ties") << Dims{1000} << 0.37 << 5;
        QTest::addRow("[64,64] ratio 0.5 ties") << Dims{64, 64} << 0.5 << 3;
        QTest::addRow("[7] ratio 0.5") << Dims{7} << 0.5 << 0;
        QTest::addRow("[300000] ratio 0.8 ties") << Dims{300000} << 0.8 << 200;
    }

    void unstructuredExactCount()
    {
        QFETCH(Dims, dims);
        QFETCH(double, ratio);
        QFETCH(int, distinct);
        std::mt19937 rng(static_cast<unsigned>(numElements(dims) + distinct));
        const Tensor w = randomWeight(rng, dims, distinct);
        auto p = pruneWeight(w, {ratio, PruneStructure::Unstructured}, 0, 1);
        QVERIFY2(p, qPrintable(message(p)));
        QCOMPARE(p->dims(), dims);
        const int64_t k = static_cast<int64_t>(std::floor(ratio * double(w.numel()) + 1e-9));
        QCOMPARE(countZeros(*p), k);
        QVERIFY(zeroIndices(*p) == referenceSmallest(w.span<float>(), k));
        // Kept weights are unchanged; the input is untouched.
        for (int64_t i = 0; i < w.numel(); ++i)
            QVERIFY(p->data<float>()[i] == 0.0f || p->data<float>()[i] == w.data<float>()[i]);
        QCOMPARE(countZeros(w), int64_t{0});
        // Deterministic.
        auto again = pruneWeight(w, {ratio, PruneStructure::Unstructured}, 0, 1);
        QVERIFY(std::equal(again->span<float>().begin(), again->span<float>().end(), p->span<float>().begin()));
    }

    void zerosStayZeroAfterQuantization()
    {
        std::mt19937 rng(3);
        const Tensor w = randomWeight(rng, {32, 16});
        auto p = pruneWeight(w, {0.6, PruneStructure::Unstructured}, 0, 1);
        QVERIFY(p);
        const auto params = perChannelParams(*p, {4, IntRange::Unsigned, false}, 0);
        QVERIFY(params);
        auto q = fakeQuantizeTensor(*p, *params, 0);
        QVERIFY(q);
        for (int64_t i = 0; i < p->numel(); ++i)
            if (p->data<float>()[i] == 0.0f)
                QCOMPARE(q->data<float>()[i], 0.0f);
    }

    // --- Global threshold --------------------------------------------------------------------

    void globalThresholdAcrossTensors_data()
    {
        QTest::addColumn<double>("ratio");
        QTest::addColumn<int>("distinct");
        QTest::addRow("0.3 continuous") << 0.3 << 0;
        QTest::addRow("0.55 ties") << 0.55 << 4;
        QTest::addRow("0.0") << 0.0 << 0;
        QTest::addRow("0.9 ties") << 0.9 << 9;
    }

    void globalThresholdAcrossTensors()
    {
        QFETCH(double, ratio);
        QFETCH(int, distinct);
        std::mt19937 rng(17);
        const Tensor a = randomWeight(rng, {20, 10}, distinct);
        Tensor b = randomWeight(rng, {333}, distinct);
        for (float &v : b.mutableSpan<float>())
            v *= 0.5f;   // a layer of smaller weights loses more of them
        const Tensor c = randomWeight(rng, {4, 4, 3, 3}, distinct);
        const Tensor *ws[] = {&a, &b, &c};
        const GlobalPrunePlan plan = globalMagnitudePlan(ws, ratio);
        const int64_t n = a.numel() + b.numel() + c.numel();
        QCOMPARE(plan.total, n);
        QCOMPARE(plan.pruned, static_cast<int64_t>(std::floor(ratio * double(n) + 1e-9)));
        QCOMPARE(globalMagnitudeThreshold(ws, ratio), plan.threshold);

        // Reference: sort all weights by (|w|, tensor, index).
        std::vector<float> all;
        for (const Tensor *t : ws)
            all.insert(all.end(), t->span<float>().begin(), t->span<float>().end());
        const std::vector<int64_t> want = referenceSmallest(all, plan.pruned);
        if (plan.pruned > 0) {
            std::vector<float> mags;
            for (int64_t i : want)
                mags.push_back(std::abs(all[static_cast<std::size_t>(i)]));
            QCOMPARE(plan.threshold, *std::max_element(mags.begin(), mags.end()));
        }
        std::vector<int64_t> got;
        int64_t offset = 0, zeros = 0;
        for (std::size_t i = 0; i < 3; ++i) {
            const Tensor p = pruneBelow(*ws[i], plan.threshold, plan.extraAtThreshold[i]);
            zeros += countZeros(p);
            for (int64_t z : zeroIndices(p))
                got.push_back(offset + z);
            offset += ws[i]->numel();
        }
        QCOMPARE(zeros, plan.pruned);
        QVERIFY(got == want);
        qInfo("ratio %g: threshold %g, zeros per tensor: %lld of %lld", ratio, double(plan.threshold),
              (long long)zeros, (long long)n);
    }

    void radixSelectOnLargeTensor()
    {
        // Global selection over a million weights equals nth_element on the magnitudes.
        std::mt19937 rng(23);
        const Tensor w = randomWeight(rng, {1000, 1000});
        const Tensor *ws[] = {&w};
        for (double r : {0.01, 0.5, 0.987}) {
            std::vector<float> m(w.span<float>().begin(), w.span<float>().end());
            for (float &v : m)
                v = std::abs(v);
            const auto k = static_cast<std::size_t>(std::floor(r * 1e6));
            std::nth_element(m.begin(), m.begin() + static_cast<std::ptrdiff_t>(k - 1), m.end());
            QCOMPARE(globalMagnitudeThreshold(ws, r), m[k - 1]);
        }
    }

    // --- Structured (output channels) --------------------------------------------------------

    void channelPruningL1VersusL2()
    {
        // Conv weight [4, 1, 2, 2]: channel norms chosen so that L1 and L2 rank differently.
        //   ch0: [1, 1, 1, 1]   L1 4,  L2 2
        //   ch1: [3, 0, 0, 0]   L1 3,  L2 3
        //   ch2: [2, 2, 2, 2]   L1 8,  L2 4
        //   ch3: [0.5 x4]       L1 2,  L2 1
        const Tensor w = Tensor::fromVector<float>({4, 1, 2, 2}, {1, 1, 1, 1, 3, 0, 0, 0, 2, -2, 2, -2,
                                                                   0.5f, -0.5f, 0.5f, 0.5f});
        auto l1 = pruneWeight(w, {0.5, PruneStructure::Channel, false}, 0, 1);
        QVERIFY(l1);
        auto l2 = pruneWeight(w, {0.5, PruneStructure::Channel, true}, 0, 1);
        QVERIFY(l2);
        auto channelZero = [](const Tensor &t, int c) {
            for (int i = 0; i < 4; ++i)
                if (t.data<float>()[c * 4 + i] != 0.0f)
                    return false;
            return true;
        };
        // L1: drop ch3 (2) and ch1 (3). L2: drop ch3 (1) and ch0 (2).
        QVERIFY(channelZero(*l1, 3) && channelZero(*l1, 1) && !channelZero(*l1, 0) && !channelZero(*l1, 2));
        QVERIFY(channelZero(*l2, 3) && channelZero(*l2, 0) && !channelZero(*l2, 1) && !channelZero(*l2, 2));
        // floor(0.3 * 4) = 1 channel.
        auto one = pruneWeight(w, {0.3, PruneStructure::Channel, false}, 0, 1);
        QCOMPARE(countZeros(*one), int64_t{3 + 4});   // ch1's own zeros plus ch3
    }

    void channelPruningOnOtherAxes_data()
    {
        QTest::addColumn<Dims>("dims");
        QTest::addColumn<int>("axis");
        QTest::addColumn<double>("ratio");
        QTest::addRow("ConvTranspose [6,10,3,3] axis 1") << Dims{6, 10, 3, 3} << 1 << 0.3;
        QTest::addRow("MatMul [32,20] axis 1") << Dims{32, 20} << 1 << 0.5;
        QTest::addRow("Gemm transB [20,32] axis 0") << Dims{20, 32} << 0 << 0.25;
        QTest::addRow("LSTM [2,16,8] axis 1") << Dims{2, 16, 8} << 1 << 0.5;
        QTest::addRow("axis -1") << Dims{8, 12} << -1 << 0.5;
    }

    void channelPruningOnOtherAxes()
    {
        QFETCH(Dims, dims);
        QFETCH(int, axis);
        QFETCH(double, ratio);
        std::mt19937 rng(static_cast<unsigned>(numElements(dims)));
        const Tensor w = randomWeight(rng, dims);
        const int ax = axis < 0 ? axis + static_cast<int>(dims.size()) : axis;
        const int64_t channels = dims[static_cast<std::size_t>(ax)];
        for (bool l2 : {false, true}) {
            auto p = pruneWeight(w, {ratio, PruneStructure::Channel, l2}, axis, 0);
            QVERIFY2(p, qPrintable(message(p)));
            // Reference norms by multi-index.
            std::vector<double> norm(static_cast<std::size_t>(channels), 0.0);
            auto channelOf = [&](int64_t i) {
                for (int64_t d = static_cast<int64_t>(dims.size()) - 1; d > ax; --d)
                    i /= dims[static_cast<std::size_t>(d)];
                return i % channels;
            };
            for (int64_t i = 0; i < w.numel(); ++i) {
                const double v = w.data<float>()[i];
                norm[static_cast<std::size_t>(channelOf(i))] += l2 ? v * v : std::abs(v);
            }
            std::vector<int64_t> order(static_cast<std::size_t>(channels));
            std::iota(order.begin(), order.end(), 0);
            std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) {
                return norm[static_cast<std::size_t>(a)] < norm[static_cast<std::size_t>(b)];
            });
            const int64_t k = static_cast<int64_t>(std::floor(ratio * double(channels) + 1e-9));
            std::vector<bool> dropped(static_cast<std::size_t>(channels), false);
            for (int64_t i = 0; i < k; ++i)
                dropped[static_cast<std::size_t>(order[static_cast<std::size_t>(i)])] = true;
            for (int64_t i = 0; i < w.numel(); ++i) {
                const bool zero = p->data<float>()[i] == 0.0f;
                QCOMPARE(zero, bool(dropped[static_cast<std::size_t>(channelOf(i))]));
            }
            QCOMPARE(countZeros(*p), k * (w.numel() / channels));
        }
    }

    void channelTiesBrokenByIndex()
    {
        // Four channels with equal norms: ratio 0.5 drops channels 0 and 1.
        const Tensor w = Tensor::fromVector<float>({4, 2}, {1, -1, -1, 1, 1, 1, -1, -1});
        auto p = pruneWeight(w, {0.5, PruneStructure::Channel}, 0, 1);
        QVERIFY(p);
        const std::vector<float> want{0, 0, 0, 0, 1, 1, -1, -1};
        QVERIFY(std::equal(want.begin(), want.end(), p->span<float>().begin()));
    }

    // --- N:M ------------------------------------------------------------------------------------

    void nmPattern_data()
    {
        QTest::addColumn<Dims>("dims");
        QTest::addColumn<int>("outAxis");
        QTest::addColumn<int>("redAxis");
        QTest::addColumn<int>("n");
        QTest::addColumn<int>("m");
        QTest::addRow("Conv [8,4,3,3] 2:4 (flattened 36)") << Dims{8, 4, 3, 3} << 0 << 1 << 2 << 4;
        QTest::addRow("Conv [4,3,3,3] 2:4 (27, short tail)") << Dims{4, 3, 3, 3} << 0 << 1 << 2 << 4;
        QTest::addRow("MatMul [16,5] 2:4 along K") << Dims{16, 5} << 1 << 0 << 2 << 4;
        QTest::addRow("MatMul [2,12,6] 1:4 along K") << Dims{2, 12, 6} << 2 << 1 << 1 << 4;
        QTest::addRow("Gemm transB [6,16] 4:8") << Dims{6, 16} << 0 << 1 << 4 << 8;
        QTest::addRow("Gemm [10,3] 2:4 (tail of 2)") << Dims{10, 3} << 1 << 0 << 2 << 4;
        QTest::addRow("LSTM [1,8,12] 2:4 along I") << Dims{1, 8, 12} << 1 << 2 << 2 << 4;
        QTest::addRow("ConvTranspose [8,2,2,2] 2:4 along Cin") << Dims{8, 2, 2, 2} << 1 << 0 << 2 << 4;
        QTest::addRow("3:3 keeps all") << Dims{6, 9} << 0 << 1 << 3 << 3;
    }

    void nmPattern()
    {
        QFETCH(Dims, dims);
        QFETCH(int, outAxis);
        QFETCH(int, redAxis);
        QFETCH(int, n);
        QFETCH(int, m);
        std::mt19937 rng(static_cast<unsigned>(numElements(dims) * 3 + n));
        const Tensor w = randomWeight(rng, dims);
        PruneSpec spec;
        spec.structure = PruneStructure::NM;
        spec.n = n;
        spec.m = m;
        auto p = pruneWeight(w, spec, outAxis, redAxis);
        QVERIFY2(p, qPrintable(message(p)));
        // Reference lines along the reduction dimension, built from strides.
        const auto rank = static_cast<int64_t>(dims.size());
        std::vector<int64_t> stride(dims.size(), 1);
        for (int64_t d = rank - 2; d >= 0; --d)
            stride[static_cast<std::size_t>(d)] = stride[static_cast<std::size_t>(d + 1)] * dims[static_cast<std::size_t>(d + 1)];
        const bool flatten = redAxis > outAxis;
        // Flattened: the product of the dims from redAxis on (the stride of the axis before it).
        const int64_t len = !flatten      ? dims[static_cast<std::size_t>(redAxis)]
                            : redAxis == 0 ? w.numel()
                                           : stride[static_cast<std::size_t>(redAxis - 1)];
        const int64_t step = flatten ? 1 : stride[static_cast<std::size_t>(redAxis)];
        int64_t lines = 0, total = 0, expectZeros = 0;
        for (int64_t start = 0; start < w.numel(); ++start) {
            // A line starts at every index whose coordinate along the reduction is 0.
            const int64_t coord = flatten ? start % len : (start / step) % len;
            if (coord != 0)
                continue;
            ++lines;
            for (int64_t g = 0; g < len; g += m) {
                const int64_t size = std::min<int64_t>(m, len - g);
                std::vector<std::pair<float, int64_t>> grp;
                for (int64_t t = 0; t < size; ++t) {
                    const int64_t i = start + (g + t) * step;
                    grp.emplace_back(std::abs(w.data<float>()[i]), i);
                }
                std::sort(grp.begin(), grp.end());
                const int64_t drop = std::max<int64_t>(0, size - n);
                expectZeros += drop;
                for (int64_t t = 0; t < size; ++t) {
                    const int64_t i = grp[static_cast<std::size_t>(t)].second;
                    const bool zero = p->data<float>()[i] == 0.0f;
                    QVERIFY2(zero == (t < drop),
                             qPrintable(QStringLiteral("line start %1 group %2 element %3").arg(start).arg(g).arg(i)));
                }
                total += size;
            }
        }
        QCOMPARE(total, w.numel());   // the lines cover the tensor once
        QCOMPARE(countZeros(*p), expectZeros);
        qInfo("%lld lines of %lld, %lld zeros", (long long)lines, (long long)len, (long long)expectZeros);
    }

    void nmTiesBrokenByIndex()
    {
        const Tensor w = Tensor::fromVector<float>({1, 8}, {1, -1, 1, 1, 2, 0.5f, 0.5f, -2});
        PruneSpec spec;
        spec.structure = PruneStructure::NM;
        auto p = pruneWeight(w, spec, 0, 1);
        QVERIFY(p);
        const std::vector<float> want{0, 0, 1, 1, 2, 0, 0, -2};
        QVERIFY(std::equal(want.begin(), want.end(), p->span<float>().begin()));
    }

    // --- Types and errors -----------------------------------------------------------------------

    void otherFloatTypes()
    {
        const Tensor f = Tensor::fromVector<float>({6}, {0.5f, -3, 1, -0.25f, 2, 4});
        for (DataType dt : {DataType::Double, DataType::Float16, DataType::BFloat16}) {
            auto p = pruneWeight(f.castTo(dt), {0.5, PruneStructure::Unstructured}, 0, 0);
            QVERIFY(p);
            QCOMPARE(p->dtype(), dt);
            const std::vector<float> got = p->toFloatVector();
            const std::vector<float> want{0, -3, 0, 0, 2, 4};
            QVERIFY(got == want);
            const Tensor b = pruneBelow(f.castTo(dt), 1.0f, 0);
            QCOMPARE(b.dtype(), dt);
            QVERIFY(b.toFloatVector() == (std::vector<float>{0, -3, 1, 0, 2, 4}));
        }
    }

    void errors()
    {
        const Tensor w(DataType::Float, {4, 3});
        auto r1 = pruneWeight(w, {1.0, PruneStructure::Unstructured}, 0, 1);
        QCOMPARE(message(r1), QStringLiteral("the pruning ratio 1.000000 is outside [0, 1)."));
        auto r2 = pruneWeight(w, {-0.1, PruneStructure::Channel}, 0, 1);
        QCOMPARE(message(r2), QStringLiteral("the pruning ratio -0.100000 is outside [0, 1)."));
        auto r3 = pruneWeight(Tensor(DataType::Int8, {4}), {0.5}, 0, 0);
        QCOMPARE(message(r3), QStringLiteral("pruning needs a floating-point weight; this one is int8."));
        auto r4 = pruneWeight(w, {0.5, PruneStructure::Channel}, 2, 1);
        QCOMPARE(message(r4), QStringLiteral("the output-channel axis 2 is out of range for a weight of shape [4, 3]."));
        PruneSpec nm;
        nm.structure = PruneStructure::NM;
        nm.n = 3;
        nm.m = 2;
        QCOMPARE(message(pruneWeight(w, nm, 0, 1)), QStringLiteral("N:M pruning needs 1 <= N <= M; got 3:2."));
        nm.n = 2;
        nm.m = 4;
        QCOMPARE(message(pruneWeight(w, nm, 0, 5)),
                 QStringLiteral("the reduction axis 5 is out of range for a weight of shape [4, 3]."));
        QCOMPARE(message(pruneWeight(w, nm, 1, 1)),
                 QStringLiteral("the reduction axis and the output-channel axis of a weight of shape [4, 3] are both 1."));
        // Axes do not matter for unstructured pruning.
        QVERIFY(pruneWeight(w, {0.5}, 9, 9));
    }
};

QTEST_APPLESS_MAIN(TestPruner)
#include "test_pruner.moc"
