// The connections of a small HTTP/1.1 server: accepted on a QTcpServer (a
// QSslServer when given a TLS configuration), each request parsed with
// HttpParser and handed out whole (head and body), one at a time per
// connection, keep-alive included. The admin API and the demo's simulated
// services use it; the proxy streams on its own path.
#pragma once

#include "httpparser.h"

#include <QHostAddress>
#include <QObject>
#include <QSslConfiguration>
#include <QTcpServer>

#include <functional>
#include <map>
#include <memory>
#include <optional>

class QTcpSocket;

namespace bb::proxy {

class RequestListener : public QObject {
    Q_OBJECT
public:
    struct Options {
        std::uint32_t headerLimit = 16 * 1024;
        std::uint64_t bodyLimit = 1 << 20;
        int maxConnections = 256;
        int idleTimeoutMs = 0; // 0: no limit
        // Set: every connection is TLS with this server configuration. A
        // client that has not completed its handshake within
        // handshakeTimeoutMs is dropped, and handshakes under way count
        // against maxConnections as well.
        std::optional<QSslConfiguration> tls;
        int handshakeTimeoutMs = 5000;
    };
    // Answers one request. Returns whether the connection reads on; false
    // when the handler closed it or keeps it for itself (an event stream).
    using Handler = std::function<bool(QTcpSocket *socket, const HttpHead &head, const QByteArray &body)>;
    // The whole answer to a request that cannot be parsed (400, 413, 431).
    using Refusal = std::function<QByteArray(int status, const std::string &reason)>;

    RequestListener(Options options, Handler handler, Refusal refusal, QObject *parent = nullptr);
    ~RequestListener() override;

    bool listen(const QHostAddress &address, quint16 port, QString *error);
    quint16 port() const { return m_server->serverPort(); }
    // "127.0.0.1:9901", "[::1]:9901"
    QString address() const;

    // Closes a connection now.
    void drop(QTcpSocket *socket);

private:
    struct Connection;
    void accept();
    void readFrom(QTcpSocket *socket);

    Options m_options;
    Handler m_handler;
    Refusal m_refusal;
    QTcpServer *const m_server; // a child: it and its sockets go with this
    std::map<QTcpSocket *, std::unique_ptr<Connection>> m_connections;
};

} // namespace bb::proxy
