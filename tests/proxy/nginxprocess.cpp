#include "nginxprocess.h"


#include <QFile>
#include <QStandardPaths>

namespace bb::testing {

// On PATH, as every other tool the tests use: a PATH without nginx's folder
// (/usr/sbin on Debian) is how a machine without nginx is tried.
QString NginxProcess::binary() { return QStandardPaths::findExecutable(QStringLiteral("nginx")); }

NginxProcess::NginxProcess(const QString &serverBlock, const QString &upstreamBlock, int workers,
                           const QString &listenOptions)
{
    const QString nginx = binary();
    if (nginx.isEmpty()) {
        m_error = QStringLiteral("nginx is not on PATH (apt-get install nginx)");
        return;
    }
    const QString d = m_dir.path();
    start(nginx, [&](quint16 port) {
        QFile conf(d + QStringLiteral("/nginx.conf"));
        conf.open(QIODevice::WriteOnly | QIODevice::Truncate);
        conf.write(QStringLiteral(
                       "daemon off;\nmaster_process %5;\nworker_processes %6;\nuser root;\npid %1/nginx.pid;\n"
                       "error_log %1/error.log warn;\nevents { worker_connections 4096; }\n"
                       "http {\n  access_log off;\n  client_body_temp_path %1/body;\n  proxy_temp_path %1/proxy;\n"
                       "  fastcgi_temp_path %1/fastcgi;\n  uwsgi_temp_path %1/uwsgi;\n  scgi_temp_path %1/scgi;\n"
                       "  keepalive_requests 1000000;\n%2\n"
                       "  server {\n    listen 127.0.0.1:%3%7;\n%4\n  }\n}\n")
                       .arg(d, upstreamBlock)
                       .arg(port)
                       .arg(serverBlock)
                       .arg(workers > 1 ? QStringLiteral("on") : QStringLiteral("off"))
                       .arg(workers)
                       .arg(listenOptions)
                       .toUtf8());
        return QStringList{QStringLiteral("-c"), conf.fileName(), QStringLiteral("-p"), d};
    });
}

} // namespace bb::testing
