// Gathering a compression report: one evaluation under the plan, an optional sensitivity run,
// and the weight histograms of the layers with the largest error, with their quantization ranges.
#include "core/report/report.h"

#include "core/eval/weight_compression.h"
#include "core/model/onnx_reader.h"
#include "core/plan/plan.h"
#include "core/model/onnx_reader.h"
#include "core/stats/layers.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <ctime>
#include <fstream>
#include <initializer_list>
#include <limits>
#include <numeric>
#include <sstream>
#include <stop_token>

namespace nnc {

namespace {

namespace fs = std::filesystem;

std::string nowUtc()
{
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", &tm);
    return buf;
}

/// The "description" field of a dataset description file, or "" (the report still works
/// without it; the data binding itself is checked by openDataset).
std::string datasetDescriptionText(const fs::path &path)
{
    if (path.extension() != ".json")
        return {};
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return {};
    std::stringstream ss;
    ss << in.rdbuf();
    const auto j = nlohmann::json::parse(ss.str(), nullptr, false);
    if (j.is_object() && j.contains("description") && j["description"].is_string())
        return j["description"].get<std::string>();
    return {};
}

/// A Progress for one stage of a longer job: maps the stage's done/total onto [from, to) of the
/// outer 0..100 (never going back: an evaluation reports calibration, baseline and plan passes
/// one after the other) and forwards the outer cancellation at each report.
class StageProgress
{
public:
    StageProgress(const Progress &outer, double from, double to)
        : m_progress(m_source.get_token(), [this, &outer, from, to](int64_t done, int64_t total) {
              if (outer.cancelled())
                  m_source.request_stop();
              if (total <= 0)
                  return;
              const auto at = static_cast<int64_t>(from + (to - from) * double(done) / total);
              if (at > m_last) {
                  m_last = at;
                  outer.report(at, 100);
              }
          })
    {
        if (outer.cancelled())
            m_source.request_stop();
    }
    const Progress &progress() const { return m_progress; }

private:
    std::stop_source m_source;
    int64_t m_last = -1;
    Progress m_progress;
};

/// Quantization range facts of one layer under the plan, from the exact parameters the
/// evaluator uses.
Result<ReportHistogram> histogramFor(const Model &model, const Layer &layer,
                                     const CompressionPlan &plan, const ReportLayer &row, int bins)
{
    ReportHistogram h;
    h.layer = layer.name;
    h.weightSqnrDb = row.weightSqnrDb;
    h.outputSqnrDb = row.outputSqnrDb;
    auto w = layerWeight(model, layer);
    if (!w)
        return std::unexpected(w.error());
    const std::span<const float> values = w->span<float>();
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (float v : values)
        if (std::isfinite(v)) {
            lo = std::min(lo, double(v));
            hi = std::max(hi, double(v));
        }
    if (!std::isfinite(lo))
        lo = hi = 0;

    const QuantConfig q = plan.weightConfig(layer.name);
    if (q.enabled && row.compressed) {
        auto cw = compressLayerWeight(model, layer, q, plan.pruneConfig(layer.name));
        if (!cw)
            return std::unexpected(cw.error());
        if (!cw->params.empty()) {
            h.quantized = true;
            h.bits = q.spec.bits;
            h.channels = static_cast<int64_t>(cw->params.size());
            std::vector<double> cLo, cHi;
            for (const QuantParams &p : cw->params) {
                cLo.push_back(double(p.scale) * (p.qmin - p.zeroPoint));
                cHi.push_back(double(p.scale) * (p.qmax - p.zeroPoint));
            }
            // Channel of each weight, for the clipping count and for spotting all-zero channels.
            const Dims &dims = cw->pruned.dims();
            int64_t inner = 1, channels = 1;
            if (cw->axis >= 0 && cw->axis < static_cast<int>(dims.size())) {
                channels = dims[static_cast<std::size_t>(cw->axis)];
                for (std::size_t d = static_cast<std::size_t>(cw->axis) + 1; d < dims.size(); ++d)
                    inner *= dims[d];
            }
            const std::span<const float> pv = cw->pruned.span<float>();
            auto channelOf = [&](std::size_t i) {
                if (cLo.size() == 1)
                    return std::size_t(0);
                const auto c =
                    static_cast<std::size_t>((static_cast<int64_t>(i) / inner) % channels);
                return std::min(c, cLo.size() - 1);
            };
            std::vector<char> used(cLo.size(), 0);
            int64_t clipped = 0;
            for (std::size_t i = 0; i < pv.size(); ++i) {
                const std::size_t c = channelOf(i);
                used[c] |= pv[i] != 0.0f;
                const double s = cw->params[c].scale;
                // Beyond half a step past the end, rounding cannot reach the value: clipped.
                clipped += pv[i] < cLo[c] - s / 2 || pv[i] > cHi[c] + s / 2;
            }
            h.clippedShare = pv.empty() ? 0.0 : double(clipped) / double(pv.size());
            // An all-zero channel (a padding row, a pruned channel) gets the degenerate scale 1
            // and a range of +-127 that says nothing about the layer: leave such channels out of
            // the range figures (unless every channel is empty).
            if (std::find(used.begin(), used.end(), 1) == used.end())
                std::fill(used.begin(), used.end(), 1);
            std::size_t narrow = cLo.size(), wide = cLo.size();
            h.rangeLo = std::numeric_limits<double>::infinity();
            h.rangeHi = -h.rangeLo;
            h.stepMin = std::numeric_limits<double>::infinity();
            h.stepMax = 0;
            for (std::size_t c = 0; c < cLo.size(); ++c) {
                if (!used[c])
                    continue;
                h.rangeLo = std::min(h.rangeLo, cLo[c]);
                h.rangeHi = std::max(h.rangeHi, cHi[c]);
                h.stepMin = std::min(h.stepMin, double(cw->params[c].scale));
                h.stepMax = std::max(h.stepMax, double(cw->params[c].scale));
                if (narrow == cLo.size() || cHi[c] - cLo[c] < cHi[narrow] - cLo[narrow])
                    narrow = c;
                if (wide == cLo.size() || cHi[c] - cLo[c] > cHi[wide] - cLo[wide])
                    wide = c;
            }
            h.narrowLo = cLo[narrow];
            h.narrowHi = cHi[narrow];
            const QuantParams &pw = cw->params[wide];
            if (pw.qmax - pw.qmin + 1 <= 64)
                for (int32_t k = pw.qmin; k <= pw.qmax; ++k)
                    h.levels.push_back(double(pw.scale) * (k - pw.zeroPoint));
            lo = std::min(lo, h.rangeLo);
            hi = std::max(hi, h.rangeHi);
        }
    }
    h.histogram = computeHistogram(values, std::max(bins, 1), lo, hi);
    return h;
}

} // namespace

std::vector<std::size_t> ReportSensitivity::order(std::size_t head) const
{
    std::vector<std::size_t> idx(bars.size());
    std::iota(idx.begin(), idx.end(), std::size_t(0));
    auto at = [&](const std::vector<double> &v) { return head < v.size() ? v[head] : 0.0; };
    std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) {
        const double da = at(bars[a].deltaPp), db = at(bars[b].deltaPp);
        if (da != db)
            return da < db;
        return at(bars[a].outputSqnrDb) < at(bars[b].outputSqnrDb);
    });
    return idx;
}

