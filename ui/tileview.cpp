#include "tileview.h"

#include "theme.h"

#include <QContextMenuEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QScrollBar>

#include <algorithm>
#include <cmath>

namespace bb::ui {

TileView::TileView(const DashboardState &state, QWidget *parent) : QAbstractScrollArea(parent), m_state(state)
{
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    viewport()->setAttribute(Qt::WA_OpaquePaintEvent);
    setFocusPolicy(Qt::StrongFocus);
}

int TileView::columns() const { return std::max(1, viewport()->width() / kTileWidth); }

void TileView::updateScrollBar()
{
    const int rows = (int(m_state.rows().size()) + columns() - 1) / columns();
    verticalScrollBar()->setRange(0, std::max(0, rows * kTileHeight - viewport()->height()));
    verticalScrollBar()->setPageStep(viewport()->height());
    verticalScrollBar()->setSingleStep(kTileHeight / 4);
}

QRect TileView::tileRect(int row) const
{
    const int c = columns();
    return QRect((row % c) * kTileWidth, (row / c) * kTileHeight - verticalScrollBar()->value(), kTileWidth,
                 kTileHeight);
}

int TileView::rowAt(const QPoint &point) const
{
    const int col = point.x() / kTileWidth;
    if (col >= columns() || point.x() < 0)
        return -1;
    const int row = (point.y() + verticalScrollBar()->value()) / kTileHeight * columns() + col;
    return row >= 0 && row < int(m_state.rows().size()) ? row : -1;
}

void TileView::refresh(const std::vector<int> &changedRows)
{
    updateScrollBar();
    if (m_state.rowsReplaced()) {
        viewport()->update();
        return;
    }
    // Sizes are relative to the busiest service, so every visible tile may change.
    const QRect visible = viewport()->rect();
    QRegion dirty;
    for (const int row : changedRows) {
        const QRect r = tileRect(row);
        if (r.intersects(visible))
            dirty += r;
    }
    if (!dirty.isEmpty())
        viewport()->update(dirty);
}

void TileView::setSelected(const QStringList &names)
{
    m_selected = QSet<QString>(names.begin(), names.end());
    viewport()->update();
}

void TileView::resizeEvent(QResizeEvent *event)
{
    QAbstractScrollArea::resizeEvent(event);
    updateScrollBar();
}

void TileView::scrollContentsBy(int, int) { viewport()->update(); }

void TileView::mousePressEvent(QMouseEvent *event)
{
    const int row = rowAt(event->position().toPoint());
    if (row >= 0 && event->button() == Qt::LeftButton)
        emit serviceClicked(QString::fromStdString(m_state.rows()[std::size_t(row)].name), event->modifiers());
}

void TileView::contextMenuEvent(QContextMenuEvent *event)
{
    const int row = rowAt(event->pos());
    if (row >= 0)
        emit contextMenuRequested(QString::fromStdString(m_state.rows()[std::size_t(row)].name), event->globalPos());
}

void TileView::paintEvent(QPaintEvent *event)
{
    QPainter p(viewport());
    p.fillRect(event->rect(), palette().color(QPalette::Base));
    p.setRenderHint(QPainter::Antialiasing);
    double maxRate = 1.0;
    for (const ServiceRow &r : m_state.rows())
        maxRate = std::max(maxRate, r.requestsPerS);
    const int c = columns();
    const int first = std::max(0, (event->rect().top() + verticalScrollBar()->value()) / kTileHeight * c);
    const int last = std::min(int(m_state.rows().size()) - 1,
                              ((event->rect().bottom() + verticalScrollBar()->value()) / kTileHeight + 1) * c - 1);
    for (int row = first; row <= last; ++row) {
        const QRect r = tileRect(row);
        if (r.intersects(event->rect()))
            paintTile(p, row, r, maxRate);
    }
}

void TileView::paintTile(QPainter &p, int row, const QRect &tile, double maxRate) const
{
    const ServiceRow &s = m_state.rows()[std::size_t(row)];
    const QPalette &pal = palette();
    const QRect r = tile.adjusted(4, 4, -4, -4);
    const bool selected = m_selected.contains(QString::fromStdString(s.name));
    p.setPen(QPen(selected ? pal.color(QPalette::Highlight) : pal.color(QPalette::Mid), selected ? 2 : 1));
    p.setBrush(pal.color(QPalette::AlternateBase));
    p.drawRoundedRect(r, 6, 6);

    // The circle: colour by health, area by traffic.
    const QColor health = healthColor(s.state, s.failureRate, s.failureThreshold);
    const double share = std::sqrt(std::clamp(s.requestsPerS / maxRate, 0.0, 1.0));
    const int radius = int(6 + 16 * share);
    const QPoint centre(r.left() + 28, r.top() + 30);
    QColor fill = health;
    fill.setAlpha(170);
    p.setPen(QPen(health.darker(130), 1.5));
    p.setBrush(fill);
    p.drawEllipse(centre, radius, radius);

    // Name, state, counts.
    QFont bold = font();
    bold.setBold(true);
    p.setFont(bold);
    p.setPen(pal.color(QPalette::Text));
    const QRect text(r.left() + 56, r.top() + 6, r.width() - 60, 18);
    p.drawText(text, Qt::AlignLeft | Qt::AlignVCenter,
               p.fontMetrics().elidedText(QString::fromStdString(s.name), Qt::ElideRight, text.width()));
    p.setFont(font());
    p.setPen(stateColor(s.state));
    p.drawText(text.translated(0, 17), Qt::AlignLeft | Qt::AlignVCenter,
               p.fontMetrics().elidedText(stateLabel(s.state, s.enforcement), Qt::ElideRight, text.width()));
    p.setPen(pal.color(QPalette::Text));
    p.drawText(text.translated(0, 34), Qt::AlignLeft | Qt::AlignVCenter,
               QStringLiteral("%1/s  err %2%")
                   .arg(QString::number(s.requestsPerS, 'f', 0), QString::number(s.failureRate, 'f', 0)));
    p.setPen(pal.color(QPalette::PlaceholderText));
    p.drawText(QRect(r.left() + 6, r.top() + 60, r.width() - 12, 16), Qt::AlignLeft | Qt::AlignVCenter,
               QStringLiteral("p99 %1 ms  rej %2/s")
                   .arg(QString::number(s.p99Ms, 'f', 0), QString::number(s.rejectedPerS, 'f', 0)));

    // Two minutes of requests (outline) and failures (red), reduced to the tile's pixels.
    const auto &points = m_state.history(row);
    const QRect spark(r.left() + 6, r.top() + 80, r.width() - 12, r.height() - 86);
    p.setPen(QPen(pal.color(QPalette::Mid), 1));
    p.drawLine(spark.bottomLeft(), spark.bottomRight());
    if (points.size() < 2)
        return;
    const std::size_t n = std::min<std::size_t>(points.size(), kSparkSeconds);
    float top = 1;
    for (std::size_t i = points.size() - n; i < points.size(); ++i)
        top = std::max(top, points[i].okPerS + points[i].failedPerS + points[i].rejectedPerS + points[i].fallbackPerS);
    QPainterPath total, failed;
    for (std::size_t k = 0; k < n; ++k) {
        const ServicePoint &pt = points[points.size() - n + k];
        const double x = spark.left() + spark.width() * double(kSparkSeconds - n + k) / double(kSparkSeconds - 1);
        const double all = pt.okPerS + pt.failedPerS + pt.rejectedPerS + pt.fallbackPerS;
        const double yAll = spark.bottom() - spark.height() * all / top;
        const double yFail = spark.bottom() - spark.height() * (pt.failedPerS + pt.rejectedPerS) / top;
        if (k == 0) {
            total.moveTo(x, yAll);
            failed.moveTo(x, yFail);
        } else {
            total.lineTo(x, yAll);
            failed.lineTo(x, yFail);
        }
    }
    p.setBrush(Qt::NoBrush);
    p.setPen(QPen(pal.color(QPalette::Text), 1.2));
    p.drawPath(total);
    p.setPen(QPen(stateColor(BreakerState::Open), 1.2));
    p.drawPath(failed);
}

} // namespace bb::ui
