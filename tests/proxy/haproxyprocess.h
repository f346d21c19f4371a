// A real HAProxy for benchmarks: an HTTP reverse proxy with keep-alive to
// one upstream on 127.0.0.1, on a free loopback port, stopped on destruction.
#pragma once

#include <QProcess>
#include <QString>
#include <QTemporaryDir>

namespace bb::testing {

class HaproxyProcess {
public:
    HaproxyProcess(quint16 upstreamPort, int threads);
    ~HaproxyProcess();

    static QString binary(); // empty when haproxy is not on PATH
    bool started() const { return m_port != 0; }
    QString error() const { return m_error; }
    quint16 port() const { return m_port; }

private:
    QTemporaryDir m_dir;
    QProcess m_process;
    quint16 m_port = 0;
    QString m_error;
};

} // namespace bb::testing
