// acquire + record allocate nothing: every operator new in this program is
// counted, and the hot path must leave the count where it was. A call that
// changes the state allocates its transition: the event with the window's
// contents, the new state's record and its timer, never a new window once
// the breaker has one to spare.
#include "coretesting.h"

#include <atomic>
#include <cstdlib>
#include <new>

namespace {
std::atomic<std::uint64_t> g_allocations{0};
std::atomic<std::uint64_t> g_bytes{0};
}

void *operator new(std::size_t n)
{
    g_allocations.fetch_add(1, std::memory_order_relaxed);
    g_bytes.fetch_add(n, std::memory_order_relaxed);
    if (void *p = std::malloc(n ? n : 1))
        return p;
    throw std::bad_alloc();
}
void *operator new[](std::size_t n) { return operator new(n); }
void *operator new(std::size_t n, std::align_val_t a)
{
    g_allocations.fetch_add(1, std::memory_order_relaxed);
    g_bytes.fetch_add(n, std::memory_order_relaxed);
    if (void *p = std::aligned_alloc(std::size_t(a), (n + std::size_t(a) - 1) / std::size_t(a) * std::size_t(a)))
        return p;
    throw std::bad_alloc();
}
void *operator new[](std::size_t n, std::align_val_t a) { return operator new(n, a); }
void operator delete(void *p) noexcept { std::free(p); }
void operator delete[](void *p) noexcept { std::free(p); }
void operator delete(void *p, std::size_t) noexcept { std::free(p); }
void operator delete[](void *p, std::size_t) noexcept { std::free(p); }
void operator delete(void *p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void *p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void *p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void *p, std::size_t, std::align_val_t) noexcept { std::free(p); }

using namespace bb;
using namespace bb::testing;

namespace {
// Runs calls with outcomes that never trip the breaker and returns how many
// allocations they made. The clock moves a second every 1,000 calls, so time
// windows roll over too.
std::uint64_t allocationsDuring(Rig &rig, CircuitBreaker &b, int n)
{
    const std::uint64_t before = g_allocations.load();
    for (int i = 0; i < n; ++i) {
        const Permit p = b.tryAcquire();
        if (p)
            b.record(p, i % 10 == 0 ? Outcome::Failure : (i % 10 == 1 ? Outcome::Ignored : Outcome::Success),
                     ms(i % 300));
        if (i % 1000 == 999)
            rig.clock.advance(std::chrono::seconds(1));
    }
    return g_allocations.load() - before;
}

// Calls that must all be rejected; returns how many allocations they made.
std::uint64_t allocationsRejecting(CircuitBreaker &b, int n)
{
    const std::uint64_t before = g_allocations.load();
    for (int i = 0; i < n; ++i) {
        if (b.tryAcquire())
            QTest::qFail("a call was admitted", __FILE__, __LINE__);
    }
    return g_allocations.load() - before;
}

BreakerPolicy policyFor(WindowType type)
{
    BreakerPolicy p = countPolicy(100, 20, 50.0);
    p.windowType = type;
    p.windowSize = type == WindowType::Count ? 100 : 10;
    p.slowCallRateThreshold = 90.0;
    p.slowCallDuration = ms(250);
    p.consecutiveFailures = 50;
    return p;
}
} // namespace

class TestHotPathAllocations : public QObject {
    Q_OBJECT
private slots:
    void theCounterSeesAllocations()
    {
        const std::uint64_t before = g_allocations.load();
        void *volatile p = ::operator new(16); // a direct call is never elided
        ::operator delete(p);
        QCOMPARE(g_allocations.load() - before, 1u);
    }

    void noAllocationInAnyState_data()
    {
        QTest::addColumn<int>("windowType");
        QTest::addColumn<int>("action"); // -1: stay CLOSED
        QTest::newRow("closed, count window") << int(WindowType::Count) << -1;
        QTest::newRow("closed, time window") << int(WindowType::Time) << -1;
        QTest::newRow("forced closed") << int(WindowType::Time) << int(OperatorAction::ForceClosed);
        QTest::newRow("disabled") << int(WindowType::Time) << int(OperatorAction::Disable);
        QTest::newRow("forced open") << int(WindowType::Time) << int(OperatorAction::ForceOpen);
    }

