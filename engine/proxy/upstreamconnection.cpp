#include "upstreamconnection.h"

#include "hostresolver.h"
#include "tlscertificates.h"

#include <QTimerEvent>

#include <unistd.h>

namespace bb::proxy {

namespace {
constexpr std::uint32_t kUpstreamHeaderLimit = 64 * 1024;
// How long one of a name's addresses may take to connect while others
// remain to be tried; the last has the rest of the service's timeout.
constexpr std::chrono::milliseconds kAddressConnectTimeout{2000};
// Read ahead at most this much at a time (while an exchange has paused
// reading, what comes waits in the kernel, and over TLS at most one of
// OpenSSL's read-ahead buffers): a slow client holds the upstream back
// through TCP.
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
    m_tcp = new DescriptorSocket(this);
    m_tcp->setListener(this);
    m_stream = m_tcp;
    if (tls) {
        m_tlsStream = new TlsStream(this);
        m_tlsStream->setListener(this);
        m_stream = m_tlsStream;
    }
}

bool UpstreamConnection::isConnected() const
{
    return m_tlsStream ? m_tlsStream->handshakeDone() : m_tcp->state() == DescriptorSocket::State::Connected;
}

bool UpstreamConnection::unconnected() const
{
    return m_tcp->state() == DescriptorSocket::State::Unconnected && !(m_tlsStream && m_tlsStream->isOpen());
}

void UpstreamConnection::connectTo(const QHostAddress &address)
{
    m_tcpConnected = false;
    m_tcp->connectTo(address, m_port);
}

void UpstreamConnection::abortSocket()
{
    m_tcp->abort();
    if (m_tlsStream)
        m_tlsStream->abort();
}

QString UpstreamConnection::peerName() const
{
    return m_tls ? m_tls->peerName() : m_host;
}

void UpstreamConnection::socketConnected()
{
    if (m_tcp->isOpen())
        onTcpConnected();
    else
        onEncrypted(); // the TLS stream's handshake is done
}

void UpstreamConnection::onTcpConnected()
{
    if (m_connectTimer != 0)
        killTimer(m_connectTimer), m_connectTimer = 0;
    m_addresses.clear(); // a later error is not about connecting
    m_tcpConnected = true;
    if (m_tlsStream) {
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
    if (m_tlsStream && m_tcpConnected && !m_handshakeDone) {
        report(UpstreamFailure::Tls, tlsFailure());
        return;
    }
    // -1 is the TLS stream's: not an errno.
    const QString text = error != -1                   ? qt_error_string(error)
                         : m_tlsStream->failure().isEmpty() ? QStringLiteral("TLS: the upstream closed the connection")
                                                            : QStringLiteral("TLS: ") + m_tlsStream->failure();
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
    m_handshake = {};
    m_handshakeDone = false;
    // The pool's session carries what to verify and the session to resume.
    SSL *ssl = m_tls->newConnection(&m_handshake);
    const int descriptor = m_tcp->release();
    if (!ssl) {
        ::close(descriptor);
        report(UpstreamFailure::Tls, QStringLiteral("TLS: ") + openSslError());
        return;
    }
    m_tlsStream->connect(descriptor, ssl);
}

void UpstreamConnection::onEncrypted()
{
    m_handshakeDone = true;
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
    } else if (m_tls && !m_tls->problem().isEmpty()) {
        report(UpstreamFailure::Tls, m_tls->problem());
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
    m_stream->write(bytes); // to the kernel now, what it takes
}

bool UpstreamConnection::reusable() const
{
    return isConnected() && m_parser.done() && m_parser.head().keepAlive && m_offset >= m_in.size() && !m_reported;
}

void UpstreamConnection::setReadPaused(bool paused)
{
    const bool resume = m_paused && !paused;
    m_paused = paused;
    m_stream->setReading(!paused); // while paused, the kernel holds what comes
    // What arrived while paused (or OpenSSL has decrypted) is still waiting.
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
        // (TLS 1.3's session tickets are not bytes of the stream.)
        QByteArray junk;
        if (m_stream->readInto(junk, 1) > 0) {
            m_stream->abort();
            idleClosed();
        } // its end, if that is what came, is told by socketClosed
        return;
    }
    if (m_paused)
        return;
    m_stream->readInto(m_in, kReadAhead);
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
    if (m_tlsStream && m_tcpConnected && !m_handshakeDone) {
        report(UpstreamFailure::Tls, tlsFailure());
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

QString UpstreamConnection::tlsFailure() const
{
    const QString &why = m_tlsStream->failure();
    const QString backendText = !m_handshake.alert.isEmpty()
                                    ? QStringLiteral("it sent the alert \"%1\"").arg(m_handshake.alert)
                                : why.isEmpty() ? QStringLiteral("the upstream closed the connection")
                                                : why;
    return describeTlsFailure(m_handshake.errors, m_tls->peerName(), backendText);
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
