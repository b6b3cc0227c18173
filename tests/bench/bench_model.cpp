// Times a whole model with the engine (nnc::Session) for the engine-vs-ONNX-Runtime comparison
// (scripts/bench/compare.sh, docs/PERFORMANCE.md). Prints one JSON line on stdout, the same shape
// as scripts/ort/bench.js prints for ONNX Runtime. Also measures the machine's practical FP32
// peak with a large Eigen GEMM (--peak), and can print a per-node profile (--profile, stderr).
//
//   bench_model MODEL --input-dir DIR [--threads N] [--repeat R] [--warmup W] [--profile P]
//               [--flush-denormals]
//   bench_model --peak [--threads N] [--size 2048] [--repeat R]
//
// Times are wall-clock ms per Session::run (inputs already read; outputs allocated per run).
// The profile runs P extra times after the timed runs with a TensorObserver that stamps the
// clock as each node's outputs appear, so the timed figures are not affected by it; it also lists
// float tensors that hold denormal values.
#include "core/model/onnx_reader.h"
#include "core/runtime/session.h"

#include <Eigen/Core>
#include <immintrin.h>
#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr const char *kUsage =
    "usage: bench_model MODEL --input-dir DIR [--threads N] [--repeat R] [--warmup W]\n"
    "                   [--profile P] [--flush-denormals]\n"
    "       bench_model --peak [--threads N] [--size 2048] [--repeat R]\n"
    "  --threads N   engine threads (default 0 = all cores)\n"
    "  --repeat R    timed runs (default 20; --peak: 5)\n"
    "  --warmup W    untimed runs first (default 3)\n"
    "  --profile P   after the timed runs, P more runs timed per node (median), table on stderr\n"
    "  --flush-denormals  set FTZ/DAZ on every engine thread (diagnoses denormal slowdowns)\n"
    "  --peak        FP32 GEMM n x n x n with Eigen (the practical peak of this build) and the\n"
    "                hardware FMA throughput with AVX2 and AVX-512, in GFLOP/s\n";

struct Args
{
    std::string model;
    std::string inputDir;
    int threads = 0;
    int repeat = -1;
    int warmup = 3;
    int profile = 0;
    int size = 2048;
    bool peak = false;
    bool flushDenormals = false;
};

[[noreturn]] void die(const std::string &message, int code = 1)
{
    std::fprintf(stderr, "bench_model: %s\n", message.c_str());
    std::exit(code);
}

int parseInt(std::string_view flag, const char *text)
{
    char *end = nullptr;
    const long v = std::strtol(text, &end, 10);
    if (end == text || *end != '\0' || v < 0 || v > 1000000)
        die(std::string(flag) + " takes a whole number from 0 to 1000000, not '" + text + "'.", 2);
    return static_cast<int>(v);
}

Args parseArgs(int argc, char **argv)
{
    Args a;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        auto next = [&]() -> const char * {
            if (i + 1 >= argc)
                die(std::string(arg) + " needs a value.\n" + kUsage, 2);
            return argv[++i];
        };
        if (arg == "--help" || arg == "-h") {
            std::fputs(kUsage, stdout);
            std::exit(0);
        } else if (arg == "--input-dir") {
            a.inputDir = next();
        } else if (arg == "--threads") {
            a.threads = parseInt(arg, next());
        } else if (arg == "--repeat") {
            a.repeat = parseInt(arg, next());
        } else if (arg == "--warmup") {
            a.warmup = parseInt(arg, next());
        } else if (arg == "--profile") {
            a.profile = parseInt(arg, next());
        } else if (arg == "--size") {
            a.size = parseInt(arg, next());
        } else if (arg == "--peak") {
            a.peak = true;
        } else if (arg == "--flush-denormals") {
            a.flushDenormals = true;
        } else if (arg.starts_with("--")) {
            die("unknown option '" + std::string(arg) + "'.\n" + kUsage, 2);
        } else if (a.model.empty()) {
            a.model = arg;
        } else {
            die("expected one MODEL, got a second: '" + std::string(arg) + "'.", 2);
        }
    }
    if (a.repeat < 0)
        a.repeat = a.peak ? 5 : 20;
    if (a.repeat < 1)
        die("--repeat must be at least 1.", 2);
    if (!a.peak && (a.model.empty() || a.inputDir.empty()))
        die(std::string("expected MODEL and --input-dir.\n") + kUsage, 2);
    if (a.peak && a.size < 64)
        die("--size must be at least 64.", 2);
    return a;
}

double msSince(Clock::time_point t0)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

