#include "replaylink.h"

#include "control/threadcall.h"

namespace bb::ui {

using control::callOn;

ReplayLink::ReplayLink(control::ReplayPlayer &player, DashboardLink &link, QObject *parent)
    : QObject(parent), m_player(player), m_link(link)
{
    m_status = callOn(&m_player, [this] { return m_player.status(); });
    connect(&m_player, &control::ReplayPlayer::statusChanged, this, [this](const control::ReplayStatus &s) {
        m_status = s;
        emit statusChanged(s);
    });
}

void ReplayLink::moved(bool fresh)
{
    if (fresh) {
        m_link.setControl(*callOn(&m_player, [this] { return &m_player.control(); }));
        callOn(&m_player, [this] { m_player.releasePrevious(); });
    }
    m_status = callOn(&m_player, [this] { return m_player.status(); });
    emit statusChanged(m_status);
}

void ReplayLink::play()
{
    // From the end: back to the start first, and playing only once the
    // dashboard is on the fresh replay (nothing it plays is heard twice).
    if (callOn(&m_player, [this] { return m_player.status().atEnd; })) {
        callOn(&m_player, [this] { m_player.restart(); });
        moved(true);
    }
    callOn(&m_player, [this] { m_player.play(); });
    moved(false);
}

void ReplayLink::pause()
{
    callOn(&m_player, [this] { m_player.pause(); });
    moved(false);
}

void ReplayLink::setSpeed(double speed)
{
    callOn(&m_player, [this, speed] { m_player.setSpeed(speed); });
    moved(false);
}

void ReplayLink::step()
{
    callOn(&m_player, [this] { m_player.step(); });
    moved(false);
}

void ReplayLink::seek(std::int64_t tNs)
{
    // The player pauses to seek; playing goes on once the dashboard is on the replay that seeked.
    const bool playing = callOn(&m_player, [this] { return m_player.status().playing; });
    moved(callOn(&m_player, [this, tNs] { return m_player.seek(tNs); }));
    if (playing && !m_status.atEnd)
        play();
}

} // namespace bb::ui
