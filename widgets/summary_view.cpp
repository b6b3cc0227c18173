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
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeTraditionalFormat);
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

    auto *layout = new QVBoxLayout(this);
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

    m_size = makeCard(QStringLiteral("size"), true);
    m_size.before->setObjectName(QStringLiteral("sizeFloat"));
    m_size.after->setObjectName(QStringLiteral("sizeCompressed"));
    m_ratio = makeCard(QStringLiteral("ratio"), false);
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
    if (m_project)
        connect(m_project, &studio::Project::modelPathChanged, this, [this] { clear(); });
    clear();
}

SummaryView::Card SummaryView::makeCard(const QString &key, bool beforeAfter)
{
    Card c;
    auto *frame = new QFrame(m_figures);
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
    g->setRowStretch(0, 3);
    g->setRowStretch(1, 2);
    g->setRowStretch(2, 5);
    g->setRowStretch(3, 2);
    g->setRowStretch(4, 7);
    g->setRowStretch(5, 3);
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
        Card c = makeCard(QStringLiteral("head%1").arg(i), true);
        c.before->setObjectName(QStringLiteral("headBaseline%1").arg(i));
        c.after->setObjectName(QStringLiteral("headCompressed%1").arg(i));
        c.footer->setObjectName(QStringLiteral("headDelta%1").arg(i));
        c.caption->setObjectName(QStringLiteral("headCaption%1").arg(i));
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
}

void SummaryView::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    updateFonts();
}

void SummaryView::updateFonts()
{
    // One unit from the window: the figures grow with it and stay readable across a room.
    const double u = std::min(width() / 50.0, height() / 28.0);
    auto px = [u](double k) { return static_cast<int>(std::lround(u * k)); };
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
        if (c->before) {
            c->beforeCaption->setMaxPixelSize(px(1.0));
            c->afterCaption->setMaxPixelSize(px(1.0));
            c->before->setMaxPixelSize(px(2.8));
        }
    }
}

QString SummaryView::figureText(const QString &name) const
{
    const auto *l = findChild<QLabel *>(name);
    if (!l || (!m_result && name != QLatin1String("emptyMessage") && name != QLatin1String("title")))
        return {};
    return l->text();
}

} // namespace nnc
