// A look at the analysis views inside the Studio (not a test): opens MODEL in the main window at
// WIDTH x HEIGHT, waits for its data and preview, runs a sensitivity analysis, then saves the
// window with each tab of every tab bar shown. Usage: studio_shots MODEL OUTDIR WIDTH HEIGHT
#include "app/studio/main_window.h"
#include "widgets/sensitivity_view.h"

#include <QApplication>
#include <QDir>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTest>

using namespace nnc;

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    if (argc < 5)
        return 2;
    const QString out = QString::fromLocal8Bit(argv[2]);
    QDir().mkpath(out);
    studio::MainWindow w;
    w.resize(QString(argv[3]).toInt(), QString(argv[4]).toInt());
    w.show();
    w.openFile(QString::fromLocal8Bit(argv[1]));
    QTest::qWait(20000);
    if (auto *sens = w.findChild<SensitivityView *>()) {
        QSignalSpy done(sens, &SensitivityView::sensitivityFinished);
        sens->setSetting(4, std::nullopt);
        if (sens->run())
            done.wait(600000);
    }
    int n = 0;
    for (QTabWidget *tabs : w.findChildren<QTabWidget *>()) {
        for (int i = 0; i < tabs->count(); ++i) {
            tabs->setCurrentIndex(i);
            QTest::qWait(1500);
            const QString name = tabs->tabText(i).remove(QLatin1Char('&')).replace(QLatin1Char(' '), QLatin1Char('_'));
            w.grab().save(QStringLiteral("%1/%2-%3.png").arg(out).arg(n++).arg(name));
        }
        tabs->setCurrentIndex(0);
    }
    return 0;
}
