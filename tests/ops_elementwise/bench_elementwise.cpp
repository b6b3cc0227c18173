// Benchmark (not a ctest test): elementwise and reduction kernels on typical CNN / transformer
// activation shapes. Prints, per case, the minimum and median of 21 runs in ms and the
// effective bandwidth (input + output bytes / minimum time).
//
//   bench_elementwise [--threads N] [filter-substring]
#include "ew_test_util.h"

#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>

using namespace nnc;
using namespace nnc::ewtest;

namespace {

struct Case
{
    const char *label;
    const char *op;
    std::vector<Dims> shapes; ///< float inputs; an int64 tensor follows when axes is set
    std::vector<Attribute> attrs;
    int opset = 17;
    std::vector<int64_t> axesInput; ///< non-empty: passed as an int64 input after the floats
};

} // namespace

int main(int argc, char **argv)
{
    std::string filter;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--threads") == 0 && i + 1 < argc)
            omp_set_num_threads(std::atoi(argv[++i]));
        else
            filter = argv[i];
    }
    const Dims act = {1, 64, 112, 112}; // 800k elements, a stem activation
    const std::vector<Case> cases = {
        {"Add same shape", "Add", {act, act}, {}},
        {"Add NCHW + per-channel bias", "Add", {act, {64, 1, 1}}, {}},
        {"Mul by scalar", "Mul", {act, {}}, {}},
        {"Add outer [512,1]+[1,512]", "Add", {{512, 1}, {1, 512}}, {}},
        {"Relu", "Relu", {act}, {}},
        {"Clip (ReLU6)", "Clip", {act}, {floatAttr("min", 0.f), floatAttr("max", 6.f)}, 6},
        {"Sigmoid", "Sigmoid", {act}, {}},
        {"Tanh", "Tanh", {act}, {}},
        {"Exp", "Exp", {act}, {}},
        {"Erf", "Erf", {act}, {}},
        {"HardSwish", "HardSwish", {act}, {}},
        {"Softmax rows [128,30522]", "Softmax", {{128, 30522}}, {}, 13},
        {"Softmax attention [12,128,128]", "Softmax", {{12, 128, 128}}, {}, 13},
        {"Softmax axis 1 [8,1000,49]", "Softmax", {{8, 1000, 49}}, {intAttr("axis", 1)}, 13},
        {"ReduceMean spatial (GAP)", "ReduceMean", {act}, {intsAttr("axes", {2, 3})}, 13},
        {"ReduceMean last axis [512,768]", "ReduceMean", {{512, 768}}, {}, 18, {-1}},
        {"ReduceSum axis 0 [4096,256]", "ReduceSum", {{4096, 256}}, {}, 13, {0}},
        {"ReduceMax axes 0,2 (permuted)", "ReduceMax", {{32, 64, 32, 16}}, {}, 18, {0, 2}},
        {"ArgMax [128,30522]", "ArgMax", {{128, 30522}}, {intAttr("axis", 1)}},
        {"TopK 5 of [64,1000]", "TopK", {{64, 1000}}, {}, 11, {5}},
    };
    std::mt19937 rng(1);
    std::printf("%-36s %10s %10s %10s\n", "case", "min ms", "median ms", "GB/s");
    for (const Case &c : cases) {
        if (!filter.empty() && std::string(c.label).find(filter) == std::string::npos)
            continue;
        std::vector<Tensor> ins;
        for (const Dims &d : c.shapes)
            ins.push_back(randomTensor<float>(rng, d));
        if (!c.axesInput.empty())
            ins.push_back(Tensor::fromVector<int64_t>({static_cast<int64_t>(c.axesInput.size())},
                                                      c.axesInput));
        std::vector<const Tensor *> ptrs;
        std::size_t bytes = 0;
        for (const Tensor &t : ins) {
            ptrs.push_back(&t);
            bytes += t.byteSize();
        }
        std::vector<double> ms;
        std::size_t outBytes = 0;
        for (int r = 0; r < 22; ++r) {
            const auto t0 = std::chrono::steady_clock::now();
            auto out = run(c.op, ptrs, c.attrs, c.opset, std::string(c.op) == "TopK" ? 2 : 1);
            const auto t1 = std::chrono::steady_clock::now();
            if (!out) {
                std::printf("%-36s error: %s\n", c.label, out.error().message.c_str());
                break;
            }
            outBytes = (*out)[0].byteSize();
            if (r > 0) // the first run warms caches and the thread pool
                ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
        }
        if (ms.empty())
            continue;
        std::sort(ms.begin(), ms.end());
        const double gbs = static_cast<double>(bytes + outBytes) / (ms.front() * 1e6);
        std::printf("%-36s %10.3f %10.3f %10.2f\n", c.label, ms.front(), ms[ms.size() / 2], gbs);
    }
    return 0;
}
