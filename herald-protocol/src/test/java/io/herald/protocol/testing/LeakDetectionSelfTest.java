package io.herald.protocol.testing;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Proves that {@link LeakDetectionExtension} really sees a leaked buffer, so its silence elsewhere means something. */
class LeakDetectionSelfTest {

    @Test
    void anUnreleasedBufferIsReported() {
        // Netty's "LEAK:" log line for this deliberate leak would only alarm whoever reads the build's output.
        Logger nettyLeakLog = (Logger) LoggerFactory.getLogger(ResourceLeakDetector.class);
        Level level = nettyLeakLog.getLevel();
        nettyLeakLog.setLevel(Level.OFF);
        List<String> leaks = new ArrayList<>();
        try {
            leakOneBuffer();
            for (int attempt = 0; attempt < 50 && leaks.isEmpty(); attempt++) {
                leaks.addAll(LeakDetectionExtension.collect(1));
            }
        } finally {
            nettyLeakLog.setLevel(level);
        }
        // collect() forgot the report, so this deliberate leak does not fail the test afterwards.
        assertThat(leaks).hasSize(1);
        assertThat(leaks.get(0)).contains("without release()").contains("leakOneBuffer");
    }

    private static void leakOneBuffer() {
        ByteBufAllocator.DEFAULT.buffer(16).writeLong(42);
    }
}
