// Tests of core/calib/calibrator: the streaming histogram (exact count/min/max, bounded memory,
// exact re-binning as the range grows, quantiles kept), and each calibration method against
// distributions with known answers: MinMax on uniform data, percentiles on Gaussians against
// the known quantiles and the sample quantiles, and the Entropy (KL) and MSE thresholds of a
// Laplace sample against brute-force searches done directly on the raw samples here.
#include "core/calib/calibrator.h"

#include <QTest>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>

using namespace nnc;

namespace {

std::vector<float> gaussian(std::mt19937 &rng, std::size_t n, float mean, float sd)
{
    std::normal_distribution<float> g(mean, sd);
    std::vector<float> v(n);
    for (float &x : v)
        x = g(rng);
    return v;
}

std::vector<float> laplace(std::mt19937 &rng, std::size_t n, float b)
{
    std::exponential_distribution<float> e(1.0f / b);
    std::bernoulli_distribution sign(0.5);
    std::vector<float> v(n);
    for (float &x : v)
        x = sign(rng) ? e(rng) : -e(rng);
    return v;
}

// Sample quantile (linear interpolation between order statistics).
double sampleQuantile(std::vector<float> v, double q)
{
    std::sort(v.begin(), v.end());
    const double pos = q * static_cast<double>(v.size() - 1);
    const auto i = static_cast<std::size_t>(std::floor(pos));
    const double f = pos - static_cast<double>(i);
    return i + 1 < v.size() ? v[i] * (1 - f) + v[i + 1] * f : v[i];
}

double binWidth(const StreamingHistogram &h)
{
    return (h.hi() - h.lo()) / static_cast<double>(h.counts().size());
}

// Plain fake quantization (the guide's formula) for the brute-force searches.
float refFakeQuant(float x, const QuantParams &p)
{
    float q = std::nearbyint(x / p.scale) + static_cast<float>(p.zeroPoint);
    q = std::clamp(q, static_cast<float>(p.qmin), static_cast<float>(p.qmax));
    return (q - static_cast<float>(p.zeroPoint)) * p.scale;
}

double rawMse(const std::vector<float> &x, const QuantParams &p)
{
    double s = 0;
    for (float v : x) {
        const double d = double(v) - double(refFakeQuant(v, p));
        s += d * d;
    }
    return s / static_cast<double>(x.size());
}

// TensorRT's entropy calibration on a 2048-bin |x| histogram built directly from the samples:
// returns the KL divergence for every cut i in [levels, 2048] (index i).
std::vector<double> rawKlCurve(const std::vector<float> &x, int levels, double &width)
{
    constexpr int kBins = 2048;
    double absMax = 0;
    for (float v : x)
        absMax = std::max(absMax, double(std::abs(v)));
    width = absMax / kBins;
    std::vector<double> hist(kBins, 0.0);
    for (float v : x)
        hist[static_cast<std::size_t>(std::min<double>(std::floor(std::abs(v) / width), kBins - 1))] += 1;
    std::vector<double> kl(kBins + 1, std::numeric_limits<double>::infinity());
    for (int i = levels; i <= kBins; ++i) {
        std::vector<double> p(hist.begin(), hist.begin() + i);
        for (int j = i; j < kBins; ++j)
            p[static_cast<std::size_t>(i - 1)] += hist[static_cast<std::size_t>(j)];
        std::vector<double> mass(static_cast<std::size_t>(levels), 0.0), nonEmpty(mass.size(), 0.0);
        for (int j = 0; j < i; ++j) {
            const auto l = static_cast<std::size_t>(int64_t(j) * levels / i);
            mass[l] += hist[static_cast<std::size_t>(j)];
            nonEmpty[l] += p[static_cast<std::size_t>(j)] > 0;
        }
        std::vector<double> q(p.size(), 0.0);
        for (int j = 0; j < i; ++j) {
            const auto l = static_cast<std::size_t>(int64_t(j) * levels / i);
            if (p[static_cast<std::size_t>(j)] > 0)
                q[static_cast<std::size_t>(j)] = mass[l] / nonEmpty[l];
        }
        const double ps = std::accumulate(p.begin(), p.end(), 0.0);
        const double qs = std::accumulate(q.begin(), q.end(), 0.0);
        double d = 0;
        for (std::size_t j = 0; j < p.size(); ++j) {
            if (p[j] <= 0)
                continue;
            if (q[j] <= 0) {
                d = std::numeric_limits<double>::infinity();
                break;
            }
            d += p[j] / ps * std::log((p[j] / ps) / (q[j] / qs));
        }
        kl[static_cast<std::size_t>(i)] = d;
    }
    return kl;
}

StreamingHistogram histOf(const std::vector<float> &x, int bins = 2048)
{
    StreamingHistogram h(bins);
    h.add(x);
    return h;
}

} // namespace

