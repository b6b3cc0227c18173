// Accuracy budgets per output head: "this plan may cost intent accuracy at most 0.5 pp and slot
// F1 at most 1 pp". A multi-task model is judged head by head, never by one averaged number.
#pragma once

#include "core/eval/evaluator.h"
#include "core/util/error.h"

#include <string>
#include <vector>

namespace nnc {

struct HeadBudget
{
    std::string output;      ///< empty: every head without a budget of its own
    double maxDropPp = 0;    ///< largest allowed accuracy drop, percentage points (>= 0)
};

/// Parses "0.5" (every head) or "intent_logits=0.5,slot_logits=1" (per head; a bare number
/// among them is the default for the others). Errors name the offending item.
Result<std::vector<HeadBudget>> parseBudgets(const std::string &text);

struct BudgetVerdict
{
    std::string output;
    double dropPp = 0;       ///< baseline - compressed, percentage points (negative: a gain)
    double maxDropPp = 0;
    bool pass = true;
};

/// Whether a drop of `dropPp` percentage points stays within `maxDropPp`: the one rule every
/// verdict uses (a tolerance far below one sample in a million keeps "exactly at the budget" a
/// pass; a NaN drop is not within).
inline bool withinBudget(double dropPp, double maxDropPp)
{
    return dropPp <= maxDropPp + 1e-9;
}

/// One verdict per head that has a budget (its own or the default), in the result's head order.
/// A budget naming an output the model does not have is an error (listing the heads).
Result<std::vector<BudgetVerdict>> judgeBudgets(const EvalResult &result,
                                                const std::vector<HeadBudget> &budgets);

} // namespace nnc
