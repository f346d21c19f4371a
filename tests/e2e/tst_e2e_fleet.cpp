// The command line over a fleet of running instances: `status` merges their
// breakers (requests summed, an instance that is down marked and the exit
// status 2), `set` changes a breaker on every instance with the actor and the
// reason in each audit log, and bad arguments stop it before anything is sent.
#include "e2etesting.h"
#include "testupstream.h"

#include <QJsonArray>
#include <QTest>

using namespace bb::testing;

namespace {
QString configFor(const TestUpstream &up) {
    return QStringLiteral("circuit_breakers:\n"
                          "  services:\n"
                          "    svc:\n"
                          "      upstream: %1/\n"
                          "      route: /svc\n"
                          "    other:\n"
                          "      upstream: %1/\n"
                          "      route: /other\n")
        .arg(up.url());
}

struct Run {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    QJsonObject json() const { return QJsonDocument::fromJson(out).object(); }
};

Run breakerboard(const QStringList &arguments,
                 const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment()) {
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(BREAKERBOARD_BINARY), arguments);
    if (!p.waitForFinished(30000))
        p.kill();
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
            p.readAllStandardError()};
}

// Two headless instances in front of the same upstream.
struct TwoInstances {
    TestUpstream up;
    QTemporaryDir d1, d2;
    Instance a{d1, writeConfig(d1, configFor(up))};
    Instance b{d2, writeConfig(d2, configFor(up))};
    bool start() { return a.start() && b.start(); }
};

QString adminUrl(const Instance &i) {
    return QStringLiteral("http://127.0.0.1:%1").arg(i.adminPort);
}

// What the breaker counted, from its own totals.
double requestsOf(const QJsonObject &breaker) {
    const QJsonObject t = breaker.value("totals").toObject();
    return t.value("successes").toDouble() + t.value("failures").toDouble() +
           t.value("ignored").toDouble() + t.value("rejected").toDouble();
}

QJsonObject row(const QJsonArray &rows, const QString &name) {
    for (const QJsonValue &v : rows)
        if (v.toObject().value("name").toString() == name)
            return v.toObject();
    return {};
}

QJsonObject lastAudit(Instance &i) {
    const QJsonArray audit = QJsonDocument::fromJson(i.admin("GET", "/api/v1/audit")->body)
                                 .object()
                                 .value("audit")
                                 .toArray();
    return audit.isEmpty() ? QJsonObject() : audit.last().toObject();
}
} // namespace

class TestE2eFleet : public QObject {
    Q_OBJECT
private slots:
    void statusMergesTheFleet() {
        TwoInstances two;
        QVERIFY(two.start());
        Instance &a = two.a, &b = two.b;
        HttpClient toA(a.proxyPort), toB(b.proxyPort);
        for (int i = 0; i < 10; ++i)
            QCOMPARE(toA.get("/svc/ok")->status, 200);
        QCOMPARE(toA.get("/svc/status/404")->status, 404); // ignored, and counted
        QCOMPARE(toA.get("/svc/status/500")->status, 500);
        for (int i = 0; i < 4; ++i)
            QCOMPARE(toB.get("/svc/ok")->status, 200);
        // The admin API shows what the sampler took: every 100 ms.
        QTRY_COMPARE(requestsOf(a.breaker("svc")), 12.0);
        QTRY_COMPARE(requestsOf(b.breaker("svc")), 4.0);

        const Run run = breakerboard(
            {"status", "--format", "json", "--attach", adminUrl(a), "--attach", adminUrl(b)});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QJsonObject o = run.json();
        const QJsonArray instances = o.value("instances").toArray();
        QCOMPARE(instances.size(), 2);
        for (const QJsonValue &v : instances) {
            QCOMPARE(v.toObject().value("connected").toBool(), true);
            QVERIFY(v.toObject().value("error").isNull());
        }
        QCOMPARE(instances[0].toObject().value("name").toString(),
                 QStringLiteral("127.0.0.1:%1").arg(a.adminPort));
        QCOMPARE(instances[0].toObject().value("url").toString(), adminUrl(a));
        const QJsonObject svc = row(o.value("breakers").toArray(), "svc");
        QCOMPARE(svc.value("requests_total").toDouble(),
                 requestsOf(a.breaker("svc")) + requestsOf(b.breaker("svc")));
        QCOMPARE(svc.value("state").toString(), QString("closed"));
        QCOMPARE(svc.value("instances_open").toInt(), 0);
        QCOMPARE(svc.value("states").toObject().size(), 2);
        QCOMPARE(row(o.value("breakers").toArray(), "other").value("requests_total").toDouble(),
                 0.0);
    }

