// SampleView: renders one SamplePreview (stored row, decoded text, float vs compressed
// predictions).
#include "widgets/sample_view.h"

#include "app/studio/eval_service.h"

#include <QEvent>
#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QBoxLayout>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace nnc {

namespace {

/// Arg-max and its softmax probability of each row of the last axis of `logits` [1, ..., K].
struct Pick
{
    int64_t cls = -1;
    double prob = 0;
};

std::vector<Pick> picks(const Tensor &logits)
{
    std::vector<Pick> out;
    if (logits.empty() || logits.rank() == 0)
        return out;
    const int64_t k = logits.dim(logits.rank() - 1);
    if (k <= 0)
        return out;
    const std::vector<float> v = logits.toFloatVector();
    for (int64_t r = 0; r + k <= static_cast<int64_t>(v.size()); r += k) {
        const auto begin = v.begin() + r;
        const auto best = std::max_element(begin, begin + k);
        double sum = 0;
        for (auto it = begin; it != begin + k; ++it)
            sum += std::exp(double(*it) - *best);
        out.push_back({best - begin, sum > 0 ? 1.0 / sum : 0.0});
    }
    return out;
}

QString className(const std::vector<std::string> &names, int64_t cls)
{
    if (cls >= 0 && cls < static_cast<int64_t>(names.size()))
        return QString::fromStdString(names[static_cast<std::size_t>(cls)]);
    return QString::number(cls);
}

} // namespace

SampleView::SampleView(QWidget *parent) : QWidget(parent)
{
    m_caption = new QLabel(this);
    m_caption->setWordWrap(true);
    m_picture = new QLabel(this);
    m_picture->setAlignment(Qt::AlignCenter);
    m_picture->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    m_text = new QLabel(this);
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont big = m_text->font();
    big.setPointSizeF(big.pointSizeF() * 1.4);
    m_text->setFont(big);
    m_table = new QTableWidget(0, 4, this);
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionMode(QAbstractItemView::NoSelection);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);

    // The picture beside the details when the view is wide, above them when it is tall.
    auto *details = new QWidget(this);
    auto *detailsLayout = new QVBoxLayout(details);
    detailsLayout->setContentsMargins(0, 0, 0, 0);
    detailsLayout->setSpacing(2);
    detailsLayout->addWidget(m_caption);
    detailsLayout->addWidget(m_text);
    detailsLayout->addWidget(m_table, 1);
    m_layout = new QBoxLayout(QBoxLayout::TopToBottom, this);
    m_layout->setContentsMargins(0, 0, 0, 0);
    m_layout->setSpacing(4);
    m_layout->addWidget(m_picture, 2);
    m_layout->addWidget(details, 3);
    m_picture->setMinimumSize(84, 84);
    retranslateUi();
    clear(tr("Select a changed prediction to see its sample."));
}

void SampleView::retranslateUi()
{
    m_table->setHorizontalHeaderLabels(
        {tr("Output"), tr("Label"), tr("Float"), tr("Compressed")});
    m_table->horizontalHeaderItem(1)->setToolTip(
        tr("The correct answer stored with the validation data."));
    m_table->horizontalHeaderItem(2)->setToolTip(
        tr("What the original float model predicts, with its softmax probability."));
    m_table->horizontalHeaderItem(3)->setToolTip(
        tr("What the model predicts under the compression plan; red where it differs."));
}

void SampleView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void SampleView::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    const auto dir = width() > height() ? QBoxLayout::LeftToRight : QBoxLayout::TopToBottom;
    if (m_layout->direction() != dir)
        m_layout->setDirection(dir);
    updateImage();
}

QImage SampleView::imageFromRow(const Tensor &row)
{
    // Accept [1, H, W], [1, 1, H, W] and [1, H, W, 1]: one grey plane.
    Dims d = row.dims();
    if (d.size() < 3 || d[0] != 1)
        return {};
    d.erase(d.begin());
    if (d.size() == 3 && d[0] == 1)
        d.erase(d.begin());
    else if (d.size() == 3 && d[2] == 1)
        d.pop_back();
    if (d.size() != 2 || d[0] < 2 || d[1] < 2 || d[0] > 4096 || d[1] > 4096)
        return {};
    const int h = static_cast<int>(d[0]), w = static_cast<int>(d[1]);
    const std::vector<float> v = row.toFloatVector();
    float lo = 0, hi = 255;
    if (row.dtype() != DataType::UInt8) {
        const auto [mn, mx] = std::minmax_element(v.begin(), v.end());
        lo = *mn;
        hi = *mx > *mn ? *mx : *mn + 1;
    }
    QImage img(w, h, QImage::Format_Grayscale8);
    for (int y = 0; y < h; ++y) {
        uchar *line = img.scanLine(y);
        for (int x = 0; x < w; ++x) {
            const float g = (v[std::size_t(y) * w + x] - lo) / (hi - lo) * 255.0f;
            line[x] = static_cast<uchar>(std::clamp(std::lround(g), 0L, 255L));
        }
    }
    return img;
}

