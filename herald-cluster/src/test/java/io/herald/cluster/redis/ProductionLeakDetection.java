package io.herald.cluster.redis;

import io.netty.util.ResourceLeakDetector;

/**
 * Runs a block with Netty's leak detector at its production level (SIMPLE, 1% of buffers sampled) instead of the
 * build's PARANOID, then restores it. PARANOID records a stack trace on every buffer Lettuce allocates for a command,
 * which makes bulk runs of tens of thousands of commands about fifteen times slower: the timings measured would say
 * nothing about production, and pipelined commands would hit their timeout. Used only around the bulk measurements.
 */
final class ProductionLeakDetection implements AutoCloseable {
    private final ResourceLeakDetector.Level previous;

    private ProductionLeakDetection() {
        previous = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.SIMPLE);
    }

    static ProductionLeakDetection during() {
        return new ProductionLeakDetection();
    }

    @Override
    public void close() {
        ResourceLeakDetector.setLevel(previous);
    }
}
