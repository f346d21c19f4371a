// One keep-alive connection to an upstream, owned by a worker's pool. It
// sends what it is given and parses the response, reporting how each ended.
#pragma once

#include "descriptorsocket.h"
#include "httpparser.h"
#include "tlsstream.h"
#include "upstreamtls.h"

#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QStringList>

#include <functional>
#include <string>

namespace bb::proxy {

enum class UpstreamFailure {
    None,
    ConnectFailed, // refused, unreachable
    Unresolved,    // the host's name does not resolve: a connect failure too
    Reset,         // closed or reset before the response was complete
    BadResponse,   // not HTTP
    Tls,           // the TLS handshake failed: the detail says why, beginning "TLS: "
};

// Told what happens on a connection while it carries an exchange. A direct
// call, not a signal: connecting and disconnecting per request costs more
// than the request.
class UpstreamListener {
public:
    virtual ~UpstreamListener() = default;
    virtual void upstreamConnected() = 0;
    virtual void upstreamResponseHead() = 0;
    virtual void upstreamResponseBody() = 0;
    virtual void upstreamComplete() = 0;
    virtual void upstreamFailed(UpstreamFailure kind, const QString &detail) = 0;
    virtual void upstreamDrained() = 0;
};

class HostResolver;

// A DescriptorSocket connects (no Qt buffer between the kernel and the
// parser) and carries plain http://; for https:// a TlsStream takes the
// connected descriptor, and OpenSSL runs straight on it.
class UpstreamConnection : public QObject, private ByteStream::Listener {
    Q_OBJECT
public:
    // onIdleClose: called when the upstream closes it while it waits in a pool.
    // With a resolver the host is a name, looked up through it; without, the
    // host goes to the socket as it is (an IP literal: no lookup, no cost).
    // With tls (owned by the pool, which outlives its connections) the
    // connection is https: nothing is sent before the handshake succeeds.
    UpstreamConnection(std::string key, QString host, quint16 port, HostResolver *resolver, UpstreamTlsSession *tls,
                       std::function<void(UpstreamConnection *)> onIdleClose, QObject *parent);
    void setListener(UpstreamListener *listener) { m_listener = listener; }
    ~UpstreamConnection() override;

    const std::string &key() const { return m_key; }
    // Connected, and for https encrypted too: ready to carry a request.
    bool isConnected() const;
    // Connected but the TLS handshake has not finished yet.
    bool handshaking() const { return m_tlsStream && m_tlsStream->isOpen() && !m_tlsStream->handshakeDone(); }
    QString peerName() const;
    bool wasReused() const { return m_uses > 1; }
    // Starts a new exchange on this connection (connecting first if needed).
    void begin(bool expectBodylessResponse);
    void send(const QByteArray &bytes);
    qint64 pendingWrite() const { return m_stream->bytesToWrite(); }
    // Parses what has arrived. Call again after taking body bytes.
    void pump();
    HttpParser &parser() { return m_parser; }
    bool responseStarted() const { return m_parser.headDone() || m_sawBytes; }
    // Keep-alive and complete: may go back to the pool.
    bool reusable() const;
    void setReadPaused(bool paused);
    void abort();

private:
    // ByteStream::Listener, for the TCP connection and then its TLS.
    void socketConnected() override;
    void socketReadable() override { onReadyRead(); }
    void socketDrained() override;
    void socketClosed(int error) override;

    bool unconnected() const;
    void connectTo(const QHostAddress &address);
    void abortSocket();
    void idleClosed();
    void onReadyRead();
    void onDisconnected();
    void onTcpConnected();
    void onEncrypted();
    void startTls();
    // The failed handshake, as one line that says why.
    QString tlsFailure() const;
    void report(UpstreamFailure kind, const QString &detail);
    // Connecting to a name: its addresses in turn, the next when one fails.
    void connectToName();
    void connectNext();
    void addressFailed(const QString &failure);
    void timerEvent(QTimerEvent *event) override;

    DescriptorSocket *m_tcp;             // connects; carries http://
    TlsStream *m_tlsStream = nullptr;    // carries https:// once connected
    ByteStream *m_stream;                // whichever of the two carries the bytes
    bool m_tcpConnected = false;         // of the connection under way: a later error is not about connecting
    HostResolver *m_resolver;
    UpstreamTlsSession *m_tls;
    TlsHandshakeReport m_handshake; // of the handshake under way
    bool m_handshakeDone = false;
    QList<QHostAddress> m_addresses;
    qsizetype m_nextAddress = 0;
    QStringList m_addressFailures;
    int m_connectTimer = 0;
    UpstreamListener *m_listener = nullptr;
    std::function<void(UpstreamConnection *)> m_onIdleClose;
    QString m_host;
    quint16 m_port;
    std::string m_key;
    HttpParser m_parser;
    QByteArray m_in;
    qsizetype m_offset = 0;
    bool m_active = false;
    bool m_sawBytes = false;
    bool m_paused = false;
    bool m_bodyless = false;
    bool m_reported = false;
    int m_uses = 0;
};

} // namespace bb::proxy
