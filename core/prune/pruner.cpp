// Pruning (guide: /work/shared/guide/quantization.md, "Pruning"). Every choice orders weights by
// (|w|, index) — channels by (norm, index) — so results are deterministic. The k-th smallest
// magnitude is found by a radix select on the IEEE bit patterns of |w| (for non-negative floats
// the bit pattern orders like the value; NaN sorts above +inf, so NaN is never pruned first):
// two passes over the data with 16-bit digits and O(65536) memory, which matters for the
// global threshold over a whole model.
#include "core/prune/pruner.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <numeric>

namespace nnc {

namespace {

inline uint32_t magKey(float w)
{
    return std::bit_cast<uint32_t>(w) & 0x7fffffffu;
}

inline uint64_t magKey(double w)
{
    return std::bit_cast<uint64_t>(w) & 0x7fffffffffffffffull;
}

template<class K>
struct Kth
{
    K key = 0;           ///< the k-th smallest key
    int64_t extra = 0;   ///< how many keys equal to it are among the k smallest
};

/// The k-th smallest key (1 <= k <= number of keys); forEach(f) calls f(key) for every key.
template<class K, class ForEach>
Kth<K> selectKth(int64_t k, ForEach &&forEach)
{
    constexpr int kBits = sizeof(K) * 8;
    std::vector<int64_t> hist(65536);
    K prefix = 0;
    int64_t rank = k;
    for (int shift = kBits - 16; shift >= 0; shift -= 16) {
        std::fill(hist.begin(), hist.end(), 0);
        const int high = shift + 16;   // the digits above this one must equal `prefix`
        forEach([&](K key) {
            if (high >= kBits || (key >> high) == prefix)
                ++hist[static_cast<std::size_t>((key >> shift) & 0xffffu)];
        });
        std::size_t d = 0;
        while (d + 1 < hist.size() && rank > hist[d])
            rank -= hist[d++];
        prefix = static_cast<K>((prefix << 16) | static_cast<K>(d));
    }
    return {prefix, rank};
}

Result<void> checkRatio(double ratio)
{
    if (!(ratio >= 0.0 && ratio < 1.0))
        return fail("the pruning ratio " + std::to_string(ratio) + " is outside [0, 1).");
    return {};
}

Result<int64_t> axisOf(int axis, int64_t rank, const char *what, const Dims &dims)
{
    if (rank == 0 || axis < -rank || axis >= rank)
        return fail(std::string("the ") + what + " axis " + std::to_string(axis)
                    + " is out of range for a weight of shape " + dimsToString(dims) + ".");
    return axis < 0 ? axis + rank : axis;
}

template<class T>
void unstructured(std::span<T> w, int64_t k)
{
    if (k <= 0)
        return;
    using K = decltype(magKey(T{}));
    const Kth<K> kth = selectKth<K>(k, [&](auto &&f) {
        for (T v : w)
            f(magKey(v));
    });
    int64_t extra = kth.extra;
    for (T &v : w) {
        const K key = magKey(v);
        if (key < kth.key || (key == kth.key && extra-- > 0))
            v = T(0);
    }
}

template<class T>
void channels(std::span<T> w, const Dims &dims, int64_t axis, int64_t k, bool l2)
{
    int64_t outer = 1, inner = 1;
    const int64_t c = dims[static_cast<std::size_t>(axis)];
    for (int64_t i = 0; i < axis; ++i)
        outer *= dims[static_cast<std::size_t>(i)];
    for (std::size_t i = static_cast<std::size_t>(axis) + 1; i < dims.size(); ++i)
        inner *= dims[i];
    std::vector<double> norm(static_cast<std::size_t>(c), 0.0);
    for (int64_t o = 0; o < outer; ++o)
        for (int64_t ch = 0; ch < c; ++ch) {
            const T *row = w.data() + (o * c + ch) * inner;
            double s = 0;
            for (int64_t i = 0; i < inner; ++i) {
                const double v = row[i];
                s += l2 ? v * v : std::abs(v);
            }
            norm[static_cast<std::size_t>(ch)] += s;
        }
    for (double &n : norm) {
        if (std::isnan(n))
            n = std::numeric_limits<double>::infinity();
        else if (l2)
            n = std::sqrt(n);
    }
    std::vector<int64_t> order(static_cast<std::size_t>(c));
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) {
        return norm[static_cast<std::size_t>(a)] < norm[static_cast<std::size_t>(b)];
    });
    std::vector<char> drop(static_cast<std::size_t>(c), 0);
    for (int64_t i = 0; i < k && i < c; ++i)
        drop[static_cast<std::size_t>(order[static_cast<std::size_t>(i)])] = 1;
    for (int64_t o = 0; o < outer; ++o)
        for (int64_t ch = 0; ch < c; ++ch)
            if (drop[static_cast<std::size_t>(ch)])
                std::fill_n(w.data() + (o * c + ch) * inner, inner, T(0));
}

