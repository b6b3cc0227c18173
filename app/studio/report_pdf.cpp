// The compression report as an A4 PDF drawn with QPainter on QPdfWriter (text, tables and charts
// by hand, so the layout is the same on every machine), and the headless --report-pdf command.
#include "app/studio/report_pdf.h"

#include <QBuffer>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFileInfo>
#include <QFont>
#include <QFontMetricsF>
#include <QPageLayout>
#include <QPainter>
#include <QPainterPath>
#include <QPdfWriter>
#include <QSaveFile>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace nnc::studio {

namespace {

using L = nnc::ReportLanguage;

// Device units are tenths of a point (720 dpi), so fonts and lines can be sized in fractions of
// a point while coordinates stay exact.
constexpr int kDpi = 720;
constexpr double kPt = kDpi / 72.0;

const QColor kInk(0x1d, 0x24, 0x33), kMuted(0x5b, 0x64, 0x75), kLine(0xd9, 0xde, 0xe7),
    kHeader(0xee, 0xf1, 0xf6), kNeg(0xc8, 0x37, 0x2d), kPos(0x1f, 0x8a, 0x58),
    kZero(0x9a, 0xa3, 0xb2), kBar(0x4a, 0x78, 0xc2), kShade(0xf6, 0xc5, 0x6f),
    kShade2(0xe8, 0x97, 0x3a), kRangeLine(0xc7, 0x7a, 0x16), kStripe(0xf5, 0xf7, 0xfa),
    kAccent(0x2c, 0x6b, 0xed), kPlan(0x7a, 0x5c, 0xc2);

QString q(const std::string &s)
{
    return QString::fromStdString(s);
}

QColor deltaColor(double pp)
{
    const double r = std::round(pp * 100) / 100;
    return r < 0 ? kNeg : r > 0 ? kPos : kMuted;
}

/// One pass over the report. The first pass only counts pages (drawn into a throwaway buffer),
/// the second draws with "Page i of n" footers.
class PdfPainter
{
public:
    PdfPainter(QPdfWriter &writer, const nnc::ReportData &d, L lang, int totalPages)
        : m_writer(writer), m_d(d), m_lang(lang), m_total(totalPages)
    {
        m_p.begin(&m_writer);
        m_left = 40 * kPt;
        m_right = m_writer.width() - 40 * kPt;
        m_top = 40 * kPt;
        m_bottom = m_writer.height() - 46 * kPt;
        m_y = m_top;
    }

    bool ok() const { return m_p.isActive(); }

    int run()
    {
        titleBlock();
        keyFigures();
        planSummary();
        headsTable();
        budgets();
        if (m_d.fusion)
            fusion(*m_d.fusion);
        if (m_d.distillation)
            distillation(*m_d.distillation);
        layerTable();
        histograms();
        sensitivity();
        footer();
        m_p.end();
        return m_page;
    }

private:
    QFont font(double points, bool bold = false, bool mono = false) const
    {
        QFont f;
        QStringList families;
        if (mono)
            families << QStringLiteral("DejaVu Sans Mono");
        if (m_lang == L::Chinese)
            families << QStringLiteral("WenQuanYi Micro Hei") << QStringLiteral("Noto Sans CJK SC")
                     << QStringLiteral("DejaVu Sans");
        else
            families << QStringLiteral("DejaVu Sans") << QStringLiteral("WenQuanYi Micro Hei")
                     << QStringLiteral("Noto Sans CJK SC");
        f.setFamilies(families);
        f.setPointSizeF(points);
        f.setBold(bold);
        return f;
    }

    QString T(std::string_view key, const std::vector<std::string> &args = {}) const
    {
        return q(nnc::reportText(key, m_lang, args));
    }

    double width() const { return m_right - m_left; }

    /// Height of `text` wrapped to `w` in `f`.
    double measure(const QString &text, const QFont &f, double w, int flags = 0)
    {
        m_p.setFont(f);
        return m_p.boundingRect(QRectF(0, 0, w, 1e6), flags | Qt::TextWordWrap, text).height();
    }

    /// Draws wrapped text at (x, y) within width w; returns its height.
    double text(double x, double y, double w, const QString &s, const QFont &f,
                const QColor &c = kInk, int flags = Qt::AlignLeft)
    {
        m_p.setFont(f);
        m_p.setPen(c);
        QRectF used;
        m_p.drawText(QRectF(x, y, w, 1e6), flags | Qt::AlignTop | Qt::TextWordWrap, s, &used);
        return used.height();
    }

    void need(double h)
    {
        if (m_y + h > m_bottom)
            newPage();
    }

    void newPage()
    {
        footer();
        m_writer.newPage();
        ++m_page;
        m_y = m_top;
    }

    void footer()
    {
        const double y = m_bottom + 16 * kPt;
        m_p.setPen(QPen(kLine, 0.8 * kPt));
        m_p.drawLine(QPointF(m_left, y - 6 * kPt), QPointF(m_right, y - 6 * kPt));
        const QFont f = font(7.5);
        text(m_left, y, width() * 0.7,
             T("title") + QStringLiteral(" \u00b7 ") + q(m_d.modelFile) +
                 QStringLiteral(" \u00b7 ") + q(m_d.created),
             f, kMuted);
        if (m_total > 0)
            text(m_left, y, width(), T("page", {std::to_string(m_page), std::to_string(m_total)}),
                 f, kMuted, Qt::AlignRight);
    }

    void heading(const QString &s)
    {
        const QFont f = font(13, true);
        need(measure(s, f, width()) + 60 * kPt); // keep a heading with what follows
        m_y += 10 * kPt;
        m_y += text(m_left, m_y, width(), s, f);
        m_y += 3 * kPt;
        m_p.setPen(QPen(kLine, 1.2 * kPt));
        m_p.drawLine(QPointF(m_left, m_y), QPointF(m_right, m_y));
        m_y += 8 * kPt;
    }

    void note(const QString &s)
    {
        const QFont f = font(7.5);
        const double h = measure(s, f, width());
        need(h + 4 * kPt);
        m_y += 4 * kPt;
        m_y += text(m_left, m_y, width(), s, f, kMuted);
    }

    void titleBlock()
    {
        m_y += text(m_left, m_y, width(), T("title"), font(22, true));
        m_y += 2 * kPt;
        m_y += text(m_left, m_y, width(), q(m_d.modelFile), font(12), kMuted);
        m_y += 10 * kPt;
        const double labelW = 86 * kPt;
        const QFont lf = font(8.5), vf = font(8.5), df = font(7.5);
        auto row = [&](const QString &label, const QString &value, const QString &detail = {}) {
            double h = text(m_left + labelW, m_y, width() - labelW, value, vf);
            if (!detail.isEmpty())
                h +=
                    text(m_left + labelW, m_y + h + 1 * kPt, width() - labelW, detail, df, kMuted) +
                    1 * kPt;
            text(m_left, m_y, labelW, label, lf, kMuted);
            m_y += h + 3 * kPt;
        };
        row(T("model"), q(nnc::reportModelLine(m_d, m_lang)));
        row(T("data"), q(nnc::reportDataLine(m_d, m_lang)), q(m_d.dataDescription));
        row(T("plan"), m_d.planFile.empty() ? T("plan_in_memory") : q(m_d.planFile));
        row(T("created"), q(m_d.created));
        m_y += 2 * kPt;
        m_y += text(m_left, m_y, width(), T("footer"), df, kMuted);
    }

