// Where a replay is and how it plays: what the replay player reports and
// the replay's control interface answers.
#pragma once

#include <QMetaType>

#include <cstdint>

namespace bb::control {

// A replay speed: as fast as the machine allows.
inline constexpr double kMaxReplaySpeed = 0;

struct ReplayStatus {
    std::int64_t positionNs = 0; // from the recording's start
    std::int64_t endNs = 0;
    bool playing = false;
    double speed = 1.0; // kMaxSpeed: as fast as the machine allows
    bool atEnd = false;
};

} // namespace bb::control

Q_DECLARE_METATYPE(bb::control::ReplayStatus)
