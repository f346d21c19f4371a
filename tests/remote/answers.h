// Shared by the remote tests: waiting for the answer to a command.
#pragma once

#include "control/commandqueue.h"

#include <QTest>

#include <optional>

namespace bb::testing {

// The answer, once it comes; a test that gets none within 5 s stops there.
template <typename T> std::optional<T> wait(control::Answer<T> answer)
{
    std::optional<T> got;
    QObject context;
    answer.then(&context, [&](const T &v) { got = v; });
    if (!QTest::qWaitFor([&] { return got.has_value(); }, 5000))
        qFatal("no answer within 5 s");
    return got;
}

} // namespace bb::testing
