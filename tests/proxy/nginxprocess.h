// A real nginx for tests and benchmarks: started on a free loopback port with
// a configuration written into a temporary folder, stopped on destruction.
#pragma once

#include <QProcess>
#include <QString>
#include <QTemporaryDir>

namespace bb::testing {

class NginxProcess {
public:
    // serverBlock: the body of one `server { ... }` without its listen line.
    // upstreamBlock: optional `upstream` blocks placed beside it.
    explicit NginxProcess(const QString &serverBlock, const QString &upstreamBlock = {}, int workers = 1);
    ~NginxProcess();

    static QString binary(); // empty when nginx is not installed
    bool started() const { return m_port != 0; }
    QString error() const { return m_error; }
    quint16 port() const { return m_port; }
    qint64 pid() const { return m_process.processId(); }
    QString dir() const { return m_dir.path(); }

private:
    QTemporaryDir m_dir;
    QProcess m_process;
    quint16 m_port = 0;
    QString m_error;
};

// A loopback TCP port nobody listens on right now (also: an upstream that refuses).
quint16 freePort();

} // namespace bb::testing
