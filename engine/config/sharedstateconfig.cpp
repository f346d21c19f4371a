#include "sharedstateconfig.h"

#include "shared/redisurl.h"

#include <algorithm>

namespace bb {

namespace {
bool isNameOf(std::string_view name, std::string_view punctuation)
{
    const auto allowed = [punctuation](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               punctuation.find(c) != std::string_view::npos;
    };
    return !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), allowed);
}
} // namespace

std::string_view nameOf(SharedBreakers b) { return b == SharedBreakers::Follow ? "follow" : "local"; }

std::string RedisEndpoint::display() const
{
    const bool v6 = host.find(':') != std::string::npos;
    return (v6 ? '[' + host + ']' : host) + ':' + std::to_string(port) + '/' + std::to_string(db);
}

std::optional<RedisEndpoint> parseRedisEndpoint(const std::string &url, std::string *error)
{
    QString why;
    const auto address = shared::parseRedisUrl(QString::fromStdString(url), &why);
    if (!address) {
        if (error)
            *error = why.toStdString();
        return std::nullopt;
    }
    return RedisEndpoint{address->host.toStdString(), address->port, address->db, !address->password.isEmpty()};
}

bool isClusterName(std::string_view name) { return isNameOf(name, "-_."); }

bool isInstanceName(std::string_view name) { return isNameOf(name, "._:-"); }

} // namespace bb
