// Binding an array source to a model: which array feeds which input (by description, override or
// name), shape/dtype/label checks with precise messages, and preprocessed batches on demand.
#include "core/data/dataset.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <map>
#include <new>
#include <set>
#include <sstream>

namespace nnc {

namespace {

constexpr std::string_view kMetrics[] = {"accuracy", "top5", "token_accuracy", "entity_f1",
                                         "agreement"};
/// Elements per chunk when labels are scanned at open (bounded memory for any set size).
constexpr int64_t kScanElements = 1 << 16;

std::string quoted(const std::filesystem::path &p) { return "'" + p.string() + "'"; }

std::string join(const std::vector<std::string> &names)
{
    std::string s;
    for (const auto &n : names)
        s += (s.empty() ? "" : ", ") + n;
    return s.empty() ? "none" : s;
}

/// A declared shape from axis `from` on: fixed sizes, symbolic names, "?" for unknown.
std::string declaredToString(const ValueInfo &v, std::size_t from)
{
    std::string s = "[";
    for (std::size_t i = from; i < v.shape.size(); ++i) {
        const Dim &d = v.shape[i];
        s += (i > from ? ", " : "");
        s += d.isFixed() ? std::to_string(d.value) : d.param.empty() ? "?" : d.param;
    }
    return s + "]";
}

bool allFixed(const ValueInfo &v, std::size_t from)
{
    for (std::size_t i = from; i < v.shape.size(); ++i)
        if (!v.shape[i].isFixed())
            return false;
    return true;
}

Dims fixedDims(const ValueInfo &v, std::size_t from)
{
    Dims d;
    for (std::size_t i = from; i < v.shape.size(); ++i)
        d.push_back(v.shape[i].value);
    return d;
}

/// True when `row` matches the declared dims from `from` on, rank and every fixed size.
bool matchesDeclared(const ValueInfo &v, std::size_t from, const Dims &row)
{
    if (v.shape.size() < from || row.size() != v.shape.size() - from)
        return false;
    for (std::size_t i = 0; i < row.size(); ++i)
        if (v.shape[from + i].isFixed() && v.shape[from + i].value != row[i])
            return false;
    return true;
}

std::string formatValue(double v)
{
    if (std::isnan(v))
        return "nan";
    std::ostringstream os;
    os.precision(9);
    os << v;
    return os.str();
}

enum class Layout { AsStored, ChannelsLast, NhwcToNchw, NchwToNhwc };

struct InputPlan
{
    InputBinding binding;
    ValueInfo decl;
    ArrayInfo array;
    Layout layout = Layout::AsStored;
    Dims layoutRow;        ///< row shape after the layout change
    Dims outRow;           ///< row shape fed to the model (layoutRow reshaped to the declaration)
    DataType outType = DataType::Undefined;
    bool arithmetic = false; ///< scale / mean / std apply (float path)
    int64_t channelAxis = -1; ///< axis of outRow holding channels, -1 when it has none
};

struct LabelPlan
{
    LabelBinding binding;
    ArrayInfo array;
    Dims outRow;
};

/// Transposes each sample's row from [a, b, c] to the permutation `perm` of it (bytes).
Tensor permuteRows(const Tensor &t, const Dims &row, const std::array<int, 3> &perm)
{
    Dims outRow{row[static_cast<std::size_t>(perm[0])], row[static_cast<std::size_t>(perm[1])],
                row[static_cast<std::size_t>(perm[2])]};
    Dims dims{t.dim(0)};
    dims.insert(dims.end(), outRow.begin(), outRow.end());
    Tensor out(t.dtype(), dims);
    const std::size_t es = dtypeSize(t.dtype());
    const int64_t n = numElements(row);
    const int64_t inStride[3] = {row[1] * row[2], row[2], 1};
    const std::byte *src = t.bytes().data();
    std::byte *dst = out.mutableBytes().data();
    for (int64_t s = 0; s < t.dim(0); ++s) {
        const std::byte *in = src + static_cast<std::size_t>(s * n) * es;
        std::byte *o = dst + static_cast<std::size_t>(s * n) * es;
        for (int64_t i = 0; i < outRow[0]; ++i)
            for (int64_t j = 0; j < outRow[1]; ++j)
                for (int64_t k = 0; k < outRow[2]; ++k) {
                    const int64_t idx[3] = {i, j, k};
                    int64_t from = 0;
                    for (int a = 0; a < 3; ++a)
                        from += idx[a] * inStride[perm[static_cast<std::size_t>(a)]];
                    std::memcpy(o, in + static_cast<std::size_t>(from) * es, es);
                    o += es;
                }
    }
    return out;
}

class BoundDataset final : public Dataset
{
public:
    BoundDataset(std::unique_ptr<ArraySource> source, DatasetSpec spec,
                 std::vector<InputPlan> inputs, std::vector<LabelPlan> labels, int64_t size)
        : m_source(std::move(source)), m_spec(std::move(spec)), m_inputs(std::move(inputs)),
          m_labels(std::move(labels)), m_size(size)
    {}

