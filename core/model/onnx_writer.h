// Writing the graph IR back to an ONNX ModelProto file. With onnx_reader, the only place protobuf
// appears.
#pragma once

#include "core/model/graph.h"
#include "core/util/error.h"

#include <filesystem>
#include <string>

namespace nnc {

/// Serializes a model to ONNX bytes. Every tensor is written inline as raw_data (little-endian;
/// strings as string_data), including tensors the source file kept as external data. Nodes are
/// written in IR order (the reader's topological order). Errors: a model over protobuf's 2 GiB
/// limit, an attribute kind the IR does not keep (sparse tensors, type protos: the reader keeps
/// them as Undefined), and values the IR cannot describe, each naming the node or tensor.
Result<std::string> serializeModel(const Model &model);

/// serializeModel, written atomically (temporary file in the same folder, then rename): a
/// failure never leaves a half-written or truncated file at `path`.
Result<void> writeModel(const Model &model, const std::filesystem::path &path);

} // namespace nnc
