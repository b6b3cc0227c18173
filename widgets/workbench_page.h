// What the Studio's workbench pages (fusion, distillation) share: the Cancel button, progress bar
// and status line of their long runs with the busy and error behaviour that goes with them, and
// the small helpers of their read-only result tables. User-visible text stays with the pages
// (translated in their own context); this file only builds, wires and formats widgets.
#pragma once

#include <QList>
#include <QPair>
#include <QString>

#include <cstdint>

class QBoxLayout;
class QLabel;
class QProgressBar;
class QPushButton;
class QTableWidget;
class QTableWidgetItem;
class QWidget;

namespace nnc {

/// The run controls of one workbench page. Not a QObject: the page owns it and connects the
/// Cancel button itself.
class WorkbenchRunControls
{
public:
    /// Creates the controls as children of `page`, named `<prefix>Cancel`, `<prefix>Progress`
    /// and `<prefix>Status`; error boxes are named `<prefix>Error`. Cancel starts disabled and
    /// the progress bar hidden.
    WorkbenchRunControls(QWidget *page, const QString &prefix);

    QPushButton *cancelButton() const { return m_cancel; }
    QProgressBar *progressBar() const { return m_progress; }
    QLabel *status() const { return m_status; }

    /// Appends Cancel, the progress bar and the status line (taking the width left) to `row`.
    void addTo(QBoxLayout *row) const;
    /// The widgets disabled while the page is busy (its action buttons and inputs, not Cancel).
    void setInputs(QList<QWidget *> inputs);
    /// Busy: inputs disabled, Cancel enabled, the progress bar shown as a busy indicator until
    /// the first report, `what` on the status line. Not busy: the reverse; the status line keeps
    /// its text.
    void setBusy(bool busy, const QString &what = {});
    /// A done/total report of the running work; total <= 0 leaves the busy indicator.
    void setProgress(int64_t done, int64_t total);
    /// `statusText` (the page's translated "Failed: …") on the status line, `message` whole in
    /// its tooltip and in a warning box titled `title`. The box is not modal-blocking: the page
    /// (and tests driving it) keep running while it is open.
    void showError(const QString &title, const QString &message, const QString &statusText);

private:
    QWidget *m_page;
    QString m_prefix;
    QPushButton *m_cancel;
    QProgressBar *m_progress;
    QLabel *m_status;
    QList<QWidget *> m_inputs;
};

/// A read-only table cell; numbers are right-aligned.
QTableWidgetItem *resultCell(const QString &text, bool number = false);
/// A read-only, row-selecting table named `name` with `columns` columns, no row numbers, and
/// text elided in the middle (generated node names share long prefixes and differ at the end).
QTableWidget *makeResultTable(QWidget *parent, const QString &name, int columns);
/// Header labels with a one-sentence tooltip each: (label, tooltip) per column.
void setResultHeader(QTableWidget *table, const QList<QPair<QString, QString>> &columns);
/// Just tall enough for the header and the rows (at least two): no scrolling, no empty band.
void fitResultHeight(QTableWidget *table);
/// A share in [0, 1] as a percentage with two decimals: 0.1234 -> "12.34 %".
QString percentText(double share);

/// The folder a save dialog of a workbench opens in: the last folder the user saved or opened
/// something in (the Studio's "lastDirectory" setting), else the home folder, never the
/// models' own folder (the bundled demos' folder is read-only once installed).
QString saveDirectory();
/// Remembers the folder of `path` for the next dialog (the setting saveDirectory reads).
void rememberDirectory(const QString &path);

} // namespace nnc