class TestCalibrator : public QObject
{
    Q_OBJECT

private slots:
    // --- StreamingHistogram ----------------------------------------------------------------

    void histogramTracksExactStatistics()
    {
        StreamingHistogram h(64);
        QCOMPARE(h.count(), int64_t{0});
        QCOMPARE(int(h.counts().size()), 64);
        const std::vector<float> a{0.5f, -1.25f, 3.0f, std::nanf(""), 2.0f,
                                   std::numeric_limits<float>::infinity()};
        h.add(a);
        QCOMPARE(h.count(), int64_t{4});
        QCOMPARE(h.nonFinite(), int64_t{2});
        QCOMPARE(h.min(), -1.25f);
        QCOMPARE(h.max(), 3.0f);
        QVERIFY(h.lo() <= -1.25 && h.hi() > 3.0);
        QCOMPARE(std::accumulate(h.counts().begin(), h.counts().end(), 0.0), 4.0);
        // The bin width is a power of two and the edges are multiples of it.
        const double w = binWidth(h);
        int e = 0;
        QCOMPARE(std::frexp(w, &e), 0.5);
        QCOMPARE(std::fmod(h.lo(), w), 0.0);
        // Each value sits in the bin floor((x - lo) / w).
        for (float v : {0.5f, -1.25f, 3.0f, 2.0f})
            QVERIFY(h.counts()[static_cast<std::size_t>(std::floor((v - h.lo()) / w))] >= 1);
        const std::vector<float> onlyNan{std::nanf("")};
        h.add(onlyNan);
        QCOMPARE(h.count(), int64_t{4});
        QCOMPARE(h.nonFinite(), int64_t{3});
    }

    void histogramOfOneRepeatedValue()
    {
        StreamingHistogram h;
        const std::vector<float> v(1000, 0.75f);
        h.add(v);
        QCOMPARE(h.min(), 0.75f);
        QCOMPARE(h.max(), 0.75f);
        double absMax = 0;
        const auto abs = h.absCounts(100, absMax);
        QCOMPARE(absMax, 0.75);
        QCOMPARE(abs.back(), 1000.0);   // a point mass at the top
        const Range r = calibrate(h, {CalibMethod::Percentile, 99.0}, {8, IntRange::Signed, true});
        QCOMPARE(r.rmax, 0.75f);
        const std::vector<float> zeros(10, 0.0f);
        StreamingHistogram z;
        z.add(zeros);
        const auto zabs = z.absCounts(16, absMax);
        QCOMPARE(absMax, 0.0);
        QCOMPARE(zabs[0], 10.0);
        for (CalibMethod m : {CalibMethod::MinMax, CalibMethod::Percentile, CalibMethod::Entropy, CalibMethod::Mse}) {
            const Range zr = calibrate(z, {m}, {8, IntRange::Signed, true});
            QCOMPARE(zr.rmin, 0.0f);
            QCOMPARE(zr.rmax, 0.0f);
        }
    }

