package io.herald.server.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/** How long acked and expired QoS 1 outcomes are answered: for the roles that serve the API (standalone, api). */
public final class MessageStatusOption {

    /** JdbcMessageStatuses.DEFAULT_RETENTION. */
    @Option(names = "--message-status-retention", defaultValue = "24h", paramLabel = "DURATION",
            description = "How long GET /api/v1/messages/{id} still answers that a QoS 1 message was acked or"
                    + " expired at a device; older outcomes are deleted every minute. 1m-30d"
                    + " (default: ${DEFAULT-VALUE}).")
    Duration retention;

    /** The retention; a bad value names the option. */
    public Duration retention() {
        OptionCheck.between("--message-status-retention", retention, Duration.ofMinutes(1), Duration.ofDays(30));
        return retention;
    }
}
