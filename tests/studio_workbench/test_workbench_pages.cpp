// The Fusion and Distillation pages driven like a user would (set paths, press the actions) under
// the offscreen platform: what they show must be the core's figures (fuseModels, compareDistill,
// exportSoftLabels called directly), cancelling leaves the page ready and writes nothing, and a
// bad model path shows the engine's message while the page stays usable. Issue #8.
#include "app/studio/main_window.h"
#include "app/studio/project.h"
#include "core/distill/distill.h"
#include "core/fusion/fusion.h"
#include "core/model/onnx_reader.h"
#include "core/model/onnx_writer.h"
#include "widgets/distill_page.h"
#include "widgets/fusion_page.h"
#include "widgets/grouped_bar_plot.h"
#include "widgets/summary_view.h"
#include "widgets/workbench_page.h"
#include "tests/common/studio_test_main.h"

#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QFileInfo>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <memory>

using namespace nnc;
namespace fs = std::filesystem;

namespace {

const QString kDemo = QStringLiteral(NNC_SOURCE_DIR "/resources/demo/");
constexpr int kWaitMs = 300000;  // a generous bound for slow (sanitizer) builds, not a timing check

Tensor constant(Dims dims, float v)
{
    Tensor t(DataType::Float, std::move(dims));
    float step = 0;
    for (float &x : t.mutableSpan<float>()) {
        x = v + step;
        step += 0.125f;
    }
    return t;
}

/// x [N, 4] -> Gemm(W1 [8, 4], b1 [8], transB) -> Relu -> Gemm(W2 [classes, 8], b2) -> output.
/// Two of these with the same backbone values and different heads share g1 and relu exactly.
fs::path writeTinyModel(const QString &dir, const std::string &output, int64_t classes,
                        float headValue)
{
    Model m;
    m.irVersion = 8;
    m.opsets[""] = 13;
    Graph &g = m.graph;
    g.name = "tiny";
    ValueInfo x;
    x.name = "x";
    x.dtype = DataType::Float;
    x.hasShape = true;
    x.shape = {Dim{-1, false, "N"}, Dim{4, true, ""}};
    g.inputs.push_back(x);
    g.initializers["W1"] = constant({8, 4}, 0.5f);
    g.initializers["b1"] = constant({8}, -0.25f);
    g.initializers["W2"] = constant({classes, 8}, headValue);
    g.initializers["b2"] = constant({classes}, headValue);
    g.initializerOrder = {"W1", "b1", "W2", "b2"};
    auto gemm = [](std::string name, std::vector<std::string> in, std::string out) {
        Node n;
        n.opType = "Gemm";
        n.name = std::move(name);
        n.inputs = std::move(in);
        n.outputs = {std::move(out)};
        Attribute t;
        t.name = "transB";
        t.kind = Attribute::Kind::Int;
        t.i = 1;
        n.attributes.push_back(t);
        return n;
    };
    Node relu;
    relu.opType = "Relu";
    relu.name = "relu";
    relu.inputs = {"h"};
    relu.outputs = {"r"};
    g.nodes = {gemm("g1", {"x", "W1", "b1"}, "h"), relu, gemm("g2", {"r", "W2", "b2"}, output)};
    ValueInfo y;
    y.name = output;
    y.dtype = DataType::Float;
    y.hasShape = true;
    y.shape = {Dim{-1, false, "N"}, Dim{classes, true, ""}};
    g.outputs.push_back(y);
    const fs::path path = fs::path(dir.toStdString()) / ("tiny_" + output + ".onnx");
    if (auto w = writeModel(m, path); !w)
        qFatal("%s", w.error().message.c_str());
    return path;
}

/// Waits for the page's next finished(ok) and returns ok (fails the test on a time-out).
template<class Page>
bool waitFinished(Page *page, QSignalSpy &spy)
{
    if (spy.isEmpty() && !spy.wait(kWaitMs))
        qFatal("the page did not finish");
    Q_UNUSED(page);
    return spy.takeFirst().at(0).toBool();
}

QString cellText(QTableWidget *t, int row, int column)
{
    QTableWidgetItem *item = t->item(row, column);
    return item ? item->text() : QString();
}

QString grouped(int64_t v)
{
    return QLocale().toString(static_cast<qlonglong>(v));
}

QString percent(double share)
{
    return QString::number(share * 100, 'f', 2) + QStringLiteral(" %");
}

/// The error box the page opened (non-blocking), closed after reading.
QString takeErrorBox(QWidget *page, const QString &name)
{
    auto *box = page->findChild<QMessageBox *>(name);
    if (!box)
        return QString();
    const QString text = box->text();
    box->close();
    QCoreApplication::processEvents();
    return text;
}

} // namespace

