// The demo's control interface for the trainer: which scenario plays
// (one offered, or a scenario file the control side reads and checks),
// pause, speed, step and restart, each answered later (CommandQueue); the
// demo's status as last answered, and the captions as the scenario shows
// them. LocalDemoControl runs it over a demo world in this process.
#pragma once

#include "commandqueue.h"

#include <QStringList>

namespace bb::control {

struct DemoStatus {
    QString scenario;
    double position = 0; // seconds into the scenario
    double duration = 0;
    bool paused = false;
    double speed = 1.0;
    QString caption;
};

// What a scenario file gave: the scenario now playing, or why not.
struct ScenarioLoad {
    QString name;
    double duration = 0;
    QString errors; // file:line:column: message, one a line
    bool ok() const { return errors.isEmpty(); }
};

class DemoControl : public CommandQueue {
    Q_OBJECT
public:
    using CommandQueue::CommandQueue;

    // As last answered.
    const DemoStatus &status() const { return m_status; }

    // The scenarios on offer by name, the one playing first at the start.
    virtual Answer<QStringList> scenarios() = 0;
    virtual Answer<DemoStatus> play(const QString &scenario) = 0;
    // Reads and checks a scenario file and plays it; a file with errors changes nothing.
    virtual Answer<ScenarioLoad> playFile(const QString &path) = 0;
    virtual Answer<DemoStatus> restart() = 0;
    virtual Answer<DemoStatus> setPaused(bool paused) = 0;
    virtual Answer<DemoStatus> setSpeed(double factor) = 0;
    virtual Answer<DemoStatus> step() = 0; // one request to every service, the scenario a second on
    virtual Answer<DemoStatus> refresh() = 0;

signals:
    void statusChanged(const bb::control::DemoStatus &status);
    void captioned(const QString &caption);

protected:
    void setStatus(const DemoStatus &status)
    {
        m_status = status;
        emit statusChanged(status);
    }

private:
    DemoStatus m_status;
};

} // namespace bb::control
