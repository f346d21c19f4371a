#include "slidingwindow.h"

#include "countwindow.h"
#include "timewindow.h"

namespace bb {

std::unique_ptr<SlidingWindow> SlidingWindow::create(WindowType type, std::uint32_t size)
{
    if (type == WindowType::Count)
        return std::make_unique<CountWindow>(size);
    return std::make_unique<TimeWindow>(size);
}

} // namespace bb
