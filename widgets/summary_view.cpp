// SummaryView: before/after cards sized from the window, fed by the accuracy preview.
#include "widgets/summary_view.h"

#include "app/studio/eval_service.h"
#include "app/studio/project.h"

#include <QEvent>
#include <QFileInfo>
#include <QFrame>
#include <QGridLayout>
#include <QLocale>
#include <QPainter>
#include <QScrollArea>
#include <QStackedWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace nnc {

namespace {

constexpr int kMinPx = 7;

QString percentText(double share, int decimals = 1)
{
    return QLocale().toString(share * 100.0, 'f', decimals) + QStringLiteral(" %");
}

QString sizeText(int64_t bytes)
{
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeSIFormat);
}

/// A count in a few digits: 1,234 / 12.3 k / 4.56 M / 1.23 G.
QString countText(int64_t n)
{
    const double v = static_cast<double>(n);
    const double a = std::abs(v);
    auto scaled = [&](double unit, const char *suffix) {
        const double x = v / unit;
        const int decimals = std::abs(x) < 10 ? 2 : std::abs(x) < 100 ? 1 : 0;
        return QLocale().toString(x, 'f', decimals) + QLatin1Char(' ') + QLatin1String(suffix);
    };
    if (a < 10000)
        return QLocale().toString(static_cast<qlonglong>(n));
    if (a < 1e6)
        return scaled(1e3, "k");
    if (a < 1e9)
        return scaled(1e6, "M");
    return scaled(1e9, "G");
}

/// "3.2×" (one decimal under 10), "–" when the ratio is not finite or not positive.
QString timesText(double ratio)
{
    if (!std::isfinite(ratio) || ratio <= 0)
        return QStringLiteral("–");
    return QLocale().toString(ratio, 'f', ratio < 10 ? 1 : 0) + QStringLiteral("×");
}

QString signedPp(double pp)
{
    const QString sign = pp > 0 ? QStringLiteral("+") : pp < 0 ? QStringLiteral("−") : QString();
    return sign + QLocale().toString(std::abs(pp), 'f', 2);
}

QColor deltaColor(double pp)
{
    if (pp >= -0.5)
        return QColor(30, 130, 60);
    if (pp >= -2.0)
        return QColor(196, 120, 0);
    return QColor(190, 30, 30);
}

} // namespace

// ---------------------------------------------------------------------------------------------

FitLabel::FitLabel(QWidget *parent) : QLabel(parent)
{
    setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Ignored);
    setAlignment(Qt::AlignCenter);
}

void FitLabel::setMaxPixelSize(int px)
{
    px = std::max(px, kMinPx);
    if (px == m_maxPx)
        return;
    m_maxPx = px;
    update();
}

void FitLabel::setBold(bool bold)
{
    m_bold = bold;
    update();
}

int FitLabel::fittedPixelSize() const
{
    const QString t = text();
    const int w = std::max(1, contentsRect().width() - 4);
    const int h = std::max(1, contentsRect().height());
    QFont f = font();
    f.setBold(m_bold);
    auto fits = [&](int px) {
        f.setPixelSize(px);
        const QFontMetrics fm(f);
        return fm.horizontalAdvance(t) <= w && fm.height() <= h;
    };
    if (fits(m_maxPx))
        return m_maxPx;
    int lo = kMinPx, hi = m_maxPx;   // lo may not fit either: then the text is elided
    while (hi - lo > 1) {
        const int mid = (lo + hi) / 2;
        (fits(mid) ? lo : hi) = mid;
    }
    return lo;
}

QSize FitLabel::sizeHint() const
{
    QFont f = font();
    f.setPixelSize(m_maxPx);
    f.setBold(m_bold);
    const QFontMetrics fm(f);
    return {fm.horizontalAdvance(text()) + 4, fm.height()};
}

QSize FitLabel::minimumSizeHint() const
{
    return {8, 8};
}

void FitLabel::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    QFont f = font();
    f.setPixelSize(fittedPixelSize());
    f.setBold(m_bold);
    painter.setFont(f);
    painter.setPen(palette().color(isEnabled() ? QPalette::Active : QPalette::Disabled,
                                   foregroundRole()));
    const QRect r = contentsRect();
    const QString shown = QFontMetrics(f).elidedText(text(), Qt::ElideRight, r.width());
    painter.drawText(r, static_cast<int>(alignment()), shown);
}

// ---------------------------------------------------------------------------------------------

