#include "detailpane.h"

#include "eventlogmodel.h"
#include "fleettext.h"
#include "historychart.h"
#include "statetimeline.h"
#include "theme.h"

#include <QGridLayout>
#include <QDateTime>
#include <QLabel>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace bb::ui {

namespace {
QString str(const std::string &s) { return QString::fromStdString(s).toHtmlEscaped(); }

bool isTrip(const TransitionEvent &e)
{
    return e.to == BreakerState::Open || e.to == BreakerState::ForcedOpen;
}

QString windowHtml(const WindowContents &w)
{
    if (w.type == WindowType::Time) {
        if (w.buckets.empty())
            return QStringLiteral("<p>The window was empty.</p>");
        QString rows;
        const std::int64_t last = w.buckets.back().second;
        for (const WindowBucket &b : w.buckets)
            rows += QStringLiteral("<tr><td>%1 s</td><td align=right>%2</td><td align=right>%3</td>"
                                   "<td align=right>%4</td></tr>")
                        .arg(b.second - last)
                        .arg(b.calls)
                        .arg(b.failures)
                        .arg(b.slow);
        return QStringLiteral("<p>Time window of %1 s: %2 calls, %3 failed, %4 slow.</p>"
                              "<table cellspacing=0 cellpadding=2><tr><th>second</th><th>calls</th>"
                              "<th>failed</th><th>slow</th></tr>%5</table>")
            .arg(w.size)
            .arg(w.totals.calls)
            .arg(w.totals.failures)
            .arg(w.totals.slow)
            .arg(rows);
    }
    QString calls;
    for (const WindowCall &c : w.calls)
        calls += c.failed ? QStringLiteral("<font color=#d73a3a>✕</font>")
                          : (c.slow ? QStringLiteral("<font color=#e09b16>◐</font>") : QStringLiteral("●"));
    return QStringLiteral("<p>Count window of %1 calls: %2 recorded, %3 failed, %4 slow (oldest first; "
                          "● ok, ✕ failed, ◐ slow):</p><p style='font-size:large'>%5</p>")
        .arg(w.size)
        .arg(w.totals.calls)
        .arg(w.totals.failures)
        .arg(w.totals.slow)
        .arg(calls.isEmpty() ? QStringLiteral("(empty)") : calls);
}

// What an instance said of its last change: the cause it gives with its snapshot.
QString instanceWhyHtml(const BreakerSnapshot &b, const QString &instance)
{
    if (b.lastCause.kind == CauseKind::None)
        return QStringLiteral("<p>It has not changed state on %1.</p>").arg(instance.toHtmlEscaped());
    return QStringLiteral("<p><b>%1</b> on %2: %3</p>")
        .arg(QLatin1String(nameOf(b.state)), instance.toHtmlEscaped(), str(b.lastCause.toString()));
}
} // namespace

QString describeTrip(const TransitionEvent &event)
{
    QString html = QStringLiteral("<p><b>%1 → %2</b> at %3<br>%4</p>")
                       .arg(QLatin1String(nameOf(event.from)), QLatin1String(nameOf(event.to)),
                            clockText(event.wallMs), str(event.cause.toString() + event.enforcementMark()));
    if (!event.isGroup)
        html += windowHtml(event.window);
    return html;
}

DetailPane::DetailPane(DashboardLink &link, const DashboardState &state, QWidget *parent)
    : QWidget(parent), m_link(link), m_state(state)
{
    m_title = new QLabel(QStringLiteral("Select a service or a group"));
    QFont big = m_title->font();
    big.setPointSizeF(big.pointSizeF() * 1.4);
    big.setBold(true);
    m_title->setFont(big);
    m_summary = new QLabel;
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::RichText);
    const QColor fail = stateColor(BreakerState::Open);
    m_failure = new HistoryChart(QStringLiteral("Failure rate"), QStringLiteral("%"),
                                 {{QStringLiteral("failure rate"), fail, [](const ServicePoint &p) { return p.failureRate; }}});
    m_slow = new HistoryChart(QStringLiteral("Slow-call rate"), QStringLiteral("%"),
                              {{QStringLiteral("slow calls"), QColor(0xe0, 0x9b, 0x16),
                                [](const ServicePoint &p) { return p.slowRate; }}});
    m_split = new HistoryChart(
        QStringLiteral("Requests"), QStringLiteral("/s"),
        {{QStringLiteral("success"), stateColor(BreakerState::Closed), [](const ServicePoint &p) { return p.okPerS; }},
         {QStringLiteral("failure"), fail, [](const ServicePoint &p) { return p.failedPerS; }},
         {QStringLiteral("rejected"), stateColor(BreakerState::ForcedOpen), [](const ServicePoint &p) { return p.rejectedPerS; }},
         {QStringLiteral("fallback"), stateColor(BreakerState::ForcedClosed),
          [](const ServicePoint &p) { return p.fallbackPerS; }}});
    m_latency = new HistoryChart(
        QStringLiteral("Latency"), QStringLiteral("ms"),
        {{QStringLiteral("p50"), QColor(0x3d, 0x8f, 0xd6), [](const ServicePoint &p) { return p.p50Ms; }},
         {QStringLiteral("p99"), QColor(0x8e, 0x44, 0xad), [](const ServicePoint &p) { return p.p99Ms; }}});
    m_timeline = new StateTimeline;
    m_why = new QTextBrowser;
    m_why->setMinimumHeight(120);

    m_charts = new QWidget;
    auto *grid = new QGridLayout(m_charts);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->addWidget(m_failure, 0, 0);
    grid->addWidget(m_slow, 0, 1);
    grid->addWidget(m_split, 1, 0);
    grid->addWidget(m_latency, 1, 1);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addWidget(m_summary);
    layout->addWidget(m_charts, 3);
    layout->addWidget(new QLabel(QStringLiteral("State, last five minutes")));
    layout->addWidget(m_timeline);
    layout->addWidget(new QLabel(QStringLiteral("<b>Why it tripped</b>")));
    layout->addWidget(m_why, 1);

    m_redraw.setSingleShot(true);
    m_redraw.setInterval(kRedrawMs);
    connect(&m_redraw, &QTimer::timeout, this, &DetailPane::redraw);
    m_charts->setVisible(false);
}

