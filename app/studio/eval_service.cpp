// EvalService: one worker thread that owns the Evaluator of the open model and validation data,
// a FIFO queue of jobs with per-kind supersede/cancel (std::stop_source per job), and the GUI
// side's bookkeeping of which jobs are still worth hearing from. Everything the worker hands
// back goes through queued invocations on the service, which joins its worker before it dies,
// so no notification can reach a destroyed object.
#include "app/studio/eval_service.h"

#include "core/calib/calibrator.h"
#include "core/data/dataset.h"
#include "core/eval/weight_compression.h"
#include "core/quant/quantizer.h"
#include "core/runtime/session.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMetaObject>
#include <QRegularExpression>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <stop_token>
#include <thread>
#include <unordered_map>

namespace nnc::studio {

namespace {

const QString kPreview = QStringLiteral("preview");
const QString kSample = QStringLiteral("sample");
const QString kOpen = QStringLiteral("open");

/// What jobs find on the worker besides their own arguments. Worker thread only.
struct WorkerState
{
    std::shared_ptr<const Model> model;
    std::filesystem::path dataPath;
    EvalOptions options;
    std::unique_ptr<Evaluator> evaluator;
    QString openError;  ///< why `evaluator` is null

    // previewSample(): a second reader of the same data (Dataset::batch is not reentrant and
    // the evaluator's is private), the raw array source and a plain session.
    std::unique_ptr<Dataset> sampleData;
    std::unique_ptr<ArraySource> sampleSource;
    std::optional<Session> sampleSession;
    std::string dataDescription;
    bool namesLoaded = false;
    std::vector<std::string> vocabulary;            ///< demo tokenizer: token by id
    std::vector<std::string> intents, slotTags;     ///< demo tokenizer: class names
    // Calibrated activation ranges by tensor and everything the range depends on (method and
    // integer spec), so an edit elsewhere does not re-run calibration over the whole data.
    std::map<std::string, Range> ranges;
    // The last previewed plan and the same plan with its missing activation ranges calibrated,
    // so a sample of that preview needs no second calibration pass.
    std::optional<CompressionPlan> lastPlan, lastCalibrated;
};

/// Fake-quantizes the activation tensors named in `params` as the evaluator does.
class ActivationQuantizer final : public TensorObserver
{
public:
    std::unordered_map<std::string, QuantParams> params;

