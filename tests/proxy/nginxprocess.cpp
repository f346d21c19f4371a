#include "nginxprocess.h"

#include "freeport.h"

#include <QFile>
#include <QStandardPaths>
#include <QTcpSocket>
#include <QThread>

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
    for (int attempt = 0; attempt < 5 && m_port == 0; ++attempt) {
        const quint16 port = freePort();
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
        conf.close();
        m_process.setProcessChannelMode(QProcess::MergedChannels);
        m_process.start(nginx, {QStringLiteral("-c"), conf.fileName(), QStringLiteral("-p"), d});
        if (!m_process.waitForStarted(5000)) {
            m_error = m_process.errorString();
            return;
        }
        // Ready when it accepts a connection.
        for (int i = 0; i < 200; ++i) {
            QTcpSocket probe;
            probe.connectToHost(QHostAddress::LocalHost, port);
            if (probe.waitForConnected(50)) {
                m_port = port;
                break;
            }
            if (m_process.state() != QProcess::Running)
                break;
            QThread::msleep(10);
        }
        if (m_port == 0) {
            m_process.kill();
            m_process.waitForFinished(2000);
            m_error = QString::fromUtf8(m_process.readAll());
        }
    }
}

NginxProcess::~NginxProcess()
{
    if (m_process.state() == QProcess::Running) {
        m_process.terminate();
        if (!m_process.waitForFinished(3000)) {
            m_process.kill();
            m_process.waitForFinished(2000);
        }
    }
}

} // namespace bb::testing
