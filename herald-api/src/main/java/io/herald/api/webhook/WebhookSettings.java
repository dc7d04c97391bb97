package io.herald.api.webhook;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Where and how events are posted (docs/events.md): the receiver's URL, the secret the requests are signed with,
 * the bounded queue in front of the sender, the batch size and linger, and the retry pauses.
 *
 * @param queueSize     events waiting to be sent at most; when it is full, new events are dropped (and counted)
 * @param batchSize     events per request at most
 * @param linger        how long a batch waits for more events once it has its first
 * @param requestTimeout a request not answered within it is retried
 */
public record WebhookSettings(URI url, String secret, int queueSize, int batchSize, Duration linger,
                              Duration requestTimeout, Duration retryInitial, Duration retryMax) {
    public static final int DEFAULT_QUEUE_SIZE = 10_000;
    public static final int DEFAULT_BATCH_SIZE = 100;
    public static final int MAX_BATCH_SIZE = 1_000;
    public static final Duration DEFAULT_LINGER = Duration.ofMillis(200);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_RETRY_INITIAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_RETRY_MAX = Duration.ofMinutes(1);
    /** Shorter secrets are refused: the signature is only as strong as the secret. */
    public static final int MIN_SECRET_BYTES = 16;

    public WebhookSettings {
        Objects.requireNonNull(url, "url");
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null) {
            throw new IllegalArgumentException("the webhook URL must be an absolute http:// or https:// URL, was "
                    + url);
        }
        if (secret == null || secret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("the webhook secret must be at least " + MIN_SECRET_BYTES
                    + " bytes (--webhook-secret or HERALD_WEBHOOK_SECRET)");
        }
        if (queueSize < 1) {
            throw new IllegalArgumentException("the webhook queue size must be at least 1, was " + queueSize);
        }
        if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
            throw new IllegalArgumentException("the webhook batch size must be from 1 to " + MAX_BATCH_SIZE
                    + ", was " + batchSize);
        }
        requirePositive(linger, "linger");
        requirePositive(requestTimeout, "request timeout");
        requirePositive(retryInitial, "initial retry pause");
        if (retryMax.compareTo(retryInitial) < 0) {
            throw new IllegalArgumentException("the webhook's longest retry pause must not be below its first");
        }
    }

    /** With the default batch size, linger, timeout and retry pauses. */
    public static WebhookSettings of(URI url, String secret, int queueSize) {
        return new WebhookSettings(url, secret, queueSize, DEFAULT_BATCH_SIZE, DEFAULT_LINGER,
                DEFAULT_REQUEST_TIMEOUT, DEFAULT_RETRY_INITIAL, DEFAULT_RETRY_MAX);
    }

    private static void requirePositive(Duration value, String what) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("the webhook " + what + " must be positive, was " + value);
        }
    }

    /** Never prints the secret. */
    @Override
    public String toString() {
        return "WebhookSettings[url=" + url + ", queueSize=" + queueSize + ", batchSize=" + batchSize + ", linger="
                + linger + ", requestTimeout=" + requestTimeout + ", retry=" + retryInitial + ".." + retryMax + "]";
    }
}