    std::optional<Tensor> observe(const std::string &name, const Tensor &value) override
    {
        auto it = params.find(name);
        if (it == params.end() || value.dtype() != DataType::Float)
            return std::nullopt;
        Tensor out(DataType::Float, value.dims());
        fakeQuantize(value.span<float>(), out.mutableSpan<float>(), it->second);
        return out;
    }
};

/// A job as the worker runs it. `run` returns false when it could not run (no evaluator).
struct JobEntry
{
    uint64_t id = 0;
    QString kind;
    std::function<bool(WorkerState &, const Progress &, std::stop_token)> run;
    EvalService::OnProgress onProgress;
    std::stop_source stop;
};

QString toQString(const std::string &s)
{
    return QString::fromStdString(s);
}

std::string rangeKey(const std::string &tensor, const QuantConfig &q)
{
    return tensor + "|" + calibMethodName(q.calibration) + "|" + std::to_string(q.spec.bits) + "|"
           + std::to_string(int(q.spec.range)) + "|" + (q.spec.symmetric ? "s" : "a");
}

/// Evaluator::calibrate(plan, onlyMissing = true) with a memory: ranges calibrated before for
/// the same tensor, method and spec are filled in first (the data and float model are the same
/// until the next open, so the result is identical), and only the rest is calibrated. Returns
/// every tensor that got its range here, as calibrate() does.
Result<std::vector<std::string>> calibrateMissing(WorkerState &s, CompressionPlan &plan,
                                                  const Progress &progress)
{
    std::vector<std::string> filled;
    for (const std::string &t : activationTensors(s.evaluator->layers())) {
        const QuantConfig q = plan.activationConfig(t);
        if (!q.enabled || q.range || q.calibration.method == CalibMethod::Manual)
            continue;
        auto it = s.ranges.find(rangeKey(t, q));
        if (it == s.ranges.end())
            continue;
        QuantOverride &o = plan.activations[t];
        o.rmin = it->second.rmin;
        o.rmax = it->second.rmax;
        filled.push_back(t);
    }
    auto fresh = s.evaluator->calibrate(plan, true, progress);
    if (!fresh)
        return fresh;
    for (const std::string &t : *fresh) {
        const QuantConfig q = plan.activationConfig(t);
        if (q.range)
            s.ranges[rangeKey(t, q)] = *q.range;
        filled.push_back(t);
    }
    std::ranges::sort(filled);  // calibrate()'s order: by tensor name
    return filled;
}

QJsonObject readJsonObject(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

std::vector<std::string> stringList(const QJsonValue &v)
{
    std::vector<std::string> out;
    for (const QJsonValue &e : v.toArray())
        out.push_back(e.toString().toStdString());
    return out;
}

/// The dataset description's text and, when demos.json beside the data names a tokenizer for
/// it, the tokenizer's vocabulary and class names (resources/demo/README.md). Small files, read
/// once per open, on the worker.
void loadNames(WorkerState &s)
{
    if (s.namesLoaded)
        return;
    s.namesLoaded = true;
    const QFileInfo data(QString::fromStdString(s.dataPath.string()));
    if (data.suffix() == QLatin1String("json"))
        s.dataDescription =
            readJsonObject(data.filePath()).value("description").toString().toStdString();
    const QDir dir = data.dir();
    const QJsonObject demos = readJsonObject(dir.filePath(QStringLiteral("demos.json")));
    for (const QJsonValue &d : demos.value("demos").toArray()) {
        const QJsonObject demo = d.toObject();
        if (demo.value("data").toString() != data.fileName()
            && demo.value("data_full").toString() != data.fileName())
            continue;
        const QString tokenizerFile = demo.value("tokenizer").toString();
        if (tokenizerFile.isEmpty())
            continue;
        const QJsonObject tok = readJsonObject(dir.filePath(tokenizerFile));
        s.intents = stringList(tok.value("intents"));
        s.slotTags = stringList(tok.value("slot_tags"));
        QFile vocab(dir.filePath(tok.value("vocab").toString()));
        if (!tok.value("vocab").toString().isEmpty() && vocab.open(QIODevice::ReadOnly)) {
            // Line number = token id; a trailing newline does not add a token.
            const QList<QByteArray> lines = vocab.readAll().split('\n');
            for (const QByteArray &line : lines)
                s.vocabulary.push_back(line.trimmed().toStdString());
            while (!s.vocabulary.empty() && s.vocabulary.back().empty())
                s.vocabulary.pop_back();
        }
        break;
    }
}

/// Names for `classes` class ids of output `output`: the label binding's tag names, the
/// tokenizer's intents or slot tags, or a parenthesised list of that many names in the dataset
/// description ("... class ids 0-9 (T-shirt/top, Trouser, ...)").
std::vector<std::string> classNamesFor(const WorkerState &s, const DatasetSpec &spec,
                                       const std::string &output, int64_t classes)
{
    const auto fits = [classes](const std::vector<std::string> &v) {
        return classes > 1 && static_cast<int64_t>(v.size()) == classes;
    };
    for (const LabelBinding &l : spec.labels)
        if (l.output == output && fits(l.tagNames))
            return l.tagNames;
    if (fits(s.intents))
        return s.intents;
    if (fits(s.slotTags))
        return s.slotTags;
    static const QRegularExpression list(QStringLiteral("\\(([^()]*)\\)"));
    auto it = list.globalMatch(QString::fromStdString(s.dataDescription));
    while (it.hasNext()) {
        const QStringList parts = it.next().captured(1).split(QLatin1Char(','));
        std::vector<std::string> names;
        for (const QString &p : parts)
            names.push_back(p.trimmed().toStdString());
        if (fits(names))
            return names;
    }
    return {};
}

/// Whether a token is a word or number of Latin script: those are separated by spaces when a
/// sentence is put back together; Chinese characters and symbols are not.
bool isLatinWord(const std::string &t)
{
    if (t.empty())
        return false;
    for (unsigned char c : t)
        if (!(std::isalnum(c) || c == '\'' || c == '.'))
            return false;
    return true;
}

} // namespace

class EvalServiceWorker
{
public:
    explicit EvalServiceWorker(EvalService *service) : m_service(service)
    {
        m_thread = std::thread([this] { loop(); });
    }

