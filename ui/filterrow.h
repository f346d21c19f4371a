// A row of filters above a view: a text field that stretches, then the
// choices its owner adds to the layout.
#pragma once

#include <QString>

class QHBoxLayout;
class QLineEdit;
class QWidget;

namespace bb::ui {

struct FilterRow {
    QWidget *widget;
    QHBoxLayout *layout;
    QLineEdit *text;
};

FilterRow makeFilterRow(const QString &placeholder);

} // namespace bb::ui
