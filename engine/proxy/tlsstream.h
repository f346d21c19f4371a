// A TLS connection on OpenSSL, straight on its descriptor (woken through its
// Readiness), as a ByteStream: the server side of the proxy's TLS listener
// and the client side of its https:// upstreams. Decrypted bytes go straight
// into the caller's buffer and records straight to the kernel: no second
// socket object and buffer in between, as Qt's TLS has (which made the TLS
// listener cost twice nginx's CPU per request). A peer that speaks plain
// HTTP here, or fails the handshake, is cut off without an answer.
#pragma once

#include "bytestream.h"
#include "readiness.h"
#include "tlsservercontext.h"

#include <memory>

typedef struct ssl_st SSL;

namespace bb::proxy {

class TlsStream : public ByteStream, private Readiness::Listener {
public:
    // Takes the accepted descriptor; the handshake runs as the client's bytes come.
    TlsStream(int descriptor, std::shared_ptr<const TlsServerContext> context, QObject *parent = nullptr);
    // Carries nothing until told to connect.
    explicit TlsStream(QObject *parent = nullptr);
    ~TlsStream() override;
    TlsStream(const TlsStream &) = delete;
    TlsStream &operator=(const TlsStream &) = delete;

    // The client side on a connected descriptor, both taken (whatever the
    // stream carried before is closed). The handshake starts from the event
    // loop; socketConnected when it is done, socketClosed(-1) if it fails.
    void connect(int descriptor, SSL *ssl);

    bool isOpen() const override { return m_fd >= 0; }
    bool handshakeDone() const { return m_fd >= 0 && !m_handshaking; }
    // Why the stream last ended with socketClosed(-1), in the handshake or
    // after it: empty when the peer closed the connection without a word,
    // else OpenSSL's reason or the system's.
    const QString &failure() const { return m_failure; }
    QHostAddress peerAddress() const override;
    qint64 readInto(QByteArray &buffer, qint64 max) override;
    void setReading(bool on) override;
    void write(const char *data, qint64 size) override;
    using ByteStream::write;
    qint64 bytesToWrite() const override { return m_out.size() - m_outOffset; }
    void closeAfterWrite() override;
    void abort() override;

private:
    void onReadable();
    void onWritable();
    void descriptorReadable() override { onReadable(); }
    void descriptorWritable() override { onWritable(); }
    void start(int descriptor, SSL *ssl);
    void handshake();
    // SSL_write of what waits; false when the stream ended.
    bool flush();
    void follow(); // the notifiers on what OpenSSL waits for
    void finish(int error) override;
    void closeDescriptor();

    int m_fd = -1;
    SSL *m_ssl = nullptr;
    std::shared_ptr<const TlsServerContext> m_context;
    std::unique_ptr<Readiness> m_readiness;
    QString m_failure;
    QByteArray m_out;
    qint64 m_outOffset = 0;
    bool m_handshaking = true;
    bool m_handshakeWantsWrite = false;
    bool m_readWantsWrite = false; // SSL_read waits for the socket to take bytes
    bool m_writeWantsRead = false; // SSL_write waits for bytes from the peer
    bool m_reading = true;
    bool m_atEnd = false;
    bool m_closeAfterWrite = false;
};

} // namespace bb::proxy
