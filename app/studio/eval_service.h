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

#include <QMetaType>
#include <QObject>
#include <QString>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace nnc::studio {

class EvalServiceWorker;

/// One validation sample as the stored data holds it, with the float and the compressed model's
/// outputs for it (EvalService::previewSample).
struct SamplePreview
{
    int64_t index = -1;
    std::string dataDescription;        ///< the dataset description's "description", or empty
    std::vector<std::string> arrays;    ///< source array of each model input binding
    std::vector<Tensor> raw;            ///< that array's row as stored ([1, ...], e.g. uint8 image)
    std::vector<std::string> outputs;   ///< model output names
    std::vector<Tensor> floatOutputs;   ///< [1, ...] per output
    std::vector<Tensor> compressedOutputs;
    std::vector<Tensor> labels;         ///< per output: its label row [1, ...] or an empty tensor
    /// Per output: a name per class id (from the label binding's tag names, the demo tokenizer's
    /// intents/tags, or a list in the dataset description), or empty when none is known.
    std::vector<std::vector<std::string>> classNames;
    /// For text data (a demo tokenizer beside the data): the sample's tokens, padding dropped,
    /// and the sentence they read as; empty otherwise.
    std::vector<std::string> tokens;
    std::string text;
};

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
    /// `onProgress` runs on the GUI thread (at most once per permille) while the job is current.
    /// A job with an empty `kind` supersedes nothing.
    uint64_t submit(const QString &kind, Job job, OnProgress onProgress = {});
    /// Cancels the running and queued jobs of `kind` (all kinds when empty).
    void cancel(const QString &kind = {});
    bool isBusy(const QString &kind = {}) const;

    // The accuracy preview, built on submit("preview", ...).
    /// Evaluates `plan` (a copy is taken). Supersedes a running or queued preview.
    void preview(const CompressionPlan &plan);
    void cancelPreview() { cancel(QStringLiteral("preview")); }

    /// Reads sample `index` (its stored input rows and labels) and runs it through the float model
    /// and the model under `plan` (missing activation ranges calibrated as the preview does;
    /// reused from the last preview of the same plan), as a "sample" job. Emits sampleReady() or
    /// sampleFailed(); a newer request supersedes an older one.
    uint64_t previewSample(const CompressionPlan &plan, int64_t index);

    /// True while job `id` is queued or running and was neither cancelled nor superseded: a job's
    /// result is only worth showing while this holds. GUI thread.
    bool isCurrent(uint64_t id) const;
    /// Thread-safe (call it from a job): runs `onGuiThread` on the GUI thread, in order with the
    /// service's other notifications, if job `id` is still current then. The service outlives
    /// its running jobs, so this is the safe way for a job to hand back its result.
    void deliver(uint64_t id, std::function<void()> onGuiThread);

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

    void sampleReady(const nnc::studio::SamplePreview &sample);
    void sampleFailed(const QString &message);

    /// Job `id` left the worker: it returned, or was dropped from the queue (cancel, supersede,
    /// open, close). `completed` is false when it was cancelled or never ran.
    void jobEnded(quint64 id, const QString &kind, bool completed);

private:
    std::unique_ptr<EvalServiceWorker> m_worker;
};

} // namespace nnc::studio

Q_DECLARE_METATYPE(nnc::Estimate)
Q_DECLARE_METATYPE(nnc::EvalResult)
Q_DECLARE_METATYPE(nnc::studio::SamplePreview)
