// The engine for a configuration, the control plane around it and the proxy
// in front of it: started in that order, so that forced states are back
// before the first request is let in; stopped in reverse, answering the
// requests under way. The control plane (sampler, admin API, file watcher)
// runs on a control thread of its own, so a busy window never delays it.
// Headless mode, the demo and the dashboard all run on it. Starting and
// stopping wait for the control thread: they happen before the window shows
// and after it has gone.
#pragma once

#include "controlplane.h"
#include "tlsreload.h"

#include "control/proxyrecording.h"
#include "control/threadcall.h"
#include "core/systemclock.h"
#include "core/threadtimer.h"
#include "proxy/proxyoptions.h"
#include "proxy/proxyserver.h"

#include <memory>

namespace bb::app {

class ProxyStack {
public:
    // Null after printing why it cannot start.
    static std::unique_ptr<ProxyStack> start(const Configuration &config, const ControlPlaneOptions &control,
                                             const proxy::ProxyOptions &proxy);
    ~ProxyStack();
    ProxyStack(const ProxyStack &) = delete;
    ProxyStack &operator=(const ProxyStack &) = delete;

    Engine &engine() { return m_engine; }
    proxy::ProxyServer &server() { return *m_server; }
    // Lives on the control thread: the window reaches it through a
    // control::LocalDashboardControl, never by waiting for that thread.
    control::ControlService &control() { return m_plane->control(); }
    // "http://127.0.0.1:9901" or "https://..."; empty when the admin API could not listen.
    QString adminUrl() const { return m_adminUrl; }
    // Lives on the control thread too.
    control::ProxyRecording &recording() { return *m_recording; }
    // The proxy's certificate and key read again from their files (which are
    // also watched); false when the proxy has none or they do not load.
    bool reloadTls();
    // The cluster's name for this instance (shared state), once the port is known.
    void renameInstance(const std::string &name)
    {
        m_controlThread.call([&] { m_plane->renameInstance(name); });
    }

private:
    ProxyStack() = default;
    // Sets up recording (and starts it for --record); false after printing why not.
    bool startRecording(const ControlPlaneOptions &options);
    SystemClock m_clock;
    ThreadTimer m_timers{m_clock};
    Engine m_engine{m_clock, m_timers};
    control::ObjectThread m_controlThread{QStringLiteral("control")};
    std::unique_ptr<ControlPlane> m_plane;
    std::unique_ptr<proxy::ProxyServer> m_server;
    std::unique_ptr<control::ProxyRecording> m_recording;
    std::unique_ptr<TlsReloader> m_tlsReload;
    QString m_adminUrl;
};

} // namespace bb::app
