// Not a test: opens the real main window on the default demo, switches to the Fusion or the
// Distillation page, runs its full analysis on the demo models and keeps the window up for a
// while, so it can be looked at or screenshotted under Xvfb. Also writes the window's own grab.
// "summary" runs both (the fusion preview, the distillation under the plan) and the accuracy
// preview, then shows the Summary tab; it also writes the whole Summary page (scrolled-out part
// included) beside the grab as <grab>-page.png.
//   workbench_demo fusion|distill|summary|error [seconds] [grab.png] [en|zh_CN] [WxH]
#include "app/studio/eval_service.h"
#include "app/studio/main_window.h"
#include "app/studio/project.h"
#include "app/studio/stall_monitor.h"
#include "widgets/distill_page.h"
#include "widgets/fusion_page.h"
#include "widgets/summary_view.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTimer>

#include <cstdio>

namespace {

/// Shows the tab that holds `page` (the window may wrap pages in a scroll area).
void showTabOf(QTabWidget *tabs, QWidget *page)
{
    for (int i = 0; i < tabs->count(); ++i)
        if (tabs->widget(i) == page || tabs->widget(i)->isAncestorOf(page))
            tabs->setCurrentIndex(i);
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    const QString which = argc > 1 ? QString::fromLocal8Bit(argv[1]) : QStringLiteral("fusion");
    const int seconds = argc > 2 ? QString::fromLocal8Bit(argv[2]).toInt() : 0;
    const QString grab = argc > 3 ? QString::fromLocal8Bit(argv[3]) : QString();
    nnc::studio::MainWindow window;
    if (argc > 4)
        window.setLanguage(QString::fromLocal8Bit(argv[4]));
    QSize size(1280, 800);
    if (argc > 5) {
        const QStringList wh = QString::fromLocal8Bit(argv[5]).split(QLatin1Char('x'));
        if (wh.size() == 2)
            size = QSize(wh[0].toInt(), wh[1].toInt());
    }
    window.resize(size);
    window.show();
    QSignalSpy loaded(&window, &nnc::studio::MainWindow::modelLoaded);
    if (!window.openDefaultDemo() || (loaded.isEmpty() && !loaded.wait(120000))) {
        std::fprintf(stderr, "the demo did not open\n");
        return 1;
    }
    QTabWidget *tabs = window.mainTabs();
    bool ok = false;
    // How long the GUI loop goes without running while the page works (goal: under 100 ms).
    nnc::studio::StallMonitor stalls;
    stalls.start();
    QElapsedTimer clock;
    clock.start();
    if (which == QLatin1String("error")) {
        // A bad model path: the engine's message in a box, the page still usable behind it.
        auto *page = window.findChild<nnc::FusionPage *>();
        if (!page)
            return 2;
        showTabOf(tabs, page);
        QSignalSpy done(page, &nnc::FusionPage::finished);
        page->setModelA(QStringLiteral("/nonexistent/intent.onnx"));
        page->analyze();
        ok = done.wait(300000) && !done.takeFirst().at(0).toBool();
        showTabOf(tabs, page);
    } else if (which == QLatin1String("fusion")) {
        auto *page = window.findChild<nnc::FusionPage *>();
        if (!page)
            return 2;
        showTabOf(tabs, page);
        QSignalSpy done(page, &nnc::FusionPage::finished);
        // Showing the page starts the analysis; the preview replaces it.
        page->previewSharing();
        ok = done.wait(300000) && done.takeFirst().at(0).toBool();
        showTabOf(tabs, page);
    } else if (which == QLatin1String("summary")) {
        auto *fusion = window.findChild<nnc::FusionPage *>();
        auto *distill = window.findChild<nnc::DistillPage *>();
        auto *summary = window.findChild<nnc::SummaryView *>();
        if (!fusion || !distill || !summary)
            return 2;
        QSignalSpy fused(fusion, &nnc::FusionPage::finished);
        fusion->previewSharing();
        ok = fused.wait(300000) && fused.takeFirst().at(0).toBool();
        QSignalSpy compared(distill, &nnc::DistillPage::finished);
        distill->runWithPlan();
        ok = compared.wait(300000) && compared.takeFirst().at(0).toBool() && ok;
        // The accuracy preview of the project's plan fills the compression cards above.
        auto *eval = window.findChild<nnc::studio::EvalService *>();
        auto *project = window.findChild<nnc::studio::Project *>();
        if (!summary->hasResult() && eval && project && eval->isOpen() && !eval->isBusy())
            eval->preview(project->plan());
        if (!summary->hasResult()) {
            QElapsedTimer wait;
            wait.start();
            while (!summary->hasResult() && wait.elapsed() < 120000)
                QApplication::processEvents(QEventLoop::WaitForMoreEvents, 200);
        }
        showTabOf(tabs, summary);
        std::printf("summary: compression %s, fusion %s, distillation %s\n",
                    summary->hasResult() ? "shown" : "absent",
                    summary->hasFusion() ? "shown" : "absent",
                    summary->hasDistill() ? "shown" : "absent");
        ok = ok && summary->hasFusion() && summary->hasDistill();
        QApplication::processEvents();
        if (!grab.isEmpty()) {
            QString page = grab;
            page.replace(QStringLiteral(".png"), QStringLiteral("-page.png"));
            summary->grab().save(page);
        }
    } else {
        auto *page = window.findChild<nnc::DistillPage *>();
        if (!page)
            return 2;
        showTabOf(tabs, page);
        QSignalSpy done(page, &nnc::DistillPage::finished);
        page->runWithPlan();
        ok = done.wait(300000) && done.takeFirst().at(0).toBool();
        // The GUI-thread share of a result: rendering the tables and the chart again.
        QElapsedTimer render;
        render.start();
        QEvent change(QEvent::LanguageChange);
        QApplication::sendEvent(page, &change);
        page->setChartHead(1);
        std::printf("distill: re-rendering the result on the GUI thread took %lld ms\n",
                    static_cast<long long>(render.elapsed()));
        showTabOf(tabs, page);  // the window may restore its saved tab after loading
    }
    const qint64 elapsed = clock.elapsed();
    stalls.stop();
    std::printf("%s: %lld ms of work, worst GUI stall %.1f ms, gaps over 100 ms: %lld\n",
                qPrintable(which), static_cast<long long>(elapsed), stalls.worstStallMs(),
                static_cast<long long>(stalls.gapsOver100Ms()));
    QApplication::processEvents();
    if (!grab.isEmpty())
        window.grab().save(grab);
    std::printf("%s: %s\n", qPrintable(which), ok ? "done" : "failed");
    for (QWidget *w : {static_cast<QWidget *>(window.findChild<nnc::FusionPage *>()),
                       static_cast<QWidget *>(window.findChild<nnc::DistillPage *>())}) {
        if (!w)
            continue;
        std::printf("%s: size %dx%d, minimum %dx%d\n", qPrintable(w->objectName()), w->width(),
                    w->height(), w->minimumSizeHint().width(), w->minimumSizeHint().height());
    }
    std::fflush(stdout);
    QTimer::singleShot(seconds * 1000, &app, &QApplication::quit);
    return seconds > 0 ? app.exec() : (ok ? 0 : 3);
}