    void noAllocationInAnyState()
    {
        QFETCH(int, windowType);
        QFETCH(int, action);
        Rig rig;
        auto b = rig.add(policyFor(WindowType(windowType)));
        if (action >= 0)
            b->apply(command(OperatorAction(action)));
        allocationsDuring(rig, *b, 2000); // warm up
        QCOMPARE(allocationsDuring(rig, *b, 100'000), 0u);
    }

    void noAllocationWhileOpenOrHalfOpenRejects()
    {
        Rig rig;
        BreakerPolicy p = policyFor(WindowType::Count);
        p.waitDuration = std::chrono::hours(1);
        auto b = rig.add(p);
        calls(*b, 100, Outcome::Failure);
        QCOMPARE(b->state(), BreakerState::Open);
        QCOMPARE(allocationsRejecting(*b, 100'000), 0u);

        b->apply(command(OperatorAction::HalfOpen));
        std::vector<Permit> held;
        held.reserve(3);
        for (int i = 0; i < 3; ++i)
            held.push_back(b->tryAcquire());
        QCOMPARE(allocationsRejecting(*b, 100'000), 0u);
    }

    // Trials held for the fleet's grant are rejected as cheaply.
    void noAllocationWhileHalfOpenWaitsForTheGrant()
    {
        Rig rig;
        auto b = rig.add(policyFor(WindowType::Count));
        b->holdTrials(true);
        calls(*b, 100, Outcome::Failure);
        rig.clock.advance(std::chrono::seconds(10));
        QCOMPARE(b->state(), BreakerState::HalfOpen);
        QCOMPARE(allocationsRejecting(*b, 100'000), 0u);
    }

    // The tripping call allocates a few small objects, not in proportion to
    // the window; the call that closes the breaker again renews the window
    // it replaced instead of allocating one.
    void aTransitionAllocatesItsEventOnly()
    {
        Rig rig;
        BreakerPolicy p = policyFor(WindowType::Count);
        p.windowSize = 100'000;
        p.minimumCalls = 10;
        p.consecutiveFailures = 0;
        p.waitDuration = std::chrono::seconds(1);
        p.halfOpenPermittedCalls = 1;
        p.halfOpenSuccessThreshold = 1;
        auto b = rig.add(p);
        const auto cycle = [&](std::uint64_t *tripAllocations, std::uint64_t *closeBytes) {
            calls(*b, 9, Outcome::Failure);
            const std::uint64_t before = g_allocations.load();
            call(*b, Outcome::Failure);
            *tripAllocations = g_allocations.load() - before;
            QCOMPARE(b->state(), BreakerState::Open);
            rig.clock.advance(std::chrono::seconds(1));
            QCOMPARE(b->state(), BreakerState::HalfOpen);
            const std::uint64_t bytes = g_bytes.load();
            call(*b, Outcome::Success);
            *closeBytes = g_bytes.load() - bytes;
            QCOMPARE(b->state(), BreakerState::Closed);
        };
        std::uint64_t trip = 0, closeBytes = 0;
        cycle(&trip, &closeBytes);
        QVERIFY2(closeBytes > 1'000'000, "the first close allocates its window"); // 100,001 slots of 16 bytes
        cycle(&trip, &closeBytes);
        QVERIFY2(trip > 0 && trip <= 8, std::to_string(trip).c_str());
        QVERIFY2(closeBytes < 10'000, std::to_string(closeBytes).c_str());
        rig.engine.drainEvents();
    }

    void noAllocationWhenAGroupRejects()
    {
        Rig rig;
        auto a = rig.add(policyFor(WindowType::Time), "a");
        rig.add(policyFor(WindowType::Time), "b");
        auto g = rig.engine.addGroup("g", {"a", "b"}, 50.0);
        g->apply(command(OperatorAction::ForceOpen));
        const std::uint64_t before = g_allocations.load();
        for (int i = 0; i < 100'000; ++i)
            QVERIFY(!a->tryAcquire());
        QCOMPARE(g_allocations.load() - before, 0u);
    }
};

QTEST_APPLESS_MAIN(TestHotPathAllocations)
#include "tst_hotpathalloc.moc"
