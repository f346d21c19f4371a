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
    moved(callOn(&m_player, [this] {
        const bool fresh = m_player.status().atEnd && m_player.seek(0);
        m_player.play();
        return fresh;
    }));
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
    moved(callOn(&m_player, [this, tNs] { return m_player.seek(tNs); }));
}

} // namespace bb::ui
