// Export check against the preview (see the header).
#include "core/export/export_check.h"

#include "core/eval/evaluator.h"
#include "core/runtime/session.h"

#include <cstdio>
#include <cstring>

namespace nnc {

Result<ExportCheck>
checkExport(std::shared_ptr<const Model> model, std::shared_ptr<const Model> exported,
            const CompressionPlan &previewPlan, std::unique_ptr<Dataset> previewData,
            std::unique_ptr<Dataset> exportData, int64_t samples, const Progress &progress)
{
    if (!model || !exported || !previewData || !exportData)
        return fail("an export check needs both models and the data.", Error::Code::Internal);
    ExportCheck res;
    res.samples = std::min(samples, exportData->size());
    if (res.samples <= 0)
        return res;
    EvalOptions opt;
    opt.batchSize = 1; // the preview and the export see the same batches: one sample each
    opt.limit = res.samples;
    opt.collectOutputs = true;
    auto ev = Evaluator::create(model, std::move(previewData), opt);
    if (!ev)
        return std::unexpected(ev.error());
    auto preview = (*ev)->evaluate(&previewPlan, progress);
    if (!preview)
        return std::unexpected(preview.error());
    auto session = Session::create(exported);
    if (!session)
        return fail("the exported model does not load in the engine: " + session.error().message,
                    Error::Code::Internal);
    const auto names = session->outputNames();
    if (names.size() != preview->outputs.size())
        return fail("the exported model has " + std::to_string(names.size()) +
                        " outputs, the preview " + std::to_string(preview->outputs.size()) + ".",
                    Error::Code::Internal);
    std::vector<std::size_t> offset(names.size(), 0);
    for (int64_t s = 0; s < res.samples; ++s) {
        if (progress.cancelled())
            return fail("the export check was cancelled.", Error::Code::Cancelled);
        auto batch = exportData->batch(s, 1);
        if (!batch)
            return std::unexpected(batch.error());
        auto out = session->run(batch->inputs);
        if (!out)
            return fail("the exported model failed on sample " + std::to_string(s) + ": " +
                            out.error().message,
                        Error::Code::Internal);
        for (std::size_t h = 0; h < names.size(); ++h) {
            const Tensor &got = (*out)[h];
            const Tensor &ref = preview->outputs[h];
            if (got.dtype() != ref.dtype() || got.dtype() == DataType::String ||
                offset[h] + got.byteSize() > ref.byteSize())
                return fail("output '" + names[h] +
                                "' of the exported model has another type or size "
                                "than the preview's (sample " +
                                std::to_string(s) + ").",
                            Error::Code::Internal);
            const std::size_t esize = dtypeSize(got.dtype());
            const std::byte *a = got.bytes().data();
            const std::byte *b = ref.bytes().data() + offset[h];
            for (int64_t i = 0; i < got.numel(); ++i) {
                ++res.values;
                if (std::memcmp(a + i * esize, b + i * esize, esize) == 0)
                    continue;
                if (res.differing++ == 0) {
                    const Tensor flat = ref.reshaped({ref.numel()});
                    const int64_t at = static_cast<int64_t>(offset[h] / esize) + i;
                    char buf[96];
                    std::snprintf(buf, sizeof buf, "%.9g vs the preview's %.9g",
                                  got.valueAsDouble(i), flat.valueAsDouble(at));
                    res.firstDifference = "output '" + names[h] + "', sample " + std::to_string(s) +
                                          ", value " + std::to_string(i) + ": " + buf;
                }
            }
            offset[h] += got.byteSize();
        }
        progress.report(s + 1, res.samples);
    }
    return res;
}

} // namespace nnc
