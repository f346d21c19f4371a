#include "adminserver.h"

#include "apijson.h"

#include <QJsonDocument>
#include <QRandomGenerator>
#include <QSslSocket>

#include <algorithm>
#include <charconv>
#include <cmath>

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

// What a reader has not taken yet; over TLS most of it waits already encrypted.
qint64 untaken(const QTcpSocket *socket)
{
    const auto *tls = qobject_cast<const QSslSocket *>(socket);
    return socket->bytesToWrite() + (tls ? tls->encryptedBytesToWrite() : 0);
}
} // namespace

AdminServer::AdminServer(ControlService &control, AdminRouter router, std::optional<QSslConfiguration> tls,
                         QObject *parent)
    : QObject(parent), m_control(control), m_router(std::move(router)),
      m_listener({16 * 1024, 1 << 20, 256, 30'000, std::move(tls), kHandshakeTimeoutMs},
                 [this](QTcpSocket *socket, const proxy::HttpHead &head, const QByteArray &body) {
                     return answer(socket, head, body);
                 },
                 [](int status, const std::string &reason) {
                     return responseBytes(errorResponse(status, QString::fromStdString(reason)), false);
                 },
                 this),
      m_snapshotTick(this),
      m_run(QByteArray::number(QRandomGenerator::global()->generate64() & 0xffffffffffffull, 36))
{
    // Transitions and operator actions are kept for readers that come back;
    // snapshots are encoded only while someone listens.
    connect(&m_control, &ControlService::transitioned, this,
            [this](const TransitionEvent &e) { publish("transition", transitionJson(e)); });
    connect(&m_control, &ControlService::audited, this,
            [this](const persist::AuditEntry &e) { publish("operator_action", e.toJson()); });
    connect(&m_snapshotTick, &QTimer::timeout, this, &AdminServer::tick);
    m_snapshotTick.start(kTickMs);
}

bool AdminServer::answer(QTcpSocket *socket, const proxy::HttpHead &head, const QByteArray &body)
{
    const AdminResponse response = m_router.handle(
        {head.method, head.target, std::string(head.field("Authorization")), body, socket->peerAddress().toString()});
    if (response.eventStream) {
        openStream(socket, response, head.field("Last-Event-ID"));
        return false;
    }
    socket->write(responseBytes(response, head.keepAlive));
    if (!head.keepAlive)
        socket->disconnectFromHost();
    return head.keepAlive;
}

std::uint64_t AdminServer::takeChanges()
{
    const SharedStateSource *shared = m_control.sharedState();
    return m_changes.take(*m_control.snapshot(), m_control.traffic(),
                          shared ? std::optional(shared->sharedState()) : std::nullopt);
}

void AdminServer::openStream(QTcpSocket *socket, const AdminResponse &response, std::string_view lastEventId)
{
    // The stream ends when either side closes the connection.
    QByteArray out = responseBytes(response, false) + "retry: 2000\n\n";
    if (!lastEventId.empty())
        out += catchUp(lastEventId);
    const std::uint64_t version = takeChanges();
    socket->write(out + eventBytes("snapshot", m_changes.whole()));
    const int ticks = std::clamp(int(std::lround(1000.0 / (response.streamRate * kTickMs))), 1, 100);
    m_streams.insert(socket, {ticks, version});
    connect(socket, &QObject::destroyed, this, [this, socket] { m_streams.remove(socket); });
}

QByteArray AdminServer::catchUp(std::string_view lastEventId) const
{
    // Ids are RUN-SEQUENCE.
    const std::size_t dash = lastEventId.rfind('-');
    std::uint64_t last = 0;
    const bool ours = dash != std::string_view::npos && lastEventId.substr(0, dash) == m_run.toStdString() &&
                      std::from_chars(lastEventId.data() + dash + 1, lastEventId.data() + lastEventId.size(), last).ec ==
                          std::errc() &&
                      last <= m_sequence;
    const std::uint64_t oldest = m_kept.empty() ? m_sequence + 1 : m_kept.front().sequence;
    if (!ours || last + 1 < oldest) {
        QJsonObject gap{{"last_event_id", QString::fromUtf8(lastEventId.data(), qsizetype(lastEventId.size()))},
                        {"reason", ours ? "the events after it are no longer kept" : "not an id of this run"}};
        return eventBytes("gap", gap);
    }
    QByteArray out;
    for (const Kept &k : m_kept) {
        if (k.sequence > last)
            out += k.bytes;
    }
    return out;
}

void AdminServer::publish(const char *event, const QJsonObject &data)
{
    const std::uint64_t sequence = ++m_sequence;
    const QByteArray bytes = "id: " + m_run + '-' + QByteArray::number(sequence) + '\n' + eventBytes(event, data);
    m_kept.push_back({sequence, bytes});
    while (m_kept.size() > m_keptLimit)
        m_kept.pop_front();
    for (QTcpSocket *socket : m_streams.keys())
        sendTo(socket, bytes);
}

void AdminServer::sendTo(QTcpSocket *socket, const QByteArray &bytes)
{
    if (untaken(socket) > kMaxStreamBacklog) {
        m_streams.remove(socket); // now: the socket itself is deleted later
        m_listener.drop(socket);
    } else {
        socket->write(bytes);
    }
}

void AdminServer::tick()
{
    ++m_ticks;
    std::uint64_t now = 0;
    QHash<std::uint64_t, QByteArray> encoded; // by the version a reader last heard: readers alike share it
    const auto streams = m_streams.keys(); // a reader dropped meanwhile leaves m_streams
    for (QTcpSocket *socket : streams) {
        auto it = m_streams.find(socket);
        if (it == m_streams.end() || m_ticks % it->every != 0)
            continue;
        if (now == 0)
            now = takeChanges();
        QByteArray &bytes = encoded[it->version];
        if (bytes.isEmpty()) {
            const auto changes = m_changes.since(it->version);
            bytes = changes ? eventBytes("update", *changes) : eventBytes("snapshot", m_changes.whole());
        }
        it->version = now;
        sendTo(socket, bytes);
    }
}

} // namespace bb::control
