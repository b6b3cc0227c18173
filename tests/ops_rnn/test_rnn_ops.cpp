// Tests of the rnn op family (RNN, GRU, LSTM): ONNX backend golden values, and the kernels against
// a plain per-sample, per-step double-precision reference written from the ONNX equations, on
// random sizes and options (fixed seeds; each case prints its parameters) for every direction
// and both layouts.
#include "tests/ops_quant/case_runner.h"
#include "tests/ops_quant/op_harness.h"

#include <QTest>

#include <algorithm>
#include <cmath>
#include <optional>
#include <random>

using namespace nnc;
using nnc::test::runOp;

namespace {

enum class Kind { Rnn, Gru, Lstm };

const char *kindName(Kind k)
{
    return k == Kind::Rnn ? "RNN" : k == Kind::Gru ? "GRU" : "LSTM";
}

int gates(Kind k)
{
    return k == Kind::Rnn ? 1 : k == Kind::Gru ? 3 : 4;
}

struct Act
{
    std::string name;
    double alpha = 0, beta = 0;
};

int paramCount(const std::string &name)
{
    if (name == "Affine" || name == "ScaledTanh" || name == "HardSigmoid")
        return 2;
    if (name == "LeakyRelu" || name == "ThresholdedRelu" || name == "Elu")
        return 1;
    return 0;
}

double applyAct(const Act &a, double x)
{
    const std::string &n = a.name;
    if (n == "Sigmoid") return 1.0 / (1.0 + std::exp(-x));
    if (n == "Tanh") return std::tanh(x);
    if (n == "Relu") return x > 0 ? x : 0;
    if (n == "Affine") return a.alpha * x + a.beta;
    if (n == "LeakyRelu") return x >= 0 ? x : a.alpha * x;
    if (n == "ThresholdedRelu") return x > a.alpha ? x : 0;
    if (n == "ScaledTanh") return a.alpha * std::tanh(a.beta * x);
    if (n == "HardSigmoid") return std::max(0.0, std::min(1.0, a.alpha * x + a.beta));
    if (n == "Elu") return x >= 0 ? x : a.alpha * (std::exp(x) - 1);
    if (n == "Softsign") return x / (1 + std::abs(x));
    if (n == "Softplus") return std::log(1 + std::exp(x));
    qFatal("unknown activation %s", n.c_str());
}

// One test case: sizes, options and the input tensors (float).
struct Case
{
    Kind kind = Kind::Lstm;
    std::string direction = "forward";
    int64_t layout = 0;
    int64_t S = 1, B = 1, I = 1, H = 1;
    bool hasBias = false, hasLens = false, hasH0 = false, hasC0 = false, hasP = false;
    std::optional<float> clip;
    bool inputForget = false, lbr = false;
    std::vector<Act> acts;      ///< empty: the defaults
    Tensor x, w, r, b, lens, h0, c0, p;

    int64_t dirs() const { return direction == "bidirectional" ? 2 : 1; }

    std::string describe() const
    {
        std::string s = std::string(kindName(kind)) + " " + direction + " layout " + std::to_string(layout)
                        + " S=" + std::to_string(S) + " B=" + std::to_string(B) + " I=" + std::to_string(I)
                        + " H=" + std::to_string(H);
        if (hasBias) s += " +B";
        if (hasLens) {
            s += " +seq_lens(";
            for (int64_t i = 0; i < B; ++i)
                s += (i ? "," : "") + std::to_string(lens.data<int32_t>()[i]);
            s += ")";
        }
        if (hasH0) s += " +initial_h";
        if (hasC0) s += " +initial_c";
        if (hasP) s += " +P";
        if (clip) s += " clip=" + std::to_string(*clip);
        if (inputForget) s += " input_forget";
        if (lbr) s += " linear_before_reset";
        if (!acts.empty()) {
            s += " activations:";
            for (const Act &a : acts)
                s += " " + a.name;
        }
        return s;
    }