    void rebinningIsExactAndOrderIndependent_data()
    {
        QTest::addColumn<int>("bins");
        QTest::addColumn<int>("seed");
        QTest::addColumn<double>("growth");
        QTest::addColumn<double>("offset");
        QTest::addRow("2048 bins, x1.7 per batch") << 2048 << 1 << 1.7 << 0.0;
        QTest::addRow("2048 bins, x10 per batch") << 2048 << 2 << 10.0 << 0.0;
        QTest::addRow("100 bins, x1.3, shifted") << 100 << 3 << 1.3 << 5.0;
        QTest::addRow("7 bins, x2") << 7 << 4 << 2.0 << -1.0;
    }

    void rebinningIsExactAndOrderIndependent()
    {
        QFETCH(int, bins);
        QFETCH(int, seed);
        QFETCH(double, growth);
        QFETCH(double, offset);
        std::mt19937 rng(static_cast<unsigned>(seed));
        // Batches of growing range: batch j ~ N(offset * j, growth^j), the first a constant.
        std::vector<std::vector<float>> batches{std::vector<float>(50, 0.3f)};
        for (int j = 0; j < 8; ++j)
            batches.push_back(gaussian(rng, 20000, static_cast<float>(offset * j),
                                       static_cast<float>(std::pow(growth, j) * 0.01)));
        StreamingHistogram streamed(bins), shuffledOrder(bins), once(bins);
        std::vector<float> all;
        for (const auto &b : batches) {
            streamed.add(b);
            all.insert(all.end(), b.begin(), b.end());
        }
        for (auto it = batches.rbegin(); it != batches.rend(); ++it)
            shuffledOrder.add(*it);
        once.add(all);
        QCOMPARE(streamed.count(), static_cast<int64_t>(all.size()));
        QCOMPARE(int(streamed.counts().size()), bins);
        QCOMPARE(std::accumulate(streamed.counts().begin(), streamed.counts().end(), 0.0),
                 static_cast<double>(all.size()));
        QCOMPARE(streamed.min(), *std::min_element(all.begin(), all.end()));
        QCOMPARE(streamed.max(), *std::max_element(all.begin(), all.end()));
        // Re-binning merges whole bins: the streamed histogram is exactly the one-shot one.
        QCOMPARE(streamed.lo(), once.lo());
        QCOMPARE(streamed.hi(), once.hi());
        QVERIFY(streamed.counts() == once.counts());
        QVERIFY(shuffledOrder.counts() == once.counts());
        // The range is used well: the occupied span covers at least a third of the bins.
        const double w = binWidth(streamed);
        QVERIFY2((streamed.max() - streamed.min()) / w >= bins / 3.0 - 2,
                 qPrintable(QStringLiteral("span %1 bins of %2").arg((streamed.max() - streamed.min()) / w).arg(bins)));
        // Quantiles survive the re-binning (to within a bin width).
        for (double q : {0.01, 0.1, 0.5, 0.9, 0.99}) {
            const double p = q * 100 >= 50 ? q * 100 : (1 - q) * 100;
            const Range r = calibrate(streamed, {CalibMethod::Percentile, p}, {8, IntRange::Signed, false});
            const double got = q >= 0.5 ? r.rmax : r.rmin;
            const double want = sampleQuantile(all, q);
            QVERIFY2(std::abs(got - want) <= 1.01 * w,
                     qPrintable(QStringLiteral("q=%1 got %2 want %3 bin %4").arg(q).arg(got).arg(want).arg(w)));
        }
    }

