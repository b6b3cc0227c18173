// Project budgets: the .nncproj round trip (version 2), old version-1 projects, strict reading,
// undo/redo one step per edit with the modified marker, and judging against an EvalResult the
// way `nncompress eval --budget` does (unknown outputs set aside, never a crash).
#include "app/studio/project.h"

#include "core/eval/budget.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>

using namespace nnc;
using namespace nnc::studio;

namespace {

QJsonObject readJson(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    return QJsonDocument::fromJson(f.readAll()).object();
}

void writeText(const QString &path, const QByteArray &text)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        qFatal("cannot write %s", qPrintable(path));
    f.write(text);
}

const QByteArray kPlan = R"({"format": "nncompress-plan", "version": 1})";

EvalResult twoHeads(double intentDeltaPp, double slotDeltaPp)
{
    EvalResult r;
    r.withPlan = true;
    HeadResult intent;
    intent.output = "intent_logits";
    intent.metric = "accuracy";
    intent.deltaPp = intentDeltaPp;
    HeadResult slot;
    slot.output = "slot_logits";
    slot.metric = "entity_f1";
    slot.deltaPp = slotDeltaPp;
    r.heads = {intent, slot};
    return r;
}

} // namespace

class TestProjectBudgets final : public QObject
{
    Q_OBJECT

private slots:
    void budgetsRoundTrip();
    void noBudgetsIsStillVersionOne();
    void oldProjectWithoutBudgetsOpens();
    void badBudgetsAreRefusedWithThePath();
    void editsAreUndoableOneStepEach();
    void badValuesAreRefused();
    void budgetForFallsBackToTheDefault();
    void judgementEqualsCoreAndSetsAsideUnknownOutputs();
};

void TestProjectBudgets::budgetsRoundTrip()
{
    QTemporaryDir dir;
    Project p;
    QVERIFY(p.setBudget({}, 1.0));
    QVERIFY(p.setBudget("slot_logits", 0.25));
    const QString path = dir.path() + "/a.nncproj";
    QVERIFY(p.save(path));
    const QJsonObject root = readJson(path);
    QCOMPARE(root["version"].toInt(), 2);
    QCOMPARE(root["budgets"]["default"].toDouble(), 1.0);
    QCOMPARE(root["budgets"]["heads"]["slot_logits"].toDouble(), 0.25);

    Project q;
    QSignalSpy changed(&q, &Project::budgetsChanged);
    QVERIFY(q.open(path));
    QCOMPARE(changed.count(), 1);
    QCOMPARE(q.budgets().size(), std::size_t(2));
    QCOMPARE(q.budgets()[0].output, std::string());
    QCOMPARE(q.budgets()[0].maxDropPp, 1.0);
    QCOMPARE(q.budgets()[1].output, std::string("slot_logits"));
    QCOMPARE(q.budgets()[1].maxDropPp, 0.25);
    QVERIFY(!q.isModified());
    QCOMPARE(q.undoStack()->count(), 0);

    // The recovery copy keeps them too.
    const QString autosave = dir.path() + "/recovery.nncproj";
    QVERIFY(q.writeAutosave(autosave));
    Project r;
    QVERIFY(r.restoreAutosave(autosave));
    QCOMPARE(r.budgetFor("slot_logits"), std::optional<double>(0.25));
    QCOMPARE(r.budgetFor("intent_logits"), std::optional<double>(1.0));
}

void TestProjectBudgets::noBudgetsIsStillVersionOne()
{
    QTemporaryDir dir;
    Project p;
    const QString path = dir.path() + "/plain.nncproj";
    QVERIFY(p.save(path));
    const QJsonObject root = readJson(path);
    QCOMPARE(root["version"].toInt(), 1);
    QVERIFY(!root.contains("budgets"));
}

void TestProjectBudgets::oldProjectWithoutBudgetsOpens()
{
    QTemporaryDir dir;
    const QString path = dir.path() + "/old.nncproj";
    writeText(path, R"({"format": "nncompress-project", "version": 1, "model": "m.onnx",
                        "plan": )" + kPlan + "}");
    Project p;
    QVERIFY(p.setBudget({}, 2.0));  // budgets of the previous project must not linger
    QSignalSpy changed(&p, &Project::budgetsChanged);
    const auto opened = p.open(path);
    QVERIFY2(opened, opened ? "" : opened.error().message.c_str());
    QVERIFY(p.budgets().empty());
    QCOMPARE(changed.count(), 1);
    QVERIFY(!p.budgetFor("intent_logits"));
}

void TestProjectBudgets::badBudgetsAreRefusedWithThePath()
{
    QTemporaryDir dir;
    const QString path = dir.path() + "/bad.nncproj";
    struct Case
    {
        QByteArray version;
        QByteArray budgets;
        QString expected;
    };
    const std::vector<Case> cases = {
        {"1", R"({"default": 1})", "$.budgets needs $.version 2"},
        {"2", R"([1])", "$.budgets must be an object"},
        {"2", R"({"default": "1"})", "$.budgets.default must be a number"},
        {"2", R"({"default": -1})", "$.budgets.default must be between 0 and 100"},
        {"2", R"({"heads": {"slot_logits": 101}})", "$.budgets.heads.slot_logits must be between"},
        {"2", R"({"heads": {"": 1}})", "empty output name"},
        {"2", R"({"heads": [1]})", "$.budgets.heads must be an object"},
        {"2", R"({"perHead": {}})", "$.budgets.perHead is not a budgets field"},
    };
    for (const Case &c : cases) {
        writeText(path, R"({"format": "nncompress-project", "version": )" + c.version +
                            R"(, "plan": )" + kPlan + R"(, "budgets": )" + c.budgets + "}");
        Project p;
        const auto opened = p.open(path);
        QVERIFY2(!opened, c.budgets.constData());
        QVERIFY2(QString::fromStdString(opened.error().message).contains(c.expected),
                 opened.error().message.c_str());
        QVERIFY(p.budgets().empty());
    }
    writeText(path, R"({"format": "nncompress-project", "version": 3, "plan": )" + kPlan + "}");
    Project p;
    const auto opened = p.open(path);
    QVERIFY(!opened);
    QVERIFY(QString::fromStdString(opened.error().message).contains("versions 1 and 2"));
}

