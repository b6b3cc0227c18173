// Broadcasting and small helpers shared by kernels.
#include "core/ops/op_util.h"

#include <algorithm>

namespace nnc::ops {

Result<Dims> broadcastShapes(std::span<const int64_t> a, std::span<const int64_t> b)
{
    const std::size_t rank = std::max(a.size(), b.size());
    Dims out(rank, 1);
    for (std::size_t i = 0; i < rank; ++i) {
        const int64_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
        const int64_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
        if (da == db || db == 1)
            out[i] = da;
        else if (da == 1)
            out[i] = db;
        else
            return fail("shapes " + dimsToString(a) + " and " + dimsToString(b)
                        + " cannot be broadcast together.");
    }
    return out;
}

Result<Dims> broadcastShapes(std::span<const Dims> shapes)
{
    Dims out;
    for (const Dims &s : shapes) {
        auto r = broadcastShapes(out, s);
        if (!r)
            return r;
        out = std::move(*r);
    }
    return out;
}

std::vector<int64_t> broadcastStrides(std::span<const int64_t> in, std::span<const int64_t> out)
{
    std::vector<int64_t> strides(out.size(), 0);
    int64_t s = 1;
    const std::size_t offset = out.size() - in.size();
    for (std::size_t i = in.size(); i-- > 0;) {
        strides[i + offset] = in[i] == 1 ? 0 : s;
        s *= in[i];
    }
    return strides;
}

std::vector<int64_t> stridesOf(std::span<const int64_t> dims)
{
    std::vector<int64_t> s(dims.size(), 1);
    for (std::size_t i = dims.size(); i-- > 1;)
        s[i - 1] = s[i] * dims[i];
    return s;
}

Result<int64_t> normalizeAxis(int64_t axis, int64_t rank)
{
    const int64_t lo = rank == 0 ? -1 : -rank;
    const int64_t hi = rank == 0 ? 0 : rank - 1;
    if (axis < lo || axis > hi)
        return fail("axis " + std::to_string(axis) + " is out of range for rank "
                    + std::to_string(rank) + ".");
    return axis < 0 ? axis + rank : axis;
}

std::vector<int64_t> readInts(const Tensor &t)
{
    return t.toInt64Vector();
}

} // namespace nnc::ops
