// A look at the analysis views (not a test): opens a demo model and its data, runs what each view
// needs, and saves each view as a PNG at the given window size. Usage:
//   studio_views_demo MODEL DATA OUTDIR WIDTH HEIGHT [LAYER_INDEX]
// Prints the sensitivity run's time, the longest event the GUI thread handled meanwhile and the
// longest gap between 5 ms timer ticks (which also counts time the OS gave other processes).
#include "app/studio/eval_service.h"
#include "app/studio/project.h"
#include "core/model/onnx_reader.h"
#include "widgets/activation_view.h"
#include "widgets/sensitivity_view.h"
#include "widgets/summary_view.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QScrollArea>
#include <QSignalSpy>
#include <QTimer>

#include <cstdio>

using namespace nnc;

namespace {

/// Times every event the GUI thread handles: the longest is the worst stall the views cause
/// themselves (the tick probe below also counts time the OS gave to other processes).
class TimingApp final : public QApplication
{
public:
    using QApplication::QApplication;
    bool notify(QObject *receiver, QEvent *event) override
    {
        if (m_depth++ > 0) {
            const bool r = QApplication::notify(receiver, event);
            --m_depth;
            return r;
        }
        QElapsedTimer t;
        t.start();
        const bool r = QApplication::notify(receiver, event);
        --m_depth;
        if (measuring && t.nsecsElapsed() / 1e6 > longestMs) {
            longestMs = t.nsecsElapsed() / 1e6;
            longestWhat = QStringLiteral("%1 event %2")
                              .arg(QString::fromLatin1(receiver->metaObject()->className()))
                              .arg(static_cast<int>(event->type()));
        }
        return r;
    }
    bool measuring = false;
    double longestMs = 0;
    QString longestWhat;

private:
    int m_depth = 0;
};

} // namespace

int main(int argc, char **argv)
{
    TimingApp app(argc, argv);
    if (argc < 6) {
        std::fprintf(stderr, "usage: %s MODEL DATA OUTDIR WIDTH HEIGHT [LAYER_INDEX]\n", argv[0]);
        return 2;
    }
    const QString out = QString::fromLocal8Bit(argv[3]);
    QDir().mkpath(out);
    const QSize size(QString(argv[4]).toInt(), QString(argv[5]).toInt());
    const int layerIndex = argc > 6 ? QString(argv[6]).toInt() : 1;
    auto m = readModel(argv[1]);
    if (!m) {
        std::fprintf(stderr, "%s\n", m.error().message.c_str());
        return 1;
    }
    auto model = std::make_shared<const Model>(std::move(*m));
    studio::Project project;
    project.setModelPath(QString::fromLocal8Bit(argv[1]));
    project.setDataPath(QString::fromLocal8Bit(argv[2]));
    studio::EvalService service;
    QSignalSpy opened(&service, &studio::EvalService::opened);
    service.open(model, QString::fromLocal8Bit(argv[2]));
    if (!opened.wait(300000))
        return 1;

    // Worst gap between 5 ms timer ticks on the GUI thread while work runs.
    QElapsedTimer tick;
    qint64 worst = 0;
    QTimer probe;
    probe.setInterval(5);
    QObject::connect(&probe, &QTimer::timeout, [&] {
        worst = std::max(worst, tick.restart());
    });

    SensitivityView sens(&project, &service);
    sens.resize(size);
    sens.show();
    sens.setSetting(4, std::nullopt);
    QSignalSpy finished(&sens, &SensitivityView::sensitivityFinished);
    tick.start();
    probe.start();
    app.measuring = true;
    QElapsedTimer wall;
    wall.start();
    sens.run();
    if (!finished.wait(1800000))
        return 1;
    QApplication::processEvents();   // the finished result is drawn
    probe.stop();
    app.measuring = false;
    std::printf("sensitivity (4 bits + 2/3/4/6/8 grid, %lld layers): %.2f s on the worker, %.2f s wall; "
                "longest GUI event %.1f ms (%s); longest gap between 5 ms ticks %lld ms\n",
                static_cast<long long>(sens.lastResult().rows.size()), sens.lastRunSeconds(),
                wall.elapsed() / 1000.0, app.longestMs, qPrintable(app.longestWhat),
                static_cast<long long>(worst));
    QApplication::processEvents();
    sens.grab().save(out + QStringLiteral("/sensitivity.png"));

    ActivationView act(&project, &service);
    act.resize(size);
    act.show();
    QSignalSpy shown(&act, &ActivationView::profileShown);
    const auto layers = findLayers(*model);
    act.setLayer(QString::fromStdString(layers.at(static_cast<std::size_t>(layerIndex)).name));
    if (!shown.wait(300000))
        return 1;
    QApplication::processEvents();
    act.grab().save(out + QStringLiteral("/activations.png"));
    project.editPlan(QStringLiteral("4 bits"), [&](CompressionPlan &p) {
        p.activations[act.tensor().toStdString()].bits = 4;
    });
    shown.wait(300000);
    act.adoptProposal(2);
    QApplication::processEvents();
    act.grab().save(out + QStringLiteral("/activations-4bit.png"));

    SummaryView sum(&project, &service);
    sum.resize(size);
    sum.show();
    QApplication::processEvents();
    sum.grab().save(out + QStringLiteral("/summary-empty.png"));
    {
        // The fusion row alone, before any accuracy preview, in a scroll area as in the Studio.
        QScrollArea scroll;
        scroll.setWidgetResizable(true);
        auto *only = new SummaryView(&project, &service);
        scroll.setWidget(only);
        scroll.resize(size);
        scroll.show();
        // The demo folder: the one the MODEL argument is in.
        const std::string demo = QFileInfo(QString::fromLocal8Bit(argv[1])).absolutePath().toStdString();
        FusionRequest req;
        req.modelA = demo + "/commands_intent.onnx";
        req.modelB = demo + "/commands_slots.onnx";
        req.dataA = demo + "/commands_val_intent.json";
        req.dataB = demo + "/commands_val_slots.json";
        auto fused = fuseModels(req);
        if (!fused)
            return 1;
        only->setFusionReport(*fused);
        QApplication::processEvents();
        scroll.grab().save(out + QStringLiteral("/summary-fusion-only.png"));
    }
    QSignalSpy previewed(&service, &studio::EvalService::previewFinished);
    service.preview(project.plan());
    if (!previewed.wait(600000))
        return 1;
    QApplication::processEvents();
    sum.grab().save(out + QStringLiteral("/summary.png"));
    return 0;
}
