// The what-if replay: recorded seconds of calls played through a fresh
// breaker on a virtual clock under another policy.
#include "coretesting.h"

#include "core/whatif.h"

using namespace bb;

class TestWhatIf : public QObject {
    Q_OBJECT
private slots:
    void healthyTrafficNeverOpens()
    {
        const std::vector<SecondOfCalls> seconds(30, SecondOfCalls{20, 0, 0});
        const WhatIfResult r = replaySeconds(BreakerPolicy{}, seconds);
        QCOMPARE(r.opens, 0);
        QCOMPARE(r.rejected, 0u);
        QCOMPARE(r.finalState, BreakerState::Closed);
    }

    void thresholdDecidesWhetherSixtyPercentFailuresOpen()
    {
        std::vector<SecondOfCalls> seconds(5, SecondOfCalls{20, 0, 0});
        seconds.insert(seconds.end(), 10, SecondOfCalls{20, 12, 0});
        BreakerPolicy p;
        p.failureRateThreshold = 50;
        p.waitDuration = std::chrono::seconds(60);
        const WhatIfResult strict = replaySeconds(p, seconds);
        QCOMPARE(strict.opens, 1);
        QVERIFY(strict.rejected > 0);
        QCOMPARE(strict.finalState, BreakerState::Open);
        p.failureRateThreshold = 70;
        const WhatIfResult lenient = replaySeconds(p, seconds);
        QCOMPARE(lenient.opens, 0);
        QCOMPARE(lenient.rejected, 0u);
    }

    void monitorOnlyOpensAlikeAndTurnsNobodyAway()
    {
        std::vector<SecondOfCalls> seconds(5, SecondOfCalls{20, 0, 0});
        seconds.insert(seconds.end(), 40, SecondOfCalls{20, 12, 0});
        BreakerPolicy p;
        p.waitDuration = std::chrono::seconds(5);
        const WhatIfResult enforcing = replaySeconds(p, seconds);
        p.enforcement = 0;
        const WhatIfResult monitoring = replaySeconds(p, seconds);
        QVERIFY(enforcing.opens > 1);
        QCOMPARE(monitoring.opens, enforcing.opens);
        QCOMPARE(monitoring.finalState, enforcing.finalState);
        QCOMPARE(monitoring.rejected, 0u);
        QCOMPARE(monitoring.wouldReject, enforcing.rejected);
        QCOMPARE(enforcing.wouldReject, 0u);
    }

    void shortWaitOpensAgainWhileFailuresGoOn()
    {
        const std::vector<SecondOfCalls> seconds(40, SecondOfCalls{20, 20, 0});
        BreakerPolicy p;
        p.waitDuration = std::chrono::seconds(5);
        const WhatIfResult r = replaySeconds(p, seconds);
        // The default policy: a 10 s time window judged from 10 calls on.
        // Second s plays its 20 calls at s + i/20 s. The 10th failure (i = 9,
        // 0.45 s) opens it; the 5 s wait ends at 5.45 s, exactly when call 9
        // of second 5 arrives: the timer fires first, that trial fails and
        // opens it again. So opens at 0.45, 5.45, …, 35.45 s: 8; the next
        // wait would end at 40.45 s, after the 40 seconds played.
        QCOMPARE(r.opens, 8);
        QCOMPARE(r.finalState, BreakerState::Open);
    }

    void slowCallsTripTheSlowRule()
    {
        const std::vector<SecondOfCalls> seconds(15, SecondOfCalls{20, 0, 20});
        BreakerPolicy p;
        QCOMPARE(replaySeconds(p, seconds).opens, 0);
        p.slowCallRateThreshold = 80.0;
        QCOMPARE(replaySeconds(p, seconds).opens, 1);
    }
};

QTEST_GUILESS_MAIN(TestWhatIf)
#include "tst_whatif.moc"
