// Compression plans several tests use, by name, so that "w4_a8" means the same plan in every
// test that runs it. Header-only.
#pragma once

#include "core/plan/plan.h"

#include <optional>
#include <string_view>

namespace nnc::test {

/// The shared plans, all starting from CompressionPlan::defaults() (weights 8-bit signed
/// restricted symmetric per-channel, activations 8-bit unsigned asymmetric per-tensor):
/// "w8pc_a8" the defaults; "w4_a8" 4-bit weights; "w6_a6" 6-bit weights and activations;
/// "prune50_w8_a8" 50% pruning then the defaults. nullopt for any other name.
inline std::optional<CompressionPlan> sharedPlan(std::string_view name)
{
    CompressionPlan p = CompressionPlan::defaults();
    if (name == "w8pc_a8") {
    } else if (name == "w4_a8") {
        p.weightDefaults.spec.bits = 4;
    } else if (name == "w6_a6") {
        p.weightDefaults.spec.bits = 6;
        p.activationDefaults.spec.bits = 6;
    } else if (name == "prune50_w8_a8") {
        p.pruneDefaults.spec.ratio = 0.5;
    } else {
        return std::nullopt;
    }
    return p;
}

} // namespace nnc::test