void DetailPane::showService(const QString &name)
{
    m_subject = name;
    m_instance.clear();
    m_group = false;
    m_charts->setVisible(true);
    loadWhy();
    redraw();
}

void DetailPane::showInstance(const QString &service, const QString &instance)
{
    m_subject = service;
    m_instance = instance;
    m_group = false;
    m_charts->setVisible(true);
    m_transitions.clear();
    m_why->clear();
    m_instanceWhy.clear();
    loadWhy();
    redraw();
}

void DetailPane::showGroup(const QString &name)
{
    m_subject = name;
    m_instance.clear();
    m_group = true;
    m_charts->setVisible(false);
    loadWhy();
    redraw();
}

void DetailPane::reload()
{
    if (m_subject.isEmpty())
        return;
    loadWhy();
    redraw();
}

void DetailPane::refresh()
{
    if (!m_redraw.isActive())
        m_redraw.start();
}

void DetailPane::setDark(bool dark)
{
    for (HistoryChart *c : {m_failure, m_slow, m_split, m_latency})
        c->setDark(dark);
}

void DetailPane::transitioned(const TransitionEvent &event)
{
    if (!m_subject.isEmpty() && event.isGroup == m_group && QString::fromStdString(event.subject) == m_subject &&
        (m_instance.isEmpty() || QString::fromStdString(event.instance) == m_instance))
        loadWhy();
}

void DetailPane::loadWhy()
{
    const QString subject = m_subject;
    const QString instance = m_instance;
    const bool group = m_group;
    m_link.control()
        .recentTransitions(group ? control::TargetKind::Group : control::TargetKind::Breaker, subject.toStdString())
        .then(this, [this, subject, instance, group](std::vector<TransitionEvent> transitions) {
            if (subject != m_subject || group != m_group || instance != m_instance)
                return;
            // An instance's row: its own transitions, from the fleet's.
            if (!instance.isEmpty())
                std::erase_if(transitions, [&](const TransitionEvent &e) { return QString::fromStdString(e.instance) != instance; });
            m_transitions = std::move(transitions);
            if (!m_transitions.empty() || instance.isEmpty())
                showWhy(m_transitions);
            redraw();
        });
}

void DetailPane::showWhy(const std::vector<TransitionEvent> &transitions)
{
    const auto trip = std::find_if(transitions.rbegin(), transitions.rend(), isTrip);
    QString html;
    if (trip != transitions.rend())
        html = describeTrip(*trip);
    else
        html = QStringLiteral("<p>It has not tripped since Breakerboard started.</p>");
    if (!transitions.empty() && (trip == transitions.rend() || &*trip != &transitions.back()))
        html += QStringLiteral("<hr><p>Since then: ") +
                QString::fromStdString(transitions.back().describe()).toHtmlEscaped() + QStringLiteral("</p>");
    m_why->setHtml(html);
}

QString DetailPane::headline() const { return m_title->text() + QLatin1Char(' ') + m_summary->text(); }
QString DetailPane::whyText() const { return m_why->toPlainText(); }

