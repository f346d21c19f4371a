// One client connection on a worker: reads and parses requests in order
// (pipelined ones wait their turn), routes each to its service, hands it to
// an Exchange, and guards against slow or malformed clients.
#pragma once

#include "clientside.h"
#include "exchange.h"
#include "httpparser.h"
#include "workercontext.h"

#include <QObject>
#include <QTcpSocket>
#include <QTimer>

namespace bb::proxy {

class ClientConnection : public QObject, public ClientSide {
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
    void onReadyRead();
    bool pull();
    void process();
    void processOnce();
    bool parseHead();
    bool feedBody();
    void route();
    void refuse(int status, const char *reason, const QString &message);
    void closeConnection();

    WorkerContext &m_context;
    QTcpSocket *m_socket;
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
    QTimer m_headerTimer;
    QTimer m_idleTimer;
};

} // namespace bb::proxy
