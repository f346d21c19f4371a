#include "fleetcontrol.h"

#include "fleetmerge.h"

#include <algorithm>

namespace bb::remote {

using control::CommandResult;

namespace {
bool has(const control::Observation &o, control::TargetKind kind, const std::string &name)
{
    return kind == control::TargetKind::Group ? o.engine->group(name) != nullptr : o.engine->breaker(name) != nullptr;
}

// Ok when every instance did it; otherwise the first instance's failure,
// and always what each one answered.
CommandResult together(const std::vector<std::pair<std::string, CommandResult>> &answers)
{
    CommandResult all;
    for (const auto &[instance, r] : answers) {
        if (!r.ok() && all.ok()) {
            all.status = r.status;
            all.errors = r.errors;
            all.unavailable = QStringLiteral("%1: %2").arg(QString::fromStdString(instance), r.unavailable);
        }
        all.windowReset |= r.windowReset;
        if (!r.warning.isEmpty())
            all.warning += QStringLiteral("%1: %2\n").arg(QString::fromStdString(instance), r.warning);
        all.instances.push_back({instance, r});
    }
    all.warning = all.warning.trimmed();
    return all;
}
} // namespace

FleetControl::FleetControl(QObject *parent) : DashboardControl(parent)
{
    m_publish.setSingleShot(true);
    m_publish.setInterval(kPublishMs);
    connect(&m_publish, &QTimer::timeout, this, [this] { emit observed(merged()); });
    connect(&m_linkClock, &QTimer::timeout, this, [this] {
        if (std::any_of(m_members.begin(), m_members.end(),
                        [](const auto &m) { return m->link().state != control::LinkStatus::State::Connected; }))
            schedulePublish();
    });
    m_linkClock.start(1000);
}

FleetControl::~FleetControl() = default;

QString FleetControl::add(Instance instance, double rate)
{
    for (const auto &m : m_members) {
        if (m->instance().name == instance.name)
            return QStringLiteral("an instance named %1 is already attached").arg(instance.name);
        if (m->instance().url == instance.url)
            return QStringLiteral("%1 is already attached").arg(instance.url.toString());
    }
    auto member = std::make_unique<RemoteDashboardControl>(std::move(instance));
    RemoteDashboardControl *m = member.get();
    const std::string name = m->instance().name.toStdString();
    connect(m, &RemoteDashboardControl::observed, this, &FleetControl::schedulePublish);
    connect(m, &RemoteDashboardControl::linkChanged, this, &FleetControl::schedulePublish);
    connect(m, &RemoteDashboardControl::transitioned, this, [this, name](TransitionEvent e) {
        e.instance = name;
        emit transitioned(e);
    });
    connect(m, &RemoteDashboardControl::audited, this, [this, name](persist::AuditEntry e) {
        e.instance = name;
        emit audited(e);
    });
    connect(m, &RemoteDashboardControl::replaced, this, &FleetControl::replaced);
    m->setRate(rate);
    m_members.push_back(std::move(member));
    m->start();
    schedulePublish();
    return {};
}

void FleetControl::schedulePublish()
{
    if (!m_publish.isActive())
        m_publish.start();
}

std::shared_ptr<const control::Observation> FleetControl::merged() const
{
    std::vector<control::InstanceView> views;
    views.reserve(m_members.size());
    for (const auto &m : m_members)
        views.push_back({m->instance().name.toStdString(), m->instance().url.toString(), m->link(),
                         m->lastObservation()});
    return mergeFleet(std::move(views));
}

std::vector<RemoteDashboardControl *> FleetControl::all() const
{
    std::vector<RemoteDashboardControl *> out;
    for (const auto &m : m_members)
        out.push_back(m.get());
    return out;
}

std::vector<RemoteDashboardControl *> FleetControl::targets(control::TargetKind kind, const std::string &name,
                                                            const control::Scope &scope) const
{
    std::vector<RemoteDashboardControl *> out;
    for (const auto &m : m_members) {
        const std::string instance = m->instance().name.toStdString();
        if (!scope.instances.empty()) {
            if (std::find(scope.instances.begin(), scope.instances.end(), instance) != scope.instances.end())
                out.push_back(m.get());
            continue;
        }
        // Those that have it, by what they said last: one that is down is
        // asked all the same, and its failure shown.
        const auto o = m->lastObservation();
        if (o && has(*o, kind, name))
            out.push_back(m.get());
    }
    return out;
}

template <typename Each, typename T, typename Ask, typename Merge>
control::Answer<T> FleetControl::fanOut(const QString &what, const std::vector<RemoteDashboardControl *> &members,
                                        Ask ask, Merge merge)
{
    auto [ticket, answer] = issue<T>(what);
    // Each member answers in its own time; the last answer answers the command,
    // with the answers in the fleet's order.
    auto answers = std::make_shared<std::vector<std::optional<std::pair<std::string, Each>>>>(members.size());
    auto left = std::make_shared<std::size_t>(members.size());
    const auto finish = [this, t = ticket, answers, merge] {
        std::vector<std::pair<std::string, Each>> all;
        for (auto &a : *answers)
            if (a)
                all.push_back(std::move(*a));
        this->answer(t, T(merge(all)));
    };
    if (members.empty())
        QMetaObject::invokeMethod(this, finish, Qt::QueuedConnection);
    for (std::size_t i = 0; i < members.size(); ++i) {
        ask(*members[i]).then(this, [answers, left, finish, i, name = members[i]->instance().name.toStdString()](
                                        const Each &e) {
            (*answers)[i].emplace(name, e);
            if (--*left == 0)
                finish();
        });
    }
    return answer;
}

control::Answer<CommandResult> FleetControl::changeState(control::TargetKind kind, const std::string &name,
                                                         OperatorCommand command, control::Actor actor,
                                                         control::Scope scope)
{
    const auto members = targets(kind, name, scope);
    return fanOut<CommandResult, CommandResult>(
        QStringLiteral("%1 %2 on %3 instances")
            .arg(QString::fromUtf8(nameOf(command.action).data(), qsizetype(nameOf(command.action).size())),
                 QString::fromStdString(name))
            .arg(members.size()),
        members, [=](RemoteDashboardControl &m) { return m.changeState(kind, name, command, actor); },
        [](const auto &answers) { return answers.empty() ? CommandResult::notFound() : together(answers); });
}

control::Answer<CommandResult> FleetControl::editPolicy(const std::string &name, const std::string &editText,
                                                        WindowEdit edit, const std::string &reason,
                                                        control::Actor actor, control::Scope scope)
{
    const auto members = targets(control::TargetKind::Breaker, name, scope);
    return fanOut<CommandResult, CommandResult>(
        QStringLiteral("editing the policy of %1 on %2 instances").arg(QString::fromStdString(name)).arg(members.size()),
        members, [=](RemoteDashboardControl &m) { return m.editPolicy(name, editText, edit, reason, actor); },
        [](const auto &answers) { return answers.empty() ? CommandResult::notFound() : together(answers); });
}

control::Answer<Configuration> FleetControl::configuration()
{
    auto [ticket, answer] = issue<Configuration>(QStringLiteral("reading the configuration"));
    QMetaObject::invokeMethod(this, [this, t = ticket] { this->answer(t, configurationOf(*merged()->engine)); },
                              Qt::QueuedConnection);
    return answer;
}

namespace {
// Each instance's events, marked with it, in the order they happened.
template <typename Event> std::vector<Event> interleaved(std::vector<std::pair<std::string, std::vector<Event>>> all)
{
    std::vector<Event> out;
    for (auto &[instance, events] : all)
        for (Event &e : events) {
            e.instance = instance;
            out.push_back(std::move(e));
        }
    std::stable_sort(out.begin(), out.end(), [](const Event &a, const Event &b) { return a.wallMs < b.wallMs; });
    return out;
}
} // namespace

control::Answer<std::vector<TransitionEvent>> FleetControl::recentTransitions(control::TargetKind kind,
                                                                              const std::string &name)
{
    return fanOut<std::vector<TransitionEvent>, std::vector<TransitionEvent>>(
        QStringLiteral("reading the transitions of %1").arg(QString::fromStdString(name)), targets(kind, name, {}),
        [=](RemoteDashboardControl &m) { return m.recentTransitions(kind, name); },
        [](const auto &answers) { return interleaved(answers); });
}

control::Answer<control::History> FleetControl::history(std::size_t limit)
{
    return fanOut<control::History, control::History>(
        QStringLiteral("reading the history"), all(), [=](RemoteDashboardControl &m) { return m.history(limit); },
        [limit](const auto &answers) {
            std::vector<std::pair<std::string, std::vector<TransitionEvent>>> transitions;
            std::vector<std::pair<std::string, std::vector<persist::AuditEntry>>> audit;
            for (const auto &[instance, h] : answers) {
                transitions.emplace_back(instance, h.transitions);
                audit.emplace_back(instance, h.audit);
            }
            control::History h{interleaved(std::move(transitions)), interleaved(std::move(audit))};
            const auto keepLast = [limit](auto &v) {
                if (v.size() > limit)
                    v.erase(v.begin(), v.end() - std::ptrdiff_t(limit));
            };
            keepLast(h.transitions);
            keepLast(h.audit);
            return h;
        });
}

namespace {
// Recording over a fleet: active when any instance records; what went wrong
// on each, one line an instance.
control::RecordingStatus recordingTogether(const std::vector<std::pair<std::string, control::RecordingStatus>> &answers)
{
    control::RecordingStatus all;
    QStringList paths, errors;
    for (const auto &[instance, s] : answers) {
        all.available |= s.available;
        all.active |= s.active;
        all.lines += s.lines;
        if (!s.path.isEmpty())
            paths << QStringLiteral("%1: %2").arg(QString::fromStdString(instance), s.path);
        if (!s.error.isEmpty())
            errors << QStringLiteral("%1: %2").arg(QString::fromStdString(instance), s.error);
    }
    all.path = paths.join(QStringLiteral(", "));
    all.error = errors.join(QLatin1Char('\n'));
    return all;
}
} // namespace

control::Answer<control::RecordingStatus> FleetControl::recording()
{
    return fanOut<control::RecordingStatus, control::RecordingStatus>(
        QStringLiteral("asking about the recording"), all(), [](RemoteDashboardControl &m) { return m.recording(); },
        recordingTogether);
}

control::Answer<control::RecordingStatus> FleetControl::startRecording(const QString &path)
{
    return fanOut<control::RecordingStatus, control::RecordingStatus>(
        QStringLiteral("starting the recording"), all(), [path](RemoteDashboardControl &m) { return m.startRecording(path); },
        recordingTogether);
}

control::Answer<control::RecordingStatus> FleetControl::stopRecording()
{
    return fanOut<control::RecordingStatus, control::RecordingStatus>(
        QStringLiteral("stopping the recording"), all(), [](RemoteDashboardControl &m) { return m.stopRecording(); },
        recordingTogether);
}

} // namespace bb::remote