SummaryView::SummaryView(studio::Project *project, studio::EvalService *eval, QWidget *parent)
    : QWidget(parent), m_project(project), m_eval(eval)
{
    setAutoFillBackground(true);
    QPalette pal = palette();
    pal.setColor(QPalette::Window, pal.color(QPalette::Base));
    setPalette(pal);

    auto *layout = m_layout = new QVBoxLayout(this);
    layout->setContentsMargins(24, 16, 24, 16);
    m_title = new FitLabel(this);
    m_title->setObjectName(QStringLiteral("title"));
    m_title->setBold(true);
    m_subtitle = new FitLabel(this);
    m_subtitle->setObjectName(QStringLiteral("subtitle"));
    m_subtitle->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(m_title, 3);
    layout->addWidget(m_subtitle, 2);

    m_stack = new QStackedWidget(this);
    auto *emptyPage = new QWidget(m_stack);
    auto *emptyLayout = new QVBoxLayout(emptyPage);
    emptyLayout->addStretch(3);
    m_empty = new FitLabel(emptyPage);
    m_empty->setObjectName(QStringLiteral("emptyMessage"));
    m_empty->setForegroundRole(QPalette::PlaceholderText);
    m_emptyHint = new FitLabel(emptyPage);
    m_emptyHint->setObjectName(QStringLiteral("emptyHint"));
    m_emptyHint->setForegroundRole(QPalette::PlaceholderText);
    emptyLayout->addWidget(m_empty, 3);
    emptyLayout->addWidget(m_emptyHint, 2);
    emptyLayout->addStretch(4);
    m_stack->addWidget(emptyPage);

    m_figures = new QWidget(m_stack);
    m_grid = new QGridLayout(m_figures);
    m_grid->setContentsMargins(0, 8, 0, 0);
    m_grid->setSpacing(18);
    m_stack->addWidget(m_figures);
    layout->addWidget(m_stack, 30);
    m_fusionSection = makeSection(QStringLiteral("fusion"));
    m_distillSection = makeSection(QStringLiteral("distill"));

    m_size = makeCard(m_figures, QStringLiteral("size"), true);
    m_size.before->setObjectName(QStringLiteral("sizeFloat"));
    m_size.after->setObjectName(QStringLiteral("sizeCompressed"));
    m_ratio = makeCard(m_figures, QStringLiteral("ratio"), false);
    m_ratio.after->setObjectName(QStringLiteral("ratio"));
    m_ratio.footer->setObjectName(QStringLiteral("ratioDetail"));

    if (m_eval) {
        connect(m_eval, &studio::EvalService::previewFinished, this,
                [this](const EvalResult &r) { setResult(r); });
        connect(m_eval, &studio::EvalService::opened, this, [this] { clear(); });
        connect(m_eval, &studio::EvalService::openFailed, this, [this] { clear(); });
        connect(m_eval, &studio::EvalService::previewStarted, this, [this] {
            m_updating = true;
            retranslate();
        });
        auto idle = [this] {
            m_updating = false;
            retranslate();
        };
        connect(m_eval, &studio::EvalService::previewFailed, this, idle);
        connect(m_eval, &studio::EvalService::previewCancelled, this, idle);
    }
    if (m_project) {
        connect(m_project, &studio::Project::modelPathChanged, this, [this] { clear(); });
        // A budget edit changes the verdicts, not the figures.
        connect(m_project, &studio::Project::budgetsChanged, this, [this] { retranslate(); });
    }
    clear();
}

SummaryView::Section SummaryView::makeSection(const QString &key)
{
    Section s;
    s.widget = new QWidget(this);
    s.widget->setObjectName(key + QStringLiteral("Section"));
    auto *v = new QVBoxLayout(s.widget);
    v->setContentsMargins(0, 12, 0, 0);
    v->setSpacing(6);
    s.title = new FitLabel(s.widget);
    s.title->setObjectName(key + QStringLiteral("Title"));
    s.title->setBold(true);
    s.title->setAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    s.title->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);
    v->addWidget(s.title, 0);
    auto *cards = new QWidget(s.widget);
    s.grid = new QGridLayout(cards);
    s.grid->setContentsMargins(0, 0, 0, 0);
    s.grid->setSpacing(18);
    v->addWidget(cards, 9);
    m_layout->addWidget(s.widget, 0);
    s.widget->hide();
    return s;
}

SummaryView::Card SummaryView::makeCard(QWidget *parent, const QString &key, bool beforeAfter)
{
    Card c;
    auto *frame = new QFrame(parent);
    frame->setObjectName(key + QStringLiteral("Card"));
    frame->setFrameShape(QFrame::StyledPanel);
    frame->setAutoFillBackground(true);
    QPalette pal = frame->palette();
    pal.setColor(QPalette::Window, pal.color(QPalette::AlternateBase));
    frame->setPalette(pal);
    auto *g = new QGridLayout(frame);
    g->setContentsMargins(16, 10, 16, 10);
    g->setHorizontalSpacing(8);
    g->setVerticalSpacing(2);
    auto label = [frame](const QString &name) {
        auto *l = new FitLabel(frame);
        l->setObjectName(name);
        return l;
    };
    c.frame = frame;
    c.caption = label(key + QStringLiteral("Caption"));
    c.caption->setBold(true);
    c.caption->setAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    c.after = label(key + QStringLiteral("After"));
    c.after->setBold(true);
    c.footer = label(key + QStringLiteral("Footer"));
    // Before above after, each with its small caption: the figures get the card's full width.
    g->addWidget(c.caption, 0, 0);
    if (beforeAfter) {
        c.beforeCaption = label(key + QStringLiteral("BeforeCaption"));
        c.beforeCaption->setForegroundRole(QPalette::PlaceholderText);
        c.afterCaption = label(key + QStringLiteral("AfterCaption"));
        c.afterCaption->setForegroundRole(QPalette::PlaceholderText);
        c.before = label(key + QStringLiteral("Before"));
        c.before->setForegroundRole(QPalette::PlaceholderText);
        g->addWidget(c.beforeCaption, 1, 0);
        g->addWidget(c.before, 2, 0);
        g->addWidget(c.afterCaption, 3, 0);
        g->addWidget(c.after, 4, 0);
    } else {
        g->addWidget(c.after, 1, 0, 4, 1);
    }
    g->addWidget(c.footer, 5, 0);
    c.extra = label(key + QStringLiteral("Extra"));
    c.extra->hide();
    g->addWidget(c.extra, 6, 0);
    g->setRowStretch(0, 3);
    g->setRowStretch(1, 2);
    g->setRowStretch(2, 5);
    g->setRowStretch(3, 2);
    g->setRowStretch(4, 7);
    g->setRowStretch(5, 3);
    g->setRowStretch(6, 0);
    frame->hide();
    return c;
}

