// The replay player behind the dashboard's replay: seeking forward plays on,
// seeking back starts a fresh replay whose engine and control service are
// where the recording puts them; playing at a speed or at max reaches the
// same end; step, pause and the speed's limits. Every expected transition is
// worked out by hand from the recording and the breaker rules.
#include "common/parsedconfig.h"
#include "control/replayplayer.h"
#include "record/jsonline.h"
#include "record/recordingreader.h"

#include <QSignalSpy>
#include <QtTest>

using namespace bb;
using namespace bb::control;
using bb::testing::parsed;

namespace {
constexpr std::int64_t kSecond = 1'000'000'000;

// Two minutes of a calling b every 100 ms; a fails from 10 s to 20 s and
// from 60 s to 70 s, b never.
std::shared_ptr<const record::Recording> incidents()
{
    std::string text;
    for (int i = 0; i < 1200; ++i) {
        for (const char *service : {"a", "b"}) {
            record::RequestLine line;
            line.tMs = i * 100.0 + (service[0] == 'b' ? 50 : 0);
            line.service = service;
            const bool failing = service[0] == 'a' && ((i >= 100 && i < 200) || (i >= 600 && i < 700));
            line.outcome = failing ? record::CallOutcome::Failure : record::CallOutcome::Success;
            line.latencyMs = 4;
            record::appendRequestLine(text, line);
        }
    }
    return std::make_shared<const record::Recording>(*record::parseRecording(text).recording);
}

Configuration config()
{
    return parsed("circuit_breakers:\n  default:\n    failure_threshold: 0.5\n    recovery_timeout: 5000\n"
                  "    window: {type: count, size: 10}\n    volume_threshold: 10\n"
                  "  services:\n    a: {}\n    b: {}\n");
}

// a's transitions, derived from incidents() and config() (b never fails).
// Rules: a count window of the last 10 calls, judged from 10 calls on, opens
// at a failure rate ≥ 50%; OPEN waits 5 s; HALF_OPEN admits 3 trials (the
// policy's default), closes on 3 successes, opens again on a failure. A call
// is heard 4 ms after it arrives.
//   10.0 s  calls 100… fail; the 5th failure (arrived 10.4 s) makes 5 of the
//           last 10: open at 10.404 s
//   15.404  half-open; the next call (15.5 s) fails: open at 15.504 s
//   20.504  half-open; calls of 20.6, 20.7, 20.8 s succeed (failures ended
//           at 20 s): closed at 20.804 s
//   60.0 s  the second burst, the same steps 50 s later.
const QStringList kTransitions{
    "a closed→open 10404000000",    "a open→half_open 15404000000", "a half_open→open 15504000000",
    "a open→half_open 20504000000", "a half_open→closed 20804000000", "a closed→open 60404000000",
    "a open→half_open 65404000000", "a half_open→open 65504000000", "a open→half_open 70504000000",
    "a half_open→closed 70804000000"};

// Those of kTransitions that happened by tNs.
QStringList transitionsUntil(std::int64_t tNs)
{
    QStringList lines;
    for (const QString &line : kTransitions)
        if (line.section(QLatin1Char(' '), 2).toLongLong() <= tNs)
            lines << line;
    return lines;
}

// "a closed→open 10404000000" lines from a control service over a player's engine.
QStringList heard(ReplayPlayer &player)
{
    QStringList lines;
    const std::int64_t origin = record::ReplayRun::kDefaultOriginNs;
    for (const TransitionEvent &e : player.control().transitions(1000))
        lines << QStringLiteral("%1 %2→%3 %4")
                     .arg(QString::fromStdString(e.subject), QString::fromLatin1(nameOf(e.from).data()),
                          QString::fromLatin1(nameOf(e.to).data()))
                     .arg(e.at.time_since_epoch().count() - origin);
    return lines;
}
} // namespace

