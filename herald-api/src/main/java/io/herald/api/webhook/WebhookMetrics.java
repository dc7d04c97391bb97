package io.herald.api.webhook;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Collection;

/**
 * The webhook's meters ({@code herald_webhook_*} in Prometheus, docs/monitoring.md): events delivered, dropped
 * because the queue was full, failed (refused by the receiver, or still unsent at shutdown), requests by outcome
 * and their latency, and the queue's length.
 */
final class WebhookMetrics {
    private final Counter delivered;
    private final Counter dropped;
    private final Counter refused;
    private final Counter unsentAtShutdown;
    private final Counter retried;
    private final Timer requests;

    WebhookMetrics(MeterRegistry registry, Collection<?> queue) {
        delivered = Counter.builder("herald.webhook.events.delivered")
                .description("Events the webhook receiver accepted (2xx)").register(registry);
        dropped = Counter.builder("herald.webhook.events.dropped")
                .description("Events dropped because the webhook queue was full (the receiver was slow or down)")
                .register(registry);
        refused = Counter.builder("herald.webhook.events.failed").tag("reason", "refused")
                .description("Events not delivered: refused by the receiver (4xx other than 408 and 429, not retried),"
                        + " or still unsent when the node stopped").register(registry);
        unsentAtShutdown = Counter.builder("herald.webhook.events.failed").tag("reason", "shutdown")
                .description("Events not delivered: refused by the receiver (4xx other than 408 and 429, not retried),"
                        + " or still unsent when the node stopped").register(registry);
        retried = Counter.builder("herald.webhook.retries")
                .description("Webhook requests retried after a 5xx, 408, 429, timeout or connection failure")
                .register(registry);
        requests = Timer.builder("herald.webhook.request.latency")
                .description("From a webhook request being sent to its answer (or failure)")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
        Gauge.builder("herald.webhook.queue.size", queue, Collection::size)
                .description("Events waiting to be posted to the webhook").register(registry);
    }

    void delivered(int events) {
        delivered.increment(events);
    }

    void dropped() {
        dropped.increment();
    }

    void refused(int events) {
        refused.increment(events);
    }

    void unsentAtShutdown(int events) {
        unsentAtShutdown.increment(events);
    }

    void retried() {
        retried.increment();
    }

    void request(long nanos) {
        requests.record(Duration.ofNanos(nanos));
    }

    long deliveredCount() {
        return (long) delivered.count();
    }
}
