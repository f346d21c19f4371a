#include "descriptorsocket.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace bb::proxy {

namespace {
constexpr qint64 kReadChunk = 64 * 1024;

// recv and send as bare system calls. In a process with threads, glibc's
// wrappers make each one a cancellation point (two more calls around it),
// and read(2) takes the file's position lock that a socket does not use.
// The proxy cancels no thread.
ssize_t receiveSome(int fd, char *into, std::size_t size)
{
    return ::syscall(SYS_recvfrom, fd, into, size, 0, nullptr, nullptr);
}

ssize_t sendSome(int fd, const char *data, std::size_t size)
{
    return ::syscall(SYS_sendto, fd, data, size, MSG_NOSIGNAL, nullptr, 0);
}
} // namespace

bool prepareDescriptor(int fd)
{
    const int flags = ::fcntl(fd, F_GETFL);
    if (flags < 0 || ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0)
        return false;
    const int on = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on); // not TCP (a test's socket pair): nothing to do
    return true;
}

QHostAddress peerAddressOf(int fd)
{
    sockaddr_storage at{};
    socklen_t length = sizeof at;
    if (fd < 0 || ::getpeername(fd, reinterpret_cast<sockaddr *>(&at), &length) != 0)
        return {};
    return QHostAddress(reinterpret_cast<const sockaddr *>(&at));
}

socklen_t socketAddress(const QHostAddress &address, quint16 port, sockaddr_storage *out)
{
    *out = {};
    if (address.protocol() == QAbstractSocket::IPv6Protocol) {
        auto *in6 = reinterpret_cast<sockaddr_in6 *>(out);
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons(port);
        const Q_IPV6ADDR bytes = address.toIPv6Address();
        std::memcpy(&in6->sin6_addr, &bytes, sizeof bytes);
        return sizeof *in6;
    }
    auto *in4 = reinterpret_cast<sockaddr_in *>(out);
    in4->sin_family = AF_INET;
    in4->sin_port = htons(port);
    in4->sin_addr.s_addr = htonl(address.toIPv4Address());
    return sizeof *in4;
}

DescriptorSocket::DescriptorSocket(QObject *parent) : ByteStream(parent) {}

DescriptorSocket::~DescriptorSocket()
{
    closeDescriptor();
}

bool DescriptorSocket::adopt(int descriptor)
{
    if (!prepareDescriptor(descriptor))
        return false;
    closeDescriptor();
    m_fd = descriptor;
    m_readiness = std::make_unique<Readiness>(m_fd, static_cast<Readiness::Listener &>(*this));
    m_readiness->setReading(m_reading);
    m_state = State::Connected;
    return true;
}

void DescriptorSocket::connectTo(const QHostAddress &address, quint16 port)
{
    closeDescriptor();
    sockaddr_storage at{};
    const socklen_t length = socketAddress(address, port, &at);
    const int fd = ::socket(at.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        const int error = errno;
        finishLater(error);
        return;
    }
    adopt(fd);
    m_readiness->setReading(false);
    if (::connect(fd, reinterpret_cast<sockaddr *>(&at), length) == 0 || errno == EINPROGRESS) {
        // Done or under way: the socket turns writable either way.
        m_state = State::Connecting;
        m_readiness->setWriting(true);
        return;
    }
    const int error = errno;
    m_state = State::Connecting; // until the listener hears why not
    finishLater(error);
}

QHostAddress DescriptorSocket::peerAddress() const
{
    return peerAddressOf(m_fd);
}

QString DescriptorSocket::errorString() const
{
    return m_error == 0 ? QString() : qt_error_string(m_error);
}

qint64 DescriptorSocket::readInto(QByteArray &buffer, qint64 max)
{
    // Read into this thread's own space and append what came: growing and
    // shrinking the caller's buffer by a whole chunk on every read costs
    // the allocator far more (a worker's heap grows and is trimmed each
    // time) than copying the bytes that came.
    thread_local char space[kReadChunk];
    qint64 total = 0;
    while (m_fd >= 0 && !m_atEnd && total < max) {
        const qint64 chunk = std::min(kReadChunk, max - total);
        const ssize_t got = receiveSome(m_fd, space, std::size_t(chunk));
        if (got > 0) {
            buffer.append(space, qsizetype(got));
            total += got;
            if (got < chunk)
                break; // the kernel had no more: no second call to hear so
            continue;
        }
        if (got == 0) {
            // The peer has closed its side: what it sent is all taken.
            m_atEnd = true;
            m_readiness->setReading(false);
            finishLater(0);
            break;
        }
        if (errno == EINTR)
            continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK) {
            const int error = errno;
            m_readiness->setReading(false);
            finishLater(error);
        }
        break;
    }
    return total;
}

