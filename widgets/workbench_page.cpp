// WorkbenchRunControls and the result-table helpers shared by the fusion and distillation pages.
#include "widgets/workbench_page.h"

#include <QBoxLayout>
#include <QDir>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QTableWidget>

#include <algorithm>

namespace nnc {

WorkbenchRunControls::WorkbenchRunControls(QWidget *page, const QString &prefix)
    : m_page(page), m_prefix(prefix), m_cancel(new QPushButton(page)),
      m_progress(new QProgressBar(page)), m_status(new QLabel(page))
{
    m_cancel->setObjectName(prefix + QStringLiteral("Cancel"));
    m_cancel->setEnabled(false);
    m_progress->setObjectName(prefix + QStringLiteral("Progress"));
    m_progress->setVisible(false);
    m_progress->setMaximumWidth(220);
    m_status->setObjectName(prefix + QStringLiteral("Status"));
    // A long message (an error naming a path) must not widen the page: it is cut, and shown
    // whole in the tooltip and the message box.
    m_status->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
}

void WorkbenchRunControls::addTo(QBoxLayout *row) const
{
    row->addWidget(m_cancel);
    row->addWidget(m_progress);
    row->addWidget(m_status, 1);
}

void WorkbenchRunControls::setInputs(QList<QWidget *> inputs)
{
    m_inputs = std::move(inputs);
}

void WorkbenchRunControls::setBusy(bool busy, const QString &what)
{
    for (QWidget *w : std::as_const(m_inputs))
        w->setEnabled(!busy);
    m_cancel->setEnabled(busy);
    m_progress->setVisible(busy);
    // Busy indicator until the first progress report gives the batch count.
    m_progress->setRange(0, 0);
    if (busy)
        m_status->setText(what);
}

void WorkbenchRunControls::setProgress(int64_t done, int64_t total)
{
    if (total <= 0)
        return;
    m_progress->setRange(0, static_cast<int>(total));
    m_progress->setValue(static_cast<int>(done));
}

void WorkbenchRunControls::showError(const QString &title, const QString &message,
                                     const QString &statusText)
{
    m_status->setText(statusText);
    m_status->setToolTip(message);
    auto *box = new QMessageBox(QMessageBox::Warning, title, message, QMessageBox::Ok, m_page);
    box->setObjectName(m_prefix + QStringLiteral("Error"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

QTableWidgetItem *resultCell(const QString &text, bool number)
{
    auto *item = new QTableWidgetItem(text);
    item->setFlags(Qt::ItemIsSelectable | Qt::ItemIsEnabled);
    if (number)
        item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

QTableWidget *makeResultTable(QWidget *parent, const QString &name, int columns)
{
    auto *t = new QTableWidget(0, columns, parent);
    t->setObjectName(name);
    t->setEditTriggers(QAbstractItemView::NoEditTriggers);
    t->setSelectionBehavior(QAbstractItemView::SelectRows);
    t->verticalHeader()->setVisible(false);
    t->horizontalHeader()->setStretchLastSection(true);
    t->setAlternatingRowColors(true);
    t->setWordWrap(false);
    t->setTextElideMode(Qt::ElideMiddle);
    t->verticalHeader()->setDefaultSectionSize(t->fontMetrics().height() + 6);
    return t;
}

void setResultHeader(QTableWidget *table, const QList<QPair<QString, QString>> &columns)
{
    QStringList labels;
    for (const auto &c : columns)
        labels << c.first;
    table->setHorizontalHeaderLabels(labels);
    for (int i = 0; i < columns.size(); ++i)
        if (QTableWidgetItem *h = table->horizontalHeaderItem(i))
            h->setToolTip(columns.at(i).second);
}

void fitResultHeight(QTableWidget *table)
{
    table->setFixedHeight(table->horizontalHeader()->sizeHint().height() +
                          std::max(2, table->rowCount()) *
                              table->verticalHeader()->defaultSectionSize() +
                          2 * table->frameWidth() + 6);
}

QString percentText(double share)
{
    return QString::number(share * 100, 'f', 2) + QStringLiteral(" %");
}

QString saveDirectory()
{
    return QSettings().value(QStringLiteral("lastDirectory"), QDir::homePath()).toString();
}

void rememberDirectory(const QString &path)
{
    QSettings().setValue(QStringLiteral("lastDirectory"), QFileInfo(path).absolutePath());
}

} // namespace nnc
