// Elementwise op family, unary part: activations (Relu ... Mish, Gelu, Shrink), math functions,
// Clip, Cast/CastLike and the bool-valued IsNaN/IsInf/Not. Float32 exp/log/tanh/sigmoid/erf/gelu
// run through Eigen's vectorized math; everything else is a scalar std:: function in a simd loop.
// float16/bfloat16 inputs are computed in float32 and narrowed back.
#include "core/ops/elementwise_common.h"

#include <Eigen/Core>
#include <unsupported/Eigen/SpecialFunctions>

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <numbers>
#include <type_traits>

namespace nnc {

namespace {

using namespace ops;

using ArrayF = Eigen::Array<float, Eigen::Dynamic, 1>;

/// Marker for "no vectorized float32 path".
struct NoFast
{
};

/// A kernel mapping input 0 through f elementwise for the dtypes in Types. `fast(x, y, n)`, when
/// given, replaces f for float32 chunks.
template <class Types, class F, class Fast = NoFast>
std::unique_ptr<Kernel> unaryKernel(F f, int64_t grain = kMathGrain, Fast fast = {})
{
    return makeKernel([f, grain, fast](KernelContext &ctx) -> Result<void> {
        auto x0 = requireInput(ctx, 0);
        if (!x0)
            return std::unexpected(x0.error());
        const Tensor x = promoteHalf(**x0);
        Tensor y;
        auto r = dispatch(Types{}, x.dtype(), [&](auto tag) -> Result<void> {
            using T = typename decltype(tag)::type;
            y = Tensor(x.dtype(), x.dims());
            const T *px = x.data<T>();
            T *py = y.mutableData<T>();
            if constexpr (std::is_same_v<T, float> && !std::is_same_v<Fast, NoFast>) {
                parallelFor(x.numel(), grain,
                            [&](int64_t b, int64_t e) { fast(px + b, py + b, e - b); });
            } else {
                mapUnary(px, py, x.numel(), grain, f);
            }
            return {};
        });
        if (!r)
            return r;
        ctx.outputs[0] = restoreHalf(std::move(y), (*x0)->dtype());
        return {};
    });
}

/// Copies NaN inputs to the outputs: Eigen's clamped polynomials do not all propagate NaN.
void keepNaN(const float *x, float *y, int64_t n)
{
#pragma omp simd
    for (int64_t i = 0; i < n; ++i) {
        const float a = x[i], b = y[i]; // both loaded: a blend, not a branch
        y[i] = a != a ? a : b;
    }
}

/// Wraps an Eigen array expression builder g(Map x, Map y) as a float32 chunk function.
template <class G> auto eigenFast(G g)
{
    return [g](const float *x, float *y, int64_t n) {
        Eigen::Map<const ArrayF> xa(x, n);
        Eigen::Map<ArrayF> ya(y, n);
        g(xa, ya);
        keepNaN(x, y, n);
    };
}

template <class T> T stableSigmoid(T x)
{
    if (x >= T(0))
        return T(1) / (T(1) + std::exp(-x));
    const T e = std::exp(x);
    return e / (T(1) + e);
}

/// y[i] = sigmoid(x[i]) given y[i] = exp(-|x[i]|) on entry.
void sigmoidFromExp(const float *x, float *y, int64_t n)
{
#pragma omp simd
    for (int64_t i = 0; i < n; ++i) {
        const float e = y[i];
        const float m = x[i] >= 0.0f ? 1.0f : 0.0f;
        y[i] = (e + m * (1.0f - e)) / (1.0f + e);
    }
}

/// log(1 + e^x) without overflow for large x or loss for very negative x.
template <class T> T softplus(T x)
{
    return x > T(0) ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x));
}

// ---- simple math ---------------------------------------------------------------------------

#define NNC_FLOAT_UNARY(Name, expr)                                                                \
    Result<std::unique_ptr<Kernel>> make##Name(const KernelBuildInfo &)                            \
    {                                                                                              \
        return unaryKernel<FloatTypes>([](auto x) { return static_cast<decltype(x)>(expr); });     \
    }

