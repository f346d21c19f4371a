// A plain blocking HTTP client for proxy tests: raw bytes out, parsed
// responses back, so tests can send exactly what a bad client would; over
// TLS too.
#pragma once

#include "proxy/httpparser.h"

#include <QSslConfiguration>
#include <QSslError>
#include <QTcpSocket>

#include <memory>
#include <optional>

namespace bb::testing {

struct Response {
    int status = 0;
    proxy::HttpHead head;
    QByteArray body;
    QByteArray header(const char *name) const { return QByteArray::fromStdString(std::string(head.field(name))); }
};

class HttpClient {
public:
    // servedHere: the server runs on this thread's event loop, which the
    // client then keeps turning while it waits.
    explicit HttpClient(quint16 port, bool servedHere = false);
    // Over TLS to 127.0.0.1: the server's certificate is checked against the
    // CA certificates of tls, for the name peerName. Not connected() when
    // the handshake failed; sslErrors() says why, if for the certificate.
    HttpClient(quint16 port, const QSslConfiguration &tls, bool servedHere = false,
               const QString &peerName = QStringLiteral("127.0.0.1"));
    ~HttpClient();
    bool connected() const { return m_socket->state() == QAbstractSocket::ConnectedState; }
    QList<QSslError> sslErrors() const { return m_sslErrors; }
    void send(const QByteArray &raw);
    // The next response, or nullopt when none came within the timeout.
    std::optional<Response> read(int timeoutMs = 5000, bool headRequest = false);
    std::optional<Response> get(const QByteArray &path, const QByteArray &extraHeaders = {});
    // Any method, with a body sent with its Content-Length.
    std::optional<Response> request(const QByteArray &method, const QByteArray &path, const QByteArray &body,
                                    const QByteArray &extraHeaders = {});
    // True when the proxy closed the connection within the timeout.
    bool waitClosed(int timeoutMs = 5000);
    // Every byte not yet read, up to the server's closing the connection
    // (or the timeout), unparsed.
    QByteArray readUntilClosed(int timeoutMs = 5000);
    // Reads on, unparsed, adding to seen, until text is among it, the
    // connection closes or the timeout passes; whether text came.
    bool readUntil(QByteArray &seen, const QByteArray &text, int timeoutMs = 5000);
    QTcpSocket &socket() { return *m_socket; }

private:
    bool waitForReadyRead(int timeoutMs);

    std::unique_ptr<QTcpSocket> m_socket;
    QList<QSslError> m_sslErrors;
    QByteArray m_buffer;
    bool m_servedHere = false;
};

// Through a service at prefix to a TestUpstream: a 24 MiB download from
// its /big/N and an 8 MiB upload to its /echo, each checked byte for byte.
// Empty when both came through whole, else what went wrong.
QString largeBodiesRoundTrip(HttpClient &client, const QByteArray &prefix);

} // namespace bb::testing
