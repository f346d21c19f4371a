#include "exchange.h"
#include "upstreamrequest.h"

#include <cmath>

namespace bb::proxy {

Exchange::Exchange(WorkerContext &context, ClientSide &client, HttpHead request, RouteMatch route)
    : m_context(context)
    , m_client(client)
    , m_request(std::move(request))
    , m_route(std::move(route))
    , m_service(m_route.service)
    , m_target(m_route.service)
{
    if (m_target->upstream)
        m_upstream = &*m_target->upstream;
}

Exchange::~Exchange()
{
    if (m_queued)
        m_context.waiters->remove(this);
    releaseUpstream(false);
    for (Deadlines::Entry &e : m_timers)
        m_context.deadlines->disarm(e);
}

void Exchange::start()
{
    m_requestClock.start();
    if (m_context.recorder) {
        m_recordingNumber = m_context.recordingNumber;
        m_arrival = m_context.engine->clock().now();
    }
    admit();
}

void Exchange::arm(Timer t, std::chrono::nanoseconds after)
{
    m_context.deadlines->arm(m_timers[std::size_t(t)], after);
}

void Exchange::disarm(Timer t)
{
    m_context.deadlines->disarm(m_timers[std::size_t(t)]);
}

void Exchange::deadlineReached(int which)
{
    switch (Timer(which)) {
    case Timer::Timeout:
        onTimeout();
        break;
    case Timer::Retry:
        admit();
        break;
    case Timer::Queue:
        bulkheadTimedOut();
        break;
    }
}

void Exchange::admit()
{
    m_phase = Phase::Admitting;
    m_permit = m_target->breaker->tryAcquire();
    if (!m_permit) {
        reject(m_permit.rejectReason());
        return;
    }
    if (m_target->bulkhead.tryEnter()) {
        m_inBulkhead = true;
        beginAttempt();
        return;
    }
    if (m_target->bulkhead.tryQueue()) {
        m_queued = true;
        m_phase = Phase::Queued;
        m_context.waiters->add(this);
        arm(Timer::Queue, m_target->config.bulkhead.queueTimeout);
        return;
    }
    m_target->breaker->release(m_permit);
    reject(RejectReason::Bulkhead);
}

bool Exchange::tryBulkheadSlot()
{
    if (!m_queued || !m_target->bulkhead.tryEnter())
        return false;
    m_queued = false;
    disarm(Timer::Queue);
    m_target->bulkhead.unqueue();
    m_inBulkhead = true;
    beginAttempt();
    return true;
}

void Exchange::bulkheadTimedOut()
{
    if (!m_queued)
        return;
    m_queued = false;
    m_context.waiters->remove(this);
    m_target->bulkhead.unqueue();
    m_target->breaker->release(m_permit);
    reject(RejectReason::Bulkhead);
}

void Exchange::reject(RejectReason reason)
{
    m_phase = Phase::Admitting;
    RequestOutcome outcome = RequestOutcome::RejectedBulkhead;
    if (reason == RejectReason::GroupOpen)
        outcome = RequestOutcome::RejectedGroup;
    else if (reason != RejectReason::Bulkhead)
        outcome = RequestOutcome::RejectedBreaker;
    if (m_fallbackAttempt) {
        // The alternative service is not available either.
        respondUnavailable(reason);
        finish(RequestOutcome::Fallback);
        return;
    }
    if (m_service->config.fallback.strategy != FallbackStrategy::None) {
        serveFallback(outcome);
        return;
    }
    respondUnavailable(reason);
    finish(outcome);
}

void Exchange::beginAttempt()
{
    if (!m_upstream) {
        m_target->breaker->release(m_permit);
        if (m_inBulkhead)
            m_target->bulkhead.leave(), m_inBulkhead = false;
        respond(502, "Bad Gateway", {{"Content-Type", "application/json"}},
                "{\"error\":\"Bad Gateway\",\"message\":\"service has no upstream configured\"}", {});
        finish(RequestOutcome::Failure);
        return;
    }
    m_phase = Phase::Attempting;
    ++m_attempt;
    if (m_attempt > 1)
        m_service->counters.retries.fetch_add(1, std::memory_order_relaxed);
    m_upstreamSending = false;
    m_upstreamConnection = m_context.pool->acquire(*m_upstream);
    UpstreamConnection *c = m_upstreamConnection;
    c->setListener(this);
    if (m_attempt == 1 && !m_fallbackAttempt && !m_bodyComplete && bodyExpected() &&
        qstricmp(std::string(m_request.field("Expect")).c_str(), "100-continue") == 0)
        m_client.writeToClient(QByteArrayLiteral("HTTP/1.1 100 Continue\r\n\r\n"));
    m_attemptStart = m_context.engine->clock().now();
    arm(Timer::Timeout, m_target->config.timeout);
    c->begin(m_request.method == "HEAD");
}

QByteArray Exchange::upstreamHead() const
{
    return upstreamRequestHead(m_request, m_route.upstreamTarget, m_upstream->url, m_client.peerAddress());
}

QByteArray Exchange::frameUpstreamBody(const QByteArray &piece, bool last) const
{
    return frameRequestBody(m_request.chunked, piece, last);
}

void Exchange::sendHeadAndBody()
{
    if (m_phase != Phase::Attempting || !m_upstreamConnection)
        return;
    m_upstreamSending = true;
    QByteArray out = upstreamHead();
    // A retry sends the kept copy of the body; a first attempt what has come so far.
    const QByteArray &body = m_attempt > 1 || m_freshRetryUsed ? m_replay : m_unsent;
    out += frameUpstreamBody(body, m_bodyComplete);
    m_unsent.clear();
    m_upstreamConnection->send(out);
    if (m_bodyComplete)
        requestSent();
    else
        disarm(Timer::Timeout); // the rest of the body is the client's to send
}

void Exchange::requestSent()
{
    m_attemptStart = m_context.engine->clock().now();
    arm(Timer::Timeout, m_target->config.timeout);
}

void Exchange::upstreamDrained()
{
    // The upstream took what it was given: waiting for the body is the client's turn again.
    if ((m_phase == Phase::Attempting || m_phase == Phase::Streaming) && !m_bodyComplete)
        disarm(Timer::Timeout);
    m_client.resumeRequestBody();
}

void Exchange::requestBody(const QByteArray &piece, bool last)
{
    if (m_bodyComplete || m_finished)
        return; // answered already: the rest of the body is dropped
    m_bodyComplete = last;
    if (m_replayable) {
        if (m_replay.size() + piece.size() <= m_context.limits->replayBytes)
            m_replay += piece;
        else
            m_replayable = false, m_replay.clear();
    }
    if ((m_phase == Phase::Attempting || m_phase == Phase::Streaming) && m_upstreamSending && m_upstreamConnection) {
        const QByteArray framed = frameUpstreamBody(piece, last);
        if (!framed.isEmpty())
            m_upstreamConnection->send(framed);
        if (last)
            requestSent();
        else if (m_upstreamConnection->pendingWrite() >= m_context.limits->window && !armed(Timer::Timeout))
            requestSent(); // an upstream that takes no more of the request is waited for no longer than its timeout
    } else if (m_phase != Phase::Done) {
        m_unsent += piece;
    }
}

bool Exchange::acceptsBody() const
{
    if (m_phase == Phase::Done)
        return true; // answered already: the rest of the body is read and dropped
    if (m_upstreamSending && m_upstreamConnection)
        return m_upstreamConnection->pendingWrite() < m_context.limits->window;
    return m_unsent.size() < m_context.limits->window;
}

} // namespace bb::proxy