    void histogramLargeBatchEqualsSmallBatches()
    {
        // The parallel path (one large batch) and the serial path (small batches) bin alike,
        // including values next to zero on either side (exact floor for tiny negatives).
        std::mt19937 rng(21);
        std::vector<float> x = gaussian(rng, 1 << 20, 3.0f, 50.0f);
        for (std::size_t i = 0; i < 64; ++i) {
            x[i * 1000] = (i % 2 ? -1.0f : 1.0f) * std::ldexp(1.0f, -100 - int(i));
            x[i * 1000 + 1] = i % 2 ? -0.0f : 0.0f;
        }
        StreamingHistogram big, small;
        big.add(x);
        for (std::size_t i = 0; i < x.size(); i += 777)
            small.add(std::span<const float>(x).subspan(i, std::min<std::size_t>(777, x.size() - i)));
        QCOMPARE(big.count(), small.count());
        QCOMPARE(big.lo(), small.lo());
        QVERIFY(big.counts() == small.counts());
        // Tiny negatives sit in the bin below zero, tiny positives and zeros in the bin at zero.
        const double w = binWidth(big);
        const auto zeroBin = static_cast<std::size_t>(-big.lo() / w);
        std::vector<float> probe{-1e-30f, 1e-30f, 0.0f, -0.0f};
        StreamingHistogram p;
        p.add(x);
        p.add(probe);
        QCOMPARE(p.counts()[zeroBin] - big.counts()[zeroBin], 3.0);
        QCOMPARE(p.counts()[zeroBin - 1] - big.counts()[zeroBin - 1], 1.0);
    }

    void absCountsMatchesDirectAbsHistogram()
    {
        std::mt19937 rng(8);
        const std::vector<float> x = gaussian(rng, 400000, 0.5f, 1.0f);
        const StreamingHistogram h = histOf(x);
        double absMax = 0;
        const std::vector<double> a = h.absCounts(256, absMax);
        double m = 0;
        for (float v : x)
            m = std::max(m, double(std::abs(v)));
        QCOMPARE(absMax, m);
        QCOMPARE(std::accumulate(a.begin(), a.end(), 0.0), double(x.size()));
        std::vector<double> direct(256, 0.0);
        for (float v : x)
            direct[static_cast<std::size_t>(std::min(255.0, std::floor(std::abs(v) / (m / 256))))] += 1;
        double l1 = 0;
        for (std::size_t i = 0; i < a.size(); ++i)
            l1 += std::abs(a[i] - direct[i]);
        qInfo("L1 distance to the direct |x| histogram: %.5f of the mass", l1 / x.size());
        QVERIFY(l1 / double(x.size()) < 0.01);
    }

    // --- MinMax and Manual ----------------------------------------------------------------

    void minMaxOnUniform()
    {
        std::mt19937 rng(1);
        std::uniform_real_distribution<float> u(-0.7f, 2.3f);
        std::vector<float> x(100000);
        for (float &v : x)
            v = u(rng);
        StreamingHistogram h;
        for (std::size_t i = 0; i < x.size(); i += 1000)
            h.add(std::span<const float>(x).subspan(i, 1000));
        const Range r = calibrate(h, {CalibMethod::MinMax}, {8, IntRange::Signed, true});
        QCOMPARE(r.rmin, *std::min_element(x.begin(), x.end()));
        QCOMPARE(r.rmax, *std::max_element(x.begin(), x.end()));
        QVERIFY(r.rmin < -0.69f && r.rmax > 2.29f);
    }

    void manualOverridesEverything()
    {
        CalibConfig c;
        c.method = CalibMethod::Manual;
        c.manualMin = -0.25f;
        c.manualMax = 6.0f;
        StreamingHistogram empty;
        const Range r = calibrate(empty, c, {8, IntRange::Unsigned, false});
        QCOMPARE(r.rmin, -0.25f);
        QCOMPARE(r.rmax, 6.0f);
        std::mt19937 rng(2);
        const Range r2 = calibrate(histOf(gaussian(rng, 1000, 0, 10)), c, {8, IntRange::Signed, true});
        QCOMPARE(r2.rmin, -0.25f);
        QCOMPARE(r2.rmax, 6.0f);
        QCOMPARE(calibrate(empty, {CalibMethod::MinMax}, {}).rmax, 0.0f);
    }

    // --- Percentile -------------------------------------------------------------------------

    void percentileGaussianSymmetric_data()
    {
        QTest::addColumn<double>("p");
        QTest::addColumn<double>("known");   // two-sided standard normal quantile
        QTest::addColumn<double>("tol");
        QTest::addRow("99") << 99.0 << 2.5758293 << 0.015;
        QTest::addRow("99.9") << 99.9 << 3.2905267 << 0.04;
        QTest::addRow("99.99") << 99.99 << 3.8905919 << 0.1;
    }

