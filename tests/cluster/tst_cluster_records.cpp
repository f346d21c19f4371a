// The records instances share: what is written reads back the same, versions
// order operator actions, and anything that is not exactly a record is
// refused with its reason.
#include "cluster/sharedrecord.h"

#include <QTest>

using namespace bb;
using namespace bb::cluster;

class TestClusterRecords : public QObject {
    Q_OBJECT
private slots:
    void forcedRecordsRoundTrip()
    {
        ForcedRecord r{true, "payment", OperatorAction::ForceOpen, "alice", "maintenance: \"db\" upgrade", 1'800'000'000'123,
                       {1'799'999'000'000, 7, "eu-1:8080"}};
        const Decoded d = decodeRecord(encode(r));
        QVERIFY2(d.record, d.error.c_str());
        QCOMPARE(std::get<ForcedRecord>(*d.record), r);
        QCOMPARE(r.field(), std::string("group/payment"));
        r.expiresAtMs.reset();
        r.isGroup = false;
        QCOMPARE(std::get<ForcedRecord>(*decodeRecord(encode(r)).record), r);
    }

    void forcesOnlyWhileForcingAndUnexpired()
    {
        ForcedRecord r{false, "a", OperatorAction::ForceClosed, "bob", "", 2000, {1, 0, "x"}};
        QVERIFY(r.forces(1999));
        QVERIFY(!r.forces(2000));
        r.expiresAtMs.reset();
        QVERIFY(r.forces(1'000'000));
        r.action = OperatorAction::Reset;
        QVERIFY(!r.forces(0));
        r.action = OperatorAction::Disable;
        QVERIFY(r.forces(0));
    }

    void policyAndAuditRecordsRoundTrip()
    {
        const PolicyRecord p{"a", QJsonObject{{"failure_threshold", 0.25}}, "carol", "calmer", {5, 1, "b"}};
        QCOMPARE(std::get<PolicyRecord>(*decodeRecord(encode(p)).record), p);
        persist::AuditEntry e{12345, "dave", "api 127.0.0.1", "breaker/a", "force_open", "why", 60, "", "c-1"};
        const Decoded d = decodeRecord(encode(AuditRecord{e}));
        QVERIFY2(d.record, d.error.c_str());
        QCOMPARE(std::get<AuditRecord>(*d.record).entry, e);
    }

    void breakerDecisionsRoundTrip()
    {
        const BreakerRecord open{"a", true, "failure rate 62.5% ≥ 50% over 16 calls", 1'800'000'000'000, 30000,
                                 {1'800'000'000'000, 4, "i1"}};
        const Decoded d = decodeRecord(encode(open));
        QVERIFY2(d.record, d.error.c_str());
        QCOMPARE(std::get<BreakerRecord>(*d.record), open);
        BreakerRecord bad = open;
        bad.cause = "because I said so";
        QVERIFY(!decodeRecord(encode(bad)).record);
    }

    void laterActionsWin()
    {
        QVERIFY((Version{10, 0, "a"} < Version{11, 0, "a"}));
        QVERIFY((Version{10, 1, "z"} < Version{10, 2, "a"}));
        QVERIFY((Version{10, 1, "a"} < Version{10, 1, "b"}));
        QVERIFY(!(Version{10, 1, "b"} < Version{10, 1, "b"}));
    }

    void malformedRecordsAreRefused_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("why");
        const QByteArray v = R"("version":{"at_ms":5,"seq":1,"instance":"b"})";
        const auto forced = [&v](const QByteArray &fields) {
            return "{\"format\":1,\"type\":\"forced\"," + fields + "," + v + "}";
        };
        const QByteArray ok = R"("target":"breaker/a","action":"force_open","actor":"x","reason":"","expires_at_ms":null)";
        QVERIFY(decodeRecord(forced(ok)).record);
        QTest::newRow("not json") << QByteArray("{\"format\":1,") << "not JSON";
        QTest::newRow("array") << QByteArray("[1]") << "not a JSON object";
        QTest::newRow("other format") << QByteArray(forced(ok)).replace("\"format\":1", "\"format\":2") << "format";
        QTest::newRow("unknown type") << QByteArray(forced(ok)).replace("forced", "rumour") << "type";
        QTest::newRow("bad target") << forced(QByteArray(ok).replace("breaker/a", "service/a")) << "target";
        QTest::newRow("empty name") << forced(QByteArray(ok).replace("breaker/a", "breaker/")) << "names nothing";
        QTest::newRow("bad action") << forced(QByteArray(ok).replace("force_open", "explode")) << "action";
        QTest::newRow("actor number") << forced(QByteArray(ok).replace("\"x\"", "7")) << "actor";
        QTest::newRow("control chars") << forced(QByteArray(ok).replace("\"x\"", "\"x\\u0007\"")) << "control";
        QTest::newRow("fractional expiry") << forced(QByteArray(ok).replace("null", "12.5")) << "expires_at_ms";
        QTest::newRow("negative expiry") << forced(QByteArray(ok).replace("null", "-3")) << "expires_at_ms";
        QTest::newRow("huge expiry") << forced(QByteArray(ok).replace("null", "1e300")) << "expires_at_ms";
        QTest::newRow("no version") << QByteArray(forced(ok)).replace(v, "\"v\":0") << "version";
        QTest::newRow("bad instance") << QByteArray(forced(ok)).replace("\"b\"}", "\"b c\"}") << "instance";
        QTest::newRow("policy not object")
            << QByteArray("{\"format\":1,\"type\":\"policy\",\"service\":\"a\",\"policy\":3,\"actor\":\"x\",\"reason\":\"\"," + v + "}")
            << "policy";
        QTest::newRow("audit without entry")
            << QByteArray(R"({"format":1,"type":"audit","instance":"b","entry":{"actor":"x"}})") << "entry";
        QTest::newRow("too large") << QByteArray(int(kMaxRecordBytes) + 1, ' ') << "larger";
    }

    void malformedRecordsAreRefused()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, why);
        const Decoded d = decodeRecord(json);
        QVERIFY(!d.record);
        QVERIFY2(QString::fromStdString(d.error).contains(why), d.error.c_str());
    }
};

QTEST_APPLESS_MAIN(TestClusterRecords)
#include "tst_cluster_records.moc"
