// Shape op family: Resize (opsets 10, 11-12, 13-17, 18, 19+) and the deprecated Upsample (7-9).
// N-D for every mode. Coordinates follow the ONNX definition per axis; linear and cubic are
// applied one axis at a time (the tensor-product filter the ONNX reference computes), nearest
// is a single gather. Antialiasing widens the linear/cubic filter by 1/scale when downsampling.
#include "core/ops/shape_internal.h"

#include <cmath>
#include <numeric>

namespace nnc::shape {

namespace {

enum class Interp { Nearest, Linear, Cubic };
enum class Coord {
    HalfPixel, PytorchHalfPixel, AlignCorners, Asymmetric, TfCropAndResize, TfHalfPixelForNN,
    HalfPixelSymmetric
};
enum class Rounding { PreferFloor, PreferCeil, Floor, Ceil, Legacy };
enum class Aspect { Stretch, NotLarger, NotSmaller };
/// Where scales / sizes / roi come from.
enum class Layout { UpsampleAttr, ScalesInput1, Full };

struct ResizeConfig
{
    Interp interp = Interp::Nearest;
    Coord coord = Coord::HalfPixel;
    Rounding rounding = Rounding::PreferFloor;
    Aspect aspect = Aspect::Stretch;
    Layout layout = Layout::Full;
    double cubicA = -0.75;
    bool excludeOutside = false;
    bool antialias = false;
    float extrapolation = 0.0f;
    std::vector<int64_t> axes;          ///< opset 18; empty = all
    std::vector<float> upsampleScales;  ///< Upsample-7 attribute
    std::string op = "Resize";
};

/// The resampling plan of one axis.
struct AxisPlan
{
    int64_t in = 0, out = 0;
    double scale = 1.0;
    int taps = 1;
    std::vector<int64_t> index;   ///< out * taps source indices (clamped)
    std::vector<double> weight;   ///< out * taps weights (linear/cubic)
    std::vector<uint8_t> outside; ///< per output position: tf_crop_and_resize extrapolation
    bool anyOutside = false;
    bool identity = false;
};

double sourceCoord(const ResizeConfig &c, double x, int64_t in, int64_t out, double scale,
                   double roiStart, double roiEnd)
{
    const double outF = scale * static_cast<double>(in);
    switch (c.coord) {
    case Coord::HalfPixel: return (x + 0.5) / scale - 0.5;
    case Coord::PytorchHalfPixel: return out > 1 ? (x + 0.5) / scale - 0.5 : 0.0;
    case Coord::AlignCorners:
        // The output length here is scale * in, not its floor: ONNX's reference and backend
        // tests define it so (onnx/onnx#2462). ONNX Runtime divides by the integer length, which
        // differs only when scales (not sizes) give a non-integral scale * in.
        return outF == 1.0 ? 0.0 : x * static_cast<double>(in - 1) / (outF - 1.0);
    case Coord::Asymmetric: return x / scale;
    case Coord::TfHalfPixelForNN: return (x + 0.5) / scale;
    case Coord::TfCropAndResize: {
        const double span = (roiEnd - roiStart) * static_cast<double>(in - 1);
        const double v = outF == 1.0 ? span / 2.0 : x * span / (outF - 1.0);
        return v + roiStart * static_cast<double>(in - 1);
    }
    case Coord::HalfPixelSymmetric: {
        const double adjustment = static_cast<double>(out) / outF;
        const double center = static_cast<double>(in) / 2.0;
        const double offset = center * (1.0 - adjustment);
        return offset + (x + 0.5) / scale - 0.5;
    }
    }
    return x;
}

int64_t nearestIndex(Rounding r, double x, double scale)
{
    const double f = std::floor(x);
    if (x == f)
        return static_cast<int64_t>(f);
    const double frac = x - f;
    switch (r) {
    case Rounding::PreferFloor: return static_cast<int64_t>(frac <= 0.5 ? f : f + 1);
    case Rounding::PreferCeil: return static_cast<int64_t>(frac < 0.5 ? f : f + 1);
    case Rounding::Floor: return static_cast<int64_t>(f);
    case Rounding::Ceil: return static_cast<int64_t>(f + 1);
    case Rounding::Legacy: // opset < 11 (ONNX Runtime's behaviour): ceil when downsampling
        return static_cast<int64_t>(scale < 1.0 ? f + 1 : std::trunc(x));
    }
    return static_cast<int64_t>(f);
}

double cubicKernel(double x, double a)
{
    x = std::abs(x);
    if (x <= 1.0)
        return ((a + 2.0) * x - (a + 3.0)) * x * x + 1.0;
    if (x < 2.0)
        return ((a * x - 5.0 * a) * x + 8.0 * a) * x - 4.0 * a;
    return 0.0;
}

AxisPlan planAxis(const ResizeConfig &c, int64_t in, int64_t out, double scale, double roiStart,
                  double roiEnd)
{
    AxisPlan p;
    p.in = in;
    p.out = out;
    p.scale = scale;
    p.outside.assign(static_cast<std::size_t>(out), 0);
    const bool nearest = c.interp == Interp::Nearest;
    int64_t first = 0, last = 0; // tap window relative to floor(x), inclusive
    double kernelScale = 1.0;
    if (!nearest) {
        const double support = c.interp == Interp::Linear ? 1.0 : 2.0;
        kernelScale = c.antialias ? std::min(scale, 1.0) : 1.0;
        first = static_cast<int64_t>(std::floor(-support / kernelScale)) + 1;
        last = 1 - first;
    }
    p.taps = static_cast<int>(last - first + 1);
    p.index.resize(static_cast<std::size_t>(out * p.taps));
    p.weight.resize(static_cast<std::size_t>(out * p.taps));
    for (int64_t o = 0; o < out; ++o) {
        const double x = sourceCoord(c, static_cast<double>(o), in, out, scale, roiStart, roiEnd);
        if (c.coord == Coord::TfCropAndResize && (x < 0.0 || x > static_cast<double>(in - 1))) {
            p.outside[static_cast<std::size_t>(o)] = 1;
            p.anyOutside = true;
        }
        int64_t *idx = p.index.data() + o * p.taps;
        double *w = p.weight.data() + o * p.taps;
        if (nearest) {
            idx[0] = std::clamp<int64_t>(nearestIndex(c.rounding, x, scale), 0, in - 1);
            w[0] = 1.0;
            continue;
        }
        const double base = std::floor(x);
        const double ratio = x - base;
        double sum = 0.0;
        for (int64_t t = 0; t < p.taps; ++t) {
            const int64_t rel = first + t;
            const int64_t src = static_cast<int64_t>(base) + rel;
            const double arg = kernelScale * (static_cast<double>(rel) - ratio);
            double wt = c.interp == Interp::Linear ? std::max(0.0, 1.0 - std::abs(arg))
                                                   : cubicKernel(arg, c.cubicA);
            if (c.excludeOutside && (src < 0 || src >= in))
                wt = 0.0;
            idx[t] = std::clamp<int64_t>(src, 0, in - 1);
            w[t] = wt;
            sum += wt;
        }
        if ((c.antialias || c.excludeOutside) && sum != 0.0)
            for (int64_t t = 0; t < p.taps; ++t)
                w[t] /= sum;
    }
    // An axis that maps every output to the same input position with weight 1 is skipped.
    p.identity = in == out && !p.anyOutside;
    for (int64_t o = 0; p.identity && o < out; ++o)
        for (int64_t t = 0; t < p.taps; ++t) {
            const std::size_t k = static_cast<std::size_t>(o * p.taps + t);
            const double expect = p.index[k] == o ? 1.0 : 0.0;
            double total = 0.0;
            for (int64_t u = 0; u < p.taps; ++u) {
                const std::size_t m = static_cast<std::size_t>(o * p.taps + u);
                if (p.index[m] == p.index[k])
                    total += p.weight[m];
            }
            if (std::abs(total - expect) > 1e-12) {
                p.identity = false;
                break;
            }
        }
    return p;
}

/// Nearest: one gather through per-axis index maps (any dtype).
Tensor resizeNearest(const Tensor &in, const std::vector<AxisPlan> &plans, float extrapolation)
{
    const std::size_t rank = plans.size();
    Dims outDims(rank);
    for (std::size_t d = 0; d < rank; ++d)
        outDims[d] = plans[d].out;
    Tensor out(in.dtype(), outDims);
    if (out.numel() == 0)
        return out;
    if (rank == 0)
        return in;
    const Tensor fill = in.dtype() == DataType::String
                            ? Tensor(DataType::String, {1})
                            : Tensor::fromVector<float>({1}, {extrapolation}).castTo(in.dtype());
    const std::vector<int64_t> strides = ops::stridesOf(in.dims());
    const int64_t inner = outDims[rank - 1];
    const int64_t rows = out.numel() / inner;
    const AxisPlan &lastPlan = plans[rank - 1];
    visitStorage(in.dtype(), [&]<class T>(std::type_identity<T>) {
        const T *s = elems<T>(in);
        T *o = mutableElems<T>(out);
        const T fv = elems<T>(fill)[0];
        auto doRow = [&](int64_t row) {
            T *dst = o + row * inner;
            int64_t off = 0, r = row;
            for (std::size_t d = rank - 1; d-- > 0;) {
                const int64_t q = r / outDims[d];
                const auto pos = static_cast<std::size_t>(r - q * outDims[d]);
                r = q;
                if (plans[d].outside[pos]) {
                    std::fill(dst, dst + inner, fv);
                    return;
                }
                off += plans[d].index[pos] * strides[d];
            }
            for (int64_t k = 0; k < inner; ++k)
                dst[k] = lastPlan.outside[static_cast<std::size_t>(k)]
                             ? fv
                             : s[off + lastPlan.index[static_cast<std::size_t>(k)]];
        };
        if (out.numel() >= (int64_t{1} << 16) && rows > 1) {
#pragma omp parallel for schedule(static)
            for (int64_t row = 0; row < rows; ++row)
                doRow(row);
        } else {
            for (int64_t row = 0; row < rows; ++row)
                doRow(row);
        }
    });
    return out;
}

/// Linear / cubic: separable passes in F (float, or double for double inputs).
template<class F>
std::vector<F> resizeFiltered(std::vector<F> cur, Dims curDims, const std::vector<AxisPlan> &plans,
                              F extrapolation)
{
    const std::size_t rank = plans.size();
    // Shrinking axes first keeps the intermediate tensors small.
    std::vector<std::size_t> order(rank);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return plans[a].out * plans[b].in < plans[b].out * plans[a].in;
    });
    for (std::size_t a : order) {
        const AxisPlan &p = plans[a];
        if (p.identity)
            continue;
        const int64_t outer = numElements(std::span<const int64_t>(curDims.data(), a));
        const int64_t inner = numElements(std::span<const int64_t>(curDims.begin() + static_cast<std::ptrdiff_t>(a) + 1, curDims.end()));
        std::vector<F> next(static_cast<std::size_t>(outer * p.out * inner));
        const F *src = cur.data();
        F *dst = next.data();
        std::vector<F> weights(p.weight.begin(), p.weight.end());
        const int taps = p.taps;
        const bool parallel = static_cast<int64_t>(next.size()) * taps >= (int64_t{1} << 16);
        if (inner == 1) {
            // Last axis: a short dot product per output element, row by row.
            auto doRow = [&](int64_t b) {
                const F *s = src + b * p.in;
                F *d = dst + b * p.out;
                const int64_t *idx = p.index.data();
                const F *w = weights.data();
                for (int64_t j = 0; j < p.out; ++j, idx += taps, w += taps) {
                    F acc = 0;
                    for (int t = 0; t < taps; ++t)
                        acc += w[t] * s[idx[t]];
                    d[j] = acc;
                }
            };
            if (parallel && outer > 1) {
#pragma omp parallel for schedule(static)
                for (int64_t b = 0; b < outer; ++b)
                    doRow(b);
            } else {
                for (int64_t b = 0; b < outer; ++b)
                    doRow(b);
            }
        } else {
            // Inner axes: blend whole contiguous rows (vectorizes over `inner`).
            const int64_t jobs = outer * p.out;
            auto doJob = [&](int64_t job) {
                const int64_t b = job / p.out, j = job % p.out;
                F *d = dst + job * inner;
                for (int t = 0; t < taps; ++t) {
                    const std::size_t k = static_cast<std::size_t>(j * taps + t);
                    const F w = weights[k];
                    const F *s = src + (b * p.in + p.index[k]) * inner;
                    if (t == 0)
                        for (int64_t e = 0; e < inner; ++e)
                            d[e] = w * s[e];
                    else if (w != F(0))
                        for (int64_t e = 0; e < inner; ++e)
                            d[e] += w * s[e];
                }
            };
            if (parallel && jobs > 1) {
#pragma omp parallel for schedule(static)
                for (int64_t job = 0; job < jobs; ++job)
                    doJob(job);
            } else {
                for (int64_t job = 0; job < jobs; ++job)
                    doJob(job);
            }
        }
        cur = std::move(next);
        curDims[a] = p.out;
    }
    bool anyOutside = false;
    for (const AxisPlan &p : plans)
        anyOutside = anyOutside || p.anyOutside;
    if (anyOutside && !cur.empty()) {
        std::vector<int64_t> pos(rank, 0);
        for (std::size_t i = 0; i < cur.size(); ++i) {
            bool out = false;
            for (std::size_t d = 0; d < rank && !out; ++d)
                out = plans[d].outside[static_cast<std::size_t>(pos[d])] != 0;
            if (out)
                cur[i] = extrapolation;
            for (std::size_t d = rank; d-- > 0;) {
                if (++pos[d] < curDims[d])
                    break;
                pos[d] = 0;
            }
        }
    }
    return cur;
}

