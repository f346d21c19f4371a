// The admin API over HTTP/1.1 (keep-alive, one request at a time per
// connection), and the server-sent event stream: transitions and operator
// actions as they happen, a snapshot every second.
#pragma once

#include "adminrouter.h"

#include "proxy/requestlistener.h"

#include <QObject>
#include <QSet>
#include <QTimer>

#include <functional>

class QTcpSocket;

namespace bb::control {

class AdminServer : public QObject {
    Q_OBJECT
public:
    AdminServer(ControlService &control, AdminRouter router, QObject *parent = nullptr);

    bool listen(const QHostAddress &address, quint16 port, QString *error)
    {
        return m_listener.listen(address, port, error);
    }
    quint16 port() const { return m_listener.port(); }
    // "127.0.0.1:9901"
    QString address() const { return m_listener.address(); }
    int streamCount() const { return int(m_streams.size()); }

    static constexpr qint64 kMaxStreamBacklog = 4 << 20; // a reader that falls this far behind is dropped

private:
    bool answer(QTcpSocket *socket, const proxy::HttpHead &head, const QByteArray &body);
    void broadcast(const char *event, const std::function<QJsonObject()> &data);

    ControlService &m_control;
    AdminRouter m_router;
    proxy::RequestListener m_listener;
    QSet<QTcpSocket *> m_streams;
    QTimer m_snapshotTick;
};

} // namespace bb::control
