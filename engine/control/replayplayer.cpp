#include "replayplayer.h"

#include <algorithm>

namespace bb::control {

ReplayPlayer::ReplayPlayer(std::shared_ptr<const record::Recording> recording, Configuration config, QObject *parent)
    : QObject(parent), m_recording(std::move(recording)), m_config(std::move(config)), m_ticker(this)
{
    m_run = makeRun();
    m_ticker.setInterval(kTickMs);
    connect(&m_ticker, &QTimer::timeout, this, &ReplayPlayer::tick);
}

ReplayPlayer::~ReplayPlayer() = default;

std::unique_ptr<ReplayPlayer::Run> ReplayPlayer::makeRun()
{
    auto run = std::make_unique<Run>();
    run->replay = std::make_unique<record::ReplayRun>(m_recording, m_config);
    run->replay->leaveEventsInEngine();
    run->traffic = std::make_unique<ReplayTraffic>(*run->replay, m_config);
    run->control = std::make_unique<ControlService>(run->replay->engine(), m_config);
    run->control->observeTraffic(run->traffic->routes());
    run->control->sample();
    return run;
}

ReplayStatus ReplayPlayer::status() const
{
    const record::ReplayRun &replay = *m_run->replay;
    ReplayStatus s;
    s.endNs = replay.endNs();
    s.positionNs = std::min(replay.positionNs(), s.endNs);
    s.playing = m_ticker.isActive();
    s.speed = m_speed;
    s.atEnd = replay.atEnd();
    return s;
}

void ReplayPlayer::play()
{
    if (m_run->replay->atEnd())
        return;
    m_sinceTick.start();
    m_ticker.start();
    announce();
}

void ReplayPlayer::pause()
{
    m_ticker.stop();
    announce();
}

void ReplayPlayer::setSpeed(double speed)
{
    m_speed = speed == kMaxSpeed ? kMaxSpeed : std::clamp(speed, 1.0, 1000.0);
    announce();
}

void ReplayPlayer::step()
{
    m_ticker.stop();
    advanceTo(m_run->replay->positionNs() + kStepNs);
    m_run->control->sample(); // seen at once, not at the next sampling
    announce();
}

bool ReplayPlayer::seek(std::int64_t tNs)
{
    m_ticker.stop();
    const record::ReplayRun &replay = *m_run->replay;
    tNs = std::clamp<std::int64_t>(tNs, 0, replay.endNs());
    // Calls still under way at the end complete after it: at or past the end is the end.
    const bool fresh = tNs < std::min(replay.positionNs(), replay.endNs());
    if (fresh)
        m_previous = std::exchange(m_run, makeRun());
    advanceTo(tNs);
    m_run->control->sample();
    announce();
    return fresh;
}

void ReplayPlayer::restart()
{
    m_ticker.stop();
    m_previous = std::exchange(m_run, makeRun());
    announce();
}

void ReplayPlayer::advanceTo(std::int64_t tNs)
{
    m_run->replay->advanceTo(std::min(tNs, m_run->replay->endNs()));
}

void ReplayPlayer::tick()
{
    const record::ReplayRun &replay = *m_run->replay;
    if (m_speed == kMaxSpeed) {
        // As much of the recording as a tick's time allows, a second at a time.
        QElapsedTimer work;
        work.start();
        while (!replay.atEnd() && work.elapsed() < kTickMs)
            advanceTo(replay.positionNs() + kStepNs);
    } else {
        // A stalled thread does not make the replay jump: at most a quarter second of wall time a tick.
        const std::int64_t wallNs = std::min<std::int64_t>(m_sinceTick.nsecsElapsed(), 250'000'000);
        m_sinceTick.start();
        advanceTo(replay.positionNs() + std::int64_t(double(wallNs) * m_speed));
    }
    if (replay.atEnd())
        m_ticker.stop();
    announce();
}

} // namespace bb::control
