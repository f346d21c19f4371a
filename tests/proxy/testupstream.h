// An upstream for proxy tests, on its own thread and a free loopback port.
// The path chooses the behaviour:
//   /ok  /status/N  /echo (the request body back)  /headers (request head as text)
//   /chunked  /big/N (N bytes)  /slow/MS  /hang  /reset (dies mid-body)
//   /garbage (not HTTP)  /drip (one byte every 100 ms)  /close (body ends at close)
// Anything else answers 200 with the path as body.
#pragma once

#include <QByteArray>
#include <QHash>
#include <QMutex>
#include <QString>
#include <QThread>

#include <atomic>
#include <memory>

namespace bb::testing {

class TestUpstream {
public:
    TestUpstream();
    ~TestUpstream();

    quint16 port() const { return m_port; }
    QString url() const { return QStringLiteral("http://127.0.0.1:%1").arg(m_port); }
    int connectionsAccepted() const { return m_connections.load(); }
    int requests(const QString &path) const;
    int totalRequests() const;

private:
    friend class UpstreamServer;
    void countRequest(const QString &path);

    QThread m_thread;
    QObject *m_server = nullptr;
    quint16 m_port = 0;
    std::atomic<int> m_connections{0};
    mutable QMutex m_mutex;
    QHash<QString, int> m_requests;
};

} // namespace bb::testing
