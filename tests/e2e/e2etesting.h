// Shared by the end-to-end tests of the breakerboard binary: configuration
// files, arguments that keep its state and admin API inside the test, and
// waiting for what it prints.
#pragma once

#include "nginxprocess.h"

#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>

namespace bb::testing {

inline QString writeConfig(const QTemporaryDir &dir, const QString &text, const QString &name = "config.yaml")
{
    const QString path = dir.filePath(name);
    QFile f(path);
    f.open(QIODevice::WriteOnly | QIODevice::Truncate);
    f.write(text.toUtf8());
    return path;
}

// The state directory inside dir, the admin API on a free loopback port.
inline QStringList isolated(const QTemporaryDir &dir, quint16 adminPort)
{
    return {QStringLiteral("--state-dir"), dir.filePath(QStringLiteral("state")), QStringLiteral("--admin-listen"),
            QStringLiteral("127.0.0.1:%1").arg(adminPort)};
}

inline bool waitForOutput(QProcess &p, const QByteArray &text, QByteArray &seen, int timeoutMs = 5000)
{
    QElapsedTimer clock;
    clock.start();
    while (!seen.contains(text) && clock.elapsed() < timeoutMs) {
        p.waitForReadyRead(50);
        seen += p.readAllStandardOutput();
        if (p.state() == QProcess::NotRunning)
            break;
    }
    return seen.contains(text);
}

} // namespace bb::testing
