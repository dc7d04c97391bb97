package io.herald.server.cli;

import io.herald.api.ApiSettings;
import java.time.Duration;
import picocli.CommandLine.Option;

/** How the push API treats retries: the options standalone and the cluster {@code api} role share. */
public final class PushApiOptions {

    @Option(names = "--idempotency-window", defaultValue = "24h", paramLabel = "DURATION",
            description = "How long the answer of a push sent with an Idempotency-Key header is kept: a retry with"
                    + " the same key within this time gets the same answer and pushes nothing again. 5m-7d"
                    + " (default: ${DEFAULT-VALUE}).")
    Duration idempotencyWindow;

    /** {@code api} with these options applied; a refused value names its option. */
    public ApiSettings apply(ApiSettings api) {
        OptionCheck.between("--idempotency-window", idempotencyWindow, ApiSettings.MIN_IDEMPOTENCY_WINDOW,
                ApiSettings.MAX_IDEMPOTENCY_WINDOW);
        return api.withIdempotencyWindow(idempotencyWindow);
    }
}
