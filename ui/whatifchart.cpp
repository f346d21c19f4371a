#include "whatifchart.h"

#include "theme.h"

#include <QCoreApplication>
#include <QLegendMarker>
#include <QLineSeries>
#include <QScatterSeries>
#include <QValueAxis>

#include <array>

namespace bb::ui {

namespace {
void hideFromLegend(QChart *chart, QAbstractSeries *series)
{
    for (QLegendMarker *m : chart->legend()->markers(series))
        m->setVisible(false);
}
} // namespace

QColor WhatIfChart::configColor(std::size_t n)
{
    static const std::array<QColor, 8> kColors = {QColor(0x1f, 0x77, 0xb4), QColor(0xff, 0x7f, 0x0e),
                                                  QColor(0x2c, 0xa0, 0x2c), QColor(0x94, 0x67, 0xbd),
                                                  QColor(0x8c, 0x56, 0x4b), QColor(0xe3, 0x77, 0xc2),
                                                  QColor(0x17, 0xbe, 0xcf), QColor(0x7f, 0x7f, 0x7f)};
    return kColors[n % kColors.size()];
}

WhatIfChart::WhatIfChart(QWidget *parent) : QChartView(new QChart, parent), m_x(new QValueAxis), m_y(new QValueAxis)
{
    QChart *c = chart();
    c->legend()->setAlignment(Qt::AlignBottom);
    c->addAxis(m_x, Qt::AlignBottom);
    c->addAxis(m_y, Qt::AlignLeft);
    m_y->setRange(0, 100);
    m_y->setLabelFormat(QStringLiteral("%.0f%%"));
    m_y->setTitleText(QStringLiteral("failure rate"));
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(260);
}

void WhatIfChart::setTimelines(const QString &service, const std::vector<record::Timeline> &timelines)
{
    QChart *c = chart();
    c->removeAllSeries();
    m_names.clear();
    m_bands.assign(timelines.size(), {});
    std::int64_t endNs = 0;
    for (const auto &t : timelines)
        endNs = std::max(endNs, t.samples.empty() ? 0 : t.samples.back().tNs);
    const bool minutes = endNs > 600'000'000'000;
    m_scale = minutes ? 60.0 : 1.0;
    const auto x = [this](std::int64_t ns) { return double(ns) / 1e9 / m_scale; };
    const double span = std::max(1e-3, x(endNs));
    m_x->setRange(0, span);
    // Ticks at round numbers from 0, about eight of them.
    double interval = 1;
    for (const double step : {1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1200.0, 3600.0}) {
        interval = step;
        if (span / step <= 8)
            break;
    }
    m_x->setTickType(QValueAxis::TicksDynamic);
    m_x->setTickAnchor(0);
    m_x->setTickInterval(interval);
    m_x->setLabelFormat(minutes ? QStringLiteral("%.0f min") : QStringLiteral("%.0f s"));
    m_x->setTitleText(QStringLiteral("time from the recording's start"));
    c->setTitle(timelines.size() == 1 ? QStringLiteral("%1 replayed").arg(service)
                                      : QStringLiteral("What if: %1 under %2 configurations").arg(service).arg(timelines.size()));
    // One point per pixel column at most, keeping each column's peak.
    const int pixels = std::max(200, int(c->plotArea().width() > 0 ? c->plotArea().width() : width()));
    const double perPixel = std::max(1e-9, x(endNs) / pixels);
    for (std::size_t i = 0; i < timelines.size(); ++i) {
        const record::Timeline &t = timelines[i];
        const QString name = QString::fromStdString(t.config);
        m_names.push_back(name);
        const QColor color = configColor(i);
        auto *rate = new QLineSeries;
        rate->setName(QStringLiteral("%1 (threshold %2%)").arg(name).arg(t.failureThreshold));
        rate->setPen(QPen(color, 1.8));
        QList<QPointF> points;
        for (const record::TimelineSample &s : t.samples) {
            const double px = x(s.tNs);
            if (!points.isEmpty() && px - points.back().x() < perPixel)
                points.back().setY(std::max(points.back().y(), s.failureRate));
            else
                points.append(QPointF(px, s.failureRate));
            auto &bands = m_bands[i];
            if (!bands.empty() && bands.back().state == s.state)
                bands.back().to = px;
            else
                bands.push_back({bands.empty() ? 0.0 : bands.back().to, px, s.state});
        }
        rate->replace(points);
        auto *threshold = new QLineSeries;
        threshold->setName(name + QStringLiteral(" threshold"));
        threshold->setPen(QPen(color, 1.2, Qt::DashLine));
        threshold->append(0, t.failureThreshold);
        threshold->append(x(endNs), t.failureThreshold);
        auto *trips = new QScatterSeries;
        trips->setName(name + QStringLiteral(" opened"));
        trips->setMarkerShape(QScatterSeries::MarkerShapeRectangle);
        trips->setMarkerSize(9);
        trips->setColor(color);
        trips->setBorderColor(Qt::black);
        for (const std::int64_t open : t.opens)
            trips->append(x(open), t.failureThreshold);
        for (QAbstractSeries *s : {static_cast<QAbstractSeries *>(rate), static_cast<QAbstractSeries *>(threshold),
                                   static_cast<QAbstractSeries *>(trips)}) {
            c->addSeries(s);
            s->attachAxis(m_x);
            s->attachAxis(m_y);
        }
        hideFromLegend(c, threshold);
        hideFromLegend(c, trips);
    }
    // Room above the plot for one strip of states per configuration.
    c->setMargins(QMargins(8, 8 + int(timelines.size()) * kStripHeight, 8, 4));
    viewport()->update();
}

void WhatIfChart::drawForeground(QPainter *painter, const QRectF &)
{
    if (m_bands.empty() || chart()->series().isEmpty())
        return;
    const QRectF plot = chart()->plotArea();
    // The strips sit in the chart's top margin, above the title.
    const double stripsTop = chart()->geometry().top() + 8;
    QAbstractSeries *any = chart()->series().front();
    QFont font = painter->font();
    font.setPointSizeF(std::max(6.0, font.pointSizeF() * 0.8));
    painter->setFont(font);
    for (std::size_t i = 0; i < m_bands.size(); ++i) {
        const double top = stripsTop + double(i) * kStripHeight;
        const QRectF strip(plot.left(), top + 1, plot.width(), kStripHeight - 2);
        for (const Band &b : m_bands[i]) {
            const double from = chart()->mapToPosition(QPointF(b.from, 0), any).x();
            const double to = chart()->mapToPosition(QPointF(b.to, 0), any).x();
            painter->fillRect(QRectF(QPointF(std::max(from, plot.left()), strip.top()),
                                     QPointF(std::min(std::max(to, from + 1), plot.right()), strip.bottom())),
                              stateColor(b.state));
        }
        painter->setPen(Qt::black);
        painter->drawText(strip.adjusted(4, 0, 0, 0), Qt::AlignVCenter | Qt::AlignLeft, m_names[i]);
        painter->setPen(QPen(configColor(i), 3));
        painter->drawLine(QPointF(plot.left() - 6, strip.center().y()), QPointF(plot.left() - 2, strip.center().y()));
    }
}

bool renderWhatIfPng(const QString &service, const std::vector<record::Timeline> &timelines, QSize size,
                     const QString &path, QString *error)
{
    WhatIfChart chart;
    chart.setAttribute(Qt::WA_DontShowOnScreen);
    chart.resize(size);
    chart.show(); // laid out at its size, never on a screen
    chart.setTimelines(service, timelines);
    QCoreApplication::processEvents();
    chart.setTimelines(service, timelines); // again, now that the plot area's width is known
    QCoreApplication::processEvents();
    QImage image = chart.grab().toImage().convertToFormat(QImage::Format_RGB32);
    if (image.size() != size)
        image = image.scaled(size, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
    if (!image.save(path, "PNG")) {
        *error = QStringLiteral("%1: cannot write the picture").arg(path);
        return false;
    }
    return true;
}

} // namespace bb::ui
