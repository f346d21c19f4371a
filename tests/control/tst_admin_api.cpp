// The admin API over real sockets: every endpoint, the token, bad requests of
// every kind (400/401/404/405/413/422, state untouched), and the event stream.
#include "apirig.h"

#include "control/admintoken.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSysInfo>
#include <QTemporaryDir>

using namespace bb;
using namespace bb::control;
using namespace bb::testing;

namespace {
// A reader of the event stream, as a dashboard that reconnects would be.
struct StreamReader {
    StreamReader(quint16 port, const QByteArray &fields = {}, const QByteArray &query = {}) : client(port, true)
    {
        client.send("GET /api/v1/events" + query + " HTTP/1.1\r\nHost: x\r\n" + fields + "\r\n");
    }
    bool waitFor(const QByteArray &text, int timeoutMs = 3000)
    {
        QElapsedTimer t;
        t.start();
        while (!seen.contains(text) && t.elapsed() < timeoutMs) {
            client.socket().waitForReadyRead(20);
            seen += client.socket().readAll();
            QCoreApplication::processEvents();
        }
        return seen.contains(text);
    }
    // The events before the first snapshot: what the reader caught up on.
    QByteArray beforeSnapshot() const { return seen.left(seen.indexOf("event: snapshot")); }
    QByteArray lastId() const
    {
        const qsizetype at = seen.lastIndexOf("id: ");
        return at < 0 ? QByteArray() : seen.mid(at + 4, seen.indexOf('\n', at) - at - 4);
    }
    HttpClient client;
    QByteArray seen;
};

QJsonObject jsonOf(const std::optional<Response> &r)
{
    return r ? QJsonDocument::fromJson(r->body).object() : QJsonObject();
}

QString firstField(const std::optional<Response> &r)
{
    return jsonOf(r).value("errors").toArray().at(0).toObject().value("field").toString();
}
} // namespace

class TestAdminApi : public QObject {
    Q_OBJECT
private slots:
    void readEndpoints()
    {
        ApiRig api;
        auto r = api.send("GET", "/healthz", {}, {});
        QCOMPARE(r->status, 200);
        QCOMPARE(jsonOf(r).value("status").toString(), QString("ok"));

        r = api.send("GET", "/api/v1/breakers", {}, {});
        QCOMPARE(r->status, 200);
        QCOMPARE(r->header("Content-Type"), QByteArray("application/json"));
        const QJsonArray breakers = jsonOf(r).value("breakers").toArray();
        QCOMPARE(breakers.size(), 2);
        QCOMPARE(breakers[0].toObject().value("name").toString(), QString("a"));
        QCOMPARE(breakers[0].toObject().value("state").toString(), QString("closed"));
        QCOMPARE(breakers[0].toObject().value("policy").toObject().value("failure_threshold").toDouble(), 0.5);
        QCOMPARE(breakers[0].toObject().value("policy").toObject().value("window").toObject().value("type").toString(),
                 QString("count"));

        r = api.send("GET", "/api/v1/groups/g", {}, {});
        QCOMPARE(r->status, 200);
        QCOMPARE(jsonOf(r).value("members").toArray().size(), 2);
        QCOMPARE(jsonOf(r).value("group_threshold").toDouble(), 0.5);
        QCOMPARE(api.send("GET", "/api/v1/groups", {}, {})->status, 200);

        r = api.send("GET", "/metrics", {}, {});
        QCOMPARE(r->status, 200);
        QCOMPARE(r->header("Content-Type"), QByteArray("text/plain; version=0.0.4; charset=utf-8"));
        QVERIFY(r->body.contains("circuit_breaker_state{circuit_breaker=\"a\"} 0"));

        r = api.send("HEAD", "/api/v1/breakers", {}, {});
        QCOMPARE(r->status, 200);
        QVERIFY(r->body.isEmpty());
    }

