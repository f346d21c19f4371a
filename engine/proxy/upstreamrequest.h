// A client's request as the proxy sends it upstream: the head rewritten for
// the upstream (its target and Host, hop-by-hop fields dropped, forwarding
// fields added, the body's framing stated once) and the body framed to match.
#pragma once

#include "httpparser.h"

#include "config/serviceconfig.h"

#include <QByteArray>

#include <string_view>

namespace bb::proxy {

QByteArray upstreamRequestHead(const HttpHead &request, std::string_view target, const UpstreamUrl &upstream,
                               const QByteArray &clientAddress);
// A piece of the decoded body as it goes upstream; last ends it.
QByteArray frameRequestBody(bool chunked, const QByteArray &piece, bool last);

} // namespace bb::proxy
