package io.herald.api.webhook;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import io.herald.core.event.Event;
import io.herald.core.event.EventJson;
import io.herald.core.event.EventSink;
import io.herald.core.time.ExponentialBackoff;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts events to the business backend's webhook (docs/events.md): {@link #publish} puts an event in a bounded queue
 * and returns (a full queue drops it and counts it: an event loop never waits); one sender thread takes batches of
 * up to {@code batchSize} events (waiting up to {@code linger} for a batch to fill), posts each as a JSON array
 * signed with {@link WebhookSignature}, and retries it with {@link ExponentialBackoff} on a 5xx, 408, 429, timeout
 * or connection failure until the receiver takes it. A batch is sent only after the one before it was delivered or
 * refused, so one device's events arrive in order. Other answers (4xx, 3xx) refuse the batch: it is counted and
 * dropped, since sending it again would be refused again.
 *
 * <p>At least once while the node runs: a batch whose answer was lost is sent again, so a receiver de-duplicates by
 * event id. Lost: what the queue drops while the receiver is slow or down, and what is still queued when the node
 * stops (after {@link #CLOSE_GRACE} of trying) or crashes.
 */
public final class WebhookPublisher implements EventSink, AutoCloseable {
    /** How long a stopping node keeps posting what is queued. */
    public static final Duration CLOSE_GRACE = Duration.ofSeconds(5);
    private static final Logger log = LoggerFactory.getLogger(WebhookPublisher.class);

    private final WebhookSettings settings;
    private final ArrayBlockingQueue<Event> queue;
    private final WebhookMetrics metrics;
    private final WebhookSignature signature;
    private final Clock clock;
    private final ClientFactory factory;
    private final WebClient client;
    private final String path;
    private final Thread sender;
    private volatile boolean closing;
    /** System.nanoTime after which a closing sender gives up; set by close, before {@link #closing}. */
    private volatile long giveUpAt;

    private WebhookPublisher(WebhookSettings settings, MeterRegistry meters, Clock clock) {
        this.settings = settings;
        this.queue = new ArrayBlockingQueue<>(settings.queueSize());
        this.metrics = new WebhookMetrics(meters, queue);
        this.signature = new WebhookSignature(settings.secret());
        this.clock = clock;
        URI url = settings.url();
        this.path = (url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath())
                + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
        this.factory = ClientFactory.builder().build();
        this.client = WebClient.builder(url.getScheme() + "://" + url.getRawAuthority()).factory(factory)
                .responseTimeout(settings.requestTimeout()).build();
        this.sender = new Thread(this::run, "herald-webhook");
        sender.setDaemon(true);
    }

    /** Starts the sender thread. */
    public static WebhookPublisher start(WebhookSettings settings, MeterRegistry meters, Clock clock) {
        WebhookPublisher publisher = new WebhookPublisher(settings, meters, clock);
        publisher.sender.start();
        log.info("posting events to {}", settings.url());
        return publisher;
    }

    /** Queues the event, or drops and counts it when the queue is full. Never blocks. */
    @Override
    public void publish(Event event) {
        if (closing || !queue.offer(event)) {
            metrics.dropped();
        }
    }

    private void run() {
        List<Event> batch = new ArrayList<>(settings.batchSize());
        while (true) {
            try {
                if (!nextBatch(batch)) {
                    return;
                }
            } catch (InterruptedException e) {
                return; // close gave up waiting
            }
            deliver(batch);
            batch.clear();
        }
    }

    /** Fills {@code batch}: false once closing and nothing is left. */
    private boolean nextBatch(List<Event> batch) throws InterruptedException {
        Event first = null;
        while (first == null) {
            if (closing && queue.isEmpty()) {
                return false;
            }
            first = queue.poll(100, TimeUnit.MILLISECONDS);
        }
        batch.add(first);
        long lingerEnd = System.nanoTime() + settings.linger().toNanos();
        while (batch.size() < settings.batchSize()) {
            if (queue.drainTo(batch, settings.batchSize() - batch.size()) > 0) {
                continue;
            }
            long left = lingerEnd - System.nanoTime();
            if (left <= 0 || closing) {
                break;
            }
            Event next = queue.poll(left, TimeUnit.NANOSECONDS);
            if (next == null) {
                break;
            }
            batch.add(next);
        }
        return true;
    }

    /** Posts the batch until it is delivered or refused, or the node stops. */
    private void deliver(List<Event> batch) {
        byte[] body = EventJson.encodeArray(batch);
        ExponentialBackoff backoff = new ExponentialBackoff(settings.retryInitial(), settings.retryMax());
        while (true) {
            Outcome outcome = post(body);
            if (outcome == Outcome.DELIVERED) {
                metrics.delivered(batch.size());
                return;
            }
            if (outcome == Outcome.REFUSED) {
                metrics.refused(batch.size());
                return;
            }
            metrics.retried();
            long pause = backoff.nextNanos();
            if (closing && System.nanoTime() + pause - giveUpAt > 0) {
                metrics.unsentAtShutdown(batch.size() + queue.size());
                log.warn("the node is stopping: {} event(s) not posted to the webhook", batch.size() + queue.size());
                queue.clear();
                return;
            }
            try {
                TimeUnit.NANOSECONDS.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                metrics.unsentAtShutdown(batch.size());
                return;
            }
        }
    }

    private enum Outcome { DELIVERED, RETRY, REFUSED }

    private Outcome post(byte[] body) {
        RequestHeaders headers = RequestHeaders.builder(HttpMethod.POST, path)
                .contentType(MediaType.JSON_UTF_8)
                .set(WebhookSignature.HEADER, signature.header(clock.millis() / 1000, body))
                .build();
        long started = System.nanoTime();
        try {
            AggregatedHttpResponse response = client.execute(HttpRequest.of(headers, HttpData.wrap(body)))
                    .aggregate().get(settings.requestTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
            metrics.request(System.nanoTime() - started);
            int status = response.status().code();
            if (status >= 200 && status < 300) {
                return Outcome.DELIVERED;
            }
            if (status >= 500 || status == 408 || status == 429) {
                log.debug("webhook answered {}; retrying", status);
                return Outcome.RETRY;
            }
            log.warn("webhook refused a batch of events with HTTP {}; it is dropped (not retried)", status);
            return Outcome.REFUSED;
        } catch (ExecutionException | TimeoutException e) {
            metrics.request(System.nanoTime() - started);
            log.debug("webhook request failed ({}); retrying", e.getCause() == null ? e : e.getCause());
            return Outcome.RETRY;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.RETRY;
        }
    }

    /**
     * Stops taking events and keeps posting what is queued for up to {@link #CLOSE_GRACE}; what is left then is
     * counted as failed ({@code reason="shutdown"}).
     */
    @Override
    public void close() {
        giveUpAt = System.nanoTime() + CLOSE_GRACE.toNanos();
        closing = true;
        try {
            sender.join(CLOSE_GRACE.toMillis() + settings.requestTimeout().toMillis());
            if (sender.isAlive()) {
                sender.interrupt();
                sender.join(1000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int left = queue.size();
        if (left > 0) {
            metrics.unsentAtShutdown(left);
            queue.clear();
        }
        factory.close();
    }
}