std::string jsonString(std::string_view s)
{
    std::string out = "\"";
    for (const char c : s) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (static_cast<unsigned char>(c) < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
        } else {
            out += c;
        }
    }
    return out + "\"";
}

std::string jsonRuns(const std::vector<double> &runs)
{
    std::string out = "[";
    for (std::size_t i = 0; i < runs.size(); ++i) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%s%.3f", i ? "," : "", runs[i]);
        out += buf;
    }
    return out + "]";
}

// --- peak -------------------------------------------------------------------------------------

// Hardware FMA throughput: 12 independent accumulator chains per thread (enough to cover the FMA
// latency on two ports), 2 FLOPs per lane per FMA. Built per ISA with target attributes so the
// AVX-512 figure is available even though the library is built for x86-64-v3 (AVX2 + FMA).
#define NNC_FMA_CHAINS(V, SET, FMA, LANES)                                                        \
    V a0 = SET(1.0f), a1 = SET(1.1f), a2 = SET(1.2f), a3 = SET(1.3f), a4 = SET(1.4f);            \
    V a5 = SET(1.5f), a6 = SET(1.6f), a7 = SET(1.7f), a8 = SET(1.8f), a9 = SET(1.9f);            \
    V a10 = SET(2.0f), a11 = SET(2.1f);                                                          \
    const V b = SET(0.9999999f), c = SET(1e-7f);                                                  \
    const auto t0 = Clock::now();                                                                 \
    for (long k = 0; k < iters; ++k) {                                                            \
        a0 = FMA(a0, b, c); a1 = FMA(a1, b, c); a2 = FMA(a2, b, c); a3 = FMA(a3, b, c);           \
        a4 = FMA(a4, b, c); a5 = FMA(a5, b, c); a6 = FMA(a6, b, c); a7 = FMA(a7, b, c);           \
        a8 = FMA(a8, b, c); a9 = FMA(a9, b, c); a10 = FMA(a10, b, c); a11 = FMA(a11, b, c);       \
    }                                                                                             \
    const double s = std::chrono::duration<double>(Clock::now() - t0).count();                    \
    const V t = a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11;                      \
    sink += t[0];                                                                                 \
    return static_cast<double>(iters) * 12.0 * LANES * 2.0 / s / 1e9;

__attribute__((target("avx2,fma"))) double fmaGflopsAvx2(long iters, float &sink)
{
    NNC_FMA_CHAINS(__m256, _mm256_set1_ps, _mm256_fmadd_ps, 8)
}

__attribute__((target("avx512f"))) double fmaGflopsAvx512(long iters, float &sink)
{
    NNC_FMA_CHAINS(__m512, _mm512_set1_ps, _mm512_fmadd_ps, 16)
}
#undef NNC_FMA_CHAINS

/// FMA GFLOP/s of `threads` cores: the fastest per-thread rate seen in 5 tries with all threads
/// running at once, times the thread count. Taking the fastest thread keeps the figure stable
/// when another process shares a core (FMA units are per core, so the rate scales linearly).
double fmaPeak(int threads, bool avx512)
{
    double best = 0.0;
    float sink = 0.0f;
    for (int r = 0; r < 5; ++r) {
#pragma omp parallel num_threads(threads) reduction(max : best) reduction(+ : sink)
        {
            float s = 0.0f;
            best = std::max(best, avx512 ? fmaGflopsAvx512(50'000'000, s)
                                         : fmaGflopsAvx2(50'000'000, s));
            sink += s;
        }
    }
    if (sink == 1.2345f) // keeps the chains alive; never true
        std::fputc(' ', stderr);
    return best * threads;
}

/// The vector instruction set this file (and so Eigen here) was compiled for. Eigen's own
/// SimdInstructionSetsInUse() says "AVX" for AVX2 + FMA builds, which reads like less than it is.
const char *buildSimd()
{
#if defined(__AVX512F__)
    return "AVX-512";
#elif defined(__AVX2__) && defined(__FMA__)
    return "AVX2+FMA";
#elif defined(__AVX__)
    return "AVX";
#else
    return "SSE";
#endif
}

