#include "sslstream.h"

namespace bb::proxy {

SslStream::SslStream(qintptr descriptor, const QSslConfiguration &tls, qint64 readBufferSize, QObject *parent)
    : ByteStream(parent)
    , m_socket(new QSslSocket(this))
{
    m_socket->setSocketDescriptor(descriptor);
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_socket->setReadBufferSize(readBufferSize);
    m_socket->setSslConfiguration(tls);
    connect(m_socket, &QSslSocket::readyRead, this, [this] {
        if (m_listener)
            m_listener->socketReadable();
    });
    connect(m_socket, &QSslSocket::bytesWritten, this, [this] {
        if (!m_listener)
            return;
        if (m_socket->bytesToWrite() == 0)
            m_listener->socketDrained();
        else
            m_listener->socketWritten();
    });
    connect(m_socket, &QSslSocket::disconnected, this, [this] {
        if (m_closed)
            return;
        m_closed = true;
        if (m_listener)
            m_listener->socketClosed(0);
    });
    connect(m_socket, &QSslSocket::errorOccurred, this, [this](QAbstractSocket::SocketError error) {
        if (error == QAbstractSocket::SslHandshakeFailedError || error == QAbstractSocket::SslInternalError ||
            error == QAbstractSocket::SslInvalidUserDataError)
            m_socket->abort(); // disconnected follows
    });
    m_socket->startServerEncryption();
}

qint64 SslStream::readInto(QByteArray &buffer, qint64 max)
{
    const qint64 n = std::min(max, m_socket->bytesAvailable());
    if (n <= 0)
        return 0;
    buffer.append(m_socket->read(n));
    return n;
}

void SslStream::write(const char *data, qint64 size)
{
    m_socket->write(data, size);
    // Now, not on the next turn of the event loop.
    m_socket->flush();
}

void SslStream::closeAfterWrite()
{
    m_socket->disconnectFromHost();
    if (m_socket->state() == QAbstractSocket::UnconnectedState && !m_closed) {
        m_closed = true;
        // Not from inside the caller's own call.
        QMetaObject::invokeMethod(
            this, [this] {
                if (m_listener)
                    m_listener->socketClosed(0);
            },
            Qt::QueuedConnection);
    }
}

void SslStream::abort()
{
    m_closed = true;
    m_socket->abort();
}

} // namespace bb::proxy
