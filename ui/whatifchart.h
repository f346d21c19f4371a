// The what-if picture: one service's failure rate over the recording in
// every configuration on one chart, each configuration's threshold dashed in
// its colour, the points where it opened marked, and its states as a strip
// of coloured bands above the plot. Shown in the dashboard and drawn
// straight into a PNG by `breakerboard replay --plot`.
#pragma once

#include "record/timeline.h"

#include <QChartView>

class QValueAxis;

namespace bb::ui {

class WhatIfChart : public QChartView {
    Q_OBJECT
public:
    explicit WhatIfChart(QWidget *parent = nullptr);
    void setTimelines(const QString &service, const std::vector<record::Timeline> &timelines);
    // The colour of the n-th configuration.
    static QColor configColor(std::size_t n);

protected:
    void drawForeground(QPainter *painter, const QRectF &rect) override;

private:
    struct Band {
        double from;
        double to;
        BreakerState state;
    };
    static constexpr int kStripHeight = 16;
    QValueAxis *m_x;
    QValueAxis *m_y;
    double m_scale = 1;  // seconds per x unit
    std::vector<QString> m_names;
    std::vector<std::vector<Band>> m_bands; // per configuration
};

// Renders the chart at size into a PNG file; false with the reason.
bool renderWhatIfPng(const QString &service, const std::vector<record::Timeline> &timelines, QSize size,
                     const QString &path, QString *error);

} // namespace bb::ui
