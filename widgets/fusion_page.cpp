// FusionPage: model pickers, the backbone match table, the savings figures and bars, the per-head
// sharing preview, and "Build fused model…". All work runs in one LatestTask over fuseModels().
#include "widgets/fusion_page.h"

#include "app/studio/latest_task.h"
#include "app/studio/main_window.h"
#include "app/studio/project.h"
#include "widgets/file_row.h"
#include "widgets/grouped_bar_plot.h"
#include "widgets/metric_name.h"
#include "widgets/workbench_page.h"

#include <QComboBox>
#include <QDir>
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

std::filesystem::path toPath(const QString &s)
{
    return std::filesystem::path(s.toStdString());
}

QString distanceText(double v)
{
    if (std::isinf(v))
        return QStringLiteral("∞");
    return QString::number(v, 'f', 4);
}

/// 1234567 -> "1.23 M": short enough to sit above a bar.
QString shortCount(int64_t v)
{
    const double d = static_cast<double>(v);
    if (std::abs(d) >= 1e9)
        return QString::number(d / 1e9, 'f', 2) + QStringLiteral(" G");
    if (std::abs(d) >= 1e6)
        return QString::number(d / 1e6, 'f', 2) + QStringLiteral(" M");
    if (std::abs(d) >= 1e4)
        return QString::number(d / 1e3, 'f', 0) + QStringLiteral(" k");
    return QString::number(v);
}

} // namespace