Result<ReportData> buildReport(std::shared_ptr<const Model> model, const fs::path &dataPath,
                               const CompressionPlan &plan, const std::string &planFile,
                               const ReportOptions &options, const Progress &progress)
{
    if (!model)
        return fail("no model to report on.", Error::Code::Usage);
    if (options.sensitivity && (options.sensitivityBits < 2 || options.sensitivityBits > 16))
        return fail("the sensitivity bit width " + std::to_string(options.sensitivityBits) +
                        " is outside 2 to 16.",
                    Error::Code::Usage);
    if (options.limit == 0 || options.limit < -1)
        return fail("the sample limit must be a positive number, not " +
                        std::to_string(options.limit) + ".",
                    Error::Code::Usage);
    if (options.batchSize <= 0)
        return fail("the batch size must be positive, not " + std::to_string(options.batchSize) +
                        ".",
                    Error::Code::Usage);

    const std::string modelName = model->path.filename().string();
    const std::vector<Layer> layers = findLayers(*model);
    if (auto v = validatePlan(plan, layers, activationTensors(layers)); !v)
        return fail("the plan" + (planFile.empty() ? std::string() : " '" + planFile + "'") +
                    " does not fit the model '" + modelName + "': " + v.error().message);
    if (dataPath.empty())
        return fail("a report needs validation data: none was given.", Error::Code::Usage);
    std::error_code ec;
    if (!fs::exists(dataPath, ec))
        return fail("the validation data '" + dataPath.string() + "' does not exist.");
    auto data = openDataset(dataPath, *model);
    if (!data)
        return std::unexpected(data.error());

    ReportData r;
    r.modelFile = modelName;
    r.opset = model->opset("");
    for (const Layer &l : layers)
        r.modelParameters += l.params;
    r.dataFile = dataPath.filename().string();
    r.dataDescription = datasetDescriptionText(dataPath);
    r.datasetSize = (*data)->size();
    r.planFile = planFile;
    r.plan = plan;
    r.created = options.created.empty() ? nowUtc() : options.created;

    EvalOptions eo;
    eo.limit = options.limit;
    eo.batchSize = options.batchSize;
    eo.threads = options.threads;
    auto ev = Evaluator::create(model, std::move(*data), eo);
    if (!ev)
        return std::unexpected(ev.error());
    Evaluator &evaluator = **ev;
    r.samples = evaluator.sampleCount();
    r.layerErrorSamples = std::min(eo.layerErrorSamples, r.samples);

    // Progress: the plan's evaluation counts as one layer's sensitivity run.
    const double evalShare = options.sensitivity ? 100.0 / double(layers.size() + 1) : 100.0;
    EvalResult res;
    {
        StageProgress stage(progress, 0, evalShare);
        auto e = evaluator.evaluate(&plan, stage.progress());
        if (!e)
            return std::unexpected(e.error());
        res = std::move(*e);
    }
    if (progress.cancelled())
        return fail("the report was cancelled.", Error::Code::Cancelled);
    r.heads = res.heads;
    r.size = res.size;
    r.calibrated = res.calibrated;

    for (std::size_t i = 0; i < layers.size(); ++i) {
        const Layer &l = layers[i];
        ReportLayer row;
        row.name = l.name;
        row.op = l.op;
        row.shape = l.shape;
        row.params = l.params;
        const QuantConfig q = plan.weightConfig(l.name);
        row.quantized = q.enabled;
        row.bits = q.enabled ? q.spec.bits : static_cast<int>(dtypeSize(l.storedType) * 8);
        row.perChannel = q.granularity == Granularity::PerChannel;
        row.symmetric = q.spec.symmetric;
        row.pruning = plan.pruneConfig(l.name);
        row.keptAsStored = l.op == "MatMulInteger" || l.op == "ConvInteger";
        row.storedType = std::string(dtypeName(l.storedType));
        if (i < res.layers.size()) {
            const LayerResult &lr = res.layers[i];
            row.compressed = lr.compressed;
            row.sparsity = lr.sparsity;
            row.weightSqnrDb = lr.weightSqnrDb;
            row.outputSqnrDb = lr.outputSqnrDb;
        }
        if (i < res.size.layers.size()) {
            row.floatBytes = res.size.layers[i].floatBytes;
            row.compressedBytes = res.size.layers[i].compressedBytes;
        }
        r.layers.push_back(std::move(row));
    }

    if (options.sensitivity && !layers.empty()) {
        SensitivitySpec spec;
        spec.bits = {options.sensitivityBits};
        StageProgress stage(progress, evalShare, 100);
        auto s = evaluator.sensitivity(spec, stage.progress());
        if (!s)
            return std::unexpected(s.error());
        if (progress.cancelled())
            return fail("the report was cancelled.", Error::Code::Cancelled);
        ReportSensitivity sens;
        sens.bits = options.sensitivityBits;
        sens.heads = s->heads;
        for (const std::string &head : s->heads) {
            std::string metric = "agreement";
            for (const HeadResult &h : r.heads)
                if (h.output == head)
                    metric = h.metric;
            sens.metrics.push_back(metric);
        }
        for (const SensitivityRow &row : s->rows) {
            ReportSensitivityBar bar;
            bar.layer = row.layer;
            bar.deltaPp = row.deltaPp;
            bar.outputSqnrDb = row.outputSqnrDb;
            if (!bar.deltaPp.empty())
                for (ReportLayer &l : r.layers)
                    if (l.name == row.layer)
                        l.sensitivityPp = *std::min_element(bar.deltaPp.begin(), bar.deltaPp.end());
            sens.bars.push_back(std::move(bar));
        }
        r.sensitivity = std::move(sens);
    }

    // The worst layers for weight histograms: lowest weight SQNR under the plan (output SQNR
    // also carries the error of every layer upstream, so it would point at late layers), then
    // lowest output SQNR.
    std::vector<std::size_t> order(layers.size());
    std::iota(order.begin(), order.end(), std::size_t(0));
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        const ReportLayer &x = r.layers[a], &y = r.layers[b];
        if (x.weightSqnrDb != y.weightSqnrDb)
            return x.weightSqnrDb < y.weightSqnrDb;
        return x.outputSqnrDb < y.outputSqnrDb;
    });
    // Only layers the plan changes: the histograms are there to show their ranges.
    std::erase_if(order, [&](std::size_t i) { return !r.layers[i].compressed; });
    for (std::size_t k = 0; k < order.size() && k < options.worstLayers; ++k) {
        if (progress.cancelled())
            return fail("the report was cancelled.", Error::Code::Cancelled);
        auto h =
            histogramFor(*model, layers[order[k]], plan, r.layers[order[k]], options.histogramBins);
        if (!h)
            return std::unexpected(h.error());
        r.histograms.push_back(std::move(*h));
    }
    progress.report(100, 100);
    return r;
}

