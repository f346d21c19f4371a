// The dashboard's replay, in-process on the offscreen platform: the shipped
// incident opened into a window of its own, played at max, sought back,
// stepped and played again from the end, each time showing in the table and
// the log what a straight replay to that point gives; the what-if view; a
// log imported from a window; and recordings, configurations and logs that
// cannot be used, refused with the reason and no window.
#include "../ui/modeltesting.h"
#include "demosession.h"
#include "demotesting.h"
#include "replaywindows.h"

#include "record/recordingreader.h"
#include "record/replayrun.h"
#include "ui/eventlogmodel.h"
#include "ui/mainwindow.h"
#include "control/localdashboardcontrol.h"
#include "ui/replaybar.h"
#include "ui/servicetablemodel.h"
#include "ui/whatifview.h"

#include <QAction>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QProgressBar>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSlider>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>

using namespace bb;
using namespace bb::testing;
using namespace bb::ui;

static void initResources() { Q_INIT_RESOURCE(breakerboard); }

namespace {
constexpr std::int64_t kSecond = 1'000'000'000;

std::shared_ptr<const record::Recording> shipped()
{
    return std::make_shared<const record::Recording>(*record::loadRecording(SAMPLE_RECORDING).recording);
}

// What a straight replay of the shipped incident through its own
// configuration gives up to tNs: "subject from → to" in order, and each
// breaker's state at the end.
struct Straight {
    QStringList transitions;
    std::map<QString, QString> states;
};
Straight straight(std::int64_t tNs)
{
    const auto recording = shipped();
    const Configuration config = *parseConfiguration(recording->header.config, "header").config;
    record::ReplayRun run(recording, config);
    run.advanceTo(std::min(tNs, run.endNs())); // as the player, which stops at the end
    Straight s;
    for (const TransitionEvent &e : run.takeTransitions())
        s.transitions << QString::fromStdString(e.subject + " " + std::string(nameOf(e.from)) + " → " +
                                                std::string(nameOf(e.to)));
    for (const BreakerSnapshot &b : run.engine().snapshot().breakers)
        s.states[QString::fromStdString(b.name)] = stateLabel(b.state);
    return s;
}

// The window's log and table in the same terms.
QStringList logged(const MainWindow &window)
{
    QStringList lines;
    for (int r = 0; r < window.logModel()->rowCount(); ++r) {
        const LogEntry &e = window.logModel()->entry(r);
        if (e.kind == LogEntry::Kind::Transition)
            lines << (e.subject.startsWith("group ") ? e.subject.mid(6) : e.subject) + " " +
                         e.what.section(QLatin1Char(':'), 0, 0);
    }
    return lines;
}

std::map<QString, QString> tableStates(const MainWindow &window)
{
    std::map<QString, QString> states;
    const QAbstractItemModel &table = *window.serviceModel();
    for (int r = 0; r < table.rowCount(); ++r)
        states[cell(table, r, ServiceTableModel::Service)] = cell(table, r, ServiceTableModel::State);
    return states;
}

// The replay's commands answered (its status with them).
void idle(ReplayBar &bar)
{
    QTRY_COMPARE_WITH_TIMEOUT(bar.control().waiting(), std::size_t(0), 20000);
}

MainWindow *openOne(app::ReplayWindows &windows, const QString &path, const QString &config = {},
                    MainWindow *from = nullptr)
{
    QSignalSpy opened(&windows, &app::ReplayWindows::opened);
    windows.open(path, config, from);
    if (!opened.wait(20000))
        return nullptr;
    return opened.front().front().value<MainWindow *>();
}

void writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(data);
}
} // namespace

