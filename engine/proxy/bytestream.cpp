#include "bytestream.h"

namespace bb::proxy {

void ByteStream::finishLater(int error)
{
    QMetaObject::invokeMethod(
        this,
        [this, error, generation = m_generation] {
            if (generation == m_generation)
                finish(error);
        },
        Qt::QueuedConnection);
}

} // namespace bb::proxy