FusionPage::FusionPage(studio::Project *project, studio::EvalService *, QWidget *parent)
    : QWidget(parent), m_project(project),
      m_task(std::make_unique<studio::LatestTask<Result<FusionReport>>>(this))
{
    setObjectName(QStringLiteral("fusionPage"));
    auto *layout = new QVBoxLayout(this);

    // Inputs: A on the left, B on the right.
    auto *inputs = new QGridLayout;
    m_labelA = new QLabel(this);
    m_labelB = new QLabel(this);
    m_labelDataA = new QLabel(this);
    m_labelDataB = new QLabel(this);
    inputs->addWidget(m_labelA, 0, 0);
    inputs->addWidget(makeFileRow(this, m_modelA, m_browseA, FileRowKind::Model), 0, 1);
    inputs->addWidget(m_labelB, 0, 2);
    inputs->addWidget(makeFileRow(this, m_modelB, m_browseB, FileRowKind::Model), 0, 3);
    inputs->addWidget(m_labelDataA, 1, 0);
    inputs->addWidget(makeFileRow(this, m_dataA, m_browseDataA, FileRowKind::Data), 1, 1);
    inputs->addWidget(m_labelDataB, 1, 2);
    inputs->addWidget(makeFileRow(this, m_dataB, m_browseDataB, FileRowKind::Data), 1, 3);
    inputs->setColumnStretch(1, 1);
    inputs->setColumnStretch(3, 1);
    m_modelA->setObjectName(QStringLiteral("fusionModelA"));
    m_modelB->setObjectName(QStringLiteral("fusionModelB"));
    m_dataA->setObjectName(QStringLiteral("fusionDataA"));
    m_dataB->setObjectName(QStringLiteral("fusionDataB"));
    layout->addLayout(inputs);

    auto *actions = new QHBoxLayout;
    m_labelBackbone = new QLabel(this);
    m_backbone = new QComboBox(this);
    m_backbone->setObjectName(QStringLiteral("fusionBackbone"));
    m_backbone->addItems({QString(), QString(), QString()});
    m_analyze = new QPushButton(this);
    m_analyze->setObjectName(QStringLiteral("fusionAnalyze"));
    m_preview = new QPushButton(this);
    m_preview->setObjectName(QStringLiteral("fusionPreview"));
    m_build = new QPushButton(this);
    m_build->setObjectName(QStringLiteral("fusionBuild"));
    m_run = std::make_unique<WorkbenchRunControls>(this, QStringLiteral("fusion"));
    m_status = m_run->status();
    actions->addWidget(m_labelBackbone);
    actions->addWidget(m_backbone);
    actions->addSpacing(12);
    actions->addWidget(m_analyze);
    actions->addWidget(m_preview);
    actions->addWidget(m_build);
    m_run->addTo(actions);
    layout->addLayout(actions);

    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("fusionSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_summary);

    // Body: matched weights and the per-head preview side by side, savings on the right.
    auto *body = new QSplitter(Qt::Horizontal, this);
    auto *left = new QSplitter(Qt::Vertical, body);
    m_layersBox = new QGroupBox(left);
    auto *layersLayout = new QVBoxLayout(m_layersBox);
    m_layers = makeResultTable(m_layersBox, QStringLiteral("fusionLayers"), 6);
    // The name columns share what is left (elided in the middle); the figures always show.
    m_layers->horizontalHeader()->setStretchLastSection(false);
    m_layers->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_layers->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_layers->horizontalHeader()->setSectionResizeMode(2, QHeaderView::Stretch);
    layersLayout->addWidget(m_layers);
    m_headsBox = new QGroupBox(left);
    auto *headsLayout = new QVBoxLayout(m_headsBox);
    m_heads = makeResultTable(m_headsBox, QStringLiteral("fusionHeads"), 7);
    m_heads->horizontalHeader()->setStretchLastSection(false);
    m_heads->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_heads->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    headsLayout->addWidget(m_heads);
    left->addWidget(m_layersBox);
    left->addWidget(m_headsBox);
    left->setStretchFactor(0, 1);
    left->setStretchFactor(1, 0);

    m_savingsBox = new QGroupBox(body);
    auto *savingsLayout = new QVBoxLayout(m_savingsBox);
    // Rows A, B, A + B, fused, saved, saved %; columns parameters, bytes, MACs: narrow enough
    // to sit beside the backbone table without scrolling.
    m_savings = makeResultTable(m_savingsBox, QStringLiteral("fusionSavings"), 3);
    m_savings->setRowCount(6);
    m_savings->setSelectionMode(QAbstractItemView::NoSelection);
    m_savings->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_savings->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_savings->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_savings->verticalHeader()->setVisible(true);
    m_savingsPlot = new GroupedBarPlot(m_savingsBox);
    m_savingsPlot->setObjectName(QStringLiteral("fusionSavingsPlot"));
    m_savingsPlot->setExportBaseName(QStringLiteral("fusion-savings"));
    savingsLayout->addWidget(m_savings);
    savingsLayout->addWidget(m_savingsPlot, 1);
    body->addWidget(left);
    body->addWidget(m_savingsBox);
    body->setStretchFactor(0, 3);
    body->setStretchFactor(1, 2);
    layout->addWidget(body, 1);

    connect(m_analyze, &QPushButton::clicked, this, [this] { analyze(); });
    connect(m_preview, &QPushButton::clicked, this, [this] { previewSharing(); });
    connect(m_build, &QPushButton::clicked, this, [this] { askAndBuild(); });
    connect(m_run->cancelButton(), &QPushButton::clicked, this, [this] { cancel(); });
    // Figures of other inputs must not pass for the current ones: say so as soon as they change.
    auto stale = [this] {
        if (m_report && !isBusy())
            m_status->setText(tr("The inputs changed: the figures shown are of the previous ones."));
    };
    for (QLineEdit *e : {m_modelA, m_modelB, m_dataA, m_dataB})
        connect(e, &QLineEdit::textChanged, this, stale);
    connect(m_backbone, &QComboBox::activated, this, stale);

    m_run->setInputs({m_analyze, m_preview, m_build, m_backbone, m_modelA, m_modelB, m_dataA,
                      m_dataB, m_browseA, m_browseB, m_browseDataA, m_browseDataB});

    // Defaults: the demo's intent and slot models, each with its own validation data.
    const QList<studio::DemoEntry> demos = studio::loadDemos(studio::demoDirectory());
    for (const studio::DemoEntry &d : demos) {
        if (d.id == QLatin1String("commands_intent")) {
            m_modelA->setText(d.model);
            m_dataA->setText(d.data);
        } else if (d.id == QLatin1String("commands_slots")) {
            m_modelB->setText(d.model);
            m_dataB->setText(d.data);
        }
    }
    retranslate();
    showReport();
}

FusionPage::~FusionPage() = default;

void FusionPage::retranslate()
{
    m_labelA->setText(tr("Model A:"));
    m_labelB->setText(tr("Model B:"));
    m_labelDataA->setText(tr("Data A:"));
    m_labelDataB->setText(tr("Data B:"));
    m_modelA->setToolTip(tr("The first task model; its graph and output names are kept as they are in "
                            "the fused model."));
    m_modelB->setToolTip(tr("The second task model; its head is attached to the shared backbone."));
    m_dataA->setToolTip(tr("Validation data for model A's heads, used only by Preview sharing."));
    m_dataB->setToolTip(tr("Validation data for model B's heads, used only by Preview sharing."));
    m_browseA->setToolTip(tr("Choose model A."));
    m_browseB->setToolTip(tr("Choose model B."));
    m_browseDataA->setToolTip(tr("Choose model A's validation data."));
    m_browseDataB->setToolTip(tr("Choose model B's validation data."));
    m_labelBackbone->setText(tr("Backbone weights:"));
    m_backbone->setItemText(0, tr("Model A's"));
    m_backbone->setItemText(1, tr("Model B's"));
    m_backbone->setItemText(2, tr("Mean of A and B"));
    m_backbone->setToolTip(tr("Where the one shared copy of the backbone takes its weights from: "
                              "model A, model B, or their element-wise mean."));
    m_analyze->setText(tr("Analyze"));
    m_analyze->setToolTip(tr("Find the common backbone, measure its weight distances and count "
                             "what fusion saves (no data needed)."));
    m_preview->setText(tr("Preview Sharing"));
    m_preview->setToolTip(tr("Evaluate each head of the fused model on its own task's data against "
                             "the separate model it replaces."));
    m_build->setText(tr("Build Fused Model…"));
    m_build->setToolTip(tr("Build the fused model with the chosen backbone, check that it runs, and "
                           "save it as an ONNX file."));
    m_run->cancelButton()->setText(tr("Cancel"));
    m_run->cancelButton()->setToolTip(tr("Stop the running work; nothing is written."));
    m_layersBox->setTitle(tr("Common backbone: matched weights, A against B"));
    m_headsBox->setTitle(tr("Sharing preview: each head, separate against fused"));
    m_savingsBox->setTitle(tr("What fusion saves"));
    setResultHeader(m_layers,
              {{tr("Node"), tr("The backbone node (in model A) that reads this weight.")},
               {tr("Op"), tr("The ONNX operator of the node.")},
               {tr("Weight"), tr("The weight (initializer) in model A; model B's name follows when "
                                 "it differs.")},
               {tr("Shape"), tr("The weight's dimensions.")},
               {tr("Relative L2"), tr("‖A − B‖ / ‖A‖: how far B's weight is from A's, relative to "
                                      "A's size; 0 means equal.")},
               {tr("Cosine"), tr("A·B / (‖A‖ ‖B‖): 1 means the weights point the same way, 0 that "
                                 "they are unrelated.")}});
    setResultHeader(m_heads,
              {{tr("Model"), tr("Which separate model the head comes from.")},
               {tr("Output"), tr("The head's output name in the separate model.")},
               {tr("Metric"), tr("The quality measure of the head's task (accuracy, entity F1).")},
               {tr("Separate"), tr("The metric of the separate model on its own data.")},
               {tr("Fused"), tr("The metric of the same head in the fused model on the same data.")},
               {tr("Δ pp"), tr("Fused minus separate, in percentage points; what retraining "
                               "would have to recover.")},
               {tr("Agreement"), tr("Share of samples (or labelled tokens) where both models predict "
                                    "the same class.")}});
    setResultHeader(m_savings,
              {{tr("Parameters"), tr("Parameters: elements of the floating-point weights.")},
               {tr("Bytes"), tr("Bytes: the stored size of every weight and constant tensor.")},
               {tr("MACs"), tr("MACs: multiply-accumulate operations of one inference, counted "
                               "from the shapes.")}});
    const QList<QPair<QString, QString>> rows = {
        {tr("A"), tr("Model A alone.")},
        {tr("B"), tr("Model B alone.")},
        {tr("A + B"), tr("Both separate models together, as deployed without fusion.")},
        {tr("Fused"), tr("The fused model: one backbone, both heads.")},
        {tr("Saved"), tr("A + B minus fused.")},
        {tr("Saved %"), tr("The saving as a share of A + B.")}};
    for (int r = 0; r < rows.size(); ++r) {
        m_savings->setVerticalHeaderItem(r, new QTableWidgetItem(rows.at(r).first));
        m_savings->verticalHeaderItem(r)->setToolTip(rows.at(r).second);
    }
    m_savings->setFixedHeight(m_savings->horizontalHeader()->sizeHint().height() +
                              rows.size() * m_savings->verticalHeader()->defaultSectionSize() +
                              2 * m_savings->frameWidth());
    if (!isBusy())
        m_status->setText(m_lastError.isEmpty() ? QString() : tr("Failed: %1").arg(m_lastError));
    showReport();
}

void FusionPage::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void FusionPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    // The analysis needs no data and takes about a second: run it the first time the page is
    // seen so the page is not empty.
    if (!m_shownOnce) {
        m_shownOnce = true;
        if (!m_report && !isBusy() && QFileInfo::exists(modelA()) && QFileInfo::exists(modelB()))
            analyze();
    }
}