void DetailPane::redraw()
{
    const EngineSnapshot *snap = m_state.snapshot().get();
    if (m_subject.isEmpty() || !snap)
        return;
    if (m_group) {
        redrawGroup(*snap);
        return;
    }
    if (m_instance.isEmpty()) {
        redrawService(m_state);
        return;
    }
    const DashboardState *instance = m_state.instance(m_instance.toStdString());
    if (!instance) {
        m_title->setText(QStringLiteral("%1 on %2").arg(m_subject, m_instance));
        m_summary->setText(QStringLiteral("%1 is no longer in the fleet.").arg(m_instance.toHtmlEscaped()));
        return;
    }
    redrawService(*instance);
    const control::FleetView &fleet = *m_state.fleet(); // there is one: the instance is in it
    const control::InstanceView &view = fleet.instances[std::size_t(fleet.instanceIndex(m_instance.toStdString()))];
    if (!view.live())
        m_summary->setText(QStringLiteral("<font color=gray>%1 — what it said last, at %2</font><br>%3")
                               .arg(linkText(view.link).toHtmlEscaped(),
                                    clockText(instance->snapshot() ? instance->snapshot()->wallMs : 0),
                                    m_summary->text()));
    const BreakerSnapshot *b = instance->snapshot() ? instance->snapshot()->breaker(m_subject.toStdString()) : nullptr;
    const QString why = b ? instanceWhyHtml(*b, m_instance) : QString();
    if (m_transitions.empty() && why != m_instanceWhy) { // until its transitions have come
        m_instanceWhy = why;
        m_why->setHtml(why);
    }
}

void DetailPane::redrawGroup(const EngineSnapshot &snap)
{
    const GroupSnapshot *g = snap.group(m_subject.toStdString());
    if (!g)
        return;
    m_title->setText(QStringLiteral("group %1").arg(m_subject));
    QStringList members;
    for (const std::string &m : g->members) {
        const BreakerSnapshot *b = snap.breaker(m);
        const BreakerState s = b ? b->state : BreakerState::Closed;
        members << QStringLiteral("<font color=%1>■</font> %2 (%3)")
                       .arg(stateColor(s).name(), QString::fromStdString(m), stateLabel(s));
    }
    m_summary->setText(QStringLiteral("<font color=%1><b>%2</b></font> — %3 of %4 members open; opens at %5%<br>%6")
                           .arg(stateColor(g->state).name(), stateLabel(g->state))
                           .arg(g->membersOpen)
                           .arg(g->members.size())
                           .arg(QString::number(g->threshold, 'f', 0))
                           .arg(members.join(QStringLiteral("<br>"))));
    std::vector<std::pair<std::int64_t, BreakerState>> changes;
    const std::int64_t start = snap.wallMs - std::int64_t(DashboardState::kSeconds) * 1000;
    changes.emplace_back(start, m_transitions.empty() ? g->state : m_transitions.front().from);
    for (const TransitionEvent &e : m_transitions)
        changes.emplace_back(std::max(start, e.wallMs), e.to);
    m_timeline->setStates(changes, snap.wallMs);
}

void DetailPane::redrawService(const DashboardState &state)
{
    const int row = state.rowOf(m_subject.toStdString());
    m_title->setText(m_instance.isEmpty() ? m_subject : QStringLiteral("%1 on %2").arg(m_subject, m_instance));
    if (row < 0) {
        if (!m_instance.isEmpty())
            m_summary->setText(QStringLiteral("%1 has no such service.").arg(m_instance.toHtmlEscaped()));
        return;
    }
    const ServiceRow &r = state.rows()[std::size_t(row)];
    QString summary = QStringLiteral("<font color=%1><b>%2</b></font> for %3 s")
                          .arg(stateColor(r.state).name(), stateLabel(r.state, r.enforcement))
                          .arg(r.timeInStateS);
    if (r.nextTrialInS)
        summary += QStringLiteral(", next trial in %1 s").arg(*r.nextTrialInS);
    if (!r.group.empty())
        summary += QStringLiteral(" — group %1").arg(QString::fromStdString(r.group));
    summary += QStringLiteral("<br>%1 req/s, failure rate %2% (threshold %3%), p50 %4 ms, p99 %5 ms")
                   .arg(QString::number(r.requestsPerS, 'f', 1), QString::number(r.failureRate, 'f', 1),
                        QString::number(r.failureThreshold, 'f', 0), QString::number(r.p50Ms, 'f', 1),
                        QString::number(r.p99Ms, 'f', 1));
    if (r.enforcement < 100.0) {
        QString mark = QString::fromStdString(enforcementText(r.enforcement));
        mark[0] = mark[0].toUpper();
        summary += QStringLiteral("<br>%1: %2 calls let through that it would have rejected").arg(mark).arg(r.wouldReject);
    }
    if (r.lastFailure.wallMs > 0)
        summary += QStringLiteral("<br>Last failed call, %1: %2")
                       .arg(QDateTime::fromMSecsSinceEpoch(r.lastFailure.wallMs).toString(QStringLiteral("HH:mm:ss")),
                            QString::fromStdString(r.lastFailure.text).toHtmlEscaped());
    m_summary->setText(summary);
    const auto &points = state.history(row);
    m_failure->setPoints(points, r.failureThreshold);
    m_slow->setPoints(points, r.slowThreshold);
    m_split->setPoints(points, std::nullopt);
    m_latency->setPoints(points, std::nullopt);
    m_timeline->setPoints(points);
}

} // namespace bb::ui
