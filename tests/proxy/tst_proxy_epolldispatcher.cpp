// The workers' epoll event loop, on a thread of its own as a worker runs
// it: calls posted from other threads wake it and run in order, quitting
// from outside ends it, timers fire in the order they are due and never
// early, a timer stopped by another's handler does not fire, socket
// notifiers hear readable, writable and hang-up, stop while disabled, and
// one removed by an earlier handler of the same round is not called, even
// when its descriptor's number is given again at once. Readiness, the
// streams' way to hear of their descriptors, does the same on this loop
// (called directly) and on Qt's own (through QSocketNotifiers).
#include "proxy/epolldispatcher.h"
#include "proxy/readiness.h"

#include <QElapsedTimer>
#include <QSocketNotifier>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <functional>
#include <memory>

using namespace bb::proxy;

namespace {

// A thread whose loop is an EpollDispatcher, and a way to run code on it.
struct LoopThread {
    QThread thread;
    QObject *context = new QObject;

    LoopThread()
    {
        thread.setEventDispatcher(new EpollDispatcher);
        context->moveToThread(&thread);
        QObject::connect(&thread, &QThread::finished, context, &QObject::deleteLater);
        thread.start();
    }
    ~LoopThread()
    {
        thread.quit();
        thread.wait();
    }
    template <typename F> void run(F &&f)
    {
        QMetaObject::invokeMethod(context, std::forward<F>(f), Qt::BlockingQueuedConnection);
    }
};

struct SocketPair {
    int ends[2] = {-1, -1};
    SocketPair()
    {
        if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, ends) != 0)
            qFatal("no socket pair");
    }
    ~SocketPair()
    {
        for (int fd : ends)
            if (fd >= 0)
                ::close(fd);
    }
    void send(const char *bytes) const { QVERIFY(::write(ends[1], bytes, strlen(bytes)) == ssize_t(strlen(bytes))); }
    QByteArray receive() const
    {
        char buffer[256];
        const ssize_t got = ::read(ends[0], buffer, sizeof buffer);
        return got > 0 ? QByteArray(buffer, got) : QByteArray();
    }
};

// Counts what its Readiness tells; reads what waits.
struct Heard : Readiness::Listener {
    const SocketPair &pair;
    Readiness readiness;
    std::atomic<int> readable{0}, writable{0};
    QByteArray got;
    std::function<void()> onReadable;

    explicit Heard(const SocketPair &p) : pair(p), readiness(p.ends[0], *this) {}
    void descriptorReadable() override
    {
        ++readable;
        got += pair.receive();
        if (onReadable)
            onReadable();
    }
    void descriptorWritable() override
    {
        ++writable;
        readiness.setWriting(false);
    }
};

} // namespace

class TestEpollDispatcher : public QObject {
    Q_OBJECT
private slots:
    void theThreadRunsOnIt()
    {
        LoopThread loop;
        bool ours = false;
        loop.run([&] { ours = qobject_cast<EpollDispatcher *>(QAbstractEventDispatcher::instance()) != nullptr; });
        QVERIFY(ours);
    }

    void postedCallsWakeItAndRunInOrder()
    {
        LoopThread loop;
        std::vector<int> seen;
        std::atomic<int> count{0};
        QThread *ranOn = nullptr;
        for (int i = 0; i < 2000; ++i) {
            QMetaObject::invokeMethod(loop.context, [&, i] {
                seen.push_back(i);
                ranOn = QThread::currentThread();
                ++count;
            });
            if (i % 100 == 0)
                QThread::usleep(200); // let it fall asleep now and then
        }
        QTRY_COMPARE(count.load(), 2000);
        QCOMPARE(ranOn, &loop.thread);
        for (int i = 0; i < 2000; ++i)
            QCOMPARE(seen[std::size_t(i)], i);
    }

