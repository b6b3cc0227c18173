// Plan defaults, override resolution, strict JSON parsing with JSON-path errors, and the size
// estimate.
#include "core/plan/plan.h"

#include "core/stats/summary.h"
#include "core/util/atomic_file.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

namespace nnc {

using json = nlohmann::ordered_json;

bool QuantOverride::empty() const
{
    return !enabled && !bits && !range && !symmetric && !granularity && !calibration && !rmin
           && !rmax;
}

bool PruneOverride::empty() const
{
    return !ratio && !structure && !l2 && !n && !m;
}

CompressionPlan CompressionPlan::defaults()
{
    CompressionPlan p;
    p.weightDefaults.enabled = true;
    p.weightDefaults.spec = {8, IntRange::SignedRestricted, true};
    p.weightDefaults.granularity = Granularity::PerChannel;
    p.weightDefaults.calibration.method = CalibMethod::MinMax;
    p.activationDefaults.enabled = true;
    p.activationDefaults.spec = {8, IntRange::Unsigned, false};
    p.activationDefaults.granularity = Granularity::PerTensor;
    p.activationDefaults.calibration.method = CalibMethod::MinMax;
    return p;
}

QuantConfig applyOverride(QuantConfig c, const QuantOverride &o)
{
    if (o.enabled)
        c.enabled = *o.enabled;
    if (o.bits)
        c.spec.bits = *o.bits;
    if (o.range)
        c.spec.range = *o.range;
    if (o.symmetric)
        c.spec.symmetric = *o.symmetric;
    if (o.granularity)
        c.granularity = *o.granularity;
    if (o.calibration)
        c.calibration = *o.calibration;
    if (o.rmin && o.rmax)
        c.range = Range{*o.rmin, *o.rmax};
    return c;
}

QuantConfig CompressionPlan::weightConfig(const std::string &layer) const
{
    auto it = layers.find(layer);
    return it == layers.end() ? weightDefaults : applyOverride(weightDefaults, it->second.weights);
}

QuantConfig CompressionPlan::activationConfig(const std::string &tensor) const
{
    auto it = activations.find(tensor);
    return it == activations.end() ? activationDefaults
                                   : applyOverride(activationDefaults, it->second);
}

PruneConfig CompressionPlan::pruneConfig(const std::string &layer) const
{
    PruneConfig c = pruneDefaults;
    auto it = layers.find(layer);
    if (it == layers.end())
        return c;
    const PruneOverride &o = it->second.pruning;
    if (o.ratio)
        c.spec.ratio = *o.ratio;
    if (o.structure)
        c.spec.structure = *o.structure;
    if (o.l2)
        c.spec.l2 = *o.l2;
    if (o.n)
        c.spec.n = *o.n;
    if (o.m)
        c.spec.m = *o.m;
    return c;
}

bool CompressionPlan::operator==(const CompressionPlan &other) const
{
    return planToJson(*this) == planToJson(other);
}

namespace {

const char *rangeName(IntRange r)
{
    switch (r) {
    case IntRange::Signed: return "signed";
    case IntRange::Unsigned: return "unsigned";
    case IntRange::SignedRestricted: return "signed_restricted";
    }
    return "signed";
}

const char *structureName(PruneStructure s)
{
    switch (s) {
    case PruneStructure::Unstructured: return "unstructured";
    case PruneStructure::Channel: return "channel";
    case PruneStructure::NM: return "n:m";
    }
    return "unstructured";
}

json quantToJson(const QuantConfig &c)
{
    json j;
    j["enabled"] = c.enabled;
    j["bits"] = c.spec.bits;
    j["range"] = rangeName(c.spec.range);
    j["symmetric"] = c.spec.symmetric;
    j["granularity"] = c.granularity == Granularity::PerChannel ? "per_channel" : "per_tensor";
    j["calibration"] = calibMethodName(c.calibration);
    if (c.range) {
        j["rmin"] = static_cast<double>(c.range->rmin);
        j["rmax"] = static_cast<double>(c.range->rmax);
    }
    return j;
}

json overrideToJson(const QuantOverride &o)
{
    json j = json::object();
    if (o.enabled)
        j["enabled"] = *o.enabled;
    if (o.bits)
        j["bits"] = *o.bits;
    if (o.range)
        j["range"] = rangeName(*o.range);
    if (o.symmetric)
        j["symmetric"] = *o.symmetric;
    if (o.granularity)
        j["granularity"] = *o.granularity == Granularity::PerChannel ? "per_channel" : "per_tensor";
    if (o.calibration)
        j["calibration"] = calibMethodName(*o.calibration);
    if (o.rmin)
        j["rmin"] = static_cast<double>(*o.rmin);
    if (o.rmax)
        j["rmax"] = static_cast<double>(*o.rmax);
    return j;
}

json pruneToJson(const PruneConfig &c)
{
    json j;
    j["ratio"] = c.spec.ratio;
    j["structure"] = structureName(c.spec.structure);
    j["norm"] = c.spec.l2 ? "l2" : "l1";
    j["n"] = c.spec.n;
    j["m"] = c.spec.m;
    return j;
}

json pruneOverrideToJson(const PruneOverride &o)
{
    json j = json::object();
    if (o.ratio)
        j["ratio"] = *o.ratio;
    if (o.structure)
        j["structure"] = structureName(*o.structure);
    if (o.l2)
        j["norm"] = *o.l2 ? "l2" : "l1";
    if (o.n)
        j["n"] = *o.n;
    if (o.m)
        j["m"] = *o.m;
    return j;
}

// ---- strict parsing --------------------------------------------------------------------------

struct Parser
{
    std::string error;

