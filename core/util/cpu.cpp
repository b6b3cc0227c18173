// CPU feature check.
#include "core/util/cpu.h"

namespace nnc {

std::string cpuSupportProblem()
{
#if defined(__x86_64__)
    __builtin_cpu_init();
    std::string missing;
#if defined(__AVX2__)
    if (!__builtin_cpu_supports("avx2"))
        missing += " AVX2";
#endif
#if defined(__FMA__)
    if (!__builtin_cpu_supports("fma"))
        missing += " FMA";
#endif
#if defined(__AVX512F__)
    if (!__builtin_cpu_supports("avx512f"))
        missing += " AVX-512";
#endif
    if (!missing.empty())
        return "This build of NNCompress needs a CPU with" + missing
               + ", which this one lacks. Rebuild with -DNNC_ARCH=x86-64 for older CPUs.";
#endif
    return {};
}

} // namespace nnc

