// The executor fuses a Relu into the Conv / Gemm / BatchNormalization that feeds it when the
// intermediate tensor is invisible to the caller. These tests check that the fused runs give the
// same bits as the unfused ones (NaN, -0 and denormal inputs included), that fusion happens only
// when allowed (the per-op profile shows whether the Relu ran on its own), and that observed,
// replaced, kept, fed, shared and graph-output intermediates stay materialized.
#include "core/runtime/session.h"

#include <QtTest>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>

using namespace nnc;

namespace {

Tensor randomTensor(Dims dims, uint32_t seed, bool specials = false)
{
    Tensor t(DataType::Float, std::move(dims));
    std::mt19937 rng(seed);
    std::normal_distribution<float> dist(0.0f, 1.0f);
    auto s = t.mutableSpan<float>();
    for (float &v : s)
        v = dist(rng);
    if (specials && s.size() > 8) {
        s[1] = std::numeric_limits<float>::quiet_NaN();
        s[3] = -0.0f;
        s[5] = 1e-40f;    // denormal
        s[7] = -1e-40f;
    }
    return t;
}

ValueInfo floatInfo(const std::string &name, std::vector<int64_t> dims)
{
    ValueInfo v;
    v.name = name;
    v.dtype = DataType::Float;
    v.hasShape = true;
    for (int64_t d : dims) {
        Dim dim;
        dim.value = d;
        dim.hasValue = true;
        v.shape.push_back(dim);
    }
    return v;
}

Attribute intsAttr(const std::string &name, std::vector<int64_t> v)
{
    Attribute a;
    a.name = name;
    a.kind = Attribute::Kind::Ints;
    a.ints = std::move(v);
    return a;
}

Attribute intAttr(const std::string &name, int64_t v)
{
    Attribute a;
    a.name = name;
    a.kind = Attribute::Kind::Int;
    a.i = v;
    return a;
}

Node node(std::string op, std::vector<std::string> in, std::vector<std::string> out,
          std::vector<Attribute> attrs = {})
{
    Node n;
    n.name = op + "_" + out[0];
    n.opType = std::move(op);
    n.inputs = std::move(in);
    n.outputs = std::move(out);
    n.attributes = std::move(attrs);
    return n;
}

void addInit(Graph &g, const std::string &name, Tensor t)
{
    g.initializers[name] = std::move(t);
    g.initializerOrder.push_back(name);
}

/// x [2,3,10,10] -> Conv 3x3 pad 1 (4 channels) -> t -> Relu -> u -> Conv 1x1 -> y.
/// `extra` adds nodes (e.g. a second reader of t); `outputs` names the graph outputs.
std::shared_ptr<Model> convModel(std::vector<std::string> outputs = {"y"},
                                 std::vector<Node> extra = {})
{
    auto m = std::make_shared<Model>();
    m->opsets[""] = 17;
    Graph &g = m->graph;
    g.inputs.push_back(floatInfo("x", {2, 3, 10, 10}));
    addInit(g, "w1", randomTensor({4, 3, 3, 3}, 11));
    addInit(g, "b1", randomTensor({4}, 12));
    addInit(g, "w2", randomTensor({5, 4, 1, 1}, 13));
    g.nodes.push_back(node("Conv", {"x", "w1", "b1"}, {"t"},
                           {intsAttr("pads", {1, 1, 1, 1}), intsAttr("kernel_shape", {3, 3})}));
    g.nodes.push_back(node("Relu", {"t"}, {"u"}));
    g.nodes.push_back(node("Conv", {"u", "w2"}, {"y"}));
    for (Node &n : extra)
        g.nodes.push_back(std::move(n));
    for (const auto &o : outputs)
        g.outputs.push_back(floatInfo(o, {}));
    for (auto &o : g.outputs)
        o.hasShape = false;
    return m;
}

/// a [8,k] -> Gemm (B [5,k] transposed, C [5]) -> t -> Relu -> y
std::shared_ptr<Model> gemmModel(DataType type, int64_t k = 6)
{
    auto m = std::make_shared<Model>();
    m->opsets[""] = 17;
    Graph &g = m->graph;
    ValueInfo a = floatInfo("a", {8, k});
    a.dtype = type;
    g.inputs.push_back(a);
    Tensor b = randomTensor({5, k}, 21), c = randomTensor({5}, 22);
    addInit(g, "b", type == DataType::Float ? b : b.castTo(type));
    addInit(g, "c", type == DataType::Float ? c : c.castTo(type));
    g.nodes.push_back(node("Gemm", {"a", "b", "c"}, {"t"}, {intAttr("transB", 1)}));
    g.nodes.push_back(node("Relu", {"t"}, {"y"}));
    ValueInfo y;
    y.name = "y";
    g.outputs.push_back(y);
    return m;
}

/// x [2,4,6,6] -> BatchNormalization -> t -> Relu -> y
std::shared_ptr<Model> batchNormModel()
{
    auto m = std::make_shared<Model>();
    m->opsets[""] = 15;
    Graph &g = m->graph;
    g.inputs.push_back(floatInfo("x", {2, 4, 6, 6}));
    addInit(g, "scale", randomTensor({4}, 31));
    addInit(g, "bias", randomTensor({4}, 32));
    addInit(g, "mean", randomTensor({4}, 33));
    Tensor var = randomTensor({4}, 34);
    for (float &v : var.mutableSpan<float>())
        v = std::abs(v) + 0.1f;
    addInit(g, "var", var);
    g.nodes.push_back(node("BatchNormalization", {"x", "scale", "bias", "mean", "var"}, {"t"}));
    g.nodes.push_back(node("Relu", {"t"}, {"y"}));
    ValueInfo y;
    y.name = "y";
    g.outputs.push_back(y);
    return m;
}

/// x [2,3,12,12] -> Conv 3x3 pad 1 (6 channels; `group` 3 makes it grouped, 3 with 3 channels
/// in would be depthwise) -> c -> BatchNormalization -> t [-> Relu -> y]
std::shared_ptr<Model> convBatchNormModel(bool relu, int64_t group = 1, int64_t inChannels = 3)
{
    auto m = std::make_shared<Model>();
    m->opsets[""] = 15;
    Graph &g = m->graph;
    const int64_t M = group == inChannels ? inChannels : 6;
    g.inputs.push_back(floatInfo("x", {2, inChannels, 12, 12}));
    addInit(g, "w", randomTensor({M, inChannels / group, 3, 3}, 41));
    addInit(g, "cb", randomTensor({M}, 42));
    addInit(g, "scale", randomTensor({M}, 43));
    addInit(g, "bias", randomTensor({M}, 44));
    addInit(g, "mean", randomTensor({M}, 45));
    Tensor var = randomTensor({M}, 46);
    for (float &v : var.mutableSpan<float>())
        v = std::abs(v) + 0.05f;
    addInit(g, "var", var);
    g.nodes.push_back(node("Conv", {"x", "w", "cb"}, {"c"},
                           {intsAttr("pads", {1, 1, 1, 1}), intAttr("group", group)}));
    g.nodes.push_back(node("BatchNormalization", {"c", "scale", "bias", "mean", "var"}, {"t"}));
    if (relu)
        g.nodes.push_back(node("Relu", {"t"}, {"y"}));
    ValueInfo y;
    y.name = relu ? "y" : "t";
    g.outputs.push_back(y);
    return m;
}

bool sameBits(const Tensor &a, const Tensor &b)
{
    return a.dtype() == b.dtype() && a.dims() == b.dims()
           && std::memcmp(a.bytes().data(), b.bytes().data(), a.byteSize()) == 0;
}

/// Sees every tensor, replaces none: forces the unfused path.
class Watcher final : public TensorObserver
{
public:
    std::optional<Tensor> observe(const std::string &name, const Tensor &value) override
    {
        seen[name] = value;
        return std::nullopt;
    }
    std::unordered_map<std::string, Tensor> seen;
};

/// Replaces `target` by its negation (as fake quantization replaces activations).
class Negater final : public TensorObserver
{
public:
    explicit Negater(std::string target) : m_target(std::move(target)) {}
    std::optional<Tensor> observe(const std::string &name, const Tensor &value) override
    {
        if (name != m_target)
            return std::nullopt;
        Tensor t = value;
        for (float &v : t.mutableSpan<float>())
            v = -v;
        return t;
    }

private:
    std::string m_target;
};

using Profile = std::map<std::string, std::pair<double, int64_t>>;

Session makeSession(std::shared_ptr<Model> m)
{
    auto s = Session::create(std::move(m), SessionOptions{1});
    if (!s)
        qFatal("%s", s.error().message.c_str());
    return std::move(*s);
}

} // namespace

