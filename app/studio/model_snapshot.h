// What the Studio's worker threads produce for the GUI: a loaded model with its layer list and
// summary, and the statistics of one layer's weight. Plain values: built on a worker, then only
// read on the GUI thread.
#pragma once

#include "core/model/graph.h"
#include "core/stats/histogram.h"
#include "core/stats/layers.h"
#include "core/util/error.h"
#include "core/util/progress.h"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace nnc::studio {

struct ModelSummary
{
    int64_t irVersion = 0;
    std::string opsets;          ///< "ai.onnx 13, com.microsoft 1"
    std::string producer;        ///< "pytorch 2.1" or empty
    int64_t nodes = 0;           ///< including nodes inside subgraphs
    int64_t parameters = 0;      ///< elements of all initializers and Constant node tensors
    int64_t floatBytes = 0;      ///< parameters stored as float32
};

struct ModelSnapshot
{
    std::shared_ptr<const Model> model;
    std::vector<Layer> layers;
    ModelSummary summary;
};

/// Reads the model at `path` and lists its layers. Errors are the reader's, unchanged.
Result<ModelSnapshot> loadModelSnapshot(const std::filesystem::path &path, const Progress &progress);

/// Counts nodes and parameters of a model (see ModelSummary).
ModelSummary summarize(const Model &model);

struct LayerDetail
{
    Layer layer;
    WeightStats stats;
    Histogram histogram;
};

/// Statistics and a `bins`-bin histogram (over the finite range) of one layer's float weight.
Result<LayerDetail> computeLayerDetail(const Model &model, const Layer &layer, int bins);

} // namespace nnc::studio
