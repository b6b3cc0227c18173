// File > Export Model and File > Export Report in the real main window on the demo CNN: each
// format is written, reads back, and says the same as the CLI's export; a refused export writes
// nothing and says why; the report is a PDF (or HTML) in the UI language.
#include "app/studio/eval_service.h"
#include "app/studio/language.h"
#include "app/studio/main_window.h"
#include "app/studio/project.h"
#include "app/studio/studio_export.h"
#include "core/export/toolchain_export.h"
#include "core/model/onnx_reader.h"
#include "tests/common/studio_test_main.h"

#include <QApplication>
#include <QFile>
#include <QMessageBox>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using nnc::studio::MainWindow;
using nnc::studio::ModelExportFormat;

class TestStudioExport : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();
    void exportsQdqThatReadsBack();
    void exportsToolchainFilesThatImportBack();
    void refusedExportWritesNothing();
    void neverOverwritesTheModel();
    void writesPdfAndHtmlReports();

private:
    bool openDemo();
    /// Runs an export through the window; returns (ok, message).
    std::pair<bool, QString> run(const std::function<void()> &start);

    QTemporaryDir m_dir;
    std::unique_ptr<MainWindow> m_window;
};

bool TestStudioExport::openDemo()
{
    QSignalSpy loaded(m_window.get(), &MainWindow::modelLoaded);
    QSignalSpy opened(m_window->evalService(), &nnc::studio::EvalService::opened);
    if (!m_window->openDefaultDemo())
        return false;
    return QTest::qWaitFor([&] { return !loaded.isEmpty() && !opened.isEmpty(); }, 60000);
}

std::pair<bool, QString> TestStudioExport::run(const std::function<void()> &start)
{
    QSignalSpy finished(m_window.get(), &MainWindow::exportFinished);
    start();
    if (!QTest::qWaitFor([&] { return !finished.isEmpty(); }, 300000))
        return {false, QStringLiteral("timed out")};
    return {finished.front().at(0).toBool(), finished.front().at(2).toString()};
}

void TestStudioExport::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QSettings().clear();
    nnc::studio::applyLanguage(QStringLiteral("en"));
    m_window = std::make_unique<MainWindow>();
    QVERIFY(openDemo());
    // 4-bit weights on the second convolution: a plan worth exporting.
    m_window->project()->editPlan(QStringLiteral("bits"), [](nnc::CompressionPlan &p) {
        p.layers["/conv2/Conv"].weights.bits = 4;
    });
}

void TestStudioExport::cleanup()
{
    for (QWidget *w : QApplication::topLevelWidgets())
        if (auto *box = qobject_cast<QMessageBox *>(w); box && box->isVisible())
            box->close();
}

void TestStudioExport::exportsQdqThatReadsBack()
{
    const QString out = m_dir.filePath(QStringLiteral("cnn_qdq.onnx"));
    const auto [ok, message] = run([&] { m_window->startModelExport(ModelExportFormat::Qdq, out); });
    QVERIFY2(ok, qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("Calibrated")), qPrintable(message));
    auto model = nnc::readModel(out.toStdString());
    QVERIFY2(model.has_value(), model ? "" : model.error().message.c_str());
    int dq = 0;
    for (const nnc::Node &n : model->graph.nodes)
        dq += n.opType == "DequantizeLinear";
    QVERIFY2(dq >= 10, qPrintable(QString::number(dq)));  // 5 weights + their activations
}

void TestStudioExport::exportsToolchainFilesThatImportBack()
{
    const QString out = m_dir.filePath(QStringLiteral("cnn.encodings"));
    const auto [ok, message] = run([&] { m_window->startModelExport(ModelExportFormat::Aimet061, out); });
    QVERIFY2(ok, qPrintable(message));
    auto model = nnc::readModel(nnc::studio::demoDirectory().toStdString() + "/fashion_cnn.onnx");
    QVERIFY(model.has_value());
    auto imported = nnc::importPlanFile(*model, out.toStdString());
    QVERIFY2(imported.has_value(), imported ? "" : imported.error().message.c_str());
    QCOMPARE(imported->plan.weightConfig("/conv2/Conv").spec.bits, 4);
    QCOMPARE(imported->plan.weightConfig("/conv1/Conv").spec.bits, 8);
}

void TestStudioExport::refusedExportWritesNothing()
{
    // A TensorRT cache holds 8-bit scales only: 4-bit weights must be refused, naming the layer.
    const QString out = m_dir.filePath(QStringLiteral("refused.cache"));
    QSignalSpy errors(m_window.get(), &MainWindow::errorShown);
    const auto [ok, message] = run([&] { m_window->startModelExport(ModelExportFormat::TrtCache, out); });
    QVERIFY(!ok);
    QVERIFY2(message.contains(QStringLiteral("conv2")), qPrintable(message));
    // The advice names what to do in the Studio, not a command-line option.
    QVERIFY2(!message.contains(QStringLiteral("--format")), qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("QDQ ONNX model")), qPrintable(message));
    QVERIFY(!QFile::exists(out));
    QCOMPARE(errors.count(), 1);
    QVERIFY(m_window->isEnabled());
}

void TestStudioExport::neverOverwritesTheModel()
{
    const QString copy = m_dir.filePath(QStringLiteral("model_copy.onnx"));
    QVERIFY(QFile::copy(nnc::studio::demoDirectory() + QStringLiteral("/fashion_cnn.onnx"), copy));
    auto model = nnc::readModel(copy.toStdString());
    QVERIFY(model.has_value());
    auto shared = std::make_shared<const nnc::Model>(std::move(*model));
    const QByteArray before = [&] { QFile f(copy); f.open(QIODevice::ReadOnly); return f.readAll(); }();
    auto r = nnc::studio::exportModelFile(shared, copy.toStdString(), {}, nnc::CompressionPlan::defaults(),
                                          ModelExportFormat::Pruned, copy.toStdString(), {});
    QVERIFY(!r.has_value());
    QCOMPARE(QString::fromStdString(r.error().message),
             QStringLiteral("The export would overwrite the model it was made from; choose another file."));
    QFile f(copy);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), before);
}

void TestStudioExport::writesPdfAndHtmlReports()
{
    const QString pdf = m_dir.filePath(QStringLiteral("report.pdf"));
    auto [ok, message] = run([&] { m_window->startReportExport(pdf); });
    QVERIFY2(ok, qPrintable(message));
    QFile f(pdf);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QVERIFY(f.read(5) == "%PDF-");

    const QString html = m_dir.filePath(QStringLiteral("report.html"));
    std::tie(ok, message) = run([&] { m_window->startReportExport(html); });
    QVERIFY2(ok, qPrintable(message));
    QFile h(html);
    QVERIFY(h.open(QIODevice::ReadOnly));
    const QByteArray text = h.readAll();
    QVERIFY(text.contains("fashion_cnn"));
    QVERIFY(text.contains("/conv2/Conv"));
}

NNC_STUDIO_TEST_MAIN(TestStudioExport, "StudioExportTest")

#include "test_studio_export.moc"
