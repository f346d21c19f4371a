// The admin API over HTTP/1.1 (keep-alive, one request at a time per
// connection) with Beast's parser, and the server-sent event stream:
// transitions and operator actions as they happen, a snapshot every second.
#pragma once

#include "adminrouter.h"

#include <QHostAddress>
#include <QObject>
#include <QSet>
#include <QTcpServer>
#include <QTimer>

#include <map>
#include <memory>

class QTcpSocket;

namespace bb::proxy {
class HttpParser;
}

namespace bb::control {

class AdminServer : public QObject {
    Q_OBJECT
public:
    AdminServer(ControlService &control, AdminRouter router, QObject *parent = nullptr);
    ~AdminServer() override;

    bool listen(const QHostAddress &address, quint16 port, QString *error);
    quint16 port() const { return m_server.serverPort(); }
    // "127.0.0.1:9901"
    QString address() const;
    int streamCount() const { return int(m_streams.size()); }

    static constexpr int kMaxConnections = 256;
    static constexpr qint64 kMaxBody = 1 << 20;
    static constexpr qint64 kMaxStreamBacklog = 4 << 20; // a reader that falls this far behind is dropped

private:
    struct Connection;
    void accept();
    void readFrom(QTcpSocket *socket);
    void respond(QTcpSocket *socket, const AdminResponse &response, bool keepAlive);
    void broadcast(const char *event, const QJsonObject &data);
    void drop(QTcpSocket *socket);

    ControlService &m_control;
    AdminRouter m_router;
    QTcpServer m_server;
    std::map<QTcpSocket *, std::unique_ptr<Connection>> m_connections;
    QSet<QTcpSocket *> m_streams;
    QTimer m_snapshotTick;
};

} // namespace bb::control
