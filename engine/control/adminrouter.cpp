#include "adminrouter.h"

#include "apijson.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QUrl>
#include <QUrlQuery>

#include <algorithm>
#include <cmath>
#include <set>

namespace bb::control {

namespace {
constexpr std::size_t kHistoryLimitMax = 1000;

QJsonArray transitionsJson(const std::vector<TransitionEvent> &events)
{
    QJsonArray a;
    for (const auto &e : events)
        a.append(transitionJson(e));
    return a;
}

// A string field: absent gives fallback; present but not a string is an error.
std::string textField(const QJsonObject &o, const char *key, const std::string &fallback,
                      std::vector<FieldError> &errors)
{
    const QJsonValue v = o.value(QLatin1String(key));
    if (v.isUndefined())
        return fallback;
    if (!v.isString()) {
        errors.push_back({key, "must be a string"});
        return fallback;
    }
    return v.toString().toStdString();
}

std::optional<OperatorAction> actionForState(const QString &state)
{
    if (state == QLatin1String("forced_open"))
        return OperatorAction::ForceOpen;
    if (state == QLatin1String("forced_closed"))
        return OperatorAction::ForceClosed;
    if (state == QLatin1String("disabled"))
        return OperatorAction::Disable;
    if (state == QLatin1String("closed"))
        return OperatorAction::Reset;
    if (state == QLatin1String("half_open"))
        return OperatorAction::HalfOpen;
    return std::nullopt;
}

AdminResponse commandFailure(const CommandResult &result, TargetKind kind, const std::string &name)
{
    if (result.status == CommandResult::Status::NotFound)
        return errorResponse(404, QStringLiteral("no %1 named '%2'")
                                      .arg(kind == TargetKind::Group ? "group" : "breaker", QString::fromStdString(name)));
    return errorResponse(422, QStringLiteral("the request was refused; nothing was changed"), result.errors);
}

// Who acts, and from where: "api PEER", or what the client says it is
// ("gui alice@laptop": a dashboard attached to this instance).
Actor actorOf(const QJsonObject &body, const AdminRequest &request, std::vector<FieldError> &errors)
{
    std::string origin = textField(body, "origin", "api " + request.peer.toStdString(), errors);
    const QString given = QString::fromStdString(origin);
    if (given.isEmpty() || given.size() > 200 ||
        std::any_of(given.begin(), given.end(), [](QChar c) { return !c.isPrint(); })) {
        errors.push_back({"origin", "must be 1 to 200 printable characters"});
        origin.clear();
    }
    return {textField(body, "actor", "admin-api", errors), std::move(origin)};
}
} // namespace

AdminResponse jsonResponse(int status, const QJsonObject &o)
{
    return {status, "application/json", QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n', {}, false};
}

std::optional<QJsonObject> objectBody(const QByteArray &body, AdminResponse &error)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        error = errorResponse(400, QStringLiteral("the body is not valid JSON: %1 at offset %2")
                                       .arg(parseError.errorString())
                                       .arg(parseError.offset));
        return std::nullopt;
    }
    if (!doc.isObject()) {
        error = errorResponse(400, QStringLiteral("the body must be a JSON object"));
        return std::nullopt;
    }
    return doc.object();
}

AdminResponse errorResponse(int status, const QString &message, const std::vector<FieldError> &fields)
{
    QJsonObject o{{"error", message}};
    if (!fields.empty()) {
        QJsonArray a;
        for (const auto &f : fields)
            a.append(QJsonObject{{"field", QString::fromStdString(f.field)}, {"message", QString::fromStdString(f.message)}});
        o.insert("errors", a);
    }
    return jsonResponse(status, o);
}

AdminRouter::AdminRouter(ControlService &control, AdminAccess access, std::function<std::string()> metrics)
    : m_control(control), m_access(std::move(access)), m_metrics(std::move(metrics))
{
}

bool AdminRouter::authorized(const AdminRequest &request) const
{
    static constexpr std::string_view kBearer = "Bearer ";
    if (m_access.token.isEmpty() || request.authorization.rfind(kBearer, 0) != 0)
        return false;
    // Compared as digests: the time taken says nothing about the token.
    const auto digest = [](const QByteArray &v) { return QCryptographicHash::hash(v, QCryptographicHash::Sha256); };
    return digest(QByteArray::fromStdString(request.authorization.substr(kBearer.size()))) == digest(m_access.token);
}

AdminResponse AdminRouter::handle(const AdminRequest &request) const
{
    const QUrl url(QString::fromStdString(request.target));
    if (!url.isValid() || !request.target.starts_with('/'))
        return errorResponse(400, QStringLiteral("the target must be a path such as /api/v1/breakers"));
    const bool mutating = request.method != "GET" && request.method != "HEAD";
    if ((mutating || m_access.tokenForReads) && !authorized(request)) {
        AdminResponse r = errorResponse(401, QStringLiteral("this needs Authorization: Bearer TOKEN "
                                                            "(the admin token; see the startup message)"));
        r.headers.push_back({"WWW-Authenticate", "Bearer"});
        return r;
    }
    QStringList path;
    for (const QString &part : url.path(QUrl::FullyEncoded).split(QLatin1Char('/'), Qt::SkipEmptyParts))
        path << QUrl::fromPercentEncoding(part.toUtf8());
    AdminResponse response = route(request, path, url.query());
    if (request.method == "HEAD")
        response.body.clear();
    return response;
}

