// Weight compression shared by the evaluator and the exporters (see the header).
#include "core/eval/weight_compression.h"

#include "core/calib/calibrator.h"

#include <algorithm>
#include <cmath>

namespace nnc {

int weightReductionAxis(const Layer &l, const Model &m)
{
    const int rank = static_cast<int>(l.shape.size());
    const Node &n = m.graph.nodes[l.nodeIndex];
    if (l.op == "Conv" || l.op == "ConvInteger" || l.op == "Gather")
        return std::min(1, rank - 1);
    if (l.op == "ConvTranspose")
        return 0;
    if (l.op == "Gemm")
        return n.attrInt("transB", 0) ? 1 : 0;
    if (l.op == "LSTM" || l.op == "GRU" || l.op == "RNN")
        return rank - 1;
    // MatMul: weight as B [.., K, N] reduces over K; as A [.., M, K] over K (the last axis)
    return l.channelAxis == rank - 1 ? std::max(0, rank - 2) : rank - 1;
}

std::vector<QuantParams> weightQuantParams(const Tensor &w, const QuantConfig &q, int axis)
{
    const bool perChannel = q.granularity == Granularity::PerChannel && w.rank() > 0 && !q.range;
    const int64_t channels = perChannel ? w.dim(axis) : 1;
    int64_t inner = 1;
    for (int64_t d = axis + 1; d < w.rank(); ++d)
        inner *= w.dim(d);
    const float *p = w.data<float>();
    std::vector<QuantParams> out;
    if (q.range) {
        out.push_back(chooseParams(q.spec, q.range->rmin, q.range->rmax));
        return out;
    }
    if (q.calibration.method == CalibMethod::MinMax ||
        q.calibration.method == CalibMethod::Manual) {
        std::vector<float> lo(static_cast<std::size_t>(channels), 0.0f), hi(lo);
        std::vector<bool> seen(lo.size(), false);
        for (int64_t i = 0; i < w.numel(); ++i) {
            const auto c = static_cast<std::size_t>(perChannel ? (i / inner) % channels : 0);
            const float v = p[i];
            if (!std::isfinite(v))
                continue;
            if (!seen[c]) {
                lo[c] = hi[c] = v;
                seen[c] = true;
            }
            lo[c] = std::min(lo[c], v);
            hi[c] = std::max(hi[c], v);
        }
        for (std::size_t c = 0; c < lo.size(); ++c)
            out.push_back(chooseParams(q.spec, lo[c], hi[c]));
        return out;
    }
    // Histogram-based methods: gather each channel's values.
    std::vector<std::vector<float>> vals(static_cast<std::size_t>(channels));
    for (int64_t i = 0; i < w.numel(); ++i)
        vals[static_cast<std::size_t>(perChannel ? (i / inner) % channels : 0)].push_back(p[i]);
    for (const auto &v : vals) {
        StreamingHistogram h;
        h.add(v);
        const Range r = calibrate(h, q.calibration, q.spec);
        out.push_back(chooseParams(q.spec, r.rmin, r.rmax));
    }
    return out;
}

Result<CompressedWeight> compressLayerWeight(const Model &model, const Layer &l,
                                             const QuantConfig &q, const PruneConfig &p)
{
    auto w = layerWeight(model, l);
    if (!w)
        return std::unexpected(w.error());
    CompressedWeight out;
    out.original = *w;
    out.pruned = *w;
    if (p.enabled()) {
        auto pr = pruneWeight(out.pruned, p.spec, l.channelAxis, weightReductionAxis(l, model));
        if (!pr)
            return fail("layer '" + l.name + "': " + pr.error().message);
        out.pruned = std::move(*pr);
    }
    out.weight = out.pruned;
    if (q.enabled) {
        out.params = weightQuantParams(out.pruned, q, l.channelAxis);
        out.axis = out.params.size() > 1 ? l.channelAxis : -1;
        auto fq =
            fakeQuantizeTensor(out.pruned, out.params, out.params.size() > 1 ? l.channelAxis : 0);
        if (!fq)
            return fail("layer '" + l.name + "': " + fq.error().message);
        out.weight = std::move(*fq);
    }
    return out;
}

} // namespace nnc
