// Plans from toolchain files (toolchain_export.h): ONNX Runtime overrides (with or without their
// calibration table) and AIMET encodings. Every entry becomes (bits, integer range, symmetric,
// granularity, range) such that the evaluator's chooseParams / compressLayerWeight give back the
// file's scales and zero points; what a plan cannot hold is an error naming the tensor.
#include "core/export/toolchain_export.h"

#include "core/eval/weight_compression.h"
#include "core/stats/layers.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <set>
#include <sstream>

namespace nnc {

namespace {

using json = nlohmann::json;

/// One tensor's quantization as a file states it, in our terms (integers [qmin, qmax] of the
/// storage type, real = S * (q - Z)).
struct FileEntry
{
    std::string name;
    std::string where;      ///< JSON path for messages
    int bits = 8;           ///< storage bits (ORT type) or the exact bit width (AIMET)
    bool exactBits = false; ///< the file states the bit width itself
    bool isSigned = false;
    std::optional<bool> symmetric; ///< as the file states it
    bool perChannel = false;
    std::optional<int64_t> axis;
    std::vector<QuantParams> params; ///< scale and zero point per channel (may be empty)
    std::vector<Range> ranges;       ///< rmin/rmax per channel when the file gives ranges instead
};

bool sameParams(const QuantParams &a, const QuantParams &b, double relTol)
{
    if (a.zeroPoint != b.zeroPoint)
        return false;
    const double d = std::abs(double(a.scale) - double(b.scale));
    return d <= relTol * std::abs(double(b.scale));
}

/// A range [lo, hi] for which chooseParams(spec, lo, hi) gives exactly (S, Z): the grid ends,
/// nudged by a few ulps when float rounding of the product moves the scale.
std::optional<Range> gridRange(const QuantSpec &spec, const QuantParams &want)
{
    const auto [qmin, qmax] = integerRange(spec.bits, spec.range);
    const double s = want.scale;
    double lo = 0, hi = 0;
    if (spec.symmetric && spec.range == IntRange::Unsigned) {
        hi = s * qmax;
    } else if (spec.symmetric) {
        hi = s * double((int32_t{1} << (spec.bits - 1)) - 1);
        lo = -hi;
    } else {
        lo = s * double(qmin - want.zeroPoint);
        hi = s * double(qmax - want.zeroPoint);
    }
    auto matches = [&](float a, float b) {
        const QuantParams p = chooseParams(spec, a, b);
        return p.scale == want.scale && p.zeroPoint == want.zeroPoint;
    };
    // Degenerate parameters (S = 1 from an all-zero range) come back from [0, 0].
    if (want.scale == 1.0f && matches(0.0f, 0.0f))
        return Range{0.0f, 0.0f};
    const float flo = static_cast<float>(lo), fhi = static_cast<float>(hi);
    for (int dl = 0; dl <= 4; ++dl)
        for (int dh = -4; dh <= 4; ++dh) {
            float a = flo, b = fhi;
            for (int k = 0; k < dl; ++k)
                a = std::nextafter(a, lo <= 0 ? -INFINITY : INFINITY);
            for (int k = 0; k < std::abs(dh); ++k)
                b = std::nextafter(b, dh > 0 ? INFINITY : -INFINITY);
            if (matches(a, b))
                return Range{a, b};
        }
    return std::nullopt;
}

/// Integer-range candidates for a file entry, most likely first.
std::vector<QuantSpec> specCandidates(const FileEntry &e, int bits, bool weight)
{
    bool allZero = true;
    for (const auto &p : e.params)
        allZero = allZero && p.zeroPoint == 0;
    std::vector<QuantSpec> out;
    auto add = [&](IntRange r, bool sym) {
        if (!e.symmetric || *e.symmetric == sym)
            out.push_back(QuantSpec{bits, r, sym});
    };
    if (e.isSigned) {
        if (allZero) {
            if (weight)
                add(IntRange::SignedRestricted, true);
            add(IntRange::Signed, true);
        }
        add(IntRange::Signed, false);
    } else {
        add(IntRange::Unsigned, false);
        if (allZero)
            add(IntRange::Unsigned, true);
    }
    if (out.empty()) // the file's "symmetric" contradicts its zero points: let the check say so
        out.push_back(
            QuantSpec{bits, e.isSigned ? IntRange::Signed : IntRange::Unsigned, *e.symmetric});
    return out;
}

std::string fmtFloat(double v)
{
    std::ostringstream s;
    s.precision(9);
    s << v;
    return s.str();
}

class Importer
{
public:
    Importer(const Model &model, PlanImport &out) : m_model(model), m_out(out)
    {
        m_layers = findLayers(model);
        for (const Layer &l : m_layers)
            m_byWeight[l.weight].push_back(&l);
        for (const auto &t : activationTensors(m_layers))
            m_acts.insert(t);
        m_out.plan = CompressionPlan::defaults();
        m_out.plan.model = model.path.filename().string();
    }

