// The admin API's bearer token: read from a file the operator names, or
// generated at first start into the state directory (mode 0600).
#pragma once

#include <QByteArray>
#include <QString>

namespace bb::control {

struct AdminToken {
    QByteArray token;
    QString path;
    bool generated = false; // written just now
    QString error;          // set: no token
};

// tokenFile: --admin-token-file, or empty to use (or create) stateDir/admin-token.
AdminToken loadAdminToken(const QString &tokenFile, const QString &stateDir);

} // namespace bb::control