class TestReplayPlayer : public QObject {
    Q_OBJECT
private slots:
    void startsPausedAtTheStart()
    {
        ReplayPlayer player(incidents(), config());
        const ReplayStatus s = player.status();
        QCOMPARE(s.positionNs, 0);
        QCOMPARE(s.endNs, 119'954'000'000); // b's last call: arrives at 119.95 s, takes 4 ms
        QVERIFY(!s.playing);
        QVERIFY(!s.atEnd);
        QVERIFY(heard(player).isEmpty());
        QCOMPARE(player.control().snapshot()->breakers.size(), 2u);
    }

    void seekingForwardPlaysOn()
    {
        ReplayPlayer player(incidents(), config());
        ControlService *before = &player.control();
        QVERIFY(!player.seek(65 * kSecond));
        QCOMPARE(&player.control(), before);
        QCOMPARE(player.status().positionNs, 65 * kSecond);
        QCOMPARE(heard(player), transitionsUntil(65 * kSecond));
        QCOMPARE(heard(player).size(), 6); // open again since 60.404 s
        QCOMPARE(player.control().snapshot()->breaker("a")->state, BreakerState::Open);
    }

    void seekingBackStartsAFreshReplay()
    {
        ReplayPlayer player(incidents(), config());
        player.seek(65 * kSecond);
        ControlService *before = &player.control();
        QVERIFY(player.seek(15 * kSecond));
        QVERIFY(&player.control() != before);
        player.releasePrevious();
        QCOMPARE(player.status().positionNs, 15 * kSecond);
        QCOMPARE(heard(player), QStringList{"a closed→open 10404000000"});
        const BreakerSnapshot *a = player.control().snapshot()->breaker("a");
        QCOMPARE(a->state, BreakerState::Open);
        // The fresh replay's calls are those of the first 15 s only: 100
        // successes before 10 s, then 5 failures until it opened.
        QCOMPARE(a->totals.successes, 100u);
        QCOMPARE(a->totals.failures, 5u);
        // On from there: the first incident's five transitions.
        player.seek(30 * kSecond);
        QCOMPARE(heard(player), transitionsUntil(30 * kSecond));
        QCOMPARE(heard(player).size(), 5);
    }

    void seekingOutsideTheRecordingStopsAtItsEnds()
    {
        ReplayPlayer player(incidents(), config());
        player.seek(-5 * kSecond);
        QCOMPARE(player.status().positionNs, 0);
        player.seek(10'000 * kSecond);
        QVERIFY(player.status().atEnd);
        QCOMPARE(player.status().positionNs, player.status().endNs);
        QCOMPARE(heard(player), kTransitions);
    }

    void restartsFromTheEnd()
    {
        ReplayPlayer player(incidents(), config());
        player.seek(10'000 * kSecond);
        ControlService *before = &player.control();
        player.restart();
        QVERIFY(&player.control() != before);
        player.releasePrevious();
        QCOMPARE(player.status().positionNs, 0);
        QVERIFY(!player.status().atEnd);
        QVERIFY(heard(player).isEmpty());
        QCOMPARE(player.control().snapshot()->breaker("a")->totals.successes, 0u);
        player.seek(10'000 * kSecond);
        QCOMPARE(heard(player), kTransitions);
    }

    void playsToTheEndAtASpeed()
    {
        for (const double speed : {1000.0, ReplayPlayer::kMaxSpeed}) {
            ReplayPlayer player(incidents(), config());
            QSignalSpy statuses(&player, &ReplayPlayer::statusChanged);
            player.setSpeed(speed);
            player.play();
            QVERIFY(player.status().playing);
            QTRY_VERIFY_WITH_TIMEOUT(player.status().atEnd, 20000);
            QVERIFY(!player.status().playing); // stops at the end
            player.control().sample();
            QCOMPARE(heard(player), kTransitions);
            QVERIFY(statuses.size() >= 3); // speed, play, ticks
            // Play at the end stays there.
            player.play();
            QVERIFY(!player.status().playing);
        }
    }

    void stepsAndPauses()
    {
        ReplayPlayer player(incidents(), config());
        player.setSpeed(1);
        player.play();
        player.step(); // pauses, then a second
        QVERIFY(!player.status().playing);
        QCOMPARE(player.status().positionNs, kSecond);
        player.step();
        QCOMPARE(player.status().positionNs, 2 * kSecond);
        QCOMPARE(player.control().snapshot()->breaker("a")->totals.successes, 20u);
        player.play();
        player.pause();
        QVERIFY(!player.status().playing);
    }

    void speedsStayWithinOneToAThousand()
    {
        ReplayPlayer player(incidents(), config());
        player.setSpeed(0.25);
        QCOMPARE(player.status().speed, 1.0);
        player.setSpeed(5000);
        QCOMPARE(player.status().speed, 1000.0);
        player.setSpeed(-3);
        QCOMPARE(player.status().speed, 1.0);
        player.setSpeed(ReplayPlayer::kMaxSpeed);
        QCOMPARE(player.status().speed, ReplayPlayer::kMaxSpeed);
    }
};

QTEST_GUILESS_MAIN(TestReplayPlayer)
#include "tst_control_replayplayer.moc"
