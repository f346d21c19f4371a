#include "exchange.h"

#include <QTimerEvent>

#include <cmath>

namespace bb::proxy {

namespace {
} // namespace

Exchange::Exchange(WorkerContext &context, ClientSide &client, HttpHead request, RouteMatch route, QObject *parent)
    : QObject(parent)
    , m_context(context)
    , m_client(client)
    , m_request(std::move(request))
    , m_route(std::move(route))
    , m_service(m_route.service)
    , m_target(m_route.service)
{
    if (m_target->config.upstream)
        m_upstream = &*m_target->config.upstream;
}

Exchange::~Exchange()
{
    if (m_queued)
        m_context.waiters->remove(this);
    releaseUpstream(false);
}

void Exchange::start()
{
    m_requestClock.start();
    admit();
}

void Exchange::arm(Timer t, std::chrono::milliseconds after)
{
    disarm(t);
    m_timers[std::size_t(t)] = startTimer(after, Qt::PreciseTimer);
}

void Exchange::disarm(Timer t)
{
    if (int &id = m_timers[std::size_t(t)]; id != 0) {
        killTimer(id);
        id = 0;
    }
}

void Exchange::timerEvent(QTimerEvent *event)
{
    for (std::size_t i = 0; i < m_timers.size(); ++i) {
        if (m_timers[i] != event->timerId())
            continue;
        disarm(Timer(i));
        switch (Timer(i)) {
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
        return;
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
        arm(Timer::Queue, std::chrono::duration_cast<std::chrono::milliseconds>(m_target->config.bulkhead.queueTimeout));
        return;
    }
    m_target->breaker->release(m_permit);
    reject(RejectReason::None); // None stands for the bulkhead here
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
    reject(RejectReason::None);
}

void Exchange::reject(RejectReason reason)
{
    m_phase = Phase::Admitting;
    RequestOutcome outcome = RequestOutcome::RejectedBulkhead;
    if (reason == RejectReason::GroupOpen)
        outcome = RequestOutcome::RejectedGroup;
    else if (reason != RejectReason::None)
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
                QByteArrayLiteral("{\"error\":\"Bad Gateway\",\"message\":\"service has no upstream configured\"}"),
                {});
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
    m_attemptClock.start();
    arm(Timer::Timeout, std::chrono::duration_cast<std::chrono::milliseconds>(m_target->config.timeout));
    c->begin(m_request.method == "HEAD");
}

QByteArray Exchange::upstreamHead() const
{
    auto add = [](QByteArray &out, std::string_view text) { out.append(text.data(), qsizetype(text.size())); };
    QByteArray h;
    h.reserve(512);
    add(h, m_request.method);
    h += ' ';
    add(h, m_route.upstreamTarget);
    h += " HTTP/1.1\r\nHost: ";
    add(h, m_upstream->host);
    if (m_upstream->port != 80)
        h += ':' + QByteArray::number(m_upstream->port);
    h += "\r\n";
    // Fields named in Connection are hop-by-hop too; "keep-alive" and
    // "close", the usual values, name none.
    const std::string_view connection = m_request.field("Connection");
    const bool namesFields = !connection.empty() && qstricmp(std::string(connection).c_str(), "keep-alive") != 0 &&
                             qstricmp(std::string(connection).c_str(), "close") != 0;
    auto namedInConnection = [connection](const std::string &name) {
        std::size_t start = 0;
        while (start < connection.size()) {
            std::size_t end = connection.find(',', start);
            if (end == std::string_view::npos)
                end = connection.size();
            std::string_view token = connection.substr(start, end - start);
            while (!token.empty() && token.front() == ' ')
                token.remove_prefix(1);
            while (!token.empty() && token.back() == ' ')
                token.remove_suffix(1);
            if (token.size() == name.size() && qstrnicmp(token.data(), name.data(), qsizetype(name.size())) == 0)
                return true;
            start = end + 1;
        }
        return false;
    };
    std::string_view forwardedFor;
    std::string_view via;
    for (const auto &[name, value] : m_request.fields) {
        if (isHopByHop(name) || qstricmp(name.c_str(), "Host") == 0 || qstricmp(name.c_str(), "Expect") == 0 ||
            qstricmp(name.c_str(), "Content-Length") == 0 || qstricmp(name.c_str(), "X-Forwarded-Proto") == 0 ||
            (namesFields && namedInConnection(name)))
            continue;
        if (qstricmp(name.c_str(), "X-Forwarded-For") == 0) {
            forwardedFor = value;
            continue;
        }
        if (qstricmp(name.c_str(), "Via") == 0) {
            via = value;
            continue;
        }
        add(h, name);
        h += ": ";
        add(h, value);
        h += "\r\n";
    }
    h += "X-Forwarded-For: ";
    if (!forwardedFor.empty()) {
        add(h, forwardedFor);
        h += ", ";
    }
    h += m_client.peerAddress();
    h += "\r\nX-Forwarded-Proto: http\r\nVia: ";
    if (!via.empty()) {
        add(h, via);
        h += ", ";
    }
    h += "1.1 breakerboard\r\n";
    if (m_request.chunked)
        h += "Transfer-Encoding: chunked\r\n";
    else if (m_request.contentLength)
        h += "Content-Length: " + QByteArray::number(qulonglong(*m_request.contentLength)) + "\r\n";
    h += "Connection: keep-alive\r\n\r\n";
    return h;
}

QByteArray Exchange::frameUpstreamBody(const QByteArray &piece, bool last) const
{
    if (!m_request.chunked)
        return piece;
    QByteArray out;
    if (!piece.isEmpty())
        out += QByteArray::number(piece.size(), 16) + "\r\n" + piece + "\r\n";
    if (last)
        out += "0\r\n\r\n";
    return out;
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
    if (m_phase == Phase::Attempting && m_upstreamSending && m_upstreamConnection) {
        const QByteArray framed = frameUpstreamBody(piece, last);
        if (!framed.isEmpty())
            m_upstreamConnection->send(framed);
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