    bool bad(const std::string &path, const std::string &what)
    {
        if (error.empty())
            error = path + ": " + what;
        return false;
    }

    bool object(const json &j, const std::string &path, std::initializer_list<const char *> keys)
    {
        if (!j.is_object())
            return bad(path, "expected an object.");
        for (auto it = j.begin(); it != j.end(); ++it) {
            bool known = false;
            for (const char *k : keys)
                known = known || it.key() == k;
            if (!known)
                return bad(path + "." + it.key(), "unknown field.");
        }
        return true;
    }

    bool boolean(const json &j, const std::string &path, std::optional<bool> &out)
    {
        if (!j.is_boolean())
            return bad(path, "expected true or false.");
        out = j.get<bool>();
        return true;
    }

    bool integer(const json &j, const std::string &path, int lo, int hi, std::optional<int> &out)
    {
        if (!j.is_number_integer())
            return bad(path, "expected a whole number.");
        const auto v = j.get<int64_t>();
        if (v < lo || v > hi)
            return bad(path, std::to_string(v) + " is outside " + std::to_string(lo) + " to "
                                 + std::to_string(hi) + ".");
        out = static_cast<int>(v);
        return true;
    }

    bool number(const json &j, const std::string &path, std::optional<double> &out)
    {
        if (!j.is_number())
            return bad(path, "expected a number.");
        const double v = j.get<double>();
        if (!std::isfinite(v))
            return bad(path, "expected a finite number.");
        out = v;
        return true;
    }

    bool quant(const json &j, const std::string &path, QuantOverride &o)
    {
        if (!object(j, path, {"enabled", "bits", "range", "symmetric", "granularity", "calibration", "rmin", "rmax"}))
            return false;
        if (j.contains("enabled") && !boolean(j["enabled"], path + ".enabled", o.enabled))
            return false;
        if (j.contains("bits") && !integer(j["bits"], path + ".bits", 2, 16, o.bits))
            return false;
        if (j.contains("range")) {
            const json &r = j["range"];
            if (r == "signed")
                o.range = IntRange::Signed;
            else if (r == "unsigned")
                o.range = IntRange::Unsigned;
            else if (r == "signed_restricted")
                o.range = IntRange::SignedRestricted;
            else
                return bad(path + ".range", "expected \"signed\", \"unsigned\" or \"signed_restricted\".");
        }
        if (j.contains("symmetric") && !boolean(j["symmetric"], path + ".symmetric", o.symmetric))
            return false;
        if (j.contains("granularity")) {
            const json &g = j["granularity"];
            if (g == "per_tensor")
                o.granularity = Granularity::PerTensor;
            else if (g == "per_channel")
                o.granularity = Granularity::PerChannel;
            else
                return bad(path + ".granularity", "expected \"per_tensor\" or \"per_channel\".");
        }
        if (j.contains("calibration")) {
            if (!j["calibration"].is_string())
                return bad(path + ".calibration", "expected a method name such as \"minmax\".");
            auto c = parseCalibMethod(j["calibration"].get<std::string>());
            if (!c)
                return bad(path + ".calibration", c.error().message);
            o.calibration = *c;
        }
        std::optional<double> lo, hi;
        if (j.contains("rmin") && !number(j["rmin"], path + ".rmin", lo))
            return false;
        if (j.contains("rmax") && !number(j["rmax"], path + ".rmax", hi))
            return false;
        if (lo.has_value() != hi.has_value())
            return bad(path, "rmin and rmax must be given together.");
        if (lo && *lo > *hi)
            return bad(path, "rmin " + json(*lo).dump() + " is greater than rmax " + json(*hi).dump() + ".");
        if (lo) {
            o.rmin = static_cast<float>(*lo);
            o.rmax = static_cast<float>(*hi);
        }
        return true;
    }

