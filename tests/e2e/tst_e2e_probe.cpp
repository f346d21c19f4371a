// The running binary probed as an attacker would, over raw sockets: every
// smuggling, framing, path and slow-client vector gets its status and a
// closed connection, the upstream sees only what it should, the breaker
// stays closed, and /metrics counts every routed request exactly once.
// All of it over plain HTTP and again over the proxy's TLS listener.
#include "common/testcerts.h"
#include "e2etesting.h"
#include "httpclient.h"
#include "testupstream.h"

#include <QRegularExpression>
#include <QTest>

using namespace bb::testing;

namespace {
QString configFor(const TestUpstream &up)
{
    return QStringLiteral("circuit_breakers:\n"
                          "  default:\n"
                          "    failure_threshold: 0.5\n"
                          "    volume_threshold: 4\n"
                          "    expected_response_time: 1000\n"
                          "  services:\n"
                          "    api:\n"
                          "      upstream: %1/base/\n"
                          "      route: /v2api\n"
                          "    internal:\n"
                          "      upstream: %1/\n"
                          "      route: internal.example\n"
                          "proxy:\n"
                          "  header_timeout: 600\n"
                          "  body_idle_timeout: 400\n"
                          "  body_timeout: 1500\n"
                          "  max_header_bytes: 4096\n"
                          "  max_body_bytes: 1000\n")
        .arg(up.url());
}

// One sample of the scrape, by metric name and labels; -1 when absent.
double sample(const QByteArray &scrape, const QString &name, const QString &labels)
{
    const QString wanted = name + '{' + labels + "} ";
    for (const QByteArray &line : scrape.split('\n')) {
        const QString text = QString::fromUtf8(line);
        if (text.startsWith(wanted))
            return text.mid(wanted.size()).toDouble();
    }
    return -1;
}

struct Vector {
    const char *name;
    QByteArray raw;
    int status;
};

const QByteArray kSmuggled = "\r\n\r\n5\r\nhello\r\n0\r\n\r\nGET /v2api/smuggled HTTP/1.1\r\nHost: x\r\n\r\n";
const QByteArray kPost = "POST /v2api/echo HTTP/1.1\r\nHost: x\r\n";

// Refused before a service is chosen: nothing reaches an upstream or a breaker.
std::vector<Vector> refusedVectors()
{
    return {
        {"xchunked", kPost + "Transfer-Encoding: xchunked" + kSmuggled, 400},
        {"chunked, chunked", kPost + "Transfer-Encoding: chunked, chunked" + kSmuggled, 400},
        {"identity;chunked", kPost + "Transfer-Encoding: identity;chunked" + kSmuggled, 400},
        {"gzip, xchunked", kPost + "Transfer-Encoding: gzip, xchunked" + kSmuggled, 400},
        {"gzip, chunked", kPost + "Transfer-Encoding: gzip, chunked" + kSmuggled, 501},
        {"CL and TE", kPost + "Content-Length: 4\r\nTransfer-Encoding: chunked" + kSmuggled, 400},
        {"TE and CL", kPost + "Transfer-Encoding: chunked\r\nContent-Length: 4" + kSmuggled, 400},
        {"duplicate Content-Length", kPost + "Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello", 400},
        {"listed Content-Length", kPost + "Content-Length: 5, 5\r\n\r\nhello", 400},
        {"obs-fold", "GET /v2api/ok HTTP/1.1\r\nHost: x\r\nX-A: a\r\n Transfer-Encoding: chunked\r\n\r\n", 400},
        {"no Host", "GET /v2api/ok HTTP/1.1\r\n\r\n", 400},
        {"two Hosts", "GET /v2api/ok HTTP/1.1\r\nHost: x\r\nHost: internal.example\r\n\r\n", 400},
        {"climbs past the base path", "GET /v2api/../../secret HTTP/1.1\r\nHost: x\r\n\r\n", 400},
        {"encoded dot-segments", "GET /v2api/%2e%2e/%2e%2e/secret HTTP/1.1\r\nHost: x\r\n\r\n", 400},
        {"chunk size not hex", kPost + "Transfer-Encoding: chunked\r\n\r\n-1\r\nhello\r\n0\r\n\r\n", 400},
        {"chunk size overflows", kPost + "Transfer-Encoding: chunked\r\n\r\n1" + QByteArray(16, '0') + "\r\nx\r\n", 400},
        {"chunks past the body limit", kPost + "Transfer-Encoding: chunked\r\n\r\n3e9\r\n", 413},
        {"head too large", "GET /v2api/ok HTTP/1.1\r\nHost: x\r\nX-Big: " + QByteArray(5000, 'a') + "\r\n\r\n", 431},
        {"body too large", kPost + "Content-Length: 5000\r\n\r\n", 413},
        {"CONNECT", "CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: 127.0.0.1:22\r\n\r\n", 403},
        {"absolute form, foreign host", "GET http://example.org/secret HTTP/1.1\r\nHost: example.org\r\n\r\n", 403},
    };
}
} // namespace

class TestE2eProbe : public QObject {
    Q_OBJECT
private slots:
    void everyVectorAgainstTheRunningProxy_data()
    {
        QTest::addColumn<bool>("tls");
        QTest::newRow("plain HTTP") << false;
        QTest::newRow("TLS listener") << true;
    }

