// The demo's traffic generator through the real proxy to simulated services:
// rates, tallies by kind of answer, pause, step and speed.
#include "proxyrig.h"

#include "sim/simulatedservice.h"
#include "sim/trafficgenerator.h"

using namespace bb;
using namespace bb::sim;
using namespace bb::testing;

namespace {
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
        traffic = std::make_unique<TrafficGenerator>(QHostAddress::LocalHost, proxy->port());
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
        QTest::qWait(1000);
        rig.traffic->setPaused(true);
        QTest::qWait(300); // the last answers come in

        const TrafficTally a = rig.traffic->tally("a");
        QVERIFY2(a.sent >= 70 && a.sent <= 130, qPrintable(QString::number(a.sent)));
        QCOMPARE(a.ok, a.sent);
        QCOMPARE(rig.healthy.counts().requests, a.sent);

        // b fails until its breaker opens after 4 calls (50% of at least 4;
        // calls already under way then count too), then is rejected.
        const TrafficTally b = rig.traffic->tally("b");
        QVERIFY2(b.failed >= 4 && b.failed <= 8, qPrintable(QString::number(b.failed)));
        QCOMPARE(b.rejected, b.sent - b.failed);
        QCOMPARE(rig.proxy->breaker("b").state(), BreakerState::Open);

        // c: the same failing upstream, but a fallback answers once it is open.
        const TrafficTally c = rig.traffic->tally("c");
        QVERIFY2(c.failed >= 4 && c.failed <= 8, qPrintable(QString::number(c.failed)));
        QCOMPARE(c.fallback, c.sent - c.failed);
        QCOMPARE(rig.failing.counts().requests, b.failed + c.failed);
        QCOMPARE(a.cut + b.cut + c.cut, std::uint64_t(0));
    }

    void pauseStepAndSpeed()
    {
        Rig rig;
        rig.traffic->setTarget("a", "/a/x", 200);
        rig.traffic->setPaused(true);
        QTest::qWait(200);
        QCOMPARE(rig.traffic->tally("a").sent, std::uint64_t(0));
        rig.traffic->step();
        rig.traffic->step();
        QTRY_COMPARE(rig.traffic->tally("a").ok, std::uint64_t(2));

        rig.traffic->setSpeed(0.25);
        rig.traffic->setPaused(false);
        QTest::qWait(1000);
        rig.traffic->setPaused(true);
        const std::uint64_t sent = rig.traffic->tally("a").sent - 2;
        // 200 a second at a quarter speed for one second: about 50.
        QVERIFY2(sent >= 30 && sent <= 70, qPrintable(QString::number(sent)));
    }

    void anOutageIsSeenAsFailuresThenRejections()
    {
        Rig rig;
        ServiceBehaviour down = rig.healthy.behaviour();
        down.outage = true;
        rig.healthy.setBehaviour(down);
        rig.traffic->setTarget("a", "/a/x", 100);
        QTRY_COMPARE_WITH_TIMEOUT(rig.proxy->breaker("a").state(), BreakerState::Open, 3000);
        QTest::qWait(200);
        rig.traffic->setPaused(true);
        QTest::qWait(200);
        const TrafficTally a = rig.traffic->tally("a");
        // 502 from the proxy for each cut upstream connection (calls already
        // under way when the breaker opened count too), then 503.
        QVERIFY2(a.failed >= 4 && a.failed <= 8, qPrintable(QString::number(a.failed)));
        QCOMPARE(a.rejected, a.sent - a.failed);
        QVERIFY(a.rejected > 10);
        QCOMPARE(rig.healthy.counts().cut, a.failed);
    }
};

QTEST_GUILESS_MAIN(TestSimTraffic)
#include "tst_sim_traffic.moc"
