// The trainer's controls: which scenario plays, play/pause, restart, step,
// speed, where the scenario is, and its caption for the audience.
#pragma once

#include "dashboardlink.h"
#include "sim/scenario.h"

#include <QTimer>
#include <QToolBar>

class QAction;
class QComboBox;
class QLabel;

namespace bb::ui {


class ScenarioBar : public QToolBar {
    Q_OBJECT
public:
    // scenarios: those offered (the first is playing); services: for checking a scenario file.
    ScenarioBar(DashboardLink &link, std::vector<sim::Scenario> scenarios, std::vector<std::string> services,
                QWidget *parent = nullptr);

    QAction *pauseAction() const { return m_pause; }
    QAction *restartAction() const { return m_restart; }
    QAction *stepAction() const { return m_step; }
    QComboBox *speedBox() const { return m_speed; }
    QComboBox *scenarioBox() const { return m_scenarios; }
    QString captionText() const;
    // Plays a scenario file; false with the reasons when it has errors.
    bool playFile(const QString &path, QString *errors);

signals:
    void captionChanged(const QString &caption);

private:
    void choose(int index);
    void showStatus(const DemoStatus &status);

    DashboardLink &m_link;
    std::vector<sim::Scenario> m_list;
    std::vector<std::string> m_services;
    QComboBox *m_scenarios;
    QAction *m_pause;
    QAction *m_restart;
    QAction *m_step;
    QComboBox *m_speed;
    QLabel *m_position;
    QLabel *m_caption;
    QTimer m_poll;
};

} // namespace bb::ui
