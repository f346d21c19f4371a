#include "proxystack.h"

#include "consoleoutput.h"

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
            s->m_adminAddress = s->m_plane->adminAddress();
    });
    if (!stack->m_plane)
        return nullptr;
    stack->m_server = std::make_unique<proxy::ProxyServer>(stack->m_engine, routes, proxy);
    QString error;
    if (!stack->m_server->start(&error)) {
        printError(QStringLiteral("breakerboard: cannot listen for the proxy on %1").arg(error));
        return nullptr;
    }
    return stack;
}

ProxyStack::~ProxyStack()
{
    if (m_server)
        m_server->stop();
    m_controlThread.call([this] {
        if (m_plane)
            m_plane->control().sample(); // the last transitions, printed and kept
        m_plane.reset();
    });
}

} // namespace bb::app
