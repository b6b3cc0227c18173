// Calibration: choosing rmin/rmax for a tensor from data, on memory-bounded streaming histograms.
#pragma once

#include "core/quant/quantizer.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace nnc {

/// A histogram that grows its range as new extremes arrive (re-binning what it holds), so any
/// number of batches can be added in constant memory. Tracks exact min/max and count.
/// The bin width is a power of two and the edges are multiples of it; growing doubles the width,
/// so old bins merge exactly and the result never depends on how the data was split into
/// batches (it equals the histogram of all the data added at once).
class StreamingHistogram
{
public:
    explicit StreamingHistogram(int bins = 2048);   ///< bins < 2 is raised to 2
    void add(std::span<const float> values);   ///< NaN/Inf are counted apart, not binned
    int64_t count() const;    ///< finite values added (the sum of counts())
    float min() const;        ///< exact finite extremes; 0 before any finite value
    float max() const;
    /// Bin edges and counts over [lo, hi] (for plots); counts().size() == bins. Bin i covers
    /// [lo + i w, lo + (i + 1) w) with w = (hi - lo) / bins. lo == hi == 0 while empty.
    double lo() const;
    double hi() const;
    const std::vector<double> &counts() const;
    int64_t nonFinite() const;
    /// Histogram of |x| with `bins` bins over [0, max|x|] derived from this one (each bin's mass
    /// spread uniformly over the bin, the outer bins clipped to the exact min/max).
    std::vector<double> absCounts(int bins, double &absMax) const;

private:
    int m_bins;
    double m_lo = 0, m_hi = 0;
    std::vector<double> m_counts;
    int64_t m_count = 0, m_nonFinite = 0;
    float m_min = 0, m_max = 0;
};

enum class CalibMethod { MinMax, Percentile, Entropy, Mse, Manual };

struct CalibConfig
{
    CalibMethod method = CalibMethod::MinMax;
    double percentile = 99.99;   ///< for Percentile
    float manualMin = 0, manualMax = 0;  ///< for Manual
};

struct Range
{
    float rmin = 0, rmax = 0;
};

/// The range a method proposes for the data in `h`, for quantization `spec` (symmetric methods
/// give [-t, t], or [0, t] for non-negative data with an unsigned range). Guide's definitions.
/// MinMax: [min, max]. Percentile p: symmetric spec, t = p-th percentile of |x|; asymmetric
/// spec, the (100-p)-th and p-th percentiles. Entropy: TensorRT's KL search on a 2048-bin |x|
/// histogram with 2^(bits-1) levels (12+ bits: t = max|x|). MSE: t from the grid
/// max|x| * k / 1024, k = 1..1024, minimizing the expected squared fake-quantization error of
/// the actual quantizer (chooseParams(spec, range(t))) under the histogram. Entropy and MSE
/// with an asymmetric spec give the observed range clipped to [-t, t]. Manual: the user's
/// range as given. An empty histogram gives [0, 0] (except Manual).
Range calibrate(const StreamingHistogram &h, const CalibConfig &config, const QuantSpec &spec);

/// "minmax", "percentile:99.99", "entropy", "mse", "manual" <-> CalibConfig. Parsing ignores
/// case and spaces, accepts "percentile" (99.99) and "kl" (entropy); P must be in [50, 100].
/// Errors (Code::Usage) name the text and list the accepted forms. Names round-trip.
Result<CalibConfig> parseCalibMethod(const std::string &text);
std::string calibMethodName(const CalibConfig &config);

} // namespace nnc
