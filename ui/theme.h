// Colours of states and health, and the light and dark themes. The theme
// follows the system (the palette the platform gives at start and on every
// change) unless the operator picks one.
#pragma once

#include "core/breakerstate.h"

#include <QColor>
#include <QObject>
#include <QPalette>

class QApplication;

namespace bb::ui {

QColor stateColor(BreakerState s);
// Worse is higher: closed 0 … open 5. Orders the table and picks the tray colour.
int stateSeverity(BreakerState s);
// What marks a replay (its badge, its status line): no state has this colour.
QColor replayColor();
// Green to red by how close a failure rate is to its threshold.
QColor healthColor(BreakerState s, double failureRate, double threshold);

class Theme : public QObject {
    Q_OBJECT
public:
    enum class Mode { System, Light, Dark };
    explicit Theme(QApplication &app);
    void setMode(Mode mode);
    Mode mode() const { return m_mode; }
    bool dark() const { return m_dark; }

signals:
    void changed(bool dark);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void apply();
    QApplication &m_app;
    Mode m_mode = Mode::System;
    QPalette m_systemPalette;
    bool m_systemDark = false;
    bool m_dark = false;
    bool m_applying = false;
};

} // namespace bb::ui