void FusionPage::setModelA(const QString &path) { m_modelA->setText(path); }
void FusionPage::setModelB(const QString &path) { m_modelB->setText(path); }
void FusionPage::setDataA(const QString &path) { m_dataA->setText(path); }
void FusionPage::setDataB(const QString &path) { m_dataB->setText(path); }
QString FusionPage::modelA() const { return m_modelA->text().trimmed(); }
QString FusionPage::modelB() const { return m_modelB->text().trimmed(); }
QString FusionPage::dataA() const { return m_dataA->text().trimmed(); }
QString FusionPage::dataB() const { return m_dataB->text().trimmed(); }

void FusionPage::setBackbone(BackboneSource source)
{
    m_backbone->setCurrentIndex(static_cast<int>(source));
}

BackboneSource FusionPage::backbone() const
{
    return static_cast<BackboneSource>(std::clamp(m_backbone->currentIndex(), 0, 2));
}

bool FusionPage::isBusy() const
{
    return m_task->isRunning();
}

void FusionPage::analyze()
{
    start(Job::Analyze);
}

void FusionPage::previewSharing()
{
    start(Job::Preview);
}

void FusionPage::buildFusedModel(const QString &path)
{
    start(Job::Build, path);
}

void FusionPage::askAndBuild()
{
    const QString start = saveDirectory();
    const QString base = QFileInfo(modelA()).completeBaseName() + QLatin1Char('_') +
                         QFileInfo(modelB()).completeBaseName() + QStringLiteral("_fused.onnx");
    QString path = QFileDialog::getSaveFileName(this, tr("Save Fused Model"),
                                                start + QLatin1Char('/') + base,
                                                tr("ONNX models (*.onnx)"));
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix().isEmpty())
        path += QStringLiteral(".onnx");
    rememberDirectory(path);
    buildFusedModel(path);
}

