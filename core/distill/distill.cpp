// Teacher against student: per-head metrics, agreement, KL divergence, per-class accuracy,
// costs and speed; the student under a plan; soft-label export.
#include "core/distill/distill.h"

#include "core/data/dataset.h"
#include "core/distill/npz_stream.h"
#include "core/eval/evaluator.h"
#include "core/eval/metrics.h"
#include "core/runtime/session.h"
#include "core/stats/layers.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstring>
#include <set>
#include <unordered_map>

namespace nnc {

namespace {

Result<void> checkTemperature(double t)
{
    if (!std::isfinite(t) || t <= 0)
        return fail("the temperature must be a positive number, not " + std::to_string(t) + ".",
                    Error::Code::Usage);
    return {};
}

/// log softmax(x / t) of one row, in double.
void logSoftmax(const float *x, int64_t n, double t, std::vector<double> &out)
{
    out.resize(static_cast<std::size_t>(n));
    double mx = -INFINITY;
    for (int64_t i = 0; i < n; ++i)
        mx = std::max(mx, double(x[i]) / t);
    double sum = 0;
    for (int64_t i = 0; i < n; ++i)
        sum += std::exp(double(x[i]) / t - mx);
    const double lse = mx + std::log(sum);
    for (int64_t i = 0; i < n; ++i)
        out[static_cast<std::size_t>(i)] = double(x[i]) / t - lse;
}

/// KL(p || q) of one row from the two log-probability rows. Classes the teacher gives
/// probability 0 (a logit of -inf, as masked vocabularies have) add nothing (0 log 0 = 0); a
/// class the teacher can produce and the student cannot makes the divergence +inf.
double klFromLogProbs(const std::vector<double> &logP, const std::vector<double> &logQ)
{
    double kl = 0;
    for (std::size_t i = 0; i < logP.size(); ++i) {
        const double p = std::exp(logP[i]);
        if (p > 0)
            kl += p * (logP[i] - logQ[i]);
    }
    return kl;
}

int64_t argmaxRow(const float *x, int64_t n)
{
    int64_t best = 0;
    for (int64_t i = 1; i < n; ++i)
        if (x[i] > x[best])
            best = i;
    return best;
}

/// Rows [start, start + count) of a tensor (sample axis first), as a copy.
Tensor sliceRows(const Tensor &t, int64_t start, int64_t count)
{
    Dims d = t.dims();
    const int64_t rowElems = d.empty() || d[0] == 0 ? 0 : t.numel() / d[0];
    d[0] = count;
    Tensor out(t.dtype(), d);
    const std::size_t es = dtypeSize(t.dtype());
    std::memcpy(out.mutableBytes().data(), t.bytes().data() + start * rowElems * es,
                static_cast<std::size_t>(count * rowElems) * es);
    return out;
}

std::vector<float> asFloats(const Tensor &t)
{
    if (t.dtype() == DataType::Float)
        return {t.data<float>(), t.data<float>() + t.numel()};
    return t.toFloatVector();
}

double median(std::vector<double> v)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

std::string joinNames(const std::vector<std::string> &v)
{
    std::string s;
    for (const auto &x : v)
        s += (s.empty() ? "" : ", ") + x;
    return s;
}

struct HeadAcc
{
    std::string output;
    int64_t teacherIndex = 0, studentIndex = 0;
    int64_t label = -1; // index into the dataset's labels
    MetricAccumulator t, s, p;
    double kl = 0, klPlan = 0;
    int64_t agree = 0, agreePlan = 0, positions = 0;
    std::vector<ClassAccuracy> classes;
};

} // namespace

Tensor softmaxWithTemperature(const Tensor &logits, double temperature)
{
    Tensor out(DataType::Float, logits.dims());
    if (logits.rank() == 0 || logits.numel() == 0)
        return out;
    const int64_t c = logits.dims().back();
    const auto v = asFloats(logits);
    auto o = out.mutableSpan<float>();
    std::vector<double> row;
    for (int64_t r = 0; c > 0 && r < logits.numel() / c; ++r) {
        logSoftmax(v.data() + r * c, c, temperature, row);
        for (int64_t i = 0; i < c; ++i)
            o[static_cast<std::size_t>(r * c + i)] =
                static_cast<float>(std::exp(row[static_cast<std::size_t>(i)]));
    }
    return out;
}

Result<DistillReport> compareDistill(std::shared_ptr<const Model> teacher,
                                     std::shared_ptr<const Model> student,
                                     const std::filesystem::path &data, const CompressionPlan *plan,
                                     const DistillOptions &options, const Progress &progress)
{
    if (auto t = checkTemperature(options.temperature); !t)
        return std::unexpected(t.error());
    if (!teacher || !student)
        return fail("a teacher and a student are both needed.", Error::Code::Internal);
    if (plan) {
        const auto layers = findLayers(*student);
        if (auto v = validatePlan(*plan, layers, activationTensors(layers)); !v)
            return fail("the plan does not fit the student '" + student->path.string() +
                            "': " + v.error().message,
                        v.error().code);
    }
    auto dsT = openDataset(data, *teacher);
    if (!dsT)
        return fail("data for the teacher: " + dsT.error().message, dsT.error().code);
    auto dsS = openDataset(data, *student);
    if (!dsS)
        return fail("data for the student: " + dsS.error().message, dsS.error().code);
    auto sT = Session::create(teacher, SessionOptions{options.threads});
    if (!sT)
        return fail("the teacher: " + sT.error().message, sT.error().code);
    auto sS = Session::create(student, SessionOptions{options.threads});
    if (!sS)
        return fail("the student: " + sS.error().message, sS.error().code);

    DistillReport rep;
    rep.temperature = options.temperature;
    rep.batchSize = std::max<int64_t>(1, options.batchSize);
    const auto outT = sT->outputNames(), outS = sS->outputNames();
    const DatasetSpec &spec = (*dsT)->spec();
    std::vector<HeadAcc> heads;
    for (std::size_t i = 0; i < outT.size(); ++i) {
        auto it = std::find(outS.begin(), outS.end(), outT[i]);
        if (it == outS.end()) {
            rep.unmatchedOutputs.push_back(outT[i]);
            continue;
        }
        HeadAcc h;
        h.output = outT[i];
        h.teacherIndex = static_cast<int64_t>(i);
        h.studentIndex = it - outS.begin();
        for (std::size_t l = 0; l < spec.labels.size(); ++l)
            if (spec.labels[l].output == h.output && spec.labels[l].metric != "agreement")
                h.label = static_cast<int64_t>(l);
        for (auto *m : {&h.t, &h.s, &h.p}) {
            if (h.label >= 0) {
                const LabelBinding &lb = spec.labels[static_cast<std::size_t>(h.label)];
                *m = MetricAccumulator(lb.metric);
                m->ignoreIndex = lb.ignoreIndex;
                m->tagNames = lb.tagNames;
            }
        }
        heads.push_back(std::move(h));
    }
    for (const auto &o : outS)
        if (std::find(outT.begin(), outT.end(), o) == outT.end())
            rep.unmatchedOutputs.push_back(o);
    if (heads.empty())
        return fail(
            "the teacher and the student share no output name (teacher: " + joinNames(outT) +
            "; student: " + joinNames(outS) + "); distillation compares outputs of the same name.");

    const auto inT = sT->inputNames();
    int64_t maskIndex = -1;
    const std::string maskName = options.maskInput.empty() ? "attention_mask" : options.maskInput;
    if (auto it = std::find(inT.begin(), inT.end(), maskName); it != inT.end())
        maskIndex = it - inT.begin();
    else if (!options.maskInput.empty())
        return fail("the teacher has no input '" + options.maskInput +
                        "' to use as the padding mask.",
                    Error::Code::Usage);

    // The student under the plan, through the evaluator (which applies compressed weights and
    // fake-quantized activations); its outputs are kept to compare with the teacher's below.
    std::unordered_map<std::string, Tensor> planOutputs;
    if (plan) {
        auto dsP = openDataset(data, *student);
        if (!dsP)
            return fail("data for the student: " + dsP.error().message, dsP.error().code);
        EvalOptions eo;
        eo.batchSize = rep.batchSize;
        eo.limit = options.limit;
        eo.threads = options.threads;
        eo.collectOutputs = true;
        eo.layerErrorSamples = 0;
        auto ev = Evaluator::create(student, std::move(*dsP), eo);
        if (!ev)
            return std::unexpected(ev.error());
        auto r = (*ev)->evaluate(plan, progress);
        if (!r)
            return std::unexpected(r.error());
        for (std::size_t i = 0; i < r->heads.size() && i < r->outputs.size(); ++i)
            planOutputs[r->heads[i].output] = r->outputs[i];
        rep.withPlan = true;
        rep.planSize = r->size;
        rep.calibrated = r->calibrated;
    }

    const int64_t total =
        options.limit >= 0 ? std::min(options.limit, (*dsT)->size()) : (*dsT)->size();
    if (total <= 0)
        return fail("the data '" + data.string() +
                    "' gives no samples to compare on (limit " + std::to_string(options.limit) +
                    ", " + std::to_string((*dsT)->size()) + " samples).");
    const int64_t bs = rep.batchSize;
    const int64_t batches = (total + bs - 1) / bs;
    std::vector<double> msT, msS, msTall, msSall;
    std::vector<double> rowT, rowS, rowP;
    using Clock = std::chrono::steady_clock;
    for (int64_t start = 0, bi = 0; start < total; start += bs, ++bi) {
        if (progress.cancelled())
            return fail("the distillation comparison was cancelled.", Error::Code::Cancelled);
        const int64_t count = std::min(bs, total - start);
        auto tb = (*dsT)->batch(start, count);
        if (!tb)
            return std::unexpected(tb.error());
        auto sb = (*dsS)->batch(start, count);
        if (!sb)
            return std::unexpected(sb.error());
        const auto t0 = Clock::now();
        auto ot = sT->run(tb->inputs);
        const auto t1 = Clock::now();
        if (!ot)
            return fail("the teacher: " + ot.error().message, ot.error().code);
        auto os = sS->run(sb->inputs);
        const auto t2 = Clock::now();
        if (!os)
            return fail("the student: " + os.error().message, os.error().code);
        const double a = std::chrono::duration<double, std::milli>(t1 - t0).count();
        const double b = std::chrono::duration<double, std::milli>(t2 - t1).count();
        msTall.push_back(a);
        msSall.push_back(b);
        if (count == bs) {
            msT.push_back(a);
            msS.push_back(b);
        }
        std::vector<int64_t> mask;
        Dims maskDims;
        if (maskIndex >= 0) {
            mask = tb->inputs[static_cast<std::size_t>(maskIndex)].toInt64Vector();
            maskDims = tb->inputs[static_cast<std::size_t>(maskIndex)].dims();
        }
        for (HeadAcc &h : heads) {
            const Tensor &yt = (*ot)[static_cast<std::size_t>(h.teacherIndex)];
            const Tensor &ys = (*os)[static_cast<std::size_t>(h.studentIndex)];
            if (yt.dims() != ys.dims())
                return fail("output '" + h.output + "' has shape " + dimsToString(yt.dims()) +
                            " in the teacher and " + dimsToString(ys.dims()) + " in the student.");
            if (yt.rank() < 2 || !isFloatingPoint(yt.dtype()) || !isFloatingPoint(ys.dtype()))
                return fail("output '" + h.output +
                            "' is not floating-point logits of shape "
                            "[batch, classes] or [batch, positions, classes] (it is " +
                            std::string(dtypeName(yt.dtype())) + " " + dimsToString(yt.dims()) +
                            ").");
            const int64_t c = yt.dims().back();
            const int64_t positions = c ? yt.numel() / c : 0;
            std::optional<Tensor> yp;
            if (plan) {
                auto it = planOutputs.find(h.output);
                if (it == planOutputs.end() || it->second.dims().empty() ||
                    it->second.dims()[0] < start + count)
                    return fail("the evaluator returned no output '" + h.output + "' for the plan.",
                                Error::Code::Internal);
                yp = sliceRows(it->second, start, count);
            }
            std::vector<int64_t> lv;
            const Tensor *labels = nullptr;
            int64_t ignore = -100;
            if (h.label >= 0) {
                labels = &tb->labels[static_cast<std::size_t>(h.label)];
                lv = labels->toInt64Vector();
                ignore = spec.labels[static_cast<std::size_t>(h.label)].ignoreIndex;
                h.t.add(yt, *labels);
                h.s.add(ys, *labels);
                if (yp)
                    h.p.add(*yp, *labels);
                if (h.classes.empty()) {
                    const auto &tags = spec.labels[static_cast<std::size_t>(h.label)].tagNames;
                    for (int64_t k = 0; k < c; ++k)
                        h.classes.push_back(ClassAccuracy{static_cast<std::size_t>(c) == tags.size()
                                                              ? tags[static_cast<std::size_t>(k)]
                                                              : std::to_string(k)});
                }
            }
            const bool labelPerPosition = static_cast<int64_t>(lv.size()) == positions;
            const bool maskPerPosition = !labelPerPosition &&
                                         static_cast<int64_t>(mask.size()) == positions &&
                                         yt.rank() == 3 && maskDims.size() == 2;
            const auto vt = asFloats(yt), vs = asFloats(ys);
            std::vector<float> vp;
            if (yp)
                vp = asFloats(*yp);
            for (int64_t k = 0; k < positions; ++k) {
                int64_t gold = -1;
                if (labelPerPosition) {
                    if (lv[static_cast<std::size_t>(k)] == ignore)
                        continue;
                    gold = lv[static_cast<std::size_t>(k)];
                } else if (maskPerPosition && mask[static_cast<std::size_t>(k)] == 0) {
                    continue;
                }
                const float *pt = vt.data() + k * c, *ps = vs.data() + k * c;
                logSoftmax(pt, c, options.temperature, rowT);
                logSoftmax(ps, c, options.temperature, rowS);
                h.kl += klFromLogProbs(rowT, rowS);
                const int64_t at = argmaxRow(pt, c), as = argmaxRow(ps, c);
                h.agree += at == as;
                ++h.positions;
                int64_t ap = -1;
                if (yp) {
                    const float *pp = vp.data() + k * c;
                    logSoftmax(pp, c, options.temperature, rowP);
                    h.klPlan += klFromLogProbs(rowT, rowP);
                    ap = argmaxRow(pp, c);
                    h.agreePlan += at == ap;
                }
                if (labels && !labelPerPosition && lv.size() == static_cast<std::size_t>(count) &&
                    positions == count)
                    gold = lv[static_cast<std::size_t>(k)];
                if (gold >= 0 && gold < c && !h.classes.empty()) {
                    ClassAccuracy &ca = h.classes[static_cast<std::size_t>(gold)];
                    ++ca.total;
                    ca.teacherCorrect += at == gold;
                    ca.studentCorrect += as == gold;
                    ca.planCorrect += ap == gold;
                }
            }
        }
        progress.report(bi + 1, batches);
    }
    rep.samples = total;
    for (HeadAcc &h : heads) {
        DistillHead d;
        d.output = h.output;
        d.hasLabels = h.label >= 0;
        d.metric = d.hasLabels ? h.t.metric : "agreement";
        d.positions = h.positions;
        d.teacher = d.hasLabels ? h.t.value() : 0;
        d.student = d.hasLabels ? h.s.value() : 0;
        d.agreement = h.positions ? double(h.agree) / h.positions : 0;
        d.klDivergence = h.positions ? h.kl / h.positions : 0;
        if (plan) {
            d.plan = d.hasLabels ? h.p.value() : 0;
            d.planAgreement = h.positions ? double(h.agreePlan) / h.positions : 0;
            d.planKl = h.positions ? h.klPlan / h.positions : 0;
        }
        d.perClass = std::move(h.classes);
        rep.heads.push_back(std::move(d));
    }
    rep.timedBatches = static_cast<int64_t>(msT.empty() ? msTall.size() : msT.size());
    rep.teacherMsPerBatch = median(msT.empty() ? msTall : msT);
    rep.studentMsPerBatch = median(msS.empty() ? msSall : msS);
    auto ct = measureModelCost(teacher, options.cost);
    if (!ct)
        return fail("the teacher: " + ct.error().message, ct.error().code);
    auto cs = measureModelCost(student, options.cost);
    if (!cs)
        return fail("the student: " + cs.error().message, cs.error().code);
    rep.teacherCost = std::move(*ct);
    rep.studentCost = std::move(*cs);
    return rep;
}

namespace {

bool sameExistingFile(const std::filesystem::path &a, const std::filesystem::path &b)
{
    std::error_code ec;
    return !a.empty() && !b.empty() && std::filesystem::exists(a, ec) &&
           std::filesystem::exists(b, ec) && std::filesystem::equivalent(a, b, ec);
}

std::string arrayName(const std::string &output)
{
    std::string s = output;
    for (char &ch : s)
        if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '-' || ch == '.'))
            ch = '_';
    return s;
}

} // namespace

