// bench_nn: prints GFLOP/s (median of several runs) of the nn kernels on shapes from small CNNs
// (Fashion-MNIST-like at batch 64), an MLP and a transformer block. Not a test: speed is
// reported, never asserted.
// Usage: bench_nn [filter-substring]
//        bench_nn --model MODEL.onnx INPUT_DIR [runs [threads]]   whole-model and per-op-type time
#include "core/model/onnx_reader.h"
#include "core/ops/op_table.h"
#include "core/runtime/session.h"
#include "tests/common/op_harness.h"

#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <map>
#include <unordered_map>
#include <random>
#include <string>
#include <vector>

using namespace nnc;
using nnc::test::intAttr;
using nnc::test::intsAttr;
using nnc::test::makeNode;

namespace {

Tensor random(Dims dims, std::mt19937 &rng)
{
    Tensor t(DataType::Float, std::move(dims));
    std::uniform_real_distribution<float> d(-1, 1);
    for (float &v : t.mutableSpan<float>())
        v = d(rng);
    return t;
}

struct Case
{
    std::string name;
    Node node;
    std::vector<Dims> inputs;
    double flops;   ///< multiply-adds * 2 (or element count for memory-bound ops)
};

Case conv(std::string name, int64_t n, int64_t c, int64_t m, int64_t hw, int64_t k, int64_t stride,
          int64_t group = 1)
{
    const int64_t pad = k / 2;
    const int64_t out = (hw + 2 * pad - k) / stride + 1;
    return {name,
            makeNode("Conv",
                     {intsAttr("pads", {pad, pad, pad, pad}), intsAttr("strides", {stride, stride}),
                      intAttr("group", group)},
                     3),
            {{n, c, hw, hw}, {m, c / group, k, k}, {m}},
            2.0 * double(n * m * out * out) * double(c / group * k * k)};
}

Case gemm(std::string name, int64_t m, int64_t k, int64_t n)
{
    return {name, makeNode("Gemm", {intAttr("transB", 1)}, 3), {{m, k}, {n, k}, {n}},
            2.0 * double(m) * double(k) * double(n)};
}

Case matmul(std::string name, Dims a, Dims b)
{
    const int64_t m = a[a.size() - 2], k = a.back(), n = b.back();
    int64_t batch = 1;
    for (std::size_t i = 0; i + 2 < a.size(); ++i)
        batch *= a[i];
    return {name, makeNode("MatMul", {}, 2), {a, b}, 2.0 * double(batch * m * k * n)};
}


/// Attributes the time between consecutive produced tensors to the op that produced the later
/// one (the executor runs nodes in order, so this is each node's run time plus overhead).
class OpTimer final : public TensorObserver
{
public:
    explicit OpTimer(const Model &model)
    {
        for (const Node &n : model.graph.nodes) {
            // Conv splits by kind: depthwise/grouped and kernel size differ a lot in speed.
            std::string key = n.opType;
            if (n.opType == "Conv" || n.opType == "ConvTranspose") {
                const auto k = n.attrInts("kernel_shape");
                key += n.attrInt("group", 1) > 1 ? " grouped" : "";
                key += k.empty() ? "" : " " + std::to_string(k[0]) + "x" + std::to_string(k.back());
            }
            for (const std::string &o : n.outputs)
                m_producer[o] = key;
        }
    }
    void start() { m_last = std::chrono::steady_clock::now(); }
    std::optional<Tensor> observe(const std::string &name, const Tensor &) override
    {
        const auto now = std::chrono::steady_clock::now();
        auto it = m_producer.find(name);
        if (it != m_producer.end())
            m_seconds[it->second] += std::chrono::duration<double>(now - m_last).count();
        m_last = now;
        return std::nullopt;
    }
    std::map<std::string, double> m_seconds;

private:
    std::unordered_map<std::string, std::string> m_producer;
    std::chrono::steady_clock::time_point m_last;
};

int benchModel(const std::filesystem::path &path, const std::filesystem::path &inputDir, int runs,
               int threads)
{
    auto model = readModel(path);
    if (!model) {
        std::printf("%s\n", model.error().message.c_str());
        return 1;
    }
    auto shared = std::make_shared<const Model>(std::move(*model));
    auto session = Session::create(shared);
    if (!session) {
        std::printf("%s\n", session.error().message.c_str());
        return 1;
    }
    if (threads > 0)
        setEngineThreads(threads);
    std::vector<Tensor> inputs;
    for (std::size_t i = 0; i < session->inputNames().size(); ++i) {
        auto t = readTensorFile(inputDir / ("input_" + std::to_string(i) + ".pb"));
        if (!t) {
            std::printf("%s\n", t.error().message.c_str());
            return 1;
        }
        inputs.push_back(std::move(*t));
    }
    // Process CPU time as well: with one thread it is the work done, whatever else the machine
    // is running (wall time on a busy shared machine is not).
    auto cpuNow = [] {
        timespec ts{};
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
        return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
    };
    std::vector<double> times, cpu;
    for (int r = 0; r < runs; ++r) {
        const double c0 = cpuNow();
        const auto t0 = std::chrono::steady_clock::now();
        auto out = session->run(inputs);
        const auto t1 = std::chrono::steady_clock::now();
        cpu.push_back(cpuNow() - c0);
        if (!out) {
            std::printf("%s\n", out.error().message.c_str());
            return 1;
        }
        times.push_back(std::chrono::duration<double>(t1 - t0).count());
    }
    std::sort(times.begin(), times.end());
    std::sort(cpu.begin(), cpu.end());
    std::printf("%s: median %.3f ms, min %.3f ms, median CPU time %.3f ms over %d runs "
                "(threads %d)\n",
                path.filename().c_str(), times[times.size() / 2] * 1e3, times.front() * 1e3,
                cpu[cpu.size() / 2] * 1e3, runs, omp_get_max_threads());
    // One more set of runs with the per-op timer (observers add a little overhead).
    OpTimer timer(*shared);
    RunOptions opts;
    opts.observer = &timer;
    for (int r = 0; r < runs; ++r) {
        timer.start();
        (void)session->run(inputs, opts);
    }
    std::vector<std::pair<double, std::string>> byOp;
    for (const auto &[op, sec] : timer.m_seconds)
        byOp.emplace_back(sec / runs, op);
    std::sort(byOp.rbegin(), byOp.rend());
    for (const auto &[sec, op] : byOp)
        std::printf("  %-28s %8.3f ms\n", op.c_str(), sec * 1e3);
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    if (argc >= 4 && std::string(argv[1]) == "--model")
        return benchModel(argv[2], argv[3], argc > 4 ? std::atoi(argv[4]) : 20,
                          argc > 5 ? std::atoi(argv[5]) : 0);
    const std::string filter = argc > 1 ? argv[1] : "";
    std::vector<Case> cases = {
        conv("conv fmnist1 64x1x28x28 -> 32 3x3", 64, 1, 32, 28, 3, 1),
        conv("conv fmnist2 64x32x14x14 -> 64 3x3", 64, 32, 64, 14, 3, 1),
        conv("conv 64x32x28x28 -> 32 3x3", 64, 32, 32, 28, 3, 1),
        conv("conv 1x64x56x56 -> 64 3x3", 1, 64, 64, 56, 3, 1),
        conv("conv 1x64x56x56 -> 128 1x1", 1, 64, 128, 56, 1, 1),
        conv("conv 8x32x56x56 dw 3x3", 8, 32, 32, 56, 3, 1, 32),
        conv("conv 1x3x224x224 -> 32 3x3 s2", 1, 3, 32, 224, 3, 2),
        conv("conv ultraface stem 1x3x480x480 -> 16 s2", 1, 3, 16, 480, 3, 2),
        conv("conv ultraface dw 1x32x240x240 s2", 1, 32, 32, 240, 3, 2, 32),
        conv("conv ultraface dw 1x32x120x120 s1", 1, 32, 32, 120, 3, 1, 32),
        conv("conv ultraface 1x1 1x16x240x240 -> 32", 1, 16, 32, 240, 1, 1),
        gemm("gemm fmnist fc 64x3136 * 128", 64, 3136, 128),
        gemm("gemm mlp 64x784 * 256", 64, 784, 256),
        gemm("gemm 512x512 * 512", 512, 512, 512),
        matmul("matmul tfm proj 1x128x256 * 256x256", {1, 128, 256}, {256, 256}),
        matmul("matmul conv2-like 64x288 * 288x196", {64, 288}, {288, 196}),
        matmul("matmul conv2-like 64x288 * 288x784", {64, 288}, {288, 784}),
        matmul("matmul conv2-like 64x288 * 288x3136", {64, 288}, {288, 3136}),
        matmul("matmul tfm attn 4x128x64 * 4x64x128", {1, 4, 128, 64}, {1, 4, 64, 128}),
        {"maxpool 64x32x28x28 2x2 s2",
         makeNode("MaxPool", {intsAttr("kernel_shape", {2, 2}), intsAttr("strides", {2, 2})}, 1),
         {{64, 32, 28, 28}}, double(64 * 32 * 28 * 28)},
        {"layernorm 128x256", makeNode("LayerNormalization", {}, 3), {{1, 128, 256}, {256}, {256}},
         double(128 * 256)},
        {"batchnorm 64x32x28x28", makeNode("BatchNormalization", {}, 5),
         {{64, 32, 28, 28}, {32}, {32}, {32}, {32}}, double(64 * 32 * 28 * 28)},
    };
    std::printf("threads: %d\n", omp_get_max_threads());
    std::mt19937 rng(1);
    for (Case &c : cases) {
        if (!filter.empty() && c.name.find(filter) == std::string::npos)
            continue;
        const OpEntry *e = findKernel("", c.node.opType, 17);
        auto kernel = e->create(KernelBuildInfo{c.node, 17});
        if (!kernel) {
            std::printf("%-44s build error: %s\n", c.name.c_str(), kernel.error().message.c_str());
            continue;
        }
        std::vector<Tensor> ins;
        for (const Dims &d : c.inputs)
            ins.push_back(random(d, rng));
        if (c.node.opType == "BatchNormalization")
            for (float &v : ins[4].mutableSpan<float>())
                v = std::abs(v) + 0.1f;
        std::vector<const Tensor *> ptrs;
        for (const Tensor &t : ins)
            ptrs.push_back(&t);
        std::vector<double> times;
        const bool gflops = c.node.opType == "Conv" || c.node.opType == "Gemm"
                            || c.node.opType == "MatMul";
        for (int rep = 0; rep < 21; ++rep) {
            KernelContext ctx;
            ctx.inputs = ptrs;
            ctx.outputs.resize(c.node.outputs.size());
            const auto t0 = std::chrono::steady_clock::now();
            auto r = (*kernel)->run(ctx);
            const auto t1 = std::chrono::steady_clock::now();
            if (!r) {
                std::printf("%-44s run error: %s\n", c.name.c_str(), r.error().message.c_str());
                break;
            }
            times.push_back(std::chrono::duration<double>(t1 - t0).count());
        }
        if (times.empty())
            continue;
        std::sort(times.begin(), times.end());
        const double med = times[times.size() / 2];
        // The minimum shows the kernel's speed on a quiet machine; the median what a shared
        // machine gives.
        const double best = times.front();
        if (gflops)
            std::printf("%-40s median %8.3f ms %7.1f GFLOP/s | min %8.3f ms %7.1f GFLOP/s\n",
                        c.name.c_str(), med * 1e3, c.flops / med * 1e-9, best * 1e3,
                        c.flops / best * 1e-9);
        else
            std::printf("%-40s median %8.3f ms %7.2f Gelem/s | min %8.3f ms %7.2f Gelem/s\n",
                        c.name.c_str(), med * 1e3, c.flops / med * 1e-9, best * 1e3,
                        c.flops / best * 1e-9);
    }
    return 0;
}