    Result<void> add(const FileEntry &e, const std::map<std::string, Range> &calib)
    {
        if (auto it = m_byWeight.find(e.name); it != m_byWeight.end())
            return addWeight(e, it->second);
        if (m_acts.contains(e.name))
            return addActivation(e, calib);
        m_ignored.push_back(e.name);
        return {};
    }

    /// Every layer and activation the file did not list is disabled explicitly.
    void finish()
    {
        for (const Layer &l : m_layers)
            if (!m_doneLayers.contains(l.name))
                m_out.plan.layers[l.name].weights.enabled = false;
            else
                m_out.plan.layers[l.name]; // listed even when it matches the defaults
        for (const auto &t : m_acts)
            if (!m_doneActs.contains(t))
                m_out.plan.activations[t].enabled = false;
        if (!m_ignored.empty()) {
            std::string list;
            for (std::size_t i = 0; i < m_ignored.size() && i < 8; ++i)
                list += (i ? ", '" : "'") + m_ignored[i] + "'";
            if (m_ignored.size() > 8)
                list += " and " + std::to_string(m_ignored.size() - 8) + " more";
            m_out.notes.push_back(std::to_string(m_ignored.size()) +
                                  " entries name no layer weight or quantizable activation of "
                                  "the model and were ignored (biases, other tensors): " +
                                  list + ".");
        }
        if (m_roundedScales > 0)
            m_out.notes.push_back(std::to_string(m_roundedScales) +
                                  " weight scales differ from the plan's recomputed ones by float "
                                  "rounding only (relative difference below 1e-6).");
    }

private:
    const Model &m_model;
    PlanImport &m_out;
    std::vector<Layer> m_layers;
    std::map<std::string, std::vector<const Layer *>> m_byWeight;
    std::set<std::string> m_acts, m_doneLayers, m_doneActs;
    std::vector<std::string> m_ignored;
    int m_roundedScales = 0;

    static QuantOverride overrideOf(const QuantSpec &spec, Granularity g)
    {
        QuantOverride o;
        o.enabled = true;
        o.bits = spec.bits;
        o.range = spec.range;
        o.symmetric = spec.symmetric;
        o.granularity = g;
        o.calibration = CalibConfig{};
        return o;
    }

