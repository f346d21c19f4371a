// The instances panel: every instance of the fleet with its URL and how its
// link fares, greyed while it is not live. Shown when the window first sees
// a fleet; filled again with every observation (a fleet sends one whenever
// a link changes, even with no instance connected).
#pragma once

#include <QDockWidget>

class QTableView;

namespace bb::control {
struct FleetView;
}

namespace bb::ui {

class InstanceListModel;

class InstancesDock : public QDockWidget {
    Q_OBJECT
public:
    explicit InstancesDock(QWidget *parent = nullptr);
    // fleet: null for one engine (the panel hides).
    void refresh(const control::FleetView *fleet);
    InstanceListModel *model() const { return m_model; }

private:
    InstanceListModel *m_model;
    QTableView *m_view;
    bool m_fleet = false;
};

} // namespace bb::ui
