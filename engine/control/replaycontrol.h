// A replay's control interface: play, pause, speed, step and seek, each
// answered later with where the replay is (CommandQueue), and the replay's
// status as it moves. LocalReplayControl runs it over a replay player in
// this process.
#pragma once

#include "commandqueue.h"
#include "replaystatus.h"

namespace bb::control {

class ReplayControl : public CommandQueue {
    Q_OBJECT
public:
    using CommandQueue::CommandQueue;

    // As last reported.
    const ReplayStatus &status() const { return m_status; }

    virtual Answer<ReplayStatus> play() = 0; // from the start when at the end
    virtual Answer<ReplayStatus> pause() = 0;
    virtual Answer<ReplayStatus> setSpeed(double speed) = 0; // 1 to 1000, or kMaxReplaySpeed
    virtual Answer<ReplayStatus> step() = 0;                 // the next second, then paused
    virtual Answer<ReplayStatus> seek(std::int64_t tNs) = 0; // and plays on if it was playing

signals:
    void statusChanged(const bb::control::ReplayStatus &status);

protected:
    void setStatus(const ReplayStatus &status)
    {
        m_status = status;
        emit statusChanged(status);
    }

private:
    ReplayStatus m_status;
};

} // namespace bb::control
