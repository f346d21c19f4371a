// Demo traffic on a stepped clock: the test moves the clock, the generator's
// next tick sends what that time owes, and the test waits for the answers
// before it moves the clock again. Counts come out exact.
#pragma once

#include "core/manualclock.h"
#include "sim/trafficgenerator.h"

#include <QTest>

#include <string>
#include <vector>

namespace bb::testing {

inline std::uint64_t sentTo(const sim::TrafficGenerator &traffic, const std::vector<std::string> &services)
{
    std::uint64_t sent = 0;
    for (const std::string &s : services)
        sent += traffic.tally(s).sent;
    return sent;
}

// Every request sent to these services has its answer (or was cut).
inline bool allAnswered(const sim::TrafficGenerator &traffic, const std::vector<std::string> &services)
{
    for (const std::string &s : services) {
        const sim::TrafficTally t = traffic.tally(s);
        if (t.answered() + t.cut != t.sent)
            return false;
    }
    return true;
}

// Moves the clock on by step, times times. Each step must owe the services
// at least one request: it waits (5 s at most) for the tick that sends them
// and for their answers. False when they did not come.
[[nodiscard]] inline bool stepTraffic(ManualClock &clock, const sim::TrafficGenerator &traffic,
                                      const std::vector<std::string> &services, Duration step, int times)
{
    for (int i = 0; i < times; ++i) {
        const std::uint64_t before = sentTo(traffic, services);
        clock.advance(step);
        if (!QTest::qWaitFor([&] { return sentTo(traffic, services) > before && allAnswered(traffic, services); },
                             5000))
            return false;
    }
    return true;
}

} // namespace bb::testing
