// DistillPage: teacher/student/data pickers, the per-head comparison, size/compute/speed of both,
// per-class accuracy bars, the student under the project's plan, and the soft-label export.
#include "widgets/distill_page.h"

#include "app/studio/latest_task.h"
#include "app/studio/main_window.h"
#include "app/studio/project.h"
#include "core/model/onnx_reader.h"
#include "widgets/file_row.h"
#include "widgets/grouped_bar_plot.h"
#include "widgets/metric_name.h"
#include "widgets/workbench_page.h"

#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

#include <cmath>

namespace nnc {

namespace {

constexpr int kHeadColumns = 11;
constexpr int kFirstPlanColumn = 7;

std::filesystem::path toPath(const QString &s)
{
    return std::filesystem::path(s.toStdString());
}

QTableWidgetItem *deltaCell(double pp)
{
    auto *item = resultCell(QString::asprintf("%+.2f", pp), true);
    if (pp < -0.005)
        item->setForeground(QColor(180, 30, 30));
    return item;
}

QString cellText(const QTableWidget *t, int row, int column)
{
    const QTableWidgetItem *item = t->item(row, column);
    return item ? item->text() : QString();
}

} // namespace

DistillPage::DistillPage(studio::Project *project, studio::EvalService *, QWidget *parent)
    : QWidget(parent), m_project(project),
      m_compareTask(std::make_unique<studio::LatestTask<Result<DistillReport>>>(this)),
      m_exportTask(std::make_unique<studio::LatestTask<Result<SoftLabelSummary>>>(this))
{
    setObjectName(QStringLiteral("distillPage"));
    auto *layout = new QVBoxLayout(this);

    auto *inputs = new QGridLayout;
    m_labelTeacher = new QLabel(this);
    m_labelStudent = new QLabel(this);
    m_labelData = new QLabel(this);
    m_labelTemperature = new QLabel(this);
    inputs->addWidget(m_labelTeacher, 0, 0);
    inputs->addWidget(makeFileRow(this, m_teacher, m_browseTeacher, FileRowKind::Model), 0, 1);
    inputs->addWidget(m_labelStudent, 0, 2);
    inputs->addWidget(makeFileRow(this, m_student, m_browseStudent, FileRowKind::Model), 0, 3);
    inputs->addWidget(m_labelData, 1, 0);
    inputs->addWidget(makeFileRow(this, m_data, m_browseData, FileRowKind::Data), 1, 1);
    auto *tempRow = new QHBoxLayout;
    m_temperature = new QDoubleSpinBox(this);
    m_temperature->setObjectName(QStringLiteral("distillTemperature"));
    m_temperature->setRange(0.1, 100.0);
    m_temperature->setDecimals(2);
    m_temperature->setSingleStep(0.5);
    m_temperature->setValue(4.0);
    tempRow->addWidget(m_temperature);
    tempRow->addStretch(1);
    inputs->addWidget(m_labelTemperature, 1, 2);
    inputs->addLayout(tempRow, 1, 3);
    inputs->setColumnStretch(1, 1);
    inputs->setColumnStretch(3, 1);
    m_teacher->setObjectName(QStringLiteral("distillTeacher"));
    m_student->setObjectName(QStringLiteral("distillStudent"));
    m_data->setObjectName(QStringLiteral("distillData"));
    layout->addLayout(inputs);

    auto *actions = new QHBoxLayout;
    m_run = new QPushButton(this);
    m_run->setObjectName(QStringLiteral("distillRun"));
    m_runPlan = new QPushButton(this);
    m_runPlan->setObjectName(QStringLiteral("distillRunPlan"));
    m_export = new QPushButton(this);
    m_export->setObjectName(QStringLiteral("distillExport"));
    m_runControls = std::make_unique<WorkbenchRunControls>(this, QStringLiteral("distill"));
    m_status = m_runControls->status();
    actions->addWidget(m_run);
    actions->addWidget(m_runPlan);
    actions->addWidget(m_export);
    m_runControls->addTo(actions);
    layout->addLayout(actions);

    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("distillSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_summary);

    // The per-head table runs across the page (it has up to 11 columns); below it the cost
    // table and the per-class chart share the rest.
    m_headsBox = new QGroupBox(this);
    auto *headsLayout = new QVBoxLayout(m_headsBox);
    m_heads = makeResultTable(m_headsBox, QStringLiteral("distillHeads"), kHeadColumns);
    m_heads->horizontalHeader()->setStretchLastSection(false);
    m_heads->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_heads->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    headsLayout->addWidget(m_heads);
    layout->addWidget(m_headsBox);

    auto *body = new QSplitter(Qt::Horizontal, this);
    m_costBox = new QGroupBox(body);
    auto *costLayout = new QVBoxLayout(m_costBox);
    m_cost = makeResultTable(m_costBox, QStringLiteral("distillCost"), 4);
    m_cost->verticalHeader()->setVisible(true);  // the row names: teacher, student, ...
    m_cost->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    costLayout->addWidget(m_cost);
    costLayout->addStretch(1);
    body->addWidget(m_costBox);

    m_chartBox = new QGroupBox(body);
    auto *chartLayout = new QVBoxLayout(m_chartBox);
    auto *chartTop = new QHBoxLayout;
    m_labelChartHead = new QLabel(m_chartBox);
    m_chartHead = new QComboBox(m_chartBox);
    m_chartHead->setObjectName(QStringLiteral("distillChartHead"));
    chartTop->addWidget(m_labelChartHead);
    chartTop->addWidget(m_chartHead, 1);
    m_chart = new GroupedBarPlot(m_chartBox);
    m_chart->setObjectName(QStringLiteral("distillPerClassPlot"));
    m_chart->setExportBaseName(QStringLiteral("distillation-per-class"));
    chartLayout->addLayout(chartTop);
    chartLayout->addWidget(m_chart, 1);
    body->addWidget(m_chartBox);
    body->setStretchFactor(0, 0);
    body->setStretchFactor(1, 1);
    layout->addWidget(body, 1);

    connect(m_run, &QPushButton::clicked, this, [this] { run(); });
    connect(m_runPlan, &QPushButton::clicked, this, [this] { runWithPlan(); });
    connect(m_export, &QPushButton::clicked, this, [this] { askAndExport(); });
    connect(m_runControls->cancelButton(), &QPushButton::clicked, this, [this] { cancel(); });
    auto stale = [this] {
        if (m_report && !isBusy())
            m_status->setText(tr("The inputs changed: the figures shown are of the previous ones."));
    };
    for (QLineEdit *e : {m_teacher, m_student, m_data})
        connect(e, &QLineEdit::textChanged, this, stale);
    connect(m_temperature, &QDoubleSpinBox::valueChanged, this, stale);
    connect(m_chartHead, &QComboBox::currentIndexChanged, this, [this] { showChart(); });

    m_runControls->setInputs({m_run, m_runPlan, m_export, m_teacher, m_student, m_data,
                              m_temperature, m_browseTeacher, m_browseStudent, m_browseData});

    const QList<studio::DemoEntry> demos = studio::loadDemos(studio::demoDirectory());
    for (const studio::DemoEntry &d : demos) {
        if (d.id == QLatin1String("commands_teacher")) {
            m_teacher->setText(d.model);
            m_data->setText(d.data);
        } else if (d.id == QLatin1String("commands_student")) {
            m_student->setText(d.model);
        }
    }
    retranslate();
}

DistillPage::~DistillPage() = default;

void DistillPage::retranslate()
{
    m_labelTeacher->setText(tr("Teacher:"));
    m_labelStudent->setText(tr("Student:"));
    m_labelData->setText(tr("Data:"));
    m_labelTemperature->setText(tr("Temperature:"));
    m_teacher->setToolTip(tr("The larger model whose soft outputs the student learnt from."));
    m_student->setToolTip(tr("The smaller model trained to imitate the teacher."));
    m_data->setToolTip(tr("Validation data both models are run on; labels come from the "
                          "teacher's binding of it."));
    m_browseTeacher->setToolTip(tr("Choose the teacher model."));
    m_browseStudent->setToolTip(tr("Choose the student model."));
    m_browseData->setToolTip(tr("Choose the validation data."));
    m_temperature->setToolTip(tr("Softmax temperature T: logits are divided by T before the "
                                 "softmax, which softens both models' outputs for the KL divergence "
                                 "and the soft labels."));
    m_run->setText(tr("Run"));
    m_run->setToolTip(tr("Compare the student with the teacher on the data."));
    m_runPlan->setText(tr("Evaluate the Student under the Current Plan"));
    m_runPlan->setToolTip(tr("Also run the student compressed with the project's plan, to see how "
                             "much of the teacher's accuracy is left after distilling and then "
                             "quantizing."));
    m_export->setText(tr("Export Soft Labels…"));
    m_export->setToolTip(tr("Write the teacher's logits and its softmax at temperature T for every "
                            "sample of the data to an .npz file a training pipeline can read."));
    m_runControls->cancelButton()->setText(tr("Cancel"));
    m_runControls->cancelButton()->setToolTip(tr("Stop the running work; nothing is written."));
    m_headsBox->setTitle(tr("Each head: teacher against student"));
    m_costBox->setTitle(tr("Size, compute and speed"));
    m_chartBox->setTitle(tr("Accuracy per class"));
    m_labelChartHead->setText(tr("Head:"));
    m_chartHead->setToolTip(tr("The output head whose per-class accuracy is shown."));
    setResultHeader(m_heads,
              {{tr("Output"), tr("The output head both models share.")},
               {tr("Metric"), tr("The quality measure of the head's task (accuracy, entity F1).")},
               {tr("Teacher"), tr("The teacher's metric on the data.")},
               {tr("Student"), tr("The student's metric on the data.")},
               {tr("Δ pp"), tr("Student minus teacher, in percentage points.")},
               {tr("Agreement"), tr("Share of samples (or unmasked tokens) where the student predicts "
                                    "the teacher's class.")},
               {tr("KL(T‖S)"), tr("Kullback-Leibler divergence of the student's softened outputs "
                                  "from the teacher's at temperature T, in nats; 0 means identical.")},
               {tr("Plan"), tr("The student's metric when compressed with the project's plan.")},
               {tr("Plan Δ pp"), tr("The compressed student minus the teacher, in percentage "
                                    "points: what is left of the teacher's accuracy.")},
               {tr("Plan agreement"), tr("Share of positions where the compressed student predicts "
                                         "the teacher's class.")},
               {tr("Plan KL"), tr("KL divergence of the compressed student from the teacher at "
                                  "temperature T, in nats.")}});
    setResultHeader(m_cost,
              {{tr("Parameters"), tr("Elements of the floating-point weights.")},
               {tr("Bytes"), tr("The stored size of the weights and constants.")},
               {tr("MACs"), tr("Multiply-accumulate operations of one inference, counted from the "
                               "shapes.")},
               {tr("ms per batch"), tr("Median wall time of one full batch on this machine with "
                                       "our engine.")}});
    if (!isBusy())
        m_status->setText(m_lastError.isEmpty() ? QString() : tr("Failed: %1").arg(m_lastError));
    showReport();
}

void DistillPage::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void DistillPage::setTeacher(const QString &path) { m_teacher->setText(path); }
void DistillPage::setStudent(const QString &path) { m_student->setText(path); }
void DistillPage::setData(const QString &path) { m_data->setText(path); }
void DistillPage::setTemperature(double t) { m_temperature->setValue(t); }
QString DistillPage::teacher() const { return m_teacher->text().trimmed(); }
QString DistillPage::student() const { return m_student->text().trimmed(); }
QString DistillPage::data() const { return m_data->text().trimmed(); }
double DistillPage::temperature() const { return m_temperature->value(); }

bool DistillPage::isBusy() const
{
    return m_compareTask->isRunning() || m_exportTask->isRunning();
}

void DistillPage::run()
{
    compare(false);
}

void DistillPage::runWithPlan()
{
    compare(true);
}

void DistillPage::cancel()
{
    if (!isBusy())
        return;
    m_compareTask->cancel();
    m_exportTask->cancel();
    setBusy(false);
    m_status->setText(tr("Cancelled."));
}

void DistillPage::compare(bool withPlan)
{
    if (isBusy())
        return;
    if (teacher().isEmpty() || student().isEmpty() || data().isEmpty()) {
        showError(tr("Distillation"), tr("Choose a teacher, a student and validation data first."));
        emit finished(false);
        return;
    }
    if (withPlan && !m_project) {
        showError(tr("Distillation"), tr("There is no project whose plan could be applied."));
        emit finished(false);
        return;
    }
    std::optional<CompressionPlan> plan;
    if (withPlan)
        plan = m_project->plan();  // a copy: the worker never sees the document
    DistillOptions options;
    options.temperature = temperature();
    const auto teacherPath = toPath(teacher());
    const auto studentPath = toPath(student());
    const auto dataPath = toPath(data());
    setBusy(true, withPlan ? tr("Comparing; the student also under the plan…")
                           : tr("Comparing the teacher and the student…"));
    m_compareTask->start(
        [=](const Progress &progress) -> Result<DistillReport> {
            auto t = readSharedModel(teacherPath);
            if (!t)
                return std::unexpected(t.error());
            if (progress.cancelled())
                return fail("cancelled.", Error::Code::Cancelled);
            auto s = readSharedModel(studentPath);
            if (!s)
                return std::unexpected(s.error());
            return compareDistill(*t, *s, dataPath, plan ? &*plan : nullptr, options, progress);
        },
        [this, inputs = QStringList{teacher(), student(), data()}](Result<DistillReport> r) {
            setBusy(false);
            if (!r) {
                m_report.reset();
                m_reportTeacher.clear();
                m_reportStudent.clear();
                m_reportData.clear();
                showReport();
                showError(tr("Distillation"), QString::fromStdString(r.error().message));
                emit finished(false);
                return;
            }
            m_report = std::move(*r);
            m_reportTeacher = inputs[0];
            m_reportStudent = inputs[1];
            m_reportData = inputs[2];
            m_lastError.clear();
            showReport();
            m_status->setText(tr("Comparison done."));
            emit resultReady(*m_report);
            emit finished(true);
        },
        [this](int64_t done, int64_t total) { m_runControls->setProgress(done, total); });
}

void DistillPage::askAndExport()
{
    const QFileInfo t(teacher());
    QString path = QFileDialog::getSaveFileName(
        this, tr("Export Soft Labels"),
        saveDirectory() + QLatin1Char('/') + t.completeBaseName() + QStringLiteral("_soft.npz"),
        tr("NumPy archives (*.npz)"));
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix().isEmpty())
        path += QStringLiteral(".npz");
    rememberDirectory(path);
    exportSoftLabels(path);
}

void DistillPage::exportSoftLabels(const QString &path)
{
    if (isBusy())
        return;
    if (teacher().isEmpty() || data().isEmpty()) {
        showError(tr("Export Soft Labels"), tr("Choose a teacher and data first."));
        emit finished(false);
        return;
    }
    SoftLabelOptions options;
    options.temperature = temperature();
    const auto teacherPath = toPath(teacher());
    const auto dataPath = toPath(data());
    const auto outPath = toPath(path);
    setBusy(true, tr("Writing the teacher's soft labels…"));
    m_exportTask->start(
        [=](const Progress &progress) -> Result<SoftLabelSummary> {
            auto t = readSharedModel(teacherPath);
            if (!t)
                return std::unexpected(t.error());
            return nnc::exportSoftLabels(*t, dataPath, outPath, options, progress);
        },
        [this, path](Result<SoftLabelSummary> r) {
            setBusy(false);
            if (!r) {
                showError(tr("Export Soft Labels"), QString::fromStdString(r.error().message));
                emit finished(false);
                return;
            }
            m_softLabels = std::move(*r);
            m_lastError.clear();
            QStringList arrays;
            for (const SoftLabelArray &a : m_softLabels->arrays)
                arrays << QString::fromStdString(a.name + " " + dimsToString(a.shape));
            m_status->setText(tr("Wrote %1: %n sample(s).", nullptr,
                                 static_cast<int>(m_softLabels->samples))
                                  .arg(QDir::toNativeSeparators(path)));
            m_status->setToolTip(arrays.join(QLatin1Char('\n')));
            emit finished(true);
        },
        [this](int64_t done, int64_t total) { m_runControls->setProgress(done, total); });
}

void DistillPage::setBusy(bool busy, const QString &what)
{
    m_runControls->setBusy(busy, what);
}

void DistillPage::showError(const QString &title, const QString &message)
{
    m_lastError = message;
    m_runControls->showError(title, message, tr("Failed: %1").arg(message));
}

void DistillPage::showReport()
{
    const QLocale locale;
    if (!m_report) {
        m_summary->setText(tr("Pick a teacher, its distilled student and validation data, then "
                              "press Run."));
        m_heads->setRowCount(0);
        m_cost->setRowCount(0);
        fitResultHeight(m_heads);
        fitResultHeight(m_cost);
        const QSignalBlocker block(m_chartHead);
        m_chartHead->clear();
        m_chart->clear(tr("No comparison yet"));
        return;
    }
    const DistillReport &rep = *m_report;
    const CostOptions costShape = DistillOptions{}.cost;  // compare() counts at the defaults
    QString summary = tr("%n sample(s), temperature %1. MACs counted for one input of batch %2, "
                         "sequence length %3; times are the median of %4 batches of %5.",
                         nullptr, static_cast<int>(rep.samples))
                          .arg(rep.temperature)
                          .arg(costShape.batch)
                          .arg(costShape.sequence)
                          .arg(rep.timedBatches)
                          .arg(rep.batchSize);
    if (rep.withPlan)
        summary += QLatin1Char(' ') +
                   tr("Under the plan the student's weights take %1 bytes (%2 as float).")
                       .arg(locale.toString(static_cast<qlonglong>(rep.planSize.compressedBytes)),
                            locale.toString(static_cast<qlonglong>(rep.planSize.floatBytes)));
    if (!rep.calibrated.empty())
        summary += QLatin1Char(' ') + tr("%n activation range(s) the plan lacked were calibrated.",
                                         nullptr, static_cast<int>(rep.calibrated.size()));
    for (const std::string &o : rep.unmatchedOutputs)
        summary += QLatin1Char(' ') + tr("Output %1 is in only one of the models and was not "
                                         "compared.").arg(QString::fromStdString(o));
    m_summary->setText(summary);

    m_heads->setRowCount(static_cast<int>(rep.heads.size()));
    for (int i = 0; i < static_cast<int>(rep.heads.size()); ++i) {
        const DistillHead &h = rep.heads[static_cast<std::size_t>(i)];
        m_heads->setItem(i, 0, resultCell(QString::fromStdString(h.output)));
        m_heads->setItem(i, 1, resultCell(metricDisplayName(h.metric)));
        m_heads->setItem(i, 2, resultCell(h.hasLabels ? percentText(h.teacher) : QStringLiteral("–"),
                                          true));
        m_heads->setItem(i, 3, resultCell(h.hasLabels ? percentText(h.student) : QStringLiteral("–"),
                                          true));
        m_heads->setItem(i, 4, h.hasLabels ? deltaCell((h.student - h.teacher) * 100)
                                           : resultCell(QStringLiteral("–"), true));
        m_heads->setItem(i, 5, resultCell(percentText(h.agreement), true));
        m_heads->setItem(i, 6, resultCell(QString::number(h.klDivergence, 'f', 5), true));
        m_heads->item(i, 0)->setToolTip(tr("%n position(s) compared", nullptr,
                                           static_cast<int>(h.positions)));
        if (h.plan) {
            m_heads->setItem(i, 7, resultCell(h.hasLabels ? percentText(*h.plan)
                                                          : QStringLiteral("–"),
                                              true));
            m_heads->setItem(i, 8, h.hasLabels ? deltaCell((*h.plan - h.teacher) * 100)
                                               : resultCell(QStringLiteral("–"), true));
            m_heads->setItem(i, 9, resultCell(percentText(h.planAgreement.value_or(0)), true));
            m_heads->setItem(i, 10,
                             resultCell(QString::number(h.planKl.value_or(0), 'f', 5), true));
        }
    }
    for (int c = kFirstPlanColumn; c < kHeadColumns; ++c)
        m_heads->setColumnHidden(c, !rep.withPlan);
    fitResultHeight(m_heads);

    struct Row
    {
        QString name, tip;
        QStringList cells;
    };
    auto count = [&](int64_t v) { return locale.toString(static_cast<qlonglong>(v)); };
    auto ratio = [](double s, double t) {
        return t > 0 ? QString::number(100.0 * s / t, 'f', 1) + QStringLiteral(" %")
                     : QStringLiteral("–");
    };
    const ModelCost &tc = rep.teacherCost, &sc = rep.studentCost;
    QList<Row> rows = {
        {tr("Teacher"), tr("The teacher model."),
         {count(tc.parameters), count(tc.bytes), count(tc.macs),
          QString::number(rep.teacherMsPerBatch, 'f', 2)}},
        {tr("Student"), tr("The student model."),
         {count(sc.parameters), count(sc.bytes), count(sc.macs),
          QString::number(rep.studentMsPerBatch, 'f', 2)}},
        {tr("Student ÷ teacher"), tr("The student's figure as a share of the teacher's."),
         {ratio(sc.parameters, tc.parameters), ratio(sc.bytes, tc.bytes), ratio(sc.macs, tc.macs),
          ratio(rep.studentMsPerBatch, rep.teacherMsPerBatch)}}};
    if (rep.withPlan)
        rows.push_back({tr("Student + plan"),
                        tr("The student's weights compressed with the project's plan (same "
                           "parameters and MACs; not timed)."),
                        {count(sc.parameters), count(rep.planSize.compressedBytes), count(sc.macs),
                         QStringLiteral("–")}});
    m_cost->setRowCount(static_cast<int>(rows.size()));
    QStringList rowNames;
    for (const Row &r : rows)
        rowNames << r.name;
    m_cost->setVerticalHeaderLabels(rowNames);
    for (int r = 0; r < rows.size(); ++r) {
        m_cost->verticalHeaderItem(r)->setToolTip(rows.at(r).tip);
        for (int c = 0; c < 4; ++c)
            m_cost->setItem(r, c, resultCell(rows.at(r).cells.value(c), true));
    }
    // Wide enough for every figure: the columns stretch but never clip a number.
    int width = m_cost->verticalHeader()->sizeHint().width() + 2 * m_cost->frameWidth() + 4;
    for (int c = 0; c < 4; ++c) {
        int column = m_cost->horizontalHeader()->sectionSizeHint(c);
        for (int r = 0; r < m_cost->rowCount(); ++r)
            column = std::max(column, m_cost->fontMetrics().horizontalAdvance(
                                          cellText(m_cost, r, c)) + 14);
        width += column;
    }
    m_cost->setMinimumWidth(width);
    fitResultHeight(m_cost);

    const int previous = m_chartHead->currentIndex();
    {
        const QSignalBlocker block(m_chartHead);
        m_chartHead->clear();
        for (int i = 0; i < static_cast<int>(rep.heads.size()); ++i)
            if (!rep.heads[static_cast<std::size_t>(i)].perClass.empty())
                m_chartHead->addItem(QString::fromStdString(rep.heads[static_cast<std::size_t>(i)].output), i);
        if (previous >= 0 && previous < m_chartHead->count())
            m_chartHead->setCurrentIndex(previous);
    }
    showChart();
}

void DistillPage::setChartHead(int index)
{
    const int at = m_chartHead->findData(index);
    if (at >= 0)
        m_chartHead->setCurrentIndex(at);
}

void DistillPage::showChart()
{
    if (!m_report || m_chartHead->currentIndex() < 0) {
        m_chart->clear(m_report ? tr("No labelled head to break down by class")
                                : tr("No comparison yet"));
        return;
    }
    const DistillHead &h =
        m_report->heads[static_cast<std::size_t>(m_chartHead->currentData().toInt())];
    QStringList classes;
    QStringList series = {tr("Teacher"), tr("Student")};
    if (h.plan)
        series << tr("Student under the plan");
    std::vector<std::vector<double>> values(static_cast<std::size_t>(series.size()));
    std::vector<QStringList> labels(static_cast<std::size_t>(series.size()));
    for (const ClassAccuracy &c : h.perClass) {
        if (c.total == 0)
            continue;
        classes << QString::fromStdString(c.name);
        const int64_t correct[3] = {c.teacherCorrect, c.studentCorrect, c.planCorrect};
        for (std::size_t s = 0; s < values.size(); ++s) {
            const double share = 100.0 * double(correct[s]) / double(c.total);
            values[s].push_back(share);
            labels[s] << tr("%1 % (%2 of %3)")
                             .arg(QString::number(share, 'f', 2))
                             .arg(correct[s])
                             .arg(c.total);
        }
    }
    m_chart->setGroups(classes, series, values, tr("Accuracy (%)"),
                       tr("%1: accuracy per class").arg(QString::fromStdString(h.output)), labels,
                       false);
}

} // namespace nnc
