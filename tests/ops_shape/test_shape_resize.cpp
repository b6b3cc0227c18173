// Resize / Upsample: ONNX's documented examples checked by hand, the opset differences (input
// layout of 10 vs 11+, Upsample attribute vs input, opset-18 axes / keep_aspect_ratio_policy /
// antialias), error messages, and a differential test of the separable kernel against a
// point-by-point reference written after the ONNX reference implementation (edge-padded
// nearest-neighbour selection, ratio 1 at integer coordinates, full tensor-product weights).
#include "shape_test_util.h"

#include <algorithm>
#include <numeric>

using namespace nnc;
using namespace nnc::shapetest;

namespace {

struct RefConfig
{
    std::string mode = "nearest";
    std::string coord = "half_pixel";
    std::string nearest = "round_prefer_floor";
    double a = -0.75;
    bool exclude = false;
    bool antialias = false;
    double extrapolation = 0.0;
};

std::vector<double> refCoeffs(const RefConfig &c, double ratio, double scale, bool integer)
{
    if (c.mode == "nearest") {
        if (integer)
            return {0, 1};
        if (c.nearest == "round_prefer_floor")
            return {ratio <= 0.5 ? 1.0 : 0.0, ratio > 0.5 ? 1.0 : 0.0};
        if (c.nearest == "round_prefer_ceil")
            return {ratio < 0.5 ? 1.0 : 0.0, ratio >= 0.5 ? 1.0 : 0.0};
        if (c.nearest == "floor")
            return {1, 0};
        return {0, 1};
    }
    const double s = c.antialias ? std::min(scale, 1.0) : 1.0;
    auto cubic = [&](double x) {
        x = std::abs(x);
        const double A = c.a;
        if (x <= 1)
            return (A + 2) * x * x * x - (A + 3) * x * x + 1;
        if (x < 2)
            return A * x * x * x - 5 * A * x * x + 8 * A * x - 4 * A;
        return 0.0;
    };
    std::vector<double> w;
    if (c.mode == "linear") {
        const int start = static_cast<int>(std::floor(-1 / s)) + 1;
        const int footprint = 2 - 2 * start;
        for (int i = start; i < start + footprint; ++i)
            w.push_back(std::clamp(1 - std::abs((i - ratio) * s), 0.0, 1.0));
    } else {
        const int start = static_cast<int>(std::floor(-2 / s)) + 1;
        for (int i = start; i < 2 - start; ++i)
            w.push_back(cubic(s * (i - ratio)));
    }
    if (c.antialias) {
        const double sum = std::accumulate(w.begin(), w.end(), 0.0);
        for (double &v : w)
            v /= sum;
    }
    return w;
}

/// Per output position of one axis: (source index, weight) pairs, or empty for extrapolation.
std::vector<std::pair<int64_t, double>> refAxis(const RefConfig &c, int64_t x, int64_t in,
                                                int64_t out, double scale, double r0, double r1)
{
    const double outF = scale * static_cast<double>(in);
    double xo;
    if (c.coord == "align_corners")
        xo = outF == 1 ? 0.0 : x * (in - 1) / (outF - 1);
    else if (c.coord == "asymmetric")
        xo = x / scale;
    else if (c.coord == "tf_crop_and_resize") {
        xo = outF == 1 ? (r1 - r0) * (in - 1) / 2 : x * (r1 - r0) * (in - 1) / (outF - 1);
        xo += r0 * (in - 1);
        if (xo < 0 || xo > in - 1)
            return {};
    } else if (c.coord == "pytorch_half_pixel")
        xo = out > 1 ? (x + 0.5) / scale - 0.5 : 0.0;
    else
        xo = (x + 0.5) / scale - 0.5;
    const double fl = std::floor(xo);
    const bool integer = xo == fl;
    const double ratio = integer ? 1.0 : xo - fl;
    std::vector<double> w = refCoeffs(c, ratio, scale, integer);
    const int64_t n = static_cast<int64_t>(w.size());
    // n nearest positions of the edge-padded axis, preferring smaller indices on ties.
    const int64_t pad = (n + 1) / 2;
    std::vector<int64_t> cand(static_cast<std::size_t>(in + 2 * pad));
    std::iota(cand.begin(), cand.end(), 0);
    const double xp = xo + static_cast<double>(pad);
    std::stable_sort(cand.begin(), cand.end(), [&](int64_t a, int64_t b) {
        const double da = std::abs(xp - static_cast<double>(a)), db = std::abs(xp - static_cast<double>(b));
        return da < db || (da == db && a < b);
    });
    std::vector<int64_t> idx(cand.begin(), cand.begin() + n);
    std::sort(idx.begin(), idx.end());
    std::vector<std::pair<int64_t, double>> taps;
    double sum = 0;
    for (int64_t t = 0; t < n; ++t) {
        const int64_t orig = idx[static_cast<std::size_t>(t)] - pad;
        if (c.exclude && (orig < 0 || orig >= in))
            w[static_cast<std::size_t>(t)] = 0;
        sum += w[static_cast<std::size_t>(t)];
        taps.emplace_back(std::clamp<int64_t>(orig, 0, in - 1), w[static_cast<std::size_t>(t)]);
    }
    if (c.exclude)
        for (auto &tp : taps)
            tp.second /= sum;
    return taps;
}

std::vector<float> refResize(const RefConfig &c, const Tensor &x, const Dims &outDims,
                             const std::vector<double> &scales, const std::vector<double> &roi)
{
    const std::size_t r = outDims.size();
    std::vector<std::vector<std::vector<std::pair<int64_t, double>>>> axes(r);
    for (std::size_t d = 0; d < r; ++d)
        for (int64_t o = 0; o < outDims[d]; ++o)
            axes[d].push_back(refAxis(c, o, x.dims()[d], outDims[d], scales[d],
                                      roi.empty() ? 0 : roi[d], roi.empty() ? 1 : roi[d + r]));
    const auto in = floats(x);
    const auto inStrides = [&] {
        std::vector<int64_t> s(r, 1);
        for (std::size_t d = r; d-- > 1;)
            s[d - 1] = s[d] * x.dims()[d];
        return s;
    }();
    std::vector<float> out;
    std::vector<int64_t> pos(r, 0);
    for (int64_t o = 0; o < numElements(outDims); ++o) {
        bool outside = false;
        for (std::size_t d = 0; d < r; ++d)
            outside = outside || axes[d][static_cast<std::size_t>(pos[d])].empty();
        double acc = 0;
        if (outside) {
            acc = c.extrapolation;
        } else {
            // Sum over the tensor product of taps.
            std::vector<std::size_t> t(r, 0);
            while (true) {
                double w = 1;
                int64_t off = 0;
                for (std::size_t d = 0; d < r; ++d) {
                    const auto &tp = axes[d][static_cast<std::size_t>(pos[d])][t[d]];
                    w *= tp.second;
                    off += tp.first * inStrides[d];
                }
                acc += w * in[static_cast<std::size_t>(off)];
                std::size_t d = r;
                while (d-- > 0) {
                    if (++t[d] < axes[d][static_cast<std::size_t>(pos[d])].size())
                        break;
                    t[d] = 0;
                }
                if (d == static_cast<std::size_t>(-1))
                    break;
            }
        }
        out.push_back(static_cast<float>(acc));
        for (std::size_t d = r; d-- > 0;) {
            if (++pos[d] < outDims[d])
                break;
            pos[d] = 0;
        }
    }
    return out;
}

} // namespace