    bool prune(const json &j, const std::string &path, PruneOverride &o)
    {
        if (!object(j, path, {"ratio", "structure", "norm", "n", "m"}))
            return false;
        if (j.contains("ratio")) {
            std::optional<double> r;
            if (!number(j["ratio"], path + ".ratio", r))
                return false;
            if (*r < 0.0 || *r >= 1.0)
                return bad(path + ".ratio", json(*r).dump() + " is outside [0, 1).");
            o.ratio = *r;
        }
        if (j.contains("structure")) {
            const json &s = j["structure"];
            if (s == "unstructured")
                o.structure = PruneStructure::Unstructured;
            else if (s == "channel")
                o.structure = PruneStructure::Channel;
            else if (s == "n:m")
                o.structure = PruneStructure::NM;
            else
                return bad(path + ".structure", "expected \"unstructured\", \"channel\" or \"n:m\".");
        }
        if (j.contains("norm")) {
            if (j["norm"] == "l1")
                o.l2 = false;
            else if (j["norm"] == "l2")
                o.l2 = true;
            else
                return bad(path + ".norm", "expected \"l1\" or \"l2\".");
        }
        if (j.contains("n") && !integer(j["n"], path + ".n", 1, 64, o.n))
            return false;
        if (j.contains("m") && !integer(j["m"], path + ".m", 1, 64, o.m))
            return false;
        return true;
    }
};

QuantConfig resolveDefaults(QuantConfig base, const QuantOverride &o)
{
    return applyOverride(std::move(base), o);
}

} // namespace

Result<CompressionPlan> parsePlan(const std::string &text)
{
    json j;
    try {
        j = json::parse(text);
    } catch (const json::parse_error &e) {
        return fail(std::string("the plan is not valid JSON: ") + e.what());
    }
    Parser p;
    if (!p.object(j, "$", {"format", "version", "model", "defaults", "layers", "activations"}))
        return fail(p.error);
    if (!j.contains("format") || j["format"] != "nncompress-plan")
        return fail("$.format: expected \"nncompress-plan\".");
    if (!j.contains("version") || !j["version"].is_number_integer())
        return fail("$.version: expected 1.");
    if (j["version"].get<int64_t>() != 1)
        return fail("$.version: version " + j["version"].dump()
                    + " is not supported (this program reads version 1).");
    CompressionPlan plan = CompressionPlan::defaults();
    if (j.contains("model")) {
        if (!j["model"].is_string())
            return fail("$.model: expected a string.");
        plan.model = j["model"].get<std::string>();
    }
    if (j.contains("defaults")) {
        const json &d = j["defaults"];
        if (!p.object(d, "$.defaults", {"weights", "activations", "pruning"}))
            return fail(p.error);
        if (d.contains("weights")) {
            QuantOverride o;
            if (!p.quant(d["weights"], "$.defaults.weights", o))
                return fail(p.error);
            plan.weightDefaults = resolveDefaults(plan.weightDefaults, o);
        }
        if (d.contains("activations")) {
            QuantOverride o;
            if (!p.quant(d["activations"], "$.defaults.activations", o))
                return fail(p.error);
            plan.activationDefaults = resolveDefaults(plan.activationDefaults, o);
        }
        if (d.contains("pruning")) {
            PruneOverride o;
            if (!p.prune(d["pruning"], "$.defaults.pruning", o))
                return fail(p.error);
            CompressionPlan tmp = plan;
            tmp.layers["_"].pruning = o;
            plan.pruneDefaults = tmp.pruneConfig("_");
        }
    }
    if (j.contains("layers")) {
        if (!j["layers"].is_object())
            return fail("$.layers: expected an object keyed by layer name.");
        for (auto it = j["layers"].begin(); it != j["layers"].end(); ++it) {
            const std::string path = "$.layers." + it.key();
            if (!p.object(it.value(), path, {"weights", "pruning"}))
                return fail(p.error);
            LayerOverride lo;
            if (it.value().contains("weights") && !p.quant(it.value()["weights"], path + ".weights", lo.weights))
                return fail(p.error);
            if (it.value().contains("pruning") && !p.prune(it.value()["pruning"], path + ".pruning", lo.pruning))
                return fail(p.error);
            plan.layers[it.key()] = lo;
        }
    }
    if (j.contains("activations")) {
        if (!j["activations"].is_object())
            return fail("$.activations: expected an object keyed by tensor name.");
        for (auto it = j["activations"].begin(); it != j["activations"].end(); ++it) {
            QuantOverride o;
            if (!p.quant(it.value(), "$.activations." + it.key(), o))
                return fail(p.error);
            plan.activations[it.key()] = o;
        }
    }
    return plan;
}

std::string planToJson(const CompressionPlan &plan)
{
    json j;
    j["format"] = "nncompress-plan";
    j["version"] = 1;
    j["model"] = plan.model;
    j["defaults"]["weights"] = quantToJson(plan.weightDefaults);
    j["defaults"]["activations"] = quantToJson(plan.activationDefaults);
    j["defaults"]["pruning"] = pruneToJson(plan.pruneDefaults);
    j["layers"] = json::object();
    for (const auto &[name, lo] : plan.layers) {
        json l = json::object();
        if (!lo.weights.empty())
            l["weights"] = overrideToJson(lo.weights);
        if (!lo.pruning.empty())
            l["pruning"] = pruneOverrideToJson(lo.pruning);
        j["layers"][name] = l;
    }
    j["activations"] = json::object();
    for (const auto &[name, o] : plan.activations)
        j["activations"][name] = overrideToJson(o);
    return j.dump(2) + "\n";
}

Result<void> validatePlan(const CompressionPlan &plan, const std::vector<Layer> &layers,
                          const std::vector<std::string> &tensors)
{
    std::set<std::string> layerNames, tensorNames(tensors.begin(), tensors.end());
    for (const Layer &l : layers)
        layerNames.insert(l.name);
    for (const auto &[name, lo] : plan.layers) {
        if (!layerNames.contains(name))
            return fail("$.layers." + name + ": the model has no layer named '" + name + "'.");
        const PruneConfig pc = plan.pruneConfig(name);
        if (pc.spec.structure == PruneStructure::NM && pc.spec.n >= pc.spec.m)
            return fail("$.layers." + name + ".pruning: n (" + std::to_string(pc.spec.n)
                        + ") must be smaller than m (" + std::to_string(pc.spec.m) + ").");
    }
    for (const auto &[name, o] : plan.activations)
        if (!tensorNames.contains(name))
            return fail("$.activations." + name + ": the model has no quantizable activation tensor '"
                        + name + "' (the data inputs of compressible layers).");
    return {};
}

Result<CompressionPlan> loadPlan(const std::filesystem::path &path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return fail("cannot read plan '" + path.string() + "': the file does not exist or is unreadable.");
    std::stringstream ss;
    ss << in.rdbuf();
    auto p = parsePlan(ss.str());
    if (!p)
        return fail("plan '" + path.string() + "': " + p.error().message);
    return p;
}

Result<void> savePlan(const CompressionPlan &plan, const std::filesystem::path &path)
{
    return writeFileAtomically(path, planToJson(plan));
}

std::vector<std::string> activationTensors(const std::vector<Layer> &layers)
{
    std::vector<std::string> out;
    std::set<std::string> seen;
    for (const Layer &l : layers)
        for (const auto &t : l.activationInputs)
            if (!t.empty() && seen.insert(t).second)
                out.push_back(t);
    return out;
}

SizeEstimate estimateSize(const Model &model, const std::vector<Layer> &layers,
                          const CompressionPlan *plan, const std::vector<double> &sparsity)
{
    SizeEstimate s;
    s.floatBytes = summarizeModel(model).parameterBytes;
    s.compressedBytes = s.floatBytes;
    for (std::size_t i = 0; i < layers.size(); ++i) {
        const Layer &l = layers[i];
        LayerSize ls;
        ls.layer = l.name;
        ls.floatBytes = l.params * static_cast<int64_t>(dtypeSize(l.storedType));
        ls.compressedBytes = ls.floatBytes;
        if (plan) {
            const QuantConfig q = plan->weightConfig(l.name);
            const double zeros = i < sparsity.size() ? sparsity[i] : 0.0;
            const int64_t n = l.params;
            const int64_t channels = l.shape.empty() ? 1 : l.shape[static_cast<std::size_t>(l.channelAxis)];
            const int64_t bitsPer = q.enabled ? q.spec.bits : static_cast<int64_t>(dtypeSize(l.storedType)) * 8;
            const int64_t overhead = q.enabled
                                         ? (q.granularity == Granularity::PerChannel ? channels : 1) * (32 + bitsPer)
                                         : 0;
            const int64_t dense = n * bitsPer;
            const auto kept = static_cast<int64_t>(std::llround(n * (1.0 - zeros)));
            const int64_t sparse = n + kept * bitsPer; // 1-bit mask + kept values
            ls.compressedBytes = (std::min(dense, sparse) + overhead + 7) / 8;
        }
        // Layers that share one weight tensor (LSTM W/R are distinct) are counted once.
        s.compressedBytes += ls.compressedBytes - ls.floatBytes;
        s.layers.push_back(ls);
    }
    return s;
}

} // namespace nnc