    int64_t size() const override { return m_size; }
    const DatasetSpec &spec() const override { return m_spec; }

    Result<Batch> batch(int64_t start, int64_t count) override
    {
        try {
            return readBatch(start, count);
        } catch (const std::bad_alloc &) {
            return fail("not enough memory for a batch of " + std::to_string(count)
                        + " samples.");
        }
    }

private:
    /// Rows of an array, read once per batch even when several bindings use the array (two
    /// reads of one deflated member at the same rows would restart its decoder).
    Result<Tensor> rows(const std::string &array, int64_t start, int64_t count)
    {
        if (auto it = m_batchRows.find(array); it != m_batchRows.end())
            return it->second;
        auto t = m_source->readRows(array, start, count);
        if (t)
            m_batchRows.emplace(array, *t);
        return t;
    }

    Result<Batch> readBatch(int64_t start, int64_t count)
    {
        m_batchRows.clear();
        if (start < 0 || count < 0 || start > m_size || count > m_size - start)
            return fail("samples " + std::to_string(start) + " to "
                        + std::to_string(start + count) + " are out of range; the dataset has "
                        + std::to_string(m_size) + ".");
        Batch b;
        b.start = start;
        b.count = count;
        for (const InputPlan &p : m_inputs) {
            auto t = inputBatch(p, start, count);
            if (!t)
                return std::unexpected(t.error());
            b.inputs.push_back(std::move(*t));
        }
        for (const LabelPlan &p : m_labels) {
            auto t = rows(p.array.name, start, count);
            if (!t)
                return std::unexpected(t.error());
            Dims dims{count};
            dims.insert(dims.end(), p.outRow.begin(), p.outRow.end());
            b.labels.push_back(t->castTo(DataType::Int64).reshaped(dims));
        }
        m_batchRows.clear();
        return b;
    }

