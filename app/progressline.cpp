#include "progressline.h"

#include <cstdio>
#include <unistd.h>

namespace bb::app {

ProgressLine::ProgressLine(QString what) : m_what(std::move(what)), m_enabled(isatty(STDERR_FILENO) == 1) {}

ProgressLine::~ProgressLine() { done(); }

void ProgressLine::update(double fraction)
{
    if (!m_enabled)
        return;
    const int percent = int(std::clamp(fraction, 0.0, 1.0) * 100.0);
    if (percent == m_lastPercent || (m_drawn && m_sinceDraw.isValid() && m_sinceDraw.elapsed() < 100))
        return;
    m_lastPercent = percent;
    m_sinceDraw.start();
    m_drawn = true;
    std::fprintf(stderr, "\r%s %3d%%", m_what.toUtf8().constData(), percent);
    std::fflush(stderr);
}

void ProgressLine::done()
{
    if (!m_drawn)
        return;
    m_drawn = false;
    std::fputs("\r\033[K", stderr); // the line is cleared: what follows starts clean
    std::fflush(stderr);
}

} // namespace bb::app
