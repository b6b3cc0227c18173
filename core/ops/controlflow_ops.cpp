// Control flow: If and Loop run their subgraphs through the executor's SubgraphRunner.
#include "core/ops/op_table.h"

#include "core/ops/op_util.h"

#include <cstring>

namespace nnc {

namespace {

Result<bool> readCondition(const Tensor *t, const char *what)
{
    if (!t || t->numel() != 1)
        return fail(std::string(what) + " must be a single boolean value.");
    return t->valueAsDouble(0) != 0.0;
}

Result<std::unique_ptr<Kernel>> makeIf(const KernelBuildInfo &info)
{
    const Attribute *thenA = info.node.attr("then_branch");
    const Attribute *elseA = info.node.attr("else_branch");
    if (!thenA || !thenA->g || !elseA || !elseA->g)
        return fail("If needs both then_branch and else_branch graphs.");
    const Graph *thenG = thenA->g.get();
    const Graph *elseG = elseA->g.get();
    return makeKernel([thenG, elseG](KernelContext &ctx) -> Result<void> {
        auto cond = readCondition(ctx.input(0), "the If condition");
        if (!cond)
            return std::unexpected(cond.error());
        auto outs = ctx.subgraphs->run(*cond ? *thenG : *elseG, {});
        if (!outs)
            return std::unexpected(outs.error());
        if (outs->size() != ctx.outputs.size())
            return fail("the chosen If branch returns " + std::to_string(outs->size())
                        + " outputs, the node declares " + std::to_string(ctx.outputs.size()) + ".");
        for (std::size_t i = 0; i < outs->size(); ++i)
            ctx.outputs[i] = std::move((*outs)[i]);
        return {};
    });
}

/// Stacks per-iteration tensors of equal shape along a new leading axis.
Result<Tensor> stack(const std::vector<Tensor> &parts)
{
    if (parts.empty())
        return Tensor(DataType::Float, {0});
    Dims dims = parts.front().dims();
    dims.insert(dims.begin(), static_cast<int64_t>(parts.size()));
    Tensor out(parts.front().dtype(), dims);
    std::byte *dst = out.mutableBytes().data();
    const std::size_t each = parts.front().byteSize();
    for (const Tensor &p : parts) {
        if (p.dims() != parts.front().dims() || p.dtype() != parts.front().dtype())
            return fail("Loop scan output changes shape between iterations ("
                        + dimsToString(parts.front().dims()) + " then " + dimsToString(p.dims())
                        + ").");
        std::memcpy(dst, p.bytes().data(), each);
        dst += each;
    }
    return out;
}

Result<std::unique_ptr<Kernel>> makeLoop(const KernelBuildInfo &info)
{
    const Attribute *body = info.node.attr("body");
    if (!body || !body->g)
        return fail("Loop needs a body graph.");
    const Graph *g = body->g.get();
    return makeKernel([g](KernelContext &ctx) -> Result<void> {
        const Tensor *maxTripT = ctx.input(0);
        const Tensor *condT = ctx.input(1);
        int64_t maxTrip = INT64_MAX;
        if (maxTripT) {
            if (maxTripT->numel() != 1)
                return fail("the Loop trip count M must be a scalar.");
            maxTrip = static_cast<int64_t>(maxTripT->valueAsDouble(0));
        }
        bool cond = true;
        if (condT) {
            auto c = readCondition(condT, "the Loop condition");
            if (!c)
                return std::unexpected(c.error());
            cond = *c;
        }
        const std::size_t nCarried = ctx.inputs.size() > 2 ? ctx.inputs.size() - 2 : 0;
        std::vector<Tensor> carried;
        for (std::size_t i = 0; i < nCarried; ++i) {
            if (!ctx.input(i + 2))
                return fail("Loop-carried input " + std::to_string(i) + " is missing.");
            carried.push_back(*ctx.input(i + 2));
        }
        const std::size_t nScan = ctx.outputs.size() - nCarried;
        std::vector<std::vector<Tensor>> scans(nScan);
        constexpr int64_t kMaxIterations = int64_t{1} << 31;
        for (int64_t it = 0; it < maxTrip && cond; ++it) {
            if (it >= kMaxIterations)
                return fail("Loop ran more than 2^31 iterations without stopping.");
            std::vector<Tensor> in;
            in.push_back(Tensor::fromVector<int64_t>({}, {it}));
            in.push_back(Tensor::fromVector<bool>({}, {cond}));
            in.insert(in.end(), carried.begin(), carried.end());
            auto outs = ctx.subgraphs->run(*g, in);
            if (!outs)
                return std::unexpected(outs.error());
            if (outs->size() != 1 + nCarried + nScan)
                return fail("the Loop body returns " + std::to_string(outs->size())
                            + " outputs, expected " + std::to_string(1 + nCarried + nScan) + ".");
            auto c = readCondition(&(*outs)[0], "the Loop body's condition output");
            if (!c)
                return std::unexpected(c.error());
            cond = *c;
            for (std::size_t i = 0; i < nCarried; ++i)
                carried[i] = (*outs)[1 + i];
            for (std::size_t i = 0; i < nScan; ++i)
                scans[i].push_back((*outs)[1 + nCarried + i]);
        }
        for (std::size_t i = 0; i < nCarried; ++i)
            ctx.outputs[i] = carried[i];
        for (std::size_t i = 0; i < nScan; ++i) {
            auto s = stack(scans[i]);
            if (!s)
                return std::unexpected(s.error());
            ctx.outputs[nCarried + i] = std::move(*s);
        }
        return {};
    });
}

} // namespace

std::span<const OpEntry> controlFlowOps()
{
    static const OpEntry entries[] = {
        {"", "If", 1, kMaxOpset, &makeIf},
        {"", "Loop", 1, kMaxOpset, &makeLoop},
    };
    return entries;
}

} // namespace nnc
