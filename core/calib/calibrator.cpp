// Calibration (guide: /work/shared/guide/quantization.md, "Calibration").
//
// StreamingHistogram keeps `bins` equal bins of width w, a power of two, whose edges are integer
// multiples of w: bin i holds the values x with floor(x / w) = k + i, and lo = k * w. When a new
// extreme arrives that does not fit, w is doubled (as often as needed) and k re-chosen; because
// every old edge is also a multiple of the new width, each old bin falls entirely into one new
// bin, so re-binning merges bins exactly. The histogram after any sequence of batches therefore
// equals the one built from all the data at once with the final width: no order dependence and
// no interpolation error. w is always the smallest power of two at which the data fits, so the
// occupied range spans at least about half of the bins.
//
// The methods read the histogram as piecewise uniform: each bin's mass spread evenly over the
// bin (the first and last occupied bins clipped to the exact min and max).
#include "core/calib/calibrator.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>

namespace nnc {

namespace {

constexpr double kMinWidth = 0x1p-160;   // below the smallest float subnormal
constexpr std::size_t kParallelThreshold = std::size_t{1} << 18;

// Largest power of two <= v (v > 0).
double floorPow2(double v)
{
    int e = 0;
    std::frexp(v, &e);   // v = m * 2^e, m in [0.5, 1)
    return std::ldexp(1.0, e - 1);
}

bool fits(double lo, double hi, double w, int bins)
{
    return std::floor(hi / w) - std::floor(lo / w) <= static_cast<double>(bins - 1);
}

// The smallest power of two >= start at which [lo, hi] fits in `bins` bins.
double fitWidth(double lo, double hi, double start, int bins)
{
    double w = std::max(start, kMinWidth);
    const double span = hi - lo;
    if (span > 0)
        w = std::max(w, floorPow2(span / bins));
    while (!fits(lo, hi, w, bins))
        w *= 2;
    return w;
}

} // namespace

StreamingHistogram::StreamingHistogram(int bins)
    : m_bins(std::max(bins, 2)), m_counts(static_cast<std::size_t>(m_bins), 0.0)
{}

void StreamingHistogram::add(std::span<const float> values)
{
    // Pass 1: the batch's finite extremes and its non-finite count.
    const auto n = static_cast<int64_t>(values.size());
    const float *v = values.data();
    float bmin = std::numeric_limits<float>::infinity(), bmax = -bmin;
    int64_t bad = 0;
    constexpr float kMax = std::numeric_limits<float>::max();
#pragma omp parallel for simd schedule(static) if (values.size() >= kParallelThreshold) \
    reduction(min : bmin) reduction(max : bmax) reduction(+ : bad)
    for (int64_t i = 0; i < n; ++i) {
        const float x = v[i];
        const bool finite = std::abs(x) <= kMax;   // false for NaN and infinities
        bmin = finite && x < bmin ? x : bmin;
        bmax = finite && x > bmax ? x : bmax;
        bad += finite ? 0 : 1;
    }
    m_nonFinite += bad;
    if (bad == n)
        return;

    // Choose the width: the current one, doubled until the new extremes fit.
    const bool first = m_count == 0;
    const float newMin = first ? bmin : std::min(m_min, bmin);
    const float newMax = first ? bmax : std::max(m_max, bmax);
    const double oldW = first ? 0.0 : (m_hi - m_lo) / m_bins;
    double start = oldW;
    if (first) {
        // A first batch of one repeated value has no span: start 40 binary orders below its
        // magnitude (any width works for a single value; a small one keeps later growth
        // order-independent in practice).
        const double mag = std::max(std::abs(double(newMin)), std::abs(double(newMax)));
        start = mag > 0 ? floorPow2(mag) * 0x1p-40 : kMinWidth;
    }
    const double w = fitWidth(newMin, newMax, start, m_bins);
    const auto k = static_cast<int64_t>(std::floor(double(newMin) / w));
    if (!first) {
        const auto oldK = static_cast<int64_t>(m_lo / oldW);
        if (w != oldW || k != oldK) {
            const int shift = static_cast<int>(std::lround(std::log2(w / oldW)));
            std::vector<double> merged(m_counts.size(), 0.0);
            for (std::size_t i = 0; i < m_counts.size(); ++i) {
                if (m_counts[i] == 0)
                    continue;
                // floor((oldK + i) / 2^shift) with an arithmetic shift (floor for negatives).
                const int64_t j = ((oldK + static_cast<int64_t>(i)) >> shift) - k;
                merged[static_cast<std::size_t>(std::clamp<int64_t>(j, 0, m_bins - 1))] += m_counts[i];
            }
            m_counts = std::move(merged);
        }
    }
    m_lo = static_cast<double>(k) * w;
    m_hi = static_cast<double>(k + m_bins) * w;
    m_min = newMin;
    m_max = newMax;
    m_count += n - bad;

    // Pass 2: bin the batch. Indices are computed in blocks by a vectorized loop, then counted.
    // In double, y = x / w = x * (1 / w) is exact (w is a power of two) and so is y - k, except
    // for negative y so close to 0 that it vanishes beside k (corrected below); y - k >= 0 for
    // every value in range, so truncation is the floor. (std::floor and branches that compute
    // keep GCC 12 from vectorizing; these selects and conversions do not.)
    const double invW = 1.0 / w, kd = static_cast<double>(k), top = m_bins - 1;
    const int bins = m_bins;
    auto countRange = [v, invW, kd, top, bins](int64_t begin, int64_t end, std::vector<int64_t> &local) {
        int32_t idx[256];
        const double minusK = -kd;
        for (int64_t b = begin; b < end; b += 256) {
            const int m = static_cast<int>(std::min<int64_t>(256, end - b));
            const float *x = v + b;
#pragma omp simd
            for (int j = 0; j < m; ++j) {
                const double y = static_cast<double>(x[j]) * invW;
                double f = y - kd;
                f -= static_cast<double>(static_cast<int>(y < 0) & static_cast<int>(f == minusK));
                f = f >= 0 ? f : 0;   // also maps NaN to 0
                f = f <= top ? f : top;
                const auto i = static_cast<int32_t>(f);
                idx[j] = std::abs(x[j]) <= kMax ? i : -1;
            }
            for (int j = 0; j < m; ++j)
                if (idx[j] >= 0 && idx[j] < bins)
                    ++local[static_cast<std::size_t>(idx[j])];
        }
    };
    std::vector<int64_t> counts(m_counts.size(), 0);
    if (values.size() < kParallelThreshold) {
        countRange(0, n, counts);
    } else {
#pragma omp parallel
        {
            std::vector<int64_t> local(m_counts.size(), 0);
#pragma omp for schedule(static)
            for (int64_t c = 0; c < (n + 16383) / 16384; ++c)
                countRange(c * 16384, std::min(n, (c + 1) * 16384), local);
#pragma omp critical(nnc_histogram_merge)
            for (std::size_t j = 0; j < local.size(); ++j)
                counts[j] += local[j];
        }
    }
    for (std::size_t j = 0; j < counts.size(); ++j)
        m_counts[j] += static_cast<double>(counts[j]);
}

int64_t StreamingHistogram::count() const
{
    return m_count;
}

float StreamingHistogram::min() const
{
    return m_min;
}

float StreamingHistogram::max() const
{
    return m_max;
}

double StreamingHistogram::lo() const
{
    return m_lo;
}

double StreamingHistogram::hi() const
{
    return m_hi;
}

const std::vector<double> &StreamingHistogram::counts() const
{
    return m_counts;
}

int64_t StreamingHistogram::nonFinite() const
{
    return m_nonFinite;
}

namespace {

// One occupied bin read as a uniform density over [a, b] (a == b: a point mass).
struct Piece
{
    double a, b, mass;
};

std::vector<Piece> pieces(const StreamingHistogram &h)
{
    std::vector<Piece> out;
    if (h.count() == 0)
        return out;
    const auto &c = h.counts();
    const double w = (h.hi() - h.lo()) / static_cast<double>(c.size());
    for (std::size_t i = 0; i < c.size(); ++i) {
        if (c[i] <= 0)
            continue;
        const double a = std::max(h.lo() + static_cast<double>(i) * w, double(h.min()));
        const double b = std::min(h.lo() + static_cast<double>(i + 1) * w, double(h.max()));
        out.push_back({a, std::max(a, b), c[i]});
    }
    return out;
}

// Spreads `mass` uniformly over [u, v] into bins of width `width` starting at 0.
void spread(std::vector<double> &bins, double width, double u, double v, double mass)
{
    const auto last = static_cast<int64_t>(bins.size()) - 1;
    auto index = [&](double x) {
        return std::clamp<int64_t>(static_cast<int64_t>(std::floor(x / width)), 0, last);
    };
    if (!(v > u)) {
        bins[static_cast<std::size_t>(index(u))] += mass;
        return;
    }
    const int64_t j0 = index(u), j1 = index(v);
    for (int64_t j = j0; j <= j1; ++j) {
        const double lo = j == j0 ? u : static_cast<double>(j) * width;
        const double hi = j == j1 ? v : static_cast<double>(j + 1) * width;
        bins[static_cast<std::size_t>(j)] += mass * std::max(0.0, hi - lo) / (v - u);
    }
}

// Mass of the histogram within [-t, t] (t >= 0).
double massWithin(const std::vector<Piece> &ps, double t)
{
    double m = 0;
    for (const Piece &p : ps) {
        if (p.b == p.a) {
            m += std::abs(p.a) <= t ? p.mass : 0.0;
            continue;
        }
        const double lo = std::max(p.a, -t), hi = std::min(p.b, t);
        if (hi > lo)
            m += p.mass * (hi - lo) / (p.b - p.a);
    }
    return m;
}

// The q-quantile (q in [0, 1]) of the values.
double quantile(const std::vector<Piece> &ps, double total, double q, double vmin, double vmax)
{
    if (q <= 0)
        return vmin;
    if (q >= 1)
        return vmax;
    const double target = q * total;
    double cum = 0;
    for (const Piece &p : ps) {
        if (cum + p.mass >= target) {
            const double f = p.mass > 0 ? (target - cum) / p.mass : 0.0;
            return p.a + std::clamp(f, 0.0, 1.0) * (p.b - p.a);
        }
        cum += p.mass;
    }
    return vmax;
}

// The q-quantile of |x|, by bisection on the mass within [-t, t].
double absQuantile(const std::vector<Piece> &ps, double total, double q, double absMax)
{
    if (q >= 1)
        return absMax;
    const double target = q * total;
    double lo = 0, hi = absMax;
    for (int it = 0; it < 100 && hi - lo > absMax * 1e-12; ++it) {
        const double mid = 0.5 * (lo + hi);
        (massWithin(ps, mid) >= target ? hi : lo) = mid;
    }
    return hi;
}

// Integral over [u, v] (u <= v) of (x - c)^2.
double sqIntegral(double u, double v, double c)
{
    const double a = u - c, b = v - c;
    return (b * b * b - a * a * a) / 3.0;
}

// Antiderivative of the squared rounding error (x - S * round(x / S))^2.
double sawAntiderivative(double x, double s)
{
    const double y = x / s + 0.5;
    const double n = std::floor(y);
    const double f = y - n - 0.5;
    return s * s * s * (n / 12.0 + (f * f * f + 0.125) / 3.0);
}

double fakeQuantDouble(double x, const QuantParams &p)
{
    const double s = p.scale, z = p.zeroPoint;
    const double q = std::clamp(std::nearbyint(x / s) + z, double(p.qmin), double(p.qmax));
    return s * (q - z);
}

// Integral over [a, b] of the squared fake-quantization error for params p.
double errorIntegral(double a, double b, const QuantParams &p)
{
    const double s = p.scale;
    const double low = s * (p.qmin - p.zeroPoint), high = s * (p.qmax - p.zeroPoint);
    const double xl = low + 0.5 * s, xh = high - 0.5 * s;   // clipping starts beyond these
    double e = 0;
    if (a < xl)
        e += sqIntegral(a, std::min(b, xl), low);
    if (b > xh)
        e += sqIntegral(std::max(a, xh), b, high);
    const double u = std::max(a, xl), v = std::min(b, xh);
    if (v > u)
        e += sawAntiderivative(v, s) - sawAntiderivative(u, s);
    return e;
}

// Expected squared fake-quantization error under the histogram (sum over values).
double expectedError(const std::vector<Piece> &ps, const QuantParams &p)
{
    double e = 0;
    for (const Piece &pc : ps) {
        if (pc.b > pc.a) {
            e += pc.mass * errorIntegral(pc.a, pc.b, p) / (pc.b - pc.a);
        } else {
            const double d = pc.a - fakeQuantDouble(pc.a, p);
            e += pc.mass * d * d;
        }
    }
    return e;
}

// The range a symmetric threshold t proposes: [-t, t], [0, t] for non-negative data with an
// unsigned symmetric range, and for asymmetric quantization the observed range clipped to
// [-t, t].
Range thresholdRange(const StreamingHistogram &h, const QuantSpec &spec, double t)
{
    const auto tf = static_cast<float>(t);
    if (!spec.symmetric)
        return {std::max(h.min(), -tf), std::min(h.max(), tf)};
    if (spec.range == IntRange::Unsigned && h.min() >= 0)
        return {0.0f, tf};
    return {-tf, tf};
}

double entropyThreshold(const StreamingHistogram &h, const QuantSpec &spec)
{
    constexpr int kBins = 2048;
    double absMax = 0;
    const std::vector<double> hist = h.absCounts(kBins, absMax);
    if (absMax <= 0)
        return 0;
    const int bits = std::clamp(spec.bits, 2, 16);
    const int levels = 1 << (bits - 1);
    if (levels >= kBins)
        return absMax;   // the grid is finer than the histogram: nothing to gain by clipping
    const double width = absMax / kBins;

    // For a cut after i bins: P = the first i bins with the tail mass (bins i..end) folded into
    // bin i-1; Q = the first i bins *without* the tail (as TensorRT builds it; merging P itself
    // would make Q == P at i = levels, KL 0, so the smallest cut would always win), merged into
    // `levels` levels (bin j in level floor(j * levels / i)) and each level's mass spread evenly
    // over its bins where P is non-empty. Both are normalized. With Q constant over a level,
    //   sum P log(P/Q) = sum P log P - sum_levels (P mass of level) * log q_level,
    // so each candidate costs O(levels) from prefix sums instead of O(i).
    std::vector<double> sum(kBins + 1, 0.0), plogp(kBins + 1, 0.0);
    std::vector<int> nonEmpty(kBins + 1, 0);
    for (int j = 0; j < kBins; ++j) {
        const double c = hist[static_cast<std::size_t>(j)];
        sum[static_cast<std::size_t>(j + 1)] = sum[static_cast<std::size_t>(j)] + c;
        plogp[static_cast<std::size_t>(j + 1)] = plogp[static_cast<std::size_t>(j)] + (c > 0 ? c * std::log(c) : 0.0);
        nonEmpty[static_cast<std::size_t>(j + 1)] = nonEmpty[static_cast<std::size_t>(j)] + (c > 0 ? 1 : 0);
    }
    const double total = sum[kBins];
    double bestKl = std::numeric_limits<double>::infinity();
    int bestI = kBins;
    for (int i = levels; i <= kBins; ++i) {
        const auto iu = static_cast<std::size_t>(i);
        const double tail = total - sum[iu];
        const double last = hist[iu - 1] + tail;   // P's last bin
        double a = plogp[iu - 1] + (last > 0 ? last * std::log(last) : 0.0);   // sum P log P
        double b = 0;                                                          // sum P log Q
        bool infinite = false;
        for (int l = 0; l < levels && !infinite; ++l) {
            const auto from = static_cast<std::size_t>((int64_t(l) * i + levels - 1) / levels);
            const auto to = static_cast<std::size_t>((int64_t(l + 1) * i + levels - 1) / levels);
            const double mass = sum[to] - sum[from];
            int count = nonEmpty[to] - nonEmpty[from];
            double pMass = mass;
            if (l == levels - 1) {   // holds bin i-1, where P has the tail too
                pMass += tail;
                if (hist[iu - 1] <= 0 && tail > 0)
                    ++count;
            }
            if (pMass <= 0)
                continue;
            if (mass <= 0) {   // P has mass where Q has none
                infinite = true;
                break;
            }
            b += pMass * std::log(mass / count);
        }
        if (infinite)
            continue;
        const double qTotal = sum[iu];
        const double kl = (a - b) / total + std::log(qTotal) - std::log(total);
        if (kl < bestKl) {
            bestKl = kl;
            bestI = i;
        }
    }
    return std::min((bestI + 0.5) * width, absMax);
}

double mseThreshold(const StreamingHistogram &h, const QuantSpec &spec)
{
    constexpr int kGrid = 1024;
    const std::vector<Piece> ps = pieces(h);
    const double absMax = std::max(std::abs(double(h.min())), std::abs(double(h.max())));
    if (ps.empty() || absMax <= 0)
        return 0;
    double best = std::numeric_limits<double>::infinity(), bestT = absMax;
    for (int g = 1; g <= kGrid; ++g) {
        const double t = absMax * g / kGrid;
        const Range r = thresholdRange(h, spec, t);
        const double e = expectedError(ps, chooseParams(spec, r.rmin, r.rmax));
        if (e < best) {
            best = e;
            bestT = t;
        }
    }
    return bestT;
}

} // namespace

std::vector<double> StreamingHistogram::absCounts(int bins, double &absMax) const
{
    bins = std::max(bins, 1);
    std::vector<double> out(static_cast<std::size_t>(bins), 0.0);
    absMax = m_count ? std::max(std::abs(double(m_min)), std::abs(double(m_max))) : 0.0;
    if (m_count == 0)
        return out;
    if (absMax == 0) {
        out[0] = static_cast<double>(m_count);
        return out;
    }
    const double width = absMax / bins;
    for (const Piece &p : pieces(*this)) {
        if (p.b <= 0) {
            spread(out, width, -p.b, -p.a, p.mass);
        } else if (p.a >= 0) {
            spread(out, width, p.a, p.b, p.mass);
        } else {   // straddles zero: split in proportion to the two sides
            const double neg = -p.a / (p.b - p.a);
            spread(out, width, 0, -p.a, p.mass * neg);
            spread(out, width, 0, p.b, p.mass * (1 - neg));
        }
    }
    return out;
}

Range calibrate(const StreamingHistogram &h, const CalibConfig &config, const QuantSpec &spec)
{
    if (config.method == CalibMethod::Manual)
        return {config.manualMin, config.manualMax};
    if (h.count() == 0)
        return {0.0f, 0.0f};
    switch (config.method) {
    case CalibMethod::MinMax:
        return {h.min(), h.max()};
    case CalibMethod::Percentile: {
        const double p = std::clamp(config.percentile, 0.0, 100.0) / 100.0;
        const std::vector<Piece> ps = pieces(h);
        const auto total = static_cast<double>(h.count());
        if (spec.symmetric) {
            const double absMax = std::max(std::abs(double(h.min())), std::abs(double(h.max())));
            return thresholdRange(h, spec, absQuantile(ps, total, p, absMax));
        }
        const double lo = quantile(ps, total, 1 - p, h.min(), h.max());
        const double hi = quantile(ps, total, p, h.min(), h.max());
        return {static_cast<float>(std::min(lo, hi)), static_cast<float>(std::max(lo, hi))};
    }
    case CalibMethod::Entropy:
        return thresholdRange(h, spec, entropyThreshold(h, spec));
    case CalibMethod::Mse:
        return thresholdRange(h, spec, mseThreshold(h, spec));
    case CalibMethod::Manual:
        break;
    }
    return {h.min(), h.max()};
}

Result<CalibConfig> parseCalibMethod(const std::string &text)
{
    std::string s;
    for (char c : text)
        if (!std::isspace(static_cast<unsigned char>(c)))
            s += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const std::string expected = "; expected minmax, percentile:P (50 <= P <= 100), entropy, mse or manual.";
    CalibConfig c;
    if (s == "minmax") {
        c.method = CalibMethod::MinMax;
    } else if (s == "entropy" || s == "kl") {
        c.method = CalibMethod::Entropy;
    } else if (s == "mse") {
        c.method = CalibMethod::Mse;
    } else if (s == "manual") {
        c.method = CalibMethod::Manual;
    } else if (s == "percentile" || s.starts_with("percentile:")) {
        c.method = CalibMethod::Percentile;
        if (s.size() > 11) {
            const char *b = s.data() + 11, *e = s.data() + s.size();
            double p = 0;
            const auto r = std::from_chars(b, e, p);
            if (r.ec != std::errc() || r.ptr != e || !(p >= 50.0 && p <= 100.0))
                return fail("calibration method '" + text + "' has a bad percentile" + expected,
                            Error::Code::Usage);
            c.percentile = p;
        }
    } else {
        return fail("unknown calibration method '" + text + "'" + expected, Error::Code::Usage);
    }
    return c;
}

std::string calibMethodName(const CalibConfig &config)
{
    switch (config.method) {
    case CalibMethod::MinMax:
        return "minmax";
    case CalibMethod::Percentile: {
        char buf[64];
        const auto r = std::to_chars(buf, buf + sizeof buf, config.percentile);
        return "percentile:" + std::string(buf, r.ptr);
    }
    case CalibMethod::Entropy:
        return "entropy";
    case CalibMethod::Mse:
        return "mse";
    case CalibMethod::Manual:
        return "manual";
    }
    return "minmax";
}

} // namespace nnc
