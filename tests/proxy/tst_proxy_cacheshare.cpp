// The cache fallback shared between instances, on the proxy's side: what a
// cache gathers for sending (coalesced per key, bounded, never echoing what
// came in), what it takes from other instances (TTL by age, never over a
// newer entry, within its limits), and one entry's encoding for the wire.
#include "proxyrig.h"

#include "proxy/cacheentrycodec.h"

#include <QCborArray>
#include <QCborMap>

#include <limits>

using namespace bb;
using namespace bb::proxy;
using namespace bb::testing;

namespace {
const TimePoint kNow{std::chrono::seconds(1000)};

CachedResponse response(const QByteArray &body, TimePoint storedAt = kNow)
{
    return {200, "OK", {{"Content-Type", "text/plain"}}, body, storedAt};
}

QStringList keysAndBodies(const CacheOutgoing &out)
{
    QStringList list;
    for (const auto &[key, r] : out.entries)
        list << QString::fromStdString(key) + '=' + QString::fromLatin1(r.body);
    return list;
}

QByteArray bodyOf(ResponseCache &cache, const std::string &key, TimePoint now = kNow)
{
    const auto r = cache.get(key, now);
    return r ? r->body : QByteArray("(none)");
}

// A valid entry as the encoder writes it, for the decoder tests to spoil.
QCborMap validEntry()
{
    const CachedResponse r{203, "Partial", {{"ETag", "\"x\""}}, QByteArray("b\0dy", 4), {}};
    return QCborValue::fromCbor(encodeCachedResponse(r, 1'700'000'000'000)).toMap();
}
} // namespace

class TestProxyCacheShare : public QObject {
    Q_OBJECT
private slots:
    void withSharingOffNothingIsGathered()
    {
        ResponseCache cache(seconds(60), 10, 1 << 20);
        cache.put("GET /a", response("a"));
        const CacheOutgoing out = cache.takeOutgoing();
        QVERIFY(out.entries.empty());
        QCOMPARE(out.dropped, 0u);
        QCOMPARE(bodyOf(cache, "GET /a"), QByteArray("a"));
    }

    void twoPutsOfOneKeyAreSentOnceWithTheLatest()
    {
        ResponseCache cache(seconds(60), 10, 1 << 20);
        cache.shareOutgoing(true);
        cache.put("GET /a", response("first"));
        cache.put("GET /b", response("b"));
        cache.put("GET /a", response("second"));
        QCOMPARE(keysAndBodies(cache.takeOutgoing()), QStringList({"GET /a=second", "GET /b=b"}));
        QVERIFY(cache.takeOutgoing().entries.empty()); // taken means cleared
        cache.put("GET /a", response("third"));
        QCOMPARE(keysAndBodies(cache.takeOutgoing()), QStringList({"GET /a=third"}));
    }

    void aKeyStoredAgainIsTheNewestAndCountsItsNewSize()
    {
        ResponseCache cache(seconds(60), 3, 1024); // each entry its body + 24 bytes
        cache.put("a", response(QByteArray(100, 'a')));
        cache.put("b", response(QByteArray(100, 'b')));
        cache.put("c", response(QByteArray(100, 'c')));
        cache.put("a", response(QByteArray(200, 'A'))); // a is now the newest, b the oldest
        cache.put("d", response("d"));
        QCOMPARE(bodyOf(cache, "b"), QByteArray("(none)"));
        QCOMPARE(bodyOf(cache, "a"), QByteArray(200, 'A'));
        QCOMPARE(bodyOf(cache, "c"), QByteArray(100, 'c'));
        // 224 + 124 + 25 bytes held; a grown to 900 passes the 1024 limit: c, the oldest, goes.
        cache.put("a", response(QByteArray(900, 'x')));
        QCOMPARE(bodyOf(cache, "c"), QByteArray("(none)"));
        QCOMPARE(bodyOf(cache, "d"), QByteArray("d"));
        QCOMPARE(bodyOf(cache, "a"), QByteArray(900, 'x'));
        // Shrunk again, it leaves room that is counted: two more fit.
        cache.put("a", response("small"));
        cache.put("e", response(QByteArray(400, 'e')));
        QCOMPARE(bodyOf(cache, "d"), QByteArray("d"));
        QCOMPARE(bodyOf(cache, "e"), QByteArray(400, 'e'));
        QCOMPARE(bodyOf(cache, "a"), QByteArray("small"));
    }

