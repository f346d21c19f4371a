#include "statusline.h"

#include "dashboardlink.h"
#include "dashboardstate.h"
#include "fleettext.h"
#include "sharedstatetext.h"
#include "theme.h"

#include <QLabel>
#include <QProgressBar>
#include <QStatusBar>

#include <algorithm>

namespace bb::ui {

StatusLine::StatusLine(DashboardLink &link, const DashboardState &state, QStatusBar *bar, std::function<QString()> extra)
    : QObject(bar), m_link(link), m_state(state), m_extra(std::move(extra))
{
    m_line = new QLabel;
    m_working = new QLabel;
    m_working->setStyleSheet(QStringLiteral("font-weight: bold"));
    m_connection = new QLabel;
    m_shared = new QLabel;
    m_progressText = new QLabel;
    m_progress = new QProgressBar;
    m_progress->setRange(0, 1000);
    m_progress->setMaximumWidth(220);
    bar->addWidget(m_line, 1);
    bar->addPermanentWidget(m_working);
    bar->addPermanentWidget(m_progressText);
    bar->addPermanentWidget(m_progress);
    bar->addPermanentWidget(m_shared);
    bar->addPermanentWidget(m_connection);
    setWorking({});
    hideProgress();
    m_timer.setInterval(500);
    connect(&m_timer, &QTimer::timeout, this, &StatusLine::update);
    m_timer.start();
    update();
}

void StatusLine::setReplay(const QString &name)
{
    m_replayName = name;
    update();
}

QString StatusLine::text() const
{
    const QString shared = sharedText();
    return m_line->text() + QStringLiteral(" | ") + (shared.isEmpty() ? QString() : shared + QStringLiteral(" | ")) +
           m_connection->text();
}

QString StatusLine::sharedText() const { return m_shared->text(); }

void StatusLine::setWorking(const QString &what)
{
    m_working->setText(what.isEmpty() ? QString() : QStringLiteral("working… (%1)").arg(what));
    m_working->setVisible(!what.isEmpty());
}

QString StatusLine::workingText() const { return m_working->isVisible() ? m_working->text() : QString(); }

void StatusLine::showProgress(const QString &what, double fraction)
{
    m_progressText->setText(what);
    m_progress->setValue(int(std::clamp(fraction, 0.0, 1.0) * 1000));
    m_progressText->show();
    m_progress->show();
}

void StatusLine::hideProgress()
{
    m_progressText->hide();
    m_progress->hide();
}

void StatusLine::update()
{
    const int total = int(m_state.rows().size());
    const QString rate = QString::number(m_state.totalRequestsPerS(), 'f', 0);
    if (!m_replayName.isEmpty()) {
        m_line->setText(QStringLiteral("Replay of %1   %2 req/s   %3 of %4 breakers open")
                            .arg(m_replayName, rate)
                            .arg(m_state.breakersOpen())
                            .arg(total));
        m_connection->setText(QStringLiteral("● replayed engine, not live traffic"));
        m_connection->setStyleSheet(QStringLiteral("color: %1").arg(replayColor().name()));
        setShared({}, {});
        return;
    }
    const QString proxy = m_link.proxyUrl().isEmpty() ? QStringLiteral("–") : m_link.proxyUrl();
    const QString admin = m_link.adminUrl().isEmpty() ? QStringLiteral("off") : m_link.adminUrl();
    const QString where = m_state.fleet() ? fleetSummary(*m_state.fleet())
                                          : QStringLiteral("Proxy %1   Admin %2").arg(proxy, admin);
    m_line->setText(QStringLiteral("%1   %2 req/s   %3 of %4 breakers open")
                        .arg(where, rate)
                        .arg(m_state.breakersOpen())
                        .arg(total) +
                    m_extra());
    showSharedState();
    if (m_state.fleet()) {
        showInstancesConnected();
        return;
    }
    const qint64 since = m_link.sinceLastObservationMs();
    if (since >= 0 && since < 2000) {
        m_connection->setText(QStringLiteral("● engine connected"));
        m_connection->setStyleSheet(QStringLiteral("color: %1").arg(stateColor(BreakerState::Closed).name()));
    } else {
        m_connection->setText(since < 0 ? QStringLiteral("● waiting for the engine")
                                        : QStringLiteral("● no figures for %1 s").arg(since / 1000));
        m_connection->setStyleSheet(QStringLiteral("color: %1").arg(stateColor(BreakerState::Open).name()));
    }
}

void StatusLine::showInstancesConnected()
{
    const auto &instances = m_state.fleet()->instances;
    const auto live = std::count_if(instances.begin(), instances.end(), [](const auto &in) { return in.live(); });
    const auto n = qsizetype(instances.size());
    m_connection->setText(live == n ? QStringLiteral("● every instance connected")
                                    : QStringLiteral("● %1 of %2 instances connected").arg(live).arg(n));
    const BreakerState colour = live == n ? BreakerState::Closed : (live > 0 ? BreakerState::HalfOpen : BreakerState::Open);
    m_connection->setStyleSheet(QStringLiteral("color: %1").arg(stateColor(colour).name()));
}

void StatusLine::showSharedState()
{
    const control::FleetView *fleet = m_state.fleet();
    if (fleet && fleet->instances.size() != 1) {
        const int down = sharedStateDownCount(*fleet);
        if (down == 0)
            return setShared({}, {});
        return setShared(QStringLiteral("shared state down on %1").arg(down),
                         sharedStateColor(control::SharedStateStatus::Link::Down),
                         QStringLiteral("Those instances decide alone until Redis answers again: see the Instances panel."));
    }
    // One engine, or a fleet of one (a window attached to one instance): its badge.
    const auto shared = fleet ? liveSharedState(fleet->instances.front()) : m_state.sharedState();
    if (!shared)
        return setShared({}, {});
    setShared(sharedStateBadge(shared), sharedStateColor(shared->link), sharedStateTip(*shared));
}

void StatusLine::setShared(const QString &text, const QColor &color, const QString &tip)
{
    m_shared->setText(text);
    m_shared->setToolTip(tip);
    // A badge: framed in its colour, apart from the line's text.
    m_shared->setStyleSheet(color.isValid() ? QStringLiteral("color: %1; border: 1px solid %1; border-radius: 3px; "
                                                             "padding: 0 4px")
                                                  .arg(color.name())
                                            : QString());
    m_shared->setVisible(!text.isEmpty());
    m_sharedColor = color;
}

} // namespace bb::ui
