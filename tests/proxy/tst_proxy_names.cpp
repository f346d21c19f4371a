// Upstreams by name: lookups answer later and on the worker's thread, are
// shared while in flight, kept for their time and dropped after a connect
// failure; every address of a name is tried in turn; a name that does not
// resolve costs the call a 502 and the breaker one failure, with the cause.
#include "fakedns.h"
#include "proxyrig.h"

#include <QScopeGuard>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace bb;
using namespace bb::testing;

namespace {

// Lookups that wait until the test answers them, for the resolver alone.
struct HeldLookups {
    std::vector<std::pair<QString, std::function<void(const proxy::HostAddresses &)>>> pending;
    proxy::HostLookup lookup()
    {
        return [this](const QString &name, QObject *, std::function<void(const proxy::HostAddresses &)> done) {
            pending.emplace_back(name, std::move(done));
        };
    }
    void answer(const QStringList &addresses)
    {
        proxy::HostAddresses a;
        for (const QString &text : addresses)
            a.addresses.push_back(QHostAddress(text));
        if (a.addresses.isEmpty())
            a.error = QStringLiteral("Host not found");
        auto taken = std::move(pending);
        pending.clear();
        for (auto &[name, done] : taken)
            done(a);
    }
};

Configuration named(const QString &url, std::chrono::milliseconds timeout = std::chrono::milliseconds(1000))
{
    Configuration c;
    ServiceConfig a = service("a", url);
    a.timeout = timeout;
    c.services.push_back(a);
    return c;
}

BreakerTotals totals(ProxyRig &rig) { return rig.engine.snapshot().breaker("a")->totals; }

// Service "a" at http://NAME:PORT/ with the test upstream's port, and the
// name known to the fake resolver.
struct NamedUpstream {
    NamedUpstream(const QString &name, const QStringList &addresses)
        : rig(named(QStringLiteral("http://%1:%2/").arg(name).arg(up.port())), {}, dns.lookup())
    {
        dns.set(name, addresses);
    }
    TestUpstream up; // on 127.0.0.1 only
    FakeDns dns;
    ProxyRig rig;
    HttpClient client{rig.port()}; // one connection: one worker, one cache
};

} // namespace

class TestProxyNames : public QObject {
    Q_OBJECT
private slots:
    void lookupsInFlightAreSharedAndAnswersCached()
    {
        ManualClock clock{TimePoint(std::chrono::seconds(1000))};
        HeldLookups held;
        proxy::HostResolver resolver(clock, held.lookup(), nullptr);
        QObject receiver;
        QList<QHostAddress> first, second, third;
        resolver.resolve("svc.test", &receiver, [&](const proxy::HostAddresses &a) { first = a.addresses; });
        resolver.resolve("svc.test", &receiver, [&](const proxy::HostAddresses &a) { second = a.addresses; });
        QCOMPARE(resolver.lookupsStarted(), 1);
        QCOMPARE(held.pending.size(), 1u);
        QVERIFY(first.isEmpty()); // no answer before the lookup's
        held.answer({"10.0.0.1", "10.0.0.2"});
        const QList<QHostAddress> expected{QHostAddress("10.0.0.1"), QHostAddress("10.0.0.2")};
        QCOMPARE(first, expected);
        QCOMPARE(second, expected);
        // Within the TTL the cache answers, at once.
        clock.advance(std::chrono::seconds(29));
        resolver.resolve("svc.test", &receiver, [&](const proxy::HostAddresses &a) { third = a.addresses; });
        QCOMPARE(third, expected);
        QCOMPARE(resolver.lookupsStarted(), 1);
        // Past it, the name is looked up again.
        clock.advance(std::chrono::seconds(2));
        third.clear();
        resolver.resolve("svc.test", &receiver, [&](const proxy::HostAddresses &a) { third = a.addresses; });
        QCOMPARE(resolver.lookupsStarted(), 2);
        QVERIFY(third.isEmpty());
        held.answer({"10.0.0.3"});
        QCOMPARE(third, QList<QHostAddress>{QHostAddress("10.0.0.3")});
    }