    void unsentEntriesBeyondTheEntryLimitAreDroppedAndCounted()
    {
        ResponseCache cache(seconds(60), 3, 1 << 20);
        cache.shareOutgoing(true);
        for (const char *k : {"1", "2", "3", "4", "5"})
            cache.put(k, response(k));
        CacheOutgoing out = cache.takeOutgoing();
        QCOMPARE(keysAndBodies(out), QStringList({"5=5", "4=4", "3=3"}));
        QCOMPARE(out.dropped, 2u);
        // Entries already sent leave without being counted.
        cache.put("6", response("6"));
        out = cache.takeOutgoing();
        QCOMPARE(keysAndBodies(out), QStringList({"6=6"}));
        QCOMPARE(out.dropped, 0u);
    }

    void unsentEntriesBeyondTheByteLimitAreDroppedAndCounted()
    {
        ResponseCache cache(seconds(60), 100, 1024); // each entry 300 + 2 + 22 bytes
        cache.shareOutgoing(true);
        for (const char *k : {"1", "2", "3", "4"})
            cache.put(k, response(QByteArray(300, *k)));
        const CacheOutgoing out = cache.takeOutgoing();
        QCOMPARE(out.entries.size(), 3u);
        QCOMPARE(out.entries.back().first, std::string("2"));
        QCOMPARE(out.dropped, 1u);
    }

    void turningSharingOffForgetsWhatWasUnsent()
    {
        ResponseCache cache(seconds(60), 10, 1 << 20);
        cache.shareOutgoing(true);
        cache.put("GET /a", response("a"));
        cache.shareOutgoing(false);
        cache.put("GET /b", response("b"));
        QVERIFY(cache.takeOutgoing().entries.empty());
        QCOMPARE(bodyOf(cache, "GET /a"), QByteArray("a"));
    }

    void sharedEntriesAreStoredButNeverSentBack()
    {
        ResponseCache cache(seconds(60), 10, 1 << 20);
        cache.shareOutgoing(true);
        QVERIFY(cache.putShared("GET /a", response("remote", {}), seconds(5), kNow));
        QVERIFY(cache.takeOutgoing().entries.empty());
        const auto r = cache.get("GET /a", kNow);
        QVERIFY(r);
        QCOMPARE(r->body, QByteArray("remote"));
        QVERIFY(r->storedAt == kNow - seconds(5));
        // A clock ahead of ours: taken as stored now.
        QVERIFY(cache.putShared("GET /b", response("ahead", {}), -seconds(3), kNow));
        QVERIFY(cache.get("GET /b", kNow)->storedAt == kNow);
    }

    void sharedEntriesKeepTheirAgeAgainstTheTtl()
    {
        ResponseCache cache(seconds(60), 10, 1 << 20);
        QVERIFY(!cache.putShared("GET /old", response("old", {}), seconds(61), kNow));
        QCOMPARE(bodyOf(cache, "GET /old"), QByteArray("(none)"));
        QVERIFY(cache.putShared("GET /a", response("a", {}), seconds(59), kNow));
        QCOMPARE(bodyOf(cache, "GET /a", kNow + seconds(1)), QByteArray("a"));
        QCOMPARE(bodyOf(cache, "GET /a", kNow + seconds(2)), QByteArray("(none)")); // 61 s old
    }

    void aSharedEntryNeverReplacesANewerOne()
    {
        ResponseCache cache(seconds(60), 10, 1 << 20);
        cache.shareOutgoing(true);
        cache.put("GET /a", response("local", kNow - seconds(2)));
        QVERIFY(!cache.putShared("GET /a", response("older", {}), seconds(3), kNow));
        QVERIFY(!cache.putShared("GET /a", response("as old", {}), seconds(2), kNow));
        QCOMPARE(bodyOf(cache, "GET /a"), QByteArray("local"));
        QVERIFY(cache.putShared("GET /a", response("newer", {}), seconds(1), kNow));
        QCOMPARE(bodyOf(cache, "GET /a"), QByteArray("newer"));
        // The local entry it replaced is no longer sent, nor counted as dropped.
        const CacheOutgoing out = cache.takeOutgoing();
        QVERIFY(out.entries.empty());
        QCOMPARE(out.dropped, 0u);
    }

