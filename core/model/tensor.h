// Tensor: an n-dimensional array. Layout is stated once here: row-major (C order), ONNX dims
// order (NCHW for images), int64_t dims. A Tensor shares its buffer on copy (cheap to pass);
// kernels always write into freshly allocated outputs, so sharing is never observed.
#pragma once

#include "core/model/dtype.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace nnc {

using Dims = std::vector<int64_t>;

/// Number of elements of a shape (1 for a scalar, 0 if any dim is 0).
int64_t numElements(std::span<const int64_t> dims);
/// "[1, 3, 224, 224]"
std::string dimsToString(std::span<const int64_t> dims);

class Tensor
{
public:
    Tensor() = default;
    /// Allocates a zero-filled tensor (strings: empty strings).
    Tensor(DataType dtype, Dims dims);
    /// A tensor over memory owned elsewhere (e.g. a memory-mapped file); `owner` keeps it alive.
    /// The data must stay unmodified; mutableBytes() on such a tensor copies first.
    static Tensor view(DataType dtype, Dims dims, std::shared_ptr<const void> owner,
                       const std::byte *data);
    /// A tensor holding a copy of `values`.
    template<class T>
    static Tensor fromVector(Dims dims, const std::vector<T> &values);

    bool empty() const { return m_dtype == DataType::Undefined; }
    DataType dtype() const { return m_dtype; }
    const Dims &dims() const { return m_dims; }
    int64_t rank() const { return static_cast<int64_t>(m_dims.size()); }
    int64_t dim(int64_t i) const { return m_dims[static_cast<std::size_t>(i)]; }
    int64_t numel() const { return m_numel; }
    std::size_t byteSize() const { return static_cast<std::size_t>(m_numel) * dtypeSize(m_dtype); }

    /// Raw element bytes (not valid for String tensors).
    std::span<const std::byte> bytes() const { return {m_data, byteSize()}; }
    std::span<std::byte> mutableBytes();

    template<class T> const T *data() const { return reinterpret_cast<const T *>(m_data); }
    template<class T> T *mutableData() { return reinterpret_cast<T *>(mutableBytes().data()); }
    template<class T> std::span<const T> span() const { return {data<T>(), static_cast<std::size_t>(m_numel)}; }
    template<class T> std::span<T> mutableSpan() { return {mutableData<T>(), static_cast<std::size_t>(m_numel)}; }

    std::span<const std::string> strings() const { return *m_strings; }
    std::vector<std::string> &mutableStrings();

    /// Same data, new dims with the same element count (no copy).
    Tensor reshaped(Dims dims) const;
    /// Element i converted to double (any numeric or bool dtype; float16/bfloat16 decoded).
    double valueAsDouble(int64_t i) const;
    /// All elements converted to float (numeric or bool dtypes).
    std::vector<float> toFloatVector() const;
    /// All elements converted to int64 (integer, bool or floating dtypes, truncating).
    std::vector<int64_t> toInt64Vector() const;
    /// Converts to another dtype (ONNX Cast semantics for numeric/bool types).
    Tensor castTo(DataType to) const;

private:
    DataType m_dtype = DataType::Undefined;
    Dims m_dims;
    int64_t m_numel = 0;
    std::shared_ptr<const void> m_owner;
    const std::byte *m_data = nullptr;
    bool m_ownsWritable = false;
    std::shared_ptr<std::vector<std::string>> m_strings;
};

template<class T>
Tensor Tensor::fromVector(Dims dims, const std::vector<T> &values)
{
    Tensor t(dtypeOf<T>(), std::move(dims));
    auto out = t.mutableSpan<T>();
    for (std::size_t i = 0; i < out.size() && i < values.size(); ++i)
        out[i] = values[i];
    return t;
}

} // namespace nnc
