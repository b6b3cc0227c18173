// PlotWidget: interaction and export shared by every plot.
#include "widgets/plot_widget.h"

#include <qcustomplot.h>

#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QMessageBox>
#include <QPdfWriter>
#include <QSaveFile>
#include <QStandardPaths>
#include <QSvgGenerator>
#include <QVBoxLayout>

#include <memory>

namespace nnc {

PlotWidget::PlotWidget(QWidget *parent) : QWidget(parent), m_plot(new QCustomPlot(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot);

    m_plot->setInteractions(QCP::iRangeZoom | QCP::iRangeDrag);
    m_plot->setContextMenuPolicy(Qt::CustomContextMenu);
    m_plot->setMinimumSize(240, 180);
    m_plot->setNoAntialiasingOnDrag(true);
    connect(m_plot, &QWidget::customContextMenuRequested, this,
            [this](const QPoint &pos) { showContextMenu(pos); });
    // Double-click anywhere resets the view, as in most plotting tools.
    connect(m_plot, &QCustomPlot::mouseDoubleClick, this, [this](QMouseEvent *) { resetView(); });

    // The placeholder sits in its own layer on top so it is exported only when visible.
    auto *text = new QCPItemText(m_plot);
    text->setObjectName(QStringLiteral("placeholder"));
    text->setPositionAlignment(Qt::AlignCenter);
    text->position->setType(QCPItemPosition::ptAxisRectRatio);
    text->position->setCoords(0.5, 0.5);
    text->setColor(palette().color(QPalette::PlaceholderText));
    // A message wider than the axes is wrapped onto several lines at each layout, so a narrow
    // plot neither cuts its ends ("ting for the first batc") nor lets it run over the axis
    // labels; a single word too long for the axes still shows whole.
    text->setClipToAxisRect(false);
    text->setVisible(false);
    connect(m_plot, &QCustomPlot::afterLayout, this, [this, text] {
        if (!m_placeholder.isEmpty())
            text->setText(wrapToWidth(m_placeholder, text->font(), m_plot->axisRect()->width() - 8));
    });
}

QString PlotWidget::wrapToWidth(const QString &text, const QFont &font, int width)
{
    const QFontMetrics metrics(font);
    if (width <= 0 || metrics.horizontalAdvance(text) <= width)
        return text;
    // Chinese has no spaces: any character boundary is a break; elsewhere break at spaces.
    const bool spaced = text.contains(QLatin1Char(' '));
    QStringList lines;
    QString line;
    const QStringList words = spaced ? text.split(QLatin1Char(' ')) : QStringList();
    const qsizetype count = spaced ? words.size() : text.size();
    for (qsizetype i = 0; i < count; ++i) {
        const QString piece = spaced ? words.at(i) : QString(text.at(i));
        const QString candidate =
            line.isEmpty() ? piece : line + (spaced ? QStringLiteral(" ") : QString()) + piece;
        if (!line.isEmpty() && metrics.horizontalAdvance(candidate) > width) {
            lines << line;
            line = piece;
        } else {
            line = candidate;
        }
    }
    if (!line.isEmpty())
        lines << line;
    return lines.join(QLatin1Char('\n'));
}

PlotWidget::~PlotWidget() = default;

void PlotWidget::setPlaceholderText(const QString &text)
{
    m_placeholder = text;
    for (int i = 0; i < m_plot->itemCount(); ++i) {
        if (auto *item = qobject_cast<QCPItemText *>(m_plot->item(i));
            item && item->objectName() == QLatin1String("placeholder")) {
            item->setText(text);
            item->setVisible(!text.isEmpty());
        }
    }
}

void PlotWidget::replot()
{
    m_plot->replot();
}

void PlotWidget::addContextActions(QMenu &) {}

QString PlotWidget::exportBaseName() const
{
    return QStringLiteral("plot");
}

QWidget *PlotWidget::canvas() const
{
    return m_plot;
}

QRectF PlotWidget::viewRange() const
{
    const QCPRange x = m_plot->xAxis->range();
    const QCPRange y = m_plot->yAxis->range();
    return QRectF(QPointF(x.lower, y.lower), QPointF(x.upper, y.upper));
}

QMenu *PlotWidget::createContextMenu(QWidget *parent)
{
    auto *menu = new QMenu(parent);
    addContextActions(*menu);
    QAction *reset = menu->addAction(tr("Reset view"), this, [this] { resetView(); });
    reset->setObjectName(QStringLiteral("actionResetView"));
    menu->addSeparator();
    menu->addAction(tr("Save as PNG…"), this, [this] { askAndSave(ImageFormat::Png); });
    menu->addAction(tr("Save as PDF…"), this, [this] { askAndSave(ImageFormat::Pdf); });
    menu->addAction(tr("Save as SVG…"), this, [this] { askAndSave(ImageFormat::Svg); });
    return menu;
}

void PlotWidget::showContextMenu(const QPoint &pos)
{
    std::unique_ptr<QMenu> menu(createContextMenu(this));
    menu->exec(m_plot->mapToGlobal(pos));
}

void PlotWidget::askAndSave(ImageFormat format)
{
    QString filter;
    QString suffix;
    switch (format) {
    case ImageFormat::Png: filter = tr("PNG image (*.png)"); suffix = QStringLiteral("png"); break;
    case ImageFormat::Pdf: filter = tr("PDF document (*.pdf)"); suffix = QStringLiteral("pdf"); break;
    case ImageFormat::Svg: filter = tr("SVG image (*.svg)"); suffix = QStringLiteral("svg"); break;
    }
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::PicturesLocation);
    QString path = QFileDialog::getSaveFileName(
        this, tr("Save Plot"), dir + QLatin1Char('/') + exportBaseName() + QLatin1Char('.') + suffix,
        filter);
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix().isEmpty())
        path += QLatin1Char('.') + suffix;
    if (const QString error = saveImage(path, format); !error.isEmpty())
        QMessageBox::warning(this, tr("Save Plot"), error);
}

