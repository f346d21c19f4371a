#include "clientconnection.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace bb::proxy {

namespace {
std::string_view hostWithoutPort(std::string_view host)
{
    if (!host.empty() && host.front() == '[') {
        const auto close = host.find(']');
        return close == std::string_view::npos ? host : host.substr(1, close - 1);
    }
    const auto colon = host.rfind(':');
    return colon == std::string_view::npos ? host : host.substr(0, colon);
}
} // namespace

ClientConnection::ClientConnection(qintptr descriptor, WorkerContext &context, QObject *parent)
    : QObject(parent)
    , m_context(context)
    , m_socket(new QTcpSocket(this))
    , m_parser(true, context.limits->maxHeaderBytes, context.limits->maxBodyBytes)
    , m_headerTimer(this)
    , m_idleTimer(this)
{
    m_socket->setSocketDescriptor(descriptor);
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_socket->setReadBufferSize(context.limits->window);
    m_peer = m_socket->peerAddress().toString().toLatin1();
    m_context.counters->connections.fetch_add(1, std::memory_order_relaxed);

    m_headerTimer.setSingleShot(true);
    m_idleTimer.setSingleShot(true);
    connect(&m_headerTimer, &QTimer::timeout, this, [this] {
        if (m_exchange)
            return;
        m_context.counters->badRequests.fetch_add(1, std::memory_order_relaxed);
        refuse(408, "Request Timeout", QStringLiteral("the request head did not arrive in time"));
    });
    connect(&m_idleTimer, &QTimer::timeout, this, &ClientConnection::closeConnection);
    connect(m_socket, &QTcpSocket::readyRead, this, &ClientConnection::onReadyRead);
    connect(m_socket, &QTcpSocket::bytesWritten, this, [this] {
        if (m_exchange && m_socket->bytesToWrite() < m_context.limits->window / 2)
            m_exchange->clientDrained();
    });
    connect(m_socket, &QTcpSocket::disconnected, this, [this] {
        if (m_exchange && !m_exchangeDone)
            m_exchange->abandon();
        closeConnection();
    });
    m_idleTimer.start(std::chrono::duration_cast<std::chrono::milliseconds>(m_context.limits->idleTimeout));
    if (m_socket->bytesAvailable() > 0)
        onReadyRead();
}

ClientConnection::~ClientConnection()
{
    if (m_exchange && !m_exchangeDone)
        m_exchange->abandon();
    if (m_exchange)
        m_context.activeExchanges->fetch_sub(1, std::memory_order_relaxed);
    delete m_exchange;
    qDeleteAll(m_retired);
    m_context.counters->connections.fetch_sub(1, std::memory_order_relaxed);
}

void ClientConnection::drain()
{
    m_draining = true;
    if (!m_exchange)
        closeConnection();
}

void ClientConnection::writeToClient(const QByteArray &bytes)
{
    if (m_closing)
        return;
    m_socket->write(bytes);
}

qint64 ClientConnection::clientPendingWrite() const { return m_socket->bytesToWrite(); }

void ClientConnection::exchangeFinished(bool closeAfter)
{
    m_exchangeDone = true;
    m_closeAfterExchange = m_closeAfterExchange || closeAfter;
    // The answer is complete: to the kernel now rather than on the next turn
    // of the event loop.
    m_socket->flush();
    process();
}

void ClientConnection::resumeRequestBody() { process(); }

void ClientConnection::onReadyRead()
{
    // Straight from the event loop: no finished exchange is on the stack.
    qDeleteAll(m_retired);
    m_retired.clear();
    pull();
    process();
}

bool ClientConnection::pull()
{
    // Only while less than a window waits unparsed here: a client that sends
    // faster than its upstream takes is held back by TCP, not by memory.
    const qint64 waiting = m_in.size() - m_offset;
    if (waiting >= m_context.limits->window || m_socket->bytesAvailable() == 0)
        return false;
    if (m_offset >= m_context.limits->window || m_offset >= m_in.size()) {
        m_in.remove(0, m_offset);
        m_offset = 0;
    }
    m_in.append(m_socket->read(std::min(m_context.limits->window - waiting, m_socket->bytesAvailable())));
    return true;
}

