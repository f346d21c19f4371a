// The tile grid, in the spirit of the Hystrix dashboard: a tile per service
// with a circle coloured by health and sized by traffic, a two-minute
// sparkline of requests and failures, and the key counts. Painted directly,
// visible tiles only, so a thousand services stay cheap.
#pragma once

#include "dashboardstate.h"

#include <QAbstractScrollArea>
#include <QSet>

namespace bb::ui {

class TileView : public QAbstractScrollArea {
    Q_OBJECT
public:
    static constexpr int kTileWidth = 200;
    static constexpr int kTileHeight = 128;
    static constexpr int kSparkSeconds = 120;

    explicit TileView(const DashboardState &state, QWidget *parent = nullptr);
    // After state.update(): repaints the changed tiles that are visible.
    void refresh(const std::vector<int> &changedRows);
    void setSelected(const QStringList &names);
    // The service at a point of the viewport, or -1.
    int rowAt(const QPoint &point) const;
    QRect tileRect(int row) const; // in viewport coordinates

signals:
    void serviceClicked(const QString &name, Qt::KeyboardModifiers modifiers);
    void contextMenuRequested(const QString &name, const QPoint &globalPos);

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;
    void scrollContentsBy(int dx, int dy) override;

private:
    int columns() const;
    void updateScrollBar();
    void paintTile(QPainter &p, int row, const QRect &r, double maxRate) const;

    const DashboardState &m_state;
    QSet<QString> m_selected;
};

} // namespace bb::ui
