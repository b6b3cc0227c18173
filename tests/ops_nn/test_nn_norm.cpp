// BatchNormalization, LayerNormalization, InstanceNormalization, GroupNormalization and LRN
// against plain reference formulas on random shapes (fixed seed), plus error messages.
#include "tests/ops_nn/nn_test_util.h"

#include <QtTest/QtTest>

using namespace nnc;
using namespace nnc::test;

namespace {

Tensor positive(std::mt19937 &rng, Dims dims)
{
    return randomTensor(rng, std::move(dims), 0.1f, 2.0f);
}

/// Normalizes x over consecutive groups of `size` elements, then y = norm * scale(i) + bias(i).
template<class ScaleAt>
Tensor referenceGroupNorm(const Tensor &x, int64_t size, double eps, ScaleAt &&affine)
{
    Tensor y(DataType::Float, x.dims());
    const float *px = x.data<float>();
    float *py = y.mutableData<float>();
    for (int64_t g = 0; g * size < x.numel(); ++g) {
        double mean = 0, var = 0;
        for (int64_t i = 0; i < size; ++i)
            mean += px[g * size + i];
        mean /= double(size);
        for (int64_t i = 0; i < size; ++i)
            var += (px[g * size + i] - mean) * (px[g * size + i] - mean);
        var /= double(size);
        for (int64_t i = 0; i < size; ++i) {
            const int64_t flat = g * size + i;
            const auto [s, b] = affine(flat);
            py[flat] = static_cast<float>((px[flat] - mean) / std::sqrt(var + eps) * s + b);
        }
    }
    return y;
}

} // namespace

class TestNnNorm : public QObject
{
    Q_OBJECT

private slots:
    void batchNormInferenceMatchesFormula()
    {
        std::mt19937 rng(41);
        for (int c = 0; c < 20; ++c) {
            const int64_t n = rng() % 3 + 1, ch = rng() % 5 + 1, h = rng() % 6 + 1;
            const Tensor x = randomTensor(rng, {n, ch, h, 3});
            const Tensor s = randomTensor(rng, {ch}), b = randomTensor(rng, {ch});
            const Tensor mean = randomTensor(rng, {ch}), var = positive(rng, {ch});
            const float eps = 1e-3f;
            qInfo() << "case" << c << "X" << n << ch << h << 3;
            auto y = runNode(makeNode("BatchNormalization", {floatAttr("epsilon", eps)}, 5),
                             {&x, &s, &b, &mean, &var}, 15);
            QVERIFY2(y.has_value(), qPrintable(errorText(y)));
            Tensor want(DataType::Float, x.dims());
            const int64_t spatial = h * 3;
            for (int64_t i = 0; i < x.numel(); ++i) {
                const int64_t k = (i / spatial) % ch;
                want.mutableData<float>()[i] = static_cast<float>(
                    (x.data<float>()[i] - mean.data<float>()[k])
                        / std::sqrt(double(var.data<float>()[k]) + eps) * s.data<float>()[k]
                    + b.data<float>()[k]);
            }
            QVERIFY(maxRelDiff((*y)[0], want) < 1e-5);
        }
    }

    void batchNormTrainingModeUsesBatchStatistics()
    {
        std::mt19937 rng(42);
        const Tensor x = randomTensor(rng, {3, 2, 4});
        const Tensor s = randomTensor(rng, {2}), b = randomTensor(rng, {2});
        const Tensor mean = randomTensor(rng, {2}), var = positive(rng, {2});
        auto y = runNode(makeNode("BatchNormalization", {intAttr("training_mode", 1),
                                                         floatAttr("momentum", 0.8f)}, 5, 3),
                         {&x, &s, &b, &mean, &var}, 15);
        QVERIFY2(y.has_value(), qPrintable(errorText(y)));
        for (int64_t c = 0; c < 2; ++c) {
            double m = 0, v = 0;
            for (int64_t n = 0; n < 3; ++n)
                for (int64_t i = 0; i < 4; ++i)
                    m += x.data<float>()[(n * 2 + c) * 4 + i];
            m /= 12;
            for (int64_t n = 0; n < 3; ++n)
                for (int64_t i = 0; i < 4; ++i) {
                    const double d = x.data<float>()[(n * 2 + c) * 4 + i] - m;
                    v += d * d;
                }
            v /= 12;
            QVERIFY(std::abs((*y)[1].data<float>()[c] - (mean.data<float>()[c] * 0.8 + m * 0.2)) <
                    1e-5);
            QVERIFY(std::abs((*y)[2].data<float>()[c] - (var.data<float>()[c] * 0.8 + v * 0.2)) <
                    1e-5);
            const float x0 = x.data<float>()[c * 4];
            const double want =
                (x0 - m) / std::sqrt(v + 1e-5) * s.data<float>()[c] + b.data<float>()[c];
            QVERIFY(std::abs((*y)[0].data<float>()[c * 4] - want) < 1e-4);
        }
    }

