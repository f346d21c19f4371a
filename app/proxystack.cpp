#include "proxystack.h"

#include "consoleoutput.h"
#include "replayinputs.h"

#include <QDir>

namespace bb::app {

std::unique_ptr<ProxyStack> ProxyStack::start(const Configuration &config, const ControlPlaneOptions &control,
                                              const proxy::ProxyOptions &proxy)
{
    std::unique_ptr<ProxyStack> stack(new ProxyStack);
    installConfiguration(config, stack->m_engine);
    auto routes = std::make_shared<const proxy::RouteTable>(config, stack->m_engine);
    ProxyStack *s = stack.get();
    s->m_controlThread.call([&] {
        s->m_plane = ControlPlane::start(s->m_engine, config, routes, control);
        if (s->m_plane)
            s->m_adminUrl = s->m_plane->adminUrl();
    });
    if (!stack->m_plane)
        return nullptr;
    proxy::ProxyOptions options = proxy;
    static_cast<ClientLimits &>(options.limits) = config.clientLimits;
    stack->m_server = std::make_unique<proxy::ProxyServer>(stack->m_engine, routes, options);
    QString error;
    if (!stack->m_server->start(&error)) {
        printError(QStringLiteral("breakerboard: cannot listen for the proxy on %1").arg(error));
        return nullptr;
    }
    if (!s->startRecording(control))
        return nullptr;
    if (options.tls && !options.tlsCertFile.isEmpty()) {
        proxy::ProxyServer *server = s->m_server.get();
        s->m_tlsReload = std::make_unique<TlsReloader>(QStringLiteral("Proxy TLS"), options.tlsCertFile,
                                                       options.tlsKeyFile,
                                                       [server](const QSslConfiguration &tls) { server->setTls(tls); });
    }
    return stack;
}

bool ProxyStack::reloadTls()
{
    return m_tlsReload && m_tlsReload->reload();
}

bool ProxyStack::startRecording(const ControlPlaneOptions &options)
{
    record::RecordingHeader header;
    header.source = "proxy";
    header.configName = options.configName;
    header.config = options.configText;
    if (header.config.empty() && !options.configPath.isEmpty()) {
        const ConfigText file = readConfigText(options.configPath);
        header.config = file.text;
        header.configName = file.name;
    }
    const QString directory = QDir(stateDirectoryOf(options)).filePath(QStringLiteral("recordings"));
    bool ok = true;
    m_controlThread.call([&] {
        control::ControlService &service = m_plane->control();
        // Each recording carries the policy edits in force when it starts.
        m_recording = std::make_unique<control::ProxyRecording>(
            *m_server, directory, header, [&service] { return service.policyEditsText(); });
        service.setRecording(m_recording.get());
        if (options.recordPath.isEmpty())
            return;
        QString error;
        ok = m_recording->start(options.recordPath, &error);
        if (!ok)
            printError(QStringLiteral("breakerboard: cannot record: %1").arg(error));
        else
            print(QStringLiteral("Recording every proxied request to %1.").arg(options.recordPath));
    });
    return ok;
}

ProxyStack::~ProxyStack()
{
    if (m_server)
        m_server->stop();
    m_controlThread.call([this] {
        if (m_plane) {
            m_plane->control().setRecording(nullptr);
            m_plane->control().sample(); // the last transitions, printed and kept
        }
        m_plane.reset();
    });
}

} // namespace bb::app
