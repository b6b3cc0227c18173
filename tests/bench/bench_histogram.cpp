// Histogram of 100 million floats: median time of several runs, and the memory bandwidth it
// implies. Usage: bench_histogram [millions=100] [bins=2048] [runs=7] [threads=0 (all)]
#include "core/stats/histogram.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

int main(int argc, char **argv)
{
    const long millions = argc > 1 ? std::atol(argv[1]) : 100;
    const int bins = argc > 2 ? std::atoi(argv[2]) : 2048;
    const int runs = argc > 3 ? std::atoi(argv[3]) : 7;
    const int threads = argc > 4 ? std::atoi(argv[4]) : 0;
    const std::size_t n = static_cast<std::size_t>(millions) * 1000000;
    std::vector<float> data(n);
    std::mt19937 rng(42);
    std::normal_distribution<float> dist(0.0f, 1.0f);
    for (std::size_t i = 0; i < std::min<std::size_t>(n, 1 << 20); ++i)
        data[i] = dist(rng);
    for (std::size_t i = 1 << 20; i < n; ++i) // tile the random block: same distribution, fast fill
        data[i] = data[i & ((1 << 20) - 1)];
    std::vector<double> ms;
    int64_t check = 0;
    for (int r = 0; r < runs; ++r) {
        const auto t0 = std::chrono::steady_clock::now();
        const auto h = nnc::computeHistogram(data, bins, -4.0, 4.0, threads);
        ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
        check = h.below + h.above;
        for (auto c : h.counts)
            check += c;
    }
    std::sort(ms.begin(), ms.end());
    const double median = ms[ms.size() / 2];
    std::printf("histogram: %zu floats, %d bins, %d runs: median %.1f ms (min %.1f, max %.1f), "
                "%.2f GB/s; counted %lld values\n",
                n, bins, runs, median, ms.front(), ms.back(), n * 4.0 / median / 1e6,
                static_cast<long long>(check));
    // Range from the data (two passes: min/max, then counts).
    const auto t0 = std::chrono::steady_clock::now();
    nnc::computeHistogram(data, bins, threads);
    std::printf("histogram with auto range (min/max pass + count pass): %.1f ms\n",
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    return check == static_cast<int64_t>(n) ? 0 : 1;
}
