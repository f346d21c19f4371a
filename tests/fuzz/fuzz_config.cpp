// libFuzzer harness: a configuration file's text, read as `breakerboard`
// reads one (parseConfiguration), and the same text as a live policy edit
// (applyPolicyEdit). Checks that a refused file says where and why, and that
// a file the reader accepts is one the engine and the proxy take too: every
// policy valid, every name unique, every route table buildable.
// Input: the whole file, as it is.
#include "fuzzing.h"

#include "config/configloader.h"
#include "core/engine.h"
#include "core/manualclock.h"
#include "proxy/routetable.h"

#include <stdexcept>
#include <string>

using namespace bb;

namespace {
std::string issuesText(const std::vector<ConfigIssue> &issues)
{
    std::string text;
    for (const auto &i : issues)
        text += i.toString() + "\n";
    return text;
}

void checkIssues(const std::vector<ConfigIssue> &issues, bool ok)
{
    bool error = false;
    for (const auto &i : issues) {
        fuzz::check(i.line >= 1 && i.column >= 1, "an issue without a position", i.toString());
        fuzz::check(!i.message.empty(), "an issue without a message", i.toString());
        error = error || !i.warning;
    }
    fuzz::check(ok != error,
                ok ? "a configuration with errors was accepted" : "a configuration was refused without an error",
                issuesText(issues));
}

void checkAccepted(const Configuration &config)
{
    ManualClock clock{TimePoint(std::chrono::seconds(1000))};
    Engine engine{clock, clock};
    try {
        installConfiguration(config, engine);
        const proxy::RouteTable routes(config, engine);
        for (const auto &s : config.services) {
            for (const auto &r : s.routes) {
                const auto match = routes.match(r.host, r.pathPrefix.empty() ? "/" : r.pathPrefix);
                fuzz::check(match.service != nullptr, "a configured route matches no service", s.name);
                fuzz::check(!match.upstreamTarget.empty() && match.upstreamTarget.front() == '/',
                            "a routed target is not a path", match.upstreamTarget);
            }
        }
    } catch (const std::exception &e) {
        fuzz::fail("the engine refuses a configuration the reader accepted", e.what());
    }
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string text(reinterpret_cast<const char *>(data), size);
    const ConfigResult result = parseConfiguration(text, "fuzz.yaml");
    checkIssues(result.issues, result.ok());
    if (result.ok())
        checkAccepted(*result.config);

    static const ServiceConfig current = [] {
        ServiceConfig s;
        s.name = std::string("a");
        return s;
    }();
    const PolicyEditResult edit = applyPolicyEdit(current, text);
    fuzz::check(edit.service.has_value() == edit.errors.empty(), "a policy edit is both applied and refused",
                issuesText(edit.errors));
    if (edit.service) {
        fuzz::check(validate(edit.service->policy).empty(), "a policy edit the reader accepted is not a valid policy");
        fuzz::check(edit.service->name == current.name && edit.service->routes == current.routes &&
                        edit.service->upstream == current.upstream,
                    "a policy edit changed more than the policy");
    }
    return 0;
}
