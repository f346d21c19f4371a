#include "tlsreload.h"

#include "consoleoutput.h"

#include "control/servertls.h"

namespace bb::app {

TlsReloader::TlsReloader(QString what, QString certFile, QString keyFile, Apply apply, QObject *parent)
    : QObject(parent), m_what(std::move(what)), m_certFile(std::move(certFile)), m_keyFile(std::move(keyFile)),
      m_apply(std::move(apply)), m_watcher(this), m_settle(this)
{
    m_settle.setSingleShot(true);
    m_settle.setInterval(300);
    connect(&m_settle, &QTimer::timeout, this, [this] {
        reload();
        watch();
    });
    connect(&m_watcher, &QFileSystemWatcher::fileChanged, &m_settle, qOverload<>(&QTimer::start));
    watch();
}

void TlsReloader::watch()
{
    // An editor or certbot may replace a file by renaming: the new one is watched again.
    for (const QString &file : {m_certFile, m_keyFile})
        if (!m_watcher.files().contains(file))
            m_watcher.addPath(file);
}

bool TlsReloader::reload()
{
    const control::ServerTls tls = control::loadServerTls(m_certFile, m_keyFile, control::TlsListener::Proxy);
    if (!tls.configuration) {
        printError(QStringLiteral("breakerboard: %1 certificate not reloaded, the one in use stays: %2").arg(m_what, tls.error));
        return false;
    }
    m_apply(*tls.configuration);
    const QList<QSslCertificate> chain = tls.configuration->localCertificateChain();
    print(QStringLiteral("%1 certificate reloaded from %2%3")
              .arg(m_what, m_certFile,
                   chain.isEmpty() ? QString()
                                   : QStringLiteral(" (valid until %1)").arg(chain.front().expiryDate().toString(Qt::ISODate))));
    return true;
}

} // namespace bb::app