class TestWorkbenchPages : public QObject
{
    Q_OBJECT

private slots:
    void saveDialogsOpenInTheLastFolderNotTheModels()
    {
        // The demos' folder is read-only once installed: the workbenches' save dialogs start
        // in the folder the user last used, else the home folder.
        QSettings().remove(QStringLiteral("lastDirectory"));
        QCOMPARE(saveDirectory(), QDir::homePath());
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        rememberDirectory(dir.filePath(QStringLiteral("fused.onnx")));
        QCOMPARE(saveDirectory(), QFileInfo(dir.path()).absoluteFilePath());
        QSettings().remove(QStringLiteral("lastDirectory"));
    }

    void fusionOfTinyModelsShowsTheHandCountedSavings()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const fs::path a = writeTinyModel(dir.path(), "ya", 3, 0.75f);
        const fs::path b = writeTinyModel(dir.path(), "yb", 5, -0.5f);
        studio::Project project;
        FusionPage page(&project, nullptr);
        page.setModelA(QString::fromStdString(a.string()));
        page.setModelB(QString::fromStdString(b.string()));
        QSignalSpy spy(&page, &FusionPage::finished);
        // The page hands its result on (the main window feeds the Summary view with it).
        SummaryView summary(&project, nullptr);
        std::vector<FusionReport> delivered;
        connect(&page, &FusionPage::resultReady, &summary, [&](const FusionReport &r) {
            delivered.push_back(r);
            summary.setFusionReport(r);
        });
        page.analyze();
        QVERIFY(page.isBusy());
        QVERIFY(waitFinished(&page, spy));
        QVERIFY(!page.isBusy());
        QCOMPARE(delivered.size(), std::size_t(1));
        QCOMPARE(delivered[0].costFused.parameters, int64_t(112));
        QCOMPARE(summary.figureText(QStringLiteral("fusionParamsSeparate")), QStringLiteral("152"));
        QCOMPARE(summary.figureText(QStringLiteral("fusionParamsFused")), QStringLiteral("112"));
        QCOMPARE(summary.figureText(QStringLiteral("fusionParamsSaved")),
                 QStringLiteral("26.3 % saved (40)"));
        QCOMPARE(summary.figureText(QStringLiteral("fusionMacsFused")), QStringLiteral("96"));
        QCOMPARE(summary.fusionCardCount(), 3); // analysed, not previewed: no head cards

        // The backbone is g1 (W1, b1) and relu; both weights are bit-identical.
        auto *layers = page.findChild<QTableWidget *>("fusionLayers");
        QVERIFY(layers);
        QCOMPARE(layers->rowCount(), 2);
        QCOMPARE(cellText(layers, 0, 0), QStringLiteral("g1"));
        QCOMPARE(cellText(layers, 0, 2), QStringLiteral("W1"));
        QCOMPARE(cellText(layers, 1, 2), QStringLiteral("b1"));
        QCOMPARE(cellText(layers, 0, 4), QStringLiteral("0 (identical)"));
        QCOMPARE(cellText(layers, 0, 5), QStringLiteral("1.0000"));

        // By hand, at batch 1: A = 32 + 8 + 24 + 3 = 67 parameters, B = 40 + 40 + 5 = 85,
        // fused = 40 + 27 + 45 = 112; MACs A = 32 + 24, B = 32 + 40, fused = 32 + 24 + 40.
        auto *savings = page.findChild<QTableWidget *>("fusionSavings");
        QVERIFY(savings);
        // Rows A, B, A + B, fused, saved, saved %; columns parameters, bytes, MACs.
        QCOMPARE(cellText(savings, 0, 0), grouped(67));
        QCOMPARE(cellText(savings, 1, 0), grouped(85));
        QCOMPARE(cellText(savings, 2, 0), grouped(152));
        QCOMPARE(cellText(savings, 3, 0), grouped(112));
        QCOMPARE(cellText(savings, 4, 0), grouped(40));
        QCOMPARE(cellText(savings, 5, 0), QStringLiteral("26.3 %"));
        QCOMPARE(cellText(savings, 3, 1), grouped(112 * 4));
        QCOMPARE(cellText(savings, 2, 2), grouped(56 + 72));
        QCOMPARE(cellText(savings, 3, 2), grouped(96));
        QCOMPARE(cellText(savings, 4, 2), grouped(32));
        auto *plot = page.findChild<GroupedBarPlot *>("fusionSavingsPlot");
        QVERIFY(plot);
        QCOMPARE(plot->categoryCount(), 3);
        QCOMPARE(plot->value(0, 0), 100.0);
        QCOMPARE(plot->value(1, 0), 100.0 * 112 / 152);
        QCOMPARE(plot->value(1, 2), 100.0 * 96 / 128);