    struct Card
    {
        QString label, big, small;
        QColor smallColor = kMuted;
    };

    void keyFigures()
    {
        heading(T("section_summary"));
        m_y +=
            text(m_left, m_y, width(), q(nnc::reportHeadline(m_d, m_lang)), font(10.5)) + 8 * kPt;
        const QString colon = m_lang == L::Chinese ? QStringLiteral("：") : QStringLiteral(": ");
        if (m_d.fusion)
            m_y += labelled(T("section_fusion") + colon,
                            q(nnc::reportFusionHeadline(*m_d.fusion, m_lang)), font(9)) +
                   6 * kPt;
        if (m_d.distillation)
            m_y += labelled(T("section_distill") + colon,
                            q(nnc::reportDistillHeadline(*m_d.distillation, m_lang)), font(9)) +
                   6 * kPt;
        std::vector<Card> cards;
        cards.push_back({T("fig_size"),
                         q(nnc::formatBytes(m_d.size.floatBytes)) + QStringLiteral(" \u2192 ") +
                             q(nnc::formatBytes(m_d.size.compressedBytes)),
                         T("before") + QStringLiteral(" \u2192 ") + T("after")});
        const double ratio = m_d.size.ratio();
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.2f", ratio);
        cards.push_back(
            {T("fig_ratio"), T("times", {buf}),
             T("fig_ratio_detail", {nnc::formatPercent(ratio > 0 ? 1.0 - 1.0 / ratio : 0.0, 0)})});
        for (const nnc::HeadResult &h : m_d.heads)
            cards.push_back(
                {q(nnc::reportCapitalized(
                     nnc::reportText("fig_metric", m_lang,
                                     {nnc::reportMetricName(h.metric, m_lang), h.output}),
                     m_lang)),
                 q(nnc::formatPercent(h.baseline)) + QStringLiteral(" \u2192 ") +
                     q(nnc::formatPercent(h.compressed)),
                 T("pp", {nnc::formatSignedPp(h.deltaPp)}) +
                     q(nnc::reportBudgetNote(m_d, h.output, m_lang)),
                 deltaColor(h.deltaPp)});
        const int perRow = 3;
        const double gap = 8 * kPt;
        const double cw = (width() - gap * (perRow - 1)) / perRow;
        const QFont lf = font(8), sf = font(8.5);
        // The large figures stay on one line: the font shrinks (down to 10 pt) to fit the card.
        double big = 15;
        for (const Card &c : cards)
            while (big > 10 && QFontMetricsF(font(big, true), &m_writer).horizontalAdvance(c.big) >
                                   cw - 16 * kPt)
                big -= 0.5;
        const QFont bf = font(big, true);
        for (std::size_t i = 0; i < cards.size(); i += perRow) {
            double h = 0;
            for (std::size_t k = i; k < std::min(cards.size(), i + perRow); ++k)
                h = std::max(h, measure(cards[k].label, lf, cw - 16 * kPt) +
                                    measure(cards[k].big, bf, cw - 16 * kPt) +
                                    measure(cards[k].small, sf, cw - 16 * kPt) + 22 * kPt);
            need(h + gap);
            for (std::size_t k = i; k < std::min(cards.size(), i + perRow); ++k) {
                const double x = m_left + double(k - i) * (cw + gap);
                m_p.setPen(QPen(kLine, 0.8 * kPt));
                m_p.setBrush(Qt::white);
                m_p.drawRoundedRect(QRectF(x, m_y, cw, h), 6 * kPt, 6 * kPt);
                double y = m_y + 8 * kPt;
                y += text(x + 8 * kPt, y, cw - 16 * kPt, cards[k].label, lf, kMuted) + 2 * kPt;
                y += text(x + 8 * kPt, y, cw - 16 * kPt, cards[k].big, bf) + 2 * kPt;
                text(x + 8 * kPt, y, cw - 16 * kPt, cards[k].small, sf, cards[k].smallColor);
            }
            m_y += h + gap;
        }
        note(T("size_note"));
    }

    void planSummary()
    {
        heading(T("section_plan"));
        const double labelW = 130 * kPt;
        const QFont lf = font(8.5, true), vf = font(8.5);
        for (const auto &[label, value] : nnc::reportPlanSummary(m_d, m_lang)) {
            const double h = std::max(measure(q(value), vf, width() - labelW),
                                      measure(q(label), lf, labelW - 6 * kPt));
            need(h + 6 * kPt);
            text(m_left, m_y, labelW - 6 * kPt, q(label), lf, kInk);
            text(m_left + labelW, m_y, width() - labelW, q(value), vf);
            m_y += h + 3 * kPt;
            m_p.setPen(QPen(kLine, 0.5 * kPt));
            m_p.drawLine(QPointF(m_left, m_y), QPointF(m_right, m_y));
            m_y += 3 * kPt;
        }
        if (!m_d.calibrated.empty())
            note(T("calibrated_note", {std::to_string(m_d.calibrated.size())}));
    }

    struct Column
    {
        QString title;
        double width; ///< share of the table width
        bool left = false;
        bool mono = false;
    };
    struct Cell
    {
        QString text;
        QColor color = kInk;
    };

    /// A table with a header row repeated on every page it continues to.
    void table(const std::vector<Column> &cols, const std::vector<std::vector<Cell>> &rows,
               std::size_t boldLastRows = 0)
    {
        double total = 0;
        for (const Column &c : cols)
            total += c.width;
        std::vector<double> xs, ws;
        double x = m_left;
        for (const Column &c : cols) {
            xs.push_back(x);
            ws.push_back(c.width / total * width());
            x += ws.back();
        }
        const double pad = 3 * kPt;
        const QFont hf = font(7.5, true), cf = font(7.5), mf = font(7, false, true),
                    bf = font(7.5, true);
        auto header = [&] {
            double h = 0;
            for (std::size_t i = 0; i < cols.size(); ++i)
                h = std::max(h, measure(cols[i].title, hf, ws[i] - 2 * pad));
            h += 2 * pad;
            m_p.setPen(Qt::NoPen);
            m_p.setBrush(kHeader);
            m_p.drawRect(QRectF(m_left, m_y, width(), h));
            for (std::size_t i = 0; i < cols.size(); ++i)
                text(xs[i] + pad, m_y + pad, ws[i] - 2 * pad, cols[i].title, hf, kInk,
                     cols[i].left ? Qt::AlignLeft : Qt::AlignRight);
            m_y += h;
        };
        need(40 * kPt);
        header();
        auto rowHeight = [&](std::size_t r) {
            const bool bold = r + boldLastRows >= rows.size();
            double h = 0;
            for (std::size_t i = 0; i < cols.size(); ++i)
                h = std::max(h, measure(rows[r][i].text,
                                        cols[i].mono && !bold ? mf
                                        : bold                ? bf
                                                              : cf,
                                        ws[i] - 2 * pad));
            return h + 2 * pad;
        };
        for (std::size_t r = 0; r < rows.size(); ++r) {
            const bool bold = r + boldLastRows >= rows.size();
            const double h = rowHeight(r);
            // The total rows never start a page alone: the last ordinary row goes with them.
            double keep = h;
            if (boldLastRows > 0 && r + boldLastRows + 1 == rows.size())
                for (std::size_t k = r + 1; k < rows.size(); ++k)
                    keep += rowHeight(k);
            if (m_y + keep > m_bottom) {
                newPage();
                header();
            }
            for (std::size_t i = 0; i < cols.size(); ++i)
                text(xs[i] + pad, m_y + pad, ws[i] - 2 * pad, rows[r][i].text,
                     cols[i].mono && !bold ? mf
                     : bold                ? bf
                                           : cf,
                     rows[r][i].color, cols[i].left ? Qt::AlignLeft : Qt::AlignRight);
            m_y += h;
            m_p.setPen(QPen(kLine, 0.5 * kPt));
            m_p.drawLine(QPointF(m_left, m_y), QPointF(m_right, m_y));
        }
    }

