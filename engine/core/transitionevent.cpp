#include "transitionevent.h"

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
    return line;
}

} // namespace bb
