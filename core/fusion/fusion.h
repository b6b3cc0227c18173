// Network fusion: two task models that begin with the same structure become one model with one
// copy of the shared backbone feeding both heads. Finds the largest common backbone (the
// structurally identical prefix from the inputs), measures how far apart its weights are,
// counts what sharing saves, builds and validates the fused ONNX graph, and previews each
// head's accuracy on its own task's data against the separate model it replaces.
// Qt-free: the CLI (`nncompress fuse`) and the Studio's Fusion page call fuseModels().
#pragma once

#include "core/fusion/model_cost.h"
#include "core/model/graph.h"
#include "core/util/error.h"
#include "core/util/progress.h"

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace nnc {

/// Where the fused backbone's weights come from.
enum class BackboneSource { A, B, Mean };

/// "a", "b", "mean"; parseBackboneSource fails with a usage error naming the text.
std::string_view backboneSourceName(BackboneSource s);
Result<BackboneSource> parseBackboneSource(std::string_view text);

/// One matched floating-point weight (initializer) of the backbone.
struct WeightDistance
{
    std::string node; ///< the consuming node of model A (its name, or its label if unnamed)
    std::string opType;
    std::string weightA, weightB; ///< initializer names in A and B
    Dims shape;
    /// ||a - b|| / ||a|| (0 when equal; +inf when a = 0 and b != 0; NaN, as is the cosine,
    /// when a weight holds NaN or infinities)
    double relativeL2 = 0;
    double cosine = 1;      ///< a.b / (|a||b|); 1 when both are zero, 0 when only one is
    bool identical = false; ///< bit-identical
};

/// The common backbone: parallel lists of matched node indices (Constant nodes feeding matched
/// nodes included) and the value correspondence.
struct BackboneMatch
{
    std::vector<std::size_t> nodesA, nodesB;       ///< matched pairs, in A's order
    std::map<std::string, std::string> valueBtoA;  ///< B value -> A value (inputs, node outputs)
    std::map<std::string, std::string> weightBtoA; ///< B initializer -> A initializer
    std::vector<WeightDistance> weights;           ///< one per matched float initializer pair
    int64_t computeNodes = 0;                      ///< matched nodes other than Constant
    std::vector<std::string> headInputsA, headInputsB; ///< backbone values the heads read
};

/// Matches A against B from the inputs (see docs/fusion-distillation.md for the rule). Errors:
/// different data inputs (names, types, shapes), different opsets, or no common node.
Result<BackboneMatch> matchBackbone(const Model &a, const Model &b);

struct FusedModel
{
    std::shared_ptr<Model> model;
    /// B's graph outputs: original name -> name in the fused model (equal unless A has an
    /// output of the same name).
    std::map<std::string, std::string> outputsB;
    /// Every B head value/initializer/node name that had to be renamed (old -> new), and A
    /// internal values renamed to free a B output name.
    std::map<std::string, std::string> renamedB, renamedA;
};

/// Builds the fused model: A's graph with the backbone weights taken from `source`, then B's
/// head reading the shared backbone. Checks it builds an engine Session. Does not write it.
Result<FusedModel> buildFusedModel(const Model &a, const Model &b, const BackboneMatch &match,
                                   BackboneSource source);

/// One head's accuracy in the fused model against the separate model it replaces.
struct HeadPreview
{
    std::string model;       ///< "A" or "B"
    std::string output;      ///< output name in the separate model
    std::string fusedOutput; ///< its name in the fused model
    std::string metric;
    int64_t samples = 0;
    double separate = 0;  ///< 0..1
    double fused = 0;     ///< 0..1
    double deltaPp = 0;   ///< (fused - separate) * 100
    double agreement = 1; ///< share of positions (labelled ones for sequences) with equal arg-max
};

/// Evaluates `separate`'s labelled outputs and the fused model's corresponding outputs on the
/// dataset description `data` (written for `separate`). `outputNames` maps separate -> fused
/// names (missing entries: same name).
Result<std::vector<HeadPreview>>
previewHeads(std::shared_ptr<const Model> separate, std::shared_ptr<const Model> fused,
             const std::filesystem::path &data,
             const std::map<std::string, std::string> &outputNames, const std::string &label,
             int64_t batchSize, int64_t limit, int threads, const Progress &progress = {});

struct FusionRequest
{
    std::filesystem::path modelA, modelB;
    BackboneSource backbone = BackboneSource::A;
    std::optional<std::filesystem::path> out;          ///< write the fused model here (atomically)
    std::optional<std::filesystem::path> dataA, dataB; ///< preview each side's heads
    CostOptions cost;
    int64_t batchSize = 64;
    int64_t limit = -1;
    int threads = 0;
};

struct FusionReport
{
    std::string modelA, modelB;
    BackboneSource backbone = BackboneSource::A;
    int64_t nodesA = 0, nodesB = 0, nodesFused = 0;
    int64_t backboneNodes = 0;        ///< matched nodes, Constant nodes included
    int64_t backboneComputeNodes = 0; ///< matched nodes other than Constant
    std::vector<std::string> headInputsA, headInputsB;
    std::vector<WeightDistance> weights;
    CostOptions costOptions;
    ModelCost costA, costB, costFused;
    std::map<std::string, std::string> outputsB, renamedB, renamedA;
    std::vector<HeadPreview> heads;
    std::shared_ptr<const Model> fused;
    std::optional<std::filesystem::path> written;
};

/// The whole workbench: read both models, match, build, validate, count, preview, write.
/// Progress counts the preview batches of A's data, then of B's (each pass from 0 to its own
/// total); cancelling stops at the next batch and writes nothing. An `out` that is one of the
/// models or data files is refused before anything is read (Code::Usage). Errors name the file
/// and the problem.
Result<FusionReport> fuseModels(const FusionRequest &request, const Progress &progress = {});

} // namespace nnc
