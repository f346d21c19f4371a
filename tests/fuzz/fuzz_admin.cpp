// libFuzzer harness: the admin API's JSON bodies. Each input is sent, with the
// token, as the body of every endpoint that reads one (AdminRouter over a
// ControlService, as tests/control/tst_admin_api.cpp builds them, without
// the sockets): a breaker's and a group's state change, a policy edit and a
// recording start. Checks that every answer is a JSON object with a status
// the API documents, that a refused body leaves the engine as it was
// (states, policies, the configuration, the audit, the recording), and that
// an accepted policy edit survives a restart: the overlay it is saved in
// reads back and gives the same policy.
// Input: the body, as it is.
#include "fuzzing.h"

#include "common/sampleconfigs.h"

#include "config/configloader.h"
#include "control/adminrouter.h"
#include "control/controlservice.h"
#include "control/proxyrecording.h"
#include "core/manualclock.h"
#include "persist/policyoverlay.h"
#include "proxy/proxyserver.h"

#include <QCoreApplication>
#include <QDir>
#include <QJsonDocument>

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

using namespace bb;
using namespace bb::control;

namespace {
const QByteArray kToken = "0123456789abcdef0123456789abcdef";

const std::string &kConfig = testing::kTwoServices;

// What lives as long as the process: the configuration, and a proxy that is
// never started (a recording start is checked and refused, no file written).
struct Fixed {
    Fixed()
    {
        ConfigResult r = parseConfiguration(kConfig, "admin.yaml");
        if (!r.ok())
            fuzz::fail("the harness's configuration does not load", r.issues.front().toString());
        config = *r.config;
        installConfiguration(config, engine);
    }
    Configuration config;
    ManualClock clock{TimePoint(std::chrono::seconds(1000))};
    Engine engine{clock, clock};
    proxy::ProxyServer server{engine, nullptr, {}};
    const QString recordings = QDir::tempPath(); // exists: a valid name creates nothing

};

Fixed &fixed()
{
    static Fixed f;
    return f;
}

// Everything a refused request must leave as it was.
struct State {
    std::vector<std::tuple<std::string, BreakerState, std::uint64_t, BreakerPolicy, std::optional<Duration>>> breakers;
    std::vector<std::tuple<std::string, BreakerState, std::uint64_t, std::optional<Duration>>> groups;
    std::vector<ServiceConfig> services;
    std::size_t audit = 0;
    bool recording = false;
    bool operator==(const State &) const = default;

    static State of(const Engine &engine, const ControlService &control)
    {
        State s;
        const EngineSnapshot snapshot = engine.snapshot();
        for (const auto &b : snapshot.breakers)
            s.breakers.emplace_back(b.name, b.state, b.generation, b.policy, b.expiresIn);
        for (const auto &g : snapshot.groups)
            s.groups.emplace_back(g.name, g.state, g.generation, g.expiresIn);
        s.services = control.configuration().services;
        s.audit = control.audit(ControlService::kAuditKept).size();
        s.recording = control.recording() && control.recording()->status().has_value();
        return s;
    }
};

// The policy edit as AdminRouter hands it on: the body without its own keys.
std::string editTextOf(const QByteArray &body)
{
    QJsonObject o = QJsonDocument::fromJson(body).object();
    for (const char *key : {"apply", "reason", "actor"})
        o.remove(QLatin1String(key));
    return QJsonDocument(o).toJson(QJsonDocument::Compact).toStdString();
}

void checkEditSurvivesRestart(const QByteArray &body, const Engine &engine)
{
    persist::PolicyOverlay saved;
    saved.merge("a", editTextOf(body));
    const std::string text = saved.text();
    persist::PolicyOverlay read;
    std::vector<ConfigIssue> issues = read.parse(text, "overlay.yaml");
    Configuration restarted = fixed().config;
    if (issues.empty())
        issues = read.applyTo(restarted, QStringLiteral("overlay.yaml"));
    std::string why = text;
    for (const auto &i : issues)
        why += "\n" + i.toString();
    fuzz::check(issues.empty(), "an accepted policy edit is saved as an overlay that does not read back", why);
    fuzz::check(restarted.service("a")->policy == engine.breaker("a")->policy(),
                "an accepted policy edit gives another policy after a restart", why);
}

struct Endpoint {
    const char *method;
    const char *target;
    std::vector<int> statuses; // the ones the API documents for it
};

const Endpoint kEndpoints[] = {
    {"POST", "/api/v1/breakers/a/state", {200, 400, 422}},
    {"POST", "/api/v1/groups/g/state", {200, 400, 422}},
    {"PATCH", "/api/v1/breakers/a/policy", {200, 400, 422}},
    {"POST", "/api/v1/recording", {201, 400, 409}},
};
} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    static int argc = 1;
    static char name[] = "fuzz_admin";
    static char *argv[] = {name, nullptr};
    static QCoreApplication app(argc, argv);
    fixed();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const Fixed &f = fixed();
    ManualClock clock{TimePoint(std::chrono::seconds(1000)), 1'700'000'000'000};
    Engine engine{clock, clock};
    installConfiguration(f.config, engine);
    ControlService control(engine, f.config);
    ProxyRecording recording(fixed().server, f.recordings, {}, {});
    control.setRecording(&recording);
    const AdminRouter router(control, {kToken, false}, [] { return std::string(); });

    const QByteArray body(reinterpret_cast<const char *>(data), qsizetype(size));
    for (const Endpoint &e : kEndpoints) {
        const State before = State::of(engine, control);
        AdminRequest request{e.method, e.target, "Bearer " + kToken.toStdString(), body, QStringLiteral("127.0.0.1")};
        const AdminResponse response = router.handle(request);
        const std::string context = std::string(e.method) + " " + e.target + " answered " +
                                    std::to_string(response.status) + ": " + response.body.toStdString();
        QJsonParseError error;
        const QJsonDocument answer = QJsonDocument::fromJson(response.body, &error);
        fuzz::check(error.error == QJsonParseError::NoError && answer.isObject(), "an answer is not a JSON object",
                    context);
        fuzz::check(std::find(e.statuses.begin(), e.statuses.end(), response.status) != e.statuses.end(),
                    "an answer has a status the API does not document here", context);
        if (response.status >= 300)
            fuzz::check(State::of(engine, control) == before, "a refused request changed the engine", context);
        else if (e.target == std::string_view("/api/v1/breakers/a/policy"))
            checkEditSurvivesRestart(body, engine);
    }
    return 0;
}
