#include "pemfiles.h"

#include <QFile>
#include <QFileInfo>
#include <QSslSocket>

#include <cerrno>
#include <sys/socket.h>
#include <unistd.h>

namespace bb {

std::optional<QByteArray> readPemFile(const QString &path, QString *why)
{
    constexpr qint64 kMaxPemBytes = 1 << 20;
    if (!QFileInfo(path).isFile() && QFileInfo::exists(path)) {
        *why = QStringLiteral("is not a regular file");
        return std::nullopt;
    }
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        *why = f.errorString();
        return std::nullopt;
    }
    return f.read(kMaxPemBytes);
}

QSslKey privateKeyOf(const QByteArray &pem)
{
    for (const QSsl::KeyAlgorithm algorithm : {QSsl::Rsa, QSsl::Ec}) {
        QSslKey key(pem, algorithm, QSsl::Pem, QSsl::PrivateKey);
        if (!key.isNull())
            return key;
    }
    return {};
}

bool isEncryptedPem(const QByteArray &pem)
{
    return pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") || pem.contains("Proc-Type: 4,ENCRYPTED");
}

// A server handshake begun on one end of a socket pair loads the certificate
// and key into the backend's context, which checks that the key is the
// certificate's, before any byte is exchanged and without listening.
QString backendRefusal(const QSslConfiguration &configuration)
{
    int ends[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ends) != 0)
        return qt_error_string(errno);
    QSslConfiguration server = configuration;
    server.setPeerVerifyMode(QSslSocket::VerifyNone);
    QString refusal;
    {
        QSslSocket socket;
        socket.setSslConfiguration(server);
        QObject::connect(&socket, &QAbstractSocket::errorOccurred, [&] {
            if (refusal.isEmpty())
                refusal = socket.errorString();
        });
        if (socket.setSocketDescriptor(ends[0])) {
            socket.startServerEncryption();
            socket.abort(); // closes ends[0]
        } else {
            refusal = socket.errorString();
            ::close(ends[0]);
        }
    }
    ::close(ends[1]);
    return refusal;
}

} // namespace bb
