// Count and time windows: what they hold, what leaves them, and when.
#include "core/countwindow.h"
#include "core/timewindow.h"

#include <QTest>

using namespace bb;

namespace {
TimePoint at(double seconds) { return TimePoint(Duration(std::int64_t(seconds * 1e9))); }
} // namespace

class TestSlidingWindow : public QObject {
    Q_OBJECT
private slots:
    void countWindowHoldsTheLastNCalls()
    {
        CountWindow w(4);
        QCOMPARE(w.totals(at(0)), (WindowTotals{0, 0, 0}));
        QCOMPARE(w.record(at(0), true, false), (WindowTotals{1, 1, 0}));
        QCOMPARE(w.record(at(0), false, true), (WindowTotals{2, 1, 1}));
        QCOMPARE(w.record(at(0), true, true), (WindowTotals{3, 2, 2}));
        QCOMPARE(w.record(at(0), false, false), (WindowTotals{4, 2, 2}));
        // The fifth call pushes out the first (a failure).
        QCOMPARE(w.record(at(0), false, false), (WindowTotals{4, 1, 2}));
        // The sixth pushes out the slow success.
        QCOMPARE(w.record(at(0), false, false), (WindowTotals{4, 1, 1}));
        QCOMPARE(w.totals(at(0)), (WindowTotals{4, 1, 1}));
        QCOMPARE(w.lifetime(), (WindowTotals{6, 2, 2}));
    }

    void countWindowContentsAreOldestFirst()
    {
        CountWindow w(3);
        w.record(at(0), true, false);
        w.record(at(0), false, false);
        w.record(at(0), false, true);
        w.record(at(0), true, true);
        const WindowContents c = w.contents(at(0));
        QCOMPARE(c.type, WindowType::Count);
        QCOMPARE(c.size, 3u);
        QCOMPARE(c.calls.size(), std::size_t(3));
        QCOMPARE(c.calls[0], (WindowCall{false, false}));
        QCOMPARE(c.calls[1], (WindowCall{false, true}));
        QCOMPARE(c.calls[2], (WindowCall{true, true}));
        QCOMPARE(c.totals, (WindowTotals{3, 1, 2}));
    }

    // A renewed window is as new: empty, no lifetime, no failures in a row,
    // and judging from the generation it is renewed for.
    void countWindowRenewedIsAsNew()
    {
        CountWindow w(3);
        for (int i = 0; i < 5; ++i) {
            w.record(at(0), true, false);
            w.countFailure();
        }
        w.renew(7, at(0));
        QCOMPARE(w.since(), 7u);
        QCOMPARE(w.consecutiveFailures(), 0u);
        QCOMPARE(w.totals(at(0)), (WindowTotals{0, 0, 0}));
        QVERIFY(w.contents(at(0)).calls.empty());
        QCOMPARE(w.record(at(0), false, false), (WindowTotals{1, 0, 0}));
        QCOMPARE(w.record(at(0), true, false), (WindowTotals{2, 1, 0}));
        QCOMPARE(w.lifetime(), (WindowTotals{2, 1, 0}));
    }

    void countWindowOfOne()
    {
        CountWindow w(1);
        QCOMPARE(w.record(at(0), true, false), (WindowTotals{1, 1, 0}));
        QCOMPARE(w.record(at(0), false, false), (WindowTotals{1, 0, 0}));
        QCOMPARE(w.record(at(0), true, true), (WindowTotals{1, 1, 1}));
    }

    void countWindowCarryOverKeepsTheNewestThatFit()
    {
        CountWindow big(5);
        for (bool failed : {true, true, false, false, true})
            big.record(at(0), failed, false);
        CountWindow small(3);
        small.carryOver(big.contents(at(0)), at(0));
        QCOMPARE(small.totals(at(0)), (WindowTotals{3, 1, 0}));
        CountWindow larger(8);
        larger.carryOver(big.contents(at(0)), at(0));
        QCOMPARE(larger.totals(at(0)), (WindowTotals{5, 3, 0}));
    }

