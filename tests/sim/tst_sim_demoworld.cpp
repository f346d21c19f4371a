// The demo's world around a real proxy: every service of the demo
// configuration gets a simulated upstream and traffic, and a scenario step
// trips the breaker it aims at; pause stops the timeline.
#include "proxyrig.h"

#include "config/configloader.h"
#include "sim/demoworld.h"

#include <QSignalSpy>

using namespace bb;
using namespace bb::sim;
using namespace bb::testing;

class TestSimDemoWorld : public QObject {
    Q_OBJECT
private slots:
    void aScenarioStepTripsTheBreakerItAimsAt()
    {
        ConfigResult loaded = loadConfiguration(DEMO_YAML);
        QVERIFY(loaded.ok());
        Configuration config = *loaded.config;
        DemoWorld world(config);
        QString error;
        QVERIFY2(world.start(&error), qPrintable(error));
        world.pointUpstreams(config);
        for (const auto &s : config.services)
            QCOMPARE(s.upstream->port, world.service(s.name)->port());

        ProxyRig proxy(config);
        world.startTraffic(QHostAddress::LocalHost, proxy.port(), config, 40);
        QSignalSpy captions(&world, &DemoWorld::captioned);
        const ScenarioResult scenario = parseScenario("scenario:\n  name: t\n  duration: 60\n  steps:\n"
                                                      "    - {at: 0, caption: calm}\n"
                                                      "    - {at: 1, service: bank-api, failure_rate: 1, caption: bank down}\n"
                                                      "    - {at: 30, service: bank-api, failure_rate: 0}\n",
                                                      "t.yaml", {});
        QVERIFY(scenario.scenario);
        world.play(*scenario.scenario);
        QCOMPARE(captions.size(), 1);
        QCOMPARE(captions.at(0).at(0).toString(), QString("calm"));

        QTRY_COMPARE_WITH_TIMEOUT(proxy.breaker("bank-api").state(), BreakerState::Open, 5000);
        QCOMPARE(captions.last().at(0).toString(), QString("bank down"));
        QCOMPARE(proxy.breaker("payment-service").state(), BreakerState::Closed);
        QVERIFY(world.traffic()->tally("payment-service").ok > 10);
        QTRY_VERIFY(world.traffic()->tally("bank-api").rejected > 0);

        // Paused: the timeline stands still and no traffic goes out.
        world.setPaused(true);
        QTest::qWait(200);
        const double at = world.player()->position();
        const auto sent = world.traffic()->tally("user-service").sent;
        QTest::qWait(500);
        QCOMPARE(world.player()->position(), at);
        QCOMPARE(world.traffic()->tally("user-service").sent, sent);
        world.step();
        QCOMPARE(world.player()->position(), at + 1.0);
        QTRY_COMPARE(world.traffic()->tally("user-service").sent, sent + 1);

        // Restart: services healthy again, the timeline from its first step.
        const int before = captions.size();
        world.restart();
        QCOMPARE(world.player()->position(), 0.0);
        QCOMPARE(world.service("bank-api")->behaviour().failureRate, 0.0);
        QCOMPARE(captions.size(), before + 1);
        QCOMPARE(captions.last().at(0).toString(), QString("calm"));
        world.setSpeed(100);
        QCOMPARE(world.speed(), 20.0); // the fastest a trainer can go
    }
};

QTEST_GUILESS_MAIN(TestSimDemoWorld)
#include "tst_sim_demoworld.moc"
