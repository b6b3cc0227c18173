// Benchmark (not a test): throughput of the shape family's data-movement kernels on image-sized
// tensors, median of 11 runs, with a naive transpose loop for comparison. Prints one line per
// case: op, shape, parameters, median ms and GB/s (bytes read + written).
#include "tests/common/op_harness.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

using namespace nnc;
using nnc::test::intsAttr;
using nnc::test::stringAttr;

namespace {

double medianMs(const std::function<void()> &f)
{
    f(); // warm-up
    std::vector<double> ms;
    for (int i = 0; i < 11; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        f();
        ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    }
    std::sort(ms.begin(), ms.end());
    return ms[ms.size() / 2];
}

void report(const char *what, const Dims &dims, const char *params, double ms, double bytes)
{
    std::printf("%-22s %-20s %-28s %8.3f ms %7.2f GB/s\n", what, dimsToString(dims).c_str(),
                params, ms, bytes / ms / 1e6);
}

void benchNode(const char *label, const std::string &op, std::vector<Attribute> attrs,
               const std::vector<const Tensor *> &inputs, const char *params, int64_t opset = 19)
{
    const Node n = test::oneNode(op, std::move(attrs), inputs);
    auto kernel = findKernel("", op, opset)->create(KernelBuildInfo{n, opset});
    if (!kernel) {
        std::printf("%s: %s\n", label, kernel.error().message.c_str());
        return;
    }
    double outBytes = 0;
    const double ms = medianMs([&] {
        KernelContext ctx;
        ctx.inputs = inputs;
        ctx.outputs.resize(1);
        if (auto r = (*kernel)->run(ctx); !r)
            std::printf("%s failed: %s\n", label, r.error().message.c_str());
        outBytes = static_cast<double>(ctx.outputs[0].byteSize());
    });
    report(label, inputs[0]->dims(), params, ms, static_cast<double>(inputs[0]->byteSize()) + outBytes);
}

} // namespace

int main()
{
    const Dims nchw = {8, 64, 112, 112};
    Tensor x(DataType::Float, nchw);
    for (int64_t i = 0; i < x.numel(); ++i)
        x.mutableData<float>()[i] = static_cast<float>(i % 1000);

    // Allocating a fresh output and copying into it: the floor for any data-movement kernel.
    {
        const double ms = medianMs([&] {
            Tensor out(DataType::Float, nchw);
            std::copy(x.data<float>(), x.data<float>() + x.numel(), out.mutableData<float>());
        });
        report("alloc + memcpy", nchw, "baseline", ms, 2.0 * static_cast<double>(x.byteSize()));
    }
    // Naive index-by-index NCHW -> NHWC for reference.
    {
        Tensor out(DataType::Float, {8, 112, 112, 64});
        const float *s = x.data<float>();
        float *d = out.mutableData<float>();
        const int64_t N = 8, C = 64, HW = 112 * 112;
        const double ms = medianMs([&] {
            for (int64_t n = 0; n < N; ++n)
                for (int64_t c = 0; c < C; ++c)
                    for (int64_t p = 0; p < HW; ++p)
                        d[(n * HW + p) * C + c] = s[(n * C + c) * HW + p];
        });
        report("naive NCHW->NHWC", nchw, "loop", ms, 2.0 * static_cast<double>(x.byteSize()));
    }
    benchNode("Transpose", "Transpose", {intsAttr("perm", {0, 2, 3, 1})}, {&x}, "perm [0,2,3,1]");
    benchNode("Transpose", "Transpose", {intsAttr("perm", {0, 3, 1, 2})}, {&x}, "perm [0,3,1,2]");
    benchNode("Transpose", "Transpose", {intsAttr("perm", {2, 0, 3, 1})}, {&x},
              "perm [2,0,3,1] generic");

    const Tensor pads = Tensor::fromVector<int64_t>({8}, {0, 0, 1, 1, 0, 0, 1, 1});
    benchNode("Pad", "Pad", {stringAttr("mode", "constant")}, {&x, &pads}, "constant 1px");
    benchNode("Pad", "Pad", {stringAttr("mode", "reflect")}, {&x, &pads}, "reflect 1px");

    const Tensor starts = Tensor::fromVector<int64_t>({2}, {1, 1});
    const Tensor ends = Tensor::fromVector<int64_t>({2}, {-1, -1});
    const Tensor axes = Tensor::fromVector<int64_t>({2}, {2, 3});
    benchNode("Slice", "Slice", {}, {&x, &starts, &ends, &axes}, "crop 1px H,W");

    Tensor small(DataType::Float, {8, 64, 56, 56});
    const Tensor up2 = Tensor::fromVector<float>({4}, {1, 1, 2, 2});
    benchNode("Resize", "Resize", {stringAttr("mode", "nearest")}, {&small, nullptr, &up2},
              "nearest x2");
    benchNode("Resize", "Resize", {stringAttr("mode", "linear")}, {&small, nullptr, &up2},
              "linear x2");
    benchNode("Resize", "Resize", {stringAttr("mode", "cubic")}, {&small, nullptr, &up2},
              "cubic x2");
    const Tensor down = Tensor::fromVector<float>({4}, {1, 1, 0.5f, 0.5f});
    benchNode("Resize", "Resize", {stringAttr("mode", "linear"), [] {
                  Attribute a;
                  a.name = "antialias";
                  a.kind = Attribute::Kind::Int;
                  a.i = 1;
                  return a;
              }()},
              {&x, nullptr, &down}, "linear /2 antialias");
    return 0;
}