PlotWidget::ImageFormat PlotWidget::formatForPath(const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("pdf"))
        return ImageFormat::Pdf;
    if (suffix == QLatin1String("svg"))
        return ImageFormat::Svg;
    return ImageFormat::Png;
}

QString PlotWidget::saveImage(const QString &path, ImageFormat format)
{
    // Never size 0: a plot that was never shown still exports at its minimum size.
    const int w = std::max(m_plot->width(), m_plot->minimumWidth());
    const int h = std::max(m_plot->height(), m_plot->minimumHeight());
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return tr("Could not write %1: %2").arg(QDir::toNativeSeparators(path), file.errorString());

    bool painted = true;
    switch (format) {
    case ImageFormat::Png: {
        // Twice the screen resolution keeps text sharp in documents.
        const QPixmap pixmap = m_plot->toPixmap(w, h, 2.0);
        painted = pixmap.save(&file, "PNG");
        break;
    }
    case ImageFormat::Pdf: {
        QPdfWriter writer(&file);
        writer.setCreator(QStringLiteral("NNCompress Studio"));
        writer.setTitle(exportBaseName());
        writer.setResolution(96);
        writer.setPageMargins(QMarginsF(0, 0, 0, 0));
        writer.setPageSize(QPageSize(QSizeF(w * 72.0 / 96.0, h * 72.0 / 96.0), QPageSize::Point,
                                     QString(), QPageSize::ExactMatch));
        QCPPainter painter;
        painted = painter.begin(&writer);
        if (painted) {
            painter.setMode(QCPPainter::pmVectorized);
            painter.setMode(QCPPainter::pmNoCaching);
            m_plot->toPainter(&painter, w, h);
            painter.end();
        }
        break;
    }
    case ImageFormat::Svg: {
        QSvgGenerator generator;
        generator.setOutputDevice(&file);
        generator.setSize(QSize(w, h));
        generator.setViewBox(QRect(0, 0, w, h));
        generator.setTitle(exportBaseName());
        generator.setDescription(QStringLiteral("NNCompress Studio plot"));
        QCPPainter painter;
        painted = painter.begin(&generator);
        if (painted) {
            painter.setMode(QCPPainter::pmVectorized);
            m_plot->toPainter(&painter, w, h);
            painter.end();
        }
        break;
    }
    }
    if (!painted) {
        file.cancelWriting();
        return tr("Could not draw the plot into %1.").arg(QDir::toNativeSeparators(path));
    }
    if (!file.commit())
        return tr("Could not write %1: %2").arg(QDir::toNativeSeparators(path), file.errorString());
    return {};
}

} // namespace nnc