template<class T>
void nOfM(std::span<T> w, const Dims &dims, int64_t outAxis, int64_t redAxis, int n, int m)
{
    const auto rank = static_cast<int64_t>(dims.size());
    int64_t outer = 1, len = 1, inner = 1;
    for (int64_t i = 0; i < redAxis; ++i)
        outer *= dims[static_cast<std::size_t>(i)];
    if (redAxis > outAxis) {
        for (int64_t i = redAxis; i < rank; ++i)
            len *= dims[static_cast<std::size_t>(i)];
    } else {
        len = dims[static_cast<std::size_t>(redAxis)];
        for (int64_t i = redAxis + 1; i < rank; ++i)
            inner *= dims[static_cast<std::size_t>(i)];
    }
    using K = decltype(magKey(T{}));
    std::vector<std::pair<K, int64_t>> group;
    for (int64_t o = 0; o < outer; ++o)
        for (int64_t j = 0; j < inner; ++j) {
            T *line = w.data() + o * len * inner + j;
            for (int64_t g = 0; g < len; g += m) {
                const int64_t size = std::min<int64_t>(m, len - g);
                if (size <= n)
                    continue;   // a short trailing group padded with zeros keeps all its values
                group.clear();
                for (int64_t t = 0; t < size; ++t)
                    group.emplace_back(magKey(line[(g + t) * inner]), g + t);
                // Zero the size - n smallest by (|w|, index): pairs compare exactly that way.
                std::sort(group.begin(), group.end());
                for (int64_t t = 0; t < size - n; ++t)
                    line[group[static_cast<std::size_t>(t)].second * inner] = T(0);
            }
        }
}

template<class T>
Result<void> pruneTyped(std::span<T> w, const Dims &dims, const PruneSpec &spec, int outputAxis,
                        int reductionAxis)
{
    const auto rank = static_cast<int64_t>(dims.size());
    switch (spec.structure) {
    case PruneStructure::Unstructured:
        unstructured(w, pruneCount(spec.ratio, static_cast<int64_t>(w.size())));
        return {};
    case PruneStructure::Channel: {
        auto ax = axisOf(outputAxis, rank, "output-channel", dims);
        if (!ax)
            return std::unexpected(ax.error());
        const int64_t c = dims[static_cast<std::size_t>(*ax)];
        channels(w, dims, *ax, pruneCount(spec.ratio, c), spec.l2);
        return {};
    }
    case PruneStructure::NM: {
        auto out = axisOf(outputAxis, rank, "output-channel", dims);
        if (!out)
            return std::unexpected(out.error());
        auto red = axisOf(reductionAxis, rank, "reduction", dims);
        if (!red)
            return std::unexpected(red.error());
        if (*red == *out && rank > 1)
            return fail("the reduction axis and the output-channel axis of a weight of shape "
                        + dimsToString(dims) + " are both " + std::to_string(*red) + ".");
        nOfM(w, dims, *out, *red, spec.n, spec.m);
        return {};
    }
    }
    return {};
}

template<class T>
void pruneBelowTyped(std::span<T> w, float threshold, int64_t extra)
{
    const auto t = static_cast<T>(std::abs(threshold));
    for (T &v : w) {
        const T a = std::abs(v);
        if (a < t || (a == t && extra-- > 0))
            v = T(0);
    }
}

bool isHalfType(DataType t)
{
    return t == DataType::Float16 || t == DataType::BFloat16;
}

} // namespace

int64_t pruneCount(double ratio, int64_t n)
{
    if (!(ratio > 0) || n <= 0)
        return 0;
    const double x = ratio * static_cast<double>(n);
    return std::clamp<int64_t>(static_cast<int64_t>(std::floor(x + x * 1e-12 + 1e-12)), 0, n);
}

