// Compressible layers (../shared/guide/quantization.md): nodes with a constant weight operand,
// and their weight statistics.
#pragma once

#include "core/model/graph.h"
#include "core/util/error.h"

#include <string>
#include <vector>

namespace nnc {

struct Layer
{
    std::string name;         ///< node name, or a generated "<op>_<k>" when the node has none
    std::string op;           ///< Conv, ConvTranspose, Gemm, MatMul, LSTM, GRU, RNN, Gather,
                              ///< MatMulInteger, ConvInteger ...
    std::string weight;       ///< name of the constant weight tensor as the node reads it
    Dims shape;               ///< weight shape
    int64_t params = 0;       ///< weight elements
    DataType storedType = DataType::Float;  ///< dtype as stored (int8 for pre-quantized weights)
    bool storedQuantized = false;           ///< weight arrives through DequantizeLinear / *Integer
    int channelAxis = 0;      ///< output-channel axis of the weight (guide's table)
    std::vector<std::string> activationInputs;  ///< data inputs fake-quantized before the op
    std::size_t nodeIndex = 0;                  ///< index in model.graph.nodes
};

/// Every compressible layer of the main graph, in node order.
std::vector<Layer> findLayers(const Model &model);

/// The real-valued (float) view of a layer's weight: float initializers as they are, Constant
/// node values, int8/uint8 weights dequantized with their scale and zero point.
Result<Tensor> layerWeight(const Model &model, const Layer &layer);

struct WeightStats
{
    int64_t count = 0;
    double min = 0, max = 0, mean = 0, std = 0, absMax = 0;
    int64_t zeros = 0, nans = 0, infs = 0;
    double sparsity = 0;       ///< zeros / count
    std::vector<float> channelMin, channelMax;  ///< along the layer's channel axis
};

/// Statistics of a float tensor; per-channel min/max along `channelAxis` (ignored if out of range).
/// NaN and Inf are counted and left out of min/max/mean/std.
WeightStats computeWeightStats(const Tensor &weight, int channelAxis);

} // namespace nnc
