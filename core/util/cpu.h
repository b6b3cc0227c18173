// Start-up check that this CPU runs the instruction set the program was built for, so an old CPU
// gets a clear message instead of an illegal-instruction crash.
#pragma once

#include <string>

namespace nnc {

/// Empty when the CPU supports the build's instruction set (AVX2/FMA for x86-64-v3 builds),
/// else a sentence saying what is missing and how to build for this CPU.
std::string cpuSupportProblem();

} // namespace nnc