    std::vector<Attribute> attributes() const
    {
        std::vector<Attribute> at{test::intAttr("hidden_size", H), test::stringAttr("direction", direction),
                                  test::intAttr("layout", layout)};
        if (clip)
            at.push_back(test::floatAttr("clip", *clip));
        if (inputForget)
            at.push_back(test::intAttr("input_forget", 1));
        if (lbr)
            at.push_back(test::intAttr("linear_before_reset", 1));
        if (!acts.empty()) {
            std::vector<std::string> names;
            std::vector<float> alphas, betas;
            for (const Act &a : acts) {
                names.push_back(a.name);
                if (paramCount(a.name) >= 1)
                    alphas.push_back(static_cast<float>(a.alpha));
                if (paramCount(a.name) >= 2)
                    betas.push_back(static_cast<float>(a.beta));
            }
            at.push_back(test::stringsAttr("activations", names));
            if (!alphas.empty())
                at.push_back(test::floatsAttr("activation_alpha", alphas));
            if (!betas.empty())
                at.push_back(test::floatsAttr("activation_beta", betas));
        }
        return at;
    }

    std::vector<const Tensor *> inputs() const
    {
        std::vector<const Tensor *> in{&x, &w, &r, hasBias ? &b : nullptr, hasLens ? &lens : nullptr,
                                       hasH0 ? &h0 : nullptr};
        if (kind == Kind::Lstm) {
            in.push_back(hasC0 ? &c0 : nullptr);
            in.push_back(hasP ? &p : nullptr);
        }
        return in;
    }
};

// Reference outputs (double): Y, Y_h, Y_c in the case's layout.
struct RefOut
{
    std::vector<double> y, yh, yc;
};

RefOut reference(const Case &c)
{
    const int64_t S = c.S, B = c.B, I = c.I, H = c.H, D = c.dirs(), G = gates(c.kind);
    std::vector<Act> acts = c.acts;
    if (acts.empty()) {
        if (c.kind == Kind::Rnn) acts = {{"Tanh"}};
        else if (c.kind == Kind::Gru) acts = {{"Sigmoid"}, {"Tanh"}};
        else acts = {{"Sigmoid"}, {"Tanh"}, {"Tanh"}};
    }
    const std::size_t perDir = static_cast<std::size_t>(G == 1 ? 1 : G == 3 ? 2 : 3);
    if (acts.size() == perDir && D == 2) {
        const std::vector<Act> once = acts;
        acts.insert(acts.end(), once.begin(), once.end());
    }
    auto X = [&](int64_t t, int64_t b, int64_t i) -> double {
        return c.x.data<float>()[(c.layout == 0 ? t * B + b : b * S + t) * I + i];
    };
    auto W = [&](int64_t d, int64_t row, int64_t i) -> double { return c.w.data<float>()[(d * G * H + row) * I + i]; };
    auto R = [&](int64_t d, int64_t row, int64_t j) -> double { return c.r.data<float>()[(d * G * H + row) * H + j]; };
    auto Wb = [&](int64_t d, int64_t row) -> double { return c.hasBias ? c.b.data<float>()[d * 2 * G * H + row] : 0.0; };
    auto Rb = [&](int64_t d, int64_t row) -> double {
        return c.hasBias ? c.b.data<float>()[d * 2 * G * H + G * H + row] : 0.0;
    };
    auto stateIdx = [&](int64_t d, int64_t b, int64_t j) { return c.layout == 0 ? (d * B + b) * H + j : (b * D + d) * H + j; };
    auto clip = [&](double v) { return c.clip ? std::clamp(v, -double(*c.clip), double(*c.clip)) : v; };

    RefOut out;
    out.y.assign(static_cast<std::size_t>(S * D * B * H), 0.0);
    out.yh.assign(static_cast<std::size_t>(D * B * H), 0.0);
    out.yc.assign(static_cast<std::size_t>(D * B * H), 0.0);
    for (int64_t d = 0; d < D; ++d) {
        const bool reverse = c.direction == "reverse" || d == 1;
        const Act *f = &acts[static_cast<std::size_t>(d) * perDir];
        for (int64_t b = 0; b < B; ++b) {
            std::vector<double> h(static_cast<std::size_t>(H)), cs(static_cast<std::size_t>(H));
            for (int64_t j = 0; j < H; ++j) {
                h[j] = c.hasH0 ? c.h0.data<float>()[stateIdx(d, b, j)] : 0.0;
                cs[j] = c.hasC0 ? c.c0.data<float>()[stateIdx(d, b, j)] : 0.0;
            }
            const int64_t len = c.hasLens ? c.lens.data<int32_t>()[b] : S;
            for (int64_t s = 0; s < len; ++s) {
                const int64_t t = reverse ? len - 1 - s : s;
                // pre[g][j] = W_g x + R_g h + Wb_g + Rb_g
                auto lin = [&](int64_t gate, int64_t j, const std::vector<double> &hv, bool withRb) {
                    double v = Wb(d, gate * H + j) + (withRb ? Rb(d, gate * H + j) : 0.0);
                    for (int64_t i = 0; i < I; ++i)
                        v += W(d, gate * H + j, i) * X(t, b, i);
                    for (int64_t k = 0; k < H; ++k)
                        v += R(d, gate * H + j, k) * hv[k];
                    return v;
                };
                std::vector<double> hn(static_cast<std::size_t>(H));
                if (c.kind == Kind::Rnn) {
                    for (int64_t j = 0; j < H; ++j)
                        hn[j] = applyAct(f[0], clip(lin(0, j, h, true)));
                } else if (c.kind == Kind::Gru) {
                    std::vector<double> z(H), rg(H), rh(H);
                    for (int64_t j = 0; j < H; ++j) {
                        z[j] = applyAct(f[0], clip(lin(0, j, h, true)));
                        rg[j] = applyAct(f[0], clip(lin(1, j, h, true)));
                        rh[j] = rg[j] * h[j];
                    }
                    for (int64_t j = 0; j < H; ++j) {
                        double v;
                        if (c.lbr) {
                            double xh = Wb(d, 2 * H + j), hr = Rb(d, 2 * H + j);
                            for (int64_t i = 0; i < I; ++i)
                                xh += W(d, 2 * H + j, i) * X(t, b, i);
                            for (int64_t k = 0; k < H; ++k)
                                hr += R(d, 2 * H + j, k) * h[k];
                            v = xh + rg[j] * hr;
                        } else {
                            v = lin(2, j, rh, true);
                        }
                        const double hh = applyAct(f[1], clip(v));
                        hn[j] = (1 - z[j]) * hh + z[j] * h[j];
                    }
                } else {
                    const float *P = c.hasP ? c.p.data<float>() + d * 3 * H : nullptr;
                    std::vector<double> cn(H);
                    for (int64_t j = 0; j < H; ++j) {
                        const double i = applyAct(f[0], clip(lin(0, j, h, true) + (P ? P[j] * cs[j] : 0.0)));
                        const double fg = c.inputForget ? 1 - i
                                                        : applyAct(f[0], clip(lin(2, j, h, true) + (P ? P[2 * H + j] * cs[j] : 0.0)));
                        const double ct = applyAct(f[1], clip(lin(3, j, h, true)));
                        cn[j] = fg * cs[j] + i * ct;
                        const double o = applyAct(f[0], clip(lin(1, j, h, true) + (P ? P[H + j] * cn[j] : 0.0)));
                        hn[j] = o * applyAct(f[2], cn[j]);
                    }
                    cs = cn;
                }
                h = hn;
                for (int64_t j = 0; j < H; ++j) {
                    const int64_t yi = c.layout == 0 ? ((t * D + d) * B + b) * H + j : ((b * S + t) * D + d) * H + j;
                    out.y[static_cast<std::size_t>(yi)] = h[j];
                }
            }
            if (len == 0)   // final states of an empty sequence are zero (as ONNX Runtime)
                continue;
            for (int64_t j = 0; j < H; ++j) {
                out.yh[static_cast<std::size_t>(stateIdx(d, b, j))] = h[j];
                out.yc[static_cast<std::size_t>(stateIdx(d, b, j))] = cs[j];
            }
        }
    }
    return out;
}

Tensor randomTensor(std::mt19937 &rng, Dims dims, float lo, float hi)
{
    Tensor t(DataType::Float, std::move(dims));
    std::uniform_real_distribution<float> dist(lo, hi);
    for (float &v : t.mutableSpan<float>())
        v = dist(rng);
    return t;
}

Case randomCase(Kind kind, const std::string &direction, int64_t layout, unsigned seed)
{
    std::mt19937 rng(seed);
    auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    auto coin = [&] { return pick(0, 1) == 1; };
    Case c;
    c.kind = kind;
    c.direction = direction;
    c.layout = layout;
    c.S = pick(1, 6);
    c.B = pick(1, 4);
    c.I = pick(1, 7);
    c.H = pick(1, 9);
    c.hasBias = coin();
    c.hasLens = coin();
    c.hasH0 = coin();
    c.hasC0 = kind == Kind::Lstm && coin();
    c.hasP = kind == Kind::Lstm && coin();
    if (pick(0, 3) == 0)
        c.clip = 0.5f + static_cast<float>(pick(0, 10)) * 0.1f;
    c.inputForget = kind == Kind::Lstm && pick(0, 3) == 0;
    c.lbr = kind == Kind::Gru && coin();
    if (pick(0, 2) == 0) {
        const std::vector<Act> pool{{"Sigmoid"}, {"Tanh"}, {"Relu"}, {"HardSigmoid", 0.3, 0.4},
                                    {"LeakyRelu", 0.05}, {"ScaledTanh", 1.2, 0.8}, {"Affine", 0.7, 0.1},
                                    {"Elu", 0.9}, {"Softsign"}, {"Softplus"}, {"ThresholdedRelu", 0.2}};
        const int n = (kind == Kind::Rnn ? 1 : kind == Kind::Gru ? 2 : 3) * static_cast<int>(c.dirs());
        for (int i = 0; i < n; ++i)
            c.acts.push_back(pool[static_cast<std::size_t>(pick(0, static_cast<int>(pool.size()) - 1))]);
    }
    const int64_t D = c.dirs(), GH = gates(kind) * c.H;
    c.x = randomTensor(rng, layout == 0 ? Dims{c.S, c.B, c.I} : Dims{c.B, c.S, c.I}, -1.0f, 1.0f);
    c.w = randomTensor(rng, {D, GH, c.I}, -0.6f, 0.6f);
    c.r = randomTensor(rng, {D, GH, c.H}, -0.6f, 0.6f);
    c.b = randomTensor(rng, {D, 2 * GH}, -0.3f, 0.3f);
    const Dims state = layout == 0 ? Dims{D, c.B, c.H} : Dims{c.B, D, c.H};
    c.h0 = randomTensor(rng, state, -0.5f, 0.5f);
    c.c0 = randomTensor(rng, state, -0.5f, 0.5f);
    c.p = randomTensor(rng, {D, 3 * c.H}, -0.4f, 0.4f);
    std::vector<int32_t> lens(static_cast<std::size_t>(c.B));
    for (auto &l : lens)
        l = pick(0, static_cast<int>(c.S));
    lens[0] = static_cast<int32_t>(c.S);
    c.lens = Tensor::fromVector<int32_t>({c.B}, lens);
    return c;
}

// Max |got - want| / (1 + |want|) over all elements, or +inf on a size mismatch.
double maxError(const Tensor &got, const std::vector<double> &want)
{
    if (got.numel() != static_cast<int64_t>(want.size()))
        return INFINITY;
    double e = 0;
    for (std::size_t i = 0; i < want.size(); ++i)
        e = std::max(e, std::abs(got.valueAsDouble(static_cast<int64_t>(i)) - want[i]) / (1 + std::abs(want[i])));
    return e;
}

Tensor filled(Dims dims, float v)
{
    Tensor t(DataType::Float, std::move(dims));
    std::ranges::fill(t.mutableSpan<float>(), v);
    return t;
}

} // namespace

