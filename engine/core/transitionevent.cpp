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
    if (const std::string mark = enforcementText(enforcement); !mark.empty())
        line += " (" + mark + ")";
    return line;
}

} // namespace bb