NNC_FLOAT_UNARY(Floor, std::floor(x))
NNC_FLOAT_UNARY(Ceil, std::ceil(x))
NNC_FLOAT_UNARY(Round, std::nearbyint(x)) // default rounding mode: half to even
NNC_FLOAT_UNARY(Reciprocal, 1 / x)
NNC_FLOAT_UNARY(Sin, std::sin(x))
NNC_FLOAT_UNARY(Cos, std::cos(x))
NNC_FLOAT_UNARY(Tan, std::tan(x))
NNC_FLOAT_UNARY(Asin, std::asin(x))
NNC_FLOAT_UNARY(Acos, std::acos(x))
NNC_FLOAT_UNARY(Atan, std::atan(x))
NNC_FLOAT_UNARY(Sinh, std::sinh(x))
NNC_FLOAT_UNARY(Cosh, std::cosh(x))
NNC_FLOAT_UNARY(Asinh, std::asinh(x))
NNC_FLOAT_UNARY(Acosh, std::acosh(x))
NNC_FLOAT_UNARY(Atanh, std::atanh(x))
NNC_FLOAT_UNARY(Softsign, x / (1 + std::abs(x)))
NNC_FLOAT_UNARY(Softplus, softplus(x))
NNC_FLOAT_UNARY(Mish, x *std::tanh(softplus(x)))
// Not Eigen's sqrt: its fast-math float path (rsqrt + Newton step) turns +inf into NaN.
NNC_FLOAT_UNARY(Sqrt, std::sqrt(x))

#undef NNC_FLOAT_UNARY

Result<std::unique_ptr<Kernel>> makeExp(const KernelBuildInfo &)
{
    return unaryKernel<FloatTypes>([](auto x) { return std::exp(x); }, kMathGrain,
                                   eigenFast([](const auto &x, auto &y) { y = x.exp(); }));
}

Result<std::unique_ptr<Kernel>> makeLog(const KernelBuildInfo &)
{
    return unaryKernel<FloatTypes>([](auto x) { return std::log(x); }, kMathGrain,
                                   eigenFast([](const auto &x, auto &y) { y = x.log(); }));
}

Result<std::unique_ptr<Kernel>> makeTanh(const KernelBuildInfo &)
{
    return unaryKernel<FloatTypes>([](auto x) { return std::tanh(x); }, kMathGrain,
                                   eigenFast([](const auto &x, auto &y) { y = x.tanh(); }));
}

Result<std::unique_ptr<Kernel>> makeSigmoid(const KernelBuildInfo &)
{
    // e = exp(-|x|) never overflows; the result is 1/(1+e) for x >= 0 and e/(1+e) below,
    // written as r * (e + m (1 - e)) with m = [x >= 0] so the loop has no branch and vectorizes
    // (a ?: select here stayed a branch, which mispredicts on activations of mixed sign).
    return unaryKernel<FloatTypes>([](auto x) { return stableSigmoid(x); }, kMathGrain,
                                   eigenFast([](const auto &x, auto &y) {
                                       y = (-x.abs()).exp();
                                       sigmoidFromExp(x.data(), y.data(), x.size());
                                   }));
}

Result<std::unique_ptr<Kernel>> makeErf(const KernelBuildInfo &)
{
    // Eigen's float erf is a vectorized rational approximation (a few ulp); double uses std::erf.
    return unaryKernel<FloatTypes>([](auto x) { return std::erf(x); }, kMathGrain,
                                   eigenFast([](const auto &x, auto &y) { y = x.erf(); }));
}

Result<std::unique_ptr<Kernel>> makeNeg(const KernelBuildInfo &)
{
    return unaryKernel<SignedTypes>(
        [](auto x) {
            using T = decltype(x);
            if constexpr (std::is_integral_v<T>) // wraps for the minimum value instead of UB
                return static_cast<T>(std::make_unsigned_t<T>(0) -
                                      static_cast<std::make_unsigned_t<T>>(x));
            else
                return -x;
        },
        kCheapGrain);
}

Result<std::unique_ptr<Kernel>> makeAbs(const KernelBuildInfo &)
{
    return unaryKernel<NumericTypes>(
        [](auto x) {
            using T = decltype(x);
            if constexpr (std::is_unsigned_v<T>)
                return x;
            else if constexpr (std::is_integral_v<T>)
                return x < 0 ? static_cast<T>(std::make_unsigned_t<T>(0) -
                                              static_cast<std::make_unsigned_t<T>>(x))
                             : x;
            else
                return std::abs(x);
        },
        kCheapGrain);
}

