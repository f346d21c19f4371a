// The window's status bar: where the proxy and the admin API listen (or
// which recording replays, or how the instances of a fleet fare), requests
// a second and breakers open, whether figures arrive (over a fleet: how
// many instances are connected), how the engine's link to its cluster's
// shared state stands (over a fleet: on how many instances it is down),
// "working…" while a command waits for its answer longer
// than the control's busy delay, and a long task's progress.
#pragma once

#include <QColor>
#include <QObject>
#include <QTimer>

#include <functional>

class QLabel;
class QProgressBar;
class QStatusBar;

namespace bb::ui {

class DashboardLink;
class DashboardState;

class StatusLine : public QObject {
    Q_OBJECT
public:
    // extra: said after the figures (a recording under way).
    StatusLine(DashboardLink &link, const DashboardState &state, QStatusBar *bar, std::function<QString()> extra);

    void setReplay(const QString &name); // "replay" instead of the proxy's addresses
    QString text() const;
    // Says what waits, or nothing.
    void setWorking(const QString &what);
    QString workingText() const;
    // "shared: connected", "shared state down on 2", ...; empty when nothing shares state.
    QString sharedText() const;
    QColor sharedColor() const { return m_sharedColor; }
    void showProgress(const QString &what, double fraction);
    void hideProgress();
    QProgressBar *progressBar() const { return m_progress; }
    void update();

private:
    // Over a fleet: how many of its instances are connected, in colour.
    void showInstancesConnected();
    // One engine (or a fleet of one): its link's state; a fleet: on how many
    // live instances it is down.
    void showSharedState();
    void setShared(const QString &text, const QColor &color, const QString &tip = {});

    DashboardLink &m_link;
    const DashboardState &m_state;
    std::function<QString()> m_extra;
    QString m_replayName; // empty: live
    QLabel *m_line;
    QLabel *m_working;
    QLabel *m_connection;
    QLabel *m_shared;
    QColor m_sharedColor;
    QLabel *m_progressText;
    QProgressBar *m_progress;
    QTimer m_timer;
};

} // namespace bb::ui