AdminResponse AdminRouter::route(const AdminRequest &request, const QStringList &path, const QString &query) const
{
    const std::string &m = request.method;
    const bool get = m == "GET" || m == "HEAD";
    const auto methodNotAllowed = [](const char *allow) {
        AdminResponse r = errorResponse(405, QStringLiteral("method not allowed here; allowed: %1").arg(allow));
        r.headers.push_back({"Allow", allow});
        return r;
    };

    if (path == QStringList{"healthz"})
        return get ? jsonResponse(200, {{"status", "ok"}}) : methodNotAllowed("GET, HEAD");
    if (path == QStringList{"metrics"}) {
        if (!get)
            return methodNotAllowed("GET, HEAD");
        return {200, "text/plain; version=0.0.4; charset=utf-8", QByteArray::fromStdString(m_metrics()), {}, false};
    }
    if (path.size() < 3 || path[0] != QLatin1String("api") || path[1] != QLatin1String("v1"))
        return errorResponse(404, QStringLiteral("no such endpoint; the API is under /api/v1"));

    const QString &collection = path[2];
    if (path.size() == 3 && (collection == QLatin1String("transitions") || collection == QLatin1String("audit")))
        return get ? history(collection == QLatin1String("audit"), query) : methodNotAllowed("GET, HEAD");
    if (path.size() == 3 && collection == QLatin1String("events")) {
        if (!get)
            return methodNotAllowed("GET");
        AdminResponse r{200, "text/event-stream", {}, {{"Cache-Control", "no-cache"}}, true};
        const QUrlQuery q(query);
        if (q.hasQueryItem(QStringLiteral("rate"))) {
            bool ok = false;
            const QString given = q.queryItemValue(QStringLiteral("rate"));
            r.streamRate = given.toDouble(&ok);
            if (!ok || !(r.streamRate >= 0.1 && r.streamRate <= 10.0))
                return errorResponse(400, QStringLiteral("rate: snapshots a second, from 0.1 to 10; got \"%1\"").arg(given));
        }
        return r;
    }
    if (path.size() == 3 && collection == QLatin1String("instance"))
        return get ? jsonResponse(200, instanceWithLink()) : methodNotAllowed("GET, HEAD");
    if (path.size() == 3 && collection == QLatin1String("recording"))
        return recording(request);
    if (collection != QLatin1String("breakers") && collection != QLatin1String("groups"))
        return errorResponse(404, QStringLiteral("no such endpoint: /api/v1/%1").arg(collection));

    const TargetKind kind = collection == QLatin1String("groups") ? TargetKind::Group : TargetKind::Breaker;
    if (path.size() == 3)
        return get ? list(kind) : methodNotAllowed("GET, HEAD");
    const std::string name = path[3].toStdString();
    if (path.size() == 4)
        return get ? one(kind, name) : methodNotAllowed("GET, HEAD");
    if (path.size() == 5 && path[4] == QLatin1String("state"))
        return m == "POST" ? changeState(kind, name, request) : methodNotAllowed("POST");
    if (path.size() == 5 && path[4] == QLatin1String("policy") && kind == TargetKind::Breaker)
        return m == "PATCH" ? editPolicy(name, request) : methodNotAllowed("PATCH");
    return errorResponse(404, QStringLiteral("no such endpoint"));
}

AdminResponse AdminRouter::list(TargetKind kind) const
{
    const auto snapshot = m_control.snapshot();
    QJsonArray items;
    if (kind == TargetKind::Group)
        for (const auto &g : snapshot->groups)
            items.append(groupJson(g));
    else
        for (const auto &b : snapshot->breakers)
            items.append(breakerJson(b));
    return jsonResponse(200, {{"time_ms", double(snapshot->wallMs)}, {kind == TargetKind::Group ? "groups" : "breakers", items}});
}

std::optional<QJsonObject> AdminRouter::described(TargetKind kind, const std::string &name) const
{
    const auto snapshot = m_control.snapshot();
    QJsonObject o;
    if (kind == TargetKind::Group) {
        const GroupSnapshot *g = snapshot->group(name);
        if (!g)
            return std::nullopt;
        o = groupJson(*g);
    } else {
        const BreakerSnapshot *b = snapshot->breaker(name);
        if (!b)
            return std::nullopt;
        o = breakerJson(*b);
    }
    o.insert("time_ms", double(snapshot->wallMs));
    o.insert("transitions", transitionsJson(m_control.recentTransitions(kind, name)));
    return o;
}

AdminResponse AdminRouter::one(TargetKind kind, const std::string &name) const
{
    const auto o = described(kind, name);
    return o ? jsonResponse(200, *o) : commandFailure(CommandResult::notFound(), kind, name);
}

