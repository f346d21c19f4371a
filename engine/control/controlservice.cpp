#include "controlservice.h"

#include "persist/forcedstates.h"
#include "persist/statedirectory.h"

#include <QFile>
#include <QMetaMethod>

namespace bb::control {

namespace {
template <typename T> void pushBounded(std::deque<T> &d, T value, std::size_t limit)
{
    d.push_back(std::move(value));
    while (d.size() > limit)
        d.pop_front();
}

template <typename T> std::vector<T> lastOf(const std::deque<T> &d, std::size_t limit)
{
    const std::size_t n = std::min(limit, d.size());
    return {d.end() - std::ptrdiff_t(n), d.end()};
}

std::vector<FieldError> fieldErrors(const std::vector<PolicyError> &errors)
{
    std::vector<FieldError> out;
    for (const auto &e : errors)
        out.push_back({e.field, e.message});
    return out;
}

// The key a configuration message is about: the one an "unknown key" names,
// else the message's first word ("half_open.permitted_calls must be ...").
std::string fieldOf(const std::string &message)
{
    const std::string unknown = "unknown key '";
    if (message.rfind(unknown, 0) == 0)
        return message.substr(unknown.size(), message.find('\'', unknown.size()) - unknown.size());
    const std::string first = message.substr(0, message.find(' '));
    const bool isKey = !first.empty() && first.find_first_not_of("abcdefghijklmnopqrstuvwxyz_.") == std::string::npos;
    return isKey && first != "a" && first != "the" ? first : "body";
}
} // namespace

ControlService::ControlService(Engine &engine, Configuration config, QObject *parent)
    : QObject(parent), m_engine(engine), m_config(std::move(config)), m_sampler(this),
      m_snapshot(std::make_shared<EngineSnapshot>(engine.snapshot()))
{
    qRegisterMetaType<bb::TransitionEvent>("bb::TransitionEvent");
    qRegisterMetaType<bb::persist::AuditEntry>("bb::persist::AuditEntry");
    qRegisterMetaType<std::shared_ptr<const bb::EngineSnapshot>>("std::shared_ptr<const bb::EngineSnapshot>");
    qRegisterMetaType<std::shared_ptr<const bb::control::Observation>>(
        "std::shared_ptr<const bb::control::Observation>");
    connect(&m_sampler, &QTimer::timeout, this, &ControlService::sample);
    m_sampler.start(100);
}

ControlService::~ControlService() = default;

std::string ControlService::targetName(TargetKind kind, const std::string &name)
{
    return (kind == TargetKind::Group ? "group/" : "breaker/") + name;
}

void ControlService::sample()
{
    for (auto &event : m_engine.drainEvents()) {
        pushBounded(m_transitions[targetName(event.isGroup ? TargetKind::Group : TargetKind::Breaker, event.subject)],
                    event, kHistory);
        pushBounded(m_allTransitions, event, kHistory * 20);
        emit transitioned(event);
    }
    m_snapshot = std::make_shared<EngineSnapshot>(m_engine.snapshot());
    saveForcedStates();
    emit sampled(m_snapshot);
    if (isSignalConnected(QMetaMethod::fromSignal(&ControlService::observed))) {
        auto observation = std::make_shared<Observation>();
        observation->engine = m_snapshot;
        observation->traffic = traffic();
        if (m_shared)
            observation->sharedState = m_shared->sharedState();
        emit observed(std::move(observation));
    }
}

std::vector<TransitionEvent> ControlService::recentTransitions(TargetKind kind, const std::string &name) const
{
    const auto it = m_transitions.find(targetName(kind, name));
    return it == m_transitions.end() ? std::vector<TransitionEvent>{} : lastOf(it->second, kHistory);
}

std::vector<TransitionEvent> ControlService::transitions(std::size_t limit) const
{
    return lastOf(m_allTransitions, limit);
}

std::vector<persist::AuditEntry> ControlService::audit(std::size_t limit) const
{
    return lastOf(m_audit, limit);
}

void ControlService::record(persist::AuditEntry entry)
{
    entry.wallMs = m_engine.clock().wallMs(m_engine.clock().now());
    if (m_auditLog && !m_auditLog->append(entry))
        qWarning("%s", qPrintable(m_auditLog->errorString()));
    pushBounded(m_audit, entry, kAuditKept);
    emit audited(entry);
}

std::optional<std::vector<PolicyError>> ControlService::applyTo(TargetKind kind, const std::string &name,
                                                                 const OperatorCommand &command)
{
    if (kind == TargetKind::Group) {
        const auto group = m_engine.group(name);
        return group ? std::optional(group->apply(command)) : std::nullopt;
    }
    const auto breaker = m_engine.breaker(name);
    return breaker ? std::optional(breaker->apply(command)) : std::nullopt;
}

CommandResult ControlService::changeState(TargetKind kind, const std::string &name, OperatorCommand command,
                                          const Actor &actor)
{
    command.actor = actor.name;
    const auto errors = applyTo(kind, name, command);
    if (!errors)
        return CommandResult::notFound();
    if (!errors->empty())
        return {CommandResult::Status::Invalid, fieldErrors(*errors), false, {}, {}, {}};
    std::optional<std::int64_t> expires;
    if (command.expiresIn)
        expires = toMs(*command.expiresIn) / 1000;
    record({0, actor.name, actor.origin, targetName(kind, name), std::string(nameOf(command.action)), command.reason,
            expires, {}, {}});
    sample();
    return {};
}

CommandResult ControlService::editPolicy(const std::string &name, const std::string &editText, WindowEdit edit,
                                         const std::string &reason, const Actor &actor)
{
    const auto breaker = m_engine.breaker(name);
    ServiceConfig *service = m_config.service(name);
    if (!breaker || !service)
        return CommandResult::notFound();

    CommandResult result;
    PolicyEditResult edited = applyPolicyEdit(*service, editText);
    for (const auto &e : edited.errors)
        result.errors.push_back({fieldOf(e.message), e.message});
    if (edited.service) {
        const PolicyUpdate update = breaker->updatePolicy(edited.service->policy, edit);
        result.errors = fieldErrors(update.errors);
        result.windowReset = update.windowReset;
    }
    if (!result.errors.empty()) {
        result.status = CommandResult::Status::Invalid;
        return result;
    }
    *service = std::move(*edited.service);
    if (!m_files.policyOverlay.isEmpty()) {
        m_overlay.merge(name, editText);
        QString error;
        if (!m_overlay.save(m_files.policyOverlay, &error))
            result.warning = error;
    }
    record({0, actor.name, actor.origin, targetName(TargetKind::Breaker, name), "edit_policy", reason, std::nullopt,
            editText + (result.windowReset ? " (window reset)" : " (window kept)"), {}});
    emit policyChanged(name, actor, reason);
    sample();
    return result;
}

QStringList ControlService::persistTo(const StateFiles &files)
{
    QStringList notes;
    m_files = files;
    if (!files.policyOverlay.isEmpty())
        for (const auto &issue : m_overlay.load(files.policyOverlay))
            notes << QString::fromStdString(issue.toString());
    if (!files.auditLog.isEmpty()) {
        m_auditLog = std::make_unique<persist::AuditLog>(files.auditLog);
        if (!m_auditLog->isOpen())
            notes << m_auditLog->errorString();
        const auto tail = m_auditLog->readTail(kAuditKept);
        m_audit.assign(tail.entries.begin(), tail.entries.end());
        if (tail.unreadableLines > 0)
            notes << QStringLiteral("%1: skipped %2 unreadable line(s)").arg(files.auditLog).arg(tail.unreadableLines);
    }
    if (!files.forcedStates.isEmpty())
        restoreForcedStates(notes);
    sample();
    return notes;
}

void ControlService::restoreForcedStates(QStringList &notes)
{
    const persist::ForcedStatesFile saved = persist::loadForcedStates(m_files.forcedStates);
    if (!saved.error.isEmpty()) {
        notes << saved.error;
        // Kept for a person to look at; a fresh file takes its place.
        QFile::remove(m_files.forcedStates + QStringLiteral(".unreadable"));
        QFile::rename(m_files.forcedStates, m_files.forcedStates + QStringLiteral(".unreadable"));
    }
    const std::int64_t nowMs = m_engine.clock().wallMs(m_engine.clock().now());
    // Groups first: a group's force must not undo a member's own.
    for (const bool groups : {true, false}) {
        for (const auto &f : saved.states) {
            if (f.isGroup != groups)
                continue;
            const QString what = QStringLiteral("%1 %2").arg(f.isGroup ? "group" : "breaker", QString::fromStdString(f.name));
            if (f.expiresAtMs && *f.expiresAtMs <= nowMs) {
                notes << QStringLiteral("%1: its %2 expired while stopped").arg(what, nameOf(f.action).data());
                continue;
            }
            OperatorCommand c{f.action, f.actor, f.reason, std::nullopt};
            if (f.expiresAtMs)
                c.expiresIn = std::max<Duration>(std::chrono::milliseconds(*f.expiresAtMs - nowMs), std::chrono::seconds(1));
            const auto applied = applyTo(f.isGroup ? TargetKind::Group : TargetKind::Breaker, f.name, c);
            const std::vector<PolicyError> errors =
                applied ? *applied : std::vector<PolicyError>{{"name", "not in the configuration"}};
            if (errors.empty())
                notes << QStringLiteral("%1: %2 again (%3: %4)")
                             .arg(what, nameOf(f.action).data(), QString::fromStdString(f.actor),
                                  QString::fromStdString(f.reason));
            else
                notes << QStringLiteral("%1: cannot restore its %2: %3")
                             .arg(what, nameOf(f.action).data(), QString::fromStdString(errors.front().message));
        }
    }
}

void ControlService::saveForcedStates()
{
    if (m_files.forcedStates.isEmpty())
        return;
    const QByteArray encoded = persist::encodeForcedStates(persist::forcedStatesOf(*m_snapshot));
    if (encoded == m_savedForced)
        return;
    QString error;
    if (persist::writeFileAtomically(m_files.forcedStates, encoded, &error))
        m_savedForced = encoded;
    else
        qWarning("%s", qPrintable(error));
}

} // namespace bb::control