    void headsTable()
    {
        heading(T("section_heads"));
        std::vector<Column> cols = {{T("col_output"), 1.2, true, true},
                                    {T("col_metric"), 1.0, true},
                                    {T("col_float"), 1.1},
                                    {T("col_compressed"), 1.25},
                                    {T("col_change"), 1.1},
                                    {T("col_agreement"), 1.6},
                                    {T("col_osqnr"), 0.9},
                                    {T("col_changed"), 1.15}};
        std::vector<std::vector<Cell>> rows;
        for (const nnc::HeadResult &h : m_d.heads) {
            QString metric = q(nnc::reportMetricName(h.metric, m_lang));
            if (!h.hasLabels && h.metric != "agreement")
                metric += QStringLiteral(" (") + T("no_labels") + QStringLiteral(")");
            rows.push_back({{q(h.output)},
                            {metric},
                            {q(nnc::formatPercent(h.baseline))},
                            {q(nnc::formatPercent(h.compressed))},
                            {q(nnc::formatSignedPp(h.deltaPp)), deltaColor(h.deltaPp)},
                            {q(nnc::formatPercent(h.agreement))},
                            {q(nnc::formatDb(h.sqnrDb, m_lang))},
                            {q(nnc::formatCount(static_cast<int64_t>(h.changedSamples.size())))}});
        }
        table(cols, rows);
    }


    /// A paragraph starting with a bold label; returns its height.
    double labelled(const QString &label, const QString &body, const QFont &f)
    {
        QFont bold = f;
        bold.setBold(true);
        // Drawn as one rich-text-free paragraph: the bold label on its own, the body after it
        // on the same first line when it fits (wrapping below otherwise).
        const QFontMetricsF fm(bold, &m_writer);
        const double lw = fm.horizontalAdvance(label);
        need(measure(body, f, width() - lw) + 4 * kPt);
        text(m_left, m_y, lw + kPt, label, bold);
        return text(m_left + lw, m_y, width() - lw, body, f);
    }

    void subheading(const QString &s)
    {
        const QFont f = font(10, true);
        need(measure(s, f, width()) + 50 * kPt);
        m_y += 8 * kPt;
        m_y += text(m_left, m_y, width(), s, f) + 4 * kPt;
    }

    /// (label, value) lines like the title block's.
    void metaRows(const std::vector<std::pair<QString, QString>> &rows)
    {
        const double labelW = 96 * kPt;
        const QFont lf = font(8.5), vf = font(8.5);
        for (const auto &[label, value] : rows) {
            const double h = measure(value, vf, width() - labelW);
            need(h + 3 * kPt);
            text(m_left, m_y, labelW, label, lf, kMuted);
            text(m_left + labelW, m_y, width() - labelW, value, vf);
            m_y += h + 3 * kPt;
        }
    }

    void budgets()
    {
        if (m_d.budgets.empty())
            return;
        // The title, the table and its note stay together.
        need(60 * kPt + double(m_d.budgets.size()) * 14 * kPt);
        subheading(T("budgets_title"));
        std::vector<Column> cols = {{T("col_output"), 1.4, true, true},
                                    {T("col_allowed_drop"), 1.2},
                                    {T("col_actual_drop"), 1.2},
                                    {T("col_verdict"), 1.4, true}};
        std::vector<std::vector<Cell>> rows;
        for (const nnc::BudgetVerdict &v : m_d.budgets) {
            QString drop = q(nnc::formatSignedPp(v.dropPp));
            if (drop.startsWith(QLatin1Char('+')))
                drop.remove(0, 1);
            rows.push_back({{q(v.output)},
                            {q(nnc::formatReal(v.maxDropPp, 4))},
                            {drop},
                            {T(v.pass ? "budget_pass" : "budget_fail"), v.pass ? kPos : kNeg}});
        }
        table(cols, rows);
        note(T("budgets_note"));
    }

    struct BarRow
    {
        QString label;
        std::vector<double> values; ///< NaN: no bar; +inf: to the end
    };

    /// Horizontal grouped bars on a shared axis [lo, hi], one thin bar per series, the value
    /// printed after each; continues over pages.
    template <class Format>
    void groupedBars(const std::vector<BarRow> &rows,
                     const std::vector<std::pair<QString, QColor>> &series, double lo, double hi,
                     Format format)
    {
        if (!(hi > lo))
            hi = lo + 1;
        const double labelW = 130 * kPt, valueW = 44 * kPt, barH = 4.2 * kPt, gapIn = 0.8 * kPt,
                     padRow = 3 * kPt;
        const double rowH = 2 * padRow + double(series.size()) * barH +
                            double(series.empty() ? 0 : series.size() - 1) * gapIn;
        const QFont lf = font(7, false, true), vf = font(6), gf = font(7.5);
        const double px0 = m_left + labelW, px1 = m_right - valueW;
        auto X = [&](double v) {
            if (std::isinf(v))
                return v > 0 ? px1 : px0;
            return px0 + (std::clamp(v, lo, hi) - lo) / (hi - lo) * (px1 - px0);
        };
        // Legend
        need(14 * kPt + rowH * double(std::min<std::size_t>(rows.size(), 3)));
        double lx = px0;
        for (const auto &[name, color] : series) {
            m_p.setPen(Qt::NoPen);
            m_p.setBrush(color);
            m_p.drawRect(QRectF(lx, m_y + 1.5 * kPt, 7 * kPt, 7 * kPt));
            const double w = QFontMetricsF(gf, &m_writer).horizontalAdvance(name);
            text(lx + 10 * kPt, m_y, w + 2 * kPt, name, gf);
            lx += w + 26 * kPt;
        }
        m_y += 13 * kPt;
        double top = m_y;
        auto axis = [&](double from, double to, bool labels) {
            m_p.setPen(QPen(kMuted, 0.6 * kPt));
            m_p.drawLine(QPointF(px0, from), QPointF(px0, to));
            if (labels) {
                m_p.drawLine(QPointF(px0, to), QPointF(px1, to));
                text(px0 - 30 * kPt, to + 2 * kPt, 60 * kPt, q(format(lo)), vf, kMuted,
                     Qt::AlignHCenter);
                text(px1 - 30 * kPt, to + 2 * kPt, 60 * kPt, q(format(hi)), vf, kMuted,
                     Qt::AlignHCenter);
            }
        };
        for (std::size_t i = 0; i < rows.size(); ++i) {
            if (m_y + rowH > m_bottom) {
                axis(top, m_y, false);
                newPage();
                top = m_y;
            }
            if (i % 2 == 0) {
                m_p.setPen(Qt::NoPen);
                m_p.setBrush(kStripe);
                m_p.drawRect(QRectF(m_left, m_y, width(), rowH));
            }
            const QFontMetricsF fm(lf, &m_writer);
            const QString name = fm.elidedText(rows[i].label, Qt::ElideMiddle, labelW - 8 * kPt);
            text(m_left, m_y + rowH / 2 - fm.height() / 2, labelW - 6 * kPt, name, lf, kInk,
                 Qt::AlignRight);
            for (std::size_t k = 0; k < series.size() && k < rows[i].values.size(); ++k) {
                const double v = rows[i].values[k];
                if (std::isnan(v))
                    continue;
                const double by = m_y + padRow + double(k) * (barH + gapIn);
                const double e = X(v);
                m_p.setPen(Qt::NoPen);
                m_p.setBrush(series[k].second);
                m_p.drawRect(QRectF(px0, by, std::max(0.8 * kPt, e - px0), barH));
                text(std::max(px0, e) + 2 * kPt, by - 1.2 * kPt, valueW, q(format(v)), vf, kMuted);
            }
            m_y += rowH;
        }
        axis(top, m_y, true);
        m_y += 14 * kPt;
    }

