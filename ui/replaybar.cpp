#include "replaybar.h"

#include "eventlogmodel.h"
#include "theme.h"

#include <QAction>
#include <QComboBox>
#include <QLabel>
#include <QProxyStyle>
#include <QSignalBlocker>
#include <QSlider>

#include <algorithm>
#include <limits>

namespace bb::ui {

namespace {
// A click on the timeline jumps there, instead of a page towards it.
class JumpingSliderStyle : public QProxyStyle {
public:
    using QProxyStyle::QProxyStyle;
    int styleHint(StyleHint hint, const QStyleOption *option, const QWidget *widget,
                  QStyleHintReturn *returned) const override
    {
        if (hint == SH_Slider_AbsoluteSetButtons)
            return Qt::LeftButton;
        return QProxyStyle::styleHint(hint, option, widget, returned);
    }
};

constexpr std::int64_t kNsPerMs = 1'000'000;

// The timeline's unit: milliseconds, or coarser for recordings too long for an int of them.
std::int64_t timelineUnitNs(std::int64_t endNs)
{
    return std::max(kNsPerMs, endNs / std::numeric_limits<int>::max() + 1);
}
} // namespace

QString replayClock(std::int64_t ns)
{
    const std::int64_t tenths = ns / 100'000'000;
    const std::int64_t s = tenths / 10;
    if (s >= 3600)
        return QStringLiteral("%1:%2:%3")
            .arg(s / 3600)
            .arg(s / 60 % 60, 2, 10, QLatin1Char('0'))
            .arg(s % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1:%2.%3").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0')).arg(tenths % 10);
}

ReplayBar::ReplayBar(control::ReplayControl &control, std::int64_t startWallMs, QWidget *parent)
    : QToolBar(QStringLiteral("Replay"), parent), m_control(control), m_startWallMs(startWallMs)
{
    setObjectName(QStringLiteral("replayBar"));
    auto *badge = new QLabel(QStringLiteral(" REPLAY "));
    badge->setStyleSheet(QStringLiteral("QLabel { background: %1; color: white; font-weight: bold;"
                                        " border-radius: 3px; padding: 2px 6px; margin-right: 6px; }")
                             .arg(replayColor().name()));
    badge->setToolTip(QStringLiteral("Recorded traffic replayed through the engine on a virtual clock: not live"));
    addWidget(badge);

    m_play = addAction(QStringLiteral("Play"));
    m_play->setShortcut(QKeySequence(Qt::Key_Space));
    m_play->setToolTip(QStringLiteral("Play or pause the replay (Space)"));
    connect(m_play, &QAction::triggered, this, [this] {
        if (m_control.status().playing)
            m_control.pause();
        else
            m_control.play();
    });
    m_step = addAction(QStringLiteral("Step 1 s"));
    m_step->setShortcut(QKeySequence(Qt::Key_Period));
    m_step->setToolTip(QStringLiteral("Pause and replay the next second of the recording (.)"));
    connect(m_step, &QAction::triggered, this, [this] { m_control.step(); });

    addWidget(new QLabel(QStringLiteral(" Speed ")));
    m_speed = new QComboBox;
    for (const int f : {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000})
        m_speed->addItem(QStringLiteral("%1×").arg(f), double(f));
    m_speed->addItem(QStringLiteral("max"), control::kMaxReplaySpeed);
    m_speed->setToolTip(QStringLiteral("Recording time per second of wall time; max: as fast as the machine goes"));
    addWidget(m_speed);
    connect(m_speed, &QComboBox::currentIndexChanged, this,
            [this](int i) { m_control.setSpeed(m_speed->itemData(i).toDouble()); });

    m_timeline = new QSlider(Qt::Horizontal);
    auto *style = new JumpingSliderStyle;
    style->setParent(m_timeline);
    m_timeline->setStyle(style);
    m_timeline->setTracking(false);
    m_timeline->setMinimumWidth(320);
    m_timeline->setToolTip(QStringLiteral("Where the replay is: click or drag to seek; arrows move a second, "
                                          "Page Up and Down ten, Home and End to the ends"));
    addWidget(m_timeline);
    // The mouse seeks where the handle is let go (not on the press or on the
    // way); keys and the wheel seek at once.
    connect(m_timeline, &QSlider::sliderReleased, this, [this] { seekTo(m_timeline->sliderPosition()); });
    connect(m_timeline, &QSlider::actionTriggered, this, [this](int action) {
        if (action != QAbstractSlider::SliderMove && !m_timeline->isSliderDown())
            seekTo(m_timeline->sliderPosition());
    });

    m_position = new QLabel;
    m_position->setMinimumWidth(220);
    addWidget(m_position);
    m_working = new QLabel(QStringLiteral("working…"));
    m_working->hide();
    addWidget(m_working);

    addSeparator();
    QAction *whatIf = addAction(QStringLiteral("What-if…"));
    whatIf->setToolTip(QStringLiteral("The same traffic through other configurations, on one chart"));
    connect(whatIf, &QAction::triggered, this, &ReplayBar::whatIfRequested);

    connect(&m_control, &control::ReplayControl::statusChanged, this, &ReplayBar::showStatus);
    connect(&m_control, &control::CommandQueue::busyChanged, this, &ReplayBar::showBusy);
    showStatus(m_control.status());
}

QString ReplayBar::positionText() const { return m_position->text(); }

void ReplayBar::seekTo(int position)
{
    // The right end is the recording's end, not its last whole unit.
    const std::int64_t endNs = m_control.status().endNs;
    m_control.seek(position >= m_timeline->maximum() ? endNs : position * timelineUnitNs(endNs));
}

void ReplayBar::showBusy(bool busy)
{
    m_working->setVisible(busy);
    for (QAction *a : {m_play, m_step})
        a->setEnabled(!busy);
    m_speed->setEnabled(!busy);
    m_timeline->setEnabled(!busy);
}

void ReplayBar::showStatus(const control::ReplayStatus &status)
{
    m_play->setText(status.playing ? QStringLiteral("Pause") : QStringLiteral("Play"));
    const int speedIndex = m_speed->findData(status.speed);
    if (speedIndex >= 0 && speedIndex != m_speed->currentIndex()) {
        const QSignalBlocker block(m_speed);
        m_speed->setCurrentIndex(speedIndex);
    }
    if (!m_timeline->isSliderDown()) {
        const std::int64_t unit = timelineUnitNs(status.endNs);
        const QSignalBlocker block(m_timeline);
        m_timeline->setRange(0, int(status.endNs / unit));
        m_timeline->setSingleStep(int(std::max<std::int64_t>(1, 1'000 * kNsPerMs / unit)));
        m_timeline->setPageStep(int(std::max<std::int64_t>(1, 10'000 * kNsPerMs / unit)));
        m_timeline->setValue(int(status.positionNs / unit));
    }
    QString text = QStringLiteral("%1 / %2").arg(replayClock(status.positionNs), replayClock(status.endNs));
    if (m_startWallMs > 0)
        text += QStringLiteral("   at %1").arg(clockText(m_startWallMs + status.positionNs / kNsPerMs));
    if (status.atEnd)
        text += QStringLiteral("   (end)");
    m_position->setText(text);
}

} // namespace bb::ui