    Result<Tensor> inputBatch(const InputPlan &p, int64_t start, int64_t count)
    {
        auto raw = rows(p.array.name, start, count);
        if (!raw)
            return std::unexpected(raw.error());
        Tensor t = std::move(*raw);
        if (isFloatingPoint(t.dtype()) && t.numel() > 0) {
            const int64_t rowN = t.numel() / count;
            auto check = [&](auto *data) -> Result<void> {
                for (int64_t i = 0; i < t.numel(); ++i) {
                    const double v = static_cast<double>(data[i]);
                    if (std::isnan(v))
                        return fail("array '" + p.array.name + "' has NaN at sample "
                                    + std::to_string(start + i / rowN) + ".");
                    if (std::isinf(v))
                        return fail("array '" + p.array.name + "' has an infinite value at "
                                    "sample " + std::to_string(start + i / rowN) + ".");
                }
                return {};
            };
            Result<void> ok;
            if (t.dtype() == DataType::Float)
                ok = check(t.data<float>());
            else if (t.dtype() == DataType::Double)
                ok = check(t.data<double>());
            else {
                const auto f = t.toFloatVector();
                ok = check(f.data());
            }
            if (!ok)
                return std::unexpected(ok.error());
        }
        const Dims storedRow(p.array.shape.begin() + 1, p.array.shape.end());
        if (p.layout == Layout::NhwcToNchw)
            t = permuteRows(t, storedRow, {2, 0, 1});
        else if (p.layout == Layout::NchwToNhwc)
            t = permuteRows(t, storedRow, {1, 2, 0});
        Dims dims{count};
        dims.insert(dims.end(), p.outRow.begin(), p.outRow.end());
        t = t.reshaped(dims);
        if (!p.arithmetic)
            return t.castTo(p.outType);
        Tensor f = t.castTo(DataType::Float);
        float *x = f.mutableData<float>();
        const float scale = static_cast<float>(p.binding.scale);
        const int64_t n = f.numel();
        if (scale != 1.0f)
            for (int64_t i = 0; i < n; ++i)
                x[i] *= scale;
        if (!p.binding.mean.empty() || !p.binding.std.empty()) {
            // Element i of a sample belongs to channel (i / inner) % channels.
            int64_t channels = 1, inner = 1;
            if (p.channelAxis >= 0) {
                channels = p.outRow[static_cast<std::size_t>(p.channelAxis)];
                for (std::size_t a = static_cast<std::size_t>(p.channelAxis) + 1; a < p.outRow.size(); ++a)
                    inner *= p.outRow[a];
            }
            std::vector<float> mean(static_cast<std::size_t>(channels), 0.0f),
                invStd(static_cast<std::size_t>(channels), 1.0f);
            for (int64_t c = 0; c < channels; ++c) {
                const auto cs = static_cast<std::size_t>(c);
                if (!p.binding.mean.empty())
                    mean[cs] = p.binding.mean[p.binding.mean.size() == 1 ? 0 : cs];
                if (!p.binding.std.empty())
                    invStd[cs] = 1.0f / p.binding.std[p.binding.std.size() == 1 ? 0 : cs];
            }
            for (int64_t i = 0; i < n; ++i) {
                const auto c = static_cast<std::size_t>((i / inner) % channels);
                x[i] = (x[i] - mean[c]) * invStd[c];
            }
        }
        return f.castTo(p.outType);
    }

    std::unique_ptr<ArraySource> m_source;
    DatasetSpec m_spec;
    std::vector<InputPlan> m_inputs;
    std::vector<LabelPlan> m_labels;
    int64_t m_size = 0;
    std::map<std::string, Tensor> m_batchRows;
};

// ---- binding ----------------------------------------------------------------------------------

class Binder
{
public:
    /// `origin` names where the spec came from in messages ("'val.json'").
    Binder(DatasetSpec spec, const Model &model, std::unique_ptr<ArraySource> source,
           std::string origin)
        : m_spec(std::move(spec)), m_model(model), m_source(std::move(source)),
          m_origin(std::move(origin))
    {
        for (const ValueInfo *v : m_model.graph.dataInputs())
            m_inputNames.push_back(v->name);
        for (const ValueInfo &v : m_model.graph.outputs)
            m_outputNames.push_back(v.name);
    }

