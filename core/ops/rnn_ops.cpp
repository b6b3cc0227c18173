// rnn op family: RNN, GRU and LSTM (ai.onnx opset 7 to current, with the opset-14 `layout`).
// All inputs of the spec are supported (X, W, R, B, sequence_lens, initial_h, initial_c, P), in
// the directions forward, reverse and bidirectional, with the activations/alpha/beta, clip,
// input_forget and linear_before_reset attributes; the outputs Y, Y_h (and Y_c) are each optional.
//
// The input projection of all time steps is one GEMM per direction (X [S*B, I] x W^T), the
// recurrence one small GEMM per step (H_{t-1} [B, H] x R^T). Gate order follows ONNX: LSTM
// i, o, f, c; GRU z, r, h. Layout 0 is X [S, B, I], Y [S, D, B, H], Y_h [D, B, H]; layout 1 is
// X [B, S, I], Y [B, S, D, H], Y_h [B, D, H].
#include "core/ops/op_table.h"

#include <Eigen/Core>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

namespace nnc {

namespace {

enum class CellKind { Rnn, Gru, Lstm };

int gateCount(CellKind k)
{
    return k == CellKind::Rnn ? 1 : k == CellKind::Gru ? 3 : 4;
}

const char *cellName(CellKind k)
{
    return k == CellKind::Rnn ? "RNN" : k == CellKind::Gru ? "GRU" : "LSTM";
}

// One activation function of the `activations` attribute with its alpha and beta.
struct Activation
{
    enum class Fn { Relu, Tanh, Sigmoid, Affine, LeakyRelu, ThresholdedRelu, ScaledTanh,
                    HardSigmoid, Elu, Softsign, Softplus };
    Fn fn = Fn::Sigmoid;
    float alpha = 0.0f, beta = 0.0f;

