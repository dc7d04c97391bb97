package io.herald.it;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Collects Netty's "LEAK:" reports (the build runs tests with {@code -Dio.netty.leakDetection.level=paranoid}),
 * from every node in this JVM: gateways, API nodes (Armeria), Lettuce, the SDK. Static because logback creates
 * appenders itself.
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
     * Collects garbage so that unreleased buffers become reportable, allocates (which is when the detector
     * reports), and returns and clears every report so far.
     */
    static List<String> collectLeaks() {
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
