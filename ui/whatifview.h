// The dashboard's what-if view: a recording played through two or more
// configurations, with the chosen service's failure rate, thresholds, trip
// points and state bands of every configuration on one chart, where their
// trip points differ, and the chart saved as a PNG for an incident report.
#pragma once

#include "record/timeline.h"

#include <QDialog>

class QComboBox;
class QPlainTextEdit;

namespace bb::ui {

class WhatIfChart;

class WhatIfView : public QDialog {
    Q_OBJECT
public:
    WhatIfView(record::WhatIf whatIf, const QString &recordingName, QWidget *parent = nullptr);

    void showService(const QString &service);
    QComboBox *serviceBox() const { return m_services; }
    QString tripsText() const;

private:
    record::WhatIf m_whatIf;
    QComboBox *m_services;
    WhatIfChart *m_chart;
    QPlainTextEdit *m_trips;
};

} // namespace bb::ui