Result<std::unique_ptr<Kernel>> makeSign(const KernelBuildInfo &)
{
    return unaryKernel<NumericTypes>(
        [](auto x) {
            using T = decltype(x);
            if constexpr (std::is_floating_point_v<T>) // NaN and -0 pass through
                return (x > T(0)) ? T(1) : ((x < T(0)) ? T(-1) : x);
            else
                return static_cast<T>((T(0) < x) - (x < T(0)));
        },
        kCheapGrain);
}

// ---- activations ---------------------------------------------------------------------------

Result<std::unique_ptr<Kernel>> makeRelu(const KernelBuildInfo &)
{
    return unaryKernel<SignedTypes>(
        [](auto x) {
            using T = decltype(x);
            return ((x > T(0)) | (x != x)) ? x : T(0); // NaN stays NaN
        },
        kCheapGrain);
}

Result<std::unique_ptr<Kernel>> makeLeakyRelu(const KernelBuildInfo &info)
{
    const float alpha = info.node.attrFloat("alpha", 0.01f);
    return unaryKernel<FloatTypes>(
        [alpha](auto x) {
            using T = decltype(x);
            return x * (x < T(0) ? static_cast<T>(alpha) : T(1));
        },
        kCheapGrain);
}

Result<std::unique_ptr<Kernel>> makeElu(const KernelBuildInfo &info)
{
    const float alpha = info.node.attrFloat("alpha", 1.0f);
    return unaryKernel<FloatTypes>([alpha](auto x) {
        using T = decltype(x);
        return x < T(0) ? static_cast<T>(alpha) * std::expm1(x) : x;
    });
}

Result<std::unique_ptr<Kernel>> makeSelu(const KernelBuildInfo &info)
{
    const float alpha = info.node.attrFloat("alpha", 1.67326319217681884765625f);
    const float gamma = info.node.attrFloat("gamma", 1.05070102214813232421875f);
    return unaryKernel<FloatTypes>([alpha, gamma](auto x) {
        using T = decltype(x);
        const T a = static_cast<T>(alpha), g = static_cast<T>(gamma);
        return x > T(0) ? g * x : g * a * std::expm1(x);
    });
}

Result<std::unique_ptr<Kernel>> makeCelu(const KernelBuildInfo &info)
{
    const float alpha = info.node.attrFloat("alpha", 1.0f);
    if (alpha == 0.0f)
        return fail("attribute 'alpha' must not be 0.");
    return unaryKernel<FloatTypes>([alpha](auto x) {
        using T = decltype(x);
        const T a = static_cast<T>(alpha);
        return x > T(0) ? x : a * std::expm1(x / a);
    });
}

Result<std::unique_ptr<Kernel>> makeThresholdedRelu(const KernelBuildInfo &info)
{
    const float alpha = info.node.attrFloat("alpha", 1.0f);
    return unaryKernel<FloatTypes>(
        [alpha](auto x) {
            using T = decltype(x);
            return x > static_cast<T>(alpha) ? x : T(0);
        },
        kCheapGrain);
}

Result<std::unique_ptr<Kernel>> makeHardSigmoid(const KernelBuildInfo &info)
{
    const float alpha = info.node.attrFloat("alpha", 0.2f);
    const float beta = info.node.attrFloat("beta", 0.5f);
    return unaryKernel<FloatTypes>(
        [alpha, beta](auto x) {
            using T = decltype(x);
            const T v = static_cast<T>(alpha) * x + static_cast<T>(beta);
            return std::min(T(1), std::max(T(0), v));
        },
        kCheapGrain);
}

Result<std::unique_ptr<Kernel>> makeHardSwish(const KernelBuildInfo &)
{
    return unaryKernel<FloatTypes>(
        [](auto x) {
            using T = decltype(x);
            const T v = x * T(1.0 / 6.0) + T(0.5);
            return x * std::min(T(1), std::max(T(0), v));
        },
        kCheapGrain);
}

