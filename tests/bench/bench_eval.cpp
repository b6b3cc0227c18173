// Evaluator benchmark: full float evaluation, full evaluation under an 8-bit plan, incremental
// re-evaluation after editing the last layer, the first layer, and each layer (median), and
// calibration time per method, plus peak memory. Prints a markdown table.
// Usage: bench_eval MODEL DATA [--limit N] [--batch N] [--threads N]
#include "core/data/dataset.h"
#include "core/eval/evaluator.h"
#include "core/model/onnx_reader.h"

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

using namespace nnc;

namespace {

double now()
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

long peakRssMb()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss / 1024;
}

} // namespace

int main(int argc, char **argv)
{
    if (argc < 3) {
        std::fprintf(stderr, "usage: bench_eval MODEL DATA [--limit N] [--batch N] [--threads N]\n");
        return 2;
    }
    EvalOptions opt;
    for (int i = 3; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--limit"))
            opt.limit = std::atoll(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--batch"))
            opt.batchSize = std::atoll(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--threads"))
            opt.threads = std::atoi(argv[i + 1]);
    }
    auto m = readModel(argv[1]);
    if (!m) {
        std::fprintf(stderr, "%s\n", m.error().message.c_str());
        return 3;
    }
    auto model = std::make_shared<const Model>(std::move(*m));
    auto open = [&]() -> std::unique_ptr<Evaluator> {
        auto data = openDataset(argv[2], *model);
        if (!data) {
            std::fprintf(stderr, "%s\n", data.error().message.c_str());
            std::exit(3);
        }
        auto ev = Evaluator::create(model, std::move(*data), opt);
        if (!ev) {
            std::fprintf(stderr, "%s\n", ev.error().message.c_str());
            std::exit(3);
        }
        return std::move(*ev);
    };
    auto ev = open();
    const auto &layers = ev->layers();
    std::printf("| what | seconds | node runs | metric |\n| --- | --- | --- | --- |\n");
    auto row = [](const char *what, double s, const EvalResult &r) {
        std::printf("| %s | %.3f | %lld of %lld | %s %.4f |\n", what, s, static_cast<long long>(r.nodesRun),
                    static_cast<long long>(r.nodesFull), r.heads[0].metric.c_str(), r.heads[0].compressed);
    };
    double t = now();
    auto base = ev->evaluate(nullptr);
    if (!base) {
        std::fprintf(stderr, "%s\n", base.error().message.c_str());
        return 1;
    }
    row("float baseline (first run: reads data, fills caches)", now() - t, *base);

    CompressionPlan plan = CompressionPlan::defaults();
    t = now();
    auto cal = ev->calibrate(plan, false);
    const double calSeconds = now() - t;
    t = now();
    auto full = ev->evaluate(&plan);
    if (!full) {
        std::fprintf(stderr, "%s\n", full.error().message.c_str());
        return 1;
    }
    row("8-bit plan, full (weights + activations)", now() - t, *full);

    auto edit = [&](const std::string &layer, int bits) {
        CompressionPlan p = plan;
        p.layers[layer].weights.bits = bits;
        const double t0 = now();
        auto r = ev->evaluate(&p);
        return std::make_pair(now() - t0, *r);
    };
    auto [lastS, lastR] = edit(layers.back().name, 4);
    row("edit last layer (4-bit), incremental", lastS, lastR);
    auto [firstS, firstR] = edit(layers.front().name, 4);
    row("edit first layer (4-bit), incremental", firstS, firstR);
    std::vector<double> each;
    for (const Layer &l : layers)
        each.push_back(edit(l.name, 4).first);
    std::sort(each.begin(), each.end());
    std::printf("| edit each layer in turn: median | %.3f | | |\n", each[each.size() / 2]);
    std::printf("| calibrate MinMax (all activations) | %.3f | | |\n", calSeconds);
    for (const char *method : {"percentile:99.99", "entropy", "mse"}) {
        CompressionPlan p = CompressionPlan::defaults();
        p.activationDefaults.calibration = *parseCalibMethod(method);
        const double t0 = now();
        auto r = ev->calibrate(p, false);
        std::printf("| calibrate %s | %.3f | | |\n", method, now() - t0);
        (void)r;
    }
    std::printf("\nsamples %lld, layers %zu, activation tensors calibrated %zu, peak RSS %ld MiB\n",
                static_cast<long long>(ev->sampleCount()), layers.size(), cal ? cal->size() : 0,
                peakRssMb());
    return 0;
}
