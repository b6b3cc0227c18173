#include "core/eval/budget.h"

#include <charconv>
#include <cmath>
#include <optional>

namespace nnc {
namespace {

std::string trim(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return std::string(s);
}

Result<double> parseDrop(const std::string &item, const std::string &number)
{
    double v = 0;
    const char *end = number.data() + number.size();
    const auto [ptr, ec] = std::from_chars(number.data(), end, v);
    if (number.empty() || ec != std::errc() || ptr != end || !std::isfinite(v))
        return fail("Budget '" + item + "': '" + number + "' is not a number of percentage points.",
                    Error::Code::Usage);
    if (v < 0)
        return fail("Budget '" + item + "': the allowed drop cannot be negative.", Error::Code::Usage);
    return v;
}

} // namespace

Result<std::vector<HeadBudget>> parseBudgets(const std::string &text)
{
    std::vector<HeadBudget> out;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t comma = text.find(',', start);
        const std::string item =
            trim(std::string_view(text).substr(start, comma == std::string::npos ? std::string::npos : comma - start));
        if (item.empty())
            return fail("Budget list '" + text + "' has an empty item.", Error::Code::Usage);
        HeadBudget b;
        const std::size_t eq = item.rfind('=');
        if (eq == std::string::npos) {
            auto v = parseDrop(item, item);
            if (!v)
                return std::unexpected(v.error());
            b.maxDropPp = *v;
        } else {
            b.output = trim(std::string_view(item).substr(0, eq));
            if (b.output.empty())
                return fail("Budget '" + item + "' names no output.", Error::Code::Usage);
            auto v = parseDrop(item, trim(std::string_view(item).substr(eq + 1)));
            if (!v)
                return std::unexpected(v.error());
            b.maxDropPp = *v;
        }
        for (const HeadBudget &seen : out)
            if (seen.output == b.output)
                return fail(b.output.empty() ? "Budget list '" + text + "' gives the default twice."
                                             : "Budget list '" + text + "' names '" + b.output + "' twice.",
                            Error::Code::Usage);
        out.push_back(std::move(b));
        if (comma == std::string::npos)
            break;
        start = comma + 1;
    }
    return out;
}

Result<std::vector<BudgetVerdict>> judgeBudgets(const EvalResult &result, const std::vector<HeadBudget> &budgets)
{
    std::optional<double> fallback;
    for (const HeadBudget &b : budgets) {
        if (b.output.empty()) {
            fallback = b.maxDropPp;
            continue;
        }
        bool known = false;
        for (const HeadResult &h : result.heads)
            known = known || h.output == b.output;
        if (!known) {
            std::string heads;
            for (const HeadResult &h : result.heads)
                heads += (heads.empty() ? "" : ", ") + h.output;
            return fail("Budget names '" + b.output + "', which is not an output of the model (outputs: " + heads + ").",
                        Error::Code::Usage);
        }
    }
    std::vector<BudgetVerdict> out;
    for (const HeadResult &h : result.heads) {
        std::optional<double> limit = fallback;
        for (const HeadBudget &b : budgets)
            if (b.output == h.output)
                limit = b.maxDropPp;
        if (!limit)
            continue;
        BudgetVerdict v;
        v.output = h.output;
        v.dropPp = 0.0 - h.deltaPp;  // not -deltaPp: no "-0.000" for an unchanged head
        v.maxDropPp = *limit;
        v.pass = withinBudget(v.dropPp, *limit);
        out.push_back(std::move(v));
    }
    return out;
}

} // namespace nnc
