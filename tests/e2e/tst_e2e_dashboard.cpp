// The dashboard over a running demo, in-process on the offscreen platform:
// simulated services behind the real proxy, a scenario played at four times
// speed; the trip shows in the table, the log and the chart, and the
// trainer's controls pause, restart and step the scenario.
#include "../ui/modeltesting.h"
#include "demosession.h"
#include "demotesting.h"

#include "record/recordingreader.h"
#include "ui/detailpane.h"
#include "ui/eventlogmodel.h"
#include "ui/historychart.h"
#include "ui/mainwindow.h"
#include "ui/scenariobar.h"
#include "ui/servicetablemodel.h"

#include <QAction>
#include <QComboBox>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

static void initResources() { Q_INIT_RESOURCE(breakerboard); }

using namespace bb;
using namespace bb::testing;
using namespace bb::ui;

class TestE2eDashboard : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { initResources(); }

    void recordsTrafficFromTheWindow()
    {
        QTemporaryDir dir;
        const app::DemoOptions options = demoOptions(dir, 50);
        const auto session = app::DemoSession::start(options);
        QVERIFY(session);
        DashboardLink link(session->stack().control());
        MainWindow window(link, nullptr, std::nullopt);
        QVERIFY(window.recordAction()->isEnabled());
        QVERIFY(!window.startRecording(dir.filePath("no/such/dir/r.jsonl"), true));
        QVERIFY(!window.recordAction()->isChecked());
        QVERIFY(!link.recording().active);

        const QString path = dir.filePath("from-the-window.jsonl");
        QVERIFY(window.startRecording(path, true));
        QVERIFY(window.recordAction()->isChecked());
        QVERIFY(window.statusText().contains(QStringLiteral("● recording to ") + path));
        QTRY_VERIFY_WITH_TIMEOUT(link.recording().lines >= 20, 5000);
        window.stopRecording();
        QVERIFY(!window.recordAction()->isChecked());
        QVERIFY(!link.recording().active);
        const record::LoadResult loaded = record::loadRecording(path.toStdString());
        QVERIFY(loaded.recording);
        QVERIFY(loaded.recording->calls.size() >= 20);
        QCOMPARE(loaded.report.malformed, 0u);
        QCOMPARE(loaded.recording->header.configName, std::string("demo.yaml"));
    }

    void aTripShowsInTheTableTheLogAndTheChart()
    {
        QTemporaryDir dir;
        const QString scenario = dir.filePath("quick.yaml");
        QFile f(scenario);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("scenario:\n  name: quick\n  duration: 120\n  steps:\n"
                "    - {at: 4, service: bank-api, failure_rate: 1, caption: bank-api fails}\n");
        f.close();
        const app::DemoOptions options = demoOptions(dir, 30, scenario);
        const auto session = app::DemoSession::start(options);
        QVERIFY(session);
        DashboardLink link(session->stack().control());
        link.setAddresses(session->stack().server().address(), session->stack().adminAddress());
        link.setDemo(&session->world());
        MainWindow window(link, nullptr, DemoInfo{session->setup().scenarios, session->setup().services});
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        session->play();
        ScenarioBar *bar = window.scenarioBar();
        QVERIFY(bar);
        bar->speedBox()->setCurrentIndex(bar->speedBox()->findData(4.0)); // the trainer's fast-forward
        QTRY_COMPARE(link.demoStatus().speed, 4.0);

        QTRY_VERIFY_WITH_TIMEOUT(bar->captionText().contains("bank-api fails"), 10000);
        QAbstractItemModel *table = window.serviceModel();
        QTRY_COMPARE_WITH_TIMEOUT(table->index(rowNamed(*table, "bank-api"), ServiceTableModel::State).data().toString(),
                                  QString("open"), 15000);
        QCOMPARE(table->rowCount(), 10);
        QCOMPARE(table->index(rowNamed(*table, "auth-service"), ServiceTableModel::State).data().toString(),
                 QString("closed"));
        QVERIFY(table->index(rowNamed(*table, "auth-service"), ServiceTableModel::RequestsPerS).data(ServiceTableModel::SortRole).toDouble() > 0);

        bool logged = false;
        for (int r = 0; r < window.logModel()->rowCount(); ++r) {
            const LogEntry &e = window.logModel()->entry(r);
            logged = logged || (e.subject == "bank-api" && e.what.startsWith("closed → open: failure rate"));
        }
        QVERIFY(logged);

        window.selectServices({"bank-api"});
        QVERIFY(window.detail()->whyText().contains("closed → open"));
        HistoryChart *chart = window.detail()->failureChart();
        QTRY_VERIFY_WITH_TIMEOUT(!chart->bandStates().empty() && chart->bandStates().back() == BreakerState::Open, 5000);
        QVERIFY(chart->pointsShown(0) >= 1);
        QVERIFY(window.statusText().contains("Proxy http://127.0.0.1:"));
        QVERIFY(window.statusText().contains("engine connected"));

        // The trainer's controls; the bar's status arrives from the simulation thread.
        bar->pauseAction()->trigger();
        QTRY_VERIFY(link.demoStatus().paused);
        const double at = link.demoStatus().position;
        QTest::qWait(600);
        QCOMPARE(link.demoStatus().position, at);
        bar->stepAction()->trigger();
        QTRY_COMPARE(link.demoStatus().position, at + 1.0);
        bar->restartAction()->trigger();
        QTRY_VERIFY(link.demoStatus().position < 0.5);
        bar->pauseAction()->trigger();
        QTRY_VERIFY(!link.demoStatus().paused);
        QTRY_VERIFY(link.demoStatus().position > 0.5);

        // A scenario file from the bar: a bad one is refused with its position, a good one plays.
        QString errors;
        const QString bad = dir.filePath("bad.yaml");
        QFile badFile(bad);
        QVERIFY(badFile.open(QIODevice::WriteOnly));
        badFile.write("scenario:\n  name: bad\n  duration: 30\n  steps:\n    - {at: 1, service: nope, outage: true}\n");
        badFile.close();
        QVERIFY(!bar->playFile(bad, &errors));
        QVERIFY2(errors.contains("bad.yaml:5:24: unknown service 'nope'"), qPrintable(errors));
        QTRY_COMPARE(link.demoStatus().scenario, QString("quick"));
        QVERIFY(bar->playFile(scenario, &errors));
        QCOMPARE(bar->scenarioBox()->currentText(), QString("quick"));
    }
};

QTEST_MAIN(TestE2eDashboard)
#include "tst_e2e_dashboard.moc"