    Result<std::unique_ptr<Dataset>> bind(const DatasetOverrides &overrides)
    {
        if (m_inputNames.empty())
            return fail("the model has no inputs to feed from a dataset.");
        for (const InputBinding &b : m_spec.inputs)
            if (auto r = knownInput(b.input, m_origin); !r)
                return std::unexpected(r.error());
        for (const LabelBinding &b : m_spec.labels)
            if (auto r = knownOutput(b.output, m_origin); !r)
                return std::unexpected(r.error());
        if (auto r = applyOverrides(overrides); !r)
            return std::unexpected(r.error());
        if (auto r = autoBindInputs(); !r)
            return std::unexpected(r.error());
        autoBindLabels();

        std::vector<InputPlan> inputs;
        for (const InputBinding &b : m_spec.inputs) {
            auto p = planInput(b);
            if (!p)
                return std::unexpected(p.error());
            inputs.push_back(std::move(*p));
        }
        std::vector<LabelPlan> labels;
        std::vector<LabelBinding> kept;
        for (const LabelBinding &b : m_spec.labels) {
            if (b.metric == "agreement" && b.array.empty())
                continue; // the evaluator's default for an output without labels
            auto p = planLabel(b);
            if (!p)
                return std::unexpected(p.error());
            labels.push_back(std::move(*p));
            kept.push_back(b);
        }
        m_spec.labels = std::move(kept);

        // Every bound array must have the same number of samples, and at least one.
        const ArrayInfo *first = &inputs.front().array;
        auto sameCount = [&](const ArrayInfo &a) -> Result<void> {
            if (a.shape[0] != first->shape[0])
                return fail("arrays have different sample counts: '" + first->name + "' has "
                            + std::to_string(first->shape[0]) + " samples, '" + a.name
                            + "' has " + std::to_string(a.shape[0]) + ".");
            return {};
        };
        for (const InputPlan &p : inputs)
            if (auto r = sameCount(p.array); !r)
                return std::unexpected(r.error());
        for (const LabelPlan &p : labels)
            if (auto r = sameCount(p.array); !r)
                return std::unexpected(r.error());
        if (first->shape[0] == 0)
            return fail("the dataset is empty: array '" + first->name + "' has 0 samples.");
        for (const LabelPlan &p : labels)
            if (auto r = scanLabels(p); !r)
                return std::unexpected(r.error());
        const int64_t size = first->shape[0];
        return std::make_unique<BoundDataset>(std::move(m_source), std::move(m_spec),
                                              std::move(inputs), std::move(labels), size);
    }

private:
    const ArrayInfo *findArray(const std::string &name) const
    {
        for (const ArrayInfo &a : m_source->arrays())
            if (a.name == name)
                return &a;
        return nullptr;
    }

    std::string arrayNames() const
    {
        std::vector<std::string> n;
        for (const ArrayInfo &a : m_source->arrays())
            n.push_back(a.name);
        return join(n);
    }

    const ValueInfo *inputDecl(const std::string &name) const
    {
        for (const ValueInfo *v : m_model.graph.dataInputs())
            if (v->name == name)
                return v;
        return nullptr;
    }

    const ValueInfo *outputDecl(const std::string &name) const
    {
        for (const ValueInfo &v : m_model.graph.outputs)
            if (v.name == name)
                return &v;
        return nullptr;
    }

    Result<void> knownInput(const std::string &name, const std::string &origin) const
    {
        if (!inputDecl(name))
            return fail(origin + " names '" + name + "', which is not a model input; the inputs are "
                        + join(m_inputNames) + ".");
        return {};
    }

    Result<void> knownOutput(const std::string &name, const std::string &origin) const
    {
        if (!outputDecl(name))
            return fail(origin + " names '" + name + "', which is not a model output; the "
                                 "outputs are " + join(m_outputNames) + ".");
        return {};
    }