    void batchNormSpatialZeroBeforeOpset9()
    {
        std::mt19937 rng(43);
        const Tensor x = randomTensor(rng, {2, 3, 2});
        const Tensor s = randomTensor(rng, {3, 2}), b = randomTensor(rng, {3, 2});
        const Tensor mean = randomTensor(rng, {3, 2}), var = positive(rng, {3, 2});
        auto y = runNode(makeNode("BatchNormalization", {intAttr("spatial", 0)}, 5),
                         {&x, &s, &b, &mean, &var}, 7);
        QVERIFY2(y.has_value(), qPrintable(errorText(y)));
        for (int64_t i = 0; i < x.numel(); ++i) {
            const int64_t k = i % 6;
            const double want = (x.data<float>()[i] - mean.data<float>()[k])
                                    / std::sqrt(double(var.data<float>()[k]) + 1e-5)
                                    * s.data<float>()[k] + b.data<float>()[k];
            QVERIFY(std::abs((*y)[0].data<float>()[i] - want) < 1e-4);
        }
    }

    void layerNormMatchesFormulaForEveryAxis()
    {
        std::mt19937 rng(44);
        const Dims xd = {2, 3, 4, 5};
        const Tensor x = randomTensor(rng, xd);
        for (int64_t axis = -4; axis < 4; ++axis) {
            const int64_t a = axis < 0 ? axis + 4 : axis;
            const Dims nd(xd.begin() + a, xd.end());
            const int64_t inner = numElements(nd);
            const Tensor s = randomTensor(rng, nd), b = randomTensor(rng, nd);
            qInfo() << "axis" << axis;
            auto y = runNode(makeNode("LayerNormalization", {intAttr("axis", axis),
                                                             floatAttr("epsilon", 1e-3f)}, 3, 3),
                             {&x, &s, &b});
            QVERIFY2(y.has_value(), qPrintable(errorText(y)));
            const Tensor want = referenceGroupNorm(x, inner, 1e-3, [&](int64_t flat) {
                return std::pair<double, double>(s.data<float>()[flat % inner],
                                                 b.data<float>()[flat % inner]);
            });
            QVERIFY(maxRelDiff((*y)[0], want) < 1e-5);
            Dims statDims = xd;
            for (std::size_t i = static_cast<std::size_t>(a); i < statDims.size(); ++i)
                statDims[i] = 1;
            QCOMPARE((*y)[1].dims(), statDims);
            QCOMPARE((*y)[2].dims(), statDims);
        }
        // Scale broadcast from a shorter shape, no bias.
        const Tensor s = randomTensor(rng, {1, 5});
        auto y = runNode(makeNode("LayerNormalization", {intAttr("axis", 2)}, 2), {&x, &s});
        QVERIFY2(y.has_value(), qPrintable(errorText(y)));
        const Tensor want = referenceGroupNorm(x, 20, 1e-5, [&](int64_t flat) {
            return std::pair<double, double>(s.data<float>()[flat % 5], 0.0);
        });
        QVERIFY(maxRelDiff((*y)[0], want) < 1e-5);
    }

    void instanceAndGroupNormMatchFormula()
    {
        std::mt19937 rng(45);
        const Tensor x = randomTensor(rng, {2, 6, 3, 4});
        const Tensor s = randomTensor(rng, {6}), b = randomTensor(rng, {6});
        auto y = runNode(makeNode("InstanceNormalization", {floatAttr("epsilon", 1e-4f)}, 3),
                         {&x, &s, &b});
        QVERIFY2(y.has_value(), qPrintable(errorText(y)));
        Tensor want = referenceGroupNorm(x, 12, 1e-4, [&](int64_t flat) {
            const int64_t c = (flat / 12) % 6;
            return std::pair<double, double>(s.data<float>()[c], b.data<float>()[c]);
        });
        QVERIFY(maxRelDiff((*y)[0], want) < 1e-5);
        // GroupNormalization opset 21: per-channel scale; opset 18: per-group scale.
        y = runNode(makeNode("GroupNormalization", {intAttr("num_groups", 3)}, 3), {&x, &s, &b},
                    21);
        QVERIFY2(y.has_value(), qPrintable(errorText(y)));
        want = referenceGroupNorm(x, 24, 1e-5, [&](int64_t flat) {
            const int64_t c = (flat / 12) % 6;
            return std::pair<double, double>(s.data<float>()[c], b.data<float>()[c]);
        });
        QVERIFY(maxRelDiff((*y)[0], want) < 1e-5);
        const Tensor sg = randomTensor(rng, {3}), bg = randomTensor(rng, {3});
        y = runNode(makeNode("GroupNormalization", {intAttr("num_groups", 3)}, 3), {&x, &sg, &bg},
                    18);
        QVERIFY2(y.has_value(), qPrintable(errorText(y)));
        want = referenceGroupNorm(x, 24, 1e-5, [&](int64_t flat) {
            const int64_t g = (flat / 24) % 3;
            return std::pair<double, double>(sg.data<float>()[g], bg.data<float>()[g]);
        });
        QVERIFY(maxRelDiff((*y)[0], want) < 1e-5);
    }