    template<class T>
    void apply(T *p, int64_t n) const
    {
        const T a = static_cast<T>(alpha), b = static_cast<T>(beta);
        switch (fn) {
        case Fn::Relu:
            for (int64_t i = 0; i < n; ++i) p[i] = std::max(p[i], T(0));
            break;
        case Fn::Tanh:
            for (int64_t i = 0; i < n; ++i) p[i] = std::tanh(p[i]);
            break;
        case Fn::Sigmoid:
            for (int64_t i = 0; i < n; ++i) {
                // exp of a non-positive argument only, so large |x| neither overflows nor loses
                // the small tail.
                const T e = std::exp(-std::abs(p[i]));
                p[i] = p[i] >= T(0) ? T(1) / (T(1) + e) : e / (T(1) + e);
            }
            break;
        case Fn::Affine:
            for (int64_t i = 0; i < n; ++i) p[i] = a * p[i] + b;
            break;
        case Fn::LeakyRelu:
            for (int64_t i = 0; i < n; ++i) p[i] = p[i] >= T(0) ? p[i] : a * p[i];
            break;
        case Fn::ThresholdedRelu:
            for (int64_t i = 0; i < n; ++i) p[i] = p[i] > a ? p[i] : T(0);
            break;
        case Fn::ScaledTanh:
            for (int64_t i = 0; i < n; ++i) p[i] = a * std::tanh(b * p[i]);
            break;
        case Fn::HardSigmoid:
            for (int64_t i = 0; i < n; ++i) p[i] = std::clamp(a * p[i] + b, T(0), T(1));
            break;
        case Fn::Elu:
            for (int64_t i = 0; i < n; ++i) p[i] = p[i] >= T(0) ? p[i] : a * (std::exp(p[i]) - T(1));
            break;
        case Fn::Softsign:
            for (int64_t i = 0; i < n; ++i) p[i] = p[i] / (T(1) + std::abs(p[i]));
            break;
        case Fn::Softplus:
            for (int64_t i = 0; i < n; ++i)
                p[i] = p[i] > T(0) ? p[i] + std::log1p(std::exp(-p[i])) : std::log1p(std::exp(p[i]));
            break;
        }
    }
};

struct ActivationSpec
{
    const char *name;
    Activation::Fn fn;
    int params;                 ///< 0: none, 1: alpha, 2: alpha and beta
    float alpha, beta;          ///< defaults
};

// Defaults when activation_alpha/beta run out. The spec says "the same as of the corresponding
// ONNX operators" but leaves Affine and ScaledTanh (long-removed experimental ops) open; these
// are the values ONNX Runtime uses (checked against onnxruntime 1.30): LeakyRelu 0.01,
// HardSigmoid 0.2/0.5, Elu 1.0, and 0 for Affine, ScaledTanh and ThresholdedRelu (whose
// operator default would be 1.0), so models reproduce what they compute under ONNX Runtime.
constexpr ActivationSpec kActivations[] = {
    {"relu", Activation::Fn::Relu, 0, 0.0f, 0.0f},
    {"tanh", Activation::Fn::Tanh, 0, 0.0f, 0.0f},
    {"sigmoid", Activation::Fn::Sigmoid, 0, 0.0f, 0.0f},
    {"affine", Activation::Fn::Affine, 2, 0.0f, 0.0f},
    {"leakyrelu", Activation::Fn::LeakyRelu, 1, 0.01f, 0.0f},
    {"thresholdedrelu", Activation::Fn::ThresholdedRelu, 1, 0.0f, 0.0f},
    {"scaledtanh", Activation::Fn::ScaledTanh, 2, 0.0f, 0.0f},
    {"hardsigmoid", Activation::Fn::HardSigmoid, 2, 0.2f, 0.5f},
    {"elu", Activation::Fn::Elu, 1, 1.0f, 0.0f},
    {"softsign", Activation::Fn::Softsign, 0, 0.0f, 0.0f},
    {"softplus", Activation::Fn::Softplus, 0, 0.0f, 0.0f},
};

struct CellAttrs
{
    CellKind kind = CellKind::Lstm;
    int64_t hiddenSize = 0;          ///< 0: taken from R
    int directions = 1;
    bool reverseOnly = false;
    std::vector<Activation> activations;   ///< per direction: f (, g (, h))
    std::optional<float> clip;
    bool inputForget = false;
    bool linearBeforeReset = false;
    int64_t layout = 0;
    bool wantY = true, wantH = true, wantC = true;   ///< outputs the node names (others are "")
};

Result<CellAttrs> parseCellAttrs(const KernelBuildInfo &info, CellKind kind)
{
    const Node &n = info.node;
    CellAttrs a;
    a.kind = kind;
    a.hiddenSize = n.attrInt("hidden_size", 0);
    if (a.hiddenSize < 0)
        return fail("hidden_size must be positive, not " + std::to_string(a.hiddenSize) + ".");
    const std::string dir = n.attrString("direction", "forward");
    if (dir == "forward") {
        a.directions = 1;
    } else if (dir == "reverse") {
        a.directions = 1;
        a.reverseOnly = true;
    } else if (dir == "bidirectional") {
        a.directions = 2;
    } else {
        return fail("direction '" + dir + "' is not one of forward, reverse, bidirectional.");
    }
    if (const Attribute *c = n.attr("clip")) {
        if (c->f <= 0.0f)
            return fail("clip must be positive, not " + std::to_string(c->f) + ".");
        a.clip = c->f;
    }
    a.inputForget = kind == CellKind::Lstm && n.attrInt("input_forget", 0) != 0;
    a.linearBeforeReset = kind == CellKind::Gru && n.attrInt("linear_before_reset", 0) != 0;
    a.layout = info.opset >= 14 ? n.attrInt("layout", 0) : 0;
    auto named = [&](std::size_t i) { return i < n.outputs.size() && !n.outputs[i].empty(); };
    a.wantY = named(0);
    a.wantH = named(1);
    a.wantC = kind == CellKind::Lstm && named(2);
    if (a.layout != 0 && a.layout != 1)
        return fail("layout must be 0 or 1, not " + std::to_string(a.layout) + ".");

    const std::size_t perDir = kind == CellKind::Rnn ? 1 : kind == CellKind::Gru ? 2 : 3;
    std::vector<std::string> names;
    if (const Attribute *act = n.attr("activations"); act && !act->strings.empty())
        names = act->strings;
    else if (kind == CellKind::Rnn)
        names = {"Tanh"};
    else if (kind == CellKind::Gru)
        names = {"Sigmoid", "Tanh"};
    else
        names = {"Sigmoid", "Tanh", "Tanh"};
    // A list for one direction serves both directions of a bidirectional cell.
    if (a.directions == 2 && names.size() == perDir) {
        const std::vector<std::string> once = names;
        names.insert(names.end(), once.begin(), once.end());
    }
    if (names.size() != perDir * static_cast<std::size_t>(a.directions))
        return fail("activations has " + std::to_string(names.size()) + " entries; " + cellName(kind)
                    + " needs " + std::to_string(perDir * static_cast<std::size_t>(a.directions))
                    + " for direction " + dir + ".");
    const std::vector<float> alphas = n.attrFloats("activation_alpha");
    const std::vector<float> betas = n.attrFloats("activation_beta");
    std::size_t nextAlpha = 0, nextBeta = 0;
    for (const std::string &name : names) {
        std::string lower = name;
        std::ranges::transform(lower, lower.begin(), [](unsigned char ch) { return std::tolower(ch); });
        const auto *spec = std::ranges::find_if(kActivations, [&](const ActivationSpec &s) {
            return lower == s.name;
        });
        if (spec == std::end(kActivations))
            return fail("activation '" + name + "' is not supported.", Error::Code::Unsupported);
        Activation act{spec->fn, spec->alpha, spec->beta};
        // alpha and beta values are consumed in order by the functions that take them.
        if (spec->params >= 1 && nextAlpha < alphas.size())
            act.alpha = alphas[nextAlpha++];
        if (spec->params >= 2 && nextBeta < betas.size())
            act.beta = betas[nextBeta++];
        a.activations.push_back(act);
    }
    return a;
}

template<class T>
using RowMat = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// Validated shapes of one run.
struct CellShapes
{
    int64_t seq = 0, batch = 0, input = 0, hidden = 0, dirs = 1, gates = 1;
};

std::string shapeOf(const Tensor &t)
{
    return dimsToString(t.dims());
}

template<class T>
class CellRunner
{
public:
    CellRunner(const CellAttrs &a, const CellShapes &s) : m_a(a), m_s(s) {}

