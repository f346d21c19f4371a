#include "admintoken.h"

#include <QDir>
#include <QFile>
#include <QRandomGenerator>

#include <fcntl.h>
#include <unistd.h>

namespace bb::control {

namespace {
constexpr int kMinTokenLength = 16;

AdminToken readToken(const QString &path)
{
    AdminToken t;
    t.path = path;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        t.error = QStringLiteral("cannot read the admin token file %1: %2").arg(path, file.errorString());
        return t;
    }
    t.token = file.read(4096).trimmed();
    if (t.token.size() < kMinTokenLength || t.token.contains(' ') || t.token.contains('\n'))
        t.error = QStringLiteral("the admin token in %1 must be one word of at least %2 characters")
                      .arg(path)
                      .arg(kMinTokenLength);
    return t;
}
} // namespace

AdminToken loadAdminToken(const QString &tokenFile, const QString &stateDir)
{
    if (!tokenFile.isEmpty())
        return readToken(tokenFile);
    const QString path = QDir(stateDir).filePath(QStringLiteral("admin-token"));
    if (QFile::exists(path))
        return readToken(path);

    quint32 words[8];
    QRandomGenerator::system()->fillRange(words);
    const QByteArray token = QByteArray(reinterpret_cast<const char *>(words), sizeof words).toHex();
    AdminToken t{token, path, true, {}};
    // Created with 0600 from the start: never readable by others, not even briefly.
    const int fd = ::open(QFile::encodeName(path).constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    const QByteArray line = token + '\n';
    if (fd < 0 || ::write(fd, line.constData(), std::size_t(line.size())) != line.size()) {
        t.error = QStringLiteral("cannot write the admin token to %1").arg(path);
        t.token.clear();
    }
    if (fd >= 0)
        ::close(fd);
    return t;
}

} // namespace bb::control
