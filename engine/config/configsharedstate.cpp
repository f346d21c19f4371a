// The `shared_state:` block: where Redis is, the cluster's key prefix and
// how breakers take part (DESIGN.md, "Shared state through Redis").
#include "configreader.h"

#include <filesystem>

namespace bb {

void ConfigReader::readSharedState(const YAML::Node &n, Configuration &config)
{
    if (!isMap(n, "shared_state"))
        return;
    checkKeys(n, {"redis", "password_file", "cluster", "breakers", "quorum"}, "shared_state");
    SharedStateConfig s;
    if (!hasKey(n, "redis")) {
        error(n, "shared_state needs redis: redis://HOST:PORT[/DB]");
    } else if (auto url = text(n["redis"], "shared_state.redis")) {
        std::string why;
        if (auto endpoint = parseRedisEndpoint(*url, &why)) {
            s.redisUrl = *url;
            s.redis = *endpoint;
        } else {
            error(n["redis"], "shared_state.redis: " + why);
        }
    }
    if (hasKey(n, "password_file")) {
        if (auto path = text(n["password_file"], "shared_state.password_file")) {
            if (path->empty())
                error(n["password_file"], "shared_state.password_file must name a file");
            else if (s.redis.hasPassword)
                error(n["password_file"], "shared_state: the password is given twice, in redis and in password_file");
            else
                s.passwordFile = (std::filesystem::path(m_file).parent_path() / *path).lexically_normal().string();
        }
    }
    if (hasKey(n, "cluster")) {
        if (auto name = text(n["cluster"], "shared_state.cluster")) {
            if (isClusterName(*name))
                s.cluster = *name;
            else
                error(n["cluster"], "shared_state.cluster must be 1 to 64 letters, digits, '-', '_' or '.', got '" +
                                        *name + "'");
        }
    }
    if (hasKey(n, "breakers")) {
        if (auto mode = oneOf<SharedBreakers>(n["breakers"], "shared_state.breakers",
                                              {{"local", SharedBreakers::Local}, {"follow", SharedBreakers::Follow}},
                                              "'local' or 'follow'"))
            s.breakers = *mode;
    }
    if (hasKey(n, "quorum")) {
        if (auto v = integer(n["quorum"], "shared_state.quorum", 1, kMaxQuorum)) {
            if (s.breakers == SharedBreakers::Follow)
                s.quorum = std::uint32_t(*v);
            else
                error(n["quorum"], "shared_state.quorum counts instances for breakers: follow; breakers is " +
                                       std::string(nameOf(s.breakers)));
        }
    }
    config.sharedState = std::move(s);
}

} // namespace bb
