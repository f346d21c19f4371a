// Lines for a terminal: transitions with their causes, status, errors.
#pragma once

#include "core/transitionevent.h"

#include <QString>
#include <QStringList>

#include <vector>

namespace bb::app {

void print(const QString &line);
void printError(const QString &line);
// "HH:mm:ss.zzz  payment-service closed → open: failure rate ..."
void printEvents(const std::vector<TransitionEvent> &events);
QString clockTime(std::int64_t wallMs);
// Rows in columns as wide as their widest cell, two spaces apart.
void printTable(const QList<QStringList> &rows);

} // namespace bb::app
