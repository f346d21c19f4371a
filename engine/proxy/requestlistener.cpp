#include "requestlistener.h"

#include <QChildEvent>
#include <QSslServer>
#include <QTcpSocket>
#include <QTimer>

namespace bb::proxy {

namespace {
// QSslServer counts the handshakes under way against its pending-connection
// limit and stops accepting at it, but takes up accepting again only when a
// handshake times out or a connection is taken: handshakes that all failed,
// or clients that sent something other than TLS, would leave it deaf. Any
// socket of its going away lets it look again (it stops again while full).
class TlsServer : public QSslServer {
public:
    TlsServer(const QSslConfiguration &configuration, int handshakeTimeoutMs, int maxHandshakes, QObject *parent)
        : QSslServer(parent)
    {
        setSslConfiguration(configuration);
        setHandshakeTimeout(handshakeTimeoutMs);
        setMaxPendingConnections(maxHandshakes);
    }

protected:
    void childEvent(QChildEvent *event) override
    {
        QSslServer::childEvent(event);
        if (event->removed())
            resumeAccepting();
    }
};

QTcpServer *serverFor(const RequestListener::Options &o, QObject *parent)
{
    if (o.tls)
        return new TlsServer(*o.tls, o.handshakeTimeoutMs, o.maxConnections, parent);
    return new QTcpServer(parent);
}
} // namespace

struct RequestListener::Connection {
    Connection(const Options &o) : parser(true, o.headerLimit, o.bodyLimit) {}
    HttpParser parser;
    QByteArray pending;
    QTimer idle;
    bool reading = true; // false once handed over
};

RequestListener::RequestListener(Options options, Handler handler, Refusal refusal, QObject *parent)
    : QObject(parent), m_options(options), m_handler(std::move(handler)), m_refusal(std::move(refusal)),
      m_server(serverFor(m_options, this))
{
    // A TLS connection is pending once its handshake is done, not when it is accepted.
    connect(m_server, &QTcpServer::pendingConnectionAvailable, this, &RequestListener::accept);
}

RequestListener::~RequestListener()
{
    for (auto &[socket, connection] : m_connections) {
        socket->disconnect(this);
        socket->abort();
    }
}

bool RequestListener::listen(const QHostAddress &address, quint16 port, QString *error)
{
    if (m_server->listen(address, port))
        return true;
    *error = QStringLiteral("%1:%2: %3").arg(address.toString()).arg(port).arg(m_server->errorString());
    return false;
}

QString RequestListener::address() const
{
    const QHostAddress a = m_server->serverAddress();
    const QString host = a.protocol() == QAbstractSocket::IPv6Protocol ? '[' + a.toString() + ']' : a.toString();
    return QStringLiteral("%1:%2").arg(host).arg(m_server->serverPort());
}

void RequestListener::accept()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        if (int(m_connections.size()) >= m_options.maxConnections) {
            socket->abort();
            socket->deleteLater();
            continue;
        }
        auto connection = std::make_unique<Connection>(m_options);
        if (m_options.idleTimeoutMs > 0) {
            connection->idle.setSingleShot(true);
            connect(&connection->idle, &QTimer::timeout, this, [this, socket] { drop(socket); });
            connection->idle.start(m_options.idleTimeoutMs);
        }
        m_connections.emplace(socket, std::move(connection));
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { readFrom(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] { drop(socket); });
        if (socket->bytesAvailable() > 0) // decrypted along with the end of the handshake
            readFrom(socket);
    }
}

void RequestListener::drop(QTcpSocket *socket)
{
    if (m_connections.erase(socket) == 0)
        return;
    socket->disconnect(this);
    socket->abort();
    socket->deleteLater();
}

void RequestListener::readFrom(QTcpSocket *socket)
{
    const auto it = m_connections.find(socket);
    if (it == m_connections.end())
        return;
    Connection &c = *it->second;
    c.pending.append(socket->readAll());
    if (!c.reading) {
        c.pending.clear(); // handed over: what comes in is not ours to read
        return;
    }
    // The idle timer restarts per request answered, not per byte: a client
    // that drips a request holds its connection no longer than that.
    while (!c.pending.isEmpty()) {
        const std::size_t used = c.parser.feed(c.pending.constData(), std::size_t(c.pending.size()));
        c.pending.remove(0, qsizetype(used));
        if (c.parser.error() != ParseError::None) {
            socket->write(m_refusal(statusFor(c.parser.error()), c.parser.errorText()));
            socket->disconnectFromHost();
            return;
        }
        if (!c.parser.done())
            return;
        const HttpHead head = c.parser.takeHead();
        const QByteArray body = std::exchange(c.parser.body(), {});
        c.parser.reset();
        if (!m_handler(socket, head, body)) {
            // The connection may be gone; if not, it is the handler's now.
            if (const auto still = m_connections.find(socket); still != m_connections.end()) {
                still->second->reading = false;
                still->second->idle.stop();
            }
            return;
        }
        if (m_options.idleTimeoutMs > 0)
            c.idle.start(m_options.idleTimeoutMs);
    }
}

} // namespace bb::proxy
