// One request's way through the proxy: group and breaker admission, the
// bulkhead, attempts on the upstream with timeout and retry, the response
// streamed back, and the fallback or 503 when the service cannot answer.
// Each exchange ends with exactly one outcome counted for its service.
#pragma once

#include "clientside.h"
#include "httpparser.h"
#include "workercontext.h"

#include "core/permit.h"

#include <QElapsedTimer>

#include <array>
#include <chrono>
#include <optional>

namespace bb::proxy {

class Exchange : private UpstreamListener, private Deadlines::Listener {
public:
    Exchange(WorkerContext &context, ClientSide &client, HttpHead request, RouteMatch route);
    ~Exchange() override;
    Exchange(const Exchange &) = delete;
    Exchange &operator=(const Exchange &) = delete;

    void start();
    // The decoded request body, piece by piece; last is true once it is complete.
    void requestBody(const QByteArray &piece, bool last);
    bool acceptsBody() const;
    void clientDrained();
    // The client went away: stop everything, count the request once.
    void abandon() { abandon(RequestOutcome::Ignored); }
    // The client stalled its body or stopped reading: the same, counted as its own outcome.
    void clientTimedOut() { abandon(RequestOutcome::ClientTimeout); }
    bool headSent() const { return m_headSent; }
    // Once the exchange is over: its request head, for the parser to reuse.
    HttpHead takeRequest() { return std::move(m_request); }
    bool bodyExpected() const { return m_request.contentLength.value_or(0) > 0 || m_request.chunked; }
    // Called by the bulkhead waiting list.
    bool tryBulkheadSlot();
    void bulkheadTimedOut();

private:
    enum class Phase { Admitting, Queued, Attempting, Streaming, Done };

    void abandon(RequestOutcome counted);
    void admit();
    void reject(RejectReason reason);
    // The service's timeout runs while the attempt waits on the upstream:
    // from the whole request sent (or the upstream taking no more of it).
    void requestSent();
    void beginAttempt();
    void sendHeadAndBody();
    void upstreamConnected() override { sendHeadAndBody(); }
    void upstreamResponseHead() override { onHead(); }
    void upstreamResponseBody() override { onBody(); }
    void upstreamComplete() override { onComplete(); }
    void upstreamFailed(UpstreamFailure kind, const QString &detail) override { onFailed(kind, detail); }
    void upstreamDrained() override;
    void onHead();
    void onBody();
    // What the upstream's parser holds of the body, framed for the client, onto wire.
    void takeBody(QByteArray &wire);
    // To the client; reading from the upstream pauses while the client is a window behind.
    void writeToClient(const QByteArray &wire);
    void onComplete();
    void onFailed(UpstreamFailure kind, const QString &detail);
    // Keeps why the call failed where the dashboard and the admin API read it.
    void noteFailure(const QString &text);
    void onTimeout();
    void endAttempt(Outcome outcome);
    bool retryIfAllowed();
    void failWithoutRetry(Outcome outcome, int status, const QString &message);
    void serveFallback(RequestOutcome original);
    bool serveAlternative();
    void respond(int status, const QByteArray &reason, std::vector<std::pair<std::string, std::string>> fields,
                 const QByteArray &body, const QByteArray &fallbackName);
    void respondUnavailable(RejectReason reason);
    bool mustClose() const;
    QByteArray buildResponse(int status, const QByteArray &reason,
                             const std::vector<std::pair<std::string, std::string>> &fields, const QByteArray &body,
                             const QByteArray &fallbackName, bool close, bool headOnly) const;
    QByteArray unavailableBody(RejectReason reason, TimePoint now, qint64 *retryAfter) const;
    void finish(RequestOutcome outcome, bool closeClient = false);
    void end(RequestOutcome outcome); // counts the outcome once; finish() also tells the client
    void record(RequestOutcome outcome) const;
    void releaseUpstream(bool reuse);
    QByteArray upstreamHead() const;
    QByteArray frameUpstreamBody(const QByteArray &piece, bool last) const;

    WorkerContext &m_context;
    ClientSide &m_client;
    HttpHead m_request; // moved out only by takeRequest, at the end
    const RouteMatch m_route;
    ServiceRuntime *m_service;      // counts the outcome
    ServiceRuntime *m_target;       // whose breaker and upstream the attempt uses
    const UpstreamEndpoint *m_upstream = nullptr;
    std::optional<UpstreamEndpoint> m_alternative;
    Phase m_phase = Phase::Admitting;
    Permit m_permit;
    bool m_inBulkhead = false;
    bool m_queued = false;
    bool m_fallbackAttempt = false;
    int m_attempt = 0;
    std::optional<Outcome> m_serviceOutcome; // of the last attempt through the service's own breaker
    int m_status = 0;                        // sent to the client
    std::uint64_t m_bodyBytes = 0;           // sent to the client
    bool m_freshRetryUsed = false;
    UpstreamConnection *m_upstreamConnection = nullptr;
    TimePoint m_attemptStart; // on the engine's clock, which also dates the breaker's record
    QElapsedTimer m_requestClock; // from the request's head to its end
    // While a recording runs: which one, and the arrival on the engine's clock.
    std::uint64_t m_recordingNumber = 0;
    TimePoint m_arrival;
    // On the worker's deadlines: no timer of the event loop's per request.
    enum class Timer { Timeout, Retry, Queue };
    void arm(Timer t, std::chrono::nanoseconds after);
    void disarm(Timer t);
    bool armed(Timer t) const { return m_timers[std::size_t(t)].armed(); }
    void deadlineReached(int which) override;
    std::array<Deadlines::Entry, 3> m_timers{Deadlines::Entry(this, int(Timer::Timeout)),
                                             Deadlines::Entry(this, int(Timer::Retry)),
                                             Deadlines::Entry(this, int(Timer::Queue))};

    QByteArray m_replay;      // the request body so far, while it fits for a retry
    bool m_replayable = true;
    QByteArray m_unsent;      // body received before the upstream was connected
    bool m_bodyComplete = false;
    bool m_upstreamSending = false;

    bool m_headSent = false;  // response head already went to the client
    // The end of the answer, written once the exchange is counted: whoever
    // has the whole answer finds it counted.
    QByteArray m_lastWrite;
    bool m_chunkedToClient = false;
    bool m_closeAfter = false;
    bool m_cacheTee = false;
    QByteArray m_cacheBody;
    bool m_finished = false;
};

} // namespace bb::proxy