    // Runs direction d, writing Y (may be null), and the final states into yh / yc (may be null).
    void runDirection(int d, bool reverse, const T *x, const T *w, const T *r, const T *bias,
                      const std::vector<int64_t> &lens, const T *h0, const T *c0, const T *p,
                      T *y, T *yh, T *yc) const
    {
        const int64_t S = m_s.seq, B = m_s.batch, I = m_s.input, H = m_s.hidden;
        const int64_t G = m_s.gates, GH = G * H, D = m_s.dirs;
        const bool lbr = m_a.linearBeforeReset;
        const auto &acts = m_a.activations;
        const std::size_t actBase = static_cast<std::size_t>(d) * (acts.size() / static_cast<std::size_t>(D));

        // Input projection for all steps at once: xw[row] = x[row] W^T + bias, where row is
        // t * B + b (layout 0) or b * S + t (layout 1), as X is stored.
        Eigen::Map<const RowMat<T>> xm(x, S * B, I);
        Eigen::Map<const RowMat<T>> wm(w + d * GH * I, GH, I);
        Eigen::Map<const RowMat<T>> rm(r + d * GH * H, GH, H);
        RowMat<T> xw(S * B, GH);
        xw.noalias() = xm * wm.transpose();
        // Recurrence bias: for GRU with linear_before_reset the h-gate part Rbh stays inside
        // r * (H R_h^T + Rbh); everything else folds into the projection.
        std::vector<T> rbh(static_cast<std::size_t>(H), T(0));
        if (bias) {
            const T *wb = bias + d * 2 * GH, *rb = wb + GH;
            Eigen::Matrix<T, 1, Eigen::Dynamic> total(GH);
            for (int64_t j = 0; j < GH; ++j) {
                const bool inside = lbr && j >= 2 * H;
                total(j) = wb[j] + (inside ? T(0) : rb[j]);
                if (inside)
                    rbh[static_cast<std::size_t>(j - 2 * H)] = rb[j];
            }
            xw.rowwise() += total;
        }
        auto rowOf = [&](int64_t t, int64_t b) { return m_a.layout == 0 ? t * B + b : b * S + t; };
        auto yOffset = [&](int64_t t, int64_t b) {
            return m_a.layout == 0 ? ((t * D + d) * B + b) * H : ((b * S + t) * D + d) * H;
        };

        RowMat<T> hPrev(B, H), cPrev, gates(B, GH), hr;
        for (int64_t b = 0; b < B; ++b)
            for (int64_t j = 0; j < H; ++j) {
                hPrev(b, j) = h0 ? h0[stateOffset(d, b) + j] : T(0);
            }
        if (m_a.kind == CellKind::Lstm) {
            cPrev.resize(B, H);
            for (int64_t b = 0; b < B; ++b)
                for (int64_t j = 0; j < H; ++j)
                    cPrev(b, j) = c0 ? c0[stateOffset(d, b) + j] : T(0);
        }
        const T *pi = p ? p + d * 3 * H : nullptr;
        const T *po = pi ? pi + H : nullptr;
        const T *pf = pi ? pi + 2 * H : nullptr;
        const int64_t maxLen = lens.empty() ? S : *std::ranges::max_element(lens);
        std::vector<T> tmp(static_cast<std::size_t>(H));

        for (int64_t s = 0; s < maxLen; ++s) {
            for (int64_t b = 0; b < B; ++b) {
                const int64_t len = lens.empty() ? S : lens[static_cast<std::size_t>(b)];
                if (s >= len)
                    continue;
                const int64_t t = reverse ? len - 1 - s : s;
                gates.row(b) = xw.row(rowOf(t, b));
            }
            if (m_a.kind == CellKind::Gru) {
                // z and r see H R^T directly; the h gate is handled below.
                gates.leftCols(2 * H).noalias() += hPrev * rm.topRows(2 * H).transpose();
                if (lbr) {
                    hr.noalias() = hPrev * rm.bottomRows(H).transpose();
                }
            } else {
                gates.noalias() += hPrev * rm.transpose();
            }
            if (m_a.kind == CellKind::Gru && !lbr) {
                // h gate input needs r first: compute z, r for all rows, then (r . H) R_h^T.
                for (int64_t b = 0; b < B; ++b) {
                    T *g = &gates(b, 0);
                    clipAndActivate(acts[actBase], g, 2 * H);
                }
                RowMat<T> rh = gates.middleCols(H, H).cwiseProduct(hPrev);
                gates.rightCols(H).noalias() += rh * rm.bottomRows(H).transpose();
            }

            for (int64_t b = 0; b < B; ++b) {
                const int64_t len = lens.empty() ? S : lens[static_cast<std::size_t>(b)];
                if (s >= len)
                    continue;
                const int64_t t = reverse ? len - 1 - s : s;
                T *g = &gates(b, 0);
                T *hRow = &hPrev(b, 0);
                if (m_a.kind == CellKind::Rnn) {
                    clipAndActivate(acts[actBase], g, H);
                    std::copy(g, g + H, hRow);
                } else if (m_a.kind == CellKind::Gru) {
                    T *z = g, *rg = g + H, *hh = g + 2 * H;
                    if (lbr) {
                        clipAndActivate(acts[actBase], g, 2 * H);
                        const T *hrRow = &hr(b, 0);
                        for (int64_t j = 0; j < H; ++j)
                            hh[j] += rg[j] * (hrRow[j] + rbh[static_cast<std::size_t>(j)]);
                    }
                    clipAndActivate(acts[actBase + 1], hh, H);
                    for (int64_t j = 0; j < H; ++j)
                        hRow[j] = (T(1) - z[j]) * hh[j] + z[j] * hRow[j];
                } else {
                    T *ig = g, *og = g + H, *fg = g + 2 * H, *cg = g + 3 * H;
                    T *cRow = &cPrev(b, 0);
                    if (pi)
                        for (int64_t j = 0; j < H; ++j)
                            ig[j] += pi[j] * cRow[j];
                    clipAndActivate(acts[actBase], ig, H);
                    if (m_a.inputForget) {
                        // Coupled input and forget gates.
                        for (int64_t j = 0; j < H; ++j)
                            fg[j] = T(1) - ig[j];
                    } else {
                        if (pf)
                            for (int64_t j = 0; j < H; ++j)
                                fg[j] += pf[j] * cRow[j];
                        clipAndActivate(acts[actBase], fg, H);
                    }
                    clipAndActivate(acts[actBase + 1], cg, H);
                    for (int64_t j = 0; j < H; ++j)
                        cRow[j] = fg[j] * cRow[j] + ig[j] * cg[j];
                    if (po)
                        for (int64_t j = 0; j < H; ++j)
                            og[j] += po[j] * cRow[j];
                    clipAndActivate(acts[actBase], og, H);
                    std::copy(cRow, cRow + H, tmp.begin());
                    acts[actBase + 2].apply(tmp.data(), H);
                    for (int64_t j = 0; j < H; ++j)
                        hRow[j] = og[j] * tmp[static_cast<std::size_t>(j)];
                }
                if (y)
                    std::copy(hRow, hRow + H, y + yOffset(t, b));
            }
        }
        // A batch entry with sequence length 0 gets zero final states (not its initial state),
        // as ONNX Runtime computes it; the outputs are zero-filled already.
        for (int64_t b = 0; b < B; ++b) {
            if (!lens.empty() && lens[static_cast<std::size_t>(b)] == 0)
                continue;
            if (yh)
                std::copy(&hPrev(b, 0), &hPrev(b, 0) + H, yh + stateOffset(d, b));
            if (yc)
                std::copy(&cPrev(b, 0), &cPrev(b, 0) + H, yc + stateOffset(d, b));
        }
    }

private:
    // Offset of (direction, batch) in initial_h / Y_h style tensors.
    int64_t stateOffset(int64_t d, int64_t b) const
    {
        return m_a.layout == 0 ? (d * m_s.batch + b) * m_s.hidden : (b * m_s.dirs + d) * m_s.hidden;
    }

