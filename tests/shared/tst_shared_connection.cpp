// A connection to a real redis-server: replies of every kind, AUTH and
// SELECT, a command that times out, a server killed and started again, and
// the rule that every callback is answered exactly once (and never after
// the connection is gone).
#include "redisprocess.h"
#include "redisreplies.h"

#include "shared/redisconnection.h"

#include <QSignalSpy>
#include <QTest>
#include <memory>

using namespace bb::shared;
using namespace bb::testing;
using State = RedisConnection::State;
using namespace std::chrono_literals;

namespace {
constexpr int kReconnectWait = 15000; // QTRY's limit; it returns as soon as it holds

// Counts the answers each command got.
struct Answers {
    std::shared_ptr<std::vector<QList<RedisReply>>> got = std::make_shared<std::vector<QList<RedisReply>>>();
    RedisConnection::Callback next()
    {
        got->emplace_back();
        return [got = got, i = got->size() - 1](const RedisReply &r) { (*got)[i].append(r); };
    }
    bool allAnswered() const
    {
        return std::all_of(got->begin(), got->end(), [](const auto &l) { return !l.isEmpty(); });
    }
};
} // namespace

class TestSharedConnection : public QObject {
    Q_OBJECT
private slots:
    void repliesOfEveryKind()
    {
        SKIP_WITHOUT_REDIS();
        RedisProcess redis;
        QVERIFY2(redis.started(), qPrintable(redis.error()));
        RedisConnection c;
        c.connectTo(QStringLiteral("127.0.0.1"), redis.port());
        QTRY_COMPARE(c.state(), State::Connected);

        const QByteArray binary("a\0b\r\nc", 6);
        RedisReply ok = call(c, {"SET", "k", binary});
        QCOMPARE(ok.type, RedisReply::Type::Status);
        QCOMPARE(ok.text, QByteArray("OK"));
        QCOMPARE(call(c, {"GET", "k"}), str(binary));
        QVERIFY(call(c, {"GET", "missing"}).isNil());
        QCOMPARE(call(c, {"INCR", "n"}).integer, 1);
        const RedisReply two = call(c, {"INCR", "n"});
        QCOMPARE(two.type, RedisReply::Type::Integer);
        QCOMPARE(two.integer, 2);
        QCOMPARE(call(c, {"RPUSH", "l", "x", "", "z"}).integer, 3);
        const RedisReply list = call(c, {"LRANGE", "l", "0", "-1"});
        QCOMPARE(list.type, RedisReply::Type::Array);
        QCOMPARE(list.elements, (QList<RedisReply>{str("x"), str(""), str("z")}));
        const RedisReply wrongType = call(c, {"INCR", "l"});
        QVERIFY(wrongType.isError());
        QVERIFY(!wrongType.fromClient);
        QVERIFY2(wrongType.text.startsWith("WRONGTYPE"), wrongType.text);
        QCOMPARE(c.state(), State::Connected); // a server error is only an answer
    }

    void aCommandWithoutConnectionIsAnsweredLater()
    {
        RedisConnection c;
        bool answered = false;
        RedisReply reply;
        c.command({"PING"}, [&](const RedisReply &r) {
            answered = true;
            reply = r;
        });
        QVERIFY(!answered); // never from inside command()
        QTRY_VERIFY(answered);
        QVERIFY(reply.fromClient);
        QVERIFY2(reply.text.contains("not connected"), reply.text);
    }

    void passwords()
    {
        SKIP_WITHOUT_REDIS();
        RedisProcess redis("s3cret");
        QVERIFY2(redis.started(), qPrintable(redis.error()));
        RedisConnection right;
        right.connectTo(QStringLiteral("127.0.0.1"), redis.port(), 0, "s3cret");
        QTRY_COMPARE(right.state(), State::Connected);
        QCOMPARE(call(right, {"SET", "k", "v"}).text, QByteArray("OK"));

        RedisConnection wrong;
        QSignalSpy states(&wrong, &RedisConnection::stateChanged);
        wrong.connectTo(QStringLiteral("127.0.0.1"), redis.port(), 0, "guess");
        QTRY_VERIFY(!states.isEmpty() && states.last().at(0).value<State>() == State::Disconnected);
        QVERIFY2(wrong.lastError().contains(QStringLiteral("refused the password")), qPrintable(wrong.lastError()));
        QVERIFY2(wrong.lastError().contains(QStringLiteral("WRONGPASS")), qPrintable(wrong.lastError()));
        QVERIFY(!wrong.lastError().contains(QStringLiteral("guess")));
        QVERIFY(call(wrong, {"GET", "k"}).text.contains("refused the password"));

        RedisConnection none;
        none.connectTo(QStringLiteral("127.0.0.1"), redis.port());
        QTRY_VERIFY(none.lastError().contains(QStringLiteral("NOAUTH")));
        QCOMPARE(none.state(), State::Disconnected);
    }