Result<ReportData> buildReportFromFiles(const fs::path &modelPath, const fs::path &dataPath,
                                        const fs::path &planPath, const ReportOptions &options,
                                        const Progress &progress)
{
    auto m = readModel(modelPath);
    if (!m)
        return std::unexpected(m.error());
    auto plan = loadPlan(planPath);
    if (!plan)
        return std::unexpected(plan.error());
    return buildReport(std::make_shared<const Model>(std::move(*m)), dataPath, *plan,
                       planPath.filename().string(), options, progress);
}

namespace {

/// "the <what> '<path>' does not exist." when it does not, for the sections' inputs.
Result<void> mustExist(const fs::path &path, const std::string &what)
{
    std::error_code ec;
    if (path.empty())
        return fail("the " + what + " was not given.", Error::Code::Usage);
    if (!fs::exists(path, ec))
        return fail("the " + what + " '" + path.string() + "' does not exist.");
    return {};
}

using OptionLookup = std::function<std::optional<std::string>(const std::string &)>;

/// A section's pair of model options: both or neither ("give both models to <purpose>"), and
/// each of `dependents` only with the pair.
Result<void> checkModelPair(const OptionLookup &option, const std::string &first,
                            const std::string &second,
                            std::initializer_list<const char *> dependents,
                            const std::string &purpose)
{
    const bool given = option(first).has_value();
    if (given != option(second).has_value())
        return fail("--" + first + " and --" + second + " go together: give both models to " +
                        purpose + ".",
                    Error::Code::Usage);
    for (const char *o : dependents)
        if (option(o) && !given)
            return fail("--" + std::string(o) + " needs --" + first + " and --" + second + ".",
                        Error::Code::Usage);
    return {};
}

} // namespace