    void timeWindowSumsTheLastNSeconds()
    {
        TimeWindow w(3);
        QCOMPARE(w.record(at(10.0), true, false), (WindowTotals{1, 1, 0}));
        QCOMPARE(w.record(at(10.9), false, false), (WindowTotals{2, 1, 0}));
        QCOMPARE(w.record(at(11.5), false, true), (WindowTotals{3, 1, 1}));
        QCOMPARE(w.record(at(12.0), true, false), (WindowTotals{4, 2, 1}));
        // Second 13 starts: second 10 (two calls, one failure) has left.
        QCOMPARE(w.record(at(13.0), false, false), (WindowTotals{3, 1, 1}));
        QCOMPARE(w.totals(at(13.5)), (WindowTotals{3, 1, 1}));
        // Without any call, time alone empties the window for readers.
        QCOMPARE(w.totals(at(14.0)), (WindowTotals{2, 1, 0}));
        QCOMPARE(w.totals(at(16.0)), (WindowTotals{0, 0, 0}));
        QCOMPARE(w.lifetime(), (WindowTotals{5, 2, 1}));
    }

    void timeWindowSkipsLongGaps()
    {
        TimeWindow w(5);
        w.record(at(100), true, false);
        w.record(at(101), true, false);
        QCOMPARE(w.record(at(500), false, false), (WindowTotals{1, 0, 0}));
        QCOMPARE(w.record(at(504.99), false, false), (WindowTotals{2, 0, 0}));
        QCOMPARE(w.record(at(505), false, false), (WindowTotals{2, 0, 0}));
        QCOMPARE(w.lifetime(), (WindowTotals{5, 2, 0}));
    }

    void timeWindowContentsHaveOneBucketPerSecond()
    {
        TimeWindow w(4);
        w.record(at(20.1), true, false);
        w.record(at(22.3), false, true);
        w.record(at(22.4), true, false);
        const WindowContents c = w.contents(at(23.0));
        QCOMPARE(c.type, WindowType::Time);
        QCOMPARE(c.buckets.size(), std::size_t(4));
        QCOMPARE(c.buckets[0], (WindowBucket{20, 1, 1, 0}));
        QCOMPARE(c.buckets[1], (WindowBucket{21, 0, 0, 0}));
        QCOMPARE(c.buckets[2], (WindowBucket{22, 2, 1, 1}));
        QCOMPARE(c.buckets[3], (WindowBucket{23, 0, 0, 0}));
        QCOMPARE(c.totals, (WindowTotals{3, 2, 1}));
    }

    // Renewed at a time, a time window starts at that second: a call from
    // just before it counts in it.
    void timeWindowRenewedStartsAtItsSecond()
    {
        TimeWindow w(10);
        w.record(at(1), true, false);
        w.record(at(2), true, true);
        w.renew(3, at(5.5));
        QCOMPARE(w.totals(at(5.5)), (WindowTotals{0, 0, 0}));
        QCOMPARE(w.lifetime(), (WindowTotals{0, 0, 0}));
        QCOMPARE(w.record(at(5.7), false, false), (WindowTotals{1, 0, 0}));
        QCOMPARE(w.record(at(6.1), true, false), (WindowTotals{2, 1, 0}));
        const WindowContents c = w.contents(at(6.1));
        QCOMPARE(c.buckets.back(), (WindowBucket{6, 1, 1, 0}));
        QCOMPARE(c.buckets[c.buckets.size() - 2], (WindowBucket{5, 1, 0, 0}));
        QCOMPARE(w.lifetime(), (WindowTotals{2, 1, 0}));
    }

    void timeWindowCarryOverKeepsSecondsStillInside()
    {
        TimeWindow wide(10);
        wide.record(at(1), true, false);
        wide.record(at(8), true, false);
        wide.record(at(9), false, false);
        TimeWindow narrow(3);
        narrow.carryOver(wide.contents(at(9.5)), at(9.5));
        QCOMPARE(narrow.totals(at(9.5)), (WindowTotals{2, 1, 0}));
        QCOMPARE(narrow.record(at(9.6), false, false), (WindowTotals{3, 1, 0}));
    }

    void carryOverBetweenTypesKeepsNothing()
    {
        CountWindow c(5);
        c.record(at(0), true, false);
        TimeWindow t(5);
        t.carryOver(c.contents(at(0)), at(0));
        QCOMPARE(t.totals(at(0)), (WindowTotals{0, 0, 0}));
    }
};

QTEST_APPLESS_MAIN(TestSlidingWindow)
#include "tst_slidingwindow.moc"