    void theInstanceSaysWhatItIs()
    {
        ApiRig api;
        auto r = api.send("GET", "/api/v1/instance", {}, {});
        QCOMPARE(r->status, 200);
        const QJsonObject o = jsonOf(r);
        QCOMPARE(o.value("product").toString(), QString("breakerboard"));
        QCOMPARE(o.value("api").toInt(), 1);
        QCOMPARE(o.value("version").toString(), QString(BREAKERBOARD_VERSION));
        QCOMPARE(o.value("host").toString(), QSysInfo::machineHostName());
        QCOMPARE(o.size(), 4);
        QCOMPARE(api.send("POST", "/api/v1/instance", "{}")->status, 405);

        // Off loopback it needs the token, as every read does.
        ApiRig guarded(true);
        QCOMPARE(guarded.send("GET", "/api/v1/instance", {}, {})->status, 401);
        QCOMPARE(guarded.send("GET", "/api/v1/instance")->status, 200);
    }

    void aBreakerComesWithItsRecentTransitions()
    {
        ApiRig api;
        auto b = api.rig.engine.breaker("b");
        for (int i = 0; i < 4; ++i)
            b->record(b->tryAcquire(), Outcome::Failure, std::chrono::milliseconds(1));
        api.rig.control->sample();
        const auto r = api.send("GET", "/api/v1/breakers/b", {}, {});
        QCOMPARE(r->status, 200);
        const QJsonObject o = jsonOf(r);
        QCOMPARE(o.value("state").toString(), QString("open"));
        QCOMPARE(o.value("failure_rate").toDouble(), 100.0);
        QCOMPARE(o.value("next_trial_in_s").toDouble(), 10.0);
        const QJsonObject t = o.value("transitions").toArray().at(0).toObject();
        QCOMPARE(t.value("from").toString(), QString("closed"));
        QCOMPARE(t.value("to").toString(), QString("open"));
        QCOMPARE(t.value("cause").toObject().value("text").toString(), QString("failure rate 100% ≥ 50% over 4 calls"));
        QCOMPARE(t.value("window").toObject().value("failures").toInt(), 4);

        const auto all = api.send("GET", "/api/v1/transitions?limit=5", {}, {});
        QCOMPARE(jsonOf(all).value("transitions").toArray().size(), 1);
    }

    void unknownNamesAndEndpoints()
    {
        ApiRig api;
        auto r = api.send("GET", "/api/v1/breakers/nope", {}, {});
        QCOMPARE(r->status, 404);
        QCOMPARE(jsonOf(r).value("error").toString(), QString("no breaker named 'nope'"));
        QCOMPARE(api.send("GET", "/api/v1/groups/nope", {}, {})->status, 404);
        QCOMPARE(api.send("GET", "/api/v2/breakers", {}, {})->status, 404);
        QCOMPARE(api.send("GET", "/nothing", {}, {})->status, 404);
        QCOMPARE(api.send("GET", "/api/v1/breakers/a/state/x", {}, {})->status, 404);
        QCOMPARE(api.send("PATCH", "/api/v1/groups/g/policy", "{}")->status, 404);
        QCOMPARE(api.send("POST", "/api/v1/breakers/nope/state", "{\"state\": \"forced_open\"}")->status, 404);
        QCOMPARE(api.send("PATCH", "/api/v1/breakers/nope/policy", "{\"failure_threshold\": 0.3}")->status, 404);

        r = api.send("DELETE", "/api/v1/breakers/a");
        QCOMPARE(r->status, 405);
        QCOMPARE(r->header("Allow"), QByteArray("GET, HEAD"));
        QCOMPARE(api.send("GET", "/api/v1/breakers/a/state", {}, {})->status, 405);
        QCOMPARE(api.send("POST", "/healthz", "")->status, 405);
        QCOMPARE(api.send("GET", "/api/v1/audit?limit=0", {}, {})->status, 400);
        QCOMPARE(api.send("GET", "/api/v1/audit?limit=x", {}, {})->status, 400);
        // A percent-encoded name is decoded.
        QCOMPARE(api.send("GET", "/api/v1/breakers/%61", {}, {})->status, 200);
    }

    void changesNeedTheToken()
    {
        ApiRig api;
        const QByteArray body = "{\"state\": \"forced_open\"}";
        auto r = api.send("POST", "/api/v1/breakers/a/state", body, {});
        QCOMPARE(r->status, 401);
        QCOMPARE(r->header("WWW-Authenticate"), QByteArray("Bearer"));
        QCOMPARE(api.send("POST", "/api/v1/breakers/a/state", body, "Authorization: Bearer wrong\r\n")->status, 401);
        QCOMPARE(api.send("POST", "/api/v1/breakers/a/state", body, "Authorization: " + kToken + "\r\n")->status, 401);
        QCOMPARE(api.send("PATCH", "/api/v1/breakers/a/policy", "{\"failure_threshold\": 0.3}", {})->status, 401);
        QCOMPARE(api.rig.state("a"), BreakerState::Closed);
        QCOMPARE(api.rig.engine.breaker("a")->policy().failureRateThreshold, 50.0);
        QVERIFY(api.rig.control->audit(10).empty());
    }

