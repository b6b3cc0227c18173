// Runs one ONNX backend-layout case folder (model.onnx + test_data_set_0/input_N.pb, output_N.pb)
// through the reader and the executor and compares with the stored outputs: integers exactly,
// floats within |got - want| <= 1e-5 + 1e-4 * |want| (NaN matches NaN). Shared by tests/ops_quant
// and tests/ops_rnn for their ONNX Runtime golden cases.
#pragma once

#include "core/model/onnx_reader.h"
#include "core/runtime/session.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

namespace nnc::test {

/// Empty when the case passes, else what differs.
inline std::string runCaseFolder(const std::filesystem::path &folder)
{
    auto model = readModel(folder / "model.onnx");
    if (!model)
        return "cannot read the model: " + model.error().message;
    auto shared = std::make_shared<const Model>(std::move(*model));
    auto session = Session::create(shared);
    if (!session)
        return "cannot build a session: " + session.error().message;
    const std::filesystem::path data = folder / "test_data_set_0";
    std::vector<Tensor> inputs;
    for (std::size_t i = 0; i < session->inputNames().size(); ++i) {
        auto t = readTensorFile(data / ("input_" + std::to_string(i) + ".pb"));
        if (!t)
            return t.error().message;
        inputs.push_back(std::move(*t));
    }
    auto outputs = session->run(inputs);
    if (!outputs)
        return "run failed: " + outputs.error().message;
    for (std::size_t i = 0; i < outputs->size(); ++i) {
        auto want = readTensorFile(data / ("output_" + std::to_string(i) + ".pb"));
        if (!want)
            return want.error().message;
        const Tensor &got = (*outputs)[i];
        const std::string name = session->outputNames()[i];
        if (got.dtype() != want->dtype() || got.dims() != want->dims())
            return "output '" + name + "' is " + std::string(dtypeName(got.dtype())) + " "
                   + dimsToString(got.dims()) + ", expected " + std::string(dtypeName(want->dtype()))
                   + " " + dimsToString(want->dims());
        for (int64_t k = 0; k < got.numel(); ++k) {
            const double g = got.valueAsDouble(k), w = want->valueAsDouble(k);
            const bool same = isFloatingPoint(got.dtype())
                                  ? (std::isnan(g) && std::isnan(w)) || g == w
                                        || std::abs(g - w) <= 1e-5 + 1e-4 * std::abs(w)
                                  : g == w;
            if (!same)
                return "output '" + name + "' element " + std::to_string(k) + " is "
                       + std::to_string(g) + ", expected " + std::to_string(w);
        }
    }
    return {};
}

/// The case folders under `root`, sorted by name.
inline std::vector<std::filesystem::path> caseFolders(const std::filesystem::path &root)
{
    std::vector<std::filesystem::path> out;
    std::error_code ec;
    for (const auto &e : std::filesystem::directory_iterator(root, ec))
        if (e.is_directory() && std::filesystem::exists(e.path() / "model.onnx"))
            out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace nnc::test