void SummaryView::clear()
{
    m_result.reset();
    m_updating = false;
    rebuild();
}

void SummaryView::setResult(const EvalResult &result)
{
    m_result = result;
    m_updating = false;
    rebuild();
}

void SummaryView::rebuild()
{
    // Head cards follow the result's heads.
    const std::size_t heads = m_result ? m_result->heads.size() : 0;
    while (m_headCards.size() > heads) {
        delete m_headCards.back().frame;
        m_headCards.pop_back();
    }
    while (m_headCards.size() < heads) {
        const int i = static_cast<int>(m_headCards.size());
        Card c = makeCard(m_figures, QStringLiteral("head%1").arg(i), true);
        c.before->setObjectName(QStringLiteral("headBaseline%1").arg(i));
        c.after->setObjectName(QStringLiteral("headCompressed%1").arg(i));
        c.footer->setObjectName(QStringLiteral("headDelta%1").arg(i));
        c.caption->setObjectName(QStringLiteral("headCaption%1").arg(i));
        c.extra->setObjectName(QStringLiteral("headVerdict%1").arg(i));
        m_headCards.push_back(c);
    }
    // Cards in reading order: size, ratio, then one per head; up to three a row, two rows for
    // four or five (size and ratio above, heads below read best with two heads).
    while (m_grid->count() > 0)
        delete m_grid->takeAt(0);
    std::vector<Card *> cards{&m_size, &m_ratio};
    for (Card &c : m_headCards)
        cards.push_back(&c);
    const int n = static_cast<int>(cards.size());
    const int columns = n <= 3 ? n : (n + 1) / 2;
    for (int i = 0; i < m_grid->columnCount(); ++i)
        m_grid->setColumnStretch(i, 0);
    for (int i = 0; i < n; ++i) {
        m_grid->addWidget(cards[static_cast<std::size_t>(i)]->frame, i / columns, i % columns);
        cards[static_cast<std::size_t>(i)]->frame->setVisible(m_result.has_value());
    }
    for (int i = 0; i < columns; ++i)
        m_grid->setColumnStretch(i, 1);
    m_stack->setCurrentIndex(m_result ? 1 : 0);
    retranslate();
    updateFonts();
}

void SummaryView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void SummaryView::updateEmptyMessage()
{
    if (!m_eval || !m_eval->isOpen()) {
        m_empty->setText(tr("Open validation data to preview accuracy"));
        m_emptyHint->setText(tr("This page then shows model size and accuracy before and after "
                                "compression."));
    } else {
        m_empty->setText(m_updating ? tr("Measuring accuracy…")
                                    : tr("Run the accuracy preview to see the figures"));
        m_emptyHint->setText(tr("The figures update after each accuracy preview."));
    }
}