Q_DECLARE_METATYPE(Kind)

class TestRnnOps : public QObject
{
    Q_OBJECT

private slots:
    void matchesReference_data()
    {
        QTest::addColumn<Kind>("kind");
        QTest::addColumn<QString>("direction");
        QTest::addColumn<int>("layout");
        QTest::addColumn<unsigned>("seed");
        unsigned seed = 100;
        for (Kind k : {Kind::Rnn, Kind::Gru, Kind::Lstm})
            for (const char *dir : {"forward", "reverse", "bidirectional"})
                for (int layout : {0, 1})
                    for (int rep = 0; rep < 4; ++rep, ++seed)
                        QTest::addRow("%s %s layout %d seed %u", kindName(k), dir, layout, seed)
                            << k << QString(dir) << layout << seed;
    }

    void matchesReference()
    {
        QFETCH(Kind, kind);
        QFETCH(QString, direction);
        QFETCH(int, layout);
        QFETCH(unsigned, seed);
        const Case c = randomCase(kind, direction.toStdString(), layout, seed);
        qInfo("%s", c.describe().c_str());
        const int outs = kind == Kind::Lstm ? 3 : 2;
        auto r = runOp(kindName(kind), 14, c.attributes(), c.inputs(), outs);
        QVERIFY2(r, qPrintable(test::errorText(r)));
        const RefOut ref = reference(c);
        const Dims yDims = layout == 0 ? Dims{c.S, c.dirs(), c.B, c.H} : Dims{c.B, c.S, c.dirs(), c.H};
        const Dims sDims = layout == 0 ? Dims{c.dirs(), c.B, c.H} : Dims{c.B, c.dirs(), c.H};
        QCOMPARE((*r)[0].dims(), yDims);
        QCOMPARE((*r)[1].dims(), sDims);
        const double ey = maxError((*r)[0], ref.y), eh = maxError((*r)[1], ref.yh);
        QVERIFY2(ey < 1e-5, qPrintable(QString("Y error %1").arg(ey)));
        QVERIFY2(eh < 1e-5, qPrintable(QString("Y_h error %1").arg(eh)));
        if (kind == Kind::Lstm) {
            QCOMPARE((*r)[2].dims(), sDims);
            const double ec = maxError((*r)[2], ref.yc);
            QVERIFY2(ec < 1e-5, qPrintable(QString("Y_c error %1").arg(ec)));
        }
    }