void TestProjectBudgets::editsAreUndoableOneStepEach()
{
    QTemporaryDir dir;
    Project p;
    QVERIFY(p.save(dir.path() + "/u.nncproj"));
    QVERIFY(!p.isModified());
    QSignalSpy changed(&p, &Project::budgetsChanged);
    QSignalSpy modified(&p, &Project::modifiedChanged);
    QVERIFY(p.setBudget({}, 1.0));
    QVERIFY(p.setBudget("slot_logits", 0.5));
    QVERIFY(p.setBudget("slot_logits", 0.5));  // no change: no step
    QCOMPARE(p.undoStack()->count(), 2);
    QCOMPARE(changed.count(), 2);
    QVERIFY(p.isModified());
    QCOMPARE(modified.count(), 1);
    QVERIFY(p.undoStack()->text(1).contains("slot_logits"));

    p.undoStack()->undo();
    QCOMPARE(changed.count(), 3);
    QVERIFY(!p.ownBudget("slot_logits"));
    QCOMPARE(p.budgetFor("slot_logits"), std::optional<double>(1.0));
    p.undoStack()->undo();
    QVERIFY(p.budgets().empty());
    QVERIFY(!p.isModified());  // back at the saved state
    p.undoStack()->redo();
    p.undoStack()->redo();
    QCOMPARE(p.budgetFor("slot_logits"), std::optional<double>(0.5));
    QVERIFY(p.isModified());

    // Removing one is a step as well, and plan edits interleave on the same stack.
    QVERIFY(p.setBudget("slot_logits", std::nullopt));
    p.editPlan("4 bit", [](CompressionPlan &plan) { plan.weightDefaults.spec.bits = 4; });
    QCOMPARE(p.undoStack()->count(), 4);
    p.undoStack()->undo();
    p.undoStack()->undo();
    QCOMPARE(p.ownBudget("slot_logits"), std::optional<double>(0.5));
}

void TestProjectBudgets::badValuesAreRefused()
{
    Project p;
    QVERIFY(!p.setBudget({}, -0.5));
    QVERIFY(!p.setBudget("x", std::numeric_limits<double>::quiet_NaN()));
    QVERIFY(!p.setBudget("x", std::numeric_limits<double>::infinity()));
    QVERIFY(!p.setBudget("x\n", 1.0));
    const auto twice = p.setBudgets({{"a", 1.0}, {"a", 2.0}}, "twice");
    QVERIFY(!twice);
    QVERIFY(QString::fromStdString(twice.error().message).contains("more than one budget"));
    QVERIFY(p.budgets().empty());
    QCOMPARE(p.undoStack()->count(), 0);
}

void TestProjectBudgets::budgetForFallsBackToTheDefault()
{
    Project p;
    QVERIFY(!p.budgetFor("a"));
    QVERIFY(p.setBudget("a", 0.1));
    QCOMPARE(p.budgetFor("a"), std::optional<double>(0.1));
    QVERIFY(!p.budgetFor("b"));
    QVERIFY(p.setBudget({}, 3.0));
    QCOMPARE(p.budgetFor("b"), std::optional<double>(3.0));
    QCOMPARE(p.budgetFor("a"), std::optional<double>(0.1));
    // Sorted: the default first.
    QCOMPARE(p.budgets().front().output, std::string());
    p.clear();
    QVERIFY(p.budgets().empty());
}

void TestProjectBudgets::judgementEqualsCoreAndSetsAsideUnknownOutputs()
{
    const EvalResult r = twoHeads(-0.3, -1.5);
    const std::vector<HeadBudget> budgets = {{"", 1.0}, {"intent_logits", 0.2}};
    const BudgetJudgement j = judgeProjectBudgets(budgets, r);
    const auto core = judgeBudgets(r, budgets);
    QVERIFY(core);
    QCOMPARE(j.verdicts.size(), core->size());
    for (std::size_t i = 0; i < core->size(); ++i) {
        QCOMPARE(j.verdicts[i].output, (*core)[i].output);
        QCOMPARE(j.verdicts[i].pass, (*core)[i].pass);
        QCOMPARE(j.verdicts[i].dropPp, (*core)[i].dropPp);
        QCOMPARE(j.verdicts[i].maxDropPp, (*core)[i].maxDropPp);
    }
    QVERIFY(!j.verdicts[0].pass);  // intent lost 0.3 of 0.2
    QVERIFY(!j.verdicts[1].pass);  // slot lost 1.5 of 1.0
    QVERIFY(j.unknownOutputs.empty());

    // A budget for a head this model lacks: core refuses the list, the Studio sets it aside.
    const std::vector<HeadBudget> withUnknown = {{"ner_logits", 0.5}, {"slot_logits", 2.0}};
    QVERIFY(!judgeBudgets(r, withUnknown));
    const BudgetJudgement k = judgeProjectBudgets(withUnknown, r);
    QCOMPARE(k.unknownOutputs, std::vector<std::string>{"ner_logits"});
    QCOMPARE(k.verdicts.size(), std::size_t(1));
    QCOMPARE(k.verdicts[0].output, std::string("slot_logits"));
    QVERIFY(k.verdicts[0].pass);
}

QTEST_APPLESS_MAIN(TestProjectBudgets)
#include "test_project_budgets.moc"
