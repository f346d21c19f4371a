// Shared by the tests of the whole window: the threshold editor, once it opens.
#pragma once

#include "ui/mainwindow.h"
#include "ui/thresholdeditor.h"

#include <QSignalSpy>
#include <QTest>

namespace bb::testing {

// The editor opened on the selected service, once its configuration has come; null when none opens.
inline ui::ThresholdEditor *openThresholdEditor(ui::MainWindow &window)
{
    QSignalSpy opened(&window, &ui::MainWindow::thresholdEditorOpened);
    window.openThresholdEditor();
    if (!opened.wait(5000))
        return nullptr;
    return opened.front().front().value<ui::ThresholdEditor *>();
}

} // namespace bb::testing