    ~EvalServiceWorker() { shutdown(); }

    /// Cancels everything and joins the worker (which destroys the evaluator on its own thread).
    /// A job that is still stopping may call back into the service meanwhile.
    void shutdown()
    {
        {
            std::lock_guard lock(m_mutex);
            m_quit = true;
            m_queue.clear();
            if (m_running)
                m_running->stop.request_stop();
        }
        m_cv.notify_all();
        if (m_thread.joinable())
            m_thread.join();
    }

    /// Runs `fn` on the GUI thread (the service's), after everything posted before it.
    void post(std::function<void()> fn)
    {
        QMetaObject::invokeMethod(m_service, std::move(fn), Qt::QueuedConnection);
    }

    // ---- GUI thread ----

    /// Queues a job; a queued job of the same kind is dropped and a running one cancelled.
    uint64_t enqueue(const QString &kind, uint64_t id,
                     std::function<bool(WorkerState &, const Progress &, std::stop_token)> run,
                     EvalService::OnProgress onProgress = {})
    {
        auto entry = std::make_shared<JobEntry>();
        entry->id = id;
        entry->kind = kind;
        entry->run = std::move(run);
        entry->onProgress = std::move(onProgress);
        const bool wasBusy = !pending.empty();
        // A job without a kind supersedes nothing (an empty kind means "all" to takeJobs).
        std::vector<uint64_t> dropped = kind.isEmpty() ? std::vector<uint64_t>{} : takeJobs(kind);
        {
            std::lock_guard lock(m_mutex);
            m_queue.push_back(entry);
        }
        m_cv.notify_one();
        pending[id] = kind;
        live.insert(id);
        for (uint64_t d : dropped)
            jobLeft(d, false, false);
        if (!wasBusy)
            emit m_service->busyChanged(true);
        return id;
    }

    /// Removes the queued jobs of `kind` (every kind when empty) and asks the running one of
    /// that kind to stop; they are no longer live. Returns the removed queued ids (still in
    /// `pending` so the caller can report them with jobLeft()).
    std::vector<uint64_t> takeJobs(const QString &kind)
    {
        std::vector<uint64_t> removed;
        std::lock_guard lock(m_mutex);
        for (auto it = m_queue.begin(); it != m_queue.end();) {
            if (kind.isEmpty() || (*it)->kind == kind) {
                removed.push_back((*it)->id);
                live.erase((*it)->id);
                it = m_queue.erase(it);
            } else {
                ++it;
            }
        }
        if (m_running && (kind.isEmpty() || m_running->kind == kind)) {
            m_running->stop.request_stop();
            live.erase(m_running->id);
        }
        return removed;
    }

    /// Job `id` left the worker (returned or dropped from the queue).
    void jobLeft(uint64_t id, bool completed, bool emitBusy = true)
    {
        auto it = pending.find(id);
        if (it == pending.end())
            return;
        const QString kind = it->second;
        pending.erase(it);
        live.erase(id);
        emit m_service->jobEnded(id, kind, completed);
        if (emitBusy && pending.empty())
            emit m_service->busyChanged(false);
    }

