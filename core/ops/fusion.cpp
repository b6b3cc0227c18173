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

FusedKernel makeFusedKernel(const KernelBuildInfo &producer, const KernelBuildInfo &consumer)
{
    const Node &p = producer.node, &c = consumer.node;
    FusedKernel out;
    if (!plainDomain(p) || !plainDomain(c) || c.inputs.size() != 1 || p.outputs.empty()
        || c.inputs[0] != p.outputs[0])
        return out;
    Result<std::unique_ptr<Kernel>> k = nullptr;
    if (c.opType == "Relu") {
        const nn::Activation relu{nn::Activation::Kind::ReluNaN};
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
    if (k && *k)
        out.kernel = std::move(*k);
    return out;
}

} // namespace nnc
