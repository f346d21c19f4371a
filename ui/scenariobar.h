// The trainer's controls: which scenario plays, play/pause, restart, step,
// speed, where the scenario is, and its caption for the audience. Every
// control goes through the demo's control interface and is answered later;
// while an answer takes long the bar says "working…" and holds its controls.
#pragma once

#include "control/democontrol.h"

#include <QTimer>
#include <QToolBar>

class QAction;
class QComboBox;
class QLabel;

namespace bb::ui {

class ScenarioBar : public QToolBar {
    Q_OBJECT
public:
    explicit ScenarioBar(control::DemoControl &demo, QWidget *parent = nullptr);

    QAction *pauseAction() const { return m_pause; }
    QAction *restartAction() const { return m_restart; }
    QAction *stepAction() const { return m_step; }
    QComboBox *speedBox() const { return m_speed; }
    QComboBox *scenarioBox() const { return m_scenarios; }
    QString captionText() const;
    // Plays a scenario file once the demo has read and checked it; a file
    // with errors is refused (scenarioRefused, and a message box unless quiet).
    void playFile(const QString &path, bool quiet = false);

signals:
    void scenarioRefused(const QString &errors);

private:
    void choose(int index);
    void showStatus(const control::DemoStatus &status);
    void showBusy(bool busy);

    control::DemoControl &m_demo;
    QComboBox *m_scenarios;
    QAction *m_pause;
    QAction *m_restart;
    QAction *m_step;
    QComboBox *m_speed;
    QLabel *m_position;
    QLabel *m_working;
    QLabel *m_caption;
    QTimer m_poll;
    bool m_polling = false; // a poll is under way: no second one behind it
};

} // namespace bb::ui
