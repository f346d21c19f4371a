#include "adminserver.h"

#include "apijson.h"

#include "proxy/httpparser.h"

#include <QJsonDocument>
#include <QTcpSocket>

namespace bb::control {

namespace {
constexpr int kIdleTimeoutMs = 30'000;

const char *reasonPhrase(int status)
{
    switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 413: return "Content Too Large";
    case 422: return "Unprocessable Content";
    case 431: return "Request Header Fields Too Large";
    case 503: return "Service Unavailable";
    default: return "Status";
    }
}

QByteArray eventBytes(const char *event, const QJsonObject &data)
{
    return QByteArray("event: ") + event + "\ndata: " + QJsonDocument(data).toJson(QJsonDocument::Compact) + "\n\n";
}
} // namespace

struct AdminServer::Connection {
    proxy::HttpParser parser{true, 16 * 1024, std::uint64_t(kMaxBody)};
    QByteArray pending;
    QTimer idle;
};

AdminServer::AdminServer(ControlService &control, AdminRouter router, QObject *parent)
    : QObject(parent), m_control(control), m_router(std::move(router)), m_server(this), m_snapshotTick(this)
{
    connect(&m_server, &QTcpServer::newConnection, this, &AdminServer::accept);
    connect(&m_control, &ControlService::transitioned, this,
            [this](const TransitionEvent &e) { broadcast("transition", transitionJson(e)); });
    connect(&m_control, &ControlService::audited, this,
            [this](const persist::AuditEntry &e) { broadcast("operator_action", e.toJson()); });
    connect(&m_snapshotTick, &QTimer::timeout, this,
            [this] { broadcast("snapshot", snapshotJson(*m_control.snapshot())); });
    m_snapshotTick.start(1000);
}

AdminServer::~AdminServer()
{
    for (auto &[socket, connection] : m_connections) {
        socket->disconnect(this);
        socket->abort();
        delete socket;
    }
}

bool AdminServer::listen(const QHostAddress &address, quint16 port, QString *error)
{
    m_server.setMaxPendingConnections(64);
    if (m_server.listen(address, port))
        return true;
    *error = QStringLiteral("%1:%2: %3").arg(address.toString()).arg(port).arg(m_server.errorString());
    return false;
}

QString AdminServer::address() const
{
    const QHostAddress a = m_server.serverAddress();
    const QString host = a.protocol() == QAbstractSocket::IPv6Protocol ? '[' + a.toString() + ']' : a.toString();
    return QStringLiteral("%1:%2").arg(host).arg(m_server.serverPort());
}

void AdminServer::accept()
{
    while (QTcpSocket *socket = m_server.nextPendingConnection()) {
        if (int(m_connections.size()) >= kMaxConnections) {
            socket->abort();
            socket->deleteLater();
            continue;
        }
        auto connection = std::make_unique<Connection>();
        connection->idle.setSingleShot(true);
        connect(&connection->idle, &QTimer::timeout, this, [this, socket] { drop(socket); });
        connection->idle.start(kIdleTimeoutMs);
        m_connections.emplace(socket, std::move(connection));
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { readFrom(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] { drop(socket); });
    }
}

void AdminServer::drop(QTcpSocket *socket)
{
    const auto it = m_connections.find(socket);
    if (it == m_connections.end())
        return;
    m_streams.remove(socket);
    m_connections.erase(it);
    socket->disconnect(this);
    socket->abort();
    socket->deleteLater();
}

void AdminServer::readFrom(QTcpSocket *socket)
{
    const auto it = m_connections.find(socket);
    if (it == m_connections.end())
        return;
    Connection &c = *it->second;
    c.pending.append(socket->readAll());
    if (m_streams.contains(socket)) {
        c.pending.clear(); // an event stream only talks one way
        return;
    }
    c.idle.start(kIdleTimeoutMs);
    while (!c.pending.isEmpty()) {
        const std::size_t used = c.parser.feed(c.pending.constData(), std::size_t(c.pending.size()));
        c.pending.remove(0, qsizetype(used));
        if (c.parser.error() != proxy::ParseError::None) {
            const int status = c.parser.error() == proxy::ParseError::HeaderTooLarge ? 431
                               : c.parser.error() == proxy::ParseError::BodyTooLarge ? 413
                                                                                      : 400;
            respond(socket, errorResponse(status, QString::fromStdString(c.parser.errorText())), false);
            return;
        }
        if (!c.parser.done())
            return;
        const proxy::HttpHead &head = c.parser.head();
        AdminRequest request{head.method, head.target, std::string(head.field("Authorization")), c.parser.body(),
                             socket->peerAddress().toString()};
        const bool keepAlive = head.keepAlive;
        const AdminResponse response = m_router.handle(request);
        c.parser.reset();
        respond(socket, response, keepAlive);
        if (!keepAlive || response.eventStream)
            return;
    }
}

void AdminServer::respond(QTcpSocket *socket, const AdminResponse &r, bool keepAlive)
{
    QByteArray out = "HTTP/1.1 " + QByteArray::number(r.status) + ' ' + reasonPhrase(r.status) + "\r\n";
    out += "Content-Type: " + r.contentType + "\r\n";
    for (const auto &[name, value] : r.headers)
        out += name + ": " + value + "\r\n";
    if (r.eventStream) {
        // The stream ends when either side closes the connection.
        out += "Connection: close\r\n\r\nretry: 2000\n\n";
        out += eventBytes("snapshot", snapshotJson(*m_control.snapshot()));
        m_streams.insert(socket);
        m_connections.at(socket)->idle.stop();
        socket->write(out);
        return;
    }
    out += "Content-Length: " + QByteArray::number(r.body.size()) + "\r\n";
    out += keepAlive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n";
    out += r.body;
    socket->write(out);
    if (!keepAlive)
        socket->disconnectFromHost();
}

void AdminServer::broadcast(const char *event, const QJsonObject &data)
{
    if (m_streams.isEmpty())
        return;
    const QByteArray bytes = eventBytes(event, data);
    for (QTcpSocket *socket : QSet<QTcpSocket *>(m_streams)) {
        if (socket->bytesToWrite() > kMaxStreamBacklog)
            drop(socket);
        else
            socket->write(bytes);
    }
}

} // namespace bb::control
