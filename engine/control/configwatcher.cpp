#include "configwatcher.h"

#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>

namespace bb::control {

namespace {
QByteArray digestOf(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(&file);
    return hash.result();
}
} // namespace

ConfigWatcher::ConfigWatcher(ControlService &control, QString path, QObject *parent)
    : QObject(parent), m_control(control), m_path(QFileInfo(path).absoluteFilePath()), m_lastSeen(digestOf(m_path))
{
    qRegisterMetaType<bb::control::ReloadResult>("bb::control::ReloadResult");
    m_settle.setSingleShot(true);
    m_settle.setInterval(200);
    connect(&m_settle, &QTimer::timeout, this, &ConfigWatcher::check);
    connect(&m_watcher, &QFileSystemWatcher::fileChanged, &m_settle, qOverload<>(&QTimer::start));
    connect(&m_watcher, &QFileSystemWatcher::directoryChanged, &m_settle, qOverload<>(&QTimer::start));
    watch();
}

void ConfigWatcher::watch()
{
    // The directory too: a file replaced by rename stops being watched.
    const QString dir = QFileInfo(m_path).absolutePath();
    if (!m_watcher.directories().contains(dir))
        m_watcher.addPath(dir);
    if (!m_watcher.files().contains(m_path) && QFile::exists(m_path))
        m_watcher.addPath(m_path);
}

void ConfigWatcher::check()
{
    watch();
    const QByteArray digest = digestOf(m_path);
    // Empty: gone for a moment (mid-rename); the same: another file of the
    // directory changed, or the same bytes were written again.
    if (!digest.isEmpty() && digest != m_lastSeen) {
        m_lastSeen = digest;
        emit reloaded(m_control.reload(m_path, {"config-file", "config"}));
    }
    emit checked();
}

} // namespace bb::control
