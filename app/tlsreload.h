// A listener's certificate and key read again when their files change or
// on SIGHUP: a pair that loads goes to the listener for the connections
// that come next (those open keep theirs); one that does not is reported
// and the listener keeps what it had.
#pragma once

#include <QFileSystemWatcher>
#include <QSslConfiguration>
#include <QTimer>

#include <functional>

namespace bb::app {

class TlsReloader : public QObject {
    Q_OBJECT
public:
    using Apply = std::function<void(const QSslConfiguration &)>;
    TlsReloader(QString what, QString certFile, QString keyFile, Apply apply, QObject *parent = nullptr);

    // Reads both files now; true when the listener got them.
    bool reload();

private:
    void watch();

    QString m_what;
    QString m_certFile;
    QString m_keyFile;
    Apply m_apply;
    QFileSystemWatcher m_watcher;
    QTimer m_settle; // a certificate and its key are often written one after the other
};

} // namespace bb::app
