// One client connection on a worker: reads and parses requests in order
// (pipelined ones wait their turn), routes each to its service, hands it to
// an Exchange, and guards against slow or malformed clients. Whatever the
// connection waits for from its client (the next request, a head, a body's
// bytes, room to write the answer) has a deadline; one precise timer keeps
// the nearest, and a deadline is never taken for reached before it is.
#pragma once

#include "bytestream.h"
#include "clientside.h"
#include "exchange.h"
#include "httpparser.h"
#include "workercontext.h"

#include <QObject>
#include <QTimer>

#include <chrono>

namespace bb::proxy {

// Plain HTTP on a DescriptorSocket, HTTPS on a TlsStream.
class ClientConnection : public QObject, public ClientSide, private ByteStream::Listener {
    Q_OBJECT
public:
    ClientConnection(qintptr descriptor, WorkerContext &context, QObject *parent);
    ~ClientConnection() override;

    // Finish the exchange under way, then close.
    void drain();

    void writeToClient(const QByteArray &bytes) override;
    qint64 clientPendingWrite() const override;
    void exchangeFinished(bool closeAfter) override;
    void resumeRequestBody() override;
    const QByteArray &peerAddress() const override { return m_peer; }


private:
    // ByteStream::Listener
    void socketReadable() override;
    void socketWritten() override;
    void socketDrained() override;
    void socketClosed(int error) override;
    void wrote();
    bool pull();
    void process();
    void processOnce();
    bool parseHead();
    bool feedBody();
    void route();
    void refuse(int status, const char *reason, const QString &message);
    void closeConnection();

    using SteadyTime = std::chrono::steady_clock::time_point;
    enum class Waiting { Nothing, NextRequest, Head, Body, ClientReads };
    Waiting waitingFor() const;
    SteadyTime deadlineOf(Waiting waiting) const;
    // Follows what the connection waits for now and keeps the timer on its deadline.
    void updateDeadline();
    void deadlineReached(Waiting waiting);

    WorkerContext &m_context;
    ByteStream *m_socket;
    bool m_readable = false; // the stream said bytes wait that have not all been read
    QByteArray m_peer; // the client's address, for X-Forwarded-For
    HttpParser m_parser;
    QByteArray m_in;
    qsizetype m_offset = 0;
    Exchange *m_exchange = nullptr;
    bool m_exchangeDone = false;
    bool m_closeAfterExchange = false;
    bool m_draining = false;
    bool m_closing = false;
    bool m_inProcess = false;
    bool m_processAgain = false;
    std::vector<Exchange *> m_retired;
    QTimer m_deadlineTimer;
    SteadyTime m_armedFor;
    Waiting m_waiting = Waiting::Nothing;
    SteadyTime m_waitingSince;       // when m_waiting began
    SteadyTime m_lastByte;           // from the client
    SteadyTime m_lastWriteProgress;  // to the client
    SteadyTime m_headStart;          // the first byte of the head being read
    bool m_headStarted = false;
    std::chrono::nanoseconds m_bodyWaited{0}; // waiting for this request's body so far
};

} // namespace bb::proxy
