// The GUI event loop while the Studio evaluates: StallMonitor itself, then the worst stall during
// opening the demo CNN, a full preview of its 2,000 validation samples (with the preview panel
// on screen drawing every estimate), an incremental preview, and a sensitivity run submitted
// through EvalService. The figures are printed (QINFO lines); nothing is asserted about time
// except that a deliberately blocked loop is seen as blocked.
#include "app/studio/eval_service.h"
#include "app/studio/main_window.h"
#include "app/studio/project.h"
#include "app/studio/stall_monitor.h"
#include "widgets/preview_panel.h"

#include "core/model/onnx_reader.h"
#include "tests/common/studio_test_main.h"

#include <QEventLoop>
#include <QSignalSpy>
#include <QTest>
#include <QThread>
#include <QTimer>

using namespace nnc;
using namespace nnc::studio;

namespace {

const QString kDemo = QStringLiteral(NNC_SOURCE_DIR "/resources/demo/");

void report(const char *what, const StallMonitor &m, double seconds)
{
    qInfo("STALL %-38s worst stall %6.1f ms (worst gap %6.1f ms, mean gap %4.1f ms, gaps > 50 "
          "ms: %lld, > 100 ms: %lld, %lld ticks of %d ms) over %.2f s",
          what, m.worstStallMs(), m.worstGapMs(), m.meanGapMs(),
          static_cast<long long>(m.gapsOver50Ms()), static_cast<long long>(m.gapsOver100Ms()),
          static_cast<long long>(m.ticks()), m.intervalMs(), seconds);
}

/// Runs a plain event loop (no QTest::qWait, which sleeps 10 ms between its rounds and would be
/// measured as stalls) until `signal` of `sender` fires or `timeoutMs` passes; true if it fired.
template<class Sender, class Signal>
bool waitFor(Sender *sender, Signal signal, int timeoutMs)
{
    QEventLoop loop;
    bool fired = false;
    QObject::connect(sender, signal, &loop, [&] {
        fired = true;
        loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    loop.exec();
    return fired;
}

/// The same until job `id` has ended.
bool waitForJob(EvalService &service, uint64_t id, int timeoutMs)
{
    QEventLoop loop;
    bool fired = false;
    QObject::connect(&service, &EvalService::jobEnded, &loop, [&](quint64 ended) {
        if (ended != id)
            return;
        fired = true;
        loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    loop.exec();
    return fired;
}

void spin(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

} // namespace

class TestPreviewStall final : public QObject
{
    Q_OBJECT

private slots:
    void monitorSeesABlockedLoop();
    void monitorOfAnIdleLoop();
    void stallDuringPreviewAndSensitivity();
    void stallInTheMainWindow();
};

void TestPreviewStall::monitorSeesABlockedLoop()
{
    StallMonitor monitor;
    monitor.start();
    QTest::qWait(50);
    QTimer::singleShot(0, [] { QThread::msleep(150); });
    QTest::qWait(100);
    monitor.stop();
    QVERIFY2(monitor.worstGapMs() >= 150.0, qPrintable(QString::number(monitor.worstGapMs())));
    QVERIFY(monitor.worstStallMs() >= 145.0);
    QCOMPARE(monitor.gapsOver100Ms(), 1);
    QVERIFY(monitor.gapsOver50Ms() >= 1);
    QVERIFY(monitor.ticks() > 3);
}

void TestPreviewStall::monitorOfAnIdleLoop()
{
    StallMonitor monitor;
    QVERIFY(!monitor.isRunning());
    monitor.start();
    QVERIFY(monitor.isRunning());
    spin(200);
    monitor.stop();
    QVERIFY(!monitor.isRunning());
    // An idle loop ticks many times; the figures are consistent with each other.
    QVERIFY(monitor.ticks() > 5);
    QVERIFY(monitor.worstGapMs() >= monitor.meanGapMs());
    QCOMPARE(monitor.worstStallMs(), std::max(0.0, monitor.worstGapMs() - 5.0));
    report("idle loop", monitor, 0.2);
}

void TestPreviewStall::stallDuringPreviewAndSensitivity()
{
    auto model = readModel((kDemo + "fashion_cnn.onnx").toStdString());
    QVERIFY(model);
    auto shared = std::make_shared<const Model>(std::move(*model));
    Project project;
    EvalService service;
    PreviewPanel panel(&project, &service);
    panel.resize(700, 900);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    StallMonitor monitor;
    QElapsedTimer clock;

    // Opening (the evaluator is built on the worker).
    QSignalSpy opened(&service, &EvalService::opened);
    panel.setAutoPreview(false);
    monitor.start();
    clock.start();
    service.open(shared, kDemo + "fashion_val.json");
    QVERIFY(waitFor(&service, &EvalService::opened, 60000));
    monitor.stop();
    report("open demo CNN + data", monitor, clock.elapsed() / 1000.0);
    QCOMPARE(opened.at(0).at(0).toLongLong(), 2000);

    // The first, full preview: calibration, float baseline and the plan, 2,000 samples.
    QSignalSpy estimates(&service, &EvalService::previewEstimate);
    monitor.start();
    clock.start();
    panel.runPreview();
    QVERIFY(waitFor(&panel, &PreviewPanel::previewShown, 300000));
    monitor.stop();
    report("full preview (2,000 samples)", monitor, clock.elapsed() / 1000.0);
    QVERIFY(panel.result()->nodesRun == panel.result()->nodesFull);
    QCOMPARE(panel.result()->samples, 2000);
    QVERIFY(estimates.count() > 1);

    // An edit to the last layer, auto-preview on: debounce + incremental evaluation.
    panel.setAutoPreview(true);
    const std::string last = findLayers(*shared).back().name;
    monitor.start();
    clock.start();
    project.editPlan("last layer", [&](CompressionPlan &p) { p.layers[last].weights.bits = 4; });
    QVERIFY(waitFor(&panel, &PreviewPanel::previewShown, 300000));
    monitor.stop();
    report("incremental preview (last layer)", monitor, clock.elapsed() / 1000.0);
    QVERIFY(panel.result()->nodesRun < panel.result()->nodesFull);

    // A sensitivity run (every layer at 2, 4 and 8 bits) through the job queue.
    bool done = false;
    std::size_t rows = 0;
    auto id = std::make_shared<std::atomic<uint64_t>>(0);
    monitor.start();
    clock.start();
    *id = service.submit("sensitivity", [&service, &done, &rows, id](Evaluator &ev,
                                                                     const Progress &progress) {
        SensitivitySpec spec;
        spec.bits = {2, 4, 8};
        auto r = ev.sensitivity(spec, progress);
        const std::size_t n = r ? r->rows.size() : 0;
        service.deliver(*id, [&done, &rows, n] {
            rows = n;
            done = true;
        });
    });
    QVERIFY(waitForJob(service, *id, 600000));
    monitor.stop();
    report("sensitivity (5 layers x 3 bit widths)", monitor, clock.elapsed() / 1000.0);
    QVERIFY(done);
    QCOMPARE(rows, findLayers(*shared).size() * 3);
}

void TestPreviewStall::stallInTheMainWindow()
{
    // The whole Studio: every panel reacts to the model, the data and each finished preview.
    MainWindow window;
    window.resize(1280, 800);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto *panel = window.findChild<PreviewPanel *>();
    auto *project = window.findChild<Project *>();
    if (!panel || !project)
        QSKIP("This main window has no preview panel.");
    panel->setAutoPreview(true);
    StallMonitor monitor;
    QElapsedTimer clock;
    monitor.start();
    clock.start();
    window.openModelWithData(kDemo + "fashion_cnn.onnx", kDemo + "fashion_val.json");
    QVERIFY(waitFor(panel, &PreviewPanel::previewShown, 300000));
    monitor.stop();
    report("main window: open + full preview", monitor, clock.elapsed() / 1000.0);
    QCOMPARE(panel->result()->samples, 2000);

    monitor.start();
    clock.start();
    project->editPlan("4 bit", [](CompressionPlan &p) { p.weightDefaults.spec.bits = 4; });
    QVERIFY(waitFor(panel, &PreviewPanel::previewShown, 300000));
    monitor.stop();
    report("main window: edit + preview", monitor, clock.elapsed() / 1000.0);
}

NNC_STUDIO_TEST_MAIN(TestPreviewStall, "PreviewStallTest")
#include "test_preview_stall.moc"

