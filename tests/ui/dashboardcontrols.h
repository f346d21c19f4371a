// The dashboard's tests run over both of its control interfaces: the engine
// in this process (LocalDashboardControl), and, with the environment's
// BB_DASHBOARD_CONTROL=remote, the same engine behind its admin API on
// loopback (RemoteDashboardControl over HTTP and the event stream). ctest
// runs such a test once each way.
#pragma once

#include "control/adminserver.h"
#include "control/localdashboardcontrol.h"
#include "remote/remotecontrol.h"

#include <QFile>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QTest>

namespace bb::testing {

inline bool overRemoteControl() { return qEnvironmentVariable("BB_DASHBOARD_CONTROL") == QLatin1String("remote"); }

// The origin the instance audits the window's actions with, for user.
inline std::string guiOrigin(const std::string &user)
{
    return overRemoteControl() ? "gui " + user + "@" + QSysInfo::machineHostName().toStdString() : "gui";
}

struct DashboardControlOver {
    explicit DashboardControlOver(control::ControlService &service)
    {
        if (!overRemoteControl()) {
            control = std::make_unique<control::LocalDashboardControl>(service);
            return;
        }
        static const QByteArray token = "ui-test-token-0123456789abcdef";
        server = std::make_unique<control::AdminServer>(
            service, control::AdminRouter(service, {token, false}, [] { return std::string(); }));
        QString error;
        if (!server->listen(QHostAddress::LocalHost, 0, &error))
            qFatal("%s", qPrintable(error));
        QFile f(dir.filePath("token"));
        f.open(QIODevice::WriteOnly);
        f.write(token);
        f.close();
        auto instance = remote::instanceFromUrl(QStringLiteral("http://127.0.0.1:%1").arg(server->port()),
                                                f.fileName(), {}, &error);
        auto remote = std::make_unique<remote::RemoteDashboardControl>(*instance);
        remote->start();
        if (!QTest::qWaitFor([&] { return remote->link().state == control::LinkStatus::State::Connected; }, 5000))
            qFatal("the remote control did not connect: %s", qPrintable(remote->link().message));
        control = std::move(remote);
    }
    QTemporaryDir dir;
    std::unique_ptr<control::AdminServer> server;
    std::unique_ptr<control::DashboardControl> control;
};

} // namespace bb::testing
