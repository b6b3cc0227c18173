// Argument parsing and error reporting shared by the commands.
#include "app/cli/cli.h"

#include <algorithm>
#include <cstdio>
#include <string>

namespace nnc::cli {

std::optional<std::string> Args::value(const std::string &name) const
{
    auto it = options.find(name);
    if (it == options.end() || it->second.empty())
        return std::nullopt;
    return it->second.back();
}

Result<int64_t> wholeNumberOption(const Args &a, const std::string &name, int64_t fallback,
                                  std::optional<int64_t> min)
{
    auto v = a.value(name);
    if (!v)
        return fallback;
    try {
        std::size_t used = 0;
        const long long n = std::stoll(*v, &used);
        if (used == v->size() && (!min || n >= *min))
            return n;
    } catch (...) {
        // not a number, or out of range: the usage error below
    }
    if (min)
        return fail(name + " takes a whole number of at least " + std::to_string(*min) +
                        ", not '" + *v + "'.",
                    Error::Code::Usage);
    return fail(name + " takes a whole number, not '" + *v + "'.", Error::Code::Usage);
}

Result<Args> parseArgs(int argc, char **argv, int first, const std::vector<std::string> &flags,
                       const std::vector<std::string> &valued)
{
    Args a;
    for (int i = first; i < argc; ++i) {
        std::string s = argv[i];
        if (s.size() > 2 && s.starts_with("--")) {
            std::string value;
            bool inlineValue = false;
            if (auto eq = s.find('='); eq != std::string::npos) {
                value = s.substr(eq + 1);
                s.resize(eq);
                inlineValue = true;
            }
            if (std::find(flags.begin(), flags.end(), s) != flags.end()) {
                if (inlineValue)
                    return fail("option " + s + " takes no value.", Error::Code::Usage);
                a.options[s];
            } else if (std::find(valued.begin(), valued.end(), s) != valued.end()) {
                if (!inlineValue) {
                    if (i + 1 >= argc)
                        return fail("option " + s + " needs a value.", Error::Code::Usage);
                    value = argv[++i];
                }
                a.options[s].push_back(value);
            } else {
                return fail("unknown option " + s + ".", Error::Code::Usage);
            }
        } else {
            a.positional.push_back(s);
        }
    }
    return a;
}

int report(const Error &e)
{
    std::fprintf(stderr, "nncompress: %s\n", e.message.c_str());
    switch (e.code) {
    case Error::Code::Usage: return kUsage;
    case Error::Code::Unsupported: return kUnsupported;
    case Error::Code::Input: return kInputError;
    default: return kFailure;
    }
}

int usageError(const std::string &message, const std::string &command)
{
    std::fprintf(stderr, "nncompress %s: %s\nTry 'nncompress %s --help'.\n", command.c_str(),
                 message.c_str(), command.c_str());
    return kUsage;
}

} // namespace nnc::cli
