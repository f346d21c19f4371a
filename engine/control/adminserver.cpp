#include "adminserver.h"

#include "apijson.h"

#include <QJsonDocument>
#include <QTcpSocket>

namespace bb::control {

namespace {
const char *reasonPhrase(int status)
{
    switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 413: return "Content Too Large";
    case 422: return "Unprocessable Content";
    case 431: return "Request Header Fields Too Large";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    default: return "Status";
    }
}

QByteArray eventBytes(const char *event, const QJsonObject &data)
{
    return QByteArray("event: ") + event + "\ndata: " + QJsonDocument(data).toJson(QJsonDocument::Compact) + "\n\n";
}

// Status line, fields and body; an event stream has no length and ends with the connection.
QByteArray responseBytes(const AdminResponse &r, bool keepAlive)
{
    QByteArray out = "HTTP/1.1 " + QByteArray::number(r.status) + ' ' + reasonPhrase(r.status) + "\r\n";
    out += "Content-Type: " + r.contentType + "\r\n";
    for (const auto &[name, value] : r.headers)
        out += name + ": " + value + "\r\n";
    if (r.eventStream)
        return out + "Connection: close\r\n\r\n";
    out += "Content-Length: " + QByteArray::number(r.body.size()) + "\r\n";
    out += keepAlive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n";
    return out + r.body;
}
} // namespace

AdminServer::AdminServer(ControlService &control, AdminRouter router, QObject *parent)
    : QObject(parent), m_control(control), m_router(std::move(router)),
      m_listener({16 * 1024, 1 << 20, 256, 30'000},
                 [this](QTcpSocket *socket, const proxy::HttpHead &head, const QByteArray &body) {
                     return answer(socket, head, body);
                 },
                 [](int status, const std::string &reason) {
                     return responseBytes(errorResponse(status, QString::fromStdString(reason)), false);
                 },
                 this),
      m_snapshotTick(this)
{
    // Events are encoded only while someone listens.
    connect(&m_control, &ControlService::transitioned, this,
            [this](const TransitionEvent &e) { broadcast("transition", [&] { return transitionJson(e); }); });
    connect(&m_control, &ControlService::audited, this,
            [this](const persist::AuditEntry &e) { broadcast("operator_action", [&] { return e.toJson(); }); });
    connect(&m_snapshotTick, &QTimer::timeout, this,
            [this] { broadcast("snapshot", [this] { return snapshotJson(*m_control.snapshot()); }); });
    m_snapshotTick.start(1000);
}

bool AdminServer::answer(QTcpSocket *socket, const proxy::HttpHead &head, const QByteArray &body)
{
    const AdminResponse response = m_router.handle(
        {head.method, head.target, std::string(head.field("Authorization")), body, socket->peerAddress().toString()});
    if (response.eventStream) {
        // The stream ends when either side closes the connection.
        socket->write(responseBytes(response, false) + "retry: 2000\n\n" +
                      eventBytes("snapshot", snapshotJson(*m_control.snapshot())));
        m_streams.insert(socket);
        connect(socket, &QObject::destroyed, this, [this, socket] { m_streams.remove(socket); });
        return false;
    }
    socket->write(responseBytes(response, head.keepAlive));
    if (!head.keepAlive)
        socket->disconnectFromHost();
    return head.keepAlive;
}

void AdminServer::broadcast(const char *event, const std::function<QJsonObject()> &data)
{
    if (m_streams.isEmpty())
        return;
    const QByteArray bytes = eventBytes(event, data());
    for (QTcpSocket *socket : QSet<QTcpSocket *>(m_streams)) {
        if (socket->bytesToWrite() > kMaxStreamBacklog)
            m_listener.drop(socket);
        else
            socket->write(bytes);
    }
}

} // namespace bb::control
