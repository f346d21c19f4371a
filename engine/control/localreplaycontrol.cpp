#include "localreplaycontrol.h"

#include "replayplayer.h"

namespace bb::control {

LocalReplayControl::LocalReplayControl(ReplayPlayer &player, const LocalDashboardControl &dashboard, QObject *parent)
    : ReplayControl(parent), m_player(&player), m_attach(dashboard.attacher())
{
    connect(&player, &ReplayPlayer::statusChanged, &player, [mailbox = mailbox(), this](const ReplayStatus &s) {
        mailbox->post([this, s] { setStatus(s); });
    });
    move(QStringLiteral("opening the replay"), [](ReplayPlayer &) {});
}

template <typename Move> Answer<ReplayStatus> LocalReplayControl::move(const QString &what, Move move)
{
    return runOn<ReplayStatus>(m_player, what, [player = m_player, move = std::move(move)] {
        move(*player);
        return player->status();
    }, [this](const ReplayStatus &s) { setStatus(s); });
}

Answer<ReplayStatus> LocalReplayControl::play()
{
    return move(QStringLiteral("starting the replay"), [attach = m_attach](ReplayPlayer &p) {
        // From the end: back to the start, heard from the fresh replay before it plays.
        if (p.status().atEnd) {
            p.restart();
            attach(p.control());
            p.releasePrevious();
        }
        p.play();
    });
}

Answer<ReplayStatus> LocalReplayControl::pause()
{
    return move(QStringLiteral("pausing the replay"), [](ReplayPlayer &p) { p.pause(); });
}

Answer<ReplayStatus> LocalReplayControl::setSpeed(double speed)
{
    return move(QStringLiteral("changing the replay's speed"), [speed](ReplayPlayer &p) { p.setSpeed(speed); });
}

Answer<ReplayStatus> LocalReplayControl::step()
{
    return move(QStringLiteral("replaying a second"), [](ReplayPlayer &p) { p.step(); });
}

Answer<ReplayStatus> LocalReplayControl::seek(std::int64_t tNs)
{
    return move(QStringLiteral("seeking"), [attach = m_attach, tNs](ReplayPlayer &p) {
        const bool playing = p.status().playing;
        // The player pauses to seek; a fresh replay is heard before it plays on.
        if (p.seek(tNs)) {
            attach(p.control());
            p.releasePrevious();
        }
        if (playing && !p.status().atEnd)
            p.play();
    });
}

} // namespace bb::control
