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
class StreamingHistogram
{
public:
    explicit StreamingHistogram(int bins = 2048);
    void add(std::span<const float> values);   ///< NaN/Inf are counted apart, not binned
    int64_t count() const;
    float min() const;
    float max() const;
    /// Bin edges and counts over [lo, hi] (for plots); counts().size() == bins.
    double lo() const;
    double hi() const;
    const std::vector<double> &counts() const;
    int64_t nonFinite() const;
    /// Histogram of |x| with `bins` bins over [0, max|x|] derived from this one.
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
Range calibrate(const StreamingHistogram &h, const CalibConfig &config, const QuantSpec &spec);

/// "minmax", "percentile:99.99", "entropy", "mse", "manual" <-> CalibConfig
Result<CalibConfig> parseCalibMethod(const std::string &text);
std::string calibMethodName(const CalibConfig &config);

} // namespace nnc
