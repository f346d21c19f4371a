#include "upstreamconnection.h"

#include "hostresolver.h"
#include "upstreamtls.h"

#include <QSslSocket>
#include <QTimerEvent>

namespace bb::proxy {

namespace {
constexpr std::uint32_t kUpstreamHeaderLimit = 64 * 1024;
// How long one of a name's addresses may take to connect while others
// remain to be tried; the last has the rest of the service's timeout.
constexpr std::chrono::milliseconds kAddressConnectTimeout{2000};
// Read ahead at most this much at a time (and, over TLS, in Qt's buffer
// while an exchange has paused reading): a slow client holds the upstream
// back through TCP.
constexpr qint64 kReadAhead = 256 * 1024;
} // namespace

UpstreamConnection::UpstreamConnection(std::string key, QString host, quint16 port, HostResolver *resolver,
                                       UpstreamTlsSession *tls,
                                       std::function<void(UpstreamConnection *)> onIdleClose, QObject *parent)
    : QObject(parent)
    , m_resolver(resolver)
    , m_tls(tls)
    , m_onIdleClose(std::move(onIdleClose))
    , m_host(std::move(host))
    , m_port(port)
    , m_key(std::move(key))
    , m_parser(false, kUpstreamHeaderLimit, std::numeric_limits<std::uint64_t>::max())
{
    if (!tls) {
        m_plain = new DescriptorSocket(this);
        m_plain->setListener(this);
        return;
    }
    m_ssl = new QSslSocket(this);
    m_ssl->setReadBufferSize(kReadAhead);
    connect(m_ssl, &QTcpSocket::connected, this, &UpstreamConnection::onTcpConnected);
    connect(m_ssl, &QTcpSocket::readyRead, this, &UpstreamConnection::onReadyRead);
    connect(m_ssl, &QTcpSocket::disconnected, this, &UpstreamConnection::onDisconnected);
    connect(m_ssl, &QTcpSocket::errorOccurred, this, &UpstreamConnection::onError);
    connect(m_ssl, &QTcpSocket::bytesWritten, this, [this] {
        if (m_ssl->bytesToWrite() == 0 && m_listener)
            m_listener->upstreamDrained();
    });
    connect(m_ssl, &QSslSocket::encrypted, this, &UpstreamConnection::onEncrypted);
    connect(m_ssl, &QSslSocket::sslErrors, this, [this](const QList<QSslError> &errors) { m_tlsErrors = errors; });
    connect(m_ssl, &QSslSocket::alertReceived, this,
            [this](QSsl::AlertLevel level, QSsl::AlertType, const QString &description) {
                if (level == QSsl::AlertLevel::Fatal)
                    m_tlsAlert = description;
            });
    connect(m_ssl, &QSslSocket::newSessionTicketReceived, this,
            [this] { m_tls->keepSession(m_ssl->sslConfiguration().sessionTicket()); });
}

bool UpstreamConnection::isConnected() const
{
    if (m_plain)
        return m_plain->state() == DescriptorSocket::State::Connected;
    return m_ssl->state() == QAbstractSocket::ConnectedState && m_ssl->isEncrypted();
}

bool UpstreamConnection::unconnected() const
{
    return m_plain ? m_plain->state() == DescriptorSocket::State::Unconnected
                   : m_ssl->state() == QAbstractSocket::UnconnectedState;
}

void UpstreamConnection::connectTo(const QHostAddress &address)
{
    m_tcpConnected = false;
    if (m_plain)
        m_plain->connectTo(address, m_port);
    else
        m_ssl->connectToHost(address, m_port);
}

void UpstreamConnection::abortSocket()
{
    if (m_plain)
        m_plain->abort();
    else
        m_ssl->abort();
}

QString UpstreamConnection::peerName() const
{
    return m_tls ? m_tls->peerName : m_host;
}

void UpstreamConnection::onTcpConnected()
{
    if (m_connectTimer != 0)
        killTimer(m_connectTimer), m_connectTimer = 0;
    m_addresses.clear(); // a later error is not about connecting
    m_tcpConnected = true;
    if (m_ssl) {
        m_ssl->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        startTls();
    } else if (m_listener) {
        m_listener->upstreamConnected();
    }
}

void UpstreamConnection::socketDrained()
{
    if (m_listener)
        m_listener->upstreamDrained();
}

void UpstreamConnection::socketClosed(int error)
{
    if (error == 0) {
        onDisconnected();
        return;
    }
    if (!m_active) {
        idleClosed();
        return;
    }
    const QString text = qt_error_string(error);
    if (m_tcpConnected)
        report(UpstreamFailure::Reset, text);
    else if (m_addresses.isEmpty())
        report(UpstreamFailure::ConnectFailed, text);
    else
        addressFailed(text);
}

void UpstreamConnection::idleClosed()
{
    if (!m_listener && m_onIdleClose)
        m_onIdleClose(this);
}

void UpstreamConnection::startTls()
{
    QSslSocket *ssl = m_ssl;
    m_tlsErrors.clear();
    m_tlsAlert.clear();
    m_handshakeDone = false;
    // The pool's configuration carries the session to resume, if any.
    ssl->setSslConfiguration(m_tls->configuration);
    ssl->setPeerVerifyName(m_tls->peerName);
    ssl->startClientEncryption();
}

void UpstreamConnection::onEncrypted()
{
    m_handshakeDone = true;
    // TLS 1.2 gives its session with the handshake; 1.3 in a ticket later.
    m_tls->keepSession(m_ssl->sslConfiguration().sessionTicket());
    if (m_listener && m_active)
        m_listener->upstreamConnected();
}

UpstreamConnection::~UpstreamConnection() = default;

void UpstreamConnection::begin(bool expectBodylessResponse)
{
    m_active = true;
    m_sawBytes = false;
    m_reported = false;
    m_bodyless = expectBodylessResponse;
    ++m_uses;
    m_parser.reset();
    if (m_bodyless)
        m_parser.skipBody();
    if (!unconnected()) {
        if (isConnected() && m_listener)
            m_listener->upstreamConnected();
    } else if (m_tls && !m_tls->problem.isEmpty()) {
        report(UpstreamFailure::Tls, m_tls->problem);
    } else if (m_resolver) {
        connectToName();
    } else {
        connectTo(QHostAddress(m_host)); // an IP literal
    }
}

void UpstreamConnection::connectToName()
{
    m_addresses.clear();
    m_nextAddress = 0;
    m_addressFailures.clear();
    m_resolver->resolve(m_host, this, [this](const HostAddresses &answer) {
        if (!m_active || m_reported)
            return; // given up while the name was looked up
        if (answer.addresses.isEmpty()) {
            report(UpstreamFailure::Unresolved,
                   QStringLiteral("name %1 does not resolve: %2").arg(m_host, answer.error));
            return;
        }
        m_addresses = answer.addresses;
        connectNext();
    });
}

void UpstreamConnection::connectNext()
{
    if (!m_active || m_reported)
        return;
    const QHostAddress &address = m_addresses.at(m_nextAddress++);
    if (m_nextAddress < m_addresses.size())
        m_connectTimer = startTimer(kAddressConnectTimeout);
    connectTo(address);
}

void UpstreamConnection::addressFailed(const QString &failure)
{
    if (m_connectTimer != 0)
        killTimer(m_connectTimer), m_connectTimer = 0;
    m_addressFailures += m_addresses.at(m_nextAddress - 1).toString() + QStringLiteral(": ") + failure;
    if (m_nextAddress < m_addresses.size()) {
        abortSocket();
        // Not from inside the socket's own error signal.
        QMetaObject::invokeMethod(this, &UpstreamConnection::connectNext, Qt::QueuedConnection);
        return;
    }
    // Every address failed: perhaps the name has moved; ask again next time.
    m_resolver->invalidate(m_host);
    report(UpstreamFailure::ConnectFailed, m_host + QStringLiteral(": no address took the connection: ") +
                                               m_addressFailures.join(QStringLiteral("; ")));
}

void UpstreamConnection::timerEvent(QTimerEvent *event)
{
    if (event->timerId() != m_connectTimer)
        return;
    killTimer(m_connectTimer);
    m_connectTimer = 0;
    if (m_active && !m_reported)
        addressFailed(QStringLiteral("connect timed out"));
}

void UpstreamConnection::send(const QByteArray &bytes)
{
    if (m_plain) {
        m_plain->write(bytes); // to the kernel now, what it takes
        return;
    }
    m_ssl->write(bytes);
    // Now, not on the next turn of the event loop: one wake-up less per request.
    m_ssl->flush();
}

bool UpstreamConnection::reusable() const
{
    return isConnected() && m_parser.done() && m_parser.head().keepAlive && m_offset >= m_in.size() && !m_reported;
}

void UpstreamConnection::setReadPaused(bool paused)
{
    const bool resume = m_paused && !paused;
    m_paused = paused;
    if (m_plain)
        m_plain->setReading(!paused); // while paused, the kernel holds what comes
    // What arrived while paused is still waiting in the socket.
    if (resume)
        QMetaObject::invokeMethod(this, &UpstreamConnection::onReadyRead, Qt::QueuedConnection);
}

void UpstreamConnection::abort()
{
    m_active = false;
    abortSocket();
}

void UpstreamConnection::onReadyRead()
{
    if (!m_active) {
        // An idle connection has nothing to say; bytes here mean it is broken.
        if (m_plain) {
            QByteArray junk;
            if (m_plain->readInto(junk, 1) > 0) {
                m_plain->abort();
                idleClosed();
            } // its end, if that is what came, is told by socketClosed
        } else if (m_ssl->bytesAvailable() > 0) {
            m_ssl->abort();
        }
        return;
    }
    if (m_paused)
        return;
    if (m_plain)
        m_plain->readInto(m_in, kReadAhead);
    else
        m_in.append(m_ssl->readAll());
    if (m_in.size() > m_offset)
        m_sawBytes = true;
    pump();
}

void UpstreamConnection::pump()
{
    if (!m_active || m_paused)
        return;
    const bool hadHead = m_parser.headDone();
    for (;;) {
        const std::size_t used = m_parser.feed(m_in.constData() + m_offset, std::size_t(m_in.size() - m_offset));
        m_offset += qsizetype(used);
        if (m_parser.error() != ParseError::None) {
            report(UpstreamFailure::BadResponse, QString::fromStdString(m_parser.errorText()));
            return;
        }
        // 1xx answers (103 Early Hints, a stray 100) are not the response.
        if (m_parser.done() && m_parser.head().status >= 100 && m_parser.head().status < 200) {
            m_parser.reset();
            if (m_bodyless)
                m_parser.skipBody();
            continue;
        }
        break;
    }
    if (m_offset == m_in.size()) {
        emptyKeepingRoom(m_in);
        m_offset = 0;
    }
    // The listener may let go of this connection in any of these calls.
    if (!hadHead && m_parser.headDone() && m_listener)
        m_listener->upstreamResponseHead();
    if (!m_parser.body().isEmpty() && m_listener)
        m_listener->upstreamResponseBody();
    if (m_parser.done() && m_active) {
        m_active = false;
        if (m_listener)
            m_listener->upstreamComplete();
    }
}

void UpstreamConnection::onDisconnected()
{
    if (!m_active) {
        idleClosed();
        return;
    }
    if (m_tls && !m_handshakeDone) {
        report(UpstreamFailure::Tls, tlsFailure(QStringLiteral("the upstream closed the connection")));
        return;
    }
    // A body that runs to the end of the connection ends here.
    if (m_parser.headDone() && m_parser.needEof()) {
        m_parser.feedEof();
        pump();
        if (!m_active)
            return;
    }
    report(UpstreamFailure::Reset, QStringLiteral("upstream closed the connection before the response was complete"));
}

void UpstreamConnection::onError(QAbstractSocket::SocketError error)
{
    if (!m_active)
        return;
    if (error == QAbstractSocket::RemoteHostClosedError)
        return; // onDisconnected decides
    if (handshaking() || error == QAbstractSocket::SslHandshakeFailedError) {
        report(UpstreamFailure::Tls, tlsFailure(m_ssl->errorString()));
        return;
    }
    const bool beforeConnect = m_ssl->state() != QAbstractSocket::ConnectedState && !m_sawBytes &&
                               (error == QAbstractSocket::ConnectionRefusedError ||
                                error == QAbstractSocket::HostNotFoundError || error == QAbstractSocket::NetworkError ||
                                error == QAbstractSocket::SocketTimeoutError);
    if (!beforeConnect) {
        report(UpstreamFailure::Reset, m_ssl->errorString());
        return;
    }
    if (m_addresses.isEmpty())
        report(UpstreamFailure::ConnectFailed, m_ssl->errorString());
    else
        addressFailed(m_ssl->errorString());
}

QString UpstreamConnection::tlsFailure(const QString &backendText) const
{
    return describeTlsFailure(m_tlsErrors, m_tls->peerName,
                              m_tlsAlert.isEmpty() ? backendText : QStringLiteral("it sent the alert \"%1\"").arg(m_tlsAlert));
}

void UpstreamConnection::report(UpstreamFailure kind, const QString &detail)
{
    if (m_reported)
        return;
    m_reported = true;
    m_active = false;
    abortSocket();
    if (m_listener)
        m_listener->upstreamFailed(kind, detail);
}

} // namespace bb::proxy