    Result<void> applyOverrides(const DatasetOverrides &o)
    {
        for (const std::string &text : o.inputs) {
            const auto eq = text.find('=');
            if (eq == std::string::npos || eq == 0 || eq + 1 == text.size())
                return fail("--input '" + text + "' is not of the form INPUT=ARRAY.",
                            Error::Code::Usage);
            const std::string input = text.substr(0, eq), array = text.substr(eq + 1);
            if (auto r = knownInput(input, "--input " + text); !r)
                return fail(r.error().message, Error::Code::Usage);
            auto it = std::find_if(m_spec.inputs.begin(), m_spec.inputs.end(),
                                   [&](const InputBinding &b) { return b.input == input; });
            if (it != m_spec.inputs.end()) {
                it->array = array; // keeps the description's preprocessing
            } else {
                InputBinding b;
                b.input = input;
                b.array = array;
                m_spec.inputs.push_back(std::move(b));
            }
        }
        for (const std::string &text : o.labels) {
            const auto eq = text.find('=');
            if (eq == std::string::npos || eq == 0)
                return fail("--label '" + text + "' is not of the form OUTPUT=ARRAY[:metric].",
                            Error::Code::Usage);
            const std::string output = text.substr(0, eq);
            std::string array = text.substr(eq + 1), metric;
            if (const auto colon = array.rfind(':'); colon != std::string::npos) {
                metric = array.substr(colon + 1);
                array.resize(colon);
                if (std::find(std::begin(kMetrics), std::end(kMetrics), metric)
                    == std::end(kMetrics))
                    return fail("--label '" + text + "' names an unknown metric '" + metric
                                    + "'; use accuracy, top5, token_accuracy, entity_f1 or "
                                      "agreement.",
                                Error::Code::Usage);
            }
            if (array.empty() && metric != "agreement")
                return fail("--label '" + text + "' names no array; only the agreement metric "
                                                 "goes without labels (OUTPUT=:agreement).",
                            Error::Code::Usage);
            if (auto r = knownOutput(output, "--label " + text); !r)
                return fail(r.error().message, Error::Code::Usage);
            auto it = std::find_if(m_spec.labels.begin(), m_spec.labels.end(),
                                   [&](const LabelBinding &b) { return b.output == output; });
            if (it == m_spec.labels.end()) {
                LabelBinding b;
                b.output = output;
                m_spec.labels.push_back(std::move(b));
                it = std::prev(m_spec.labels.end());
            }
            it->array = array; // keeps the description's ignore_index and tag names
            if (!metric.empty())
                it->metric = metric;
            else if (it->metric.empty())
                it->metric = "accuracy";
        }
        return {};
    }

    bool usedAsInput(const std::string &array) const
    {
        return std::any_of(m_spec.inputs.begin(), m_spec.inputs.end(),
                           [&](const InputBinding &b) { return b.array == array; });
    }

    static bool isLabelName(const std::string &n) { return n == "y" || n == "labels"; }

    Result<void> autoBindInputs()
    {
        const auto decls = m_model.graph.dataInputs();
        std::vector<InputBinding> ordered;
        for (std::size_t i = 0; i < decls.size(); ++i) {
            const std::string &name = decls[i]->name;
            auto it = std::find_if(m_spec.inputs.begin(), m_spec.inputs.end(),
                                   [&](const InputBinding &b) { return b.input == name; });
            if (it != m_spec.inputs.end()) {
                ordered.push_back(*it);
                continue;
            }
            std::string array;
            if (findArray(name)) {
                array = name;
            } else if (findArray("input_" + std::to_string(i))) {
                array = "input_" + std::to_string(i); // ONNX test-data sets: by position
            } else if (decls.size() == 1) {
                // A single input: "x", else the one array that is not a label.
                if (findArray("x")) {
                    array = "x";
                } else {
                    std::vector<std::string> rest;
                    for (const ArrayInfo &a : m_source->arrays())
                        if (!isLabelName(a.name) && !usedAsInput(a.name))
                            rest.push_back(a.name);
                    if (rest.size() == 1)
                        array = rest.front();
                }
            }
            if (array.empty())
                return fail("model input '" + name + "' has no array: " + quoted(m_spec.source)
                            + " has " + arrayNames() + "; name an array after the input, or map "
                              "one with --input " + name + "=ARRAY or a dataset description.");
            InputBinding b;
            b.input = name;
            b.array = array;
            ordered.push_back(std::move(b));
        }
        m_spec.inputs = std::move(ordered);
        return {};
    }

    void autoBindLabels()
    {
        if (!m_spec.labels.empty())
            return; // labels given explicitly: no guessing
        std::set<std::string> used;
        auto take = [&](const std::string &output, const ArrayInfo &a) {
            LabelBinding b;
            b.output = output;
            b.array = a.name;
            b.metric = a.shape.size() <= 1 ? "accuracy" : "token_accuracy";
            m_spec.labels.push_back(std::move(b));
            used.insert(a.name);
        };
        for (std::size_t i = 0; i < m_outputNames.size(); ++i) {
            const std::string &out = m_outputNames[i];
            if (i == 0) {
                const ArrayInfo *a = findArray("y");
                if (!a || usedAsInput("y"))
                    a = findArray("labels");
                if (a && !usedAsInput(a->name)) {
                    take(out, *a);
                    continue;
                }
            }
            // An integer array named after the output, or after it without a score suffix
            // ("intent" for "intent_logits").
            std::vector<std::string> names{out};
            for (std::string_view suffix : {"_logits", "_scores", "_probs", "_output"})
                if (out.size() > suffix.size() && out.ends_with(suffix))
                    names.push_back(out.substr(0, out.size() - suffix.size()));
            for (const std::string &n : names) {
                const ArrayInfo *a = findArray(n);
                if (a && !usedAsInput(n) && !used.contains(n)
                    && (isInteger(a->dtype) || a->dtype == DataType::Bool)) {
                    take(out, *a);
                    break;
                }
            }
        }
    }