    void sharedEntriesStayWithinTheLimits()
    {
        ResponseCache cache(seconds(60), 2, 4096);
        QVERIFY(!cache.putShared("GET /big", response(QByteArray(1025, 'x'), {}), {}, kNow)); // over maxBodyBytes
        QVERIFY(cache.putShared("GET /big", response(QByteArray(1024, 'x'), {}), {}, kNow));
        cache.put("GET /a", response("a", kNow - seconds(1)));
        cache.put("GET /b", response("b", kNow - seconds(1)));
        QCOMPARE(bodyOf(cache, "GET /big"), QByteArray("(none)")); // put first, evicted first
        // Older than everything in a full cache: nothing to evict for it.
        QVERIFY(!cache.putShared("GET /c", response("c", {}), seconds(10), kNow));
        QCOMPARE(bodyOf(cache, "GET /a"), QByteArray("a"));
        QCOMPARE(bodyOf(cache, "GET /b"), QByteArray("b"));
        // Newer than one of them: goes in by its age, and the oldest leaves.
        QVERIFY(cache.putShared("GET /c", response("c", {}), {}, kNow));
        QCOMPARE(bodyOf(cache, "GET /a"), QByteArray("(none)"));
        QCOMPARE(bodyOf(cache, "GET /c"), QByteArray("c"));
    }

    void theRouteTableListsTheCachedServices()
    {
        Configuration c;
        for (const char *name : {"a", "b", "c"}) {
            ServiceConfig s = service(name, QStringLiteral("http://127.0.0.1:1/"));
            s.fallback.strategy = *name == 'b' ? FallbackStrategy::Default : FallbackStrategy::Cache;
            c.services.push_back(s);
        }
        ManualClock clock{kNow};
        Engine engine{clock, clock};
        installConfiguration(c, engine);
        const RouteTable routes(c, engine);
        const auto cached = routes.cachedServices();
        QCOMPARE(cached.size(), 2u);
        QCOMPARE(cached[0]->config.name, std::string("a"));
        QCOMPARE(cached[1]->config.name, std::string("c"));
        QCOMPARE(&cached[1]->cache, &routes.service("c")->cache);
    }

