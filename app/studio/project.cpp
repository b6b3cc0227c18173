// Project: the Studio's document (see project.h), its undo commands and the .nncproj format
// (docs/project-format.md).
#include "app/studio/project.h"

#include "core/util/atomic_file.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QUndoCommand>
#include <QUndoStack>

#include <algorithm>
#include <cmath>

namespace nnc::studio {

namespace {

/// Version 2 adds "budgets". A project without budgets is written as version 1, so Studios that
/// predate budgets still open it; this Studio reads both.
constexpr int kFormatVersion = 2;
constexpr int kFormatVersionWithoutBudgets = 1;
const char kFormat[] = "nncompress-project";

std::filesystem::path toPath(const QString &path)
{
    return std::filesystem::path(QFile::encodeName(path).toStdString());
}

/// `path` relative to `dir` when it lies in `dir`'s tree or at most two folders above it, so a
/// project folder moved together with its model keeps working; otherwise absolute.
QString storedPath(const QString &path, const QDir &dir)
{
    if (path.isEmpty())
        return {};
    const QString absolute = QFileInfo(path).absoluteFilePath();
    const QString relative = dir.relativeFilePath(absolute);
    int ups = 0;
    for (const QString &part : relative.split(QLatin1Char('/')))
        ups += part == QLatin1String("..");
    if (QDir::isAbsolutePath(relative) || ups > 2)
        return absolute;
    // Two trees that meet only at the file system's root (a project in /tmp/x, the model in
    // /home/...) are not "near": "../../home/..." would break as soon as the project moves.
    QDir ancestor = dir;
    for (int i = 0; i < ups; ++i)
        ancestor.cdUp();
    if (ups > 0 && ancestor.isRoot())
        return absolute;
    return relative;
}

QString resolvedPath(const QString &stored, const QDir &dir)
{
    if (stored.isEmpty())
        return {};
    return QDir::cleanPath(QDir::isAbsolutePath(stored) ? stored : dir.absoluteFilePath(stored));
}

} // namespace

/// One plan edit: the plan before and after. Consecutive edits with the same merge id and merge
/// run collapse into one command holding the first "before" and the last "after".
class PlanCommand final : public QUndoCommand
{
public:
    PlanCommand(Project *project, CompressionPlan before, CompressionPlan after,
                const QString &text, int mergeId, int run)
        : QUndoCommand(text), m_project(project), m_before(std::move(before)),
          m_after(std::move(after)), m_mergeId(mergeId), m_run(run)
    {
    }

    void undo() override { m_project->setPlanFromCommand(m_before); }
    void redo() override { m_project->setPlanFromCommand(m_after); }
    int id() const override { return m_mergeId; }

    bool mergeWith(const QUndoCommand *other) override
    {
        const auto *o = static_cast<const PlanCommand *>(other);
        if (o->m_mergeId != m_mergeId || o->m_run != m_run)
            return false;
        m_after = o->m_after;
        setText(o->text());
        // A gesture that ends where it started is no step at all.
        setObsolete(m_after == m_before);
        return true;
    }

private:
    Project *m_project;
    CompressionPlan m_before;
    CompressionPlan m_after;
    int m_mergeId;
    int m_run;
};

BudgetJudgement judgeProjectBudgets(const std::vector<HeadBudget> &budgets,
                                    const EvalResult &result)
{
    BudgetJudgement out;
    std::vector<HeadBudget> known;
    for (const HeadBudget &b : budgets) {
        const bool present = b.output.empty() ||
                             std::ranges::any_of(result.heads, [&](const HeadResult &h) {
                                 return h.output == b.output;
                             });
        if (present)
            known.push_back(b);
        else
            out.unknownOutputs.push_back(b.output);
    }
    // Every name left is an output of `result`, so judgeBudgets cannot refuse them.
    if (auto judged = judgeBudgets(result, known))
        out.verdicts = std::move(*judged);
    return out;
}

/// One budget edit: all budgets before and after (they are few).
class BudgetCommand final : public QUndoCommand
{
public:
    BudgetCommand(Project *project, std::vector<HeadBudget> before,
                  std::vector<HeadBudget> after, const QString &text)
        : QUndoCommand(text), m_project(project), m_before(std::move(before)),
          m_after(std::move(after))
    {
    }

