#include "filterrow.h"

#include <QHBoxLayout>
#include <QLineEdit>

namespace bb::ui {

FilterRow makeFilterRow(const QString &placeholder)
{
    FilterRow row{new QWidget, nullptr, new QLineEdit};
    row.layout = new QHBoxLayout(row.widget);
    row.layout->setContentsMargins(0, 0, 0, 0);
    row.text->setPlaceholderText(placeholder);
    row.text->setClearButtonEnabled(true);
    row.layout->addWidget(row.text, 1);
    return row;
}

} // namespace bb::ui