    void dtlnSizedLstm()
    {
        // The DTLN denoiser's first LSTM: I = 257, H = 128, here with 12 steps and batch 2.
        std::mt19937 rng(8);
        Case c;
        c.kind = Kind::Lstm;
        c.S = 12;
        c.B = 2;
        c.I = 257;
        c.H = 128;
        c.hasBias = c.hasH0 = c.hasC0 = true;
        c.x = randomTensor(rng, {c.S, c.B, c.I}, -1, 1);
        c.w = randomTensor(rng, {1, 4 * c.H, c.I}, -0.1f, 0.1f);
        c.r = randomTensor(rng, {1, 4 * c.H, c.H}, -0.1f, 0.1f);
        c.b = randomTensor(rng, {1, 8 * c.H}, -0.1f, 0.1f);
        c.h0 = randomTensor(rng, {1, c.B, c.H}, -0.5f, 0.5f);
        c.c0 = randomTensor(rng, {1, c.B, c.H}, -0.5f, 0.5f);
        qInfo("%s", c.describe().c_str());
        auto r = runOp("LSTM", 11, c.attributes(), c.inputs(), 3);
        QVERIFY2(r, qPrintable(test::errorText(r)));
        const RefOut ref = reference(c);
        QVERIFY(maxError((*r)[0], ref.y) < 1e-5);
        QVERIFY(maxError((*r)[1], ref.yh) < 1e-5);
        QVERIFY(maxError((*r)[2], ref.yc) < 1e-5);
    }

