// Checking an export against the preview before it is written: the first samples of a dataset
// run through the evaluator's preview of the plan and through the exported model in the engine;
// every output value must be bit-identical.
#pragma once

#include "core/data/dataset.h"
#include "core/plan/plan.h"
#include "core/util/error.h"
#include "core/util/progress.h"

#include <memory>
#include <string>

namespace nnc {

struct ExportCheck
{
    int64_t samples = 0;         ///< samples compared
    int64_t values = 0;          ///< output values compared
    int64_t differing = 0;       ///< of which differ in any bit
    std::string firstDifference; ///< "output 'logits', sample 3, value 7: 0.25 vs 0.2500001"
};

/// Runs samples [0, samples) of the data, one at a time, through the preview of `previewPlan` on
/// `model` (the Evaluator, its own dataset `previewData`) and through `exported` in a Session
/// (`exportData`, the same data opened again). `samples` is capped at the data's size. Errors:
/// either model failing to run, output counts or shapes that differ.
Result<ExportCheck>
checkExport(std::shared_ptr<const Model> model, std::shared_ptr<const Model> exported,
            const CompressionPlan &previewPlan, std::unique_ptr<Dataset> previewData,
            std::unique_ptr<Dataset> exportData, int64_t samples, const Progress &progress = {});

} // namespace nnc
