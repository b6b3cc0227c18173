// Tensor storage, views and conversions.
#include "core/model/tensor.h"

#include <cstring>
#include <sstream>

namespace nnc {

int64_t numElements(std::span<const int64_t> dims)
{
    int64_t n = 1;
    for (int64_t d : dims)
        n *= d;
    return n;
}

std::string dimsToString(std::span<const int64_t> dims)
{
    std::ostringstream os;
    os << '[';
    for (std::size_t i = 0; i < dims.size(); ++i)
        os << (i ? ", " : "") << dims[i];
    os << ']';
    return os.str();
}

Tensor::Tensor(DataType dtype, Dims dims)
    : m_dtype(dtype), m_dims(std::move(dims)), m_numel(numElements(m_dims))
{
    if (dtype == DataType::String) {
        m_strings = std::make_shared<std::vector<std::string>>(static_cast<std::size_t>(m_numel));
        return;
    }
    const std::size_t n = byteSize();
    // 64-byte aligned, zero-filled storage so Eigen maps and SIMD loads are aligned.
    auto *raw = static_cast<std::byte *>(::operator new[](n ? n : 1, std::align_val_t{64}));
    std::memset(raw, 0, n);
    m_owner = std::shared_ptr<void>(raw, [](void *p) { ::operator delete[](p, std::align_val_t{64}); });
    m_data = raw;
    m_ownsWritable = true;
}

Tensor Tensor::view(DataType dtype, Dims dims, std::shared_ptr<const void> owner,
                    const std::byte *data)
{
    Tensor t;
    t.m_dtype = dtype;
    t.m_dims = std::move(dims);
    t.m_numel = numElements(t.m_dims);
    t.m_owner = std::move(owner);
    t.m_data = data;
    t.m_ownsWritable = false;
    return t;
}

std::span<std::byte> Tensor::mutableBytes()
{
    if (!m_ownsWritable || m_owner.use_count() > 1) {
        // Copy on write: never modify a mapped file or a buffer another tensor shares.
        Tensor copy(m_dtype, m_dims);
        std::memcpy(const_cast<std::byte *>(copy.m_data), m_data, byteSize());
        m_owner = std::move(copy.m_owner);
        m_data = copy.m_data;
        m_ownsWritable = true;
    }
    return {const_cast<std::byte *>(m_data), byteSize()};
}

std::vector<std::string> &Tensor::mutableStrings()
{
    if (!m_strings)
        m_strings = std::make_shared<std::vector<std::string>>();
    else if (m_strings.use_count() > 1)
        m_strings = std::make_shared<std::vector<std::string>>(*m_strings);
    return *m_strings;
}

Tensor Tensor::reshaped(Dims dims) const
{
    Tensor t = *this;
    t.m_dims = std::move(dims);
    return t;
}

double Tensor::valueAsDouble(int64_t i) const
{
    switch (m_dtype) {
    case DataType::Float: return data<float>()[i];
    case DataType::Double: return data<double>()[i];
    case DataType::UInt8: return data<uint8_t>()[i];
    case DataType::Int8: return data<int8_t>()[i];
    case DataType::UInt16: return data<uint16_t>()[i];
    case DataType::Int16: return data<int16_t>()[i];
    case DataType::Int32: return data<int32_t>()[i];
    case DataType::Int64: return static_cast<double>(data<int64_t>()[i]);
    case DataType::UInt32: return data<uint32_t>()[i];
    case DataType::UInt64: return static_cast<double>(data<uint64_t>()[i]);
    case DataType::Bool: return data<uint8_t>()[i] ? 1.0 : 0.0;
    case DataType::Float16: return halfToFloat(data<uint16_t>()[i]);
    case DataType::BFloat16: return bfloat16ToFloat(data<uint16_t>()[i]);
    default: return 0.0;
    }
}

std::vector<float> Tensor::toFloatVector() const
{
    std::vector<float> out(static_cast<std::size_t>(m_numel));
    if (m_dtype == DataType::Float) {
        if (m_numel > 0)
            std::memcpy(out.data(), m_data, byteSize());
        return out;
    }
    for (int64_t i = 0; i < m_numel; ++i)
        out[static_cast<std::size_t>(i)] = static_cast<float>(valueAsDouble(i));
    return out;
}

std::vector<int64_t> Tensor::toInt64Vector() const
{
    std::vector<int64_t> out(static_cast<std::size_t>(m_numel));
    for (int64_t i = 0; i < m_numel; ++i) {
        if (m_dtype == DataType::Int64)
            out[static_cast<std::size_t>(i)] = data<int64_t>()[i];
        else if (m_dtype == DataType::UInt64)
            out[static_cast<std::size_t>(i)] = static_cast<int64_t>(data<uint64_t>()[i]);
        else
            out[static_cast<std::size_t>(i)] = static_cast<int64_t>(valueAsDouble(i));
    }
    return out;
}

namespace {

template<class To>
void castLoop(const Tensor &src, To *dst)
{
    const int64_t n = src.numel();
    switch (src.dtype()) {
    case DataType::Float: for (int64_t i = 0; i < n; ++i) dst[i] = static_cast<To>(src.data<float>()[i]); break;
    case DataType::Double: for (int64_t i = 0; i < n; ++i) dst[i] = static_cast<To>(src.data<double>()[i]); break;
    case DataType::Int64: for (int64_t i = 0; i < n; ++i) dst[i] = static_cast<To>(src.data<int64_t>()[i]); break;
    case DataType::Int32: for (int64_t i = 0; i < n; ++i) dst[i] = static_cast<To>(src.data<int32_t>()[i]); break;
    case DataType::UInt64: for (int64_t i = 0; i < n; ++i) dst[i] = static_cast<To>(src.data<uint64_t>()[i]); break;
    default: for (int64_t i = 0; i < n; ++i) dst[i] = static_cast<To>(src.valueAsDouble(i)); break;
    }
}

} // namespace

Tensor Tensor::castTo(DataType to) const
{
    if (to == m_dtype)
        return *this;
    Tensor out(to, m_dims);
    const int64_t n = m_numel;
    switch (to) {
    case DataType::Float: castLoop(*this, out.mutableData<float>()); break;
    case DataType::Double: castLoop(*this, out.mutableData<double>()); break;
    case DataType::UInt8: castLoop(*this, out.mutableData<uint8_t>()); break;
    case DataType::Int8: castLoop(*this, out.mutableData<int8_t>()); break;
    case DataType::UInt16: castLoop(*this, out.mutableData<uint16_t>()); break;
    case DataType::Int16: castLoop(*this, out.mutableData<int16_t>()); break;
    case DataType::Int32: castLoop(*this, out.mutableData<int32_t>()); break;
    case DataType::Int64: castLoop(*this, out.mutableData<int64_t>()); break;
    case DataType::UInt32: castLoop(*this, out.mutableData<uint32_t>()); break;
    case DataType::UInt64: castLoop(*this, out.mutableData<uint64_t>()); break;
    case DataType::Bool: {
        auto *d = out.mutableData<uint8_t>();
        for (int64_t i = 0; i < n; ++i)
            d[i] = valueAsDouble(i) != 0.0 ? 1 : 0;
        break;
    }
    case DataType::Float16: {
        auto *d = out.mutableData<uint16_t>();
        for (int64_t i = 0; i < n; ++i)
            d[i] = floatToHalf(static_cast<float>(valueAsDouble(i)));
        break;
    }
    case DataType::BFloat16: {
        auto *d = out.mutableData<uint16_t>();
        for (int64_t i = 0; i < n; ++i)
            d[i] = floatToBfloat16(static_cast<float>(valueAsDouble(i)));
        break;
    }
    default: break;
    }
    return out;
}

} // namespace nnc
