// The reverse proxy: N workers, each with its own event loop and listening
// socket on one shared port, in front of the services of one configuration;
// new connections go to the worker holding the fewest.
#pragma once

#include "proxyoptions.h"
#include "routetable.h"
#include "servicecounters.h"

#include <QObject>
#include <QString>

#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace bb::record {
class Recorder;
struct RecordingHeader;
} // namespace bb::record

class QThread;

namespace bb::proxy {

class ProxyWorker;

class ProxyServer {
public:
    ProxyServer(Engine &engine, std::shared_ptr<const RouteTable> routes, ProxyOptions options);
    ~ProxyServer();
    ProxyServer(const ProxyServer &) = delete;
    ProxyServer &operator=(const ProxyServer &) = delete;

    // Binds and starts the workers. On failure says why ("127.0.0.1:8080:
    // address already in use") and leaves nothing running.
    bool start(QString *error);
    // Stops accepting, lets exchanges under way finish (up to grace), then
    // closes every connection and stops the workers.
    void stop(std::chrono::milliseconds grace = std::chrono::milliseconds(5000));

    // Recording: every request that completes from now on is appended to
    // path (JSON Lines, see engine/record). Any thread; the workers must be
    // running. A recording under way is stopped first.
    struct RecordingStatus {
        std::string path;
        std::uint64_t lines = 0; // written to the file so far
        std::int64_t startWallMs = 0;
        std::string error;       // the first write error, if any
    };
    bool startRecording(const std::string &path, record::RecordingHeader header, QString *error);
    // Stops, writes what is left and closes the file; nullopt when none ran.
    std::optional<RecordingStatus> stopRecording();
    std::optional<RecordingStatus> recording() const;

    // A new certificate and key (a reload): connections accepted from now on
    // use it, those open keep theirs. Only for a server started with TLS.
    void setTls(const QSslConfiguration &tls);
    bool usesTls() const { return m_options.tls.has_value(); }

    quint16 port() const { return m_port; }
    QString address() const;
    // "http://ADDRESS" or "https://ADDRESS".
    QString url() const { return (usesTls() ? QStringLiteral("https://") : QStringLiteral("http://")) + address(); }
    const ProxyCounters &counters() const { return m_counters; }
    int workerCount() const { return int(m_workers.size()); }
    // Client connections each worker holds; any thread.
    std::vector<int> connectionsPerWorker() const;

private:
    Engine &m_engine;
    std::shared_ptr<const RouteTable> m_routes;
    ProxyOptions m_options;
    ProxyCounters m_counters;
    quint16 m_port = 0;
    std::vector<QThread *> m_threads;
    std::vector<ProxyWorker *> m_workers;
    mutable std::mutex m_recordingMutex; // the recorder's lifetime; never on the request path
    std::unique_ptr<record::Recorder> m_recorder;
    std::int64_t m_recordingWallMs = 0;
    void setWorkerRecorders(record::Recorder *recorder);
};

} // namespace bb::proxy