    /// Drops the queued jobs of `kind` and cancels its running one, reporting them; a preview
    /// still in flight is reported cancelled when `reportPreview`.
    void cancel(const QString &kind, bool reportPreview)
    {
        const bool previewLive = previewId != 0 && live.contains(previewId);
        const std::vector<uint64_t> dropped = takeJobs(kind);
        for (uint64_t d : dropped)
            jobLeft(d, false, false);
        if (!dropped.empty() && pending.empty())
            emit m_service->busyChanged(false);
        if (previewLive && !live.contains(previewId)) {
            previewId = 0;
            if (reportPreview)
                emit m_service->previewCancelled();
        }
    }

    uint64_t nextId = 0;
    std::map<uint64_t, QString> pending;  ///< submitted and not yet left the worker
    std::set<uint64_t> live;              ///< pending, neither cancelled nor superseded
    QString dataPath;                     ///< of the last open(); empty when closed
    bool open = false;                    ///< opened() arrived for the current open()
    uint64_t openId = 0;
    uint64_t previewId = 0;               ///< the live preview job, or 0

private:
    void loop()
    {
        WorkerState state;
        for (;;) {
            std::shared_ptr<JobEntry> job;
            {
                std::unique_lock lock(m_mutex);
                m_cv.wait(lock, [this] { return m_quit || !m_queue.empty(); });
                if (m_quit)
                    break;
                job = m_queue.front();
                m_queue.pop_front();
                m_running = job;
            }
            const uint64_t id = job->id;
            Progress::Callback forward;
            if (job->onProgress) {
                // At most one notification per permille, so a fast loop cannot flood the GUI.
                forward = [this, id, on = job->onProgress, last = int64_t(-1)](int64_t d,
                                                                               int64_t t) mutable {
                    const int64_t permille = t > 0 ? d * 1000 / t : -1;
                    if (permille == last)
                        return;
                    last = permille;
                    post([this, id, on, d, t] {
                        if (live.contains(id))
                            on(d, t);
                    });
                };
            }
            const std::stop_token token = job->stop.get_token();
            const bool ran = job->run(state, Progress(token, std::move(forward)), token);
            const bool completed = ran && !token.stop_requested();
            {
                std::lock_guard lock(m_mutex);
                m_running.reset();
            }
            post([this, id, completed] { jobLeft(id, completed); });
        }
        // The evaluator and the sample reader die here, on the thread that used them.
    }

