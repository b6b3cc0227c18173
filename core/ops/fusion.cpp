// Which producer + consumer pairs the ops fuse, and with which kernel (see fusion.h).
#include "core/ops/fusion.h"

#include "core/ops/nn_internal.h"
#include "core/ops/quant_internal.h"

namespace nnc {

namespace {

bool plainDomain(const Node &n)
{
    return n.domain.empty() || n.domain == "ai.onnx";
}

/// Cast's target is float (attribute "to" = 1; the opset 1-5 string form is left alone).
bool castsToFloat(const Node &n)
{
    const Attribute *to = n.attr("to");
    return to && to->kind == Attribute::Kind::Int && to->i == 1;
}

} // namespace

FusedKernel makeFusedKernel(const KernelBuildInfo &producer,
                            std::span<const KernelBuildInfo> consumers)
{
    const Node &p = producer.node;
    FusedKernel out;
    if (consumers.empty() || consumers.size() > 2 || !plainDomain(p) || p.outputs.empty())
        return out;
    const Node &c = consumers[0].node;
    if (!plainDomain(c) || c.inputs.empty() || c.inputs[0] != p.outputs[0] || c.outputs.empty())
        return out;
    Result<std::unique_ptr<Kernel>> k = nullptr;
    const nn::Activation relu{nn::Activation::Kind::ReluNaN};
    if (c.opType == "BatchNormalization" && p.opType == "Conv") {
        // Conv + BatchNormalization [+ Relu]: inference mode with one output only.
        const bool training = consumers[0].opset >= 14 && c.attrInt("training_mode", 0) != 0;
        if (training || c.outputs.size() != 1 || c.inputs.size() != 5)
            return out;
        nn::Activation act;
        if (consumers.size() == 2) {
            const Node &r = consumers[1].node;
            if (!plainDomain(r) || r.opType != "Relu" || r.inputs.size() != 1
                || r.inputs[0] != c.outputs[0])
                return out;
            act = relu;
        }
        k = nn::makeConvBatchNorm(producer, consumers[0], act);
        out.inputTypes = {DataType::Float, DataType::Double};
        out.producerInputs = 3;
        out.extraInputs.assign(c.inputs.begin() + 1, c.inputs.end());
    } else if (consumers.size() == 1 && c.inputs.size() == 1) {
        if (c.opType == "Relu") {
            if (p.opType == "Conv")
                k = nn::makeConvWithActivation(producer, relu);
            else if (p.opType == "Gemm")
                k = nn::makeGemmWithActivation(producer, relu);
            else if (p.opType == "BatchNormalization")
                k = nn::makeBatchNormWithActivation(producer, relu);
            out.inputTypes = {DataType::Float, DataType::Double};
        } else if (c.opType == "Cast" && castsToFloat(c) && p.opType == "MatMulInteger") {
            k = quant::makeMatMulIntegerToFloat(producer);
            out.inputTypes = {DataType::UInt8, DataType::Int8};
        }
    }
    if (k && *k)
        out.kernel = std::move(*k);
    return out;
}

} // namespace nnc