Tensor resizeLinearOrCubic(const Tensor &in, const std::vector<AxisPlan> &plans,
                           float extrapolation)
{
    Dims outDims(plans.size());
    for (std::size_t d = 0; d < plans.size(); ++d)
        outDims[d] = plans[d].out;
    if (in.dtype() == DataType::Double) {
        std::vector<double> v(in.data<double>(), in.data<double>() + in.numel());
        v = resizeFiltered<double>(std::move(v), in.dims(), plans, extrapolation);
        return Tensor::fromVector<double>(outDims, v);
    }
    std::vector<float> v = resizeFiltered<float>(in.toFloatVector(), in.dims(), plans,
                                                 extrapolation);
    if (in.dtype() != DataType::Float && isInteger(in.dtype())) {
        // Integer images: round to nearest and saturate to the type's range.
        double lo = 0, hi = 0;
        switch (in.dtype()) {
        case DataType::UInt8: lo = 0; hi = 255; break;
        case DataType::Int8: lo = -128; hi = 127; break;
        case DataType::UInt16: lo = 0; hi = 65535; break;
        case DataType::Int16: lo = -32768; hi = 32767; break;
        case DataType::Int32: lo = -2147483648.0; hi = 2147483647.0; break;
        case DataType::UInt32: lo = 0; hi = 4294967295.0; break;
        case DataType::UInt64: lo = 0; hi = 1.8e19; break;
        default: lo = -9.2e18; hi = 9.2e18; break;
        }
        for (float &x : v)
            x = static_cast<float>(std::clamp(std::nearbyint(static_cast<double>(x)), lo, hi));
    }
    return Tensor::fromVector<float>(outDims, v).castTo(in.dtype());
}