    void invalidateMakesTheNextCallerAskAgain()
    {
        ManualClock clock{TimePoint(std::chrono::seconds(1000))};
        HeldLookups held;
        proxy::HostResolver resolver(clock, held.lookup(), nullptr);
        QObject receiver;
        int answers = 0;
        const auto count = [&](const proxy::HostAddresses &) { ++answers; };
        resolver.resolve("svc.test", &receiver, count);
        held.answer({"10.0.0.1"});
        resolver.resolve("svc.test", &receiver, count);
        QCOMPARE(answers, 2);
        QCOMPARE(resolver.lookupsStarted(), 1);
        resolver.invalidate("svc.test");
        QCOMPARE(resolver.cachedNames(), 0);
        resolver.resolve("svc.test", &receiver, count);
        QCOMPARE(resolver.lookupsStarted(), 2);
        QCOMPARE(answers, 2);
        held.answer({"10.0.0.1"});
        QCOMPARE(answers, 3);
    }

    void unresolvedNamesAreNotCachedAndGoneReceiversNotCalled()
    {
        ManualClock clock{TimePoint(std::chrono::seconds(1000))};
        HeldLookups held;
        proxy::HostResolver resolver(clock, held.lookup(), nullptr);
        QObject receiver;
        QString error;
        bool goneCalled = false;
        {
            QObject gone;
            resolver.resolve("nx.test", &gone, [&](const proxy::HostAddresses &) { goneCalled = true; });
        }
        resolver.resolve("nx.test", &receiver, [&](const proxy::HostAddresses &a) { error = a.error; });
        held.answer({});
        QCOMPARE(error, QStringLiteral("Host not found"));
        QVERIFY(!goneCalled);
        QCOMPARE(resolver.cachedNames(), 0);
        resolver.resolve("nx.test", &receiver, [](const proxy::HostAddresses &) {});
        QCOMPARE(resolver.lookupsStarted(), 2);
    }

    void theCacheHoldsAtMostItsNames()
    {
        ManualClock clock{TimePoint(std::chrono::seconds(1000))};
        HeldLookups held;
        proxy::HostResolver resolver(clock, held.lookup(), nullptr,
                                     proxy::HostCacheLimits{std::chrono::seconds(30), 2});
        QObject receiver;
        const auto ignore = [](const proxy::HostAddresses &) {};
        for (const char *name : {"one.test", "two.test", "three.test"}) {
            resolver.resolve(name, &receiver, ignore);
            held.answer({"10.0.0.1"});
            clock.advance(std::chrono::seconds(1));
        }
        QCOMPARE(resolver.cachedNames(), 2);
        QCOMPARE(resolver.lookupsStarted(), 3);
        // The answer that would have expired first made room.
        resolver.resolve("three.test", &receiver, ignore);
        resolver.resolve("two.test", &receiver, ignore);
        QCOMPARE(resolver.lookupsStarted(), 3);
        resolver.resolve("one.test", &receiver, ignore);
        QCOMPARE(resolver.lookupsStarted(), 4);
    }

    void localhostUpstreamWorksThroughTheProxy()
    {
        TestUpstream up;
        ProxyRig rig(named(QStringLiteral("http://localhost:%1/").arg(up.port())));
        HttpClient client(rig.port());
        const auto r = client.get("/a/echo-me");
        QVERIFY(r);
        QCOMPARE(r->status, 200);
        QCOMPARE(r->body, QByteArray("/echo-me"));
        QCOMPARE(up.totalRequests(), 1);
        QCOMPARE(rig.counted("a", 1), 1u);
        QCOMPARE(totals(rig).successes, 1u);
    }

    void aNameThatDoesNotResolveIs502AndOneFailure()
    {
        TestUpstream up;
        // Room for a slow resolver: the answer must be the lookup's, not a timeout.
        ProxyRig rig(named(QStringLiteral("http://api.example.invalid:%1/").arg(up.port()), std::chrono::seconds(10)));
        HttpClient client(rig.port());
        const auto r = client.get("/a/ok", {});
        QVERIFY(r);
        QCOMPARE(r->status, 502);
        QVERIFY2(r->body.contains("upstream cannot be reached: name api.example.invalid does not resolve: "),
                 r->body.constData());
        QCOMPARE(rig.counted("a", 1), 1u);
        QCOMPARE(rig.counters("a").outcome(proxy::RequestOutcome::Failure), 1u);
        QCOMPARE(totals(rig).failures, 1u);
        QCOMPARE(totals(rig).successes, 0u);
        QCOMPARE(up.totalRequests(), 0);
    }

