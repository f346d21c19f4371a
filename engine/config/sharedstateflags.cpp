#include "sharedstateflags.h"

namespace bb {

std::string checkSharedStateFlags(const SharedStateFlags &flags)
{
    std::string why;
    if (flags.redis && !parseRedisEndpoint(*flags.redis, &why))
        return "--redis: " + why;
    if (flags.instance && !isInstanceName(*flags.instance))
        return "--instance must be 1 to 64 letters, digits, '.', '_', ':' or '-', got '" + *flags.instance + "'";
    return {};
}

std::optional<SharedStateSettings> mergeSharedState(const std::optional<SharedStateConfig> &fromFile,
                                                    const SharedStateFlags &flags, const std::string &defaultInstance)
{
    if (!fromFile && !flags.redis)
        return std::nullopt;
    SharedStateSettings s;
    if (fromFile)
        s.config = *fromFile;
    if (flags.redis) {
        if (auto endpoint = parseRedisEndpoint(*flags.redis, nullptr)) {
            s.config.redisUrl = *flags.redis;
            s.config.redis = *endpoint;
            if (endpoint->hasPassword)
                s.config.passwordFile.clear();
        }
    }
    s.instance = flags.instance.value_or(defaultInstance);
    return s;
}

} // namespace bb
