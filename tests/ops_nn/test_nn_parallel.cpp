// The nn thread pool (core/ops/nn_parallel.h): every index runs exactly once, nested and
// concurrent calls fall back to serial work correctly, and results do not depend on timing.
#include "core/ops/nn_parallel.h"

#include <QtTest/QtTest>

#include <atomic>
#include <omp.h>
#include <thread>
#include <vector>

using namespace nnc::nn;

class TestNnParallel : public QObject
{
    Q_OBJECT

private slots:
    void everyIndexRunsExactlyOnce()
    {
        omp_set_num_threads(2);
        for (int64_t count : {0, 1, 2, 3, 17, 1000, 100000}) {
            std::vector<std::atomic<int>> hits(static_cast<std::size_t>(count));
            for (int rep = 0; rep < 20; ++rep)
                parallelFor(count, [&](int64_t i) { hits[static_cast<std::size_t>(i)]++; });
            for (int64_t i = 0; i < count; ++i)
                QCOMPARE(hits[static_cast<std::size_t>(i)].load(), 20);
        }
    }

    void rangesCoverEverythingOnce()
    {
        omp_set_num_threads(2);
        for (int64_t n : {0, 1, 5, 64, 1001}) {
            std::vector<std::atomic<int>> hits(static_cast<std::size_t>(n));
            parallelForRange(n, 3, [&](int64_t b, int64_t e) {
                QVERIFY(b < e);
                for (int64_t i = b; i < e; ++i)
                    hits[static_cast<std::size_t>(i)]++;
            });
            for (int64_t i = 0; i < n; ++i)
                QCOMPARE(hits[static_cast<std::size_t>(i)].load(), 1);
        }
    }

    void nestedCallsRunSerially()
    {
        omp_set_num_threads(2);
        std::atomic<int64_t> sum{0};
        std::atomic<int> nestedThreads{0};
        parallelFor(8, [&](int64_t i) {
            QCOMPARE(parallelThreads(), 1);
            const int outerIndex = parallelThreadIndex();
            parallelFor(10, [&](int64_t j) {
                if (parallelThreadIndex() != outerIndex)
                    nestedThreads++;
                sum += i * 10 + j;
            });
        });
        QCOMPARE(sum.load(), int64_t{3160});   // sum of 0..79
        QCOMPARE(nestedThreads.load(), 0);
    }

    void concurrentCallersAllComplete()
    {
        // Two application threads share the pool: one gets it, the other runs serially.
        omp_set_num_threads(2);
        std::atomic<int64_t> totals[2] = {0, 0};
        auto work = [&](int t) {
            for (int rep = 0; rep < 200; ++rep)
                parallelFor(50, [&](int64_t i) { totals[t] += i; });
        };
        std::thread a(work, 0), b(work, 1);
        a.join();
        b.join();
        QCOMPARE(totals[0].load(), int64_t{200 * 1225});
        QCOMPARE(totals[1].load(), int64_t{200 * 1225});
    }

    void singleThreadConfigurationStaysOnCaller()
    {
        omp_set_num_threads(1);
        const auto caller = std::this_thread::get_id();
        bool elsewhere = false;
        parallelFor(
            100, [&](int64_t) { elsewhere = elsewhere || std::this_thread::get_id() != caller; });
        QVERIFY(!elsewhere);
        omp_set_num_threads(2);
    }
};

QTEST_APPLESS_MAIN(TestNnParallel)
#include "test_nn_parallel.moc"
