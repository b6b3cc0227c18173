// Shape op family, data movement: Transpose, Concat, Split, Slice, Expand, Tile, Pad,
// DepthToSpace, SpaceToDepth. Every kernel copies elements by size (any dtype, strings too).
#include "core/ops/nn_parallel.h"
#include "core/ops/shape_internal.h"

#include <algorithm>
#include <limits>
#include <numeric>

namespace nnc::shape {

using ops::stridesOf;

namespace {

/// Blocked transpose of `batch` matrices rows x cols (row-major) into cols x rows.
template<class T>
void transpose2d(const T *src, T *dst, int64_t batch, int64_t rows, int64_t cols)
{
    constexpr int64_t kBlock = 32;
    const int64_t rowBlocks = (rows + kBlock - 1) / kBlock;
    const int64_t tasks = batch * rowBlocks;
    auto doTask = [&](int64_t task) {
        const int64_t b = task / rowBlocks;
        const int64_t r0 = (task % rowBlocks) * kBlock;
        const int64_t r1 = std::min(rows, r0 + kBlock);
        const T *s = src + b * rows * cols;
        T *d = dst + b * rows * cols;
        for (int64_t c0 = 0; c0 < cols; c0 += kBlock) {
            const int64_t c1 = std::min(cols, c0 + kBlock);
            for (int64_t r = r0; r < r1; ++r)
                for (int64_t c = c0; c < c1; ++c)
                    d[c * rows + r] = s[r * cols + c];
        }
    };
    if (batch * rows * cols >= (int64_t{1} << 16) && tasks > 1) {
        nn::parallelFor(tasks, doTask);
    } else {
        for (int64_t t = 0; t < tasks; ++t)
            doTask(t);
    }
}

bool isPermutation(std::span<const int64_t> perm, int64_t rank)
{
    if (static_cast<int64_t>(perm.size()) != rank)
        return false;
    std::vector<bool> seen(static_cast<std::size_t>(rank), false);
    for (int64_t p : perm) {
        if (p < 0 || p >= rank || seen[static_cast<std::size_t>(p)])
            return false;
        seen[static_cast<std::size_t>(p)] = true;
    }
    return true;
}

} // namespace

Tensor transposeTensor(const Tensor &in, std::span<const int64_t> perm)
{
    const Dims &dims = in.dims();
    const std::size_t rank = dims.size();
    Dims outDims(rank);
    for (std::size_t i = 0; i < rank; ++i)
        outDims[i] = dims[static_cast<std::size_t>(perm[i])];

    // Size-1 axes do not affect the layout: drop them, renumbering the rest.
    std::vector<int64_t> newIndex(rank, -1);
    Dims rd;
    for (std::size_t i = 0; i < rank; ++i)
        if (dims[i] != 1) {
            newIndex[i] = static_cast<int64_t>(rd.size());
            rd.push_back(dims[i]);
        }
    std::vector<int64_t> rp;
    for (std::size_t i = 0; i < rank; ++i)
        if (newIndex[static_cast<std::size_t>(perm[i])] >= 0)
            rp.push_back(newIndex[static_cast<std::size_t>(perm[i])]);

    // Merge runs of output axes that are consecutive input axes.
    // groupOf[input axis] marks the start of a merged group.
    std::vector<bool> startsGroup(rd.size(), true);
    for (std::size_t i = 1; i < rp.size(); ++i)
        if (rp[i] == rp[i - 1] + 1)
            startsGroup[static_cast<std::size_t>(rp[i])] = false;
    std::vector<int64_t> groupId(rd.size());
    Dims md;
    for (std::size_t a = 0; a < rd.size(); ++a) {
        if (startsGroup[a])
            md.push_back(rd[a]);
        else
            md.back() *= rd[a];
        groupId[a] = static_cast<int64_t>(md.size()) - 1;
    }
    std::vector<int64_t> mp;
    for (std::size_t i = 0; i < rp.size(); ++i)
        if (startsGroup[static_cast<std::size_t>(rp[i])])
            mp.push_back(groupId[static_cast<std::size_t>(rp[i])]);

    bool identity = true;
    for (std::size_t i = 0; i < mp.size(); ++i)
        identity = identity && mp[i] == static_cast<int64_t>(i);
    if (identity)
        return in.reshaped(outDims);

    Tensor out(in.dtype(), outDims);
    visitStorage(in.dtype(), [&]<class T>(std::type_identity<T>) {
        const T *s = elems<T>(in);
        T *d = mutableElems<T>(out);
        if (mp.size() == 2) {
            transpose2d(s, d, 1, md[0], md[1]);
        } else if (mp.size() == 3 && mp[0] == 0 && mp[1] == 2 && mp[2] == 1) {
            transpose2d(s, d, md[0], md[1], md[2]);
        } else {
            const std::vector<int64_t> inStrides = stridesOf(md);
            Dims od(mp.size());
            std::vector<int64_t> os(mp.size());
            for (std::size_t i = 0; i < mp.size(); ++i) {
                od[i] = md[static_cast<std::size_t>(mp[i])];
                os[i] = inStrides[static_cast<std::size_t>(mp[i])];
            }
            stridedCopy(s, 0, od, os, d);
        }
    });
    return out;
}

Result<std::unique_ptr<Kernel>> makeTranspose(const KernelBuildInfo &info)
{
    const Attribute *a = info.node.attr("perm");
    std::optional<std::vector<int64_t>> perm;
    if (a && a->kind == Attribute::Kind::Ints)
        perm = a->ints;
    return makeKernel([perm](KernelContext &ctx) -> Result<void> {
        auto data = requireInput(ctx, 0, "Transpose", "data");
        if (!data)
            return std::unexpected(data.error());
        const int64_t rank = (*data)->rank();
        std::vector<int64_t> p;
        if (perm) {
            p = *perm;
            if (!isPermutation(p, rank))
                return fail("Transpose perm " + dimsToString(p)
                            + " is not a permutation of the axes of shape "
                            + dimsToString((*data)->dims()) + ".");
        } else {
            for (int64_t i = rank - 1; i >= 0; --i)
                p.push_back(i);
        }
        ctx.outputs[0] = transposeTensor(**data, p);
        return {};
    });
}

Result<std::unique_ptr<Kernel>> makeConcat(const KernelBuildInfo &info)
{
    const Attribute *a = info.node.attr("axis");
    if (!a || a->kind != Attribute::Kind::Int)
        return fail("Concat needs the 'axis' attribute.");
    const int64_t axisAttr = a->i;
    return makeKernel([axisAttr](KernelContext &ctx) -> Result<void> {
        std::vector<const Tensor *> ins;
        for (std::size_t i = 0; i < ctx.inputs.size(); ++i) {
            auto t = requireInput(ctx, i, "Concat", "a tensor to join");
            if (!t)
                return std::unexpected(t.error());
            ins.push_back(*t);
        }
        if (ins.empty())
            return fail("Concat needs at least one input.");
        const Tensor &first = *ins[0];
        const int64_t rank = first.rank();
        auto axis = normalizeAxis(axisAttr, rank);
        if (!axis)
            return fail("Concat " + axis.error().message);
        Dims outDims = first.dims();
        outDims[static_cast<std::size_t>(*axis)] = 0;
        for (std::size_t i = 0; i < ins.size(); ++i) {
            const Tensor &t = *ins[i];
            if (t.dtype() != first.dtype())
                return fail("Concat input " + std::to_string(i) + " has dtype "
                            + std::string(dtypeName(t.dtype())) + " but input 0 has "
                            + std::string(dtypeName(first.dtype())) + ".");
            bool ok = t.rank() == rank;
            for (int64_t d = 0; ok && d < rank; ++d)
                ok = d == *axis || t.dim(d) == first.dim(d);
            if (!ok)
                return fail("Concat on axis " + std::to_string(*axis) + " cannot join shapes "
                            + dimsToString(first.dims()) + " (input 0) and "
                            + dimsToString(t.dims()) + " (input " + std::to_string(i) + ").");
            outDims[static_cast<std::size_t>(*axis)] += t.dim(*axis);
        }
        const int64_t outer = numElements(std::span<const int64_t>(outDims.data(),
                                                                   static_cast<std::size_t>(*axis)));
        const int64_t innerOut = numElements(
            std::span<const int64_t>(outDims.begin() + *axis, outDims.end()));
        Tensor out(first.dtype(), outDims);
        visitStorage(first.dtype(), [&]<class T>(std::type_identity<T>) {
            T *o = mutableElems<T>(out);
            int64_t col = 0;
            for (const Tensor *t : ins) {
                const int64_t chunk = t->numel() / std::max<int64_t>(outer, 1);
                if (t->numel() == 0)
                    continue;
                const T *s = elems<T>(*t);
                for (int64_t r = 0; r < outer; ++r)
                    copyRun(s + r * chunk, o + r * innerOut + col, chunk);
                col += chunk;
            }
        });
        ctx.outputs[0] = std::move(out);
        return {};
    });
}

namespace {

/// Copies the slab [begin, begin + len) of `axis` of `in` into a new tensor.
Tensor sliceAxis(const Tensor &in, int64_t axis, int64_t begin, int64_t len)
{
    Dims outDims = in.dims();
    outDims[static_cast<std::size_t>(axis)] = len;
    Tensor out(in.dtype(), outDims);
    const Dims &d = in.dims();
    const int64_t outer = numElements(std::span<const int64_t>(d.data(), static_cast<std::size_t>(axis)));
    const int64_t inner = numElements(std::span<const int64_t>(d.begin() + axis + 1, d.end()));
    const int64_t n = in.dim(axis);
    visitStorage(in.dtype(), [&]<class T>(std::type_identity<T>) {
        const T *s = elems<T>(in);
        T *o = mutableElems<T>(out);
        for (int64_t r = 0; r < outer; ++r)
            copyRun(s + (r * n + begin) * inner, o + r * len * inner, len * inner);
    });
    return out;
}

} // namespace

Result<std::unique_ptr<Kernel>> makeSplit(const KernelBuildInfo &info)
{
    const int64_t opset = info.opset;
    const int64_t axisAttr = info.node.attrInt("axis", 0);
    std::optional<std::vector<int64_t>> splitAttr;
    if (opset < 13)
        if (const Attribute *a = info.node.attr("split"); a && a->kind == Attribute::Kind::Ints)
            splitAttr = a->ints;
    std::optional<int64_t> numOutputs;
    if (opset >= 18)
        if (const Attribute *a = info.node.attr("num_outputs"); a && a->kind == Attribute::Kind::Int)
            numOutputs = a->i;
    return makeKernel([opset, axisAttr, splitAttr, numOutputs](KernelContext &ctx) -> Result<void> {
        auto data = requireInput(ctx, 0, "Split", "input");
        if (!data)
            return std::unexpected(data.error());
        const Tensor &in = **data;
        auto axis = normalizeAxis(axisAttr, in.rank());
        if (!axis)
            return fail("Split " + axis.error().message);
        const int64_t dim = in.dim(*axis);
        const int64_t nOut = static_cast<int64_t>(ctx.outputs.size());
        std::optional<std::vector<int64_t>> split = splitAttr;
        if (opset >= 13 && ctx.input(1) && !ctx.input(1)->empty()) {
            auto v = readIndexList(*ctx.input(1), "Split", "split");
            if (!v)
                return std::unexpected(v.error());
            split = std::move(*v);
        }
        std::vector<int64_t> sizes;
        if (split) {
            if (static_cast<int64_t>(split->size()) != nOut)
                return fail("Split sizes " + dimsToString(*split) + " give "
                            + std::to_string(split->size()) + " parts but the node has "
                            + std::to_string(nOut) + " outputs.");
            int64_t sum = 0;
            for (int64_t s : *split) {
                if (s < 0)
                    return fail("Split sizes " + dimsToString(*split) + " contain a negative "
                                "size.");
                sum += s;
            }
            if (sum != dim)
                return fail("Split sizes " + dimsToString(*split) + " add up to "
                            + std::to_string(sum) + " but axis " + std::to_string(*axis)
                            + " of shape " + dimsToString(in.dims()) + " has "
                            + std::to_string(dim) + ".");
            sizes = *split;
        } else if (numOutputs) {
            if (*numOutputs != nOut || nOut < 1)
                return fail("Split num_outputs is " + std::to_string(*numOutputs)
                            + " but the node has " + std::to_string(nOut) + " outputs.");
            // Opset 18: ceil-sized chunks, the last one smaller.
            const int64_t chunk = (dim + nOut - 1) / nOut;
            int64_t left = dim;
            for (int64_t i = 0; i < nOut; ++i) {
                sizes.push_back(std::min(chunk, left));
                left -= sizes.back();
            }
        } else {
            if (nOut < 1 || dim % nOut != 0)
                return fail("Split cannot divide axis " + std::to_string(*axis) + " of shape "
                            + dimsToString(in.dims()) + " into " + std::to_string(nOut)
                            + " equal parts.");
            sizes.assign(static_cast<std::size_t>(nOut), dim / nOut);
        }
        int64_t begin = 0;
        for (int64_t i = 0; i < nOut; ++i) {
            const int64_t len = sizes[static_cast<std::size_t>(i)];
            ctx.outputs[static_cast<std::size_t>(i)] = sliceAxis(in, *axis, begin, len);
            begin += len;
        }
        return {};
    });
}

namespace {

/// Normalized [start, count, step] per axis of a Slice.
struct SliceAxis
{
    int64_t start = 0;
    int64_t count = 0;
    int64_t step = 1;
};

Result<void> applySlice(KernelContext &ctx, const Tensor &in, std::span<const int64_t> starts,
                        std::span<const int64_t> ends, std::optional<std::vector<int64_t>> axesOpt,
                        std::optional<std::vector<int64_t>> stepsOpt)
{
    const int64_t rank = in.rank();
    if (starts.size() != ends.size())
        return fail("Slice starts " + dimsToString(starts) + " and ends " + dimsToString(ends)
                    + " differ in length.");
    std::vector<int64_t> axes;
    if (axesOpt) {
        axes = *axesOpt;
    } else {
        axes.resize(starts.size());
        std::iota(axes.begin(), axes.end(), 0);
    }
    if (axes.size() != starts.size())
        return fail("Slice axes " + dimsToString(axes) + " and starts " + dimsToString(starts)
                    + " differ in length.");
    std::vector<int64_t> steps = stepsOpt.value_or(std::vector<int64_t>(starts.size(), 1));
    if (steps.size() != starts.size())
        return fail("Slice steps " + dimsToString(steps) + " and starts " + dimsToString(starts)
                    + " differ in length.");
    std::vector<SliceAxis> sa(static_cast<std::size_t>(rank));
    std::vector<bool> used(static_cast<std::size_t>(rank), false);
    for (int64_t d = 0; d < rank; ++d)
        sa[static_cast<std::size_t>(d)] = {0, in.dim(d), 1};
    for (std::size_t i = 0; i < axes.size(); ++i) {
        auto axis = normalizeAxis(axes[i], rank);
        if (!axis)
            return fail("Slice " + axis.error().message);
        if (used[static_cast<std::size_t>(*axis)])
            return fail("Slice axes " + dimsToString(axes) + " repeat axis "
                        + std::to_string(*axis) + ".");
        used[static_cast<std::size_t>(*axis)] = true;
        const int64_t dim = in.dim(*axis);
        const int64_t step = steps[i];
        if (step == 0)
            return fail("Slice step for axis " + std::to_string(*axis) + " is 0.");
        int64_t s = starts[i], e = ends[i];
        // Negative values count from the end; INT64_MIN + dim cannot overflow.
        if (s < 0)
            s += dim;
        if (e < 0)
            e += dim;
        int64_t count;
        if (step > 0) {
            s = std::clamp<int64_t>(s, 0, dim);
            e = std::clamp<int64_t>(e, 0, dim);
            count = e > s ? (e - s + step - 1) / step : 0;
        } else {
            s = std::clamp<int64_t>(s, 0, dim - 1);
            e = std::clamp<int64_t>(e, -1, dim - 1);
            // step may be INT64_MIN: compute the count without negating it.
            count = s > e ? 1 + (s - e - 1) / (step == std::numeric_limits<int64_t>::min()
                                                   ? std::numeric_limits<int64_t>::max()
                                                   : -step)
                          : 0;
        }
        sa[static_cast<std::size_t>(*axis)] = {count > 0 ? s : 0, count, step};
    }
    const std::vector<int64_t> strides = stridesOf(in.dims());
    Dims outDims(static_cast<std::size_t>(rank));
    std::vector<int64_t> outStrides(static_cast<std::size_t>(rank));
    int64_t base = 0;
    for (std::size_t d = 0; d < sa.size(); ++d) {
        outDims[d] = sa[d].count;
        base += sa[d].start * strides[d];
        outStrides[d] = sa[d].step * strides[d];
    }
    Tensor out(in.dtype(), outDims);
    if (out.numel() > 0)
        visitStorage(in.dtype(), [&]<class T>(std::type_identity<T>) {
            stridedCopy(elems<T>(in), base, outDims, outStrides, mutableElems<T>(out));
        });
    ctx.outputs[0] = std::move(out);
    return {};
}

} // namespace

Result<std::unique_ptr<Kernel>> makeSlice(const KernelBuildInfo &info)
{
    if (info.opset < 10) {
        const Attribute *s = info.node.attr("starts");
        const Attribute *e = info.node.attr("ends");
        if (!s || !e)
            return fail("Slice needs the 'starts' and 'ends' attributes before opset 10.");
        std::vector<int64_t> starts = s->ints, ends = e->ints;
        std::optional<std::vector<int64_t>> axes;
        if (const Attribute *a = info.node.attr("axes"); a && a->kind == Attribute::Kind::Ints)
            axes = a->ints;
        return makeKernel([starts, ends, axes](KernelContext &ctx) -> Result<void> {
            auto data = requireInput(ctx, 0, "Slice", "data");
            if (!data)
                return std::unexpected(data.error());
            return applySlice(ctx, **data, starts, ends, axes, std::nullopt);
        });
    }
    return makeKernel([](KernelContext &ctx) -> Result<void> {
        auto data = requireInput(ctx, 0, "Slice", "data");
        if (!data)
            return std::unexpected(data.error());
        auto startsT = requireInput(ctx, 1, "Slice", "starts");
        if (!startsT)
            return std::unexpected(startsT.error());
        auto endsT = requireInput(ctx, 2, "Slice", "ends");
        if (!endsT)
            return std::unexpected(endsT.error());
        auto starts = readIndexList(**startsT, "Slice", "starts");
        if (!starts)
            return std::unexpected(starts.error());
        auto ends = readIndexList(**endsT, "Slice", "ends");
        if (!ends)
            return std::unexpected(ends.error());
        std::optional<std::vector<int64_t>> axes, steps;
        if (const Tensor *t = ctx.input(3); t && !t->empty()) {
            auto v = readIndexList(*t, "Slice", "axes");
            if (!v)
                return std::unexpected(v.error());
            axes = std::move(*v);
        }
        if (const Tensor *t = ctx.input(4); t && !t->empty()) {
            auto v = readIndexList(*t, "Slice", "steps");
            if (!v)
                return std::unexpected(v.error());
            steps = std::move(*v);
        }
        return applySlice(ctx, **data, *starts, *ends, std::move(axes), std::move(steps));
    });
}

Result<std::unique_ptr<Kernel>> makeExpand(const KernelBuildInfo &)
{
    return makeKernel([](KernelContext &ctx) -> Result<void> {
        auto data = requireInput(ctx, 0, "Expand", "input");
        if (!data)
            return std::unexpected(data.error());
        auto shapeT = requireInput(ctx, 1, "Expand", "shape");
        if (!shapeT)
            return std::unexpected(shapeT.error());
        auto shape = readIndexList(**shapeT, "Expand", "the shape input");
        if (!shape)
            return std::unexpected(shape.error());
        const Tensor &in = **data;
        auto outDims = ops::broadcastShapes(in.dims(), *shape);
        if (!outDims)
            return fail("Expand cannot broadcast input shape " + dimsToString(in.dims())
                        + " to " + dimsToString(*shape) + ".");
        if (auto ok = checkOutputShape(*outDims, "Expand"); !ok)
            return ok;
        if (*outDims == in.dims()) {
            ctx.outputs[0] = in;
            return {};
        }
        const std::vector<int64_t> strides = ops::broadcastStrides(in.dims(), *outDims);
        Tensor out(in.dtype(), *outDims);
        visitStorage(in.dtype(), [&]<class T>(std::type_identity<T>) {
            stridedCopy(elems<T>(in), 0, *outDims, strides, mutableElems<T>(out));
        });
        ctx.outputs[0] = std::move(out);
        return {};
    });
}

Result<std::unique_ptr<Kernel>> makeTile(const KernelBuildInfo &)
{
    return makeKernel([](KernelContext &ctx) -> Result<void> {
        auto data = requireInput(ctx, 0, "Tile", "input");
        if (!data)
            return std::unexpected(data.error());
        auto repT = requireInput(ctx, 1, "Tile", "repeats");
        if (!repT)
            return std::unexpected(repT.error());
        auto reps = readIndexList(**repT, "Tile", "repeats");
        if (!reps)
            return std::unexpected(reps.error());
        const Tensor &in = **data;
        if (static_cast<int64_t>(reps->size()) != in.rank())
            return fail("Tile repeats " + dimsToString(*reps) + " must have one entry per axis "
                        "of the input shape " + dimsToString(in.dims()) + ".");
        // View the output as [r0, d0, r1, d1, ...] reading the input with stride 0 on the r's.
        const std::vector<int64_t> strides = stridesOf(in.dims());
        Dims outDims, viewDims;
        std::vector<int64_t> viewStrides;
        for (std::size_t i = 0; i < reps->size(); ++i) {
            const int64_t r = (*reps)[i];
            if (r < 0)
                return fail("Tile repeats " + dimsToString(*reps) + " contain a negative value.");
            outDims.push_back(in.dims()[i] * r);
            viewDims.insert(viewDims.end(), {r, in.dims()[i]});
            viewStrides.insert(viewStrides.end(), {0, strides[i]});
        }
        if (auto ok = checkOutputShape(viewDims, "Tile"); !ok)
            return ok;
        Tensor out(in.dtype(), outDims);
        visitStorage(in.dtype(), [&]<class T>(std::type_identity<T>) {
            stridedCopy(elems<T>(in), 0, viewDims, viewStrides, mutableElems<T>(out));
        });
        ctx.outputs[0] = std::move(out);
        return {};
    });
}

namespace {

enum class PadMode { Constant, Reflect, Edge, Wrap };

/// Input index for output position o of an axis padded by `begin` in front, or -1 for the
/// constant value.
int64_t padSource(int64_t o, int64_t begin, int64_t dim, PadMode mode)
{
    int64_t i = o - begin;
    if (i >= 0 && i < dim)
        return i;
    switch (mode) {
    case PadMode::Constant: return -1;
    case PadMode::Edge: return i < 0 ? 0 : dim - 1;
    case PadMode::Wrap: return ((i % dim) + dim) % dim;
    case PadMode::Reflect: {
        if (dim == 1)
            return 0;
        const int64_t period = 2 * (dim - 1);
        i = ((i % period) + period) % period;
        return i < dim ? i : period - i;
    }
    }
    return -1;
}

Result<void> applyPad(KernelContext &ctx, const Tensor &in, std::span<const int64_t> padsIn,
                      std::optional<std::vector<int64_t>> axesOpt, PadMode mode,
                      const Tensor &constant)
{
    const int64_t rank = in.rank();
    std::vector<int64_t> axes;
    if (axesOpt) {
        axes = *axesOpt;
    } else {
        axes.resize(static_cast<std::size_t>(rank));
        std::iota(axes.begin(), axes.end(), 0);
    }
    if (padsIn.size() != 2 * axes.size())
        return fail("Pad pads " + dimsToString(padsIn) + " must have 2 x "
                    + std::to_string(axes.size()) + " values for input shape "
                    + dimsToString(in.dims()) + ".");
    std::vector<int64_t> begin(static_cast<std::size_t>(rank), 0), end(begin);
    for (std::size_t i = 0; i < axes.size(); ++i) {
        auto a = normalizeAxis(axes[i], rank);
        if (!a)
            return fail("Pad " + a.error().message);
        begin[static_cast<std::size_t>(*a)] = padsIn[i];
        end[static_cast<std::size_t>(*a)] = padsIn[i + axes.size()];
    }
    Dims outDims(static_cast<std::size_t>(rank));
    std::vector<std::vector<int64_t>> maps(static_cast<std::size_t>(rank));
    for (std::size_t d = 0; d < outDims.size(); ++d) {
        const int64_t dim = in.dims()[d];
        outDims[d] = dim + begin[d] + end[d];
        if (outDims[d] < 0)
            return fail("Pad pads " + dimsToString(padsIn) + " remove more than the "
                        + std::to_string(dim) + " elements of axis " + std::to_string(d) + ".");
        if (dim == 0 && outDims[d] > 0 && mode != PadMode::Constant)
            return fail("Pad cannot pad the empty axis " + std::to_string(d) + " of shape "
                        + dimsToString(in.dims()) + " in reflect, edge or wrap mode.");
        if (outDims[d] > (int64_t{1} << 40))
            return fail("Pad pads " + dimsToString(padsIn) + " make axis " + std::to_string(d)
                        + " too large.");
        maps[d].resize(static_cast<std::size_t>(outDims[d]));
        for (int64_t o = 0; o < outDims[d]; ++o)
            maps[d][static_cast<std::size_t>(o)] = padSource(o, begin[d], dim, mode);
    }
    if (auto ok = checkOutputShape(outDims, "Pad"); !ok)
        return ok;
    Tensor out(in.dtype(), outDims);
    if (out.numel() == 0) {
        ctx.outputs[0] = std::move(out);
        return {};
    }
    if (rank == 0) {
        ctx.outputs[0] = in;
        return {};
    }
    const std::vector<int64_t> strides = stridesOf(in.dims());
    const std::size_t last = static_cast<std::size_t>(rank - 1);
    const int64_t inner = outDims[last];
    const int64_t rows = out.numel() / inner;
    // The direct region of the last axis, copied as one run.
    const int64_t lo = std::clamp<int64_t>(begin[last], 0, inner);
    const int64_t hi = std::clamp<int64_t>(begin[last] + in.dims()[last], lo, inner);
    const std::vector<int64_t> &lastMap = maps[last];
    visitStorage(in.dtype(), [&]<class T>(std::type_identity<T>) {
        const T cv = elems<T>(constant)[0];
        const T *s = elems<T>(in);
        T *o = mutableElems<T>(out);
        auto doRow = [&](int64_t row) {
            T *dst = o + row * inner;
            int64_t off = 0;
            int64_t r = row;
            for (std::size_t d = last; d-- > 0;) {
                const int64_t q = r / outDims[d];
                const int64_t src = maps[d][static_cast<std::size_t>(r - q * outDims[d])];
                r = q;
                if (src < 0) {
                    std::fill(dst, dst + inner, cv);
                    return;
                }
                off += src * strides[d];
            }
            const T *srcRow = s + off;
            for (int64_t k = 0; k < lo; ++k)
                dst[k] = lastMap[static_cast<std::size_t>(k)] < 0
                             ? cv
                             : srcRow[lastMap[static_cast<std::size_t>(k)]];
            copyRun(srcRow + (lo - begin[last]), dst + lo, hi - lo);
            for (int64_t k = hi; k < inner; ++k)
                dst[k] = lastMap[static_cast<std::size_t>(k)] < 0
                             ? cv
                             : srcRow[lastMap[static_cast<std::size_t>(k)]];
        };
        if (out.numel() >= (int64_t{1} << 16) && rows > 1) {
            // Chunks of rows: a row of a channels-last image ([1, 256, 256, 3]) is 3 values.
            const int64_t rowsPerChunk = std::max<int64_t>(1, (int64_t{1} << 14) / inner);
            nn::parallelForRange(rows, rowsPerChunk,
                                 [&](int64_t first, int64_t last) {
                                     for (int64_t row = first; row < last; ++row)
                                         doRow(row);
                                 });
        } else {
            for (int64_t row = 0; row < rows; ++row)
                doRow(row);
        }
    });
    ctx.outputs[0] = std::move(out);
    return {};
}

/// A one-element tensor of `dtype` holding the pad value (strings: empty).
Tensor padConstant(DataType dtype, const Tensor *given, float fallback)
{
    if (given && !given->empty() && given->numel() >= 1 && given->dtype() == dtype)
        return given->reshaped({given->numel()});
    if (dtype == DataType::String)
        return Tensor(DataType::String, {1});
    const float v = given && !given->empty() && given->numel() >= 1
                        ? static_cast<float>(given->valueAsDouble(0))
                        : fallback;
    return Tensor::fromVector<float>({1}, {v}).castTo(dtype);
}

} // namespace

Result<std::unique_ptr<Kernel>> makePad(const KernelBuildInfo &info)
{
    const std::string modeName = info.node.attrString("mode", "constant");
    PadMode mode;
    if (modeName == "constant")
        mode = PadMode::Constant;
    else if (modeName == "reflect")
        mode = PadMode::Reflect;
    else if (modeName == "edge")
        mode = PadMode::Edge;
    else if (modeName == "wrap" && info.opset >= 19)
        mode = PadMode::Wrap;
    else
        return fail("Pad mode '" + modeName + "' is not supported (constant, reflect, edge"
                    + std::string(info.opset >= 19 ? ", wrap" : "") + ").",
                    Error::Code::Unsupported);
    if (info.opset < 11) {
        std::vector<int64_t> pads = info.node.attrInts("pads");
        if (pads.empty())
            pads = info.node.attrInts("paddings");
        const float value = info.node.attrFloat("value", 0.0f);
        return makeKernel([mode, pads, value](KernelContext &ctx) -> Result<void> {
            auto data = requireInput(ctx, 0, "Pad", "data");
            if (!data)
                return std::unexpected(data.error());
            const Tensor cv = padConstant((*data)->dtype(), nullptr, value);
            return applyPad(ctx, **data, pads, std::nullopt, mode, cv);
        });
    }
    const bool axesInput = info.opset >= 18;
    return makeKernel([mode, axesInput](KernelContext &ctx) -> Result<void> {
        auto data = requireInput(ctx, 0, "Pad", "data");
        if (!data)
            return std::unexpected(data.error());
        auto padsT = requireInput(ctx, 1, "Pad", "pads");
        if (!padsT)
            return std::unexpected(padsT.error());
        auto pads = readIndexList(**padsT, "Pad", "pads");
        if (!pads)
            return std::unexpected(pads.error());
        std::optional<std::vector<int64_t>> axes;
        if (const Tensor *t = ctx.input(3); axesInput && t && !t->empty()) {
            auto v = readIndexList(*t, "Pad", "axes");
            if (!v)
                return std::unexpected(v.error());
            axes = std::move(*v);
        }
        const Tensor cv = padConstant((*data)->dtype(), ctx.input(2), 0.0f);
        return applyPad(ctx, **data, *pads, std::move(axes), mode, cv);
    });
}

Result<std::unique_ptr<Kernel>> makeDepthToSpace(const KernelBuildInfo &info)
{
    const int64_t b = info.node.attrInt("blocksize", 0);
    if (b < 1)
        return fail("DepthToSpace needs a positive 'blocksize' attribute.");
    const std::string mode = info.opset >= 11 ? info.node.attrString("mode", "DCR") : "DCR";
    if (mode != "DCR" && mode != "CRD")
        return fail("DepthToSpace mode '" + mode + "' is not DCR or CRD.");
    const bool dcr = mode == "DCR";
    return makeKernel([b, dcr](KernelContext &ctx) -> Result<void> {
        auto data = requireInput(ctx, 0, "DepthToSpace", "input");
        if (!data)
            return std::unexpected(data.error());
        const Tensor &in = **data;
        if (in.rank() != 4 || in.dim(1) % (b * b) != 0)
            return fail("DepthToSpace with blocksize " + std::to_string(b)
                        + " needs a 4-D input whose channels divide by " + std::to_string(b * b)
                        + ", got shape " + dimsToString(in.dims()) + ".");
        const int64_t n = in.dim(0), c = in.dim(1) / (b * b), h = in.dim(2), w = in.dim(3);
        Tensor t;
        if (dcr) {
            const std::vector<int64_t> perm = {0, 3, 4, 1, 5, 2};
            t = transposeTensor(in.reshaped({n, b, b, c, h, w}), perm);
        } else {
            const std::vector<int64_t> perm = {0, 1, 4, 2, 5, 3};
            t = transposeTensor(in.reshaped({n, c, b, b, h, w}), perm);
        }
        ctx.outputs[0] = t.reshaped({n, c, h * b, w * b});
        return {};
    });
}

Result<std::unique_ptr<Kernel>> makeSpaceToDepth(const KernelBuildInfo &info)
{
    const int64_t b = info.node.attrInt("blocksize", 0);
    if (b < 1)
        return fail("SpaceToDepth needs a positive 'blocksize' attribute.");
    return makeKernel([b](KernelContext &ctx) -> Result<void> {
        auto data = requireInput(ctx, 0, "SpaceToDepth", "input");
        if (!data)
            return std::unexpected(data.error());
        const Tensor &in = **data;
        if (in.rank() != 4 || in.dim(2) % b != 0 || in.dim(3) % b != 0)
            return fail("SpaceToDepth with blocksize " + std::to_string(b)
                        + " needs a 4-D input whose height and width divide by it, got shape "
                        + dimsToString(in.dims()) + ".");
        const int64_t n = in.dim(0), c = in.dim(1), h = in.dim(2) / b, w = in.dim(3) / b;
        const std::vector<int64_t> perm = {0, 3, 5, 1, 2, 4};
        Tensor t = transposeTensor(in.reshaped({n, c, h, b, w, b}), perm);
        ctx.outputs[0] = t.reshaped({n, c * b * b, h, w});
        return {};
    });
}

} // namespace nnc::shape
