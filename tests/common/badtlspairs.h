// The certificate and key pairs that --admin-tls-cert and --admin-tls-key
// (or --proxy-tls-cert and --proxy-tls-key) refuse, each with the start of
// its one-line message; the unit test of the check and the binary's
// end-to-end tests go through the same rows.
#pragma once

#include "testcerts.h"

#include <QTest>

namespace bb::testing {

// Adds the columns cert, key and message, and a row a refusal, to the data
// function that calls it. Writes the files it needs into tls's directory.
inline void addBadTlsPairRows(const TestCertsDir &tls, const QString &listener = QStringLiteral("admin"))
{
    QTest::addColumn<QString>("cert");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("message");
    const TestCerts &c = tls.certs;
    const QString notes = tls.path("notes.txt");
    const QString traditional = tls.path("ec-encrypted.key"); // the older form, "Proc-Type: 4,ENCRYPTED"
    QFile text(notes);
    if (text.open(QIODevice::WriteOnly))
        text.write("not a certificate\n");
    QString error;
    if (!runOpenssl(tls.dir.path(),
                    {QStringLiteral("ec"), QStringLiteral("-in"), c.serverKey, QStringLiteral("-aes128"),
                     QStringLiteral("-passout"), QStringLiteral("pass:secret"), QStringLiteral("-out"), traditional},
                    &error))
        qWarning("%s", qPrintable(error));

    const QString missing = tls.path("missing.pem");
    const auto row = [](const char *name, const QString &cert, const QString &key, const QString &message) {
        QTest::newRow(name) << cert << key << message;
    };
    const QString flag = "--" + listener;
    const QString the = "the " + listener + " TLS ";
    row("certificate only", c.serverCert, {}, flag + "-tls-cert " + c.serverCert + " needs " + flag + "-tls-key FILE too");
    row("key only", {}, c.serverKey, flag + "-tls-key " + c.serverKey + " needs " + flag + "-tls-cert FILE too");
    row("missing certificate", missing, c.serverKey,
        "cannot read the " + listener + " TLS certificate " + missing + ": No such file or directory");
    row("missing key", c.serverCert, missing,
        "cannot read the " + listener + " TLS key " + missing + ": No such file or directory");
    row("certificate not PEM", notes, c.serverKey, the + "certificate " + notes + " holds no PEM certificate");
    row("key file as certificate", c.serverKey, c.serverKey,
        the + "certificate " + c.serverKey + " holds no PEM certificate");
    row("certificate as key", c.serverCert, c.serverCert,
        the + "key " + c.serverCert + " holds no PEM private key (RSA or EC)");
    row("encrypted PKCS#8 key", c.serverCert, c.encryptedServerKey,
        the + "key " + c.encryptedServerKey + " is encrypted: give it without a passphrase");
    row("encrypted EC key", c.serverCert, traditional,
        the + "key " + traditional + " is encrypted: give it without a passphrase");
    row("another certificate's key", c.serverCert, c.otherCaKey,
        the + "key " + c.otherCaKey + " does not go with the certificate " + c.serverCert);
}

} // namespace bb::testing
