// Element type names, sizes and the float16/bfloat16 conversions.
#include "core/model/dtype.h"

#include <bit>
#include <cmath>
#include <cstring>

namespace nnc {

std::size_t dtypeSize(DataType t)
{
    switch (t) {
    case DataType::Float: case DataType::Int32: case DataType::UInt32: return 4;
    case DataType::Double: case DataType::Int64: case DataType::UInt64: return 8;
    case DataType::UInt8: case DataType::Int8: case DataType::Bool: return 1;
    case DataType::UInt16: case DataType::Int16: case DataType::Float16: case DataType::BFloat16:
        return 2;
    case DataType::String: case DataType::Undefined: return 0;
    }
    return 0;
}

std::string_view dtypeName(DataType t)
{
    switch (t) {
    case DataType::Undefined: return "undefined";
    case DataType::Float: return "float";
    case DataType::UInt8: return "uint8";
    case DataType::Int8: return "int8";
    case DataType::UInt16: return "uint16";
    case DataType::Int16: return "int16";
    case DataType::Int32: return "int32";
    case DataType::Int64: return "int64";
    case DataType::String: return "string";
    case DataType::Bool: return "bool";
    case DataType::Float16: return "float16";
    case DataType::Double: return "double";
    case DataType::UInt32: return "uint32";
    case DataType::UInt64: return "uint64";
    case DataType::BFloat16: return "bfloat16";
    }
    return "undefined";
}

std::optional<DataType> dtypeFromOnnx(int32_t v)
{
    switch (v) {
    case 1: case 2: case 3: case 4: case 5: case 6: case 7: case 8: case 9: case 10: case 11:
    case 12: case 13: case 16:
        return static_cast<DataType>(v);
    default: return std::nullopt;
    }
}

bool isFloatingPoint(DataType t)
{
    return t == DataType::Float || t == DataType::Double || t == DataType::Float16
           || t == DataType::BFloat16;
}

bool isInteger(DataType t)
{
    switch (t) {
    case DataType::UInt8: case DataType::Int8: case DataType::UInt16: case DataType::Int16:
    case DataType::Int32: case DataType::Int64: case DataType::UInt32: case DataType::UInt64:
        return true;
    default: return false;
    }
}

float halfToFloat(uint16_t h)
{
    const uint32_t sign = (h & 0x8000u) << 16;
    const uint32_t exp = (h >> 10) & 0x1f;
    const uint32_t mant = h & 0x3ff;
    uint32_t bits;
    if (exp == 0) {
        if (mant == 0) {
            bits = sign;
        } else { // subnormal: value = mant * 2^-24
            const float v = std::ldexp(static_cast<float>(mant), -24);
            return sign ? -v : v;
        }
    } else if (exp == 31) {
        bits = sign | 0x7f800000u | (mant << 13);
    } else {
        bits = sign | ((exp + 112) << 23) | (mant << 13);
    }
    return std::bit_cast<float>(bits);
}

uint16_t floatToHalf(float f)
{
    const uint32_t x = std::bit_cast<uint32_t>(f);
    const uint32_t sign = (x >> 16) & 0x8000u;
    const uint32_t absx = x & 0x7fffffffu;
    if (absx >= 0x7f800000u) // Inf or NaN
        return static_cast<uint16_t>(sign | 0x7c00u | (absx > 0x7f800000u ? 0x200u : 0u));
    if (absx >= 0x477ff000u) // rounds to >= 65520: overflow to Inf
        return static_cast<uint16_t>(sign | 0x7c00u);
    if (absx < 0x38800000u) { // below the smallest normal half: subnormal or zero
        const float a = std::bit_cast<float>(absx);
        const float scaled = std::nearbyint(a * 16777216.0f); // 2^24, round half to even
        return static_cast<uint16_t>(sign | static_cast<uint32_t>(scaled));
    }
    // normal: round mantissa from 23 to 10 bits, half to even
    const uint32_t lsb = (absx >> 13) & 1u;
    const uint32_t rounded = absx + 0xfffu + lsb;
    return static_cast<uint16_t>(sign | (((rounded >> 13) - (112u << 10)) & 0x7fffu));
}

float bfloat16ToFloat(uint16_t b)
{
    return std::bit_cast<float>(static_cast<uint32_t>(b) << 16);
}

uint16_t floatToBfloat16(float f)
{
    const uint32_t x = std::bit_cast<uint32_t>(f);
    if ((x & 0x7fffffffu) > 0x7f800000u)
        return static_cast<uint16_t>((x >> 16) | 0x40u); // quiet NaN
    const uint32_t lsb = (x >> 16) & 1u;
    return static_cast<uint16_t>((x + 0x7fffu + lsb) >> 16);
}

} // namespace nnc
