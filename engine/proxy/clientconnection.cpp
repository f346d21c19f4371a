#include "clientconnection.h"
#include "requesttarget.h"

#include "descriptorsocket.h"
#include "tlsstream.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace bb::proxy {

namespace {
template <typename D> std::chrono::milliseconds ceilMs(D d)
{
    return std::chrono::ceil<std::chrono::milliseconds>(d);
}
} // namespace

ClientConnection::ClientConnection(qintptr descriptor, WorkerContext &context, QObject *parent)
    : QObject(parent)
    , m_context(context)
    , m_parser(true, context.limits->maxHeaderBytes, context.limits->maxBodyBytes)
    , m_deadlineTimer(this)
{
    if (context.tls) {
        m_socket = new TlsStream(int(descriptor), context.tls, this);
    } else {
        auto *plain = new DescriptorSocket(this);
        plain->adopt(int(descriptor));
        m_socket = plain;
    }
    m_socket->setListener(this);
    m_peer = m_socket->peerAddress().toString().toLatin1();
    m_context.counters->connections.fetch_add(1, std::memory_order_relaxed);

    m_deadlineTimer.setSingleShot(true);
    m_deadlineTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_deadlineTimer, &QTimer::timeout, this, &ClientConnection::updateDeadline);
    m_lastByte = m_lastWriteProgress = std::chrono::steady_clock::now();
    updateDeadline();
}

void ClientConnection::socketWritten()
{
    if (m_exchange && m_socket->bytesToWrite() < m_context.limits->window / 2)
        m_exchange->clientDrained();
    wrote();
}

void ClientConnection::socketDrained()
{
    if (m_exchange)
        m_exchange->clientDrained();
    wrote();
}

void ClientConnection::wrote()
{
    // Only a connection waiting for its client to read needs the time of
    // each write; once all is written it waits for something else.
    if (m_waiting == Waiting::ClientReads) {
        m_lastWriteProgress = std::chrono::steady_clock::now();
        if (m_socket->bytesToWrite() == 0)
            updateDeadline();
    }
}

void ClientConnection::socketClosed(int)
{
    if (m_closing) {
        deleteLater(); // everything written has gone
        return;
    }
    if (m_exchange && !m_exchangeDone)
        m_exchange->abandon();
    closeConnection();
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
    if (m_waiting == Waiting::Nothing)
        updateDeadline(); // an answer now waits for the client to take it
}

qint64 ClientConnection::clientPendingWrite() const { return m_socket->bytesToWrite(); }

void ClientConnection::exchangeFinished(bool closeAfter)
{
    m_exchangeDone = true;
    m_closeAfterExchange = m_closeAfterExchange || closeAfter;
    process();
}

void ClientConnection::resumeRequestBody() { process(); }

void ClientConnection::socketReadable()
{
    // Straight from the event loop: no finished exchange is on the stack.
    for (Exchange *e : std::as_const(m_retired)) {
        m_parser.recycle(e->takeRequest());
        delete e;
    }
    m_retired.clear();
    m_readable = true;
    if (m_waiting == Waiting::Body)
        m_lastByte = std::chrono::steady_clock::now(); // only the body's deadline counts from the last byte
    pull();
    process();
}

bool ClientConnection::pull()
{
    // Only while less than a window waits unparsed here: a client that sends
    // faster than its upstream takes is held back by TCP, not by memory.
    const qint64 waiting = m_in.size() - m_offset;
    if (waiting >= m_context.limits->window || !m_readable)
        return false;
    if (m_offset >= m_context.limits->window || m_offset >= m_in.size()) {
        m_in.remove(0, m_offset);
        m_offset = 0;
    }
    const qint64 want = m_context.limits->window - waiting;
    const qint64 got = m_socket->readInto(m_in, want);
    if (got < want) {
        m_readable = false; // all that waited is here: the stream tells when more comes
        m_socket->setReading(true);
    }
    return got > 0;
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
    // Bytes left waiting below (a full window, or an exchange that takes no
    // more body now) are not to wake the loop again until they are wanted.
    if (m_readable && !m_closing)
        m_socket->setReading(false);
    updateDeadline();
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
                emptyKeepingRoom(m_in);
                m_offset = 0;
                return;
            }
            if (!m_headStarted) {
                m_headStarted = true;
                m_headStart = std::chrono::steady_clock::now();
            }
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
            closeConnection();
            return;
        }
    }
}

bool ClientConnection::parseHead()
{
    const std::size_t used = m_parser.feed(m_in.constData() + m_offset, std::size_t(m_in.size() - m_offset));
    m_offset += qsizetype(used);
    if (m_parser.error() != ParseError::None) {
        m_context.counters->badRequests.fetch_add(1, std::memory_order_relaxed);
        refuse(statusFor(m_parser.error()), reasonFor(m_parser.error()), QString::fromStdString(m_parser.errorText()));
        return false;
    }
    if (!m_parser.headDone())
        return false;
    m_headStarted = false;
    m_bodyWaited = {};
    route();
    return m_exchange != nullptr;
}

