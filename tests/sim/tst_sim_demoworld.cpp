// The demo's world around a real proxy: every service of the demo
// configuration gets a simulated upstream and traffic, and a scenario step
// trips the breaker it aims at; pause stops the timeline. The world runs on
// a manual clock stepped 100 ms at a time (four calls to each service at 40
// a second), each step's answers in before the next.
#include "proxyrig.h"
#include "traffictesting.h"

#include "config/configloader.h"
#include "sim/demoworld.h"

#include <QSignalSpy>

using namespace bb;
using namespace bb::sim;
using namespace bb::testing;

namespace {
// The timeline's position in whole milliseconds: steps of a tenth of a
// second add up to 2.2000000000000002 s, which QTRY_COMPARE's wait would
// never see equal to 2.2.
qint64 positionMs(const DemoWorld &world) { return qRound64(world.player()->position() * 1000); }
} // namespace

class TestSimDemoWorld : public QObject {
    Q_OBJECT
private slots:
    void aScenarioStepTripsTheBreakerItAimsAt()
    {
        ConfigResult loaded = loadConfiguration(DEMO_YAML);
        QVERIFY(loaded.ok());
        Configuration config = *loaded.config;
        ManualClock clock{TimePoint(std::chrono::seconds(1000))};
        DemoWorld world(config, clock);
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

        std::vector<std::string> services;
        for (const auto &s : config.services)
            services.push_back(s.name);
        const auto step = [&] {
            return stepTraffic(clock, *world.traffic(), services, std::chrono::milliseconds(100), 1);
        };
        int steps = 0;
        for (; steps < 100 && proxy.breaker("bank-api").state() != BreakerState::Open; ++steps)
            QVERIFY(step());
        QCOMPARE(proxy.breaker("bank-api").state(), BreakerState::Open);
        QCOMPARE(captions.last().at(0).toString(), QString("bank down"));
        QCOMPARE(proxy.breaker("payment-service").state(), BreakerState::Closed);
        QCOMPARE(world.traffic()->tally("payment-service").ok, std::uint64_t(4 * steps));
        const auto rejected = world.traffic()->tally("bank-api").rejected;
        QVERIFY(step());
        QCOMPARE(world.traffic()->tally("bank-api").rejected, rejected + 4);

        // Paused: the time that passes moves neither the timeline nor the
        // traffic, then or after; a step moves both.
        QTRY_COMPARE(positionMs(world), 100 * (steps + 1)); // the timeline has caught up
        world.setPaused(true);
        const qint64 at = positionMs(world);
        const auto sent = world.traffic()->tally("user-service").sent;
        clock.advance(std::chrono::seconds(5));
        world.step();
        QCOMPARE(positionMs(world), at + 1000);
        QTRY_COMPARE(world.traffic()->tally("user-service").sent, sent + 1);
        world.setPaused(false);
        QVERIFY(step());
        QTRY_COMPARE(positionMs(world), at + 1100);
        QCOMPARE(world.traffic()->tally("user-service").sent, sent + 5);

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
