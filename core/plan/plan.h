// The compression plan: model-wide defaults plus per-layer and per-tensor overrides, and its
// versioned JSON form (docs/plan-format.md). A plan never edits the model; the evaluator and the
// exporters apply it.
#pragma once

#include "core/calib/calibrator.h"
#include "core/prune/pruner.h"
#include "core/quant/quantizer.h"
#include "core/stats/layers.h"
#include "core/util/error.h"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace nnc {

enum class Granularity { PerTensor, PerChannel };

/// Quantization settings of one tensor (a weight or an activation), fully resolved.
struct QuantConfig
{
    bool enabled = false;
    QuantSpec spec;
    Granularity granularity = Granularity::PerTensor;
    CalibConfig calibration;            ///< how rmin/rmax are chosen when no range is set
    std::optional<Range> range;         ///< manual or calibrated range (per tensor)
    bool operator==(const QuantConfig &) const = default;
};

struct PruneConfig
{
    PruneSpec spec;                     ///< ratio 0 = no pruning
    bool enabled() const { return spec.ratio > 0.0 || spec.structure == PruneStructure::NM; }
};

/// A partial QuantConfig: only the fields present override the defaults.
struct QuantOverride
{
    std::optional<bool> enabled;
    std::optional<int> bits;
    std::optional<IntRange> range;
    std::optional<bool> symmetric;
    std::optional<Granularity> granularity;
    std::optional<CalibConfig> calibration;
    std::optional<float> rmin, rmax;
    bool empty() const;
};

struct PruneOverride
{
    std::optional<double> ratio;
    std::optional<PruneStructure> structure;
    std::optional<bool> l2;
    std::optional<int> n, m;
    bool empty() const;
};

struct LayerOverride
{
    QuantOverride weights;
    PruneOverride pruning;
};

struct CompressionPlan
{
    std::string model;                  ///< model file name (informational)
    QuantConfig weightDefaults;         ///< enabled 8-bit signed restricted symmetric per-channel
    QuantConfig activationDefaults;     ///< enabled 8-bit unsigned asymmetric per-tensor
    PruneConfig pruneDefaults;
    std::map<std::string, LayerOverride> layers;       ///< by layer name
    std::map<std::string, QuantOverride> activations;  ///< by tensor name

    static CompressionPlan defaults();
    /// Effective settings after applying overrides.
    QuantConfig weightConfig(const std::string &layer) const;
    QuantConfig activationConfig(const std::string &tensor) const;
    PruneConfig pruneConfig(const std::string &layer) const;
    bool operator==(const CompressionPlan &) const;
};

QuantConfig applyOverride(QuantConfig base, const QuantOverride &o);

/// JSON text <-> plan. Parsing checks types and ranges and names the JSON path in errors
/// ("$.layers.conv1.weights.bits: 17 is outside 2 to 16.").
Result<CompressionPlan> parsePlan(const std::string &jsonText);
std::string planToJson(const CompressionPlan &plan);

/// Checks that every layer and tensor the plan names exists in the model.
Result<void> validatePlan(const CompressionPlan &plan, const std::vector<Layer> &layers,
                          const std::vector<std::string> &activationTensors);

Result<CompressionPlan> loadPlan(const std::filesystem::path &path);
/// Writes atomically (temporary file in the same folder, then rename).
Result<void> savePlan(const CompressionPlan &plan, const std::filesystem::path &path);

/// Activation tensors the plan can quantize: the data inputs of compressible layers (unique,
/// in layer order).
std::vector<std::string> activationTensors(const std::vector<Layer> &layers);

/// Estimated storage under a plan (guide's size rule), per layer and in total.
struct LayerSize
{
    std::string layer;
    int64_t floatBytes = 0;        ///< the weight as stored in the model
    int64_t compressedBytes = 0;
};
struct SizeEstimate
{
    int64_t floatBytes = 0;        ///< every parameter as stored
    int64_t compressedBytes = 0;
    std::vector<LayerSize> layers;
    double ratio() const { return compressedBytes ? double(floatBytes) / compressedBytes : 0.0; }
};
/// `sparsity[i]`: zero share of layer i's weight after pruning (from the compressed weights).
SizeEstimate estimateSize(const Model &model, const std::vector<Layer> &layers,
                          const CompressionPlan *plan, const std::vector<double> &sparsity = {});

} // namespace nnc
