// The executor: a model compiled into ordered kernels, run on named tensors. Supports partial
// runs (feed any intermediate tensors, ask for any tensors) so the evaluator can recompute only
// what is downstream of a change, and observers that see or replace every produced tensor.
#pragma once

#include "core/model/graph.h"
#include "core/util/error.h"
#include "core/util/progress.h"

#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

namespace nnc {

struct SessionOptions
{
    int threads = 0;  ///< 0 = all cores
};

/// Sees every tensor a run produces or is fed (activations), in execution order, and may replace
/// it before any reader sees it (fake quantization). Called on the running thread.
class TensorObserver
{
public:
    virtual ~TensorObserver() = default;
    /// Return a tensor to use instead of `value` for all readers, or nullopt to keep it.
    virtual std::optional<Tensor> observe(const std::string &name, const Tensor &value) = 0;
};

struct RunOptions
{
    /// Replacements for initializers / Constant-node outputs (compressed weights), by name.
    const std::unordered_map<std::string, Tensor> *weights = nullptr;
    TensorObserver *observer = nullptr;
    /// Also return these intermediate tensors (e.g. to fill a cache), in addition to outputs.
    std::vector<std::string> keep;
    /// When set, wall time per op type (seconds) and calls are added here (subgraphs included).
    std::map<std::string, std::pair<double, int64_t>> *profile = nullptr;
};

class SessionImpl;

class Session
{
public:
    /// Builds a kernel for every node (subgraphs included). Fails with Code::Unsupported and one
    /// message listing every unsupported op (domain and opset) when any node has no kernel.
    static Result<Session> create(std::shared_ptr<const Model> model, SessionOptions options = {});
    Session(Session &&) noexcept;
    Session &operator=(Session &&) noexcept;
    ~Session();

    const Model &model() const;
    /// Non-initializer graph inputs, in declaration order.
    std::vector<std::string> inputNames() const;
    std::vector<std::string> outputNames() const;

    /// Runs the whole model: `inputs` in inputNames() order; returns outputs in outputNames()
    /// order. Checks each input's dtype and shape against the declaration, naming both.
    Result<std::vector<Tensor>> run(std::span<const Tensor> inputs, const RunOptions &options = {});

    /// Partial run: `feeds` may hold graph inputs and any intermediate tensors; only the nodes
    /// needed to produce `wanted` from them run. Returns the wanted tensors (and options.keep).
    Result<std::unordered_map<std::string, Tensor>> runPartial(
        const std::unordered_map<std::string, Tensor> &feeds,
        std::span<const std::string> wanted, const RunOptions &options = {});

    /// Names of nodes that would run for a partial run with these feed names and wanted outputs.
    std::vector<std::size_t> plannedNodes(std::span<const std::string> feedNames,
                                          std::span<const std::string> wanted) const;

private:
    explicit Session(std::unique_ptr<SessionImpl> impl);
    std::unique_ptr<SessionImpl> m_impl;
};

/// Every op of the model (subgraphs included) that has no kernel, as "Op (domain, opset N)".
std::vector<std::string> unsupportedOps(const Model &model);

/// Sets the engine's thread count (OpenMP and Eigen); 0 = all cores.
void setEngineThreads(int threads);

} // namespace nnc
