// Reading ONNX files into the graph IR, and TensorProto (.pb) files into tensors.
// This and onnx_writer are the only places protobuf appears.
#pragma once

#include "core/model/graph.h"
#include "core/util/error.h"
#include "core/util/progress.h"

#include <filesystem>
#include <memory>

namespace nnc {

/// Reads a .onnx model: parses the ModelProto, resolves external data (memory-mapped, relative to
/// the model file), topologically sorts nodes, and checks names. Accepts IR 3..10, opsets 7..21
/// without relying on the installed ONNX checker. Errors name the file and the problem
/// (tensor/node where there is one). Cancellable between initializers.
Result<Model> readModel(const std::filesystem::path &path, const Progress &progress = {});
/// readModel, the result held in a shared_ptr (what Session, Evaluator and the workbenches take).
Result<std::shared_ptr<const Model>> readSharedModel(const std::filesystem::path &path,
                                                     const Progress &progress = {});

/// Reads one ONNX TensorProto file (ONNX test-data layout: input_0.pb ...). `name` receives the
/// tensor's stored name when not null.
Result<Tensor> readTensorFile(const std::filesystem::path &path, std::string *name = nullptr);

/// Writes a tensor as a TensorProto file (raw_data, little-endian), atomically (temp + rename).
Result<void> writeTensorFile(const std::filesystem::path &path, const Tensor &tensor,
                             const std::string &name);

} // namespace nnc