    void fusion(const nnc::ReportFusion &f)
    {
        const nnc::FusionReport &r = f.result;
        heading(T("section_fusion"));
        m_y += text(m_left, m_y, width(), q(nnc::reportFusionHeadline(f, m_lang)), font(9.5)) +
               6 * kPt;
        const QString comma = m_lang == L::Chinese ? QStringLiteral("，") : QStringLiteral(", ");
        auto modelLine = [&](const std::string &model, const std::string &data) {
            return q(model) + (data.empty() ? QString() : comma + T("fusion_preview_data", {data}));
        };
        metaRows({{T("fusion_model_a"), modelLine(f.modelA, f.dataA)},
                  {T("fusion_model_b"), modelLine(f.modelB, f.dataB)},
                  {T("fusion_backbone"),
                   T("fusion_backbone_facts",
                     {std::to_string(r.backboneNodes), std::to_string(r.backboneComputeNodes),
                      std::to_string(r.nodesA), std::to_string(r.nodesB),
                      nnc::reportBackboneText(r.backbone, m_lang)})}});

        subheading(T("fusion_cost_title"));
        std::vector<Column> cols = {{T("col_measure"), 1.6, true},  {T("col_model_a"), 1.0},
                                    {T("col_model_b"), 1.0},        {T("col_a_plus_b"), 1.3},
                                    {T("col_fused"), 1.0},          {T("col_saved"), 1.5}};
        std::vector<std::vector<Cell>> rows;
        auto costRow = [&](const char *key, int64_t a, int64_t b, int64_t fused, bool bytes) {
            auto fmt = [&](int64_t v) { return q(bytes ? nnc::formatBytes(v) : nnc::formatCount(v)); };
            const int64_t sep = a + b;
            const double saved = sep > 0 ? double(sep - fused) / double(sep) : 0.0;
            rows.push_back({{T(key)}, {fmt(a)}, {fmt(b)}, {fmt(sep)}, {fmt(fused)},
                            {fmt(sep - fused) + QStringLiteral(" (") +
                             q(nnc::formatPercent(saved, 1)) + QStringLiteral(")")}});
        };
        costRow("cost_parameters", r.costA.parameters, r.costB.parameters, r.costFused.parameters,
                false);
        costRow("cost_bytes", r.costA.bytes, r.costB.bytes, r.costFused.bytes, true);
        costRow("cost_macs", r.costA.macs, r.costB.macs, r.costFused.macs, false);
        table(cols, rows);
        note(T("fusion_cost_note",
               {std::to_string(r.costOptions.batch), std::to_string(r.costOptions.sequence)}));

        subheading(T("fusion_heads"));
        if (r.heads.empty()) {
            m_y += text(m_left, m_y, width(), T("fusion_no_preview"), font(9));
        } else {
            std::vector<Column> hc = {{T("col_from_model"), 0.6, true},
                                      {T("col_output"), 1.4, true, true},
                                      {T("col_metric"), 1.1, true},
                                      {T("col_separate"), 1.1},
                                      {T("col_fused_model"), 1.1},
                                      {T("col_change"), 1.1},
                                      {T("col_agreement_separate"), 1.5}};
            std::vector<std::vector<Cell>> hr;
            for (const nnc::HeadPreview &h : r.heads)
                hr.push_back({{q(h.model)},
                              {q(h.output)},
                              {q(nnc::reportMetricName(h.metric, m_lang))},
                              {q(nnc::formatPercent(h.separate))},
                              {q(nnc::formatPercent(h.fused))},
                              {q(nnc::formatSignedPp(h.deltaPp)), deltaColor(h.deltaPp)},
                              {q(nnc::formatPercent(h.agreement))}});
            table(hc, hr);
            note(T("fusion_heads_note"));
        }

        subheading(T("fusion_distances"));
        std::vector<Column> dc = {{T("col_layer"), 2.0, true, true},
                                  {T("col_op"), 0.7, true},
                                  {T("col_weight"), 1.9, true, true},
                                  {T("col_shape"), 1.1, true},
                                  {T("col_rel_l2"), 1.0},
                                  {T("col_cosine"), 1.1}};
        std::vector<std::vector<Cell>> dr;
        std::vector<BarRow> bars;
        double mx = 0;
        for (const nnc::WeightDistance &w : r.weights) {
            QStringList dims;
            for (int64_t d : w.shape)
                dims << QString::number(d);
            dr.push_back({{q(w.node)},
                          {q(w.opType)},
                          {q(w.weightA) + (w.weightB != w.weightA ? QStringLiteral(" / ") + q(w.weightB)
                                                                  : QString())},
                          {QStringLiteral("[") + dims.join(QChar(0x00d7)) + QStringLiteral("]")},
                          {w.identical ? T("identical") : q(nnc::reportDistanceText(w.relativeL2))},
                          {q(nnc::reportDistanceText(w.cosine))}});
        }
        for (std::size_t i : nnc::reportDistanceRows(r.weights)) {
            const nnc::WeightDistance &w = r.weights[i];
            bars.push_back({q(w.weightA), {w.relativeL2, 1.0 - w.cosine}});
            for (double v : bars.back().values)
                if (std::isfinite(v))
                    mx = std::max(mx, v);
        }
        table(dc, dr);
        if (!bars.empty()) {
            m_y += 6 * kPt;
            groupedBars(bars, {{T("legend_rel_l2"), kBar}, {T("legend_cos_dist"), kShade2}}, 0.0,
                        mx > 0 ? mx * 1.05 : 1.0,
                        [](double v) { return nnc::reportDistanceText(v); });
        }
        QString dn = T("fusion_distance_note");
        if (bars.size() < r.weights.size())
            dn += QLatin1Char(' ') + T("fusion_distances_truncated",
                                       {std::to_string(bars.size()), std::to_string(r.weights.size())});
        note(dn);
    }

