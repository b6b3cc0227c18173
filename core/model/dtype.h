// Element types, numbered as ONNX TensorProto.DataType so the reader can map them directly.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace nnc {

enum class DataType : int32_t {
    Undefined = 0,
    Float = 1,
    UInt8 = 2,
    Int8 = 3,
    UInt16 = 4,
    Int16 = 5,
    Int32 = 6,
    Int64 = 7,
    String = 8,
    Bool = 9,
    Float16 = 10,
    Double = 11,
    UInt32 = 12,
    UInt64 = 13,
    BFloat16 = 16,
};

/// Bytes per element; 0 for String and Undefined.
std::size_t dtypeSize(DataType t);
/// Lower-case ONNX-like name: "float", "int64", "bfloat16", "string" ...
std::string_view dtypeName(DataType t);
/// The enum for an ONNX TensorProto.DataType number, or nullopt if this project does not know it
/// (complex, float8, int4 ...).
std::optional<DataType> dtypeFromOnnx(int32_t onnxType);
bool isFloatingPoint(DataType t);
bool isInteger(DataType t);

/// C++ type to DataType mapping for templated kernels.
template<class T> constexpr DataType dtypeOf();
template<> constexpr DataType dtypeOf<float>() { return DataType::Float; }
template<> constexpr DataType dtypeOf<double>() { return DataType::Double; }
template<> constexpr DataType dtypeOf<uint8_t>() { return DataType::UInt8; }
template<> constexpr DataType dtypeOf<int8_t>() { return DataType::Int8; }
template<> constexpr DataType dtypeOf<uint16_t>() { return DataType::UInt16; }
template<> constexpr DataType dtypeOf<int16_t>() { return DataType::Int16; }
template<> constexpr DataType dtypeOf<int32_t>() { return DataType::Int32; }
template<> constexpr DataType dtypeOf<int64_t>() { return DataType::Int64; }
template<> constexpr DataType dtypeOf<uint32_t>() { return DataType::UInt32; }
template<> constexpr DataType dtypeOf<uint64_t>() { return DataType::UInt64; }
template<> constexpr DataType dtypeOf<bool>() { return DataType::Bool; }

/// IEEE half and bfloat16 conversions (round to nearest even on narrowing).
float halfToFloat(uint16_t h);
uint16_t floatToHalf(float f);
float bfloat16ToFloat(uint16_t b);
uint16_t floatToBfloat16(float f);

} // namespace nnc