    void percentileGaussianSymmetric()
    {
        QFETCH(double, p);
        QFETCH(double, known);
        QFETCH(double, tol);
        std::mt19937 rng(42);
        const std::vector<float> x = gaussian(rng, 1000000, 0.0f, 1.0f);
        const StreamingHistogram h = histOf(x);
        const Range r = calibrate(h, {CalibMethod::Percentile, p}, {8, IntRange::Signed, true});
        QCOMPARE(r.rmin, -r.rmax);
        std::vector<float> a(x.size());
        std::transform(x.begin(), x.end(), a.begin(), [](float v) { return std::abs(v); });
        const double sample = sampleQuantile(a, p / 100);
        qInfo("p=%g: calibrated %.5f, sample %.5f, known %.5f", p, double(r.rmax), sample, known);
        QVERIFY(std::abs(r.rmax - known) < tol);
        QVERIFY(std::abs(r.rmax - sample) <= binWidth(h));
        // Non-negative data with an unsigned symmetric range: [0, t].
        const Range u = calibrate(histOf(a), {CalibMethod::Percentile, p}, {8, IntRange::Unsigned, true});
        QCOMPARE(u.rmin, 0.0f);
        QVERIFY(std::abs(u.rmax - sample) <= 2 * binWidth(h));
    }

    void percentileGaussianAsymmetric()
    {
        std::mt19937 rng(43);
        const std::vector<float> x = gaussian(rng, 1000000, 1.0f, 2.0f);
        const StreamingHistogram h = histOf(x);
        for (auto [p, z] : {std::pair{99.0, 2.3263479}, std::pair{99.9, 3.0902323}}) {
            const Range r = calibrate(h, {CalibMethod::Percentile, p}, {8, IntRange::Unsigned, false});
            qInfo("p=%g: [%.4f, %.4f], known [%.4f, %.4f]", p, double(r.rmin), double(r.rmax), 1 - 2 * z, 1 + 2 * z);
            QVERIFY(std::abs(r.rmin - (1 - 2 * z)) < 0.03 * z);
            QVERIFY(std::abs(r.rmax - (1 + 2 * z)) < 0.03 * z);
            QVERIFY(std::abs(r.rmin - sampleQuantile(x, 1 - p / 100)) <= binWidth(h));
            QVERIFY(std::abs(r.rmax - sampleQuantile(x, p / 100)) <= binWidth(h));
        }
        // p = 100 is MinMax.
        const Range all = calibrate(h, {CalibMethod::Percentile, 100.0}, {8, IntRange::Signed, false});
        QCOMPARE(all.rmin, h.min());
        QCOMPARE(all.rmax, h.max());
    }

    // --- Entropy (KL) ------------------------------------------------------------------------

    void entropyLaplaceMatchesBruteForce_data()
    {
        QTest::addColumn<int>("bits");
        QTest::addColumn<int>("histBins");
        QTest::addRow("8 bits, 2048-bin histogram") << 8 << 2048;
        QTest::addRow("8 bits, 16384-bin histogram") << 8 << 16384;
        QTest::addRow("6 bits, 16384-bin histogram") << 6 << 16384;
    }

