package io.herald.server.node;

import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes what a node started, in reverse order of start, and goes on when one part fails to close, so a failed
 * start or a stop never leaves threads, ports or connections behind.
 */
public final class Closer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Closer.class);

    private final Deque<AutoCloseable> started = new ArrayDeque<>();

    /** Registers {@code resource} to be closed before everything registered earlier; returns it. */
    public synchronized <T extends AutoCloseable> T add(T resource) {
        started.push(resource);
        return resource;
    }

    @Override
    public void close() {
        AutoCloseable next;
        while ((next = poll()) != null) {
            try {
                next.close();
            } catch (Exception e) {
                log.warn("closing {} failed", next.getClass().getSimpleName(), e);
            }
        }
    }

    private synchronized AutoCloseable poll() {
        return started.poll();
    }
}
