package io.herald.core.event;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Event ids: a random 64-bit prefix drawn once per process and a counter, as hex ({@code 9f3c…-1a}). Unique across
 * nodes and restarts without coordination (two processes share a prefix with probability 2^-64 per pair), and
 * cheap enough for an event per ACK: no random number per event.
 */
final class EventIds {
    private final String prefix;
    private final AtomicLong sequence = new AtomicLong();

    EventIds() {
        this.prefix = String.format("%016x", new SecureRandom().nextLong());
    }

    String next() {
        return prefix + "-" + Long.toHexString(sequence.incrementAndGet());
    }
}
