package io.herald.core;

import java.time.Duration;
import java.util.Objects;

/**
 * A service the request needs (a gateway link, Redis, the database) cannot be reached right now; trying again
 * later may succeed. The HTTP API answers it with 503 and a {@code Retry-After} header instead of an internal error.
 */
public class ServiceUnavailableException extends RuntimeException {
    public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(5);

    private final Duration retryAfter;

    public ServiceUnavailableException(String message, Throwable cause) {
        this(message, cause, DEFAULT_RETRY_AFTER);
    }

    public ServiceUnavailableException(String message, Throwable cause, Duration retryAfter) {
        super(message, cause);
        this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
    }

    /** How long a caller should wait before trying again. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