class TestRuntimeFusion : public QObject
{
    Q_OBJECT

private slots:
    void intermediateReturnedByASubgraphIsNotFused()
    {
        // An If whose branches return t itself (no node inside): the outer t is read through
        // the subgraph's output, so the Conv + Relu pair must not be fused and t must live on.
        auto branch = std::make_shared<Graph>();
        branch->outputs.push_back(floatInfo("t", {}));
        branch->outputs[0].hasShape = false;
        Attribute thenBranch;
        thenBranch.name = "then_branch";
        thenBranch.kind = Attribute::Kind::Graph;
        thenBranch.g = branch;
        Attribute elseBranch = thenBranch;
        elseBranch.name = "else_branch";
        auto m = convModel({"y", "z"}, {node("If", {"cond"}, {"z"}, {thenBranch, elseBranch})});
        Tensor cond(DataType::Bool, {});
        addInit(m->graph, "cond", cond);
        Session s = makeSession(m);
        const Tensor x = randomTensor({2, 3, 10, 10}, 3);
        auto fused = s.run({&x, 1});
        QVERIFY2(fused.has_value(), fused ? "" : fused.error().message.c_str());
        Watcher watcher;
        RunOptions plainOpts;
        plainOpts.observer = &watcher;
        auto plain = s.run({&x, 1}, plainOpts);
        QVERIFY2(plain.has_value(), plain ? "" : plain.error().message.c_str());
        QVERIFY(sameBits((*fused)[0], (*plain)[0]));
        QVERIFY(sameBits((*fused)[1], (*plain)[1]));
        QVERIFY(sameBits((*fused)[1], watcher.seen.at("t")));
    }

