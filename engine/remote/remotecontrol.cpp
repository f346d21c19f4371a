#include "remotecontrol.h"

#include "fleetmerge.h"

#include "control/apijson.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkReply>
#include <QSysInfo>

#include <algorithm>
#include <cmath>

namespace bb::remote {

using control::CommandResult;
using control::LinkStatus;

namespace {
QString pathOf(control::TargetKind kind, const std::string &name, const char *then = nullptr)
{
    QString path = QStringLiteral("/api/v1/%1/%2")
                       .arg(kind == control::TargetKind::Group ? "groups" : "breakers",
                            QString::fromLatin1(QUrl::toPercentEncoding(QString::fromStdString(name))));
    if (then)
        path += QLatin1Char('/') + QLatin1String(then);
    return path;
}

const char *stateFor(OperatorAction a)
{
    switch (a) {
    case OperatorAction::ForceOpen: return "forced_open";
    case OperatorAction::ForceClosed: return "forced_closed";
    case OperatorAction::Disable: return "disabled";
    case OperatorAction::Reset: return "closed";
    case OperatorAction::HalfOpen: return "half_open";
    }
    return "closed";
}

// Who acts, as the instance's audit log keeps it: the operator, and
// "gui USER@HOST" as the origin.
void putActor(QJsonObject &body, const control::Actor &actor)
{
    body.insert("actor", QString::fromStdString(actor.name));
    body.insert("origin", QStringLiteral("%1 %2@%3")
                              .arg(QString::fromStdString(actor.origin), QString::fromStdString(actor.name),
                                   QSysInfo::machineHostName()));
}

CommandResult resultOf(const Reply &r)
{
    CommandResult result;
    const QJsonObject o = r.json();
    if (r.ok()) {
        result.windowReset = o.value("window_reset").toBool();
        result.warning = o.value("warning").toString();
        return result;
    }
    if (r.status == 404 && r.problem == LinkProblem::Http) {
        result.status = CommandResult::Status::NotFound;
        return result;
    }
    if (r.status == 422) {
        result.status = CommandResult::Status::Invalid;
        for (const QJsonValue &e : o.value("errors").toArray())
            result.errors.push_back({e["field"].toString().toStdString(), e["message"].toString().toStdString()});
        if (result.errors.empty())
            result.errors.push_back({"", o.value("error").toString().toStdString()});
        return result;
    }
    return CommandResult::unreachable(r.message.isEmpty() ? QStringLiteral("answered %1").arg(r.status) : r.message);
}

control::RecordingStatus recordingOf(const Reply &r)
{
    control::RecordingStatus s;
    const QJsonObject o = r.json();
    s.available = r.status != 409 || !o.value("error").toString().contains(QLatin1String("no proxy"));
    if (!r.ok()) {
        s.error = o.value("error").toString();
        if (s.error.isEmpty())
            s.error = r.message;
        return s;
    }
    s.active = o.value("recording").toBool();
    s.path = o.value("path").toString();
    s.lines = quint64(std::max(0.0, o.value("lines").toDouble()));
    s.error = o.value("write_error").toString();
    return s;
}

template <typename T, typename Read> std::vector<T> readEach(const QJsonArray &items, Read read)
{
    std::vector<T> out;
    for (const QJsonValue &v : items)
        if (auto item = read(v.toObject()))
            out.push_back(std::move(*item));
    return out;
}
} // namespace

RemoteDashboardControl::RemoteDashboardControl(Instance instance, QObject *parent)
    : DashboardControl(parent), m_client(std::move(instance), this), m_random(std::random_device{}())
{
    m_retry.setSingleShot(true);
    m_silence.setSingleShot(true);
    connect(&m_retry, &QTimer::timeout, this, &RemoteDashboardControl::connectToInstance);
    connect(&m_silence, &QTimer::timeout, this, [this] {
        lost({0, {}, LinkProblem::Unreachable,
              QStringLiteral("%1 went silent").arg(this->instance().url.authority())});
    });
}

RemoteDashboardControl::~RemoteDashboardControl()
{
    if (m_stream) {
        disconnect(m_stream, nullptr, this, nullptr);
        m_stream->abort();
    }
}

void RemoteDashboardControl::start() { connectToInstance(); }

LinkStatus RemoteDashboardControl::link() const
{
    LinkStatus now = m_link;
    if (now.state == LinkStatus::State::Reconnecting && m_retry.isActive())
        now.nextTryInMs = m_retry.remainingTime();
    return now;
}

void RemoteDashboardControl::setLink(LinkStatus link)
{
    if (link == m_link)
        return;
    m_link = std::move(link);
    emit linkChanged(m_link);
}

void RemoteDashboardControl::connectToInstance()
{
    if (!m_client.problem().isEmpty()) {
        // Nothing will be sent until the files or the URL change: no retry.
        setLink({LinkStatus::State::Failed, describe(m_client.problemKind()), m_client.problem(), -1});
        return;
    }
    LinkStatus link = m_link;
    link.state = m_failures == 0 ? LinkStatus::State::Connecting : LinkStatus::State::Reconnecting;
    link.nextTryInMs = -1;
    setLink(link);
    m_client.identify([this](const Reply &r) {
        if (r.ok())
            openStream();
        else
            lost(r);
    });
}

void RemoteDashboardControl::openStream()
{
    QNetworkRequest request = m_client.request(QStringLiteral("/api/v1/events?rate=%1").arg(m_rate));
    request.setRawHeader("Accept", "text/event-stream");
    if (!m_lastEventId.isEmpty())
        request.setRawHeader("Last-Event-ID", m_lastEventId);
    m_heardSnapshot = false;
    m_parser = std::make_unique<EventStreamParser>([this](const StreamEvent &e) { onEvent(e); });
    m_stream = m_client.network().get(request);
    // Quiet for longer than a few of its updates: the instance is gone.
    const int silence = std::max(kSilenceMs, int(2500.0 / m_rate));
    m_silence.start(silence);
    connect(m_stream, &QNetworkReply::readyRead, this, [this, silence] {
        m_silence.start(silence);
        QNetworkReply *reply = m_stream;
        if (reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() != 200)
            return; // finished() says why
        const QByteArray bytes = reply->readAll();
        m_streamBytes += quint64(bytes.size());
        if (!m_parser->feed(bytes))
            lost({0, {}, LinkProblem::NotBreakerboard, QStringLiteral("the event stream sent an event too large to hold")});
    });
    connect(m_stream, &QNetworkReply::finished, this, &RemoteDashboardControl::streamEnded);
}

void RemoteDashboardControl::streamEnded()
{
    QNetworkReply *reply = m_stream;
    if (!reply)
        return;
    Reply why = AdminClient::replyOf(reply);
    if (why.ok() || why.problem == LinkProblem::None)
        why = {why.status, {}, LinkProblem::Unreachable,
               QStringLiteral("%1 ended the event stream").arg(instance().url.authority())};
    lost(why);
}

void RemoteDashboardControl::lost(const Reply &why)
{
    m_silence.stop();
    if (m_stream) {
        QNetworkReply *reply = m_stream;
        m_stream = nullptr;
        disconnect(reply, nullptr, this, nullptr);
        reply->abort();
        reply->deleteLater();
    }
    m_heardSnapshot = false;
    ++m_failures;
    const int base = std::min(kMaxRetryMs, kFirstRetryMs << std::min(m_failures - 1, 10));
    const int wait = int(base * std::uniform_real_distribution<double>(0.8, 1.2)(m_random));
    m_retry.start(wait);
    setLink({LinkStatus::State::Reconnecting, describe(why.problem), why.message, wait});
}

void RemoteDashboardControl::onEvent(const StreamEvent &event)
{
    if (!m_stream)
        return; // the rest of a stream already given up (a malformed event before it)
    const QJsonDocument doc = QJsonDocument::fromJson(event.data);
    const QJsonObject data = doc.object();
    const auto malformed = [this, &event] {
        lost({0, {}, LinkProblem::NotBreakerboard,
              QStringLiteral("the event stream sent a malformed %1 event").arg(QString::fromLatin1(event.type))});
    };
    if (!doc.isObject())
        return malformed();
    if (event.type == "snapshot" || event.type == "update") {
        const bool whole = event.type == "snapshot";
        if (!(whole ? m_state.replace(data) : m_heardSnapshot && m_state.update(data)))
            return malformed();
        if (whole && !m_heardSnapshot) {
            m_heardSnapshot = true;
            m_failures = 0;
            setLink({LinkStatus::State::Connected, {}, {}, -1});
        }
        emit observed(m_state.observation());
    } else if (event.type == "transition") {
        const auto e = control::transitionFromJson(data);
        if (!e)
            return malformed();
        m_lastEventId = event.id;
        emit transitioned(*e);
    } else if (event.type == "operator_action") {
        const auto e = persist::AuditEntry::fromJson(data);
        if (!e)
            return malformed();
        m_lastEventId = event.id;
        emit audited(*e);
    } else if (event.type == "gap") {
        // What happened meanwhile is not all there: start again from the history.
        emit replaced();
    }
}

template <typename T, typename Read>
control::Answer<T> RemoteDashboardControl::ask(const QString &what, const QByteArray &method, const QString &path,
                                               const QJsonObject &body, Read read)
{
    auto [ticket, answer] = issue<T>(what);
    auto done = [this, t = ticket, read = std::move(read)](const Reply &r) { this->answer(t, T(read(r))); };
    if (method == "GET")
        m_client.get(path, std::move(done));
    else
        m_client.send(method, path, body, std::move(done));
    return answer;
}

control::Answer<CommandResult> RemoteDashboardControl::changeState(control::TargetKind kind, const std::string &name,
                                                                   OperatorCommand command, control::Actor actor,
                                                                   control::Scope)
{
    QJsonObject body{{"state", stateFor(command.action)}, {"reason", QString::fromStdString(command.reason)}};
    if (command.expiresIn)
        body.insert("expires_in_s", double(std::chrono::duration_cast<std::chrono::seconds>(*command.expiresIn).count()));
    putActor(body, actor);
    return ask<CommandResult>(QStringLiteral("%1 %2").arg(QLatin1String(stateFor(command.action)), QString::fromStdString(name)),
                              "POST", pathOf(kind, name, "state"), body, resultOf);
}

control::Answer<CommandResult> RemoteDashboardControl::editPolicy(const std::string &name, const std::string &editText,
                                                                  WindowEdit edit, const std::string &reason,
                                                                  control::Actor actor, control::Scope)
{
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(editText));
    QJsonObject body = doc.object();
    body.insert("apply", edit == WindowEdit::Reset ? "reset_window" : "keep_window");
    body.insert("reason", QString::fromStdString(reason));
    putActor(body, actor);
    const QString what = QStringLiteral("editing the policy of %1").arg(QString::fromStdString(name));
    if (!doc.isObject()) {
        auto [ticket, answer] = issue<CommandResult>(what);
        QMetaObject::invokeMethod(this, [this, t = ticket] {
            this->answer(t, CommandResult{CommandResult::Status::Invalid, {{"body", "the edit must be a JSON object"}}, false, {}, {}, {}});
        }, Qt::QueuedConnection);
        return answer;
    }
    return ask<CommandResult>(what, "PATCH", pathOf(control::TargetKind::Breaker, name, "policy"), body, resultOf);
}

