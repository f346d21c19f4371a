// A listener's certificate and key (--admin-tls-cert/--admin-tls-key for
// the admin API, --proxy-tls-cert/--proxy-tls-key for the proxy): read from
// PEM files and checked before anything listens (and at each reload), so
// that a wrong file stops the start with one line that names it instead of
// failing every handshake later.
#pragma once

#include <QSslConfiguration>
#include <QString>

#include <optional>

namespace bb::control {

struct ServerTls {
    // The server side of TLS 1.2 or newer with that certificate (and the
    // chain after it in the file) and key; none: the listener speaks plain HTTP.
    std::optional<QSslConfiguration> configuration;
    QString error; // set: one line naming the file and the problem; nothing may start
};

// Which listener the files are for: the messages name it.
enum class TlsListener { Admin, Proxy };

// Both empty: plain HTTP. Only one given, a file missing or unreadable, no PEM
// certificate or no PEM private key (RSA or EC) in it, a key encrypted with a
// passphrase, or a key that is not the certificate's: an error.
ServerTls loadServerTls(const QString &certFile, const QString &keyFile, TlsListener listener = TlsListener::Admin);

} // namespace bb::control
