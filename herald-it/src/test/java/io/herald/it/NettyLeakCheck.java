package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Fails a test class if Netty reported a leaked buffer while it ran (after its own {@code @AfterAll}). */
final class NettyLeakCheck implements AfterAllCallback {
    @Override
    public void afterAll(ExtensionContext context) {
        assertThat(LeakRecorder.collectLeaks()).as("Netty buffer leaks").isEmpty();
    }
}
