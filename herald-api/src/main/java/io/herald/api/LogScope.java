package io.herald.api;

import java.util.function.Supplier;
import org.slf4j.MDC;

/**
 * Runs code with {@code traceId} and {@code clientId} in the SLF4J MDC of the current thread, so that every line
 * logged meanwhile (ours and that of the services we call) carries them, and restores what was there before.
 * The MDC is thread-local, so a scope is opened on each thread that logs about a request (the blocking worker,
 * then whichever thread completes the push); restoring rather than clearing leaves a foreign thread's own MDC
 * as it was.
 */
final class LogScope {

    private LogScope() {
    }

    /** Calls {@code body} with the given keys in the MDC; null values are left out. */
    static <T> T call(String traceId, String clientId, Supplier<T> body) {
        String previousTrace = swap(TraceIds.MDC_TRACE_ID, traceId);
        String previousClient = swap(TraceIds.MDC_CLIENT_ID, clientId);
        try {
            return body.get();
        } finally {
            if (clientId != null) {
                restore(TraceIds.MDC_CLIENT_ID, previousClient);
            }
            if (traceId != null) {
                restore(TraceIds.MDC_TRACE_ID, previousTrace);
            }
        }
    }

    static <T> T withClientId(String clientId, Supplier<T> body) {
        return call(null, clientId, body);
    }

    private static String swap(String key, String value) {
        if (value == null) {
            return null;
        }
        String previous = MDC.get(key);
        MDC.put(key, value);
        return previous;
    }

    private static void restore(String key, String previous) {
        if (previous == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, previous);
        }
    }
}