    void distillation(const nnc::ReportDistillation &dd)
    {
        const nnc::DistillReport &r = dd.result;
        newPage(); // model against model reads best on its own page
        heading(T("section_distill"));
        m_y += text(m_left, m_y, width(), q(nnc::reportDistillHeadline(dd, m_lang)), font(9.5)) +
               6 * kPt;
        const QString comma = m_lang == L::Chinese ? QStringLiteral("，") : QStringLiteral(", ");
        metaRows({{T("distill_teacher"), q(dd.teacherFile)},
                  {T("distill_student"), q(dd.studentFile)},
                  {T("data"), q(dd.dataFile) + comma + T("samples_all", {nnc::formatCount(r.samples)})},
                  {T("distill_temperature"), q(nnc::formatReal(r.temperature, 4))},
                  {T("distill_plan"), r.withPlan ? (dd.planFile.empty() ? T("plan_in_memory")
                                                                         : q(dd.planFile))
                                                 : T("distill_no_plan")}});

        subheading(T("distill_heads"));
        std::vector<Column> cols = {{T("col_output"), 1.3, true, true},
                                    {T("col_metric"), 1.0, true},
                                    {T("col_teacher"), 0.9},
                                    {T("col_student"), 0.9},
                                    {T("col_change"), 1.0},
                                    {T("col_agreement_teacher"), 1.2},
                                    {T("col_kl", {nnc::formatReal(r.temperature, 4)}), 0.9}};
        if (r.withPlan) {
            cols.push_back({T("col_student_plan"), 1.1});
            cols.push_back({T("col_plan_change"), 1.1});
        }
        std::vector<std::vector<Cell>> rows;
        for (const nnc::DistillHead &h : r.heads) {
            const QString metric = h.hasLabels
                                       ? q(nnc::reportMetricName(h.metric, m_lang))
                                       : T("metric_agreement_teacher");
            const double delta = (h.student - h.teacher) * 100.0;
            std::vector<Cell> row = {{q(h.output)}, {metric}};
            if (h.hasLabels) {
                row.push_back({q(nnc::formatPercent(h.teacher))});
                row.push_back({q(nnc::formatPercent(h.student))});
                row.push_back({q(nnc::formatSignedPp(delta)), deltaColor(delta)});
            } else {
                row.insert(row.end(), 3, Cell{T("not_run"), kMuted});
            }
            row.push_back({q(nnc::formatPercent(h.agreement))});
            row.push_back({q(nnc::formatReal(h.klDivergence, 4))});
            if (r.withPlan) {
                if (h.hasLabels && h.plan) {
                    const double pd = (*h.plan - h.teacher) * 100.0;
                    row.push_back({q(nnc::formatPercent(*h.plan))});
                    row.push_back({q(nnc::formatSignedPp(pd)), deltaColor(pd)});
                } else {
                    row.push_back({h.planAgreement ? q(nnc::formatPercent(*h.planAgreement))
                                                   : T("not_run")});
                    row.push_back({T("not_run"), kMuted});
                }
            }
            rows.push_back(std::move(row));
        }
        table(cols, rows);
        QString kl = T("distill_kl_note");
        if (!r.unmatchedOutputs.empty()) {
            QStringList names;
            for (const std::string &o : r.unmatchedOutputs)
                names << q(o);
            kl += QLatin1Char(' ') + T("distill_unmatched", {names.join(comma).toStdString()});
        }
        note(kl);

        subheading(T("distill_cost"));
        std::vector<Column> cc = {{T("col_model"), 1.6, true},   {T("cost_parameters"), 1.0},
                                  {T("cost_bytes"), 1.0},        {T("col_share_teacher"), 1.1},
                                  {T("cost_macs"), 1.3},         {T("col_ms_batch"), 1.0}};
        std::vector<std::vector<Cell>> cr;
        auto pct = [&](int64_t bytes) {
            return q(nnc::formatPercent(
                r.teacherCost.bytes > 0 ? double(bytes) / double(r.teacherCost.bytes) : 0.0, 1));
        };
        char buf[32];
        auto ms = [&](double v) {
            std::snprintf(buf, sizeof buf, "%.2f", v);
            return r.timedBatches > 0 ? T("ms", {buf}) : T("not_run");
        };
        cr.push_back({{T("col_teacher")},
                      {q(nnc::formatCount(r.teacherCost.parameters))},
                      {q(nnc::formatBytes(r.teacherCost.bytes))},
                      {pct(r.teacherCost.bytes)},
                      {q(nnc::formatCount(r.teacherCost.macs))},
                      {ms(r.teacherMsPerBatch)}});
        cr.push_back({{T("col_student")},
                      {q(nnc::formatCount(r.studentCost.parameters))},
                      {q(nnc::formatBytes(r.studentCost.bytes))},
                      {pct(r.studentCost.bytes)},
                      {q(nnc::formatCount(r.studentCost.macs))},
                      {ms(r.studentMsPerBatch)}});
        if (r.withPlan)
            cr.push_back({{T("col_student_plan")},
                          {q(nnc::formatCount(r.studentCost.parameters))},
                          {q(nnc::formatBytes(r.planSize.compressedBytes))},
                          {pct(r.planSize.compressedBytes)},
                          {q(nnc::formatCount(r.studentCost.macs))},
                          {T("not_run"), kMuted}});
        table(cc, cr);
        note(T("distill_cost_note",
               {std::to_string(dd.cost.batch), std::to_string(dd.cost.sequence),
                std::to_string(r.timedBatches), std::to_string(r.batchSize)}));

        for (const nnc::DistillHead &h : r.heads) {
            if (!h.hasLabels || h.perClass.empty())
                continue;
            std::vector<BarRow> bars;
            double mn = 1;
            int64_t withSamples = 0;
            for (const nnc::ClassAccuracy &c : h.perClass)
                withSamples += c.total > 0;
            for (std::size_t i : nnc::reportClassRows(h)) {
                const nnc::ClassAccuracy &c = h.perClass[i];
                BarRow b{q(c.name),
                         {double(c.teacherCorrect) / double(c.total),
                          double(c.studentCorrect) / double(c.total)}};
                if (r.withPlan)
                    b.values.push_back(double(c.planCorrect) / double(c.total));
                for (double v : b.values)
                    mn = std::min(mn, v);
                bars.push_back(std::move(b));
            }
            if (bars.empty())
                continue;
            const double lo = std::clamp(std::floor(mn * 10.0 - 1e-9) / 10.0, 0.0, 0.9);
            subheading(q(nnc::reportCapitalized(
                nnc::reportText("distill_per_class", m_lang,
                                {nnc::reportMetricName("accuracy", m_lang), h.output}),
                m_lang)));
            std::vector<std::pair<QString, QColor>> series = {{T("col_teacher"), kBar},
                                                              {T("col_student"), kShade2}};
            if (r.withPlan)
                series.emplace_back(T("col_student_plan"), kPlan);
            groupedBars(bars, series, lo, 1.0,
                        [](double v) { return nnc::formatPercent(v, 1); });
            QString cn = T("distill_per_class_note", {nnc::formatPercent(lo, 0)});
            if (int64_t(bars.size()) < withSamples)
                cn += QLatin1Char(' ') + T("distill_classes_truncated",
                                           {std::to_string(bars.size()), std::to_string(withSamples)});
            note(cn);
        }
    }

