// End to end against a real nginx as the upstream: answers pass through,
// connections are reused, a failing location trips the breaker.
#include "nginxprocess.h"
#include "proxyrig.h"

#include <QFile>

using namespace bb;
using namespace bb::testing;

class TestE2eNginx : public QObject {
    Q_OBJECT
private slots:
    void proxiesToNginxAndTripsOnItsFailures()
    {
        SKIP_WITHOUT_NGINX();
        QTemporaryDir files;
        QFile big(files.path() + QStringLiteral("/big.bin"));
        big.open(QIODevice::WriteOnly);
        QByteArray content(3 * 1024 * 1024, 'n');
        for (int i = 0; i < content.size(); i += 1000)
            content[i] = char('A' + i / 1000 % 26);
        big.write(content);
        big.close();
        NginxProcess nginx(QStringLiteral("    location = /hello { return 200 \"hello from nginx\\n\"; }\n"
                                          "    location = /down { return 503 \"down\\n\"; }\n"
                                          "    location = /big.bin { root %1; }\n")
                               .arg(files.path()));
        QVERIFY2(nginx.started(), qPrintable(nginx.error()));

        Configuration c;
        c.services.push_back(service("web", QStringLiteral("http://127.0.0.1:%1/").arg(nginx.port())));
        ProxyRig rig(c);
        HttpClient client(rig.port());
        for (int i = 0; i < 50; ++i) {
            const auto r = client.get("/web/hello");
            QVERIFY(r);
            QCOMPARE(r->status, 200);
            QCOMPARE(r->body, QByteArray("hello from nginx\n"));
            QVERIFY(r->header("Server").startsWith("nginx"));
        }
        const auto file = client.get("/web/big.bin");
        QVERIFY(file);
        QVERIFY(file->body == content);

        // The count window holds the last ten calls: five failures are half.
        for (int i = 0; i < 5; ++i)
            QCOMPARE(client.get("/web/down")->status, 503);
        QCOMPARE(rig.breaker("web").state(), BreakerState::Open);
        const auto rejected = client.get("/web/hello");
        QCOMPARE(rejected->status, 503);
        QVERIFY(rejected->header("Retry-After").toInt() > 0);
        QVERIFY(rejected->body.contains("failure rate 50% ≥ 50% over 10 calls"));
        QCOMPARE(rig.counted("web", 57), 57u);
        QCOMPARE(rig.counters("web").outcome(proxy::RequestOutcome::Success), 51u);
        QCOMPARE(rig.counters("web").outcome(proxy::RequestOutcome::Failure), 5u);
        QCOMPARE(rig.counters("web").outcome(proxy::RequestOutcome::RejectedBreaker), 1u);
    }
};

QTEST_GUILESS_MAIN(TestE2eNginx)
#include "tst_e2e_nginx.moc"
