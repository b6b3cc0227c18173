// Shared helpers for the data-reader tests: fixture paths, models, tensor checks.
#pragma once

#include "core/data/dataset.h"
#include "core/model/onnx_reader.h"

#include <QtTest>

#include <filesystem>
#include <string>

namespace datatest {

inline std::filesystem::path fixture(const std::string &rel)
{
    return std::filesystem::path(NNC_SOURCE_DIR "/tests/data/datasets") / rel;
}

inline std::filesystem::path modelPath(const std::string &name)
{
    if (name == "chain")
        return NNC_SOURCE_DIR "/tests/data/models/chain.onnx";
    return fixture("models/" + name + ".onnx");
}

/// Reads a model or aborts the test binary (a broken fixture is not a test result).
inline nnc::Model model(const std::string &name)
{
    auto m = nnc::readModel(modelPath(name));
    if (!m)
        qFatal("cannot read model %s: %s", name.c_str(), m.error().message.c_str());
    return std::move(*m);
}

inline QString msg(const nnc::Error &e) { return QString::fromStdString(e.message); }

inline QString dims(const nnc::Tensor &t) { return QString::fromStdString(nnc::dimsToString(t.dims())); }

} // namespace datatest

/// QVERIFY on a Result, printing the error text when it failed.
#define DT_OK(expr)                                                                                \
    do {                                                                                           \
        const auto &dt_r = (expr);                                                                 \
        QVERIFY2(dt_r.has_value(), dt_r.has_value() ? "" : dt_r.error().message.c_str());          \
    } while (0)