class TestE2eDashboardReplay : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        initResources();
        qRegisterMetaType<MainWindow *>();
        qRegisterMetaType<WhatIfView *>();
    }

    void theShippedIncidentPlaysSeeksAndSteps()
    {
        app::ReplayWindows windows(nullptr, {});
        MainWindow *window = openOne(windows, SAMPLE_RECORDING);
        QVERIFY(window);
        QVERIFY(window->isReplay());
        QVERIFY(window->windowTitle().contains("replay of demo-incident.jsonl"));
        ReplayBar *bar = window->findChild<ReplayBar *>();
        QVERIFY(bar);
        bool marked = false;
        for (const QLabel *label : bar->findChildren<QLabel *>())
            marked = marked || label->text().trimmed() == "REPLAY";
        QVERIFY(marked);
        QTRY_VERIFY(window->statusText().contains("Replay of demo-incident.jsonl"));
        QVERIFY(window->statusText().contains("replayed engine, not live traffic"));
        QVERIFY(!window->statusText().contains("Proxy"));
        idle(*bar);
        QVERIFY(bar->control().status().playing); // it opens playing, at 1×
        QCOMPARE(bar->speedBox()->currentText(), QString("1×"));

        // As fast as it goes: the end, with every transition of a straight replay.
        bar->speedBox()->setCurrentIndex(bar->speedBox()->findData(0.0));
        idle(*bar);
        QTRY_VERIFY_WITH_TIMEOUT(bar->control().status().atEnd, 20000);
        const Straight end = straight(100 * kSecond); // past the end
        QVERIFY(end.transitions.contains("payment-service closed → open"));
        QTRY_COMPARE(logged(*window), end.transitions);
        QTRY_COMPARE(tableStates(*window), end.states);
        QCOMPARE(bar->playAction()->text(), QString("Play"));
        QVERIFY(bar->positionText().endsWith("(end)"));

        // Back to 20 s: a fresh replay, the log and the table as they were then.
        bar->control().seek(20 * kSecond);
        idle(*bar);
        QCOMPARE(bar->control().status().positionNs, 20 * kSecond);
        QVERIFY(bar->positionText().startsWith("0:20.0 / 1:01.8"));
        const Straight at20 = straight(20 * kSecond);
        QVERIFY(at20.transitions.size() < end.transitions.size());
        QTRY_COMPARE(logged(*window), at20.transitions);
        QTRY_COMPARE(tableStates(*window), at20.states);
        QCOMPARE(at20.states.at("payment-service"), QString("open"));

        // One second on, paused.
        bar->stepAction()->trigger();
        idle(*bar);
        QCOMPARE(bar->control().status().positionNs, 21 * kSecond);
        QVERIFY(!bar->control().status().playing);
        QTRY_COMPARE(logged(*window), straight(21 * kSecond).transitions);

        // End (the key) goes to the end; play there starts again from the beginning.
        QTest::keyClick(bar->timeline(), Qt::Key_End);
        idle(*bar);
        QVERIFY(bar->control().status().atEnd);
        bar->speedBox()->setCurrentIndex(bar->speedBox()->findData(1.0));
        idle(*bar);
        bar->playAction()->trigger();
        idle(*bar);
        QVERIFY(bar->control().status().playing);
        QVERIFY(bar->control().status().positionNs < 2 * kSecond);
        QTRY_COMPARE(logged(*window), QStringList());
        QCOMPARE(bar->playAction()->text(), QString("Pause"));
        // A seek while playing plays on from there.
        bar->control().seek(30 * kSecond);
        idle(*bar);
        QVERIFY(bar->control().status().playing);
        QVERIFY(bar->control().status().positionNs >= 30 * kSecond);
        bar->playAction()->trigger();
        idle(*bar);
        QVERIFY(!bar->control().status().playing);

        // The mouse: a click on the timeline seeks where it was let go, a
        // quarter of the way along; Page Down goes ten seconds on.
        QSlider *timeline = bar->timeline();
        const QPoint quarter(timeline->width() / 4, timeline->height() / 2);
        QTest::mousePress(timeline, Qt::LeftButton, {}, quarter);
        QVERIFY(bar->control().status().positionNs >= 30 * kSecond); // not on the press
        QTest::mouseRelease(timeline, Qt::LeftButton, {}, quarter);
        idle(*bar);
        const std::int64_t clicked = bar->control().status().positionNs;
        QCOMPARE(clicked, std::int64_t(timeline->value()) * 1'000'000);
        QVERIFY(clicked > 10 * kSecond && clicked < 20 * kSecond); // a quarter of 1:01.8, give or take the handle
        QTRY_COMPARE(logged(*window), straight(clicked).transitions);
        QTest::keyClick(timeline, Qt::Key_PageUp); // towards the end, as for a horizontal slider
        idle(*bar);
        QCOMPARE(bar->control().status().positionNs, clicked + 10 * kSecond);
        QTest::keyClick(timeline, Qt::Key_Home);
        idle(*bar);
        QCOMPARE(bar->control().status().positionNs, 0);
        QTRY_COMPARE(logged(*window), QStringList());

        window->close();
        QTRY_VERIFY(windows.windows().empty());
    }

    void aLiveDashboardOpensAReplayBesideIt()
    {
        QTemporaryDir dir;
        const app::DemoOptions options = demoOptions(dir, 20);
        const auto session = app::DemoSession::start(options);
        QVERIFY(session);
        control::LocalDashboardControl control(session->stack().control());
        DashboardLink link(control);
        MainWindow live(link, nullptr);
        app::ReplayWindows windows(nullptr, {});
        windows.serve(live);
        QSignalSpy opened(&windows, &app::ReplayWindows::opened);
        emit live.openRecordingRequested(SAMPLE_RECORDING);
        QVERIFY(opened.wait(20000));
        auto *replay = opened.front().front().value<MainWindow *>();
        QVERIFY(replay->isReplay());
        QVERIFY(!live.isReplay());
        // Both go on: the live window keeps its engine's figures, the replay its own.
        const int applied = live.observationsApplied();
        QTRY_VERIFY(live.observationsApplied() > applied + 3);
        QTRY_VERIFY(replay->observationsApplied() > 3);
        QTRY_VERIFY(live.statusText().contains("engine connected"));
        QTRY_VERIFY(replay->statusText().contains("replayed engine"));
        QCOMPARE(live.state().rows().size(), replay->state().rows().size()); // the demo's ten services, twice
        QVERIFY(live.statusText().startsWith("Proxy "));
        QVERIFY(!replay->statusText().contains("Proxy"));
        QVERIFY(!live.findChild<ReplayBar *>());
    }

    void theWhatIfViewOverlaysConfigurations()
    {
        app::ReplayWindows windows(nullptr, {});
        MainWindow *window = openOne(windows, SAMPLE_RECORDING);
        QVERIFY(window);
        QSignalSpy compared(&windows, &app::ReplayWindows::compared);
        QSignalSpy progress(window->progressBar(), &QProgressBar::valueChanged);
        windows.compare(*window, {DEMO_LENIENT});
        QVERIFY(compared.wait(20000));
        auto *view = compared.front().front().value<WhatIfView *>();
        QVERIFY(view->isVisible());
        QVERIFY(view->windowTitle().contains("demo-incident.jsonl through demo, demo-lenient"));
        QCOMPARE(view->serviceBox()->currentText(), QString("payment-service")); // the first to open
        QVERIFY(view->tripsText().contains(QRegularExpression("payment-service +#1 +0:13\\.951 +0:15\\.671 +differs")));
        QVERIFY(!progress.isEmpty());
        QVERIFY(!window->progressBar()->isVisible()); // done
        view->showService("user-service");
        QCOMPARE(view->serviceBox()->currentText(), QString("user-service"));

        // A configuration that does not load: said, and no view.
        QTemporaryDir dir;
        writeFile(dir.filePath("broken.yaml"), "circuit_breakers:\n  default:\n    failure_threshold: 7\n");
        QSignalSpy failed(&windows, &app::ReplayWindows::failed);
        windows.compare(*window, {dir.filePath("broken.yaml")});
        QVERIFY(failed.wait(20000)); // read on the worker, not the window's thread
        QCOMPARE(failed.size(), 1);
        QVERIFY(failed.front().front().toString().contains("broken.yaml"));
        QCOMPARE(compared.size(), 1);
    }

    void aLogImportedFromAWindowOpensItsReplay()
    {
        QTemporaryDir dir;
        const std::string config = "circuit_breakers:\n  services:\n"
                                   "    payments: {upstream: 'http://127.0.0.1:9101', route: /payments}\n"
                                   "    users: {upstream: 'http://127.0.0.1:9102', route: /users}\n";
        app::ReplayWindows windows(nullptr, {"shop.yaml", config});
        MainWindow *first = openOne(windows, SAMPLE_RECORDING);
        QVERIFY(first); // a replay's window imports too
        QSignalSpy opened(&windows, &app::ReplayWindows::opened);
        const QString output = dir.filePath("envoy.jsonl");
        emit first->importLogRequested("envoy", RECORD_DATA "/envoy-access.log", output);
        QVERIFY(opened.wait(20000));
        auto *imported = opened.front().front().value<MainWindow *>();
        QVERIFY(imported->windowTitle().contains("replay of envoy.jsonl"));
        QVERIFY(first->statusBar()->currentMessage().startsWith("Imported "));
        const record::LoadResult loaded = record::loadRecording(output.toStdString());
        QVERIFY(loaded.recording);
        QCOMPARE(loaded.recording->header.configName, std::string("shop.yaml"));
        QVERIFY(loaded.recording->calls.size() >= 8);
        QTRY_COMPARE(imported->serviceModel()->rowCount(), 2);
        QCOMPARE(windows.windows().size(), 2u);

        // Unknown formats and unreadable logs: said, nothing opened.
        QSignalSpy failed(&windows, &app::ReplayWindows::failed);
        windows.import("syslog", RECORD_DATA "/envoy-access.log", dir.filePath("x.jsonl"), first);
        QCOMPARE(failed.size(), 1);
        QVERIFY(failed.back().front().toString().contains("unknown log format 'syslog'"));
        windows.import("har", dir.filePath("missing.har"), dir.filePath("y.jsonl"), first);
        QVERIFY(failed.wait(20000));
        QVERIFY(failed.back().front().toString().contains("missing.har"));
        QCOMPARE(windows.windows().size(), 2u);
    }

    void unusableRecordingsAreRefused()
    {
        QTemporaryDir dir;
        app::ReplayWindows windows(nullptr, {});
        QSignalSpy failed(&windows, &app::ReplayWindows::failed);
        QSignalSpy opened(&windows, &app::ReplayWindows::opened);
        // The reason given for refusing path (empty when none came).
        const auto refusal = [&](const QString &path) {
            const qsizetype before = failed.size();
            windows.open(path);
            if (!QTest::qWaitFor([&] { return failed.size() > before; }, 20000))
                return QString();
            return failed.back().front().toString();
        };
        QVERIFY(refusal(dir.filePath("missing.jsonl")).contains("cannot read the file"));
        writeFile(dir.filePath("garbage.jsonl"), "this is not\na recording\n");
        QVERIFY(refusal(dir.filePath("garbage.jsonl")).contains("garbage.jsonl"));
        writeFile(dir.filePath("bare.jsonl"), "{\"breakerboard_recording\":1}\n"
                                              "{\"t\":1,\"service\":\"a\",\"outcome\":\"success\",\"latency_ms\":2}\n");
        QVERIFY(refusal(dir.filePath("bare.jsonl")).contains("carries no configuration"));
        QFile shippedFile(SAMPLE_RECORDING);
        QVERIFY(shippedFile.open(QIODevice::ReadOnly));
        writeFile(dir.filePath("header-only.jsonl"), shippedFile.readLine());
        QVERIFY(refusal(dir.filePath("header-only.jsonl")).contains("no calls to replay"));
        QVERIFY(opened.isEmpty());
        QVERIFY(windows.windows().empty());

        // The same bare recording with a configuration named: it opens.
        writeFile(dir.filePath("a.yaml"), "circuit_breakers:\n  services:\n    a: {}\n");
        MainWindow *window = openOne(windows, dir.filePath("bare.jsonl"), dir.filePath("a.yaml"));
        QVERIFY(window);
        QTRY_COMPARE(window->serviceModel()->rowCount(), 1);
    }

    void loadingShowsProgressInTheWindowThatAsked()
    {
        // A recording big enough to be read in more than one piece.
        QTemporaryDir dir;
        const QString path = dir.filePath("big.jsonl");
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            QFile shippedFile(SAMPLE_RECORDING);
            QVERIFY(shippedFile.open(QIODevice::ReadOnly));
            f.write(shippedFile.readLine()); // the header, with its configuration
            QByteArray lines;
            for (int i = 0; i < 400'000; ++i)
                lines += "{\"t\":" + QByteArray::number(i) + ",\"service\":\"bank-api\",\"outcome\":\"success\","
                         "\"latency_ms\":3}\n";
            f.write(lines);
        }
        app::ReplayWindows windows(nullptr, {});
        MainWindow *first = openOne(windows, SAMPLE_RECORDING);
        QVERIFY(first);
        QSignalSpy progress(first->progressBar(), &QProgressBar::valueChanged);
        MainWindow *big = openOne(windows, path, {}, first);
        QVERIFY(big);
        QVERIFY(progress.size() >= 2);
        QVERIFY(!first->progressBar()->isVisible());
        QTRY_COMPARE(big->findChild<ReplayBar *>()->control().status().endNs, 399'999'000'000 + 3'000'000);
    }
};

QTEST_MAIN(TestE2eDashboardReplay)
#include "tst_e2e_dashboard_replay.moc"
