// Reduction op family, Reduce* part: ReduceSum/Mean/Max/Min/Prod/L1/L2/SumSquare/LogSum/
// LogSumExp with keepdims and noop_with_empty_axes. Axes come from an attribute before opset 13
// (ReduceSum) or 18 (the others) and from an optional input after. The per-axis ops (ArgMax,
// Softmax, TopK, CumSum ...) live in reduction_axis.cpp.
//
// Every reduction is brought to the form (outer, reduced, inner): adjacent dims are merged, and
// when the reduced dims are not one contiguous block the input is first permuted so that they
// are. Float inputs accumulate sums and products in double.
#include "core/ops/elementwise_common.h"
#include "core/ops/op_table.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <type_traits>

namespace nnc {

namespace {

using namespace ops;

enum class Reduce { Sum, Mean, Max, Min, Prod, L1, L2, SumSquare, LogSum, LogSumExp };

template <class T>
using AccOf = std::conditional_t<std::is_floating_point_v<T>, double,
                                 std::conditional_t<std::is_signed_v<T>, int64_t, uint64_t>>;

/// How one reduction maps, combines and finishes values. Acc is the accumulator type.
template <class T, Reduce K> struct ReduceTraits
{
    static constexpr bool kExtremum = K == Reduce::Max || K == Reduce::Min;
    using Acc = std::conditional_t<kExtremum, T, AccOf<T>>;

    static Acc init()
    {
        if constexpr (K == Reduce::Max)
            return std::is_floating_point_v<T> ? -std::numeric_limits<T>::infinity()
                                               : std::numeric_limits<T>::lowest();
        else if constexpr (K == Reduce::Min)
            return std::is_floating_point_v<T> ? std::numeric_limits<T>::infinity()
                                               : std::numeric_limits<T>::max();
        else if constexpr (K == Reduce::Prod)
            return Acc(1);
        else
            return Acc(0);
    }
    static Acc pre(T x)
    {
        if constexpr (K == Reduce::L1) {
            if constexpr (std::is_unsigned_v<T>)
                return Acc(x);
            else
                return std::abs(Acc(x));
        } else if constexpr (K == Reduce::L2 || K == Reduce::SumSquare) {
            return Acc(x) * Acc(x);
        } else {
            return Acc(x);
        }
    }
    static Acc combine(Acc a, Acc b)
    {
        if constexpr (K == Reduce::Max)
            return ((b != b) | (b > a)) ? b : a; // NaN propagates; | keeps it a blend
        else if constexpr (K == Reduce::Min)
            return ((b != b) | (b < a)) ? b : a;
        else if constexpr (K == Reduce::Prod)
            return a * b;
        else
            return a + b;
    }
    static T post(Acc a, int64_t count)
    {
        if constexpr (K == Reduce::Mean) {
            if constexpr (std::is_floating_point_v<T>)
                return static_cast<T>(a / static_cast<double>(count)); // 0/0 = NaN when empty
            else
                return count ? static_cast<T>(a / static_cast<Acc>(count)) : T(0);
        } else if constexpr (K == Reduce::L2) {
            return static_cast<T>(std::sqrt(static_cast<double>(a)));
        } else if constexpr (K == Reduce::LogSum) {
            return static_cast<T>(std::log(static_cast<double>(a)));
        } else {
            return static_cast<T>(a);
        }
    }
};

/// Reduces columns [i0, i1) of one (reduced x inner) slice into y[i0..i1).
template <class T, Reduce K>
void reduceSlice(const T *x, T *y, int64_t R, int64_t inner, int64_t i0, int64_t i1)
{
    using Tr = ReduceTraits<T, K>;
    using Acc = typename Tr::Acc;
    if (inner == 1) {
        // eight independent lanes: vectorizable, and the summation order is fixed
        Acc lanes[8];
        for (Acc &l : lanes)
            l = Tr::init();
        int64_t r = 0;
        for (; r + 8 <= R; r += 8)
            for (int j = 0; j < 8; ++j)
                lanes[j] = Tr::combine(lanes[j], Tr::pre(x[r + j]));
        Acc a = Tr::init();
        for (Acc l : lanes)
            a = Tr::combine(a, l);
        for (; r < R; ++r)
            a = Tr::combine(a, Tr::pre(x[r]));
        y[0] = Tr::post(a, R);
        return;
    }
    const int64_t w = i1 - i0;
    std::vector<Acc> acc(static_cast<std::size_t>(w), Tr::init());
    Acc *pa = acc.data();
    for (int64_t r = 0; r < R; ++r) {
        const T *row = x + r * inner + i0;
#pragma omp simd
        for (int64_t i = 0; i < w; ++i)
            pa[i] = Tr::combine(pa[i], Tr::pre(row[i]));
    }
    for (int64_t i = 0; i < w; ++i)
        y[i0 + i] = Tr::post(pa[i], R);
}

/// log(sum(exp(x))) of columns [i0, i1), shifted by the column maximum for stability.
template <class T>
void logSumExpSlice(const T *x, T *y, int64_t R, int64_t inner, int64_t i0, int64_t i1)
{
    for (int64_t i = i0; i < i1; ++i) {
        double m = -std::numeric_limits<double>::infinity();
        for (int64_t r = 0; r < R; ++r) {
            const double v = static_cast<double>(x[r * inner + i]);
            if (v != v || v > m)
                m = v;
            if (m != m)
                break;
        }
        if (!std::isfinite(m)) { // NaN, +inf, or all -inf / empty
            y[i] = static_cast<T>(m);
            continue;
        }
        double s = 0;
        for (int64_t r = 0; r < R; ++r)
            s += std::exp(static_cast<double>(x[r * inner + i]) - m);
        y[i] = static_cast<T>(m + std::log(s));
    }
}

template <class T, Reduce K>
void reduceTriple(const T *x, T *y, int64_t outer, int64_t R, int64_t inner)
{
    auto slice = [&](int64_t o, int64_t i0, int64_t i1) {
        if constexpr (K == Reduce::LogSumExp)
            logSumExpSlice<T>(x + o * R * inner, y + o * inner, R, inner, i0, i1);
        else
            reduceSlice<T, K>(x + o * R * inner, y + o * inner, R, inner, i0, i1);
    };
    if (outer == 0 || inner == 0)
        return;
    const int64_t work = std::max<int64_t>(1, R * inner);
    if (outer > 1 || inner == 1) {
        parallelFor(outer, std::max<int64_t>(1, kCheapGrain / work), [&](int64_t b, int64_t e) {
            for (int64_t o = b; o < e; ++o)
                slice(o, 0, inner);
        });
    } else {
        parallelFor(inner, std::max<int64_t>(16, kCheapGrain / std::max<int64_t>(1, R)),
                    [&](int64_t b, int64_t e) { slice(0, b, e); });
    }
}

/// Copies x (dims `dims`) into y with its axes reordered by `perm` (y dim i = x dim perm[i]).
template <class T>
void permuteCopy(const T *x, T *y, const Dims &dims, const std::vector<std::size_t> &perm)
{
    const std::size_t rank = dims.size();
    const std::vector<int64_t> xs = stridesOf(dims);
    Dims ydims(rank);
    std::vector<int64_t> srcStride(rank);
    for (std::size_t i = 0; i < rank; ++i) {
        ydims[i] = dims[perm[i]];
        srcStride[i] = xs[perm[i]];
    }
    const int64_t total = numElements(ydims);
    std::vector<int64_t> idx(rank, 0);
    int64_t off = 0;
    for (int64_t o = 0; o < total; ++o) {
        y[o] = x[off];
        for (std::size_t d = rank; d-- > 0;) {
            ++idx[d];
            off += srcStride[d];
            if (idx[d] < ydims[d])
                break;
            off -= srcStride[d] * ydims[d];
            idx[d] = 0;
        }
    }
}

struct ReduceConfig
{
    Reduce kind;
    bool keepdims = true;
    bool axesFromInput = false;
    bool noopWithEmptyAxes = false;
    std::vector<int64_t> attrAxes;
};

template <class T>
void runReduce(Reduce kind, const T *x, T *y, int64_t outer, int64_t R, int64_t inner)
{
    switch (kind) {
    case Reduce::Sum:
        reduceTriple<T, Reduce::Sum>(x, y, outer, R, inner);
        break;
    case Reduce::Mean:
        reduceTriple<T, Reduce::Mean>(x, y, outer, R, inner);
        break;
    case Reduce::Max:
        reduceTriple<T, Reduce::Max>(x, y, outer, R, inner);
        break;
    case Reduce::Min:
        reduceTriple<T, Reduce::Min>(x, y, outer, R, inner);
        break;
    case Reduce::Prod:
        reduceTriple<T, Reduce::Prod>(x, y, outer, R, inner);
        break;
    case Reduce::L1:
        reduceTriple<T, Reduce::L1>(x, y, outer, R, inner);
        break;
    case Reduce::L2:
        reduceTriple<T, Reduce::L2>(x, y, outer, R, inner);
        break;
    case Reduce::SumSquare:
        reduceTriple<T, Reduce::SumSquare>(x, y, outer, R, inner);
        break;
    case Reduce::LogSum:
        reduceTriple<T, Reduce::LogSum>(x, y, outer, R, inner);
        break;
    case Reduce::LogSumExp:
        reduceTriple<T, Reduce::LogSumExp>(x, y, outer, R, inner);
        break;
    }
}

Result<Tensor> reduceTensor(const ReduceConfig &cfg, const Tensor &x0, const Tensor *axesIn)
{
    const int64_t rank = x0.rank();
    std::vector<int64_t> axes = cfg.attrAxes;
    if (cfg.axesFromInput) {
        axes.clear();
        if (axesIn && !axesIn->empty()) {
            if (axesIn->dtype() != DataType::Int64 && axesIn->dtype() != DataType::Int32)
                return fail("axes must be int64, not " + std::string(dtypeName(axesIn->dtype())) +
                            ".");
            axes = readInts(*axesIn);
        }
        if (axes.empty() && cfg.noopWithEmptyAxes) {
            Tensor out(x0.dtype(), x0.dims());
            if (x0.byteSize())
                std::memcpy(out.mutableBytes().data(), x0.bytes().data(), x0.byteSize());
            return out;
        }
    }
    std::vector<bool> reduced(static_cast<std::size_t>(rank), axes.empty());
    for (int64_t a : axes) {
        auto n = normalizeAxis(a, rank);
        if (!n)
            return std::unexpected(n.error());
        if (reduced[static_cast<std::size_t>(*n)])
            return fail("axis " + std::to_string(a) + " appears twice in axes.");
        reduced[static_cast<std::size_t>(*n)] = true;
    }

    Dims outDims;
    for (int64_t d = 0; d < rank; ++d) {
        if (!reduced[static_cast<std::size_t>(d)])
            outDims.push_back(x0.dim(d));
        else if (cfg.keepdims)
            outDims.push_back(1);
    }

    // Merge adjacent dims of the same kind (size-1 dims do not matter).
    Dims groups;
    std::vector<bool> groupReduced;
    for (int64_t d = 0; d < rank; ++d) {
        const int64_t n = x0.dim(d);
        const bool r = reduced[static_cast<std::size_t>(d)];
        if (n == 1)
            continue;
        if (!groups.empty() && groupReduced.back() == r)
            groups.back() *= n;
        else {
            groups.push_back(n);
            groupReduced.push_back(r);
        }
    }
    int64_t reducedGroups = 0;
    for (bool r : groupReduced)
        reducedGroups += r ? 1 : 0;

    const Tensor x = promoteHalf(x0);
    Tensor y(x.dtype(), outDims);
    auto r = dispatch(NumericTypes{}, x.dtype(), [&](auto tag) -> Result<void> {
        using T = typename decltype(tag)::type;
        if (reducedGroups <= 1) {
            int64_t outer = 1, R = 1, inner = 1;
            bool seen = false;
            for (std::size_t g = 0; g < groups.size(); ++g) {
                if (groupReduced[g]) {
                    R = groups[g];
                    seen = true;
                } else {
                    (seen ? inner : outer) *= groups[g];
                }
            }
            runReduce<T>(cfg.kind, x.data<T>(), y.mutableData<T>(), outer, R, inner);
            return {};
        }
        // Several separate reduced blocks: move them all to the end, then reduce one block.
        std::vector<std::size_t> perm;
        int64_t outer = 1, R = 1;
        for (std::size_t g = 0; g < groups.size(); ++g)
            if (!groupReduced[g]) {
                perm.push_back(g);
                outer *= groups[g];
            }
        for (std::size_t g = 0; g < groups.size(); ++g)
            if (groupReduced[g]) {
                perm.push_back(g);
                R *= groups[g];
            }
        std::vector<T> tmp(static_cast<std::size_t>(x.numel()));
        permuteCopy(x.data<T>(), tmp.data(), groups, perm);
        runReduce<T>(cfg.kind, tmp.data(), y.mutableData<T>(), outer, R, 1);
        return {};
    });
    if (!r)
        return std::unexpected(r.error());
    return restoreHalf(std::move(y), x0.dtype());
}

Result<std::unique_ptr<Kernel>> reduceKernel(ReduceConfig cfg)
{
    return makeKernel([cfg](KernelContext &ctx) -> Result<void> {
        auto x = requireInput(ctx, 0);
        if (!x)
            return std::unexpected(x.error());
        auto out = reduceTensor(cfg, **x, ctx.input(1));
        if (!out)
            return std::unexpected(out.error());
        ctx.outputs[0] = std::move(*out);
        return {};
    });
}

/// Older opsets: axes is an attribute (absent or empty = all axes).
template <Reduce K> Result<std::unique_ptr<Kernel>> makeReduceAxesAttr(const KernelBuildInfo &info)
{
    ReduceConfig cfg;
    cfg.kind = K;
    cfg.keepdims = info.node.attrInt("keepdims", 1) != 0;
    cfg.attrAxes = info.node.attrInts("axes");
    return reduceKernel(std::move(cfg));
}

/// Newer opsets: axes is optional input 1; when it is absent or empty the op reduces all axes,
/// or passes the input through if noop_with_empty_axes is set.
template <Reduce K> Result<std::unique_ptr<Kernel>> makeReduceAxesInput(const KernelBuildInfo &info)
{
    ReduceConfig cfg;
    cfg.kind = K;
    cfg.keepdims = info.node.attrInt("keepdims", 1) != 0;
    cfg.axesFromInput = true;
    cfg.noopWithEmptyAxes = info.node.attrInt("noop_with_empty_axes", 0) != 0;
    return reduceKernel(std::move(cfg));
}

// axes moves from attribute to input at opset 13 for ReduceSum and 18 for the others.
constexpr OpEntry kReduceEntries[] = {
    {"", "ReduceSum", 1, 12, &makeReduceAxesAttr<Reduce::Sum>},
    {"", "ReduceSum", 13, kMaxOpset, &makeReduceAxesInput<Reduce::Sum>},
    {"", "ReduceMean", 1, 17, &makeReduceAxesAttr<Reduce::Mean>},
    {"", "ReduceMean", 18, kMaxOpset, &makeReduceAxesInput<Reduce::Mean>},
    {"", "ReduceMax", 1, 17, &makeReduceAxesAttr<Reduce::Max>},
    {"", "ReduceMax", 18, kMaxOpset, &makeReduceAxesInput<Reduce::Max>},
    {"", "ReduceMin", 1, 17, &makeReduceAxesAttr<Reduce::Min>},
    {"", "ReduceMin", 18, kMaxOpset, &makeReduceAxesInput<Reduce::Min>},
    {"", "ReduceProd", 1, 17, &makeReduceAxesAttr<Reduce::Prod>},
    {"", "ReduceProd", 18, kMaxOpset, &makeReduceAxesInput<Reduce::Prod>},
    {"", "ReduceL1", 1, 17, &makeReduceAxesAttr<Reduce::L1>},
    {"", "ReduceL1", 18, kMaxOpset, &makeReduceAxesInput<Reduce::L1>},
    {"", "ReduceL2", 1, 17, &makeReduceAxesAttr<Reduce::L2>},
    {"", "ReduceL2", 18, kMaxOpset, &makeReduceAxesInput<Reduce::L2>},
    {"", "ReduceSumSquare", 1, 17, &makeReduceAxesAttr<Reduce::SumSquare>},
    {"", "ReduceSumSquare", 18, kMaxOpset, &makeReduceAxesInput<Reduce::SumSquare>},
    {"", "ReduceLogSum", 1, 17, &makeReduceAxesAttr<Reduce::LogSum>},
    {"", "ReduceLogSum", 18, kMaxOpset, &makeReduceAxesInput<Reduce::LogSum>},
    {"", "ReduceLogSumExp", 1, 17, &makeReduceAxesAttr<Reduce::LogSumExp>},
    {"", "ReduceLogSumExp", 18, kMaxOpset, &makeReduceAxesInput<Reduce::LogSumExp>},
};

} // namespace

std::span<const OpEntry> reductionOps()
{
    static const std::vector<OpEntry> entries = [] {
        std::vector<OpEntry> all(std::begin(kReduceEntries), std::end(kReduceEntries));
        const auto perAxis = reductionAxisOps();
        all.insert(all.end(), perAxis.begin(), perAxis.end());
        return all;
    }();
    return entries;
}

} // namespace nnc