Result<Tensor> pruneWeight(const Tensor &weight, const PruneSpec &spec, int outputAxis,
                           int reductionAxis)
{
    if (spec.structure != PruneStructure::NM) {
        if (auto ok = checkRatio(spec.ratio); !ok)
            return std::unexpected(ok.error());
    } else if (spec.m < 1 || spec.n < 1 || spec.n > spec.m) {
        return fail("N:M pruning needs 1 <= N <= M; got " + std::to_string(spec.n) + ":"
                    + std::to_string(spec.m) + ".");
    }
    const DataType dt = weight.dtype();
    if (isHalfType(dt)) {
        auto pruned = pruneWeight(weight.castTo(DataType::Float), spec, outputAxis, reductionAxis);
        if (!pruned)
            return pruned;
        return pruned->castTo(dt);   // float16/bfloat16 -> float -> back is exact
    }
    if (dt != DataType::Float && dt != DataType::Double)
        return fail("pruning needs a floating-point weight; this one is "
                    + std::string(dtypeName(dt)) + ".");
    Tensor out(dt, weight.dims());
    std::memcpy(out.mutableBytes().data(), weight.bytes().data(), weight.byteSize());
    Result<void> ok;
    if (dt == DataType::Float)
        ok = pruneTyped(out.mutableSpan<float>(), weight.dims(), spec, outputAxis, reductionAxis);
    else
        ok = pruneTyped(out.mutableSpan<double>(), weight.dims(), spec, outputAxis, reductionAxis);
    if (!ok)
        return std::unexpected(ok.error());
    return out;
}

GlobalPrunePlan globalMagnitudePlan(std::span<const Tensor *const> weights, double ratio)
{
    GlobalPrunePlan plan;
    plan.extraAtThreshold.assign(weights.size(), 0);
    // Magnitudes as float keys (double and half weights are compared at float precision).
    std::vector<std::vector<float>> converted(weights.size());
    std::vector<std::span<const float>> views(weights.size());
    for (std::size_t i = 0; i < weights.size(); ++i) {
        const Tensor *t = weights[i];
        if (!t || t->empty() || t->dtype() == DataType::String)
            continue;
        if (t->dtype() == DataType::Float) {
            views[i] = t->span<float>();
        } else {
            converted[i] = t->toFloatVector();
            views[i] = converted[i];
        }
        plan.total += static_cast<int64_t>(views[i].size());
    }
    plan.pruned = pruneCount(ratio >= 1.0 ? 0.0 : ratio, plan.total);
    if (plan.pruned == 0)
        return plan;
    const Kth<uint32_t> kth = selectKth<uint32_t>(plan.pruned, [&](auto &&f) {
        for (const auto &v : views)
            for (float x : v)
                f(magKey(x));
    });
    plan.threshold = std::bit_cast<float>(kth.key);
    int64_t remaining = kth.extra;
    for (std::size_t i = 0; i < views.size() && remaining > 0; ++i) {
        int64_t equal = 0;
        for (float x : views[i])
            equal += magKey(x) == kth.key ? 1 : 0;
        plan.extraAtThreshold[i] = std::min(equal, remaining);
        remaining -= plan.extraAtThreshold[i];
    }
    return plan;
}

float globalMagnitudeThreshold(std::span<const Tensor *const> weights, double ratio)
{
    return globalMagnitudePlan(weights, ratio).threshold;
}

Tensor pruneBelow(const Tensor &weight, float threshold, int64_t extraAtThreshold)
{
    const DataType dt = weight.dtype();
    if (dt != DataType::Float && dt != DataType::Double) {
        if (dt == DataType::String || weight.empty())
            return weight;
        // Other numeric types go through float (exact for half types and small integers).
        return pruneBelow(weight.castTo(DataType::Float), threshold, extraAtThreshold).castTo(dt);
    }
    Tensor out(dt, weight.dims());
    std::memcpy(out.mutableBytes().data(), weight.bytes().data(), weight.byteSize());
    if (dt == DataType::Float)
        pruneBelowTyped(out.mutableSpan<float>(), threshold, extraAtThreshold);
    else
        pruneBelowTyped(out.mutableSpan<double>(), threshold, extraAtThreshold);
    return out;
}

} // namespace nnc