    void aNewConnectionWithinTheTtlUsesTheCachedAddresses()
    {
        NamedUpstream n("svc.test", {"127.0.0.1"});
        auto &[up, dns, rig, client] = n;
        for (int i = 0; i < 2; ++i) {
            const auto r = client.get("/a/close"); // the upstream closes: the next call needs a new connection
            QVERIFY(r);
            QCOMPARE(r->status, 200);
            QCOMPARE(r->body, QByteArray("body until close"));
        }
        QCOMPARE(up.connectionsAccepted(), 2);
        QCOMPARE(dns.lookups("svc.test"), 1);
        rig.clock.advance(std::chrono::seconds(31));
        QCOMPARE(client.get("/a/close")->status, 200);
        QCOMPARE(dns.lookups("svc.test"), 2);
        QCOMPARE(rig.counted("a", 3), 3u);
        QCOMPARE(totals(rig).successes, 3u);
    }

    void everyAddressIsTriedInTurn()
    {
        NamedUpstream n("multi.test", {"127.0.0.2", "127.0.0.1"}); // 127.0.0.2 refuses
        auto &[up, dns, rig, client] = n;
        const auto r = client.get("/a/ok");
        QVERIFY(r);
        QCOMPARE(r->status, 200);
        QCOMPARE(up.connectionsAccepted(), 1);
        QCOMPARE(up.requests("/ok"), 1);
        QCOMPARE(rig.counted("a", 1), 1u);
        QCOMPARE(totals(rig).successes, 1u);
        QCOMPARE(totals(rig).failures, 0u);
        QCOMPARE(dns.lookups("multi.test"), 1);
    }

    // An address whose listener takes no more connections (its queue is
    // full, so the kernel drops the SYN): the connect hangs, and after 2 s
    // the next address is tried, well within the service's 5 s timeout.
    void anAddressThatNeverAnswersIsLeftForTheNext()
    {
        TestUpstream up;
        const int full = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        QVERIFY(full >= 0);
        const auto closeFull = qScopeGuard([full] { ::close(full); });
        const int on = 1;
        ::setsockopt(full, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
        sockaddr_in at{};
        at.sin_family = AF_INET;
        at.sin_port = htons(up.port());
        at.sin_addr.s_addr = htonl(0x7f000002); // 127.0.0.2, the upstream's port
        QVERIFY(::bind(full, reinterpret_cast<sockaddr *>(&at), sizeof at) == 0);
        QVERIFY(::listen(full, 0) == 0);
        QTcpSocket filler; // takes the one place in the queue
        filler.connectToHost(QHostAddress(QStringLiteral("127.0.0.2")), up.port());
        QVERIFY(filler.waitForConnected(2000));

        FakeDns dns;
        dns.set(QStringLiteral("slow.test"), {QStringLiteral("127.0.0.2"), QStringLiteral("127.0.0.1")});
        ProxyRig rig(named(QStringLiteral("http://slow.test:%1/").arg(up.port()), std::chrono::milliseconds(5000)), {},
                     dns.lookup());
        HttpClient client(rig.port());
        const auto r = client.get("/a/ok", {});
        QVERIFY(r);
        QCOMPARE(r->status, 200);
        QCOMPARE(up.requests("/ok"), 1);
        QCOMPARE(rig.counted("a", 1), 1u);
        QCOMPARE(totals(rig).successes, 1u);
        QCOMPARE(totals(rig).timeouts, 0u);
    }

    void whenEveryAddressFailsTheNameIsLookedUpAgain()
    {
        NamedUpstream n("down.test", {"127.0.0.2", "127.0.0.3"});
        auto &[up, dns, rig, client] = n;
        const auto r = client.get("/a/ok");
        QVERIFY(r);
        QCOMPARE(r->status, 502);
        QVERIFY2(r->body.contains("down.test: no address took the connection: 127.0.0.2: "), r->body.constData());
        QVERIFY2(r->body.contains("; 127.0.0.3: "), r->body.constData());
        QCOMPARE(rig.counted("a", 1), 1u);
        QCOMPARE(totals(rig).failures, 1u);
        QCOMPARE(dns.lookups("down.test"), 1);
        // The name has moved: the failure dropped the old answer.
        dns.set("down.test", {"127.0.0.1"});
        const auto again = client.get("/a/ok");
        QVERIFY(again);
        QCOMPARE(again->status, 200);
        QCOMPARE(dns.lookups("down.test"), 2);
        QCOMPARE(up.requests("/ok"), 1);
        QCOMPARE(totals(rig).failures, 1u);
        QCOMPARE(totals(rig).successes, 1u);
    }
};

QTEST_GUILESS_MAIN(TestProxyNames)
#include "tst_proxy_names.moc"
