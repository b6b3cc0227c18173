// The report as one self-contained HTML page (inline CSS, SVG charts drawn here, no scripts, no
// external references), and the text helpers the HTML and the PDF share.
#include "core/report/report.h"

#include "core/util/atomic_file.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace nnc {

namespace {

using L = ReportLanguage;

std::string esc(std::string_view s)
{
    std::string o;
    o.reserve(s.size());
    for (char c : s) {
        switch (c) {
        case '&':
            o += "&amp;";
            break;
        case '<':
            o += "&lt;";
            break;
        case '>':
            o += "&gt;";
            break;
        case '"':
            o += "&quot;";
            break;
        case '\'':
            o += "&#39;";
            break;
        default:
            o += c;
        }
    }
    return o;
}

/// Full precision for data-value attributes (parsed back by tests and tools).
std::string exact(double v)
{
    if (std::isinf(v))
        return v > 0 ? "inf" : "-inf";
    if (std::isnan(v))
        return "nan";
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

std::string num(double v, int decimals = 1)
{
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

/// Shortens long layer names in the middle ("/encoder/layers.0/…/MatMul").
std::string shortName(const std::string &s, std::size_t maxChars)
{
    if (s.size() <= maxChars)
        return s;
    // Cut on UTF-8 character boundaries (never inside a multi-byte character).
    auto continuation = [&](std::size_t i) {
        return i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80;
    };
    std::size_t head = (maxChars - 1) / 2, tail = s.size() - (maxChars - 1 - head);
    while (head > 0 && continuation(head))
        --head;
    while (tail < s.size() && continuation(tail))
        ++tail;
    return s.substr(0, head) + "\u2026" + s.substr(tail);
}

std::string deltaClass(double pp)
{
    const double r = std::round(pp * 100) / 100;
    return r < 0 ? "neg" : r > 0 ? "pos" : "zero";
}

constexpr const char *kCss = R"(
:root{--ink:#1d2433;--muted:#5b6475;--line:#d9dee7;--accent:#2c6bed;--neg:#c8372d;--pos:#1f8a58;
--shade:#f6c56f;--shade2:#e8973a;--bar:#4a78c2;--bg:#f5f7fa}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);
font:15px/1.5 system-ui,-apple-system,"Segoe UI",
"Noto Sans CJK SC","WenQuanYi Micro Hei","Microsoft YaHei","PingFang SC",Roboto,sans-serif}
main{max-width:1040px;margin:0 auto;padding:32px 24px 48px}
h1{font-size:30px;margin:0 0 4px}h2{font-size:20px;margin:36px 0 12px;padding-bottom:6px;
border-bottom:2px solid var(--line)}h3{font-size:15px;margin:0 0 6px}
.sub{color:var(--muted);font-size:17px;margin:0 0 18px}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:4px 18px;margin:0;font-size:14px}
dl.meta dt{color:var(--muted)}dl.meta dd{margin:0}
.desc{color:var(--muted);font-size:13px}
.lead{font-size:16px;margin:0 0 4px}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(300px,1fr));gap:14px;
margin-top:24px}
.card{background:#fff;border:1px solid var(--line);border-radius:10px;padding:16px 18px}
.card .label{color:var(--muted);font-size:13px;text-transform:none}
.card .big{font-size:28px;font-weight:650;line-height:1.2;margin:6px 0 2px}
.card .big span{white-space:nowrap}
.card .big .arrow{color:var(--muted);font-weight:400;margin:0 6px}
.card .small{font-size:14px;color:var(--muted)}
.neg,.card .small.neg{color:var(--neg)}.pos,.card .small.pos{color:var(--pos)}
.zero{color:var(--muted)}
table{border-collapse:collapse;width:100%;background:#fff;border:1px solid var(--line);
font-size:13.5px}
th,td{padding:6px 9px;border-bottom:1px solid var(--line);text-align:right;white-space:nowrap}
th{background:#eef1f6;font-weight:600;color:#364056;white-space:normal}
td.name,th.name,td.text,th.text{text-align:left}
td.name{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:12.5px;white-space:normal;
word-break:break-all}
tr.total td{font-weight:650;background:#f8f9fb}
.note{color:var(--muted);font-size:13px;margin:8px 0 0}
ul.plan{margin:0;padding:0;list-style:none;background:#fff;border:1px solid var(--line);
border-radius:10px}
ul.plan li{padding:8px 14px;border-bottom:1px solid var(--line)}ul.plan li:last-child{border:0}
ul.plan b{display:inline-block;min-width:150px;color:#364056}
.hists{display:grid;grid-template-columns:repeat(auto-fit,minmax(460px,1fr));gap:14px}
.hist{background:#fff;border:1px solid var(--line);border-radius:10px;padding:12px 14px}
.hist .facts{font-size:12.5px;color:var(--muted);margin-top:4px}
.chart{background:#fff;border:1px solid var(--line);border-radius:10px;padding:12px 14px;
margin-bottom:12px}
svg text{font-family:inherit}
footer{margin-top:40px;color:var(--muted);font-size:12.5px}
@media print{body{background:#fff}main{padding:0}.card,.hist,.chart,table{break-inside:avoid}}
)";

std::string histogramSvg(const ReportHistogram &h, L lang)
{
    const double W = 460, H = 190, x0 = 46, x1 = W - 12, y0 = 12, y1 = 150;
    const Histogram &g = h.histogram;
    const double lo = g.lo, hi = g.hi > g.lo ? g.hi : g.lo + 1;
    auto X = [&](double v) { return x0 + (v - lo) / (hi - lo) * (x1 - x0); };
    int64_t peak = 1;
    for (int64_t c : g.counts)
        peak = std::max(peak, c);
    std::string s = "<svg viewBox=\"0 0 " + num(W, 0) + " " + num(H, 0) +
                    "\" width=\"100%\" role=\"img\" aria-label=\"" + esc(h.layer) + "\">";
    if (h.quantized) {
        s += "<rect x=\"" + num(X(h.rangeLo)) + "\" y=\"" + num(y0) + "\" width=\"" +
             num(std::max(1.0, X(h.rangeHi) - X(h.rangeLo))) + "\" height=\"" + num(y1 - y0) +
             "\" fill=\"#f6c56f\" fill-opacity=\"0.35\"/>";
        if (h.channels > 1)
            s += "<rect x=\"" + num(X(h.narrowLo)) + "\" y=\"" + num(y0) + "\" width=\"" +
                 num(std::max(1.0, X(h.narrowHi) - X(h.narrowLo))) + "\" height=\"" + num(y1 - y0) +
                 "\" fill=\"#e8973a\" fill-opacity=\"0.35\"/>";
        for (double v : {h.rangeLo, h.rangeHi})
            s += "<line x1=\"" + num(X(v)) + "\" x2=\"" + num(X(v)) + "\" y1=\"" + num(y0) +
                 "\" y2=\"" + num(y1) + "\" stroke=\"#c77a16\" stroke-dasharray=\"4 3\"/>";
        for (double v : h.levels)
            s += "<line x1=\"" + num(X(v)) + "\" x2=\"" + num(X(v)) + "\" y1=\"" + num(y1 + 2) +
                 "\" y2=\"" + num(y1 + 8) + "\" stroke=\"#c77a16\"/>";
    }
    const double bw = (x1 - x0) / std::max<std::size_t>(1, g.counts.size());
    for (std::size_t i = 0; i < g.counts.size(); ++i) {
        if (!g.counts[i])
            continue;
        const double bh = std::max(1.0, double(g.counts[i]) / double(peak) * (y1 - y0));
        s += "<rect x=\"" + num(x0 + i * bw + 0.5) + "\" y=\"" + num(y1 - bh) + "\" width=\"" +
             num(std::max(0.5, bw - 1)) + "\" height=\"" + num(bh) + "\" fill=\"#4a78c2\"/>";
    }
    s += "<line x1=\"" + num(x0) + "\" x2=\"" + num(x1) + "\" y1=\"" + num(y1) + "\" y2=\"" +
         num(y1) + "\" stroke=\"#5b6475\"/>";
    auto label = [&](double x, const std::string &t, const char *anchor, double y) {
        return "<text x=\"" + num(x) + "\" y=\"" + num(y) +
               "\" font-size=\"11\" fill=\"#5b6475\" "
               "text-anchor=\"" +
               anchor + "\">" + esc(t) + "</text>";
    };
    s += label(x0, formatReal(lo), "start", y1 + 22);
    s += label(x1, formatReal(hi), "end", y1 + 22);
    if (lo < 0 && hi > 0 && X(0) - x0 > 40 && x1 - X(0) > 40)
        s += label(X(0), "0", "middle", y1 + 22);
    s += label(x0 - 6, formatCount(peak), "end", y0 + 9);
    s += label(x0 - 6, "0", "end", y1);
    (void)lang;
    return s + "</svg>";
}

/// Bars of `rows` (deltaPp, layer) for one head, in the given order.
std::string sensitivitySvg(const std::vector<std::pair<std::string, double>> &rows,
                           const std::string &head, L lang)
{
    const std::size_t shown = rows.size();
    const double W = 980, labelW = 300, rowH = 24, top = 10, valueW = 70;
    const double H = top + rowH * double(shown) + 30;
    double mn = 0, mx = 0;
    for (const auto &r : rows) {
        mn = std::min(mn, r.second);
        mx = std::max(mx, r.second);
    }
    if (mx - mn < 0.5) {
        // A flat chart would magnify rounding noise: show at least half a point.
        mn = std::min(mn, -0.5 + mx);
    }
    const double px0 = labelW + valueW, px1 = W - valueW;
    auto X = [&](double v) { return px0 + (v - mn) / (mx - mn) * (px1 - px0); };
    std::string s =
        "<svg viewBox=\"0 0 " + num(W, 0) + " " + num(H, 0) + "\" width=\"100%\" role=\"img\">";
    for (std::size_t i = 0; i < shown; ++i) {
        const auto &[layer, delta] = rows[i];
        const double y = top + rowH * double(i);
        const double a = X(std::min(0.0, delta)), e = X(std::max(0.0, delta));
        const std::string cls = deltaClass(delta);
        const char *fill = cls == "neg" ? "#c8372d" : cls == "pos" ? "#1f8a58" : "#9aa3b2";
        if (i % 2 == 0)
            s += "<rect x=\"0\" y=\"" + num(y) + "\" width=\"" + num(W, 0) + "\" height=\"" +
                 num(rowH) + "\" fill=\"#f5f7fa\"/>";
        s += "<text x=\"" + num(labelW - 8) + "\" y=\"" + num(y + 16) +
             "\" font-size=\"12.5\" text-anchor=\"end\" fill=\"#1d2433\">" +
             esc(shortName(layer, 40)) + "</text>";
        s += "<rect x=\"" + num(a) + "\" y=\"" + num(y + 5) + "\" width=\"" +
             num(std::max(1.5, e - a)) + "\" height=\"" + num(rowH - 10) + "\" fill=\"" + fill +
             "\" data-head=\"" + esc(head) + "\" data-layer=\"" + esc(layer) + "\" data-value=\"" +
             exact(delta) + "\"/>";
        const bool left = delta < 0;
        s += "<text x=\"" + num(left ? a - 6 : e + 6) + "\" y=\"" + num(y + 16) +
             "\" font-size=\"12\" text-anchor=\"" + (left ? "end" : "start") + "\" fill=\"" + fill +
             "\">" + esc(formatSignedPp(delta)) + "</text>";
    }
    const double yb = top + rowH * double(shown);
    s += "<line x1=\"" + num(X(0)) + "\" x2=\"" + num(X(0)) + "\" y1=\"" + num(top) + "\" y2=\"" +
         num(yb) + "\" stroke=\"#5b6475\"/>";
    s += "<text x=\"" + num(X(0)) + "\" y=\"" + num(yb + 18) +
         "\" font-size=\"12\" text-anchor=\"middle\" fill=\"#5b6475\">0 " +
         esc(reportText("pp_short", lang)) + "</text>";
    return s + "</svg>";
}


double share(int64_t part, int64_t whole)
{
    return whole > 0 ? double(part) / double(whole) : 0.0;
}

/// One row of a grouped horizontal bar chart: a label and one value per series.
struct GroupRow
{
    std::string label;
    std::vector<double> values; ///< NaN: no bar; +inf: a bar to the end, labelled "∞"
};

/// Horizontal grouped bars: per row, one thin bar per series, on a shared axis [lo, hi]; the
/// value is printed after each bar by `format`. `key` goes into data-nnc of every bar.
template <class Format>
std::string groupedBarsSvg(const std::vector<GroupRow> &rows,
                           const std::vector<std::pair<std::string, const char *>> &series,
                           double lo, double hi, const std::string &key, Format format)
{
    const double W = 980, labelW = 260, valueW = 90, barH = 8, gapIn = 1, padRow = 5;
    const double legendH = 24;
    const double rowH = padRow * 2 + double(series.size()) * barH +
                        double(series.size() > 0 ? series.size() - 1 : 0) * gapIn;
    const double H = legendH + rowH * double(rows.size()) + 26;
    if (!(hi > lo))
        hi = lo + 1;
    const double px0 = labelW, px1 = W - valueW;
    auto X = [&](double v) {
        if (std::isinf(v))
            return v > 0 ? px1 : px0;
        return px0 + (std::clamp(v, lo, hi) - lo) / (hi - lo) * (px1 - px0);
    };
    std::string s =
        "<svg viewBox=\"0 0 " + num(W, 0) + " " + num(H, 0) + "\" width=\"100%\" role=\"img\">";
    double lx = px0;
    for (const auto &[name, color] : series) {
        s += "<rect x=\"" + num(lx) + "\" y=\"6\" width=\"12\" height=\"12\" fill=\"" + color +
             "\"/><text x=\"" + num(lx + 17) +
             "\" y=\"16\" font-size=\"12.5\" fill=\"#1d2433\">" + esc(name) + "</text>";
        lx += 40 + 7.0 * double(name.size());
    }
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const double y = legendH + rowH * double(i);
        if (i % 2 == 0)
            s += "<rect x=\"0\" y=\"" + num(y) + "\" width=\"" + num(W, 0) + "\" height=\"" +
                 num(rowH) + "\" fill=\"#f5f7fa\"/>";
        s += "<text x=\"" + num(labelW - 8) + "\" y=\"" + num(y + rowH / 2 + 4.5) +
             "\" font-size=\"12.5\" text-anchor=\"end\" fill=\"#1d2433\">" +
             esc(shortName(rows[i].label, 36)) + "</text>";
        for (std::size_t k = 0; k < series.size() && k < rows[i].values.size(); ++k) {
            const double v = rows[i].values[k];
            const double by = y + padRow + double(k) * (barH + gapIn);
            if (std::isnan(v))
                continue;
            const double e = X(v);
            s += "<rect x=\"" + num(px0) + "\" y=\"" + num(by) + "\" width=\"" +
                 num(std::max(1.5, e - px0)) + "\" height=\"" + num(barH) + "\" fill=\"" +
                 series[k].second + "\" data-nnc=\"" + esc(key) + "\" data-row=\"" +
                 esc(rows[i].label) + "\" data-series=\"" + std::to_string(k) +
                 "\" data-value=\"" + exact(v) + "\"/>";
            s += "<text x=\"" + num(std::max(px0, e) + 5) + "\" y=\"" + num(by + barH - 0.5) +
                 "\" font-size=\"9.5\" fill=\"#5b6475\">" + esc(format(v)) + "</text>";
        }
    }
    const double yb = legendH + rowH * double(rows.size());
    s += "<line x1=\"" + num(px0) + "\" x2=\"" + num(px0) + "\" y1=\"" + num(legendH) +
         "\" y2=\"" + num(yb) + "\" stroke=\"#5b6475\"/>";
    s += "<line x1=\"" + num(px0) + "\" x2=\"" + num(px1) + "\" y1=\"" + num(yb) + "\" y2=\"" +
         num(yb) + "\" stroke=\"#5b6475\"/>";
    s += "<text x=\"" + num(px0) + "\" y=\"" + num(yb + 16) +
         "\" font-size=\"11\" text-anchor=\"middle\" fill=\"#5b6475\">" + esc(format(lo)) +
         "</text>";
    s += "<text x=\"" + num(px1) + "\" y=\"" + num(yb + 16) +
         "\" font-size=\"11\" text-anchor=\"middle\" fill=\"#5b6475\">" + esc(format(hi)) +
         "</text>";
    return s + "</svg>";
}

constexpr const char *kTeacherColor = "#4a78c2";
constexpr const char *kStudentColor = "#e8973a";
constexpr const char *kPlanColor = "#7a5cc2";

/// The lower end of a per-class accuracy axis: a multiple of 10% at or below the lowest value,
/// at most 90% (so a chart of values near 100% still shows their differences).
double accuracyAxisLow(const std::vector<GroupRow> &rows)
{
    double mn = 1;
    for (const GroupRow &r : rows)
        for (double v : r.values)
            if (std::isfinite(v))
                mn = std::min(mn, v);
    return std::clamp(std::floor(mn * 10.0 - 1e-9) / 10.0, 0.0, 0.9);
}

/// Per-class rows of one distillation head (teacher, student, and the plan when there is one).
std::vector<GroupRow> distillClassRows(const DistillHead &h, bool withPlan)
{
    std::vector<GroupRow> rows;
    for (std::size_t i : reportClassRows(h)) {
        const ClassAccuracy &c = h.perClass[i];
        GroupRow r;
        r.label = c.name;
        r.values = {double(c.teacherCorrect) / double(c.total),
                    double(c.studentCorrect) / double(c.total)};
        if (withPlan)
            r.values.push_back(double(c.planCorrect) / double(c.total));
        rows.push_back(std::move(r));
    }
    return rows;
}

/// "1.20" for a drop in pp (no sign for positive values, "0.00" never negative).
std::string dropText(double pp)
{
    const std::string t = formatSignedPp(pp);
    return t.starts_with('+') ? t.substr(1) : t;
}

std::string budgetsHtml(const ReportData &d, L lang)
{
    auto T = [lang](std::string_view key, const std::vector<std::string> &args = {}) {
        return esc(reportText(key, lang, args));
    };
    std::string h = "<h3 style=\"margin-top:18px\">" + T("budgets_title") +
                    "</h3>\n<table class=\"budgets\">\n<tr><th class=\"text\">" +
                    T("col_output") + "</th><th>" + T("col_allowed_drop") + "</th><th>" +
                    T("col_actual_drop") + "</th><th class=\"text\">" + T("col_verdict") +
                    "</th></tr>\n";
    for (const BudgetVerdict &v : d.budgets)
        h += "<tr data-output=\"" + esc(v.output) + "\" data-nnc=\"budget\" data-pass=\"" +
             (v.pass ? "1" : "0") + "\"><td class=\"text\">" + esc(v.output) + "</td><td>" +
             esc(formatReal(v.maxDropPp, 4)) + "</td><td data-value=\"" + exact(v.dropPp) + "\">" +
             esc(dropText(v.dropPp)) + "</td><td class=\"text " + (v.pass ? "pos" : "neg") +
             "\"><b>" + T(v.pass ? "budget_pass" : "budget_fail") + "</b></td></tr>\n";
    return h + "</table>\n<p class=\"note\">" + T("budgets_note") + "</p>\n";
}

std::string fusionHtml(const ReportFusion &f, L lang)
{
    auto T = [lang](std::string_view key, const std::vector<std::string> &args = {}) {
        return esc(reportText(key, lang, args));
    };
    const FusionReport &r = f.result;
    std::string h = "<h2 id=\"fusion\">" + T("section_fusion") + "</h2>\n<p class=\"lead\">" +
                    esc(reportFusionHeadline(f, lang)) + "</p>\n<dl class=\"meta\">\n";
    const std::string comma = lang == L::Chinese ? "，" : ", ";
    auto modelLine = [&](const std::string &model, const std::string &data) {
        return esc(model) + (data.empty() ? std::string() : esc(comma) +
                                                                T("fusion_preview_data", {data}));
    };
    h += "<dt>" + T("fusion_model_a") + "</dt><dd data-nnc=\"fusion-a\">" +
         modelLine(f.modelA, f.dataA) + "</dd>\n";
    h += "<dt>" + T("fusion_model_b") + "</dt><dd data-nnc=\"fusion-b\">" +
         modelLine(f.modelB, f.dataB) + "</dd>\n";
    h += "<dt>" + T("fusion_backbone") + "</dt><dd data-nnc=\"fusion-backbone\" data-value=\"" +
         std::string(backboneSourceName(r.backbone)) + "\">" +
         T("fusion_backbone_facts",
           {std::to_string(r.backboneNodes), std::to_string(r.backboneComputeNodes),
            std::to_string(r.nodesA), std::to_string(r.nodesB),
            reportBackboneText(r.backbone, lang)}) +
         "</dd>\n</dl>\n";

    // Cost
    h += "<h3 style=\"margin-top:18px\">" + T("fusion_cost_title") +
         "</h3>\n<table class=\"fusion-cost\">\n<tr><th class=\"text\">" + T("col_measure") +
         "</th><th>" + T("col_model_a") + "</th><th>" + T("col_model_b") + "</th><th>" +
         T("col_a_plus_b") + "</th><th>" + T("col_fused") + "</th><th>" + T("col_saved") +
         "</th></tr>\n";
    auto costRow = [&](const char *key, const char *id, int64_t a, int64_t b, int64_t fused,
                       bool bytes) {
        auto fmt = [&](int64_t v) { return esc(bytes ? formatBytes(v) : formatCount(v)); };
        const int64_t sepv = a + b;
        h += "<tr data-nnc=\"fusion-" + std::string(id) + "\"><td class=\"text\">" + T(key) +
             "</td><td>" + fmt(a) + "</td><td>" + fmt(b) + "</td><td data-value=\"" +
             std::to_string(sepv) + "\">" + fmt(sepv) + "</td><td data-value=\"" +
             std::to_string(fused) + "\">" + fmt(fused) + "</td><td data-value=\"" +
             exact(share(sepv - fused, sepv)) + "\">" + fmt(sepv - fused) + " (" +
             esc(formatPercent(share(sepv - fused, sepv), 1)) + ")</td></tr>\n";
    };
    costRow("cost_parameters", "parameters", r.costA.parameters, r.costB.parameters,
            r.costFused.parameters, false);
    costRow("cost_bytes", "bytes", r.costA.bytes, r.costB.bytes, r.costFused.bytes, true);
    costRow("cost_macs", "macs", r.costA.macs, r.costB.macs, r.costFused.macs, false);
    h += "</table>\n<p class=\"note\">" +
         T("fusion_cost_note",
           {std::to_string(r.costOptions.batch), std::to_string(r.costOptions.sequence)}) +
         "</p>\n";

    // Heads
    h += "<h3 style=\"margin-top:18px\">" + T("fusion_heads") + "</h3>\n";
    if (r.heads.empty()) {
        h += "<p>" + T("fusion_no_preview") + "</p>\n";
    } else {
        h += "<table class=\"fusion-heads\">\n<tr><th class=\"text\">" + T("col_from_model") +
             "</th><th class=\"text\">" + T("col_output") + "</th><th class=\"text\">" +
             T("col_metric") + "</th><th>" + T("col_separate") + "</th><th>" +
             T("col_fused_model") + "</th><th>" + T("col_change") + "</th><th>" +
             T("col_agreement_separate") + "</th></tr>\n";
        for (const HeadPreview &p : r.heads)
            h += "<tr data-nnc=\"fusion-head\" data-output=\"" + esc(p.output) +
                 "\"><td class=\"text\">" + esc(p.model) + "</td><td class=\"text\">" +
                 esc(p.output) + "</td><td class=\"text\">" +
                 esc(reportMetricName(p.metric, lang)) + "</td><td data-value=\"" +
                 exact(p.separate) + "\">" + esc(formatPercent(p.separate)) +
                 "</td><td data-value=\"" + exact(p.fused) + "\">" + esc(formatPercent(p.fused)) +
                 "</td><td class=\"" + deltaClass(p.deltaPp) + "\" data-value=\"" +
                 exact(p.deltaPp) + "\">" + esc(formatSignedPp(p.deltaPp)) + "</td><td>" +
                 esc(formatPercent(p.agreement)) + "</td></tr>\n";
        h += "</table>\n<p class=\"note\">" + T("fusion_heads_note") + "</p>\n";
    }

    // Distances
    h += "<h3 style=\"margin-top:18px\">" + T("fusion_distances") +
         "</h3>\n<table class=\"fusion-distances\">\n<tr><th class=\"name\">" + T("col_layer") +
         "</th><th class=\"text\">" + T("col_op") + "</th><th class=\"name\">" +
         T("col_weight") + "</th><th class=\"text\">" + T("col_shape") + "</th><th>" +
         T("col_rel_l2") + "</th><th>" + T("col_cosine") + "</th></tr>\n";
    std::vector<GroupRow> rows;
    double mx = 0;
    for (const WeightDistance &w : r.weights) {
        std::string shape;
        for (int64_t dim : w.shape)
            shape += (shape.empty() ? "" : "×") + std::to_string(dim);
        h += "<tr data-nnc=\"fusion-weight\" data-weight=\"" + esc(w.weightA) +
             "\"><td class=\"name\">" + esc(w.node) + "</td><td class=\"text\">" +
             esc(w.opType) + "</td><td class=\"name\">" + esc(w.weightA) +
             (w.weightB != w.weightA ? " / " + esc(w.weightB) : std::string()) +
             "</td><td class=\"text\">[" + esc(shape) + "]</td><td data-value=\"" +
             exact(w.relativeL2) + "\">" +
             (w.identical ? T("identical") : esc(reportDistanceText(w.relativeL2))) +
             "</td><td data-value=\"" + exact(w.cosine) + "\">" +
             esc(reportDistanceText(w.cosine)) + "</td></tr>\n";
    }
    for (std::size_t i : reportDistanceRows(r.weights)) {
        const WeightDistance &w = r.weights[i];
        rows.push_back({w.weightA, {w.relativeL2, 1.0 - w.cosine}});
        for (double v : rows.back().values)
            if (std::isfinite(v))
                mx = std::max(mx, v);
    }
    h += "</table>\n";
    if (!rows.empty())
        h += "<div class=\"chart\">" +
             groupedBarsSvg(rows,
                            {{reportText("legend_rel_l2", lang), "#4a78c2"},
                             {reportText("legend_cos_dist", lang), "#e8973a"}},
                            0.0, mx > 0 ? mx * 1.05 : 1.0, "fusion-distance",
                            [](double v) { return reportDistanceText(v); }) +
             "</div>\n";
    h += "<p class=\"note\">" + T("fusion_distance_note");
    if (rows.size() < r.weights.size())
        h += " " + T("fusion_distances_truncated",
                     {std::to_string(rows.size()), std::to_string(r.weights.size())});
    h += "</p>\n";
    return h;
}

std::string distillHtml(const ReportDistillation &dd, L lang)
{
    auto T = [lang](std::string_view key, const std::vector<std::string> &args = {}) {
        return esc(reportText(key, lang, args));
    };
    const DistillReport &r = dd.result;
    const std::string comma = lang == L::Chinese ? "，" : ", ";
    std::string h = "<h2 id=\"distillation\">" + T("section_distill") +
                    "</h2>\n<p class=\"lead\">" + esc(reportDistillHeadline(dd, lang)) +
                    "</p>\n<dl class=\"meta\">\n";
    h += "<dt>" + T("distill_teacher") + "</dt><dd>" + esc(dd.teacherFile) + "</dd>\n";
    h += "<dt>" + T("distill_student") + "</dt><dd>" + esc(dd.studentFile) + "</dd>\n";
    h += "<dt>" + T("data") + "</dt><dd data-nnc=\"distill-samples\" data-value=\"" +
         std::to_string(r.samples) + "\">" + esc(dd.dataFile) + esc(comma) +
         T("samples_all", {formatCount(r.samples)}) + "</dd>\n";
    h += "<dt>" + T("distill_temperature") + "</dt><dd data-nnc=\"distill-temperature\" "
         "data-value=\"" + exact(r.temperature) + "\">" + esc(formatReal(r.temperature, 4)) +
         "</dd>\n";
    h += "<dt>" + T("distill_plan") + "</dt><dd>" +
         (r.withPlan ? (dd.planFile.empty() ? T("plan_in_memory") : esc(dd.planFile))
                     : T("distill_no_plan")) +
         "</dd>\n</dl>\n";

    // Heads
    h += "<h3 style=\"margin-top:18px\">" + T("distill_heads") +
         "</h3>\n<table class=\"distill-heads\">\n<tr><th class=\"text\">" + T("col_output") +
         "</th><th class=\"text\">" + T("col_metric") + "</th><th>" + T("col_teacher") +
         "</th><th>" + T("col_student") + "</th><th>" + T("col_change") + "</th><th>" +
         T("col_agreement_teacher") + "</th><th>" +
         T("col_kl", {formatReal(r.temperature, 4)}) + "</th>";
    if (r.withPlan)
        h += "<th>" + T("col_student_plan") + "</th><th>" + T("col_plan_change") + "</th>";
    h += "</tr>\n";
    for (const DistillHead &d : r.heads) {
        const std::string metric = d.hasLabels ? reportMetricName(d.metric, lang)
                                               : reportText("metric_agreement_teacher", lang);
        const double delta = (d.student - d.teacher) * 100.0;
        h += "<tr data-nnc=\"distill-head\" data-output=\"" + esc(d.output) +
             "\"><td class=\"text\">" + esc(d.output) + "</td><td class=\"text\">" + esc(metric) +
             "</td>";
        if (d.hasLabels)
            h += "<td data-value=\"" + exact(d.teacher) + "\">" + esc(formatPercent(d.teacher)) +
                 "</td><td data-value=\"" + exact(d.student) + "\">" +
                 esc(formatPercent(d.student)) + "</td><td class=\"" + deltaClass(delta) +
                 "\" data-value=\"" + exact(delta) + "\">" + esc(formatSignedPp(delta)) + "</td>";
        else
            h += "<td>" + T("not_run") + "</td><td>" + T("not_run") + "</td><td>" + T("not_run") +
                 "</td>";
        h += "<td data-value=\"" + exact(d.agreement) + "\">" + esc(formatPercent(d.agreement)) +
             "</td><td data-value=\"" + exact(d.klDivergence) + "\">" +
             esc(formatReal(d.klDivergence, 4)) + "</td>";
        if (r.withPlan) {
            if (d.hasLabels && d.plan) {
                const double pd = (*d.plan - d.teacher) * 100.0;
                h += "<td data-value=\"" + exact(*d.plan) + "\">" + esc(formatPercent(*d.plan)) +
                     "</td><td class=\"" + deltaClass(pd) + "\" data-value=\"" + exact(pd) +
                     "\">" + esc(formatSignedPp(pd)) + "</td>";
            } else if (d.planAgreement) {
                h += "<td>" + esc(formatPercent(*d.planAgreement)) + "</td><td>" + T("not_run") +
                     "</td>";
            } else {
                h += "<td>" + T("not_run") + "</td><td>" + T("not_run") + "</td>";
            }
        }
        h += "</tr>\n";
    }
    h += "</table>\n<p class=\"note\">" + T("distill_kl_note");
    if (!r.unmatchedOutputs.empty()) {
        std::string names;
        for (const std::string &o : r.unmatchedOutputs)
            names += (names.empty() ? "" : comma) + o;
        h += " " + T("distill_unmatched", {names});
    }
    h += "</p>\n";

    // Cost
    h += "<h3 style=\"margin-top:18px\">" + T("distill_cost") +
         "</h3>\n<table class=\"distill-cost\">\n<tr><th class=\"text\">" + T("col_model") +
         "</th><th>" + T("cost_parameters") + "</th><th>" + T("cost_bytes") + "</th><th>" +
         T("col_share_teacher") + "</th><th>" + T("cost_macs") + "</th><th>" +
         T("col_ms_batch") + "</th></tr>\n";
    auto ms = [&](double v) {
        return r.timedBatches > 0 ? T("ms", {num(v, 2)}) : T("not_run");
    };
    auto costRow = [&](const std::string &id, const std::string &name, const ModelCost &c,
                       int64_t bytes, const std::string &time) {
        h += "<tr data-nnc=\"distill-cost-" + id + "\"><td class=\"text\">" + name +
             "</td><td data-value=\"" + std::to_string(c.parameters) + "\">" +
             formatCount(c.parameters) + "</td><td data-value=\"" + std::to_string(bytes) + "\">" +
             esc(formatBytes(bytes)) + "</td><td>" +
             esc(formatPercent(share(bytes, r.teacherCost.bytes), 1)) + "</td><td data-value=\"" +
             std::to_string(c.macs) + "\">" + formatCount(c.macs) + "</td><td>" + time +
             "</td></tr>\n";
    };
    costRow("teacher", T("col_teacher"), r.teacherCost, r.teacherCost.bytes,
            ms(r.teacherMsPerBatch));
    costRow("student", T("col_student"), r.studentCost, r.studentCost.bytes,
            ms(r.studentMsPerBatch));
    if (r.withPlan)
        costRow("plan", T("col_student_plan"), r.studentCost, r.planSize.compressedBytes,
                T("not_run"));
    h += "</table>\n<p class=\"note\">" +
         T("distill_cost_note",
           {std::to_string(dd.cost.batch), std::to_string(dd.cost.sequence),
            std::to_string(r.timedBatches), std::to_string(r.batchSize)}) +
         "</p>\n";

    // Per class
    for (const DistillHead &d : r.heads) {
        if (!d.hasLabels || d.perClass.empty())
            continue;
        const std::vector<GroupRow> rows = distillClassRows(d, r.withPlan);
        if (rows.empty())
            continue;
        const double lo = accuracyAxisLow(rows);
        std::vector<std::pair<std::string, const char *>> series = {
            {reportText("col_teacher", lang), kTeacherColor},
            {reportText("col_student", lang), kStudentColor}};
        if (r.withPlan)
            series.emplace_back(reportText("col_student_plan", lang), kPlanColor);
        h += "<div class=\"chart\" data-output=\"" + esc(d.output) + "\"><h3>" +
             esc(reportCapitalized(reportText("distill_per_class", lang,
                                              {reportMetricName("accuracy", lang), d.output}),
                                   lang)) +
             "</h3>" +
             groupedBarsSvg(rows, series, lo, 1.0, "distill-class-" + d.output,
                            [](double v) { return formatPercent(v, 1); }) +
             "</div>\n";
        int64_t withSamples = 0;
        for (const ClassAccuracy &c : d.perClass)
            withSamples += c.total > 0;
        h += "<p class=\"note\">" + T("distill_per_class_note", {formatPercent(lo, 0)});
        if (int64_t(rows.size()) < withSamples)
            h += " " + T("distill_classes_truncated",
                         {std::to_string(rows.size()), std::to_string(withSamples)});
        h += "</p>\n";
    }
    return h;
}
} // namespace

std::string reportMetricName(const std::string &metric, L lang)
{
    const std::string key = "metric_" + metric;
    for (const ReportString &s : reportStrings())
        if (s.key == key)
            return reportText(key, lang);
    return metric;
}

std::string reportCapitalized(std::string text, L lang)
{
    if (lang == L::English && !text.empty() && text[0] >= 'a' && text[0] <= 'z')
        text[0] = static_cast<char>(text[0] - 'a' + 'A');
    return text;
}

std::string reportHeadline(const ReportData &d, L lang)
{
    const double ratio = d.size.ratio();
    std::string s = reportText(
        "headline", lang,
        {num(ratio, 2), formatBytes(d.size.floatBytes), formatBytes(d.size.compressedBytes)});
    for (const HeadResult &h : d.heads)
        s += (lang == L::Chinese ? "" : " ") +
             reportCapitalized(
                 reportText("headline_head", lang,
                            {reportMetricName(h.metric, lang), h.output, formatPercent(h.baseline),
                             formatPercent(h.compressed), formatSignedPp(h.deltaPp)}),
                 lang);
    if (!d.budgets.empty()) {
        bool allPass = true;
        for (const BudgetVerdict &v : d.budgets)
            if (!v.pass) {
                allPass = false;
                s += (lang == L::Chinese ? "" : " ") +
                     reportText("headline_budget_fail", lang,
                                {v.output, num(v.dropPp, 2), formatReal(v.maxDropPp, 4)});
            }
        if (allPass)
            s += (lang == L::Chinese ? "" : " ") + reportText("headline_budget_pass", lang);
    }
    return s;
}

std::vector<std::size_t> reportClassRows(const DistillHead &head)
{
    std::vector<std::size_t> idx;
    for (std::size_t i = 0; i < head.perClass.size(); ++i)
        if (head.perClass[i].total > 0)
            idx.push_back(i);
    if (idx.size() <= kMaxChartRows)
        return idx;
    auto gap = [&](std::size_t i, bool plan) {
        const ClassAccuracy &c = head.perClass[i];
        return std::abs(double(c.teacherCorrect - (plan ? c.planCorrect : c.studentCorrect))) /
               double(c.total);
    };
    std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) {
        if (gap(a, false) != gap(b, false))
            return gap(a, false) > gap(b, false);
        return gap(a, true) > gap(b, true);
    });
    idx.resize(kMaxChartRows);
    std::sort(idx.begin(), idx.end());
    return idx;
}

std::vector<std::size_t> reportDistanceRows(const std::vector<WeightDistance> &weights)
{
    std::vector<std::size_t> idx(weights.size());
    for (std::size_t i = 0; i < idx.size(); ++i)
        idx[i] = i;
    if (idx.size() <= kMaxChartRows)
        return idx;
    auto key = [&](std::size_t i) {
        const double v = weights[i].relativeL2;
        return std::isnan(v) ? -1.0 : v;
    };
    std::stable_sort(idx.begin(), idx.end(),
                     [&](std::size_t a, std::size_t b) { return key(a) > key(b); });
    idx.resize(kMaxChartRows);
    std::sort(idx.begin(), idx.end());
    return idx;
}

std::string reportBudgetNote(const ReportData &d, const std::string &output, L lang)
{
    for (const BudgetVerdict &v : d.budgets)
        if (v.output == output)
            return " \u00b7 " + reportText(v.pass ? "budget_pass" : "budget_fail", lang);
    return {};
}

std::string reportBackboneText(BackboneSource source, L lang)
{
    switch (source) {
    case BackboneSource::B:
        return reportText("backbone_b", lang);
    case BackboneSource::Mean:
        return reportText("backbone_mean", lang);
    default:
        return reportText("backbone_a", lang);
    }
}

std::string reportDistanceText(double v)
{
    if (std::isnan(v))
        return "\u2013";
    if (std::isinf(v))
        return "\u221e";
    return num(v, 4);
}

namespace {

std::string sep(L lang)
{
    return lang == L::Chinese ? "" : " ";
}

} // namespace

std::string reportFusionHeadline(const ReportFusion &f, L lang)
{
    const FusionReport &r = f.result;
    const int64_t pSep = r.costA.parameters + r.costB.parameters;
    const int64_t bSep = r.costA.bytes + r.costB.bytes;
    const int64_t mSep = r.costA.macs + r.costB.macs;
    std::string s = reportText(
        "fusion_headline", lang,
        {formatPercent(share(pSep - r.costFused.parameters, pSep), 1), formatCount(pSep),
         formatCount(r.costFused.parameters),
         formatPercent(share(bSep - r.costFused.bytes, bSep), 1),
         formatPercent(share(mSep - r.costFused.macs, mSep), 1)});
    if (r.heads.empty())
        return s + sep(lang) + reportText("fusion_no_preview", lang);
    for (const HeadPreview &h : r.heads)
        s += sep(lang) + reportCapitalized(reportText("fusion_headline_head", lang,
                                                      {reportMetricName(h.metric, lang), h.output,
                                                       formatPercent(h.fused),
                                                       formatPercent(h.separate),
                                                       formatSignedPp(h.deltaPp)}),
                                           lang);
    return s;
}

std::string reportDistillHeadline(const ReportDistillation &dd, L lang)
{
    const DistillReport &r = dd.result;
    std::vector<std::string> args = {
        formatPercent(share(r.studentCost.parameters, r.teacherCost.parameters), 1),
        formatCount(r.studentCost.parameters), formatCount(r.teacherCost.parameters),
        formatPercent(share(r.studentCost.macs, r.teacherCost.macs), 1)};
    std::string s;
    if (r.timedBatches > 0 && r.teacherMsPerBatch > 0) {
        args.push_back(formatPercent(r.studentMsPerBatch / r.teacherMsPerBatch, 0));
        s = reportText("distill_headline", lang, args);
    } else {
        s = reportText("distill_headline_untimed", lang, args);
    }
    for (const DistillHead &h : r.heads) {
        if (!h.hasLabels)
            continue;
        s += sep(lang) + reportCapitalized(reportText("distill_headline_head", lang,
                                                      {reportMetricName(h.metric, lang), h.output,
                                                       formatPercent(h.teacher),
                                                       formatPercent(h.student),
                                                       formatSignedPp((h.student - h.teacher) *
                                                                      100.0)}),
                                           lang);
    }
    if (r.withPlan) {
        std::string items;
        for (const DistillHead &h : r.heads)
            if (h.hasLabels && h.plan)
                items += (items.empty() ? "" : lang == L::Chinese ? "，" : ", ") +
                         reportText("distill_plan_item", lang,
                                    {reportMetricName(h.metric, lang), h.output,
                                     formatPercent(*h.plan),
                                     formatSignedPp((*h.plan - h.teacher) * 100.0)});
        if (!items.empty())
            s += sep(lang) + reportText("distill_headline_plan", lang,
                                        {formatBytes(r.planSize.compressedBytes), items});
    }
    return s;
}

std::string reportBitsText(const ReportLayer &layer, L lang)
{
    if (layer.keptAsStored)
        return reportText("bits_stored", lang, {layer.storedType});
    if (!layer.quantized)
        return reportText("float", lang);
    return std::to_string(layer.bits);
}

std::string reportPruningText(const ReportLayer &layer, L lang)
{
    const PruneSpec &p = layer.pruning.spec;
    if (!layer.pruning.enabled())
        return reportText("not_run", lang);
    if (p.structure == PruneStructure::NM)
        return std::to_string(p.n) + ":" + std::to_string(p.m);
    std::string t = formatPercent(p.ratio, 0);
    if (p.structure == PruneStructure::Channel)
        t += lang == L::Chinese ? "（通道）" : " ch.";
    return t;
}

std::string reportDataLine(const ReportData &d, L lang)
{
    const std::string n = d.samples < d.datasetSize
                              ? reportText("samples_limited", lang,
                                           {formatCount(d.samples), formatCount(d.datasetSize)})
                              : reportText("samples_all", lang, {formatCount(d.samples)});
    return d.dataFile + (lang == L::Chinese ? "，" : ", ") + n;
}

std::string reportModelLine(const ReportData &d, L lang)
{
    return d.modelFile + (lang == L::Chinese ? "：" : ": ") +
           reportText("model_facts", lang,
                      {std::to_string(d.layers.size()), formatCount(d.modelParameters),
                       std::to_string(d.opset)});
}

namespace {

std::string quantText(const QuantConfig &q, bool weights, L lang)
{
    if (!q.enabled)
        return reportText("not_quantized", lang);
    std::string t =
        reportText("quant_desc", lang,
                   {std::to_string(q.spec.bits),
                    reportText(weights && q.granularity == Granularity::PerChannel ? "per_channel"
                                                                                   : "per_tensor",
                               lang),
                    reportText(q.spec.symmetric ? "symmetric" : "asymmetric", lang)});
    if (!weights) {
        std::string method;
        switch (q.calibration.method) {
        case CalibMethod::MinMax:
            method = reportText("calib_minmax", lang);
            break;
        case CalibMethod::Percentile:
            method =
                reportText("calib_percentile", lang, {formatReal(q.calibration.percentile, 6)});
            break;
        case CalibMethod::Entropy:
            method = reportText("calib_entropy", lang);
            break;
        case CalibMethod::Mse:
            method = reportText("calib_mse", lang);
            break;
        case CalibMethod::Manual:
            method = reportText("calib_manual", lang);
            break;
        }
        t += (lang == L::Chinese ? "，" : ", ") + reportText("calibrated_with", lang, {method});
    }
    return t;
}

std::string pruneText(const PruneConfig &p, L lang)
{
    if (!p.enabled())
        return reportText("no_pruning", lang);
    switch (p.spec.structure) {
    case PruneStructure::NM:
        return reportText("prune_nm", lang, {std::to_string(p.spec.n), std::to_string(p.spec.m)});
    case PruneStructure::Channel:
        return reportText("prune_channel", lang, {formatPercent(p.spec.ratio, 0)});
    default:
        return reportText("prune_unstructured", lang, {formatPercent(p.spec.ratio, 0)});
    }
}

/// Same settings apart from the range (a calibrated or manual range is not a different setting).
bool sameSetting(const QuantConfig &a, const QuantConfig &b)
{
    if (a.enabled != b.enabled)
        return false;
    if (!a.enabled)
        return true;
    return a.spec.bits == b.spec.bits && a.spec.range == b.spec.range &&
           a.spec.symmetric == b.spec.symmetric && a.granularity == b.granularity &&
           a.calibration.method == b.calibration.method &&
           a.calibration.percentile == b.calibration.percentile;
}

} // namespace

std::vector<std::pair<std::string, std::string>> reportPlanSummary(const ReportData &d, L lang)
{
    const CompressionPlan &p = d.plan;
    std::vector<std::pair<std::string, std::string>> out;
    out.emplace_back(reportText("plan_weights", lang), quantText(p.weightDefaults, true, lang));
    out.emplace_back(reportText("plan_activations", lang),
                     quantText(p.activationDefaults, false, lang));
    out.emplace_back(reportText("plan_pruning", lang), pruneText(p.pruneDefaults, lang));
    const std::string sep = lang == L::Chinese ? "；" : "; ";
    const std::string colon = lang == L::Chinese ? "：" : ": ";
    std::string layers;
    for (const ReportLayer &l : d.layers) {
        const QuantConfig q = p.weightConfig(l.name);
        const PruneConfig pr = p.pruneConfig(l.name);
        std::vector<std::string> parts;
        if (!sameSetting(q, p.weightDefaults))
            parts.push_back(reportText("plan_layer_weights", lang, {quantText(q, true, lang)}));
        if (pr.spec.ratio != p.pruneDefaults.spec.ratio ||
            pr.spec.structure != p.pruneDefaults.spec.structure ||
            pr.spec.n != p.pruneDefaults.spec.n || pr.spec.m != p.pruneDefaults.spec.m)
            parts.push_back(reportText("plan_layer_pruning", lang, {pruneText(pr, lang)}));
        if (parts.empty())
            continue;
        std::string joined;
        for (const auto &s : parts)
            joined += (joined.empty() ? "" : (lang == L::Chinese ? "，" : ", ")) + s;
        layers += (layers.empty() ? "" : sep) + l.name + colon + joined;
    }
    out.emplace_back(reportText("plan_overrides", lang),
                     layers.empty() ? reportText("plan_no_overrides", lang) : layers);
    std::string acts;
    for (const auto &[tensor, o] : p.activations) {
        const QuantConfig q = p.activationConfig(tensor);
        if (sameSetting(q, p.activationDefaults))
            continue;
        acts += (acts.empty() ? "" : sep) + tensor + colon + quantText(q, false, lang);
    }
    if (!acts.empty())
        out.emplace_back(reportText("plan_act_overrides", lang), acts);
    return out;
}

std::string renderReportHtml(const ReportData &d, L lang)
{
    auto T = [lang](std::string_view key, const std::vector<std::string> &args = {}) {
        return esc(reportText(key, lang, args));
    };
    std::string h;
    h.reserve(64 * 1024);
    h += "<!DOCTYPE html>\n<html lang=\"";
    h += lang == L::Chinese ? "zh-CN" : "en";
    h += "\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>";
    h += T("title") + " \u2013 " + esc(d.modelFile) + "</title>\n<style>" + kCss +
         "</style>\n</head>\n<body>\n<main>\n";

    // Title block
    h += "<h1>" + T("title") + "</h1>\n<p class=\"sub\">" + esc(d.modelFile) + "</p>\n";
    h += "<dl class=\"meta\">\n";
    h += "<dt>" + T("model") + "</dt><dd>" + esc(reportModelLine(d, lang)) + "</dd>\n";
    h += "<dt>" + T("data") + "</dt><dd data-nnc=\"samples\" data-value=\"" +
         std::to_string(d.samples) + "\">" + esc(reportDataLine(d, lang));
    if (!d.dataDescription.empty())
        h += "<br><span class=\"desc\">" + esc(d.dataDescription) + "</span>";
    h += "</dd>\n<dt>" + T("plan") + "</dt><dd>" +
         (d.planFile.empty() ? T("plan_in_memory") : esc(d.planFile)) + "</dd>\n";
    h += "<dt>" + T("created") + "</dt><dd>" + esc(d.created) + "</dd>\n</dl>\n";

    // Key figures
    h += "<h2>" + T("section_summary") + "</h2>\n<p class=\"lead\" data-nnc=\"headline\">" +
         esc(reportHeadline(d, lang)) + "</p>\n";
    if (d.fusion)
        h += "<p class=\"lead\"><b>" + T("section_fusion") + (lang == L::Chinese ? "：" : ": ") +
             "</b>" + esc(reportFusionHeadline(*d.fusion, lang)) + "</p>\n";
    if (d.distillation)
        h += "<p class=\"lead\"><b>" + T("section_distill") +
             (lang == L::Chinese ? "：" : ": ") + "</b>" +
             esc(reportDistillHeadline(*d.distillation, lang)) + "</p>\n";
    h += "<div class=\"cards\">\n";
    h += "<div class=\"card\"><div class=\"label\">" + T("fig_size") +
         "</div><div class=\"big\"><span data-nnc=\"size-before\" data-value=\"" +
         std::to_string(d.size.floatBytes) + "\">" + esc(formatBytes(d.size.floatBytes)) +
         "</span><span class=\"arrow\">\u2192</span><span data-nnc=\"size-after\" data-value=\"" +
         std::to_string(d.size.compressedBytes) + "\">" + esc(formatBytes(d.size.compressedBytes)) +
         "</span></div><div class=\"small\">" + T("before") + " \u2192 " + T("after") +
         "</div></div>\n";
    const double ratio = d.size.ratio();
    h += "<div class=\"card\"><div class=\"label\">" + T("fig_ratio") +
         "</div><div class=\"big\" data-nnc=\"ratio\" data-value=\"" + exact(ratio) + "\">" +
         T("times", {num(ratio, 2)}) + "</div><div class=\"small\">" +
         T("fig_ratio_detail", {formatPercent(ratio > 0 ? 1.0 - 1.0 / ratio : 0.0, 0)}) +
         "</div></div>\n";
    for (std::size_t i = 0; i < d.heads.size(); ++i) {
        const HeadResult &hr = d.heads[i];
        const std::string id = "head-" + std::to_string(i);
        h += "<div class=\"card\" data-output=\"" + esc(hr.output) + "\"><div class=\"label\">" +
             esc(reportCapitalized(
                 reportText("fig_metric", lang, {reportMetricName(hr.metric, lang), hr.output}),
                 lang)) +
             "</div><div class=\"big\"><span data-nnc=\"" + id + "-baseline\" data-value=\"" +
             exact(hr.baseline) + "\">" + esc(formatPercent(hr.baseline)) +
             "</span><span class=\"arrow\">\u2192</span><span data-nnc=\"" + id +
             "-compressed\" data-value=\"" + exact(hr.compressed) + "\">" +
             esc(formatPercent(hr.compressed)) + "</span></div><div class=\"small " +
             deltaClass(hr.deltaPp) + "\" data-nnc=\"" + id + "-delta\" data-value=\"" +
             exact(hr.deltaPp) + "\">" + T("pp", {formatSignedPp(hr.deltaPp)}) +
             esc(reportBudgetNote(d, hr.output, lang)) + "</div></div>\n";
    }
    h += "</div>\n<p class=\"note\">" + T("size_note") + "</p>\n";

    // Plan
    h += "<h2>" + T("section_plan") + "</h2>\n<ul class=\"plan\">\n";
    for (const auto &[label, text] : reportPlanSummary(d, lang))
        h += "<li><b>" + esc(label) + "</b> " + esc(text) + "</li>\n";
    h += "</ul>\n";
    if (!d.calibrated.empty())
        h += "<p class=\"note\">" + T("calibrated_note", {std::to_string(d.calibrated.size())}) +
             "</p>\n";

    // Heads
    h += "<h2>" + T("section_heads") + "</h2>\n<table>\n<tr><th class=\"text\">" + T("col_output") +
         "</th><th class=\"text\">" + T("col_metric") + "</th><th>" + T("col_float") + "</th><th>" +
         T("col_compressed") + "</th><th>" + T("col_change") + "</th><th>" + T("col_agreement") +
         "</th><th>" + T("col_osqnr") + "</th><th>" + T("col_changed") + "</th></tr>\n";
    for (const HeadResult &hr : d.heads) {
        h += "<tr data-output=\"" + esc(hr.output) + "\"><td class=\"text\">" + esc(hr.output) +
             "</td><td class=\"text\">" + esc(reportMetricName(hr.metric, lang)) +
             (hr.hasLabels || hr.metric == "agreement" ? "" : " (" + T("no_labels") + ")") +
             "</td><td>" + esc(formatPercent(hr.baseline)) + "</td><td>" +
             esc(formatPercent(hr.compressed)) + "</td><td class=\"" + deltaClass(hr.deltaPp) +
             "\">" + esc(formatSignedPp(hr.deltaPp)) + "</td><td>" +
             esc(formatPercent(hr.agreement)) + "</td><td>" + esc(formatDb(hr.sqnrDb, lang)) +
             "</td><td>" + formatCount(static_cast<int64_t>(hr.changedSamples.size())) +
             "</td></tr>\n";
    }
    h += "</table>\n";
    if (!d.budgets.empty())
        h += budgetsHtml(d, lang);

    // Model against model: fusion and distillation
    if (d.fusion)
        h += fusionHtml(*d.fusion, lang);
    if (d.distillation)
        h += distillHtml(*d.distillation, lang);

    // Layers
    h += "<h2>" + T("section_layers") + "</h2>\n<table>\n<tr><th class=\"name\">" + T("col_layer") +
         "</th><th class=\"text\">" + T("col_op") + "</th><th>" + T("col_params") + "</th><th>" +
         T("col_bits") + "</th><th>" + T("col_pruning") + "</th><th>" + T("col_sparsity") +
         "</th><th>" + T("col_wsqnr") + "</th><th>" + T("col_osqnr") + "</th><th>" + T("col_sens") +
         "</th><th>" + T("col_size") + "</th></tr>\n";
    for (const ReportLayer &l : d.layers) {
        h += "<tr data-layer=\"" + esc(l.name) + "\"><td class=\"name\">" + esc(l.name) +
             "</td><td class=\"text\">" + esc(l.op) + "</td><td>" + formatCount(l.params) +
             "</td><td data-nnc=\"bits\" data-value=\"" + std::to_string(l.bits) + "\">" +
             esc(reportBitsText(l, lang)) + "</td><td>" + esc(reportPruningText(l, lang)) +
             "</td><td data-nnc=\"sparsity\" data-value=\"" + exact(l.sparsity) + "\">" +
             esc(formatPercent(l.sparsity, 1)) + "</td><td data-nnc=\"wsqnr\" data-value=\"" +
             exact(l.weightSqnrDb) + "\">" + esc(formatDb(l.weightSqnrDb, lang)) +
             "</td><td data-nnc=\"osqnr\" data-value=\"" + exact(l.outputSqnrDb) + "\">" +
             esc(formatDb(l.outputSqnrDb, lang)) + "</td>";
        if (l.sensitivityPp)
            h += "<td data-nnc=\"sens\" data-value=\"" + exact(*l.sensitivityPp) + "\" class=\"" +
                 deltaClass(*l.sensitivityPp) + "\">" + esc(formatSignedPp(*l.sensitivityPp)) +
                 "</td>";
        else
            h += "<td>" + T("not_run") + "</td>";
        h += "<td data-nnc=\"size\" data-value=\"" + std::to_string(l.compressedBytes) + "\">" +
             esc(formatBytes(l.floatBytes)) + " \u2192 " + esc(formatBytes(l.compressedBytes)) +
             "</td></tr>\n";
    }
    int64_t params = 0, fb = 0, cb = 0;
    for (const ReportLayer &l : d.layers) {
        params += l.params;
        fb += l.floatBytes;
        cb += l.compressedBytes;
    }
    h += "<tr class=\"total\"><td class=\"text\">" + T("total") + "</td><td></td><td>" +
         formatCount(params) + "</td><td></td><td></td><td></td><td></td><td></td><td></td><td>" +
         esc(formatBytes(fb)) + " \u2192 " + esc(formatBytes(cb)) + "</td></tr>\n</table>\n";
    h += "<p class=\"note\">" + T("layers_note", {std::to_string(d.layerErrorSamples)});
    if (std::any_of(d.layers.begin(), d.layers.end(),
                    [](const ReportLayer &l) { return l.keptAsStored; }))
        h += " " + T("stored_note");
    h += "</p>\n";

    // Histograms
    h += "<h2>" + T("section_histograms") + "</h2>\n";
    if (d.histograms.empty()) {
        h += "<p>" + T("histograms_none") + "</p>\n";
    } else {
        h += "<div class=\"hists\">\n";
        for (const ReportHistogram &g : d.histograms) {
            h += "<div class=\"hist\" data-layer=\"" + esc(g.layer) + "\"><h3>" + esc(g.layer) +
                 "</h3>" + histogramSvg(g, lang) + "<div class=\"facts\">";
            std::vector<std::string> facts;
            if (g.quantized) {
                facts.push_back(
                    reportText("quant_desc", lang,
                               {std::to_string(g.bits),
                                reportText(g.channels > 1 ? "per_channel" : "per_tensor", lang),
                                reportText("hist_channels", lang, {formatCount(g.channels)})}));
                facts.push_back(
                    reportText("hist_range", lang, {formatReal(g.rangeLo), formatReal(g.rangeHi)}));
                if (g.channels > 1)
                    facts.push_back(reportText("hist_narrow", lang,
                                               {formatReal(g.narrowLo), formatReal(g.narrowHi)}));
                facts.push_back(
                    reportText("hist_step", lang,
                               {g.stepMin == g.stepMax
                                    ? formatReal(g.stepMin)
                                    : formatReal(g.stepMin) + "\u2013" + formatReal(g.stepMax)}));
                facts.push_back(g.clippedShare > 0 ? reportText("hist_clipped", lang,
                                                                {formatPercent(g.clippedShare, 2)})
                                                   : reportText("hist_none_clipped", lang));
            } else {
                facts.push_back(reportText("hist_not_quantized", lang));
            }
            facts.push_back(reportText("col_wsqnr", lang) + " " + formatDb(g.weightSqnrDb, lang));
            facts.push_back(reportText("col_osqnr", lang) + " " + formatDb(g.outputSqnrDb, lang));
            std::string joined;
            for (const auto &f : facts)
                joined += (joined.empty() ? "" : " \u00b7 ") + f;
            h += esc(joined) + "</div></div>\n";
        }
        h += "</div>\n<p class=\"note\">" + T("histograms_note") + "</p>\n";
    }

    // Sensitivity
    h += "<h2>" + T("section_sensitivity") + "</h2>\n";
    if (d.sensitivity && !d.sensitivity->bars.empty()) {
        const ReportSensitivity &s = *d.sensitivity;
        const std::size_t shown = std::min<std::size_t>(s.bars.size(), kMaxSensitivityBars);
        for (std::size_t head = 0; head < s.heads.size(); ++head) {
            std::vector<std::pair<std::string, double>> rows;
            for (std::size_t i : s.order(head))
                if (rows.size() < shown)
                    rows.emplace_back(s.bars[i].layer, s.bars[i].deltaPp[head]);
            h += "<div class=\"chart\"><h3>" +
                 esc(reportCapitalized(reportText("sens_title", lang,
                                                  {reportMetricName(s.metrics[head], lang),
                                                   std::to_string(s.bits), s.heads[head]}),
                                       lang)) +
                 "</h3>" + sensitivitySvg(rows, s.heads[head], lang) + "</div>\n";
        }
        h += "<p class=\"note\">" + T("sens_note", {std::to_string(s.bits)});
        if (shown < s.bars.size())
            h += " " + T("sens_truncated", {std::to_string(shown), std::to_string(s.bars.size())});
        h += "</p>\n";
    } else {
        h += "<p>" + T("sens_skipped") + "</p>\n";
    }
    h += "<footer>" + T("footer") + "</footer>\n</main>\n</body>\n</html>\n";
    return h;
}

Result<void> writeReportHtml(const ReportData &data, L lang, const std::filesystem::path &path)
{
    return writeFileAtomically(path, renderReportHtml(data, lang));
}

} // namespace nnc
