// Reduction op family, per-axis part: ArgMax/ArgMin, Softmax/LogSoftmax/Hardmax, TopK and
// CumSum. Each works on the input viewed as (outer, n, inner) around its axis: rows of n
// elements with stride `inner`. Softmax-like ops before opset 13 instead flatten the input to
// 2D at `axis` (outer = dims before axis, n = the rest, inner = 1).
#include "core/ops/elementwise_common.h"

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <type_traits>

namespace nnc {

namespace {

using namespace ops;

/// The (outer, n, inner) view of dims around a normalized axis.
struct AxisView
{
    int64_t outer = 1, n = 1, inner = 1;
};

AxisView viewAround(const Dims &dims, int64_t axis)
{
    AxisView v;
    for (int64_t d = 0; d < static_cast<int64_t>(dims.size()); ++d) {
        const int64_t s = dims[static_cast<std::size_t>(d)];
        if (d < axis)
            v.outer *= s;
        else if (d == axis)
            v.n = s;
        else
            v.inner *= s;
    }
    return v;
}

/// Flattened to 2D at axis: (dims before axis) x (dims from axis on).
AxisView view2D(const Dims &dims, int64_t axis)
{
    AxisView v;
    v.n = 1;
    for (int64_t d = 0; d < static_cast<int64_t>(dims.size()); ++d)
        (d < axis ? v.outer : v.n) *= dims[static_cast<std::size_t>(d)];
    return v;
}

// ---- ArgMax / ArgMin -----------------------------------------------------------------------

struct ArgConfig
{
    bool isMax = true;
    int64_t axis = 0;
    bool keepdims = true;
    bool selectLast = false;
};

/// Whether v replaces best: strictly better, or equal when the last index is wanted. NaN counts
/// as the extreme value (first NaN wins unless selectLast), as numpy does.
template <class T> bool argBetter(T v, T best, bool isMax, bool selectLast)
{
    if constexpr (std::is_floating_point_v<T>) {
        if (best != best)
            return selectLast && v != v;
        if (v != v)
            return true;
    }
    if (selectLast && v == best)
        return true;
    return isMax ? v > best : v < best;
}

/// Index of the extreme value of one contiguous row (n >= 1): a vectorizable pass for the value,
/// then a search for its first (or last) position. NaN rows fall back to the ordered scan.
template <class T> int64_t argRow(const T *x, int64_t n, bool isMax, bool selectLast)
{
    T m = x[0];
    if (isMax) {
#pragma omp simd reduction(max : m)
        for (int64_t k = 0; k < n; ++k)
            m = x[k] > m ? x[k] : m;
    } else {
#pragma omp simd reduction(min : m)
        for (int64_t k = 0; k < n; ++k)
            m = x[k] < m ? x[k] : m;
    }
    if constexpr (std::is_floating_point_v<T>) {
        int nans = 0;
#pragma omp simd reduction(+ : nans)
        for (int64_t k = 0; k < n; ++k)
            nans += x[k] != x[k] ? 1 : 0;
        if (nans) {
            int64_t best = 0;
            for (int64_t k = 1; k < n; ++k)
                if (argBetter(x[k], x[best], isMax, selectLast))
                    best = k;
            return best;
        }
    }
    if (selectLast) {
        for (int64_t k = n; k-- > 0;)
            if (x[k] == m)
                return k;
    }
    for (int64_t k = 0; k < n; ++k)
        if (x[k] == m)
            return k;
    return 0;
}

Result<Tensor> argReduce(const ArgConfig &cfg, const Tensor &x0)
{
    auto axis = normalizeAxis(cfg.axis, x0.rank());
    if (!axis)
        return std::unexpected(axis.error());
    if (x0.rank() > 0 && x0.dim(*axis) == 0)
        return fail("cannot take the index of the extreme value along empty axis " +
                    std::to_string(*axis) + ".");
    const AxisView v = x0.rank() == 0 ? AxisView{} : viewAround(x0.dims(), *axis);
    Dims outDims = x0.dims();
    if (x0.rank() > 0) {
        if (cfg.keepdims)
            outDims[static_cast<std::size_t>(*axis)] = 1;
        else
            outDims.erase(outDims.begin() + *axis);
    }
    Tensor out(DataType::Int64, outDims);
    int64_t *po = out.mutableData<int64_t>();
    const Tensor x = promoteHalf(x0);
    auto r = dispatch(NumericTypes{}, x.dtype(), [&](auto tag) -> Result<void> {
        using T = typename decltype(tag)::type;
        const T *px = x.data<T>();
        parallelFor(v.outer,
                    std::max<int64_t>(1, kCheapGrain / std::max<int64_t>(1, v.n * v.inner)),
                    [&](int64_t b, int64_t e) {
                        std::vector<T> best(static_cast<std::size_t>(v.inner));
                        if (v.inner == 1) {
                            for (int64_t o = b; o < e; ++o)
                                po[o] = argRow(px + o * v.n, v.n, cfg.isMax, cfg.selectLast);
                            return;
                        }
                        for (int64_t o = b; o < e; ++o) {
                            const T *base = px + o * v.n * v.inner;
                            int64_t *res = po + o * v.inner;
                            std::copy(base, base + v.inner, best.begin());
                            std::fill(res, res + v.inner, 0);
                            for (int64_t k = 1; k < v.n; ++k) {
                                const T *row = base + k * v.inner;
                                for (int64_t i = 0; i < v.inner; ++i) {
                                    if (argBetter(row[i], best[static_cast<std::size_t>(i)],
                                                  cfg.isMax, cfg.selectLast)) {
                                        best[static_cast<std::size_t>(i)] = row[i];
                                        res[i] = k;
                                    }
                                }
                            }
                        }
                    });
        return {};
    });
    if (!r)
        return std::unexpected(r.error());
    return out;
}

Result<std::unique_ptr<Kernel>> makeArg(const KernelBuildInfo &info, bool isMax)
{
    ArgConfig cfg;
    cfg.isMax = isMax;
    cfg.axis = info.node.attrInt("axis", 0);
    cfg.keepdims = info.node.attrInt("keepdims", 1) != 0;
    cfg.selectLast = info.node.attrInt("select_last_index", 0) != 0;
    return makeKernel([cfg](KernelContext &ctx) -> Result<void> {
        auto x = requireInput(ctx, 0);
        if (!x)
            return std::unexpected(x.error());
        auto out = argReduce(cfg, **x);
        if (!out)
            return std::unexpected(out.error());
        ctx.outputs[0] = std::move(*out);
        return {};
    });
}

Result<std::unique_ptr<Kernel>> makeArgMax(const KernelBuildInfo &info)
{
    return makeArg(info, true);
}
Result<std::unique_ptr<Kernel>> makeArgMin(const KernelBuildInfo &info)
{
    return makeArg(info, false);
}

// ---- Softmax / LogSoftmax / Hardmax --------------------------------------------------------

enum class SoftKind { Softmax, LogSoftmax, Hardmax };

/// Eigen's exp clamps its argument, so NaN inputs would come out as numbers; put them back.
template <class T> void keepNaN(const T *x, T *y, int64_t n)
{
#pragma omp simd
    for (int64_t k = 0; k < n; ++k) {
        const T a = x[k], b = y[k]; // both loaded: a blend, not a branch
        y[k] = a != a ? a : b;
    }
}

/// One contiguous row of n elements.
template <class T> void softRow(const T *x, T *y, int64_t n, SoftKind kind)
{
    using Arr = Eigen::Array<T, Eigen::Dynamic, 1>;
    if (n == 0)
        return;
    if (kind == SoftKind::Hardmax) {
        int64_t best = 0;
        for (int64_t k = 1; k < n; ++k)
            if (x[k] > x[best])
                best = k;
        std::fill(y, y + n, T(0));
        y[best] = T(1);
        return;
    }
    // NaN inputs need no care in the maximum: they reach the sum through exp and poison the row.
    T m = x[0];
#pragma omp simd reduction(max : m)
    for (int64_t k = 1; k < n; ++k)
        m = x[k] > m ? x[k] : m;
    Eigen::Map<const Arr> xa(x, n);
    Eigen::Map<Arr> ya(y, n);
    ya = (xa - m).exp();
    keepNaN(x, y, n);
    // terms in (0, 1], one of them 1: accumulating in T is accurate enough
    const double s = static_cast<double>(ya.sum());
    if (kind == SoftKind::Softmax)
        ya *= static_cast<T>(1.0 / s);
    else
        ya = (xa - m) - static_cast<T>(std::log(s)); // x - m is exact near m
}

/// One (n x inner) slice where the softmax axis has stride `inner`: every step works on whole
/// contiguous rows of `inner` columns, so it vectorizes like the row case.
template <class T> void softStrided(const T *x, T *y, int64_t n, int64_t inner, SoftKind kind)
{
    using Arr = Eigen::Array<T, Eigen::Dynamic, 1>;
    using CMap = Eigen::Map<const Arr>;
    if (n == 0)
        return;
    if (kind == SoftKind::Hardmax) {
        std::vector<int64_t> arg(static_cast<std::size_t>(inner), 0);
        for (int64_t k = 1; k < n; ++k)
            for (int64_t i = 0; i < inner; ++i)
                if (x[k * inner + i] > x[arg[static_cast<std::size_t>(i)] * inner + i])
                    arg[static_cast<std::size_t>(i)] = k;
        std::fill(y, y + n * inner, T(0));
        for (int64_t i = 0; i < inner; ++i)
            y[arg[static_cast<std::size_t>(i)] * inner + i] = T(1);
        return;
    }
    Arr m = CMap(x, inner);
    for (int64_t k = 1; k < n; ++k)
        m = m.max(CMap(x + k * inner, inner));
    Arr s = Arr::Zero(inner);
    for (int64_t k = 0; k < n; ++k) {
        Eigen::Map<Arr> yr(y + k * inner, inner);
        yr = (CMap(x + k * inner, inner) - m).exp();
        keepNaN(x + k * inner, y + k * inner, inner);
        s += yr;
    }
    if (kind == SoftKind::Softmax) {
        const Arr inv = s.inverse();
        for (int64_t k = 0; k < n; ++k)
            Eigen::Map<Arr>(y + k * inner, inner) *= inv;
    } else {
        const Arr logS = s.log();
        for (int64_t k = 0; k < n; ++k)
            Eigen::Map<Arr>(y + k * inner, inner) = (CMap(x + k * inner, inner) - m) - logS;
    }
}

struct SoftConfig
{
    SoftKind kind;
    int64_t axis;
    bool coerce2D; ///< opset < 13
};

Result<Tensor> softTensor(const SoftConfig &cfg, const Tensor &x0)
{
    const int64_t rank = x0.rank();
    // Opset < 13 flattens at axis, where axis == rank is legal (the 2D view is [N, 1]).
    auto axis =
        cfg.coerce2D && (cfg.axis == rank) ? Result<int64_t>(rank) : normalizeAxis(cfg.axis, rank);
    if (!axis)
        return std::unexpected(axis.error());
    const AxisView v =
        rank == 0 ? AxisView{}
                  : (cfg.coerce2D ? view2D(x0.dims(), *axis) : viewAround(x0.dims(), *axis));
    const Tensor x = promoteHalf(x0);
    Tensor y(x.dtype(), x.dims());
    auto r = dispatch(FloatTypes{}, x.dtype(), [&](auto tag) -> Result<void> {
        using T = typename decltype(tag)::type;
        const T *px = x.data<T>();
        T *py = y.mutableData<T>();
        const int64_t slice = v.n * v.inner;
        parallelFor(v.outer, std::max<int64_t>(1, kMathGrain / std::max<int64_t>(1, slice)),
                    [&](int64_t b, int64_t e) {
                        for (int64_t o = b; o < e; ++o) {
                            if (v.inner == 1)
                                softRow(px + o * slice, py + o * slice, v.n, cfg.kind);
                            else
                                softStrided(px + o * slice, py + o * slice, v.n, v.inner, cfg.kind);
                        }
                    });
        return {};
    });
    if (!r)
        return std::unexpected(r.error());
    return restoreHalf(std::move(y), x0.dtype());
}

template <SoftKind K, bool Coerce2D>
Result<std::unique_ptr<Kernel>> makeSoft(const KernelBuildInfo &info)
{
    const SoftConfig cfg{K, info.node.attrInt("axis", Coerce2D ? 1 : -1), Coerce2D};
    return makeKernel([cfg](KernelContext &ctx) -> Result<void> {
        auto x = requireInput(ctx, 0);
        if (!x)
            return std::unexpected(x.error());
        auto out = softTensor(cfg, **x);
        if (!out)
            return std::unexpected(out.error());
        ctx.outputs[0] = std::move(*out);
        return {};
    });
}

// ---- TopK ----------------------------------------------------------------------------------

struct TopKConfig
{
    int64_t axis = -1;
    bool largest = true;
    bool kFromInput = true;
    int64_t attrK = 0;
};

/// Strict "a sorts before b" on values, NaN being greater than every number. Combined with the
/// index tie-break this is a strict weak order even with NaN, so std::sort stays well defined.
template <class T> bool valueLess(T a, T b)
{
    if constexpr (std::is_floating_point_v<T>) {
        if (a != a)
            return false;
        if (b != b)
            return true;
    }
    return a < b;
}

Result<void> topK(const TopKConfig &cfg, KernelContext &ctx)
{
    auto x0 = requireInput(ctx, 0);
    if (!x0)
        return std::unexpected(x0.error());
    int64_t k = cfg.attrK;
    if (cfg.kFromInput) {
        auto kt = requireInput(ctx, 1);
        if (!kt)
            return std::unexpected(kt.error());
        if ((*kt)->numel() != 1 || (*kt)->dtype() != DataType::Int64)
            return fail("K must be an int64 tensor with one element, not " +
                        std::string(dtypeName((*kt)->dtype())) + " " + dimsToString((*kt)->dims()) +
                        ".");
        k = (*kt)->data<int64_t>()[0];
    }
    const Tensor x = promoteHalf(**x0);
    if (x.rank() == 0)
        return fail("input must have at least one dimension.");
    auto axis = normalizeAxis(cfg.axis, x.rank());
    if (!axis)
        return std::unexpected(axis.error());
    const int64_t n = x.dim(*axis);
    if (k < 0 || k > n)
        return fail("K = " + std::to_string(k) + " is out of range for axis " +
                    std::to_string(*axis) + " of size " + std::to_string(n) + ".");
    const AxisView v = viewAround(x.dims(), *axis);
    Dims outDims = x.dims();
    outDims[static_cast<std::size_t>(*axis)] = k;
    Tensor values(x.dtype(), outDims);
    Tensor indices(DataType::Int64, outDims);
    int64_t *pi = indices.mutableData<int64_t>();
    const bool largest = cfg.largest;
    auto r = dispatch(NumericTypes{}, x.dtype(), [&](auto tag) -> Result<void> {
        using T = typename decltype(tag)::type;
        const T *px = x.data<T>();
        T *pv = values.mutableData<T>();
        const int64_t slices = v.outer * v.inner;
        parallelFor(slices, std::max<int64_t>(1, kMathGrain / std::max<int64_t>(1, n)),
                    [&](int64_t b, int64_t e) {
                        std::vector<int64_t> order(static_cast<std::size_t>(n));
                        for (int64_t s = b; s < e; ++s) {
                            const int64_t o = s / v.inner, i = s % v.inner;
                            const T *src = px + o * n * v.inner + i;
                            std::iota(order.begin(), order.end(), int64_t{0});
                            auto before = [&](int64_t a, int64_t c) {
                                const T va = src[a * v.inner], vc = src[c * v.inner];
                                if (largest ? valueLess(vc, va) : valueLess(va, vc))
                                    return true;
                                if (largest ? valueLess(va, vc) : valueLess(vc, va))
                                    return false;
                                return a < c; // ties: lower index first
                            };
                            std::partial_sort(order.begin(), order.begin() + k, order.end(),
                                              before);
                            for (int64_t j = 0; j < k; ++j) {
                                const int64_t dst = o * k * v.inner + j * v.inner + i;
                                pv[dst] = src[order[static_cast<std::size_t>(j)] * v.inner];
                                pi[dst] = order[static_cast<std::size_t>(j)];
                            }
                        }
                    });
        return {};
    });
    if (!r)
        return r;
    ctx.outputs[0] = restoreHalf(std::move(values), (*x0)->dtype());
    if (ctx.outputs.size() > 1)
        ctx.outputs[1] = std::move(indices);
    return {};
}

/// Opset 1-9: k is an attribute.
Result<std::unique_ptr<Kernel>> makeTopK1(const KernelBuildInfo &info)
{
    TopKConfig cfg;
    cfg.axis = info.node.attrInt("axis", -1);
    cfg.kFromInput = false;
    const Attribute *k = info.node.attr("k");
    if (!k || k->kind != Attribute::Kind::Int)
        return fail("attribute 'k' is missing.");
    cfg.attrK = k->i;
    return makeKernel([cfg](KernelContext &ctx) { return topK(cfg, ctx); });
}

/// Opset 10+: k is input 1; `largest` and `sorted` exist from 11 (defaults 1). The output is
/// always sorted, which sorted=0 permits.
Result<std::unique_ptr<Kernel>> makeTopK10(const KernelBuildInfo &info)
{
    TopKConfig cfg;
    cfg.axis = info.node.attrInt("axis", -1);
    cfg.largest = info.node.attrInt("largest", 1) != 0;
    return makeKernel([cfg](KernelContext &ctx) { return topK(cfg, ctx); });
}

// ---- CumSum --------------------------------------------------------------------------------

Result<std::unique_ptr<Kernel>> makeCumSum(const KernelBuildInfo &info)
{
    const bool exclusive = info.node.attrInt("exclusive", 0) != 0;
    const bool reverse = info.node.attrInt("reverse", 0) != 0;
    return makeKernel([exclusive, reverse](KernelContext &ctx) -> Result<void> {
        auto x0 = requireInput(ctx, 0);
        if (!x0)
            return std::unexpected(x0.error());
        auto at = requireInput(ctx, 1);
        if (!at)
            return std::unexpected(at.error());
        if ((*at)->numel() != 1 ||
            ((*at)->dtype() != DataType::Int64 && (*at)->dtype() != DataType::Int32))
            return fail("axis must be an int32 or int64 scalar, not " +
                        std::string(dtypeName((*at)->dtype())) + " " + dimsToString((*at)->dims()) +
                        ".");
        const Tensor x = promoteHalf(**x0);
        auto axis = normalizeAxis(readInts(**at)[0], x.rank());
        if (!axis)
            return std::unexpected(axis.error());
        const AxisView v = x.rank() == 0 ? AxisView{} : viewAround(x.dims(), *axis);
        Tensor y(x.dtype(), x.dims());
        auto r = dispatch(NumericTypes{}, x.dtype(), [&](auto tag) -> Result<void> {
            using T = typename decltype(tag)::type;
            const T *px = x.data<T>();
            T *py = y.mutableData<T>();
            const int64_t slice = v.n * v.inner;
            parallelFor(v.outer, std::max<int64_t>(1, kCheapGrain / std::max<int64_t>(1, slice)),
                        [&](int64_t b, int64_t e) {
                            std::vector<T> acc(static_cast<std::size_t>(v.inner));
                            for (int64_t o = b; o < e; ++o) {
                                std::fill(acc.begin(), acc.end(), T(0));
                                for (int64_t s = 0; s < v.n; ++s) {
                                    const int64_t k = reverse ? v.n - 1 - s : s;
                                    const T *src = px + o * slice + k * v.inner;
                                    T *dst = py + o * slice + k * v.inner;
                                    for (int64_t i = 0; i < v.inner; ++i) {
                                        T &a = acc[static_cast<std::size_t>(i)];
                                        if (exclusive) {
                                            dst[i] = a;
                                            a = static_cast<T>(a + src[i]);
                                        } else {
                                            a = static_cast<T>(a + src[i]);
                                            dst[i] = a;
                                        }
                                    }
                                }
                            }
                        });
            return {};
        });
        if (!r)
            return r;
        ctx.outputs[0] = restoreHalf(std::move(y), (*x0)->dtype());
        return {};
    });
}

constexpr OpEntry kAxisEntries[] = {
    {"", "ArgMax", 1, kMaxOpset, &makeArgMax},
    {"", "ArgMin", 1, kMaxOpset, &makeArgMin},
    // Before opset 13 these flatten the input to 2D at `axis` (default 1); from 13 they work
    // along `axis` (default -1).
    {"", "Softmax", 1, 12, &makeSoft<SoftKind::Softmax, true>},
    {"", "Softmax", 13, kMaxOpset, &makeSoft<SoftKind::Softmax, false>},
    {"", "LogSoftmax", 1, 12, &makeSoft<SoftKind::LogSoftmax, true>},
    {"", "LogSoftmax", 13, kMaxOpset, &makeSoft<SoftKind::LogSoftmax, false>},
    {"", "Hardmax", 1, 12, &makeSoft<SoftKind::Hardmax, true>},
    {"", "Hardmax", 13, kMaxOpset, &makeSoft<SoftKind::Hardmax, false>},
    {"", "TopK", 1, 9, &makeTopK1},
    {"", "TopK", 10, kMaxOpset, &makeTopK10},
    {"", "CumSum", 11, kMaxOpset, &makeCumSum},
};

} // namespace

std::span<const OpEntry> reductionAxisOps()
{
    return kAxisEntries;
}

} // namespace nnc
