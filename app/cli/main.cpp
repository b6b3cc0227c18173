// nncompress: command-line entry point; dispatches to one function per command.
#include "app/cli/cli.h"

#include "core/util/cpu.h"

#include <cstdio>
#include <cstring>
#include <string>

namespace {

constexpr const char *kHelp = R"(Usage: nncompress COMMAND [ARGS]

NNCompress: inspect and tune the compression of ONNX neural networks.

Commands:
  inspect MODEL [--json]                          model facts and weight statistics
  run MODEL --input-dir DIR --output-dir DIR      run a model on ONNX test-data files
  ops                                             list the supported ops and opsets
  plan init MODEL --out PLAN.json                 write a default compression plan
  plan import FILE --model MODEL --out PLAN.json  a plan from ORT overrides / AIMET encodings
  calibrate MODEL --data DATA --plan P --out P    fill activation ranges from data
  eval MODEL --data DATA [--plan PLAN.json]       accuracy, float vs compressed
  sensitivity MODEL --data DATA [--bits 4]        per-layer accuracy cost
  export MODEL --plan P --format qdq --out F      write the compressed model (qdq|pruned|plan|
                                                  ort-overrides|aimet|trt-cache)
  fuse A B --backbone a|b|mean --out F            network fusion: shared backbone, savings
  distill-compare TEACHER STUDENT --data DATA     student against teacher (accuracy, KL, speed)
  soft-labels TEACHER --data DATA --out S.npz     the teacher's soft labels for training
  report MODEL --data D --plan P --out R.html     compression report for product teams

'nncompress COMMAND --help' describes each command.
)";

} // namespace

int main(int argc, char **argv)
{
    using namespace nnc::cli;
    if (const std::string problem = nnc::cpuSupportProblem(); !problem.empty()) {
        std::fprintf(stderr, "nncompress: %s\n", problem.c_str());
        return kFailure;
    }
    if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h")) {
        std::fputs(kHelp, argc < 2 ? stderr : stdout);
        return argc < 2 ? kUsage : kOk;
    }
    const std::string cmd = argv[1];
    if (cmd == "inspect")
        return cmdInspect(argc, argv);
    if (cmd == "run")
        return cmdRun(argc, argv);
    if (cmd == "ops")
        return cmdOps(argc, argv);
    if (cmd == "plan" && argc > 2 && !std::strcmp(argv[2], "import"))
        return cmdPlanImport(argc, argv);
    if (cmd == "plan")
        return cmdPlan(argc, argv);
    if (cmd == "calibrate")
        return cmdCalibrate(argc, argv);
    if (cmd == "eval")
        return cmdEval(argc, argv);
    if (cmd == "sensitivity")
        return cmdSensitivity(argc, argv);
    if (cmd == "export")
        return cmdExport(argc, argv);
    if (cmd == "fuse")
        return cmdFuse(argc, argv);
    if (cmd == "distill-compare")
        return cmdDistillCompare(argc, argv);
    if (cmd == "soft-labels")
        return cmdSoftLabels(argc, argv);
    if (cmd == "report")
        return cmdReport(argc, argv);
    std::fprintf(stderr, "nncompress: unknown command '%s'.\n%s", cmd.c_str(), kHelp);
    return kUsage;
}