class TestShapeResize : public QObject
{
    Q_OBJECT

private slots:
    void onnxExamples()
    {
        const Tensor x = f32({1, 1, 2, 2}, {1, 2, 3, 4});
        const Tensor up = f32({4}, {1, 1, 2, 3});
        SHAPE_RUN(n, "Resize", {stringAttr("mode", "nearest")}, {&x, nullptr, &up}, 13);
        QCOMPARE(n.dims(), (Dims{1, 1, 4, 6}));
        QCOMPARE(floats(n), (std::vector<float>{1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2,
                                                3, 3, 3, 4, 4, 4, 3, 3, 3, 4, 4, 4}));
        const Tensor up2 = f32({4}, {1, 1, 2, 2});
        SHAPE_RUN(l, "Resize", {stringAttr("mode", "linear")}, {&x, nullptr, &up2}, 13);
        QCOMPARE(floats(l), (std::vector<float>{1, 1.25f, 1.75f, 2, 1.5f, 1.75f, 2.25f, 2.5f,
                                                2.5f, 2.75f, 3.25f, 3.5f, 3, 3.25f, 3.75f, 4}));
        const Tensor y = f32({1, 1, 2, 4}, {1, 2, 3, 4, 5, 6, 7, 8});
        const Tensor down = f32({4}, {1, 1, 0.6f, 0.6f});
        SHAPE_RUN(d, "Resize", {stringAttr("mode", "linear")}, {&y, nullptr, &down}, 13);
        QCOMPARE(d.dims(), (Dims{1, 1, 1, 2}));
        QVERIFY(closeTo(floats(d), {2.6666665f, 4.3333331f}, 1e-5f));
        SHAPE_RUN(ac, "Resize", {stringAttr("mode", "linear"),
                                 stringAttr("coordinate_transformation_mode", "align_corners")},
                  {&y, nullptr, &down}, 13);
        QVERIFY(closeTo(floats(ac), {1.0f, 3.142857f}, 1e-5f));
    }

