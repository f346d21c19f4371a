#include "scenariobar.h"

#include "dashboardlink.h"

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

ScenarioBar::ScenarioBar(DashboardLink &link, std::vector<sim::Scenario> scenarios, std::vector<std::string> services,
                         QWidget *parent)
    : QToolBar(QStringLiteral("Scenario"), parent), m_link(link), m_list(std::move(scenarios)),
      m_services(std::move(services))
{
    setObjectName(QStringLiteral("scenarioBar"));
    addWidget(new QLabel(QStringLiteral(" Scenario ")));
    m_scenarios = new QComboBox;
    for (const sim::Scenario &s : m_list)
        m_scenarios->addItem(QString::fromStdString(s.name));
    m_scenarios->addItem(QStringLiteral("Open a file…"));
    addWidget(m_scenarios);
    connect(m_scenarios, &QComboBox::activated, this, &ScenarioBar::choose);

    m_pause = addAction(QStringLiteral("Pause"));
    m_pause->setCheckable(true);
    m_pause->setShortcut(QKeySequence(Qt::Key_Space));
    m_pause->setToolTip(QStringLiteral("Pause the traffic and the scenario (Space)"));
    connect(m_pause, &QAction::toggled, this, [this](bool paused) {
        m_link.setPaused(paused);
        m_pause->setText(paused ? QStringLiteral("Resume") : QStringLiteral("Pause"));
        m_link.refreshDemoStatus();
    });
    m_restart = addAction(QStringLiteral("Restart"));
    m_restart->setToolTip(QStringLiteral("Start the scenario again from 0:00"));
    connect(m_restart, &QAction::triggered, this, [this] {
        m_link.restartScenario();
        m_link.refreshDemoStatus();
    });
    m_step = addAction(QStringLiteral("Step"));
    m_step->setToolTip(QStringLiteral("One request to every service and the scenario one second on"));
    connect(m_step, &QAction::triggered, this, [this] {
        m_link.step();
        m_link.refreshDemoStatus();
    });
    addWidget(new QLabel(QStringLiteral(" Speed ")));
    m_speed = new QComboBox;
    for (const double f : {0.25, 0.5, 1.0, 2.0, 4.0, 10.0})
        m_speed->addItem(QStringLiteral("%1×").arg(f), f);
    m_speed->setCurrentIndex(2);
    addWidget(m_speed);
    connect(m_speed, &QComboBox::currentIndexChanged, this, [this](int i) {
        m_link.setSpeed(m_speed->itemData(i).toDouble());
        m_link.refreshDemoStatus();
    });
    m_position = new QLabel;
    m_position->setMinimumWidth(90);
    addWidget(m_position);
    m_caption = new QLabel;
    QFont big = m_caption->font();
    big.setPointSizeF(big.pointSizeF() * 1.15);
    big.setBold(true);
    m_caption->setFont(big);
    addWidget(m_caption);

    connect(&m_link, &DashboardLink::captioned, this, [this](const QString &c) {
        m_caption->setText(QStringLiteral("▶ ") + c);
        emit captionChanged(c);
    });
    connect(&m_link, &DashboardLink::demoStatusChanged, this, &ScenarioBar::showStatus);
    setEnabled(m_link.hasDemo());
    m_poll.setInterval(250);
    connect(&m_poll, &QTimer::timeout, &m_link, &DashboardLink::refreshDemoStatus);
    m_poll.start();
    m_link.refreshDemoStatus();
}

QString ScenarioBar::captionText() const { return m_caption->text(); }
void ScenarioBar::showStatus(const DemoStatus &s)
{
    m_position->setText(QStringLiteral("  %1 / %2%3  ")
                            .arg(minutes(s.position), minutes(s.duration),
                                 s.paused ? QStringLiteral(" (paused)") : QString()));
    if (!s.caption.isEmpty() && m_caption->text().isEmpty())
        m_caption->setText(QStringLiteral("▶ ") + s.caption);
}

void ScenarioBar::choose(int index)
{
    if (index < int(m_list.size())) {
        m_link.playScenario(m_list[std::size_t(index)]);
        m_caption->clear();
        m_link.refreshDemoStatus();
        return;
    }
    const QString path = QFileDialog::getOpenFileName(this, QStringLiteral("Play a scenario"), QString(),
                                                      QStringLiteral("Scenarios (*.yaml *.yml)"));
    QString errors;
    if (!path.isEmpty() && !playFile(path, &errors))
        QMessageBox::warning(this, QStringLiteral("Scenario not played"), errors);
}

bool ScenarioBar::playFile(const QString &path, QString *errors)
{
    const sim::ScenarioResult r = sim::loadScenario(path.toStdString(), m_services);
    QStringList lines;
    for (const ConfigIssue &issue : r.issues)
        if (!issue.warning)
            lines << QString::fromStdString(issue.toString());
    if (!r.scenario || !lines.isEmpty()) {
        *errors = lines.join(QLatin1Char('\n'));
        return false;
    }
    m_list.push_back(*r.scenario);
    m_scenarios->insertItem(int(m_list.size()) - 1, QString::fromStdString(r.scenario->name));
    m_scenarios->setCurrentIndex(int(m_list.size()) - 1);
    m_link.playScenario(*r.scenario);
    m_caption->clear();
    m_link.refreshDemoStatus();
    return true;
}

} // namespace bb::ui