Result<std::unique_ptr<Kernel>> makeGelu(const KernelBuildInfo &info)
{
    const std::string approx = info.node.attrString("approximate", "none");
    if (approx == "tanh") {
        return unaryKernel<FloatTypes>([](auto x) {
            using T = decltype(x);
            const T c = static_cast<T>(0.7978845608028654); // sqrt(2 / pi)
            return T(0.5) * x * (T(1) + std::tanh(c * (x + T(0.044715) * x * x * x)));
        });
    }
    if (approx != "none")
        return fail("attribute 'approximate' must be \"none\" or \"tanh\", not \"" + approx +
                    "\".");
    return unaryKernel<FloatTypes>(
        [](auto x) {
            using T = decltype(x);
            return T(0.5) * x * std::erfc(-x * static_cast<T>(std::numbers::sqrt2 / 2));
        },
        kMathGrain, eigenFast([](const auto &x, auto &y) {
            const float c = static_cast<float>(std::numbers::sqrt2 / 2);
            y = 0.5f * x * (1.0f + (x * c).erf());
            // Below x = -2, 1 + erf loses more than 5e-6 relative to cancellation; erfc keeps
            // the tail (about 2% of N(0, 1) inputs take this scalar path).
            const float *px = x.data();
            float *py = y.data();
            for (Eigen::Index i = 0; i < x.size(); ++i)
                if (px[i] < -2.0f)
                    py[i] = static_cast<float>(0.5 * px[i] *
                                               std::erfc(-px[i] * (std::numbers::sqrt2 / 2)));
        }));
}

/// Shrink: x < -lambd -> x + bias, x > lambd -> x - bias, else 0 (bias and lambd in x's type).
Result<std::unique_ptr<Kernel>> makeShrink(const KernelBuildInfo &info)
{
    const float bias = info.node.attrFloat("bias", 0.0f);
    const float lambd = info.node.attrFloat("lambd", 0.5f);
    return unaryKernel<NumericTypes>(
        [bias, lambd](auto x) {
            using T = decltype(x);
            const double v = static_cast<double>(x);
            if (v < -static_cast<double>(lambd))
                return static_cast<T>(v + static_cast<double>(bias));
            if (v > static_cast<double>(lambd))
                return static_cast<T>(v - static_cast<double>(bias));
            return T(0);
        },
        kCheapGrain);
}

// ---- Clip ----------------------------------------------------------------------------------

/// y = min(max(x, lo), hi); with lo > hi every element becomes hi (as the ONNX spec says).
/// NaN inputs stay NaN.
template <class T> void clipLoop(const T *x, T *y, int64_t n, T lo, T hi)
{
    auto f = [lo, hi](T v) {
        const T a = v < lo ? lo : v;
        return a > hi ? hi : a;
    };
    mapUnary(x, y, n, kCheapGrain, f);
}

/// Opset 6-10: bounds are float attributes.
Result<std::unique_ptr<Kernel>> makeClip6(const KernelBuildInfo &info)
{
    const float lo = info.node.attrFloat("min", std::numeric_limits<float>::lowest());
    const float hi = info.node.attrFloat("max", std::numeric_limits<float>::max());
    return makeKernel([lo, hi](KernelContext &ctx) -> Result<void> {
        auto x0 = requireInput(ctx, 0);
        if (!x0)
            return std::unexpected(x0.error());
        const Tensor x = promoteHalf(**x0);
        Tensor y(x.dtype(), x.dims());
        auto r = dispatch(FloatTypes{}, x.dtype(), [&](auto tag) -> Result<void> {
            using T = typename decltype(tag)::type;
            clipLoop<T>(x.data<T>(), y.mutableData<T>(), x.numel(), static_cast<T>(lo),
                        static_cast<T>(hi));
            return {};
        });
        if (!r)
            return r;
        ctx.outputs[0] = restoreHalf(std::move(y), (*x0)->dtype());
        return {};
    });
}

/// Opset 11+: bounds are optional scalar inputs 1 and 2 of the input's type.
Result<std::unique_ptr<Kernel>> makeClip11(const KernelBuildInfo &)
{
    return makeKernel([](KernelContext &ctx) -> Result<void> {
        auto x0 = requireInput(ctx, 0);
        if (!x0)
            return std::unexpected(x0.error());
        const DataType orig = (*x0)->dtype();
        for (std::size_t i = 1; i <= 2; ++i) {
            const Tensor *b = ctx.input(i);
            if (!b || b->empty())
                continue;
            if (b->dtype() != orig)
                return fail(std::string(i == 1 ? "min" : "max") + " has type " +
                            std::string(dtypeName(b->dtype())) + " but the input is " +
                            std::string(dtypeName(orig)) + ".");
            if (b->numel() != 1)
                return fail(std::string(i == 1 ? "min" : "max") + " must be a scalar, not shape " +
                            dimsToString(b->dims()) + ".");
        }
        const Tensor x = promoteHalf(**x0);
        Tensor y(x.dtype(), x.dims());
        auto r = dispatch(NumericTypes{}, x.dtype(), [&](auto tag) -> Result<void> {
            using T = typename decltype(tag)::type;
            auto bound = [&](std::size_t i, T fallback) {
                const Tensor *b = ctx.input(i);
                return b && !b->empty() ? promoteHalf(*b).data<T>()[0] : fallback;
            };
            clipLoop<T>(x.data<T>(), y.mutableData<T>(), x.numel(),
                        bound(1, std::numeric_limits<T>::lowest()),
                        bound(2, std::numeric_limits<T>::max()));
            return {};
        });
        if (!r)
            return r;
        ctx.outputs[0] = restoreHalf(std::move(y), orig);
        return {};
    });
}

