// Histograms of tensors: single pass, parallel, fixed bins over [lo, hi].
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace nnc {

struct Histogram
{
    double lo = 0, hi = 0;           ///< range covered by the bins
    std::vector<int64_t> counts;     ///< bins of equal width (hi - lo) / counts.size()
    int64_t below = 0, above = 0;    ///< values outside [lo, hi]
    int64_t nans = 0;                ///< NaN values (not in any bin)
    double binWidth() const { return counts.empty() ? 0 : (hi - lo) / counts.size(); }
    double binCenter(std::size_t i) const { return lo + (static_cast<double>(i) + 0.5) * binWidth(); }
};

/// Counts `values` into `bins` equal bins over [lo, hi] (hi itself falls in the last bin).
/// lo == hi yields one bin holding every value equal to lo. Parallel over `threads` (0 = all).
Histogram computeHistogram(std::span<const float> values, int bins, double lo, double hi,
                           int threads = 0);

/// Same, with the range taken from the finite min and max of the data.
Histogram computeHistogram(std::span<const float> values, int bins, int threads = 0);

} // namespace nnc
