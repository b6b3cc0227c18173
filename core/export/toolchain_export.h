// Exporting a plan's quantization parameters in the formats deployment toolchains read, and
// importing them back into a plan (docs/export-formats.md):
// - ort-overrides: ONNX Runtime's TensorQuantOverrides JSON (one dict per tensor, one per channel
//   for per-channel weights) plus a calibration table JSON with each activation's range;
// - aimet: AIMET quantization encodings, version 0.6.1 or 1.0.0;
// - trt-cache: a TensorRT calibration cache (activation scales of 8-bit symmetric tensors).
// The numbers are the evaluator's: weight scales from compressLayerWeight, activation scales from
// chooseParams on the plan's range. What a format cannot express is refused with an error naming
// the tensor (infinite or NaN ranges included); nothing is approximated silently. ORT and AIMET
// files are validated before they are returned: read back through the import below, they must
// give the same scales and grids.
#pragma once

#include "core/model/graph.h"
#include "core/plan/plan.h"
#include "core/util/error.h"

#include <filesystem>
#include <string>
#include <vector>

namespace nnc {

/// One file of an export: `suffix` is empty for the main file (written to the path given), else
/// what replaces the main path's extension for a companion file (".calibration.json").
struct ToolchainFile
{
    std::string suffix;
    std::string text;
};

struct ToolchainExport
{
    std::vector<ToolchainFile> files; ///< files[0] is the main file
    std::vector<std::string> notes;   ///< what the reader should know (nothing changes meaning)
};

/// ONNX Runtime TensorQuantOverrides (files[0]) and calibration table (files[1], suffix
/// ".calibration.json"). Each quantized weight (an initializer) gets {quant_type, scale,
/// zero_point} per tensor, or one such dict per channel with "axis" in the first; each quantized
/// activation {quant_type, scale, zero_point}; the calibration table holds the activations' rmin
/// and rmax as ORT's write_calibration_table writes them. Refused (Code::Unsupported): pruning,
/// activations of other than 8 or 16 bits or with a restricted range (ORT's QuantizeLinear
/// saturates to the whole type), weights held outside initializers, restricted-range weights
/// that the full type would store differently. Missing activation ranges: Code::Input, listed.
Result<ToolchainExport> exportOrtOverrides(const Model &model, const CompressionPlan &plan);

/// AIMET encodings, `version` "0.6.1" (objects keyed by tensor, bitwidth/is_symmetric/min/max/
/// offset/scale) or "1.0.0" (lists of {name, dtype, enc_type, bw, is_sym, scale[], offset[]}).
/// AIMET's integers are [0, 2^bw - 1] with real = scale * (q + offset), so offset = qmin - Z of
/// the full b-bit range. Refused: pruning, bit widths below 4, restricted-range activations,
/// restricted-range weights the full range would store differently; unknown versions (Usage).
Result<ToolchainExport> exportAimet(const Model &model, const CompressionPlan &plan,
                                    const std::string &version);

/// TensorRT calibration cache: "TRT-<trtVersion>-EntropyCalibration2", then "<tensor>: <hex>"
/// per quantized activation, hex being the float32 scale's bits as an 8-digit big-endian hex
/// number (scale = amax / 127). TensorRT computes weight scales itself (8-bit symmetric per
/// channel from the extremes), so the plan's weights must be exactly that, and its activations
/// 8-bit signed_restricted symmetric; anything else is refused, naming the layer or tensor.
Result<ToolchainExport> exportTrtCache(const Model &model, const CompressionPlan &plan,
                                       int trtVersion = 8601);

/// Writes every file atomically (main file at `path`, companions beside it); returns the paths
/// written. Nothing is written when any file's path equals `protect` (the input model).
Result<std::vector<std::filesystem::path>>
writeToolchainExport(const ToolchainExport &ex, const std::filesystem::path &path,
                     const std::filesystem::path &protect = {});

/// Companion path: `path` with its extension replaced by `suffix`.
std::filesystem::path companionPath(const std::filesystem::path &path, const std::string &suffix);

struct PlanImport
{
    CompressionPlan plan;
    std::string format;             ///< "ort-overrides", "aimet 0.6.1", "aimet 1.0.0"
    std::vector<std::string> notes; ///< entries ignored, scales recomputed within rounding
};

/// A plan from ONNX Runtime overrides: every layer and activation tensor of the model gets an
/// explicit override (quantized as the file says, or disabled when the file does not list it).
/// Activation ranges: from `calibrationJson` when given (exact), else the grid ends of the
/// file's scale and zero point (chosen so that chooseParams gives that scale and zero point back).
/// Weight bit widths are inferred from the scales where the type is wider (6-bit weights stored
/// as QInt8). Errors name the tensor and the JSON entry.
Result<PlanImport> importOrtOverrides(const Model &model, const std::string &overridesJson,
                                      const std::string *calibrationJson = nullptr);

/// A plan from AIMET encodings (0.6.1 or 1.0.0, detected from "version").
Result<PlanImport> importAimet(const Model &model, const std::string &encodingsJson);

/// Reads a file and imports it, detecting the format (AIMET has "version" and
/// "activation_encodings"); for ORT overrides the calibration table beside it
/// (companionPath(file, ".calibration.json")) is used when it exists.
Result<PlanImport> importPlanFile(const Model &model, const std::filesystem::path &file);

} // namespace nnc
