// The breaker in front of real traffic: it trips, answers 503 with
// Retry-After, recovers through half-open; groups reject their members;
// fallbacks answer; the bulkhead queues and overflows; retries stay in limits.
#include "freeport.h"
#include "proxyrig.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace bb;
using namespace bb::testing;

namespace {
QJsonObject json(const Response &r) { return QJsonDocument::fromJson(r.body).object(); }

OperatorCommand forceOpen() { return {OperatorAction::ForceOpen, "test", "drill", std::nullopt}; }

} // namespace

class TestProxyResilience : public QObject {
    Q_OBJECT
private slots:
    void tripsRejectsWith503AndRecoversThroughHalfOpen()
    {
        TestUpstream up;
        Configuration c;
        c.services.push_back(service("a", up.url() + "/"));
        ProxyRig rig(c);
        HttpClient client(rig.port());
        for (int i = 0; i < 4; ++i)
            QCOMPARE(client.get("/a/status/500")->status, 500);
        QCOMPARE(rig.breaker("a").state(), BreakerState::Open);

        const auto r = client.get("/a/ok");
        QVERIFY(r);
        QCOMPARE(r->status, 503);
        QCOMPARE(r->header("Retry-After"), QByteArray("30"));
        QCOMPARE(r->header("X-Breaker-State"), QByteArray("open"));
        QCOMPARE(r->header("X-Fallback"), QByteArray("none"));
        const QJsonObject body = json(*r);
        QCOMPARE(body["service"].toString(), QStringLiteral("a"));
        QCOMPARE(body["state"].toString(), QStringLiteral("open"));
        QCOMPARE(body["cause"].toString(), QStringLiteral("failure rate 100% ≥ 50% over 4 calls"));
        QCOMPARE(body["retryAfter"].toInt(), 30);
        QCOMPARE(up.requests("/ok"), 0); // rejected calls never reach the upstream

        rig.clock.advance(std::chrono::seconds(30));
        QCOMPARE(rig.breaker("a").state(), BreakerState::HalfOpen);
        QCOMPARE(client.get("/a/ok")->header("X-Breaker-State"), QByteArray("half_open"));
        QCOMPARE(client.get("/a/ok")->status, 200); // the second trial success closes it
        QCOMPARE(rig.breaker("a").state(), BreakerState::Closed);
        QCOMPARE(client.get("/a/ok")->header("X-Breaker-State"), QByteArray("closed"));
        QCOMPARE(rig.counted("a", 8), 8u);
        QCOMPARE(rig.counters("a").outcome(proxy::RequestOutcome::RejectedBreaker), 1u);
    }

    void anOpenGroupRejectsItsMembers()
    {
        TestUpstream up;
        Configuration c;
        for (const char *name : {"p", "q", "r"})
            c.services.push_back(service(name, up.url() + "/"));
        c.groups.push_back({"pq", {"p", "q", "r"}, 50.0});
        ProxyRig rig(c);
        rig.breaker("p").apply(forceOpen());
        rig.breaker("q").apply(forceOpen());
        HttpClient client(rig.port());
        const auto r = client.get("/r/ok");
        QVERIFY(r);
        QCOMPARE(r->status, 503);
        const QJsonObject body = json(*r);
        QCOMPARE(body["group"].toString(), QStringLiteral("pq"));
        QCOMPARE(body["cause"].toString(), QStringLiteral("group pq is open: 2 of 3 members open > 50%"));
        QCOMPARE(rig.counters("r").outcome(proxy::RequestOutcome::RejectedGroup), 1u);
        QCOMPARE(up.totalRequests(), 0);
    }

    void defaultFallbackAnswersRejectedCalls()
    {
        TestUpstream up;
        Configuration c;
        ServiceConfig s = service("u", up.url() + "/");
        s.fallback.strategy = FallbackStrategy::Default;
        s.fallback.status = 200;
        s.fallback.body = R"({"user":{"id":"anonymous","name":"Guest User"}})";
        s.fallback.headers = {{"Content-Type", "application/json"}};
        c.services.push_back(s);
        ProxyRig rig(c);
        rig.breaker("u").apply(forceOpen());
        HttpClient client(rig.port());
        const auto r = client.get("/u/profile");
        QVERIFY(r);
        QCOMPARE(r->status, 200);
        QCOMPARE(r->body, QByteArray(R"({"user":{"id":"anonymous","name":"Guest User"}})"));
        QCOMPARE(r->header("X-Fallback"), QByteArray("default"));
        QCOMPARE(r->header("X-Breaker-State"), QByteArray("forced_open"));
        QCOMPARE(rig.counters("u").outcome(proxy::RequestOutcome::Fallback), 1u);
        QCOMPARE(rig.counters("u").fallback(FallbackStrategy::Default), 1u);
    }

