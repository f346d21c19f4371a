// A recording played through one configuration as a running engine: the
// replay's engine with a control service over it (so the dashboard observes
// and commands it exactly as it does a live one) and the traffic it counts.
// Lives on a thread of its own. While playing, the replay's clock moves with
// the wall clock times the speed, or as fast as the machine allows. Seeking
// back starts a fresh replay and fast-forwards it to the point: a replay
// cannot run backwards, and from the start it reproduces the same engine.
#pragma once

#include "controlservice.h"
#include "replaystatus.h"
#include "replaytraffic.h"

#include "record/replayrun.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <memory>

namespace bb::control {


class ReplayPlayer : public QObject {
    Q_OBJECT
public:
    static constexpr double kMaxSpeed = kMaxReplaySpeed;
    static constexpr std::int64_t kStepNs = 1'000'000'000; // what step() plays
    static constexpr int kTickMs = 25;

    // Paused at the recording's start.
    ReplayPlayer(std::shared_ptr<const record::Recording> recording, Configuration config,
                 QObject *parent = nullptr);
    ~ReplayPlayer() override;

    // The control service over the current replay's engine.
    ControlService &control() { return *m_run->control; }
    ReplayStatus status() const;

    void play();
    void pause();
    void setSpeed(double speed); // 1 to 1000, or kMaxSpeed
    // Plays the next second (and pauses).
    void step();
    // Moves to tNs (clamped to the recording) and pauses. True when that
    // took a fresh replay, so control() is a new service; the previous one
    // lives on until releasePrevious(), for whoever still holds it.
    bool seek(std::int64_t tNs);
    // A fresh replay at the start, paused (the previous one kept as by seek()).
    void restart();
    void releasePrevious() { m_previous.reset(); }

signals:
    // After every move of the replay's clock and every change of play, pause or speed.
    void statusChanged(const bb::control::ReplayStatus &status);

private:
    struct Run {
        std::unique_ptr<record::ReplayRun> replay;
        std::unique_ptr<ReplayTraffic> traffic;
        std::unique_ptr<ControlService> control;
    };
    std::unique_ptr<Run> makeRun();
    void advanceTo(std::int64_t tNs);
    void tick();
    void announce() { emit statusChanged(status()); }

    std::shared_ptr<const record::Recording> m_recording;
    Configuration m_config;
    std::unique_ptr<Run> m_run;
    std::unique_ptr<Run> m_previous;
    double m_speed = 1.0;
    QTimer m_ticker;
    QElapsedTimer m_sinceTick;
};

} // namespace bb::control
