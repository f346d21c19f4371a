// The detail pane for the selected service or group: failure-rate and
// slow-call-rate charts with their thresholds and the state as bands, the
// request split, latency p50/p99, a state timeline, and "why it tripped":
// the cause of the last trip with the window's contents at that moment.
// Over a fleet, an instance's row shows that instance alone: its own
// figures and history, and the cause of its last change as it said it.
// Redraws at most every 40 ms.
#pragma once

#include "dashboardlink.h"
#include "dashboardstate.h"

#include <QTimer>
#include <QWidget>

class QLabel;
class QTextBrowser;

namespace bb::ui {

class HistoryChart;
class StateTimeline;

class DetailPane : public QWidget {
    Q_OBJECT
public:
    static constexpr int kRedrawMs = 40;

    DetailPane(DashboardLink &link, const DashboardState &state, QWidget *parent = nullptr);
    void showService(const QString &name);
    // The service as one instance of the fleet sees it.
    void showInstance(const QString &service, const QString &instance);
    void showGroup(const QString &name);

    // New figures arrived: redraw soon (not sooner than kRedrawMs after the last).
    void refresh();
    // A transition happened: the "why" may have changed.
    void transitioned(const TransitionEvent &event);
    // The engine behind the link was replaced: its transitions again.
    void reload();
    void setDark(bool dark);

    HistoryChart *failureChart() const { return m_failure; }
    QString headline() const;
    QString whyText() const;

private:
    void redraw();
    void redrawGroup(const EngineSnapshot &snap);
    // The service's figures from state (the fleet's, or an instance's).
    void redrawService(const DashboardState &state);
    // Asks for the subject's transitions; showWhy() when they come.
    void loadWhy();
    void showWhy(const std::vector<TransitionEvent> &transitions);

    DashboardLink &m_link;
    const DashboardState &m_state;
    QString m_subject;
    QString m_instance; // empty: the whole fleet (or the one engine)
    bool m_group = false;
    QLabel *m_title;
    QLabel *m_summary;
    HistoryChart *m_failure;
    HistoryChart *m_slow;
    HistoryChart *m_split;
    HistoryChart *m_latency;
    StateTimeline *m_timeline;
    QTextBrowser *m_why;
    QWidget *m_charts;
    QTimer m_redraw;
    std::vector<TransitionEvent> m_transitions; // of the subject, oldest first
    QString m_instanceWhy; // shown for an instance
};

// HTML of a transition's cause and the window it was judged on.
QString describeTrip(const TransitionEvent &event);

} // namespace bb::ui