    void readsNeedTheTokenOffLoopback()
    {
        ApiRig api(true);
        QCOMPARE(api.send("GET", "/api/v1/breakers", {}, {})->status, 401);
        QCOMPARE(api.send("GET", "/metrics", {}, {})->status, 401);
        QCOMPARE(api.send("GET", "/api/v1/breakers")->status, 200);
    }

    void stateChanges()
    {
        ApiRig api;
        auto r = api.send("POST", "/api/v1/breakers/a/state",
                          "{\"state\": \"forced_open\", \"reason\": \"deploy\", \"expires_in_s\": 300, \"actor\": \"alice\"}");
        QCOMPARE(r->status, 200);
        QCOMPARE(jsonOf(r).value("state").toString(), QString("forced_open"));
        QCOMPARE(jsonOf(r).value("expires_in_s").toDouble(), 300.0);
        QCOMPARE(jsonOf(r).value("cause").toObject().value("reason").toString(), QString("deploy"));
        QCOMPARE(api.rig.state("a"), BreakerState::ForcedOpen);
        const auto entry = api.rig.control->audit(1).at(0);
        QCOMPARE(entry.actor, std::string("alice"));
        QCOMPARE(entry.origin, std::string("api 127.0.0.1"));

        QCOMPARE(api.send("POST", "/api/v1/breakers/a/state", "{\"state\": \"closed\"}")->status, 200);
        QCOMPARE(api.rig.state("a"), BreakerState::Closed);
        QCOMPARE(api.rig.control->audit(1).at(0).actor, std::string("admin-api"));
        QCOMPARE(api.send("POST", "/api/v1/breakers/b/state", "{\"state\": \"half_open\"}")->status, 200);
        QCOMPARE(api.rig.state("b"), BreakerState::HalfOpen);
        QCOMPARE(api.send("POST", "/api/v1/breakers/b/state", "{\"state\": \"disabled\"}")->status, 200);
        QCOMPARE(api.rig.state("b"), BreakerState::Disabled);
        QCOMPARE(api.send("POST", "/api/v1/groups/g/state", "{\"state\": \"forced_open\", \"reason\": \"x\"}")->status, 200);
        QCOMPARE(api.rig.engine.group("g")->state(), BreakerState::ForcedOpen);

        const auto audit = api.send("GET", "/api/v1/audit?limit=2", {}, {});
        const QJsonArray entries = jsonOf(audit).value("audit").toArray();
        QCOMPARE(entries.size(), 2);
        QCOMPARE(entries[1].toObject().value("target").toString(), QString("group/g"));
    }