    void convReluFusedMatchesUnfused()
    {
        Session s = makeSession(convModel());
        const Tensor x = randomTensor({2, 3, 10, 10}, 1, true);
        Profile fusedProfile;
        RunOptions fusedOpts;
        fusedOpts.profile = &fusedProfile;
        auto fused = s.run({&x, 1}, fusedOpts);
        QVERIFY2(fused.has_value(), fused ? "" : fused.error().message.c_str());
        // The Relu ran inside the Conv: no Relu call of its own.
        QVERIFY(!fusedProfile.contains("Relu"));
        QCOMPARE(fusedProfile["Conv"].second, int64_t(2));

        Watcher watcher;
        Profile plainProfile;
        RunOptions plainOpts;
        plainOpts.observer = &watcher;
        plainOpts.profile = &plainProfile;
        auto plain = s.run({&x, 1}, plainOpts);
        QVERIFY(plain.has_value());
        QCOMPARE(plainProfile["Relu"].second, int64_t(1));
        QVERIFY(watcher.seen.contains("t"));
        QVERIFY(sameBits((*fused)[0], (*plain)[0]));
        // NaN in x reaches y on both paths (the Relu keeps NaN as the Relu kernel does).
        bool anyNaN = false;
        for (float v : (*fused)[0].span<float>())
            anyNaN = anyNaN || std::isnan(v);
        QVERIFY(anyNaN);
    }

    void keptIntermediateIsMaterialized()
    {
        Session s = makeSession(convModel());
        const Tensor x = randomTensor({2, 3, 10, 10}, 2);
        auto full = s.run({&x, 1});
        QVERIFY(full.has_value());

        // Asked for t and u (a partial-run cache): t must be returned, not fused away.
        Profile profile;
        RunOptions keep;
        keep.keep = {"t", "u"};
        keep.profile = &profile;
        const std::vector<std::string> wanted{"y"};
        auto r = s.runPartial({{"x", x}}, wanted, keep);
        QVERIFY2(r.has_value(), r ? "" : r.error().message.c_str());
        QVERIFY(r->contains("t") && r->contains("u"));
        QCOMPARE(profile["Relu"].second, int64_t(1));
        QVERIFY(sameBits(r->at("y"), (*full)[0]));

        // Incremental run from the cached t equals the full run bit for bit.
        const std::vector<std::string> wantY{"y"};
        auto inc = s.runPartial({{"t", r->at("t")}}, wantY);
        QVERIFY(inc.has_value());
        QVERIFY(sameBits(inc->at("y"), (*full)[0]));

        // Wanting u alone from x fuses (t is invisible) and gives the same u.
        Profile p2;
        RunOptions o2;
        o2.profile = &p2;
        const std::vector<std::string> wantU{"u"};
        auto u = s.runPartial({{"x", x}}, wantU, o2);
        QVERIFY(u.has_value());
        QVERIFY(!p2.contains("Relu"));
        QVERIFY(sameBits(u->at("u"), r->at("u")));
    }