    void everyVectorAgainstTheRunningProxy()
    {
        QFETCH(bool, tls);
        TestUpstream up;
        QTemporaryDir dir;
        TestCertsDir certs;
        QVERIFY2(certs.certs.error.isEmpty(), qPrintable(certs.certs.error));
        Instance node(dir, writeConfig(dir, configFor(up)));
        if (tls)
            node.extraArguments = {"--proxy-tls-cert", certs.certs.serverCert, "--proxy-tls-key", certs.certs.serverKey};
        QVERIFY2(node.start(), node.out.constData());
        const auto open = [&] {
            return tls ? std::make_unique<HttpClient>(node.proxyPort, trusting(certs.certs.caCert))
                       : std::make_unique<HttpClient>(node.proxyPort);
        };

        for (const Vector &v : refusedVectors()) {
            const auto attacker = open();
            attacker->send(v.raw);
            const auto r = attacker->read();
            QVERIFY2(r, v.name);
            QVERIFY2(r->status == v.status, qPrintable(QStringLiteral("%1: %2").arg(v.name).arg(r->status)));
            QVERIFY2(attacker->waitClosed(), v.name);
        }

        // Slowloris: a head that never ends.
        const auto slowloris = open();
        slowloris->send("GET /v2api/ok HTTP/1.1\r\nHost: x\r\n");
        for (int i = 0; i < 3 && slowloris->connected(); ++i) {
            slowloris->send("X-Drip: " + QByteArray::number(i) + "\r\n");
            QTest::qWait(250);
        }
        const auto dripped = slowloris->read();
        QVERIFY(dripped);
        QCOMPARE(dripped->status, 408);
        QVERIFY(slowloris->waitClosed());

        // Routed, then the client's fault: a bad chunk size, stalled bodies.
        const auto badChunk = open();
        badChunk->send(kPost + "Transfer-Encoding: chunked\r\n\r\n");
        QTest::qWait(100); // the head alone: the request is routed and under way
        badChunk->send("ZZ\r\nhello\r\n0\r\n\r\n");
        QCOMPARE(badChunk->read()->status, 400);
        QVERIFY(badChunk->waitClosed());
        for (int i = 0; i < 4; ++i) {
            const auto stalling = open();
            stalling->send(kPost + "Content-Length: 10\r\n\r\nfour");
            const auto r = stalling->read();
            QVERIFY(r);
            QCOMPARE(r->status, 408);
            QVERIFY(stalling->waitClosed());
        }

        // What a client may do: dot-segments inside the route, the absolute
        // form for a host this proxy serves.
        const auto client = open();
        QCOMPARE(client->get("/v2api/x/../ok")->status, 200);
        QCOMPARE(client->get("/v2api/ok")->status, 200);
        client->send("GET http://internal.example/ok HTTP/1.1\r\nHost: internal.example\r\n\r\n");
        QCOMPARE(client->read()->status, 200);

        QCOMPARE(up.requests("/secret"), 0);
        QCOMPARE(up.requests("/base/smuggled"), 0);
        QCOMPARE(up.requests("/base/echo"), 0);
        QCOMPARE(up.requests("/base/ok"), 2);
        QCOMPARE(up.requests("/ok"), 1);
        QCOMPARE(up.totalRequests(), 3);

        HttpClient scraper(node.adminPort);
        const auto metrics = scraper.get("/metrics");
        QVERIFY(metrics);
        QCOMPARE(metrics->status, 200);
        const QByteArray &text = metrics->body;
        const auto requests = [&](const char *service, const char *outcome) {
            return sample(text, "breakerboard_requests_total",
                          QStringLiteral("circuit_breaker=\"%1\",outcome=\"%2\"").arg(service, outcome));
        };
        QCOMPARE(requests("api", "success"), 2.0);
        QCOMPARE(requests("api", "client_timeout"), 4.0);
        QCOMPARE(requests("api", "ignored"), 1.0); // the bad chunk: the client's, and it was answered 400
        QCOMPARE(requests("api", "failure"), 0.0);
        QCOMPARE(requests("api", "timeout"), 0.0);
        QCOMPARE(requests("internal", "success"), 1.0);
        double routed = 0;
        for (const char *service : {"api", "internal"}) {
            static const QRegularExpression anyOutcome("^breakerboard_requests_total\\{circuit_breaker=\"([a-z]+)\","
                                                       "outcome=\"[a-z_]+\"\\} (\\d+)$",
                                                       QRegularExpression::MultilineOption);
            auto it = anyOutcome.globalMatch(QString::fromUtf8(text));
            while (it.hasNext()) {
                const auto m = it.next();
                if (m.captured(1) == QLatin1String(service))
                    routed += m.captured(2).toDouble();
            }
        }
        QCOMPARE(routed, 8.0); // 1 bad chunk + 4 stalled + 3 answered: every routed request once
        QCOMPARE(sample(text, "circuit_breaker_state", "circuit_breaker=\"api\""), 0.0);
        QCOMPARE(sample(text, "circuit_breaker_failures_total", "circuit_breaker=\"api\""), 0.0);
    }
};

QTEST_GUILESS_MAIN(TestE2eProbe)
#include "tst_e2e_probe.moc"
