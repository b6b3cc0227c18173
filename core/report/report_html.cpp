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
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(230px,1fr));gap:14px;
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
th{background:#eef1f6;font-weight:600;color:#364056}
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
    h += "<h2>" + T("section_summary") + "</h2>\n<p class=\"lead\">" +
         esc(reportHeadline(d, lang)) + "</p>\n<div class=\"cards\">\n";
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
             exact(hr.deltaPp) + "\">" + T("pp", {formatSignedPp(hr.deltaPp)}) + "</div></div>\n";
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
