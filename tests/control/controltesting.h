// Shared by the control tests: an engine on a manual clock built from a small
// configuration, with a control service over it.
#pragma once

#include "common/parsedconfig.h"
#include "common/sampleconfigs.h"
#include "config/configloader.h"
#include "control/controlservice.h"
#include "core/manualclock.h"

#include <QFile>
#include <QTest>

#include <memory>

namespace bb::testing {

using bb::testing::parsed;

struct ControlRig {
    explicit ControlRig(const Configuration &c = parsed(kTwoServices), std::int64_t wallOriginMs = 1'700'000'000'000)
        : clock(TimePoint(std::chrono::seconds(1000)), wallOriginMs), engine(clock, clock), config(c)
    {
        installConfiguration(config, engine);
        control = std::make_unique<control::ControlService>(engine, config);
    }
    ManualClock clock;
    Engine engine;
    Configuration config;
    std::unique_ptr<control::ControlService> control;

    BreakerState state(const char *name) const { return engine.breaker(name)->state(); }
};

inline OperatorCommand command(OperatorAction action, std::string reason = "test",
                               std::optional<Duration> expiresIn = std::nullopt)
{
    return {action, {}, std::move(reason), expiresIn};
}

inline QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

inline void writeAll(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(bytes);
}

} // namespace bb::testing

namespace bb {
inline char *toString(BreakerState s) { return qstrdup(std::string(nameOf(s)).c_str()); }
} // namespace bb