void SummaryView::retranslate()
{
    retranslateFusion();
    retranslateDistill();
    const QString model = m_project ? QFileInfo(m_project->modelPath()).fileName() : QString();
    m_title->setText(model.isEmpty() ? tr("Compression summary")
                                     : tr("Compression summary: %1").arg(model));
    updateEmptyMessage();
    if (!m_result) {
        m_subtitle->setText(QString());
        return;
    }
    const EvalResult &r = *m_result;
    const QString samples = QLocale().toString(static_cast<qlonglong>(r.samples));
    m_subtitle->setText(m_updating ? tr("Measured on %1 validation samples (updating…)").arg(samples)
                                   : tr("Measured on %1 validation samples").arg(samples));

    m_size.caption->setText(tr("Model size"));
    m_size.caption->setToolTip(tr("Model size: storage of all parameters, float as stored versus "
                                  "compressed under the plan."));
    m_size.beforeCaption->setText(tr("Float"));
    m_size.afterCaption->setText(tr("Compressed"));
    m_size.before->setText(sizeText(r.size.floatBytes));
    m_size.after->setText(sizeText(r.size.compressedBytes));
    const int64_t saved = r.size.floatBytes - r.size.compressedBytes;
    if (r.size.floatBytes > 0)
        m_size.footer->setText(tr("%1 smaller (%2 saved)")
                                   .arg(percentText(double(saved) / double(r.size.floatBytes)),
                                        sizeText(saved)));
    else
        m_size.footer->setText(QString());

    m_ratio.caption->setText(tr("Compression ratio"));
    m_ratio.caption->setToolTip(tr("Compression ratio: float model size divided by compressed "
                                   "size."));
    const double ratio = r.size.ratio();
    m_ratio.after->setText(ratio > 0 ? QLocale().toString(ratio, 'f', ratio < 10 ? 1 : 0)
                                           + QStringLiteral("×")
                                     : QStringLiteral("–"));
    m_ratio.footer->setText(tr("smaller than the float model"));

    for (std::size_t i = 0; i < m_headCards.size() && i < r.heads.size(); ++i) {
        const HeadResult &h = r.heads[i];
        Card &c = m_headCards[i];
        QString metric;
        if (h.metric == "accuracy")
            metric = tr("Accuracy");
        else if (h.metric == "top5")
            metric = tr("Top-5 accuracy");
        else if (h.metric == "token_accuracy")
            metric = tr("Token accuracy");
        else if (h.metric == "entity_f1")
            metric = tr("Entity F1");
        else
            metric = tr("Agreement with float");
        c.caption->setText(r.heads.size() > 1
                               ? tr("%1 · %2").arg(metric, QString::fromStdString(h.output))
                               : metric);
        c.caption->setToolTip(tr("%1 of output %2 on the validation samples.")
                                  .arg(metric, QString::fromStdString(h.output)));
        c.beforeCaption->setText(tr("Float"));
        c.afterCaption->setText(tr("Compressed"));
        // A change under 0.1 points would vanish in one decimal (92.2 % -> 92.2 %): show two.
        const int decimals = std::abs(h.deltaPp) < 0.1 && h.deltaPp != 0 ? 2 : 1;
        c.before->setText(percentText(h.baseline, decimals));
        c.after->setText(percentText(h.compressed, decimals));
        const double pp = h.deltaPp;
        const QString sign = pp > 0 ? QStringLiteral("+") : pp < 0 ? QStringLiteral("−") : QString();
        c.footer->setText(tr("%1%2 percentage points").arg(sign, QLocale().toString(std::abs(pp), 'f', 2)));
        c.footer->setToolTip(tr("Percentage points: the difference between the two percentages."));
        QPalette pal = c.footer->palette();
        pal.setColor(QPalette::WindowText, deltaColor(pp));
        c.footer->setPalette(pal);
        c.footer->setBold(true);
    }
    showVerdicts();
}

void SummaryView::showVerdicts()
{
    if (!m_result)
        return;
    const EvalResult &r = *m_result;
    const studio::BudgetJudgement judged =
        m_project ? studio::judgeProjectBudgets(m_project->budgets(), r) : studio::BudgetJudgement{};
    for (std::size_t i = 0; i < m_headCards.size() && i < r.heads.size(); ++i) {
        FitLabel *line = m_headCards[i].extra;
        const BudgetVerdict *v = nullptr;
        for (const BudgetVerdict &candidate : judged.verdicts)
            if (candidate.output == r.heads[i].output)
                v = &candidate;
        line->setVisible(v != nullptr);
        // The verdict gets a share of the card's height like the change line above it.
        if (auto *g = qobject_cast<QGridLayout *>(m_headCards[i].frame->layout()))
            g->setRowStretch(6, v ? 3 : 0);
        if (!v) {
            line->clear();
            line->setToolTip({});
            continue;
        }
        const QLocale l;
        // A glyph as well as the colour: the verdict must not rest on colour alone.
        if (v->pass)
            line->setText(tr("✔ within budget (%1 pp allowed)").arg(l.toString(v->maxDropPp, 'f', 2)));
        else
            line->setText(tr("✘ over budget by %1 pp (%2 pp allowed)")
                              .arg(!std::isfinite(v->dropPp) ? QStringLiteral("–")
                                   : v->dropPp - v->maxDropPp < 0.005
                                       ? l.toString(v->dropPp - v->maxDropPp, 'g', 2)
                                       : l.toString(v->dropPp - v->maxDropPp, 'f', 2),
                                   l.toString(v->maxDropPp, 'f', 2)));
        line->setToolTip(tr("The project's accuracy budget for %1: the largest drop the plan may "
                            "cost it. Set it in the accuracy preview.")
                             .arg(QString::fromStdString(v->output)));
        QPalette pal = line->palette();
        pal.setColor(QPalette::WindowText, v->pass ? QColor(30, 140, 60) : QColor(200, 45, 35));
        line->setPalette(pal);
        line->setBold(true);
    }
}

QString SummaryView::budgetVerdictText(int head) const
{
    if (!m_result || head < 0 || head >= headCardCount())
        return {};
    const FitLabel *line = m_headCards[std::size_t(head)].extra;
    return line->isHidden() ? QString() : line->text();
}

// ---------------------------------------------------------------------------------------------
// Fusion and distillation rows

void SummaryView::setFusionReport(const FusionReport &report)
{
    m_fusion = report;
    rebuildFusion();
}

void SummaryView::clearFusion()
{
    m_fusion.reset();
    rebuildFusion();
}

