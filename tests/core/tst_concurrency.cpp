// Many threads on one breaker while time moves and operators act: every call
// is accounted for exactly once and every transition is a legal one.
#include "coretesting.h"

#include <random>
#include <thread>

using namespace bb;
using namespace bb::testing;

namespace {
struct Tally {
    std::uint64_t attempted = 0, rejected = 0, successes = 0, failures = 0, timeouts = 0, ignored = 0;
};

// Each worker also moves the shared clock on, so time passes with the calls
// however the threads are scheduled.
Tally hammer(CircuitBreaker &b, ManualClock &clock, int iterations, unsigned seed)
{
    std::mt19937 random(seed);
    std::uniform_int_distribution<int> pick(0, 99);
    Tally t;
    for (int i = 0; i < iterations; ++i) {
        if (i % 1000 == 999)
            clock.advance(ms(50));
        ++t.attempted;
        const Permit p = b.tryAcquire();
        if (!p) {
            ++t.rejected;
            continue;
        }
        const int r = pick(random);
        // Failure-heavy phases of three seconds alternate with healthy ones,
        // the same for every thread, so the breaker cycles.
        const bool badPhase = toMs(clock.now().time_since_epoch()) / 3000 % 2 == 0;
        Outcome o = Outcome::Success;
        if (r < 5)
            o = Outcome::Ignored;
        else if (r < (badPhase ? 60 : 8))
            o = r % 7 == 0 ? Outcome::Timeout : Outcome::Failure;
        b.record(p, o, ms(r));
        switch (o) {
        case Outcome::Success: ++t.successes; break;
        case Outcome::Failure: ++t.failures; break;
        case Outcome::Timeout: ++t.failures, ++t.timeouts; break;
        case Outcome::Ignored: ++t.ignored; break;
        }
    }
    return t;
}

bool automatic(const TransitionEvent &e)
{
    using S = BreakerState;
    return (e.from == S::Closed && e.to == S::Open) || (e.from == S::Open && e.to == S::HalfOpen) ||
           (e.from == S::HalfOpen && (e.to == S::Open || e.to == S::Closed));
}
} // namespace

class TestConcurrency : public QObject {
    Q_OBJECT
private slots:
    void totalsAddUpAndStatesStayLegal_data()
    {
        QTest::addColumn<int>("windowType");
        QTest::newRow("count window") << int(WindowType::Count);
        QTest::newRow("time window") << int(WindowType::Time);
    }

    void totalsAddUpAndStatesStayLegal()
    {
        QFETCH(int, windowType);
        Rig rig;
        BreakerPolicy p = countPolicy(50, 20, 50.0);
        p.windowType = WindowType(windowType);
        p.windowSize = p.windowType == WindowType::Count ? 50 : 2;
        p.waitDuration = ms(200);
        p.halfOpenPermittedCalls = 5;
        p.halfOpenSuccessThreshold = 3;
        auto b = rig.add(p);

        constexpr int kThreads = 4;
        constexpr int kIterations = 100'000;
        std::atomic<bool> done{false};
        std::vector<Tally> tallies(kThreads);
        std::vector<std::thread> workers;
        for (int t = 0; t < kThreads; ++t)
            workers.emplace_back([&, t] { tallies[t] = hammer(*b, rig.clock, kIterations, unsigned(t + 1)); });

        // Operators act and readers look while the calls go on.
        int round = 0;
        std::uint64_t snapshotsChecked = 0;
        std::thread control([&] {
            // At least a few hundred rounds, however the threads are scheduled.
            while (!done.load() || round < 400) {
                if (++round % 200 == 0)
                    b->apply(command(OperatorAction::ForceOpen, ms(500)));
                if (round % 333 == 0)
                    b->apply(command(OperatorAction::Reset));
                const auto s = b->snapshot(rig.clock.now());
                if (s.window.failures > s.window.calls || s.window.slow > s.window.calls ||
                    (p.windowType == WindowType::Count && s.window.calls > p.windowSize) ||
                    s.halfOpenPermitsUsed > p.halfOpenPermittedCalls)
                    qFatal("illegal snapshot");
                ++snapshotsChecked;
                std::this_thread::yield();
            }
        });
        for (auto &w : workers)
            w.join();
        done = true;
        control.join();

        Tally sum;
        for (const auto &t : tallies) {
            sum.attempted += t.attempted, sum.rejected += t.rejected, sum.successes += t.successes;
            sum.failures += t.failures, sum.timeouts += t.timeouts, sum.ignored += t.ignored;
        }
        const auto s = b->snapshot(rig.clock.now());
        QCOMPARE(sum.attempted, std::uint64_t(kThreads) * kIterations);
        QCOMPARE(s.totals.successes, sum.successes);
        QCOMPARE(s.totals.failures, sum.failures);
        QCOMPARE(s.totals.timeouts, sum.timeouts);
        QCOMPARE(s.totals.ignored, sum.ignored);
        QCOMPARE(s.totals.rejectedTotal(), sum.rejected);
        QCOMPARE(sum.successes + sum.failures + sum.ignored + sum.rejected, sum.attempted);
        QVERIFY(snapshotsChecked > 0);

        const auto events = rig.engine.drainEvents();
        QVERIFY2(events.size() > 10, "the breaker should have cycled several times");
        BreakerState state = BreakerState::Closed;
        std::uint64_t generation = 1;
        for (const auto &e : events) {
            QCOMPARE(e.from, state); // each event starts where the last one ended
            QCOMPARE(e.generation, generation + 1);
            const bool byPerson = e.cause.kind == CauseKind::Operator || e.cause.kind == CauseKind::Expiry;
            QVERIFY2(byPerson || automatic(e), e.describe().c_str());
            state = e.to;
            generation = e.generation;
        }
        QCOMPARE(b->state(), state);
    }
};

QTEST_APPLESS_MAIN(TestConcurrency)
#include "tst_concurrency.moc"