    void tfCropAndResizeWithExtrapolation()
    {
        const Tensor x = iota({1, 1, 4, 4});
        const Tensor sizes = i64({4}, {1, 1, 3, 3});
        const Tensor roi = f32({8}, {0, 0, 0.4f, 0.6f, 1, 1, 0.6f, 0.8f});
        const std::vector<Attribute> attrs = {
            stringAttr("mode", "linear"),
            stringAttr("coordinate_transformation_mode", "tf_crop_and_resize")};
        SHAPE_RUN(a, "Resize", attrs, {&x, &roi, nullptr, &sizes}, 13);
        // ONNX's expected values minus 1 (our input counts from 0).
        QVERIFY(closeTo(floats(a), {6.6000004f, 6.9f, 7.2f, 7.8f, 8.1f, 8.400001f, 9, 9.3f, 9.6f},
                        1e-5f));
        const Tensor roi2 = f32({8}, {0, 0, 0.4f, 0.6f, 1, 1, 1.2f, 1.7f});
        auto attrs2 = attrs;
        attrs2.push_back(floatAttr("extrapolation_value", 10));
        SHAPE_RUN(b, "Resize", attrs2, {&x, &roi2, nullptr, &sizes}, 13);
        QVERIFY(closeTo(floats(b), {6.6000004f, 10, 10, 11.400001f, 10, 10, 10, 10, 10}, 1e-5f));
        // Nearest honours extrapolation too.
        auto attrs3 = attrs2;
        attrs3[0] = stringAttr("mode", "nearest");
        SHAPE_RUN(c, "Resize", attrs3, {&x, &roi2, nullptr, &sizes}, 13);
        QCOMPARE(floats(c)[1], 10.0f);
        QCOMPARE(QString::fromStdString(errorOf(run("Resize", attrs, {&x, nullptr, nullptr, &sizes}, 13))),
                 QString("Resize with tf_crop_and_resize needs an roi of 8 values."));
    }