Result<Tensor> runResize(const ResizeConfig &c, KernelContext &ctx)
{
    const std::string &op = c.op;
    auto dataT = requireInput(ctx, 0, op, "X");
    if (!dataT)
        return std::unexpected(dataT.error());
    const Tensor &x = **dataT;
    const int64_t rank = x.rank();
    if (c.interp != Interp::Nearest && (x.dtype() == DataType::String || x.dtype() == DataType::Bool))
        return fail(op + " in linear or cubic mode does not support dtype "
                    + std::string(dtypeName(x.dtype())) + ".");

    std::vector<int64_t> axes = c.axes;
    if (axes.empty()) {
        axes.resize(static_cast<std::size_t>(rank));
        std::iota(axes.begin(), axes.end(), 0);
    } else {
        std::vector<bool> seen(static_cast<std::size_t>(rank), false);
        for (int64_t &a : axes) {
            auto n = normalizeAxis(a, rank);
            if (!n)
                return fail(op + " axes: " + n.error().message);
            if (seen[static_cast<std::size_t>(*n)])
                return fail(op + " axes " + dimsToString(c.axes) + " repeat an axis.");
            seen[static_cast<std::size_t>(*n)] = true;
            a = *n;
        }
    }
    const std::size_t na = axes.size();

    const Tensor *roiT = nullptr, *scalesT = nullptr, *sizesT = nullptr;
    std::vector<float> scalesV;
    if (c.layout == Layout::UpsampleAttr) {
        scalesV = c.upsampleScales;
    } else if (c.layout == Layout::ScalesInput1) {
        auto s = requireInput(ctx, 1, op, "scales");
        if (!s)
            return std::unexpected(s.error());
        scalesT = *s;
    } else {
        roiT = ctx.input(1);
        scalesT = ctx.input(2);
        sizesT = ctx.input(3);
    }
    if (scalesT && !scalesT->empty() && scalesT->numel() > 0)
        scalesV = scalesT->toFloatVector();
    std::vector<int64_t> sizesV;
    if (sizesT && !sizesT->empty() && sizesT->numel() > 0)
        sizesV = sizesT->toInt64Vector();
    if (scalesV.empty() == sizesV.empty())
        return fail(op + " needs exactly one of scales and sizes"
                    + std::string(scalesV.empty() ? " (neither was given)." : " (both were given)."));

    std::vector<double> scale(static_cast<std::size_t>(rank), 1.0);
    Dims outDims = x.dims();
    if (!scalesV.empty()) {
        if (scalesV.size() != na)
            return fail(op + " got " + std::to_string(scalesV.size()) + " scales for "
                        + std::to_string(na) + " axes of input shape " + dimsToString(x.dims())
                        + ".");
        for (std::size_t i = 0; i < na; ++i) {
            const auto a = static_cast<std::size_t>(axes[i]);
            if (!(scalesV[i] > 0.0f) || !std::isfinite(scalesV[i]))
                return fail(op + " scale " + std::to_string(scalesV[i]) + " for axis "
                            + std::to_string(a) + " must be positive.");
            scale[a] = scalesV[i];
            const double len = std::floor(scale[a] * static_cast<double>(x.dims()[a]));
            if (len > 1e12)
                return fail(op + " scale " + std::to_string(scalesV[i]) + " makes axis "
                            + std::to_string(a) + " too large.");
            outDims[a] = static_cast<int64_t>(len);
        }
    } else {
        if (sizesV.size() != na)
            return fail(op + " got sizes " + dimsToString(sizesV) + " for "
                        + std::to_string(na) + " axes of input shape " + dimsToString(x.dims())
                        + ".");
        for (std::size_t i = 0; i < na; ++i) {
            const auto a = static_cast<std::size_t>(axes[i]);
            if (sizesV[i] < 0)
                return fail(op + " sizes " + dimsToString(sizesV) + " contain a negative size.");
            if (x.dims()[a] == 0)
                return fail(op + " cannot resize the empty axis " + std::to_string(a)
                            + " of shape " + dimsToString(x.dims()) + ".");
            scale[a] = static_cast<double>(sizesV[i]) / static_cast<double>(x.dims()[a]);
            outDims[a] = sizesV[i];
        }
        if (c.aspect != Aspect::Stretch && na > 0) {
            double s = scale[static_cast<std::size_t>(axes[0])];
            for (int64_t a : axes)
                s = c.aspect == Aspect::NotLarger ? std::min(s, scale[static_cast<std::size_t>(a)])
                                                  : std::max(s, scale[static_cast<std::size_t>(a)]);
            for (int64_t a : axes) {
                scale[static_cast<std::size_t>(a)] = s;
                outDims[static_cast<std::size_t>(a)] = static_cast<int64_t>(
                    s * static_cast<double>(x.dims()[static_cast<std::size_t>(a)]) + 0.5);
            }
        }
    }

    std::vector<double> roiStart(static_cast<std::size_t>(rank), 0.0);
    std::vector<double> roiEnd(static_cast<std::size_t>(rank), 1.0);
    if (c.coord == Coord::TfCropAndResize) {
        if (!roiT || roiT->empty() || roiT->numel() != static_cast<int64_t>(2 * na))
            return fail(op + " with tf_crop_and_resize needs an roi of " + std::to_string(2 * na)
                        + " values.");
        const std::vector<float> roi = roiT->toFloatVector();
        for (std::size_t i = 0; i < na; ++i) {
            roiStart[static_cast<std::size_t>(axes[i])] = roi[i];
            roiEnd[static_cast<std::size_t>(axes[i])] = roi[i + na];
        }
    }

    if (auto ok = checkOutputShape(outDims, op); !ok)
        return std::unexpected(ok.error());
    std::vector<AxisPlan> plans;
    for (int64_t d = 0; d < rank; ++d) {
        const auto u = static_cast<std::size_t>(d);
        if (x.dims()[u] == 0 && outDims[u] > 0)
            return fail(op + " cannot resize the empty axis " + std::to_string(d) + " of shape "
                        + dimsToString(x.dims()) + ".");
        plans.push_back(planAxis(c, x.dims()[u], outDims[u], scale[u], roiStart[u], roiEnd[u]));
    }
    if (numElements(outDims) == 0)
        return Tensor(x.dtype(), outDims);
    if (c.interp == Interp::Nearest)
        return resizeNearest(x, plans, c.extrapolation);
    return resizeLinearOrCubic(x, plans, c.extrapolation);
}

