// What the preview tests share: the demo models, read once into a shared Model, and the CLI's
// `nncompress eval --json` figures the Studio's preview must equal.
#pragma once

#include "core/plan/plan.h"
#include "tests/common/model_fixture.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QString>
#include <QTemporaryDir>

#include <memory>

namespace nnc::test {

inline const QString kDemo = QStringLiteral(NNC_SOURCE_DIR "/resources/demo/");

/// resources/demo/`file`, read (a read error ends the program).
inline std::shared_ptr<const Model> loadDemo(const QString &file)
{
    return readModelShared((kDemo + file).toStdString());
}

/// `nncompress eval DEMO_MODEL --data DEMO_DATA --plan PLAN --json`, parsed; the plan is written
/// to a temporary folder. A failed run ends the program with the CLI's standard error.
inline QJsonObject cliEval(const QString &model, const QString &data, const CompressionPlan &p)
{
    QTemporaryDir dir;
    const QString planPath = dir.path() + "/plan.json";
    if (auto r = savePlan(p, planPath.toStdString()); !r)
        qFatal("savePlan: %s", r.error().message.c_str());
    QProcess cli;
    cli.start(QStringLiteral(NNC_CLI_PATH),
              {"eval", kDemo + model, "--data", kDemo + data, "--plan", planPath, "--json"});
    if (!cli.waitForFinished(300000) || cli.exitCode() != 0)
        qFatal("nncompress eval failed: %s", cli.readAllStandardError().constData());
    return QJsonDocument::fromJson(cli.readAllStandardOutput()).object();
}

} // namespace nnc::test
