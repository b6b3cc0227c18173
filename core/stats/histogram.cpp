// Parallel single-pass histograms: each thread counts into its own bins, then they are summed.
#include "core/stats/histogram.h"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace nnc {

Histogram computeHistogram(std::span<const float> values, int bins, double lo, double hi,
                           int threads)
{
    Histogram h;
    bins = std::max(1, bins);
    if (hi < lo)
        std::swap(lo, hi);
    h.lo = lo;
    h.hi = hi;
    h.counts.assign(static_cast<std::size_t>(hi > lo ? bins : 1), 0);
    const int nb = static_cast<int>(h.counts.size());
    const float flo = static_cast<float>(lo);
    const float fhi = static_cast<float>(hi);
    const float scale = hi > lo ? static_cast<float>(nb / (hi - lo)) : 0.0f;
    const int64_t n = static_cast<int64_t>(values.size());
    const float *p = values.data();
    const int nThreads = threads > 0 ? threads : omp_get_max_threads();
    std::vector<std::vector<int64_t>> local(static_cast<std::size_t>(nThreads));
    int64_t below = 0, above = 0, nans = 0;
#pragma omp parallel num_threads(nThreads) reduction(+ : below, above, nans)
    {
        auto &mine = local[static_cast<std::size_t>(omp_get_thread_num())];
        mine.assign(static_cast<std::size_t>(nb), 0);
        int64_t *c = mine.data();
#pragma omp for schedule(static)
        for (int64_t i = 0; i < n; ++i) {
            const float v = p[i];
            if (v >= flo && v <= fhi) {
                // v == hi lands in the last bin; the min() also guards float rounding at the top.
                const int b = std::min(nb - 1, static_cast<int>((v - flo) * scale));
                ++c[b];
            } else if (v < flo) {
                ++below;
            } else if (v > fhi) {
                ++above;
            } else {
                ++nans;
            }
        }
    }
    for (const auto &mine : local)
        for (std::size_t b = 0; b < mine.size(); ++b)
            h.counts[b] += mine[b];
    h.below = below;
    h.above = above;
    h.nans = nans;
    return h;
}

Histogram computeHistogram(std::span<const float> values, int bins, int threads)
{
    float mn = std::numeric_limits<float>::infinity(), mx = -mn;
    const int64_t n = static_cast<int64_t>(values.size());
    const float *p = values.data();
#pragma omp parallel for reduction(min : mn) reduction(max : mx) num_threads(threads > 0 ? threads : omp_get_max_threads())
    for (int64_t i = 0; i < n; ++i) {
        if (std::isfinite(p[i])) {
            mn = std::min(mn, p[i]);
            mx = std::max(mx, p[i]);
        }
    }
    if (mn > mx)
        mn = mx = 0.0f;
    return computeHistogram(values, bins, mn, mx, threads);
}

} // namespace nnc