    void quittingFromAnotherThreadEndsIt()
    {
        LoopThread loop;
        loop.run([] {}); // running and waiting, with nothing to do
        loop.thread.quit();
        QVERIFY(loop.thread.wait(5000));
    }

    void timersFireWhenDueInOrderAndNeverEarly()
    {
        LoopThread loop;
        std::vector<int> order;
        std::vector<qint64> firedAt;
        QElapsedTimer clock;
        loop.run([&] {
            clock.start();
            for (int ms : {30, 10, 20}) {
                QTimer::singleShot(ms, Qt::PreciseTimer, loop.context, [&, ms] {
                    order.push_back(ms);
                    firedAt.push_back(clock.elapsed());
                });
            }
        });
        QTRY_COMPARE(order.size(), std::size_t(3));
        QCOMPARE(order, (std::vector<int>{10, 20, 30}));
        for (std::size_t i = 0; i < 3; ++i)
            QVERIFY2(firedAt[i] >= order[i], qPrintable(QString::number(firedAt[i])));
    }

    void aRepeatingTimerRepeatsUntilStopped()
    {
        LoopThread loop;
        std::atomic<int> ticks{0};
        QTimer *timer = nullptr;
        loop.run([&] {
            timer = new QTimer(loop.context);
            timer->setInterval(2);
            QObject::connect(timer, &QTimer::timeout, [&] {
                if (++ticks == 5)
                    timer->stop();
            });
            timer->start();
        });
        QTRY_COMPARE(ticks.load(), 5);
        QTest::qWait(50);
        QCOMPARE(ticks.load(), 5);
    }

    void aTimerStoppedByAnothersHandlerDoesNotFire()
    {
        LoopThread loop;
        int first = 0, second = 0, later = 0;
        loop.run([&] {
            auto *a = new QTimer(loop.context);
            auto *b = new QTimer(loop.context);
            for (QTimer *t : {a, b}) {
                t->setSingleShot(true);
                t->setTimerType(Qt::PreciseTimer);
            }
            // Both due in the same round, whichever the loop takes first stops the other.
            QObject::connect(a, &QTimer::timeout, [&, b] {
                ++first;
                b->stop();
            });
            QObject::connect(b, &QTimer::timeout, [&, a] {
                ++second;
                a->stop();
            });
            a->start(5);
            b->start(5);
            QThread::msleep(20); // both overdue before the loop looks
            QTimer::singleShot(40, loop.context, [&] { ++later; });
        });
        QTRY_COMPARE(later, 1);
        QCOMPARE(first + second, 1);
    }

    void aZeroTimerDoesNotStarveSockets()
    {
        LoopThread loop;
        SocketPair pair;
        std::atomic<int> spins{0};
        std::atomic<bool> heard{false};
        loop.run([&] {
            auto *spin = new QTimer(loop.context);
            spin->setInterval(0);
            QObject::connect(spin, &QTimer::timeout, [&] { ++spins; });
            spin->start();
            auto *n = new QSocketNotifier(pair.ends[0], QSocketNotifier::Read, loop.context);
            QObject::connect(n, &QSocketNotifier::activated, [&, n] {
                heard = true;
                n->setEnabled(false);
            });
        });
        QTRY_VERIFY(spins.load() > 10);
        pair.send("x");
        QTRY_VERIFY(heard.load());
    }

    void timersAreListedWithTheirTimeLeftAndGoWithTheirObject()
    {
        LoopThread loop;
        loop.run([&] {
            auto *dispatcher = QAbstractEventDispatcher::instance();
            auto *owner = new QObject(loop.context);
            const int id = owner->startTimer(1000);
            const int other = owner->startTimer(500);
            QCOMPARE(dispatcher->registeredTimers(owner).size(), 2);
            const int left = dispatcher->remainingTime(id);
            QVERIFY2(left > 900 && left <= 1000, qPrintable(QString::number(left)));
            owner->killTimer(id);
            QCOMPARE(dispatcher->remainingTime(id), -1);
            QCOMPARE(dispatcher->registeredTimers(owner).size(), 1);
            QCOMPARE(dispatcher->registeredTimers(owner).first().timerId, other);
            QCOMPARE(dispatcher->registeredTimers(owner).first().interval, 500);
            delete owner;
            QCOMPARE(dispatcher->remainingTime(other), -1);
            QVERIFY(!dispatcher->unregisterTimers(owner));
        });
    }

