// Executor implementation: compiled graphs, scopes, partial-run planning, memory release after
// each tensor's last reader, and subgraph execution for If/Loop.
#include "core/runtime/session.h"

#include "core/ops/fusion.h"
#include "core/ops/op_table.h"

#include <Eigen/Core>
#include <immintrin.h>
#include <malloc.h>
#include <omp.h>

#include <algorithm>
#include <cstdlib>
#include <chrono>
#include <set>
#include <sstream>
#include <unordered_set>

namespace nnc {

void setEngineThreads(int threads)
{
    // Activations are large, short-lived buffers. glibc serves blocks over its mmap threshold
    // with fresh mappings, so every run page-faults them in again (measured: BatchNorm and Relu
    // on 10 MB tensors ran at half speed). Keep such blocks in the heap for reuse instead.
    static const bool heapTuned = [] {
        mallopt(M_MMAP_THRESHOLD, 256 << 20);
        mallopt(M_TRIM_THRESHOLD, 512 << 20);
        return true;
    }();
    (void)heapTuned;
    const int n = threads > 0 ? threads : omp_get_num_procs();
    omp_set_num_threads(n);
    Eigen::setNbThreads(n);
}

namespace {

/// A producer node and a chain of consumers (each the only reader of the previous node's
/// output 0: an activation, a Cast, a BatchNormalization), run as one kernel when the run
/// allows it (see fusionAllowed; core/ops/fusion.h).
struct FusedPair
{
    std::vector<std::size_t> consumers; ///< node indices, in chain order
    std::unique_ptr<Kernel> kernel;     ///< producer + consumers
    std::vector<DataType> inputTypes;   ///< producer input-0 types the kernel is valid for
    std::size_t producerInputs = 0;     ///< the producer's inputs padded to this many
    std::vector<std::string> extraInputs; ///< consumer inputs the kernel reads after those
};

struct CompiledGraph
{
    const Graph *graph = nullptr;
    std::vector<std::unique_ptr<Kernel>> kernels;  // one per node
    std::unordered_map<const Graph *, std::unique_ptr<CompiledGraph>> subgraphs;
    std::unordered_map<std::size_t, FusedPair> fused; // by producer node index
};

std::string opLabel(const Node &n, int64_t opset)
{
    return n.opType + " (" + (n.domain.empty() ? std::string("ai.onnx") : n.domain) + ", opset "
           + std::to_string(opset) + ")";
}

void collectUnsupported(const Graph &g, const Model &m, std::set<std::string> &out)
{
    forEachNode(g, [&](const Node &n, int) {
        const int64_t opset = m.opset(n.domain);
        if (!findKernel(n.domain, n.opType, opset))
            out.insert(opLabel(n, opset));
    });
}

void subgraphReads(const Node &n, std::vector<std::string> &out);

/// Finds producer + consumer pairs the ops can fuse: the producer's output 0 is read by that
/// one node input and nothing else (no other node, no subgraph body, not a graph output).
void planFusion(CompiledGraph &cg, const Model &m)
{
    const Graph &g = *cg.graph;
    std::unordered_map<std::string, int> readers;
    std::unordered_map<std::string, std::size_t> readerNode;
    std::vector<std::string> reads;
    for (std::size_t i = 0; i < g.nodes.size(); ++i) {
        reads.clear();
        for (const auto &in : g.nodes[i].inputs)
            if (!in.empty())
                reads.push_back(in);
        subgraphReads(g.nodes[i], reads);
        for (const auto &in : reads) {
            ++readers[in];
            readerNode[in] = i;
        }
    }
    for (const auto &o : g.outputs)
        ++readers[o.name];
    std::unordered_map<std::string, int> producers;
    for (const Node &n : g.nodes)
        for (const auto &o : n.outputs)
            if (!o.empty())
                ++producers[o];
    // The node that alone reads node i's single output (and reads it as its first input only),
    // or none.
    auto soleReader = [&](std::size_t i) -> std::optional<std::size_t> {
        const Node &p = g.nodes[i];
        if (p.outputs.size() != 1 || p.outputs[0].empty() || producers[p.outputs[0]] != 1
            || readers[p.outputs[0]] != 1)
            return std::nullopt;
        const std::size_t j = readerNode[p.outputs[0]];
        const Node &a = g.nodes[j];
        if (j <= i || a.outputs.empty() || a.outputs[0].empty() || a.inputs.empty()
            || a.inputs[0] != p.outputs[0])
            return std::nullopt;
        return j;
    };
    for (std::size_t i = 0; i < g.nodes.size(); ++i) {
        const auto j = soleReader(i);
        if (!j)
            continue;
        const Node &p = g.nodes[i];
        const KernelBuildInfo producer{p, m.opset(p.domain)};
        // The longest chain the ops can fuse: producer + j + its sole reader, then producer + j.
        std::vector<std::size_t> chain{*j};
        if (const auto k = soleReader(*j))
            chain.push_back(*k);
        for (; !chain.empty(); chain.pop_back()) {
            std::vector<KernelBuildInfo> consumers;
            for (std::size_t c : chain)
                consumers.push_back(KernelBuildInfo{g.nodes[c], m.opset(g.nodes[c].domain)});
            FusedKernel k = makeFusedKernel(producer, consumers);
            if (!k.kernel)
                continue;
            cg.fused.emplace(i, FusedPair{chain, std::move(k.kernel), std::move(k.inputTypes),
                                          k.producerInputs, std::move(k.extraInputs)});
            break;
        }
    }
}

Result<std::unique_ptr<CompiledGraph>> compile(const Graph &g, const Model &m)
{
    auto cg = std::make_unique<CompiledGraph>();
    cg->graph = &g;
    for (const Node &n : g.nodes) {
        const int64_t opset = m.opset(n.domain);
        const OpEntry *e = findKernel(n.domain, n.opType, opset);
        if (!e)
            return fail("node " + n.label() + ": op " + opLabel(n, opset) + " is not supported.",
                        Error::Code::Unsupported);
        auto k = e->create(KernelBuildInfo{n, opset});
        if (!k)
            return fail("node " + n.label() + ": " + k.error().message, k.error().code);
        cg->kernels.push_back(std::move(*k));
        for (const Attribute &a : n.attributes) {
            std::vector<const Graph *> subs;
            if (a.g)
                subs.push_back(a.g.get());
            for (const auto &sg : a.graphs)
                subs.push_back(sg.get());
            for (const Graph *sg : subs) {
                auto c = compile(*sg, m);
                if (!c)
                    return std::unexpected(c.error());
                cg->subgraphs.emplace(sg, std::move(*c));
            }
        }
    }
    planFusion(*cg, m);
    return cg;
}

struct Scope
{
    const Graph *graph = nullptr;
    const Scope *parent = nullptr;
    const RunOptions *options = nullptr;
    std::unordered_map<std::string, Tensor> values;