    Result<ArrayInfo> boundArray(const std::string &array, const std::string &role) const
    {
        const ArrayInfo *a = findArray(array);
        if (!a)
            return fail("array '" + array + "' for " + role + " is not in "
                        + quoted(m_spec.source) + "; its arrays are " + arrayNames() + ".");
        if (a->shape.empty())
            return fail("array '" + array + "' for " + role
                        + " is a scalar (shape []); it has no sample axis.");
        return *a;
    }

    Result<InputPlan> planInput(const InputBinding &b) const
    {
        InputPlan p;
        p.binding = b;
        p.decl = *inputDecl(b.input);
        const std::string in = "input '" + b.input + "'";
        auto a = boundArray(b.array, in);
        if (!a)
            return std::unexpected(a.error());
        p.array = *a;
        const Dims storedRow(a->shape.begin() + 1, a->shape.end());
        const ValueInfo &d = p.decl;

        // dtype: integers widen to anything numeric; floats never silently become integers.
        const DataType want = d.dtype;
        if (want == DataType::String)
            return fail(in + " takes strings, which a dataset cannot feed.");
        p.arithmetic = b.scale != 1.0 || !b.mean.empty() || !b.std.empty();
        if (want != DataType::Undefined && !isFloatingPoint(want)) {
            if (isFloatingPoint(a->dtype))
                return fail("array '" + a->name + "' has dtype "
                            + std::string(dtypeName(a->dtype)) + "; " + in + " expects "
                            + std::string(dtypeName(want)) + ".");
            if (p.arithmetic)
                return fail(in + " is " + std::string(dtypeName(want))
                            + ", but scale, mean and std need a floating-point input.");
        }
        p.outType = want != DataType::Undefined ? want
                    : p.arithmetic               ? DataType::Float
                                                 : a->dtype;

        // Layout.
        if (b.layout.empty() || b.layout == "NCHW")
            p.layout = Layout::AsStored;
        else if (b.layout == "NHWC")
            p.layout = Layout::ChannelsLast;
        else if (b.layout == "NHWC->NCHW")
            p.layout = Layout::NhwcToNchw;
        else if (b.layout == "NCHW->NHWC")
            p.layout = Layout::NchwToNhwc;
        else
            return fail("layout '" + b.layout + "' for " + in
                        + " is not supported; use NCHW, NHWC, NHWC->NCHW or NCHW->NHWC.");
        p.layoutRow = storedRow;
        if (p.layout == Layout::NhwcToNchw || p.layout == Layout::NchwToNhwc) {
            if (storedRow.size() != 3)
                return fail("layout " + b.layout + " for " + in + " needs rows of rank 3 ("
                            + (p.layout == Layout::NhwcToNchw ? "H, W, C" : "C, H, W")
                            + ") but array '" + a->name + "' has rows of shape "
                            + dimsToString(storedRow) + ".");
            p.layoutRow = p.layout == Layout::NhwcToNchw
                              ? Dims{storedRow[2], storedRow[0], storedRow[1]}
                              : Dims{storedRow[1], storedRow[2], storedRow[0]};
        }

        // Shape: [count, ...rest of the declaration]; rows are reshaped when only the grouping
        // of the same elements differs (images stored [N, 784] for an input [N, 1, 28, 28]).
        if (!d.hasShape) {
            p.outRow = p.layoutRow;
        } else {
            if (d.shape.empty())
                return fail(in + " is a scalar; a dataset can only feed inputs with a batch "
                                 "axis.");
            if (matchesDeclared(d, 1, p.layoutRow))
                p.outRow = p.layoutRow;
            else if (allFixed(d, 1) && numElements(fixedDims(d, 1)) == numElements(p.layoutRow))
                p.outRow = fixedDims(d, 1);
            else
                return fail("array '" + a->name + "' has rows of shape "
                            + dimsToString(p.layoutRow)
                            + (p.layout == Layout::NhwcToNchw || p.layout == Layout::NchwToNhwc
                                   ? " after " + b.layout
                                   : std::string())
                            + "; " + in + " expects " + declaredToString(d, 1) + ".");
        }

        // Channel axis for mean/std: axis 1 of the input (0 of a row) unless channels are last.
        if (!p.outRow.empty())
            p.channelAxis = p.layout == Layout::ChannelsLast || p.layout == Layout::NchwToNhwc
                                ? static_cast<int64_t>(p.outRow.size()) - 1
                                : 0;
        const int64_t channels =
            p.channelAxis >= 0 ? p.outRow[static_cast<std::size_t>(p.channelAxis)] : 1;
        for (const auto &[what, values] : {std::pair{"mean", &b.mean}, std::pair{"std", &b.std}}) {
            if (values->size() > 1 && static_cast<int64_t>(values->size()) != channels)
                return fail(std::string(what) + " for " + in + " has "
                            + std::to_string(values->size()) + " values; its channel axis (axis "
                            + std::to_string(p.channelAxis + 1)
                            + ") has " + std::to_string(channels) + " channels.");
        }
        for (std::size_t c = 0; c < b.std.size(); ++c)
            if (b.std[c] == 0.0f)
                return fail("std for " + in + " is zero at channel " + std::to_string(c) + ".");
        return p;
    }

