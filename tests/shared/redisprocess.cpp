#include "redisprocess.h"

#include "freeport.h"

#include <QStandardPaths>
#include <QTcpSocket>
#include <QThread>
#include <csignal>

namespace bb::testing {

QString RedisProcess::binary() { return QStandardPaths::findExecutable(QStringLiteral("redis-server")); }

RedisProcess::RedisProcess(const QByteArray &password) : m_password(password)
{
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    m_process.setWorkingDirectory(m_dir.path());
    start();
}

RedisProcess::~RedisProcess()
{
    freeze(false);
    kill();
}

bool RedisProcess::start()
{
    const QString redis = binary();
    if (redis.isEmpty()) {
        m_error = QStringLiteral("redis-server is not on PATH (apt-get install redis-server)");
        return false;
    }
    const bool samePort = m_port != 0;
    for (int attempt = 0; attempt < 5; ++attempt) {
        const quint16 port = samePort ? m_port : freePort();
        QStringList args{QStringLiteral("--port"), QString::number(port), QStringLiteral("--bind"),
                         QStringLiteral("127.0.0.1"), QStringLiteral("--save"), QString(),
                         QStringLiteral("--appendonly"), QStringLiteral("no"), QStringLiteral("--dir"), m_dir.path()};
        if (!m_password.isEmpty())
            args << QStringLiteral("--requirepass") << QString::fromUtf8(m_password);
        m_process.start(redis, args);
        if (!m_process.waitForStarted(5000)) {
            m_error = m_process.errorString();
            return false;
        }
        // Ready when it accepts a connection.
        for (int i = 0; i < 300 && m_process.state() == QProcess::Running; ++i) {
            QTcpSocket probe;
            probe.connectToHost(QHostAddress::LocalHost, port);
            if (probe.waitForConnected(50)) {
                m_port = port;
                return true;
            }
            QThread::msleep(10);
        }
        kill();
        m_error = QString::fromUtf8(m_process.readAll());
    }
    return false;
}

void RedisProcess::kill()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.kill();
    m_process.waitForFinished(5000);
}

void RedisProcess::freeze(bool frozen)
{
    if (m_process.state() == QProcess::Running)
        ::kill(pid_t(m_process.processId()), frozen ? SIGSTOP : SIGCONT);
}

} // namespace bb::testing
