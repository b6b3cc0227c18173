// readModelShared(): a model file a test program needs, read into a shared const Model. A read
// error ends the program (qFatal) with the reader's message: nothing after it could run.
#pragma once

#include "core/model/onnx_reader.h"

#include <QtGlobal>

#include <filesystem>
#include <memory>

namespace nnc::test {

inline std::shared_ptr<const Model> readModelShared(const std::filesystem::path &path)
{
    auto m = readModel(path);
    if (!m)
        qFatal("%s", m.error().message.c_str());
    return std::make_shared<const Model>(std::move(*m));
}

} // namespace nnc::test
