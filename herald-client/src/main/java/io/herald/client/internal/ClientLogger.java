package io.herald.client.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An SLF4J logger that starts every line with {@code [clientId]}: with thousands of clients in one JVM a line
 * without it is useless. (MDC does not fit: a client's work hops between shared event-loop threads.)
 */
public final class ClientLogger {
    private final Logger log;
    private final String clientId;
    private final String prefix;

    public ClientLogger(Class<?> owner, String clientId) {
        this.log = LoggerFactory.getLogger(owner);
        this.clientId = clientId;
        this.prefix = "[" + clientId + "] ";
    }

    /** The same client id, logging under another class's name. */
    public ClientLogger forClass(Class<?> owner) {
        return new ClientLogger(owner, clientId);
    }

    public void debug(String format, Object... args) {
        if (log.isDebugEnabled()) {
            log.debug(prefix + format, args);
        }
    }

    public void info(String format, Object... args) {
        if (log.isInfoEnabled()) {
            log.info(prefix + format, args);
        }
    }

    public void warn(String format, Object... args) {
        if (log.isWarnEnabled()) {
            log.warn(prefix + format, args);
        }
    }

    public void error(String format, Object... args) {
        if (log.isErrorEnabled()) {
            log.error(prefix + format, args);
        }
    }
}