int runPeak(const Args &a)
{
    nnc::setEngineThreads(a.threads);
    const Eigen::Index n = a.size;
    std::mt19937 rng(7);
    std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
    Eigen::MatrixXf x(n, n), y(n, n), z(n, n);
    for (Eigen::Index i = 0; i < x.size(); ++i) {
        x.data()[i] = dist(rng);
        y.data()[i] = dist(rng);
    }
    z.noalias() = x * y; // warm-up: page in, spin up threads
    std::vector<double> ms;
    for (int r = 0; r < a.repeat; ++r) {
        const auto t0 = Clock::now();
        z.noalias() = x * y;
        ms.push_back(msSince(t0));
    }
    const double flops = 2.0 * static_cast<double>(n) * n * n;
    const double med = median(ms);
    const double best = *std::min_element(ms.begin(), ms.end());
    const int fmaThreads = a.threads > 0 ? a.threads : omp_get_num_procs();
    const bool hasAvx512 = __builtin_cpu_supports("avx512f");
    const double avx2 = __builtin_cpu_supports("fma") ? fmaPeak(fmaThreads, false) : 0.0;
    const double avx512 = hasAvx512 ? fmaPeak(fmaThreads, true) : 0.0;
    std::printf("{\"engine\":\"eigen-gemm\",\"n\":%d,\"threads\":%d,\"eigen_threads\":%d,"
                "\"median_ms\":%.3f,\"min_ms\":%.3f,\"gflops\":%.2f,\"best_gflops\":%.2f,"
                "\"fma_avx2_gflops\":%.1f,\"fma_avx512_gflops\":%.1f,"
                "\"simd\":%s,\"runs\":%s,\"check\":%.4f}\n",
                a.size, a.threads, Eigen::nbThreads(), med, best, flops / med / 1e6,
                flops / best / 1e6, avx2, avx512,
                jsonString(buildSimd()).c_str(), jsonRuns(ms).c_str(),
                static_cast<double>(z(0, 0)));
    return 0;
}

// --- profile ----------------------------------------------------------------------------------

/// Stamps the clock each time a node's output appears; the time since the previous stamp is
/// charged to the node that produced it (the first output of a node carries its whole time).
class NodeTimer final : public nnc::TensorObserver
{
public:
    explicit NodeTimer(const nnc::Graph &g)
    {
        for (std::size_t i = 0; i < g.nodes.size(); ++i)
            for (const auto &o : g.nodes[i].outputs)
                if (!o.empty())
                    m_producer.emplace(o, i);
        m_ms.resize(g.nodes.size());
    }

    void start()
    {
        m_last = Clock::now();
        m_current.assign(m_ms.size(), 0.0);
        m_other = 0.0;
    }

    void finish()
    {
        for (std::size_t i = 0; i < m_ms.size(); ++i)
            m_ms[i].push_back(m_current[i]);
    }

    std::optional<nnc::Tensor> observe(const std::string &name, const nnc::Tensor &value) override
    {
        const auto now = Clock::now();
        const double ms = std::chrono::duration<double, std::milli>(now - m_last).count();
        auto it = m_producer.find(name);
        if (it != m_producer.end())
            m_current[it->second] += ms;
        else
            m_other += ms; // graph inputs, subgraph nodes
        m_dims[name] = value.dims();
        if (value.dtype() == nnc::DataType::Float && !m_denormals.contains(name)) {
            // Denormal floats make FMA-based kernels take microcode assists (~100x slower).
            int64_t count = 0;
            for (const float v : value.span<float>())
                count += std::fpclassify(v) == FP_SUBNORMAL;
            m_denormals[name] = {count, value.numel()};
        }
        m_last = Clock::now(); // the bookkeeping above is not charged to the next node
        return std::nullopt;
    }

    double nodeMedianMs(std::size_t i) const { return median(m_ms[i]); }
    const nnc::Dims *dims(const std::string &name) const
    {
        auto it = m_dims.find(name);
        return it == m_dims.end() ? nullptr : &it->second;
    }

    /// Float tensors holding denormal values: name -> (denormal count, element count).
    std::vector<std::pair<std::string, std::pair<int64_t, int64_t>>> denormalTensors() const
    {
        std::vector<std::pair<std::string, std::pair<int64_t, int64_t>>> out;
        for (const auto &[name, c] : m_denormals)
            if (c.first > 0)
                out.emplace_back(name, c);
        std::sort(out.begin(), out.end(),
                  [](auto &l, auto &r) { return l.second.first > r.second.first; });
        return out;
    }

private:
    std::unordered_map<std::string, std::pair<int64_t, int64_t>> m_denormals;
    std::unordered_map<std::string, std::size_t> m_producer;
    std::unordered_map<std::string, nnc::Dims> m_dims;
    std::vector<std::vector<double>> m_ms;
    std::vector<double> m_current;
    double m_other = 0.0;
    Clock::time_point m_last;
};