    void clipAndActivate(const Activation &act, T *p, int64_t n) const
    {
        if (m_a.clip) {
            const T c = static_cast<T>(*m_a.clip);
            for (int64_t i = 0; i < n; ++i)
                p[i] = std::clamp(p[i], -c, c);
        }
        act.apply(p, n);
    }

    const CellAttrs &m_a;
    CellShapes m_s;
};

class RecurrentKernel final : public Kernel
{
public:
    explicit RecurrentKernel(CellAttrs a) : m_a(std::move(a)) {}

    Result<void> run(KernelContext &ctx) override
    {
        const char *op = cellName(m_a.kind);
        const Tensor *x = ctx.input(0);
        const Tensor *w = ctx.input(1);
        const Tensor *r = ctx.input(2);
        if (!x || !w || !r)
            return fail(std::string(op) + " needs the inputs X, W and R.");
        const DataType dt = x->dtype();
        if (dt != DataType::Float && dt != DataType::Double && dt != DataType::Float16
            && dt != DataType::BFloat16)
            return fail("input X has type " + std::string(dtypeName(dt)) + "; " + op
                        + " takes float, double, float16 or bfloat16.");
        // Every floating input must share X's type.
        const std::size_t floatInputs[] = {1, 2, 3, 5, 6, 7};
        for (std::size_t i : floatInputs)
            if (const Tensor *t = ctx.input(i); t && t->dtype() != dt)
                return fail("input " + std::to_string(i) + " has type "
                            + std::string(dtypeName(t->dtype())) + " but X has type "
                            + std::string(dtypeName(dt)) + "; they must match.");
        if (dt == DataType::Double)
            return compute<double>(ctx);
        if (dt == DataType::Float)
            return compute<float>(ctx);
        // Half types: compute in float, round the outputs back.
        std::vector<Tensor> converted;
        converted.reserve(ctx.inputs.size());
        std::vector<const Tensor *> ptrs;
        for (std::size_t i = 0; i < ctx.inputs.size(); ++i) {
            const Tensor *t = ctx.input(i);
            if (t && t->dtype() == dt) {
                converted.push_back(t->castTo(DataType::Float));
                ptrs.push_back(&converted.back());
            } else {
                ptrs.push_back(t);
            }
        }
        KernelContext inner;
        inner.inputs = ptrs;
        inner.outputs.resize(ctx.outputs.size());
        if (auto ok = compute<float>(inner); !ok)
            return ok;
        for (std::size_t i = 0; i < ctx.outputs.size(); ++i)
            if (!inner.outputs[i].empty())
                ctx.outputs[i] = inner.outputs[i].castTo(dt);
        return {};
    }

private:
    Result<CellShapes> shapes(const KernelContext &ctx) const
    {
        const char *op = cellName(m_a.kind);
        const Tensor &x = *ctx.input(0), &w = *ctx.input(1), &r = *ctx.input(2);
        CellShapes s;
        s.dirs = m_a.directions;
        s.gates = gateCount(m_a.kind);
        if (x.rank() != 3)
            return fail("input X has shape " + shapeOf(x) + "; " + op + " needs rank 3 ("
                        + (m_a.layout == 0 ? "[seq_length, batch_size, input_size]"
                                           : "[batch_size, seq_length, input_size]")
                        + ").");
        s.seq = x.dim(m_a.layout == 0 ? 0 : 1);
        s.batch = x.dim(m_a.layout == 0 ? 1 : 0);
        s.input = x.dim(2);
        if (r.rank() != 3)
            return fail("input R has shape " + shapeOf(r) + "; it must have rank 3.");
        s.hidden = m_a.hiddenSize > 0 ? m_a.hiddenSize : r.dim(2);
        const int64_t gh = s.gates * s.hidden;
        const Dims wExpect{s.dirs, gh, s.input}, rExpect{s.dirs, gh, s.hidden};
        if (w.dims() != wExpect)
            return fail("input W has shape " + shapeOf(w) + "; expected " + dimsToString(wExpect)
                        + " (directions, " + std::to_string(s.gates) + " * hidden_size, input_size).");
        if (r.dims() != rExpect)
            return fail("input R has shape " + shapeOf(r) + "; expected " + dimsToString(rExpect)
                        + " (directions, " + std::to_string(s.gates)
                        + " * hidden_size, hidden_size).");
        if (const Tensor *b = ctx.input(3); b && b->dims() != Dims{s.dirs, 2 * gh})
            return fail("input B has shape " + shapeOf(*b) + "; expected "
                        + dimsToString(Dims{s.dirs, 2 * gh}) + ".");
        if (const Tensor *l = ctx.input(4)) {
            if (l->dtype() != DataType::Int32 && l->dtype() != DataType::Int64)
                return fail("sequence_lens has type " + std::string(dtypeName(l->dtype()))
                            + "; it must be int32.");
            if (l->dims() != Dims{s.batch})
                return fail("sequence_lens has shape " + shapeOf(*l) + "; expected ["
                            + std::to_string(s.batch) + "].");
        }
        const Dims stateDims = m_a.layout == 0 ? Dims{s.dirs, s.batch, s.hidden}
                                               : Dims{s.batch, s.dirs, s.hidden};
        if (const Tensor *h = ctx.input(5); h && h->dims() != stateDims)
            return fail("initial_h has shape " + shapeOf(*h) + "; expected " + dimsToString(stateDims) + ".");
        if (m_a.kind == CellKind::Lstm) {
            if (const Tensor *c = ctx.input(6); c && c->dims() != stateDims)
                return fail("initial_c has shape " + shapeOf(*c) + "; expected "
                            + dimsToString(stateDims) + ".");
            if (const Tensor *p = ctx.input(7); p && p->dims() != Dims{s.dirs, 3 * s.hidden})
                return fail("input P has shape " + shapeOf(*p) + "; expected "
                            + dimsToString(Dims{s.dirs, 3 * s.hidden}) + ".");
        }
        return s;
    }

