// One configuration's replay of a recording: a fresh engine on a virtual
// clock, fed every recorded call at its arrival time and its outcome at its
// completion time. Time moves only when advanceTo() is called, so the same
// recording and configuration give the same transitions at any speed.
//
// A call recorded as rejected never reached its upstream. When this
// configuration admits it, the call is given the outcome and latency of the
// last call to the same service that did reach the upstream (the service is
// assumed to have gone on as it was), and is counted as assumed. With no
// such call before it, the permit is given back unused and the call is
// counted as unplayable.
#pragma once

#include "recording.h"

#include "config/serviceconfig.h"
#include "core/engine.h"
#include "core/manualclock.h"

#include <memory>
#include <string>
#include <vector>

namespace bb::record {

// Told of every call as the replayed proxy would count it.
class ReplayListener {
public:
    virtual ~ReplayListener() = default;
    // outcome Rejected comes with the reason; latency is 0 for rejected calls.
    virtual void counted(std::uint32_t service, CallOutcome outcome, RejectReason reason, std::int64_t latencyNs) = 0;
};

struct SubjectSummary {
    std::string name;
    bool isGroup = false;
    std::uint64_t opens = 0;    // transitions into OPEN
    std::int64_t openNs = 0;    // time spent OPEN
    std::uint64_t rejected = 0; // calls turned away (breakers only)
    std::uint64_t wouldReject = 0; // calls let through that it would have turned away (enforcement below 100%)
};

struct ReplaySummary {
    std::uint64_t calls = 0;          // calls played so far
    std::uint64_t rejected = 0;       // of them, turned away by this configuration
    std::uint64_t wouldReject = 0;    // of them, let through by an enforcement below 100% instead
    std::uint64_t assumed = 0;        // recorded as rejected, admitted here: outcome assumed
    std::uint64_t unplayable = 0;     // recorded as rejected, admitted here, nothing to assume
    std::uint64_t unknownService = 0; // calls to services this configuration does not have
    std::vector<SubjectSummary> subjects; // breakers, then groups, in configuration order
};

class ReplayRun {
public:
    // Engine time of the recording's start when the recording does not say:
    // the live engine's, so that time windows roll over at the same instants.
    static constexpr std::int64_t kDefaultOriginNs = 3600'000'000'000;

    ReplayRun(std::shared_ptr<const Recording> recording, const Configuration &config, std::uint64_t seed = 0);
    ~ReplayRun();
    ReplayRun(const ReplayRun &) = delete;
    ReplayRun &operator=(const ReplayRun &) = delete;

    // Plays every arrival, completion and timer up to tNs (from the
    // recording's start); times before the current position are ignored.
    void advanceTo(std::int64_t tNs);
    void runToEnd() { advanceTo(m_endNs); }
    std::int64_t positionNs() const { return m_positionNs; }
    std::int64_t endNs() const { return m_endNs; }
    // Every call arrived and completed, and the clock reached the end.
    bool atEnd() const
    {
        return m_next == m_recording->calls.size() && m_pending.empty() && m_positionNs >= m_endNs;
    }

    // Transitions since the last call, in the engine's order; their `at` is
    // the time from the recording's start.
    std::vector<TransitionEvent> takeTransitions();
    ReplaySummary summary() const;

    // Leaves the engine's transition events in its queue for another reader
    // (a control service over this engine, as the dashboard's replay has);
    // takeTransitions() then gives nothing and summaries count no opens.
    void leaveEventsInEngine() { m_leaveEvents = true; }

    Engine &engine() { return *m_engine; }
    const Recording &recording() const { return *m_recording; }
    void setListener(ReplayListener *listener) { m_listener = listener; }
    // Engine time → time from the recording's start.
    std::int64_t offsetNs(TimePoint engineTime) const { return engineTime.time_since_epoch().count() - m_originNs; }

private:
    struct Completion {
        std::int64_t atNs;
        std::uint64_t order;
        std::uint32_t service;
        CallOutcome outcome;
        std::int64_t latencyNs;
        Permit permit;
    };
    struct Known {
        bool any = false;
        CallOutcome outcome = CallOutcome::Success;
        std::int64_t latencyNs = 0;
    };

    void arrive(const RecordedCall &call);
    void complete(const Completion &completion);
    void collectEvents();

    std::shared_ptr<const Recording> m_recording;
    std::int64_t m_originNs;
    ManualClock m_clock;
    std::unique_ptr<Engine> m_engine;
    std::vector<std::shared_ptr<CircuitBreaker>> m_breakers; // by recorded service; null: not configured
    std::vector<Known> m_known;
    std::vector<Completion> m_pending; // a min-heap on (atNs, order)
    std::size_t m_next = 0;
    std::uint64_t m_order = 0;
    std::int64_t m_positionNs = 0;
    std::int64_t m_endNs = 0;
    ReplayListener *m_listener = nullptr;
    bool m_leaveEvents = false;
    ReplaySummary m_counts; // calls, rejected, assumed, unplayable, unknownService
    std::vector<TransitionEvent> m_events;
    struct OpenTime {
        std::uint64_t opens = 0;
        std::int64_t openNs = 0;
        std::optional<std::int64_t> openedAt;
    };
    std::map<std::string, OpenTime, std::less<>> m_open;
};

} // namespace bb::record