    void lrnMatchesFormula()
    {
        std::mt19937 rng(46);
        const Tensor x = randomTensor(rng, {2, 7, 3});
        const int64_t size = 4;
        const double alpha = 2e-3, beta = 0.6, bias = 1.5;
        auto y = runNode(makeNode("LRN", {intAttr("size", size), floatAttr("alpha", float(alpha)),
                                          floatAttr("beta", float(beta)),
                                          floatAttr("bias", float(bias))}),
                         {&x});
        QVERIFY2(y.has_value(), qPrintable(errorText(y)));
        for (int64_t n = 0; n < 2; ++n)
            for (int64_t c = 0; c < 7; ++c)
                for (int64_t i = 0; i < 3; ++i) {
                    double sq = 0;
                    // ONNX: channels c - floor((size-1)/2) .. c + ceil((size-1)/2)
                    for (int64_t k = c - 1; k <= c + 2; ++k)
                        if (k >= 0 && k < 7) {
                            const double v = x.data<float>()[(n * 7 + k) * 3 + i];
                            sq += v * v;
                        }
                    const double v = x.data<float>()[(n * 7 + c) * 3 + i];
                    const double want = v / std::pow(bias + alpha / size * sq, beta);
                    QVERIFY(std::abs((*y)[0].data<float>()[(n * 7 + c) * 3 + i] - want) < 1e-5);
                }
    }

    void meanVarianceNormalizationMatchesFormula()
    {
        std::mt19937 rng(48);
        const Tensor x = randomTensor(rng, {2, 3, 4, 5});
        auto y =
            runNode(makeNode("MeanVarianceNormalization", {intsAttr("axes", {2, 3})}), {&x}, 13);
        QVERIFY2(y.has_value(), qPrintable(errorText(y)));
        for (int64_t plane = 0; plane < 6; ++plane) {
            double m = 0, sq = 0;
            for (int64_t i = 0; i < 20; ++i) {
                const double v = x.data<float>()[plane * 20 + i];
                m += v;
                sq += v * v;
            }
            m /= 20;
            const double sd = std::sqrt(sq / 20 - m * m);
            for (int64_t i = 0; i < 20; ++i) {
                const double want = (x.data<float>()[plane * 20 + i] - m) / (sd + 1e-9);
                QVERIFY(std::abs((*y)[0].data<float>()[plane * 20 + i] - want) < 1e-4);
            }
        }
    }

    void normErrors()
    {
        std::mt19937 rng(47);
        const Tensor x = randomTensor(rng, {2, 3, 4});
        const Tensor p4 = randomTensor(rng, {4});
        auto y = runNode(makeNode("BatchNormalization", {}, 5), {&x, &p4, &p4, &p4, &p4});
        QVERIFY(!y.has_value());
        QCOMPARE(errorText(y), QStringLiteral("BatchNormalization parameters have shapes [4], [4], "
                                              "[4], [4] but X of shape [2, 3, 4] has 3 channels."));
        const Tensor s3 = randomTensor(rng, {3});
        y = runNode(makeNode("LayerNormalization", {}, 2), {&x, &s3});
        QVERIFY(!y.has_value());
        QCOMPARE(errorText(y), QStringLiteral("LayerNormalization Scale of shape [3] does not "
                                              "broadcast to the normalized shape [4]."));
        y = runNode(makeNode("LayerNormalization", {intAttr("axis", 3)}, 2), {&x, &s3});
        QVERIFY(!y.has_value());
        QCOMPARE(errorText(y), QStringLiteral("LayerNormalization axis 3 is out of range for "
                                              "rank 3."));
        y = runNode(makeNode("GroupNormalization", {intAttr("num_groups", 2)}, 3), {&x, &s3, &s3},
                    21);
        QVERIFY(!y.has_value());
        QCOMPARE(errorText(y), QStringLiteral("GroupNormalization num_groups 2 does not divide "
                                              "the 3 channels."));
    }
};

QTEST_APPLESS_MAIN(TestNnNorm)
#include "test_nn_norm.moc"
