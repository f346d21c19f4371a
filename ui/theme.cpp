#include "theme.h"

#include <QApplication>
#include <QEvent>
#include <QPalette>
#include <QStyle>
#include <QStyleFactory>

namespace bb::ui {

QColor stateColor(BreakerState s)
{
    switch (s) {
    case BreakerState::Closed: return QColor(0x2e, 0xa0, 0x43);
    case BreakerState::Open: return QColor(0xd7, 0x3a, 0x3a);
    case BreakerState::HalfOpen: return QColor(0xe0, 0x9b, 0x16);
    case BreakerState::ForcedOpen: return QColor(0x9c, 0x27, 0xb0);
    case BreakerState::ForcedClosed: return QColor(0x1e, 0x78, 0xc8);
    case BreakerState::Disabled: return QColor(0x80, 0x80, 0x80);
    }
    return Qt::gray;
}

QColor replayColor() { return QColor(0x00, 0x89, 0x7b); }

int stateSeverity(BreakerState s)
{
    switch (s) {
    case BreakerState::Closed: return 0;
    case BreakerState::Disabled: return 1;
    case BreakerState::ForcedClosed: return 2;
    case BreakerState::HalfOpen: return 3;
    case BreakerState::ForcedOpen: return 4;
    case BreakerState::Open: return 5;
    }
    return 0;
}

QColor healthColor(BreakerState s, double failureRate, double threshold)
{
    if (s != BreakerState::Closed)
        return stateColor(s);
    const double share = threshold > 0 ? std::min(1.0, failureRate / threshold) : 0.0;
    if (share < 0.5)
        return stateColor(BreakerState::Closed);
    return share < 1.0 ? QColor(0xe0, 0xc0, 0x16) : stateColor(BreakerState::Open);
}

namespace {
bool isDark(const QPalette &p) { return p.color(QPalette::Window).lightness() < 128; }

QPalette darkPalette()
{
    QPalette p;
    const QColor window(0x20, 0x23, 0x28), base(0x17, 0x19, 0x1d), text(0xe6, 0xe6, 0xe6);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, window);
    p.setColor(QPalette::ToolTipBase, window);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, window);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, Qt::white);
    p.setColor(QPalette::Highlight, QColor(0x3d, 0x6f, 0xb6));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::PlaceholderText, QColor(0x90, 0x90, 0x90));
    p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x70, 0x70, 0x70));
    p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x70, 0x70, 0x70));
    p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x70, 0x70, 0x70));
    p.setColor(QPalette::Link, QColor(0x6c, 0xa8, 0xf0));
    return p;
}
} // namespace

Theme::Theme(QApplication &app)
    : QObject(&app), m_app(app), m_systemPalette(QApplication::palette()), m_systemDark(isDark(m_systemPalette))
{
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    m_app.installEventFilter(this);
    apply();
}

void Theme::setMode(Mode mode)
{
    m_mode = mode;
    apply();
}

bool Theme::eventFilter(QObject *watched, QEvent *event)
{
    // The platform changed its palette (the system switched between light and dark).
    if (watched == &m_app && event->type() == QEvent::ApplicationPaletteChange && !m_applying) {
        m_systemPalette = QApplication::palette();
        m_systemDark = isDark(m_systemPalette);
        if (m_mode == Mode::System)
            apply();
    }
    return QObject::eventFilter(watched, event);
}

void Theme::apply()
{
    m_dark = m_mode == Mode::Dark || (m_mode == Mode::System && m_systemDark);
    m_applying = true;
    if (m_mode == Mode::System)
        QApplication::setPalette(m_systemDark ? m_systemPalette : QApplication::style()->standardPalette());
    else
        QApplication::setPalette(m_dark ? darkPalette() : QApplication::style()->standardPalette());
    m_applying = false;
    emit changed(m_dark);
}

} // namespace bb::ui
