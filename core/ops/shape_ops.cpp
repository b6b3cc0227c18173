// Shape op family: the op table rows, shared helpers, and the ops that only compute shapes or
// small tensors (Reshape, Flatten, Squeeze, Unsqueeze, Shape, Size, Constant, ConstantOfShape,
// Identity, Dropout, Range, NonZero, OneHot, Trilu, EyeLike). Data-movement ops live in
// shape_copy.cpp, the index ops in shape_gather.cpp, and Resize/Upsample in shape_resize.cpp.
#include "core/ops/op_table.h"
#include "core/ops/shape_internal.h"

#include <cmath>
#include <limits>

namespace nnc {

namespace shape {


Result<const Tensor *> requireInput(const KernelContext &ctx, std::size_t i, std::string_view op,
                                    std::string_view what)
{
    const Tensor *t = ctx.input(i);
    if (!t || t->empty())
        return fail(std::string(op) + " needs input " + std::to_string(i) + " (" + std::string(what)
                    + ") but it is missing.");
    return t;
}

Result<void> checkOutputShape(std::span<const int64_t> dims, std::string_view op)
{
    constexpr int64_t kLimit = int64_t{1} << 40;
    int64_t n = 1;
    bool zero = false;
    for (int64_t d : dims) {
        if (d < 0)
            return fail(std::string(op) + " would produce the invalid shape " + dimsToString(dims)
                        + ".");
        zero = zero || d == 0;
    }
    if (zero)
        return {};
    for (int64_t d : dims) {
        if (n > kLimit / d)
            return fail(std::string(op) + " output shape " + dimsToString(dims)
                        + " is too large to allocate.");
        n *= d;
    }
    return {};
}

Result<std::vector<int64_t>> readIndexList(const Tensor &t, std::string_view op,
                                           std::string_view what)
{
    if (t.dtype() != DataType::Int64 && t.dtype() != DataType::Int32)
        return fail(std::string(op) + " expects " + std::string(what) + " as int64 (or int32), got "
                    + std::string(dtypeName(t.dtype())) + ".");
    if (t.rank() > 1)
        return fail(std::string(op) + " expects " + std::string(what) + " to be 1-D, got shape "
                    + dimsToString(t.dims()) + ".");
    return ops::readInts(t);
}

namespace {

std::string joinInts(std::span<const int64_t> v)
{
    return dimsToString(v);
}

// ---------------------------------------------------------------------------------------------
// Reshape (opset 5+: shape input; allowzero from 14)

Result<Dims> reshapeDims(const Dims &in, std::span<const int64_t> shape, bool allowZero)
{
    const int64_t count = numElements(in);
    Dims out(shape.begin(), shape.end());
    int64_t inferAt = -1;
    int64_t known = 1;
    bool hasZero = false;
    auto prefix = [&] {
        return "cannot reshape a tensor of shape " + dimsToString(in) + " ("
               + std::to_string(count) + " elements) to " + joinInts(shape);
    };
    for (std::size_t i = 0; i < out.size(); ++i) {
        int64_t v = out[i];
        if (v == 0 && !allowZero) {
            if (i >= in.size())
                return fail(prefix() + ": the 0 at index " + std::to_string(i)
                            + " copies an input dimension that does not exist.");
            v = in[i];
            out[i] = v;
        } else if (v == -1) {
            if (inferAt >= 0)
                return fail(prefix() + ": more than one dimension is -1.");
            inferAt = static_cast<int64_t>(i);
            continue;
        } else if (v < -1) {
            return fail(prefix() + ": dimension " + std::to_string(v) + " is negative.");
        }
        if (v == 0)
            hasZero = true;
        known *= v;
    }
    if (inferAt >= 0) {
        if (allowZero && hasZero)
            return fail(prefix() + ": -1 cannot be combined with a 0 dimension when allowzero=1.");
        if (known == 0) {
            if (count != 0)
                return fail(prefix() + ": the other dimensions multiply to 0.");
            return fail(prefix() + ": the -1 dimension is ambiguous because the other dimensions "
                                   "multiply to 0.");
        }
        if (count % known != 0)
            return fail(prefix() + ": " + std::to_string(count) + " elements are not divisible by "
                        + std::to_string(known) + ".");
        out[static_cast<std::size_t>(inferAt)] = count / known;
        return out;
    }
    if (known != count)
        return fail(prefix() + " (" + std::to_string(known) + " elements).");
    return out;
}

// ---------------------------------------------------------------------------------------------
// Constant / ConstantOfShape helpers

/// Fills every element of `t` with element 0 of `value` (same dtype).
void fillWith(Tensor &t, const Tensor &value)
{
    visitStorage(t.dtype(), [&]<class T>(std::type_identity<T>) {
        const T v = elems<T>(value)[0];
        T *d = mutableElems<T>(t);
        std::fill(d, d + t.numel(), v);
    });
}

template<class T>
void fillRangeT(Tensor &out, double start, double delta)
{
    T *d = out.mutableData<T>();
    for (int64_t i = 0; i < out.numel(); ++i)
        d[i] = static_cast<T>(start + static_cast<double>(i) * delta);
}

} // namespace

Result<std::unique_ptr<Kernel>> makeReshape(const KernelBuildInfo &info)
{
    const bool allowZero = info.opset >= 14 && info.node.attrInt("allowzero", 0) != 0;
    return makeKernel([allowZero](KernelContext &ctx) -> Result<void> {
        auto data = requireInput(ctx, 0, "Reshape", "data");
        if (!data)
            return std::unexpected(data.error());
        auto shapeT = requireInput(ctx, 1, "Reshape", "shape");
        if (!shapeT)
            return std::unexpected(shapeT.error());
        auto shape = readIndexList(**shapeT, "Reshape", "the shape input");
        if (!shape)
            return std::unexpected(shape.error());
        auto dims = reshapeDims((*data)->dims(), *shape, allowZero);
        if (!dims)
            return std::unexpected(dims.error());
        ctx.outputs[0] = (*data)->reshaped(std::move(*dims));
        return {};
    });
}

Result<std::unique_ptr<Kernel>> makeFlatten(const KernelBuildInfo &info)
{
    const int64_t axis = info.node.attrInt("axis", 1);
    return makeKernel([axis](KernelContext &ctx) -> Result<void> {
        auto data = requireInput(ctx, 0, "Flatten", "input");
        if (!data)
            return std::unexpected(data.error());
        const Dims &d = (*data)->dims();
        const int64_t rank = (*data)->rank();
        int64_t a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a > rank)
            return fail("Flatten axis " + std::to_string(axis) + " is out of range for rank "
                        + std::to_string(rank) + " (allowed [" + std::to_string(-rank) + ", "
                        + std::to_string(rank) + "]).");
        const auto split = d.begin() + a;
        const int64_t outer = numElements(std::span<const int64_t>(d.begin(), split));
        const int64_t inner = numElements(std::span<const int64_t>(split, d.end()));
        ctx.outputs[0] = (*data)->reshaped({outer, inner});
        return {};
    });
}

Result<std::unique_ptr<Kernel>> makeSqueeze(const KernelBuildInfo &info)
{
    const bool axesFromInput = info.opset >= 13;
    const Attribute *axesAttr = info.node.attr("axes");
    std::optional<std::vector<int64_t>> attrAxes;
    if (!axesFromInput && axesAttr)
        attrAxes = axesAttr->ints;
    return makeKernel([axesFromInput, attrAxes](KernelContext &ctx) -> Result<void> {
        auto data = requireInput(ctx, 0, "Squeeze", "data");
        if (!data)
            return std::unexpected(data.error());
        const Dims &in = (*data)->dims();
        const int64_t rank = (*data)->rank();
        std::optional<std::vector<int64_t>> axes = attrAxes;
        if (axesFromInput && ctx.input(1) && !ctx.input(1)->empty()) {
            auto v = readIndexList(*ctx.input(1), "Squeeze", "axes");
            if (!v)
                return std::unexpected(v.error());
            // An empty axes list means "all size-1 axes", as when the input is omitted.
            if (!v->empty())
                axes = std::move(*v);
        }
        std::vector<bool> drop(static_cast<std::size_t>(rank), false);
        if (!axes) {
            for (int64_t i = 0; i < rank; ++i)
                drop[static_cast<std::size_t>(i)] = in[static_cast<std::size_t>(i)] == 1;
        } else {
            for (int64_t a : *axes) {
                auto n = normalizeAxis(a, rank);
                if (!n)
                    return fail("Squeeze " + n.error().message);
                if (in[static_cast<std::size_t>(*n)] != 1)
                    return fail("Squeeze cannot remove axis " + std::to_string(a) + " of shape "
                                + dimsToString(in) + " because its size is not 1.");
                drop[static_cast<std::size_t>(*n)] = true;
            }
        }
        Dims out;
        for (int64_t i = 0; i < rank; ++i)
            if (!drop[static_cast<std::size_t>(i)])
                out.push_back(in[static_cast<std::size_t>(i)]);
        ctx.outputs[0] = (*data)->reshaped(std::move(out));
        return {};
    });
}

Result<std::unique_ptr<Kernel>> makeUnsqueeze(const KernelBuildInfo &info)
{
    const bool axesFromInput = info.opset >= 13;
    std::vector<int64_t> attrAxes;
    if (!axesFromInput) {
        const Attribute *a = info.node.attr("axes");
        if (!a || a->kind != Attribute::Kind::Ints)
            return fail("Unsqueeze needs the 'axes' attribute before opset 13.");
        attrAxes = a->ints;
    }
    return makeKernel([axesFromInput, attrAxes](KernelContext &ctx) -> Result<void> {
        auto data = requireInput(ctx, 0, "Unsqueeze", "data");
        if (!data)
            return std::unexpected(data.error());
        std::vector<int64_t> axes = attrAxes;
        if (axesFromInput) {
            auto t = requireInput(ctx, 1, "Unsqueeze", "axes");
            if (!t)
                return std::unexpected(t.error());
            auto v = readIndexList(**t, "Unsqueeze", "axes");
            if (!v)
                return std::unexpected(v.error());
            axes = std::move(*v);
        }
        const Dims &in = (*data)->dims();
        const int64_t outRank = (*data)->rank() + static_cast<int64_t>(axes.size());
        std::vector<bool> inserted(static_cast<std::size_t>(outRank), false);
        for (int64_t a : axes) {
            auto n = normalizeAxis(a, outRank);
            if (!n)
                return fail("Unsqueeze " + n.error().message);
            if (inserted[static_cast<std::size_t>(*n)])
                return fail("Unsqueeze axes " + dimsToString(axes) + " repeat axis "
                            + std::to_string(*n) + ".");
            inserted[static_cast<std::size_t>(*n)] = true;
        }
        Dims out;
        std::size_t src = 0;
        for (int64_t i = 0; i < outRank; ++i)
            out.push_back(inserted[static_cast<std::size_t>(i)] ? 1 : in[src++]);
        ctx.outputs[0] = (*data)->reshaped(std::move(out));
        return {};
    });
}

Result<std::unique_ptr<Kernel>> makeShape(const KernelBuildInfo &info)
{
    const bool ranged = info.opset >= 15;
    const int64_t start = ranged ? info.node.attrInt("start", 0) : 0;
    const Attribute *endAttr = ranged ? info.node.attr("end") : nullptr;
    const std::optional<int64_t> end = endAttr ? std::optional<int64_t>(endAttr->i) : std::nullopt;
    return makeKernel([start, end](KernelContext &ctx) -> Result<void> {
        auto data = requireInput(ctx, 0, "Shape", "data");
        if (!data)
            return std::unexpected(data.error());
        const int64_t rank = (*data)->rank();
        auto clampIdx = [rank](int64_t v) {
            if (v < 0)
                v += rank;
            return std::clamp<int64_t>(v, 0, rank);
        };
        const int64_t s = clampIdx(start);
        const int64_t e = end ? clampIdx(*end) : rank;
        const int64_t n = std::max<int64_t>(e - s, 0);
        Tensor out(DataType::Int64, {n});
        for (int64_t i = 0; i < n; ++i)
            out.mutableData<int64_t>()[i] = (*data)->dim(s + i);
        ctx.outputs[0] = std::move(out);
        return {};
    });
}

Result<std::unique_ptr<Kernel>> makeSize(const KernelBuildInfo &)
{
    return makeKernel([](KernelContext &ctx) -> Result<void> {
        auto data = requireInput(ctx, 0, "Size", "data");
        if (!data)
            return std::unexpected(data.error());
        Tensor out(DataType::Int64, {});
        out.mutableData<int64_t>()[0] = (*data)->numel();
        ctx.outputs[0] = std::move(out);
        return {};
    });
}

Result<std::unique_ptr<Kernel>> makeConstant(const KernelBuildInfo &info)
{
    Tensor value;
    int found = 0;
    for (const Attribute &a : info.node.attributes) {
        if (a.name == "value" && a.kind == Attribute::Kind::Tensor) {
            value = a.t;
        } else if (a.name == "value_float" && a.kind == Attribute::Kind::Float) {
            value = Tensor::fromVector<float>({}, {a.f});
        } else if (a.name == "value_floats" && a.kind == Attribute::Kind::Floats) {
            value = Tensor::fromVector<float>({static_cast<int64_t>(a.floats.size())}, a.floats);
        } else if (a.name == "value_int" && a.kind == Attribute::Kind::Int) {
            value = Tensor::fromVector<int64_t>({}, {a.i});
        } else if (a.name == "value_ints" && a.kind == Attribute::Kind::Ints) {
            value = Tensor::fromVector<int64_t>({static_cast<int64_t>(a.ints.size())}, a.ints);
        } else if (a.name == "value_string" && a.kind == Attribute::Kind::String) {
            value = Tensor(DataType::String, {});
            value.mutableStrings()[0] = a.s;
        } else if (a.name == "value_strings" && a.kind == Attribute::Kind::Strings) {
            value = Tensor(DataType::String, {static_cast<int64_t>(a.strings.size())});
            value.mutableStrings() = a.strings;
        } else if (a.name == "sparse_value") {
            return fail("Constant with a sparse_value attribute is not supported.",
                        Error::Code::Unsupported);
        } else {
            continue;
        }
        ++found;
    }
    if (found != 1 || value.empty())
        return fail("Constant needs exactly one of the attributes value, value_float(s), "
                    "value_int(s) or value_string(s); found "
                    + std::to_string(found) + ".");
    return makeKernel([value](KernelContext &ctx) -> Result<void> {
        ctx.outputs[0] = value;
        return {};
    });
}

Result<std::unique_ptr<Kernel>> makeConstantOfShape(const KernelBuildInfo &info)
{
    Tensor value = Tensor::fromVector<float>({1}, {0.0f});
    if (const Attribute *a = info.node.attr("value"); a && a->kind == Attribute::Kind::Tensor) {
        if (a->t.numel() != 1)
            return fail("ConstantOfShape 'value' must hold exactly one element, it has "
                        + std::to_string(a->t.numel()) + ".");
        value = a->t;
    }
    return makeKernel([value](KernelContext &ctx) -> Result<void> {
        auto shapeT = requireInput(ctx, 0, "ConstantOfShape", "shape");
        if (!shapeT)
            return std::unexpected(shapeT.error());
        auto dims = readIndexList(**shapeT, "ConstantOfShape", "the shape input");
        if (!dims)
            return std::unexpected(dims.error());
        for (int64_t d : *dims)
            if (d < 0)
                return fail("ConstantOfShape got a negative dimension in shape "
                            + dimsToString(*dims) + ".");
        if (auto ok = checkOutputShape(*dims, "ConstantOfShape"); !ok)
            return ok;
        Tensor out(value.dtype(), *dims);
        fillWith(out, value);
        ctx.outputs[0] = std::move(out);
        return {};
    });
}

Result<std::unique_ptr<Kernel>> makeIdentity(const KernelBuildInfo &)
{
    return makeKernel([](KernelContext &ctx) -> Result<void> {
        auto data = requireInput(ctx, 0, "Identity", "input");
        if (!data)
            return std::unexpected(data.error());
        ctx.outputs[0] = **data;
        return {};
    });
}

Result<std::unique_ptr<Kernel>> makeDropout(const KernelBuildInfo &info)
{
    const int64_t opset = info.opset;
    return makeKernel([opset](KernelContext &ctx) -> Result<void> {
        auto data = requireInput(ctx, 0, "Dropout", "data");
        if (!data)
            return std::unexpected(data.error());
        if (opset >= 12) {
            const Tensor *training = ctx.input(2);
            const Tensor *ratio = ctx.input(1);
            const bool train = training && !training->empty() && training->numel() > 0
                               && training->valueAsDouble(0) != 0.0;
            const double r = ratio && !ratio->empty() && ratio->numel() > 0
                                 ? ratio->valueAsDouble(0)
                                 : 0.5;
            if (train && r != 0.0)
                return fail("Dropout in training mode (training_mode=true, ratio "
                                + std::to_string(r) + ") is not supported: this engine runs "
                                                      "inference only.",
                            Error::Code::Unsupported);
        }
        ctx.outputs[0] = **data;
        if (ctx.outputs.size() > 1) {
            // Opsets 7-9 type the mask like the data; from 10 on it is bool. All kept at inference.
            const DataType maskType = opset >= 10 ? DataType::Bool : (*data)->dtype();
            Tensor one = Tensor::fromVector<float>({1}, {1.0f}).castTo(maskType);
            Tensor mask(maskType, (*data)->dims());
            fillWith(mask, one);
            ctx.outputs[1] = std::move(mask);
        }
        return {};
    });
}

Result<std::unique_ptr<Kernel>> makeRange(const KernelBuildInfo &)
{
    return makeKernel([](KernelContext &ctx) -> Result<void> {
        const Tensor *in[3];
        const char *names[3] = {"start", "limit", "delta"};
        for (std::size_t i = 0; i < 3; ++i) {
            auto t = requireInput(ctx, i, "Range", names[i]);
            if (!t)
                return std::unexpected(t.error());
            if ((*t)->numel() != 1)
                return fail(std::string("Range expects a scalar ") + names[i] + ", got shape "
                            + dimsToString((*t)->dims()) + ".");
            in[i] = *t;
        }
        const DataType dt = in[0]->dtype();
        if (in[1]->dtype() != dt || in[2]->dtype() != dt)
            return fail("Range inputs must share one dtype, got "
                        + std::string(dtypeName(in[0]->dtype())) + ", "
                        + std::string(dtypeName(in[1]->dtype())) + " and "
                        + std::string(dtypeName(in[2]->dtype())) + ".");
        int64_t n = 0;
        if (isInteger(dt)) {
            const int64_t s = in[0]->toInt64Vector()[0];
            const int64_t l = in[1]->toInt64Vector()[0];
            const int64_t d = in[2]->toInt64Vector()[0];
            if (d == 0)
                return fail("Range delta must not be 0.");
            // ceil((l - s) / d) in exact integer arithmetic.
            const int64_t span = l - s;
            n = span / d + ((span % d != 0 && ((span < 0) == (d < 0))) ? 1 : 0);
            n = std::max<int64_t>(n, 0);
            Tensor out(DataType::Int64, {n});
            for (int64_t i = 0; i < n; ++i)
                out.mutableData<int64_t>()[i] = s + i * d;
            ctx.outputs[0] = out.castTo(dt);
            return {};
        }
        const double s = in[0]->valueAsDouble(0);
        const double l = in[1]->valueAsDouble(0);
        const double d = in[2]->valueAsDouble(0);
        if (d == 0.0)
            return fail("Range delta must not be 0.");
        const double count = std::ceil((l - s) / d);
        if (!std::isfinite(count) || count > 1e10)
            return fail("Range from " + std::to_string(s) + " to " + std::to_string(l) + " by "
                        + std::to_string(d) + " would produce too many elements.");
        n = std::max<int64_t>(static_cast<int64_t>(count), 0);
        Tensor out(dt, {n});
        if (dt == DataType::Double)
            fillRangeT<double>(out, s, d);
        else if (dt == DataType::Float)
            fillRangeT<float>(out, s, d);
        else
            return fail("Range does not support dtype " + std::string(dtypeName(dt)) + ".",
                        Error::Code::Unsupported);
        ctx.outputs[0] = std::move(out);
        return {};
    });
}

Result<std::unique_ptr<Kernel>> makeNonZero(const KernelBuildInfo &)
{
    return makeKernel([](KernelContext &ctx) -> Result<void> {
        auto data = requireInput(ctx, 0, "NonZero", "X");
        if (!data)
            return std::unexpected(data.error());
        const Tensor &x = **data;
        if (x.dtype() == DataType::String)
            return fail("NonZero does not support string tensors.", Error::Code::Unsupported);
        std::vector<int64_t> hits;
        for (int64_t i = 0; i < x.numel(); ++i)
            if (x.valueAsDouble(i) != 0.0)
                hits.push_back(i);
        // A scalar is treated as shape [1], as ONNX Runtime does.
        const Dims dims = x.rank() == 0 ? Dims{1} : x.dims();
        const int64_t rank = static_cast<int64_t>(dims.size());
        const int64_t nnz = static_cast<int64_t>(hits.size());
        Tensor out(DataType::Int64, {rank, nnz});
        int64_t *o = out.mutableData<int64_t>();
        for (int64_t j = 0; j < nnz; ++j) {
            int64_t flat = hits[static_cast<std::size_t>(j)];
            for (int64_t d = rank - 1; d >= 0; --d) {
                const int64_t dd = dims[static_cast<std::size_t>(d)];
                o[d * nnz + j] = flat % dd;
                flat /= dd;
            }
        }
        ctx.outputs[0] = std::move(out);
        return {};
    });
}

Result<std::unique_ptr<Kernel>> makeOneHot(const KernelBuildInfo &info)
{
    const int64_t axisAttr = info.node.attrInt("axis", -1);
    return makeKernel([axisAttr](KernelContext &ctx) -> Result<void> {
        auto indices = requireInput(ctx, 0, "OneHot", "indices");
        if (!indices)
            return std::unexpected(indices.error());
        auto depthT = requireInput(ctx, 1, "OneHot", "depth");
        if (!depthT)
            return std::unexpected(depthT.error());
        auto values = requireInput(ctx, 2, "OneHot", "values");
        if (!values)
            return std::unexpected(values.error());
        if ((*depthT)->numel() != 1)
            return fail("OneHot expects a scalar depth, got shape "
                        + dimsToString((*depthT)->dims()) + ".");
        if ((*values)->numel() != 2)
            return fail("OneHot expects values [off_value, on_value], got shape "
                        + dimsToString((*values)->dims()) + ".");
        const int64_t depth = static_cast<int64_t>((*depthT)->valueAsDouble(0));
        if (depth < 1)
            return fail("OneHot depth must be at least 1, got " + std::to_string(depth) + ".");
        const Tensor &idx = **indices;
        const int64_t outRank = idx.rank() + 1;
        auto axis = normalizeAxis(axisAttr, outRank);
        if (!axis)
            return fail("OneHot " + axis.error().message);
        Dims outDims = idx.dims();
        outDims.insert(outDims.begin() + *axis, depth);
        const Dims &id = idx.dims();
        const int64_t outer = numElements(std::span<const int64_t>(id.begin(), id.begin() + *axis));
        const int64_t inner = numElements(std::span<const int64_t>(id.begin() + *axis, id.end()));
        const Tensor &vals = **values;
        Tensor out(vals.dtype(), outDims);
        visitStorage(vals.dtype(), [&]<class T>(std::type_identity<T>) {
            const T off = elems<T>(vals)[0];
            const T on = elems<T>(vals)[1];
            T *o = mutableElems<T>(out);
            std::fill(o, o + out.numel(), off);
            for (int64_t a = 0; a < outer; ++a)
                for (int64_t b = 0; b < inner; ++b) {
                    int64_t k = static_cast<int64_t>(idx.valueAsDouble(a * inner + b));
                    if (k < 0)
                        k += depth;
                    if (k >= 0 && k < depth)
                        o[(a * depth + k) * inner + b] = on;
                }
        });
        ctx.outputs[0] = std::move(out);
        return {};
    });
}

Result<std::unique_ptr<Kernel>> makeTrilu(const KernelBuildInfo &info)
{
    const bool upper = info.node.attrInt("upper", 1) != 0;
    return makeKernel([upper](KernelContext &ctx) -> Result<void> {
        auto data = requireInput(ctx, 0, "Trilu", "input");
        if (!data)
            return std::unexpected(data.error());
        const Tensor &x = **data;
        if (x.rank() < 2)
            return fail("Trilu needs a tensor of rank 2 or more, got shape "
                        + dimsToString(x.dims()) + ".");
        int64_t k = 0;
        if (const Tensor *kt = ctx.input(1); kt && !kt->empty()) {
            if (kt->numel() != 1)
                return fail("Trilu expects a scalar k, got shape " + dimsToString(kt->dims())
                            + ".");
            k = kt->toInt64Vector()[0];
        }
        const int64_t rows = x.dim(x.rank() - 2), cols = x.dim(x.rank() - 1);
        const int64_t mats = rows * cols == 0 ? 0 : x.numel() / (rows * cols);
        Tensor out(x.dtype(), x.dims());
        visitStorage(x.dtype(), [&]<class T>(std::type_identity<T>) {
            const T *s = elems<T>(x);
            T *o = mutableElems<T>(out);
            for (int64_t m = 0; m < mats; ++m)
                for (int64_t i = 0; i < rows; ++i)
                    for (int64_t j = 0; j < cols; ++j) {
                        const bool keep = upper ? j - i >= k : j - i <= k;
                        const int64_t at = (m * rows + i) * cols + j;
                        if (keep)
                            o[at] = s[at];
                    }
        });
        ctx.outputs[0] = std::move(out);
        return {};
    });
}

Result<std::unique_ptr<Kernel>> makeEyeLike(const KernelBuildInfo &info)
{
    const int64_t k = info.node.attrInt("k", 0);
    std::optional<DataType> dtype;
    if (const Attribute *a = info.node.attr("dtype"); a && a->kind == Attribute::Kind::Int) {
        dtype = dtypeFromOnnx(static_cast<int32_t>(a->i));
        if (!dtype || *dtype == DataType::String)
            return fail("EyeLike dtype " + std::to_string(a->i) + " is not supported.",
                        Error::Code::Unsupported);
    }
    return makeKernel([k, dtype](KernelContext &ctx) -> Result<void> {
        auto data = requireInput(ctx, 0, "EyeLike", "input");
        if (!data)
            return std::unexpected(data.error());
        const Tensor &x = **data;
        if (x.rank() != 2)
            return fail("EyeLike needs a 2-D input, got shape " + dimsToString(x.dims()) + ".");
        const DataType dt = dtype.value_or(x.dtype());
        if (dt == DataType::String)
            return fail("EyeLike does not support string tensors.", Error::Code::Unsupported);
        const Tensor one = Tensor::fromVector<float>({1}, {1.0f}).castTo(dt);
        Tensor out(dt, x.dims());
        const int64_t rows = x.dim(0), cols = x.dim(1);
        visitStorage(dt, [&]<class T>(std::type_identity<T>) {
            const T v = elems<T>(one)[0];
            T *o = mutableElems<T>(out);
            for (int64_t i = 0; i < rows; ++i)
                if (i + k >= 0 && i + k < cols)
                    o[i * cols + i + k] = v;
        });
        ctx.outputs[0] = std::move(out);
        return {};
    });
}

} // namespace shape

