// Simulated upstream services: real HTTP on loopback, with failure rate,
// latency, outage and slow drip changed while they run.
#include "httpclient.h"

#include "sim/simulatedservice.h"

#include <QElapsedTimer>
#include <QTest>

using namespace bb;
using namespace bb::sim;
using namespace bb::testing;

namespace {
struct Rig {
    SimulatedService service{"payment-service", 7};
    Rig()
    {
        QString error;
        if (!service.listen(&error))
            qFatal("%s", qPrintable(error));
    }
    void set(const std::function<void(ServiceBehaviour &)> &change)
    {
        ServiceBehaviour b = service.behaviour();
        change(b);
        service.setBehaviour(b);
    }
};
} // namespace

class TestSimService : public QObject {
    Q_OBJECT
private slots:
    void healthyByDefault()
    {
        Rig rig;
        rig.set([](ServiceBehaviour &b) { b.latency = std::chrono::milliseconds(1); });
        HttpClient client(rig.service.port(), true);
        for (int i = 0; i < 5; ++i) {
            const auto r = client.get("/anything");
            QVERIFY(r);
            QCOMPARE(r->status, 200);
            QCOMPARE(r->body, QByteArray("{\"service\":\"payment-service\",\"ok\":true}"));
        }
        QCOMPARE(rig.service.counts().requests, std::uint64_t(5));
        QCOMPARE(rig.service.counts().failures, std::uint64_t(0));
    }

    void theFailureRateIsFollowed()
    {
        Rig rig;
        rig.set([](ServiceBehaviour &b) {
            b.latency = std::chrono::milliseconds(0);
            b.failureRate = 1.0;
        });
        HttpClient client(rig.service.port(), true);
        QCOMPARE(client.get("/")->status, 500);
        rig.set([](ServiceBehaviour &b) { b.failureRate = 0.3; });
        int failed = 0;
        for (int i = 0; i < 400; ++i)
            failed += client.get("/")->status == 500 ? 1 : 0;
        // 0.3 of 400 is 120; a binomial spread of about ±9, allowed ±40.
        QVERIFY2(failed > 80 && failed < 160, qPrintable(QString::number(failed)));
        QCOMPARE(rig.service.counts().failures, std::uint64_t(failed + 1));
    }

    void latencyIsAddedToEachAnswer()
    {
        Rig rig;
        rig.set([](ServiceBehaviour &b) {
            b.latency = std::chrono::milliseconds(150);
            b.latencySpread = 0;
        });
        HttpClient client(rig.service.port(), true);
        QElapsedTimer t;
        t.start();
        QCOMPARE(client.get("/")->status, 200);
        QVERIFY2(t.elapsed() >= 145, qPrintable(QString::number(t.elapsed())));
    }

    void anOutageCutsConnections()
    {
        Rig rig;
        rig.set([](ServiceBehaviour &b) { b.outage = true; });
        HttpClient client(rig.service.port(), true);
        client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        QVERIFY(!client.read(2000));
        QVERIFY(client.waitClosed(2000));
        QCOMPARE(rig.service.counts().cut, std::uint64_t(1));

        rig.set([](ServiceBehaviour &b) { b.outage = false; });
        HttpClient again(rig.service.port(), true);
        QCOMPARE(again.get("/")->status, 200);
    }

    void aSlowDripTrickles()
    {
        Rig rig;
        rig.set([](ServiceBehaviour &b) {
            b.latency = std::chrono::milliseconds(0);
            b.slowDrip = true;
            b.dripInterval = std::chrono::milliseconds(20);
        });
        HttpClient client(rig.service.port(), true);
        client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        // About 120 bytes at 50 a second: nothing whole after half a second.
        QVERIFY(!client.read(500));
        QElapsedTimer t;
        t.start();
        const auto r = client.read(15000);
        QVERIFY(r);
        QCOMPARE(r->status, 200);
        QVERIFY(t.elapsed() > 1000);
    }
};

QTEST_GUILESS_MAIN(TestSimService)
#include "tst_sim_service.moc"
