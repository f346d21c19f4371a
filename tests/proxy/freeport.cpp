#include "freeport.h"

#include <QTcpServer>

namespace bb::testing {

quint16 freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

} // namespace bb::testing
