// Starting and stopping a recording of the proxy's traffic, for the
// dashboard's record toggle, --record and the admin API. Every recording
// carries a header with the configuration in force when it started. The
// admin API may only name a file inside the recordings directory; the
// dashboard and the command line name any path.
#pragma once

#include "proxy/proxyserver.h"
#include "record/recording.h"

#include <QString>

#include <functional>
#include <optional>

namespace bb::control {

class ProxyRecording {
public:
    using Status = proxy::ProxyServer::RecordingStatus;

    // header: source, config name and text; the start time and the policy
    // edits in force (policyEdits()) are set at each start. Used on one
    // thread: the control service's.
    ProxyRecording(proxy::ProxyServer &server, QString directory, record::RecordingHeader header,
                   std::function<std::string()> policyEdits);

    bool start(const QString &path, QString *error);
    // A plain file name ("incident.jsonl") inside directory().
    bool startNamed(const QString &fileName, QString *error);
    std::optional<Status> stop() { return m_server.stopRecording(); }
    std::optional<Status> status() const { return m_server.recording(); }
    const QString &directory() const { return m_directory; }

private:
    proxy::ProxyServer &m_server;
    QString m_directory;
    record::RecordingHeader m_header;
    std::function<std::string()> m_policyEdits;
};

} // namespace bb::control
