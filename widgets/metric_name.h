// The name a user reads for an evaluator metric id ("entity_f1" -> "entity F1"), translated.
// The same source strings in the same context as the preview panel's, so one translation serves
// the preview, the Fusion and the Distillation tables alike.
#pragma once

#include <QObject>
#include <QString>

#include <string>

namespace nnc {

inline QString metricDisplayName(const std::string &metric)
{
    if (metric == "accuracy")
        return QObject::tr("accuracy");
    if (metric == "top5")
        return QObject::tr("top-5 accuracy");
    if (metric == "token_accuracy")
        return QObject::tr("token accuracy");
    if (metric == "entity_f1")
        return QObject::tr("entity F1");
    if (metric == "agreement")
        return QObject::tr("agreement");
    return QString::fromStdString(metric);
}

} // namespace nnc
