// Per-head accuracy budgets: parsing, judging, and `nncompress eval --budget` (exit code 5 when
// a head loses more than its budget) on the demo CNN.
#include "core/eval/budget.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace nnc;

namespace {

EvalResult twoHeads(double intentDeltaPp, double slotDeltaPp)
{
    EvalResult r;
    r.withPlan = true;
    HeadResult a;
    a.output = "intent_logits";
    a.deltaPp = intentDeltaPp;
    HeadResult b;
    b.output = "slot_logits";
    b.deltaPp = slotDeltaPp;
    r.heads = {a, b};
    return r;
}

} // namespace

class TestBudget : public QObject
{
    Q_OBJECT

private slots:
    void parsesDefaultAndPerHead()
    {
        auto one = parseBudgets("0.5");
        QVERIFY(one.has_value());
        QCOMPARE(one->size(), std::size_t(1));
        QVERIFY((*one)[0].output.empty());
        QCOMPARE((*one)[0].maxDropPp, 0.5);

        auto mixed = parseBudgets("intent_logits=0.25, 2 ,slot_logits = 1");
        QVERIFY2(mixed.has_value(), mixed ? "" : mixed.error().message.c_str());
        QCOMPARE(mixed->size(), std::size_t(3));
        QCOMPARE((*mixed)[0].output, std::string("intent_logits"));
        QCOMPARE((*mixed)[0].maxDropPp, 0.25);
        QVERIFY((*mixed)[1].output.empty());
        QCOMPARE((*mixed)[1].maxDropPp, 2.0);
        QCOMPARE((*mixed)[2].output, std::string("slot_logits"));
        QCOMPARE((*mixed)[2].maxDropPp, 1.0);
    }

    void refusesBadLists_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("message");
        QTest::newRow("word") << "abc" << "Budget 'abc': 'abc' is not a number of percentage points.";
        QTest::newRow("negative") << "x=-1" << "Budget 'x=-1': the allowed drop cannot be negative.";
        QTest::newRow("empty item") << "1,,2" << "Budget list '1,,2' has an empty item.";
        QTest::newRow("no name") << "=1" << "Budget '=1' names no output.";
        QTest::newRow("twice") << "a=1,a=2" << "Budget list 'a=1,a=2' names 'a' twice.";
        QTest::newRow("two defaults") << "1,2" << "Budget list '1,2' gives the default twice.";
        QTest::newRow("nan") << "nan" << "Budget 'nan': 'nan' is not a number of percentage points.";
    }
    void refusesBadLists()
    {
        QFETCH(QString, text);
        QFETCH(QString, message);
        auto r = parseBudgets(text.toStdString());
        QVERIFY(!r.has_value());
        QCOMPARE(QString::fromStdString(r.error().message), message);
        QCOMPARE(r.error().code, Error::Code::Usage);
    }

    void judgesEachHeadOnItsOwn()
    {
        // Intent lost 0.4 pp, slots lost 1.5 pp: a 1 pp default passes intent and fails slots;
        // a per-head 2 pp for slots then passes both; a gain always passes.
        const EvalResult r = twoHeads(-0.4, -1.5);
        auto v = judgeBudgets(r, *parseBudgets("1"));
        QVERIFY(v.has_value());
        QCOMPARE(v->size(), std::size_t(2));
        QVERIFY((*v)[0].pass);
        QCOMPARE((*v)[0].dropPp, 0.4);
        QVERIFY(!(*v)[1].pass);
        QCOMPARE((*v)[1].dropPp, 1.5);

        v = judgeBudgets(r, *parseBudgets("1,slot_logits=2"));
        QVERIFY((*v)[0].pass && (*v)[1].pass);
        QCOMPARE((*v)[1].maxDropPp, 2.0);

        // Only the named head is judged when there is no default.
        v = judgeBudgets(r, *parseBudgets("intent_logits=0.3"));
        QCOMPARE(v->size(), std::size_t(1));
        QCOMPARE((*v)[0].output, std::string("intent_logits"));
        QVERIFY(!(*v)[0].pass);

        // Exactly at the budget passes; a gain passes a zero budget.
        v = judgeBudgets(twoHeads(-0.4, 0.2), *parseBudgets("intent_logits=0.4,slot_logits=0"));
        QVERIFY((*v)[0].pass && (*v)[1].pass);
    }

    void unknownHeadIsAnError()
    {
        auto v = judgeBudgets(twoHeads(0, 0), *parseBudgets("intent=1"));
        QVERIFY(!v.has_value());
        QCOMPARE(QString::fromStdString(v.error().message),
                 QStringLiteral("Budget names 'intent', which is not an output of the model (outputs: "
                                "intent_logits, slot_logits)."));
    }

    void cliExitCodeFollowsTheBudget()
    {
        // 2-bit weights everywhere cost the demo CNN accuracy on its first 300 test images; a
        // zero budget must fail (exit 5), a 100 pp budget must pass (exit 0).
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString planPath = dir.filePath("two_bit.json");
        QFile plan(planPath);
        QVERIFY(plan.open(QIODevice::WriteOnly));
        plan.write(R"({"format": "nncompress-plan", "version": 1,
                       "defaults": {"weights": {"bits": 2}, "activations": {"enabled": false}}})");
        plan.close();
        const QString model = NNC_SOURCE_DIR "/resources/demo/fashion_cnn.onnx";
        const QString data = NNC_SOURCE_DIR "/resources/demo/fashion_val.json";
        auto run = [&](const QString &budget, QByteArray *out) {
            QProcess p;
            p.start(NNC_CLI_PATH, {"eval", model, "--data", data, "--plan", planPath, "--limit", "300",
                                   "--budget", budget, "--json"});
            if (!p.waitForFinished(300000))
                return -1;
            *out = p.readAllStandardOutput();
            return p.exitCode();
        };
        QByteArray out;
        QCOMPARE(run("0", &out), 5);
        QVERIFY2(out.contains("\"within_budget\": false"), out.constData());
        QCOMPARE(run("100", &out), 0);
        QVERIFY2(out.contains("\"within_budget\": true"), out.constData());
        QCOMPARE(run("nosuchhead=1", &out), 2);
    }
};

QTEST_APPLESS_MAIN(TestBudget)
#include "test_budget.moc"
