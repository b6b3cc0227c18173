// Base for every Studio plot: a QCustomPlot with wheel zoom, drag, "Reset view" and a context menu
// that saves the plot as PNG, PDF or SVG. qcustomplot.h stays out of headers (it is slow to parse).
#pragma once

#include <QFont>
#include <QString>
#include <QWidget>

class QCustomPlot;
class QMenu;

namespace nnc {

class PlotWidget : public QWidget
{
    Q_OBJECT

public:
    enum class ImageFormat { Png, Pdf, Svg };

    explicit PlotWidget(QWidget *parent = nullptr);
    ~PlotWidget() override;

    /// Writes the plot at its current on-screen size (atomically, through QSaveFile).
    /// Returns an empty string on success, otherwise a sentence naming the file and the problem.
    QString saveImage(const QString &path, ImageFormat format);
    /// The format implied by a file name's suffix (png, pdf, svg; anything else: Png).
    static ImageFormat formatForPath(const QString &path);
    /// `text` broken into lines no wider than `width` pixels in `font` (at spaces, or between
    /// any two characters when the text has none, as Chinese); unchanged when it fits.
    static QString wrapToWidth(const QString &text, const QFont &font, int width);

    /// Fits the axes to the data again, undoing any zoom or drag.
    virtual void resetView() = 0;

    QCustomPlot *plot() const { return m_plot; }
    /// The plotting surface as a plain widget (for events and grabs without qcustomplot.h).
    QWidget *canvas() const;
    /// Visible data ranges: x from left() to right(), y from top() (lower) to bottom() (upper).
    QRectF viewRange() const;
    /// The context menu (reset, save as PNG/PDF/SVG, plus addContextActions()); caller owns it.
    QMenu *createContextMenu(QWidget *parent);

protected:
    /// Adds plot-specific actions to the context menu before the common ones; default: nothing.
    virtual void addContextActions(QMenu &menu);
    /// Suggested base name for "Save as" dialogs (no suffix).
    virtual QString exportBaseName() const;
    /// A short centred message drawn over an empty plot ("Select a layer"); empty hides it.
    void setPlaceholderText(const QString &text);
    void replot();

private:
    void showContextMenu(const QPoint &pos);
    void askAndSave(ImageFormat format);

    QCustomPlot *m_plot = nullptr;
    QString m_placeholder;
};

} // namespace nnc
