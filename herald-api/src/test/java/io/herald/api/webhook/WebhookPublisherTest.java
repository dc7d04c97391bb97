package io.herald.api.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.api.testing.WebhookReceiver;
import io.herald.core.event.Events;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The webhook sender against a real HTTP receiver on a loopback port. */
class WebhookPublisherTest {
    private static final String SECRET = "webhook-secret-for-tests";
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private WebhookReceiver receiver = WebhookReceiver.start();
    private WebhookPublisher publisher;

    @AfterEach
    void close() {
        if (publisher != null) {
            publisher.close();
        }
        receiver.close();
        meters.close();
    }

    private Events start(URI url, int queueSize, int batchSize, Duration linger) {
        publisher = WebhookPublisher.start(new WebhookSettings(url, SECRET, queueSize, batchSize, linger,
                Duration.ofSeconds(2), Duration.ofMillis(20), Duration.ofMillis(100)), meters, Clock.systemUTC());
        return new Events("node-1", Clock.systemUTC(), publisher);
    }

    @Test
    void postsSignedBatchesOfAtMostTheBatchSize() throws InterruptedException {
        Events events = start(receiver.url(), 100, 3, Duration.ofSeconds(1));
        for (int i = 0; i < 5; i++) {
            events.messageAcked("sensor-" + i, 1000 + i, false);
        }

        await(() -> receiver.events().size() == 5);
        List<WebhookReceiver.Request> requests = receiver.requests();
        assertThat(requests).extracting(request -> request.events().size()).containsExactly(3, 2);
        WebhookSignature signature = new WebhookSignature(SECRET);
        long now = System.currentTimeMillis() / 1000;
        for (WebhookReceiver.Request request : requests) {
            assertThat(request.signature()).matches("t=\\d+,v1=[0-9a-f]{64}");
            assertThat(signature.verify(request.signature(), request.body(), now, Duration.ofMinutes(5))).isTrue();
            byte[] tampered = new String(request.body(), StandardCharsets.UTF_8).replace("sensor", "sensoR")
                    .getBytes(StandardCharsets.UTF_8);
            assertThat(signature.verify(request.signature(), tampered, now, Duration.ofMinutes(5))).isFalse();
            assertThat(signature.verify(request.signature(), request.body(), now + 600, Duration.ofMinutes(5)))
                    .as("too old: a replay").isFalse();
            assertThat(new WebhookSignature("another-secret-entirely").verify(request.signature(), request.body(),
                    now, Duration.ofMinutes(5))).isFalse();
        }
        JsonNode first = receiver.events().get(0);
        assertThat(first.get("v").asInt()).isEqualTo(1);
        assertThat(first.get("type").asText()).isEqualTo("message.acked");
        assertThat(first.get("clientId").asText()).isEqualTo("sensor-0");
        assertThat(first.get("messageId").asText()).isEqualTo("1000");
        assertThat(first.get("nodeId").asText()).isEqualTo("node-1");
        assertThat(first.get("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(receiver.events()).extracting(event -> event.get("id").asText()).doesNotHaveDuplicates();
        assertThat(scrape()).contains("herald_webhook_events_delivered_total 5.0");
    }

    @Test
    void retriesABatchAfterA503AndKeepsItsEvents() throws InterruptedException {
        receiver.answerNext(503, 503);
        Events events = start(receiver.url(), 100, 10, Duration.ofMillis(50));
        events.deviceConnected("sensor-1", "s-1", "tcp", "203.0.113.7:50412");

        await(() -> receiver.requests().size() == 3);
        List<WebhookReceiver.Request> requests = receiver.requests();
        String id = requests.get(0).events().get(0).get("id").asText();
        assertThat(requests).allSatisfy(request -> assertThat(request.events().get(0).get("id").asText())
                .isEqualTo(id));
        await(() -> scrape().contains("herald_webhook_events_delivered_total 1.0"));
        assertThat(scrape()).contains("herald_webhook_retries_total 2.0");
        assertThat(requests.get(0).events().get(0).get("remoteAddress").asText()).isEqualTo("203.0.113.7:50412");
    }

    @Test
    void aBatchRefusedWith4xxIsCountedAndNotRetried() throws InterruptedException {
        receiver.answerNext(400);
        Events events = start(receiver.url(), 100, 1, Duration.ofMillis(10));
        events.messageExpired("sensor-1", 7);
        events.messageExpired("sensor-2", 8);

        await(() -> scrape().contains("herald_webhook_events_delivered_total 1.0"));
        assertThat(receiver.requests()).hasSize(2);
        assertThat(scrape()).contains("herald_webhook_events_failed_total{reason=\"refused\"} 1.0");
    }

    @Test
    void dropsAndCountsWhatAFullQueueCannotTakeWhileTheReceiverIsDown() throws InterruptedException {
        int port = receiver.port();
        URI url = receiver.url();
        receiver.close(); // nobody listens: every request fails to connect and is retried
        Events events = start(url, 2, 1, Duration.ofMillis(10));
        events.messageAcked("sensor-0", 1, false);
        await(() -> scrape().contains("herald_webhook_queue_size 0.0")); // the sender holds it, retrying
        for (int i = 1; i < 10; i++) {
            events.messageAcked("sensor-" + i, 1 + i, false);
        }

        String metrics = scrape();
        assertThat(metrics).contains("# HELP herald_webhook_events_dropped_total Events dropped because the webhook"
                + " queue was full");
        assertThat(metrics).contains("herald_webhook_events_dropped_total 7.0");
        assertThat(metrics).contains("herald_webhook_queue_size 2.0");

        receiver = WebhookReceiver.startOn(port); // back: the held event and the two queued ones arrive, in order
        await(() -> receiver.events().size() == 3);
        assertThat(receiver.events()).extracting(event -> event.get("clientId").asText())
                .containsExactly("sensor-0", "sensor-1", "sensor-2");
    }

    private String scrape() {
        return meters.scrape();
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not met within " + WAIT);
            }
            Thread.sleep(10);
        }
    }
}