    void layerTable()
    {
        heading(T("section_layers"));
        std::vector<Column> cols = {{T("col_layer"), 2.0, true, true},
                                    {T("col_op"), 0.8, true},
                                    {T("col_params"), 1.0},
                                    {T("col_bits"), 0.6},
                                    {T("col_pruning"), 0.95},
                                    {T("col_sparsity"), 0.95},
                                    {T("col_wsqnr"), 1.0},
                                    {T("col_osqnr"), 1.0},
                                    {T("col_sens"), 1.2},
                                    {T("col_size"), 1.9}};
        std::vector<std::vector<Cell>> rows;
        int64_t params = 0, fb = 0, cb = 0;
        const QString arrow = QStringLiteral(" \u2192 ");
        for (const nnc::ReportLayer &l : m_d.layers) {
            params += l.params;
            fb += l.floatBytes;
            cb += l.compressedBytes;
            Cell sens{T("not_run"), kMuted};
            if (l.sensitivityPp)
                sens = {q(nnc::formatSignedPp(*l.sensitivityPp)), deltaColor(*l.sensitivityPp)};
            rows.push_back({{q(l.name)},
                            {q(l.op)},
                            {q(nnc::formatCount(l.params))},
                            {q(nnc::reportBitsText(l, m_lang))},
                            {q(nnc::reportPruningText(l, m_lang))},
                            {q(nnc::formatPercent(l.sparsity, 1))},
                            {q(nnc::formatDb(l.weightSqnrDb, m_lang))},
                            {q(nnc::formatDb(l.outputSqnrDb, m_lang))},
                            sens,
                            {q(nnc::formatBytes(l.floatBytes)) + arrow +
                             q(nnc::formatBytes(l.compressedBytes))}});
        }
        rows.push_back({{T("total")},
                        {},
                        {q(nnc::formatCount(params))},
                        {},
                        {},
                        {},
                        {},
                        {},
                        {},
                        {q(nnc::formatBytes(fb)) + arrow + q(nnc::formatBytes(cb))}});
        table(cols, rows, 1);
        QString n = T("layers_note", {std::to_string(m_d.layerErrorSamples)});
        if (std::any_of(m_d.layers.begin(), m_d.layers.end(),
                        [](const nnc::ReportLayer &l) { return l.keptAsStored; }))
            n += QLatin1Char(' ') + T("stored_note");
        note(n);
    }

    void histogramChart(const nnc::ReportHistogram &h, const QRectF &box)
    {
        const nnc::Histogram &g = h.histogram;
        const double lo = g.lo, hi = g.hi > g.lo ? g.hi : g.lo + 1;
        const QFont af = font(6.5);
        m_p.setFont(af);
        const QFontMetricsF fm(af, &m_writer);
        int64_t peak = 1;
        for (int64_t c : g.counts)
            peak = std::max(peak, c);
        const QString peakText = q(nnc::formatCount(peak));
        const double x0 = box.left() + fm.horizontalAdvance(peakText) + 4 * kPt;
        const double x1 = box.right() - 2 * kPt;
        const double y0 = box.top() + 2 * kPt, y1 = box.bottom() - fm.height() - 8 * kPt;
        auto X = [&](double v) { return x0 + (v - lo) / (hi - lo) * (x1 - x0); };
        m_p.setPen(Qt::NoPen);
        if (h.quantized) {
            QColor s = kShade;
            s.setAlphaF(0.35);
            m_p.setBrush(s);
            m_p.drawRect(
                QRectF(X(h.rangeLo), y0, std::max(kPt, X(h.rangeHi) - X(h.rangeLo)), y1 - y0));
            if (h.channels > 1) {
                QColor s2 = kShade2;
                s2.setAlphaF(0.35);
                m_p.setBrush(s2);
                m_p.drawRect(QRectF(X(h.narrowLo), y0, std::max(kPt, X(h.narrowHi) - X(h.narrowLo)),
                                    y1 - y0));
            }
        }
        m_p.setBrush(kBar);
        const double bw = (x1 - x0) / double(std::max<std::size_t>(1, g.counts.size()));
        for (std::size_t i = 0; i < g.counts.size(); ++i) {
            if (!g.counts[i])
                continue;
            const double bh = std::max(kPt * 0.6, double(g.counts[i]) / double(peak) * (y1 - y0));
            m_p.drawRect(QRectF(x0 + double(i) * bw + 0.3 * kPt, y1 - bh,
                                std::max(0.3 * kPt, bw - 0.6 * kPt), bh));
        }
        if (h.quantized) {
            QPen dashed(kRangeLine, 0.8 * kPt, Qt::DashLine);
            m_p.setPen(dashed);
            for (double v : {h.rangeLo, h.rangeHi})
                m_p.drawLine(QPointF(X(v), y0), QPointF(X(v), y1));
            m_p.setPen(QPen(kRangeLine, 0.8 * kPt));
            for (double v : h.levels)
                m_p.drawLine(QPointF(X(v), y1 + 1 * kPt), QPointF(X(v), y1 + 4 * kPt));
        }
        m_p.setPen(QPen(kMuted, 0.6 * kPt));
        m_p.drawLine(QPointF(x0, y1), QPointF(x1, y1));
        m_p.setPen(kMuted);
        const double ty = y1 + 6 * kPt;
        m_p.drawText(QRectF(x0, ty, (x1 - x0) / 2, fm.height() + kPt), Qt::AlignLeft,
                     q(nnc::formatReal(lo)));
        m_p.drawText(QRectF((x0 + x1) / 2, ty, (x1 - x0) / 2, fm.height() + kPt), Qt::AlignRight,
                     q(nnc::formatReal(hi)));
        if (lo < 0 && hi > 0 && X(0) - x0 > 30 * kPt && x1 - X(0) > 30 * kPt)
            m_p.drawText(QRectF(X(0) - 20 * kPt, ty, 40 * kPt, fm.height() + kPt), Qt::AlignHCenter,
                         QStringLiteral("0"));
        m_p.drawText(QRectF(box.left(), y0, x0 - box.left() - 2 * kPt, fm.height() + kPt),
                     Qt::AlignRight, peakText);
        m_p.drawText(
            QRectF(box.left(), y1 - fm.height(), x0 - box.left() - 2 * kPt, fm.height() + kPt),
            Qt::AlignRight, QStringLiteral("0"));
    }

    QString histogramFacts(const nnc::ReportHistogram &g)
    {
        QStringList facts;
        if (g.quantized) {
            facts << T("quant_desc",
                       {std::to_string(g.bits),
                        nnc::reportText(g.channels > 1 ? "per_channel" : "per_tensor", m_lang),
                        nnc::reportText("hist_channels", m_lang, {nnc::formatCount(g.channels)})});
            facts << T("hist_range", {nnc::formatReal(g.rangeLo), nnc::formatReal(g.rangeHi)});
            if (g.channels > 1)
                facts << T("hist_narrow",
                           {nnc::formatReal(g.narrowLo), nnc::formatReal(g.narrowHi)});
            facts << T("hist_step",
                       {g.stepMin == g.stepMax
                            ? nnc::formatReal(g.stepMin)
                            : nnc::formatReal(g.stepMin) + "\u2013" + nnc::formatReal(g.stepMax)});
            facts << (g.clippedShare > 0
                          ? T("hist_clipped", {nnc::formatPercent(g.clippedShare, 2)})
                          : T("hist_none_clipped"));
        } else {
            facts << T("hist_not_quantized");
        }
        facts << T("col_wsqnr") + QLatin1Char(' ') + q(nnc::formatDb(g.weightSqnrDb, m_lang));
        facts << T("col_osqnr") + QLatin1Char(' ') + q(nnc::formatDb(g.outputSqnrDb, m_lang));
        return facts.join(QStringLiteral(" \u00b7 "));
    }

