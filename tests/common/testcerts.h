// Certificates for TLS tests, made by the openssl command in a directory the
// test owns: a CA, a server certificate it signed for 127.0.0.1 and
// localhost (its key also encrypted), and a second CA that signed nothing
// here. EC P-256 keys, so that
// making them all takes a few milliseconds.
#pragma once

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QStandardPaths>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

namespace bb::testing {

struct TestCerts {
    QString caCert;
    QString caKey;
    QString serverCert; // subjectAltName IP:127.0.0.1, DNS:localhost; signed by caCert
    QString serverKey;
    QString encryptedServerKey; // the same key, PKCS#8 with the passphrase "secret"
    QString otherCaCert; // trusts nothing of the above
    QString otherCaKey;  // a key that is not the server's
    QString error;       // set: what failed (the files are not all there)
};

// Runs openssl in dir with args; false with its output in *error.
inline bool runOpenssl(const QString &dir, const QStringList &args, QString *error)
{
    const QString openssl = QStandardPaths::findExecutable(QStringLiteral("openssl"));
    if (openssl.isEmpty()) {
        *error = QStringLiteral("openssl is not installed");
        return false;
    }
    QProcess p;
    p.setWorkingDirectory(dir);
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(openssl, args);
    if (p.waitForFinished(30000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0)
        return true;
    *error = QStringLiteral("openssl %1: %2").arg(args.join(' '), QString::fromLocal8Bit(p.readAll()));
    return false;
}

// Makes the certificates in dir (which must exist).
inline TestCerts makeTestCerts(const QString &dir)
{
    const QDir d(dir);
    TestCerts c;
    c.caCert = d.filePath(QStringLiteral("ca.pem"));
    c.caKey = d.filePath(QStringLiteral("ca.key"));
    c.serverCert = d.filePath(QStringLiteral("server.pem"));
    c.serverKey = d.filePath(QStringLiteral("server.key"));
    c.encryptedServerKey = d.filePath(QStringLiteral("server-encrypted.key"));
    c.otherCaCert = d.filePath(QStringLiteral("other-ca.pem"));
    c.otherCaKey = d.filePath(QStringLiteral("other-ca.key"));

    QFile config(d.filePath(QStringLiteral("openssl.cnf")));
    if (!config.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        c.error = config.errorString();
        return c;
    }
    config.write("[req]\n"
                 "distinguished_name = dn\n"
                 "[dn]\n"
                 "[ca]\n"
                 "basicConstraints = critical, CA:TRUE\n"
                 "keyUsage = critical, keyCertSign, cRLSign\n"
                 "subjectKeyIdentifier = hash\n"
                 "[server]\n"
                 "basicConstraints = critical, CA:FALSE\n"
                 "keyUsage = critical, digitalSignature\n"
                 "extendedKeyUsage = serverAuth\n"
                 "subjectAltName = IP:127.0.0.1, DNS:localhost\n"
                 "subjectKeyIdentifier = hash\n"
                 "authorityKeyIdentifier = keyid\n");
    config.close();

    const QStringList newKey{QStringLiteral("-newkey"), QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
                             QStringLiteral("ec_paramgen_curve:P-256"), QStringLiteral("-nodes"),
                             QStringLiteral("-config"), QStringLiteral("openssl.cnf")};
    const auto makeCa = [&](const QString &cert, const QString &key, const QString &name) {
        return runOpenssl(dir,
                          QStringList{QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-extensions"),
                                      QStringLiteral("ca"), QStringLiteral("-days"), QStringLiteral("2"),
                                      QStringLiteral("-subj"), QStringLiteral("/CN=") + name, QStringLiteral("-keyout"),
                                      key, QStringLiteral("-out"), cert} +
                              newKey,
                          &c.error);
    };
    const bool made =
        makeCa(c.caCert, c.caKey, QStringLiteral("Breakerboard test CA")) &&
        makeCa(c.otherCaCert, c.otherCaKey, QStringLiteral("Another test CA")) &&
        runOpenssl(dir,
                   QStringList{QStringLiteral("req"), QStringLiteral("-new"), QStringLiteral("-subj"),
                               QStringLiteral("/CN=localhost"), QStringLiteral("-keyout"), c.serverKey,
                               QStringLiteral("-out"), QStringLiteral("server.csr")} +
                       newKey,
                   &c.error) &&
        runOpenssl(dir,
                   {QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"), QStringLiteral("server.csr"),
                    QStringLiteral("-CA"), c.caCert, QStringLiteral("-CAkey"), c.caKey, QStringLiteral("-set_serial"),
                    QStringLiteral("2"), QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-extfile"),
                    QStringLiteral("openssl.cnf"), QStringLiteral("-extensions"), QStringLiteral("server"),
                    QStringLiteral("-out"), c.serverCert},
                   &c.error) &&
        runOpenssl(dir,
                   {QStringLiteral("pkey"), QStringLiteral("-in"), c.serverKey, QStringLiteral("-aes128"),
                    QStringLiteral("-passout"), QStringLiteral("pass:secret"), QStringLiteral("-out"),
                    c.encryptedServerKey},
                   &c.error);
    if (made)
        c.error.clear();
    return c;
}

// A temporary directory with the certificates made in it, for a test to hold.
struct TestCertsDir {
    QTemporaryDir dir;
    TestCerts certs = makeTestCerts(dir.path());
    QString path(const char *name) const { return dir.filePath(QString::fromLatin1(name)); }
};

// A client's configuration that trusts the CA in caCert and nothing else.
inline QSslConfiguration trusting(const QString &caCert)
{
    QSslConfiguration c = QSslConfiguration::defaultConfiguration();
    c.setCaCertificates(QSslCertificate::fromPath(caCert));
    return c;
}

// A server's configuration with the server certificate and key, TLS 1.2 or newer.
inline QSslConfiguration serving(const TestCerts &certs)
{
    QSslConfiguration c = QSslConfiguration::defaultConfiguration();
    c.setProtocol(QSsl::TlsV1_2OrLater);
    c.setLocalCertificateChain(QSslCertificate::fromPath(certs.serverCert));
    QFile key(certs.serverKey);
    if (key.open(QIODevice::ReadOnly))
        c.setPrivateKey(QSslKey(key.readAll(), QSsl::Ec));
    return c;
}

} // namespace bb::testing
