// ONNX Runtime for tests: make sure it is installed (scripts/ort/ensure-ort.sh) and run a model
// file in it (scripts/ort/run.js, through node). Header-only; needs the NNC_SOURCE_DIR define
// that nnc_add_test gives every test.
#pragma once

#include "core/model/onnx_reader.h"
#include "core/model/onnx_writer.h"
#include "core/model/tensor.h"

#include <QProcess>
#include <QString>
#include <QStringList>

#include <filesystem>
#include <string>
#include <vector>

namespace nnc::test {

/// Whether ONNX Runtime can be used: exactly one of the three is set after ensureOrt().
struct OrtSetup
{
    QString cache; ///< the onnxruntime-node cache folder (NNC_ORT_CACHE for run.js)
    QString skip;  ///< why it is skipped: the npm registry is unreachable
    QString error; ///< why it is unusable otherwise: a failure the test reports
};

/// In a test function: fails when ONNX Runtime is unusable (`setup.error`), skips with `why`
/// followed by the reason when it is unavailable (`setup.skip`).
#define NNC_REQUIRE_ORT(setup, why)                                                                \
    do {                                                                                           \
        QVERIFY2((setup).error.isEmpty(), qPrintable((setup).error));                              \
        if ((setup).cache.isEmpty())                                                               \
            QSKIP(qPrintable(QString(why) + (setup).skip));                                        \
    } while (0)

/// Runs scripts/ort/ensure-ort.sh (installs onnxruntime-node on first use; up to 30 minutes).
inline OrtSetup ensureOrt()
{
    OrtSetup setup;
    QProcess ensure;
    ensure.start("bash", {NNC_SOURCE_DIR "/scripts/ort/ensure-ort.sh"});
    if (!ensure.waitForFinished(30 * 60 * 1000)) {
        setup.error = "ensure-ort.sh did not finish within 30 minutes";
        return setup;
    }
    const QStringList lines =
        QString::fromUtf8(ensure.readAllStandardOutput()).trimmed().split('\n');
    if (ensure.exitCode() == 3)
        setup.skip = "npm registry unreachable (ensure-ort.sh exit 3)";
    else if (ensure.exitCode() != 0)
        setup.error = QString("ensure-ort.sh failed (exit %1): %2")
                          .arg(ensure.exitCode())
                          .arg(QString::fromUtf8(ensure.readAllStandardError()));
    else
        setup.cache = lines.last();
    return setup;
}

/// Runs `model` in ONNX Runtime on one batch: `inputs` (named `names`, in graph order) are
/// written to `inDir` as input_<i>.pb unless it already holds them (several runs of the same
/// inputs share the folder), the outputs are read back from `outDir`. `level` is run.js's
/// --optimize value ("none" runs the graph as written, "all" fuses). One thread. Returns the
/// outputs in graph order, or an empty vector with `error` set.
inline std::vector<Tensor> runOrt(const QString &cache, const std::filesystem::path &model,
                                  const std::vector<Tensor> &inputs,
                                  const std::vector<std::string> &names,
                                  const std::filesystem::path &inDir,
                                  const std::filesystem::path &outDir, const char *level,
                                  QString &error)
{
    namespace fs = std::filesystem;
    fs::create_directories(outDir);
    if (!fs::exists(inDir / "input_0.pb")) {
        fs::create_directories(inDir);
        for (std::size_t i = 0; i < inputs.size(); ++i)
            if (!writeTensorFile(inDir / ("input_" + std::to_string(i) + ".pb"), inputs[i],
                                 names[i])) {
                error = "cannot write the ONNX Runtime inputs";
                return {};
            }
    }
    QProcess node;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("NNC_ORT_CACHE", cache);
    node.setProcessEnvironment(env);
    node.start("node",
               {NNC_SOURCE_DIR "/scripts/ort/run.js", QString::fromStdString(model.string()),
                "--input-dir", QString::fromStdString(inDir.string()), "--output-dir",
                QString::fromStdString(outDir.string()), "--optimize", level, "--threads", "1",
                "--no-compare"});
    if (!node.waitForFinished(600000) || node.exitCode() != 0) {
        error = "run.js failed: " + QString::fromUtf8(node.readAllStandardError());
        return {};
    }
    std::vector<Tensor> outs;
    for (int i = 0; fs::exists(outDir / ("output_" + std::to_string(i) + ".pb")); ++i) {
        auto t = readTensorFile(outDir / ("output_" + std::to_string(i) + ".pb"));
        if (!t) {
            error = QString::fromStdString(t.error().message);
            return {};
        }
        outs.push_back(*t);
    }
    return outs;
}

} // namespace nnc::test
