// Internal to the shape op family (core/ops/shape_*.cpp): dtype-agnostic element access so
// data-movement kernels copy any dtype by its element size (strings by value), a strided copy
// used by Slice/Expand/Tile/Transpose, and the factories the family's op table lists.
#pragma once

#include "core/ops/kernel.h"
#include "core/ops/op_util.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

namespace nnc::shape {

/// Element storage of a tensor seen as T (an unsigned integer of the element size, or
/// std::string for String tensors).
template<class T>
const T *elems(const Tensor &t)
{
    if constexpr (std::is_same_v<T, std::string>)
        return t.strings().data();
    else
        return t.data<T>();
}

template<class T>
T *mutableElems(Tensor &t)
{
    if constexpr (std::is_same_v<T, std::string>)
        return t.mutableStrings().data();
    else
        return t.mutableData<T>();
}

/// Calls f(std::type_identity<T>{}) with T the storage type of `dt`: uint8/16/32/64_t by element
/// size, std::string for strings. Data movement never needs the real type.
template<class F>
decltype(auto) visitStorage(DataType dt, F &&f)
{
    if (dt == DataType::String)
        return f(std::type_identity<std::string>{});
    switch (dtypeSize(dt)) {
    case 1: return f(std::type_identity<uint8_t>{});
    case 2: return f(std::type_identity<uint16_t>{});
    case 4: return f(std::type_identity<uint32_t>{});
    default: return f(std::type_identity<uint64_t>{});
    }
}

/// Copies n contiguous elements (memcpy for plain data).
template<class T>
inline void copyRun(const T *src, T *dst, int64_t n)
{
    if constexpr (std::is_trivially_copyable_v<T>) {
        if (n > 0)
            std::memcpy(dst, src, static_cast<std::size_t>(n) * sizeof(T));
    } else {
        std::copy(src, src + n, dst);
    }
}

/// Writes the output of shape `outDims` in row-major order, element at output index (i0..ik)
/// taken from src[base + sum(i_a * inStrides[a])]. Strides may be zero (broadcast) or negative
/// (reversed slices). The innermost axis is copied with memcpy when its stride is 1.
template<class T>
void stridedCopy(const T *src, int64_t base, std::span<const int64_t> outDims,
                 std::span<const int64_t> inStrides, T *dst)
{
    const int64_t total = numElements(outDims);
    if (total == 0)
        return;
    const std::size_t rank = outDims.size();
    if (rank == 0) {
        dst[0] = src[base];
        return;
    }
    const int64_t inner = outDims[rank - 1];
    const int64_t innerStride = inStrides[rank - 1];
    const int64_t rows = total / inner;
    auto rowOffset = [&](int64_t row) {
        int64_t off = base;
        for (std::size_t d = rank - 1; d-- > 0;) {
            const int64_t q = row / outDims[d];
            off += (row - q * outDims[d]) * inStrides[d];
            row = q;
        }
        return off;
    };
    auto doRow = [&](int64_t row) {
        const T *s = src + rowOffset(row);
        T *o = dst + row * inner;
        if (innerStride == 1) {
            copyRun(s, o, inner);
        } else if (innerStride == 0) {
            std::fill(o, o + inner, s[0]);
        } else {
            for (int64_t k = 0; k < inner; ++k)
                o[k] = s[k * innerStride];
        }
    };
    if (total >= (int64_t{1} << 16) && rows > 1) {
#pragma omp parallel for schedule(static)
        for (int64_t row = 0; row < rows; ++row)
            doRow(row);
    } else {
        for (int64_t row = 0; row < rows; ++row)
            doRow(row);
    }
}

/// Transposes `in` by `perm` (output axis i is input axis perm[i]); perm must be a valid
/// permutation of [0, rank). Merges axes that stay adjacent and uses a blocked 2-D transpose
/// for patterns such as NCHW <-> NHWC. Returns the input itself when nothing moves.
Tensor transposeTensor(const Tensor &in, std::span<const int64_t> perm);

/// ops::normalizeAxis for ops that address an axis: a scalar (rank 0) has none, so every axis is
/// out of range there (ops::normalizeAxis accepts 0 and -1 for scalars).
inline Result<int64_t> normalizeAxis(int64_t axis, int64_t rank)
{
    if (rank < 1)
        return fail("axis " + std::to_string(axis) + " is out of range for rank 0.");
    return ops::normalizeAxis(axis, rank);
}

/// An error when a computed output shape is negative or too large to allocate (more than 2^40
/// elements, which also keeps the element count from overflowing int64).
Result<void> checkOutputShape(std::span<const int64_t> dims, std::string_view op);

/// The input at index i, or an error naming the op and the input when it is missing.
Result<const Tensor *> requireInput(const KernelContext &ctx, std::size_t i, std::string_view op,
                                    std::string_view what);

/// Reads a 1-D (or scalar) integer tensor of int32/int64 values, or an error naming it.
Result<std::vector<int64_t>> readIndexList(const Tensor &t, std::string_view op,
                                           std::string_view what);

// Factories, one per op (opset-dependent semantics are read from info.opset).
Result<std::unique_ptr<Kernel>> makeReshape(const KernelBuildInfo &info);
Result<std::unique_ptr<Kernel>> makeFlatten(const KernelBuildInfo &info);
Result<std::unique_ptr<Kernel>> makeSqueeze(const KernelBuildInfo &info);
Result<std::unique_ptr<Kernel>> makeUnsqueeze(const KernelBuildInfo &info);
Result<std::unique_ptr<Kernel>> makeShape(const KernelBuildInfo &info);
Result<std::unique_ptr<Kernel>> makeSize(const KernelBuildInfo &info);
Result<std::unique_ptr<Kernel>> makeConstant(const KernelBuildInfo &info);
Result<std::unique_ptr<Kernel>> makeConstantOfShape(const KernelBuildInfo &info);
Result<std::unique_ptr<Kernel>> makeIdentity(const KernelBuildInfo &info);
Result<std::unique_ptr<Kernel>> makeDropout(const KernelBuildInfo &info);
Result<std::unique_ptr<Kernel>> makeRange(const KernelBuildInfo &info);
Result<std::unique_ptr<Kernel>> makeNonZero(const KernelBuildInfo &info);
Result<std::unique_ptr<Kernel>> makeOneHot(const KernelBuildInfo &info);
Result<std::unique_ptr<Kernel>> makeTrilu(const KernelBuildInfo &info);
Result<std::unique_ptr<Kernel>> makeEyeLike(const KernelBuildInfo &info);

Result<std::unique_ptr<Kernel>> makeTranspose(const KernelBuildInfo &info);
Result<std::unique_ptr<Kernel>> makeConcat(const KernelBuildInfo &info);
Result<std::unique_ptr<Kernel>> makeSplit(const KernelBuildInfo &info);
Result<std::unique_ptr<Kernel>> makeSlice(const KernelBuildInfo &info);
Result<std::unique_ptr<Kernel>> makeExpand(const KernelBuildInfo &info);
Result<std::unique_ptr<Kernel>> makeTile(const KernelBuildInfo &info);
Result<std::unique_ptr<Kernel>> makePad(const KernelBuildInfo &info);
Result<std::unique_ptr<Kernel>> makeDepthToSpace(const KernelBuildInfo &info);
Result<std::unique_ptr<Kernel>> makeSpaceToDepth(const KernelBuildInfo &info);

Result<std::unique_ptr<Kernel>> makeGather(const KernelBuildInfo &info);
Result<std::unique_ptr<Kernel>> makeGatherElements(const KernelBuildInfo &info);
Result<std::unique_ptr<Kernel>> makeGatherND(const KernelBuildInfo &info);
Result<std::unique_ptr<Kernel>> makeScatterElements(const KernelBuildInfo &info);
Result<std::unique_ptr<Kernel>> makeScatterND(const KernelBuildInfo &info);
Result<std::unique_ptr<Kernel>> makeCompress(const KernelBuildInfo &info);
Result<std::unique_ptr<Kernel>> makeReverseSequence(const KernelBuildInfo &info);

Result<std::unique_ptr<Kernel>> makeResize(const KernelBuildInfo &info);
Result<std::unique_ptr<Kernel>> makeUpsample(const KernelBuildInfo &info);

} // namespace nnc::shape