    void opset10And11InputLayouts()
    {
        const Tensor x = f32({1, 1, 1, 2}, {1, 2});
        const Tensor scales = f32({4}, {1, 1, 1, 2});
        // Opset 10: Resize(X, scales), asymmetric coordinates.
        SHAPE_RUN(a, "Resize", {stringAttr("mode", "linear")}, {&x, &scales}, 10);
        QCOMPARE(floats(a), (std::vector<float>{1, 1.5f, 2, 2}));
        // Opset 11: input 1 is roi, so scales in slot 1 leave neither scales nor sizes.
        QCOMPARE(QString::fromStdString(errorOf(run("Resize", {}, {&x, &scales}, 11))),
                 QString("Resize needs exactly one of scales and sizes (neither was given)."));
        // Opset 11 with an empty scales tensor and sizes.
        const Tensor emptyRoi(DataType::Float, {0}), emptyScales(DataType::Float, {0});
        const Tensor sizes = i64({4}, {1, 1, 1, 4});
        SHAPE_RUN(b, "Resize", {stringAttr("mode", "linear")}, {&x, &emptyRoi, &emptyScales, &sizes}, 11);
        QCOMPARE(floats(b), (std::vector<float>{1, 1.25f, 1.75f, 2}));
        QCOMPARE(QString::fromStdString(errorOf(run("Resize", {}, {&x, nullptr, &scales, &sizes}, 13))),
                 QString("Resize needs exactly one of scales and sizes (both were given)."));
        const Tensor shortScales = f32({2}, {1, 2});
        QCOMPARE(QString::fromStdString(errorOf(run("Resize", {}, {&x, nullptr, &shortScales}, 13))),
                 QString("Resize got 2 scales for 4 axes of input shape [1, 1, 1, 2]."));
        QVERIFY(!run("Resize", {stringAttr("mode", "area")}, {&x, nullptr, &scales}, 13));
    }

    void upsampleAttributeBefore9InputFrom9()
    {
        const Tensor x = f32({1, 1, 2, 2}, {1, 2, 3, 4});
        SHAPE_RUN(a, "Upsample", {floatsAttr("scales", {1, 1, 2, 2})}, {&x}, 7);
        QCOMPARE(a.dims(), (Dims{1, 1, 4, 4}));
        QCOMPARE(floats(a), (std::vector<float>{1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4}));
        const Tensor scales = f32({4}, {1, 1, 1, 2});
        SHAPE_RUN(b, "Upsample", {stringAttr("mode", "linear")}, {&x, &scales}, 9);
        QCOMPARE(floats(b), (std::vector<float>{1, 1.5f, 2, 2, 3, 3.5f, 4, 4}));
        QVERIFY(!run("Upsample", {}, {&x}, 7));
        QVERIFY(!run("Upsample", {}, {&x}, 9));
    }

    void nearestModesOnOneRow()
    {
        // 4 -> 7 elements; sizes avoid exact halves except where the modes must differ.
        const Tensor x = f32({1, 4}, {10, 20, 30, 40});
        const Tensor sizes = i64({2}, {1, 8});
        struct Case { const char *coord; const char *mode; std::vector<float> want; };
        const std::vector<Case> cases = {
            // half_pixel, scale 2: x_orig = -0.25, 0.25, 0.75, 1.25, ...
            {"half_pixel", "round_prefer_floor", {10, 10, 20, 20, 30, 30, 40, 40}},
            {"half_pixel", "floor", {10, 10, 10, 20, 20, 30, 30, 40}},
            {"half_pixel", "ceil", {10, 20, 20, 30, 30, 40, 40, 40}},
            // asymmetric, scale 2: x_orig = 0, 0.5, 1, 1.5, ... (exact halves)
            {"asymmetric", "round_prefer_floor", {10, 10, 20, 20, 30, 30, 40, 40}},
            {"asymmetric", "round_prefer_ceil", {10, 20, 20, 30, 30, 40, 40, 40}},
            // align_corners: x_orig = o * 3 / 7
            {"align_corners", "round_prefer_floor", {10, 10, 20, 20, 30, 30, 40, 40}},
        };
        for (const Case &c : cases) {
            qDebug("coord %s nearest_mode %s", c.coord, c.mode);
            SHAPE_RUN(y, "Resize", {stringAttr("coordinate_transformation_mode", c.coord),
                                    stringAttr("nearest_mode", c.mode)},
                      {&x, nullptr, nullptr, &sizes}, 13);
            QCOMPARE(floats(y), c.want);
        }
        // Nearest copies any dtype, strings included.
        Tensor s(DataType::String, {1, 2});
        s.mutableStrings() = {"a", "b"};
        const Tensor s4 = i64({2}, {1, 4});
        SHAPE_RUN(ys, "Resize", {}, {&s, nullptr, nullptr, &s4}, 13);
        QCOMPARE(std::vector<std::string>(ys.strings().begin(), ys.strings().end()),
                 (std::vector<std::string>{"a", "a", "b", "b"}));
    }

