#include "serverprocess.h"

#include "freeport.h"

#include <QTcpSocket>
#include <QThread>

namespace bb::testing {

quint16 startOnFreePort(QProcess &process, const QString &program,
                        const std::function<QStringList(quint16 port)> &prepare, QString *error)
{
    for (int attempt = 0; attempt < 5; ++attempt) {
        const quint16 port = freePort();
        process.setProcessChannelMode(QProcess::MergedChannels);
        process.start(program, prepare(port));
        if (!process.waitForStarted(5000)) {
            *error = process.errorString();
            return 0;
        }
        for (int i = 0; i < 200; ++i) {
            QTcpSocket probe;
            probe.connectToHost(QHostAddress::LocalHost, port);
            if (probe.waitForConnected(50))
                return port;
            if (process.state() != QProcess::Running)
                break;
            QThread::msleep(10);
        }
        process.kill();
        process.waitForFinished(2000);
        *error = QString::fromUtf8(process.readAll());
    }
    return 0;
}

void stopServer(QProcess &process)
{
    if (process.state() != QProcess::Running)
        return;
    process.terminate();
    if (!process.waitForFinished(3000)) {
        process.kill();
        process.waitForFinished(2000);
    }
}

} // namespace bb::testing