    Result<LabelPlan> planLabel(const LabelBinding &b) const
    {
        LabelPlan p;
        p.binding = b;
        const std::string out = "output '" + b.output + "'";
        if (std::find(std::begin(kMetrics), std::end(kMetrics), b.metric) == std::end(kMetrics))
            return fail("unknown metric '" + b.metric + "' for " + out
                        + "; use accuracy, top5, token_accuracy, entity_f1 or agreement.");
        if (b.array.empty())
            return fail(out + " has no label array; metric " + b.metric + " needs one.");
        auto a = boundArray(b.array, out);
        if (!a)
            return std::unexpected(a.error());
        p.array = *a;
        if (!isInteger(a->dtype) && !isFloatingPoint(a->dtype) && a->dtype != DataType::Bool)
            return fail("array '" + a->name + "' has dtype " + std::string(dtypeName(a->dtype))
                        + "; labels must be class ids.");
        const Dims storedRow(a->shape.begin() + 1, a->shape.end());
        p.outRow = storedRow;
        const ValueInfo &d = *outputDecl(b.output);
        // Labels are the output's shape without the batch and class axes: [N] for [N, C],
        // [N, T] for [N, T, C].
        if (d.hasShape && d.shape.size() >= 2) {
            if (matchesDeclared(d, 1, [&] {
                    Dims r = storedRow;
                    r.push_back(d.shape.back().isFixed() ? d.shape.back().value : 0);
                    return r;
                }())) {
                p.outRow = storedRow;
            } else {
                ValueInfo rowDecl = d;
                rowDecl.shape.pop_back();
                if (allFixed(rowDecl, 1)
                    && numElements(fixedDims(rowDecl, 1)) == numElements(storedRow))
                    p.outRow = fixedDims(rowDecl, 1); // e.g. labels stored [N, 1] for [N, C]
                else
                    return fail("array '" + a->name + "' has rows of shape "
                                + dimsToString(storedRow) + "; labels for " + out + " "
                                + declaredToString(d, 0) + " need rows of shape "
                                + declaredToString(rowDecl, 1) + ".");
            }
        }
        const int64_t classes =
            d.hasShape && d.shape.size() >= 2 && d.shape.back().isFixed() ? d.shape.back().value : -1;
        if (b.metric == "top5" && classes >= 0 && classes < 5)
            return fail(out + " has " + std::to_string(classes)
                        + " classes; the top5 metric needs at least 5.");
        if (b.metric == "entity_f1") {
            if (b.tagNames.empty())
                return fail(out + " uses entity_f1, which needs tag_names (the BIO tag name of "
                                  "each class id) in a dataset description.");
            if (classes >= 0 && static_cast<int64_t>(b.tagNames.size()) != classes)
                return fail("tag_names for " + out + " lists "
                            + std::to_string(b.tagNames.size()) + " names but the output has "
                            + std::to_string(classes) + " classes.");
        }
        return p;
    }

