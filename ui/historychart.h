// A chart of the last minutes of one service: lines over time (seconds
// before now), an optional dashed threshold, and the breaker's state as
// coloured bands behind. Points are reduced to the pixels the plot shows.
#pragma once

#include "dashboardstate.h"

#include <QChartView>

#include <functional>
#include <optional>

class QLineSeries;
class QValueAxis;

namespace bb::ui {

class HistoryChart : public QChartView {
    Q_OBJECT
public:
    using Value = std::function<double(const ServicePoint &)>;
    struct Line {
        QString name;
        QColor color;
        Value value;
    };

    HistoryChart(const QString &title, const QString &unit, std::vector<Line> lines, QWidget *parent = nullptr);
    // The lines from these points (oldest first, the last is "now"); the
    // threshold, if any, as a dashed line; the states as bands.
    void setPoints(const std::deque<ServicePoint> &points, std::optional<double> threshold);
    void setDark(bool dark);
    int pointsShown(int line) const; // after the reduction to pixels
    // The states drawn as bands, oldest first.
    std::vector<BreakerState> bandStates() const;

protected:
    void drawBackground(QPainter *painter, const QRectF &rect) override;

private:
    struct Band {
        double from;
        double to;
        BreakerState state;
    };
    std::vector<Line> m_lines;
    std::vector<QLineSeries *> m_series;
    QLineSeries *m_threshold = nullptr;
    QValueAxis *m_x = nullptr;
    QValueAxis *m_y = nullptr;
    std::vector<Band> m_bands;
    QString m_unit;
};

} // namespace bb::ui