    void badStateRequestsAreRefusedWithReasons_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("field");
        QTest::newRow("not json") << QByteArray("{\"state\": ") << 400 << QString();
        QTest::newRow("empty") << QByteArray() << 400 << QString();
        QTest::newRow("an array") << QByteArray("[\"forced_open\"]") << 400 << QString();
        QTest::newRow("no state") << QByteArray("{\"reason\": \"x\"}") << 422 << "state";
        QTest::newRow("unknown state") << QByteArray("{\"state\": \"open\"}") << 422 << "state";
        QTest::newRow("state a number") << QByteArray("{\"state\": 1}") << 422 << "state";
        QTest::newRow("reason a number") << QByteArray("{\"state\": \"forced_open\", \"reason\": 5}") << 422 << "reason";
        QTest::newRow("expiry a string") << QByteArray("{\"state\": \"forced_open\", \"expires_in_s\": \"60\"}") << 422
                                         << "expires_in_s";
        QTest::newRow("expiry negative") << QByteArray("{\"state\": \"forced_open\", \"expires_in_s\": -5}") << 422
                                         << "expires_in_s";
        QTest::newRow("expiry a fraction") << QByteArray("{\"state\": \"forced_open\", \"expires_in_s\": 1.5}") << 422
                                           << "expires_in_s";
        QTest::newRow("expiry too long") << QByteArray("{\"state\": \"forced_open\", \"expires_in_s\": 99999999}") << 422
                                         << "expires_in_s";
        QTest::newRow("expiry on a reset") << QByteArray("{\"state\": \"closed\", \"expires_in_s\": 60}") << 422
                                           << "expires_in_s";
        QTest::newRow("unknown field") << QByteArray("{\"state\": \"forced_open\", \"until\": 5}") << 422 << "until";
        QTest::newRow("empty actor") << QByteArray("{\"state\": \"forced_open\", \"actor\": \"\"}") << 422 << "actor";
    }

    void badStateRequestsAreRefusedWithReasons()
    {
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(QString, field);
        ApiRig api;
        const auto r = api.send("POST", "/api/v1/breakers/a/state", body);
        QVERIFY(r);
        QCOMPARE(r->status, status);
        QVERIFY(!jsonOf(r).value("error").toString().isEmpty());
        if (!field.isEmpty())
            QCOMPARE(firstField(r), field);
        QCOMPARE(api.rig.state("a"), BreakerState::Closed);
        QVERIFY(api.rig.control->audit(10).empty());
        // The server is still there.
        QCOMPARE(api.send("GET", "/healthz", {}, {})->status, 200);
    }

    void aGroupCannotBeDisabled()
    {
        ApiRig api;
        const auto r = api.send("POST", "/api/v1/groups/g/state", "{\"state\": \"disabled\"}");
        QCOMPARE(r->status, 422);
        QCOMPARE(firstField(r), QString("state"));
    }

    void policyEdits()
    {
        ApiRig api;
        auto r = api.send("PATCH", "/api/v1/breakers/a/policy",
                          "{\"failure_threshold\": 0.25, \"half_open\": {\"permitted_calls\": 5}, \"reason\": \"tighter\"}");
        QCOMPARE(r->status, 200);
        QCOMPARE(jsonOf(r).value("policy").toObject().value("failure_threshold").toDouble(), 0.25);
        QCOMPARE(jsonOf(r).value("window_reset").toBool(), false);
        QCOMPARE(api.rig.engine.breaker("a")->policy().halfOpenPermittedCalls, 5u);
        QCOMPARE(api.rig.control->audit(1).at(0).reason, std::string("tighter"));

        r = api.send("PATCH", "/api/v1/breakers/a/policy", "{\"volume_threshold\": 2, \"apply\": \"reset_window\"}");
        QCOMPARE(r->status, 200);
        QCOMPARE(jsonOf(r).value("window_reset").toBool(), true);

        r = api.send("PATCH", "/api/v1/breakers/a/policy", "{\"failure_threshold\": 2, \"half_open\": {\"permitted_calls\": \"x\"}}");
        QCOMPARE(r->status, 422);
        const QJsonArray errors = jsonOf(r).value("errors").toArray();
        QCOMPARE(errors.size(), 2);
        QCOMPARE(errors[0].toObject().value("field").toString(), QString("failure_threshold"));
        QCOMPARE(errors[0].toObject().value("message").toString(), QString("failure_threshold must be between 0 and 1, got 2"));
        QCOMPARE(errors[1].toObject().value("field").toString(), QString("half_open.permitted_calls"));
        QCOMPARE(api.send("PATCH", "/api/v1/breakers/a/policy", "{\"apply\": \"later\", \"volume_threshold\": 3}")->status, 422);
        QCOMPARE(firstField(api.send("PATCH", "/api/v1/breakers/a/policy", "{\"reason\": \"nothing\"}")), QString("body"));
        QCOMPARE(firstField(api.send("PATCH", "/api/v1/breakers/a/policy", "{\"upstream\": \"http://x\"}")), QString("upstream"));
        QCOMPARE(api.send("PATCH", "/api/v1/breakers/a/policy", "failure_threshold: 0.3")->status, 400);
        QCOMPARE(api.rig.engine.breaker("a")->policy().failureRateThreshold, 25.0);
        QCOMPARE(api.rig.engine.breaker("a")->policy().minimumCalls, 2u);
    }

    void malformedHttpAndOversizedBodies()
    {
        ApiRig api;
        HttpClient garbage(api.server.port(), true);
        garbage.send("BREW /pot HTCPCP/1.0 \r\n\r\n");
        auto r = garbage.read();
        QVERIFY(r);
        QCOMPARE(r->status, 400);
        QVERIFY(garbage.waitClosed());

        HttpClient big(api.server.port(), true);
        big.send("POST /api/v1/breakers/a/state HTTP/1.1\r\nHost: x\r\n" + kAuth + "Content-Length: 2000000\r\n\r\n");
        r = big.read();
        QVERIFY(r);
        QCOMPARE(r->status, 413);

        HttpClient headers(api.server.port(), true);
        headers.send("GET /healthz HTTP/1.1\r\nX-Big: " + QByteArray(20000, 'x') + "\r\n\r\n");
        r = headers.read();
        QVERIFY(r);
        QCOMPARE(r->status, 431);
        QCOMPARE(api.rig.state("a"), BreakerState::Closed);

        // Keep-alive: several requests on one connection.
        HttpClient client(api.server.port(), true);
        QCOMPARE(client.get("/healthz")->status, 200);
        QCOMPARE(client.get("/api/v1/breakers/a")->status, 200);
        QCOMPARE(client.request("POST", "/api/v1/breakers/a/state", "{\"state\":\"forced_open\"}", kAuth)->status, 200);
        QCOMPARE(api.rig.state("a"), BreakerState::ForcedOpen);
    }

    void theEventStreamCarriesTransitionsActionsAndSnapshots()
    {
        ApiRig api;
        StreamReader stream(api.server.port());
        QVERIFY(stream.waitFor("event: snapshot\ndata: {"));
        QVERIFY(stream.seen.startsWith("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"));
        QCOMPARE(api.server.streamCount(), 1);

        QCOMPARE(api.send("POST", "/api/v1/breakers/a/state", "{\"state\":\"forced_open\",\"reason\":\"drill\"}")->status, 200);
        QVERIFY(stream.waitFor("event: operator_action\ndata: {\"action\":\"force_open\""));
        QVERIFY(stream.waitFor("event: transition\ndata: {\"breaker\":\"a\","));
        QVERIFY(stream.seen.contains("\"to\":\"forced_open\""));
        // Then an update a second with what changed: the breaker forced open,
        // and after it, with nothing changed, only the time.
        QVERIFY(stream.waitFor("event: update\ndata: {\"breakers\":[{"));
        QVERIFY(stream.waitFor("\"state\":\"forced_open\""));
        const qsizetype at = stream.seen.lastIndexOf("event: update");
        QVERIFY(stream.waitFor("event: update\ndata: {\"time_ms\":", 3000));
        QVERIFY(stream.seen.indexOf("event: update\ndata: {\"time_ms\":") > at);
        QCOMPARE(stream.seen.count("event: snapshot"), 1);

        stream.client.socket().disconnectFromHost();
        QTRY_COMPARE(api.server.streamCount(), 0);
    }

    // Events carry ids; a reader that comes back with the last one it saw
    // gets what it missed, before a fresh snapshot, or a gap when the kept
    // events no longer reach back that far or the id is of another run.
    void aReaderThatComesBackCatchesUpOrIsToldOfTheGap()
    {
        ApiRig api;
        api.server.setKeptEvents(4);
        const auto act = [&](const char *state) {
            return api.send("POST", "/api/v1/breakers/a/state",
                            QByteArray("{\"state\":\"") + state + "\",\"reason\":\"drill\"}")
                ->status;
        };
        QByteArray lastSeen;
        {
            StreamReader first(api.server.port());
            QVERIFY(first.waitFor("event: snapshot"));
            QCOMPARE(act("forced_open"), 200);
            QVERIFY(first.waitFor("\"to\":\"forced_open\""));
            QVERIFY(first.waitFor("event: operator_action"));
            lastSeen = first.lastId();
            QVERIFY(lastSeen.endsWith("-2"));
        }
        QTRY_COMPARE(api.server.streamCount(), 0);

        // Missed while away: a reset (an operator action and a transition).
        QCOMPARE(act("closed"), 200);
        StreamReader back(api.server.port(), "Last-Event-ID: " + lastSeen + "\r\n");
        QVERIFY(back.waitFor("event: snapshot"));
        const QByteArray caught = back.beforeSnapshot();
        QCOMPARE(caught.count("\nevent: "), 2);
        QVERIFY(caught.contains("\"to\":\"closed\""));
        QVERIFY(caught.contains("\"action\":\"reset\""));
        QVERIFY(!caught.contains("event: gap"));
        QVERIFY(!caught.contains("forced_open\",\"from")); // nothing it had seen already
        const QByteArray run = lastSeen.left(lastSeen.indexOf('-'));
        QVERIFY(caught.contains("id: " + run + "-3\n"));
        QVERIFY(caught.contains("id: " + run + "-4\n"));

        // Three more actions while another reader is away: six events, four kept.
        for (const char *state : {"forced_open", "closed", "forced_open"})
            QCOMPARE(act(state), 200);
        StreamReader late(api.server.port(), "Last-Event-ID: " + run + "-4\r\n");
        QVERIFY(late.waitFor("event: snapshot"));
        QVERIFY(late.beforeSnapshot().contains("event: gap\ndata: {\"last_event_id\":\"" + run + "-4\""));
        QVERIFY(!late.beforeSnapshot().contains("event: transition"));
        QVERIFY(late.waitFor("\"state\":\"forced_open\"")); // the snapshot tells where things are

        StreamReader stranger(api.server.port(), "Last-Event-ID: " + run + "x-1\r\n");
        QVERIFY(stranger.waitFor("event: snapshot"));
        QVERIFY(stranger.beforeSnapshot().contains("not an id of this run"));
    }

    // Updates come at the rate a reader asks for: between two of a
    // once-a-second reader's updates, a ten-a-second reader gets ten.
    void aReaderChoosesItsUpdateRate()
    {
        ApiRig api;
        for (const char *bad : {"0", "11", "fast", "-1", ""}) {
            const auto r = api.send("GET", QByteArray("/api/v1/events?rate=") + bad, {}, {});
            QVERIFY(r);
            QCOMPARE(r->status, 400);
            QVERIFY(jsonOf(r).value("error").toString().contains("rate"));
        }
        QCOMPARE(api.server.streamCount(), 0);

        StreamReader tenASecond(api.server.port(), {}, "?rate=10");
        StreamReader once(api.server.port());
        QVERIFY(tenASecond.waitFor("event: snapshot"));
        QVERIFY(once.waitFor("event: snapshot"));
        const auto updates = [](StreamReader &reader) {
            reader.waitFor("never sent", 20);
            return reader.seen.count("event: update");
        };
        QTRY_VERIFY_WITH_TIMEOUT(updates(once) >= 1, 5000);
        const qsizetype fastAtFirst = updates(tenASecond);
        QTRY_VERIFY_WITH_TIMEOUT(updates(once) >= 2, 5000);
        // Written before the slow reader's second update, so already on its way.
        QTRY_VERIFY_WITH_TIMEOUT(updates(tenASecond) >= fastAtFirst + 9, 5000);
        QCOMPARE(once.seen.count("event: snapshot"), 1);
    }

    void theTokenIsGeneratedOnceWithMode0600()
    {
        QTemporaryDir dir;
        const AdminToken first = loadAdminToken({}, dir.path());
        QVERIFY(first.error.isEmpty());
        QVERIFY(first.generated);
        QCOMPARE(first.token.size(), 64);
        QCOMPARE(QFile(first.path).permissions() & (QFileDevice::ReadGroup | QFileDevice::ReadOther | QFileDevice::WriteOther),
                 QFileDevice::Permissions());
        const AdminToken second = loadAdminToken({}, dir.path());
        QVERIFY(!second.generated);
        QCOMPARE(second.token, first.token);

        writeAll(dir.filePath("short"), "abc\n");
        QVERIFY(loadAdminToken(dir.filePath("short"), dir.path()).error.contains("at least 16 characters"));
        QVERIFY(loadAdminToken(dir.filePath("missing"), dir.path()).error.contains("cannot read"));
        writeAll(dir.filePath("given"), kToken + "\n");
        QCOMPARE(loadAdminToken(dir.filePath("given"), dir.path()).token, kToken);
    }
};

QTEST_GUILESS_MAIN(TestAdminApi)
#include "tst_admin_api.moc"
