#include "recordingactions.h"

#include "dashboardlink.h"

#include <QAction>
#include <QDateTime>
#include <QFileDialog>
#include <QMainWindow>
#include <QMessageBox>
#include <QStatusBar>

namespace bb::ui {

RecordingActions::RecordingActions(DashboardLink &link, QMainWindow *window)
    : QObject(window), m_link(link), m_window(window)
{
    m_record = new QAction(QStringLiteral("&Record traffic…"), this);
    m_record->setCheckable(true);
    m_record->setShortcut(QKeySequence(QStringLiteral("Ctrl+R")));
    m_record->setToolTip(QStringLiteral("Write every proxied request to a recording (JSON Lines) until unchecked"));
    m_record->setEnabled(false); // until the control says whether there is a proxy to record
    connect(m_record, &QAction::triggered, this, [this](bool on) {
        m_record->setChecked(!on); // changes when answered
        if (!on) {
            stop();
            return;
        }
        const QString name = QStringLiteral("breakerboard-%1.jsonl")
                                 .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss")));
        const QString path = QFileDialog::getSaveFileName(m_window, QStringLiteral("Record traffic to"), name,
                                                          QStringLiteral("Recordings (*.jsonl)"));
        if (!path.isEmpty())
            start(path);
    });
    // --record may have started one.
    m_link.control().recording().then(this, [this](const control::RecordingStatus &r) {
        m_record->setEnabled(r.available);
        m_record->setChecked(r.active);
        m_path = r.active ? r.path : QString();
    });
}

QString RecordingActions::statusSuffix() const
{
    return m_path.isEmpty() ? QString() : QStringLiteral("   ● recording to %1").arg(m_path);
}

void RecordingActions::start(const QString &path, bool quiet)
{
    m_record->setEnabled(false);
    m_link.control().startRecording(path).then(this, [this, quiet](const control::RecordingStatus &r) {
        m_record->setEnabled(r.available);
        if (!r.active && !quiet)
            QMessageBox::warning(m_window, QStringLiteral("Cannot record"), r.error);
        show(r);
    });
}

void RecordingActions::stop()
{
    m_record->setEnabled(false);
    m_link.control().stopRecording().then(this, [this](const control::RecordingStatus &r) {
        m_record->setEnabled(r.available);
        show(r);
        if (!r.path.isEmpty())
            m_window->statusBar()->showMessage(
                QStringLiteral("Recorded %1 requests to %2%3")
                    .arg(r.lines)
                    .arg(r.path, r.error.isEmpty() ? QString() : QStringLiteral(" (") + r.error + ')'),
                15000);
    });
}

void RecordingActions::show(const control::RecordingStatus &status)
{
    m_path = status.active ? status.path : QString();
    m_record->setChecked(status.active);
    emit recordingChanged(status);
}

} // namespace bb::ui