    void anInstanceThatIsDownIsMarked() {
        TwoInstances two;
        QVERIFY(two.start());
        Instance &a = two.a, &b = two.b;
        QCOMPARE(a.admin("POST", "/api/v1/breakers/svc/state",
                         R"({"state": "forced_open", "reason": "drill"})")
                     ->status,
                 200);
        b.process.terminate();
        QVERIFY(b.process.waitForFinished(10000));

        const QStringList attach{"--attach", adminUrl(a), "--attach", adminUrl(b)};
        Run run = breakerboard(QStringList{"status", "--format", "json"} + attach);
        QCOMPARE(run.exitCode, 2);
        const QJsonArray instances = run.json().value("instances").toArray();
        QCOMPARE(instances[0].toObject().value("connected").toBool(), true);
        QCOMPARE(instances[1].toObject().value("connected").toBool(), false);
        QCOMPARE(instances[1].toObject().value("error").toString(),
                 QStringLiteral("connection refused by 127.0.0.1:%1").arg(b.adminPort));
        const QJsonObject svc = row(run.json().value("breakers").toArray(), "svc");
        QCOMPARE(svc.value("state").toString(), QString("forced_open"));
        QCOMPARE(svc.value("instances_open").toInt(), 1);
        QCOMPARE(svc.value("states").toObject().size(), 1);

        run = breakerboard(QStringList{"status"} + attach);
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(
            run.out.contains(
                QStringLiteral("connection refused by 127.0.0.1:%1").arg(b.adminPort).toUtf8()),
            run.out.constData());
        QVERIFY2(run.out.contains("forced_open  1 of 1"), run.out.constData());
        QCOMPARE(run.err, QByteArray("breakerboard: 1 of 2 instances did not answer\n"));
    }

