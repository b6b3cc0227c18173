// WeightReadout: exact readouts through the engine's weight compression.
#include "widgets/weight_readout.h"

#include "core/eval/weight_compression.h"

#include <algorithm>
#include <cmath>

namespace nnc {

WeightReadout computeWeightReadout(const Tensor &original, const Tensor &pruned, int axis,
                                   const QuantConfig &q)
{
    WeightReadout r;
    if (original.dtype() != DataType::Float || pruned.dtype() != DataType::Float ||
        original.numel() == 0 || original.numel() != pruned.numel())
        return r;
    r.valid = true;
    r.quantized = q.enabled;
    const std::span<const float> ref = original.span<float>();
    const std::span<const float> src = pruned.span<float>();
    const int rank = static_cast<int>(pruned.rank());
    const int a = rank > 0 ? std::clamp(axis, 0, rank - 1) : 0;

    std::vector<float> out(src.size());
    if (q.enabled) {
        r.params = weightQuantParams(pruned, q, a);
        if (r.params.size() == 1) {
            fakeQuantize(src, out, r.params.front());
        } else {
            auto fq = fakeQuantizeTensor(pruned, r.params, a);
            if (!fq) {
                r.valid = false;
                return r;
            }
            std::copy_n(fq->data<float>(), out.size(), out.data());
        }
        // Channels whose values are all zero get the quantizer's fallback range (S = 1, about
        // +-127 at 8 bits): left in, one padding row of an embedding would stretch the envelope
        // (and the histogram's axis and lines) far beyond every real weight.
        const std::size_t nParams = r.params.size();
        r.zeroChannel.assign(nParams, 1);
        {
            int64_t inner = 1;
            for (int d = a + 1; d < rank; ++d)
                inner *= pruned.dim(d);
            // Contiguous blocks of `inner` values belong to one channel, cycling through them.
            const auto isNonzero = [](float v) { return v != 0.0f; };
            for (std::size_t start = 0, block = 0; start < src.size(); start += std::size_t(inner), ++block) {
                const std::size_t c = nParams == 1 ? 0 : block % nParams;
                if (r.zeroChannel[c] &&
                    std::any_of(src.begin() + std::ptrdiff_t(start),
                                src.begin() + std::ptrdiff_t(std::min(src.size(), start + std::size_t(inner))),
                                isNonzero))
                    r.zeroChannel[c] = 0;
            }
        }
        const bool anyNonzero = std::find(r.zeroChannel.begin(), r.zeroChannel.end(), uint8_t(0)) !=
                                r.zeroChannel.end();
        // The real range each (scale, zero point) covers: S * (qmin - Z) .. S * (qmax - Z).
        r.rmin = std::numeric_limits<float>::max();
        r.rmax = std::numeric_limits<float>::lowest();
        for (std::size_t c = 0; c < nParams; ++c) {
            if (anyNonzero && r.zeroChannel[c])
                continue;
            const QuantParams &p = r.params[c];
            r.rmin = std::min(r.rmin, dequantizeValue(p.qmin, p));
            r.rmax = std::max(r.rmax, dequantizeValue(p.qmax, p));
        }
    } else {
        std::copy(src.begin(), src.end(), out.begin());
        r.rmin = 1.0f;  // no range: compareTensors counts nothing as clipped
        r.rmax = -1.0f;
    }
    const ErrorStats e = compareTensors(ref, out, r.rmin, r.rmax);
    r.sqnrDb = e.sqnrDb;
    r.mse = e.mse;

    int64_t zeros = 0;
    for (float v : out)
        zeros += v == 0.0f;
    r.sparsity = static_cast<double>(zeros) / static_cast<double>(out.size());

    if (q.enabled) {
        // Clipped: pruned weights (the values the quantizer sees) outside their channel's range.
        const QuantParams &p0 = r.params.front();
        r.levelsTotal = int64_t(p0.qmax) - p0.qmin + 1;
        std::vector<uint8_t> used(static_cast<std::size_t>(r.levelsTotal), 0);
        int64_t inner = 1;
        for (int d = a + 1; d < rank; ++d)
            inner *= pruned.dim(d);
        const int64_t channels = static_cast<int64_t>(r.params.size());
        int64_t clipped = 0;
        for (std::size_t i = 0; i < out.size(); ++i) {
            const QuantParams &p =
                channels == 1 ? p0 : r.params[static_cast<std::size_t>((int64_t(i) / inner) % channels)];
            const float lo = dequantizeValue(p.qmin, p), hi = dequantizeValue(p.qmax, p);
            clipped += src[i] < lo || src[i] > hi;
            const long code = std::lrint(out[i] / p.scale) + p.zeroPoint;
            used[static_cast<std::size_t>(std::clamp<long>(code, p.qmin, p.qmax) - p.qmin)] = 1;
        }
        r.clippedShare = static_cast<double>(clipped) / static_cast<double>(out.size());
        r.levelsUsed = std::count(used.begin(), used.end(), uint8_t(1));
    }
    return r;
}

float pruneThreshold(const Tensor &original, const Tensor &pruned)
{
    if (original.dtype() != DataType::Float || pruned.dtype() != DataType::Float ||
        original.numel() != pruned.numel())
        return 0.0f;
    const std::span<const float> a = original.span<float>();
    const std::span<const float> b = pruned.span<float>();
    float t = 0.0f;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (b[i] == 0.0f && a[i] != 0.0f && std::isfinite(a[i]))
            t = std::max(t, std::fabs(a[i]));
    return t;
}

} // namespace nnc
