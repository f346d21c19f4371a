// Time as the engine sees it: an injected clock and an injected timer source,
// so that tests and replay step time instead of waiting for it.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>

namespace bb {

using Duration = std::chrono::nanoseconds;

// Engine time: nanoseconds since the clock's origin. Monotonic.
struct EngineTime {
    using rep = std::int64_t;
    using period = std::nano;
    using duration = Duration;
    using time_point = std::chrono::time_point<EngineTime, Duration>;
    static constexpr bool is_steady = true;
};
using TimePoint = EngineTime::time_point;

constexpr std::int64_t toMs(Duration d) { return std::chrono::duration_cast<std::chrono::milliseconds>(d).count(); }
constexpr double toMsF(Duration d) { return std::chrono::duration<double, std::milli>(d).count(); }
constexpr Duration ms(std::int64_t v) { return std::chrono::milliseconds(v); }
constexpr Duration seconds(std::int64_t v) { return std::chrono::seconds(v); }

class Clock {
public:
    virtual ~Clock() = default;
    virtual TimePoint now() const = 0;
    // A cheaper reading that may lag now() by a few milliseconds. The hot
    // path uses it only to notice that an OPEN breaker's wait has passed
    // (the transition itself is dated exactly); windows date calls by now(),
    // or by the time the caller passes in.
    virtual TimePoint coarseNow() const { return now(); }
    // Wall-clock milliseconds since the Unix epoch for an engine time, for
    // people and logs.
    virtual std::int64_t wallMs(TimePoint t) const = 0;
};

// Runs a callback once the clock reaches a time. Callbacks run on the timer
// source's own thread (live) or inside ManualClock::advance (tests, replay).
class TimerSource {
public:
    virtual ~TimerSource() = default;
    virtual void schedule(TimePoint at, std::function<void()> callback) = 0;
};

} // namespace bb