void ClientConnection::process()
{
    // Exchanges call back from inside their own work (a rejection answers
    // at once); the loop below then simply goes round again.
    if (m_inProcess) {
        m_processAgain = true;
        return;
    }
    m_inProcess = true;
    do {
        m_processAgain = false;
        processOnce();
    } while (m_processAgain && !m_closing);
    m_inProcess = false;
}

void ClientConnection::processOnce()
{
    while (!m_closing) {
        if (!m_exchange) {
            if (m_draining) {
                closeConnection();
                return;
            }
            if (m_offset >= m_in.size() && !pull()) {
                m_in.clear();
                m_offset = 0;
                return;
            }
            m_idleTimer.stop();
            if (!m_headerTimer.isActive())
                m_headerTimer.start(
                    std::chrono::duration_cast<std::chrono::milliseconds>(m_context.limits->headerTimeout));
            if (!parseHead())
                return;
        }
        if (!feedBody())
            return;
        if (!m_exchangeDone)
            return; // the exchange answers in its own time
        // The exchange may still be on the stack: it is deleted from the event loop.
        m_retired.push_back(std::exchange(m_exchange, nullptr));
        m_context.activeExchanges->fetch_sub(1, std::memory_order_relaxed);
        m_exchangeDone = false;
        m_parser.reset();
        if (m_closeAfterExchange) {
            m_socket->disconnectFromHost();
            closeConnection();
            return;
        }
        m_idleTimer.start(std::chrono::duration_cast<std::chrono::milliseconds>(m_context.limits->idleTimeout));
    }
}

bool ClientConnection::parseHead()
{
    const std::size_t used = m_parser.feed(m_in.constData() + m_offset, std::size_t(m_in.size() - m_offset));
    m_offset += qsizetype(used);
    switch (m_parser.error()) {
    case ParseError::None:
        break;
    case ParseError::HeaderTooLarge:
        m_context.counters->badRequests.fetch_add(1, std::memory_order_relaxed);
        refuse(431, "Request Header Fields Too Large", QString::fromStdString(m_parser.errorText()));
        return false;
    case ParseError::BodyTooLarge:
        m_context.counters->badRequests.fetch_add(1, std::memory_order_relaxed);
        refuse(413, "Content Too Large", QString::fromStdString(m_parser.errorText()));
        return false;
    case ParseError::BadMessage:
        m_context.counters->badRequests.fetch_add(1, std::memory_order_relaxed);
        refuse(400, "Bad Request", QString::fromStdString(m_parser.errorText()));
        return false;
    }
    if (!m_parser.headDone())
        return false;
    m_headerTimer.stop();
    route();
    return m_exchange != nullptr;
}

