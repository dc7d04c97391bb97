package io.herald.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.Layout;
import ch.qos.logback.core.OutputStreamAppender;
import io.herald.api.ApiSettings;
import io.herald.client.HeraldClient;
import io.herald.client.HeraldClientOptions;
import io.herald.client.ClientResources;
import io.herald.gateway.GatewaySettings;
import io.herald.server.standalone.StandaloneNode;
import io.herald.store.jdbc.JdbcSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The shipped log format (issue 9, "logs"): ISO-8601 timestamps with the date and the offset, the client id on a
 * device's connect and disconnect lines and no {@code client=-} placeholder anywhere, durations as {@code 10s}. A
 * standalone node's lines are formatted, as they are logged, by the layout of the jar's own logback.xml.
 */
class LogLineFormatTest {
    private static final String ISO_TIMESTAMP = "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}(Z|[+-]\\d{2}:\\d{2}) .*";

    @TempDir
    Path dataDir;

    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final List<String> lines = new ArrayList<>();
    private AppenderBase<ILoggingEvent> formatted;

    @BeforeEach
    void formatWithTheShippedLayout() throws Exception {
        Layout<ILoggingEvent> layout = shippedLayout();
        formatted = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                // Formatted on the logging thread, as the console appender does: the MDC is that thread's.
                String line = layout.doLayout(event);
                synchronized (lines) {
                    lines.add(line);
                }
            }
        };
        formatted.setContext(root.getLoggerContext());
        formatted.start();
        root.addAppender(formatted);
        root.getLoggerContext().getLogger("io.herald").setLevel(Level.INFO);
        root.getLoggerContext().getLogger("herald.event").setLevel(Level.INFO);
    }

    @AfterEach
    void restore() {
        root.detachAppender(formatted);
        root.getLoggerContext().getLogger("io.herald").setLevel(null);
        root.getLoggerContext().getLogger("herald.event").setLevel(null);
    }

    @Test
    void linesCarryTheDateTheClientAndHumanDurations() throws Exception {
        GatewaySettings gateway = GatewaySettings.defaults("logs").withPorts("127.0.0.1", 0, 0);
        ApiSettings api = ApiSettings.of("key").withPort(0).withBindAddress("127.0.0.1");
        StandaloneNode node = StandaloneNode.start(new StandaloneNode.Settings(gateway, api,
                JdbcSettings.h2File(dataDir), null, Duration.ofHours(1), 1000, 1, Map.of()));
        try (ClientResources resources = ClientResources.create()) {
            HeraldClient device = HeraldClient.create(resources, HeraldClientOptions.builder()
                    .apiUrl("http://127.0.0.1:" + node.httpPort()).clientId("log-1").secret("s3cret-s3cret")
                    .registerIfMissing(true).build(), new RecordingListener());
            device.start().get(30, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10)).until(() -> snapshot().stream()
                    .anyMatch(line -> line.contains("herald.event.connect")));
            device.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> snapshot().stream()
                    .anyMatch(line -> line.contains("herald.event.disconnect")));
        } finally {
            node.close(Duration.ofMillis(1500));
        }

        List<String> all = snapshot();
        assertThat(all).isNotEmpty().allMatch(line -> line.matches("(?s)" + ISO_TIMESTAMP), "ISO-8601 with date and offset");
        assertThat(all).noneMatch(line -> line.contains("client=-") || line.contains("trace=-"));
        assertThat(all).filteredOn(line -> line.contains("herald.event.connect") || line.contains("herald.event.disconnect"))
                .hasSize(2).allMatch(line -> line.contains(" client=log-1 "));
        assertThat(all).anyMatch(line -> line.contains("told to reconnect within 1s500ms"));
        assertThat(all).noneMatch(line -> line.matches("(?s).*\\bPT\\d.*"));
    }

    private List<String> snapshot() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /** The console layout of the jar's logback.xml (not the tests' logback-test.xml), in a context of its own. */
    private static Layout<ILoggingEvent> shippedLayout() throws Exception {
        LoggerContext context = new LoggerContext();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(StandaloneNode.class.getResource("/logback.xml"));
        OutputStreamAppender<ILoggingEvent> console = (OutputStreamAppender<ILoggingEvent>)
                context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("CONSOLE");
        return ((PatternLayoutEncoder) console.getEncoder()).getLayout();
    }
}
