// The descriptor socket on real sockets: it connects (or says why not),
// reads and writes, holds back what the kernel does not take and says when
// it has gone, stops reading when asked, hears the peer's end, and closes
// after writing with every byte delivered.
#include "proxy/descriptorsocket.h"

#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <sys/socket.h>
#include <unistd.h>

#include <memory>

using namespace bb::proxy;

namespace {

// Records what the socket says; reads everything it is offered.
struct Recorder : DescriptorSocket::Listener {
    DescriptorSocket socket;
    QByteArray in;
    int connected = 0;
    int readable = 0;
    int drained = 0;
    int closed = 0;
    int closedWith = -1;
    bool readOnReadable = true;

    Recorder() { socket.setListener(this); }
    void socketConnected() override { ++connected; }
    void socketReadable() override
    {
        ++readable;
        if (readOnReadable)
            socket.readInto(in, 1 << 20);
    }
    void socketDrained() override { ++drained; }
    void socketClosed(int error) override
    {
        ++closed;
        closedWith = error;
    }
};

// Two connected ends: one adopted by a Recorder, one plain descriptor.
struct Pair {
    Recorder ours;
    int theirs = -1;
    Pair()
    {
        int ends[2];
        if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ends) != 0 || !ours.socket.adopt(ends[0]))
            qFatal("no socket pair");
        theirs = ends[1];
    }
    ~Pair()
    {
        if (theirs >= 0)
            ::close(theirs);
    }
    // Everything their end can read within the time, up to its end.
    QByteArray drainTheirs(qint64 expected, int timeoutMs = 5000)
    {
        QByteArray got;
        // The callers compare what came with what they wrote: a wait that
        // runs out shows there.
        (void)QTest::qWaitFor(
            [&] {
                char buffer[65536];
                for (;;) {
                    const ssize_t n = ::recv(theirs, buffer, sizeof buffer, MSG_DONTWAIT);
                    if (n <= 0)
                        break;
                    got.append(buffer, n);
                }
                return got.size() >= expected;
            },
            timeoutMs);
        return got;
    }
};

} // namespace