void ClientConnection::route()
{
    const HttpHead &head = m_parser.head();
    const TargetResolution resolution =
        resolveTarget(head, [this](std::string_view host) { return m_context.routes->servesHost(host); });
    if (const auto *refusal = std::get_if<TargetRefusal>(&resolution)) {
        auto &counter = refusal->kind == TargetRefusal::Kind::NotServed ? m_context.counters->refused
                                                                         : m_context.counters->badRequests;
        counter.fetch_add(1, std::memory_order_relaxed);
        refuse(refusal->status, refusal->reason, QString::fromStdString(refusal->message));
        return;
    }
    const auto &[host, target] = std::get<ResolvedTarget>(resolution);
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
            closeConnection();
        } else {
            m_parser.reset();
        }
        return;
    }
    m_exchange = new Exchange(m_context, *this, m_parser.takeHead(), std::move(match));
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
            emptyKeepingRoom(m_in);
            m_offset = 0;
            return false;
        }
        const std::size_t used = m_parser.feed(m_in.constData() + m_offset, std::size_t(m_in.size() - m_offset));
        m_offset += qsizetype(used);
        if (m_parser.error() != ParseError::None) {
            m_context.counters->badRequests.fetch_add(1, std::memory_order_relaxed);
            m_exchange->abandon();
            m_exchangeDone = true;
            if (!m_exchange->headSent())
                refuse(statusFor(m_parser.error()), reasonFor(m_parser.error()),
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
    closeConnection();
}

void ClientConnection::closeConnection()
{
    if (m_closing)
        return;
    m_closing = true;
    m_deadlineTimer.stop();
    // Gone once the stream has written what it holds (socketClosed) or after a grace period.
    if (!m_socket->isOpen()) {
        deleteLater();
        return;
    }
    m_socket->closeAfterWrite();
    QTimer::singleShot(5000, this, [this] { m_socket->abort(); deleteLater(); });
}

ClientConnection::Waiting ClientConnection::waitingFor() const
{
    if (m_closing)
        return Waiting::Nothing;
    const bool unread = m_offset < m_in.size() || m_readable;
    if (!m_exchange) {
        if (m_headStarted || unread)
            return Waiting::Head;
        return m_socket->bytesToWrite() > 0 ? Waiting::ClientReads : Waiting::NextRequest;
    }
    // The rest of a body, while the exchange takes it (or has answered and drops it).
    if (!m_parser.done() && !unread && (m_exchangeDone || m_exchange->acceptsBody()))
        return Waiting::Body;
    return m_socket->bytesToWrite() > 0 ? Waiting::ClientReads : Waiting::Nothing;
}

ClientConnection::SteadyTime ClientConnection::deadlineOf(Waiting waiting) const
{
    const ProxyLimits &limits = *m_context.limits;
    switch (waiting) {
    case Waiting::Nothing:
        return SteadyTime::max();
    case Waiting::NextRequest:
        return m_waitingSince + limits.idleTimeout;
    case Waiting::Head:
        return (m_headStarted ? m_headStart : m_waitingSince) + limits.headerTimeout;
    case Waiting::Body:
        return std::min(std::max(m_lastByte, m_waitingSince) + limits.bodyIdleTimeout,
                        m_waitingSince + (limits.bodyTimeout - m_bodyWaited));
    case Waiting::ClientReads:
        return std::max(m_lastWriteProgress, m_waitingSince) + limits.sendTimeout;
    }
    return SteadyTime::max();
}

void ClientConnection::updateDeadline()
{
    const Waiting waiting = waitingFor();
    if (waiting == Waiting::Nothing && m_waiting == Waiting::Nothing)
        return; // an exchange under way: nothing to time here, not even the clock
    const SteadyTime now = std::chrono::steady_clock::now();
    if (waiting != m_waiting) {
        if (m_waiting == Waiting::Body)
            m_bodyWaited += now - m_waitingSince;
        m_waiting = waiting;
        m_waitingSince = now;
    }
    if (waiting == Waiting::Nothing)
        return; // a timer still armed finds nothing to wait for when it fires
    const SteadyTime deadline = deadlineOf(waiting);
    if (now >= deadline) {
        m_deadlineTimer.stop();
        deadlineReached(waiting);
        return;
    }
    // A later deadline than the one armed waits for the armed one to fire
    // and is checked then: no timer restarts per byte.
    if (!m_deadlineTimer.isActive() || deadline < m_armedFor) {
        m_armedFor = deadline;
        m_deadlineTimer.start(ceilMs(deadline - now));
    }
}

void ClientConnection::deadlineReached(Waiting waiting)
{
    switch (waiting) {
    case Waiting::Nothing:
    case Waiting::NextRequest:
        closeConnection();
        return;
    case Waiting::Head:
        m_context.counters->badRequests.fetch_add(1, std::memory_order_relaxed);
        refuse(408, "Request Timeout", QStringLiteral("the request head did not arrive in time"));
        return;
    case Waiting::Body:
        if (m_exchangeDone) {
            closeConnection(); // answered already; the rest of the body is not worth waiting for
            return;
        }
        m_exchangeDone = true;
        m_exchange->clientTimedOut();
        if (!m_exchange->headSent())
            refuse(408, "Request Timeout", QStringLiteral("the request body did not arrive in time"));
        else
            closeConnection();
        return;
    case Waiting::ClientReads:
        // A client that takes none of its answer: its request ends here.
        if (m_exchange && !m_exchangeDone) {
            m_exchangeDone = true;
            m_exchange->clientTimedOut();
        }
        m_socket->abort();
        closeConnection();
        return;
    }
}

} // namespace bb::proxy
