// A replay's controls: the "REPLAY" marker, play and pause, step, speed
// (1× to 1000× and max), and the timeline to seek on, with where the replay
// is and the recording's wall-clock time there. "What-if…" asks for
// configurations to compare on the same traffic.
#pragma once

#include "control/replaycontrol.h"

#include <QToolBar>

class QAction;
class QComboBox;
class QLabel;
class QSlider;

namespace bb::ui {

class ReplayBar : public QToolBar {
    Q_OBJECT
public:
    // startWallMs: the recording's start (for the clock time shown); 0: unknown.
    ReplayBar(control::ReplayControl &control, std::int64_t startWallMs, QWidget *parent = nullptr);

    control::ReplayControl &control() const { return m_control; }
    QAction *playAction() const { return m_play; }
    QAction *stepAction() const { return m_step; }
    QComboBox *speedBox() const { return m_speed; }
    QSlider *timeline() const { return m_timeline; }
    QString positionText() const;

signals:
    void whatIfRequested();

private:
    void showStatus(const control::ReplayStatus &status);
    void seekTo(int position); // on the timeline
    void showBusy(bool busy);

    control::ReplayControl &m_control;
    std::int64_t m_startWallMs;
    QAction *m_play;
    QAction *m_step;
    QComboBox *m_speed;
    QSlider *m_timeline;
    QLabel *m_position;
    QLabel *m_working;
};

// "1:02.5" for 62.5 seconds, "1:02:03" past an hour.
QString replayClock(std::int64_t ns);

} // namespace bb::ui
