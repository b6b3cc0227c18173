// Start-up check that this CPU runs the instruction set the program was built for, so an old CPU
// gets a clear message instead of an illegal-instruction crash.
#pragma once

#include <string>

namespace nnc {

/// Empty when the CPU supports the build's instruction set (AVX2/FMA for x86-64-v3 builds),
/// else a sentence saying what is missing and how to build for this CPU.
std::string cpuSupportProblem();

} // namespace nnc

namespace nnc {

/// OpenMP threads that busy-wait between parallel regions starve everything else on a busy
/// 2-core desktop (measured: a transformer ran 30x slower with another process competing). The
/// wait policy is read when the OpenMP runtime loads, before main(), so when the user has not
/// chosen one this re-executes the program once with OMP_WAIT_POLICY=PASSIVE. Call first thing
/// in main(); returns only if no re-exec happened (or it failed).
void preferPassiveOpenMpWait(char **argv);

} // namespace nnc
