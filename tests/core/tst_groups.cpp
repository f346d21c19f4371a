// Groups: open when more than their threshold of members is open, reject
// every member while open, recover with their members, obey operators.
#include "coretesting.h"

using namespace bb;
using namespace bb::testing;

namespace {
struct GroupRig : Rig {
    std::shared_ptr<CircuitBreaker> payment, fraud, bank, other;
    std::shared_ptr<BreakerGroup> group;
    GroupRig()
    {
        payment = add(countPolicy(), "payment-service");
        fraud = add(countPolicy(), "fraud-detection");
        bank = add(countPolicy(), "bank-api");
        other = add(countPolicy(), "user-service");
        group = engine.addGroup("payment", {"payment-service", "fraud-detection", "bank-api"}, 50.0);
        engine.drainEvents();
    }
    void trip(CircuitBreaker &b) { calls(b, 10, Outcome::Failure); }
};
} // namespace

class TestGroups : public QObject {
    Q_OBJECT
private slots:
    void opensOnlyWhenMoreThanTheThresholdIsOpen()
    {
        GroupRig rig;
        rig.trip(*rig.payment); // 1 of 3 = 33% : not more than 50%
        QCOMPARE(rig.group->state(), BreakerState::Closed);
        QVERIFY(bool(rig.bank->tryAcquire()));
        rig.trip(*rig.fraud); // 2 of 3 = 67% > 50%
        QCOMPARE(rig.group->state(), BreakerState::Open);

        const auto events = rig.engine.drainEvents();
        const auto &last = events.back();
        QVERIFY(last.isGroup);
        QCOMPARE(last.subject, std::string("payment"));
        QCOMPARE(last.cause.toString(), std::string("2 of 3 members open > 50%"));
    }

    void exactlyTheThresholdIsNotMore()
    {
        Rig rig;
        auto a = rig.add(countPolicy(), "a");
        auto b = rig.add(countPolicy(), "b");
        auto g = rig.engine.addGroup("pair", {"a", "b"}, 50.0);
        calls(*a, 10, Outcome::Failure);
        QCOMPARE(g->state(), BreakerState::Closed); // 1 of 2 = 50%, not more
        calls(*b, 10, Outcome::Failure);
        QCOMPARE(g->state(), BreakerState::Open);
    }

    void anOpenGroupRejectsEveryMemberButNoOtherService()
    {
        GroupRig rig;
        rig.trip(*rig.payment);
        rig.trip(*rig.fraud);
        const Permit p = rig.bank->tryAcquire();
        QVERIFY(!p);
        QCOMPARE(p.rejectReason(), RejectReason::GroupOpen);
        QCOMPARE(rig.bank->state(), BreakerState::Closed); // the member itself is fine
        QVERIFY(bool(rig.other->tryAcquire()));
        const auto s = rig.engine.snapshot();
        QCOMPARE(s.breaker("bank-api")->totals.rejected[std::size_t(RejectReason::GroupOpen)], 1u);
        QCOMPARE(s.group("payment")->membersOpen, 2u);
    }

    void forcedOpenMembersCount()
    {
        GroupRig rig;
        rig.payment->apply(command(OperatorAction::ForceOpen));
        rig.fraud->apply(command(OperatorAction::ForceOpen));
        QCOMPARE(rig.group->state(), BreakerState::Open);
    }

    void recoversAsMembersMoveToHalfOpenWithoutTraffic()
    {
        GroupRig rig;
        rig.trip(*rig.payment);
        rig.clock.advance(std::chrono::seconds(5));
        rig.trip(*rig.fraud);
        QCOMPARE(rig.group->state(), BreakerState::Open);
        // payment-service's wait ends first: 1 of 3 open, the group closes.
        rig.clock.advance(std::chrono::seconds(5));
        QCOMPARE(rig.payment->state(), BreakerState::HalfOpen);
        QCOMPARE(rig.group->state(), BreakerState::Closed);
        // Members get their trial calls through the closed group.
        QVERIFY(call(*rig.payment, Outcome::Success));
        QVERIFY(call(*rig.payment, Outcome::Success));
        QCOMPARE(rig.payment->state(), BreakerState::Closed);
        const auto events = rig.engine.drainEvents();
        bool sawGroupClose = false;
        for (const auto &e : events) {
            if (e.isGroup && e.to == BreakerState::Closed) {
                sawGroupClose = true;
                QCOMPARE(e.cause.toString(), std::string("1 of 3 members open ≤ 50%"));
            }
        }
        QVERIFY(sawGroupClose);
    }

