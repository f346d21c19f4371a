#include "tlsstream.h"

#include "descriptorsocket.h"
#include "tlscertificates.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <unistd.h>

namespace bb::proxy {

namespace {
constexpr qint64 kReadChunk = 64 * 1024;

// Why an SSL call failed: empty when the peer closed the connection (an
// end of stream, or a close that OpenSSL counts as unexpected), else
// OpenSSL's reason or the system's.
QString whyFailed(int error, int systemError)
{
    const unsigned long code = ERR_peek_error();
    if (error == SSL_ERROR_ZERO_RETURN || (code == 0 && error == SSL_ERROR_SYSCALL && systemError == 0) ||
        ERR_GET_REASON(code) == SSL_R_UNEXPECTED_EOF_WHILE_READING) {
        ERR_clear_error();
        return {};
    }
    if (code == 0 && error == SSL_ERROR_SYSCALL)
        return qt_error_string(systemError);
    return openSslError();
}
} // namespace

TlsStream::TlsStream(int descriptor, std::shared_ptr<const TlsServerContext> context, QObject *parent)
    : ByteStream(parent)
    , m_context(std::move(context))
{
    SSL *ssl = SSL_new(m_context->context());
    if (ssl)
        SSL_set_accept_state(ssl);
    start(descriptor, ssl); // the client speaks first
}

TlsStream::TlsStream(QObject *parent) : ByteStream(parent) {}

void TlsStream::connect(int descriptor, SSL *ssl)
{
    if (ssl)
        SSL_set_connect_state(ssl);
    start(descriptor, ssl);
    m_handshakeWantsWrite = true; // the hello goes once the loop says the socket takes it
    follow();
}

void TlsStream::start(int descriptor, SSL *ssl)
{
    closeDescriptor();
    m_fd = descriptor;
    m_ssl = ssl;
    m_failure.clear();
    m_handshaking = true;
    m_handshakeWantsWrite = m_readWantsWrite = m_writeWantsRead = false;
    m_reading = true;
    m_atEnd = m_closeAfterWrite = false;
    prepareDescriptor(m_fd);
    if (!m_ssl || SSL_set_fd(m_ssl, m_fd) != 1) {
        m_failure = openSslError();
        finishLater(-1);
        return;
    }
    m_readiness = std::make_unique<Readiness>(m_fd, static_cast<Readiness::Listener &>(*this));
    follow();
}

TlsStream::~TlsStream()
{
    closeDescriptor();
}

QHostAddress TlsStream::peerAddress() const
{
    return peerAddressOf(m_fd);
}

void TlsStream::handshake()
{
    ERR_clear_error();
    const int r = SSL_do_handshake(m_ssl);
    const int systemError = errno;
    if (r == 1) {
        m_handshaking = false;
        follow();
        const quint64 generation = m_generation;
        if (m_listener)
            m_listener->socketConnected();
        if (generation != m_generation || (bytesToWrite() > 0 && !flush()))
            return;
        // The request may have come with the handshake's last flight and
        // already be read from the kernel: no notifier would tell.
        if (SSL_has_pending(m_ssl) && m_listener)
            m_listener->socketReadable();
        return;
    }
    const int error = SSL_get_error(m_ssl, r);
    if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) {
        m_handshakeWantsWrite = error == SSL_ERROR_WANT_WRITE;
        follow();
        return;
    }
    m_failure = whyFailed(error, systemError);
    finish(-1); // not TLS, or a handshake that failed: no answer
}

qint64 TlsStream::readInto(QByteArray &buffer, qint64 max)
{
    if (m_fd < 0 || m_handshaking || m_atEnd)
        return 0;
    thread_local char space[kReadChunk];
    qint64 total = 0;
    while (total < max) {
        ERR_clear_error();
        const int n = SSL_read(m_ssl, space, int(std::min(kReadChunk, max - total)));
        const int systemError = errno;
        if (n > 0) {
            buffer.append(space, n);
            total += n;
            // Nothing left of what OpenSSL read ahead: the kernel is asked
            // again only when the notifier says it has more.
            if (!SSL_has_pending(m_ssl))
                break;
            continue;
        }
        const int error = SSL_get_error(m_ssl, n);
        if (error == SSL_ERROR_WANT_READ)
            break;
        if (error == SSL_ERROR_WANT_WRITE) {
            m_readWantsWrite = true;
            follow();
            break;
        }
        m_failure = whyFailed(error, systemError);
        m_atEnd = true;
        follow();
        finishLater(m_failure.isEmpty() ? 0 : -1);
        break;
    }
    return total;
}