void SummaryView::setDistillReport(const DistillReport &report)
{
    m_distill = report;
    rebuildDistill();
}

void SummaryView::clearDistill()
{
    m_distill.reset();
    rebuildDistill();
}

void SummaryView::layoutSection(Section &section, std::vector<Card> &cards)
{
    while (section.grid->count() > 0)
        delete section.grid->takeAt(0);
    const int n = static_cast<int>(cards.size());
    // One row up to five cards; more wrap into rows of (nearly) equal length, at most four a
    // row, so that no card gets too narrow for its figures in a window beside the docks.
    const int rows = n <= 5 ? 1 : (n + 3) / 4;
    const int columns = std::max(1, (n + rows - 1) / rows);
    for (int i = 0; i < section.grid->columnCount(); ++i)
        section.grid->setColumnStretch(i, 0);
    for (int i = 0; i < n; ++i) {
        section.grid->addWidget(cards[static_cast<std::size_t>(i)].frame, i / columns, i % columns);
        cards[static_cast<std::size_t>(i)].frame->show();
    }
    for (int i = 0; i < columns; ++i)
        section.grid->setColumnStretch(i, 1);
    section.widget->setVisible(n > 0);
}

void SummaryView::rebuildFusion()
{
    for (Card &c : m_fusionCards)
        delete c.frame;
    m_fusionCards.clear();
    if (m_fusion) {
        auto named = [](Card &c, const QString &key, const QString &before, const QString &after,
                        const QString &footer) {
            c.caption->setObjectName(key + QStringLiteral("Caption"));
            c.before->setObjectName(before);
            c.after->setObjectName(after);
            c.footer->setObjectName(footer);
        };
        QWidget *parent = m_fusionSection.grid->parentWidget();
        for (const char *key : {"fusionParams", "fusionBytes", "fusionMacs"}) {
            const QString k = QLatin1String(key);
            Card c = makeCard(parent, k, true);
            named(c, k, k + QStringLiteral("Separate"), k + QStringLiteral("Fused"),
                  k + QStringLiteral("Saved"));
            m_fusionCards.push_back(c);
        }
        for (std::size_t i = 0; i < m_fusion->heads.size(); ++i) {
            const QString k = QStringLiteral("fusionHead");
            Card c = makeCard(parent, k + QString::number(i), true);
            c.caption->setObjectName(k + QStringLiteral("Caption%1").arg(i));
            c.before->setObjectName(k + QStringLiteral("Separate%1").arg(i));
            c.after->setObjectName(k + QStringLiteral("Fused%1").arg(i));
            c.footer->setObjectName(k + QStringLiteral("Delta%1").arg(i));
            m_fusionCards.push_back(c);
        }
    }
    layoutSection(m_fusionSection, m_fusionCards);
    retranslateFusion();
    updateFonts();
}

void SummaryView::rebuildDistill()
{
    for (Card &c : m_distillCards)
        delete c.frame;
    m_distillCards.clear();
    if (m_distill) {
        QWidget *parent = m_distillSection.grid->parentWidget();
        for (const char *key : {"distillSize", "distillMacs"}) {
            const QString k = QLatin1String(key);
            Card c = makeCard(parent, k, true);
            c.before->setObjectName(k + QStringLiteral("Teacher"));
            c.after->setObjectName(k + QStringLiteral("Student"));
            c.footer->setObjectName(k + QStringLiteral("Ratio"));
            m_distillCards.push_back(c);
        }
        Card speed = makeCard(parent, QStringLiteral("distillSpeedCard"), false);
        speed.caption->setObjectName(QStringLiteral("distillSpeedCaption"));
        speed.after->setObjectName(QStringLiteral("distillSpeed"));
        speed.footer->setObjectName(QStringLiteral("distillSpeedDetail"));
        m_distillCards.push_back(speed);
        if (m_distill->withPlan) {
            Card plan = makeCard(parent, QStringLiteral("distillPlan"), true);
            plan.before->setObjectName(QStringLiteral("distillPlanFloat"));
            plan.after->setObjectName(QStringLiteral("distillPlanCompressed"));
            plan.footer->setObjectName(QStringLiteral("distillPlanRatio"));
            m_distillCards.push_back(plan);
        }
        for (std::size_t i = 0; i < m_distill->heads.size(); ++i) {
            const QString k = QStringLiteral("distillHead");
            Card c = makeCard(parent, k + QString::number(i), true);
            c.caption->setObjectName(k + QStringLiteral("Caption%1").arg(i));
            c.before->setObjectName(k + QStringLiteral("Teacher%1").arg(i));
            c.after->setObjectName(k + QStringLiteral("Student%1").arg(i));
            c.footer->setObjectName(k + QStringLiteral("Delta%1").arg(i));
            c.extra->setObjectName(k + QStringLiteral("Plan%1").arg(i));
            if (m_distill->heads[i].plan) {
                c.extra->show();
                static_cast<QGridLayout *>(c.frame->layout())->setRowStretch(6, 3);
            }
            m_distillCards.push_back(c);
        }
    }
    layoutSection(m_distillSection, m_distillCards);
    retranslateDistill();
    updateFonts();
}

