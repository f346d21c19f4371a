// The admin API over HTTP/1.1 (keep-alive, one request at a time per
// connection), and the server-sent event stream: transitions and operator
// actions (policy edits included) as they happen, each with an id; a
// "snapshot" of every breaker, group and service's traffic when the reader
// starts; then "update" events at the rate the reader asked for (once a
// second unless it said otherwise) with what changed since (StreamChanges).
// A reader that comes back with Last-Event-ID gets what it missed from the
// last kKeptEvents events, or a "gap" event when they no longer reach back
// that far (or the id is of another run); then a fresh snapshot.
// With a TLS configuration all of it, streams included, is served over
// TLS only.
#pragma once

#include "adminrouter.h"
#include "streamchanges.h"

#include "proxy/requestlistener.h"

#include <QHash>
#include <QObject>
#include <QTimer>

#include <deque>
#include <functional>

class QTcpSocket;

namespace bb::control {

class AdminServer : public QObject {
    Q_OBJECT
public:
    // tls: none for plain HTTP.
    AdminServer(ControlService &control, AdminRouter router, std::optional<QSslConfiguration> tls = std::nullopt,
                QObject *parent = nullptr);

    bool listen(const QHostAddress &address, quint16 port, QString *error)
    {
        return m_listener.listen(address, port, error);
    }
    quint16 port() const { return m_listener.port(); }
    // "127.0.0.1:9901"
    QString address() const { return m_listener.address(); }
    int streamCount() const { return int(m_streams.size()); }
    // How many events a reconnecting reader can catch up on.
    void setKeptEvents(std::size_t n) { m_keptLimit = n; }

    static constexpr qint64 kMaxStreamBacklog = 4 << 20; // a reader that falls this far behind is dropped
    static constexpr std::size_t kKeptEvents = 4096;
    static constexpr int kTickMs = 100; // the fastest snapshot rate: 10 a second
    static constexpr int kHandshakeTimeoutMs = 5000; // a TLS client silent this long is dropped

private:
    bool answer(QTcpSocket *socket, const proxy::HttpHead &head, const QByteArray &body);
    void openStream(QTcpSocket *socket, const AdminResponse &response, std::string_view lastEventId);
    // The state now, into m_changes; returns its version.
    std::uint64_t takeChanges();
    // What a reader that last saw `lastEventId` missed, or a gap event.
    QByteArray catchUp(std::string_view lastEventId) const;
    // Kept for catching up, and sent to every reader.
    void publish(const char *event, const QJsonObject &data);
    void sendTo(QTcpSocket *socket, const QByteArray &bytes);
    void tick();

    struct Kept {
        std::uint64_t sequence;
        QByteArray bytes;
    };
    struct Reader {
        int every = 10;            // ticks between its updates
        std::uint64_t version = 0; // of the state it last heard (StreamChanges)
    };
    ControlService &m_control;
    AdminRouter m_router;
    // Before the listener: its sockets, destroyed with it, leave this as they go.
    QHash<QTcpSocket *, Reader> m_streams;
    proxy::RequestListener m_listener;
    QTimer m_snapshotTick;
    int m_ticks = 0;
    StreamChanges m_changes;
    const QByteArray m_run; // this run's ids begin with it
    std::uint64_t m_sequence = 0;
    std::deque<Kept> m_kept;
    std::size_t m_keptLimit = kKeptEvents;
};

} // namespace bb::control
