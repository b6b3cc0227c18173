// The report's words: every user-visible string of the compression report (HTML and PDF) in one
// table, English and Simplified Chinese, plus the number formats both renderers share, so the
// two files say the same thing in the same words.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace nnc {

enum class ReportLanguage { English, Chinese };

/// "en" (also "en_US", "en-GB" ...) or "zh_CN" (also "zh", "zh-CN", "zh_Hans_CN"); nullopt for
/// anything else.
std::optional<ReportLanguage> parseReportLanguage(std::string_view code);
/// "en" or "zh_CN"; the HTML lang attribute uses "en" / "zh-CN".
std::string_view reportLanguageCode(ReportLanguage lang);

/// One entry of the table: a stable key and its text in both languages. Texts may hold
/// placeholders {0}, {1} ... that reportText fills in order.
struct ReportString
{
    std::string_view key;
    std::string_view en;
    std::string_view zh;
};

/// The whole table (for the completeness test and for translators).
std::span<const ReportString> reportStrings();

/// The text for `key` in `lang` with {i} replaced by args[i]. An unknown key returns the key
/// itself in angle brackets (a bug, made visible rather than hidden).
std::string reportText(std::string_view key, ReportLanguage lang,
                       const std::vector<std::string> &args = {});

/// "1.23 MB", "456 KB", "789 B" (decimal units, 3 significant digits).
std::string formatBytes(int64_t bytes);
/// "91.25%" from a 0..1 share (two decimals).
std::string formatPercent(double share, int decimals = 2);
/// Signed percentage points with two decimals: "+0.10", "-1.25", "0.00".
std::string formatSignedPp(double pp);
/// SQNR in dB with one decimal ("34.2 dB"); +inf gives the localized "exact".
std::string formatDb(double db, ReportLanguage lang);
/// Integer with thousands separators: 1,234,567.
std::string formatCount(int64_t n);
/// Shortest readable form of a real number for axis labels and ranges ("-0.412", "1.2e-05").
std::string formatReal(double v, int significant = 3);

} // namespace nnc
