package io.herald.cluster.redis;

import io.herald.core.ServiceUnavailableException;

/**
 * Redis could not be reached, or did not answer within the command timeout: worth retrying later. The HTTP API
 * answers it with 503 and Retry-After. The cause is Lettuce's exception.
 */
public final class RedisUnavailableException extends ServiceUnavailableException {
    RedisUnavailableException(Throwable cause) {
        super("Redis is unavailable: " + cause.getMessage(), cause);
    }
}
