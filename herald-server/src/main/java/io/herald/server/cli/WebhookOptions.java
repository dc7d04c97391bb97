package io.herald.server.cli;

import io.herald.api.webhook.WebhookSettings;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Where events are posted (docs/events.md): for every role that produces them (standalone, gateway, api). */
public final class WebhookOptions {

    @Option(names = "--webhook-url", paramLabel = "URL",
            description = "POST events (connects, disconnects, QoS 1 acks and expiries) as signed JSON batches to"
                    + " this http(s) URL; off when not given. Needs --webhook-secret.")
    String url;

    @Option(names = "--webhook-secret", paramLabel = "SECRET",
            description = "Key of the HMAC-SHA256 signature in each webhook request's Herald-Signature header, at"
                    + " least 16 bytes (or HERALD_WEBHOOK_SECRET).")
    String secret;

    @Option(names = "--webhook-secret-file", paramLabel = "FILE", description = "Reads --webhook-secret from a file.")
    Path secretFile;

    @Option(names = "--webhook-queue-size", defaultValue = "10000", paramLabel = "N",
            description = "Events waiting for the webhook at most; while it is full (the receiver slow or down) new"
                    + " events are dropped and counted in herald_webhook_events_dropped_total"
                    + " (default: ${DEFAULT-VALUE}).")
    int queueSize;

    /** The webhook's settings, empty when it is off; a refused value names its option. */
    public Optional<WebhookSettings> settings() {
        String key = Secrets.read(secret, secretFile, "--webhook-secret");
        OptionCheck.between("--webhook-queue-size", queueSize, 1, 10_000_000);
        if (url == null || url.isBlank()) {
            if (key != null) {
                throw new IllegalArgumentException("--webhook-secret must come with --webhook-url");
            }
            return Optional.empty();
        }
        if (key == null) {
            throw new IllegalArgumentException("--webhook-url must come with --webhook-secret (or"
                    + " HERALD_WEBHOOK_SECRET): the receiver checks each request's signature with it");
        }
        URI parsed;
        try {
            parsed = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("--webhook-url is not a URL: " + e.getMessage(), e);
        }
        URI checked = parsed;
        return Optional.of(Setting.of("--webhook-url", () -> WebhookSettings.of(checked, key, queueSize)));
    }
}