Result<ReportFusion> buildReportFusion(FusionRequest request, const Progress &progress)
{
    if (request.out)
        return fail("a report does not write the fused model; use nncompress fuse --out for it.",
                    Error::Code::Usage);
    if (auto e = mustExist(request.modelA, "fusion model A"); !e)
        return std::unexpected(e.error());
    if (auto e = mustExist(request.modelB, "fusion model B"); !e)
        return std::unexpected(e.error());
    for (const auto &[data, what] : {std::pair{&request.dataA, "fusion data for model A"},
                                     std::pair{&request.dataB, "fusion data for model B"}})
        if (*data)
            if (auto e = mustExist(**data, what); !e)
                return std::unexpected(e.error());
    auto r = fuseModels(request, progress);
    if (!r)
        return std::unexpected(r.error());
    if (progress.cancelled())
        return fail("the report was cancelled.", Error::Code::Cancelled);
    return reportFusionFrom(std::move(*r), request.dataA.value_or(fs::path()),
                            request.dataB.value_or(fs::path()));
}

ReportFusion reportFusionFrom(FusionReport result, const fs::path &dataA, const fs::path &dataB)
{
    ReportFusion f;
    f.modelA = fs::path(result.modelA).filename().string();
    f.modelB = fs::path(result.modelB).filename().string();
    // Without preview heads the data was not used, whatever was passed.
    bool previewA = false, previewB = false;
    for (const HeadPreview &h : result.heads) {
        previewA = previewA || h.model == "A";
        previewB = previewB || h.model == "B";
    }
    if (previewA)
        f.dataA = dataA.filename().string();
    if (previewB)
        f.dataB = dataB.filename().string();
    result.fused.reset(); // the graph is not part of the report
    f.result = std::move(result);
    return f;
}

