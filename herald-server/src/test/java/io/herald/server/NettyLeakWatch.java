package io.herald.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Fails a test class when Netty reported a leaked buffer while it ran. The tests run with leak detection at
 * PARANOID (Surefire's argLine), where Netty logs "LEAK:" for every buffer collected unreleased; this listens to
 * that log and, after the class, collects garbage so that the buffers it left behind get reported too.
 */
public final class NettyLeakWatch implements BeforeAllCallback, AfterAllCallback {
    private static final String APPENDER = "netty-leak-watch";

    @Override
    public void beforeAll(ExtensionContext context) {
        ListAppender<ILoggingEvent> reports = new ListAppender<>();
        reports.setName(APPENDER);
        reports.start();
        detectorLog().addAppender(reports);
    }

    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(20);
            // The detector looks at collected buffers when the next one is allocated.
            ByteBufAllocator.DEFAULT.buffer(1).release();
        }
        @SuppressWarnings("unchecked")
        ListAppender<ILoggingEvent> reports = (ListAppender<ILoggingEvent>) detectorLog().getAppender(APPENDER);
        detectorLog().detachAppender(APPENDER);
        List<String> leaks = reports.list.stream().map(ILoggingEvent::getFormattedMessage)
                .filter(message -> message.contains("LEAK")).toList();
        assertThat(leaks).as("Netty buffer leaks in %s", context.getDisplayName()).isEmpty();
    }

    private static Logger detectorLog() {
        return (Logger) LoggerFactory.getLogger(ResourceLeakDetector.class);
    }
}
