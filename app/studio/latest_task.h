// LatestTask<T>: runs one piece of long work off the GUI thread, reports its progress and delivers
// its result on the GUI thread. Starting a new request cancels the previous one (its stop token
// is triggered and its late result is dropped), so the GUI only ever sees the newest answer.
#pragma once

#include "core/util/progress.h"

#include <QFuture>
#include <QFutureWatcher>
#include <QObject>
#include <QtConcurrent/QtConcurrentRun>

#include <cstdint>
#include <functional>
#include <stop_token>
#include <vector>

namespace nnc::studio {

template<class T>
class LatestTask
{
public:
    using Work = std::function<T(const Progress &)>;   ///< runs on a pool thread
    using Done = std::function<void(T)>;                ///< runs on the context's thread
    using OnProgress = std::function<void(int64_t done, int64_t total)>;  ///< context's thread

    /// `context` owns the callbacks: they run in its thread and never after it is destroyed.
    explicit LatestTask(QObject *context) : m_context(context) {}
    LatestTask(const LatestTask &) = delete;
    LatestTask &operator=(const LatestTask &) = delete;

    /// Blocks until every started worker has returned (they stop early once cancelled).
    ~LatestTask()
    {
        cancel();
        for (QFuture<T> &f : m_futures)
            f.waitForFinished();
    }

    void start(Work work, Done done, OnProgress onProgress = {})
    {
        cancel();
        pruneFinished();
        const uint64_t id = m_generation;
        m_running = true;
        std::stop_token token = m_stop.get_token();
        // Progress is forwarded at most once per permille so a fast loop cannot flood the queue.
        Progress::Callback forward;
        if (onProgress) {
            forward = [this, id, onProgress, last = int64_t(-1)](int64_t d, int64_t t) mutable {
                const int64_t permille = t > 0 ? d * 1000 / t : -1;
                if (permille == last)
                    return;
                last = permille;
                QMetaObject::invokeMethod(
                    m_context,
                    [this, id, onProgress, d, t] {
                        if (id == m_generation)
                            onProgress(d, t);
                    },
                    Qt::QueuedConnection);
            };
        }
        QFuture<T> future = QtConcurrent::run(
            [work = std::move(work), progress = Progress(token, std::move(forward))] {
                return work(progress);
            });
        auto *watcher = new QFutureWatcher<T>(m_context);
        QObject::connect(watcher, &QFutureWatcherBase::finished, m_context,
                         [this, watcher, id, done = std::move(done)] {
                             watcher->deleteLater();
                             if (id != m_generation)
                                 return;  // superseded or cancelled: drop the stale result
                             m_running = false;
                             done(watcher->result());
                         });
        watcher->setFuture(future);
        m_futures.push_back(future);
    }

    /// Asks the running worker to stop and forgets its result; returns at once.
    void cancel()
    {
        m_stop.request_stop();
        m_stop = std::stop_source();
        ++m_generation;
        m_running = false;
    }

    bool isRunning() const { return m_running; }

private:
    void pruneFinished()
    {
        std::erase_if(m_futures, [](const QFuture<T> &f) { return f.isFinished(); });
    }

    QObject *m_context;
    std::stop_source m_stop;
    uint64_t m_generation = 0;
    bool m_running = false;
    std::vector<QFuture<T>> m_futures;
};

} // namespace nnc::studio