    void doubleAndHalfTypes()
    {
        Case c = randomCase(Kind::Gru, "bidirectional", 0, 7);
        qInfo("%s (as double and as float16)", c.describe().c_str());
        const RefOut ref = reference(c);
        // double: the same case cast up.
        Case d = c;
        for (Tensor *t : {&d.x, &d.w, &d.r, &d.b, &d.h0, &d.c0, &d.p})
            *t = t->castTo(DataType::Double);
        auto r = runOp("GRU", 14, d.attributes(), d.inputs(), 2);
        QVERIFY2(r, qPrintable(test::errorText(r)));
        QCOMPARE((*r)[0].dtype(), DataType::Double);
        QVERIFY(maxError((*r)[0], ref.y) < 1e-6);
        QVERIFY(maxError((*r)[1], ref.yh) < 1e-6);
        // float16 in, float16 out (computed in float; inputs were rounded, so a loose bound).
        Case h = c;
        for (Tensor *t : {&h.x, &h.w, &h.r, &h.b, &h.h0, &h.c0, &h.p})
            *t = t->castTo(DataType::Float16);
        auto rh = runOp("GRU", 14, h.attributes(), h.inputs(), 2);
        QVERIFY2(rh, qPrintable(test::errorText(rh)));
        QCOMPARE((*rh)[0].dtype(), DataType::Float16);
        QVERIFY(maxError((*rh)[0], ref.y) < 2e-2);
    }

    void omittedOutputsStayEmpty()
    {
        Case c = randomCase(Kind::Lstm, "forward", 0, 3);
        auto r = runOp("LSTM", 14, c.attributes(), c.inputs(), 3, {"", "Y_h", ""});
        QVERIFY(r);
        QVERIFY((*r)[0].empty());
        QVERIFY(!(*r)[1].empty());
        QVERIFY((*r)[2].empty());
        QVERIFY(maxError((*r)[1], reference(c).yh) < 1e-5);
    }