    void histograms()
    {
        // A fresh page: the charts read best together.
        newPage();
        heading(T("section_histograms"));
        if (m_d.histograms.empty()) {
            m_y += text(m_left, m_y, width(), T("histograms_none"), font(9));
            return;
        }
        const double gap = 12 * kPt;
        const double cw = (width() - gap) / 2;
        const double chartH = 112 * kPt;
        const QFont tf = font(8.5, true, true), ff = font(7);
        for (std::size_t i = 0; i < m_d.histograms.size(); i += 2) {
            double h = 0;
            for (std::size_t k = i; k < std::min(m_d.histograms.size(), i + 2); ++k)
                h = std::max(h, measure(q(m_d.histograms[k].layer), tf, cw) + chartH +
                                    measure(histogramFacts(m_d.histograms[k]), ff, cw) + 10 * kPt);
            need(h + gap);
            for (std::size_t k = i; k < std::min(m_d.histograms.size(), i + 2); ++k) {
                const nnc::ReportHistogram &g = m_d.histograms[k];
                const double x = m_left + double(k - i) * (cw + gap);
                double y = m_y;
                y += text(x, y, cw, q(g.layer), tf) + 3 * kPt;
                histogramChart(g, QRectF(x, y, cw, chartH));
                y += chartH + 3 * kPt;
                text(x, y, cw, histogramFacts(g), ff, kMuted);
            }
            m_y += h + gap;
        }
        note(T("histograms_note"));
    }

    void sensitivity()
    {
        heading(T("section_sensitivity"));
        if (!m_d.sensitivity || m_d.sensitivity->bars.empty()) {
            m_y += text(m_left, m_y, width(), T("sens_skipped"), font(9));
            return;
        }
        const nnc::ReportSensitivity &s = *m_d.sensitivity;
        const std::size_t shown = std::min(s.bars.size(), nnc::kMaxSensitivityBars);
        // The explanation first: it reads before the bars, and never ends up alone on a page.
        QString n = T("sens_note", {std::to_string(s.bits)});
        if (shown < s.bars.size())
            n += QLatin1Char(' ') +
                 T("sens_truncated", {std::to_string(shown), std::to_string(s.bars.size())});
        note(n);
        m_y += 8 * kPt;
        for (std::size_t head = 0; head < s.heads.size(); ++head) {
            std::vector<std::pair<QString, double>> rows;
            for (std::size_t i : s.order(head))
                if (rows.size() < shown)
                    rows.emplace_back(q(s.bars[i].layer), s.bars[i].deltaPp[head]);
            sensitivityChart(q(nnc::reportCapitalized(
                                 nnc::reportText("sens_title", m_lang,
                                                 {nnc::reportMetricName(s.metrics[head], m_lang),
                                                  std::to_string(s.bits), s.heads[head]}),
                                 m_lang)),
                             rows);
        }
    }

    void sensitivityChart(const QString &title, const std::vector<std::pair<QString, double>> &rows)
    {
        const double rowH = 15 * kPt, labelW = 160 * kPt, valueW = 40 * kPt;
        const QFont tf = font(9.5, true);
        // Keep the title with at least a few bars.
        need(measure(title, tf, width()) + 6 * kPt +
             rowH * double(std::min<std::size_t>(rows.size(), 4)) + 16 * kPt);
        m_y += text(m_left, m_y, width(), title, tf) + 6 * kPt;
        double mn = 0, mx = 0;
        for (const auto &r : rows) {
            mn = std::min(mn, r.second);
            mx = std::max(mx, r.second);
        }
        if (mx - mn < 0.5)
            mn = std::min(mn, -0.5 + mx);
        const double px0 = m_left + labelW + valueW, px1 = m_right - valueW;
        auto X = [&](double v) { return px0 + (v - mn) / (mx - mn) * (px1 - px0); };
        const QFont lf = font(7, false, true), vf = font(7);
        double top = m_y;
        auto axis = [&](double from, double to, bool label) {
            m_p.setPen(QPen(kMuted, 0.6 * kPt));
            m_p.drawLine(QPointF(X(0), from), QPointF(X(0), to));
            if (label)
                text(X(0) - 40 * kPt, to + 2 * kPt, 80 * kPt, QStringLiteral("0 ") + T("pp_short"),
                     vf, kMuted, Qt::AlignHCenter);
        };
        for (std::size_t i = 0; i < rows.size(); ++i) {
            if (m_y + rowH > m_bottom) {
                axis(top, m_y, false);
                newPage();
                top = m_y;
            }
            const auto &[layer, delta] = rows[i];
            if (i % 2 == 0) {
                m_p.setPen(Qt::NoPen);
                m_p.setBrush(kStripe);
                m_p.drawRect(QRectF(m_left, m_y, width(), rowH));
            }
            m_p.setFont(lf);
            const QFontMetricsF fm(lf, &m_writer);
            const QString name = fm.elidedText(layer, Qt::ElideMiddle, labelW - 8 * kPt);
            text(m_left, m_y + 3.5 * kPt, labelW - 6 * kPt, name, lf, kInk, Qt::AlignRight);
            const double a = X(std::min(0.0, delta)), e = X(std::max(0.0, delta));
            const QColor c = std::round(delta * 100) == 0 ? kZero : deltaColor(delta);
            m_p.setPen(Qt::NoPen);
            m_p.setBrush(c);
            m_p.drawRect(QRectF(a, m_y + 3.5 * kPt, std::max(1.2 * kPt, e - a), rowH - 7 * kPt));
            const QString v = q(nnc::formatSignedPp(delta));
            if (delta < 0)
                text(a - valueW - 3 * kPt, m_y + 3.5 * kPt, valueW, v, vf, c, Qt::AlignRight);
            else
                text(e + 3 * kPt, m_y + 3.5 * kPt, valueW, v, vf, c, Qt::AlignLeft);
            m_y += rowH;
        }
        axis(top, m_y, true);
        m_y += 16 * kPt;
    }

    QPdfWriter &m_writer;
    QPainter m_p;
    const nnc::ReportData &m_d;
    L m_lang;
    int m_total = 0;
    int m_page = 1;
    double m_left = 0, m_right = 0, m_top = 0, m_bottom = 0, m_y = 0;
};

void setUp(QPdfWriter &w, const nnc::ReportData &d, L lang)
{
    w.setResolution(kDpi);
    w.setPageLayout(QPageLayout(QPageSize(QPageSize::A4), QPageLayout::Portrait, QMarginsF()));
    w.setTitle(q(nnc::reportText("title", lang)) + QStringLiteral(" \u2013 ") + q(d.modelFile));
    w.setCreator(QStringLiteral("NNCompress Studio"));
}

} // namespace

