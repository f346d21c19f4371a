// A real redis-server for tests: on a free loopback port, in a temporary
// folder, saving nothing; it can be killed, frozen and started again on the
// same port.
#pragma once

#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QTemporaryDir>

namespace bb::testing {

class RedisProcess {
public:
    explicit RedisProcess(const QByteArray &password = {});
    ~RedisProcess();

    static QString binary(); // empty when redis-server is not on PATH
    bool start();            // on port() again after kill(), or a new free port
    bool started() const { return m_process.state() == QProcess::Running; }
    void kill();             // SIGKILL, waited for
    void freeze(bool frozen); // SIGSTOP / SIGCONT
    QString error() const { return m_error; }
    quint16 port() const { return m_port; }

private:
    QTemporaryDir m_dir;
    QProcess m_process;
    QByteArray m_password;
    quint16 m_port = 0;
    QString m_error;
};

} // namespace bb::testing

// First thing in a test function that needs Redis: without it the function
// is skipped (and ctest reports the test as skipped, not passed).
#define SKIP_WITHOUT_REDIS()                                                                                          \
    do {                                                                                                              \
        if (bb::testing::RedisProcess::binary().isEmpty())                                                            \
            QSKIP("redis-server is not on PATH (apt-get install redis-server)");                                     \
    } while (false)