namespace {

QString metricName(const std::string &metric)
{
    if (metric == "accuracy")
        return SummaryView::tr("Accuracy");
    if (metric == "top5")
        return SummaryView::tr("Top-5 accuracy");
    if (metric == "token_accuracy")
        return SummaryView::tr("Token accuracy");
    if (metric == "entity_f1")
        return SummaryView::tr("Entity F1");
    return QString();
}

void showDelta(FitLabel *label, double pp)
{
    label->setText(SummaryView::tr("%1 percentage points").arg(signedPp(pp)));
    label->setToolTip(
        SummaryView::tr("Percentage points: the difference between the two percentages."));
    QPalette pal = label->palette();
    pal.setColor(QPalette::WindowText, deltaColor(pp));
    label->setPalette(pal);
    label->setBold(true);
}

/// "38.2 % saved (1.23 M)": what B's copy of the backbone cost.
QString savedText(int64_t separate, int64_t fused, const QString &amount)
{
    if (separate <= 0)
        return QString();
    return SummaryView::tr("%1 saved (%2)")
        .arg(percentText(double(separate - fused) / double(separate)), amount);
}

} // namespace

void SummaryView::retranslateFusion()
{
    if (!m_fusion || m_fusionCards.size() < 3)
        return;
    const FusionReport &f = *m_fusion;
    const QString a = QFileInfo(QString::fromStdString(f.modelA)).fileName();
    const QString b = QFileInfo(QString::fromStdString(f.modelB)).fileName();
    m_fusionSection.title->setText(tr("Network fusion: %1 + %2 sharing one backbone").arg(a, b));
    m_fusionSection.title->setToolTip(
        tr("Network fusion: two task models run as one model with a single copy of their common "
           "backbone feeding both heads."));
    const int64_t params = f.costA.parameters + f.costB.parameters;
    const int64_t bytes = f.costA.bytes + f.costB.bytes;
    const int64_t macs = f.costA.macs + f.costB.macs;
    struct Row
    {
        QString caption, tip;
        int64_t separate, fused;
        QString separateText, fusedText, savedAmount;
    };
    const Row rows[3] = {
        {tr("Parameters"), tr("Parameters: the number of learned weights of both models."),
         params, f.costFused.parameters, countText(params), countText(f.costFused.parameters),
         countText(params - f.costFused.parameters)},
        {tr("Model size"), tr("Model size: storage of all weights as stored in the models."), bytes,
         f.costFused.bytes, sizeText(bytes), sizeText(f.costFused.bytes),
         sizeText(bytes - f.costFused.bytes)},
        {tr("Compute (MACs)"),
         tr("MACs: multiply-accumulate operations of one inference, counted from the shapes."),
         macs, f.costFused.macs, countText(macs), countText(f.costFused.macs),
         countText(macs - f.costFused.macs)},
    };
    for (int i = 0; i < 3; ++i) {
        Card &c = m_fusionCards[static_cast<std::size_t>(i)];
        c.caption->setText(rows[i].caption);
        c.caption->setToolTip(rows[i].tip);
        c.beforeCaption->setText(tr("Separate (A + B)"));
        c.afterCaption->setText(tr("Fused"));
        c.before->setText(rows[i].separateText);
        c.after->setText(rows[i].fusedText);
        c.footer->setText(savedText(rows[i].separate, rows[i].fused, rows[i].savedAmount));
    }
    for (std::size_t i = 0; i < f.heads.size() && i + 3 < m_fusionCards.size(); ++i) {
        const HeadPreview &h = f.heads[i];
        Card &c = m_fusionCards[i + 3];
        QString metric = metricName(h.metric);
        if (metric.isEmpty())
            metric = QString::fromStdString(h.metric);
        c.caption->setText(tr("%1 · %2 (%3)")
                               .arg(metric, QString::fromStdString(h.output),
                                    QString::fromStdString(h.model)));
        c.caption->setToolTip(tr("%1 of output %2 of model %3 on its own validation data: the "
                                 "separate model against the fused one.")
                                  .arg(metric, QString::fromStdString(h.output),
                                       QString::fromStdString(h.model)));
        c.beforeCaption->setText(tr("Separate"));
        c.afterCaption->setText(tr("Fused"));
        const int decimals = std::abs(h.deltaPp) < 0.1 && h.deltaPp != 0 ? 2 : 1;
        c.before->setText(percentText(h.separate, decimals));
        c.after->setText(percentText(h.fused, decimals));
        showDelta(c.footer, h.deltaPp);
    }
}

