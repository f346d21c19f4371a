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

    void shortWaitOpensAgainWhileFailuresGoOn()
    {
        const std::vector<SecondOfCalls> seconds(40, SecondOfCalls{20, 20, 0});
        BreakerPolicy p;
        p.waitDuration = std::chrono::seconds(5);
        const WhatIfResult r = replaySeconds(p, seconds);
        // Open at once, then each 5 s a failed trial opens it again.
        QVERIFY2(r.opens >= 7 && r.opens <= 8, std::to_string(r.opens).c_str());
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
