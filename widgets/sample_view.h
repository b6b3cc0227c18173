// SampleView: one validation sample next to the float and the compressed model's predictions for
// it. Image data is drawn (scaled up, pixels kept square and sharp); text data (the NLP demo)
// shows its decoded sentence and, for per-token outputs, a row per token. Renders a
// SamplePreview the EvalService read on its worker; it never reads data itself.
#pragma once

#include <QImage>
#include <QWidget>

class QBoxLayout;
class QLabel;
class QTableWidget;

namespace nnc::studio {
struct SamplePreview;
} // namespace nnc::studio

namespace nnc {

class Tensor;

class SampleView final : public QWidget
{
    Q_OBJECT

public:
    explicit SampleView(QWidget *parent = nullptr);

    /// Shows `sample`.
    void setSample(const studio::SamplePreview &sample);
    /// Shows no sample, only `message` ("Select a changed prediction", an error, ...).
    void clear(const QString &message);

    /// What is shown, for tests: the picture (null when none), the sentence, the caption.
    QImage image() const;
    QString text() const;
    QString caption() const;
    QTableWidget *predictionTable() const { return m_table; }

    /// The grey image of a stored row [1, H, W], [1, 1, H, W] or [1, H, W, 1] (any numeric
    /// dtype; bytes as they are, other values stretched over their min..max); null otherwise.
    static QImage imageFromRow(const Tensor &row);

protected:
    void changeEvent(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void updateImage();
    void retranslateUi();

    QBoxLayout *m_layout = nullptr;
    QLabel *m_caption = nullptr;
    QLabel *m_picture = nullptr;
    QLabel *m_text = nullptr;
    QTableWidget *m_table = nullptr;
    QImage m_image;
};

} // namespace nnc