// ---- bool-valued ---------------------------------------------------------------------------

/// A kernel mapping input 0 (dtypes in Types, bool as uint8) to a bool tensor through pred.
template <class Types, class P>
std::unique_ptr<Kernel> predicateUnaryKernel(P pred, bool boolInput = false)
{
    return makeKernel([pred, boolInput](KernelContext &ctx) -> Result<void> {
        auto x0 = requireInput(ctx, 0);
        if (!x0)
            return std::unexpected(x0.error());
        if (boolInput && (*x0)->dtype() != DataType::Bool)
            return fail("input must be bool, not " + std::string(dtypeName((*x0)->dtype())) + ".");
        const Tensor x = promoteHalf(**x0);
        Tensor y(DataType::Bool, x.dims());
        const DataType dt = boolInput ? DataType::UInt8 : x.dtype();
        auto r = dispatch(Types{}, dt, [&](auto tag) -> Result<void> {
            using T = typename decltype(tag)::type;
            auto f = [&pred](T v) { return static_cast<uint8_t>(pred(v) ? 1 : 0); };
            mapUnary(x.data<T>(), y.mutableData<uint8_t>(), x.numel(), kCheapGrain, f);
            return {};
        });
        if (!r)
            return r;
        ctx.outputs[0] = std::move(y);
        return {};
    });
}

Result<std::unique_ptr<Kernel>> makeNot(const KernelBuildInfo &)
{
    return predicateUnaryKernel<TypeList<uint8_t>>([](uint8_t v) { return v == 0; }, true);
}

Result<std::unique_ptr<Kernel>> makeIsNaN(const KernelBuildInfo &)
{
    return predicateUnaryKernel<NumericTypes>([](auto v) { return v != v; });
}

Result<std::unique_ptr<Kernel>> makeIsInf(const KernelBuildInfo &info)
{
    const bool neg = info.node.attrInt("detect_negative", 1) != 0;
    const bool pos = info.node.attrInt("detect_positive", 1) != 0;
    return predicateUnaryKernel<NumericTypes>([neg, pos](auto v) {
        using T = decltype(v);
        if constexpr (std::is_floating_point_v<T>)
            return (pos && v == std::numeric_limits<T>::infinity()) ||
                   (neg && v == -std::numeric_limits<T>::infinity());
        else
            return false;
    });
}

// ---- Cast ----------------------------------------------------------------------------------

/// Numbers to strings use the shortest text that reads back to the same value ("0.1", "1e-05").
Tensor numbersToStrings(const Tensor &x)
{
    Tensor out(DataType::String, x.dims());
    auto &s = out.mutableStrings();
    const bool isF32 = x.dtype() == DataType::Float || isHalf(x.dtype());
    for (int64_t i = 0; i < x.numel(); ++i) {
        const double v = x.valueAsDouble(i);
        char buf[64];
        std::to_chars_result r{};
        if (std::isnan(v))
            s[static_cast<std::size_t>(i)] = "NaN";
        else if (std::isinf(v))
            s[static_cast<std::size_t>(i)] = v > 0 ? "INF" : "-INF";
        else {
            if (x.dtype() == DataType::UInt64)
                r = std::to_chars(buf, buf + sizeof buf, x.data<uint64_t>()[i]);
            else if (x.dtype() == DataType::Int64)
                r = std::to_chars(buf, buf + sizeof buf, x.data<int64_t>()[i]);
            else if (x.dtype() == DataType::Bool || isInteger(x.dtype()))
                r = std::to_chars(buf, buf + sizeof buf, static_cast<int64_t>(v));
            else if (isF32)
                r = std::to_chars(buf, buf + sizeof buf, static_cast<float>(v));
            else
                r = std::to_chars(buf, buf + sizeof buf, v);
            s[static_cast<std::size_t>(i)].assign(buf, r.ptr);
        }
    }
    return out;
}

