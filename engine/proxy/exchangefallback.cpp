// How an exchange answers when the service cannot: fallbacks (default,
// cache, alternative service), the 503 that names the breaker, and the end
// of every exchange.
#include "exchange.h"
#include "headwriter.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>
#include <utility>

namespace bb::proxy {

void Exchange::serveFallback(RequestOutcome original)
{
    const FallbackConfig &f = m_service->config.fallback;
    switch (f.strategy) {
    case FallbackStrategy::Default:
        respond(f.status, f.status == 200 ? QByteArrayLiteral("OK") : QByteArrayLiteral("Fallback"), f.headers,
                QByteArray::fromStdString(f.body), "default");
        m_service->counters.countFallback(FallbackStrategy::Default);
        finish(RequestOutcome::Fallback);
        return;
    case FallbackStrategy::Cache: {
        const auto cached = m_service->cache.get(m_request.method + ' ' + m_request.target,
                                                 m_context.engine->clock().now());
        if (cached) {
            auto fields = cached->fields;
            const auto age = std::chrono::duration_cast<std::chrono::seconds>(m_context.engine->clock().now() -
                                                                               cached->storedAt);
            fields.emplace_back("Age", std::to_string(age.count()));
            respond(cached->status, QByteArray::fromStdString(cached->reason), std::move(fields), cached->body,
                    "cache");
            m_service->counters.countFallback(FallbackStrategy::Cache);
            finish(RequestOutcome::Fallback);
            return;
        }
        break; // nothing cached: the plain answer below
    }
    case FallbackStrategy::AlternativeService:
        if (serveAlternative())
            return;
        break;
    case FallbackStrategy::None:
        break;
    }
    if (original == RequestOutcome::Failure || original == RequestOutcome::Timeout) {
        const int status = original == RequestOutcome::Timeout ? 504 : 502;
        QJsonObject o{{"error", status == 504 ? "Gateway Timeout" : "Bad Gateway"},
                      {"service", QString::fromStdString(m_service->config.name)},
                      {"message", "the call failed and the fallback had nothing to answer with"}};
        respond(status, status == 504 ? "Gateway Timeout" : "Bad Gateway", {{"Content-Type", "application/json"}},
                QJsonDocument(o).toJson(QJsonDocument::Compact), "none");
        finish(original);
        return;
    }
    const RejectReason reason = original == RequestOutcome::RejectedGroup      ? RejectReason::GroupOpen
                                : original == RequestOutcome::RejectedBulkhead ? RejectReason::Bulkhead
                                                                               : RejectReason::BreakerOpen;
    respondUnavailable(reason);
    finish(original);
}

bool Exchange::serveAlternative()
{
    // The body must still be there to send it elsewhere.
    const bool bodyAvailable = !bodyExpected() || (m_replayable && (m_attempt == 0 || m_bodyComplete));
    if (!bodyAvailable)
        return false;
    const std::string &alternative = m_service->config.fallback.alternative;
    if (ServiceRuntime *other = m_context.routes->service(alternative); other && other != m_service) {
        m_target = other;
        m_upstream = other->upstream ? &*other->upstream : nullptr;
    } else if (auto url = parseUpstreamUrl(alternative, nullptr)) {
        // Verified by the defaults: the system store, the URL's host.
        m_alternative = upstreamEndpoint(*url, std::nullopt);
        m_upstream = &*m_alternative;
    } else {
        return false;
    }
    m_service->counters.countFallback(FallbackStrategy::AlternativeService);
    m_fallbackAttempt = true;
    m_attempt = 0;
    if (m_target == m_service) {
        // A URL alternative has no breaker of its own: go straight there.
        m_permit = Permit{};
        beginAttempt();
        return true;
    }
    admit();
    return true;
}

void Exchange::respond(int status, const QByteArray &reason, std::vector<std::pair<std::string, std::string>> fields,
                       const QByteArray &body, const QByteArray &fallbackName)
{
    m_closeAfter = mustClose();
    m_headSent = true;
    m_status = status;
    m_bodyBytes = m_request.method == "HEAD" ? 0 : std::uint64_t(body.size());
    m_lastWrite = buildResponse(status, reason, fields, body, fallbackName, m_closeAfter, m_request.method == "HEAD");
}

bool Exchange::mustClose() const
{
    // A request whose body was never read cannot share the connection with
    // the next one unless the body is small enough to skip.
    return !m_request.keepAlive ||
           (bodyExpected() && !m_bodyComplete &&
            (m_request.hasField("Expect") || m_request.chunked ||
             m_request.contentLength.value_or(0) > std::uint64_t(m_context.limits->window)));
}

QByteArray Exchange::buildResponse(int status, const QByteArray &reason,
                                   const std::vector<std::pair<std::string, std::string>> &fields,
                                   const QByteArray &body, const QByteArray &fallbackName, bool close,
                                   bool headOnly) const
{
    HeadWriter out(512 + (headOnly ? 0 : body.size()));
    (out << "HTTP/1.1 ").number(unsigned(status)) << ' ' << reason << "\r\n";
    for (const auto &[name, value] : fields) {
        if (isHopByHop(name) || equalsIgnoringCase(name, "Content-Length"))
            continue;
        out << name << ": " << value << "\r\n";
    }
    (out << "Content-Length: ").number(qulonglong(body.size()))
        << "\r\nVia: 1.1 breakerboard\r\nX-Breaker-State: " << nameOf(m_service->breaker->state()) << "\r\n";
    if (!fallbackName.isEmpty())
        out << "X-Fallback: " << fallbackName << "\r\n";
    out << (close ? "Connection: close\r\n\r\n" : "\r\n");
    if (!headOnly)
        out << body;
    return out.take();
}

void Exchange::respondUnavailable(RejectReason reason)
{
    const TimePoint now = m_context.engine->clock().now();
    const std::uint64_t generation = m_target->breaker->generation();
    UnavailableAnswer *answer = nullptr;
    for (auto &a : m_context.unavailable) {
        if (a.service == m_service && a.target == m_target && a.reason == reason)
            answer = &a;
    }
    if (!answer) {
        m_context.unavailable.push_back({m_service, m_target, 0, reason, TimePoint::min(), {}, {}, 1});
        answer = &m_context.unavailable.back();
    }
    if (answer->generation != generation || now - answer->builtAt >= std::chrono::milliseconds(100) ||
        now < answer->builtAt) {
        answer->generation = generation;
        answer->builtAt = now;
        answer->body = unavailableBody(reason, now, &answer->retryAfter);
        const std::vector<std::pair<std::string, std::string>> fresh = {
            {"Content-Type", "application/json"}, {"Retry-After", std::to_string(answer->retryAfter)}};
        answer->wire = buildResponse(503, "Service Unavailable", fresh, answer->body, "none", false, false);
    }
    m_closeAfter = mustClose();
    m_headSent = true;
    m_status = 503;
    m_bodyBytes = m_request.method == "HEAD" ? 0 : std::uint64_t(answer->body.size());
    if (!m_closeAfter && m_request.method != "HEAD") {
        m_lastWrite = answer->wire; // the common case, as built
        return;
    }
    m_lastWrite = buildResponse(503, "Service Unavailable",
                                {{"Content-Type", "application/json"}, {"Retry-After", std::to_string(answer->retryAfter)}},
                                answer->body, "none", m_closeAfter, m_request.method == "HEAD");
}

QByteArray Exchange::unavailableBody(RejectReason reason, TimePoint now, qint64 *retryAfter) const
{
    const CircuitBreaker::Status status = m_target->breaker->status(now);
    QJsonObject o{{"error", "Service Unavailable"},
                  {"message", QStringLiteral("Service %1 is temporarily unavailable").arg(
                                  QString::fromStdString(m_service->config.name))},
                  {"service", QString::fromStdString(m_target->config.name)},
                  {"state", QString::fromLatin1(nameOf(status.state).data())}};
    std::optional<Duration> wait;
    QString cause;
    if (reason == RejectReason::GroupOpen) {
        if (const BreakerGroup *group = m_target->breaker->rejectingGroup()) {
            const GroupSnapshot g = group->snapshot(now);
            o.insert("group", QString::fromStdString(g.name));
            cause = QStringLiteral("group %1 is %2: %3")
                        .arg(QString::fromStdString(g.name), QString::fromLatin1(nameOf(g.state).data()),
                             QString::fromStdString(g.lastCause.toString()));
            wait = g.nextTrialIn;
        }
    } else if (reason == RejectReason::Bulkhead) {
        cause = QStringLiteral("bulkhead full: %1 calls in flight, %2 waiting")
                    .arg(m_target->bulkhead.inFlight())
                    .arg(m_target->bulkhead.queued());
        wait = std::chrono::seconds(1);
    } else {
        cause = QString::fromStdString(status.cause.toString());
        wait = status.state == BreakerState::Open ? status.nextTrialIn : status.expiresIn;
        if (reason == RejectReason::HalfOpenFull)
            cause = QStringLiteral("all half-open trial calls are taken; ") + cause;
    }
    *retryAfter = std::max<qint64>(1, qint64(std::ceil(toMsF(wait.value_or(std::chrono::seconds(1))) / 1000.0)));
    o.insert("cause", cause);
    o.insert("retryAfter", *retryAfter);
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

void Exchange::finish(RequestOutcome outcome, bool closeClient)
{
    if (m_finished)
        return;
    end(outcome);
    if (!m_lastWrite.isEmpty())
        m_client.writeToClient(std::exchange(m_lastWrite, QByteArray()));
    m_client.exchangeFinished(closeClient || m_closeAfter);
}

void Exchange::end(RequestOutcome outcome)
{
    m_finished = true;
    m_phase = Phase::Done;
    disarm(Timer::Timeout);
    disarm(Timer::Retry);
    disarm(Timer::Queue);
    if (m_inBulkhead) {
        m_target->bulkhead.leave();
        m_inBulkhead = false;
        m_context.waiters->admit();
    }
    // Recorded before it is counted: whoever sees the count finds the line
    // written with the clock as it was when the exchange ended.
    if (m_context.recorder && m_recordingNumber == m_context.recordingNumber)
        record(outcome); // arrived while this recording ran
    m_service->counters.count(outcome);
    m_service->counters.observeDuration(double(m_requestClock.nsecsElapsed()) / 1e6);
}

// Times from the engine's clock, as the breakers read it: a recording made on
// a stepped clock replays to the same instants.
void Exchange::record(RequestOutcome outcome) const
{
    using record::CallOutcome;
    // What the service's breaker saw: a fallback hides a failure or a rejection.
    CallOutcome call = CallOutcome::Rejected;
    if (outcome == RequestOutcome::Fallback && m_serviceOutcome) {
        constexpr CallOutcome kByOutcome[] = {CallOutcome::Success, CallOutcome::Failure, CallOutcome::Timeout,
                                              CallOutcome::Ignored};
        call = kByOutcome[std::size_t(*m_serviceOutcome)];
    } else if (outcome == RequestOutcome::Success) {
        call = CallOutcome::Success;
    } else if (outcome == RequestOutcome::Failure) {
        call = CallOutcome::Failure;
    } else if (outcome == RequestOutcome::Timeout) {
        call = CallOutcome::Timeout;
    } else if (outcome == RequestOutcome::Ignored || outcome == RequestOutcome::ClientTimeout) {
        call = CallOutcome::Ignored;
    }
    record::RequestLine line;
    line.tMs = toMsF(m_arrival - m_context.recordingStart);
    line.service = m_service->config.name;
    line.outcome = call;
    line.latencyMs = toMsF(m_context.engine->clock().now() - m_arrival);
    line.method = m_request.method;
    line.path = m_request.target;
    line.status = m_status;
    if (m_upstream)
        line.upstream = m_upstream->url.text;
    line.bytes = m_bodyBytes;
    m_context.recorder->append(line);
}

void Exchange::releaseUpstream(bool reuse)
{
    if (!m_upstreamConnection)
        return;
    UpstreamConnection *c = std::exchange(m_upstreamConnection, nullptr);
    c->setListener(nullptr);
    if (!reuse)
        c->abort();
    m_context.pool->release(c);
}

void Exchange::abandon(RequestOutcome counted)
{
    if (m_finished)
        return;
    releaseUpstream(false);
    if (m_queued) {
        m_queued = false;
        m_context.waiters->remove(this);
        m_target->bulkhead.unqueue();
    }
    // The caller left before an answer: the upstream is not to blame, so
    // the breaker hears nothing (a trial permit goes back).
    m_target->breaker->release(m_permit);
    m_permit = Permit{};
    end(counted);
}

} // namespace bb::proxy