    void notifiersHearReadableWritableAndHangUp()
    {
        LoopThread loop;
        SocketPair pair;
        std::atomic<int> reads{0}, writes{0};
        QByteArray got;
        QSocketNotifier *reader = nullptr;
        loop.run([&] {
            reader = new QSocketNotifier(pair.ends[0], QSocketNotifier::Read, loop.context);
            QObject::connect(reader, &QSocketNotifier::activated, [&] {
                got += pair.receive();
                ++reads;
            });
            auto *writer = new QSocketNotifier(pair.ends[0], QSocketNotifier::Write, loop.context);
            QObject::connect(writer, &QSocketNotifier::activated, [&, writer] {
                ++writes;
                writer->setEnabled(false); // level-triggered: once is enough
            });
        });
        QTRY_COMPARE(writes.load(), 1);
        QCOMPARE(reads.load(), 0);
        pair.send("hello");
        QTRY_COMPARE(got, QByteArray("hello"));

        // Disabled, it is not called while bytes wait; enabled, it is at once.
        loop.run([&] { reader->setEnabled(false); });
        pair.send("more");
        QTest::qWait(30);
        const int before = reads.load();
        QCOMPARE(got, QByteArray("hello"));
        loop.run([&] { reader->setEnabled(true); });
        QTRY_COMPARE(got, QByteArray("hellomore"));
        QVERIFY(reads.load() > before);

        ::close(pair.ends[1]);
        pair.ends[1] = -1;
        const int beforeHangUp = reads.load();
        QTRY_VERIFY(reads.load() > beforeHangUp); // the end is readable: a read of 0
        loop.run([&] { delete reader; });
    }

    void aNotifierRemovedEarlierInTheRoundIsNotCalled()
    {
        LoopThread loop;
        SocketPair pairs[2];
        QSocketNotifier *notifiers[2] = {};
        int called[2] = {};
        int calledNew = 0;
        std::unique_ptr<SocketPair> reused;
        int freed = -1;
        loop.run([&] {
            for (int i = 0; i < 2; ++i) {
                notifiers[i] = new QSocketNotifier(pairs[i].ends[0], QSocketNotifier::Read, loop.context);
                QObject::connect(notifiers[i], &QSocketNotifier::activated, [&, i] {
                    ++called[i];
                    pairs[i].receive();
                    if (reused)
                        return;
                    // The first one called removes the other, closes its
                    // descriptor, and a new one takes its number.
                    delete notifiers[1 - i];
                    freed = pairs[1 - i].ends[0];
                    ::close(freed);
                    pairs[1 - i].ends[0] = -1;
                    reused = std::make_unique<SocketPair>();
                    auto *fresh = new QSocketNotifier(reused->ends[0], QSocketNotifier::Read, loop.context);
                    QObject::connect(fresh, &QSocketNotifier::activated, [&] {
                        ++calledNew;
                        reused->receive();
                    });
                });
            }
            // Both readable before the loop looks: one round holds both.
            pairs[0].send("1");
            pairs[1].send("2");
        });
        QTRY_VERIFY(reused);
        QTest::qWait(30);
        QCOMPARE(called[0] + called[1], 1);
        QCOMPARE(reused->ends[0], freed); // the lowest free number: the one just closed
        QCOMPARE(calledNew, 0); // the new descriptor has had nothing to read
        reused->send("new");
        QTRY_COMPARE(calledNew, 1);
    }

