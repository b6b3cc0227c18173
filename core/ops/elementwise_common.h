// Helpers shared by the elementwise and reduction kernel files (elementwise_*.cpp,
// reduction_*.cpp): type dispatch, a chunked OpenMP loop, float16/bfloat16 promotion, and an
// N-input broadcast plan whose innermost loop always reads each input contiguously or as a
// constant, so the per-op loops vectorize.
#pragma once

#include "core/model/tensor.h"
#include "core/ops/kernel.h"
#include "core/ops/op_util.h"

#include "core/ops/nn_parallel.h"

#include <omp.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

namespace nnc {

// Entries of the sibling files: elementwiseOps() (elementwise_ops.cpp) appends the unary ops of
// elementwise_unary.cpp, reductionOps() (reduction_ops.cpp) the per-axis ops of reduction_axis.cpp.
std::span<const OpEntry> elementwiseUnaryOps();
std::span<const OpEntry> reductionAxisOps();

} // namespace nnc

namespace nnc::ops {

template <class T> struct TypeTag
{
    using type = T;
};

template <class... Ts> struct TypeList
{
};

using FloatTypes = TypeList<float, double>;
using SignedTypes = TypeList<float, double, int8_t, int16_t, int32_t, int64_t>;
using NumericTypes = TypeList<float, double, int8_t, uint8_t, int16_t, uint16_t, int32_t, int64_t,
                              uint32_t, uint64_t>;

/// The error for a dtype a kernel does not implement.
inline std::unexpected<Error> unsupportedType(DataType t, std::string_view role = "input")
{
    return fail(std::string(role) + " type " + std::string(dtypeName(t)) + " is not supported.",
                Error::Code::Unsupported);
}

/// Calls f(TypeTag<T>{}) (returning Result<void>) for the T in the list whose dtype is `dt`;
/// an Unsupported error when none matches. Bool is not in any list: kernels that take bool
/// handle it as uint8_t explicitly.
template <class... Ts, class F> Result<void> dispatch(TypeList<Ts...>, DataType dt, F &&f)
{
    Result<void> r = unsupportedType(dt);
    (void)((dt == dtypeOf<Ts>() ? (r = f(TypeTag<Ts>{}), true) : false) || ...);
    return r;
}

inline bool isHalf(DataType t)
{
    return t == DataType::Float16 || t == DataType::BFloat16;
}

/// float16/bfloat16 tensors are computed in float32: this widens them (other types pass through).
inline Tensor promoteHalf(const Tensor &t)
{
    return isHalf(t.dtype()) ? t.castTo(DataType::Float) : t;
}

/// Narrows a float32 result back to the half type the inputs had.
inline Tensor restoreHalf(Tensor t, DataType original)
{
    return isHalf(original) && t.dtype() == DataType::Float ? t.castTo(original) : t;
}

/// Runs f(begin, end) over [0, n) split into at most one chunk per engine thread, and only when
/// each chunk gets at least `grain` items (single-threaded inside an existing parallel region).
/// The chunks go to the nn work-sharing pool (nn_parallel.h), whose caller never waits for a
/// thread the OS has not scheduled; the chunk bounds depend only on n and the thread count.
template <class F> void parallelFor(int64_t n, int64_t grain, F &&f)
{
    const int64_t threads = omp_in_parallel() ? 1 : omp_get_max_threads();
    const int64_t chunks = std::min<int64_t>(threads, n / std::max<int64_t>(grain, 1));
    if (chunks <= 1) {
        if (n > 0)
            f(int64_t{0}, n);
        return;
    }
    nn::parallelFor(chunks, [&](int64_t c) { f(n * c / chunks, n * (c + 1) / chunks); });
}

/// Elements per chunk below which a loop stays single-threaded.
/// Memory-bound loops gain little from a second thread until the chunks are large.
inline constexpr int64_t kCheapGrain = 1 << 17; // add, compare, copy
inline constexpr int64_t kMathGrain = 1 << 14;  // exp, tanh, erf ...

/// A broadcast of N inputs, with adjacent dims that broadcast the same way merged. The last loop
/// dim has stride 0 (constant) or 1 (contiguous) for each input.
template <std::size_t N> struct BroadcastPlan
{
    Dims out;                                    ///< the broadcast output shape
    Dims loop;                                   ///< merged loop dims; never empty
    std::array<std::vector<int64_t>, N> strides; ///< per input, per loop dim (0 = broadcast)
    int64_t total = 0;                           ///< output element count

    int64_t inner() const { return loop.back(); }
    int64_t innerStride(std::size_t k) const { return strides[k].back(); }
};

/// Plans the numpy broadcast of the shapes, or returns the error naming two incompatible ones.
template <std::size_t N>
Result<BroadcastPlan<N>> planBroadcast(const std::array<const Dims *, N> &shapes)
{
    BroadcastPlan<N> p;
    for (const Dims *s : shapes) {
        auto r = broadcastShapes(p.out, *s);
        if (!r)
            return std::unexpected(r.error());
        p.out = std::move(*r);
    }
    p.total = numElements(p.out);
    const std::size_t rank = p.out.size();
    // Per kept dim: which inputs really vary along it (bit k set) and its size.
    std::vector<uint32_t> masks;
    Dims sizes;
    for (std::size_t d = 0; d < rank; ++d) {
        if (p.out[d] == 1)
            continue; // size-1 dims do not affect addressing
        uint32_t mask = 0;
        for (std::size_t k = 0; k < N; ++k) {
            const Dims &s = *shapes[k];
            const std::size_t lead = rank - s.size();
            if (d >= lead && s[d - lead] != 1)
                mask |= 1u << k;
        }
        if (!masks.empty() && masks.back() == mask) {
            sizes.back() *= p.out[d];
        } else {
            masks.push_back(mask);
            sizes.push_back(p.out[d]);
        }
    }
    if (sizes.empty()) {
        sizes.push_back(1);
        masks.push_back((1u << N) - 1);
    }
    p.loop = sizes;
    for (std::size_t k = 0; k < N; ++k) {
        std::vector<int64_t> &st = p.strides[k];
        st.assign(sizes.size(), 0);
        int64_t s = 1;
        for (std::size_t d = sizes.size(); d-- > 0;) {
            if (masks[d] & (1u << k)) {
                st[d] = s;
                s *= sizes[d];
            }
        }
    }
    return p;
}

/// Calls f(outOffset, inputOffsets, n) for each innermost row of the plan; rows are spread over
/// threads when the output is large. Input k advances by innerStride(k) (0 or 1) inside a row.
template <std::size_t N, class F> void forEachRow(const BroadcastPlan<N> &p, int64_t grain, F &&f)
{
    if (p.total == 0)
        return;
    const int64_t inner = p.inner();
    const int64_t rows = p.total / inner;
    const std::size_t outerRank = p.loop.size() - 1;
    parallelFor(rows, std::max<int64_t>(1, grain / inner), [&](int64_t r0, int64_t r1) {
        std::vector<int64_t> idx(outerRank, 0);
        std::array<int64_t, N> off{};
        int64_t rest = r0;
        for (std::size_t d = outerRank; d-- > 0;) {
            idx[d] = rest % p.loop[d];
            rest /= p.loop[d];
            for (std::size_t k = 0; k < N; ++k)
                off[k] += idx[d] * p.strides[k][d];
        }
        for (int64_t r = r0; r < r1; ++r) {
            f(r * inner, off, inner);
            for (std::size_t d = outerRank; d-- > 0;) {
                ++idx[d];
                for (std::size_t k = 0; k < N; ++k)
                    off[k] += p.strides[k][d];
                if (idx[d] < p.loop[d])
                    break;
                for (std::size_t k = 0; k < N; ++k)
                    off[k] -= p.strides[k][d] * p.loop[d];
                idx[d] = 0;
            }
        }
    });
}

/// o[i] = op(a[i * sa], b[i * sb]) for i < n, with sa, sb in {0, 1}; the four stride cases get
/// their own loops so each one vectorizes.
template <class A, class B, class O, class Op>
inline void binaryRow(const A *a, int64_t sa, const B *b, int64_t sb, O *o, int64_t n, Op &op)
{
    if (sa && sb) {
#pragma omp simd
        for (int64_t i = 0; i < n; ++i)
            o[i] = op(a[i], b[i]);
    } else if (sa) {
        const B bv = *b;
#pragma omp simd
        for (int64_t i = 0; i < n; ++i)
            o[i] = op(a[i], bv);
    } else if (sb) {
        const A av = *a;
#pragma omp simd
        for (int64_t i = 0; i < n; ++i)
            o[i] = op(av, b[i]);
    } else {
        const O v = op(*a, *b);
        std::fill(o, o + n, v);
    }
}

/// out = op(a, b) with numpy broadcasting; A, B, O are the element types of a, b and out.
/// The fast cases (equal shapes, a scalar side, a suffix-shaped side) all land in binaryRow
/// through the merged plan; the error names both shapes when they do not broadcast.
template <class A, class B, class O, class Op>
Result<Tensor> broadcastBinary(const Tensor &a, const Tensor &b, DataType outType, Op op)
{
    auto plan = planBroadcast<2>({&a.dims(), &b.dims()});
    if (!plan)
        return std::unexpected(plan.error());
    Tensor out(outType, plan->out);
    const A *pa = a.data<A>();
    const B *pb = b.data<B>();
    O *po = out.mutableData<O>();
    const int64_t sa = plan->innerStride(0), sb = plan->innerStride(1);
    forEachRow(*plan, kCheapGrain, [&](int64_t o, const std::array<int64_t, 2> &off, int64_t n) {
        binaryRow(pa + off[0], sa, pb + off[1], sb, po + o, n, op);
    });
    return out;
}

/// y[i] = f(x[i]) over n elements, multithreaded above `grain`.
template <class T, class U, class F> void mapUnary(const T *x, U *y, int64_t n, int64_t grain, F &f)
{
    parallelFor(n, grain, [&](int64_t b, int64_t e) {
#pragma omp simd
        for (int64_t i = b; i < e; ++i)
            y[i] = f(x[i]);
    });
}

/// The input or an error saying it is missing (for required inputs).
inline Result<const Tensor *> requireInput(const KernelContext &ctx, std::size_t i)
{
    const Tensor *t = ctx.input(i);
    if (!t || t->empty())
        return fail("required input " + std::to_string(i) + " is missing.");
    return t;
}

} // namespace nnc::ops
