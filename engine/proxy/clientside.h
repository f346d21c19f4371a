// What an exchange needs from the client connection it answers.
#pragma once

#include <QByteArray>
#include <QByteArray>

namespace bb::proxy {

class ClientSide {
public:
    virtual ~ClientSide() = default;
    virtual void writeToClient(const QByteArray &bytes) = 0;
    virtual qint64 clientPendingWrite() const = 0;
    // The response is complete; closeAfter: the connection must not be reused.
    virtual void exchangeFinished(bool closeAfter) = 0;
    // The exchange can take more of the request body again.
    virtual void resumeRequestBody() = 0;
    virtual const QByteArray &peerAddress() const = 0;
};

} // namespace bb::proxy