    void readinessTellsReadableAndWritable_data()
    {
        QTest::addColumn<bool>("onEpoll");
        QTest::newRow("a worker's epoll loop, directly") << true;
        QTest::newRow("Qt's own loop, through notifiers") << false;
    }
    void readinessTellsReadableAndWritable()
    {
        QFETCH(bool, onEpoll);
        std::unique_ptr<LoopThread> loop;
        if (onEpoll)
            loop = std::make_unique<LoopThread>();
        SocketPair pair;
        std::unique_ptr<Heard> heard;
        const auto on = [&](auto f) {
            if (loop)
                loop->run(f);
            else
                f();
        };
        on([&] {
            heard = std::make_unique<Heard>(pair);
            heard->readiness.setWriting(true);
        });
        QTRY_COMPARE(heard->writable.load(), 1);
        QTest::qWait(20);
        QCOMPARE(heard->readable.load(), 0); // not asked to read: not told
        pair.send("early");
        QTest::qWait(20);
        QCOMPARE(heard->readable.load(), 0);
        on([&] { heard->readiness.setReading(true); });
        QTRY_COMPARE(heard->got, QByteArray("early"));
        pair.send("!");
        QTRY_COMPARE(heard->got, QByteArray("early!"));
        QCOMPARE(heard->writable.load(), 1);
        on([&] { heard.reset(); });
    }

    void aStreamClosedEarlierInTheRoundIsNotCalled()
    {
        LoopThread loop;
        SocketPair pairs[2];
        std::unique_ptr<Heard> heard[2];
        std::unique_ptr<SocketPair> reused;
        std::unique_ptr<Heard> fresh;
        int freed = -1;
        loop.run([&] {
            for (int i = 0; i < 2; ++i) {
                heard[i] = std::make_unique<Heard>(pairs[i]);
                heard[i]->onReadable = [&, i] {
                    if (reused)
                        return;
                    heard[1 - i].reset();
                    freed = pairs[1 - i].ends[0];
                    ::close(freed);
                    pairs[1 - i].ends[0] = -1;
                    reused = std::make_unique<SocketPair>();
                    fresh = std::make_unique<Heard>(*reused);
                    fresh->readiness.setReading(true);
                };
                heard[i]->readiness.setReading(true);
            }
            pairs[0].send("1");
            pairs[1].send("2");
        });
        QTRY_VERIFY(reused);
        QTest::qWait(30);
        QCOMPARE(reused->ends[0], freed);
        QCOMPARE(fresh->readable.load(), 0);
        reused->send("new");
        QTRY_COMPARE(fresh->got, QByteArray("new"));
        loop.run([&] {
            fresh.reset();
            heard[0].reset();
            heard[1].reset();
        });
    }

    void tcpServerAndSocketsRunOnIt()
    {
        LoopThread loop;
        QByteArray echoed;
        std::atomic<bool> done{false};
        loop.run([&] {
            auto *server = new QTcpServer(loop.context);
            QVERIFY(server->listen(QHostAddress::LocalHost));
            QObject::connect(server, &QTcpServer::newConnection, [server] {
                QTcpSocket *peer = server->nextPendingConnection();
                QObject::connect(peer, &QTcpSocket::readyRead, [peer] { peer->write(peer->readAll().toUpper()); });
            });
            auto *client = new QTcpSocket(loop.context);
            QObject::connect(client, &QTcpSocket::connected, [client] { client->write("over tcp"); });
            QObject::connect(client, &QTcpSocket::readyRead, [&, client] {
                echoed += client->readAll();
                done = echoed.size() >= 8;
            });
            client->connectToHost(QHostAddress::LocalHost, server->serverPort());
        });
        QTRY_VERIFY(done.load());
        QCOMPARE(echoed, QByteArray("OVER TCP"));
    }
};

QTEST_GUILESS_MAIN(TestEpollDispatcher)
#include "tst_proxy_epolldispatcher.moc"
