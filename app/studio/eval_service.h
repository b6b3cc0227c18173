// EvalService: the one Evaluator of the open model and validation data, living on one worker
// thread, and the queue of jobs that use it (accuracy preview, sensitivity, activation
// statistics, calibration). GUI thread API; results come back as queued signals/callbacks.
//
// Jobs run one at a time in submission order. Each job has a kind ("preview", "sensitivity",
// "activations", ...): submitting a job cancels the running job of the same kind (its stop token
// fires and its late result is dropped) and replaces a queued one of the same kind, so the GUI
// only ever sees the newest answer of each kind. The evaluator's caches (compressed weights,
// activations per upstream signature) persist across jobs, which is what makes a preview after
// one layer's edit cheap.
#pragma once

#include "core/eval/evaluator.h"
#include "core/model/graph.h"
#include "core/util/progress.h"

#include <QObject>
#include <QString>

#include <functional>
#include <memory>

namespace nnc::studio {

class EvalServiceWorker;

class EvalService final : public QObject
{
    Q_OBJECT

public:
    explicit EvalService(QObject *parent = nullptr);
    /// Cancels every job and waits for the worker thread to finish.
    ~EvalService() override;

    /// Opens `dataPath` (dataset description .json, .npz, ...; see docs/dataset-format.md) for
    /// `model` on the worker, replacing the previous evaluator (queued jobs are dropped, the
    /// running one cancelled). Emits opened() or openFailed().
    void open(std::shared_ptr<const Model> model, const QString &dataPath, EvalOptions options = {});
    /// Drops the evaluator (model or data closed).
    void close();
    bool isOpen() const;
    QString dataPath() const;

    /// A job runs on the worker thread with the evaluator; it must poll `progress` and return
    /// early when it is cancelled. It delivers its result itself (e.g. with
    /// QMetaObject::invokeMethod(context, ..., Qt::QueuedConnection)); `context` guards that the
    /// GUI side still exists. Returns the job id.
    using Job = std::function<void(Evaluator &, const Progress &)>;
    using OnProgress = std::function<void(int64_t done, int64_t total)>;
    uint64_t submit(const QString &kind, Job job, OnProgress onProgress = {});
    /// Cancels the running and queued jobs of `kind` (all kinds when empty).
    void cancel(const QString &kind = {});
    bool isBusy(const QString &kind = {}) const;

    // The accuracy preview, built on submit("preview", ...).
    /// Evaluates `plan` (a copy is taken). Supersedes a running or queued preview.
    void preview(const CompressionPlan &plan);
    void cancelPreview() { cancel(QStringLiteral("preview")); }

signals:
    void opened(qint64 samples);
    void openFailed(const QString &message);
    void busyChanged(bool busy);

    void previewStarted();
    void previewProgress(qint64 done, qint64 total);
    void previewEstimate(const nnc::Estimate &estimate);
    void previewFinished(const nnc::EvalResult &result);
    void previewFailed(const QString &message);
    void previewCancelled();

private:
    std::unique_ptr<EvalServiceWorker> m_worker;
};

} // namespace nnc::studio