/// Strings to numbers: decimal or scientific text, "inf"/"INF"/"-inf", "nan"/"NaN".
Result<Tensor> stringsToNumbers(const Tensor &x, DataType to)
{
    Tensor wide(DataType::Double, x.dims());
    double *d = wide.mutableData<double>();
    const auto strs = x.strings();
    for (std::size_t i = 0; i < strs.size(); ++i) {
        const std::string &t = strs[i];
        char *end = nullptr;
        const double v = std::strtod(t.c_str(), &end);
        if (t.empty() || end != t.c_str() + t.size())
            return fail("element " + std::to_string(i) + " (\"" + t + "\") is not a number.");
        d[i] = v;
    }
    if (to == DataType::Int64 || to == DataType::UInt64) {
        // go through exact integer parsing for 64-bit targets where double would round
        Tensor out(to, x.dims());
        for (std::size_t i = 0; i < strs.size(); ++i) {
            const std::string &t = strs[i];
            if (to == DataType::Int64) {
                int64_t v = 0;
                auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
                out.mutableData<int64_t>()[i] =
                    ec == std::errc() && p == t.data() + t.size() ? v : static_cast<int64_t>(d[i]);
            } else {
                uint64_t v = 0;
                auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
                out.mutableData<uint64_t>()[i] =
                    ec == std::errc() && p == t.data() + t.size() ? v : static_cast<uint64_t>(d[i]);
            }
        }
        return out;
    }
    return wide.castTo(to);
}

Result<Tensor> castTensor(const Tensor &x, DataType to)
{
    if (x.dtype() == to) {
        if (to == DataType::String) {
            Tensor out(to, x.dims());
            out.mutableStrings() = std::vector<std::string>(x.strings().begin(), x.strings().end());
            return out;
        }
        Tensor out(to, x.dims());
        if (x.byteSize())
            std::memcpy(out.mutableBytes().data(), x.bytes().data(), x.byteSize());
        return out;
    }
    if (x.dtype() == DataType::String)
        return stringsToNumbers(x, to);
    if (to == DataType::String)
        return numbersToStrings(x);
    return x.castTo(to);
}

Result<DataType> castTarget(const KernelBuildInfo &info)
{
    const Attribute *a = info.node.attr("to");
    if (a && a->kind == Attribute::Kind::String) { // opset 1-5: "FLOAT", "INT64" ...
        static constexpr std::pair<std::string_view, DataType> kNames[] = {
            {"FLOAT", DataType::Float},     {"DOUBLE", DataType::Double},
            {"FLOAT16", DataType::Float16}, {"UINT8", DataType::UInt8},
            {"INT8", DataType::Int8},       {"UINT16", DataType::UInt16},
            {"INT16", DataType::Int16},     {"INT32", DataType::Int32},
            {"INT64", DataType::Int64},     {"UINT32", DataType::UInt32},
            {"UINT64", DataType::UInt64},   {"BOOL", DataType::Bool},
            {"STRING", DataType::String},
        };
        for (const auto &[name, t] : kNames)
            if (a->s == name)
                return t;
        return fail("attribute 'to' names element type \"" + a->s + "\", which is not supported.",
                    Error::Code::Unsupported);
    }
    if (!a || a->kind != Attribute::Kind::Int)
        return fail("attribute 'to' is missing.");
    const auto t = dtypeFromOnnx(static_cast<int32_t>(a->i));
    if (!t || *t == DataType::Undefined)
        return fail("attribute 'to' names element type " + std::to_string(a->i) +
                        ", which is not supported.",
                    Error::Code::Unsupported);
    return *t;
}

Result<std::unique_ptr<Kernel>> makeCast(const KernelBuildInfo &info)
{
    auto to = castTarget(info);
    if (!to)
        return std::unexpected(to.error());
    return makeKernel([to = *to](KernelContext &ctx) -> Result<void> {
        auto x = requireInput(ctx, 0);
        if (!x)
            return std::unexpected(x.error());
        auto out = castTensor(**x, to);
        if (!out)
            return std::unexpected(out.error());
        ctx.outputs[0] = std::move(*out);
        return {};
    });
}

