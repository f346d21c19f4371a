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
    explicit HttpClient(quint16 port);
    bool connected() const { return m_socket.state() == QAbstractSocket::ConnectedState; }
    void send(const QByteArray &raw);
    // The next response, or nullopt when none came within the timeout.
    std::optional<Response> read(int timeoutMs = 5000, bool headRequest = false);
    std::optional<Response> get(const QByteArray &path, const QByteArray &extraHeaders = {});
    // True when the proxy closed the connection within the timeout.
    bool waitClosed(int timeoutMs = 5000);
    QTcpSocket &socket() { return m_socket; }

private:
    QTcpSocket m_socket;
    QByteArray m_buffer;
};

} // namespace bb::testing