void FusionPage::cancel()
{
    if (!isBusy())
        return;
    m_task->cancel();
    setBusy(false);
    m_status->setText(tr("Cancelled."));
}

void FusionPage::start(Job job, const QString &outPath)
{
    if (modelA().isEmpty() || modelB().isEmpty()) {
        showError(tr("Fusion"), tr("Choose both models first."));
        emit finished(false);
        return;
    }
    FusionRequest req;
    req.modelA = toPath(modelA());
    req.modelB = toPath(modelB());
    req.backbone = backbone();
    if (job == Job::Preview) {
        if (dataA().isEmpty() && dataB().isEmpty()) {
            showError(tr("Fusion"), tr("Choose validation data for model A, model B or both to "
                                       "preview sharing."));
            emit finished(false);
            return;
        }
        if (!dataA().isEmpty())
            req.dataA = toPath(dataA());
        if (!dataB().isEmpty())
            req.dataB = toPath(dataB());
    }
    if (job == Job::Build)
        req.out = toPath(outPath);
    const QString what = job == Job::Preview ? tr("Evaluating both heads…")
                         : job == Job::Build ? tr("Building the fused model…")
                                             : tr("Matching the backbones…");
    setBusy(true, what);
    m_task->start(
        [req](const Progress &progress) { return fuseModels(req, progress); },
        [this, job, outPath, dataA = dataA(), dataB = dataB()](Result<FusionReport> r) {
            setBusy(false);
            if (!r) {
                // A failed analysis leaves nothing valid to show; a failed write keeps the
                // figures, which are still those of the current models.
                if (job != Job::Build) {
                    m_report.reset();
                    m_reportDataA.clear();
                    m_reportDataB.clear();
                    showReport();
                }
                showError(job == Job::Build ? tr("Build Fused Model") : tr("Fusion"),
                          QString::fromStdString(r.error().message));
                emit finished(false);
                return;
            }
            // Keep a preview's head figures when only the model was written afterwards.
            std::vector<HeadPreview> heads;
            if (job == Job::Build && m_report && r->heads.empty() && m_report->modelA == r->modelA &&
                m_report->modelB == r->modelB && m_report->backbone == r->backbone)
                heads = m_report->heads;
            m_report = std::move(*r);
            if (!heads.empty()) {
                m_report->heads = std::move(heads); // and the data they came from stays
            } else if (job == Job::Preview) {
                m_reportDataA = dataA;
                m_reportDataB = dataB;
            } else {
                m_reportDataA.clear();
                m_reportDataB.clear();
            }
            m_lastError.clear();
            showReport();
            if (job == Job::Build)
                m_status->setText(tr("Wrote %1 (%n node(s), checked to run).", nullptr,
                                     static_cast<int>(m_report->nodesFused))
                                      .arg(QDir::toNativeSeparators(outPath)));
            else
                m_status->setText(job == Job::Preview ? tr("Preview done.") : tr("Analysis done."));
            emit resultReady(*m_report);
            emit finished(true);
        },
        [this](int64_t done, int64_t total) { m_run->setProgress(done, total); });
}

