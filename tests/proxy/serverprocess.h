// Starts a server program for tests and benchmarks on a free loopback port:
// prepare(port) writes its configuration and gives its arguments; ready
// when the port accepts a connection. A few ports are tried, in case
// another process takes one between its choice and the bind.
#pragma once

#include <QProcess>
#include <QString>
#include <QStringList>

#include <functional>

namespace bb::testing {

// The port it listens on, or 0 with the reason (its output) in error.
quint16 startOnFreePort(QProcess &process, const QString &program,
                        const std::function<QStringList(quint16 port)> &prepare, QString *error);
// Terminates it, and kills it when it does not end.
void stopServer(QProcess &process);

} // namespace bb::testing