    void replacedIntermediateReachesReaders()
    {
        Session s = makeSession(convModel());
        const Tensor x = randomTensor({2, 3, 10, 10}, 3);
        Negater neg("t");
        RunOptions opts;
        opts.observer = &neg;
        opts.keep = {"u"};
        const std::vector<std::string> wanted{"t", "u"};
        auto r = s.runPartial({{"x", x}}, wanted, opts);
        QVERIFY(r.has_value());
        // u = Relu(replaced t), not Relu(original t).
        const auto t = r->at("t").span<float>();
        const auto u = r->at("u").span<float>();
        for (std::size_t i = 0; i < t.size(); ++i)
            QCOMPARE(u[i], t[i] > 0.0f ? t[i] : 0.0f);
        bool negatedSomething = false;
        auto plain = s.runPartial({{"x", x}}, wanted);
        QVERIFY(plain.has_value());
        const auto t0 = plain->at("t").span<float>();
        for (std::size_t i = 0; i < t.size(); ++i)
            negatedSomething = negatedSomething || (t0[i] != 0.0f && t[i] == -t0[i]);
        QVERIFY(negatedSomething);
    }

    void graphOutputAndSharedIntermediatesAreNotFused()
    {
        const Tensor x = randomTensor({2, 3, 10, 10}, 4);
        {
            Session s = makeSession(convModel({"y", "t"}));
            Profile p;
            RunOptions o;
            o.profile = &p;
            auto r = s.run({&x, 1}, o);
            QVERIFY(r.has_value());
            QCOMPARE(p["Relu"].second, int64_t(1));
            QCOMPARE(r->size(), std::size_t(2));
            QCOMPARE((*r)[1].dims(), (Dims{2, 4, 10, 10}));
        }
        {
            // t also feeds an Identity: two readers, no fusion; values as computed alone.
            std::vector<Node> extra{node("Identity", {"t"}, {"t2"})};
            Session s = makeSession(convModel({"y", "t2"}, std::move(extra)));
            Profile p;
            RunOptions o;
            o.profile = &p;
            auto r = s.run({&x, 1}, o);
            QVERIFY(r.has_value());
            QCOMPARE(p["Relu"].second, int64_t(1));
            Session ref = makeSession(convModel({"y", "t"}));
            auto rr = ref.run({&x, 1});
            QVERIFY(rr.has_value());
            QVERIFY(sameBits((*r)[1], (*rr)[1]));
            QVERIFY(sameBits((*r)[0], (*rr)[0]));
        }
    }

    void gemmReluFusedMatchesUnfused()
    {
        Session s = makeSession(gemmModel(DataType::Float));
        const Tensor a = randomTensor({8, 6}, 5, true);
        Profile p;
        RunOptions fusedOpts;
        fusedOpts.profile = &p;
        auto fused = s.run({&a, 1}, fusedOpts);
        QVERIFY(fused.has_value());
        QVERIFY(!p.contains("Relu"));
        Watcher w;
        RunOptions plainOpts;
        plainOpts.observer = &w;
        auto plain = s.run({&a, 1}, plainOpts);
        QVERIFY(plain.has_value());
        QVERIFY(sameBits((*fused)[0], (*plain)[0]));
    }

    void emptyInnerDimensionStillGetsTheRelu()
    {
        // K = 0: Y = C broadcast; the fused Relu must still apply (C has negative entries).
        Session s = makeSession(gemmModel(DataType::Float, 0));
        const Tensor a(DataType::Float, {8, 0});
        Profile p;
        RunOptions fusedOpts;
        fusedOpts.profile = &p;
        auto fused = s.run({&a, 1}, fusedOpts);
        QVERIFY2(fused.has_value(), fused ? "" : fused.error().message.c_str());
        QVERIFY(!p.contains("Relu"));
        Watcher w;
        RunOptions plainOpts;
        plainOpts.observer = &w;
        auto plain = s.run({&a, 1}, plainOpts);
        QVERIFY(plain.has_value());
        QVERIFY(sameBits((*fused)[0], (*plain)[0]));
        bool anyNegativeC = false;
        const Tensor c = randomTensor({5}, 22); // named: a span of a temporary would dangle
        for (float v : c.span<float>())
            anyNegativeC = anyNegativeC || v < 0.0f;
        QVERIFY(anyNegativeC);
        for (float v : (*fused)[0].span<float>())
            QVERIFY(v >= 0.0f);
    }

