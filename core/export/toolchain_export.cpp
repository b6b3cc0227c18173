// Toolchain formats (see the header): ONNX Runtime overrides and calibration table, AIMET
// encodings, TensorRT calibration cache. Every number written is the one the evaluator uses:
// weights through compressLayerWeight, activations through chooseParams on the plan's range.
#include "core/export/toolchain_export.h"

#include "core/eval/weight_compression.h"
#include "core/export/qdq_export.h"
#include "core/stats/layers.h"
#include "core/util/atomic_file.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <set>

namespace nnc {

namespace {

using ordered_json = nlohmann::ordered_json;
using json = nlohmann::ordered_json;

std::string quotedList(const std::vector<std::string> &names, std::size_t max = 8)
{
    std::string out;
    for (std::size_t i = 0; i < names.size() && i < max; ++i)
        out += (i ? ", '" : "'") + names[i] + "'";
    if (names.size() > max)
        out += " and " + std::to_string(names.size() - max) + " more";
    return out;
}

struct WeightEntry
{
    const Layer *layer = nullptr;
    QuantConfig q;
    CompressedWeight cw;
};

struct ActEntry
{
    std::string name;
    QuantConfig q;
    QuantParams p;
};

struct Collected
{
    std::vector<Layer> layers;
    std::vector<WeightEntry> weights; ///< one per weight tensor, in layer order
    std::vector<ActEntry> acts;       ///< enabled activations with their parameters
    std::vector<std::string> disabledLayers;
    std::vector<std::string> disabledActs;
};

/// The plan resolved into what a parameter format carries. Pruning is refused (these formats
/// carry quantization parameters only); missing activation ranges are listed.
Result<Collected> collect(const Model &model, const CompressionPlan &plan, const std::string &fmt,
                          std::vector<std::string> &notes)
{
    Collected c;
    c.layers = findLayers(model);
    if (auto r = validatePlan(plan, c.layers, activationTensors(c.layers)); !r)
        return std::unexpected(r.error());
    if (const auto missing = missingActivationRanges(model, plan); !missing.empty())
        return fail("activation tensors " + quotedList(missing, 1000) +
                    " have no range in the plan: calibrate first (export --data, or nncompress "
                    "calibrate).");
    std::vector<std::string> pruned;
    for (const Layer &l : c.layers)
        if (plan.pruneConfig(l.name).enabled())
            pruned.push_back(l.name);
    if (!pruned.empty())
        return fail("the plan prunes layers " + quotedList(pruned) + ", and " + fmt +
                        " carries quantization parameters only: export the pruned model with "
                        "--format pruned, then export this format for it from a plan without "
                        "pruning.",
                    Error::Code::Unsupported);
    std::map<std::string, std::size_t> byWeight;
    for (const Layer &l : c.layers) {
        const QuantConfig q = plan.weightConfig(l.name);
        if (l.op == "MatMulInteger" || l.op == "ConvInteger") {
            if (q.enabled)
                notes.push_back("layer '" + l.name + "' (" + l.op +
                                ") already stores integer weights; not listed, as in the preview.");
            continue;
        }
        if (!q.enabled) {
            c.disabledLayers.push_back(l.name);
            continue;
        }
        if (q.range && (!std::isfinite(q.range->rmin) || !std::isfinite(q.range->rmax)))
            return fail("layer '" + l.name + "': its weight range [" +
                        std::to_string(q.range->rmin) + ", " + std::to_string(q.range->rmax) +
                        "] is not finite, and " + fmt +
                        " carries finite numbers only: set a finite rmin/rmax.");
        auto cw = compressLayerWeight(model, l, q, PruneConfig{});
        if (!cw)
            return std::unexpected(cw.error());
        WeightEntry e{&l, q, std::move(*cw)};
        if (auto it = byWeight.find(l.weight); it != byWeight.end()) {
            notes.push_back("weight '" + l.weight + "' is shared by layers '" +
                            c.weights[it->second].layer->name + "' and '" + l.name +
                            "'; the last one's setting applies, as in the preview.");
            c.weights[it->second] = std::move(e);
        } else {
            byWeight[l.weight] = c.weights.size();
            c.weights.push_back(std::move(e));
        }
    }
    for (const auto &t : activationTensors(c.layers)) {
        const QuantConfig q = plan.activationConfig(t);
        if (!q.enabled) {
            c.disabledActs.push_back(t);
            continue;
        }
        if (!std::isfinite(q.range->rmin) || !std::isfinite(q.range->rmax))
            return fail("activation tensor '" + t + "': its range [" +
                        std::to_string(q.range->rmin) + ", " + std::to_string(q.range->rmax) +
                        "] is not finite, and " + fmt +
                        " carries finite numbers only: calibrate again or set rmin/rmax.");
        c.acts.push_back({t, q, chooseParams(q.spec, q.range->rmin, q.range->rmax)});
    }
    return c;
}

/// Channel of element i of a weight quantized along `axis` (-1: per tensor).
struct ChannelIndex
{
    int64_t inner = 1, channels = 1;
    bool perChannel = false;
    ChannelIndex(const Tensor &t, int axis)
    {
        perChannel = axis >= 0;
        if (perChannel) {
            channels = t.dim(axis);
            for (int64_t d = axis + 1; d < t.rank(); ++d)
                inner *= t.dim(d);
        }
    }
    std::size_t operator()(int64_t i) const
    {
        return perChannel ? static_cast<std::size_t>((i / inner) % channels) : 0;
    }
};

/// The first weight element whose integer changes when the format saturates to [lo, hi] instead
/// of the plan's [qmin, qmax] (a restricted range, or a b-bit grid stored in a wider type with a
/// manual range narrower than the weights); -1 when none does.
int64_t firstSaturationDifference(const CompressedWeight &cw, int32_t lo, int32_t hi)
{
    const ChannelIndex ch(cw.pruned, cw.axis);
    const float *in = cw.pruned.data<float>();
    for (int64_t i = 0; i < cw.pruned.numel(); ++i) {
        const QuantParams &p = cw.params[ch(i)];
        QuantParams wide = p;
        wide.qmin = lo;
        wide.qmax = hi;
        if (quantizeValue(in[i], p) != quantizeValue(in[i], wide))
            return i;
    }
    return -1;
}

std::string rangeName(IntRange r)
{
    switch (r) {
    case IntRange::Signed:
        return "signed";
    case IntRange::Unsigned:
        return "unsigned";
    default:
        return "signed_restricted";
    }
}

/// The full b-bit integer range of a signedness.
std::pair<int32_t, int32_t> fullRange(int bits, bool isSigned)
{
    return integerRange(bits, isSigned ? IntRange::Signed : IntRange::Unsigned);
}

Result<void> checkWeightStorage(const WeightEntry &w, int storageBits, const std::string &fmt)
{
    const bool isSigned = w.q.spec.range != IntRange::Unsigned;
    const auto [lo, hi] = fullRange(storageBits, isSigned);
    if (const int64_t i = firstSaturationDifference(w.cw, lo, hi); i >= 0)
        return fail("layer '" + w.layer->name + "': weight element " + std::to_string(i) +
                        " quantizes to a different integer when saturated to [" +
                        std::to_string(lo) + ", " + std::to_string(hi) + "] (what " + fmt +
                        " stores) than to the plan's " + rangeName(w.q.spec.range) + " " +
                        std::to_string(w.q.spec.bits) +
                        "-bit range: its range is narrower than "
                        "the weights. Use --format qdq, or a plan range that covers the weights.",
                    Error::Code::Unsupported);
    return {};
}

/// A float as JSON: its exact value as a double (reads back to the same float).
json num(float v)
{
    return json(static_cast<double>(v));
}

std::string ortTypeName(bool isSigned, int storageBits)
{
    return std::string(isSigned ? "QInt" : "QUInt") + std::to_string(storageBits);
}

std::string ortCalibMethod(const CalibConfig &c)
{
    switch (c.method) {
    case CalibMethod::Entropy:
        return "CalibrationMethod.Entropy";
    case CalibMethod::Percentile:
        return "CalibrationMethod.Percentile";
    default:
        return "CalibrationMethod.MinMax";
    }
}

json numpyScalar(float v)
{
    ordered_json j;
    j["CLS"] = "numpy.array";
    j["data"] = static_cast<double>(v);
    j["dtype"] = "float32";
    return j;
}

/// The real grid of one (S, Z): its scale and its two ends, as DequantizeLinear computes them.
/// Two parameter sets with the same grid quantize every value alike (AIMET's unsigned form of a
/// signed asymmetric grid shifts Z and the integer range together).
bool sameGrid(const QuantParams &a, const QuantParams &b)
{
    return a.scale == b.scale && dequantizeValue(a.qmin, a) == dequantizeValue(b.qmin, b) &&
           dequantizeValue(a.qmax, a) == dequantizeValue(b.qmax, b);
}

/// Validation before writing: the file, read back by plan import, must give every listed weight
/// and activation the scales and grid the export wrote, bit for bit.
Result<void> verifyByImport(const Model &model, const Collected &c, Result<PlanImport> back,
                            const std::string &fmt, std::vector<std::string> &notes)
{
    // Per-channel scales from a histogram method are exported as they are, but a plan can only
    // rebuild per-channel scales from the weights' extremes: such a file cannot be imported.
    std::vector<std::string> histogramChannels;
    for (const WeightEntry &w : c.weights)
        if (w.cw.params.size() > 1 && w.q.calibration.method != CalibMethod::MinMax)
            histogramChannels.push_back(w.layer->name);
    if (!back && !histogramChannels.empty()) {
        notes.push_back("the per-channel weight scales of " + quotedList(histogramChannels) +
                        " come from a histogram calibration method, which 'plan import' cannot "
                        "rebuild (a plan holds no per-channel ranges); the file is written as "
                        "computed but was not read back.");
        return {};
    }
    auto bad = [&](const std::string &what) {
        return fail("the " + fmt + " file does not read back to the plan's parameters (" + what +
                        "); nothing was written.",
                    Error::Code::Internal);
    };
    if (!back)
        return bad(back.error().message);
    for (const WeightEntry &w : c.weights) {
        const QuantConfig q = back->plan.weightConfig(w.layer->name);
        if (!q.enabled)
            return bad("layer '" + w.layer->name + "' comes back unquantized");
        auto weight = layerWeight(model, *w.layer);
        if (!weight)
            return std::unexpected(weight.error());
        const auto ps = weightQuantParams(*weight, q, w.cw.axis >= 0 ? w.cw.axis : 0);
        if (ps.size() != w.cw.params.size())
            return bad("layer '" + w.layer->name + "' comes back with " +
                       std::to_string(ps.size()) + " scales instead of " +
                       std::to_string(w.cw.params.size()));
        for (std::size_t k = 0; k < ps.size(); ++k)
            if (!sameGrid(ps[k], w.cw.params[k]))
                return bad("layer '" + w.layer->name + "', channel " + std::to_string(k));
    }
    for (const ActEntry &a : c.acts) {
        const QuantConfig q = back->plan.activationConfig(a.name);
        if (!q.enabled || !q.range)
            return bad("activation tensor '" + a.name + "' comes back unquantized");
        if (!sameGrid(chooseParams(q.spec, q.range->rmin, q.range->rmax), a.p))
            return bad("activation tensor '" + a.name + "'");
    }
    return {};
}

} // namespace

Result<ToolchainExport> exportOrtOverrides(const Model &model, const CompressionPlan &plan)
{
    ToolchainExport ex;
    auto c = collect(model, plan, "ONNX Runtime's TensorQuantOverrides", ex.notes);
    if (!c)
        return std::unexpected(c.error());
    ordered_json overrides = ordered_json::object();
    bool fourBit = false;
    for (const WeightEntry &w : c->weights) {
        const std::string &name = w.layer->weight;
        if (!model.graph.initializer(name))
            return fail("layer '" + w.layer->name + "': its weight '" + name +
                            "' is not an initializer, and ONNX Runtime's overrides address "
                            "initializers and activations only. Use --format qdq.",
                        Error::Code::Unsupported);
        const int bits = w.q.spec.bits;
        const int storage = bits <= 4 ? 4 : bits <= 8 ? 8 : 16;
        fourBit = fourBit || storage == 4;
        if (auto r = checkWeightStorage(w, storage, "ONNX Runtime"); !r)
            return std::unexpected(r.error());
        const bool isSigned = w.q.spec.range != IntRange::Unsigned;
        ordered_json list = ordered_json::array();
        for (std::size_t k = 0; k < w.cw.params.size(); ++k) {
            ordered_json d;
            if (k == 0 && w.cw.axis >= 0)
                d["axis"] = w.cw.axis;
            d["quant_type"] = ortTypeName(isSigned, storage);
            d["scale"] = num(w.cw.params[k].scale);
            d["zero_point"] = w.cw.params[k].zeroPoint;
            list.push_back(std::move(d));
        }
        overrides[name] = std::move(list);
        if (bits != storage)
            ex.notes.push_back("layer '" + w.layer->name + "': " + std::to_string(bits) +
                               "-bit weights are written as " + ortTypeName(isSigned, storage) +
                               " with their " + std::to_string(bits) +
                               "-bit scales; every weight stays on the " + std::to_string(bits) +
                               "-bit grid.");
    }
    ordered_json table;
    table["CLS"] = "TensorsData";
    table["calibration_method"] = {{"CLS", "CalibrationMethod"},
                                   {"value", ortCalibMethod(plan.activationDefaults.calibration)}};
    ordered_json data = ordered_json::object();
    for (const ActEntry &a : c->acts) {
        const int bits = a.q.spec.bits;
        if (bits != 8 && bits != 16)
            return fail("activation tensor '" + a.name + "': " + std::to_string(bits) +
                            "-bit activations have no ONNX Runtime quantization type (it "
                            "quantizes activations to 8 or 16 bits and saturates to the whole "
                            "type). Use --format qdq, which confines them with a Clip.",
                        Error::Code::Unsupported);
        if (a.q.spec.range == IntRange::SignedRestricted)
            return fail("activation tensor '" + a.name + "': a restricted range (-" +
                            std::to_string((1 << (bits - 1)) - 1) + " to " +
                            std::to_string((1 << (bits - 1)) - 1) +
                            ") cannot be expressed: ONNX Runtime's QuantizeLinear saturates "
                            "activations to the whole type. Use --format qdq.",
                        Error::Code::Unsupported);
        ordered_json d;
        d["quant_type"] = ortTypeName(a.q.spec.range == IntRange::Signed, bits);
        d["scale"] = num(a.p.scale);
        d["zero_point"] = a.p.zeroPoint;
        overrides[a.name] = ordered_json::array({d});
        ordered_json td;
        td["CLS"] = "TensorData";
        td["lowest"] = numpyScalar(a.q.range->rmin);
        td["highest"] = numpyScalar(a.q.range->rmax);
        data[a.name] = std::move(td);
    }
    table["data"] = std::move(data);
    if (fourBit)
        ex.notes.push_back("4-bit weights (QInt4/QUInt4) need ONNX Runtime 1.18 or later and a "
                           "model at opset 21.");
    if (!c->disabledActs.empty())
        ex.notes.push_back("activations the plan does not quantize (" +
                           quotedList(c->disabledActs) +
                           ") are not listed; exclude their nodes from quantize_static "
                           "(nodes_to_exclude) to keep them float.");
    if (!c->disabledLayers.empty())
        ex.notes.push_back("layers whose weights the plan keeps float (" +
                           quotedList(c->disabledLayers) +
                           ") are not listed; exclude them from quantize_static.");
    ex.files.push_back({"", overrides.dump(2) + "\n"});
    ex.files.push_back({".calibration.json", table.dump(2) + "\n"});
    if (auto v = verifyByImport(model, *c,
                                importOrtOverrides(model, ex.files[0].text, &ex.files[1].text),
                                "ONNX Runtime overrides", ex.notes);
        !v)
        return std::unexpected(v.error());
    return ex;
}

Result<ToolchainExport> exportAimet(const Model &model, const CompressionPlan &plan,
                                    const std::string &version)
{
    if (version != "0.6.1" && version != "1.0.0")
        return fail("AIMET encodings version '" + version +
                        "' is not supported; use 0.6.1 or "
                        "1.0.0.",
                    Error::Code::Usage);
    ToolchainExport ex;
    auto c = collect(model, plan, "AIMET encodings", ex.notes);
    if (!c)
        return std::unexpected(c.error());
    const bool v1 = version == "1.0.0";
    // One AIMET encoding per (scale, zero point): integers [0, 2^b - 1], real = S * (q + offset).
    auto encoding = [&](const QuantParams &p, int bits, bool isSigned, bool symmetric) {
        const int32_t fullMin = fullRange(bits, isSigned).first;
        const int64_t offset = int64_t{fullMin} - p.zeroPoint;
        ordered_json e;
        e["bitwidth"] = bits;
        e["dtype"] = "int";
        e["is_symmetric"] = symmetric ? "True" : "False";
        e["max"] = static_cast<double>(p.scale) * double(offset + (int64_t{1} << bits) - 1);
        e["min"] = static_cast<double>(p.scale) * double(offset);
        e["offset"] = offset;
        e["scale"] = num(p.scale);
        return e;
    };
    auto entryV1 = [&](const std::string &name, const std::vector<QuantParams> &ps, int bits,
                       bool isSigned, bool symmetric, bool perChannel) {
        ordered_json e;
        e["name"] = name;
        e["dtype"] = "INT";
        e["enc_type"] = perChannel ? "PER_CHANNEL" : "PER_TENSOR";
        e["bw"] = bits;
        e["is_sym"] = symmetric;
        ordered_json scales = ordered_json::array(), offsets = ordered_json::array();
        const int32_t fullMin = fullRange(bits, isSigned).first;
        for (const QuantParams &p : ps) {
            scales.push_back(num(p.scale));
            offsets.push_back(int64_t{fullMin} - p.zeroPoint);
        }
        e["scale"] = std::move(scales);
        e["offset"] = std::move(offsets);
        return e;
    };
    auto checkBits = [](int bits, const std::string &what) -> Result<void> {
        if (bits < 4)
            return fail(what + ": AIMET encodings take bit widths 4 to 32, not " +
                            std::to_string(bits) + ". Use --format qdq.",
                        Error::Code::Unsupported);
        return {};
    };
    ordered_json params = v1 ? ordered_json::array() : ordered_json::object();
    for (const WeightEntry &w : c->weights) {
        const int bits = w.q.spec.bits;
        if (auto r = checkBits(bits, "layer '" + w.layer->name + "'"); !r)
            return std::unexpected(r.error());
        if (auto r = checkWeightStorage(w, bits, "AIMET"); !r)
            return std::unexpected(r.error());
        const bool isSigned = w.q.spec.range != IntRange::Unsigned;
        // AIMET's symmetric encodings are signed with offset -2^(b-1).
        const bool sym = w.q.spec.symmetric && isSigned;
        if (v1) {
            params.push_back(
                entryV1(w.layer->weight, w.cw.params, bits, isSigned, sym, w.cw.axis >= 0));
        } else {
            ordered_json list = ordered_json::array();
            for (const QuantParams &p : w.cw.params)
                list.push_back(encoding(p, bits, isSigned, sym));
            params[w.layer->weight] = std::move(list);
        }
    }
    ordered_json acts = v1 ? ordered_json::array() : ordered_json::object();
    for (const ActEntry &a : c->acts) {
        const int bits = a.q.spec.bits;
        if (auto r = checkBits(bits, "activation tensor '" + a.name + "'"); !r)
            return std::unexpected(r.error());
        if (a.q.spec.range == IntRange::SignedRestricted)
            return fail("activation tensor '" + a.name +
                            "': AIMET encodings use the whole b-bit range; the plan's restricted "
                            "range cannot be expressed. Use --format qdq.",
                        Error::Code::Unsupported);
        const bool isSigned = a.q.spec.range == IntRange::Signed;
        const bool sym = a.q.spec.symmetric && isSigned;
        if (v1)
            acts.push_back(entryV1(a.name, {a.p}, bits, isSigned, sym, false));
        else
            acts[a.name] = ordered_json::array({encoding(a.p, bits, isSigned, sym)});
    }
    ordered_json out;
    out["version"] = version;
    out["activation_encodings"] = std::move(acts);
    out["param_encodings"] = std::move(params);
    out["excluded_layers"] = ordered_json::array();
    const QuantConfig &wd = plan.weightDefaults, &ad = plan.activationDefaults;
    const bool tf = ad.calibration.method == CalibMethod::MinMax;
    out["quantizer_args"] = {
        {"activation_bitwidth", ad.spec.bits},
        {"dtype", "int"},
        {"is_symmetric", v1 ? json(wd.spec.symmetric) : json(wd.spec.symmetric ? "True" : "False")},
        {"param_bitwidth", wd.spec.bits},
        {"per_channel_quantization",
         v1 ? json(wd.granularity == Granularity::PerChannel)
            : json(wd.granularity == Granularity::PerChannel ? "True" : "False")},
        {"quant_scheme", tf ? "post_training_tf" : "post_training_tf_enhanced"}};
    if (!c->disabledLayers.empty() || !c->disabledActs.empty())
        ex.notes.push_back(std::to_string(c->disabledLayers.size()) + " layers and " +
                           std::to_string(c->disabledActs.size()) +
                           " activation tensors the plan keeps float are not listed.");
    ex.files.push_back({"", out.dump(2) + "\n"});
    if (auto v = verifyByImport(model, *c, importAimet(model, ex.files[0].text), "AIMET encodings",
                                ex.notes);
        !v)
        return std::unexpected(v.error());
    return ex;
}

Result<ToolchainExport> exportTrtCache(const Model &model, const CompressionPlan &plan,
                                       int trtVersion)
{
    if (trtVersion <= 0)
        return fail("the TensorRT version must be a positive number such as 8601 (8.6.1), not " +
                        std::to_string(trtVersion) + ".",
                    Error::Code::Usage);
    ToolchainExport ex;
    auto c = collect(model, plan, "a TensorRT calibration cache", ex.notes);
    if (!c)
        return std::unexpected(c.error());
    static const std::set<std::string> kTrtWeightOps{"Conv", "ConvTranspose", "Gemm", "MatMul"};
    for (const Layer &l : c->layers) {
        if (l.op == "MatMulInteger" || l.op == "ConvInteger")
            continue;
        const QuantConfig q = plan.weightConfig(l.name);
        const bool trtQuantizes = kTrtWeightOps.contains(l.op);
        if (!trtQuantizes) {
            if (q.enabled)
                return fail("layer '" + l.name + "' (" + l.op +
                                "): TensorRT's calibration path does not quantize the weights of " +
                                l.op +
                                ", but the plan does. Disable this layer's weights in the "
                                "plan, or use --format qdq (explicit quantization).",
                            Error::Code::Unsupported);
            continue;
        }
        std::string why;
        if (!q.enabled)
            why = "the plan keeps them float";
        else if (q.spec.bits != 8)
            why = "the plan has " + std::to_string(q.spec.bits) + " bits";
        else if (!q.spec.symmetric || q.spec.range == IntRange::Unsigned)
            why = "the plan's are asymmetric or unsigned";
        else if (q.granularity != Granularity::PerChannel)
            why = "the plan's are per tensor";
        else if (q.range || q.calibration.method != CalibMethod::MinMax)
            why = "the plan's ranges are not each channel's extremes";
        if (!why.empty())
            return fail("layer '" + l.name +
                            "': TensorRT quantizes weights itself, 8-bit symmetric per channel "
                            "from their extremes, and " +
                            why +
                            ", which a calibration cache cannot express. Use --format qdq "
                            "(explicit quantization).",
                        Error::Code::Unsupported);
    }
    std::string text = "TRT-" + std::to_string(trtVersion) + "-EntropyCalibration2\n";
    for (const ActEntry &a : c->acts) {
        if (a.q.spec.bits != 8 || !a.q.spec.symmetric ||
            a.q.spec.range != IntRange::SignedRestricted)
            return fail("activation tensor '" + a.name +
                            "': TensorRT's calibrated activations are 8-bit signed_restricted "
                            "symmetric (scale = amax / 127), and the plan's are " +
                            std::to_string(a.q.spec.bits) + "-bit " + rangeName(a.q.spec.range) +
                            (a.q.spec.symmetric ? " symmetric" : " asymmetric") +
                            ". Change the plan's activations, or use --format qdq.",
                        Error::Code::Unsupported);
        uint32_t bits = 0;
        std::memcpy(&bits, &a.p.scale, sizeof bits);
        char hex[16];
        std::snprintf(hex, sizeof hex, "%08x", bits);
        text += a.name + ": " + hex + "\n";
    }
    if (!c->disabledActs.empty())
        ex.notes.push_back("activation tensors the plan keeps float (" +
                           quotedList(c->disabledActs) +
                           ") have no line: TensorRT runs tensors without a scale in higher "
                           "precision.");
    ex.notes.push_back("the cache holds the scales of the " + std::to_string(c->acts.size()) +
                       " tensors the plan quantizes (layer inputs); TensorRT's explicit "
                       "quantization path (--format qdq) reproduces the preview more closely.");
    ex.files.push_back({"", std::move(text)});
    return ex;
}

std::filesystem::path companionPath(const std::filesystem::path &path, const std::string &suffix)
{
    std::filesystem::path p = path;
    p.replace_extension();
    p += suffix;
    return p;
}

Result<std::vector<std::filesystem::path>>
writeToolchainExport(const ToolchainExport &ex, const std::filesystem::path &path,
                     const std::filesystem::path &protect)
{
    namespace fs = std::filesystem;
    std::vector<fs::path> paths;
    for (const ToolchainFile &f : ex.files)
        paths.push_back(f.suffix.empty() ? path : companionPath(path, f.suffix));
    for (const fs::path &p : paths) {
        std::error_code ec;
        const bool same = !protect.empty() && fs::exists(p, ec) && fs::exists(protect, ec) &&
                          fs::equivalent(p, protect, ec);
        if (same ||
            (!protect.empty() && fs::weakly_canonical(p, ec) == fs::weakly_canonical(protect, ec)))
            return fail("'" + p.string() + "' is the input model; choose another output file.",
                        Error::Code::Usage);
    }
    for (std::size_t i = 0; i < paths.size(); ++i)
        if (auto w = writeFileAtomically(paths[i], ex.files[i].text); !w)
            return std::unexpected(w.error());
    return paths;
}

} // namespace nnc
