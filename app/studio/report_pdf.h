// The compression report as a PDF (A4, charts drawn with QPainter, fonts embedded, Chinese
// included), from the same nnc::ReportData that `nncompress report` renders as HTML; and the
// headless `nncompress-studio --report-pdf` command built on it.
#pragma once

#include "core/report/report.h"

#include <QString>
#include <QStringList>

namespace nnc::studio {

/// Writes `data` (gathered with nnc::buildReport or nnc::buildReportFromFiles, usually on a
/// worker thread because it runs the evaluator) as an A4 PDF at `path`, in `lang`
/// (nnc::parseReportLanguage("zh_CN") for Chinese; the Studio's UI language is the natural
/// choice). Pages: summary (key figures, plan, accuracy per output, budget verdicts), network
/// fusion and knowledge distillation when the data has them, the per-layer table
/// (continued over pages as needed), the weight histograms, the sensitivity chart.
///
/// Call it on the GUI thread or any thread with a QGuiApplication alive (it uses fonts and
/// QPdfWriter; no window is shown; QT_QPA_PLATFORM=offscreen works). The file is written through
/// QSaveFile: on failure nothing is left at `path` and an existing file is untouched.
///
/// Returns the number of pages written, or an Error whose message names the file.
/// Example (File > Export Report):
///   auto data = nnc::buildReport(model, dataPath, plan, planName, {}, progress); // worker
///   auto pages = nnc::studio::writeReportPdf(*data, lang, fileName);            // GUI thread
nnc::Result<int> writeReportPdf(const nnc::ReportData &data, nnc::ReportLanguage lang,
                                const QString &path);

/// True when the command line asks for the headless PDF report (--report-pdf present).
bool isReportPdfCommand(const QStringList &arguments);

/// Runs `nncompress-studio --report-pdf OUT.pdf --model M --data D --plan P [--lang zh_CN]
/// [--no-sensitivity | --sensitivity-bits B] [--limit N] [--threads N] [--budget SPEC]
/// [--fusion-a A --fusion-b B [--backbone a|b|mean] [--fusion-data-a D] [--fusion-data-b D]]
/// [--teacher T --student S [--distill-data D] [--temperature T] [--student-plan P]]`: gathers
/// the report (the same options as `nncompress report`, parsed by nnc::parseReportSections) and
/// writes the PDF without showing a window. `uiLanguage` ("en" / "zh_CN") is used when --lang
/// is absent. Messages go to stderr; returns the process exit code (0 ok, 2 usage, 3 bad input, 1
/// other failures, 5 written but an output is over its accuracy budget, as the CLI).
int runReportPdfCommand(const QStringList &arguments, const QString &uiLanguage);

} // namespace nnc::studio