    void databases()
    {
        SKIP_WITHOUT_REDIS();
        RedisProcess redis;
        QVERIFY2(redis.started(), qPrintable(redis.error()));
        RedisConnection three, zero, threeAgain, missing;
        three.connectTo(QStringLiteral("127.0.0.1"), redis.port(), 3);
        zero.connectTo(QStringLiteral("127.0.0.1"), redis.port(), 0);
        threeAgain.connectTo(QStringLiteral("127.0.0.1"), redis.port(), 3);
        missing.connectTo(QStringLiteral("127.0.0.1"), redis.port(), 4000);
        QCOMPARE(call(three, {"SET", "k", "in three"}).text, QByteArray("OK"));
        QVERIFY(call(zero, {"GET", "k"}).isNil());
        QCOMPARE(call(threeAgain, {"GET", "k"}), str("in three"));
        QTRY_VERIFY2(missing.lastError().contains(QStringLiteral("refused database 4000")),
                     qPrintable(missing.lastError()));
        QCOMPARE(missing.state(), State::Disconnected);
    }

    void aCommandThatTimesOutDropsTheConnectionWhichComesBack()
    {
        SKIP_WITHOUT_REDIS();
        RedisProcess redis;
        QVERIFY2(redis.started(), qPrintable(redis.error()));
        RedisConnection c;
        c.setCommandTimeout(300ms);
        c.connectTo(QStringLiteral("127.0.0.1"), redis.port());
        QTRY_COMPARE(c.state(), State::Connected);
        QCOMPARE(call(c, {"SET", "k", "v"}).text, QByteArray("OK"));

        redis.freeze(true);
        Answers answers;
        c.command({"GET", "k"}, answers.next());
        c.command({"GET", "k"}, 5s, answers.next()); // its own, longer timeout: the drop answers it
        QTRY_VERIFY(answers.allAnswered());
        const auto &got = *answers.got;
        QVERIFY(got[0].first().fromClient);
        QVERIFY2(got[0].first().text.contains("timed out after 300 ms"), got[0].first().text);
        QVERIFY2(got[1].first().text.contains("did not answer within 300 ms"), got[1].first().text);
        QVERIFY(c.state() != State::Connected);

        redis.freeze(false);
        QTRY_COMPARE_WITH_TIMEOUT(c.state(), State::Connected, kReconnectWait);
        QCOMPARE(call(c, {"GET", "k"}), str("v"));
        QCOMPARE(got[0].size(), 1);
        QCOMPARE(got[1].size(), 1);
    }

    void aKilledServerStartedAgainIsReconnectedTo()
    {
        SKIP_WITHOUT_REDIS();
        RedisProcess redis;
        QVERIFY2(redis.started(), qPrintable(redis.error()));
        RedisConnection c;
        QSignalSpy states(&c, &RedisConnection::stateChanged);
        c.connectTo(QStringLiteral("127.0.0.1"), redis.port());
        QTRY_COMPARE(c.state(), State::Connected);

        // Commands the server holds unanswered when it dies.
        redis.freeze(true);
        Answers answers;
        for (int i = 0; i < 3; ++i)
            c.command({"INCR", "n"}, 10s, answers.next());
        redis.kill();
        QTRY_COMPARE(c.state(), State::Disconnected);
        QTRY_VERIFY(answers.allAnswered());
        for (const auto &answer : *answers.got) {
            QVERIFY(answer.first().fromClient);
            QVERIFY2(answer.first().text.contains("connection to Redis lost"), answer.first().text);
        }

        QVERIFY2(redis.start(), qPrintable(redis.error()));
        QTRY_COMPARE_WITH_TIMEOUT(c.state(), State::Connected, kReconnectWait);
        QCOMPARE(call(c, {"INCR", "n"}).integer, 1);
        for (const auto &answer : *answers.got)
            QCOMPARE(answer.size(), 1);
        QVERIFY(states.count() >= 4); // Connecting, Connected, Disconnected, ..., Connected
        QCOMPARE(states.last().at(0).value<State>(), State::Connected);
    }

    void noCallbackAfterTheConnectionIsDestroyed()
    {
        SKIP_WITHOUT_REDIS();
        RedisProcess redis;
        QVERIFY2(redis.started(), qPrintable(redis.error()));
        auto doomed = std::make_unique<RedisConnection>();
        doomed->connectTo(QStringLiteral("127.0.0.1"), redis.port());
        QTRY_COMPARE(doomed->state(), State::Connected);
        redis.freeze(true);
        Answers answers;
        doomed->command({"SET", "late", "1"}, answers.next());
        doomed.reset();
        redis.freeze(false);

        // Another connection's round trip: the server has read and answered
        // everything sent before.
        RedisConnection witness;
        witness.connectTo(QStringLiteral("127.0.0.1"), redis.port());
        QTRY_COMPARE(witness.state(), State::Connected);
        QVERIFY(call(witness, {"PING"}).text == "PONG");
        QVERIFY(answers.got->front().isEmpty());
    }

    void aCallbackMayDeleteTheConnection()
    {
        SKIP_WITHOUT_REDIS();
        RedisProcess redis;
        QVERIFY2(redis.started(), qPrintable(redis.error()));
        auto *c = new RedisConnection;
        c->connectTo(QStringLiteral("127.0.0.1"), redis.port());
        QTRY_COMPARE(c->state(), State::Connected);
        bool answered = false;
        c->command({"PING"}, [&](const RedisReply &) {
            answered = true;
            delete c;
        });
        QTRY_VERIFY(answered);
    }
};

QTEST_GUILESS_MAIN(TestSharedConnection)
#include "tst_shared_connection.moc"