Result<ReportDistillation> buildReportDistillation(const fs::path &teacherPath,
                                                   const fs::path &studentPath,
                                                   const fs::path &dataPath,
                                                   const fs::path &planPath,
                                                   const DistillOptions &options,
                                                   const Progress &progress)
{
    if (auto e = mustExist(teacherPath, "teacher model"); !e)
        return std::unexpected(e.error());
    if (auto e = mustExist(studentPath, "student model"); !e)
        return std::unexpected(e.error());
    if (auto e = mustExist(dataPath, "distillation data"); !e)
        return std::unexpected(e.error());
    if (!planPath.empty())
        if (auto e = mustExist(planPath, "student plan"); !e)
            return std::unexpected(e.error());
    if (!(options.temperature > 0) || !std::isfinite(options.temperature))
        return fail("the temperature must be a positive number.", Error::Code::Usage);
    auto teacher = readSharedModel(teacherPath);
    if (!teacher)
        return std::unexpected(teacher.error());
    auto student = readSharedModel(studentPath);
    if (!student)
        return std::unexpected(student.error());
    std::optional<CompressionPlan> plan;
    if (!planPath.empty()) {
        auto p = loadPlan(planPath);
        if (!p)
            return std::unexpected(p.error());
        plan = std::move(*p);
    }
    auto r = compareDistill(*teacher, *student, dataPath, plan ? &*plan : nullptr, options,
                            progress);
    if (!r)
        return fail("cannot compare the teacher '" + teacherPath.filename().string() +
                        "' with the student '" + studentPath.filename().string() +
                        "': " + r.error().message,
                    r.error().code);
    if (progress.cancelled())
        return fail("the report was cancelled.", Error::Code::Cancelled);
    return reportDistillationFrom(std::move(*r), teacherPath, studentPath, dataPath,
                                  planPath.filename().string(), options.cost);
}

ReportDistillation reportDistillationFrom(DistillReport result, const fs::path &teacher,
                                          const fs::path &student, const fs::path &data,
                                          const std::string &planFile, const CostOptions &cost)
{
    ReportDistillation d;
    d.teacherFile = teacher.filename().string();
    d.studentFile = student.filename().string();
    d.dataFile = data.filename().string();
    d.planFile = result.withPlan ? planFile : std::string();
    d.cost = cost;
    d.result = std::move(result);
    return d;
}

Result<void> applyReportBudgets(ReportData &data, const std::vector<HeadBudget> &budgets)
{
    EvalResult heads;
    heads.heads = data.heads;
    auto v = judgeBudgets(heads, budgets);
    if (!v)
        return std::unexpected(v.error());
    data.budgets = std::move(*v);
    return {};
}

