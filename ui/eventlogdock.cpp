#include "eventlogdock.h"

#include "dashboardlink.h"
#include "eventlogmodel.h"
#include "filterrow.h"

#include <QComboBox>
#include <QHeaderView>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QSaveFile>
#include <QScrollBar>
#include <QTableView>
#include <QVBoxLayout>

namespace bb::ui {

EventLogDock::EventLogDock(DashboardLink &link, std::function<std::int64_t()> now, QWidget *parent)
    : QDockWidget(QStringLiteral("Event log"), parent), m_link(link), m_now(std::move(now))
{
    setObjectName(QStringLiteral("eventLog"));
    m_model = new EventLogModel(this);
    m_filter = new EventFilterModel(this);
    m_filter->setSourceModel(m_model);
    auto *panel = new QWidget;
    auto *layout = new QVBoxLayout(panel);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addWidget(buildFilters());

    m_view = new QTableView;
    m_view->setModel(m_filter);
    m_view->verticalHeader()->setVisible(false);
    m_view->verticalHeader()->setDefaultSectionSize(22);
    m_view->horizontalHeader()->setStretchLastSection(false);
    m_view->horizontalHeader()->setSectionResizeMode(EventLogModel::What, QHeaderView::Stretch);
    m_view->setColumnWidth(EventLogModel::Subject, 170);
    m_view->setColumnWidth(EventLogModel::By, 160);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    m_view->setWordWrap(false);
    layout->addWidget(m_view);
    connect(m_model, &QAbstractItemModel::rowsInserted, m_view, [this] {
        if (m_view->verticalScrollBar()->value() >= m_view->verticalScrollBar()->maximum() - 2)
            m_view->scrollToBottom();
    });
    connect(m_view, &QWidget::customContextMenuRequested, this, [this](const QPoint &pos) {
        const QModelIndex i = m_view->indexAt(pos);
        if (!i.isValid())
            return;
        const int sourceRow = m_filter->mapToSource(i).row();
        QMenu menu;
        QAction *undo = menu.addAction(QStringLiteral("Undo this action…"), this,
                                       [this, sourceRow] { emit undoRequested(sourceRow); });
        undo->setEnabled(m_model->undoOf(sourceRow).has_value());
        menu.exec(m_view->viewport()->mapToGlobal(pos));
    });
    setWidget(panel);
    connect(&m_link, &DashboardLink::transitioned, m_model, &EventLogModel::addTransition);
    connect(&m_link, &DashboardLink::audited, m_model, &EventLogModel::addAudit);
}

QWidget *EventLogDock::buildFilters()
{
    const FilterRow row = makeFilterRow(QStringLiteral("Service or group"));
    QLineEdit *subject = row.text;
    auto *kind = new QComboBox;
    kind->addItems({QStringLiteral("All kinds"), kindLabel(LogEntry::Kind::Transition), kindLabel(LogEntry::Kind::Operator),
                    kindLabel(LogEntry::Kind::Policy), kindLabel(LogEntry::Kind::Reload),
                    kindLabel(LogEntry::Kind::Outcome)});
    auto *since = new QComboBox;
    since->addItem(QStringLiteral("Any time"), 0);
    since->addItem(QStringLiteral("Last 5 minutes"), 5);
    since->addItem(QStringLiteral("Last 15 minutes"), 15);
    since->addItem(QStringLiteral("Last hour"), 60);
    auto *exportButton = new QPushButton(QStringLiteral("Export CSV…"));
    row.layout->addWidget(kind);
    row.layout->addWidget(since);
    row.layout->addWidget(exportButton);
    connect(subject, &QLineEdit::textChanged, m_filter, &EventFilterModel::setSubject);
    connect(kind, &QComboBox::currentIndexChanged, this, [this](int i) {
        m_filter->setKind(i == 0 ? std::nullopt : std::optional(LogEntry::Kind(i - 1)));
    });
    connect(since, &QComboBox::currentIndexChanged, this, [this, since](int i) {
        const int minutes = since->itemData(i).toInt();
        m_filter->setSince(minutes == 0 ? 0 : m_now() - qint64(minutes) * 60'000);
    });
    connect(exportButton, &QPushButton::clicked, this, &EventLogDock::exportRequested);
    return row.widget;
}

void EventLogDock::reload()
{
    // What arrives live until the history answers is in the history too.
    m_model->clear();
    const quint64 load = ++m_loads;
    m_link.control().history(500).then(this, [this, load](const control::History &history) {
        if (load != m_loads)
            return;
        m_model->clear();
        const auto &transitions = history.transitions;
        const auto &audit = history.audit;
        std::size_t t = 0, a = 0;
        while (t < transitions.size() || a < audit.size()) {
            if (a == audit.size() || (t < transitions.size() && transitions[t].wallMs <= audit[a].wallMs))
                m_model->addTransition(transitions[t++]);
            else
                m_model->addAudit(audit[a++]);
        }
        emit loaded();
    });
}

bool EventLogDock::exportTo(const QString &path, QString *error)
{
    QSaveFile file(path);
    if (file.open(QIODevice::WriteOnly)) {
        exportCsv(*m_filter, file);
        if (file.commit())
            return true;
    }
    *error = QStringLiteral("Cannot write %1: %2").arg(path, file.errorString());
    return false;
}

int EventLogDock::shownRows() const { return m_filter->rowCount(); }

} // namespace bb::ui