void ClientConnection::route()
{
    const HttpHead &head = m_parser.head();
    std::string target = head.target;
    std::string authority; // host holds a view into it for absolute-form targets
    std::string_view host = hostWithoutPort(head.field("Host"));
    if (head.method == "CONNECT") {
        m_context.counters->refused.fetch_add(1, std::memory_order_relaxed);
        refuse(403, "Forbidden", QStringLiteral("Breakerboard is a reverse proxy, not an open proxy: CONNECT is refused"));
        return;
    }
    if (target.rfind("http://", 0) == 0 || target.rfind("https://", 0) == 0) {
        // Absolute form: only for hosts this proxy serves.
        const std::size_t start = target.find("//") + 2;
        const std::size_t slash = target.find('/', start);
        authority = target.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
        const std::string_view targetHost = hostWithoutPort(authority);
        if (!m_context.routes->servesHost(targetHost)) {
            m_context.counters->refused.fetch_add(1, std::memory_order_relaxed);
            refuse(403, "Forbidden",
                   QStringLiteral("Breakerboard is not an open proxy: %1 is not a host it serves")
                       .arg(QString::fromStdString(std::string(targetHost))));
            return;
        }
        host = targetHost;
        target = slash == std::string::npos ? "/" : target.substr(slash);
    }
    if (target.empty() || (target.front() != '/' && target != "*")) {
        m_context.counters->badRequests.fetch_add(1, std::memory_order_relaxed);
        refuse(400, "Bad Request", QStringLiteral("the request target must be a path"));
        return;
    }
    RouteMatch match = m_context.routes->match(host, target);
    if (!match.service) {
        m_context.counters->unrouted.fetch_add(1, std::memory_order_relaxed);
        const QJsonObject o{{"error", "Not Found"},
                            {"message", QStringLiteral("no service is routed for %1").arg(QString::fromStdString(target))}};
        const QByteArray body = QJsonDocument(o).toJson(QJsonDocument::Compact);
        const bool close = !head.keepAlive || head.contentLength.value_or(0) > 0 || head.chunked;
        m_socket->write("HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: " +
                        QByteArray::number(body.size()) + (close ? "\r\nConnection: close" : "") + "\r\n\r\n" + body);
        if (close) {
            m_socket->disconnectFromHost();
            closeConnection();
        } else {
            m_parser.reset();
        }
        return;
    }
    m_exchange = new Exchange(m_context, *this, m_parser.takeHead(), std::move(match), nullptr);
    m_context.activeExchanges->fetch_add(1, std::memory_order_relaxed);
    m_exchangeDone = false;
    m_closeAfterExchange = m_draining;
    m_exchange->start();
}

bool ClientConnection::feedBody()
{
    for (;;) {
        QByteArray &body = m_parser.body();
        if (!body.isEmpty() || m_parser.done()) {
            const QByteArray piece = std::exchange(body, QByteArray());
            if (!m_exchangeDone || !piece.isEmpty() || m_parser.done())
                m_exchange->requestBody(piece, m_parser.done());
        }
        if (m_parser.done())
            return true;
        if (m_exchangeDone && m_closeAfterExchange)
            return true; // the body will not be read: the connection closes
        if (!m_exchange->acceptsBody())
            return false;
        if (m_offset >= m_in.size() && !pull()) {
            m_in.clear();
            m_offset = 0;
            return false;
        }
        const std::size_t used = m_parser.feed(m_in.constData() + m_offset, std::size_t(m_in.size() - m_offset));
        m_offset += qsizetype(used);
        if (m_parser.error() != ParseError::None) {
            const bool tooLarge = m_parser.error() == ParseError::BodyTooLarge;
            m_context.counters->badRequests.fetch_add(1, std::memory_order_relaxed);
            m_exchange->abandon();
            m_exchangeDone = true;
            if (!m_exchange->headSent())
                refuse(tooLarge ? 413 : 400, tooLarge ? "Content Too Large" : "Bad Request",
                       QString::fromStdString(m_parser.errorText()));
            else
                closeConnection();
            return false;
        }
        if (used == 0 && m_parser.body().isEmpty() && !m_parser.done())
            return false;
    }
}

void ClientConnection::refuse(int status, const char *reason, const QString &message)
{
    const QJsonObject o{{"error", QString::fromLatin1(reason)}, {"message", message}};
    const QByteArray body = QJsonDocument(o).toJson(QJsonDocument::Compact);
    m_socket->write("HTTP/1.1 " + QByteArray::number(status) + ' ' + reason +
                    "\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: " +
                    QByteArray::number(body.size()) + "\r\n\r\n" + body);
    m_socket->disconnectFromHost();
    closeConnection();
}

void ClientConnection::closeConnection()
{
    if (m_closing)
        return;
    m_closing = true;
    m_headerTimer.stop();
    m_idleTimer.stop();
    if (m_socket->state() == QAbstractSocket::ConnectedState)
        m_socket->disconnectFromHost();
    // Gone once the socket has written what it holds or after a grace period.
    if (m_socket->state() == QAbstractSocket::UnconnectedState) {
        deleteLater();
        return;
    }
    connect(m_socket, &QTcpSocket::disconnected, this, &QObject::deleteLater);
    QTimer::singleShot(5000, this, [this] { m_socket->abort(); deleteLater(); });
}

} // namespace bb::proxy