class TestProxyDescriptorSocket : public QObject {
    Q_OBJECT
private slots:
    void connectsReadsAndWrites()
    {
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost));
        Recorder r;
        r.socket.connectTo(QHostAddress::LocalHost, server.serverPort());
        QCOMPARE(r.socket.state(), DescriptorSocket::State::Connecting);
        QTRY_COMPARE(r.connected, 1);
        QCOMPARE(r.socket.state(), DescriptorSocket::State::Connected);
        QTRY_VERIFY(server.hasPendingConnections());
        std::unique_ptr<QTcpSocket> peer(server.nextPendingConnection());
        QCOMPARE(r.socket.peerAddress(), QHostAddress(QHostAddress::LocalHost));

        peer->write("hello");
        QTRY_COMPARE(r.in, QByteArray("hello"));
        r.socket.write(QByteArrayLiteral("world"));
        QCOMPARE(r.socket.bytesToWrite(), 0); // the kernel took it at once
        QByteArray got;
        QTRY_COMPARE(got += peer->readAll(), QByteArray("world"));
        QCOMPARE(r.drained, 0); // nothing had waited
        QCOMPARE(r.closed, 0);
    }

    void writesBeforeTheConnectionWaitForIt()
    {
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost));
        Recorder r;
        r.socket.connectTo(QHostAddress::LocalHost, server.serverPort());
        r.socket.write(QByteArrayLiteral("early"));
        QTRY_VERIFY(server.hasPendingConnections());
        std::unique_ptr<QTcpSocket> peer(server.nextPendingConnection());
        QByteArray got;
        QTRY_COMPARE(got += peer->readAll(), QByteArray("early"));
        QCOMPARE(r.connected, 1);
    }

    void aRefusedConnectionIsClosedWithItsError()
    {
        QTcpServer placeholder; // a port nobody listens on once it is closed
        QVERIFY(placeholder.listen(QHostAddress::LocalHost));
        const quint16 port = placeholder.serverPort();
        placeholder.close();
        Recorder r;
        r.socket.connectTo(QHostAddress::LocalHost, port);
        QTRY_COMPARE(r.closed, 1);
        QCOMPARE(r.closedWith, ECONNREFUSED);
        QCOMPARE(r.connected, 0);
        QCOMPARE(r.socket.state(), DescriptorSocket::State::Unconnected);
        QVERIFY(!r.socket.errorString().isEmpty());
    }

    // Eight megabytes to a peer that reads nothing yet: most of it waits
    // here; as the peer reads, it goes, and the socket says when all has.
    void whatTheKernelDoesNotTakeWaitsAndGoes()
    {
        Pair p;
        QByteArray big(8 << 20, '\0');
        for (qsizetype i = 0; i < big.size(); ++i)
            big[i] = char('a' + i % 26);
        p.ours.socket.write(big);
        QVERIFY(p.ours.socket.bytesToWrite() > 0);
        QCOMPARE(p.ours.drained, 0);
        const QByteArray got = p.drainTheirs(big.size());
        QCOMPARE(got.size(), big.size());
        QVERIFY(got == big);
        QTRY_COMPARE(p.ours.drained, 1);
        QCOMPARE(p.ours.socket.bytesToWrite(), 0);
    }

    void thePeersEndIsHeardAfterItsLastBytes()
    {
        Pair p;
        QCOMPARE(::write(p.theirs, "bye", 3), 3);
        ::close(p.theirs);
        p.theirs = -1;
        QTRY_COMPARE(p.ours.closed, 1);
        QCOMPARE(p.ours.in, QByteArray("bye"));
        QCOMPARE(p.ours.closedWith, 0);
    }

    void readingOffHoldsTheBytesInTheKernel()
    {
        Pair p;
        p.ours.socket.setReading(false);
        QCOMPARE(::write(p.theirs, "held", 4), 4);
        QTest::qWait(100);
        QCOMPARE(p.ours.readable, 0);
        p.ours.socket.setReading(true);
        QTRY_COMPARE(p.ours.in, QByteArray("held"));
    }

    void readIntoTakesNoMoreThanAsked()
    {
        Pair p;
        p.ours.readOnReadable = false;
        p.ours.socket.setReading(false);
        QCOMPARE(::write(p.theirs, "0123456789", 10), 10);
        QByteArray in;
        QCOMPARE(p.ours.socket.readInto(in, 4), 4); // a socket pair has them at once
        QCOMPARE(in, QByteArray("0123"));
        QCOMPARE(p.ours.socket.readInto(in, 100), 6);
        QCOMPARE(in, QByteArray("0123456789"));
        QCOMPARE(p.ours.socket.readInto(in, 100), 0); // nothing waits
        QVERIFY(!p.ours.socket.atEnd());
    }

    void closingAfterWritingDeliversEveryByte()
    {
        Pair p;
        const QByteArray body(1 << 20, 'x');
        p.ours.socket.write(body);
        p.ours.socket.closeAfterWrite();
        const QByteArray got = p.drainTheirs(body.size());
        QCOMPARE(got.size(), body.size());
        QTRY_COMPARE(p.ours.closed, 1);
        QCOMPARE(p.ours.closedWith, 0);
        char one;
        QCOMPARE(::recv(p.theirs, &one, 1, 0), 0); // then the end
    }

    void abortSaysNothingAndClosesAtOnce()
    {
        Pair p;
        p.ours.socket.write(QByteArray(8 << 20, 'y'));
        p.ours.socket.abort();
        QCOMPARE(p.ours.socket.state(), DescriptorSocket::State::Unconnected);
        QCOMPARE(p.ours.socket.bytesToWrite(), 0);
        QTest::qWait(50);
        QCOMPARE(p.ours.closed, 0);
    }
};

QTEST_GUILESS_MAIN(TestProxyDescriptorSocket)
#include "tst_proxy_descriptorsocket.moc"