Result<std::unique_ptr<Kernel>> makeCastLike(const KernelBuildInfo &)
{
    return makeKernel([](KernelContext &ctx) -> Result<void> {
        auto x = requireInput(ctx, 0);
        if (!x)
            return std::unexpected(x.error());
        auto like = requireInput(ctx, 1);
        if (!like)
            return std::unexpected(like.error());
        auto out = castTensor(**x, (*like)->dtype());
        if (!out)
            return std::unexpected(out.error());
        ctx.outputs[0] = std::move(*out);
        return {};
    });
}

constexpr OpEntry kUnaryEntries[] = {
    // Opset 1-5 versions differ from 6 only by the ignored consumed_inputs attribute.
    // activations
    {"", "Relu", 1, kMaxOpset, &makeRelu},
    {"", "LeakyRelu", 1, kMaxOpset, &makeLeakyRelu},
    {"", "Elu", 1, kMaxOpset, &makeElu},
    {"", "Selu", 1, kMaxOpset, &makeSelu},
    {"", "Celu", 12, kMaxOpset, &makeCelu},
    {"", "ThresholdedRelu", 10, kMaxOpset, &makeThresholdedRelu},
    {"", "Sigmoid", 1, kMaxOpset, &makeSigmoid},
    {"", "HardSigmoid", 1, kMaxOpset, &makeHardSigmoid},
    {"", "HardSwish", 14, kMaxOpset, &makeHardSwish},
    {"", "Tanh", 1, kMaxOpset, &makeTanh},
    {"", "Gelu", 20, kMaxOpset, &makeGelu},
    {"", "Softplus", 1, kMaxOpset, &makeSoftplus},
    {"", "Softsign", 1, kMaxOpset, &makeSoftsign},
    {"", "Mish", 18, kMaxOpset, &makeMish},
    {"", "Shrink", 9, kMaxOpset, &makeShrink},
    // math
    {"", "Exp", 1, kMaxOpset, &makeExp},
    {"", "Log", 1, kMaxOpset, &makeLog},
    {"", "Sqrt", 1, kMaxOpset, &makeSqrt},
    {"", "Reciprocal", 1, kMaxOpset, &makeReciprocal},
    {"", "Neg", 1, kMaxOpset, &makeNeg},
    {"", "Abs", 1, kMaxOpset, &makeAbs},
    {"", "Floor", 1, kMaxOpset, &makeFloor},
    {"", "Ceil", 1, kMaxOpset, &makeCeil},
    {"", "Round", 11, kMaxOpset, &makeRound},
    {"", "Sign", 9, kMaxOpset, &makeSign},
    {"", "Erf", 9, kMaxOpset, &makeErf},
    {"", "Sin", 7, kMaxOpset, &makeSin},
    {"", "Cos", 7, kMaxOpset, &makeCos},
    {"", "Tan", 7, kMaxOpset, &makeTan},
    {"", "Asin", 7, kMaxOpset, &makeAsin},
    {"", "Acos", 7, kMaxOpset, &makeAcos},
    {"", "Atan", 7, kMaxOpset, &makeAtan},
    {"", "Sinh", 9, kMaxOpset, &makeSinh},
    {"", "Cosh", 9, kMaxOpset, &makeCosh},
    {"", "Asinh", 9, kMaxOpset, &makeAsinh},
    {"", "Acosh", 9, kMaxOpset, &makeAcosh},
    {"", "Atanh", 9, kMaxOpset, &makeAtanh},
    // Clip: attributes until opset 10, optional inputs from 11
    {"", "Clip", 1, 10, &makeClip6},
    {"", "Clip", 11, kMaxOpset, &makeClip11},
    // bool-valued
    {"", "Not", 1, kMaxOpset, &makeNot},
    {"", "IsNaN", 9, kMaxOpset, &makeIsNaN},
    {"", "IsInf", 10, kMaxOpset, &makeIsInf},
    // conversion
    {"", "Cast", 1, kMaxOpset, &makeCast}, // `to` is a type name string before opset 6
    {"", "CastLike", 15, kMaxOpset, &makeCastLike},
};

} // namespace

std::span<const OpEntry> elementwiseUnaryOps()
{
    return kUnaryEntries;
}

} // namespace nnc