    void undo() override { m_project->setBudgetsFromCommand(m_before); }
    void redo() override { m_project->setBudgetsFromCommand(m_after); }

private:
    Project *m_project;
    std::vector<HeadBudget> m_before;
    std::vector<HeadBudget> m_after;
};

namespace {

bool sameBudgets(const std::vector<HeadBudget> &a, const std::vector<HeadBudget> &b)
{
    return std::ranges::equal(a, b, [](const HeadBudget &x, const HeadBudget &y) {
        return x.output == y.output && x.maxDropPp == y.maxDropPp;
    });
}

/// Checks one budget; the message names the head ("the default" for the empty name).
Result<void> checkBudget(const HeadBudget &b)
{
    const std::string who = b.output.empty() ? std::string("the default budget")
                                             : "the budget of " + b.output;
    if (!std::isfinite(b.maxDropPp) || b.maxDropPp < 0)
        return fail(who + " must be a number of percentage points, 0 or more.");
    if (b.maxDropPp > 100)
        return fail(who + " must be at most 100 percentage points.");
    for (const char c : b.output)
        if (static_cast<unsigned char>(c) < 0x20)
            return fail("An output name must not contain control characters.");
    return {};
}

/// Checks and sorts budgets (default first, then by output name); duplicates are an error.
Result<std::vector<HeadBudget>> normalizedBudgets(std::vector<HeadBudget> budgets)
{
    for (const HeadBudget &b : budgets)
        if (auto ok = checkBudget(b); !ok)
            return std::unexpected(ok.error());
    std::ranges::sort(budgets, {}, &HeadBudget::output);
    for (std::size_t i = 1; i < budgets.size(); ++i)
        if (budgets[i].output == budgets[i - 1].output)
            return fail(budgets[i].output.empty()
                            ? std::string("There is more than one default budget.")
                            : "The output " + budgets[i].output + " has more than one budget.");
    return budgets;
}

} // namespace

Project::Project(QObject *parent) : QObject(parent), m_undo(new QUndoStack(this))
{
    m_plan = CompressionPlan::defaults();
    connect(m_undo, &QUndoStack::cleanChanged, this, [this] { emit modifiedChanged(isModified()); });
}

Project::~Project()
{
    // The stack's commands point back at this project: delete them while it is still whole.
    m_undo->clear();
}

void Project::clear()
{
    const bool wasModified = isModified();
    m_undo->clear();
    m_plan = CompressionPlan::defaults();
    const bool budgetsHad = !m_budgets.empty();
    m_budgets.clear();
    const bool modelChanged = !m_modelPath.isEmpty();
    const bool dataChanged = !m_dataPath.isEmpty();
    m_modelPath.clear();
    m_dataPath.clear();
    m_view = QJsonObject();
    const bool fileChanged = !m_filePath.isEmpty();
    m_filePath.clear();
    m_pathsDirty = false;
    ++m_mergeRun;
    if (modelChanged)
        emit modelPathChanged(m_modelPath);
    if (dataChanged)
        emit dataPathChanged(m_dataPath);
    if (fileChanged)
        emit filePathChanged(m_filePath);
    emit planChanged();
    if (budgetsHad)
        emit budgetsChanged();
    if (wasModified)
        emit modifiedChanged(false);
}

void Project::setModelPath(const QString &path)
{
    if (path == m_modelPath)
        return;
    m_modelPath = path;
    m_plan.model = QFileInfo(path).fileName().toStdString();
    setDirty(true);
    emit modelPathChanged(path);
}

void Project::setDataPath(const QString &path)
{
    if (path == m_dataPath)
        return;
    m_dataPath = path;
    setDirty(true);
    emit dataPathChanged(path);
}

void Project::editPlan(const QString &text, const std::function<void(CompressionPlan &)> &edit,
                       int mergeId)
{
    CompressionPlan after = m_plan;
    edit(after);
    if (after == m_plan && mergeId < 0)
        return;  // nothing changed: no empty undo step
    m_undo->push(new PlanCommand(this, m_plan, std::move(after), text, mergeId, m_mergeRun));
}

void Project::replacePlan(const CompressionPlan &plan, const QString &text)
{
    if (plan == m_plan)
        return;
    ++m_mergeRun;
    m_undo->push(new PlanCommand(this, m_plan, plan, text, -1, m_mergeRun));
}

void Project::endMerge()
{
    ++m_mergeRun;
}

std::optional<double> Project::ownBudget(const std::string &output) const
{
    for (const HeadBudget &b : m_budgets)
        if (b.output == output)
            return b.maxDropPp;
    return std::nullopt;
}

std::optional<double> Project::budgetFor(const std::string &output) const
{
    if (auto own = ownBudget(output))
        return own;
    return ownBudget({});
}

Result<void> Project::setBudget(const std::string &output, std::optional<double> maxDropPp)
{
    std::vector<HeadBudget> after;
    for (const HeadBudget &b : m_budgets)
        if (b.output != output)
            after.push_back(b);
    if (maxDropPp)
        after.push_back({output, *maxDropPp});
    const QString head = output.empty() ? tr("default") : QString::fromStdString(output);
    // One arg() call: an output name containing "%2" is not substituted a second time.
    const QString text = maxDropPp
                             ? tr("Set %1 budget to %2 pp").arg(head, QString::number(*maxDropPp))
                             : tr("Remove %1 budget").arg(head);
    return setBudgets(std::move(after), text);
}

Result<void> Project::setBudgets(std::vector<HeadBudget> budgets, const QString &text)
{
    auto normalized = normalizedBudgets(std::move(budgets));
    if (!normalized)
        return std::unexpected(normalized.error());
    if (sameBudgets(*normalized, m_budgets))
        return {};  // nothing changed: no empty undo step
    ++m_mergeRun;
    m_undo->push(new BudgetCommand(this, m_budgets, std::move(*normalized), text));
    return {};
}

void Project::setBudgetsFromCommand(const std::vector<HeadBudget> &budgets)
{
    m_budgets = budgets;
    emit budgetsChanged();
}

void Project::setViewState(const QJsonObject &view)
{
    if (view == m_view)
        return;
    m_view = view;
    // View state (selection, splitters) alone does not make the document "modified": it is
    // saved along with real changes, but never prompts on close.
}

void Project::markUnmodified()
{
    const bool before = isModified();
    m_pathsDirty = false;
    m_undo->setClean();
    if (before)
        emit modifiedChanged(false);
}

bool Project::isModified() const
{
    return m_pathsDirty || !m_undo->isClean();
}

void Project::setDirty(bool dirty)
{
    const bool before = isModified();
    m_pathsDirty = dirty;
    if (before != isModified())
        emit modifiedChanged(isModified());
}

void Project::setPlanFromCommand(const CompressionPlan &plan)
{
    m_plan = plan;
    emit planChanged();
}

namespace {

QJsonObject budgetsJson(const std::vector<HeadBudget> &budgets)
{
    QJsonObject root;
    QJsonObject heads;
    for (const HeadBudget &b : budgets) {
        if (b.output.empty())
            root.insert(QStringLiteral("default"), b.maxDropPp);
        else
            heads.insert(QString::fromStdString(b.output), b.maxDropPp);
    }
    if (!heads.isEmpty())
        root.insert(QStringLiteral("heads"), heads);
    return root;
}

/// Reads $.budgets: {"default": pp, "heads": {"output": pp, ...}}, both optional.
Result<std::vector<HeadBudget>> parseBudgetsJson(const QJsonValue &value)
{
    if (!value.isObject())
        return fail("$.budgets must be an object.");
    const QJsonObject root = value.toObject();
    std::vector<HeadBudget> budgets;
    auto number = [](const QJsonValue &v, const std::string &where) -> Result<double> {
        if (!v.isDouble())
            return fail(where + " must be a number of percentage points.");
        const double pp = v.toDouble();
        if (!std::isfinite(pp) || pp < 0 || pp > 100)
            return fail(where + " must be between 0 and 100 percentage points.");
        return pp;
    };
    for (auto it = root.begin(); it != root.end(); ++it) {
        if (it.key() == QLatin1String("default")) {
            auto pp = number(it.value(), "$.budgets.default");
            if (!pp)
                return std::unexpected(pp.error());
            budgets.push_back({std::string(), *pp});
        } else if (it.key() == QLatin1String("heads")) {
            if (!it.value().isObject())
                return fail("$.budgets.heads must be an object mapping output names to percentage points.");
            const QJsonObject heads = it.value().toObject();
            for (auto h = heads.begin(); h != heads.end(); ++h) {
                const std::string output = h.key().toStdString();
                if (output.empty())
                    return fail("$.budgets.heads has an empty output name; use $.budgets.default for every head.");
                auto pp = number(h.value(), "$.budgets.heads." + output);
                if (!pp)
                    return std::unexpected(pp.error());
                budgets.push_back({output, *pp});
            }
        } else {
            return fail("$.budgets." + it.key().toStdString() +
                        " is not a budgets field (only \"default\" and \"heads\").");
        }
    }
    auto normalized = normalizedBudgets(std::move(budgets));
    if (!normalized)
        return fail("$.budgets: " + normalized.error().message);
    return normalized;
}

QByteArray projectJson(const CompressionPlan &plan, const std::vector<HeadBudget> &budgets,
                       const QString &model, const QString &data, const QJsonObject &view,
                       const QDir &dir)
{
    const std::string planText = planToJson(plan);
    const QJsonDocument planDoc =
        QJsonDocument::fromJson(QByteArray::fromStdString(planText));
    QJsonObject root;
    root.insert(QStringLiteral("format"), QLatin1String(kFormat));
    root.insert(QStringLiteral("version"),
                budgets.empty() ? kFormatVersionWithoutBudgets : kFormatVersion);
    root.insert(QStringLiteral("model"), storedPath(model, dir));
    root.insert(QStringLiteral("data"), storedPath(data, dir));
    root.insert(QStringLiteral("plan"), planDoc.object());
    root.insert(QStringLiteral("view"), view);
    if (!budgets.empty())
        root.insert(QStringLiteral("budgets"), budgetsJson(budgets));
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

} // namespace

Result<void> Project::save(const QString &path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    const QByteArray bytes =
        projectJson(m_plan, m_budgets, m_modelPath, m_dataPath, m_view, QFileInfo(absolute).absoluteDir());
    if (auto written = writeFileAtomically(toPath(absolute), bytes.toStdString()); !written)
        return written;
    const bool wasModified = isModified();
    m_pathsDirty = false;
    m_undo->setClean();
    if (m_filePath != absolute) {
        m_filePath = absolute;
        emit filePathChanged(m_filePath);
    }
    if (wasModified)
        emit modifiedChanged(false);
    return {};
}

Result<void> Project::writeAutosave(const QString &path) const
{
    // Paths in a recovery file are absolute: it lives in the application's data folder.
    const QByteArray bytes = projectJson(m_plan, m_budgets, m_modelPath, m_dataPath, m_view, QDir::root());
    QJsonObject root = QJsonDocument::fromJson(bytes).object();
    root.insert(QStringLiteral("model"), m_modelPath.isEmpty()
                                             ? QString()
                                             : QFileInfo(m_modelPath).absoluteFilePath());
    root.insert(QStringLiteral("data"),
                m_dataPath.isEmpty() ? QString() : QFileInfo(m_dataPath).absoluteFilePath());
    QDir().mkpath(QFileInfo(path).absolutePath());
    return writeFileAtomically(toPath(path),
                               QJsonDocument(root).toJson(QJsonDocument::Indented).toStdString());
}

Result<void> Project::open(const QString &path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    const std::string name = QFileInfo(path).fileName().toStdString();
    QFile file(absolute);
    if (!file.open(QIODevice::ReadOnly))
        return fail("Cannot read the project file " + name + ": " + file.errorString().toStdString() + ".");
    const QByteArray bytes = file.readAll();
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return fail(name + " is not valid JSON at byte " + std::to_string(parseError.offset) +
                    ": " + parseError.errorString().toStdString() + ".");
    if (!doc.isObject())
        return fail(name + ": $ must be an object.");
    const QJsonObject root = doc.object();
    static const QStringList known = {QStringLiteral("format"), QStringLiteral("version"),
                                      QStringLiteral("model"),  QStringLiteral("data"),
                                      QStringLiteral("plan"),   QStringLiteral("view"),
                                      QStringLiteral("budgets")};
    for (auto it = root.begin(); it != root.end(); ++it)
        if (!known.contains(it.key()))
            return fail(name + ": $." + it.key().toStdString() + " is not a project field.");
    if (root.value(QStringLiteral("format")).toString() != QLatin1String(kFormat))
        return fail(name + ": $.format must be \"" + kFormat + "\"; this is not an NNCompress project.");
    const QJsonValue version = root.value(QStringLiteral("version"));
    if (!version.isDouble() || (version.toDouble() != kFormatVersion &&
                                version.toDouble() != kFormatVersionWithoutBudgets))
        return fail(name + ": $.version " +
                    QJsonDocument(QJsonArray{version}).toJson(QJsonDocument::Compact)
                        .mid(1).chopped(1).toStdString() +
                    " is not supported (this Studio reads versions " +
                    std::to_string(kFormatVersionWithoutBudgets) + " and " +
                    std::to_string(kFormatVersion) + ").");
    const QJsonValue budgetsValue = root.value(QStringLiteral("budgets"));
    std::vector<HeadBudget> budgets;
    if (!budgetsValue.isUndefined()) {
        if (version.toDouble() < kFormatVersion)
            return fail(name + ": $.budgets needs $.version " + std::to_string(kFormatVersion) +
                        "; version " + std::to_string(kFormatVersionWithoutBudgets) +
                        " projects have no budgets.");
        auto parsed = parseBudgetsJson(budgetsValue);
        if (!parsed)
            return fail(name + ": " + parsed.error().message);
        budgets = std::move(*parsed);
    }
    for (const char *key : {"model", "data"}) {
        const QJsonValue v = root.value(QLatin1String(key));
        if (!v.isUndefined() && !v.isString())
            return fail(name + ": $." + key + " must be a string.");
    }
    const QJsonValue planValue = root.value(QStringLiteral("plan"));
    if (!planValue.isObject())
        return fail(name + ": $.plan must be an object (a compression plan).");
    const QJsonValue viewValue = root.value(QStringLiteral("view"));
    if (!viewValue.isUndefined() && !viewValue.isObject())
        return fail(name + ": $.view must be an object.");
    auto plan = parsePlan(
        QJsonDocument(planValue.toObject()).toJson(QJsonDocument::Compact).toStdString());
    if (!plan) {
        // The plan parser names paths from its own root ("$.layers..."): re-root them.
        std::string message = plan.error().message;
        if (message.rfind("$", 0) == 0)
            message = "$.plan" + message.substr(1);
        return fail(name + ": " + message);
    }

    const QDir dir = QFileInfo(absolute).absoluteDir();
    const QString model = resolvedPath(root.value(QStringLiteral("model")).toString(), dir);
    const QString data = resolvedPath(root.value(QStringLiteral("data")).toString(), dir);

    m_undo->clear();
    ++m_mergeRun;
    m_plan = std::move(*plan);
    const bool budgetsDiffer = !sameBudgets(budgets, m_budgets);
    m_budgets = std::move(budgets);
    const bool modelChanged = model != m_modelPath;
    const bool dataChanged = data != m_dataPath;
    m_modelPath = model;
    m_dataPath = data;
    m_view = viewValue.toObject();
    m_pathsDirty = false;
    m_filePath = absolute;
    emit filePathChanged(m_filePath);
    if (modelChanged)
        emit modelPathChanged(m_modelPath);
    if (dataChanged)
        emit dataPathChanged(m_dataPath);
    emit planChanged();
    if (budgetsDiffer)
        emit budgetsChanged();
    emit modifiedChanged(false);
    return {};
}

Result<void> Project::restoreAutosave(const QString &path)
{
    if (auto opened = open(path); !opened)
        return opened;
    // The recovered work belongs to no file yet and is not saved anywhere the user chose.
    m_filePath.clear();
    emit filePathChanged(m_filePath);
    setDirty(true);
    return {};
}

} // namespace nnc::studio
