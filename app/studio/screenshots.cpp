// Screenshot driver: a scripted session on the demo, then QWidget::grab() of each view.
#include "app/studio/screenshots.h"

#include "app/studio/eval_service.h"
#include "app/studio/main_window.h"
#include "app/studio/project.h"
#include "widgets/histogram_plot.h"
#include "widgets/sensitivity_view.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QElapsedTimer>
#include <QAction>
#include <QPixmap>
#include <QScrollArea>
#include <QTabWidget>
#include <QThread>

#include <cstdio>
#include <functional>

namespace nnc::studio {

namespace {

/// Runs the event loop until `done` or `ms` elapse; false on timeout.
bool waitFor(const std::function<bool()> &done, int ms)
{
    QElapsedTimer timer;
    timer.start();
    while (!done()) {
        if (timer.elapsed() > ms)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
        QThread::msleep(20);
    }
    return true;
}

/// Lets the layouts and plots settle, then writes the window's image.
bool grab(MainWindow &window, const QString &path)
{
    waitFor([] { return false; }, 600);
    if (!window.grab().save(path)) {
        std::fprintf(stderr, "cannot write %s\n", qPrintable(path));
        return false;
    }
    std::printf("wrote %s\n", qPrintable(path));
    return true;
}

} // namespace

int runScreenshots(MainWindow &window, const QString &dir, const QString &suffix, QSize size)
{
    QDir().mkpath(dir);
    window.showNormal();
    window.resize(size);
    window.move(0, 0);
    int previews = 0;
    QObject::connect(window.evalService(), &EvalService::previewFinished, &window,
                     [&previews] { ++previews; });
    if (!window.openDefaultDemo()) {
        std::fprintf(stderr, "no demo found\n");
        return 1;
    }
    if (!waitFor([&] { return window.snapshot() && window.evalService()->isOpen(); }, 60000)) {
        std::fprintf(stderr, "the demo did not open\n");
        return 1;
    }
    // A representative edit: 4-bit weights with a clipped range on the second conv layer.
    const QString layer = QStringLiteral("/conv2/Conv");
    window.selectLayer(layer);
    waitFor([&] { return window.shownDetail(); }, 20000);
    const auto before = previews;
    window.project()->editPlan(QStringLiteral("screenshot"), [&](CompressionPlan &p) {
        QuantOverride &o = p.layers[layer.toStdString()].weights;
        o.bits = 4;
        o.rmin = -0.35f;
        o.rmax = 0.35f;
    });
    window.project()->markUnmodified();
    waitFor([&] { return previews > before && !window.evalService()->isBusy(); }, 60000);
    window.histogramPlot()->resetView();

    bool ok = true;
    window.mainTabs()->setCurrentIndex(0);
    window.detailTabs()->setCurrentIndex(0);
    ok &= grab(window, dir + QStringLiteral("/studio-main") + suffix + QStringLiteral(".png"));
    window.perChannelAction()->setChecked(true);
    ok &= grab(window, dir + QStringLiteral("/studio-channels") + suffix + QStringLiteral(".png"));
    window.perChannelAction()->setChecked(false);
    if (window.detailTabs()->count() > 1) {
        window.detailTabs()->setCurrentIndex(1);
        waitFor([&] { return !window.evalService()->isBusy(); }, 60000);
        ok &= grab(window, dir + QStringLiteral("/studio-activations") + suffix + QStringLiteral(".png"));
        window.detailTabs()->setCurrentIndex(0);
    }
    for (int i = 1; i < window.mainTabs()->count(); ++i) {
        QWidget *page = window.mainTabs()->widget(i);
        if (auto *scroll = qobject_cast<QScrollArea *>(page))
            page = scroll->widget();
        window.mainTabs()->setCurrentIndex(i);
        if (auto *sensitivity = qobject_cast<SensitivityView *>(page)) {
            sensitivity->run();
            waitFor([&] { return !sensitivity->isRunning(); }, 180000);
        }
        QString name = page->objectName();
        name.remove(QStringLiteral("View"));
        name.remove(QStringLiteral("Page"));
        ok &= grab(window, dir + QStringLiteral("/studio-") + name + suffix + QStringLiteral(".png"));
    }
    window.mainTabs()->setCurrentIndex(0);
    return ok ? 0 : 1;
}

} // namespace nnc::studio
