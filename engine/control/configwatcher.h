// Watches the configuration file and reloads it through the control service
// when its contents change (editors that write a new file and rename it
// included).
#pragma once

#include "controlservice.h"

#include <QFileSystemWatcher>
#include <QObject>
#include <QTimer>

namespace bb::control {

class ConfigWatcher : public QObject {
    Q_OBJECT
public:
    ConfigWatcher(ControlService &control, QString path, QObject *parent = nullptr);

signals:
    void reloaded(const bb::control::ReloadResult &result);
    // After each look at the file once a burst of changes settled, whether
    // it reloaded or not (then after reloaded).
    void checked();

private:
    void check();
    void watch();

    ControlService &m_control;
    QString m_path;
    QFileSystemWatcher m_watcher;
    QTimer m_settle; // waits for a burst of writes to end
    QByteArray m_lastSeen;
};

} // namespace bb::control
