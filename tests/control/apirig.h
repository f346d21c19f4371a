// Shared by the admin API tests: an AdminServer over a ControlRig on a free
// loopback port, with a known token and the Prometheus scrape behind /metrics.
#pragma once

#include "controltesting.h"

#include "control/adminserver.h"
#include "httpclient.h"
#include "telemetry/metricscollector.h"

namespace bb::testing {

inline const QByteArray kToken = "0123456789abcdef0123456789abcdef";
inline const QByteArray kAuth = "Authorization: Bearer " + kToken + "\r\n";

struct ApiRig {
    // tls: set, the API is served over TLS only.
    explicit ApiRig(bool tokenForReads = false, std::optional<QSslConfiguration> tls = std::nullopt,
                    const Configuration &config = parsed(kTwoServices))
        : rig(config), metrics(rig.engine, nullptr),
          server(*rig.control,
                 control::AdminRouter(*rig.control, {kToken, tokenForReads}, [this] { return metrics.scrape(); }),
                 std::move(tls))
    {
        QString error;
        if (!server.listen(QHostAddress::LocalHost, 0, &error))
            qFatal("%s", qPrintable(error));
    }
    ControlRig rig;
    telemetry::MetricsCollector metrics;
    control::AdminServer server;

    // Over plain HTTP.
    std::optional<Response> send(const QByteArray &method, const QByteArray &path, const QByteArray &body = {},
                                 const QByteArray &headers = kAuth)
    {
        HttpClient client(server.port(), true);
        return client.request(method, path, body, headers);
    }
};

} // namespace bb::testing
