// Elementwise op family, binary and n-ary part: arithmetic with numpy broadcasting (Add, Sub,
// Mul, Div, Pow, Mod, BitShift, PRelu), the variadic Max/Min/Sum/Mean, comparisons and logic
// (bool outputs), and Where. The unary ops live in elementwise_unary.cpp. All loops go through
// the merged broadcast plan of elementwise_common.h, which turns equal shapes, scalar operands
// and trailing-axis broadcasts into contiguous vectorized rows.
#include "core/ops/elementwise_common.h"
#include "core/ops/op_table.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <type_traits>

namespace nnc {

namespace {

using namespace ops;

/// Bool tensors are computed as their uint8 storage.
DataType storageType(DataType t)
{
    return t == DataType::Bool ? DataType::UInt8 : t;
}

std::unexpected<Error> typesDiffer(const Tensor &a, const Tensor &b)
{
    return fail("input types " + std::string(dtypeName(a.dtype())) + " and " +
                std::string(dtypeName(b.dtype())) + " differ.");
}

template <class T> bool hasZero(const Tensor &t)
{
    const T *p = t.data<T>();
    for (int64_t i = 0; i < t.numel(); ++i)
        if (p[i] == T(0))
            return true;
    return false;
}

/// a (op) b for two tensors of the same dtype from `Types`; half types are computed in float.
/// `op` is generic over the element type. `intDivisor` rejects integer zero divisors.
template <class Types, class Op>
Result<Tensor> sameTypeBinary(const Tensor &a0, const Tensor &b0, Op op, bool intDivisor = false)
{
    if (a0.dtype() != b0.dtype())
        return typesDiffer(a0, b0);
    const DataType orig = a0.dtype();
    const Tensor a = promoteHalf(a0), b = promoteHalf(b0);
    Result<Tensor> out = unsupportedType(orig);
    auto r = dispatch(Types{}, a.dtype(), [&](auto tag) -> Result<void> {
        using T = typename decltype(tag)::type;
        if constexpr (std::is_integral_v<T>) {
            if (intDivisor && hasZero<T>(b))
                return fail("integer division by zero.");
        }
        out = broadcastBinary<T, T, T>(a, b, a.dtype(),
                                       [&op](T x, T y) { return static_cast<T>(op(x, y)); });
        return {};
    });
    if (!r)
        return std::unexpected(r.error());
    if (!out)
        return out;
    return restoreHalf(std::move(*out), orig);
}

/// Two-input kernel over `Types` (Add, Sub, ...): output 0 = op(input 0, input 1).
template <class Types, class Op>
std::unique_ptr<Kernel> binaryKernel(Op op, bool intDivisor = false)
{
    return makeKernel([op, intDivisor](KernelContext &ctx) -> Result<void> {
        auto a = requireInput(ctx, 0);
        if (!a)
            return std::unexpected(a.error());
        auto b = requireInput(ctx, 1);
        if (!b)
            return std::unexpected(b.error());
        auto out = sameTypeBinary<Types>(**a, **b, op, intDivisor);
        if (!out)
            return std::unexpected(out.error());
        ctx.outputs[0] = std::move(*out);
        return {};
    });
}

// ---- arithmetic ---------------------------------------------------------------------------

/// Wrapping negation for signed integers (no UB for the minimum value).
template <class T> T wrapNeg(T x)
{
    using U = std::make_unsigned_t<T>;
    return static_cast<T>(U(0) - static_cast<U>(x));
}

struct AddOp
{
    template <class T> T operator()(T x, T y) const { return static_cast<T>(x + y); }
};
struct SubOp
{
    template <class T> T operator()(T x, T y) const { return static_cast<T>(x - y); }
};
struct MulOp
{
    template <class T> T operator()(T x, T y) const { return static_cast<T>(x * y); }
};
/// Integer division truncates toward zero (as ONNX Runtime); callers reject zero divisors.
struct DivOp
{
    template <class T> T operator()(T x, T y) const
    {
        if constexpr (std::is_integral_v<T> && std::is_signed_v<T>)
            return y == T(-1) ? wrapNeg(x) : static_cast<T>(x / y);
        else
            return static_cast<T>(x / y);
    }
};
/// Max/Min propagate NaN like numpy. The conditions use | rather than || and the arms are plain
/// values: GCC (with the default -ftrapping-math) only turns a ?: into a vector blend when no
/// floating-point comparison or arithmetic is skipped conditionally. The same rule shapes the
/// other hot lambdas in these files.
struct MaxOp
{
    template <class T> T operator()(T x, T y) const { return ((x != x) | (x > y)) ? x : y; }
};
struct MinOp
{
    template <class T> T operator()(T x, T y) const { return ((x != x) | (x < y)) ? x : y; }
};

/// Mod with fmod=0: the result takes the divisor's sign (Python %). Integer zero divisors are
/// rejected by the caller; floats follow fmod and then shift into the divisor's sign.
struct ModOp
{
    template <class T> T operator()(T x, T y) const
    {
        if constexpr (std::is_floating_point_v<T>) {
            T r = std::fmod(x, y);
            if (r != T(0) && ((r < T(0)) != (y < T(0))))
                r += y;
            return r;
        } else if constexpr (std::is_signed_v<T>) {
            if (y == T(-1))
                return T(0);
            T r = static_cast<T>(x % y);
            if (r != T(0) && ((r < T(0)) != (y < T(0))))
                r = static_cast<T>(r + y);
            return r;
        } else {
            return static_cast<T>(x % y);
        }
    }
};
/// Mod with fmod=1: the result takes the dividend's sign (C fmod / %).
struct FModOp
{
    template <class T> T operator()(T x, T y) const
    {
        if constexpr (std::is_floating_point_v<T>)
            return std::fmod(x, y);
        else if constexpr (std::is_signed_v<T>)
            return y == T(-1) ? T(0) : static_cast<T>(x % y);
        else
            return static_cast<T>(x % y);
    }
};

Result<std::unique_ptr<Kernel>> makeAdd(const KernelBuildInfo &)
{
    return binaryKernel<NumericTypes>(AddOp{});
}
Result<std::unique_ptr<Kernel>> makeSub(const KernelBuildInfo &)
{
    return binaryKernel<NumericTypes>(SubOp{});
}
Result<std::unique_ptr<Kernel>> makeMul(const KernelBuildInfo &)
{
    return binaryKernel<NumericTypes>(MulOp{});
}
Result<std::unique_ptr<Kernel>> makeDiv(const KernelBuildInfo &)
{
    return binaryKernel<NumericTypes>(DivOp{}, true);
}

Result<std::unique_ptr<Kernel>> makeMod(const KernelBuildInfo &info)
{
    if (info.node.attrInt("fmod", 0) != 0)
        return binaryKernel<NumericTypes>(FModOp{}, true);
    return binaryKernel<NumericTypes>(ModOp{}, true);
}

Result<std::unique_ptr<Kernel>> makeBitShift(const KernelBuildInfo &info)
{
    const std::string dir = info.node.attrString("direction", "");
    if (dir != "LEFT" && dir != "RIGHT")
        return fail("attribute 'direction' must be \"LEFT\" or \"RIGHT\", not \"" + dir + "\".");
    const bool left = dir == "LEFT";
    // Shifting by the bit width or more gives 0 (as the ONNX reference), never UB.
    return binaryKernel<TypeList<uint8_t, uint16_t, uint32_t, uint64_t>>([left](auto x, auto y) {
        using T = decltype(x);
        if (y >= T(sizeof(T) * 8))
            return T(0);
        return left ? static_cast<T>(x << y) : static_cast<T>(x >> y);
    });
}

/// Pow: the output has the base's type. Float bases take the exponent converted to their type;
/// integer bases compute in double (exact below 2^53) and truncate like ONNX Runtime.
Result<Tensor> power(const Tensor &base0, const Tensor &expo0)
{
    const DataType orig = base0.dtype();
    const Tensor base = promoteHalf(base0);
    const DataType bt = base.dtype();
    if (bt != DataType::Float && bt != DataType::Double && bt != DataType::Int32 &&
        bt != DataType::Int64)
        return unsupportedType(orig, "base");
    const Tensor expo = promoteHalf(expo0);
    if (expo.dtype() == DataType::Bool || expo.dtype() == DataType::String)
        return unsupportedType(expo0.dtype(), "exponent");

    Result<Tensor> out = unsupportedType(orig, "base");
    if (bt == DataType::Float || bt == DataType::Double) {
        const Tensor e = expo.castTo(bt);
        auto r = dispatch(FloatTypes{}, bt, [&](auto tag) -> Result<void> {
            using T = typename decltype(tag)::type;
            // x^2 and x^0.5 are common (norm decompositions); give them exact fast loops.
            if (e.numel() == 1 && (e.data<T>()[0] == T(2) || e.data<T>()[0] == T(0.5))) {
                const bool square = e.data<T>()[0] == T(2);
                Tensor o(bt, base.dims());
                auto f = [square](T x) { return square ? x * x : std::sqrt(x); };
                mapUnary(base.data<T>(), o.mutableData<T>(), base.numel(), kMathGrain, f);
                // keep the broadcast shape when the exponent has more dims than the base
                auto shape = broadcastShapes(base.dims(), e.dims());
                if (!shape)
                    return std::unexpected(shape.error());
                out = o.reshaped(*shape);
                return {};
            }
            out = broadcastBinary<T, T, T>(base, e, bt, [](T x, T y) { return std::pow(x, y); });
            return {};
        });
        if (!r)
            return std::unexpected(r.error());
    } else {
        const Tensor e = expo.castTo(DataType::Double);
        auto r = dispatch(TypeList<int32_t, int64_t>{}, bt, [&](auto tag) -> Result<void> {
            using T = typename decltype(tag)::type;
            out = broadcastBinary<T, double, T>(base, e, bt, [](T x, double y) {
                const double v = std::pow(static_cast<double>(x), y);
                // out-of-range and NaN results saturate instead of invoking UB
                if (!(v >= static_cast<double>(std::numeric_limits<T>::lowest())))
                    return std::numeric_limits<T>::lowest();
                if (v >= static_cast<double>(std::numeric_limits<T>::max()))
                    return std::numeric_limits<T>::max();
                return static_cast<T>(v);
            });
            return {};
        });
        if (!r)
            return std::unexpected(r.error());
    }
    if (!out)
        return out;
    return restoreHalf(std::move(*out), orig);
}

Result<std::unique_ptr<Kernel>> makePow(const KernelBuildInfo &)
{
    return makeKernel([](KernelContext &ctx) -> Result<void> {
        auto a = requireInput(ctx, 0);
        if (!a)
            return std::unexpected(a.error());
        auto b = requireInput(ctx, 1);
        if (!b)
            return std::unexpected(b.error());
        auto out = power(**a, **b);
        if (!out)
            return std::unexpected(out.error());
        ctx.outputs[0] = std::move(*out);
        return {};
    });
}

/// PRelu: y = x < 0 ? slope * x : x, slope broadcast against x.
Result<std::unique_ptr<Kernel>> makePRelu(const KernelBuildInfo &)
{
    return binaryKernel<SignedTypes>([](auto x, auto s) {
        using T = decltype(x);
        return static_cast<T>(x * (x < T(0) ? s : T(1)));
    });
}

// ---- opsets 1-6: broadcast / axis attributes ------------------------------------------------

/// Runs `inner` (a numpy-broadcasting two-input kernel) with input 1 reshaped the way opsets
/// before 7 broadcast: with broadcast=1 and an `axis`, B's dims line up with A's starting at
/// axis; without an axis B matches A's trailing dims, which numpy broadcasting already does.
/// broadcast=0 (equal shapes required) is accepted as the numpy superset.
std::unique_ptr<Kernel> legacyBroadcast(std::unique_ptr<Kernel> inner, const KernelBuildInfo &info)
{
    const Attribute *ax = info.node.attr("axis");
    const bool hasAxis =
        info.node.attrInt("broadcast", 0) != 0 && ax && ax->kind == Attribute::Kind::Int;
    const int64_t axis = hasAxis ? ax->i : 0;
    std::shared_ptr<Kernel> k(std::move(inner));
    return makeKernel([k, hasAxis, axis](KernelContext &ctx) -> Result<void> {
        if (!hasAxis)
            return k->run(ctx);
        auto a = requireInput(ctx, 0);
        if (!a)
            return std::unexpected(a.error());
        auto b = requireInput(ctx, 1);
        if (!b)
            return std::unexpected(b.error());
        const int64_t rank = (*a)->rank();
        auto n = normalizeAxis(axis, rank);
        if (!n || *n + (*b)->rank() > rank)
            return fail("input 1 of shape " + dimsToString((*b)->dims()) +
                        " does not fit input 0 of shape " + dimsToString((*a)->dims()) +
                        " at axis " + std::to_string(axis) + ".");
        Dims dims(static_cast<std::size_t>(*n), 1);
        dims.insert(dims.end(), (*b)->dims().begin(), (*b)->dims().end());
        dims.resize(static_cast<std::size_t>(rank), 1);
        const Tensor aligned = (*b)->reshaped(dims);
        const std::array<const Tensor *, 2> ins{*a, &aligned};
        KernelContext sub;
        sub.inputs = ins;
        sub.outputs.resize(ctx.outputs.size());
        if (auto r = k->run(sub); !r)
            return r;
        ctx.outputs = std::move(sub.outputs);
        return {};
    });
}

template <KernelFactory Make>
Result<std::unique_ptr<Kernel>> makeLegacy(const KernelBuildInfo &info)
{
    auto k = Make(info);
    if (!k)
        return k;
    return legacyBroadcast(std::move(*k), info);
}

/// PRelu before opset 7: a 1-D slope with one value per channel applies along axis 1.
Result<std::unique_ptr<Kernel>> makePRelu6(const KernelBuildInfo &info)
{
    auto k = makePRelu(info);
    if (!k)
        return k;
    std::shared_ptr<Kernel> inner(std::move(*k));
    return makeKernel([inner](KernelContext &ctx) -> Result<void> {
        const Tensor *x = ctx.input(0);
        const Tensor *s = ctx.input(1);
        if (!x || !s || s->rank() != 1 || s->numel() == 1 || x->rank() < 2 ||
            s->dim(0) != x->dim(1))
            return inner->run(ctx);
        Dims dims(static_cast<std::size_t>(x->rank() - 1), 1);
        dims[0] = s->dim(0);
        const Tensor perChannel = s->reshaped(dims);
        const std::array<const Tensor *, 2> ins{x, &perChannel};
        KernelContext sub;
        sub.inputs = ins;
        sub.outputs.resize(ctx.outputs.size());
        if (auto r = inner->run(sub); !r)
            return r;
        ctx.outputs = std::move(sub.outputs);
        return {};
    });
}

// ---- variadic ------------------------------------------------------------------------------

/// Max, Min, Sum (Mean = Sum / count): folds the inputs pairwise, broadcasting as it goes.
template <class Op> std::unique_ptr<Kernel> variadicKernel(Op op, bool mean)
{
    return makeKernel([op, mean](KernelContext &ctx) -> Result<void> {
        std::vector<const Tensor *> ins;
        for (const Tensor *t : ctx.inputs)
            if (t && !t->empty())
                ins.push_back(t);
        if (ins.empty())
            return fail("needs at least one input.");
        for (const Tensor *t : ins)
            if (t->dtype() != ins[0]->dtype())
                return typesDiffer(*ins[0], *t);
        Tensor acc;
        if (ins.size() == 1) {
            // a private copy: outputs never alias inputs
            acc = Tensor(ins[0]->dtype(), ins[0]->dims());
            if (ins[0]->dtype() == DataType::String)
                return unsupportedType(DataType::String);
            if (ins[0]->byteSize())
                std::memcpy(acc.mutableBytes().data(), ins[0]->bytes().data(), acc.byteSize());
            auto check = dispatch(NumericTypes{}, promoteHalf(acc).dtype(),
                                  [](auto) -> Result<void> { return {}; });
            if (!check)
                return check;
        } else {
            auto r = sameTypeBinary<NumericTypes>(*ins[0], *ins[1], op);
            if (!r)
                return std::unexpected(r.error());
            acc = std::move(*r);
            for (std::size_t k = 2; k < ins.size(); ++k) {
                r = sameTypeBinary<NumericTypes>(acc, *ins[k], op);
                if (!r)
                    return std::unexpected(r.error());
                acc = std::move(*r);
            }
        }
        if (mean && ins.size() > 1) {
            const DataType orig = acc.dtype();
            Tensor wide = promoteHalf(acc);
            const auto count = static_cast<int64_t>(ins.size());
            auto r = dispatch(NumericTypes{}, wide.dtype(), [&](auto tag) -> Result<void> {
                using T = typename decltype(tag)::type;
                auto f = [count](T x) { return static_cast<T>(x / static_cast<T>(count)); };
                T *p = wide.mutableData<T>();
                mapUnary(p, p, wide.numel(), kCheapGrain, f);
                return {};
            });
            if (!r)
                return r;
            acc = restoreHalf(std::move(wide), orig);
        }
        ctx.outputs[0] = std::move(acc);
        return {};
    });
}

Result<std::unique_ptr<Kernel>> makeMax(const KernelBuildInfo &)
{
    return variadicKernel(MaxOp{}, false);
}
Result<std::unique_ptr<Kernel>> makeMin(const KernelBuildInfo &)
{
    return variadicKernel(MinOp{}, false);
}
Result<std::unique_ptr<Kernel>> makeSum(const KernelBuildInfo &)
{
    return variadicKernel(AddOp{}, false);
}
Result<std::unique_ptr<Kernel>> makeMean(const KernelBuildInfo &)
{
    return variadicKernel(AddOp{}, true);
}

// ---- comparison and logic ------------------------------------------------------------------

/// Two inputs of one dtype (numeric or bool) in, a bool tensor out.
template <class Types, class Op> std::unique_ptr<Kernel> predicateKernel(Op op)
{
    return makeKernel([op](KernelContext &ctx) -> Result<void> {
        auto a0 = requireInput(ctx, 0);
        if (!a0)
            return std::unexpected(a0.error());
        auto b0 = requireInput(ctx, 1);
        if (!b0)
            return std::unexpected(b0.error());
        if ((*a0)->dtype() != (*b0)->dtype())
            return typesDiffer(**a0, **b0);
        const Tensor a = promoteHalf(**a0), b = promoteHalf(**b0);
        Result<Tensor> out = unsupportedType(a.dtype());
        auto r = dispatch(Types{}, storageType(a.dtype()), [&](auto tag) -> Result<void> {
            using T = typename decltype(tag)::type;
            out = broadcastBinary<T, T, uint8_t>(a, b, DataType::Bool, [&op](T x, T y) {
                return static_cast<uint8_t>(op(x, y) ? 1 : 0);
            });
            return {};
        });
        if (!r)
            return r;
        if (!out)
            return std::unexpected(out.error());
        ctx.outputs[0] = std::move(*out);
        return {};
    });
}

using CompareTypes = TypeList<float, double, int8_t, uint8_t, int16_t, uint16_t, int32_t, int64_t,
                              uint32_t, uint64_t>;

Result<std::unique_ptr<Kernel>> makeEqual(const KernelBuildInfo &)
{
    return predicateKernel<CompareTypes>([](auto x, auto y) { return x == y; });
}
Result<std::unique_ptr<Kernel>> makeLess(const KernelBuildInfo &)
{
    return predicateKernel<CompareTypes>([](auto x, auto y) { return x < y; });
}
Result<std::unique_ptr<Kernel>> makeGreater(const KernelBuildInfo &)
{
    return predicateKernel<CompareTypes>([](auto x, auto y) { return x > y; });
}
Result<std::unique_ptr<Kernel>> makeLessOrEqual(const KernelBuildInfo &)
{
    return predicateKernel<CompareTypes>([](auto x, auto y) { return x <= y; });
}
Result<std::unique_ptr<Kernel>> makeGreaterOrEqual(const KernelBuildInfo &)
{
    return predicateKernel<CompareTypes>([](auto x, auto y) { return x >= y; });
}

/// And/Or/Xor take bool inputs only.
template <class Op> std::unique_ptr<Kernel> logicKernel(Op op)
{
    auto inner = predicateKernel<TypeList<uint8_t>>(
        [op](uint8_t x, uint8_t y) { return op(x != 0, y != 0); });
    return makeKernel(
        [inner = std::shared_ptr<Kernel>(std::move(inner))](KernelContext &ctx) -> Result<void> {
            for (std::size_t i = 0; i < 2; ++i)
                if (const Tensor *t = ctx.input(i); t && t->dtype() != DataType::Bool)
                    return fail("input " + std::to_string(i) + " must be bool, not " +
                                std::string(dtypeName(t->dtype())) + ".");
            return inner->run(ctx);
        });
}

Result<std::unique_ptr<Kernel>> makeAnd(const KernelBuildInfo &)
{
    return logicKernel([](bool x, bool y) { return x && y; });
}
Result<std::unique_ptr<Kernel>> makeOr(const KernelBuildInfo &)
{
    return logicKernel([](bool x, bool y) { return x || y; });
}
Result<std::unique_ptr<Kernel>> makeXor(const KernelBuildInfo &)
{
    return logicKernel([](bool x, bool y) { return x != y; });
}

// ---- Where ---------------------------------------------------------------------------------

/// Where selects whole elements, so it only needs the element size (any fixed-size dtype).
template <class E>
void whereRows(const Tensor &c, const Tensor &x, const Tensor &y, const BroadcastPlan<3> &p,
               Tensor &out)
{
    const uint8_t *pc = c.data<uint8_t>();
    const E *px = x.data<E>();
    const E *py = y.data<E>();
    E *po = out.mutableData<E>();
    const int64_t sc = p.innerStride(0), sx = p.innerStride(1), sy = p.innerStride(2);
    forEachRow(p, kCheapGrain, [&](int64_t o, const std::array<int64_t, 3> &off, int64_t n) {
        const uint8_t *rc = pc + off[0];
        const E *rx = px + off[1];
        const E *ry = py + off[2];
        E *ro = po + o;
#pragma omp simd
        for (int64_t i = 0; i < n; ++i) {
            const E a = rx[i * sx], b = ry[i * sy]; // both loaded: the select vectorizes
            ro[i] = rc[i * sc] ? a : b;
        }
    });
}

Result<std::unique_ptr<Kernel>> makeWhere(const KernelBuildInfo &)
{
    return makeKernel([](KernelContext &ctx) -> Result<void> {
        std::array<const Tensor *, 3> in{};
        for (std::size_t i = 0; i < 3; ++i) {
            auto t = requireInput(ctx, i);
            if (!t)
                return std::unexpected(t.error());
            in[i] = *t;
        }
        const Tensor &c = *in[0], &x = *in[1], &y = *in[2];
        if (c.dtype() != DataType::Bool)
            return fail("condition must be bool, not " + std::string(dtypeName(c.dtype())) + ".");
        if (x.dtype() != y.dtype())
            return typesDiffer(x, y);
        auto plan = planBroadcast<3>({&c.dims(), &x.dims(), &y.dims()});
        if (!plan)
            return std::unexpected(plan.error());
        Tensor out(x.dtype(), plan->out);
        switch (dtypeSize(x.dtype())) {
        case 1:
            whereRows<uint8_t>(c, x, y, *plan, out);
            break;
        case 2:
            whereRows<uint16_t>(c, x, y, *plan, out);
            break;
        case 4:
            whereRows<uint32_t>(c, x, y, *plan, out);
            break;
        case 8:
            whereRows<uint64_t>(c, x, y, *plan, out);
            break;
        default:
            return unsupportedType(x.dtype());
        }
        ctx.outputs[0] = std::move(out);
        return {};
    });
}

constexpr OpEntry kBinaryEntries[] = {
    // Opsets 1-6 broadcast by attribute (broadcast, axis); numpy broadcasting from 7. The same
    // holds for the comparisons and And/Or/Xor below.
    {"", "Add", 1, 6, &makeLegacy<&makeAdd>},
    {"", "Sub", 1, 6, &makeLegacy<&makeSub>},
    {"", "Mul", 1, 6, &makeLegacy<&makeMul>},
    {"", "Div", 1, 6, &makeLegacy<&makeDiv>},
    {"", "Pow", 1, 6, &makeLegacy<&makePow>},
    {"", "PRelu", 1, 6, &makePRelu6},
    {"", "Add", 7, kMaxOpset, &makeAdd},
    {"", "Sub", 7, kMaxOpset, &makeSub},
    {"", "Mul", 7, kMaxOpset, &makeMul},
    {"", "Div", 7, kMaxOpset, &makeDiv},
    {"", "Pow", 7, kMaxOpset, &makePow},
    {"", "Mod", 10, kMaxOpset, &makeMod},
    {"", "BitShift", 11, kMaxOpset, &makeBitShift},
    {"", "PRelu", 7, kMaxOpset, &makePRelu},
    // Before opset 8 these required equal shapes (and took consumed_inputs before 6);
    // broadcasting is a superset of that.
    {"", "Max", 1, kMaxOpset, &makeMax},
    {"", "Min", 1, kMaxOpset, &makeMin},
    {"", "Sum", 1, kMaxOpset, &makeSum},
    {"", "Mean", 1, kMaxOpset, &makeMean},
    {"", "Equal", 1, 6, &makeLegacy<&makeEqual>},
    {"", "Less", 1, 6, &makeLegacy<&makeLess>},
    {"", "Greater", 1, 6, &makeLegacy<&makeGreater>},
    {"", "And", 1, 6, &makeLegacy<&makeAnd>},
    {"", "Or", 1, 6, &makeLegacy<&makeOr>},
    {"", "Xor", 1, 6, &makeLegacy<&makeXor>},
    {"", "Equal", 7, kMaxOpset, &makeEqual},
    {"", "Less", 7, kMaxOpset, &makeLess},
    {"", "Greater", 7, kMaxOpset, &makeGreater},
    {"", "LessOrEqual", 12, kMaxOpset, &makeLessOrEqual},
    {"", "GreaterOrEqual", 12, kMaxOpset, &makeGreaterOrEqual},
    {"", "And", 7, kMaxOpset, &makeAnd},
    {"", "Or", 7, kMaxOpset, &makeOr},
    {"", "Xor", 7, kMaxOpset, &makeXor},
    {"", "Where", 9, kMaxOpset, &makeWhere},
};

} // namespace

std::span<const OpEntry> elementwiseOps()
{
    static const std::vector<OpEntry> entries = [] {
        std::vector<OpEntry> all(std::begin(kBinaryEntries), std::end(kBinaryEntries));
        const auto unary = elementwiseUnaryOps();
        all.insert(all.end(), unary.begin(), unary.end());
        return all;
    }();
    return entries;
}

} // namespace nnc