control::Answer<Configuration> RemoteDashboardControl::configuration()
{
    const auto o = m_state.observation();
    Configuration config = o ? configurationOf(*o->engine) : Configuration{};
    auto [ticket, answer] = issue<Configuration>(QStringLiteral("reading the configuration"));
    QMetaObject::invokeMethod(this, [this, t = ticket, config = std::move(config)] { this->answer(t, config); },
                              Qt::QueuedConnection);
    return answer;
}

control::Answer<std::vector<TransitionEvent>> RemoteDashboardControl::recentTransitions(control::TargetKind kind,
                                                                                        const std::string &name)
{
    return ask<std::vector<TransitionEvent>>(
        QStringLiteral("reading the transitions of %1").arg(QString::fromStdString(name)), "GET", pathOf(kind, name), {},
        [](const Reply &r) {
            return readEach<TransitionEvent>(r.json().value("transitions").toArray(), control::transitionFromJson);
        });
}

control::Answer<control::History> RemoteDashboardControl::history(std::size_t limit)
{
    auto [ticket, answer] = issue<control::History>(QStringLiteral("reading the history"));
    const QString query = QStringLiteral("?limit=%1").arg(std::clamp<std::size_t>(limit, 1, 1000));
    m_client.get(QStringLiteral("/api/v1/transitions") + query, [this, t = ticket, query](const Reply &transitions) {
        m_client.get(QStringLiteral("/api/v1/audit") + query, [this, t, transitions](const Reply &audit) {
            control::History h;
            h.transitions = readEach<TransitionEvent>(transitions.json().value("transitions").toArray(),
                                                      control::transitionFromJson);
            h.audit = readEach<persist::AuditEntry>(audit.json().value("audit").toArray(), persist::AuditEntry::fromJson);
            this->answer(t, std::move(h));
        });
    });
    return answer;
}

control::Answer<control::RecordingStatus> RemoteDashboardControl::recording()
{
    return ask<control::RecordingStatus>(QStringLiteral("asking about the recording"), "GET",
                                         QStringLiteral("/api/v1/recording"), {}, recordingOf);
}

control::Answer<control::RecordingStatus> RemoteDashboardControl::startRecording(const QString &path)
{
    return ask<control::RecordingStatus>(QStringLiteral("starting the recording"), "POST",
                                         QStringLiteral("/api/v1/recording"),
                                         {{"file", QFileInfo(path).fileName()}}, recordingOf);
}

control::Answer<control::RecordingStatus> RemoteDashboardControl::stopRecording()
{
    return ask<control::RecordingStatus>(QStringLiteral("stopping the recording"), "DELETE",
                                         QStringLiteral("/api/v1/recording"), {}, recordingOf);
}

} // namespace bb::remote
