// Certificates for TLS tests, made by the openssl command in a directory the
// test owns: a CA, a server certificate it signed for 127.0.0.1 and
// localhost (its key also encrypted), and a second CA that signed nothing
// here; on request (makeClientCerts) a client certificate the CA signed and
// one for the same key that expired in 2020. EC P-256 keys, so that
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
    QString clientCert;        // CN=breakerboard-client, signed by caCert (makeClientCerts)
    QString clientKey;
    QString expiredClientCert; // the same key, valid only on 1 January 2020
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

// Adds the client certificates to c, made in dir next to the others.
// `openssl x509 -req` cannot date a certificate in the past; `openssl ca`
// with a minimal database can (-startdate, -enddate).
inline bool makeClientCerts(const QString &dir, TestCerts &c)
{
    const QDir d(dir);
    c.clientCert = d.filePath(QStringLiteral("client.pem"));
    c.clientKey = d.filePath(QStringLiteral("client.key"));
    c.expiredClientCert = d.filePath(QStringLiteral("client-expired.pem"));
    QFile config(d.filePath(QStringLiteral("client-ca.cnf")));
    QFile(d.filePath(QStringLiteral("index.txt"))).open(QIODevice::WriteOnly | QIODevice::Truncate);
    QFile serial(d.filePath(QStringLiteral("serial.txt")));
    if (!config.open(QIODevice::WriteOnly | QIODevice::Truncate) || !serial.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        c.error = config.errorString() + serial.errorString();
        return false;
    }
    serial.write("10\n");
    serial.close();
    config.write("[req]\n"
                 "distinguished_name = dn\n"
                 "[dn]\n"
                 "[ca]\n"
                 "default_ca = test_ca\n"
                 "[test_ca]\n"
                 "database = index.txt\n"
                 "new_certs_dir = .\n"
                 "serial = serial.txt\n"
                 "default_md = sha256\n"
                 "policy = any\n"
                 "unique_subject = no\n"
                 "x509_extensions = client\n"
                 "[any]\n"
                 "commonName = supplied\n"
                 "[client]\n"
                 "basicConstraints = critical, CA:FALSE\n"
                 "keyUsage = critical, digitalSignature\n"
                 "extendedKeyUsage = clientAuth\n");
    config.close();
    const auto sign = [&](const QString &out, const QStringList &dates) {
        return runOpenssl(dir,
                          QStringList{QStringLiteral("ca"), QStringLiteral("-batch"), QStringLiteral("-notext"),
                                      QStringLiteral("-config"), QStringLiteral("client-ca.cnf"),
                                      QStringLiteral("-cert"), c.caCert, QStringLiteral("-keyfile"), c.caKey,
                                      QStringLiteral("-in"), QStringLiteral("client.csr"), QStringLiteral("-out"),
                                      out} +
                              dates,
                          &c.error);
    };
    return runOpenssl(dir,
                      {QStringLiteral("req"), QStringLiteral("-new"), QStringLiteral("-newkey"), QStringLiteral("ec"),
                       QStringLiteral("-pkeyopt"), QStringLiteral("ec_paramgen_curve:P-256"), QStringLiteral("-nodes"),
                       QStringLiteral("-config"), QStringLiteral("client-ca.cnf"), QStringLiteral("-subj"),
                       QStringLiteral("/CN=breakerboard-client"), QStringLiteral("-keyout"), c.clientKey,
                       QStringLiteral("-out"), QStringLiteral("client.csr")},
                      &c.error) &&
           sign(c.clientCert, {QStringLiteral("-days"), QStringLiteral("2")}) &&
           sign(c.expiredClientCert, {QStringLiteral("-startdate"), QStringLiteral("20200101000000Z"),
                                      QStringLiteral("-enddate"), QStringLiteral("20200102000000Z")});
}

// A server certificate for the key of makeTestCerts (server.key), for the
// names in altNames ("DNS:api.example.com, IP:127.0.0.1"), signed by the test
// CA or, with byOtherCa, by the CA nobody trusts; dates as `openssl ca`
// takes them (-days N, or -startdate and -enddate for one long expired).
inline bool makeServerCert(const QString &dir, TestCerts &c, const QString &out, const QString &altNames,
                           const QStringList &dates = {QStringLiteral("-days"), QStringLiteral("2")},
                           bool byOtherCa = false)
{
    const QDir d(dir);
    QFile database(d.filePath(QStringLiteral("server-index.txt")));
    if (!database.exists())
        database.open(QIODevice::WriteOnly);
    database.close();
    QFile serial(d.filePath(QStringLiteral("server-serial.txt")));
    if (!serial.exists() && serial.open(QIODevice::WriteOnly))
        serial.write("40\n");
    serial.close();
    QFile config(d.filePath(QStringLiteral("server-ca.cnf")));
    if (!config.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        c.error = config.errorString();
        return false;
    }
    config.write(QStringLiteral("[ca]\ndefault_ca = test_ca\n[test_ca]\ndatabase = server-index.txt\n"
                                "new_certs_dir = .\nserial = server-serial.txt\ndefault_md = sha256\npolicy = any\n"
                                "unique_subject = no\nx509_extensions = server\n[any]\ncommonName = supplied\n"
                                "[server]\nbasicConstraints = critical, CA:FALSE\nkeyUsage = critical, digitalSignature\n"
                                "extendedKeyUsage = serverAuth\nsubjectAltName = %1\n")
                     .arg(altNames)
                     .toUtf8());
    config.close();
    return runOpenssl(dir,
                      QStringList{QStringLiteral("ca"), QStringLiteral("-batch"), QStringLiteral("-notext"),
                                  QStringLiteral("-config"), QStringLiteral("server-ca.cnf"), QStringLiteral("-cert"),
                                  byOtherCa ? c.otherCaCert : c.caCert, QStringLiteral("-keyfile"),
                                  byOtherCa ? c.otherCaKey : c.caKey, QStringLiteral("-in"),
                                  QStringLiteral("server.csr"), QStringLiteral("-out"), out} +
                          dates,
                      &c.error);
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