    void opset18AxesAspectRatioAndAntialias()
    {
        const Tensor x = iota({1, 1, 4, 6});
        const Tensor sizes = i64({2}, {2, 2});
        // not_larger: one scale min(2/4, 2/6) = 1/3 for both axes -> [1, 2] after rounding.
        SHAPE_RUN(a, "Resize", {intsAttr("axes", {2, 3}),
                                stringAttr("keep_aspect_ratio_policy", "not_larger")},
                  {&x, nullptr, nullptr, &sizes}, 18);
        QCOMPARE(a.dims(), (Dims{1, 1, 1, 2}));
        SHAPE_RUN(b, "Resize", {intsAttr("axes", {-2, -1}),
                                stringAttr("keep_aspect_ratio_policy", "not_smaller")},
                  {&x, nullptr, nullptr, &sizes}, 18);
        QCOMPARE(b.dims(), (Dims{1, 1, 2, 3}));
        // Antialiased linear 2x downsampling of a ramp: the wider filter averages 4 taps.
        const Tensor ramp = f32({1, 8}, {0, 1, 2, 3, 4, 5, 6, 7});
        const Tensor half = f32({2}, {1, 0.5f});
        SHAPE_RUN(aa, "Resize", {stringAttr("mode", "linear"), intAttr("antialias", 1)},
                  {&ramp, nullptr, &half}, 18);
        // Centre 2o + 0.5, weights (0.25, 0.75, 0.75, 0.25)/2 over 2o-1 .. 2o+2, edges clamped.
        QVERIFY(closeTo(floats(aa), {0.625f, 2.5f, 4.5f, 6.375f}, 1e-5f));
        // Before 18 the attributes do not exist: axes are ignored, so 2 sizes for rank 4 fail.
        QVERIFY(!run("Resize", {intsAttr("axes", {2, 3})}, {&x, nullptr, nullptr, &sizes}, 13));
    }

    void integerImagesRoundAndSaturate()
    {
        Tensor x(DataType::UInt8, {1, 4});
        const std::vector<uint8_t> v = {0, 255, 0, 255};
        std::copy(v.begin(), v.end(), x.mutableData<uint8_t>());
        const Tensor sizes = i64({2}, {1, 8});
        SHAPE_RUN(y, "Resize", {stringAttr("mode", "cubic")}, {&x, nullptr, nullptr, &sizes}, 13);
        QCOMPARE(y.dtype(), DataType::UInt8);
        RefConfig c;
        c.mode = "cubic";
        const auto want = refResize(c, x, {1, 8}, {1, 2}, {});
        const auto got = ints(y);
        for (std::size_t i = 0; i < got.size(); ++i)
            QCOMPARE(got[i], static_cast<int64_t>(std::clamp(std::nearbyint(want[i]), 0.0f, 255.0f)));
    }