    void setChangesEveryInstance() {
        TwoInstances two;
        QVERIFY(two.start());
        Instance &a = two.a, &b = two.b;
        QTemporaryDir fleetDir;
        // Each instance has a token of its own: a fleet file names them.
        const QString fleet =
            writeConfig(fleetDir,
                        QStringLiteral("instances:\n"
                                       "  - {name: a, url: '%1', token_file: '%2'}\n"
                                       "  - {name: b, url: '%3', token_file: '%4'}\n")
                            .arg(adminUrl(a), two.d1.filePath("state/admin-token"), adminUrl(b),
                                 two.d2.filePath("state/admin-token")),
                        "fleet.yaml");
        Run run = breakerboard(
            {"set", "forced_open", "svc", "--reason", "x", "--actor", "alice", "--fleet", fleet});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QCOMPARE(run.out, QByteArray("breaker svc → forced_open on 2 instance(s):\n"
                                     "a  ok, now forced_open\n"
                                     "b  ok, now forced_open\n"));
        for (Instance *i : {&a, &b}) {
            QCOMPARE(i->breaker("svc").value("state").toString(), QString("forced_open"));
            const QJsonObject entry = lastAudit(*i);
            QCOMPARE(entry.value("action").toString(), QString("force_open"));
            QCOMPARE(entry.value("target").toString(), QString("breaker/svc"));
            QCOMPARE(entry.value("actor").toString(), QString("alice"));
            QCOMPARE(entry.value("reason").toString(), QString("x"));
        }

        // The actor is the user at the host unless named.
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("USER", "tester");
        env.insert("HOSTNAME", "box");
        run = breakerboard({"set", "closed", "svc", "--reason", "drill over", "--fleet", fleet,
                            "--format", "json"},
                           env);
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QCOMPARE(run.json().value("results").toArray().size(), 2);
        QCOMPARE(run.json().value("results").toArray()[1].toObject().value("state").toString(),
                 QString("closed"));
        for (Instance *i : {&a, &b}) {
            QCOMPARE(i->breaker("svc").value("state").toString(), QString("closed"));
            QCOMPARE(lastAudit(*i).value("actor").toString(), QString("tester@box"));
        }

        // An instance without the breaker says so; the others still make the change.
        run = breakerboard({"set", "disabled", "group/g", "--reason", "x", "--fleet", fleet});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.out.contains("a  not found there: no group named 'g'"), run.out.constData());
    }

    void badArgumentsStopBeforeAnythingIsSent_data() {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("error");
        const QStringList attach{"--attach", "http://127.0.0.1:1"};
        const QStringList token{"--token-file", "/dev/null"};
        QTest::newRow("unknown state")
            << QStringList{"set", "ajar", "svc", "--reason", "x"} + attach + token
            << "unknown state 'ajar'; one of forced_open, forced_closed, disabled, "
               "half_open, closed";
        QTest::newRow("no reason")
            << QStringList{"set", "forced_open", "svc"} + attach + token
            << "set needs --reason TEXT: it goes into every instance's audit log";
        QTest::newRow("bad expires-in")
            << QStringList{"set", "forced_open", "svc", "--reason", "x", "--expires-in", "soon"} +
                   attach + token
            << "--expires-in must be a whole number of seconds from 1 to 2592000 (30 "
               "days), got 'soon'";
        QTest::newRow("expires-in on a reset")
            << QStringList{"set", "closed", "svc", "--reason", "x", "--expires-in", "60"} + attach +
                   token
            << "--expires-in applies only to forced_open, forced_closed and disabled";
        QTest::newRow("no target")
            << QStringList{"set", "forced_open", "--reason", "x"} + attach + token
            << "usage: breakerboard set STATE TARGET --reason TEXT --attach URL ... (see set "
               "--help)";
        QTest::newRow("no instances")
            << QStringList{"set", "forced_open", "svc", "--reason", "x"} + token
            << "no instances: give --attach URL (repeatable) or --fleet FILE";
        QTest::newRow("no token")
            << QStringList{"set", "forced_open", "svc", "--reason", "x"} + attach
            << "set needs the admin token: give --token-file FILE (instance 127.0.0.1:1 has "
               "none)";
        QTest::newRow("a URL without a port")
            << QStringList{"status", "--attach", "http://h"}
            << "--attach http://h: the URL needs a port, such as http://h:9901";
        QTest::newRow("format") << QStringList{"status", "--format", "yaml"} + attach
                                << "--format must be text or json, got 'yaml'";
        QTest::newRow("set's options")
            << QStringList{"status", "--reason", "x"} + attach
            << "Unknown option 'reason' (see breakerboard status --help)";
        QTest::newRow("the same instance twice")
            << QStringList{"status"} + attach + attach
            << "instance 127.0.0.1:1 (http://127.0.0.1:1) is given twice";
    }
    void badArgumentsStopBeforeAnythingIsSent() {
        QFETCH(QStringList, arguments);
        QFETCH(QString, error);
        const Run run = breakerboard(arguments);
        QCOMPARE(run.exitCode, 1);
        QCOMPARE(QString::fromUtf8(run.err), "breakerboard: " + error + "\n");
        QCOMPARE(run.out, QByteArray());
    }

    void aBadFleetFileIsShownWhereItIsWrong() {
        QTemporaryDir dir;
        const QString fleet =
            writeConfig(dir, "instances:\n  - name: a\n    url: http://127.0.0.1\n", "fleet.yaml");
        const Run run = breakerboard({"status", "--fleet", fleet});
        QCOMPARE(run.exitCode, 1);
        QCOMPARE(QString::fromUtf8(run.err),
                 fleet +
                     ":3:10: url 'http://127.0.0.1' needs a port, such as http://127.0.0.1:9901\n"
                     "breakerboard: --fleet " +
                     fleet + ": 1 error(s)\n");
    }

    void helpForBothCommands() {
        Run run = breakerboard({"status", "--help"});
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.out.contains("requests_total"));
        QVERIFY(run.out.contains("--attach <URL>"));
        run = breakerboard({"set", "--help"});
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.out.contains("group/NAME"));
        QVERIFY(run.out.contains("--expires-in <S>"));
        run = breakerboard({"--help"});
        QVERIFY(run.out.contains("status --attach URL"));
    }
};

QTEST_GUILESS_MAIN(TestE2eFleet)
#include "tst_e2e_fleet.moc"