void TlsStream::setReading(bool on)
{
    m_reading = on;
    follow();
}

void TlsStream::write(const char *data, qint64 size)
{
    if (m_fd < 0 || size <= 0)
        return;
    if (m_outOffset > 0 && m_outOffset >= m_out.size() / 2) {
        m_out.remove(0, m_outOffset);
        m_outOffset = 0;
    }
    const bool idle = bytesToWrite() == 0;
    m_out.append(data, size);
    if (!m_handshaking && idle && !m_writeWantsRead)
        flush(); // straight to the kernel; only what it leaves waits
    else
        follow();
}

bool TlsStream::flush()
{
    bool progressed = false;
    while (bytesToWrite() > 0) {
        ERR_clear_error();
        const int n = SSL_write(m_ssl, m_out.constData() + m_outOffset, int(std::min<qint64>(bytesToWrite(), INT_MAX)));
        const int systemError = errno;
        if (n > 0) {
            m_outOffset += n;
            progressed = true;
            continue;
        }
        const int error = SSL_get_error(m_ssl, n);
        if (error == SSL_ERROR_WANT_WRITE || error == SSL_ERROR_WANT_READ) {
            m_writeWantsRead = error == SSL_ERROR_WANT_READ;
            follow();
            if (progressed && m_listener)
                m_listener->socketWritten();
            return true;
        }
        m_failure = whyFailed(error, systemError);
        finishLater(-1);
        return false;
    }
    m_out.clear();
    m_outOffset = 0;
    follow();
    if (m_closeAfterWrite) {
        SSL_shutdown(m_ssl); // close_notify, once; the peer's answer is not awaited
        finishLater(0);
        return false;
    }
    if (progressed && m_listener)
        m_listener->socketDrained();
    return true;
}

void TlsStream::closeAfterWrite()
{
    if (m_fd < 0 || m_closeAfterWrite)
        return;
    m_closeAfterWrite = true;
    follow();
    if (m_handshaking) {
        finishLater(0);
        return;
    }
    if (bytesToWrite() == 0) {
        ERR_clear_error();
        SSL_shutdown(m_ssl);
        finishLater(0);
    }
}

void TlsStream::abort()
{
    closeDescriptor();
}

void TlsStream::onReadable()
{
    if (m_handshaking) {
        handshake();
        return;
    }
    if (m_writeWantsRead) {
        m_writeWantsRead = false;
        if (!flush())
            return;
    }
    if (m_reading && !m_atEnd && m_listener)
        m_listener->socketReadable();
    else
        follow();
}

void TlsStream::onWritable()
{
    if (m_handshaking) {
        handshake();
        return;
    }
    if (m_readWantsWrite) {
        m_readWantsWrite = false;
        follow();
        if (m_listener)
            m_listener->socketReadable(); // the read it held up can go on
        if (m_fd < 0)
            return;
    }
    if (bytesToWrite() > 0 && !m_writeWantsRead)
        flush();
}

void TlsStream::follow()
{
    if (!m_readiness)
        return;
    bool read = false;
    bool write = false;
    if (m_handshaking) {
        read = !m_handshakeWantsWrite && !m_closeAfterWrite;
        write = m_handshakeWantsWrite && !m_closeAfterWrite;
    } else {
        read = (m_reading && !m_atEnd && !m_closeAfterWrite) || m_writeWantsRead;
        write = (bytesToWrite() > 0 && !m_writeWantsRead) || m_readWantsWrite;
    }
    m_readiness->setReading(read);
    m_readiness->setWriting(write);
}

void TlsStream::finish(int error)
{
    if (m_fd < 0)
        return;
    closeDescriptor();
    if (m_listener)
        m_listener->socketClosed(error);
}

void TlsStream::closeDescriptor()
{
    m_readiness.reset();
    if (m_ssl) {
        SSL_free(m_ssl);
        m_ssl = nullptr;
    }
    if (m_fd >= 0) {
        ::close(m_fd);
        ++m_generation;
    }
    m_fd = -1;
    m_out.clear();
    m_outOffset = 0;
}

} // namespace bb::proxy
