// The control interfaces' promise to the window: a command returns at once,
// answers arrive on the window's thread in the order the commands were
// issued (even when an implementation gets them back out of order), an
// answer whose receiver has gone is dropped, and the interface is busy only
// while an answer is later than kBusyAfterMs.
#include "controltesting.h"

#include "control/localdashboardcontrol.h"
#include "control/threadcall.h"

#include <QSemaphore>
#include <QSignalSpy>

using namespace bb;
using namespace bb::testing;

namespace {
// An implementation that answers when told, in any order.
class ManualQueue : public control::CommandQueue {
public:
    std::pair<quint64, control::Answer<int>> ask(const QString &what) { return issue<int>(what); }
    void reply(quint64 ticket, int value) { answer(ticket, value); }
};

// A control service on a control thread, which the test can hold still.
struct ThreadedRig {
    control::ObjectThread thread{QStringLiteral("control")};
    ControlRig *rig = thread.call([] { return new ControlRig; });
    QSemaphore release;

    // The control thread waits until unblock(): whatever is posted after queues behind.
    void block() { thread.post([this] { release.acquire(); }); }
    void unblock() { release.release(); }
    ~ThreadedRig()
    {
        thread.call([this] { delete rig; });
    }
};
} // namespace

class TestControlCommands : public QObject {
    Q_OBJECT
private slots:
    void answersComeInTheOrderIssued()
    {
        ThreadedRig t;
        control::LocalDashboardControl control(*t.rig->control);
        QStringList order;
        const control::Actor ops{"ops", "test"};
        control.changeState(control::TargetKind::Breaker, "a", command(OperatorAction::ForceOpen), ops)
            .then(&control, [&](const control::CommandResult &r) { order << (r.ok() ? "force" : "force failed"); });
        control.changeState(control::TargetKind::Breaker, "a", command(OperatorAction::Reset), ops)
            .then(&control, [&](const control::CommandResult &r) { order << (r.ok() ? "reset" : "reset failed"); });
        control.history(10).then(&control, [&](const control::History &h) {
            order << QStringLiteral("history of %1").arg(h.audit.size());
        });
        QCOMPARE(control.waiting(), 3u); // returned at once, nothing answered yet
        QTRY_COMPARE_WITH_TIMEOUT(order.size(), 3, 5000);
        QCOMPARE(order, QStringList({"force", "reset", "history of 2"}));
        QCOMPARE(control.waiting(), 0u);
        QCOMPARE(t.thread.call([&] { return t.rig->state("a"); }), BreakerState::Closed);
    }

    void laterAnswersWaitForEarlierOnes()
    {
        ManualQueue queue;
        QList<int> heard;
        auto [first, a] = queue.ask("first");
        auto [second, b] = queue.ask("second");
        a.then(&queue, [&](int v) { heard << v; });
        b.then(&queue, [&](int v) { heard << v; });
        queue.reply(second, 2);
        QVERIFY(heard.isEmpty());
        QCOMPARE(queue.waitingFor(), QString("first"));
        queue.reply(first, 1);
        QCOMPARE(heard, QList<int>({1, 2}));
        QCOMPARE(queue.waiting(), 0u);
    }

    void anAnswerForAReceiverThatHasGoneIsDropped()
    {
        ManualQueue queue;
        QList<int> heard;
        auto receiver = std::make_unique<QObject>();
        auto [first, a] = queue.ask("first");
        auto [second, b] = queue.ask("second");
        a.then(receiver.get(), [&](int v) { heard << v; });
        b.then(&queue, [&](int v) { heard << v; });
        receiver.reset();
        queue.reply(first, 1);
        queue.reply(second, 2);
        QCOMPARE(heard, QList<int>({2}));
    }

    void busyOnlyWhileAnAnswerIsLate()
    {
        ThreadedRig t;
        control::LocalDashboardControl control(*t.rig->control);
        QSignalSpy busy(&control, &control::CommandQueue::busyChanged);
        // A quick answer: never busy.
        bool quick = false;
        control.configuration().then(&control, [&](const Configuration &) { quick = true; });
        QTRY_VERIFY_WITH_TIMEOUT(quick, 5000);
        QCOMPARE(busy.size(), 0);

        // A late one: busy after kBusyAfterMs, saying what waits, until it comes.
        t.block();
        bool stopped = false;
        control.stopRecording().then(&control, [&](const control::RecordingStatus &r) {
            stopped = true;
            QVERIFY(!r.available); // no proxy in this rig
        });
        QVERIFY(!control.busy());
        QVERIFY(busy.wait(5000));
        QCOMPARE(busy.back().front().toBool(), true);
        QVERIFY(control.busy());
        QCOMPARE(control.waitingFor(), QString("stopping the recording"));
        QVERIFY(!stopped);
        t.unblock();
        QVERIFY(busy.wait(5000));
        QCOMPARE(busy.back().front().toBool(), false);
        QVERIFY(stopped);
        QCOMPARE(busy.size(), 2);
    }
};

QTEST_MAIN(TestControlCommands)
#include "tst_control_commands.moc"
