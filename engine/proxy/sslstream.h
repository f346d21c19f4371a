// The server side of a TLS connection on Qt's TLS (QSslSocket), as a
// ByteStream: the proxy's TLS listener hands each accepted connection to
// one. A client that speaks plain HTTP here, or fails the handshake, is cut
// off without an answer.
#pragma once

#include "bytestream.h"

#include <QSslConfiguration>
#include <QSslSocket>

namespace bb::proxy {

class SslStream : public ByteStream {
public:
    // Takes the accepted descriptor and starts the handshake.
    SslStream(qintptr descriptor, const QSslConfiguration &tls, qint64 readBufferSize, QObject *parent = nullptr);

    bool isOpen() const override { return m_socket->state() != QAbstractSocket::UnconnectedState; }
    QHostAddress peerAddress() const override { return m_socket->peerAddress(); }
    qint64 readInto(QByteArray &buffer, qint64 max) override;
    // Qt reads ahead only as far as its read buffer: that holds the peer back.
    void setReading(bool) override {}
    void write(const char *data, qint64 size) override;
    using ByteStream::write;
    qint64 bytesToWrite() const override { return m_socket->bytesToWrite(); }
    void closeAfterWrite() override;
    void abort() override;

private:
    QSslSocket *m_socket;
    bool m_closed = false;
};

} // namespace bb::proxy