    void operatorsForceAGroupOpenAndClosed()
    {
        GroupRig rig;
        QVERIFY(rig.group->apply(command(OperatorAction::ForceOpen)).empty());
        QCOMPARE(rig.group->state(), BreakerState::ForcedOpen);
        QCOMPARE(rig.payment->tryAcquire().rejectReason(), RejectReason::GroupOpen);

        QVERIFY(rig.group->apply(command(OperatorAction::ForceClosed)).empty());
        rig.trip(*rig.payment);
        rig.trip(*rig.fraud);
        QCOMPARE(rig.group->state(), BreakerState::ForcedClosed); // members' opens do not open it
        QVERIFY(bool(rig.bank->tryAcquire()));
        QCOMPARE(rig.payment->tryAcquire().rejectReason(), RejectReason::BreakerOpen);
    }

    void resetClearsTheOverrideAndResetsMembers()
    {
        GroupRig rig;
        rig.trip(*rig.payment);
        rig.trip(*rig.fraud);
        rig.engine.drainEvents();
        QVERIFY(rig.group->apply(command(OperatorAction::Reset)).empty());
        QCOMPARE(rig.group->state(), BreakerState::Closed);
        QCOMPARE(rig.payment->state(), BreakerState::Closed);
        QCOMPARE(rig.fraud->state(), BreakerState::Closed);
        const auto events = rig.engine.drainEvents();
        QCOMPARE(events.size(), std::size_t(4)); // every member, then the group
        QCOMPARE(events[0].cause.toString(), std::string("group \"payment\" reset by \"alice\": \"testing\""));
        QCOMPARE(events[2].subject, std::string("bank-api"));
        QVERIFY(events[3].isGroup);
        QCOMPARE(events[3].from, BreakerState::Open);
        QCOMPARE(events[3].cause.toString(), std::string("operator \"alice\" reset: \"testing\""));
    }

    void forcedGroupStateExpires()
    {
        GroupRig rig;
        rig.group->apply(command(OperatorAction::ForceOpen, std::chrono::seconds(30)));
        const TimePoint forcedAt = rig.clock.now();
        rig.engine.drainEvents();
        rig.clock.advance(std::chrono::seconds(30));
        QCOMPARE(rig.group->state(), BreakerState::Closed);
        const auto events = rig.engine.drainEvents();
        QCOMPARE(events.size(), std::size_t(1));
        QCOMPARE(events[0].at, forcedAt + std::chrono::seconds(30));
        QCOMPARE(events[0].cause.toString(), std::string("expiry of force_open by \"alice\" for 30 s"));
    }

    void groupsRefuseCommandsTheyCannotObey()
    {
        GroupRig rig;
        const auto errors = rig.group->apply(command(OperatorAction::Disable));
        QCOMPARE(errors.size(), std::size_t(1));
        QCOMPARE(errors[0].field, std::string("state"));
        QCOMPARE(rig.group->state(), BreakerState::Closed);
        QCOMPARE(rig.group->apply(command(OperatorAction::HalfOpen)).size(), std::size_t(1));
    }

    void badGroupsAreRefusedWithAMessage()
    {
        Rig rig;
        rig.add(countPolicy(), "a");
        auto refuses = [&rig](const std::string &name, std::vector<std::string> members, double threshold,
                              const std::string &expected) {
            try {
                rig.engine.addGroup(name, members, threshold);
            } catch (const std::invalid_argument &e) {
                return std::string(e.what()) == expected;
            }
            return false;
        };
        QVERIFY(refuses("g", {"a", "nope"}, 50.0, "g: member nope is not a configured service"));
        QVERIFY(refuses("g", {}, 50.0, "g: a group needs at least one member"));
        QVERIFY(refuses("g", {"a"}, 100.0, "g: group_threshold: must be a fraction in [0, 1), got 1"));
        QVERIFY(refuses("g", {"a"}, -5.0, "g: group_threshold: must be a fraction in [0, 1), got -0.05"));
        rig.engine.addGroup("g", {"a"}, 50.0);
        QVERIFY(refuses("g", {"a"}, 50.0, "g: a group of this name exists already"));
        QCOMPARE(rig.engine.groups().size(), std::size_t(1));
    }
};

QTEST_APPLESS_MAIN(TestGroups)
#include "tst_groups.moc"