    void entropyLaplaceMatchesBruteForce()
    {
        QFETCH(int, bits);
        QFETCH(int, histBins);
        std::mt19937 rng(7);
        const std::vector<float> x = laplace(rng, 500000, 1.0f);
        double width = 0;
        const int levels = 1 << (bits - 1);
        const std::vector<double> kl = rawKlCurve(x, levels, width);
        const auto best = std::min_element(kl.begin() + levels, kl.end()) - kl.begin();
        const double tRef = (double(best) + 0.5) * width;
        const Range r = calibrate(histOf(x, histBins), {CalibMethod::Entropy}, {bits, IntRange::Signed, true});
        const double t = r.rmax;
        const auto i = static_cast<std::size_t>(std::clamp<double>(std::round(t / width - 0.5), levels, 2048));
        qInfo("bits %d: KL threshold %.4f (raw brute force %.4f, max|x| %.4f); KL there %.6f, min %.6f",
              bits, t, tRef, width * 2048, kl[i], kl[static_cast<std::size_t>(best)]);
        QCOMPARE(r.rmin, -r.rmax);
        QVERIFY(t < 0.8 * width * 2048);   // the Laplace tail is clipped
        QVERIFY(std::abs(t - tRef) / tRef < (histBins > 2048 ? 0.05 : 0.15));
        QVERIFY(kl[i] <= kl[static_cast<std::size_t>(best)] * (histBins > 2048 ? 1.1 : 1.3) + 1e-6);
    }

    void entropyKeepsRangeOfUniformData()
    {
        std::mt19937 rng(9);
        std::uniform_real_distribution<float> u(-1.0f, 1.0f);
        std::vector<float> x(300000);
        for (float &v : x)
            v = u(rng);
        const StreamingHistogram h = histOf(x);
        const Range r = calibrate(h, {CalibMethod::Entropy}, {8, IntRange::Signed, true});
        qInfo("uniform: KL threshold %.4f of max %.4f", double(r.rmax), double(h.max()));
        QVERIFY(r.rmax > 0.9f);
        // 12+ bits: 2^(b-1) levels are as fine as the 2048 bins; nothing is clipped.
        const Range fine = calibrate(h, {CalibMethod::Entropy}, {12, IntRange::Signed, true});
        QCOMPARE(double(fine.rmax), std::max(std::abs(double(h.min())), double(h.max())));
    }

    // --- MSE -----------------------------------------------------------------------------------

    void mseLaplaceMatchesBruteForce_data()
    {
        QTest::addColumn<int>("bits");
        QTest::addColumn<int>("kind");
        QTest::addColumn<bool>("sym");
        QTest::addRow("int8 symmetric") << 8 << int(IntRange::Signed) << true;
        QTest::addRow("int4 symmetric") << 4 << int(IntRange::Signed) << true;
        QTest::addRow("int4 restricted") << 4 << int(IntRange::SignedRestricted) << true;
        QTest::addRow("uint3 asymmetric") << 3 << int(IntRange::Unsigned) << false;
    }

    void mseLaplaceMatchesBruteForce()
    {
        QFETCH(int, bits);
        QFETCH(int, kind);
        QFETCH(bool, sym);
        const QuantSpec spec{bits, IntRange(kind), sym};
        std::mt19937 rng(11);
        const std::vector<float> x = laplace(rng, 200000, 1.0f);
        const StreamingHistogram h = histOf(x);
        const double absMax = std::max(-double(h.min()), double(h.max()));
        // Brute force: fake-quantize the raw samples for every threshold of a grid.
        auto rangeFor = [&](double t) {
            return sym ? Range{float(-t), float(t)}
                       : Range{std::max(h.min(), float(-t)), std::min(h.max(), float(t))};
        };
        auto mseAt = [&](double t) {
            const Range r = rangeFor(t);
            return rawMse(x, chooseParams(spec, r.rmin, r.rmax));
        };
        double bestT = 0, bestE = std::numeric_limits<double>::infinity();
        for (int g = 1; g <= 300; ++g) {
            const double t = absMax * g / 300;
            const double e = mseAt(t);
            if (e < bestE) {
                bestE = e;
                bestT = t;
            }
        }
        const Range r = calibrate(h, {CalibMethod::Mse}, spec);
        const Range want = rangeFor(std::max(-double(r.rmin), double(r.rmax)));
        QCOMPARE(r.rmin, want.rmin);
        QCOMPARE(r.rmax, want.rmax);
        const double t = std::max(-double(r.rmin), double(r.rmax));
        const double e = mseAt(t);
        qInfo("bits %d: MSE threshold %.4f (brute force %.4f, max|x| %.3f); MSE %.4g vs %.4g, minmax %.4g",
              bits, t, bestT, absMax, e, bestE, mseAt(absMax));
        QVERIFY(e <= bestE * 1.01);
        QVERIFY(std::abs(t - bestT) / bestT < 0.1);
        QVERIFY(e < mseAt(absMax) * 0.9);   // clipping the tail pays off
    }