    void cacheFallbackServesTheLastSuccessWithinItsTtl()
    {
        TestUpstream up;
        Configuration c;
        ServiceConfig s = service("c", up.url() + "/");
        s.fallback.strategy = FallbackStrategy::Cache;
        s.fallback.cacheTtl = std::chrono::seconds(60);
        c.services.push_back(s);
        ProxyRig rig(c);
        HttpClient client(rig.port());
        QCOMPARE(client.get("/c/ok")->body, QByteArray("ok"));
        rig.breaker("c").apply(forceOpen());

        auto r = client.get("/c/ok");
        QVERIFY(r);
        QCOMPARE(r->status, 200);
        QCOMPARE(r->body, QByteArray("ok"));
        QCOMPARE(r->header("X-Fallback"), QByteArray("cache"));
        QCOMPARE(r->header("Age"), QByteArray("0"));

        r = client.get("/c/never-fetched");
        QCOMPARE(r->status, 503);
        QCOMPARE(r->header("X-Fallback"), QByteArray("none"));

        rig.clock.advance(std::chrono::seconds(61)); // past the TTL
        r = client.get("/c/ok");
        QCOMPARE(r->status, 503);
        QCOMPARE(rig.counters("c").fallback(FallbackStrategy::Cache), 1u);
        QCOMPARE(rig.counters("c").outcome(proxy::RequestOutcome::RejectedBreaker), 2u);
    }

    void alternativeServiceAnswersWhenThePrimaryFails()
    {
        TestUpstream up;
        Configuration c;
        ServiceConfig primary = service("primary", QStringLiteral("http://127.0.0.1:%1/").arg(freePort()));
        primary.fallback.strategy = FallbackStrategy::AlternativeService;
        primary.fallback.alternative = "backup";
        primary.fallback.onFailure = true;
        c.services.push_back(primary);
        c.services.push_back(service("backup", up.url() + "/"));
        ProxyRig rig(c);
        HttpClient client(rig.port());
        auto r = client.get("/primary/echo");
        QVERIFY(r);
        QCOMPARE(r->status, 200);
        QCOMPARE(r->header("X-Fallback"), QByteArray("alternative_service"));
        QCOMPARE(up.requests("/echo"), 1);
        QCOMPARE(rig.engine.snapshot().breaker("primary")->totals.failures, 1u);
        QCOMPARE(rig.engine.snapshot().breaker("backup")->totals.successes, 1u);

        rig.breaker("primary").apply(forceOpen());
        client.send("POST /primary/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nbody");
        r = client.read();
        QVERIFY(r);
        QCOMPARE(r->body, QByteArray("body")); // the body went to the alternative
        QCOMPARE(rig.counters("primary").fallback(FallbackStrategy::AlternativeService), 2u);
        QCOMPARE(rig.counters("primary").total(), 2u);
        QCOMPARE(rig.counters("backup").total(), 0u); // counted once, for the service asked
    }

    void fallbackOnFailureAnswersFailedCalls()
    {
        TestUpstream up;
        Configuration c;
        ServiceConfig s = service("f", up.url() + "/");
        s.fallback.strategy = FallbackStrategy::Default;
        s.fallback.body = "stand-in";
        s.fallback.onFailure = true;
        c.services.push_back(s);
        ProxyRig rig(c);
        HttpClient client(rig.port());
        const auto r = client.get("/f/status/502");
        QCOMPARE(r->status, 200);
        QCOMPARE(r->body, QByteArray("stand-in"));
        QCOMPARE(rig.engine.snapshot().breaker("f")->totals.failures, 1u);
    }

