// How long to wait before the next attempt to reach Redis: 0.2 s doubling up
// to 10 s, each delay moved by up to ±20 % so that many instances that lost
// the same server do not come back in step.
#pragma once

#include <chrono>

namespace bb::shared {

// failures: attempts failed in a row (0 for the first retry); unitRandom in
// [0, 1) picks the point in the ±20 % band.
std::chrono::milliseconds reconnectDelay(int failures, double unitRandom);

} // namespace bb::shared
