// Shared by the benchmarks: the breakerboard binary started headless with a
// configuration, its proxy and admin API on free loopback ports.
#pragma once

#include "nginxprocess.h"

#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QThread>

#include <cstdio>

namespace bb::testing {

struct Breakerboard {
    QTemporaryDir dir;
    QProcess process;
    quint16 port = 0;
    quint16 adminPort = 0;

    explicit Breakerboard(const QString &config)
    {
        QFile f(dir.path() + QStringLiteral("/bench.yaml"));
        f.open(QIODevice::WriteOnly);
        f.write(config.toUtf8());
        f.close();
        port = freePort();
        adminPort = freePort();
        process.start(QStringLiteral(BREAKERBOARD_BINARY),
                      {QStringLiteral("--headless"), QStringLiteral("--config"), f.fileName(),
                       QStringLiteral("--proxy-listen"), QStringLiteral("127.0.0.1:%1").arg(port),
                       QStringLiteral("--admin-listen"), QStringLiteral("127.0.0.1:%1").arg(adminPort),
                       QStringLiteral("--state-dir"), dir.filePath(QStringLiteral("state"))});
        for (int i = 0; i < 300; ++i) {
            QTcpSocket probe;
            probe.connectToHost(QHostAddress::LocalHost, port);
            if (probe.waitForConnected(50))
                return;
            QThread::msleep(10);
        }
        std::fprintf(stderr, "breakerboard did not start: %s\n", process.readAllStandardError().constData());
    }
    ~Breakerboard()
    {
        process.terminate();
        process.waitForFinished(10000);
    }
    QByteArray adminToken() const
    {
        QFile f(dir.filePath(QStringLiteral("state/admin-token")));
        return f.open(QIODevice::ReadOnly) ? f.readAll().trimmed() : QByteArray();
    }
    double rssMb() const
    {
        QFile status(QStringLiteral("/proc/%1/status").arg(process.processId()));
        status.open(QIODevice::ReadOnly);
        const auto m = QRegularExpression(QStringLiteral("VmRSS:\\s+(\\d+) kB")).match(QString::fromLatin1(status.readAll()));
        return m.captured(1).toDouble() / 1024.0;
    }
};

} // namespace bb::testing
