// The dashboard over a running demo, in-process on the offscreen platform:
// simulated services behind the real proxy, a scenario played at four times
// speed; the trip shows in the table, the log and the chart, and the
// trainer's controls pause, restart and step the scenario.
#include "../ui/modeltesting.h"
#include "demosession.h"
#include "demotesting.h"

#include "control/localdashboardcontrol.h"
#include "control/localdemocontrol.h"
#include "record/recordingreader.h"
#include "ui/detailpane.h"
#include "ui/eventlogmodel.h"
#include "ui/historychart.h"
#include "ui/mainwindow.h"
#include "ui/recordingactions.h"
#include "ui/scenariobar.h"
#include "ui/servicetablemodel.h"

#include <QAction>
#include <QComboBox>
#include <QFile>
#include <QTemporaryDir>
#include <QSignalSpy>
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
        control::LocalDashboardControl control(session->stack().control());
        DashboardLink link(control);
        MainWindow window(link, nullptr);
        RecordingActions *recording = window.recording();
        QSignalSpy answered(recording, &RecordingActions::recordingChanged);
        QTRY_VERIFY(recording->recordAction()->isEnabled()); // a proxy runs, so there is traffic to record
        recording->start(dir.filePath("no/such/dir/r.jsonl"), true);
        QVERIFY(answered.wait(5000));
        QVERIFY(!answered.back().front().value<control::RecordingStatus>().active);
        QVERIFY(!recording->recordAction()->isChecked());

        const QString path = dir.filePath("from-the-window.jsonl");
        recording->start(path, true);
        QVERIFY(answered.wait(5000));
        QVERIFY(recording->recordAction()->isChecked());
        QVERIFY(window.statusText().contains(QStringLiteral("● recording to ") + path));
        // The proxy writes as the demo's traffic flows; asked until it has 20 lines.
        quint64 lines = 0;
        QTRY_VERIFY_WITH_TIMEOUT([&] {
            control.recording().then(&control, [&lines](const control::RecordingStatus &r) { lines = r.lines; });
            return lines >= 20;
        }(), 5000);
        recording->stop();
        QVERIFY(answered.wait(5000));
        QVERIFY(!recording->recordAction()->isChecked());
        QCOMPARE(answered.back().front().value<control::RecordingStatus>().path, path);
        QVERIFY(!window.statusText().contains(QStringLiteral("● recording")));
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
        control::LocalDashboardControl control(session->stack().control());
        control::LocalDemoControl demo(session->world(), session->setup().scenarios, session->setup().services);
        DashboardLink link(control, &demo);
        link.setAddresses(session->stack().server().url(), session->stack().adminUrl());
        MainWindow window(link, nullptr);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        demo.play("quick");
        ScenarioBar *bar = window.scenarioBar();
        QVERIFY(bar);
        bar->speedBox()->setCurrentIndex(bar->speedBox()->findData(4.0)); // the trainer's fast-forward
        QTRY_COMPARE(demo.status().speed, 4.0);

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
        QTRY_VERIFY(window.detail()->whyText().contains("closed → open"));
        HistoryChart *chart = window.detail()->failureChart();
        QTRY_VERIFY_WITH_TIMEOUT(!chart->bandStates().empty() && chart->bandStates().back() == BreakerState::Open, 5000);
        QVERIFY(chart->pointsShown(0) >= 1);
        QVERIFY(window.statusText().contains("Proxy http://127.0.0.1:"));
        QVERIFY(window.statusText().contains("engine connected"));

        // The trainer's controls; the bar's status arrives from the simulation thread.
        bar->pauseAction()->trigger();
        QTRY_VERIFY(demo.status().paused);
        const double at = demo.status().position;
        // The session runs on the system clock, so nothing here can step its
        // time; that a paused timeline ignores the time passing is asserted
        // exactly on a manual clock in tst_sim_demoworld. Here: the world
        // keeps ticking on its thread (every 100 ms) and the bar keeps asking
        // (every 250 ms); three of the bar's answers, each computed on the
        // simulation thread after the ticks queued before it, give the
        // position the pause answered. No fixed wait: each answer is waited
        // for, and a wrong pause shows as a moved position, never as a
        // timeout.
        QSignalSpy answers(&demo, &control::DemoControl::statusChanged);
        for (int i = 0; i < 3; ++i) {
            QVERIFY(answers.wait(5000));
            QVERIFY(demo.status().paused);
            QCOMPARE(demo.status().position, at);
        }
        bar->stepAction()->trigger();
        QTRY_COMPARE(demo.status().position, at + 1.0);
        bar->restartAction()->trigger();
        QTRY_VERIFY(demo.status().position < 0.5);
        bar->pauseAction()->trigger();
        QTRY_VERIFY(!demo.status().paused);
        QTRY_VERIFY(demo.status().position > 0.5);

        // A scenario file from the bar: a bad one is refused with its position, a good one plays.
        const QString bad = dir.filePath("bad.yaml");
        QFile badFile(bad);
        QVERIFY(badFile.open(QIODevice::WriteOnly));
        badFile.write("scenario:\n  name: bad\n  duration: 30\n  steps:\n    - {at: 1, service: nope, outage: true}\n");
        badFile.close();
        QSignalSpy refused(bar, &ScenarioBar::scenarioRefused);
        bar->playFile(bad, true);
        QVERIFY(refused.wait(5000));
        const QString errors = refused.front().front().toString();
        QVERIFY2(errors.contains("bad.yaml:5:24: unknown service 'nope'"), qPrintable(errors));
        QTRY_COMPARE(demo.status().scenario, QString("quick"));
        bar->playFile(scenario, true);
        QTRY_COMPARE(bar->scenarioBox()->count(), 6); // quick, the three built in, quick again, "Open a file…"
        QCOMPARE(bar->scenarioBox()->currentIndex(), 4);
        QCOMPARE(bar->scenarioBox()->currentText(), QString("quick"));
        QCOMPARE(refused.size(), 1);
    }
};

QTEST_MAIN(TestE2eDashboard)
#include "tst_e2e_dashboard.moc"
