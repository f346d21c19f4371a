// The demo's traffic generator through the real proxy to simulated services:
// rates, tallies by kind of answer, pause, step and speed. The generator and
// the engine share the rig's manual clock; the tests step it 40 ms at a time
// and wait for every answer before the next step, so each breaker hears the
// outcomes of a step before the next step's calls arrive.
#include "proxyrig.h"
#include "traffictesting.h"

#include "sim/simulatedservice.h"

using namespace bb;
using namespace bb::sim;
using namespace bb::testing;

namespace {
constexpr Duration kStep = std::chrono::milliseconds(40);
constexpr int kStepsASecond = 25;

struct Rig {
    SimulatedService healthy{"a", 1};
    SimulatedService failing{"b", 2};
    std::unique_ptr<ProxyRig> proxy;
    std::unique_ptr<TrafficGenerator> traffic;

    Rig()
    {
        QString error;
        if (!healthy.listen(&error) || !failing.listen(&error))
            qFatal("%s", qPrintable(error));
        for (SimulatedService *s : {&healthy, &failing}) {
            ServiceBehaviour b;
            b.latency = std::chrono::milliseconds(2);
            b.failureRate = s == &failing ? 1.0 : 0.0;
            s->setBehaviour(b);
        }
        Configuration c;
        c.services.push_back(service("a", QStringLiteral("http://127.0.0.1:%1").arg(healthy.port())));
        c.services.push_back(service("b", QStringLiteral("http://127.0.0.1:%1").arg(failing.port())));
        ServiceConfig withFallback = service("c", QStringLiteral("http://127.0.0.1:%1").arg(failing.port()));
        withFallback.fallback.strategy = FallbackStrategy::Default;
        withFallback.fallback.body = "cached";
        c.services.push_back(withFallback);
        proxy = std::make_unique<ProxyRig>(c);
        traffic = std::make_unique<TrafficGenerator>(proxy->clock, QHostAddress::LocalHost, proxy->port());
    }
};
} // namespace

class TestSimTraffic : public QObject {
    Q_OBJECT
private slots:
    void ratesAreKeptAndAnswersTallied()
    {
        Rig rig;
        rig.traffic->setTarget("a", "/a/x", 100);
        rig.traffic->setTarget("b", "/b/x", 100);
        rig.traffic->setTarget("c", "/c/x", 50);
        QVERIFY(stepTraffic(rig.proxy->clock, *rig.traffic, {"a", "b", "c"}, kStep, kStepsASecond));

        const TrafficTally a = rig.traffic->tally("a");
        QCOMPARE(a.sent, std::uint64_t(100));
        QCOMPARE(a.ok, a.sent);
        QCOMPARE(rig.healthy.counts().requests, a.sent);

        // b: four calls a step, all admitted in the first step with no
        // outcome heard; its breaker opens at the 4th failure (50% of at
        // least 4 calls): 4 failures, then rejections.
        const TrafficTally b = rig.traffic->tally("b");
        QCOMPARE(b.sent, std::uint64_t(100));
        QCOMPARE(b.failed, std::uint64_t(4));
        QCOMPARE(b.rejected, b.sent - b.failed);
        QCOMPARE(rig.proxy->breaker("b").state(), BreakerState::Open);

        // c: the same failing upstream, two calls a step (2 failures heard
        // when the second step's two are admitted); a fallback answers once
        // the 4th failure has opened it.
        const TrafficTally c = rig.traffic->tally("c");
        QCOMPARE(c.sent, std::uint64_t(50));
        QCOMPARE(c.failed, std::uint64_t(4));
        QCOMPARE(c.fallback, c.sent - c.failed);
        QCOMPARE(rig.failing.counts().requests, b.failed + c.failed);
        QCOMPARE(a.cut + b.cut + c.cut, std::uint64_t(0));
        QCOMPARE(a.skipped + b.skipped + c.skipped, std::uint64_t(0));
    }

    void pauseStepAndSpeed()
    {
        Rig rig;
        rig.traffic->setTarget("a", "/a/x", 200);
        rig.traffic->setPaused(true);
        rig.proxy->clock.advance(std::chrono::seconds(1)); // paused: owes nothing, now or later
        rig.traffic->step();
        rig.traffic->step();
        QTRY_COMPARE(rig.traffic->tally("a").ok, std::uint64_t(2));
        QCOMPARE(rig.traffic->tally("a").sent, std::uint64_t(2));

        rig.traffic->setSpeed(0.25);
        rig.traffic->setPaused(false);
        QVERIFY(stepTraffic(rig.proxy->clock, *rig.traffic, {"a"}, kStep, kStepsASecond));
        // 200 a second at a quarter speed for one second.
        QCOMPARE(rig.traffic->tally("a").sent - 2, std::uint64_t(50));
        QCOMPARE(rig.traffic->tally("a").ok, std::uint64_t(52));
    }

    void anOutageIsSeenAsFailuresThenRejections()
    {
        Rig rig;
        ServiceBehaviour down = rig.healthy.behaviour();
        down.outage = true;
        rig.healthy.setBehaviour(down);
        rig.traffic->setTarget("a", "/a/x", 100);
        QVERIFY(stepTraffic(rig.proxy->clock, *rig.traffic, {"a"}, kStep, kStepsASecond));
        QCOMPARE(rig.proxy->breaker("a").state(), BreakerState::Open);
        const TrafficTally a = rig.traffic->tally("a");
        // A 502 from the proxy for each cut upstream connection until the
        // 4th opens the breaker (the first step's four, as for b above), then 503.
        QCOMPARE(a.sent, std::uint64_t(100));
        QCOMPARE(a.failed, std::uint64_t(4));
        QCOMPARE(a.rejected, a.sent - a.failed);
        QCOMPARE(rig.healthy.counts().cut, a.failed);
    }
};

QTEST_GUILESS_MAIN(TestSimTraffic)
#include "tst_sim_traffic.moc"