    void matchesReferenceOnRandomShapes()
    {
        std::mt19937 rng(2024);
        const char *coords[] = {"half_pixel", "pytorch_half_pixel", "align_corners", "asymmetric",
                                "tf_crop_and_resize"};
        const char *nearestModes[] = {"round_prefer_floor", "round_prefer_ceil", "floor", "ceil"};
        const char *modes[] = {"nearest", "linear", "cubic"};
        for (int c = 0; c < 90; ++c) {
            RefConfig cfg;
            cfg.mode = modes[c % 3];
            cfg.coord = coords[(c / 3) % 5];
            cfg.nearest = nearestModes[rng() % 4];
            cfg.exclude = cfg.mode == "cubic" && rng() % 2;
            cfg.a = cfg.mode == "cubic" && rng() % 2 ? -0.5 : -0.75;
            cfg.antialias = cfg.mode != "nearest" && c % 7 == 0;
            cfg.extrapolation = 3.5;
            const int rank = 2 + static_cast<int>(rng() % 3);
            Dims dims;
            for (int i = 0; i < rank; ++i)
                dims.push_back(1 + static_cast<int64_t>(rng() % (i < rank - 2 ? 2 : 6)));
            const Tensor x = randomFloats(dims, rng);
            const bool useSizes = rng() % 2;
            std::vector<double> scales(static_cast<std::size_t>(rank), 1.0);
            Dims outDims = dims;
            std::vector<float> sv;
            std::vector<int64_t> zv;
            for (std::size_t d = 0; d < dims.size(); ++d) {
                if (useSizes) {
                    outDims[d] = 1 + static_cast<int64_t>(rng() % 9);
                    scales[d] = static_cast<double>(outDims[d]) / static_cast<double>(dims[d]);
                    zv.push_back(outDims[d]);
                } else {
                    const float s = std::array<float, 6>{0.5f, 0.75f, 1.0f, 1.5f, 2.0f, 3.0f}[rng() % 6];
                    sv.push_back(s);
                    scales[d] = s;
                    outDims[d] = static_cast<int64_t>(std::floor(static_cast<double>(s) * static_cast<double>(dims[d])));
                }
            }
            std::vector<double> roi;
            std::vector<float> roiF;
            if (cfg.coord == "tf_crop_and_resize") {
                for (int i = 0; i < rank; ++i)
                    roiF.push_back(static_cast<float>(rng() % 5) * 0.1f - 0.1f);
                for (int i = 0; i < rank; ++i)
                    roiF.push_back(0.6f + static_cast<float>(rng() % 6) * 0.1f);
                roi.assign(roiF.begin(), roiF.end());
            }
            qDebug("case %d: shape %s -> %s mode %s coord %s nearest %s exclude %d A %.2f "
                   "antialias %d %s",
                   c, dimsToString(dims).c_str(), dimsToString(outDims).c_str(), cfg.mode.c_str(),
                   cfg.coord.c_str(), cfg.nearest.c_str(), cfg.exclude, cfg.a, cfg.antialias,
                   useSizes ? "sizes" : "scales");
            std::vector<Attribute> attrs = {
                stringAttr("mode", cfg.mode), stringAttr("coordinate_transformation_mode", cfg.coord),
                stringAttr("nearest_mode", cfg.nearest), intAttr("exclude_outside", cfg.exclude),
                floatAttr("cubic_coeff_a", static_cast<float>(cfg.a)),
                floatAttr("extrapolation_value", 3.5f), intAttr("antialias", cfg.antialias)};
            const Tensor roiT = f32({static_cast<int64_t>(roiF.size())}, roiF);
            const Tensor scalesT = f32({static_cast<int64_t>(sv.size())}, sv);
            const Tensor sizesT = i64({static_cast<int64_t>(zv.size())}, zv);
            SHAPE_RUN(got, "Resize", attrs,
                      {&x, roiF.empty() ? nullptr : &roiT, useSizes ? nullptr : &scalesT,
                       useSizes ? &sizesT : nullptr},
                      19);
            QCOMPARE(got.dims(), outDims);
            std::vector<double> refScales(scales.begin(), scales.end());
            if (!useSizes)
                for (std::size_t d = 0; d < sv.size(); ++d)
                    refScales[d] = sv[d];
            const auto want = refResize(cfg, x, outDims, refScales, roi);
            std::string why;
            QVERIFY2(closeTo(floats(got), want, 1e-4f, &why), why.c_str());
        }
    }
};

QTEST_APPLESS_MAIN(TestShapeResize)
#include "test_shape_resize.moc"