    void aProxiedResponseIsSentAndASharedOneServed()
    {
        TestUpstream up;
        Configuration c;
        ServiceConfig s = service("c", up.url() + "/");
        s.fallback.strategy = FallbackStrategy::Cache;
        c.services.push_back(s);
        ProxyRig rig(c);
        ResponseCache &cache = rig.routes->service("c")->cache;
        cache.shareOutgoing(true);
        HttpClient client(rig.port());
        QCOMPARE(client.get("/c/ok")->body, QByteArray("ok"));
        QCOMPARE(rig.counted("c", 1), 1u); // counted after the cache has it
        QCOMPARE(keysAndBodies(cache.takeOutgoing()), QStringList({"GET /c/ok=ok"}));

        // From another instance, through the wire encoding, stored 2 s ago.
        const CachedResponse remote{200, "OK", {{"X-From", "peer"}}, "shared", {}};
        const auto decoded = decodeCachedResponse(encodeCachedResponse(remote, 50'000));
        QVERIFY(decoded);
        QVERIFY(cache.putShared("GET /c/peer", decoded->response, cacheEntryAge(decoded->storedAtWallMs, 52'000),
                                rig.clock.now()));
        rig.breaker("c").apply({OperatorAction::ForceOpen, "test", "drill", std::nullopt});
        const auto r = client.get("/c/peer");
        QVERIFY(r);
        QCOMPARE(r->body, QByteArray("shared"));
        QCOMPARE(r->header("X-From"), QByteArray("peer"));
        QCOMPARE(r->header("X-Fallback"), QByteArray("cache"));
        QCOMPARE(r->header("Age"), QByteArray("2"));
    }

    void anEntryRoundTripsEveryByte()
    {
        const QByteArray body("\0\xff\r\n\0body", 9);
        const CachedResponse r{203, "Non-Authoritative \xe9", {{"Content-Type", "x/y"}, {"X-V", "caf\xe9\t1"}}, body, {}};
        const auto decoded = decodeCachedResponse(encodeCachedResponse(r, 1'700'000'000'123));
        QVERIFY(decoded);
        QCOMPARE(decoded->storedAtWallMs, 1'700'000'000'123);
        QCOMPARE(decoded->response.status, 203);
        QCOMPARE(decoded->response.reason, r.reason);
        QVERIFY(decoded->response.fields == r.fields);
        QCOMPARE(decoded->response.body, body);
        QCOMPARE(decoded->response.body.size(), 9);
    }

    void theDecoderRefusesMalformedEntries_data()
    {
        QTest::addColumn<QByteArray>("encoded");
        const auto spoilt = [](const QString &key, const QCborValue &value) {
            QCborMap m = validEntry();
            if (value.isUndefined())
                m.remove(key);
            else
                m.insert(key, value);
            return m.toCborValue().toCbor();
        };
        const auto withField = [&](const QByteArray &name, const QByteArray &text) {
            return spoilt("fields", QCborArray{QCborArray{name, text}});
        };
        QVERIFY(decodeCachedResponse(spoilt("v", 1))); // the base itself is good
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("not CBOR") << QByteArray("\xff\xff garbage", 10);
        QTest::newRow("cut short") << validEntry().toCborValue().toCbor().chopped(3);
        QTest::newRow("bytes after the entry") << validEntry().toCborValue().toCbor() + '\0';
        QTest::newRow("an array") << QCborValue(QCborArray{1, 2}).toCbor();
        QTest::newRow("another version") << spoilt("v", 2);
        QTest::newRow("status a string") << spoilt("status", QStringLiteral("200"));
        QTest::newRow("status 99") << spoilt("status", 99);
        QTest::newRow("status 600") << spoilt("status", 600);
        QTest::newRow("status a float") << spoilt("status", 200.0);
        QTest::newRow("body as text") << spoilt("body", QStringLiteral("body"));
        QTest::newRow("no body") << spoilt("body", QCborValue());
        QTest::newRow("an unknown key") << spoilt("extra", 1);
        QTest::newRow("stored before 1970") << spoilt("stored", -1);
        QTest::newRow("reason with CR LF") << spoilt("reason", QByteArray("OK\r\nX: y"));
        QTest::newRow("reason too long") << spoilt("reason", QByteArray(513, 'r'));
        QTest::newRow("fields not a list") << spoilt("fields", QCborMap());
        QTest::newRow("field not a pair") << spoilt("fields", QCborArray{QCborArray{QByteArray("A")}});
        QTest::newRow("field as text") << spoilt("fields", QCborArray{QCborArray{QStringLiteral("A"), QStringLiteral("b")}});
        QTest::newRow("empty field name") << withField("", "v");
        QTest::newRow("name with a colon") << withField("X:Y", "v");
        QTest::newRow("name with LF") << withField("X\nY", "v");
        QTest::newRow("value with CR") << withField("X", "a\rb");
        QTest::newRow("value with NUL") << withField("X", QByteArray("a\0b", 3));
        QTest::newRow("field too long") << withField("X", QByteArray(64 << 10, 'v'));
        QCborArray many;
        for (int i = 0; i <= CacheEntryLimits::fields; ++i)
            many.append(QCborArray{QByteArray("X"), QByteArray("v")});
        QTest::newRow("too many fields") << spoilt("fields", many);
        QTest::newRow("body too large") << spoilt("body", QByteArray(CacheEntryLimits::bodyBytes + 1, 'b'));
    }

    void theDecoderRefusesMalformedEntries()
    {
        QFETCH(QByteArray, encoded);
        QVERIFY(!decodeCachedResponse(encoded));
    }

    void ageComesFromTheWallClocks()
    {
        QVERIFY(cacheEntryAge(1'000, 3'500) == ms(2'500));
        QVERIFY(cacheEntryAge(5'000, 3'500) == Duration::zero()); // a clock ahead of ours
        QVERIFY(cacheEntryAge(std::numeric_limits<std::int64_t>::min(), 3'500) > seconds(3'000'000'000LL));
    }
};

QTEST_GUILESS_MAIN(TestProxyCacheShare)
#include "tst_proxy_cacheshare.moc"