    EvalService *m_service;
    std::mutex m_mutex;
    std::condition_variable m_cv;
    std::deque<std::shared_ptr<JobEntry>> m_queue;  ///< guarded by m_mutex
    std::shared_ptr<JobEntry> m_running;            ///< guarded by m_mutex
    bool m_quit = false;                            ///< guarded by m_mutex
    std::thread m_thread;                           ///< last: starts once the rest exists
};

EvalService::EvalService(QObject *parent) : QObject(parent)
{
    qRegisterMetaType<nnc::Estimate>();
    qRegisterMetaType<nnc::EvalResult>();
    qRegisterMetaType<nnc::studio::SamplePreview>();
    m_worker = std::make_unique<EvalServiceWorker>(this);
}

EvalService::~EvalService()
{
    // Joins the worker while this object is still whole; whatever it posted afterwards is
    // discarded with this object's pending events.
    m_worker->shutdown();
    m_worker.reset();
}

void EvalService::open(std::shared_ptr<const Model> model, const QString &dataPath,
                       EvalOptions options)
{
    EvalServiceWorker &w = *m_worker;
    w.cancel({}, true);
    w.dataPath = dataPath;
    w.open = false;
    const uint64_t id = ++w.nextId;
    w.openId = id;
    const std::filesystem::path path = dataPath.toStdString();
    w.enqueue(kOpen, id,
              [this, id, model = std::move(model), path, options](WorkerState &s, const Progress &,
                                                                   std::stop_token) {
                  s = WorkerState{};
                  s.model = model;
                  s.dataPath = path;
                  s.options = options;
                  Result<std::unique_ptr<Evaluator>> ev = fail("no model is open.");
                  if (model) {
                      auto data = openDataset(path, *model);
                      if (!data)
                          ev = std::unexpected(data.error());
                      else
                          ev = Evaluator::create(model, std::move(*data), options);
                  }
                  if (!ev) {
                      s.openError = toQString(ev.error().message);
                      deliver(id, [this, msg = s.openError] {
                          m_worker->open = false;
                          emit openFailed(msg);
                      });
                      return true;
                  }
                  s.evaluator = std::move(*ev);
                  const qint64 n = s.evaluator->sampleCount();
                  deliver(id, [this, n] {
                      m_worker->open = true;
                      emit opened(n);
                  });
                  return true;
              });
}

void EvalService::close()
{
    EvalServiceWorker &w = *m_worker;
    w.cancel({}, true);
    w.dataPath.clear();
    w.open = false;
    const uint64_t id = ++w.nextId;
    w.openId = id;
    w.enqueue(kOpen, id, [](WorkerState &s, const Progress &, std::stop_token) {
        s = WorkerState{};
        s.openError = QObject::tr("No model and validation data are open.");
        return true;
    });
}

bool EvalService::isOpen() const
{
    return m_worker->open;
}

QString EvalService::dataPath() const
{
    return m_worker->dataPath;
}

uint64_t EvalService::submit(const QString &kind, Job job, OnProgress onProgress)
{
    EvalServiceWorker &w = *m_worker;
    const uint64_t id = ++w.nextId;
    return w.enqueue(
        kind, id,
        [job = std::move(job)](WorkerState &s, const Progress &progress, std::stop_token) {
            if (!s.evaluator)
                return false;
            job(*s.evaluator, progress);
            return true;
        },
        std::move(onProgress));
}

void EvalService::cancel(const QString &kind)
{
    m_worker->cancel(kind, true);
}

bool EvalService::isBusy(const QString &kind) const
{
    if (kind.isEmpty())
        return !m_worker->pending.empty();
    for (const auto &[id, k] : m_worker->pending)
        if (k == kind)
            return true;
    return false;
}

bool EvalService::isCurrent(uint64_t id) const
{
    return m_worker->live.contains(id);
}

void EvalService::deliver(uint64_t id, std::function<void()> onGuiThread)
{
    m_worker->post([this, id, fn = std::move(onGuiThread)] {
        if (m_worker->live.contains(id))
            fn();
    });
}

void EvalService::preview(const CompressionPlan &plan)
{
    EvalServiceWorker &w = *m_worker;
    if (w.dataPath.isEmpty()) {
        w.cancel(kPreview, false);
        emit previewFailed(tr("Open a model and its validation data first."));
        return;
    }
    const uint64_t id = ++w.nextId;
    w.previewId = id;
    auto run = [this, id, plan](WorkerState &s, const Progress &progress, std::stop_token token) {
        if (!s.evaluator) {
            deliver(id, [this, msg = s.openError] { emit previewFailed(msg); });
            return false;
        }
        deliver(id, [this] { emit previewStarted(); });
        // Three passes, each shown as a third of the bar: calibration of the activation ranges
        // the plan lacks, the float baseline (instant once cached), the plan itself.
        auto phase = [&progress, token](int k) {
            return Progress(token, [&progress, k](int64_t d, int64_t t) {
                progress.report(k * 1000 + (t > 0 ? d * 1000 / t : 0), 3000);
            });
        };
        auto stopped = [this, id](const Error &e) {
            if (e.code != Error::Code::Cancelled)
                deliver(id, [this, msg = toQString(e.message)] { emit previewFailed(msg); });
            return true;
        };
        CompressionPlan calibrated = plan;
        auto cal = calibrateMissing(s, calibrated, phase(0));
        if (!cal)
            return stopped(cal.error());
        if (auto base = s.evaluator->evaluate(nullptr, phase(1)); !base)
            return stopped(base.error());
        s.lastPlan = plan;
        s.lastCalibrated = calibrated;
        auto last = std::chrono::steady_clock::time_point{};
        const EstimateCallback onEstimate = [this, id, &last](const Estimate &e) {
            const auto now = std::chrono::steady_clock::now();
            if (e.done < e.total && now - last < std::chrono::milliseconds(40))
                return;
            last = now;
            deliver(id, [this, e] { emit previewEstimate(e); });
        };
        auto r = s.evaluator->evaluate(&calibrated, phase(2), onEstimate);
        if (!r)
            return stopped(r.error());
        r->calibrated = *cal;
        progress.report(3000, 3000);
        deliver(id, [this, id, result = std::move(*r)] {
            if (m_worker->previewId == id)
                m_worker->previewId = 0;
            emit previewFinished(result);
        });
        return true;
    };
    w.enqueue(kPreview, id, std::move(run),
              [this](int64_t d, int64_t t) { emit previewProgress(d, t); });
}

namespace {

/// The stored rows, labels and both models' outputs of one sample (worker thread).
Result<SamplePreview> readSample(WorkerState &s, const CompressionPlan &plan, int64_t index,
                                 const Progress &progress)
{
    Evaluator &ev = *s.evaluator;
    if (index < 0 || index >= ev.sampleCount())
        return fail("sample " + std::to_string(index) + " is outside the validation set (0 to "
                    + std::to_string(ev.sampleCount() - 1) + ").");
    if (!s.sampleData) {
        auto data = openDataset(s.dataPath, *s.model);
        if (!data)
            return std::unexpected(data.error());
        s.sampleData = std::move(*data);
        auto source = openArraySource(s.sampleData->spec().source);
        if (!source)
            return std::unexpected(source.error());
        s.sampleSource = std::move(*source);
    }
    if (!s.sampleSession) {
        auto session = Session::create(s.model, SessionOptions{s.options.threads});
        if (!session)
            return std::unexpected(session.error());
        s.sampleSession.emplace(std::move(*session));
    }
    CompressionPlan calibrated = plan;
    if (s.lastPlan && *s.lastPlan == plan) {
        calibrated = *s.lastCalibrated;
    } else {
        auto cal = calibrateMissing(s, calibrated, progress);
        if (!cal)
            return std::unexpected(cal.error());
        s.lastPlan = plan;
        s.lastCalibrated = calibrated;
    }
    if (progress.cancelled())
        return fail("reading the sample was cancelled.", Error::Code::Cancelled);

    SamplePreview out;
    out.index = index;
    auto batch = s.sampleData->batch(index, 1);
    if (!batch)
        return std::unexpected(batch.error());
    const DatasetSpec &spec = s.sampleData->spec();
    for (const InputBinding &b : spec.inputs) {
        auto row = s.sampleSource->readRows(b.array, index, 1);
        if (!row)
            return std::unexpected(row.error());
        out.arrays.push_back(b.array);
        out.raw.push_back(std::move(*row));
    }

    // The compressed model exactly as the evaluator builds it: weights through
    // compressLayerWeight, activations fake-quantized with their (calibrated) ranges.
    std::unordered_map<std::string, Tensor> weights;
    for (const Layer &l : ev.layers()) {
        const QuantConfig q = calibrated.weightConfig(l.name);
        const PruneConfig p = calibrated.pruneConfig(l.name);
        if ((!q.enabled && !p.enabled()) || l.op == "MatMulInteger" || l.op == "ConvInteger")
            continue;
        auto cw = compressLayerWeight(*s.model, l, q, p);
        if (!cw)
            return std::unexpected(cw.error());
        weights[l.weight] = std::move(cw->weight);
    }
    ActivationQuantizer observer;
    for (const std::string &t : activationTensors(ev.layers())) {
        const QuantConfig q = calibrated.activationConfig(t);
        if (q.enabled && q.range)
            observer.params[t] = chooseParams(q.spec, q.range->rmin, q.range->rmax);
    }
    Session &session = *s.sampleSession;
    auto floatOut = session.run(batch->inputs);
    if (!floatOut)
        return std::unexpected(floatOut.error());
    RunOptions ro;
    ro.weights = &weights;
    ro.observer = &observer;
    auto compressedOut = session.run(batch->inputs, ro);
    if (!compressedOut)
        return std::unexpected(compressedOut.error());
    out.outputs = session.outputNames();
    out.floatOutputs = std::move(*floatOut);
    out.compressedOutputs = std::move(*compressedOut);
    loadNames(s);
    out.dataDescription = s.dataDescription;
    for (std::size_t k = 0; k < out.outputs.size(); ++k) {
        const std::string &o = out.outputs[k];
        Tensor label;
        for (std::size_t i = 0; i < spec.labels.size(); ++i)
            if (spec.labels[i].output == o && i < batch->labels.size())
                label = batch->labels[i];
        out.labels.push_back(label);
        const Tensor &f = out.floatOutputs[k];
        out.classNames.push_back(
            classNamesFor(s, spec, o, f.rank() ? f.dim(f.rank() - 1) : 0));
    }
    // Text: the integer input with the tokenizer's vocabulary, cut at the attention mask.
    if (!s.vocabulary.empty()) {
        std::vector<int64_t> ids, mask;
        for (std::size_t i = 0; i < spec.inputs.size() && i < out.raw.size(); ++i) {
            const Tensor &t = out.raw[i];
            if (t.dtype() != DataType::Int64 && t.dtype() != DataType::Int32)
                continue;
            if (spec.inputs[i].input.find("mask") != std::string::npos)
                mask = t.toInt64Vector();
            else if (ids.empty())
                ids = t.toInt64Vector();
        }
        for (std::size_t i = 0; i < ids.size(); ++i) {
            if (i < mask.size() ? mask[i] == 0 : ids[i] == 0)
                break;  // padding is on the right
            const auto id = static_cast<std::size_t>(ids[i]);
            out.tokens.push_back(ids[i] >= 0 && id < s.vocabulary.size() ? s.vocabulary[id]
                                                                          : "[UNK]");
        }
        for (std::size_t i = 0; i < out.tokens.size(); ++i) {
            if (i > 0 && isLatinWord(out.tokens[i - 1]) && isLatinWord(out.tokens[i]))
                out.text += ' ';
            out.text += out.tokens[i];
        }
    }
    return out;
}

} // namespace

uint64_t EvalService::previewSample(const CompressionPlan &plan, int64_t index)
{
    EvalServiceWorker &w = *m_worker;
    const uint64_t id = ++w.nextId;
    if (w.dataPath.isEmpty()) {
        w.cancel(kSample, false);
        emit sampleFailed(tr("Open a model and its validation data first."));
        return id;
    }
    return w.enqueue(kSample, id,
                     [this, id, plan, index](WorkerState &s, const Progress &progress,
                                             std::stop_token) {
                         if (!s.evaluator) {
                             deliver(id, [this, msg = s.openError] { emit sampleFailed(msg); });
                             return false;
                         }
                         auto r = readSample(s, plan, index, progress);
                         if (!r) {
                             if (r.error().code != Error::Code::Cancelled)
                                 deliver(id, [this, msg = toQString(r.error().message)] {
                                     emit sampleFailed(msg);
                                 });
                             return true;
                         }
                         deliver(id, [this, sample = std::move(*r)] { emit sampleReady(sample); });
                         return true;
                     });
}

} // namespace nnc::studio
