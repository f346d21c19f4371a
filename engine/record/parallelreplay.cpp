#include "parallelreplay.h"

#include <atomic>
#include <thread>

namespace bb::record {

void advanceAll(const std::vector<ReplayRun *> &runs, std::int64_t tNs, unsigned threads)
{
    if (threads == 0)
        threads = std::max(1u, std::thread::hardware_concurrency());
    threads = std::min<unsigned>(threads, unsigned(runs.size()));
    if (threads <= 1) {
        for (ReplayRun *run : runs)
            run->advanceTo(tNs);
        return;
    }
    std::atomic<std::size_t> next{0};
    const auto work = [&] {
        for (std::size_t i = next++; i < runs.size(); i = next++)
            runs[i]->advanceTo(tNs);
    };
    std::vector<std::thread> pool;
    for (unsigned i = 1; i < threads; ++i)
        pool.emplace_back(work);
    work();
    for (std::thread &t : pool)
        t.join();
}

} // namespace bb::record