/// Multiply-add FLOPs (2 per MAC) of a Conv, Gemm or MatMul node from its tensor shapes, or 0.
double nodeFlops(const nnc::Node &node, const nnc::Graph &g, const NodeTimer &timer)
{
    auto dimsOf = [&](std::size_t i) -> const nnc::Dims * {
        if (i >= node.inputs.size() || node.inputs[i].empty())
            return nullptr;
        if (const nnc::Tensor *t = g.initializer(node.inputs[i]))
            return &t->dims();
        return timer.dims(node.inputs[i]);
    };
    const nnc::Dims *out = node.outputs.empty() ? nullptr : timer.dims(node.outputs[0]);
    if (!out)
        return 0.0;
    const double outCount = static_cast<double>(nnc::numElements(*out));
    if (node.opType == "Conv" || node.opType == "ConvInteger") {
        const nnc::Dims *w = dimsOf(1);
        if (!w || w->size() < 2)
            return 0.0;
        double perOutput = 1.0; // (Cin / group) * kernel elements
        for (std::size_t k = 1; k < w->size(); ++k)
            perOutput *= static_cast<double>((*w)[k]);
        return 2.0 * outCount * perOutput;
    }
    if (node.opType == "Gemm") {
        const nnc::Dims *x = dimsOf(0);
        if (!x || x->size() != 2)
            return 0.0;
        const int64_t k = node.attrInt("transA", 0) ? (*x)[0] : (*x)[1];
        return 2.0 * outCount * static_cast<double>(k);
    }
    if (node.opType == "MatMul" || node.opType == "MatMulInteger") {
        const nnc::Dims *x = dimsOf(0);
        if (!x || x->empty())
            return 0.0;
        return 2.0 * outCount * static_cast<double>(x->back());
    }
    return 0.0;
}

void printProfile(const nnc::Graph &g, const NodeTimer &timer, double wholeMedianMs, int runs)
{
    struct OpTotal
    {
        int count = 0;
        double ms = 0.0;
        double flops = 0.0;
    };
    std::map<std::string, OpTotal> byOp;
    struct NodeRow
    {
        std::size_t index;
        double ms;
        double flops;
    };
    std::vector<NodeRow> rows;
    double sum = 0.0;
    for (std::size_t i = 0; i < g.nodes.size(); ++i) {
        const double ms = timer.nodeMedianMs(i);
        const double flops = nodeFlops(g.nodes[i], g, timer);
        OpTotal &t = byOp[g.nodes[i].opType];
        ++t.count;
        t.ms += ms;
        t.flops += flops;
        rows.push_back({i, ms, flops});
        sum += ms;
    }
    std::fprintf(stderr, "profile: %d runs, per-node medians summed %.3f ms (whole run median "
                         "%.3f ms)\n", runs, sum, wholeMedianMs);
    std::vector<std::pair<std::string, OpTotal>> ops(byOp.begin(), byOp.end());
    std::sort(ops.begin(), ops.end(), [](auto &l, auto &r) { return l.second.ms > r.second.ms; });
    std::fprintf(stderr, "%-24s %6s %10s %7s %10s %9s\n", "op", "nodes", "ms", "share", "GFLOP",
                 "GFLOP/s");
    for (const auto &[op, t] : ops)
        std::fprintf(stderr, "%-24s %6d %10.3f %6.1f%% %10.4f %9s\n", op.c_str(), t.count, t.ms,
                     sum > 0 ? 100.0 * t.ms / sum : 0.0, t.flops / 1e9,
                     t.flops > 0 && t.ms > 0
                         ? std::to_string(static_cast<int>(t.flops / t.ms / 1e6 + 0.5)).c_str()
                         : "");
    std::sort(rows.begin(), rows.end(), [](auto &l, auto &r) { return l.ms > r.ms; });
    std::fprintf(stderr, "slowest nodes:\n");
    for (std::size_t k = 0; k < std::min<std::size_t>(rows.size(), 16); ++k) {
        const nnc::Node &n = g.nodes[rows[k].index];
        const nnc::Dims *out = n.outputs.empty() ? nullptr : timer.dims(n.outputs[0]);
        std::fprintf(stderr, "  %8.3f ms %6.1f%%  %-14s %-32s out %s", rows[k].ms,
                     sum > 0 ? 100.0 * rows[k].ms / sum : 0.0, n.opType.c_str(),
                     n.name.substr(0, 32).c_str(), out ? nnc::dimsToString(*out).c_str() : "?");
        if (rows[k].flops > 0 && rows[k].ms > 0)
            std::fprintf(stderr, "  %.1f GFLOP/s", rows[k].flops / rows[k].ms / 1e6);
        if (n.opType == "Conv" && n.inputs.size() > 1) {
            // Weight shape, group and strides tell a depthwise or thin-input conv at a glance.
            const nnc::Tensor *w = g.initializer(n.inputs[1]);
            const nnc::Dims *wd = w ? &w->dims() : timer.dims(n.inputs[1]);
            std::fprintf(stderr, "  W %s group %lld strides %s",
                         wd ? nnc::dimsToString(*wd).c_str() : "?",
                         static_cast<long long>(n.attrInt("group", 1)),
                         nnc::dimsToString(n.attrInts("strides", {1, 1})).c_str());
        }
        std::fputc('\n', stderr);
    }
    const auto denormal = timer.denormalTensors();
    if (denormal.empty())
        return;
    std::fprintf(stderr, "float tensors holding denormal values (slow in FMA kernels):\n");
    for (std::size_t k = 0; k < std::min<std::size_t>(denormal.size(), 8); ++k)
        std::fprintf(stderr, "  %-40s %lld of %lld\n", denormal[k].first.substr(0, 40).c_str(),
                     static_cast<long long>(denormal[k].second.first),
                     static_cast<long long>(denormal[k].second.second));
    if (denormal.size() > 8)
        std::fprintf(stderr, "  ... and %zu more\n", denormal.size() - 8);
}

