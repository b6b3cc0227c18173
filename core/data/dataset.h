// Validation data: named arrays from .npz/.npy, ONNX test-data folders and IDX files, bound to
// a model's inputs and outputs (labels + metric), read in batches on demand (streaming: a large
// set never has to fit in memory).
#pragma once

#include "core/model/graph.h"
#include "core/util/error.h"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace nnc {

/// One array of a source: shape[0] is the sample axis.
struct ArrayInfo
{
    std::string name;
    DataType dtype = DataType::Undefined;
    Dims shape;
};

/// A file (or folder) of named arrays, read by sample ranges.
class ArraySource
{
public:
    virtual ~ArraySource() = default;
    virtual const std::vector<ArrayInfo> &arrays() const = 0;
    /// Rows [start, start + count) of an array as a tensor [count, ...] in its stored dtype.
    virtual Result<Tensor> readRows(const std::string &array, int64_t start, int64_t count) = 0;
};

/// Opens .npz (stored or deflated members), .npy (array named after the file stem), an IDX file
/// (.gz or raw; an images file "x" is paired with its labels file "y" when one sits beside it
/// with the usual name), or a folder of ONNX test_data_set_*/input_N.pb (arrays "input_N" /
/// "output_N", one sample per set). Errors name the file and the problem.
Result<std::unique_ptr<ArraySource>> openArraySource(const std::filesystem::path &path);

/// How one model input is fed: which array, and the preprocessing applied in this order:
/// cast to float, x * scale, (x - mean[c]) / std[c] per channel, layout change.
struct InputBinding
{
    std::string input;              ///< model input name
    std::string array;              ///< array name in the source
    double scale = 1.0;
    std::vector<float> mean, std;   ///< per channel (the channel axis after layout), or empty
    std::string layout;             ///< "" (as stored) or "NHWC->NCHW"
};

/// How one model output is judged.
struct LabelBinding
{
    std::string output;             ///< model output name
    std::string array;              ///< label array (class ids [N] or tag ids [N, T])
    std::string metric = "accuracy";  ///< accuracy | top5 | token_accuracy | entity_f1 | agreement
    int64_t ignoreIndex = -100;     ///< label value skipped in sequence metrics (padding)
    std::vector<std::string> tagNames;  ///< BIO tag names by id, for entity_f1 ("O", "B-dest", ...)
};

struct DatasetSpec
{
    std::filesystem::path source;   ///< the array file or folder
    std::vector<InputBinding> inputs;
    std::vector<LabelBinding> labels;
};

/// A dataset bound to a model: every model input has a binding.
struct Batch
{
    int64_t start = 0, count = 0;
    std::vector<Tensor> inputs;     ///< one per model input (Session::inputNames order)
    std::vector<Tensor> labels;     ///< one per DatasetSpec::labels entry (int64)
};

class Dataset
{
public:
    virtual ~Dataset() = default;
    virtual int64_t size() const = 0;
    virtual const DatasetSpec &spec() const = 0;
    /// Samples [start, start + count), preprocessed and cast to the model inputs' dtypes.
    virtual Result<Batch> batch(int64_t start, int64_t count) = 0;
};

/// Command-line style overrides: "INPUT=ARRAY" and "OUTPUT=ARRAY[:metric]".
struct DatasetOverrides
{
    std::vector<std::string> inputs;
    std::vector<std::string> labels;
};

/// Opens `path` for `model`: a dataset description .json (see docs/dataset-format.md), or an
/// array source whose arrays are bound by name (arrays named after the model's inputs, or a
/// single input fed from "x"; labels from "y" or "labels" for the first output), then
/// `overrides`. Checks shapes and dtypes against the model and labels against the output's class
/// count, naming the array and the expected shape; rejects empty sets and NaN inputs (when read).
Result<std::unique_ptr<Dataset>> openDataset(const std::filesystem::path &path, const Model &model,
                                             const DatasetOverrides &overrides = {});

/// Reads a dataset description .json (docs/dataset-format.md) without opening its source:
/// `source` is resolved relative to the description's folder. Errors name the file and the field.
Result<DatasetSpec> readDatasetDescription(const std::filesystem::path &path);

/// Binds an explicit spec to `model` (what openDataset does after reading a description): applies
/// `overrides`, binds the remaining inputs and labels by name, then checks everything. The
/// returned dataset copies what it needs from `model`. Dataset::batch is not thread-safe (it
/// moves decompressors); use one Dataset per thread.
Result<std::unique_ptr<Dataset>> bindDataset(DatasetSpec spec, const Model &model,
                                             const DatasetOverrides &overrides = {});

} // namespace nnc
