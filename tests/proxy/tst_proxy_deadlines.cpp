// The worker's deadlines: each fires once, in order, never before it is
// due, and a listener may rearrange the others from inside its call.
#include "proxy/deadlines.h"

#include <QElapsedTimer>
#include <QTest>

#include <functional>
#include <memory>
#include <vector>

using namespace bb::proxy;
using namespace std::chrono_literals;

namespace {
struct Recorder : Deadlines::Listener {
    std::vector<int> fired;
    std::vector<qint64> firedAtMs;
    QElapsedTimer clock;
    std::function<void(int)> then;
    Recorder() { clock.start(); }
    void deadlineReached(int which) override
    {
        fired.push_back(which);
        firedAtMs.push_back(clock.elapsed());
        if (then)
            then(which);
    }
};
} // namespace

class DeadlinesTest : public QObject {
    Q_OBJECT
private slots:
    void firesInOrderAndNotBefore()
    {
        Deadlines deadlines;
        Recorder r;
        Deadlines::Entry late(&r, 3), early(&r, 1), middle(&r, 2);
        deadlines.arm(late, 90ms);
        deadlines.arm(early, 20ms);
        deadlines.arm(middle, 50ms);
        QCOMPARE(deadlines.size(), 3u);
        QTRY_COMPARE(r.fired.size(), 3u);
        QCOMPARE(r.fired, (std::vector<int>{1, 2, 3}));
        QVERIFY(r.firedAtMs[0] >= 20);
        QVERIFY(r.firedAtMs[1] >= 50);
        QVERIFY(r.firedAtMs[2] >= 90);
        QVERIFY(!early.armed() && !middle.armed() && !late.armed());
        QCOMPARE(deadlines.size(), 0u);
    }

    void aDisarmedDeadlineNeverFires()
    {
        Deadlines deadlines;
        Recorder r;
        Deadlines::Entry gone(&r, 1), kept(&r, 2);
        deadlines.arm(gone, 10ms);
        deadlines.arm(kept, 40ms);
        deadlines.disarm(gone);
        deadlines.disarm(gone); // twice is harmless
        QVERIFY(!gone.armed());
        QTRY_COMPARE(r.fired.size(), 1u);
        QCOMPARE(r.fired.front(), 2);
        QTest::qWait(30);
        QCOMPARE(r.fired.size(), 1u);
    }

    void armingAgainMovesIt()
    {
        Deadlines deadlines;
        Recorder r;
        Deadlines::Entry moved(&r, 1);
        deadlines.arm(moved, 10ms);
        deadlines.arm(moved, 80ms); // later: the timer armed for 10 ms finds nothing due
        QCOMPARE(deadlines.size(), 1u);
        QTest::qWait(40);
        QVERIFY(r.fired.empty());
        QTRY_COMPARE(r.fired.size(), 1u);
        QVERIFY(r.firedAtMs[0] >= 80);
        deadlines.arm(moved, 60ms);
        deadlines.arm(moved, 5ms); // earlier than the timer: it moves
        QTRY_COMPARE(r.fired.size(), 2u);
        QVERIFY(r.firedAtMs[1] - r.firedAtMs[0] < 60);
    }

    void aListenerMayRearrangeFromItsCall()
    {
        Deadlines deadlines;
        Recorder r;
        Deadlines::Entry first(&r, 1), second(&r, 2), third(&r, 3);
        auto owned = std::make_unique<Deadlines::Entry>(&r, 4);
        deadlines.arm(first, 10ms);
        deadlines.arm(second, 10ms);
        deadlines.arm(third, 15ms);
        deadlines.arm(*owned, 12ms);
        r.then = [&](int which) {
            if (which == 1 && owned) {
                deadlines.disarm(second);   // due at the same moment: it no longer fires
                deadlines.disarm(*owned);   // and its owner may go
                owned.reset();
                deadlines.arm(first, 30ms); // its own, again
            }
        };
        QTRY_COMPARE(r.fired.size(), 3u);
        QCOMPARE(r.fired, (std::vector<int>{1, 3, 1}));
        QTest::qWait(30);
        QCOMPARE(r.fired.size(), 3u);
        QCOMPARE(deadlines.size(), 0u);
    }

    void aZeroWaitFiresOnTheNextTurn()
    {
        Deadlines deadlines;
        Recorder r;
        Deadlines::Entry now(&r, 7);
        deadlines.arm(now, 0ms);
        QVERIFY(r.fired.empty()); // never from inside arm
        QTRY_COMPARE(r.fired.size(), 1u);
    }
};

QTEST_GUILESS_MAIN(DeadlinesTest)
#include "tst_proxy_deadlines.moc"