void SampleView::updateImage()
{
    if (m_image.isNull()) {
        m_picture->clear();
        m_picture->hide();
        return;
    }
    m_picture->show();
    // Whole multiples of the stored size keep every pixel a sharp square.
    const QSize room = m_picture->size();
    const int scale = std::max(1, std::min(room.width() / m_image.width(),
                                           room.height() / m_image.height()));
    m_picture->setPixmap(QPixmap::fromImage(
        m_image.scaled(m_image.size() * scale, Qt::KeepAspectRatio, Qt::FastTransformation)));
}

void SampleView::clear(const QString &message)
{
    m_image = QImage();
    updateImage();
    m_caption->setText(message);
    m_text->clear();
    m_text->hide();
    m_table->setRowCount(0);
}

void SampleView::setSample(const studio::SamplePreview &s)
{
    m_image = QImage();
    for (const Tensor &row : s.raw) {
        m_image = imageFromRow(row);
        if (!m_image.isNull())
            break;
    }
    updateImage();
    m_caption->setText(tr("Sample %1 of the validation set").arg(s.index));
    m_text->setText(QString::fromStdString(s.text));
    m_text->setVisible(!s.text.empty());

    m_table->setRowCount(0);
    const QColor differs(230, 90, 80, 110);
    auto addRow = [&](const QString &name, const QString &label, const QString &f,
                      const QString &c, bool changed) {
        const int r = m_table->rowCount();
        m_table->insertRow(r);
        m_table->setItem(r, 0, new QTableWidgetItem(name));
        m_table->setItem(r, 1, new QTableWidgetItem(label));
        m_table->setItem(r, 2, new QTableWidgetItem(f));
        auto *ci = new QTableWidgetItem(c);
        if (changed) {
            ci->setBackground(differs);
            ci->setToolTip(tr("The compressed model's prediction differs from the float one."));
        }
        m_table->setItem(r, 3, ci);
    };
    for (std::size_t o = 0; o < s.outputs.size() && o < s.floatOutputs.size()
                            && o < s.compressedOutputs.size();
         ++o) {
        const std::vector<Pick> f = picks(s.floatOutputs[o]);
        const std::vector<Pick> c = picks(s.compressedOutputs[o]);
        const std::vector<std::string> &names =
            o < s.classNames.size() ? s.classNames[o] : std::vector<std::string>{};
        const std::vector<int64_t> labels =
            o < s.labels.size() && !s.labels[o].empty() ? s.labels[o].toInt64Vector()
                                                        : std::vector<int64_t>{};
        const QString out = QString::fromStdString(s.outputs[o]);
        auto cell = [&names](const Pick &p) {
            return QStringLiteral("%1 (%2 %)").arg(className(names, p.cls)).arg(p.prob * 100, 0,
                                                                                 'f', 1);
        };
        // Per-token outputs: one row per real token (padding left out).
        std::size_t rows = std::min(f.size(), c.size());
        if (rows > 1 && !s.tokens.empty())
            rows = std::min(rows, s.tokens.size());
        for (std::size_t i = 0; i < rows; ++i) {
            QString name = out;
            if (rows > 1) {
                const QString where = i < s.tokens.size() ? QString::fromStdString(s.tokens[i])
                                                          : QString::number(i);
                name = QStringLiteral("%1 · %2").arg(out, where);
            }
            const QString label = i < labels.size() && labels[i] >= 0
                                      ? className(names, labels[i])
                                      : QStringLiteral("–");
            addRow(name, label, cell(f[i]), cell(c[i]), f[i].cls != c[i].cls);
        }
    }
    m_table->resizeRowsToContents();
}

QImage SampleView::image() const
{
    return m_image;
}

QString SampleView::text() const
{
    return m_text->text();
}

QString SampleView::caption() const
{
    return m_caption->text();
}

} // namespace nnc