Result<ReportData> buildReportWithSections(const fs::path &modelPath, const fs::path &dataPath,
                                           const fs::path &planPath,
                                           const ReportSectionsRequest &sections,
                                           const ReportOptions &options, const Progress &progress)
{
    auto m = readModel(modelPath);
    if (!m)
        return std::unexpected(m.error());
    auto plan = loadPlan(planPath);
    if (!plan)
        return std::unexpected(plan.error());
    if (!sections.budgets.empty()) {
        // The evaluator reports one head per graph output: check the names before the slow part.
        EvalResult outputs;
        for (const ValueInfo &o : m->graph.outputs)
            outputs.heads.push_back(HeadResult{.output = o.name});
        if (auto v = judgeBudgets(outputs, sections.budgets); !v)
            return std::unexpected(v.error());
    }
    // Missing section inputs are named before the evaluation runs.
    struct Input
    {
        fs::path path;
        const char *what;
        bool optional;
    };
    std::vector<Input> inputs;
    if (const auto &f = sections.fusion)
        inputs.insert(inputs.end(), {{f->modelA, "fusion model A", false},
                                     {f->modelB, "fusion model B", false},
                                     {f->dataA.value_or(fs::path()), "fusion data for model A", true},
                                     {f->dataB.value_or(fs::path()), "fusion data for model B", true}});
    if (const auto &d = sections.distillation)
        inputs.insert(inputs.end(), {{d->teacher, "teacher model", false},
                                     {d->student, "student model", false},
                                     {d->data, "distillation data", false},
                                     {d->plan, "student plan", true}});
    for (const Input &in : inputs)
        if (!in.optional || !in.path.empty())
            if (auto e = mustExist(in.path, in.what); !e)
                return std::unexpected(e.error());
    auto model = std::make_shared<const Model>(std::move(*m));
    auto r = buildReport(model, dataPath, *plan, planPath.filename().string(), options, progress);
    if (!r)
        return r;
    if (sections.fusion) {
        FusionRequest fr = *sections.fusion;
        fr.batchSize = options.batchSize;
        fr.limit = options.limit;
        fr.threads = options.threads;
        StageProgress stage(progress, 100, 100); // cancellation only: the bar stays full
        auto f = buildReportFusion(std::move(fr), stage.progress());
        if (!f)
            return std::unexpected(f.error());
        r->fusion = std::move(*f);
    }
    if (progress.cancelled())
        return fail("the report was cancelled.", Error::Code::Cancelled);
    if (sections.distillation) {
        const auto &ds = *sections.distillation;
        DistillOptions o = ds.options;
        o.batchSize = options.batchSize;
        o.limit = options.limit;
        o.threads = options.threads;
        StageProgress stage(progress, 100, 100);
        auto d = buildReportDistillation(ds.teacher, ds.student, ds.data, ds.plan, o,
                                         stage.progress());
        if (!d)
            return std::unexpected(d.error());
        r->distillation = std::move(*d);
    }
    if (progress.cancelled())
        return fail("the report was cancelled.", Error::Code::Cancelled);
    if (auto b = applyReportBudgets(*r, sections.budgets); !b)
        return std::unexpected(b.error());
    return r;
}

std::vector<std::string> reportSectionOptions()
{
    return {"budget",  "fusion-a", "fusion-b",     "backbone",    "fusion-data-a", "fusion-data-b",
            "teacher", "student",  "distill-data", "temperature", "student-plan"};
}

Result<ReportSectionsRequest>
parseReportSections(const OptionLookup &option, const fs::path &data)
{
    ReportSectionsRequest r;
    if (auto b = option("budget")) {
        auto budgets = parseBudgets(*b);
        if (!budgets)
            return std::unexpected(budgets.error());
        r.budgets = std::move(*budgets);
    }
    if (auto pair = checkModelPair(option, "fusion-a", "fusion-b",
                                   {"backbone", "fusion-data-a", "fusion-data-b"}, "fuse");
        !pair)
        return std::unexpected(pair.error());
    const auto a = option("fusion-a"), b = option("fusion-b");
    if (a) {
        FusionRequest fr;
        fr.modelA = *a;
        fr.modelB = *b;
        if (auto text = option("backbone")) {
            auto src = parseBackboneSource(*text);
            if (!src)
                return std::unexpected(src.error());
            fr.backbone = *src;
        }
        if (auto d = option("fusion-data-a"))
            fr.dataA = *d;
        if (auto d = option("fusion-data-b"))
            fr.dataB = *d;
        r.fusion = std::move(fr);
    }
    if (auto pair = checkModelPair(option, "teacher", "student",
                                   {"distill-data", "temperature", "student-plan"}, "compare");
        !pair)
        return std::unexpected(pair.error());
    const auto t = option("teacher"), s = option("student");
    if (t) {
        ReportSectionsRequest::Distillation d;
        d.teacher = *t;
        d.student = *s;
        d.data = option("distill-data").value_or(data.string());
        if (auto p = option("student-plan"))
            d.plan = *p;
        if (auto text = option("temperature")) {
            // from_chars: the C locale's decimal point whatever the process locale is.
            double v = 0;
            const char *end = text->data() + text->size();
            const auto [ptr, ec] = std::from_chars(text->data(), end, v);
            if (ec != std::errc{} || ptr != end || !(v > 0) || !std::isfinite(v))
                return fail("--temperature takes a positive number, not '" + *text + "'.",
                            Error::Code::Usage);
            d.options.temperature = v;
        }
        r.distillation = std::move(d);
    }
    return r;
}

} // namespace nnc
