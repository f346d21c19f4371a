#include "whatifview.h"

#include "whatifchart.h"

#include "record/replayreport.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace bb::ui {

WhatIfView::WhatIfView(record::WhatIf whatIf, const QString &recordingName, QWidget *parent)
    : QDialog(parent), m_whatIf(std::move(whatIf))
{
    QStringList names;
    for (const std::string &c : m_whatIf.configs)
        names << QString::fromStdString(c);
    setWindowTitle(QStringLiteral("What if: %1 through %2").arg(recordingName, names.join(QStringLiteral(", "))));

    m_services = new QComboBox;
    for (const auto &[service, courses] : m_whatIf.courses)
        m_services->addItem(QString::fromStdString(service));
    m_chart = new WhatIfChart;
    m_chart->setMinimumSize(900, 420);
    m_trips = new QPlainTextEdit;
    m_trips->setReadOnly(true);
    m_trips->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_trips->setMaximumHeight(150);
    std::vector<std::string> lines = record::tripComparison(m_whatIf.configs, m_whatIf.transitions);
    QString text = QStringLiteral("Trip points (when each breaker opened, from the recording's start):\n");
    for (const std::string &line : lines)
        text += QString::fromStdString(line) + QLatin1Char('\n');
    m_trips->setPlainText(text);

    auto *save = new QPushButton(QStringLiteral("Save as PNG…"));
    connect(save, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, QStringLiteral("Save the what-if chart"),
                                                          QStringLiteral("what-if.png"), QStringLiteral("PNG (*.png)"));
        QString error;
        const QString service = m_services->currentText();
        if (!path.isEmpty() &&
            !renderWhatIfPng(service, m_whatIf.courses[service.toStdString()], QSize(1200, 600), path, &error))
            QMessageBox::warning(this, QStringLiteral("Cannot save the chart"), error);
    });
    auto *top = new QHBoxLayout;
    top->addWidget(new QLabel(QStringLiteral("Service")));
    top->addWidget(m_services);
    top->addStretch(1);
    top->addWidget(save);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_chart, 1);
    layout->addWidget(m_trips);
    connect(m_services, &QComboBox::currentTextChanged, this, &WhatIfView::showService);
    showService(QString::fromStdString(m_whatIf.shown));
    resize(1100, 680);
}

void WhatIfView::showService(const QString &service)
{
    const auto it = m_whatIf.courses.find(service.toStdString());
    if (it == m_whatIf.courses.end())
        return;
    if (m_services->currentText() != service) {
        m_services->setCurrentText(service); // which comes back here
        return;
    }
    m_chart->setTimelines(service, it->second);
}

QString WhatIfView::tripsText() const { return m_trips->toPlainText(); }

} // namespace bb::ui
