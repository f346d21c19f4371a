// Redis URLs (redis://[:password@]HOST:PORT[/DB]) and refused ones with a
// reason that never shows the password; the reconnect delays' growth, cap
// and jitter.
#include "shared/reconnectbackoff.h"
#include "shared/redisurl.h"

#include <QTest>

using namespace bb::shared;
using std::chrono::milliseconds;

class TestSharedRedisUrl : public QObject {
    Q_OBJECT
private slots:
    void goodUrls()
    {
        QString error;
        auto a = parseRedisUrl(QStringLiteral("redis://127.0.0.1:6379"), &error);
        QVERIFY2(a, qPrintable(error));
        QCOMPARE(a->host, QStringLiteral("127.0.0.1"));
        QCOMPARE(a->port, 6379);
        QCOMPARE(a->db, 0);
        QVERIFY(a->password.isEmpty());

        a = parseRedisUrl(QStringLiteral(" redis://:s%40cret@localhost:7000/3 "), &error);
        QVERIFY2(a, qPrintable(error));
        QCOMPARE(a->host, QStringLiteral("localhost"));
        QCOMPARE(a->port, 7000);
        QCOMPARE(a->db, 3);
        QCOMPARE(a->password, QByteArray("s@cret"));

        a = parseRedisUrl(QStringLiteral("REDIS://[::1]:6380/"), &error);
        QVERIFY2(a, qPrintable(error));
        QCOMPARE(a->host, QStringLiteral("::1"));
        QCOMPARE(a->db, 0);
    }

    void badUrls_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("reason");
        QTest::newRow("empty") << "  " << "empty Redis URL";
        QTest::newRow("http") << "http://127.0.0.1:6379" << "scheme \"http\" is not supported";
        QTest::newRow("no scheme") << "127.0.0.1:6379" << "no scheme";
        QTest::newRow("no host") << "redis://:6379" << "no host";
        QTest::newRow("no port") << "redis://127.0.0.1" << "no port";
        QTest::newRow("port 0") << "redis://127.0.0.1:0" << "no port";
        QTest::newRow("port too big") << "redis://:pw@127.0.0.1:70000" << "not a valid Redis URL";
        QTest::newRow("user") << "redis://admin:pw@127.0.0.1:6379" << "names a user";
        QTest::newRow("db word") << "redis://127.0.0.1:6379/main" << "database \"main\"";
        QTest::newRow("db negative") << "redis://127.0.0.1:6379/-1" << "database \"-1\"";
        QTest::newRow("db path") << "redis://127.0.0.1:6379/1/2" << "database \"1/2\"";
        QTest::newRow("query") << "redis://127.0.0.1:6379/1?timeout=3" << "query";
    }

    void badUrls()
    {
        QFETCH(QString, url);
        QFETCH(QString, reason);
        QString error;
        QVERIFY(!parseRedisUrl(url, &error));
        QVERIFY2(error.contains(reason), qPrintable(error));
        QVERIFY2(!error.contains(QStringLiteral("pw")), qPrintable(error));
    }

    void reconnectDelaysDoubleUpToTenSecondsWithJitter()
    {
        QCOMPARE(reconnectDelay(0, 0.5), milliseconds(200));
        QCOMPARE(reconnectDelay(1, 0.5), milliseconds(400));
        QCOMPARE(reconnectDelay(5, 0.5), milliseconds(6400));
        QCOMPARE(reconnectDelay(6, 0.5), milliseconds(10000));
        QCOMPARE(reconnectDelay(1000, 0.5), milliseconds(10000));
        QCOMPARE(reconnectDelay(0, 0.0), milliseconds(160));
        QCOMPARE(reconnectDelay(0, 0.999999), milliseconds(239));
        QCOMPARE(reconnectDelay(1000, 0.0), milliseconds(8000));
        QCOMPARE(reconnectDelay(1000, 1.0), milliseconds(12000));
    }
};

QTEST_GUILESS_MAIN(TestSharedRedisUrl)
#include "tst_shared_redisurl.moc"
