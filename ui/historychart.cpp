#include "historychart.h"

#include "theme.h"

#include <QLineSeries>
#include <QValueAxis>

#include <algorithm>

namespace bb::ui {

HistoryChart::HistoryChart(const QString &title, const QString &unit, std::vector<Line> lines, QWidget *parent)
    : QChartView(new QChart, parent), m_lines(std::move(lines)), m_unit(unit)
{
    QChart *chart = this->chart(); // owned by the view (setChart would orphan a default one)
    chart->setTitle(unit.isEmpty() ? title : QStringLiteral("%1 (%2)").arg(title, unit));
    chart->setBackgroundVisible(false);
    chart->setMargins(QMargins(2, 2, 2, 2));
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->legend()->setVisible(m_lines.size() > 1);
    m_x = new QValueAxis;
    m_x->setRange(-double(DashboardState::kSeconds), 0);
    m_x->setLabelFormat(QStringLiteral("%d s"));
    m_x->setTickCount(6);
    m_y = new QValueAxis;
    m_y->setLabelFormat(QStringLiteral("%.0f"));
    m_y->setRange(0, 1);
    chart->addAxis(m_x, Qt::AlignBottom);
    chart->addAxis(m_y, Qt::AlignLeft);
    for (const Line &l : m_lines) {
        auto *s = new QLineSeries;
        s->setName(l.name);
        s->setPen(QPen(l.color, 1.6));
        chart->addSeries(s);
        s->attachAxis(m_x);
        s->attachAxis(m_y);
        m_series.push_back(s);
    }
    m_threshold = new QLineSeries;
    m_threshold->setName(QStringLiteral("threshold"));
    m_threshold->setPen(QPen(stateColor(BreakerState::Open), 1.2, Qt::DashLine));
    chart->addSeries(m_threshold);
    m_threshold->attachAxis(m_x);
    m_threshold->attachAxis(m_y);
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(150);
}

void HistoryChart::setDark(bool dark)
{
    chart()->setTheme(dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    chart()->setBackgroundVisible(false);
    for (std::size_t i = 0; i < m_series.size(); ++i)
        m_series[i]->setPen(QPen(m_lines[i].color, 1.6));
    m_threshold->setPen(QPen(stateColor(BreakerState::Open), 1.2, Qt::DashLine));
}

int HistoryChart::pointsShown(int line) const { return int(m_series[std::size_t(line)]->count()); }

std::vector<BreakerState> HistoryChart::bandStates() const
{
    std::vector<BreakerState> out;
    for (const Band &b : m_bands)
        out.push_back(b.state);
    return out;
}

void HistoryChart::setPoints(const std::deque<ServicePoint> &points, std::optional<double> threshold)
{
    const std::int64_t nowMs = points.empty() ? 0 : points.back().wallMs;
    const auto secondsAgo = [nowMs](const ServicePoint &p) { return double(p.wallMs - nowMs) / 1000.0; };
    // One point per pixel column at most: the largest value of the column, so no spike is lost.
    const int pixels = std::max(16, int(chart()->plotArea().width()));
    const double perPixel = double(DashboardState::kSeconds) / pixels;
    double top = threshold.value_or(0.0);
    for (std::size_t l = 0; l < m_lines.size(); ++l) {
        QList<QPointF> out;
        out.reserve(int(std::min<std::size_t>(points.size(), std::size_t(pixels))));
        for (const ServicePoint &p : points) {
            const double x = secondsAgo(p);
            const double y = m_lines[l].value(p);
            top = std::max(top, y);
            if (!out.isEmpty() && x - out.back().x() < perPixel)
                out.back().setY(std::max(out.back().y(), y));
            else
                out.append(QPointF(x, y));
        }
        m_series[l]->replace(out);
    }
    if (threshold)
        m_threshold->replace(QList<QPointF>{{-double(DashboardState::kSeconds), *threshold}, {0, *threshold}});
    else
        m_threshold->clear();
    m_threshold->setVisible(threshold.has_value());
    m_y->setRange(0, std::max(4.0, top * 1.15));
    m_y->applyNiceNumbers();
    if (m_unit == QLatin1String("%") && m_y->max() > 100)
        m_y->setRange(0, 100); // a rate never passes 100%

    m_bands.clear();
    for (const ServicePoint &p : points) {
        const double x = secondsAgo(p);
        if (!m_bands.empty() && m_bands.back().state == p.state)
            m_bands.back().to = x;
        else
            m_bands.push_back({m_bands.empty() ? x - 1 : m_bands.back().to, x, p.state});
    }
    viewport()->update();
}

void HistoryChart::drawBackground(QPainter *painter, const QRectF &rect)
{
    painter->fillRect(rect, palette().color(QPalette::Base));
    const QRectF plot = chart()->plotArea();
    for (const Band &b : m_bands) {
        if (b.state == BreakerState::Closed)
            continue; // the plain background is "closed"
        const QPointF from = chart()->mapToScene(chart()->mapToPosition(QPointF(b.from, 0), m_series.front()));
        const QPointF to = chart()->mapToScene(chart()->mapToPosition(QPointF(b.to, 0), m_series.front()));
        QColor c = stateColor(b.state);
        c.setAlpha(45);
        const QRectF band(QPointF(std::max(from.x(), plot.left()), plot.top()),
                          QPointF(std::min(to.x(), plot.right()), plot.bottom()));
        painter->fillRect(band, c);
    }
}

} // namespace bb::ui
