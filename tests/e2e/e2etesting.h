// Shared by the end-to-end tests of the breakerboard binary: configuration
// files, arguments that keep its state and admin API inside the test, and
// waiting for what it prints.
#pragma once

#include "httpclient.h"
#include "freeport.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
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

#ifdef BREAKERBOARD_BINARY
// `breakerboard --headless` over a configuration file (or its dashboard, on
// the platform the test runs on, with window), on free loopback ports, its
// state kept in dir; the admin API reached with the token it wrote (over TLS
// when adminTls is set).
struct Instance {
    Instance(QTemporaryDir &d, QString c) : dir(d), config(std::move(c)) {}
    ~Instance()
    {
        if (process.state() == QProcess::NotRunning)
            return;
        process.terminate();
        if (!process.waitForFinished(5000))
            process.kill();
        process.waitForFinished(1000);
    }
    QTemporaryDir &dir;
    QString config;
    quint16 proxyPort = freePort();
    quint16 adminPort = freePort();
    QStringList extraArguments;
    bool window = false;
    std::optional<QSslConfiguration> adminTls; // set: how to reach the admin API over TLS
    QProcess process;
    QByteArray out;

    bool start()
    {
        launch();
        return waitStarted();
    }
    // start() in two halves, so that several instances start side by side.
    void launch()
    {
        out.clear();
        process.start(QStringLiteral(BREAKERBOARD_BINARY),
                      (window ? QStringList() : QStringList{QStringLiteral("--headless")}) +
                          QStringList{QStringLiteral("--config"), config, QStringLiteral("--proxy-listen"),
                                      QStringLiteral("127.0.0.1:%1").arg(proxyPort)} +
                          isolated(dir, adminPort) + extraArguments);
    }
    bool waitStarted()
    {
        if (waitForOutput(process, window ? "Dashboard open." : "Breakerboard headless: proxy on", out, 10000))
            return true;
        // Why not, for the failure's report (a port taken meanwhile by another
        // test, say); its standard error stays unread for the test to check.
        const QProcess::ProcessChannel channel = process.readChannel();
        process.setReadChannel(QProcess::StandardError);
        const QByteArray why = process.peek(64 * 1024);
        process.setReadChannel(channel);
        qWarning("breakerboard did not start (proxy port %u, admin port %u): %s%s", unsigned(proxyPort),
                 unsigned(adminPort), out.constData(), why.constData());
        return false;
    }
    QByteArray token() const
    {
        QFile f(dir.filePath("state/admin-token"));
        return f.open(QIODevice::ReadOnly) ? f.readAll().trimmed() : QByteArray();
    }
    std::optional<Response> admin(const QByteArray &method, const QByteArray &path, const QByteArray &body = {})
    {
        return adminClient()->request(method, path, body, "Authorization: Bearer " + token() + "\r\n");
    }
    std::unique_ptr<HttpClient> adminClient() const
    {
        return adminTls ? std::make_unique<HttpClient>(adminPort, *adminTls) : std::make_unique<HttpClient>(adminPort);
    }
    QJsonObject breaker(const char *name)
    {
        const auto r = admin("GET", QByteArray("/api/v1/breakers/") + name);
        return r ? QJsonDocument::fromJson(r->body).object() : QJsonObject();
    }
};
#endif

} // namespace bb::testing