// --- model ------------------------------------------------------------------------------------

/// Flush-to-zero and denormals-are-zero in MXCSR of the calling thread and of every thread of
/// the OpenMP pool (the engine's and Eigen's workers), which keep their MXCSR between regions.
void flushDenormals()
{
    const auto set = [] { _mm_setcsr(_mm_getcsr() | 0x8040); };
    set();
#pragma omp parallel
    set();
}

int runModel(const Args &a)
{
    const auto t0 = Clock::now();
    auto model = nnc::readModel(a.model);
    if (!model)
        die(model.error().message);
    auto shared = std::make_shared<const nnc::Model>(std::move(*model));
    auto session = nnc::Session::create(shared, nnc::SessionOptions{a.threads});
    if (!session)
        die(session.error().message);
    const double loadMs = msSince(t0);
    if (a.flushDenormals)
        flushDenormals(); // after Session::create, which sets the pool size

    const auto names = session->inputNames();
    std::vector<nnc::Tensor> inputs;
    std::error_code ec;
    for (std::size_t i = 0; i < names.size(); ++i) {
        fs::path p = fs::path(a.inputDir) / ("input_" + std::to_string(i) + ".pb");
        if (!fs::exists(p, ec))
            p = fs::path(a.inputDir) / (names[i] + ".pb");
        if (!fs::exists(p, ec))
            die("no file for input '" + names[i] + "' in '" + a.inputDir + "' (looked for input_"
                + std::to_string(i) + ".pb and " + names[i] + ".pb).");
        auto t = nnc::readTensorFile(p);
        if (!t)
            die(t.error().message);
        inputs.push_back(std::move(*t));
    }

    for (int w = 0; w < a.warmup; ++w)
        if (auto r = session->run(inputs); !r)
            die(r.error().message);
    std::vector<double> runs;
    for (int r = 0; r < a.repeat; ++r) {
        const auto s = Clock::now();
        auto out = session->run(inputs);
        runs.push_back(msSince(s));
        if (!out)
            die(out.error().message);
    }
    const double med = median(runs);
    std::printf("{\"engine\":\"nncompress\",\"model\":%s,\"median_ms\":%.3f,\"min_ms\":%.3f,"
                "\"runs\":%s,\"threads\":%d,\"warmup\":%d,\"repeat\":%d,\"load_ms\":%.3f}\n",
                jsonString(a.model).c_str(), med, *std::min_element(runs.begin(), runs.end()),
                jsonRuns(runs).c_str(), a.threads, a.warmup, a.repeat, loadMs);
    std::fflush(stdout);

    if (a.profile > 0) {
        NodeTimer timer(shared->graph);
        nnc::RunOptions options;
        options.observer = &timer;
        for (int r = 0; r < a.profile; ++r) {
            timer.start();
            if (auto out = session->run(inputs, options); !out)
                die(out.error().message);
            timer.finish();
        }
        printProfile(shared->graph, timer, med, a.profile);
    }
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    const Args a = parseArgs(argc, argv);
    return a.peak ? runPeak(a) : runModel(a);
}
