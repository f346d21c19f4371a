// Subscriptions on a real redis-server: channel and pattern messages arrive
// as signals, and after the server is killed and started again the
// subscriber subscribes again by itself and receives again.
#include "redisprocess.h"
#include "redisreplies.h"

#include "shared/redissubscriber.h"

#include <QSignalSpy>
#include <QTest>

using namespace bb::shared;
using namespace bb::testing;
using State = RedisConnection::State;

class TestSharedSubscriber : public QObject {
    Q_OBJECT
private slots:
    void messagesArriveAndSurviveARestart()
    {
        SKIP_WITHOUT_REDIS();
        RedisProcess redis("pw");
        QVERIFY2(redis.started(), qPrintable(redis.error()));
        RedisSubscriber subscriber;
        QSignalSpy messages(&subscriber, &RedisSubscriber::message);
        subscriber.subscribe("news");
        subscriber.connectTo(QStringLiteral("127.0.0.1"), redis.port(), "pw");
        subscriber.psubscribe("alerts.*"); // after connectTo: sent once connected
        RedisConnection publisher;
        publisher.connectTo(QStringLiteral("127.0.0.1"), redis.port(), 0, "pw");
        QTRY_VERIFY(subscriber.isActive("news") && subscriber.isActive("alerts.*"));
        QTRY_COMPARE(publisher.state(), State::Connected);

        QCOMPARE(call(publisher, {"PUBLISH", "news", "hello"}).integer, 1);
        QCOMPARE(call(publisher, {"PUBLISH", "alerts.cpu", QByteArray("hot\0!", 5)}).integer, 1);
        QCOMPARE(call(publisher, {"PUBLISH", "other", "unheard"}).integer, 0);
        QTRY_COMPARE(messages.count(), 2);
        QCOMPARE(messages.at(0), (QList<QVariant>{QByteArray("news"), QByteArray("hello")}));
        QCOMPARE(messages.at(1), (QList<QVariant>{QByteArray("alerts.cpu"), QByteArray("hot\0!", 5)}));

        redis.kill();
        QTRY_COMPARE(subscriber.state(), State::Disconnected);
        QVERIFY(!subscriber.isActive("news"));
        QVERIFY2(redis.start(), qPrintable(redis.error()));
        QTRY_VERIFY_WITH_TIMEOUT(subscriber.isActive("news") && subscriber.isActive("alerts.*"), 15000);
        QTRY_COMPARE_WITH_TIMEOUT(publisher.state(), State::Connected, 15000);

        QCOMPARE(call(publisher, {"PUBLISH", "news", "again"}).integer, 1);
        QCOMPARE(call(publisher, {"PUBLISH", "alerts.disk", "full"}).integer, 1);
        QTRY_COMPARE(messages.count(), 4);
        QCOMPARE(messages.at(2), (QList<QVariant>{QByteArray("news"), QByteArray("again")}));
        QCOMPARE(messages.at(3), (QList<QVariant>{QByteArray("alerts.disk"), QByteArray("full")}));
    }
};

QTEST_GUILESS_MAIN(TestSharedSubscriber)
#include "tst_shared_subscriber.moc"
