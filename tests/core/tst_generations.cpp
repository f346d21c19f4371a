// Two threads call one breaker while a third resets, reshapes and edits it
// thousands of times: calls admitted before a window was discarded never
// decide anything after it.
//
// Each round has two phases. In the first, the breaker cannot trip (a time
// window that needs a million calls, no consecutive-failure rule) and every
// call admitted in that phase's generation fails. Then the editor discards
// the window (a reset edit, a change of shape with a reset, or an operator
// reset) and makes the breaker as sensitive as it gets: one failure in the
// window, or one failure in a row, opens it. Calls admitted after the
// discard all succeed. So the breaker opens only if a failure admitted
// before the discard is judged after it: the property under test. The
// callers pause at random between acquiring and recording, so many calls
// cross a discard in flight. (An edit that keeps the window keeps the
// generation too; a call judged by rules an edit has replaced decides
// nothing, so the rounds' threshold edits cannot trip it either.)
#include "coretesting.h"

#include <random>
#include <thread>

using namespace bb;
using namespace bb::testing;

namespace {

BreakerPolicy untrippable()
{
    BreakerPolicy p;
    p.windowType = WindowType::Time;
    p.windowSize = 10;
    p.minimumCalls = 1'000'000;
    p.failureRateThreshold = 100.0;
    return p;
}

BreakerPolicy sensitive(WindowType type)
{
    BreakerPolicy p;
    p.windowType = type;
    p.windowSize = type == WindowType::Count ? 20 : 10;
    p.minimumCalls = 1;
    p.failureRateThreshold = 1.0;
    p.consecutiveFailures = 1;
    p.waitDuration = std::chrono::hours(1);
    return p;
}

enum class Discard { ResetEdit, ReshapeWithReset, OperatorReset };

struct Callers {
    std::atomic<std::uint64_t> poisonGeneration{0}; // calls admitted in it fail
    std::atomic<std::uint64_t> failuresRecorded{0};
    std::atomic<std::uint64_t> callsRecorded{0};
    std::atomic<std::uint64_t> attempts{0};
    std::atomic<std::uint64_t> rejected{0};
    std::atomic<bool> done{false};

    void run(CircuitBreaker &b, unsigned seed)
    {
        std::mt19937 random(seed);
        while (!done.load(std::memory_order_relaxed)) {
            const Permit p = b.tryAcquire();
            attempts.fetch_add(1);
            if (!p) {
                rejected.fetch_add(1);
                continue;
            }
            const bool fail = p.generation() == poisonGeneration.load();
            if (random() % 4 == 0) {
                for (unsigned spin = random() % 2000; spin > 0; --spin)
                    std::atomic_signal_fence(std::memory_order_seq_cst);
                if (random() % 8 == 0)
                    std::this_thread::yield();
            }
            b.record(p, fail ? Outcome::Failure : Outcome::Success, ms(1));
            if (fail)
                failuresRecorded.fetch_add(1);
            callsRecorded.fetch_add(1);
        }
    }
};

// False if the callers did not get that far within a minute: the breaker
// must have stopped admitting them.
template <typename Counter> bool waitForMore(const Counter &counter, std::uint64_t more)
{
    const std::uint64_t until = counter.load() + more;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(1);
    while (counter.load() < until) {
        if (std::chrono::steady_clock::now() > deadline)
            return false;
        std::this_thread::yield();
    }
    return true;
}

// Fewer rounds under ThreadSanitizer, which runs the callers ten times slower.
#if defined(__SANITIZE_THREAD__)
constexpr int kRounds = 1500;
#else
constexpr int kRounds = 10000;
#endif

} // namespace

