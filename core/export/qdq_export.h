// Exporting a model under a compression plan: QDQ ONNX (weights stored as integers behind
// DequantizeLinear, activations through QuantizeLinear -> DequantizeLinear) and the pruned float
// model. Both reproduce the evaluator's compressed model bit for bit when run in this engine
// (docs/export-formats.md). The input model is never modified; a new Model is returned.
#pragma once

#include "core/model/graph.h"
#include "core/plan/plan.h"
#include "core/util/error.h"

#include <string>
#include <vector>

namespace nnc {

struct ExportResult
{
    Model model;
    /// What the export changed beyond the plan (opset raised) or could not express exactly in
    /// the format's native types (e.g. 12-bit weights kept as float values on the 12-bit grid).
    std::vector<std::string> notes;
};

/// QDQ export. `plan` must hold a range for every enabled activation tensor (calibrate first:
/// Evaluator::calibrate); the missing ones are listed in the error. Weights of <= 8 bits are
/// stored as int8/uint8 with per-channel (axis) or per-tensor scale and zero point; wider ones as
/// int16/uint16 when the model's opset is >= 21, else as float values on the b-bit grid (noted).
/// Bit widths without an ONNX type (2..7, 9..15, restricted ranges) get a Clip after
/// DequantizeLinear that confines values to the b-bit grid exactly. The opset is raised to 11
/// (any QDQ; 10 would do, but ONNX Runtime's QDQ fusions add opset-11 ops) or 13 (per-channel
/// weights) only when every op of the model keeps its semantics (checked against the op table);
/// otherwise to 10 when that is safe, else the error (Code::Unsupported) names the ops.
/// Pruned weights are stored as exact zeros. Node and tensor names are kept: a quantized weight
/// keeps its name as DequantizeLinear's output; a quantized activation keeps its name as the
/// output of its DequantizeLinear (or Clip), the producer's output being renamed "<name>_float".
/// The plan's JSON is stored in metadata_props["nncompress.plan"].
Result<ExportResult> exportQdq(const Model &model, const CompressionPlan &plan);

/// Float export: each layer's weight pruned as planned (and, with `fakeQuantizeWeights`, also
/// fake-quantized to its planned grid, still stored as float). Activations are not quantized
/// (noted when the plan enables them). Metadata as exportQdq.
Result<ExportResult> exportPruned(const Model &model, const CompressionPlan &plan,
                                  bool fakeQuantizeWeights);

/// The plan whose preview the pruned export reproduces: activations off, weight quantization off
/// unless `fakeQuantizeWeights` (overrides included); pruning as planned.
CompressionPlan prunedPreviewPlan(CompressionPlan plan, bool fakeQuantizeWeights);

/// Activation tensors enabled in the plan that have no range yet (calibration needed).
std::vector<std::string> missingActivationRanges(const Model &model, const CompressionPlan &plan);

} // namespace nnc
