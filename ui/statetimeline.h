// A strip of the last minutes coloured by state, with the transitions marked.
#pragma once

#include "dashboardstate.h"

#include <QWidget>

namespace bb::ui {

class StateTimeline : public QWidget {
    Q_OBJECT
public:
    explicit StateTimeline(QWidget *parent = nullptr);
    void setPoints(const std::deque<ServicePoint> &points);
    // For groups: states at times (ms since the epoch), oldest first, up to now.
    void setStates(const std::vector<std::pair<std::int64_t, BreakerState>> &changes, std::int64_t nowMs);
    QSize sizeHint() const override { return {300, 34}; }

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    std::vector<std::pair<double, BreakerState>> m_segments; // start (seconds ago, negative), state
};

} // namespace bb::ui
