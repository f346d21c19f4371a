#include "fleetwindow.h"

namespace bb::app {

FleetWindow::FleetWindow(ui::Theme *theme) : m_link(m_fleet), m_window(m_link, theme)
{
    m_window.setWindowTitle(QStringLiteral("Breakerboard — fleet"));
    QObject::connect(&m_window, &ui::MainWindow::attachRequested, &m_window,
                     [this](const QString &url, const QString &token, const QString &ca) {
                         if (const QString error = attach(url, token, ca); !error.isEmpty())
                             m_window.attachFailed(error);
                     });
}

QString FleetWindow::attach(const QString &url, const QString &tokenFile, const QString &caFile)
{
    QString error;
    const auto instance = remote::instanceFromUrl(url, tokenFile, caFile, &error);
    return instance ? add(*instance) : QStringLiteral("%1: %2").arg(url, error);
}

} // namespace bb::app
