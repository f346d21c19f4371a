// The replay bar's way to a replay player (on the player's own thread): the
// player's status as last reported and its controls. A seek back, or play
// from the end, starts the replay afresh; the dashboard's link then goes
// over to the fresh replay's control service before the old one is let go.
#pragma once

#include "dashboardlink.h"

#include "control/replayplayer.h"

#include <QObject>

namespace bb::ui {

class ReplayLink : public QObject {
    Q_OBJECT
public:
    ReplayLink(control::ReplayPlayer &player, DashboardLink &link, QObject *parent = nullptr);

    const control::ReplayStatus &status() const { return m_status; }
    void play(); // from the start when at the end
    void pause();
    void setSpeed(double speed); // ReplayPlayer::kMaxSpeed: as fast as it goes
    void step();
    void seek(std::int64_t tNs); // and plays on if it was playing

signals:
    void statusChanged(const bb::control::ReplayStatus &status);

private:
    // After the player moved on its own thread: the new status, and the new
    // control service for the dashboard when there is one.
    void moved(bool fresh);

    control::ReplayPlayer &m_player;
    DashboardLink &m_link;
    control::ReplayStatus m_status;
};

} // namespace bb::ui
