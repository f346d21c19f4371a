#include "statetimeline.h"

#include "theme.h"

#include <QPainter>

namespace bb::ui {

StateTimeline::StateTimeline(QWidget *parent) : QWidget(parent) { setMinimumHeight(30); }

void StateTimeline::setPoints(const std::deque<ServicePoint> &points)
{
    std::vector<std::pair<std::int64_t, BreakerState>> changes;
    for (const ServicePoint &p : points)
        if (changes.empty() || changes.back().second != p.state)
            changes.emplace_back(p.wallMs, p.state);
    setStates(changes, points.empty() ? 0 : points.back().wallMs);
}

void StateTimeline::setStates(const std::vector<std::pair<std::int64_t, BreakerState>> &changes, std::int64_t nowMs)
{
    m_segments.clear();
    for (const auto &[ms, state] : changes)
        m_segments.emplace_back(std::max(-double(DashboardState::kSeconds), double(ms - nowMs) / 1000.0), state);
    update();
}

void StateTimeline::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    const QRect bar = rect().adjusted(0, 2, 0, -14);
    p.fillRect(bar, palette().color(QPalette::AlternateBase));
    const auto xOf = [&](double secondsAgo) {
        return bar.left() + bar.width() * (1.0 + secondsAgo / double(DashboardState::kSeconds));
    };
    for (std::size_t i = 0; i < m_segments.size(); ++i) {
        const double from = xOf(m_segments[i].first);
        const double to = i + 1 < m_segments.size() ? xOf(m_segments[i + 1].first) : bar.right();
        p.fillRect(QRectF(from, bar.top(), std::max(1.0, to - from), bar.height()), stateColor(m_segments[i].second));
    }
    p.setPen(palette().color(QPalette::PlaceholderText));
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    p.setFont(small);
    const QRect labels(bar.left(), bar.bottom() + 1, bar.width(), 13);
    p.drawText(labels, Qt::AlignLeft, QStringLiteral("%1 min ago").arg(DashboardState::kSeconds / 60));
    p.drawText(labels, Qt::AlignRight, QStringLiteral("now"));
}

} // namespace bb::ui
