#include "haproxyprocess.h"

#include <QFile>
#include <QStandardPaths>

namespace bb::testing {

QString HaproxyProcess::binary() { return QStandardPaths::findExecutable(QStringLiteral("haproxy")); }

HaproxyProcess::HaproxyProcess(quint16 upstreamPort, int threads)
{
    const QString haproxy = binary();
    if (haproxy.isEmpty()) {
        m_error = QStringLiteral("haproxy is not on PATH (apt-get install haproxy)");
        return;
    }
    start(haproxy, [&](quint16 port) {
        QFile conf(m_dir.filePath(QStringLiteral("haproxy.cfg")));
        conf.open(QIODevice::WriteOnly | QIODevice::Truncate);
        // Keep-alive both ways and idle upstream connections shared by
        // every client connection, as nginx's `keepalive` and the proxy do.
        conf.write(QStringLiteral("global\n  nbthread %1\n  maxconn 4096\n"
                                  "defaults\n  mode http\n  timeout connect 5s\n  timeout client 60s\n"
                                  "  timeout server 60s\n  option http-keep-alive\n"
                                  "frontend in\n  bind 127.0.0.1:%2\n  default_backend upstream\n"
                                  "backend upstream\n  http-reuse always\n  server one 127.0.0.1:%3\n")
                       .arg(threads)
                       .arg(port)
                       .arg(upstreamPort)
                       .toUtf8());
        return QStringList{QStringLiteral("-db"), QStringLiteral("-f"), conf.fileName()};
    });
}

} // namespace bb::testing
