// Joins the op families' entries into one table and looks kernels up in it.
#include "core/ops/op_table.h"

#include <vector>

namespace nnc {

namespace {

const std::vector<OpEntry> &table()
{
    static const std::vector<OpEntry> entries = [] {
        std::vector<OpEntry> all;
        for (auto family : {elementwiseOps(), reductionOps(), shapeOps(), nnOps(), quantOps(),
                            rnnOps(), controlFlowOps()})
            all.insert(all.end(), family.begin(), family.end());
        return all;
    }();
    return entries;
}

} // namespace

const OpEntry *findKernel(std::string_view domain, std::string_view opType, int64_t opset)
{
    if (domain == "ai.onnx")
        domain = "";
    for (const OpEntry &e : table())
        if (e.opType == opType && e.domain == domain && opset >= e.sinceVersion
            && opset <= e.untilVersion)
            return &e;
    return nullptr;
}

std::span<const OpEntry> allKernels()
{
    return table();
}

} // namespace nnc