    void bulkheadQueuesThenOverflows()
    {
        TestUpstream up;
        Configuration c;
        ServiceConfig s = service("b", up.url() + "/");
        s.bulkhead = {1, 1, std::chrono::milliseconds(2000)};
        c.services.push_back(s);
        ProxyRig rig(c);
        const proxy::Bulkhead &bulkhead = rig.routes->service("b")->bulkhead;
        HttpClient first(rig.port()), second(rig.port()), third(rig.port());
        first.send("GET /b/slow/600 HTTP/1.1\r\nHost: x\r\n\r\n");
        QTRY_COMPARE(bulkhead.inFlight(), 1u);
        second.send("GET /b/slow/10 HTTP/1.1\r\nHost: x\r\n\r\n");
        QTRY_COMPARE(bulkhead.queued(), 1u); // waits in the queue
        third.send("GET /b/ok HTTP/1.1\r\nHost: x\r\n\r\n"); // finds queue and slot full
        const auto r3 = third.read();
        QVERIFY(r3);
        QCOMPARE(r3->status, 503);
        QVERIFY(json(*r3)["cause"].toString().startsWith(QStringLiteral("bulkhead full")));
        QCOMPARE(first.read()->status, 200);
        QCOMPARE(second.read()->status, 200);
        QCOMPARE(rig.counted("b", 3), 3u);
        QCOMPARE(rig.counters("b").outcome(proxy::RequestOutcome::RejectedBulkhead), 1u);
        QCOMPARE(rig.counters("b").outcome(proxy::RequestOutcome::Success), 2u);
        // A bulkhead rejection is not a breaker failure.
        QCOMPARE(rig.engine.snapshot().breaker("b")->totals.failures, 0u);
    }

    void aQueuedCallGivesUpAfterTheQueueTimeout()
    {
        TestUpstream up;
        Configuration c;
        ServiceConfig s = service("b", up.url() + "/");
        s.bulkhead = {1, 5, std::chrono::milliseconds(100)};
        c.services.push_back(s);
        ProxyRig rig(c);
        HttpClient first(rig.port()), second(rig.port());
        first.send("GET /b/slow/600 HTTP/1.1\r\nHost: x\r\n\r\n");
        QTRY_COMPARE(rig.routes->service("b")->bulkhead.inFlight(), 1u);
        const auto r = second.get("/b/ok");
        QCOMPARE(r->status, 503);
        QVERIFY(json(*r)["cause"].toString().startsWith(QStringLiteral("bulkhead full")));
        QCOMPARE(first.read()->status, 200);
    }

    void retriesIdempotentCallsWithinTheLimit()
    {
        TestUpstream up;
        Configuration c;
        ServiceConfig s = service("r", up.url() + "/");
        s.policy.minimumCalls = 10;
        s.retry = {3, std::chrono::milliseconds(5), 2.0, std::chrono::milliseconds(50), 0.2};
        c.services.push_back(s);
        ProxyRig rig(c);
        HttpClient client(rig.port());
        QCOMPARE(client.get("/r/status/503")->status, 503);
        QCOMPARE(up.requests("/status/503"), 3);
        client.send("POST /r/status/500 HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
        QCOMPARE(client.read()->status, 500);
        QCOMPARE(up.requests("/status/500"), 1); // never retried: not idempotent
        QCOMPARE(rig.counters("r").retries.load(), 2u);
        QCOMPARE(rig.engine.snapshot().breaker("r")->totals.failures, 4u); // each attempt recorded
    }

    void noRetryWhileTheBreakerAdmitsNothing()
    {
        TestUpstream up;
        Configuration c;
        ServiceConfig s = service("r", up.url() + "/");
        s.policy.minimumCalls = 2;
        s.retry = {5, std::chrono::milliseconds(5), 2.0, std::chrono::milliseconds(50), 0.0};
        c.services.push_back(s);
        ProxyRig rig(c);
        HttpClient client(rig.port());
        const auto r = client.get("/r/status/500");
        QVERIFY(r);
        QCOMPARE(up.requests("/status/500"), 2); // the second failure opened the breaker
        QCOMPARE(r->status, 503);
        QCOMPARE(rig.breaker("r").state(), BreakerState::Open);
    }
};

QTEST_GUILESS_MAIN(TestProxyResilience)
#include "tst_proxy_resilience.moc"