    /// Reads every label once, in bounded chunks: integral, in the class range or ignored.
    Result<void> scanLabels(const LabelPlan &p) const
    {
        const ValueInfo &d = *outputDecl(p.binding.output);
        const int64_t classes =
            d.hasShape && d.shape.size() >= 2 && d.shape.back().isFixed() ? d.shape.back().value : -1;
        const int64_t n = p.array.shape[0];
        const int64_t rowN = std::max<int64_t>(1, numElements(p.outRow));
        const int64_t chunk = std::max<int64_t>(1, kScanElements / rowN);
        const std::string &name = p.array.name;
        for (int64_t s0 = 0; s0 < n; s0 += chunk) {
            auto t = m_source->readRows(name, s0, std::min(chunk, n - s0));
            if (!t)
                return std::unexpected(t.error());
            for (int64_t i = 0; i < t->numel(); ++i) {
                const double v = t->valueAsDouble(i);
                const int64_t sample = s0 + i / rowN;
                if (!(v == std::floor(v)) || std::abs(v) > 9.0e18)
                    return fail("array '" + name + "' has non-integer label " + formatValue(v)
                                + " at sample " + std::to_string(sample) + ".");
                const auto id = static_cast<int64_t>(v);
                if (id == p.binding.ignoreIndex)
                    continue;
                if (classes >= 0 && (id < 0 || id >= classes))
                    return fail("array '" + name + "' has label " + std::to_string(id)
                                + " at sample " + std::to_string(sample) + "; output '"
                                + p.binding.output + "' has " + std::to_string(classes)
                                + " classes (0 to " + std::to_string(classes - 1) + ").");
                if (id < 0)
                    return fail("array '" + name + "' has label " + std::to_string(id)
                                + " at sample " + std::to_string(sample)
                                + "; class ids are 0 or more (" + std::to_string(p.binding.ignoreIndex)
                                + " marks a position to ignore).");
            }
        }
        return {};
    }

    DatasetSpec m_spec;
    const Model &m_model;
    std::unique_ptr<ArraySource> m_source;
    std::vector<std::string> m_inputNames, m_outputNames;
    std::string m_origin;
};

Result<std::unique_ptr<Dataset>> bindFrom(DatasetSpec spec, const Model &model,
                                          const DatasetOverrides &overrides, std::string origin)
{
    auto source = openArraySource(spec.source);
    if (!source)
        return std::unexpected(source.error());
    return Binder(std::move(spec), model, std::move(*source), std::move(origin)).bind(overrides);
}

} // namespace

Result<std::unique_ptr<Dataset>> bindDataset(DatasetSpec spec, const Model &model,
                                             const DatasetOverrides &overrides)
{
    return bindFrom(std::move(spec), model, overrides, "the dataset spec");
}

Result<std::unique_ptr<Dataset>> openDataset(const std::filesystem::path &path, const Model &model,
                                             const DatasetOverrides &overrides)
{
    std::string ext = path.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    DatasetSpec spec;
    if (ext == ".json") {
        auto s = readDatasetDescription(path);
        if (!s)
            return std::unexpected(s.error());
        return bindFrom(std::move(*s), model, overrides, quoted(path));
    }
    spec.source = path;
    return bindFrom(std::move(spec), model, overrides, quoted(path));
}

} // namespace nnc
