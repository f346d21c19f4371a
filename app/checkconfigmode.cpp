#include "checkconfigmode.h"

#include "consoleoutput.h"

#include "config/configloader.h"
#include "proxy/routetable.h"

namespace bb::app {

int runCheckConfig(const QString &path)
{
    const ConfigResult result = loadConfiguration(path.toStdString());
    int warnings = 0;
    for (const auto &issue : result.issues) {
        printError(QString::fromStdString(issue.toString()));
        warnings += issue.warning ? 1 : 0;
    }
    if (!result.ok()) {
        printError(QStringLiteral("%1: %2 error(s)").arg(path).arg(result.errors().size()));
        return 1;
    }
    const Configuration &c = *result.config;
    int routed = 0;
    for (const auto &s : c.services)
        routed += s.upstream && !s.routes.empty() ? 1 : 0;
    print(QStringLiteral("OK: %1 services (%2 with an upstream and a route), %3 groups, %4 warning(s)")
              .arg(c.services.size())
              .arg(routed)
              .arg(c.groups.size())
              .arg(warnings));
    if (const auto &s = c.sharedState)
        print(QStringLiteral("shared_state: cluster %1, redis %2, breakers %3%4")
                  .arg(QString::fromStdString(s->cluster), QString::fromStdString(s->redis.display()),
                       QString::fromUtf8(nameOf(s->breakers).data()),
                       s->quorum ? QStringLiteral(", quorum %1").arg(*s->quorum) : QString()));
    return 0;
}

} // namespace bb::app