    Result<void> addWeight(const FileEntry &e, const std::vector<const Layer *> &layers)
    {
        const Layer &l = *layers.front();
        auto w = layerWeight(m_model, l);
        if (!w)
            return std::unexpected(w.error());
        const Granularity g = e.perChannel ? Granularity::PerChannel : Granularity::PerTensor;
        const std::size_t n = std::max(e.params.size(), e.ranges.size());
        if (e.perChannel) {
            const int64_t axis = e.axis.value_or(l.channelAxis);
            const int64_t norm = axis < 0 ? axis + int64_t(l.shape.size()) : axis;
            if (norm != l.channelAxis)
                return fail(e.where + ": weight '" + e.name + "' is quantized along axis " +
                                std::to_string(axis) + ", but a plan quantizes layer '" + l.name +
                                "' along its output-channel axis " + std::to_string(l.channelAxis) +
                                ".",
                            Error::Code::Unsupported);
            if (n != 0 && int64_t(n) != l.shape[static_cast<std::size_t>(l.channelAxis)])
                return fail(e.where + ": weight '" + e.name + "' has " +
                            std::to_string(l.shape[static_cast<std::size_t>(l.channelAxis)]) +
                            " channels along axis " + std::to_string(l.channelAxis) +
                            ", but the file gives " + std::to_string(n) + " encodings.");
        } else if (n > 1) {
            return fail(e.where + ": weight '" + e.name + "' has " + std::to_string(n) +
                        " per-tensor encodings; expected one.");
        }
        // The file's (S, Z) per channel: as given, or from its rmin/rmax (checked per spec).
        std::vector<int> bitsToTry;
        if (e.exactBits || (e.params.empty() && e.ranges.empty()))
            bitsToTry.push_back(e.bits);
        else
            for (int b = e.bits; b >= 2; --b)
                bitsToTry.push_back(b);
        const int axis = e.perChannel ? l.channelAxis : -1;
        std::string closest;
        for (int b : bitsToTry) {
            for (const QuantSpec &spec : specCandidates(e, b, true)) {
                QuantConfig q;
                q.enabled = true;
                q.spec = spec;
                q.granularity = g;
                std::vector<QuantParams> want = e.params;
                if (want.empty())
                    for (const Range &r : e.ranges)
                        want.push_back(chooseParams(spec, r.rmin, r.rmax));
                const auto ours = weightQuantParams(*w, q, axis);
                bool ok = want.empty() || ours.size() == want.size();
                int rounded = 0;
                for (std::size_t c = 0; ok && c < want.size(); ++c) {
                    if (sameParams(ours[c], want[c], 0.0))
                        continue;
                    if (sameParams(ours[c], want[c], 1e-6)) {
                        ++rounded;
                        continue;
                    }
                    ok = false;
                    if (closest.empty())
                        closest = "channel " + std::to_string(c) + ": the file's scale " +
                                  fmtFloat(want[c].scale) + " and zero point " +
                                  std::to_string(want[c].zeroPoint) + ", the weights' extremes " +
                                  std::to_string(b) + "-bit: " + fmtFloat(ours[c].scale) + " and " +
                                  std::to_string(ours[c].zeroPoint);
                }
                if (!ok)
                    continue;
                m_roundedScales += rounded;
                for (const Layer *lp : layers) {
                    m_out.plan.layers[lp->name].weights = overrideOf(spec, g);
                    m_doneLayers.insert(lp->name);
                }
                return {};
            }
        }
        // Not the extremes of the weights: a per-tensor range the plan can hold as rmin/rmax.
        if (!e.perChannel && (!e.params.empty() || !e.ranges.empty())) {
            for (const QuantSpec &spec : specCandidates(e, e.bits, true)) {
                std::optional<Range> r;
                if (!e.ranges.empty())
                    r = e.ranges.front();
                else
                    r = gridRange(spec, e.params.front());
                if (!r)
                    continue;
                QuantOverride o = overrideOf(spec, g);
                o.rmin = r->rmin;
                o.rmax = r->rmax;
                for (const Layer *lp : layers) {
                    m_out.plan.layers[lp->name].weights = o;
                    m_doneLayers.insert(lp->name);
                }
                m_out.notes.push_back("weight '" + e.name +
                                      "': the file's range is not the weights' extremes; it is "
                                      "kept as the layer's manual rmin/rmax.");
                return {};
            }
        }
        return fail(e.where + ": weight '" + e.name +
                        "': the file's per-channel scales are not the extremes of the weights at "
                        "any bit width (" +
                        closest +
                        "), and a plan holds no per-channel weight ranges; nothing was imported.",
                    Error::Code::Unsupported);
    }