    void layoutIgnoredBeforeOpset14()
    {
        // At opset 7 `layout` does not exist: X is read as [S, B, I] whatever the attribute says.
        Case c = randomCase(Kind::Rnn, "forward", 0, 21);
        std::vector<Attribute> attrs = c.attributes();
        for (Attribute &a : attrs)
            if (a.name == "layout")
                a.i = 1;
        auto r = runOp("RNN", 7, attrs, c.inputs(), 2);
        QVERIFY(r);
        QVERIFY(maxError((*r)[0], reference(c).y) < 1e-5);
    }

    void hardSigmoidDefaultsAndSharedActivations()
    {
        // HardSigmoid without alpha/beta uses the ONNX defaults 0.2 / 0.5; a 3-entry list serves
        // both directions of a bidirectional LSTM.
        Case c = randomCase(Kind::Lstm, "bidirectional", 0, 5);
        c.acts.clear();
        auto attrs = c.attributes();
        attrs.push_back(test::stringsAttr("activations", {"HardSigmoid", "Tanh", "Tanh"}));
        auto r = runOp("LSTM", 14, attrs, c.inputs(), 3);
        QVERIFY2(r, qPrintable(test::errorText(r)));
        Case ref = c;
        ref.acts = {{"HardSigmoid", 0.2, 0.5}, {"Tanh"}, {"Tanh"}, {"HardSigmoid", 0.2, 0.5}, {"Tanh"}, {"Tanh"}};
        QVERIFY(maxError((*r)[0], reference(ref).y) < 1e-5);
    }

    void activationDefaultsMatchOnnxRuntime_data()
    {
        // RNN with X = 1, W = linspace(-3, 3, 8), R = 0: Y_h = f(W). Expected values computed
        // by onnxruntime 1.30 with the activation named and no activation_alpha/beta.
        QTest::addColumn<QString>("activation");
        QTest::addColumn<std::vector<double>>("want");
        QTest::newRow("Affine") << "Affine" << std::vector<double>(8, 0.0);
        QTest::newRow("ScaledTanh") << "ScaledTanh" << std::vector<double>(8, 0.0);
        QTest::newRow("ThresholdedRelu") << "ThresholdedRelu"
            << std::vector<double>{0, 0, 0, 0, 0.428571, 1.285714, 2.142857, 3};
        QTest::newRow("LeakyRelu") << "LeakyRelu"
            << std::vector<double>{-0.03, -0.0214286, -0.0128571, -0.00428571, 0.428571, 1.285714, 2.142857, 3};
        QTest::newRow("HardSigmoid") << "HardSigmoid"
            << std::vector<double>{0, 0.0714286, 0.242857, 0.414286, 0.585714, 0.757143, 0.928571, 1};
        QTest::newRow("Elu") << "Elu"
            << std::vector<double>{-0.950213, -0.882681, -0.723547, -0.348561, 0.428571, 1.285714, 2.142857, 3};
    }

    void activationDefaultsMatchOnnxRuntime()
    {
        QFETCH(QString, activation);
        QFETCH(std::vector<double>, want);
        const Tensor x = filled({1, 1, 1}, 1.0f), r = filled({1, 8, 8}, 0.0f);
        Tensor w(DataType::Float, {1, 8, 1});
        for (int i = 0; i < 8; ++i)
            w.mutableData<float>()[i] = -3.0f + 6.0f * static_cast<float>(i) / 7.0f;
        auto out = runOp("RNN", 14, {test::intAttr("hidden_size", 8),
                                     test::stringsAttr("activations", {activation.toStdString()})},
                         {&x, &w, &r}, 2);
        QVERIFY2(out, qPrintable(test::errorText(out)));
        QVERIFY2(maxError((*out)[1], want) < 1e-5, qPrintable(QString("error %1").arg(maxError((*out)[1], want))));
    }

    void matchesOnnxRuntime_data()
    {
        // Golden cases written by tests/ops_rnn/make_onnxruntime_cases.py with onnxruntime 1.30.
        QTest::addColumn<QString>("folder");
        const auto folders = test::caseFolders(NNC_SOURCE_DIR "/tests/ops_rnn/onnxruntime_cases");
        QVERIFY(folders.size() > 20);
        for (const auto &f : folders)
            QTest::newRow(f.filename().string().c_str()) << QString::fromStdString(f.string());
    }

    void matchesOnnxRuntime()
    {
        QFETCH(QString, folder);
        const std::string error = test::runCaseFolder(folder.toStdString());
        QVERIFY2(error.empty(), error.c_str());
    }

