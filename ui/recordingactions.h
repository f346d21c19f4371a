// Recording the proxy's traffic from the window: the File menu's checkable
// "Record traffic…", starting and stopping through the control interface
// (answered later: the action is held until then), and what the status
// line says while a recording runs.
#pragma once

#include "control/dashboardcontrol.h"

#include <QObject>

class QAction;
class QMainWindow;

namespace bb::ui {

class DashboardLink;

class RecordingActions : public QObject {
    Q_OBJECT
public:
    RecordingActions(DashboardLink &link, QMainWindow *window);

    QAction *recordAction() const { return m_record; }
    bool recording() const { return !m_path.isEmpty(); }
    // "   ● recording to PATH" while recording, else empty.
    QString statusSuffix() const;
    // Records every proxied request to path from now on; recordingChanged()
    // once answered, or a message box with the reason unless quiet.
    void start(const QString &path, bool quiet = false);
    // Stops; the status bar then says how many requests were recorded.
    void stop();

signals:
    // A start or stop was answered (refused when the recording is not what was asked).
    void recordingChanged(const bb::control::RecordingStatus &status);

private:
    void show(const control::RecordingStatus &status);

    DashboardLink &m_link;
    QMainWindow *m_window;
    QAction *m_record;
    QString m_path; // empty: not recording
};

} // namespace bb::ui