nnc::Result<int> writeReportPdf(const nnc::ReportData &data, L lang, const QString &path)
{
    // Pass 1 counts the pages (for "Page i of n"), pass 2 writes the file.
    int pages = 0;
    {
        QBuffer scratch;
        scratch.open(QIODevice::WriteOnly);
        QPdfWriter w(&scratch);
        setUp(w, data, lang);
        PdfPainter painter(w, data, lang, 0);
        if (!painter.ok())
            return nnc::fail("could not start a PDF document.", nnc::Error::Code::Internal);
        pages = painter.run();
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return nnc::fail("cannot write '" + path.toStdString() +
                         "': " + file.errorString().toStdString() + ".");
    {
        QPdfWriter w(&file);
        setUp(w, data, lang);
        PdfPainter painter(w, data, lang, pages);
        if (!painter.ok()) {
            file.cancelWriting();
            return nnc::fail("could not start a PDF document.", nnc::Error::Code::Internal);
        }
        pages = painter.run();
    }
    if (!file.commit())
        return nnc::fail("cannot write '" + path.toStdString() +
                         "': " + file.errorString().toStdString() + ".");
    return pages;
}

bool isReportPdfCommand(const QStringList &arguments)
{
    for (const QString &a : arguments)
        if (a == QLatin1String("--report-pdf") || a.startsWith(QLatin1String("--report-pdf=")))
            return true;
    return false;
}

int runReportPdfCommand(const QStringList &arguments, const QString &uiLanguage)
{
    // Messages here are for scripts and terminals: plain English like the CLI's, so the Studio's
    // translation catalogue is not involved.
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Writes the compression report of a plan as a PDF, without opening a window."));
    parser.addHelpOption();
    const QCommandLineOption out(QStringLiteral("report-pdf"), QStringLiteral("PDF file to write."),
                                 QStringLiteral("file"));
    const QCommandLineOption model(QStringLiteral("model"), QStringLiteral("ONNX model."),
                                   QStringLiteral("file"));
    const QCommandLineOption data(
        QStringLiteral("data"), QStringLiteral("Validation data (dataset description or arrays)."),
        QStringLiteral("file"));
    const QCommandLineOption plan(QStringLiteral("plan"), QStringLiteral("Compression plan JSON."),
                                  QStringLiteral("file"));
    const QCommandLineOption lang(QStringLiteral("lang"),
                                  QStringLiteral("Report language (en, zh_CN)."),
                                  QStringLiteral("code"));
    const QCommandLineOption noSens(QStringLiteral("no-sensitivity"),
                                    QStringLiteral("Skip the sensitivity analysis."));
    const QCommandLineOption sensBits(QStringLiteral("sensitivity-bits"),
                                      QStringLiteral("Weight bit width tried on each layer alone "
                                                     "(default 4)."),
                                      QStringLiteral("B"));
    const QCommandLineOption limit(QStringLiteral("limit"),
                                   QStringLiteral("Evaluate the first N samples only."),
                                   QStringLiteral("N"));
    const QCommandLineOption threads(QStringLiteral("threads"),
                                     QStringLiteral("Engine threads (0: all cores)."),
                                     QStringLiteral("N"));
    parser.addOptions({out, model, data, plan, lang, noSens, sensBits, limit, threads});
    // The fusion, distillation and budget options, read by the same core function as the CLI's.
    const QList<QCommandLineOption> sectionOptions = [] {
        QList<QCommandLineOption> list;
        for (const std::string &name : nnc::reportSectionOptions())
            list << QCommandLineOption(QString::fromStdString(name),
                                       QStringLiteral("As nncompress report --%1 (see its help).")
                                           .arg(QString::fromStdString(name)),
                                       QStringLiteral("value"));
        return list;
    }();
    parser.addOptions(sectionOptions);
    auto usage = [](const QString &message) {
        std::fprintf(stderr, "nncompress-studio --report-pdf: %s\n", qPrintable(message));
        return 2;
    };
    if (!parser.parse(arguments))
        return usage(parser.errorText());
    if (parser.isSet(QStringLiteral("help"))) {
        std::fputs(qPrintable(parser.helpText()), stdout);
        return 0;
    }
    if (!parser.positionalArguments().isEmpty())
        return usage(
            QStringLiteral("unexpected argument '%1'.").arg(parser.positionalArguments().first()));
    for (const auto *o : {&out, &model, &data, &plan})
        if (!parser.isSet(*o) || parser.value(*o).isEmpty())
            return usage(QStringLiteral("--%1 is required (with --report-pdf, --model, --data "
                                        "and --plan).")
                             .arg(o->names().first()));
    const QString code = parser.isSet(lang) ? parser.value(lang) : uiLanguage;
    const auto language = nnc::parseReportLanguage(code.toStdString());
    if (!language)
        return usage(QStringLiteral("--lang is en or zh_CN, not '%1'.").arg(code));
    nnc::ReportOptions options;
    options.sensitivity = !parser.isSet(noSens);
    bool ok = true;
    if (parser.isSet(limit)) {
        options.limit = parser.value(limit).toLongLong(&ok);
        if (!ok)
            return usage(
                QStringLiteral("--limit takes a whole number, not '%1'.").arg(parser.value(limit)));
    }
    if (parser.isSet(sensBits)) {
        if (!options.sensitivity)
            return usage(
                QStringLiteral("--sensitivity-bits and --no-sensitivity exclude each other."));
        options.sensitivityBits = parser.value(sensBits).toInt(&ok);
        if (!ok)
            return usage(QStringLiteral("--sensitivity-bits takes a whole number, not '%1'.")
                             .arg(parser.value(sensBits)));
    }
    if (parser.isSet(threads)) {
        options.threads = parser.value(threads).toInt(&ok);
        if (!ok)
            return usage(QStringLiteral("--threads takes a whole number, not '%1'.")
                             .arg(parser.value(threads)));
    }
    const QString outPath = parser.value(out);
    for (const auto *o : {&model, &data, &plan})
        if (QFileInfo(parser.value(*o)).exists() &&
            QFileInfo(parser.value(*o)).canonicalFilePath() ==
                QFileInfo(outPath).canonicalFilePath())
            return usage(
                QStringLiteral("'%1' is one of the inputs; choose another file.").arg(outPath));

    auto sections = nnc::parseReportSections(
        [&](const std::string &name) -> std::optional<std::string> {
            const QString n = QString::fromStdString(name);
            if (!parser.isSet(n))
                return std::nullopt;
            return parser.value(n).toStdString();
        },
        parser.value(data).toStdString());
    if (!sections)
        return usage(QString::fromStdString(sections.error().message));
    for (const char *name : {"fusion-a", "fusion-b", "fusion-data-a", "fusion-data-b", "teacher",
                             "student", "distill-data", "student-plan"}) {
        const QString n = QString::fromLatin1(name);
        if (parser.isSet(n) && QFileInfo(parser.value(n)).exists() &&
            QFileInfo(parser.value(n)).canonicalFilePath() ==
                QFileInfo(outPath).canonicalFilePath())
            return usage(
                QStringLiteral("'%1' is one of the inputs; choose another file.").arg(outPath));
    }

    auto report = nnc::buildReportWithSections(parser.value(model).toStdString(),
                                               parser.value(data).toStdString(),
                                               parser.value(plan).toStdString(), *sections,
                                               options);
    if (!report) {
        std::fprintf(stderr, "nncompress-studio: %s\n", report.error().message.c_str());
        return report.error().code == nnc::Error::Code::Usage ? 2 : 3;
    }
    auto pages = writeReportPdf(*report, *language, outPath);
    if (!pages) {
        std::fprintf(stderr, "nncompress-studio: %s\n", pages.error().message.c_str());
        return 1;
    }
    std::fprintf(stderr, "wrote %s (%d pages, %s)\n", qPrintable(outPath), *pages,
                 std::string(nnc::reportLanguageCode(*language)).c_str());
    for (const nnc::BudgetVerdict &v : report->budgets)
        std::fprintf(stderr, "budget %s: drop %.2f pp, allowed %g pp: %s\n", v.output.c_str(),
                     v.dropPp, v.maxDropPp, v.pass ? "pass" : "FAIL");
    for (const nnc::BudgetVerdict &v : report->budgets)
        if (!v.pass)
            return 5;
    return 0;
}

} // namespace nnc::studio
