// A replay's control interface over a replay player in this process (on the
// player's thread). When the player starts afresh (a seek back, play from
// the end), the dashboard's control is attached to the fresh replay's
// service on the player's thread before the replay moves on, so nothing
// the fresh replay plays is missed and nothing is heard twice.
#pragma once

#include "localdashboardcontrol.h"
#include "replaycontrol.h"

namespace bb::control {

class ReplayPlayer;

class LocalReplayControl : public ReplayControl {
    Q_OBJECT
public:
    // The player outlives this object; dashboard is the control over its services.
    LocalReplayControl(ReplayPlayer &player, const LocalDashboardControl &dashboard, QObject *parent = nullptr);

    Answer<ReplayStatus> play() override;
    Answer<ReplayStatus> pause() override;
    Answer<ReplayStatus> setSpeed(double speed) override;
    Answer<ReplayStatus> step() override;
    Answer<ReplayStatus> seek(std::int64_t tNs) override;

private:
    template <typename Move> Answer<ReplayStatus> move(const QString &what, Move move);

    ReplayPlayer *m_player;
    LocalDashboardControl::Attach m_attach;
};

} // namespace bb::control
