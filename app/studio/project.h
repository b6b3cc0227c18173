// The Studio's document: which model and validation data are open, the compression plan being
// edited (every edit an undo step), the view state, and the .nncproj file it is saved to.
// GUI thread only. Workers receive copies of the plan, never a reference to it.
//
// .nncproj is JSON: {"format": "nncompress-project", "version": 1, "model": path, "data": path,
// "plan": <the plan JSON of docs/plan-format.md>, "view": {...}}; version 2 adds "budgets" (the
// accuracy budget per output head). Paths are stored relative to the project file when they
// share a folder tree with it (docs/project-format.md).
#pragma once

#include "core/eval/budget.h"
#include "core/plan/plan.h"
#include "core/util/error.h"

#include <QJsonObject>
#include <QObject>
#include <QString>

#include <functional>
#include <optional>
#include <string>
#include <vector>

class QUndoStack;

namespace nnc::studio {

/// Budgets judged against one evaluation result.
struct BudgetJudgement
{
    std::vector<nnc::BudgetVerdict> verdicts;  ///< judgeBudgets' verdicts, in head order
    std::vector<std::string> unknownOutputs;   ///< budgets naming an output the model lacks
};

/// Judges `budgets` against `result` with core's judgeBudgets (the CLI's `eval --budget`), after
/// setting aside the budgets that name an output `result` does not have (listed, not judged).
BudgetJudgement judgeProjectBudgets(const std::vector<nnc::HeadBudget> &budgets,
                                    const nnc::EvalResult &result);

class Project final : public QObject
{
    Q_OBJECT

public:
    explicit Project(QObject *parent = nullptr);
    ~Project() override;

    /// Forgets everything (model, data, plan, undo history, file path): a new, unmodified project.
    void clear();

    QString modelPath() const { return m_modelPath; }
    QString dataPath() const { return m_dataPath; }
    /// Setting the model or data is not an undo step; it marks the project modified.
    void setModelPath(const QString &path);
    void setDataPath(const QString &path);

    /// The plan as it stands (after the undo stack's current step).
    const CompressionPlan &plan() const { return m_plan; }
    QUndoStack *undoStack() const { return m_undo; }

    /// Applies `edit` to a copy of the plan and pushes it as one undo step named `text`. Edits
    /// pushed in a row with the same non-negative `mergeId` merge into one step (e.g. the
    /// intermediate positions of one drag); call endMerge() when the gesture ends.
    void editPlan(const QString &text, const std::function<void(CompressionPlan &)> &edit,
                  int mergeId = -1);
    /// Replaces the whole plan as one undo step (import, reset all).
    void replacePlan(const CompressionPlan &plan, const QString &text);
    /// Closes the current merge run so the next edit with the same mergeId is a new step.
    void endMerge();

    /// Accuracy budgets per output head (core/eval/budget.h): at most one entry per output and
    /// at most one default (empty output), sorted with the default first, then by output name.
    const std::vector<nnc::HeadBudget> &budgets() const { return m_budgets; }
    /// The budget that applies to `output`: its own, else the default, else none.
    std::optional<double> budgetFor(const std::string &output) const;
    /// The explicit budget of `output` (empty: the default), without falling back.
    std::optional<double> ownBudget(const std::string &output) const;
    /// Sets (a value) or removes (nullopt) the budget of `output` (empty: the default for every
    /// head without its own) as one undo step. Refuses a negative or non-finite value and a
    /// name with control characters; no change is no step.
    Result<void> setBudget(const std::string &output, std::optional<double> maxDropPp);
    /// Replaces all budgets as one undo step named `text` (same checks as setBudget, plus no
    /// output twice).
    Result<void> setBudgets(std::vector<nnc::HeadBudget> budgets, const QString &text);

    /// Free-form view state saved with the project (selected layer, splitter sizes, tab, ...).
    QJsonObject viewState() const { return m_view; }
    void setViewState(const QJsonObject &view);

    QString filePath() const { return m_filePath; }
    /// Treats the current state as the unmodified starting point (a model or demo just opened:
    /// nothing to save yet). Keeps the undo history.
    void markUnmodified();
    bool isModified() const;

    /// Writes the project atomically to `path`; on success it becomes the file path and the
    /// project is unmodified.
    Result<void> save(const QString &path);
    /// Reads a project file (strict: unknown format/version or a bad plan is an error naming the
    /// JSON path); on success replaces this project's state and clears the undo history.
    Result<void> open(const QString &path);

    /// Opens a recovery file written by writeAutosave(): the project has no file path afterwards
    /// and is modified (the user decides where to save it).
    Result<void> restoreAutosave(const QString &path);

    /// Writes a recovery copy (not changing the file path or modified state) to `path`.
    Result<void> writeAutosave(const QString &path) const;

signals:
    /// After any plan change: edit, undo, redo, replace, open, clear.
    void planChanged();
    /// After any change of the budgets: edit, undo, redo, open, clear.
    void budgetsChanged();
    void modelPathChanged(const QString &path);
    void dataPathChanged(const QString &path);
    void modifiedChanged(bool modified);
    void filePathChanged(const QString &path);

private:
    friend class PlanCommand;
    friend class BudgetCommand;
    void setBudgetsFromCommand(const std::vector<nnc::HeadBudget> &budgets);
    void setPlanFromCommand(const CompressionPlan &plan);
    void setDirty(bool dirty);

    QUndoStack *m_undo = nullptr;
    CompressionPlan m_plan;
    std::vector<nnc::HeadBudget> m_budgets;
    QString m_modelPath;
    QString m_dataPath;
    QString m_filePath;
    QJsonObject m_view;
    bool m_pathsDirty = false;  ///< model/data/view changed since the last save
    int m_mergeRun = 0;         ///< incremented by endMerge()
};

} // namespace nnc::studio
