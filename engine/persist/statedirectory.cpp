#include "statedirectory.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QStandardPaths>

namespace bb::persist {

QString defaultStateDirectory()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
}

bool prepareStateDirectory(const QString &path, QString *error)
{
    if (path.isEmpty()) {
        *error = QStringLiteral("no state directory (set --state-dir)");
        return false;
    }
    QDir dir(path);
    if (!dir.exists() && !QDir().mkpath(path)) {
        *error = QStringLiteral("cannot create the state directory %1").arg(path);
        return false;
    }
    QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    const QFileInfo info(path);
    if (!info.isDir() || !info.isWritable()) {
        *error = QStringLiteral("the state directory %1 is not a writable directory").arg(path);
        return false;
    }
    return true;
}

bool writeFileAtomically(const QString &path, const QByteArray &contents, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    file.write(contents);
    // QSaveFile flushes and fsyncs before it renames over the old file.
    if (!file.commit()) {
        *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace bb::persist