    void mseKeepsRangeOfUniformData()
    {
        std::mt19937 rng(12);
        std::uniform_real_distribution<float> u(-2.0f, 2.0f);
        std::vector<float> x(200000);
        for (float &v : x)
            v = u(rng);
        const Range r = calibrate(histOf(x), {CalibMethod::Mse}, {8, IntRange::Signed, true});
        QVERIFY2(r.rmax > 1.95f, qPrintable(QString::number(r.rmax)));
    }

    // --- Method names ------------------------------------------------------------------------

    void parseAndNameMethods()
    {
        struct Case
        {
            const char *text;
            CalibMethod method;
            double percentile;
            const char *name;
        };
        const Case cases[] = {{"minmax", CalibMethod::MinMax, 99.99, "minmax"},
                              {" MinMax ", CalibMethod::MinMax, 99.99, "minmax"},
                              {"percentile:99.9", CalibMethod::Percentile, 99.9, "percentile:99.9"},
                              {"percentile:99.999", CalibMethod::Percentile, 99.999, "percentile:99.999"},
                              {"percentile", CalibMethod::Percentile, 99.99, "percentile:99.99"},
                              {"entropy", CalibMethod::Entropy, 99.99, "entropy"},
                              {"KL", CalibMethod::Entropy, 99.99, "entropy"},
                              {"mse", CalibMethod::Mse, 99.99, "mse"},
                              {"manual", CalibMethod::Manual, 99.99, "manual"}};
        for (const Case &c : cases) {
            auto r = parseCalibMethod(c.text);
            QVERIFY2(r, c.text);
            QCOMPARE(r->method, c.method);
            QCOMPARE(r->percentile, c.percentile);
            QCOMPARE(calibMethodName(*r), std::string(c.name));
            auto again = parseCalibMethod(calibMethodName(*r));
            QVERIFY(again && again->method == r->method && again->percentile == r->percentile);
        }
        auto bad = parseCalibMethod("histogram");
        QVERIFY(!bad);
        QCOMPARE(QString::fromStdString(bad.error().message),
                 QStringLiteral("unknown calibration method 'histogram'; expected minmax, percentile:P "
                                "(50 <= P <= 100), entropy, mse or manual."));
        for (const char *t : {"percentile:abc", "percentile:30", "percentile:100.5", "percentile:99x"}) {
            auto e = parseCalibMethod(t);
            QVERIFY2(!e, t);
            QCOMPARE(QString::fromStdString(e.error().message),
                     QStringLiteral("calibration method '%1' has a bad percentile; expected minmax, "
                                    "percentile:P (50 <= P <= 100), entropy, mse or manual.").arg(t));
        }
    }

    void asymmetricSpecClipsObservedRange()
    {
        // Entropy and MSE give a symmetric threshold t; an asymmetric spec keeps the observed
        // range clipped to [-t, t].
        std::mt19937 rng(13);
        std::vector<float> x = laplace(rng, 100000, 1.0f);
        for (float &v : x)
            v = v < 0 ? 0.3f * v : v;   // skewed: a short negative side
        const StreamingHistogram h = histOf(x);
        for (CalibMethod m : {CalibMethod::Entropy, CalibMethod::Mse}) {
            const Range r = calibrate(h, {m}, {8, IntRange::Unsigned, false});
            QVERIFY(r.rmin >= h.min() && r.rmax <= h.max());
            QVERIFY(r.rmax < h.max());
            QVERIFY(r.rmin == h.min() || r.rmin == -r.rmax);
        }
    }
};

QTEST_APPLESS_MAIN(TestCalibrator)
#include "test_calibrator.moc"
