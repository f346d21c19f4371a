// The answering half of an exchange: the upstream's response streamed to the
// client, outcomes recorded, retries, fallbacks and error answers.
#include "exchange.h"
#include "headwriter.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>

#include <cmath>

namespace bb::proxy {

namespace {

QByteArray reasonFor(int status)
{
    switch (status) {
    case 200: return "OK";
    case 404: return "Not Found";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "Status";
    }
}
} // namespace

void Exchange::onHead()
{
    if (m_phase != Phase::Attempting)
        return;
    const HttpHead &head = m_upstreamConnection->parser().head();
    const int status = head.status;
    if (m_target->config.isFailureStatus(status) && !m_target->config.isIgnoredStatus(status)) {
        // A failure answer: try again, or answer for the service, before a
        // byte of it reaches the client.
        const bool retry = m_replayable && m_bodyComplete && isIdempotent(m_request.method) &&
                           m_attempt < int(m_target->config.retry.maxAttempts) && !m_fallbackAttempt;
        const bool fallback = m_service->config.fallback.onFailure &&
                              m_service->config.fallback.strategy != FallbackStrategy::None && !m_fallbackAttempt;
        if (retry || fallback) {
            releaseUpstream(false);
            endAttempt(Outcome::Failure);
            if (retryIfAllowed())
                return;
            if (fallback) {
                serveFallback(RequestOutcome::Failure);
                return;
            }
            // The retry was wanted, but this failure opened the breaker.
            respondUnavailable(RejectReason::BreakerOpen);
            finish(RequestOutcome::Failure);
            return;
        }
    }
    m_phase = Phase::Streaming;
    const bool bodyless = m_request.method == "HEAD" || status == 204 || status == 304;
    const bool known = head.contentLength.has_value();
    m_chunkedToClient = !bodyless && !known && m_request.version >= 11;
    m_closeAfter = !m_request.keepAlive || (!bodyless && !known && m_request.version < 11);
    HeadWriter out;
    (out << "HTTP/1.1 ").number(unsigned(status)) << ' ' << head.reason << "\r\n";
    for (const auto &[name, value] : head.fields) {
        if (isHopByHop(name) || (!bodyless && equalsIgnoringCase(name, "Content-Length")))
            continue;
        out << name << ": " << value << "\r\n";
    }
    if (!bodyless && known)
        (out << "Content-Length: ").number(*head.contentLength) << "\r\n";
    if (m_chunkedToClient)
        out << "Transfer-Encoding: chunked\r\n";
    out << "Via: 1.1 breakerboard\r\nX-Breaker-State: " << nameOf(m_service->breaker->state()) << "\r\n";
    if (m_fallbackAttempt)
        out << "X-Fallback: alternative_service\r\n";
    out << (m_closeAfter ? "Connection: close\r\n\r\n" : "\r\n");
    m_headSent = true;
    m_status = status;
    m_cacheTee = m_service->config.fallback.strategy == FallbackStrategy::Cache && !m_fallbackAttempt &&
                 status >= 200 && status < 300 && (m_request.method == "GET" || m_request.method == "HEAD");
    m_cacheBody.clear();
    // The head and what has come of the body go in one write.
    QByteArray wire = out.take();
    takeBody(wire);
    writeToClient(wire);
}

void Exchange::onBody()
{
    if (m_phase != Phase::Streaming || !m_upstreamConnection)
        return;
    QByteArray wire;
    takeBody(wire);
    if (!wire.isEmpty())
        writeToClient(wire);
}

void Exchange::writeToClient(const QByteArray &wire)
{
    if (m_upstreamConnection->parser().done()) {
        m_lastWrite += wire; // the end of the answer: after it is counted
        return;
    }
    m_client.writeToClient(wire);
    if (m_client.clientPendingWrite() >= m_context.limits->window)
        m_upstreamConnection->setReadPaused(true);
}

void Exchange::takeBody(QByteArray &wire)
{
    QByteArray &body = m_upstreamConnection->parser().body();
    if (body.isEmpty())
        return;
    if (m_cacheTee) {
        if (std::uint64_t(m_cacheBody.size() + body.size()) <= m_service->cache.maxBodyBytes())
            m_cacheBody += body;
        else
            m_cacheTee = false, m_cacheBody.clear();
    }
    m_bodyBytes += std::uint64_t(body.size());
    if (m_chunkedToClient)
        wire += QByteArray::number(body.size(), 16) + "\r\n" + body + "\r\n";
    else if (wire.isEmpty())
        wire = std::move(body);
    else
        wire += body;
    body.clear();
}

void Exchange::clientDrained()
{
    if (m_phase == Phase::Streaming && m_upstreamConnection)
        m_upstreamConnection->setReadPaused(false);
}

void Exchange::onComplete()
{
    if (m_phase != Phase::Streaming)
        return;
    onBody();
    // Read from the parser before the connection goes back to the pool: what
    // the cache keeps is copied only for a service that caches.
    const HttpHead &head = m_upstreamConnection->parser().head();
    const int status = head.status;
    std::optional<CachedResponse> cached;
    if (m_cacheTee && !m_target->config.isFailureStatus(status) && !m_target->config.isIgnoredStatus(status)) {
        cached = CachedResponse{status, head.reason, {}, m_cacheBody, m_context.engine->clock().now()};
        for (const auto &f : head.fields) {
            if (!isHopByHop(f.first) && qstricmp(f.first.c_str(), "Content-Length") != 0)
                cached->fields.push_back(f);
        }
    }
    if (m_chunkedToClient)
        m_lastWrite += QByteArrayLiteral("0\r\n\r\n");
    // An upstream that answered before it had the whole request is left with
    // part of it: that connection cannot carry another request.
    releaseUpstream(m_bodyComplete && m_unsent.isEmpty());
    Outcome outcome = Outcome::Success;
    if (m_target->config.isIgnoredStatus(status))
        outcome = Outcome::Ignored;
    else if (m_target->config.isFailureStatus(status))
        outcome = Outcome::Failure;
    endAttempt(outcome);
    if (cached)
        m_service->cache.put(m_request.method + ' ' + m_request.target, std::move(*cached));
    if (m_fallbackAttempt) {
        finish(RequestOutcome::Fallback, m_closeAfter);
        return;
    }
    const RequestOutcome counted = outcome == Outcome::Success   ? RequestOutcome::Success
                                   : outcome == Outcome::Ignored ? RequestOutcome::Ignored
                                                                 : RequestOutcome::Failure;
    finish(counted, m_closeAfter);
}

void Exchange::onFailed(UpstreamFailure kind, const QString &detail)
{
    if (m_phase != Phase::Attempting && m_phase != Phase::Streaming)
        return;
    UpstreamConnection *c = m_upstreamConnection;
    // A pooled connection the upstream had closed while idle: not the
    // service's fault. Try once more on a fresh connection.
    if (c && c->wasReused() && !c->responseStarted() && !m_headSent && m_replayable && !m_freshRetryUsed &&
        kind != UpstreamFailure::BadResponse) {
        m_freshRetryUsed = true;
        releaseUpstream(false);
        m_upstreamSending = false;
        m_upstreamConnection = nullptr;
        --m_attempt;
        disarm(Timer::Timeout);
        beginAttempt();
        return;
    }
    releaseUpstream(false);
    endAttempt(Outcome::Failure);
    if (m_headSent) {
        // Part of the answer is out: all that is left is to cut the connection.
        finish(m_fallbackAttempt ? RequestOutcome::Fallback : RequestOutcome::Failure, true);
        return;
    }
    if (retryIfAllowed())
        return;
    const QString message = kind == UpstreamFailure::Tls           ? QString() // the detail begins "TLS: "
                            : kind == UpstreamFailure::ConnectFailed ? QStringLiteral("upstream refused the connection: ")
                            : kind == UpstreamFailure::Unresolved  ? QStringLiteral("upstream cannot be reached: ")
                            : kind == UpstreamFailure::BadResponse ? QStringLiteral("upstream sent a malformed response: ")
                                                                   : QStringLiteral("upstream connection failed: ");
    noteFailure(message + detail);
    failWithoutRetry(Outcome::Failure, 502, message + detail);
}

void Exchange::onTimeout()
{
    if (m_phase != Phase::Attempting && m_phase != Phase::Streaming)
        return;
    if (m_upstreamConnection && m_upstreamConnection->handshaking()) {
        // The TCP connection stands but TLS never got through: a failed
        // handshake, not a slow answer.
        onFailed(UpstreamFailure::Tls, QStringLiteral("TLS: handshake with %1 did not finish within %2 ms")
                                           .arg(m_upstreamConnection->peerName())
                                           .arg(toMs(m_target->config.timeout)));
        return;
    }
    releaseUpstream(false);
    endAttempt(Outcome::Timeout);
    if (m_headSent) {
        finish(m_fallbackAttempt ? RequestOutcome::Fallback : RequestOutcome::Timeout, true);
        return;
    }
    if (retryIfAllowed())
        return;
    const QString message = QStringLiteral("no complete response within %1 ms").arg(toMs(m_target->config.timeout));
    noteFailure(message);
    failWithoutRetry(Outcome::Timeout, 504, message);
}

void Exchange::noteFailure(const QString &text)
{
    const Clock &clock = m_context.engine->clock();
    m_target->counters.lastFailure.note(text.toStdString(), clock.wallMs(clock.now()));
}

void Exchange::endAttempt(Outcome outcome)
{
    disarm(Timer::Timeout);
    // One reading of the clock for the latency and the breaker's window both.
    const TimePoint end = m_context.engine->clock().now();
    m_target->breaker->record(m_permit, outcome, end - m_attemptStart, end);
    if (m_target == m_service)
        m_serviceOutcome = outcome;
    m_permit = Permit{};
    if (m_inBulkhead) {
        m_target->bulkhead.leave();
        m_inBulkhead = false;
        m_context.waiters->admit();
    }
}

bool Exchange::retryIfAllowed()
{
    const RetryConfig &r = m_target->config.retry;
    if (m_fallbackAttempt || m_attempt >= int(r.maxAttempts) || !isIdempotent(m_request.method) || !m_replayable ||
        !m_bodyComplete)
        return false;
    // Each attempt goes through the breaker: none while it admits nothing.
    // Below full enforcement an open breaker still lets some through.
    const BreakerState s = m_target->breaker->state();
    if (s == BreakerState::ForcedOpen || (s == BreakerState::Open && m_target->breaker->policy().enforcement >= 100.0))
        return false;
    double wait = double(r.backoff.count()) * std::pow(r.multiplier, m_attempt - 1);
    wait = std::min(wait, double(r.maxBackoff.count()));
    wait *= 1.0 + r.jitter * (2.0 * QRandomGenerator::global()->generateDouble() - 1.0);
    m_phase = Phase::Admitting;
    arm(Timer::Retry, std::chrono::milliseconds(std::max<qint64>(0, qint64(wait / 1e6))));
    return true;
}

void Exchange::failWithoutRetry(Outcome outcome, int status, const QString &message)
{
    const RequestOutcome counted = outcome == Outcome::Timeout ? RequestOutcome::Timeout : RequestOutcome::Failure;
    if (m_fallbackAttempt) {
        respondUnavailable(RejectReason::BreakerOpen);
        finish(RequestOutcome::Fallback);
        return;
    }
    if (m_service->config.fallback.onFailure && m_service->config.fallback.strategy != FallbackStrategy::None) {
        serveFallback(counted);
        return;
    }
    QJsonObject o{{"error", QString::fromLatin1(reasonFor(status))},
                  {"service", QString::fromStdString(m_service->config.name)},
                  {"message", message}};
    respond(status, reasonFor(status), {{"Content-Type", "application/json"}},
            QJsonDocument(o).toJson(QJsonDocument::Compact), {});
    finish(counted);
}

} // namespace bb::proxy