        // The chart exports like every Studio plot.
        const QString svg = dir.filePath("savings.svg");
        QCOMPARE(plot->saveImage(svg, PlotWidget::ImageFormat::Svg), QString());
        QFile file(svg);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(file.readAll().contains("<svg"));

        // Editing an input after the run marks the figures as those of the previous inputs.
        page.setModelB(QString::fromStdString(a.string()));
        QVERIFY(page.findChild<QLabel *>("fusionStatus")->text().contains(QStringLiteral("changed")));
    }

    void fusionOfTheDemoPairShowsTheCoreFigures()
    {
        studio::Project project;
        FusionPage page(&project, nullptr);
        // The defaults come from demos.json: the intent and slot models with their own data.
        QCOMPARE(page.modelA(), kDemo + "commands_intent.onnx");
        QCOMPARE(page.modelB(), kDemo + "commands_slots.onnx");
        QCOMPARE(page.dataA(), kDemo + "commands_val_intent.json");
        QCOMPARE(page.dataB(), kDemo + "commands_val_slots.json");
        page.setBackbone(BackboneSource::Mean);

        FusionRequest req;
        req.modelA = page.modelA().toStdString();
        req.modelB = page.modelB().toStdString();
        req.dataA = page.dataA().toStdString();
        req.dataB = page.dataB().toStdString();
        req.backbone = BackboneSource::Mean;
        auto core = fuseModels(req);
        QVERIFY2(core, core ? "" : core.error().message.c_str());

        QSignalSpy spy(&page, &FusionPage::finished);
        page.previewSharing();
        QVERIFY(waitFinished(&page, spy));
        QVERIFY(page.report());
        // The figures keep the data they came from when a field is edited afterwards.
        const QString usedA = page.dataA();
        page.setDataA(kDemo + "commands_val.json");
        QCOMPARE(page.reportDataA(), usedA);
        QCOMPARE(page.reportDataB(), page.dataB());
        page.setDataA(usedA);
        auto *layers = page.findChild<QTableWidget *>("fusionLayers");
        QCOMPARE(layers->rowCount(), static_cast<int>(core->weights.size()));
        for (int i = 0; i < layers->rowCount(); ++i) {
            const WeightDistance &w = core->weights[static_cast<std::size_t>(i)];
            QCOMPARE(cellText(layers, i, 0), QString::fromStdString(w.node));
            QCOMPARE(cellText(layers, i, 4), QString::number(w.relativeL2, 'f', 4));
            QCOMPARE(cellText(layers, i, 5), QString::number(w.cosine, 'f', 4));
        }
        auto *savings = page.findChild<QTableWidget *>("fusionSavings");
        QCOMPARE(cellText(savings, 0, 0), grouped(core->costA.parameters));
        QCOMPARE(cellText(savings, 1, 0), grouped(core->costB.parameters));
        QCOMPARE(cellText(savings, 2, 0), grouped(core->costA.parameters + core->costB.parameters));
        QCOMPARE(cellText(savings, 3, 0), grouped(core->costFused.parameters));
        QCOMPARE(cellText(savings, 3, 1), grouped(core->costFused.bytes));
        QCOMPARE(cellText(savings, 2, 2), grouped(core->costA.macs + core->costB.macs));
        QCOMPARE(cellText(savings, 3, 2), grouped(core->costFused.macs));

        auto *heads = page.findChild<QTableWidget *>("fusionHeads");
        QCOMPARE(heads->rowCount(), static_cast<int>(core->heads.size()));
        QCOMPARE(heads->rowCount(), 2);
        for (int i = 0; i < heads->rowCount(); ++i) {
            const HeadPreview &h = core->heads[static_cast<std::size_t>(i)];
            QCOMPARE(cellText(heads, i, 0), QString::fromStdString(h.model));
            QCOMPARE(cellText(heads, i, 3), percent(h.separate));
            QCOMPARE(cellText(heads, i, 4), percent(h.fused));
            QCOMPARE(cellText(heads, i, 5), QString::asprintf("%+.2f", h.deltaPp));
            qInfo("demo, mean backbone: %s %s separate %.2f %% fused %.2f %% (%+.2f pp)",
                  h.model.c_str(), h.output.c_str(), h.separate * 100, h.fused * 100, h.deltaPp);
        }
        qInfo("demo savings: parameters %lld -> %lld, bytes %lld -> %lld, MACs %lld -> %lld",
              static_cast<long long>(core->costA.parameters + core->costB.parameters),
              static_cast<long long>(core->costFused.parameters),
              static_cast<long long>(core->costA.bytes + core->costB.bytes),
              static_cast<long long>(core->costFused.bytes),
              static_cast<long long>(core->costA.macs + core->costB.macs),
              static_cast<long long>(core->costFused.macs));
    }

    void fusionBuildWritesAValidatedModel()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        studio::Project project;
        FusionPage page(&project, nullptr);
        const QString out = dir.filePath("fused.onnx");
        QSignalSpy spy(&page, &FusionPage::finished);
        page.buildFusedModel(out);
        QVERIFY(waitFinished(&page, spy));
        QVERIFY(page.report() && page.report()->written);
        auto back = readModel(out.toStdString());
        QVERIFY2(back, back ? "" : back.error().message.c_str());
        QCOMPARE(static_cast<int64_t>(back->graph.nodes.size()), page.report()->nodesFused);
        QCOMPARE(back->graph.outputs.size(), std::size_t(2));
        QVERIFY(page.findChild<QLabel *>("fusionStatus")->text().contains(QStringLiteral("fused.onnx")));
    }

    void fusionBadPathShowsTheErrorAndStaysUsable()
    {
        studio::Project project;
        FusionPage page(&project, nullptr);
        const QString goodA = page.modelA();
        page.setModelA(QStringLiteral("/nonexistent/missing_model.onnx"));
        QSignalSpy spy(&page, &FusionPage::finished);
        page.analyze();
        QVERIFY(!waitFinished(&page, spy));
        QVERIFY(page.lastError().contains(QStringLiteral("missing_model.onnx")));
        QCOMPARE(takeErrorBox(&page, "fusionError"), page.lastError());
        QVERIFY(!page.report());
        QVERIFY(page.findChild<QPushButton *>("fusionAnalyze")->isEnabled());

        page.setModelA(goodA);
        page.analyze();
        QVERIFY(waitFinished(&page, spy));
        QVERIFY(page.lastError().isEmpty());
        QVERIFY(page.findChild<QTableWidget *>("fusionLayers")->rowCount() > 0);
    }

    void fusionCancelLeavesThePageReady()
    {
        studio::Project project;
        auto page = std::make_unique<FusionPage>(&project, nullptr);
        QSignalSpy spy(page.get(), &FusionPage::finished);
        page->previewSharing();
        QVERIFY(page->isBusy());
        QVERIFY(page->findChild<QPushButton *>("fusionCancel")->isEnabled());
        page->cancel();
        QVERIFY(!page->isBusy());
        QCOMPARE(page->findChild<QLabel *>("fusionStatus")->text(), QStringLiteral("Cancelled."));
        QVERIFY(page->findChild<QPushButton *>("fusionPreview")->isEnabled());
        QVERIFY(!page->findChild<QPushButton *>("fusionCancel")->isEnabled());
        // A new request after the cancel runs and is the one that arrives.
        page->analyze();
        QVERIFY(waitFinished(page.get(), spy));
        QVERIFY(page->report() && page->report()->heads.empty());
        page.reset();  // joins the cancelled worker
        QCOMPARE(spy.count(), 0);
    }

    void distillationOfTheDemoPairShowsTheCoreFigures()
    {
        studio::Project project;
        DistillPage page(&project, nullptr);
        QCOMPARE(page.teacher(), kDemo + "commands_teacher.onnx");
        QCOMPARE(page.student(), kDemo + "commands_student.onnx");
        QCOMPARE(page.data(), kDemo + "commands_val.json");
        page.setTemperature(2.0);

        auto teacher = readModel(page.teacher().toStdString());
        auto student = readModel(page.student().toStdString());
        QVERIFY(teacher && student);
        DistillOptions opt;
        opt.temperature = 2.0;
        auto core = compareDistill(std::make_shared<const Model>(std::move(*teacher)),
                                   std::make_shared<const Model>(std::move(*student)),
                                   page.data().toStdString(), nullptr, opt);
        QVERIFY2(core, core ? "" : core.error().message.c_str());

        QSignalSpy spy(&page, &DistillPage::finished);
        page.run();
        QVERIFY(waitFinished(&page, spy));
        QVERIFY(page.report());
        // The figures keep the models and data they came from when the fields change later.
        const QString usedTeacher = page.teacher(), usedData = page.data();
        page.setTeacher(page.student());
        page.setData(kDemo + "commands_val_intent.json");
        QCOMPARE(page.reportTeacher(), usedTeacher);
        QCOMPARE(page.reportStudent(), page.student());
        QCOMPARE(page.reportData(), usedData);
        page.setTeacher(usedTeacher);
        page.setData(usedData);
        const DistillReport &shown = *page.report();
        QCOMPARE(shown.samples, core->samples);
        QCOMPARE(shown.temperature, 2.0);
        auto *heads = page.findChild<QTableWidget *>("distillHeads");
        QCOMPARE(heads->rowCount(), static_cast<int>(core->heads.size()));
        QCOMPARE(heads->rowCount(), 2);
        for (int i = 0; i < heads->rowCount(); ++i) {
            const DistillHead &h = core->heads[static_cast<std::size_t>(i)];
            QCOMPARE(cellText(heads, i, 0), QString::fromStdString(h.output));
            QCOMPARE(cellText(heads, i, 2), percent(h.teacher));
            QCOMPARE(cellText(heads, i, 3), percent(h.student));
            QCOMPARE(cellText(heads, i, 5), percent(h.agreement));
            QCOMPARE(cellText(heads, i, 6), QString::number(h.klDivergence, 'f', 5));
            QVERIFY(heads->isColumnHidden(7));
            qInfo("demo T=2: %s %s teacher %.2f %% student %.2f %% agreement %.2f %% KL %.5f",
                  h.output.c_str(), h.metric.c_str(), h.teacher * 100, h.student * 100,
                  h.agreement * 100, h.klDivergence);
        }
        auto *cost = page.findChild<QTableWidget *>("distillCost");
        QCOMPARE(cost->rowCount(), 3);
        QCOMPARE(cellText(cost, 0, 0), grouped(core->teacherCost.parameters));
        QCOMPARE(cellText(cost, 0, 1), grouped(core->teacherCost.bytes));
        QCOMPARE(cellText(cost, 0, 2), grouped(core->teacherCost.macs));
        QCOMPARE(cellText(cost, 1, 0), grouped(core->studentCost.parameters));
        QCOMPARE(cellText(cost, 1, 2), grouped(core->studentCost.macs));
        QVERIFY(shown.teacherMsPerBatch > 0 && shown.studentMsPerBatch > 0);
        qInfo("demo cost: teacher %lld params %lld MACs %.1f ms/batch, student %lld params %lld "
              "MACs %.1f ms/batch", static_cast<long long>(shown.teacherCost.parameters),
              static_cast<long long>(shown.teacherCost.macs), shown.teacherMsPerBatch,
              static_cast<long long>(shown.studentCost.parameters),
              static_cast<long long>(shown.studentCost.macs), shown.studentMsPerBatch);

        // The per-class chart: one group per class present, teacher and student bars.
        auto *chart = page.findChild<GroupedBarPlot *>("distillPerClassPlot");
        auto *head = page.findChild<QComboBox *>("distillChartHead");
        QCOMPARE(head->count(), 2);
        for (int hi = 0; hi < 2; ++hi) {
            page.setChartHead(hi);
            const DistillHead &h = core->heads[static_cast<std::size_t>(hi)];
            QCOMPARE(chart->seriesCount(), 2);
            int c = 0;
            for (const ClassAccuracy &ca : h.perClass) {
                if (ca.total == 0)
                    continue;
                QCOMPARE(chart->value(0, c), 100.0 * double(ca.teacherCorrect) / double(ca.total));
                QCOMPARE(chart->value(1, c), 100.0 * double(ca.studentCorrect) / double(ca.total));
                ++c;
            }
            QCOMPARE(chart->categoryCount(), c);
            QVERIFY(c > 1);
        }
    }

    void distillationUnderThePlanShowsTheCompressedStudent()
    {
        studio::Project project;  // a new project's plan: the 8-bit defaults
        DistillPage page(&project, nullptr);
        auto teacher = readModel(page.teacher().toStdString());
        auto student = readModel(page.student().toStdString());
        QVERIFY(teacher && student);
        const CompressionPlan plan = project.plan();
        auto core = compareDistill(std::make_shared<const Model>(std::move(*teacher)),
                                   std::make_shared<const Model>(std::move(*student)),
                                   page.data().toStdString(), &plan, DistillOptions{});
        QVERIFY2(core, core ? "" : core.error().message.c_str());

        QSignalSpy spy(&page, &DistillPage::finished);
        SummaryView summary(&project, nullptr);
        int delivered = 0;
        connect(&page, &DistillPage::resultReady, &summary, [&](const DistillReport &r) {
            ++delivered;
            summary.setDistillReport(r);
        });
        page.runWithPlan();
        QVERIFY(waitFinished(&page, spy));
        QVERIFY(page.report() && page.report()->withPlan);
        QCOMPARE(delivered, 1);
        QVERIFY(summary.hasDistill());
        QCOMPARE(summary.figureText(QStringLiteral("distillPlanCompressed")),
                 QLocale().formattedDataSize(core->planSize.compressedBytes, 1,
                                             QLocale::DataSizeSIFormat));
        for (std::size_t i = 0; i < core->heads.size(); ++i) {
            const DistillHead &h = core->heads[i];
            const QString n = QString::number(i);
            const double pp = (h.student - h.teacher) * 100;
            const int decimals = std::abs(pp) < 0.1 && pp != 0 ? 2 : 1;
            QCOMPARE(summary.figureText(QStringLiteral("distillHeadTeacher") + n),
                     QLocale().toString(h.teacher * 100, 'f', decimals) + QStringLiteral(" %"));
            QVERIFY(summary.figureText(QStringLiteral("distillHeadPlan") + n)
                        .startsWith(QStringLiteral("Under the plan: ")
                                    + QLocale().toString(*h.plan * 100, 'f', decimals)));
        }
        auto *heads = page.findChild<QTableWidget *>("distillHeads");
        QVERIFY(!heads->isColumnHidden(7));
        for (int i = 0; i < heads->rowCount(); ++i) {
            const DistillHead &h = core->heads[static_cast<std::size_t>(i)];
            QVERIFY(h.plan);
            QCOMPARE(cellText(heads, i, 7), percent(*h.plan));
            QCOMPARE(cellText(heads, i, 8), QString::asprintf("%+.2f", (*h.plan - h.teacher) * 100));
            qInfo("demo, student under the 8-bit default plan: %s %.2f %% (teacher %.2f %%, %+.2f pp)",
                  h.output.c_str(), *h.plan * 100, h.teacher * 100, (*h.plan - h.teacher) * 100);
        }
        auto *cost = page.findChild<QTableWidget *>("distillCost");
        QCOMPARE(cost->rowCount(), 4);
        QCOMPARE(cellText(cost, 3, 1), grouped(core->planSize.compressedBytes));
        auto *chart = page.findChild<GroupedBarPlot *>("distillPerClassPlot");
        QCOMPARE(chart->seriesCount(), 3);
    }

    void softLabelsAreWrittenAndCancelWritesNothing()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        studio::Project project;
        const QString cancelled = dir.filePath("cancelled.npz");
        {
            auto page = std::make_unique<DistillPage>(&project, nullptr);
            QSignalSpy spy(page.get(), &DistillPage::finished);
            page->exportSoftLabels(cancelled);
            QVERIFY(page->isBusy());
            page->cancel();
            QVERIFY(!page->isBusy());
            QVERIFY(page->findChild<QPushButton *>("distillExport")->isEnabled());
            page.reset();  // joins the worker, which stops at its next batch
            QCOMPARE(spy.count(), 0);
        }
        QVERIFY(!QFileInfo::exists(cancelled));

        DistillPage page(&project, nullptr);
        page.setTemperature(3.0);
        const QString out = dir.filePath("soft.npz");
        QSignalSpy spy(&page, &DistillPage::finished);
        page.exportSoftLabels(out);
        QVERIFY(waitFinished(&page, spy));
        QVERIFY(QFileInfo::exists(out));
        QVERIFY(page.softLabels());
        QCOMPARE(page.softLabels()->samples, 1065);
        QStringList names;
        for (const SoftLabelArray &a : page.softLabels()->arrays)
            names << QString::fromStdString(a.name);
        QVERIFY(names.contains(QStringLiteral("intent_logits_soft")));
        QVERIFY(names.contains(QStringLiteral("slot_logits_logits")));
        QVERIFY(names.contains(QStringLiteral("temperature")));

        // The page writes exactly what the core writes for the same teacher, data and T.
        auto teacher = readModel(page.teacher().toStdString());
        QVERIFY(teacher);
        SoftLabelOptions opt;
        opt.temperature = 3.0;
        const QString direct = dir.filePath("direct.npz");
        auto core = nnc::exportSoftLabels(std::make_shared<const Model>(std::move(*teacher)),
                                          page.data().toStdString(), direct.toStdString(), opt);
        QVERIFY2(core, core ? "" : core.error().message.c_str());
        QFile a(out), b(direct);
        QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
        QVERIFY(a.size() > 0);
        QVERIFY(a.readAll() == b.readAll());
    }

    void distillationBadPathShowsTheErrorAndStaysUsable()
    {
        studio::Project project;
        DistillPage page(&project, nullptr);
        const QString goodStudent = page.student();
        page.setStudent(QStringLiteral("/nonexistent/missing_student.onnx"));
        QSignalSpy spy(&page, &DistillPage::finished);
        page.run();
        QVERIFY(!waitFinished(&page, spy));
        QVERIFY(page.lastError().contains(QStringLiteral("missing_student.onnx")));
        QCOMPARE(takeErrorBox(&page, "distillError"), page.lastError());
        QVERIFY(page.findChild<QPushButton *>("distillRun")->isEnabled());

        // Still usable: cancel a real run, then the next one is accepted.
        page.setStudent(goodStudent);
        page.run();
        QVERIFY(page.isBusy());
        page.cancel();
        QVERIFY(!page.isBusy());
        QCOMPARE(page.findChild<QLabel *>("distillStatus")->text(), QStringLiteral("Cancelled."));
        QVERIFY(page.findChild<QPushButton *>("distillRun")->isEnabled());
        QVERIFY(spy.isEmpty());
    }

    void mainWindowFeedsThePagesResultsToTheSummary()
    {
        studio::MainWindow window;
        auto *fusion = window.findChild<FusionPage *>();
        auto *distill = window.findChild<DistillPage *>();
        auto *summary = window.findChild<SummaryView *>();
        QVERIFY(fusion && distill && summary);
        QVERIFY(!summary->hasFusion() && !summary->hasDistill());

        FusionReport f;
        f.modelA = "a.onnx";
        f.modelB = "b.onnx";
        f.costA = {67, 268, 56, {}};
        f.costB = {85, 340, 72, {}};
        f.costFused = {112, 448, 96, {}};
        emit fusion->resultReady(f);
        QVERIFY(summary->hasFusion());
        QCOMPARE(summary->figureText(QStringLiteral("fusionParamsFused")), QStringLiteral("112"));
        QCOMPARE(summary->figureText(QStringLiteral("fusionMacsSaved")),
                 QStringLiteral("25.0 % saved (32)"));

        DistillReport d;
        d.teacherCost = {1000, 4000, 8000, {}};
        d.studentCost = {250, 1000, 2000, {}};
        d.teacherMsPerBatch = 2.0;
        d.studentMsPerBatch = 1.0;
        emit distill->resultReady(d);
        QVERIFY(summary->hasDistill());
        QCOMPARE(summary->figureText(QStringLiteral("distillSpeed")), QStringLiteral("2.0× faster"));
        QCOMPARE(summary->figureText(QStringLiteral("distillMacsRatio")), QStringLiteral("4.0× fewer"));
    }
};

NNC_STUDIO_TEST_MAIN(TestWorkbenchPages, "WorkbenchPagesTest")

#include "test_workbench_pages.moc"