    void onnxLstmWithPeepholes()
    {
        // test_lstm_with_peepholes: X [1, 2, 4] = 1..8, W, R, P = 0.1, B = 0, seq_lens = 1.
        Tensor x(DataType::Float, {1, 2, 4});
        for (int i = 0; i < 8; ++i)
            x.mutableData<float>()[i] = static_cast<float>(i + 1);
        const Tensor w = filled({1, 12, 4}, 0.1f), r = filled({1, 12, 3}, 0.1f), b = filled({1, 24}, 0);
        const Tensor lens = Tensor::fromVector<int32_t>({2}, {1, 1});
        const Tensor h0 = filled({1, 2, 3}, 0), c0 = filled({1, 2, 3}, 0), p = filled({1, 9}, 0.1f);
        auto out = runOp("LSTM", 14, {test::intAttr("hidden_size", 3)}, {&x, &w, &r, &b, &lens, &h0, &c0, &p},
                         2, {"", "Y_h"});
        QVERIFY2(out, qPrintable(test::errorText(out)));
        const std::vector<double> want{0.37506911158561707, 0.37506911158561707, 0.37506911158561707,
                                       0.6801308989524841, 0.6801308989524841, 0.6801308989524841};
        QVERIFY(maxError((*out)[1], want) < 1e-6);
    }

    void onnxGruWithInitialBias()
    {
        Tensor x(DataType::Float, {1, 3, 3});
        for (int i = 0; i < 9; ++i)
            x.mutableData<float>()[i] = static_cast<float>(i + 1);
        const Tensor w = filled({1, 9, 3}, 0.1f), r = filled({1, 9, 3}, 0.1f);
        Tensor b = filled({1, 18}, 0);
        for (int i = 0; i < 9; ++i)
            b.mutableData<float>()[i] = 0.1f;
        auto out = runOp("GRU", 14, {test::intAttr("hidden_size", 3)}, {&x, &w, &r, &b}, 2, {"", "Y_h"});
        QVERIFY2(out, qPrintable(test::errorText(out)));
        const std::vector<double> want{0.20053662359714508, 0.20053662359714508, 0.20053662359714508,
                                       0.15482337772846222, 0.15482337772846222, 0.15482337772846222,
                                       0.07484275847673416, 0.07484275847673416, 0.07484275847673416};
        QVERIFY(maxError((*out)[1], want) < 1e-6);
    }

    void badInputsAreErrors()
    {
        Case c = randomCase(Kind::Lstm, "forward", 0, 9);
        c.H = 4;
        c.x = filled({2, 1, 3}, 0);
        c.w = filled({1, 16, 5}, 0);
        c.r = filled({1, 16, 4}, 0);
        c.hasBias = c.hasLens = c.hasH0 = c.hasC0 = c.hasP = false;
        c.acts.clear();
        c.clip.reset();
        c.inputForget = false;
        auto r = runOp("LSTM", 14, c.attributes(), c.inputs(), 3);
        QVERIFY(!r);
        QCOMPARE(test::errorText(r), QStringLiteral("input W has shape [1, 16, 5]; expected [1, 16, 3] "
                                                    "(directions, 4 * hidden_size, input_size)."));
        c.w = filled({1, 16, 3}, 0);
        c.hasLens = true;
        c.lens = Tensor::fromVector<int32_t>({1}, {3});
        auto rl = runOp("LSTM", 14, c.attributes(), c.inputs(), 3);
        QVERIFY(!rl);
        QCOMPARE(test::errorText(rl), QStringLiteral("sequence_lens holds 3, outside [0, 2]."));

        auto bad = runOp("GRU", 14, {test::stringAttr("direction", "sideways")}, {&c.x, &c.w, &c.r});
        QVERIFY(!bad);
        QCOMPARE(test::errorText(bad), QStringLiteral("direction 'sideways' is not one of forward, "
                                                      "reverse, bidirectional."));
        auto acts = runOp("GRU", 14, {test::stringsAttr("activations", {"Sigmoid"})}, {&c.x, &c.w, &c.r});
        QVERIFY(!acts);
        QCOMPARE(test::errorText(acts), QStringLiteral("activations has 1 entries; GRU needs 2 for "
                                                       "direction forward."));
    }
};

QTEST_APPLESS_MAIN(TestRnnOps)
#include "test_rnn_ops.moc"
