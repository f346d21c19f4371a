// ControlService::reload: a changed configuration file, applied live where
// the running engine allows it.
#include "controlservice.h"

#include <sstream>

namespace bb::control {

namespace {
std::string joined(const std::vector<std::string> &parts, const char *separator)
{
    std::ostringstream out;
    for (std::size_t i = 0; i < parts.size(); ++i)
        out << (i ? separator : "") << parts[i];
    return out.str();
}

bool hasErrors(const std::vector<ConfigIssue> &issues)
{
    return std::any_of(issues.begin(), issues.end(), [](const ConfigIssue &i) { return !i.warning; });
}
} // namespace

ReloadResult ControlService::reload(const QString &configPath, const Actor &actor)
{
    ReloadResult result;
    ConfigResult loaded = loadConfiguration(configPath.toStdString());
    result.issues = loaded.issues;
    if (loaded.config && !m_files.policyOverlay.isEmpty())
        for (auto &issue : m_overlay.applyTo(*loaded.config, m_files.policyOverlay))
            result.issues.push_back(std::move(issue));
    const std::string target = "config/" + configPath.toStdString();
    if (!loaded.config || hasErrors(result.issues)) {
        std::vector<std::string> errors;
        for (const auto &issue : result.issues)
            if (!issue.warning)
                errors.push_back(issue.toString());
        record({0, actor.name, actor.origin, target, "reload_refused", {}, std::nullopt, joined(errors, "\n"), {}});
        return result;
    }

    Configuration &next = *loaded.config;
    std::vector<std::string> changedNames;
    for (const auto &wanted : next.services) {
        ServiceConfig *running = m_config.service(wanted.name);
        if (!running) {
            result.needRestart.push_back("service '" + wanted.name + "' is new");
            continue;
        }
        if (!(running->policy == wanted.policy)) {
            const PolicyUpdate update = m_engine.breaker(wanted.name)->updatePolicy(wanted.policy, WindowEdit::Keep);
            if (!update.applied())
                continue; // the reader checks every policy; nothing reaches here unchecked
            running->policy = wanted.policy;
            changedNames.push_back(wanted.name);
            result.changed.push_back(wanted.name + (update.windowReset ? " (window reset)" : ""));
        }
        ServiceConfig rest = *running;
        rest.policy = wanted.policy;
        if (!(rest == wanted))
            result.needRestart.push_back("service '" + wanted.name + "': upstream, routes or call handling changed");
    }
    for (const auto &s : m_config.services)
        if (!next.service(s.name))
            result.needRestart.push_back("service '" + s.name + "' was removed");
    if (!(next.groups == m_config.groups))
        result.needRestart.push_back("groups changed");
    if (!(next.clientLimits == m_config.clientLimits))
        result.needRestart.push_back("proxy limits changed");

    result.applied = true;
    std::string detail = result.changed.empty() ? "no policy changed" : "policy changed: " + joined(result.changed, ", ");
    if (!result.needRestart.empty())
        detail += "; at the next start: " + joined(result.needRestart, "; ");
    record({0, actor.name, actor.origin, target, "reload", {}, std::nullopt, detail, {}});
    for (const auto &name : changedNames)
        emit policyChanged(name, actor, "reload of " + target);
    sample();
    return result;
}

} // namespace bb::control
