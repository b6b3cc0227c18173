// The kernel interface. Kernels are keyed by (domain, op type, opset range) in one table
// (core/ops/op_table.cpp); attributes are parsed once when the kernel is built, not per run.
#pragma once

#include "core/model/graph.h"
#include "core/util/error.h"

#include <memory>
#include <span>
#include <string_view>
#include <vector>

namespace nnc {

/// Runs a subgraph (If/Loop bodies) with the outer scope of the running node visible.
class SubgraphRunner
{
public:
    virtual ~SubgraphRunner() = default;
    /// `inputs` feed the subgraph's declared inputs in order; returns its outputs in order.
    virtual Result<std::vector<Tensor>> run(const Graph &graph, std::span<const Tensor> inputs) = 0;
};

struct KernelContext
{
    /// One entry per node input; nullptr where an optional input is omitted ("").
    std::span<const Tensor *const> inputs;
    /// One entry per node output, filled by the kernel (leave an optional output empty).
    std::vector<Tensor> outputs;
    /// Set for nodes with subgraph attributes.
    SubgraphRunner *subgraphs = nullptr;

    const Tensor *input(std::size_t i) const { return i < inputs.size() ? inputs[i] : nullptr; }
};

class Kernel
{
public:
    virtual ~Kernel() = default;
    /// Computes outputs from inputs. Errors name the problem (shape mismatch, bad value);
    /// the executor adds the node's name.
    virtual Result<void> run(KernelContext &ctx) = 0;
};

/// What a kernel factory sees when the session is built.
struct KernelBuildInfo
{
    const Node &node;
    int64_t opset;             ///< the model's opset for the node's domain
};

using KernelFactory = Result<std::unique_ptr<Kernel>> (*)(const KernelBuildInfo &);

struct OpEntry
{
    std::string_view domain;   ///< "" for ai.onnx, "com.microsoft" ...
    std::string_view opType;
    int sinceVersion;          ///< first opset this kernel implements
    int untilVersion;          ///< last opset (inclusive); kMaxOpset when current
    KernelFactory create;
};

inline constexpr int kMaxOpset = 1000;

/// Helper for kernels whose whole behaviour is one function of the context.
template<class F>
class LambdaKernel final : public Kernel
{
public:
    explicit LambdaKernel(F f) : m_f(std::move(f)) {}
    Result<void> run(KernelContext &ctx) override { return m_f(ctx); }

private:
    F m_f;
};

template<class F>
std::unique_ptr<Kernel> makeKernel(F f)
{
    return std::make_unique<LambdaKernel<F>>(std::move(f));
}

} // namespace nnc