Result<SoftLabelSummary> exportSoftLabels(std::shared_ptr<const Model> teacher,
                                          const std::filesystem::path &data,
                                          const std::filesystem::path &out,
                                          const SoftLabelOptions &options, const Progress &progress)
{
    if (auto t = checkTemperature(options.temperature); !t)
        return std::unexpected(t.error());
    if (!teacher)
        return fail("no teacher model.", Error::Code::Internal);
    auto ds = openDataset(data, *teacher);
    if (!ds)
        return fail("data for the teacher: " + ds.error().message, ds.error().code);
    // The output replaces its file at the end: it must not be one of the inputs being read.
    for (const std::filesystem::path &input : {teacher->path, data, (*ds)->spec().source})
        if (sameExistingFile(out, input))
            return fail("the soft labels would overwrite '" + input.string() +
                            "', an input of this run; choose another output file.",
                        Error::Code::Usage);
    auto session = Session::create(teacher, SessionOptions{options.threads});
    if (!session)
        return std::unexpected(session.error());
    const auto outputs = session->outputNames();
    const int64_t total =
        options.limit >= 0 ? std::min(options.limit, (*ds)->size()) : (*ds)->size();
    const int64_t bs = std::max<int64_t>(1, options.batchSize);
    const int64_t batches = (total + bs - 1) / bs;
    std::unique_ptr<NpzStreamWriter> writer;
    SoftLabelSummary summary;
    summary.samples = total;
    struct Slot
    {
        std::size_t output;
        Dims sampleDims;
        int64_t logits = -1, soft = -1;
    };
    std::vector<Slot> slots;
    for (int64_t start = 0, bi = 0; start < total; start += bs, ++bi) {
        if (progress.cancelled())
            return fail("the soft-label export was cancelled; '" + out.string() +
                            "' was not written.",
                        Error::Code::Cancelled);
        const int64_t count = std::min(bs, total - start);
        auto batch = (*ds)->batch(start, count);
        if (!batch)
            return std::unexpected(batch.error());
        auto ys = session->run(batch->inputs);
        if (!ys)
            return fail("the teacher: " + ys.error().message, ys.error().code);
        if (!writer) {
            std::vector<NpzStreamWriter::Member> members;
            std::set<std::string> used{"temperature"};
            for (std::size_t i = 0; i < outputs.size(); ++i) {
                const Tensor &y = (*ys)[i];
                if (!isFloatingPoint(y.dtype()) || y.rank() < 1 || y.dim(0) != count)
                    continue; // not per-sample logits (e.g. an integer prediction)
                Slot s{i, Dims(y.dims().begin() + 1, y.dims().end())};
                Dims full{total};
                full.insert(full.end(), s.sampleDims.begin(), s.sampleDims.end());
                auto unique = [&](std::string n) {
                    std::string c = n;
                    for (int k = 2; used.contains(c); ++k)
                        c = n + "_" + std::to_string(k);
                    used.insert(c);
                    return c;
                };
                const std::string base = arrayName(outputs[i]);
                s.logits = static_cast<int64_t>(members.size());
                members.push_back({unique(base + "_logits"), full});
                if (y.rank() >= 2) {
                    s.soft = static_cast<int64_t>(members.size());
                    members.push_back({unique(base + "_soft"), full});
                }
                slots.push_back(std::move(s));
            }
            if (slots.empty())
                return fail("the teacher has no floating-point output with a sample axis to export "
                            "(outputs: " +
                            joinNames(outputs) + ").");
            members.push_back({"temperature", {}});
            for (const auto &m : members)
                summary.arrays.push_back({m.name, m.shape});
            auto w = NpzStreamWriter::create(out, members);
            if (!w)
                return std::unexpected(w.error());
            writer = std::move(*w);
            const float t = static_cast<float>(options.temperature);
            if (auto r = writer->append(members.size() - 1, std::span<const float>(&t, 1)); !r)
                return std::unexpected(r.error());
        }
        for (const Slot &s : slots) {
            const Tensor &y = (*ys)[s.output];
            if (y.rank() < 1 || y.dim(0) != count ||
                !std::equal(y.dims().begin() + 1, y.dims().end(), s.sampleDims.begin(),
                            s.sampleDims.end()))
                return fail("output '" + outputs[s.output] + "' has shape " +
                            dimsToString(y.dims()) + " for samples " + std::to_string(start) + "-" +
                            std::to_string(start + count - 1) + " but " +
                            dimsToString(s.sampleDims) +
                            " per sample before; soft labels need one shape per output.");
            const auto v = asFloats(y);
            if (auto r = writer->append(static_cast<std::size_t>(s.logits), v); !r)
                return std::unexpected(r.error());
            if (s.soft >= 0) {
                const Tensor p = softmaxWithTemperature(y, options.temperature);
                if (auto r = writer->append(static_cast<std::size_t>(s.soft), p.span<float>()); !r)
                    return std::unexpected(r.error());
            }
        }
        progress.report(bi + 1, batches);
    }
    if (!writer)
        return fail("the data '" + data.string() + "' holds no samples.");
    if (auto r = writer->finish(); !r)
        return std::unexpected(r.error());
    return summary;
}

} // namespace nnc
