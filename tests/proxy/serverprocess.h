// Starts a server program for tests and benchmarks on a free loopback port:
// prepare(port) writes its configuration and gives its arguments; ready
// when the port accepts a connection. A few ports are tried, in case
// another process takes one between its choice and the bind.
#pragma once

#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <functional>

namespace bb::testing {

// The port it listens on, or 0 with the reason (its output) in error.
quint16 startOnFreePort(QProcess &process, const QString &program,
                        const std::function<QStringList(quint16 port)> &prepare, QString *error);
// Terminates it, and kills it when it does not end.
void stopServer(QProcess &process);

// What a server for tests has: its folder, its process and port, and why it
// did not start. Stopped on destruction.
class ServerProcess {
public:
    ServerProcess(const ServerProcess &) = delete;
    ServerProcess &operator=(const ServerProcess &) = delete;

    bool started() const { return m_port != 0; }
    QString error() const { return m_error; }
    quint16 port() const { return m_port; }
    qint64 pid() const { return m_process.processId(); }
    QString dir() const { return m_dir.path(); }

protected:
    ServerProcess() = default;
    ~ServerProcess() { stopServer(m_process); }
    void start(const QString &program, const std::function<QStringList(quint16 port)> &prepare)
    {
        m_port = startOnFreePort(m_process, program, prepare, &m_error);
    }

    QTemporaryDir m_dir;
    QProcess m_process;
    quint16 m_port = 0;
    QString m_error;
};

} // namespace bb::testing
