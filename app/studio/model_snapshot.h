// What the Studio's worker threads produce for the GUI: a loaded model with its layer list and
// summary, and the statistics of one layer's weight. Plain values: built on a worker, then only
// read on the GUI thread.
#pragma once

#include "core/model/graph.h"
#include "core/stats/histogram.h"
#include "core/stats/layers.h"
#include "core/stats/summary.h"
#include "core/util/error.h"
#include "core/util/progress.h"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace nnc::studio {

/// What the status bar shows about a model.
struct ModelOverview
{
    int64_t irVersion = 0;
    std::string opsets;          ///< "ai.onnx 13, com.microsoft 1"
    std::string producer;        ///< "pytorch 2.1" or empty
    ModelSummary counts;         ///< nodes and parameters, subgraphs included
    int64_t floatBytes = 0;      ///< every parameter as float32 (4 bytes each)
};

struct ModelSnapshot
{
    std::shared_ptr<const Model> model;
    std::vector<Layer> layers;
    ModelOverview overview;
};

/// Reads the model at `path` and lists its layers. Errors are the reader's, unchanged.
Result<ModelSnapshot> loadModelSnapshot(const std::filesystem::path &path, const Progress &progress);

/// The overview of a model (see ModelOverview).
ModelOverview overview(const Model &model);

struct LayerDetail
{
    Layer layer;
    WeightStats stats;
    Histogram histogram;
};

/// Histogram bins for `count` values when the user picks "Auto": the Rice rule 2·∛n, kept within
/// [16, 256] so small layers still show a shape and huge ones stay readable.
int autoBinCount(int64_t count);

/// Statistics and a histogram (over the finite range) of one layer's float weight; `bins` <= 0
/// means autoBinCount(number of elements).
Result<LayerDetail> computeLayerDetail(const Model &model, const Layer &layer, int bins);

} // namespace nnc::studio