void DescriptorSocket::setReading(bool on)
{
    m_reading = on;
    if (m_readiness && m_state == State::Connected)
        m_readiness->setReading(on && !m_atEnd && !m_closeAfterWrite);
}

void DescriptorSocket::write(const char *data, qint64 size)
{
    if (m_fd < 0 || size <= 0)
        return;
    if (m_state == State::Connected && bytesToWrite() == 0) {
        // Straight to the kernel; only what it leaves waits.
        qint64 sent = 0;
        while (sent < size) {
            const ssize_t n = sendSome(m_fd, data + sent, std::size_t(size - sent));
            if (n > 0) {
                sent += n;
                continue;
            }
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
                const int error = errno;
                finishLater(error);
                return;
            }
            break;
        }
        data += sent;
        size -= sent;
        if (size == 0)
            return;
    }
    if (m_outOffset > 0 && m_outOffset >= m_out.size() / 2) {
        m_out.remove(0, m_outOffset);
        m_outOffset = 0;
    }
    m_out.append(data, size);
    if (m_state == State::Connected)
        m_readiness->setWriting(true);
}

void DescriptorSocket::closeAfterWrite()
{
    if (m_fd < 0)
        return;
    m_closeAfterWrite = true;
    m_readiness->setReading(false);
    if (bytesToWrite() == 0)
        finishLater(0);
}

void DescriptorSocket::abort()
{
    closeDescriptor();
}

int DescriptorSocket::release()
{
    const int fd = m_fd;
    m_fd = -1; // closeDescriptor then leaves it open
    ++m_generation;
    closeDescriptor();
    return fd;
}

void DescriptorSocket::onReadable()
{
    if (m_listener)
        m_listener->socketReadable();
    else
        m_readiness->setReading(false); // nobody to read: wait in the kernel
}

void DescriptorSocket::onWritable()
{
    if (m_state == State::Connecting) {
        int error = 0;
        socklen_t length = sizeof error;
        if (::getsockopt(m_fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0)
            error = errno;
        if (error != 0) {
            finish(error);
            return;
        }
        m_state = State::Connected;
        m_readiness->setWriting(bytesToWrite() > 0);
        m_readiness->setReading(m_reading);
        if (m_listener)
            m_listener->socketConnected();
        if (m_fd < 0 || bytesToWrite() == 0)
            return;
    }
    flush();
}

void DescriptorSocket::flush()
{
    bool progressed = false;
    while (bytesToWrite() > 0) {
        const ssize_t n = sendSome(m_fd, m_out.constData() + m_outOffset, std::size_t(bytesToWrite()));
        if (n > 0) {
            m_outOffset += n;
            progressed = true;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            // The notifier stays on.
            if (progressed && m_listener)
                m_listener->socketWritten();
            return;
        }
        finish(errno);
        return;
    }
    m_out.clear();
    m_outOffset = 0;
    m_readiness->setWriting(false);
    if (m_closeAfterWrite) {
        finish(0);
        return;
    }
    if (m_listener)
        m_listener->socketDrained();
}

void DescriptorSocket::finish(int error)
{
    if (m_fd < 0)
        return;
    m_error = error;
    closeDescriptor();
    if (m_listener)
        m_listener->socketClosed(error);
}

void DescriptorSocket::closeDescriptor()
{
    m_readiness.reset();
    if (m_fd >= 0) {
        ::close(m_fd);
        ++m_generation;
    }
    m_fd = -1;
    m_state = State::Unconnected;
    m_out.clear();
    m_outOffset = 0;
    m_atEnd = false;
    m_closeAfterWrite = false;
}

} // namespace bb::proxy