AdminResponse AdminRouter::changeState(TargetKind kind, const std::string &name, const AdminRequest &request) const
{
    AdminResponse bad;
    const auto body = objectBody(request.body, bad);
    if (!body)
        return bad;
    std::vector<FieldError> errors;
    static const std::set<QString> known{"state", "reason", "expires_in_s", "actor", "origin"};
    for (const QString &key : body->keys())
        if (!known.count(key))
            errors.push_back({key.toStdString(), "unknown field; expected state, reason, expires_in_s, actor, origin"});
    OperatorCommand command;
    const QJsonValue state = body->value("state");
    const auto action = state.isString() ? actionForState(state.toString()) : std::nullopt;
    if (action)
        command.action = *action;
    else
        errors.push_back({"state", "must be one of forced_open, forced_closed, disabled, closed, half_open"});
    command.reason = textField(*body, "reason", {}, errors);
    const QJsonValue expires = body->value("expires_in_s");
    if (!expires.isUndefined() && !expires.isNull()) {
        const double s = expires.toDouble(-1);
        if (!expires.isDouble() || !(s >= 1) || s > 30 * 24 * 3600 || std::floor(s) != s)
            errors.push_back({"expires_in_s", "must be a whole number of seconds from 1 to 2592000 (30 days)"});
        else
            command.expiresIn = std::chrono::seconds(std::int64_t(s));
    }
    const Actor actor = actorOf(*body, request, errors);
    if (!errors.empty())
        return errorResponse(422, QStringLiteral("the request was refused; nothing was changed"), errors);

    const CommandResult result = m_control.changeState(kind, name, command, actor);
    return result.ok() ? one(kind, name) : commandFailure(result, kind, name);
}

AdminResponse AdminRouter::editPolicy(const std::string &name, const AdminRequest &request) const
{
    AdminResponse bad;
    auto body = objectBody(request.body, bad);
    if (!body)
        return bad;
    std::vector<FieldError> errors;
    WindowEdit edit = WindowEdit::Keep;
    const QString apply = QString::fromStdString(textField(*body, "apply", "keep_window", errors));
    if (apply == QLatin1String("reset_window"))
        edit = WindowEdit::Reset;
    else if (apply != QLatin1String("keep_window"))
        errors.push_back({"apply", "must be keep_window or reset_window"});
    const std::string reason = textField(*body, "reason", {}, errors);
    const Actor actor = actorOf(*body, request, errors);
    for (const char *key : {"apply", "reason", "actor", "origin"})
        body->remove(QLatin1String(key));
    if (body->isEmpty())
        errors.push_back({"body", "names no policy key to change"});
    if (!errors.empty())
        return errorResponse(422, QStringLiteral("the request was refused; nothing was changed"), errors);

    const std::string editText = QJsonDocument(*body).toJson(QJsonDocument::Compact).toStdString();
    const CommandResult result = m_control.editPolicy(name, editText, edit, reason, actor);
    if (!result.ok())
        return commandFailure(result, TargetKind::Breaker, name);
    QJsonObject o = described(TargetKind::Breaker, name).value_or(QJsonObject{});
    o.insert("window_reset", result.windowReset);
    if (!result.warning.isEmpty())
        o.insert("warning", result.warning);
    return jsonResponse(200, o);
}

QJsonObject AdminRouter::instanceWithLink() const
{
    QJsonObject o = instanceJson();
    if (const SharedStateSource *shared = m_control.sharedState())
        o.insert("shared_state", sharedStateJson(shared->sharedState()));
    return o;
}

AdminResponse AdminRouter::history(bool audit, const QString &query) const
{
    const QUrlQuery q(query);
    std::size_t limit = 100;
    if (q.hasQueryItem("limit")) {
        bool ok = false;
        const uint value = q.queryItemValue("limit").toUInt(&ok);
        if (!ok || value == 0 || value > kHistoryLimitMax)
            return errorResponse(400, QStringLiteral("limit must be a whole number from 1 to %1").arg(kHistoryLimitMax));
        limit = value;
    }
    if (!audit)
        return jsonResponse(200, {{"transitions", transitionsJson(m_control.transitions(limit))}});
    const QString scope = q.queryItemValue("scope");
    if (q.hasQueryItem("scope") && scope != QLatin1String("instance") && scope != QLatin1String("cluster"))
        return errorResponse(400, QStringLiteral("scope must be instance or cluster"));
    const bool cluster = scope == QLatin1String("cluster");
    if (cluster && !m_control.sharedState())
        return errorResponse(409, QStringLiteral("this instance shares no state: it has no cluster audit"));
    QJsonArray entries;
    for (const auto &e : cluster ? m_control.sharedState()->clusterAudit(limit) : m_control.audit(limit)) {
        QJsonObject o = e.toJson();
        if (!e.instance.empty())
            o.insert("instance", QString::fromStdString(e.instance));
        entries.append(o);
    }
    return jsonResponse(200, {{"audit", entries}});
}

} // namespace bb::control