    template<class T>
    Result<void> compute(KernelContext &ctx) const
    {
        auto s = shapes(ctx);
        if (!s)
            return std::unexpected(s.error());
        std::vector<int64_t> lens;
        if (const Tensor *l = ctx.input(4)) {
            lens = l->toInt64Vector();
            for (int64_t v : lens)
                if (v < 0 || v > s->seq)
                    return fail("sequence_lens holds " + std::to_string(v) + ", outside [0, "
                                + std::to_string(s->seq) + "].");
        }
        auto ptr = [&](std::size_t i) -> const T * {
            const Tensor *t = ctx.input(i);
            return t ? t->data<T>() : nullptr;
        };
        const bool lstm = m_a.kind == CellKind::Lstm;
        const DataType dt = dtypeOf<T>();
        const bool wantY = m_a.wantY && !ctx.outputs.empty();
        const bool wantH = m_a.wantH && ctx.outputs.size() > 1;
        const bool wantC = m_a.wantC && ctx.outputs.size() > 2;
        const Dims yDims = m_a.layout == 0 ? Dims{s->seq, s->dirs, s->batch, s->hidden}
                                           : Dims{s->batch, s->seq, s->dirs, s->hidden};
        const Dims stateDims = m_a.layout == 0 ? Dims{s->dirs, s->batch, s->hidden}
                                               : Dims{s->batch, s->dirs, s->hidden};
        Tensor y = wantY ? Tensor(dt, yDims) : Tensor();
        Tensor yh = wantH ? Tensor(dt, stateDims) : Tensor();
        Tensor yc = wantC ? Tensor(dt, stateDims) : Tensor();
        T *yp = wantY ? y.mutableData<T>() : nullptr;
        T *yhp = wantH ? yh.mutableData<T>() : nullptr;
        T *ycp = wantC ? yc.mutableData<T>() : nullptr;

        CellRunner<T> runner(m_a, *s);
        for (int d = 0; d < m_a.directions; ++d) {
            const bool reverse = m_a.reverseOnly || d == 1;
            runner.runDirection(d, reverse, ptr(0), ptr(1), ptr(2), ptr(3), lens, ptr(5),
                                lstm ? ptr(6) : nullptr, lstm ? ptr(7) : nullptr, yp, yhp, ycp);
        }
        if (wantY)
            ctx.outputs[0] = std::move(y);
        if (wantH)
            ctx.outputs[1] = std::move(yh);
        if (wantC)
            ctx.outputs[2] = std::move(yc);
        return {};
    }

    CellAttrs m_a;
};

template<CellKind K>
Result<std::unique_ptr<Kernel>> makeCell(const KernelBuildInfo &info)
{
    auto a = parseCellAttrs(info, K);
    if (!a)
        return std::unexpected(a.error());
    return std::make_unique<RecurrentKernel>(std::move(*a));
}

const OpEntry kEntries[] = {
    {"", "RNN", 7, kMaxOpset, &makeCell<CellKind::Rnn>},
    {"", "GRU", 7, kMaxOpset, &makeCell<CellKind::Gru>},
    {"", "LSTM", 7, kMaxOpset, &makeCell<CellKind::Lstm>},
};

} // namespace

std::span<const OpEntry> rnnOps()
{
    return kEntries;
}

} // namespace nnc