void FusionPage::setBusy(bool busy, const QString &what)
{
    m_run->setBusy(busy, what);
}

void FusionPage::showError(const QString &title, const QString &message)
{
    m_lastError = message;
    m_run->showError(title, message, tr("Failed: %1").arg(message));
}

void FusionPage::showReport()
{
    const QLocale locale;
    if (!m_report) {
        m_summary->setText(tr("Pick two models that start with the same layers (for example an "
                              "intent model and a slot model trained from one recipe) and press "
                              "Analyze."));
        m_layers->setRowCount(0);
        m_heads->setRowCount(0);
        fitResultHeight(m_heads);
        for (int r = 0; r < 6; ++r)
            for (int c = 0; c < 3; ++c)
                m_savings->setItem(r, c, resultCell(QStringLiteral("–"), true));
        m_savingsPlot->clear(tr("No analysis yet"));
        return;
    }
    const FusionReport &rep = *m_report;
    auto names = [](const std::vector<std::string> &v) {
        QStringList out;
        for (const auto &s : v)
            out << QString::fromStdString(s);
        return out.isEmpty() ? QStringLiteral("–") : out.join(QStringLiteral(", "));
    };
    QString summary =
        tr("Common backbone: %1 nodes (%2 besides constants) of A's %3 and B's %4; the fused model "
           "has %5 nodes. A's heads read %6; B's heads read %7. MACs are counted for one input of "
           "batch %8, sequence length %9.")
            .arg(rep.backboneNodes)
            .arg(rep.backboneComputeNodes)
            .arg(rep.nodesA)
            .arg(rep.nodesB)
            .arg(rep.nodesFused)
            .arg(names(rep.headInputsA), names(rep.headInputsB))
            .arg(rep.costOptions.batch)
            .arg(rep.costOptions.sequence);
    for (const auto &[from, to] : rep.outputsB)
        if (from != to)
            summary += QLatin1Char(' ') + tr("B's output %1 is called %2 in the fused model.")
                                              .arg(QString::fromStdString(from),
                                                   QString::fromStdString(to));
    m_summary->setText(summary);

    m_layers->setRowCount(static_cast<int>(rep.weights.size()));
    for (int i = 0; i < static_cast<int>(rep.weights.size()); ++i) {
        const WeightDistance &w = rep.weights[static_cast<std::size_t>(i)];
        QString weight = QString::fromStdString(w.weightA);
        if (w.weightB != w.weightA)
            weight += QStringLiteral(" / ") + QString::fromStdString(w.weightB);
        m_layers->setItem(i, 0, resultCell(QString::fromStdString(w.node)));
        m_layers->item(i, 0)->setToolTip(QString::fromStdString(w.node));
        m_layers->setItem(i, 1, resultCell(QString::fromStdString(w.opType)));
        m_layers->setItem(i, 2, resultCell(weight));
        m_layers->item(i, 2)->setToolTip(weight);
        m_layers->setItem(i, 3, resultCell(QString::fromStdString(dimsToString(w.shape))));
        auto *l2 =
            resultCell(w.identical ? tr("0 (identical)") : distanceText(w.relativeL2), true);
        // Tint by distance so the layers retraining would have to reconcile stand out.
        const double t = std::isfinite(w.relativeL2) ? std::clamp(w.relativeL2, 0.0, 1.0) : 1.0;
        l2->setBackground(QColor::fromRgbF(1.0, 1.0 - 0.45 * t, 1.0 - 0.55 * t));
        l2->setForeground(Qt::black);
        m_layers->setItem(i, 4, l2);
        m_layers->setItem(i, 5, resultCell(distanceText(w.cosine), true));
    }

    m_heads->setRowCount(static_cast<int>(rep.heads.size()));
    for (int i = 0; i < static_cast<int>(rep.heads.size()); ++i) {
        const HeadPreview &h = rep.heads[static_cast<std::size_t>(i)];
        QString output = QString::fromStdString(h.output);
        if (h.fusedOutput != h.output)
            output += QStringLiteral(" → ") + QString::fromStdString(h.fusedOutput);
        m_heads->setItem(i, 0, resultCell(QString::fromStdString(h.model)));
        m_heads->setItem(i, 1, resultCell(output));
        m_heads->setItem(i, 2, resultCell(metricDisplayName(h.metric)));
        m_heads->setItem(i, 3, resultCell(percentText(h.separate), true));
        m_heads->setItem(i, 4, resultCell(percentText(h.fused), true));
        auto *delta = resultCell(QString::asprintf("%+.2f", h.deltaPp), true);
        if (h.deltaPp < -0.005)
            delta->setForeground(QColor(180, 30, 30));
        m_heads->setItem(i, 5, delta);
        m_heads->setItem(i, 6, resultCell(percentText(h.agreement), true));
        m_heads->item(i, 3)->setToolTip(tr("%n sample(s)", nullptr, static_cast<int>(h.samples)));
    }
    fitResultHeight(m_heads);

    const int64_t a[3] = {rep.costA.parameters, rep.costA.bytes, rep.costA.macs};
    const int64_t b[3] = {rep.costB.parameters, rep.costB.bytes, rep.costB.macs};
    const int64_t f[3] = {rep.costFused.parameters, rep.costFused.bytes, rep.costFused.macs};
    std::vector<std::vector<double>> values(2);
    std::vector<QStringList> labels(2);
    auto count = [&](int64_t v) {
        return resultCell(locale.toString(static_cast<qlonglong>(v)), true);
    };
    for (int c = 0; c < 3; ++c) {
        const int64_t both = a[c] + b[c];
        const double share = both ? double(both - f[c]) / double(both) : 0.0;
        m_savings->setItem(0, c, count(a[c]));
        m_savings->setItem(1, c, count(b[c]));
        m_savings->setItem(2, c, count(both));
        m_savings->setItem(3, c, count(f[c]));
        m_savings->setItem(4, c, count(both - f[c]));
        m_savings->setItem(
            5, c, resultCell(QString::number(share * 100, 'f', 1) + QStringLiteral(" %"), true));
        values[0].push_back(100.0);
        values[1].push_back(both ? 100.0 * double(f[c]) / double(both) : 0.0);
        labels[0] << shortCount(both);
        labels[1] << shortCount(f[c]);
    }
    m_savingsPlot->setGroups({tr("Parameters"), tr("Bytes"), tr("MACs")},
                             {tr("A + B"), tr("Fused")}, values, tr("Share of A + B (%)"),
                             tr("Separate against fused"), labels, true);
}

} // namespace nnc
