package io.herald.cluster.link;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Fails a test class that leaked a Netty buffer. The build runs the detector at PARANOID (every buffer tracked), but
 * it only logs a leak when the buffer is garbage-collected; this extension listens to those log lines and, after the
 * class, collects garbage and fails on any. Register it with {@code @RegisterExtension static}.
 */
public final class NettyLeaks extends AppenderBase<ILoggingEvent> implements BeforeAllCallback, AfterAllCallback {
    private final ConcurrentLinkedQueue<String> leaks = new ConcurrentLinkedQueue<>();

    @Override
    public void beforeAll(ExtensionContext context) {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID); // for runs outside the build too
        setContext(((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).getLoggerContext());
        start();
        detectorLogger().addAppender(this);
    }

    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(20);
            ByteBufAllocator.DEFAULT.buffer(1).release(); // the detector reports when it tracks a new buffer
        }
        detectorLogger().detachAppender(this);
        stop();
        List<String> found = new ArrayList<>(leaks);
        if (!found.isEmpty()) {
            throw new AssertionError(found.size() + " Netty buffer leak(s):\n" + String.join("\n\n", found));
        }
    }

    @Override
    protected void append(ILoggingEvent event) {
        if (event.getFormattedMessage().contains("LEAK")) {
            leaks.add(event.getFormattedMessage());
        }
    }

    private static Logger detectorLogger() {
        return (Logger) LoggerFactory.getLogger(ResourceLeakDetector.class);
    }
}
