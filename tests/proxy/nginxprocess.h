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
    // upstreamBlock: optional `upstream` (or more `server`) blocks placed
    // beside it. listenOptions: what follows the address on the listen line
    // (" ssl" for HTTPS).
    explicit NginxProcess(const QString &serverBlock, const QString &upstreamBlock = {}, int workers = 1,
                          const QString &listenOptions = {});
    ~NginxProcess();

    static QString binary(); // empty when nginx is not on PATH
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

} // namespace bb::testing

// First thing in a test function that needs nginx: without it the function
// is skipped (and ctest reports the test as skipped, not passed).
#define SKIP_WITHOUT_NGINX()                                                                                          \
    do {                                                                                                              \
        if (bb::testing::NginxProcess::binary().isEmpty())                                                            \
            QSKIP("nginx is not on PATH (apt-get install nginx)");                                                   \
    } while (false)
