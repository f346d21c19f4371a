// Several replays of the same recording, each with its own configuration,
// moved forward together: each run on its own thread where there are cores
// for it. Runs share only the recording, which none of them changes.
#pragma once

#include "replayrun.h"

#include <vector>

namespace bb::record {

// Advances every run to tNs; returns when all are there. threads 0: one per core.
void advanceAll(const std::vector<ReplayRun *> &runs, std::int64_t tNs, unsigned threads = 0);

} // namespace bb::record
