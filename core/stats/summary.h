// Model-level facts shown by `nncompress inspect` and the Studio's status bar.
#pragma once

#include "core/model/graph.h"

#include <map>
#include <string>

namespace nnc {

struct ModelSummary
{
    std::map<std::string, int64_t> opCounts;  ///< "Conv" or "domain::Op"; subgraphs included
    int64_t nodeCount = 0;                    ///< all nodes, subgraphs included
    int64_t initializerElements = 0;          ///< elements of every initializer (subgraphs too)
    int64_t constantElements = 0;             ///< elements held in Constant nodes' values
    int64_t parameterCount = 0;               ///< initializerElements + constantElements
    int64_t parameterBytes = 0;               ///< bytes of those elements as stored
};

ModelSummary summarizeModel(const Model &model);

/// "Conv" for ai.onnx ops, "ai.onnx.ml::ZipMap" otherwise.
std::string opKey(const Node &node);

} // namespace nnc
