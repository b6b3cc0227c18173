// The one dispatch point: which kernel implements (domain, op, opset).
#pragma once

#include "core/ops/kernel.h"

#include <span>
#include <string_view>

namespace nnc {

/// The kernel entry for an op at the given opset of its domain, or nullptr if unsupported.
/// `domain` "" and "ai.onnx" are the same.
const OpEntry *findKernel(std::string_view domain, std::string_view opType, int64_t opset);

/// Every entry, for listing supported ops (`nncompress ops`, docs).
std::span<const OpEntry> allKernels();

// Each op family file contributes one span of entries; op_table.cpp joins them.
std::span<const OpEntry> elementwiseOps();
std::span<const OpEntry> reductionOps();
std::span<const OpEntry> shapeOps();
std::span<const OpEntry> nnOps();
std::span<const OpEntry> quantOps();
std::span<const OpEntry> rnnOps();
std::span<const OpEntry> controlFlowOps();

} // namespace nnc