void SummaryView::retranslateDistill()
{
    if (!m_distill || m_distillCards.size() < 3)
        return;
    const DistillReport &d = *m_distill;
    m_distillSection.title->setText(
        d.withPlan ? tr("Knowledge distillation: teacher against student, and the student under "
                        "the plan")
                   : tr("Knowledge distillation: teacher against student"));
    m_distillSection.title->setToolTip(
        tr("Knowledge distillation: a small student model trained on a large teacher's outputs, "
           "compared on %n validation sample(s).",
           nullptr, static_cast<int>(d.samples)));
    auto ratio = [](int64_t big, int64_t small) {
        return small > 0 ? double(big) / double(small) : 0.0;
    };
    Card &size = m_distillCards[0];
    size.caption->setText(tr("Model size"));
    size.caption->setToolTip(tr("Model size: storage of all weights as stored in the models."));
    size.beforeCaption->setText(tr("Teacher"));
    size.afterCaption->setText(tr("Student"));
    size.before->setText(sizeText(d.teacherCost.bytes));
    size.after->setText(sizeText(d.studentCost.bytes));
    size.footer->setText(
        tr("%1 smaller").arg(timesText(ratio(d.teacherCost.bytes, d.studentCost.bytes))));
    size.footer->setToolTip(tr("Parameters: %1 in the teacher, %2 in the student.")
                                .arg(QLocale().toString(static_cast<qlonglong>(d.teacherCost.parameters)),
                                     QLocale().toString(static_cast<qlonglong>(d.studentCost.parameters))));
    Card &macs = m_distillCards[1];
    macs.caption->setText(tr("Compute (MACs)"));
    macs.caption->setToolTip(
        tr("MACs: multiply-accumulate operations of one inference, counted from the shapes."));
    macs.beforeCaption->setText(tr("Teacher"));
    macs.afterCaption->setText(tr("Student"));
    macs.before->setText(countText(d.teacherCost.macs));
    macs.after->setText(countText(d.studentCost.macs));
    macs.footer->setText(
        tr("%1 fewer").arg(timesText(ratio(d.teacherCost.macs, d.studentCost.macs))));
    Card &speed = m_distillCards[2];
    speed.caption->setText(tr("Speed on this machine"));
    speed.caption->setToolTip(tr("Speed: the teacher's time per batch divided by the student's, "
                                 "measured with this program's engine."));
    const double speedRatio =
        d.studentMsPerBatch > 0 ? d.teacherMsPerBatch / d.studentMsPerBatch : 0.0;
    speed.after->setText(speedRatio > 0 ? tr("%1 faster").arg(timesText(speedRatio))
                                        : QStringLiteral("–"));
    speed.footer->setText(tr("%1 → %2 ms per batch")
                              .arg(QLocale().toString(d.teacherMsPerBatch, 'f', 1),
                                   QLocale().toString(d.studentMsPerBatch, 'f', 1)));
    speed.footer->setToolTip(tr("Median time of one batch of %1 samples: teacher, then student.")
                                 .arg(QLocale().toString(static_cast<qlonglong>(d.batchSize))));
    std::size_t next = 3;
    if (d.withPlan && m_distillCards.size() > next) {
        Card &plan = m_distillCards[next++];
        plan.caption->setText(tr("Student under the plan"));
        plan.caption->setToolTip(tr("The student's weights compressed under the project's "
                                    "plan, float as stored against compressed."));
        plan.beforeCaption->setText(tr("Student, float"));
        plan.afterCaption->setText(tr("Student, compressed"));
        plan.before->setText(sizeText(d.planSize.floatBytes));
        plan.after->setText(sizeText(d.planSize.compressedBytes));
        plan.footer->setText(
            tr("%1 smaller than the teacher")
                .arg(timesText(ratio(d.teacherCost.bytes, d.planSize.compressedBytes))));
    }
    for (std::size_t i = 0; i < d.heads.size() && next + i < m_distillCards.size(); ++i) {
        const DistillHead &h = d.heads[i];
        Card &c = m_distillCards[next + i];
        // A head without labels is judged by agreement with the teacher (the teacher's own: 100 %).
        QString metric = h.hasLabels ? metricName(h.metric) : QString();
        if (metric.isEmpty())
            metric = h.hasLabels ? QString::fromStdString(h.metric) : tr("Agreement with teacher");
        const double teacher = h.hasLabels ? h.teacher : 1.0;
        const double student = h.hasLabels ? h.student : h.agreement;
        const double pp = (student - teacher) * 100.0;
        c.caption->setText(d.heads.size() > 1
                               ? tr("%1 · %2").arg(metric, QString::fromStdString(h.output))
                               : metric);
        c.caption->setToolTip(tr("%1 of output %2 on the validation samples: teacher against "
                                 "student.")
                                  .arg(metric, QString::fromStdString(h.output)));
        c.beforeCaption->setText(tr("Teacher"));
        c.afterCaption->setText(tr("Student"));
        const int decimals = std::abs(pp) < 0.1 && pp != 0 ? 2 : 1;
        c.before->setText(percentText(teacher, decimals));
        c.after->setText(percentText(student, decimals));
        showDelta(c.footer, pp);
        if (h.plan) {
            const double planValue = h.hasLabels ? *h.plan : h.planAgreement.value_or(0.0);
            c.extra->setText(tr("Under the plan: %1 (%2 pp)")
                                 .arg(percentText(planValue, decimals),
                                      signedPp((planValue - teacher) * 100.0)));
            c.extra->setToolTip(tr("The student under the project's plan, and its difference "
                                   "from the teacher in percentage points."));
        }
    }
}

// ---------------------------------------------------------------------------------------------

QSize SummaryView::visibleArea() const
{
    if (m_viewport)
        return m_viewport->size();
    return size();
}