std::span<const OpEntry> shapeOps()
{
    using namespace shape;
    static const OpEntry entries[] = {
        {"", "Reshape", 5, 13, &makeReshape},
        {"", "Reshape", 14, kMaxOpset, &makeReshape},        // allowzero
        {"", "Flatten", 1, kMaxOpset, &makeFlatten},
        {"", "Squeeze", 1, 12, &makeSqueeze},                 // axes attribute
        {"", "Squeeze", 13, kMaxOpset, &makeSqueeze},         // axes input
        {"", "Unsqueeze", 1, 12, &makeUnsqueeze},
        {"", "Unsqueeze", 13, kMaxOpset, &makeUnsqueeze},
        {"", "Shape", 1, 14, &makeShape},
        {"", "Shape", 15, kMaxOpset, &makeShape},             // start / end
        {"", "Size", 1, kMaxOpset, &makeSize},
        {"", "Constant", 1, kMaxOpset, &makeConstant},
        {"", "ConstantOfShape", 9, kMaxOpset, &makeConstantOfShape},
        {"", "Identity", 1, kMaxOpset, &makeIdentity},
        {"", "Dropout", 7, 11, &makeDropout},
        {"", "Dropout", 12, kMaxOpset, &makeDropout},         // ratio / training_mode inputs
        {"", "Range", 11, kMaxOpset, &makeRange},
        {"", "NonZero", 9, kMaxOpset, &makeNonZero},
        {"", "OneHot", 9, kMaxOpset, &makeOneHot},
        {"", "Trilu", 14, kMaxOpset, &makeTrilu},
        {"", "EyeLike", 9, kMaxOpset, &makeEyeLike},
        {"", "Transpose", 1, kMaxOpset, &makeTranspose},
        {"", "Concat", 4, kMaxOpset, &makeConcat},
        {"", "Split", 2, 12, &makeSplit},                     // split attribute
        {"", "Split", 13, 17, &makeSplit},                    // split input
        {"", "Split", 18, kMaxOpset, &makeSplit},             // num_outputs
        {"", "Slice", 1, 9, &makeSlice},                      // starts/ends/axes attributes
        {"", "Slice", 10, kMaxOpset, &makeSlice},             // inputs, steps
        {"", "Expand", 8, kMaxOpset, &makeExpand},
        {"", "Tile", 6, kMaxOpset, &makeTile},
        {"", "Pad", 2, 10, &makePad},                         // pads / value attributes
        {"", "Pad", 11, 17, &makePad},                        // pads / constant_value inputs
        {"", "Pad", 18, kMaxOpset, &makePad},                 // axes input (wrap from 19)
        {"", "DepthToSpace", 1, kMaxOpset, &makeDepthToSpace},
        {"", "SpaceToDepth", 1, kMaxOpset, &makeSpaceToDepth},
        {"", "Gather", 1, kMaxOpset, &makeGather},
        {"", "GatherElements", 11, kMaxOpset, &makeGatherElements},
        {"", "GatherND", 11, kMaxOpset, &makeGatherND},           // batch_dims from 12
        {"", "Scatter", 9, 12, &makeScatterElements},             // deprecated alias (11+)
        {"", "ScatterElements", 11, 15, &makeScatterElements},
        {"", "ScatterElements", 16, kMaxOpset, &makeScatterElements}, // reduction
        {"", "ScatterND", 11, 15, &makeScatterND},
        {"", "ScatterND", 16, kMaxOpset, &makeScatterND},         // reduction
        {"", "Compress", 9, kMaxOpset, &makeCompress},
        {"", "ReverseSequence", 10, kMaxOpset, &makeReverseSequence},
        {"", "Upsample", 7, 8, &makeUpsample},                    // scales attribute
        {"", "Upsample", 9, 10, &makeUpsample},                   // scales input (10: deprecated)
        {"", "Resize", 10, 10, &makeResize},                      // X, scales
        {"", "Resize", 11, 12, &makeResize},                      // X, roi, scales, sizes
        {"", "Resize", 13, 17, &makeResize},                      // roi optional
        {"", "Resize", 18, 18, &makeResize},                      // antialias, axes, aspect
        {"", "Resize", 19, kMaxOpset, &makeResize},               // half_pixel_symmetric
    };
    return entries;
}

} // namespace nnc
