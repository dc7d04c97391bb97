package io.herald.client.support;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Collects Netty's "LEAK:" reports (the tests run with {@code -Dio.netty.leakDetection.level=paranoid}) so that a
 * test class can fail on a leaked buffer instead of merely logging it. Static because logback instantiates
 * appenders itself; test code only.
 */
public final class LeakRecorder extends AppenderBase<ILoggingEvent> {
    private static final ConcurrentLinkedQueue<String> LEAKS = new ConcurrentLinkedQueue<>();

    @Override
    protected void append(ILoggingEvent event) {
        if (event.getFormattedMessage().contains("LEAK")) {
            LEAKS.add(event.getFormattedMessage());
        }
    }

    /**
     * Collects garbage so that unreleased buffers become reportable, then allocates (which is when the
     * detector reports), and returns and clears every report so far.
     */
    public static List<String> collectLeaks() {
        for (int i = 0; i < 5; i++) {
            System.gc();
            ByteBuf probe = ByteBufAllocator.DEFAULT.buffer(16);
            probe.release();
        }
        List<String> leaks = new ArrayList<>(LEAKS);
        LEAKS.clear();
        return leaks;
    }
}
