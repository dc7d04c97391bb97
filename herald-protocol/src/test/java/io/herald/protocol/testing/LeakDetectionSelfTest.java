package io.herald.protocol.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Proves that {@link LeakDetectionExtension} really sees a leaked buffer, so its silence elsewhere means something. */
class LeakDetectionSelfTest {

    @Test
    void anUnreleasedBufferIsReported() {
        leakOneBuffer();
        List<String> leaks = new ArrayList<>();
        for (int attempt = 0; attempt < 50 && leaks.isEmpty(); attempt++) {
            leaks.addAll(LeakDetectionExtension.collect(1));
        }
        // collect() forgot the report, so this deliberate leak does not fail the test afterwards.
        assertThat(leaks).hasSize(1);
        assertThat(leaks.get(0)).contains("without release()").contains("leakOneBuffer");
    }

    private static void leakOneBuffer() {
        ByteBufAllocator.DEFAULT.buffer(16).writeLong(42);
    }
}