    const Tensor *find(const std::string &name) const
    {
        if (options && options->weights) {
            auto w = options->weights->find(name);
            if (w != options->weights->end())
                return &w->second;
        }
        if (auto it = values.find(name); it != values.end())
            return &it->second;
        if (const Tensor *t = graph->initializer(name))
            return t;
        return parent ? parent->find(name) : nullptr;
    }
};

Result<void> execute(CompiledGraph &cg, Scope &scope, std::span<const std::size_t> order,
                     const std::unordered_set<std::string> &keepAlive);

class ScopedRunner final : public SubgraphRunner
{
public:
    ScopedRunner(CompiledGraph &parent, const Scope &scope) : m_parent(parent), m_scope(scope) {}

    Result<std::vector<Tensor>> run(const Graph &graph, std::span<const Tensor> inputs) override
    {
        auto it = m_parent.subgraphs.find(&graph);
        if (it == m_parent.subgraphs.end())
            return fail("internal error: subgraph was not compiled.", Error::Code::Internal);
        CompiledGraph &cg = *it->second;
        Scope child;
        child.graph = &graph;
        child.parent = &m_scope;
        child.options = m_scope.options;
        if (inputs.size() > graph.inputs.size())
            return fail("subgraph '" + graph.name + "' takes " + std::to_string(graph.inputs.size())
                        + " inputs but was given " + std::to_string(inputs.size()) + ".");
        for (std::size_t i = 0; i < inputs.size(); ++i)
            child.values[graph.inputs[i].name] = inputs[i];
        std::vector<std::size_t> order(graph.nodes.size());
        for (std::size_t i = 0; i < order.size(); ++i)
            order[i] = i;
        std::unordered_set<std::string> keep;
        for (const auto &o : graph.outputs)
            keep.insert(o.name);
        if (auto r = execute(cg, child, order, keep); !r)
            return std::unexpected(r.error());
        std::vector<Tensor> outs;
        for (const auto &o : graph.outputs) {
            const Tensor *t = child.find(o.name);
            if (!t)
                return fail("subgraph '" + graph.name + "' did not produce its output '" + o.name
                            + "'.");
            outs.push_back(*t);
        }
        return outs;
    }

private:
    CompiledGraph &m_parent;
    const Scope &m_scope;
};

bool hasSubgraph(const Node &n)
{
    for (const Attribute &a : n.attributes)
        if (a.g || !a.graphs.empty())
            return true;
    return false;
}

/// Whether the fused kernel may replace producer + consumer on this run: the intermediate
/// tensor must be invisible. It is not when an observer sees (or replaces) every tensor, when
/// the caller asked to keep it (partial-run caches, wanted outputs), or when a weight override
/// by that name would shadow it. The producer's input 0 must have a type the kernel handles.
bool fusionAllowed(const Scope &scope, const std::string &intermediate,
                   const std::unordered_set<std::string> &keepAlive, const Tensor *input0,
                   std::span<const DataType> inputTypes)
{
    // NNC_DISABLE_FUSION=1 runs every node on its own kernel (to compare or diagnose).
    static const bool disabled = [] {
        const char *env = std::getenv("NNC_DISABLE_FUSION");
        return env && std::string_view(env) == "1";
    }();
    if (disabled)
        return false;
    if (!input0
        || std::find(inputTypes.begin(), inputTypes.end(), input0->dtype()) == inputTypes.end())
        return false;
    if (keepAlive.contains(intermediate))
        return false;
    const RunOptions *o = scope.options;
    if (o && (o->observer || (o->weights && o->weights->contains(intermediate))))
        return false;
    return true;
}

Result<void> execute(CompiledGraph &cg, Scope &scope, std::span<const std::size_t> order,
                     const std::unordered_set<std::string> &keepAlive)
{
    const Graph &g = *cg.graph;
    // Position of each node in this run's order (-1: does not run), for fusion partners.
    std::vector<std::ptrdiff_t> position;
    std::vector<char> skip;
    if (!cg.fused.empty()) {
        position.assign(g.nodes.size(), -1);
        for (std::size_t k = 0; k < order.size(); ++k)
            position[order[k]] = static_cast<std::ptrdiff_t>(k);
        skip.assign(order.size(), 0);
    }
    // Last reader of each value among the nodes that run, so it can be released right after.
    // Subgraph bodies read outer values too (If/Loop): those reads count as uses of the node.
    std::unordered_map<std::string, std::size_t> lastUse;
    std::vector<std::vector<std::string>> reads(order.size());
    for (std::size_t k = 0; k < order.size(); ++k) {
        const Node &n = g.nodes[order[k]];
        for (const auto &in : n.inputs)
            if (!in.empty())
                reads[k].push_back(in);
        if (hasSubgraph(n))
            subgraphReads(n, reads[k]);
        for (const auto &in : reads[k])
            lastUse[in] = k;
    }
    std::vector<const Tensor *> ptrs;
    auto release = [&](std::size_t k) {
        for (const auto &in : reads[k]) {
            if (keepAlive.contains(in))
                continue;
            auto it = lastUse.find(in);
            if (it != lastUse.end() && it->second == k)
                scope.values.erase(in);
        }
    };
    for (std::size_t k = 0; k < order.size(); ++k) {
        if (!skip.empty() && skip[k]) { // its activation ran fused into the producer
            release(k);
            continue;
        }
        const Node &node = g.nodes[order[k]];
        ptrs.assign(node.inputs.size(), nullptr);
        for (std::size_t i = 0; i < node.inputs.size(); ++i) {
            if (node.inputs[i].empty())
                continue;
            ptrs[i] = scope.find(node.inputs[i]);
            if (!ptrs[i])
                return fail("node " + node.label() + ": input '" + node.inputs[i]
                            + "' has no value (it was neither fed nor computed).");
        }
        KernelContext ctx;
        ctx.inputs = ptrs;
        ctx.outputs.resize(node.outputs.size());
        std::optional<ScopedRunner> runner;
        if (hasSubgraph(node)) {
            runner.emplace(cg, scope);
            ctx.subgraphs = &*runner;
        }
        // A fused producer + consumers writes the last consumer's output in one kernel.
        Kernel *kernel = cg.kernels[order[k]].get();
        const Node *outNode = &node;
        if (!position.empty())
            if (auto f = cg.fused.find(order[k]); f != cg.fused.end()) {
                const FusedPair &fp = f->second;
                const Tensor *input0 = ptrs.empty() ? nullptr : ptrs[0];
                // Every consumer runs later in this order; every intermediate is invisible.
                bool ok = true;
                const Node *prev = &node;
                for (std::size_t c : fp.consumers) {
                    ok = ok && position[c] > static_cast<std::ptrdiff_t>(k)
                         && fusionAllowed(scope, prev->outputs[0], keepAlive, input0,
                                          fp.inputTypes);
                    prev = &g.nodes[c];
                }
                // The consumers' other inputs must already exist (initializers, earlier values).
                std::vector<const Tensor *> fusedPtrs;
                if (ok && (!fp.extraInputs.empty() || fp.producerInputs > ptrs.size())) {
                    fusedPtrs = ptrs;
                    if (fusedPtrs.size() < fp.producerInputs)
                        fusedPtrs.resize(fp.producerInputs, nullptr);
                    for (const std::string &name : fp.extraInputs) {
                        const Tensor *t = name.empty() ? nullptr : scope.find(name);
                        ok = ok && (t || name.empty());
                        fusedPtrs.push_back(t);
                    }
                }
                if (ok) {
                    kernel = fp.kernel.get();
                    outNode = prev;
                    for (std::size_t c : fp.consumers)
                        skip[static_cast<std::size_t>(position[c])] = 1;
                    if (!fusedPtrs.empty()) {
                        ptrs = std::move(fusedPtrs);
                        ctx.inputs = ptrs;
                    }
                }
            }
        Result<void> r;
        const auto started = std::chrono::steady_clock::now();
        try {
            r = kernel->run(ctx);
        } catch (const std::bad_alloc &) {
            // Allocation failure is an error value at the core's boundary, never a crash.
            return fail("node " + node.label() + ": out of memory while computing its outputs.",
                        Error::Code::Internal);
        } catch (const std::exception &e) {
            return fail("node " + node.label() + ": internal error: " + e.what(),
                        Error::Code::Internal);
        }
        if (scope.options && scope.options->profile) {
            auto &slot = (*scope.options->profile)[node.opType];
            slot.first += std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
            ++slot.second;
        }
        if (!r)
            return fail("node " + node.label() + ": " + r.error().message, r.error().code);
        for (std::size_t j = 0; j < node.outputs.size(); ++j) {
            const std::string &name = outNode->outputs[j];
            if (name.empty() || ctx.outputs[j].empty())
                continue;
            Tensor &t = ctx.outputs[j];
            if (scope.options && scope.options->observer)
                if (auto sub = scope.options->observer->observe(name, t))
                    t = std::move(*sub);
            scope.values[name] = std::move(t);
        }
        release(k);
    }
    return {};
}

/// Outputs of `g` (and of the graphs nested in it) that nothing inside `g` defines: a branch
/// may return an outer-scope value with no node in between.
void passThroughOutputs(const Graph &g, std::vector<std::string> &out)
{
    std::unordered_set<std::string> defined;
    for (const auto &in : g.inputs)
        defined.insert(in.name);
    for (const auto &[name, t] : g.initializers)
        defined.insert(name);
    for (const Node &n : g.nodes)
        for (const auto &o : n.outputs)
            defined.insert(o);
    for (const auto &o : g.outputs)
        if (!o.name.empty() && !defined.count(o.name))
            out.push_back(o.name);
    for (const Node &n : g.nodes)
        for (const Attribute &a : n.attributes) {
            if (a.g)
                passThroughOutputs(*a.g, out);
            for (const auto &sg : a.graphs)
                passThroughOutputs(*sg, out);
        }
}

/// Free names a node reads through its subgraphs (outer-scope values): the inputs of the nodes
/// inside, and outputs that name an outer value directly. A superset is harmless (a name
/// defined inside only keeps an outer value of the same name alive a little longer).
void subgraphReads(const Node &n, std::vector<std::string> &out)
{
    for (const Attribute &a : n.attributes) {
        std::vector<const Graph *> subs;
        if (a.g)
            subs.push_back(a.g.get());
        for (const auto &sg : a.graphs)
            subs.push_back(sg.get());
        for (const Graph *sg : subs) {
            forEachNode(*sg, [&](const Node &inner, int) {
                for (const auto &i : inner.inputs)
                    if (!i.empty())
                        out.push_back(i);
            });
            passThroughOutputs(*sg, out);
        }
    }
}

} // namespace

class SessionImpl
{
public:
    std::shared_ptr<const Model> model;
    std::unique_ptr<CompiledGraph> compiled;
    std::vector<std::vector<std::string>> nodeReads; // inputs + subgraph reads, per node
};

std::vector<std::string> unsupportedOps(const Model &model)
{
    std::set<std::string> missing;
    collectUnsupported(model.graph, model, missing);
    return {missing.begin(), missing.end()};
}

Result<Session> Session::create(std::shared_ptr<const Model> model, SessionOptions options)
{
    if (!model)
        return fail("no model.", Error::Code::Internal);
    setEngineThreads(options.threads);
    if (auto missing = unsupportedOps(*model); !missing.empty()) {
        std::string msg = "'" + model->path.string() + "' uses " + std::to_string(missing.size())
                          + (missing.size() == 1 ? " op" : " ops")
                          + " this engine does not support: ";
        for (std::size_t i = 0; i < missing.size(); ++i)
            msg += (i ? ", " : "") + missing[i];
        return fail(msg + ".", Error::Code::Unsupported);
    }
    auto impl = std::make_unique<SessionImpl>();
    impl->model = model;
    auto c = compile(model->graph, *model);
    if (!c)
        return std::unexpected(c.error());
    impl->compiled = std::move(*c);
    for (const Node &n : model->graph.nodes) {
        std::vector<std::string> reads;
        for (const auto &i : n.inputs)
            if (!i.empty())
                reads.push_back(i);
        subgraphReads(n, reads);
        impl->nodeReads.push_back(std::move(reads));
    }
    return Session(std::move(impl));
}

Session::Session(std::unique_ptr<SessionImpl> impl) : m_impl(std::move(impl)) {}
Session::Session(Session &&) noexcept = default;
Session &Session::operator=(Session &&) noexcept = default;
Session::~Session() = default;

const Model &Session::model() const
{
    return *m_impl->model;
}

std::vector<std::string> Session::inputNames() const
{
    std::vector<std::string> out;
    for (const ValueInfo *v : m_impl->model->graph.dataInputs())
        out.push_back(v->name);
    return out;
}

std::vector<std::string> Session::outputNames() const
{
    std::vector<std::string> out;
    for (const ValueInfo &v : m_impl->model->graph.outputs)
        out.push_back(v.name);
    return out;
}

namespace {

std::string declaredShape(const ValueInfo &v)
{
    if (!v.hasShape)
        return "any shape";
    std::ostringstream os;
    os << '[';
    for (std::size_t i = 0; i < v.shape.size(); ++i) {
        os << (i ? ", " : "");
        if (v.shape[i].isFixed())
            os << v.shape[i].value;
        else
            os << (v.shape[i].param.empty() ? "?" : v.shape[i].param);
    }
    os << ']';
    return os.str();
}

Result<void> checkInput(const ValueInfo &decl, const Tensor &t)
{
    const bool dtypeOk = decl.dtype == DataType::Undefined || decl.dtype == t.dtype();
    bool shapeOk = true;
    if (decl.hasShape) {
        if (static_cast<std::size_t>(t.rank()) != decl.shape.size())
            shapeOk = false;
        else
            for (std::size_t i = 0; i < decl.shape.size(); ++i)
                if (decl.shape[i].isFixed() && decl.shape[i].value != t.dims()[i])
                    shapeOk = false;
    }
    if (dtypeOk && shapeOk)
        return {};
    return fail("input '" + decl.name + "' is " + std::string(dtypeName(t.dtype())) + " "
                + dimsToString(t.dims()) + ", but the model expects "
                + std::string(dtypeName(decl.dtype)) + " " + declaredShape(decl) + ".");
}

} // namespace

Result<std::vector<Tensor>> Session::run(std::span<const Tensor> inputs, const RunOptions &options)
{
    const Graph &g = m_impl->model->graph;
    const auto decls = g.dataInputs();
    if (inputs.size() != decls.size())
        return fail("the model takes " + std::to_string(decls.size()) + " inputs but "
                    + std::to_string(inputs.size()) + " were given.");
    std::unordered_map<std::string, Tensor> feeds;
    for (std::size_t i = 0; i < decls.size(); ++i) {
        if (auto r = checkInput(*decls[i], inputs[i]); !r)
            return std::unexpected(r.error());
        feeds[decls[i]->name] = inputs[i];
    }
    const auto names = outputNames();
    auto r = runPartial(feeds, names, options);
    if (!r)
        return std::unexpected(r.error());
    std::vector<Tensor> outs;
    for (const auto &n : names)
        outs.push_back(std::move((*r)[n]));
    return outs;
}

std::vector<std::size_t> Session::plannedNodes(std::span<const std::string> feedNames,
                                               std::span<const std::string> wanted) const
{
    const Graph &g = m_impl->model->graph;
    std::unordered_set<std::string> fed(feedNames.begin(), feedNames.end());
    std::unordered_set<std::string> needed;
    for (const auto &w : wanted)
        if (!fed.contains(w))
            needed.insert(w);
    std::vector<std::size_t> order;
    for (std::size_t i = g.nodes.size(); i-- > 0;) {
        const Node &n = g.nodes[i];
        bool need = false;
        for (const auto &o : n.outputs)
            if (!o.empty() && needed.contains(o) && !fed.contains(o))
                need = true;
        if (!need)
            continue;
        order.push_back(i);
        for (const auto &in : m_impl->nodeReads[i])
            if (!fed.contains(in))
                needed.insert(in);
    }
    std::reverse(order.begin(), order.end());
    return order;
}

namespace {

/// Denormal floats make every multiply-add that touches them ~100x slower (measured: masked
/// Softmax outputs made a transformer's attention MatMuls 80x slower). Flush them to zero on the
/// calling thread and on its OpenMP team, once per thread; results differ from IEEE only below
/// 1.2e-38, far below any quantization step.
void flushDenormalsOnEngineThreads()
{
#if defined(__SSE__)
    thread_local bool done = false;
    if (done)
        return;
#pragma omp parallel
    _mm_setcsr(_mm_getcsr() | 0x8040); // FTZ | DAZ
    _mm_setcsr(_mm_getcsr() | 0x8040);
    done = true;
#endif
}

} // namespace

Result<std::unordered_map<std::string, Tensor>> Session::runPartial(
    const std::unordered_map<std::string, Tensor> &feeds, std::span<const std::string> wanted,
    const RunOptions &options)
{
    flushDenormalsOnEngineThreads();
    const Graph &g = m_impl->model->graph;
    Scope scope;
    scope.graph = &g;
    scope.options = &options;
    std::vector<std::string> feedNames;
    for (const auto &[name, t] : feeds) {
        feedNames.push_back(name);
        Tensor v = t;
        if (options.observer)
            if (auto sub = options.observer->observe(name, v))
                v = std::move(*sub);
        scope.values[name] = std::move(v);
    }
    const auto order = plannedNodes(feedNames, wanted);
    std::unordered_set<std::string> keep(wanted.begin(), wanted.end());
    keep.insert(options.keep.begin(), options.keep.end());
    if (auto r = execute(*m_impl->compiled, scope, order, keep); !r)
        return std::unexpected(r.error());
    std::unordered_map<std::string, Tensor> out;
    for (const auto &name : keep) {
        const Tensor *t = scope.find(name);
        if (!t) {
            if (std::find(wanted.begin(), wanted.end(), name) == wanted.end())
                continue; // a keep name that this partial run did not compute
            return fail("tensor '" + name + "' could not be computed from the given inputs.");
        }
        out[name] = *t;
    }
    return out;
}

} // namespace nnc
