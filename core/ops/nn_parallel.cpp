// The nn kernels' thread pool (see nn_parallel.h): chunk indices are claimed with a CAS on one
// 64-bit word holding the job generation and the next index, so a worker that wakes late can
// never run a chunk of a job other than the one it saw.
#include "core/ops/nn_parallel.h"

#include <omp.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define NNC_PAUSE() _mm_pause()
#else
#define NNC_PAUSE() std::this_thread::yield()
#endif

namespace nnc::nn {

namespace {

thread_local bool t_insidePool = false;
thread_local int t_threadIndex = 0;   // 0 for callers, 1.. for pool workers

constexpr int kIndexBits = 40;
constexpr uint64_t kIndexMask = (uint64_t{1} << kIndexBits) - 1;

class Pool
{
public:
    ~Pool()
    {
        {
            std::lock_guard lock(m_mutex);
            m_stop = true;
        }
        m_wake.notify_all();
        for (std::thread &t : m_threads)
            t.join();
    }

    void run(int64_t count, void *context, detail::ChunkFn fn, int workers)
    {
        std::unique_lock busy(m_busy, std::try_to_lock);
        if (!busy) {   // another thread's job is running: do this one alone
            runSerial(count, context, fn);
            return;
        }
        ensureThreads(workers);
        uint64_t gen = (m_gen + 1) & ((uint64_t{1} << (64 - kIndexBits)) - 1);
        if (gen == 0)   // workers start having "seen" generation 0
            gen = 1;
        m_gen = gen;
        m_count.store(count, std::memory_order_relaxed);
        m_context.store(context, std::memory_order_relaxed);
        m_fn.store(fn, std::memory_order_relaxed);
        m_done.store(0, std::memory_order_relaxed);
        m_workers.store(workers, std::memory_order_relaxed);
        m_state.store(gen << kIndexBits, std::memory_order_release);
        {
            std::lock_guard lock(m_mutex);
            m_published = gen;
        }
        m_wake.notify_all();
        t_insidePool = true;
        const int64_t mine = claimAndRun(gen);
        t_insidePool = false;
        m_done.fetch_add(mine, std::memory_order_acq_rel);
        // Wait only for chunks other threads have claimed and are running; yield now and then
        // in case such a thread is waiting for this core.
        for (int spin = 0; m_done.load(std::memory_order_acquire) < count; ++spin) {
            if (spin % 256 == 255)
                std::this_thread::yield();
            else
                NNC_PAUSE();
        }
    }

private:
    static void runSerial(int64_t count, void *context, detail::ChunkFn fn)
    {
        const bool outer = t_insidePool;
        t_insidePool = true;
        for (int64_t i = 0; i < count; ++i)
            fn(context, i);
        t_insidePool = outer;
    }

    /// Claims indices of job `gen` until none are left; returns how many this thread ran.
    int64_t claimAndRun(uint64_t gen)
    {
        int64_t ran = 0;
        while (true) {
            uint64_t v = m_state.load(std::memory_order_acquire);
            if ((v >> kIndexBits) != gen)
                break;
            const auto i = static_cast<int64_t>(v & kIndexMask);
            if (i >= m_count.load(std::memory_order_relaxed))
                break;
            if (!m_state.compare_exchange_weak(v, v + 1, std::memory_order_acq_rel))
                continue;
            // The job cannot finish (nor be replaced) before this claimed chunk is done.
            m_fn.load(std::memory_order_relaxed)(m_context.load(std::memory_order_relaxed), i);
            ++ran;
        }
        return ran;
    }

    void ensureThreads(int workers)
    {
        while (static_cast<int>(m_threads.size()) < workers) {
            const int id = static_cast<int>(m_threads.size());
            m_threads.emplace_back([this, id] { workerLoop(id); });
        }
    }

    void workerLoop(int id)
    {
        t_insidePool = true;
        t_threadIndex = id + 1;
        uint64_t seen = 0;
        while (true) {
            // Poll briefly (tens of microseconds) before sleeping: kernels often start jobs
            // back to back, but a longer spin would compete with the OpenMP loops of other ops.
            uint64_t gen = seen;
            for (int spin = 0; spin < 500; ++spin) {
                gen = m_state.load(std::memory_order_acquire) >> kIndexBits;
                if (gen != seen)
                    break;
                NNC_PAUSE();
            }
            if (gen == seen) {
                std::unique_lock lock(m_mutex);
                m_wake.wait(lock, [&] { return m_stop || m_published != seen; });
                if (m_stop)
                    return;
                gen = m_published;
            }
            seen = gen;
            if (id >= m_workers.load(std::memory_order_relaxed))
                continue;
            const int64_t ran = claimAndRun(gen);
            if (ran > 0)
                m_done.fetch_add(ran, std::memory_order_acq_rel);
        }
    }

    std::mutex m_busy;                       // one job at a time
    std::mutex m_mutex;                      // guards m_published and m_stop for sleeping
    std::condition_variable m_wake;
    std::vector<std::thread> m_threads;
    uint64_t m_gen = 0;                      // last generation started (under m_busy)
    uint64_t m_published = 0;
    bool m_stop = false;
    std::atomic<uint64_t> m_state{0};        // generation << kIndexBits | next index
    std::atomic<int64_t> m_count{0};
    std::atomic<void *> m_context{nullptr};
    std::atomic<detail::ChunkFn> m_fn{nullptr};
    std::atomic<int64_t> m_done{0};
    std::atomic<int> m_workers{0};
};

Pool &pool()
{
    static Pool p;
    return p;
}

} // namespace

int parallelThreadIndex()
{
    return t_threadIndex;
}

int parallelThreads()
{
    return omp_in_parallel() || t_insidePool ? 1 : omp_get_max_threads();
}

namespace detail {

void parallelForImpl(int64_t count, void *context, ChunkFn fn)
{
    const int threads = parallelThreads();
    if (count <= 1 || threads <= 1) {
        const bool outer = t_insidePool;
        t_insidePool = true;
        for (int64_t i = 0; i < count; ++i)
            fn(context, i);
        t_insidePool = outer;
        return;
    }
    pool().run(count, context, fn, threads - 1);
}

} // namespace detail

} // namespace nnc::nn
