package io.herald.gateway.delivery;

import io.herald.core.message.PushMessage;
import org.slf4j.MDC;

/** Logging about one message with its trace id in the MDC ({@code traceId}), so log lines can be followed by it. */
final class TraceLogging {
    private TraceLogging() {
    }

    static void withTrace(PushMessage message, Runnable logging) {
        if (message.traceId() == null) {
            logging.run();
            return;
        }
        try (MDC.MDCCloseable ignored = MDC.putCloseable("traceId", message.traceId())) {
            logging.run();
        }
    }
}
