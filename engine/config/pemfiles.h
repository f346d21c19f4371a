// PEM certificates and keys as Qt's TLS backend reads them, for the checks
// that refuse a bad file before anything starts: a service's `tls:` files
// and the admin API's certificate and key.
#pragma once

#include <QByteArray>
#include <QSslConfiguration>
#include <QSslKey>
#include <QString>

#include <optional>

namespace bb {

// A PEM file's bytes, or nullopt with why it cannot be used. Only regular
// files are read, and only so much of them: a PEM file is small.
std::optional<QByteArray> readPemFile(const QString &path, QString *why);
// The private key (RSA or EC) in pem; null when there is none.
QSslKey privateKeyOf(const QByteArray &pem);
// True when pem holds a key encrypted with a passphrase (PKCS#8 or the older
// OpenSSL form, which both say so in the PEM text).
bool isEncryptedPem(const QByteArray &pem);
// What the TLS backend says of configuration's local certificate and key
// together, empty when it takes them (the key is the certificate's). Nothing
// is sent anywhere: see pemfiles.cpp.
QString backendRefusal(const QSslConfiguration &configuration);

} // namespace bb
