#include "transitionevent.h"

#include "breakerpolicy.h"

namespace bb {

std::string TransitionEvent::describe() const
{
    std::string line = isGroup ? "group " : "";
    line += subject;
    line += ' ';
    line += nameOf(from);
    line += " → ";
    line += nameOf(to);
    line += ": ";
    line += cause.toString();
    line += enforcementMark();
    return line;
}

std::string TransitionEvent::enforcementMark() const
{
    const std::string mark = enforcementText(enforcement);
    return mark.empty() ? mark : " (" + mark + ")";
}

} // namespace bb