class TestGenerations : public QObject {
    Q_OBJECT
private slots:
    void discardedCallsNeverDecide()
    {
        Rig rig;
        auto b = rig.add(untrippable());
        Callers callers;
        std::thread first([&] { callers.run(*b, 1); });
        std::thread second([&] { callers.run(*b, 2); });

        int opened = 0;
        std::mt19937 random(7);
        int rounds = 0;
        for (; rounds < kRounds; ++rounds) {
            const PolicyUpdate poison = b->updatePolicy(untrippable(), WindowEdit::Keep);
            callers.poisonGeneration.store(poison.generation);
            if (!waitForMore(callers.failuresRecorded, 8))
                break;
            // Edits that keep the window while calls run: new rules, same judgement.
            BreakerPolicy edited = untrippable();
            edited.minimumCalls = 1'000'000 - std::uint32_t(rounds);
            b->updatePolicy(edited, WindowEdit::Keep);

            switch (Discard(random() % 3)) {
            case Discard::ResetEdit:
                b->updatePolicy(sensitive(WindowType::Time), WindowEdit::Reset);
                break;
            case Discard::ReshapeWithReset:
                b->updatePolicy(sensitive(WindowType::Count), WindowEdit::Reset);
                break;
            case Discard::OperatorReset:
                b->apply(command(OperatorAction::Reset));
                b->updatePolicy(sensitive(WindowType::Time), WindowEdit::Keep);
                break;
            }
            if (!waitForMore(callers.attempts, 64))
                break;
            if (b->state() != BreakerState::Closed) {
                ++opened;
                b->apply(command(OperatorAction::Reset));
            }
        }
        callers.done = true;
        first.join();
        second.join();

        for (const TransitionEvent &e : rig.engine.drainEvents())
            QVERIFY2(e.to != BreakerState::Open, e.describe().c_str());
        QCOMPARE(rounds, kRounds);
        QCOMPARE(opened, 0);
        QCOMPARE(callers.rejected.load(), 0u);
        // The rounds did race: calls admitted before a discard were recorded after it.
        const BreakerSnapshot s = b->snapshot(rig.clock.now());
        QVERIFY(s.totals.stale > 0);
        QCOMPARE(s.totals.successes + s.totals.failures, callers.callsRecorded.load());
        QCOMPARE(s.totals.failures, callers.failuresRecorded.load());
    }

    // A reset edit starts a new generation: a permit taken before it is
    // judged by no window after it, and the edit says which generation it made.
    void aResetEditStartsAGeneration()
    {
        Rig rig;
        auto b = rig.add(sensitive(WindowType::Count));
        const std::uint64_t before = b->generation();
        const Permit held = b->tryAcquire();
        const PolicyUpdate update = b->updatePolicy(sensitive(WindowType::Count), WindowEdit::Reset);
        QVERIFY(update.windowReset);
        QCOMPARE(update.generation, before + 1);
        QCOMPARE(b->generation(), before + 1);
        b->record(held, Outcome::Failure, ms(1));
        QCOMPARE(b->state(), BreakerState::Closed);
        const BreakerSnapshot s = b->snapshot(rig.clock.now());
        QCOMPARE(s.window.calls, 0u);
        QCOMPARE(s.consecutiveFailures, 0u);
        QCOMPARE(s.totals.stale, 1u);
        QCOMPARE(s.totals.failures, 1u);

        // An edit of thresholds only keeps the generation and the window.
        QVERIFY(call(*b, Outcome::Success));
        BreakerPolicy p = sensitive(WindowType::Count);
        p.failureRateThreshold = 60.0;
        QCOMPARE(b->updatePolicy(p, WindowEdit::Keep).generation, before + 1);
        QCOMPARE(b->snapshot(rig.clock.now()).window.calls, 1u);
    }

    // In OPEN, a reset edit keeps the wait: the breaker still moves to
    // HALF_OPEN when it ends, under the new generation.
    void aResetEditKeepsTheWaitOfAnOpenBreaker()
    {
        Rig rig;
        BreakerPolicy p = sensitive(WindowType::Count);
        p.waitDuration = std::chrono::seconds(5);
        auto b = rig.add(p);
        QVERIFY(call(*b, Outcome::Failure));
        QCOMPARE(b->state(), BreakerState::Open);
        const std::uint64_t opened = b->generation();
        QCOMPARE(b->updatePolicy(p, WindowEdit::Reset).generation, opened + 1);
        QCOMPARE(b->state(), BreakerState::Open);
        rig.clock.advance(std::chrono::seconds(5));
        QCOMPARE(b->state(), BreakerState::HalfOpen);
        QCOMPARE(b->generation(), opened + 2);
    }

    // Replaced windows and rules are freed as edits go on: memory stays
    // bounded, and lifetime totals still count every call.
    void manyEditsKeepTotals()
    {
        Rig rig;
        auto b = rig.add(sensitive(WindowType::Count));
        std::uint64_t successes = 0;
        for (int i = 0; i < 20'000; ++i) {
            successes += call(*b, Outcome::Success) ? 1 : 0;
            BreakerPolicy p = sensitive(i % 2 ? WindowType::Count : WindowType::Time);
            p.windowSize = i % 2 ? 100'000 : 10;
            b->updatePolicy(p, i % 3 ? WindowEdit::Keep : WindowEdit::Reset);
        }
        const BreakerSnapshot s = b->snapshot(rig.clock.now());
        QCOMPARE(s.totals.successes, successes);
        QCOMPARE(s.totals.failures, 0u);
    }
};

QTEST_GUILESS_MAIN(TestGenerations)
#include "tst_generations.moc"