void SummaryView::watchViewport()
{
    QWidget *viewport = nullptr;
    if (QWidget *p = parentWidget()) {
        if (auto *scroll = qobject_cast<QAbstractScrollArea *>(p->parentWidget());
            scroll && scroll->viewport() == p)
            viewport = p;
    }
    if (viewport == m_viewport)
        return;
    if (m_viewport)
        m_viewport->removeEventFilter(this);
    m_viewport = viewport;
    if (m_viewport)
        m_viewport->installEventFilter(this);
}

bool SummaryView::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_viewport && event->type() == QEvent::Resize)
        updateFonts();
    return QWidget::eventFilter(watched, event);
}

void SummaryView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    watchViewport();
    updateFonts();
}

void SummaryView::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    watchViewport();
    updateFonts();
}

void SummaryView::updateFonts()
{
    // One unit from the window: the figures grow with it and stay readable across a room.
    const QSize area = visibleArea();
    const double u = std::min(area.width() / 50.0, area.height() / 28.0);
    auto px = [u](double k) { return static_cast<int>(std::lround(u * k)); };
    // The fusion and distillation rows sit below the compression cards at a fixed height each;
    // the compression figures keep a minimum, and the page scrolls when it all does not fit.
    const bool sections = m_fusion || m_distill;
    bool resized = false;
    auto setHeights = [&resized](QWidget *w, int min, int max) {
        if (w->minimumHeight() == min && w->maximumHeight() == max)
            return;
        w->setMinimumHeight(min);
        w->setMaximumHeight(max);
        resized = true;
    };
    setHeights(m_title, sections ? px(2.0) : 0, QWIDGETSIZE_MAX);
    setHeights(m_subtitle, sections && m_result ? px(1.2) : 0, QWIDGETSIZE_MAX);
    setHeights(m_stack, !sections ? 0 : m_result ? px(13.0) : px(5.0), QWIDGETSIZE_MAX);
    for (Section *s : {&m_fusionSection, &m_distillSection}) {
        const std::vector<Card> &cards = s == &m_fusionSection ? m_fusionCards : m_distillCards;
        const int rows = cards.size() <= 5 ? 1 : static_cast<int>((cards.size() + 3) / 4);
        setHeights(s->title, px(2.2), px(2.2));
        s->title->setMaxPixelSize(px(1.5));
        const int h = px(2.2) + rows * px(9.0) + (rows - 1) * 18 + 24;
        setHeights(s->widget, h, h);
    }
    // Lay out again now, also while the page is hidden (a hidden page's layout requests wait,
    // and the sections would be drawn at their old places when it is shown).
    if (resized) {
        for (Section *s : {&m_fusionSection, &m_distillSection}) {
            s->widget->layout()->invalidate();
            s->widget->layout()->activate();
        }
        m_layout->invalidate();
        m_layout->activate();
    }
    m_title->setMaxPixelSize(px(1.9));
    m_subtitle->setMaxPixelSize(px(1.1));
    m_empty->setMaxPixelSize(px(2.2));
    m_emptyHint->setMaxPixelSize(px(1.1));
    std::vector<Card *> cards{&m_size, &m_ratio};
    for (Card &c : m_headCards)
        cards.push_back(&c);
    for (Card *c : cards) {
        c->caption->setMaxPixelSize(px(1.4));
        c->after->setMaxPixelSize(c->before ? px(4.2) : px(6.0));
        // The change in accuracy is the headline of a head's card.
        c->footer->setMaxPixelSize(c == &m_size || c == &m_ratio ? px(1.5) : px(2.2));
        c->extra->setMaxPixelSize(px(1.4));
        if (c->before) {
            c->beforeCaption->setMaxPixelSize(px(1.0));
            c->afterCaption->setMaxPixelSize(px(1.0));
            c->before->setMaxPixelSize(px(2.8));
        }
    }
    // The rows below: the same style, a little smaller (several cards share a row).
    for (std::vector<Card> *row : {&m_fusionCards, &m_distillCards}) {
        for (Card &c : *row) {
            c.caption->setMaxPixelSize(px(1.1));
            c.after->setMaxPixelSize(c.before ? px(2.6) : px(3.4));
            c.footer->setMaxPixelSize(px(1.1));
            c.extra->setMaxPixelSize(px(1.1));
            if (c.before) {
                c.beforeCaption->setMaxPixelSize(px(0.9));
                c.afterCaption->setMaxPixelSize(px(0.9));
                c.before->setMaxPixelSize(px(1.9));
            }
        }
    }
}

QString SummaryView::figureText(const QString &name) const
{
    const auto *l = findChild<QLabel *>(name);
    if (!l)
        return {};
    if (name.startsWith(QLatin1String("fusion")))
        return m_fusion ? l->text() : QString();
    if (name.startsWith(QLatin1String("distill")))
        return m_distill && (!name.startsWith(QLatin1String("distillHeadPlan")) || l->isVisibleTo(this))
                   ? l->text()
                   : QString();
    if (!m_result && name != QLatin1String("emptyMessage") && name != QLatin1String("title"))
        return {};
    return l->text();
}

} // namespace nnc
