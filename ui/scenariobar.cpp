#include "scenariobar.h"

#include <QAction>
#include <QComboBox>
#include <QFileDialog>
#include <QLabel>
#include <QMessageBox>

namespace bb::ui {

namespace {
QString minutes(double s)
{
    const int whole = int(s);
    return QStringLiteral("%1:%2").arg(whole / 60).arg(whole % 60, 2, 10, QLatin1Char('0'));
}
} // namespace

ScenarioBar::ScenarioBar(control::DemoControl &demo, QWidget *parent)
    : QToolBar(QStringLiteral("Scenario"), parent), m_demo(demo)
{
    setObjectName(QStringLiteral("scenarioBar"));
    addWidget(new QLabel(QStringLiteral(" Scenario ")));
    m_scenarios = new QComboBox;
    m_scenarios->addItem(QStringLiteral("Open a file…"));
    addWidget(m_scenarios);
    connect(m_scenarios, &QComboBox::activated, this, &ScenarioBar::choose);
    m_demo.scenarios().then(this, [this](const QStringList &names) {
        m_scenarios->insertItems(0, names);
        m_scenarios->setCurrentIndex(0);
    });

    m_pause = addAction(QStringLiteral("Pause"));
    m_pause->setCheckable(true);
    m_pause->setShortcut(QKeySequence(Qt::Key_Space));
    m_pause->setToolTip(QStringLiteral("Pause the traffic and the scenario (Space)"));
    connect(m_pause, &QAction::toggled, this, [this](bool paused) {
        m_pause->setText(paused ? QStringLiteral("Resume") : QStringLiteral("Pause"));
        m_demo.setPaused(paused);
    });
    m_restart = addAction(QStringLiteral("Restart"));
    m_restart->setToolTip(QStringLiteral("Start the scenario again from 0:00"));
    connect(m_restart, &QAction::triggered, this, [this] { m_demo.restart(); });
    m_step = addAction(QStringLiteral("Step"));
    m_step->setToolTip(QStringLiteral("One request to every service and the scenario one second on"));
    connect(m_step, &QAction::triggered, this, [this] { m_demo.step(); });
    addWidget(new QLabel(QStringLiteral(" Speed ")));
    m_speed = new QComboBox;
    for (const double f : {0.25, 0.5, 1.0, 2.0, 4.0, 10.0})
        m_speed->addItem(QStringLiteral("%1×").arg(f), f);
    m_speed->setCurrentIndex(2);
    addWidget(m_speed);
    connect(m_speed, &QComboBox::currentIndexChanged, this,
            [this](int i) { m_demo.setSpeed(m_speed->itemData(i).toDouble()); });
    m_position = new QLabel;
    m_position->setMinimumWidth(90);
    addWidget(m_position);
    m_working = new QLabel(QStringLiteral("working…"));
    m_working->hide();
    addWidget(m_working);
    m_caption = new QLabel;
    QFont big = m_caption->font();
    big.setPointSizeF(big.pointSizeF() * 1.15);
    big.setBold(true);
    m_caption->setFont(big);
    addWidget(m_caption);

    connect(&m_demo, &control::DemoControl::captioned, this,
            [this](const QString &c) { m_caption->setText(QStringLiteral("▶ ") + c); });
    connect(&m_demo, &control::DemoControl::statusChanged, this, &ScenarioBar::showStatus);
    connect(&m_demo, &control::CommandQueue::busyChanged, this, &ScenarioBar::showBusy);
    m_poll.setInterval(250);
    connect(&m_poll, &QTimer::timeout, this, [this] {
        if (m_polling)
            return;
        m_polling = true;
        m_demo.refresh().then(this, [this](const control::DemoStatus &) { m_polling = false; });
    });
    m_poll.start();
    m_demo.refresh();
}

QString ScenarioBar::captionText() const { return m_caption->text(); }

void ScenarioBar::showStatus(const control::DemoStatus &s)
{
    m_position->setText(QStringLiteral("  %1 / %2%3  ")
                            .arg(minutes(s.position), minutes(s.duration),
                                 s.paused ? QStringLiteral(" (paused)") : QString()));
    if (!s.caption.isEmpty() && m_caption->text().isEmpty())
        m_caption->setText(QStringLiteral("▶ ") + s.caption);
}

void ScenarioBar::showBusy(bool busy)
{
    m_working->setVisible(busy);
    for (QAction *a : {m_pause, m_restart, m_step})
        a->setEnabled(!busy);
    m_speed->setEnabled(!busy);
    m_scenarios->setEnabled(!busy);
}

void ScenarioBar::choose(int index)
{
    if (index < m_scenarios->count() - 1) {
        m_caption->clear();
        m_demo.play(m_scenarios->itemText(index));
        return;
    }
    const QString path = QFileDialog::getOpenFileName(this, QStringLiteral("Play a scenario"), QString(),
                                                      QStringLiteral("Scenarios (*.yaml *.yml)"));
    if (!path.isEmpty())
        playFile(path);
}

void ScenarioBar::playFile(const QString &path, bool quiet)
{
    m_demo.playFile(path).then(this, [this, quiet](const control::ScenarioLoad &load) {
        if (!load.ok()) {
            if (!quiet)
                QMessageBox::warning(this, QStringLiteral("Scenario not played"), load.errors);
            emit scenarioRefused(load.errors);
            return;
        }
        const int at = m_scenarios->count() - 1;
        m_scenarios->insertItem(at, load.name);
        m_scenarios->setCurrentIndex(at);
        m_caption->clear();
        m_demo.refresh();
    });
}

} // namespace bb::ui
