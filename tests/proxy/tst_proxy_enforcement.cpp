// A breaker put in front of live traffic without risk: monitor-only lets every
// call reach the upstream while the breaker opens and recovers as it would,
// and a partial enforcement rejects its share, the same calls every time.
#include "proxyrig.h"

using namespace bb;
using namespace bb::testing;

namespace {
Configuration enforcing(const TestUpstream &up, double percent)
{
    Configuration c = oneService(up);
    c.services.front().policy.enforcement = percent;
    return c;
}

// The statuses of n requests in a row, as one string: "200 503 200 …".
QString statuses(HttpClient &client, const QByteArray &path, int n)
{
    QStringList out;
    for (int i = 0; i < n; ++i) {
        const auto r = client.get(path);
        out << (r ? QString::number(r->status) : QStringLiteral("none"));
    }
    return out.join(QLatin1Char(' '));
}
} // namespace

class TestProxyEnforcement : public QObject {
    Q_OBJECT
private slots:
    void monitorOnlyNeverRejectsYetOpensAndRecoversOnTime()
    {
        TestUpstream up;
        ProxyRig rig(enforcing(up, 0));
        HttpClient client(rig.port());
        QCOMPARE(statuses(client, "/a/status/500", 4), QStringLiteral("500 500 500 500"));
        QCOMPARE(rig.breaker("a").state(), BreakerState::Open);

        // Open, and every call still reaches the failing upstream.
        QCOMPARE(statuses(client, "/a/status/500", 6), QStringLiteral("500 500 500 500 500 500"));
        const auto r = client.get("/a/ok");
        QVERIFY(r);
        QCOMPARE(r->status, 200);
        QCOMPARE(r->header("X-Breaker-State"), QByteArray("open"));
        QCOMPARE(up.requests("/status/500"), 10);
        QCOMPARE(rig.breaker("a").state(), BreakerState::Open);

        rig.clock.advance(std::chrono::seconds(30) - std::chrono::milliseconds(1));
        QCOMPARE(rig.breaker("a").state(), BreakerState::Open);
        rig.clock.advance(std::chrono::milliseconds(1));
        QCOMPARE(rig.breaker("a").state(), BreakerState::HalfOpen);
        QCOMPARE(statuses(client, "/a/ok", 2), QStringLiteral("200 200"));
        QCOMPARE(rig.breaker("a").state(), BreakerState::Closed);

        QCOMPARE(rig.counted("a", 13), 13u);
        const BreakerSnapshot s = rig.breaker("a").snapshot(rig.clock.now());
        QCOMPARE(s.totals.wouldReject[std::size_t(RejectReason::BreakerOpen)], 7u);
        QCOMPARE(s.totals.wouldRejectTotal(), 7u);
        QCOMPARE(s.totals.rejectedTotal(), 0u);
        QCOMPARE(s.totals.failures, 10u);
        QCOMPARE(s.totals.successes, 3u);
        QCOMPARE(rig.counters("a").outcome(proxy::RequestOutcome::RejectedBreaker), 0u);
        QCOMPARE(rig.counters("a").outcome(proxy::RequestOutcome::Failure), 10u);
    }

    void halfEnforcedRejectsEverySecondCallTheSameEachTime()
    {
        QString seen[2];
        for (QString &answers : seen) {
            TestUpstream up;
            ProxyRig rig(enforcing(up, 50));
            HttpClient client(rig.port());
            statuses(client, "/a/status/500", 4);
            QCOMPARE(rig.breaker("a").state(), BreakerState::Open);
            answers = statuses(client, "/a/ok", 20);
            QCOMPARE(up.requests("/ok"), 10);
            QCOMPARE(rig.counted("a", 24), 24u);
            const BreakerSnapshot s = rig.breaker("a").snapshot(rig.clock.now());
            QCOMPARE(s.totals.wouldRejectTotal(), 10u);
            QCOMPARE(s.totals.rejectedTotal(), 10u);
            QCOMPARE(rig.counters("a").outcome(proxy::RequestOutcome::RejectedBreaker), 10u);
        }
        QCOMPARE(seen[0], QStringLiteral("200 503 200 503 200 503 200 503 200 503 200 503 200 503 200 503 200 503 200 503"));
        QCOMPARE(seen[1], seen[0]);
    }
};

QTEST_MAIN(TestProxyEnforcement)
#include "tst_proxy_enforcement.moc"
