package io.herald.server.cluster;

import io.herald.cluster.redis.RedisConnections;

/** Health checks of the shared services, as /health reports them. */
final class ClusterHealth {
    private ClusterHealth() {
    }

    /** A PING within the command timeout. */
    static boolean redisAnswers(RedisConnections redis) {
        try {
            return "PONG".equals(redis.sync().ping());
        } catch (RuntimeException e) {
            return false;
        }
    }
}