Result<Interp> parseInterp(const std::string &mode, const std::string &op)
{
    if (mode == "nearest")
        return Interp::Nearest;
    if (mode == "linear" || mode == "bilinear" || mode == "trilinear")
        return Interp::Linear;
    if (mode == "cubic" && op == "Resize")
        return Interp::Cubic;
    return fail(op + " mode '" + mode + "' is not supported.", Error::Code::Unsupported);
}

} // namespace

Result<std::unique_ptr<Kernel>> makeResize(const KernelBuildInfo &info)
{
    const Node &n = info.node;
    ResizeConfig c;
    auto interp = parseInterp(n.attrString("mode", "nearest"), "Resize");
    if (!interp)
        return std::unexpected(interp.error());
    c.interp = *interp;
    if (info.opset < 11) {
        // Resize-10 has Upsample's semantics: asymmetric coordinates, legacy nearest rounding.
        c.layout = Layout::ScalesInput1;
        c.coord = Coord::Asymmetric;
        c.rounding = Rounding::Legacy;
    } else {
        const std::string ct = n.attrString("coordinate_transformation_mode", "half_pixel");
        if (ct == "half_pixel")
            c.coord = Coord::HalfPixel;
        else if (ct == "pytorch_half_pixel")
            c.coord = Coord::PytorchHalfPixel;
        else if (ct == "align_corners")
            c.coord = Coord::AlignCorners;
        else if (ct == "asymmetric")
            c.coord = Coord::Asymmetric;
        else if (ct == "tf_crop_and_resize")
            c.coord = Coord::TfCropAndResize;
        else if (ct == "tf_half_pixel_for_nn" && info.opset < 13)
            c.coord = Coord::TfHalfPixelForNN;
        else if (ct == "half_pixel_symmetric" && info.opset >= 19)
            c.coord = Coord::HalfPixelSymmetric;
        else
            return fail("Resize coordinate_transformation_mode '" + ct
                            + "' is not supported at opset " + std::to_string(info.opset) + ".",
                        Error::Code::Unsupported);
        const std::string nm = n.attrString("nearest_mode", "round_prefer_floor");
        if (nm == "round_prefer_floor")
            c.rounding = Rounding::PreferFloor;
        else if (nm == "round_prefer_ceil")
            c.rounding = Rounding::PreferCeil;
        else if (nm == "floor")
            c.rounding = Rounding::Floor;
        else if (nm == "ceil")
            c.rounding = Rounding::Ceil;
        else
            return fail("Resize nearest_mode '" + nm + "' is not supported.",
                        Error::Code::Unsupported);
        c.cubicA = n.attrFloat("cubic_coeff_a", -0.75f);
        c.excludeOutside = n.attrInt("exclude_outside", 0) != 0;
        c.extrapolation = n.attrFloat("extrapolation_value", 0.0f);
    }
    if (info.opset >= 18) {
        c.antialias = n.attrInt("antialias", 0) != 0;
        c.axes = n.attrInts("axes");
        const std::string kp = n.attrString("keep_aspect_ratio_policy", "stretch");
        if (kp == "stretch")
            c.aspect = Aspect::Stretch;
        else if (kp == "not_larger")
            c.aspect = Aspect::NotLarger;
        else if (kp == "not_smaller")
            c.aspect = Aspect::NotSmaller;
        else
            return fail("Resize keep_aspect_ratio_policy '" + kp + "' is not supported.",
                        Error::Code::Unsupported);
    }
    return makeKernel([c](KernelContext &ctx) -> Result<void> {
        auto out = runResize(c, ctx);
        if (!out)
            return std::unexpected(out.error());
        ctx.outputs[0] = std::move(*out);
        return {};
    });
}

Result<std::unique_ptr<Kernel>> makeUpsample(const KernelBuildInfo &info)
{
    ResizeConfig c;
    c.op = "Upsample";
    auto interp = parseInterp(info.node.attrString("mode", "nearest"), "Upsample");
    if (!interp)
        return std::unexpected(interp.error());
    c.interp = *interp;
    c.coord = Coord::Asymmetric;
    c.rounding = Rounding::Legacy;
    if (info.opset < 9) {
        c.layout = Layout::UpsampleAttr;
        c.upsampleScales = info.node.attrFloats("scales");
        if (c.upsampleScales.empty())
            return fail("Upsample needs the 'scales' attribute before opset 9.");
    } else {
        c.layout = Layout::ScalesInput1;
    }
    return makeKernel([c](KernelContext &ctx) -> Result<void> {
        auto out = runResize(c, ctx);
        if (!out)
            return std::unexpected(out.error());
        ctx.outputs[0] = std::move(*out);
        return {};
    });
}

} // namespace nnc::shape