    void integerGemmIsNotFused()
    {
        // The fused kernels apply activations to float results only: an int32 Gemm must still
        // get its Relu from the Relu kernel.
        Session s = makeSession(gemmModel(DataType::Int32));
        Tensor a = randomTensor({8, 6}, 6);
        for (float &v : a.mutableSpan<float>())
            v *= 10.0f;
        const Tensor ai = a.castTo(DataType::Int32);
        Profile p;
        RunOptions o;
        o.profile = &p;
        auto r = s.run({&ai, 1}, o);
        QVERIFY2(r.has_value(), r ? "" : r.error().message.c_str());
        QCOMPARE(p["Relu"].second, int64_t(1));
        bool anyZero = false;
        for (int32_t v : (*r)[0].span<int32_t>()) {
            QVERIFY(v >= 0);
            anyZero = anyZero || v == 0;
        }
        QVERIFY(anyZero);
    }

    void convBatchNormChainMatchesUnfused_data()
    {
        QTest::addColumn<bool>("relu");
        QTest::addColumn<int>("group");
        QTest::addColumn<int>("inChannels");
        QTest::newRow("conv_bn") << false << 1 << 3;
        QTest::newRow("conv_bn_relu") << true << 1 << 3;
        QTest::newRow("grouped_bn_relu") << true << 3 << 6;
        QTest::newRow("depthwise_bn_relu") << true << 4 << 4;
    }

    void convBatchNormChainMatchesUnfused()
    {
        QFETCH(bool, relu);
        QFETCH(int, group);
        QFETCH(int, inChannels);
        Session s = makeSession(convBatchNormModel(relu, group, inChannels));
        const Tensor x = randomTensor({2, inChannels, 12, 12}, 8, true);
        Profile p;
        RunOptions fusedOpts;
        fusedOpts.profile = &p;
        auto fused = s.run({&x, 1}, fusedOpts);
        QVERIFY2(fused.has_value(), fused ? "" : fused.error().message.c_str());
        QVERIFY(!p.contains("BatchNormalization"));
        QVERIFY(!p.contains("Relu"));
        Watcher w;
        RunOptions plainOpts;
        plainOpts.observer = &w;
        auto plain = s.run({&x, 1}, plainOpts);
        QVERIFY(plain.has_value());
        QVERIFY(w.seen.contains("c"));
        QVERIFY(sameBits((*fused)[0], (*plain)[0]));

        // Keeping the BatchNormalization output: the Conv runs alone, the BatchNormalization
        // (+ Relu) after it, and every value is the same.
        if (relu) {
            Profile kp;
            RunOptions keep;
            keep.keep = {"t"};
            keep.profile = &kp;
            const std::vector<std::string> wanted{"y"};
            auto r = s.runPartial({{"x", x}}, wanted, keep);
            QVERIFY(r.has_value());
            QCOMPARE(kp["BatchNormalization"].second, int64_t(1));
            QVERIFY(sameBits(r->at("y"), (*plain)[0]));
            QVERIFY(sameBits(r->at("t"), w.seen.at("t")));
        }
    }

    void batchNormReluFusedMatchesUnfused()
    {
        Session s = makeSession(batchNormModel());
        const Tensor x = randomTensor({2, 4, 6, 6}, 7, true);
        Profile p;
        RunOptions fusedOpts;
        fusedOpts.profile = &p;
        auto fused = s.run({&x, 1}, fusedOpts);
        QVERIFY(fused.has_value());
        QVERIFY(!p.contains("Relu"));
        Watcher w;
        RunOptions plainOpts;
        plainOpts.observer = &w;
        auto plain = s.run({&x, 1}, plainOpts);
        QVERIFY(plain.has_value());
        QVERIFY(sameBits((*fused)[0], (*plain)[0]));
        QVERIFY(std::isnan((*fused)[0].span<float>()[1]));   // NaN passes the fused Relu
    }
};

QTEST_APPLESS_MAIN(TestRuntimeFusion)
#include "test_fusion.moc"
