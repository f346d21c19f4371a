// Engine core speed: one call (acquire + record) on one thread and on two
// threads sharing a breaker, and a snapshot of 1,000 breakers. Live clock and
// timers, the seed's default policy (10 s time window), healthy traffic.
#include "core/engine.h"
#include "core/systemclock.h"
#include "core/threadtimer.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

using namespace bb;

namespace {
using Wall = std::chrono::steady_clock;

BreakerPolicy seedDefault(WindowType type)
{
    BreakerPolicy p;
    p.windowType = type;
    p.windowSize = type == WindowType::Time ? 10 : 100;
    p.minimumCalls = 10;
    p.failureRateThreshold = 50.0;
    p.waitDuration = std::chrono::seconds(30);
    p.slowCallDuration = std::chrono::seconds(5);
    return p;
}

// One in 50 calls fails: far below the threshold, the breaker stays CLOSED.
void calls(CircuitBreaker &b, long n)
{
    for (long i = 0; i < n; ++i) {
        const Permit p = b.tryAcquire();
        b.record(p, i % 50 == 0 ? Outcome::Failure : Outcome::Success, std::chrono::microseconds(800));
    }
}

// The same calls from a caller that has read the clock already (the proxy
// reads it for the latency): each passes the time its call ended.
void callsAt(CircuitBreaker &b, long n)
{
    TimePoint t = b.snapshot(TimePoint{}).since;
    for (long i = 0; i < n; ++i) {
        t += std::chrono::nanoseconds(100);
        const Permit p = b.tryAcquire();
        b.record(p, i % 50 == 0 ? Outcome::Failure : Outcome::Success, std::chrono::microseconds(800), t);
    }
}

using CallLoop = void (*)(CircuitBreaker &, long);

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

double nsPerCallOneThread(Engine &engine, const std::string &name, WindowType type, CallLoop loop = calls)
{
    auto b = engine.addBreaker(name, seedDefault(type));
    constexpr long kCalls = 10'000'000;
    loop(*b, kCalls / 10); // warm up
    std::vector<double> runs;
    for (int r = 0; r < 5; ++r) {
        const auto t0 = Wall::now();
        loop(*b, kCalls);
        runs.push_back(std::chrono::duration<double, std::nano>(Wall::now() - t0).count() / kCalls);
    }
    if (b->state() != BreakerState::Closed)
        std::fprintf(stderr, "warning: %s left CLOSED during the benchmark\n", name.c_str());
    return median(runs);
}

double nsPerCallTwoThreads(Engine &engine, const std::string &name, WindowType type, CallLoop loop = calls)
{
    auto b = engine.addBreaker(name, seedDefault(type));
    constexpr long kCalls = 5'000'000;
    std::vector<double> runs;
    for (int r = 0; r < 5; ++r) {
        std::atomic<int> ready{0};
        double elapsed[2] = {0, 0};
        auto work = [&](int i) {
            ready.fetch_add(1);
            while (ready.load() < 2) {
            }
            const auto t0 = Wall::now();
            loop(*b, kCalls);
            elapsed[i] = std::chrono::duration<double, std::nano>(Wall::now() - t0).count();
        };
        std::thread a(work, 0), c(work, 1);
        a.join();
        c.join();
        runs.push_back(std::max(elapsed[0], elapsed[1]) / kCalls);
    }
    return median(runs);
}

double snapshotMicros(const Clock &clock, TimerSource &timers)
{
    Engine engine(clock, timers);
    std::vector<std::shared_ptr<CircuitBreaker>> all;
    for (int i = 0; i < 1000; ++i) {
        all.push_back(engine.addBreaker("service-" + std::to_string(i), seedDefault(WindowType::Time)));
        calls(*all.back(), 100);
    }
    std::vector<double> runs;
    std::size_t seen = 0;
    for (int r = 0; r < 51; ++r) {
        const auto t0 = Wall::now();
        const EngineSnapshot s = engine.snapshot();
        runs.push_back(std::chrono::duration<double, std::micro>(Wall::now() - t0).count());
        seen += s.breakers.size();
    }
    if (seen != 51 * 1000)
        std::fprintf(stderr, "warning: snapshot missed breakers\n");
    return median(runs);
}
} // namespace

int main()
{
    SystemClock clock;
    ThreadTimer timers(clock);
    Engine engine(clock, timers);
    std::printf("bench: breaker_call_ns %.1f ns\n", nsPerCallOneThread(engine, "one", WindowType::Time));
    std::printf("bench: breaker_call_2threads_ns %.1f ns\n", nsPerCallTwoThreads(engine, "two", WindowType::Time));
    std::printf("bench: breaker_call_count_window_ns %.1f ns\n",
                nsPerCallOneThread(engine, "one-count", WindowType::Count));
    std::printf("bench: breaker_call_count_window_2threads_ns %.1f ns\n",
                nsPerCallTwoThreads(engine, "two-count", WindowType::Count));
    std::printf("bench: breaker_call_given_time_ns %.1f ns\n",
                nsPerCallOneThread(engine, "one-given", WindowType::Time, callsAt));
    std::printf("bench: breaker_call_given_time_2threads_ns %.1f ns\n",
                nsPerCallTwoThreads(engine, "two-given", WindowType::Time, callsAt));
    std::printf("bench: snapshot_1000_us %.1f us\n", snapshotMicros(clock, timers));
    return 0;
}
