// The single-kernel harness of tests/ops_quant and tests/ops_rnn: the shared one of
// tests/common/op_harness.h with their argument order.
#pragma once

#include "tests/common/error_text.h"
#include "tests/common/op_harness.h"

#include <string>
#include <vector>

namespace nnc::test {

/// Runs op `opType` (ai.onnx) at `opset` on `inputs` (nullptr = omitted optional input) and
/// returns its `numOutputs` outputs, or the kernel's (or the factory's) error.
/// `outputNames` (optional) names the node's outputs; "" marks an omitted optional output.
inline Result<std::vector<Tensor>> runOp(const std::string &opType, int64_t opset,
                                         std::vector<Attribute> attrs,
                                         std::vector<const Tensor *> inputs, int numOutputs = 1,
                                         std::vector<std::string> outputNames = {})
{
    return runOneNode(opType, std::move(attrs), std::move(inputs), opset,
                      static_cast<std::size_t>(numOutputs), outputNames);
}

} // namespace nnc::test
