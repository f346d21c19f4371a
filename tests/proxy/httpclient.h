// A plain blocking HTTP client for proxy tests: raw bytes out, parsed
// responses back, so tests can send exactly what a bad client would.
#pragma once

#include "proxy/httpparser.h"

#include <QTcpSocket>

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
    bool connected() const { return m_socket.state() == QAbstractSocket::ConnectedState; }
    void send(const QByteArray &raw);
    // The next response, or nullopt when none came within the timeout.
    std::optional<Response> read(int timeoutMs = 5000, bool headRequest = false);
    std::optional<Response> get(const QByteArray &path, const QByteArray &extraHeaders = {});
    // Any method, with a body sent with its Content-Length.
    std::optional<Response> request(const QByteArray &method, const QByteArray &path, const QByteArray &body,
                                    const QByteArray &extraHeaders = {});
    // True when the proxy closed the connection within the timeout.
    bool waitClosed(int timeoutMs = 5000);
    QTcpSocket &socket() { return m_socket; }

private:
    bool waitForReadyRead(int timeoutMs);

    QTcpSocket m_socket;
    QByteArray m_buffer;
    bool m_servedHere = false;
};

} // namespace bb::testing
