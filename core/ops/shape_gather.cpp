// Shape op family, index-driven ops: Gather, GatherElements, GatherND, ScatterElements (and the
// deprecated Scatter), ScatterND, and the selection ops Compress and ReverseSequence. Indices may
// be negative (counted from the end); an index out of range is an error naming the index, the
// axis and the shape.
#include "core/ops/shape_internal.h"

namespace nnc::shape {

using ops::stridesOf;

namespace {

enum class Reduction { None, Add, Mul, Max, Min };

Result<Reduction> parseReduction(const KernelBuildInfo &info, std::string_view op)
{
    if (info.opset < 16)
        return Reduction::None;
    const std::string r = info.node.attrString("reduction", "none");
    if (r == "none")
        return Reduction::None;
    if (r == "add")
        return Reduction::Add;
    if (r == "mul")
        return Reduction::Mul;
    if (info.opset >= 18 && r == "max")
        return Reduction::Max;
    if (info.opset >= 18 && r == "min")
        return Reduction::Min;
    return fail(std::string(op) + " reduction '" + r + "' is not supported at opset "
                    + std::to_string(info.opset) + ".",
                Error::Code::Unsupported);
}

template<class T>
T combine(T a, T b, Reduction r)
{
    switch (r) {
    case Reduction::None: return b;
    case Reduction::Add: return static_cast<T>(a + b);
    case Reduction::Mul: return static_cast<T>(a * b);
    case Reduction::Max: return a < b ? b : a;
    case Reduction::Min: return b < a ? b : a;
    }
    return b;
}

/// Calls f(dstIndex, srcIndex) pairs through `scatter(assign)`, where assign(d, s) stores
/// updates[s] into out[d] with the reduction applied in the tensor's real type.
template<class Body>
Result<void> withAssign(Tensor &out, const Tensor &updates, Reduction r, std::string_view op,
                        Body &&body)
{
    const DataType dt = out.dtype();
    if (r == Reduction::None) {
        visitStorage(dt, [&]<class T>(std::type_identity<T>) {
            T *o = mutableElems<T>(out);
            const T *u = elems<T>(updates);
            body([&](int64_t d, int64_t s) { o[d] = u[s]; });
        });
        return {};
    }
    auto native = [&]<class T>(std::type_identity<T>) {
        T *o = out.mutableData<T>();
        const T *u = updates.data<T>();
        body([&](int64_t d, int64_t s) { o[d] = combine(o[d], u[s], r); });
    };
    auto half = [&](float (*dec)(uint16_t), uint16_t (*enc)(float)) {
        uint16_t *o = out.mutableData<uint16_t>();
        const uint16_t *u = updates.data<uint16_t>();
        body([&](int64_t d, int64_t s) { o[d] = enc(combine(dec(o[d]), dec(u[s]), r)); });
    };
    switch (dt) {
    case DataType::Float: native(std::type_identity<float>{}); break;
    case DataType::Double: native(std::type_identity<double>{}); break;
    case DataType::Int8: native(std::type_identity<int8_t>{}); break;
    case DataType::UInt8: native(std::type_identity<uint8_t>{}); break;
    case DataType::Int16: native(std::type_identity<int16_t>{}); break;
    case DataType::UInt16: native(std::type_identity<uint16_t>{}); break;
    case DataType::Int32: native(std::type_identity<int32_t>{}); break;
    case DataType::UInt32: native(std::type_identity<uint32_t>{}); break;
    case DataType::Int64: native(std::type_identity<int64_t>{}); break;
    case DataType::UInt64: native(std::type_identity<uint64_t>{}); break;
    case DataType::Float16: half(&halfToFloat, &floatToHalf); break;
    case DataType::BFloat16: half(&bfloat16ToFloat, &floatToBfloat16); break;
    default:
        return fail(std::string(op) + " with a reduction does not support dtype "
                        + std::string(dtypeName(dt)) + ".",
                    Error::Code::Unsupported);
    }
    return {};
}

Result<std::vector<int64_t>> readIndices(const Tensor &t, std::string_view op)
{
    if (t.dtype() != DataType::Int64 && t.dtype() != DataType::Int32)
        return fail(std::string(op) + " expects int32 or int64 indices, got "
                    + std::string(dtypeName(t.dtype())) + ".");
    return ops::readInts(t);
}

/// Maps index v into [0, n) (negative counts from the end) or an error.
Result<int64_t> fixIndex(int64_t v, int64_t n, std::string_view op, int64_t axis,
                         const Dims &shape)
{
    const int64_t r = v < 0 ? v + n : v;
    if (r < 0 || r >= n)
        return fail(std::string(op) + " index " + std::to_string(v) + " is out of range for axis "
                    + std::to_string(axis) + " of shape " + dimsToString(shape) + " (size "
                    + std::to_string(n) + ").");
    return r;
}

} // namespace

Result<std::unique_ptr<Kernel>> makeGather(const KernelBuildInfo &info)
{
    const int64_t axisAttr = info.node.attrInt("axis", 0);
    return makeKernel([axisAttr](KernelContext &ctx) -> Result<void> {
        auto dataT = requireInput(ctx, 0, "Gather", "data");
        if (!dataT)
            return std::unexpected(dataT.error());
        auto idxT = requireInput(ctx, 1, "Gather", "indices");
        if (!idxT)
            return std::unexpected(idxT.error());
        const Tensor &data = **dataT;
        auto axis = normalizeAxis(axisAttr, data.rank());
        if (!axis)
            return fail("Gather " + axis.error().message);
        auto idx = readIndices(**idxT, "Gather");
        if (!idx)
            return std::unexpected(idx.error());
        const int64_t n = data.dim(*axis);
        for (int64_t &v : *idx) {
            auto f = fixIndex(v, n, "Gather", *axis, data.dims());
            if (!f)
                return std::unexpected(f.error());
            v = *f;
        }
        const Dims &dd = data.dims();
        Dims outDims(dd.begin(), dd.begin() + *axis);
        outDims.insert(outDims.end(), (*idxT)->dims().begin(), (*idxT)->dims().end());
        outDims.insert(outDims.end(), dd.begin() + *axis + 1, dd.end());
        const int64_t outer = numElements(std::span<const int64_t>(dd.data(), static_cast<std::size_t>(*axis)));
        const int64_t inner = numElements(std::span<const int64_t>(dd.begin() + *axis + 1, dd.end()));
        const int64_t m = static_cast<int64_t>(idx->size());
        Tensor out(data.dtype(), outDims);
        if (out.numel() > 0)
            visitStorage(data.dtype(), [&]<class T>(std::type_identity<T>) {
                const T *s = elems<T>(data);
                T *o = mutableElems<T>(out);
                for (int64_t a = 0; a < outer; ++a)
                    for (int64_t j = 0; j < m; ++j)
                        copyRun(s + (a * n + (*idx)[static_cast<std::size_t>(j)]) * inner,
                                o + (a * m + j) * inner, inner);
            });
        ctx.outputs[0] = std::move(out);
        return {};
    });
}

Result<std::unique_ptr<Kernel>> makeGatherElements(const KernelBuildInfo &info)
{
    const int64_t axisAttr = info.node.attrInt("axis", 0);
    return makeKernel([axisAttr](KernelContext &ctx) -> Result<void> {
        auto dataT = requireInput(ctx, 0, "GatherElements", "data");
        if (!dataT)
            return std::unexpected(dataT.error());
        auto idxT = requireInput(ctx, 1, "GatherElements", "indices");
        if (!idxT)
            return std::unexpected(idxT.error());
        const Tensor &data = **dataT;
        const Tensor &indices = **idxT;
        auto axis = normalizeAxis(axisAttr, data.rank());
        if (!axis)
            return fail("GatherElements " + axis.error().message);
        bool ok = indices.rank() == data.rank();
        for (int64_t d = 0; ok && d < data.rank(); ++d)
            ok = d == *axis || indices.dim(d) <= data.dim(d);
        if (!ok)
            return fail("GatherElements indices shape " + dimsToString(indices.dims())
                        + " does not fit data shape " + dimsToString(data.dims())
                        + " (same rank, no larger off the axis).");
        auto idx = readIndices(indices, "GatherElements");
        if (!idx)
            return std::unexpected(idx.error());
        const std::vector<int64_t> ds = stridesOf(data.dims());
        const Dims &id = indices.dims();
        const std::size_t rank = id.size();
        const int64_t n = data.dim(*axis);
        Tensor out(data.dtype(), id);
        Result<void> status;
        visitStorage(data.dtype(), [&]<class T>(std::type_identity<T>) {
            const T *s = elems<T>(data);
            T *o = mutableElems<T>(out);
            std::vector<int64_t> pos(rank, 0);
            for (int64_t i = 0; i < out.numel(); ++i) {
                auto v = fixIndex((*idx)[static_cast<std::size_t>(i)], n, "GatherElements", *axis,
                                  data.dims());
                if (!v) {
                    status = std::unexpected(v.error());
                    return;
                }
                int64_t off = 0;
                for (std::size_t d = 0; d < rank; ++d)
                    off += (static_cast<int64_t>(d) == *axis ? *v : pos[d]) * ds[d];
                o[i] = s[off];
                for (std::size_t d = rank; d-- > 0;) {
                    if (++pos[d] < id[d])
                        break;
                    pos[d] = 0;
                }
            }
        });
        if (!status)
            return status;
        ctx.outputs[0] = std::move(out);
        return {};
    });
}

namespace {

/// The shared geometry of GatherND / ScatterND: for each index tuple, the element offset of the
/// addressed slice in `data`.
struct NdPlan
{
    std::vector<int64_t> offsets;   ///< one per tuple, in order
    int64_t sliceSize = 1;
    Dims tupleDims;                 ///< indices.dims without the last
};

Result<NdPlan> planNd(const Tensor &data, const Tensor &indices, int64_t batchDims,
                      std::string_view op)
{
    const int64_t r = data.rank(), q = indices.rank();
    if (q < 1)
        return fail(std::string(op) + " needs indices of rank 1 or more.");
    const int64_t k = indices.dim(q - 1);
    if (batchDims < 0 || batchDims >= std::min(r, q) || k < 1 || k > r - batchDims)
        return fail(std::string(op) + " indices shape " + dimsToString(indices.dims())
                    + " does not fit data shape " + dimsToString(data.dims())
                    + " with batch_dims " + std::to_string(batchDims) + ".");
    for (int64_t b = 0; b < batchDims; ++b)
        if (data.dim(b) != indices.dim(b))
            return fail(std::string(op) + " batch dimension " + std::to_string(b)
                        + " differs between data " + dimsToString(data.dims()) + " and indices "
                        + dimsToString(indices.dims()) + ".");
    auto idx = readIndices(indices, op);
    if (!idx)
        return std::unexpected(idx.error());
    NdPlan p;
    p.tupleDims.assign(indices.dims().begin(), indices.dims().end() - 1);
    const std::vector<int64_t> ds = stridesOf(data.dims());
    for (int64_t d = batchDims + k; d < r; ++d)
        p.sliceSize *= data.dim(d);
    const int64_t batches = numElements(std::span<const int64_t>(data.dims().data(),
                                                                 static_cast<std::size_t>(batchDims)));
    const int64_t tuples = numElements(p.tupleDims);
    const int64_t perBatch = batches ? tuples / batches : 0;
    const int64_t batchStride = batchDims > 0 ? ds[static_cast<std::size_t>(batchDims - 1)] : 0;
    p.offsets.resize(static_cast<std::size_t>(tuples));
    for (int64_t t = 0; t < tuples; ++t) {
        int64_t off = (perBatch ? t / perBatch : 0) * batchStride;
        for (int64_t j = 0; j < k; ++j) {
            const int64_t axis = batchDims + j;
            auto v = fixIndex((*idx)[static_cast<std::size_t>(t * k + j)], data.dim(axis), op,
                              axis, data.dims());
            if (!v)
                return std::unexpected(v.error());
            off += *v * ds[static_cast<std::size_t>(axis)];
        }
        p.offsets[static_cast<std::size_t>(t)] = off;
    }
    return p;
}

} // namespace

Result<std::unique_ptr<Kernel>> makeGatherND(const KernelBuildInfo &info)
{
    const int64_t batchDims = info.opset >= 12 ? info.node.attrInt("batch_dims", 0) : 0;
    return makeKernel([batchDims](KernelContext &ctx) -> Result<void> {
        auto dataT = requireInput(ctx, 0, "GatherND", "data");
        if (!dataT)
            return std::unexpected(dataT.error());
        auto idxT = requireInput(ctx, 1, "GatherND", "indices");
        if (!idxT)
            return std::unexpected(idxT.error());
        const Tensor &data = **dataT;
        auto plan = planNd(data, **idxT, batchDims, "GatherND");
        if (!plan)
            return std::unexpected(plan.error());
        const int64_t k = (*idxT)->dim((*idxT)->rank() - 1);
        Dims outDims = plan->tupleDims;
        outDims.insert(outDims.end(), data.dims().begin() + batchDims + k, data.dims().end());
        Tensor out(data.dtype(), outDims);
        if (out.numel() > 0)
            visitStorage(data.dtype(), [&]<class T>(std::type_identity<T>) {
                const T *s = elems<T>(data);
                T *o = mutableElems<T>(out);
                for (std::size_t t = 0; t < plan->offsets.size(); ++t)
                    copyRun(s + plan->offsets[t], o + static_cast<int64_t>(t) * plan->sliceSize,
                            plan->sliceSize);
            });
        ctx.outputs[0] = std::move(out);
        return {};
    });
}

Result<std::unique_ptr<Kernel>> makeScatterElements(const KernelBuildInfo &info)
{
    const int64_t axisAttr = info.node.attrInt("axis", 0);
    auto red = parseReduction(info, "ScatterElements");
    if (!red)
        return std::unexpected(red.error());
    const Reduction reduction = *red;
    return makeKernel([axisAttr, reduction](KernelContext &ctx) -> Result<void> {
        auto dataT = requireInput(ctx, 0, "ScatterElements", "data");
        if (!dataT)
            return std::unexpected(dataT.error());
        auto idxT = requireInput(ctx, 1, "ScatterElements", "indices");
        if (!idxT)
            return std::unexpected(idxT.error());
        auto updT = requireInput(ctx, 2, "ScatterElements", "updates");
        if (!updT)
            return std::unexpected(updT.error());
        const Tensor &data = **dataT, &indices = **idxT, &updates = **updT;
        auto axis = normalizeAxis(axisAttr, data.rank());
        if (!axis)
            return fail("ScatterElements " + axis.error().message);
        if (updates.dims() != indices.dims())
            return fail("ScatterElements updates shape " + dimsToString(updates.dims())
                        + " differs from indices shape " + dimsToString(indices.dims()) + ".");
        if (updates.dtype() != data.dtype())
            return fail("ScatterElements updates dtype " + std::string(dtypeName(updates.dtype()))
                        + " differs from data dtype " + std::string(dtypeName(data.dtype()))
                        + ".");
        bool ok = indices.rank() == data.rank();
        for (int64_t d = 0; ok && d < data.rank(); ++d)
            ok = d == *axis || indices.dim(d) <= data.dim(d);
        if (!ok)
            return fail("ScatterElements indices shape " + dimsToString(indices.dims())
                        + " does not fit data shape " + dimsToString(data.dims()) + ".");
        auto idx = readIndices(indices, "ScatterElements");
        if (!idx)
            return std::unexpected(idx.error());
        // Resolve every destination first so a bad index leaves no half-written output.
        const std::vector<int64_t> ds = stridesOf(data.dims());
        const Dims &id = indices.dims();
        const std::size_t rank = id.size();
        const int64_t n = data.dim(*axis);
        std::vector<int64_t> dst(idx->size());
        std::vector<int64_t> pos(rank, 0);
        for (std::size_t i = 0; i < idx->size(); ++i) {
            auto v = fixIndex((*idx)[i], n, "ScatterElements", *axis, data.dims());
            if (!v)
                return std::unexpected(v.error());
            int64_t off = 0;
            for (std::size_t d = 0; d < rank; ++d)
                off += (static_cast<int64_t>(d) == *axis ? *v : pos[d]) * ds[d];
            dst[i] = off;
            for (std::size_t d = rank; d-- > 0;) {
                if (++pos[d] < id[d])
                    break;
                pos[d] = 0;
            }
        }
        Tensor out = data;
        auto r = withAssign(out, updates, reduction, "ScatterElements", [&](auto assign) {
            for (std::size_t i = 0; i < dst.size(); ++i)
                assign(dst[i], static_cast<int64_t>(i));
        });
        if (!r)
            return r;
        ctx.outputs[0] = std::move(out);
        return {};
    });
}

Result<std::unique_ptr<Kernel>> makeScatterND(const KernelBuildInfo &info)
{
    auto red = parseReduction(info, "ScatterND");
    if (!red)
        return std::unexpected(red.error());
    const Reduction reduction = *red;
    return makeKernel([reduction](KernelContext &ctx) -> Result<void> {
        auto dataT = requireInput(ctx, 0, "ScatterND", "data");
        if (!dataT)
            return std::unexpected(dataT.error());
        auto idxT = requireInput(ctx, 1, "ScatterND", "indices");
        if (!idxT)
            return std::unexpected(idxT.error());
        auto updT = requireInput(ctx, 2, "ScatterND", "updates");
        if (!updT)
            return std::unexpected(updT.error());
        const Tensor &data = **dataT, &indices = **idxT, &updates = **updT;
        auto plan = planNd(data, indices, 0, "ScatterND");
        if (!plan)
            return std::unexpected(plan.error());
        const int64_t k = indices.dim(indices.rank() - 1);
        Dims expect = plan->tupleDims;
        expect.insert(expect.end(), data.dims().begin() + k, data.dims().end());
        if (updates.dims() != expect)
            return fail("ScatterND updates shape " + dimsToString(updates.dims())
                        + " should be " + dimsToString(expect) + " for data shape "
                        + dimsToString(data.dims()) + " and indices shape "
                        + dimsToString(indices.dims()) + ".");
        if (updates.dtype() != data.dtype())
            return fail("ScatterND updates dtype " + std::string(dtypeName(updates.dtype()))
                        + " differs from data dtype " + std::string(dtypeName(data.dtype()))
                        + ".");
        Tensor out = data;
        const int64_t slice = plan->sliceSize;
        auto r = withAssign(out, updates, reduction, "ScatterND", [&](auto assign) {
            for (std::size_t t = 0; t < plan->offsets.size(); ++t)
                for (int64_t e = 0; e < slice; ++e)
                    assign(plan->offsets[t] + e, static_cast<int64_t>(t) * slice + e);
        });
        if (!r)
            return r;
        ctx.outputs[0] = std::move(out);
        return {};
    });
}

Result<std::unique_ptr<Kernel>> makeCompress(const KernelBuildInfo &info)
{
    const Attribute *a = info.node.attr("axis");
    const std::optional<int64_t> axisAttr =
        a && a->kind == Attribute::Kind::Int ? std::optional<int64_t>(a->i) : std::nullopt;
    return makeKernel([axisAttr](KernelContext &ctx) -> Result<void> {
        auto dataT = requireInput(ctx, 0, "Compress", "input");
        if (!dataT)
            return std::unexpected(dataT.error());
        auto condT = requireInput(ctx, 1, "Compress", "condition");
        if (!condT)
            return std::unexpected(condT.error());
        // Without an axis the input is flattened first.
        const Tensor data = axisAttr ? **dataT : (*dataT)->reshaped({(*dataT)->numel()});
        int64_t axis = 0;
        if (axisAttr) {
            auto n = normalizeAxis(*axisAttr, data.rank());
            if (!n)
                return fail("Compress " + n.error().message);
            axis = *n;
        }
        const Tensor &cond = **condT;
        if (cond.rank() != 1)
            return fail("Compress expects a 1-D condition, got shape " + dimsToString(cond.dims())
                        + ".");
        const int64_t n = data.dim(axis);
        if (cond.numel() > n)
            return fail("Compress condition has " + std::to_string(cond.numel())
                        + " entries but axis " + std::to_string(axis) + " of shape "
                        + dimsToString(data.dims()) + " has " + std::to_string(n) + ".");
        std::vector<int64_t> keep;
        for (int64_t i = 0; i < cond.numel(); ++i)
            if (cond.valueAsDouble(i) != 0.0)
                keep.push_back(i);
        const Dims &dd = data.dims();
        Dims outDims = dd;
        outDims[static_cast<std::size_t>(axis)] = static_cast<int64_t>(keep.size());
        const int64_t outer = numElements(std::span<const int64_t>(dd.data(), static_cast<std::size_t>(axis)));
        const int64_t inner = numElements(std::span<const int64_t>(dd.begin() + axis + 1, dd.end()));
        const int64_t m = static_cast<int64_t>(keep.size());
        Tensor out(data.dtype(), outDims);
        if (out.numel() > 0)
            visitStorage(data.dtype(), [&]<class T>(std::type_identity<T>) {
                const T *s = elems<T>(data);
                T *o = mutableElems<T>(out);
                for (int64_t b = 0; b < outer; ++b)
                    for (int64_t j = 0; j < m; ++j)
                        copyRun(s + (b * n + keep[static_cast<std::size_t>(j)]) * inner,
                                o + (b * m + j) * inner, inner);
            });
        ctx.outputs[0] = std::move(out);
        return {};
    });
}

Result<std::unique_ptr<Kernel>> makeReverseSequence(const KernelBuildInfo &info)
{
    const int64_t batchAxis = info.node.attrInt("batch_axis", 1);
    const int64_t timeAxis = info.node.attrInt("time_axis", 0);
    if (!((batchAxis == 0 && timeAxis == 1) || (batchAxis == 1 && timeAxis == 0)))
        return fail("ReverseSequence needs batch_axis and time_axis to be 0 and 1 (either way), "
                    "got " + std::to_string(batchAxis) + " and " + std::to_string(timeAxis) + ".");
    return makeKernel([batchAxis, timeAxis](KernelContext &ctx) -> Result<void> {
        auto dataT = requireInput(ctx, 0, "ReverseSequence", "input");
        if (!dataT)
            return std::unexpected(dataT.error());
        auto lensT = requireInput(ctx, 1, "ReverseSequence", "sequence_lens");
        if (!lensT)
            return std::unexpected(lensT.error());
        const Tensor &x = **dataT;
        if (x.rank() < 2)
            return fail("ReverseSequence needs an input of rank 2 or more, got shape "
                        + dimsToString(x.dims()) + ".");
        const int64_t batch = x.dim(batchAxis), time = x.dim(timeAxis);
        auto lens = readIndices(**lensT, "ReverseSequence");
        if (!lens)
            return std::unexpected(lens.error());
        if (static_cast<int64_t>(lens->size()) != batch)
            return fail("ReverseSequence got " + std::to_string(lens->size())
                        + " sequence lengths for a batch of " + std::to_string(batch) + ".");
        for (int64_t l : *lens)
            if (l < 0 || l > time)
                return fail("ReverseSequence length " + std::to_string(l)
                            + " is outside [0, " + std::to_string(time) + "].");
        const std::vector<int64_t> st = stridesOf(x.dims());
        const int64_t inner = st[1]; // elements per (axis0, axis1) cell
        Tensor out(x.dtype(), x.dims());
        visitStorage(x.dtype(), [&]<class T>(std::type_identity<T>) {
            const T *s = elems<T>(x);
            T *o = mutableElems<T>(out);
            for (int64_t b = 0; b < batch; ++b)
                for (int64_t t = 0; t < time; ++t) {
                    const int64_t l = (*lens)[static_cast<std::size_t>(b)];
                    const int64_t src = t < l ? l - 1 - t : t;
                    auto cell = [&](int64_t tt) {
                        return (batchAxis == 0 ? b * st[0] + tt * st[1] : tt * st[0] + b * st[1]);
                    };
                    copyRun(s + cell(src), o + cell(t), inner);
                }
        });
        ctx.outputs[0] = std::move(out);
        return {};
    });
}

} // namespace nnc::shape
