#include "widgets/file_row.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QToolButton>

namespace nnc {

QWidget *makeFileRow(QWidget *parent, QLineEdit *&edit, QToolButton *&browse, FileRowKind kind)
{
    auto *row = new QWidget(parent);
    auto *h = new QHBoxLayout(row);
    h->setContentsMargins(0, 0, 0, 0);
    edit = new QLineEdit(row);
    edit->setClearButtonEnabled(true);
    browse = new QToolButton(row);
    browse->setText(QStringLiteral("…"));
    h->addWidget(edit, 1);
    h->addWidget(browse);
    QLineEdit *target = edit;
    QObject::connect(browse, &QToolButton::clicked, row, [row, target, kind] {
        const QString start = target->text().isEmpty() ? QDir::homePath()
                                                       : QFileInfo(target->text()).absolutePath();
        const bool model = kind == FileRowKind::Model;
        const QString filter =
            model ? QCoreApplication::translate("nnc::FileRow", "ONNX models (*.onnx);;All files (*)")
                  : QCoreApplication::translate("nnc::FileRow",
                                                "Validation data (*.json *.npz *.npy);;All files (*)");
        const QString title = model ? QCoreApplication::translate("nnc::FileRow", "Choose a Model")
                                    : QCoreApplication::translate("nnc::FileRow", "Choose Validation Data");
        const QString path = QFileDialog::getOpenFileName(row, title, start, filter);
        if (!path.isEmpty())
            target->setText(path);
    });
    return row;
}

} // namespace nnc
