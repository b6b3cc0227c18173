// The main() of the Studio's GUI test programs: a QApplication on the offscreen platform (unless
// QT_QPA_PLATFORM names another one), settings in a throw-away folder so the tests neither read
// nor change the user's, QStandardPaths in test mode, then the Qt Test run of one test object.
#pragma once

#include <QApplication>
#include <QStandardPaths>
#include <QString>
#include <QTemporaryDir>
#include <QTest>

#include <clocale>

namespace nnc::test {

/// Runs the slots of a `TestObject` (a QObject test class) as QTest::qExec does, with the
/// settings under the organization "NNCompressTests" and `applicationName`.
template <class TestObject>
int runStudioTest(int argc, char **argv, const QString &applicationName)
{
    QTemporaryDir config;
    qputenv("XDG_CONFIG_HOME", config.path().toLocal8Bit());
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    std::setlocale(LC_NUMERIC, "C"); // as the Studio's main() does
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("NNCompressTests"));
    QCoreApplication::setApplicationName(applicationName);
    TestObject test;
    return QTest::qExec(&test, argc, argv);
}

} // namespace nnc::test

/// Defines main() for the test class `TestClass`; `applicationName` is a string literal.
#define NNC_STUDIO_TEST_MAIN(TestClass, applicationName)                                         \
    int main(int argc, char **argv)                                                                \
    {                                                                                              \
        return nnc::test::runStudioTest<TestClass>(argc, argv, QStringLiteral(applicationName));   \
    }
