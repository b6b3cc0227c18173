// Metrics: top-1/top-5, token accuracy with an ignore index, BIO entity extraction and F1, the
// Wilson interval.
#include "core/eval/metrics.h"

#include <QtTest>

using namespace nnc;

class TestMetrics : public QObject
{
    Q_OBJECT

private slots:
    void topOneAndTopFive();
    void tokenAccuracyIgnoresPadding();
    void bioEntitiesFollowConllRules();
    void entityF1CountsExactSpans();
    void wilsonInterval();
};

void TestMetrics::topOneAndTopFive()
{
    // 2 samples x 6 classes
    const Tensor logits = Tensor::fromVector<float>({2, 6}, {0, 5, 1, 2, 3, 4, /**/ 9, 8, 7, 6, 5, 4});
    const Tensor labels = Tensor::fromVector<int64_t>({2}, {1, 5});
    MetricAccumulator top1{"accuracy"};
    top1.add(logits, labels);
    QCOMPARE(top1.correct, int64_t(1));
    QCOMPARE(top1.value(), 0.5);
    MetricAccumulator top5{"top5"};
    top5.add(logits, labels);
    QCOMPARE(top5.value(), 0.5); // class 5 of sample 2 is 6th
}

void TestMetrics::tokenAccuracyIgnoresPadding()
{
    // 1 sequence x 3 tokens x 2 tags; last token is padding
    const Tensor logits = Tensor::fromVector<float>({1, 3, 2}, {1, 0, 0, 1, 1, 0});
    const Tensor labels = Tensor::fromVector<int64_t>({1, 3}, {0, 0, -100});
    MetricAccumulator m{"token_accuracy"};
    m.add(logits, labels);
    QCOMPARE(m.total, int64_t(2));
    QCOMPARE(m.correct, int64_t(1));
}

void TestMetrics::bioEntitiesFollowConllRules()
{
    const auto e = bioEntities({"B-dest", "I-dest", "O", "I-song", "I-song", "B-song", "I-dest"});
    QCOMPARE(e.size(), std::size_t(4));
    QCOMPARE(e[0], (Entity{"dest", 0, 2}));
    QCOMPARE(e[1], (Entity{"song", 3, 5})); // I- after O starts an entity
    QCOMPARE(e[2], (Entity{"song", 5, 6})); // B- always starts a new one
    QCOMPARE(e[3], (Entity{"dest", 6, 7})); // type change starts a new one
}

void TestMetrics::entityF1CountsExactSpans()
{
    // tags: 0=O 1=B-dest 2=I-dest ; gold: B I O B ; pred: B I O O -> tp 1, pred 1, gold 2
    MetricAccumulator m{"entity_f1"};
    m.tagNames = {"O", "B-dest", "I-dest"};
    const Tensor gold = Tensor::fromVector<int64_t>({1, 4}, {1, 2, 0, 1});
    const Tensor logits = Tensor::fromVector<float>({1, 4, 3}, {0, 1, 0, 0, 0, 1, 1, 0, 0, 1, 0, 0});
    m.add(logits, gold);
    QCOMPARE(m.truePos, int64_t(1));
    QCOMPARE(m.predicted, int64_t(1));
    QCOMPARE(m.gold, int64_t(2));
    QCOMPARE(m.value(), 2.0 * 1.0 * 0.5 / 1.5);
}

void TestMetrics::wilsonInterval()
{
    MetricAccumulator m{"accuracy"};
    m.correct = 90;
    m.total = 100;
    const auto [lo, hi] = m.interval95();
    QVERIFY(qAbs(lo - 0.8256) < 1e-3); // Wilson 95% for 90/100: [0.8256, 0.9448]
    QVERIFY(qAbs(hi - 0.9448) < 1e-3);
}

QTEST_APPLESS_MAIN(TestMetrics)
#include "test_metrics.moc"
