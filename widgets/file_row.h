// A line edit with a "…" button that opens a file dialog: the input rows of the workbench pages.
#pragma once

class QLineEdit;
class QToolButton;
class QWidget;

namespace nnc {

enum class FileRowKind { Model, Data };

/// Builds the row as a child of `parent`; `edit` and `browse` receive its two widgets. The file
/// dialog starts in the folder of the current text and filters ONNX models or validation data.
QWidget *makeFileRow(QWidget *parent, QLineEdit *&edit, QToolButton *&browse, FileRowKind kind);

} // namespace nnc