    Result<void> addActivation(const FileEntry &e, const std::map<std::string, Range> &calib)
    {
        if (e.perChannel || std::max(e.params.size(), e.ranges.size()) > 1)
            return fail(e.where + ": activation tensor '" + e.name +
                            "' has per-channel encodings; a plan quantizes activations per "
                            "tensor.",
                        Error::Code::Unsupported);
        const auto cal = calib.find(e.name);
        for (const QuantSpec &spec : specCandidates(e, e.bits, false)) {
            std::optional<Range> r;
            if (cal != calib.end()) {
                r = cal->second;
                if (!e.params.empty()) {
                    const QuantParams p = chooseParams(spec, r->rmin, r->rmax);
                    if (!sameParams(p, e.params.front(), 0.0))
                        r.reset();
                }
            } else if (!e.ranges.empty()) {
                r = e.ranges.front();
            } else if (!e.params.empty()) {
                r = gridRange(spec, e.params.front());
            } else {
                return fail(e.where + ": activation tensor '" + e.name +
                            "' has neither a scale and zero point nor rmin/rmax, and the "
                            "calibration table has no range for it.");
            }
            if (!r)
                continue;
            QuantOverride o = overrideOf(spec, Granularity::PerTensor);
            o.rmin = r->rmin;
            o.rmax = r->rmax;
            m_out.plan.activations[e.name] = o;
            m_doneActs.insert(e.name);
            return {};
        }
        const QuantParams &p = e.params.front();
        if (cal != calib.end())
            return fail(e.where + ": activation tensor '" + e.name +
                        "': the calibration "
                        "table's range [" +
                        fmtFloat(cal->second.rmin) + ", " + fmtFloat(cal->second.rmax) +
                        "] does not give the file's scale " + fmtFloat(p.scale) +
                        " and zero point " + std::to_string(p.zeroPoint) + " for " +
                        std::to_string(e.bits) + " bits.");
        return fail(e.where + ": activation tensor '" + e.name + "': no " + std::to_string(e.bits) +
                    "-bit range gives the scale " + fmtFloat(p.scale) + " and zero point " +
                    std::to_string(p.zeroPoint) + ".");
    }
};

Result<json> parseJson(const std::string &text, const std::string &what)
{
    try {
        return json::parse(text);
    } catch (const json::parse_error &e) {
        return fail(what + " is not valid JSON at byte " + std::to_string(e.byte) + ".");
    }
}

/// ORT QuantType name -> (signed, bits).
std::optional<std::pair<bool, int>> ortType(const std::string &t)
{
    static const std::map<std::string, std::pair<bool, int>> kTypes{
        {"QInt8", {true, 8}},     {"QUInt8", {false, 8}}, {"QInt16", {true, 16}},
        {"QUInt16", {false, 16}}, {"QInt4", {true, 4}},   {"QUInt4", {false, 4}}};
    auto it = kTypes.find(t.starts_with("QuantType.") ? t.substr(10) : t);
    if (it == kTypes.end())
        return std::nullopt;
    return it->second;
}

/// A finite float32 (a value beyond the float range is refused, not turned into infinity).
Result<float> floatField(const json &d, const char *key, const std::string &where)
{
    if (!d[key].is_number())
        return fail(where + "." + key + ": expected a number.");
    const float v = static_cast<float>(d[key].get<double>());
    if (!std::isfinite(v))
        return fail(where + "." + key + ": " + fmtFloat(d[key].get<double>()) +
                    " is not a finite float32 number.");
    return v;
}

/// A whole number within `lo`..`hi`, from a JSON integer or an integral float (AIMET writes
/// offsets as -128.0). Out-of-range values are errors, never wrapped or rounded.
Result<int64_t> wholeNumber(const json &v, int64_t lo, int64_t hi, const std::string &where)
{
    if (v.is_number_unsigned()) {
        if (v.get<uint64_t>() <= static_cast<uint64_t>(hi))
            return static_cast<int64_t>(v.get<uint64_t>());
    } else if (v.is_number_integer()) {
        const int64_t n = v.get<int64_t>();
        if (n >= lo && n <= hi)
            return n;
    } else if (v.is_number_float()) {
        const double x = v.get<double>();
        if (std::nearbyint(x) != x)
            return fail(where + ": expected a whole number, not " + fmtFloat(x) + ".");
        if (x >= double(lo) && x <= double(hi))
            return static_cast<int64_t>(x);
    } else {
        return fail(where + ": expected a whole number.");
    }
    return fail(where + ": " + v.dump() + " is outside " + std::to_string(lo) + ".." +
                std::to_string(hi) + ".");
}

Result<int32_t> intField(const json &d, const char *key, const std::string &where)
{
    auto n = wholeNumber(d[key], std::numeric_limits<int32_t>::min(),
                         std::numeric_limits<int32_t>::max(), where + "." + key);
    if (!n)
        return std::unexpected(n.error());
    return static_cast<int32_t>(*n);
}

/// The ranges of ORT's calibration table: TensorsData {"data": {t: {"lowest", "highest"}}} as
/// write_calibration_table writes it (numpy arrays as {"data": x}), or the older {t: [lo, hi]}.
Result<std::map<std::string, Range>> parseCalibrationTable(const std::string &text)
{
    auto j = parseJson(text, "the calibration table");
    if (!j)
        return std::unexpected(j.error());
    std::map<std::string, Range> out;
    const json &data = j->contains("data") && (*j)["data"].is_object() ? (*j)["data"] : *j;
    if (!data.is_object())
        return fail("the calibration table: expected an object of tensors.");
    auto scalar = [](const json &v) -> std::optional<float> {
        const json *x = &v;
        if (x->is_object() && x->contains("data"))
            x = &(*x)["data"];
        while (x->is_array() && x->size() == 1)
            x = &(*x)[0];
        if (!x->is_number())
            return std::nullopt;
        return static_cast<float>(x->get<double>());
    };
    for (const auto &[name, v] : data.items()) {
        if (name == "CLS" || name == "calibration_method")
            continue;
        std::optional<float> lo, hi;
        if (v.is_object() && v.contains("lowest") && v.contains("highest")) {
            lo = scalar(v["lowest"]);
            hi = scalar(v["highest"]);
        } else if (v.is_array() && v.size() == 2) {
            lo = scalar(v[0]);
            hi = scalar(v[1]);
        }
        if (!lo || !hi)
            return fail("the calibration table: tensor '" + name +
                        "' has no numeric lowest and highest.");
        if (!std::isfinite(*lo) || !std::isfinite(*hi))
            return fail("the calibration table: tensor '" + name +
                        "' has a lowest or highest value beyond the float32 range.");
        out[name] = Range{*lo, *hi};
    }
    return out;
}

} // namespace

static Result<PlanImport> importOrtImpl(const Model &model, const std::string &overridesJson,
                                        const std::string *calibrationJson)
{
    auto j = parseJson(overridesJson, "the overrides file");
    if (!j)
        return std::unexpected(j.error());
    if (!j->is_object())
        return fail("$: ONNX Runtime's TensorQuantOverrides are an object of tensor names.");
    if (j->contains("CLS") && (*j)["CLS"] == "TensorsData")
        return fail("this is ONNX Runtime's calibration table, not its overrides: import the "
                    "overrides file (the calibration table beside it is read with it).");
    std::map<std::string, Range> calib;
    if (calibrationJson) {
        auto c = parseCalibrationTable(*calibrationJson);
        if (!c)
            return std::unexpected(c.error());
        calib = std::move(*c);
    }
    PlanImport out;
    out.format = "ort-overrides";
    Importer im(model, out);
    for (const auto &[name, list] : j->items()) {
        const std::string where = "$['" + name + "']";
        if (!list.is_array())
            return fail(where + ": expected a list of dicts (one per tensor, or one per channel).");
        if (list.empty())
            continue;
        FileEntry e;
        e.name = name;
        e.where = where;
        const json &first = list[0];
        if (!first.is_object())
            return fail(where + "[0]: expected a dict.");
        std::string type = first.value("quant_type", std::string());
        if (type.empty()) {
            // quantize_static's defaults: QInt8 weights, QUInt8 activations.
            type = model.graph.initializer(name) ? "QInt8" : "QUInt8";
            out.notes.push_back("tensor '" + name + "' has no quant_type; taken as " + type +
                                ", quantize_static's default.");
        }
        const auto t = ortType(type);
        if (!t)
            return fail(where + "[0].quant_type: '" + type +
                            "' is not one of QInt8, QUInt8, QInt16, QUInt16, QInt4, QUInt4.",
                        Error::Code::Unsupported);
        e.isSigned = t->first;
        e.bits = t->second;
        if (first.contains("symmetric"))
            e.symmetric = first["symmetric"].get<bool>();
        if (first.contains("reduce_range") && first["reduce_range"].get<bool>())
            return fail(where + "[0].reduce_range: 7-bit reduced ranges are not part of a plan "
                                "(set 7 bits explicitly).",
                        Error::Code::Unsupported);
        if (first.contains("axis")) {
            e.perChannel = true;
            auto axis = wholeNumber(first["axis"], -64, 64, where + "[0].axis");
            if (!axis)
                return std::unexpected(axis.error());
            e.axis = *axis;
        }
        e.perChannel = e.perChannel || list.size() > 1;
        for (std::size_t k = 0; k < list.size(); ++k) {
            const json &d = list[k];
            const std::string w = where + "[" + std::to_string(k) + "]";
            if (!d.is_object())
                return fail(w + ": expected a dict.");
            if (d.contains("quant_type") && d["quant_type"] != first.value("quant_type", type))
                return fail(w + ".quant_type: differs from the first channel's.");
            if (d.contains("scale") != d.contains("zero_point"))
                return fail(w + ": 'scale' and 'zero_point' go together.");
            if (d.contains("rmin") != d.contains("rmax"))
                return fail(w + ": 'rmin' and 'rmax' go together.");
            if (d.contains("scale")) {
                auto s = floatField(d, "scale", w);
                auto z = intField(d, "zero_point", w);
                if (!s || !z)
                    return std::unexpected(!s ? s.error() : z.error());
                if (!(*s > 0) || !std::isfinite(*s))
                    return fail(w + ".scale: " + fmtFloat(*s) + " is not a positive number.");
                QuantParams p;
                p.scale = *s;
                p.zeroPoint = *z;
                std::tie(p.qmin, p.qmax) =
                    integerRange(e.bits, e.isSigned ? IntRange::Signed : IntRange::Unsigned);
                if (p.zeroPoint < p.qmin || p.zeroPoint > p.qmax)
                    return fail(w + ".zero_point: " + std::to_string(p.zeroPoint) +
                                " is outside the " + type + " range.");
                e.params.push_back(p);
            } else if (d.contains("rmin")) {
                auto lo = floatField(d, "rmin", w);
                auto hi = floatField(d, "rmax", w);
                if (!lo || !hi)
                    return std::unexpected(!lo ? lo.error() : hi.error());
                e.ranges.push_back(Range{*lo, *hi});
            }
        }
        if (!e.params.empty() && e.params.size() != list.size())
            return fail(where + ": every channel needs a scale and zero point when one has them.");
        if (!e.ranges.empty() && e.ranges.size() != list.size())
            return fail(where + ": every channel needs rmin and rmax when one has them.");
        if (auto r = im.add(e, calib); !r)
            return std::unexpected(r.error());
    }
    im.finish();
    return out;
}

// Bounds on AIMET offsets that keep the arithmetic defined; offsets that put zero outside the
// grid (anything beyond -(2^16 - 1)..0 for a plan's 2 to 16 bits) are refused further down.
constexpr int64_t kMinOffset = -(int64_t{1} << 40), kMaxOffset = int64_t{1} << 40;

static Result<PlanImport> importAimetImpl(const Model &model, const std::string &encodingsJson)
{
    auto j = parseJson(encodingsJson, "the encodings file");
    if (!j)
        return std::unexpected(j.error());
    if (!j->is_object() || !j->contains("version") || !(*j)["version"].is_string())
        return fail("$.version: AIMET encodings need a version string (0.6.1 or 1.0.0).");
    const std::string version = (*j)["version"].get<std::string>();
    const bool v1 = version.starts_with("1.");
    if (!v1 && version != "0.6.1" && version != "0.5.0" && version != "0.4.0")
        return fail("$.version: AIMET encodings version '" + version +
                        "' is not supported (0.4.0 to 0.6.1, 1.0.0).",
                    Error::Code::Unsupported);
    PlanImport out;
    out.format = "aimet " + version;
    Importer im(model, out);
    for (const char *section : {"param_encodings", "activation_encodings"}) {
        if (!j->contains(section))
            continue;
        const json &sec = (*j)[section];
        std::vector<std::pair<std::string, const json *>> items;
        std::vector<std::string> paths;
        if (v1) {
            if (!sec.is_array())
                return fail(std::string("$.") + section + ": expected a list in version 1.0.0.");
            for (std::size_t i = 0; i < sec.size(); ++i) {
                if (!sec[i].is_object() || !sec[i].contains("name") || !sec[i]["name"].is_string())
                    return fail(std::string("$.") + section + "[" + std::to_string(i) +
                                "].name: expected a string.");
                items.emplace_back(sec[i]["name"].get<std::string>(), &sec[i]);
                paths.push_back(std::string("$.") + section + "[" + std::to_string(i) + "]");
            }
        } else {
            if (!sec.is_object())
                return fail(std::string("$.") + section + ": expected an object of tensors.");
            for (const auto &[name, v] : sec.items()) {
                items.emplace_back(name, &v);
                paths.push_back(std::string("$.") + section + "['" + name + "']");
            }
        }
        for (std::size_t i = 0; i < items.size(); ++i) {
            const auto &[name, node] = items[i];
            FileEntry e;
            e.name = name;
            e.where = paths[i];
            e.exactBits = true;
            std::vector<std::pair<float, int64_t>> enc; // (scale, offset)
            int bw = 0;
            bool sym = false;
            std::string dtype = "int";
            if (v1) {
                const json &d = *node;
                if (!d.contains("bw") || !d["bw"].is_number_integer())
                    return fail(e.where + ".bw: expected a whole number.");
                auto bits = wholeNumber(d["bw"], 0, 64, e.where + ".bw");
                if (!bits)
                    return std::unexpected(bits.error());
                bw = static_cast<int>(*bits);
                sym = d.value("is_sym", false);
                dtype = d.value("dtype", std::string("INT"));
                e.perChannel = d.value("enc_type", std::string("PER_TENSOR")) == "PER_CHANNEL";
                if (d.value("enc_type", std::string("PER_TENSOR")) == "PER_BLOCK")
                    return fail(e.where + ".enc_type: per-block encodings are not part of a plan.",
                                Error::Code::Unsupported);
                if (!d.contains("scale") || !d["scale"].is_array() || !d.contains("offset") ||
                    !d["offset"].is_array() || d["scale"].size() != d["offset"].size() ||
                    d["scale"].empty())
                    return fail(e.where + ": expected lists 'scale' and 'offset' of one length.");
                for (std::size_t k = 0; k < d["scale"].size(); ++k) {
                    if (!d["scale"][k].is_number() || !d["offset"][k].is_number())
                        return fail(e.where + ": scale and offset entries must be numbers.");
                    auto off = wholeNumber(d["offset"][k], kMinOffset, kMaxOffset,
                                           e.where + ".offset[" + std::to_string(k) + "]");
                    if (!off)
                        return std::unexpected(off.error());
                    enc.emplace_back(static_cast<float>(d["scale"][k].get<double>()), *off);
                }
            } else {
                if (!node->is_array() || node->empty())
                    return fail(e.where + ": expected a list of encodings.");
                e.perChannel = node->size() > 1;
                for (std::size_t k = 0; k < node->size(); ++k) {
                    const json &d = (*node)[k];
                    const std::string w = e.where + "[" + std::to_string(k) + "]";
                    if (!d.is_object() || !d.contains("bitwidth") || !d["bitwidth"].is_number())
                        return fail(w + ".bitwidth: expected a number.");
                    auto bits = wholeNumber(d["bitwidth"], 0, 64, w + ".bitwidth");
                    if (!bits)
                        return std::unexpected(bits.error());
                    const json &is = d.contains("is_symmetric") ? d["is_symmetric"] : json(false);
                    const bool chSym = is.is_boolean()
                                           ? is.get<bool>()
                                           : (is.is_string() && is.get<std::string>() == "True");
                    const std::string chType = d.value("dtype", std::string("int"));
                    // One tensor, one kind of grid: channels may differ in scale and offset only.
                    if (k > 0 && (*bits != bw || chSym != sym || chType != dtype))
                        return fail(w + ": bitwidth, dtype and is_symmetric differ from the first "
                                        "channel's; a plan holds one kind of grid per tensor.",
                                    Error::Code::Unsupported);
                    bw = static_cast<int>(*bits);
                    sym = chSym;
                    dtype = chType;
                    if (dtype == "float" || dtype == "FLOAT")
                        break;
                    if (!d.contains("scale") || !d["scale"].is_number() || !d.contains("offset") ||
                        !d["offset"].is_number())
                        return fail(w + ": expected numbers 'scale' and 'offset'.");
                    auto off = wholeNumber(d["offset"], kMinOffset, kMaxOffset, w + ".offset");
                    if (!off)
                        return std::unexpected(off.error());
                    enc.emplace_back(static_cast<float>(d["scale"].get<double>()), *off);
                }
            }
            if (dtype == "float" || dtype == "FLOAT") {
                out.notes.push_back("tensor '" + name + "' is kept in float (" +
                                    std::to_string(bw) + "-bit) by the file; not quantized.");
                continue;
            }
            if (bw < 2 || bw > 16)
                return fail(e.where + ": " + std::to_string(bw) +
                                "-bit encodings are outside a plan's 2 to 16 bits.",
                            Error::Code::Unsupported);
            e.bits = bw;
            // AIMET integers are [0, 2^b - 1] with real = S * (q + offset). A symmetric encoding
            // with offset -2^(b-1) is a signed grid with Z = 0; anything else an unsigned grid
            // with Z = -offset, which is the same set of real values.
            const int64_t half = int64_t{1} << (bw - 1);
            bool signedSym = sym;
            for (const auto &[s, off] : enc)
                signedSym = signedSym && off == -half;
            e.isSigned = signedSym;
            e.symmetric = signedSym ? std::optional<bool>(true) : std::nullopt;
            for (const auto &[s, off] : enc) {
                if (!(s > 0) || !std::isfinite(s))
                    return fail(e.where + ": scale " + fmtFloat(s) + " is not a positive number.");
                QuantParams p;
                p.scale = s;
                std::tie(p.qmin, p.qmax) =
                    integerRange(bw, signedSym ? IntRange::Signed : IntRange::Unsigned);
                const int64_t zero = signedSym ? 0 : -off; // checked before narrowing
                p.zeroPoint = static_cast<int32_t>(std::clamp<int64_t>(zero, p.qmin, p.qmax));
                if (zero < p.qmin || zero > p.qmax)
                    return fail(e.where + ": offset " + std::to_string(off) +
                                    " puts zero outside "
                                    "the " +
                                    std::to_string(bw) + "-bit grid.",
                                Error::Code::Unsupported);
                e.params.push_back(p);
            }
            if (auto r = im.add(e, {}); !r)
                return std::unexpected(r.error());
        }
    }
    im.finish();
    return out;
}

Result<PlanImport> importOrtOverrides(const Model &model, const std::string &overridesJson,
                                      const std::string *calibrationJson)
{
    // nlohmann throws on a value of the wrong type (e.g. "axis": "0"); no exception leaves core.
    try {
        return importOrtImpl(model, overridesJson, calibrationJson);
    } catch (const nlohmann::json::exception &e) {
        return fail(std::string("the overrides file has a value of the wrong type (") + e.what() +
                    ").");
    }
}

Result<PlanImport> importAimet(const Model &model, const std::string &encodingsJson)
{
    try {
        return importAimetImpl(model, encodingsJson);
    } catch (const nlohmann::json::exception &e) {
        return fail(std::string("the encodings file has a value of the wrong type (") + e.what() +
                    ").");
    }
}

Result<PlanImport> importPlanFile(const Model &model, const std::filesystem::path &file)
{
    auto read = [](const std::filesystem::path &p) -> Result<std::string> {
        std::ifstream in(p, std::ios::binary);
        if (!in)
            return fail("cannot open '" + p.string() + "'.");
        std::ostringstream s;
        s << in.rdbuf();
        return s.str();
    };
    auto text = read(file);
    if (!text)
        return std::unexpected(text.error());
    auto j = parseJson(*text, "'" + file.string() + "'");
    if (!j)
        return std::unexpected(j.error());
    Result<PlanImport> r;
    if (j->is_object() && j->contains("version") &&
        (j->contains("activation_encodings") || j->contains("param_encodings"))) {
        r = importAimet(model, *text);
    } else {
        const auto calPath = companionPath(file, ".calibration.json");
        std::error_code ec;
        if (calPath != file && std::filesystem::exists(calPath, ec)) {
            auto cal = read(calPath);
            if (!cal)
                return std::unexpected(cal.error());
            r = importOrtOverrides(model, *text, &*cal);
            if (r)
                r->notes.push_back("activation ranges read from '" + calPath.string() + "'.");
        } else {
            r = importOrtOverrides(model, *text);
        }
    }
    if (!r)
        return fail("'" + file.string() + "': " + r.error().message, r.error().code);
    return r;
}

} // namespace nnc
