// The NumPy .npy header (format versions 1.0, 2.0 and 3.0): magic, version, header length and the
// Python-literal dict with descr, fortran_order and shape. Internal to core/data.
#pragma once

#include "core/data/byte_source.h"
#include "core/model/tensor.h"

#include <string>
#include <string_view>

namespace nnc::data {

struct NpyHeader
{
    DataType dtype = DataType::Undefined;
    bool bigEndian = false;     ///< '>' byte order (swapped when read)
    Dims shape;
    uint64_t dataOffset = 0;    ///< first data byte, from the start of the stream
    std::string descr;          ///< as written: "<f4", "|b1" ...
};

/// Reads and checks the header at the start of `src`. `array` names the array in messages.
/// Rejects fortran_order True, structured/object/string/complex dtypes and bad literals, naming
/// the stream and the byte offset.
Result<NpyHeader> readNpyHeader(ByteSource &src, std::string_view array);

/// The DataType and byte order of a numpy descr string ("<f4", ">i8", "|u1", "?"), or an error
/// sentence fragment when unsupported.
Result<std::pair<DataType, bool>> npyDescrToDtype(std::string_view descr);

/// Byte-swaps `count` elements of `elemSize` bytes in place (big-endian data).
void swapBytes(std::span<std::byte> data, std::size_t elemSize);

} // namespace nnc::data
