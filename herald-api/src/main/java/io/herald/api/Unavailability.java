package io.herald.api;

import io.herald.core.ServiceUnavailableException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientException;
import java.time.Duration;

/** Tells failures worth retrying later (a service is down) from bugs, by the exception's cause chain. */
final class Unavailability {
    private static final int MAX_DEPTH = 10;

    private Unavailability() {
    }

    /** How long to wait before retrying, or null when the failure is not an unavailable service. */
    static Duration retryAfter(Throwable failure) {
        Throwable cause = failure;
        for (int depth = 0; cause != null && depth < MAX_DEPTH; depth++, cause = cause.getCause()) {
            if (cause instanceof ServiceUnavailableException unavailable) {
                return unavailable.retryAfter();
            }
            // The JDBC driver could not reach the database, or the pool waited in vain for a connection.
            if (cause instanceof SQLTransientException || cause instanceof SQLNonTransientConnectionException) {
                return ServiceUnavailableException.DEFAULT_RETRY_AFTER;
            }
        }
        return null;
    }
}
