package io.herald.server.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/** How a node holding device connections stops on SIGTERM. */
public final class ShutdownOptions {

    @Option(names = "--drain-window", defaultValue = "10s",
            description = "On stop, devices are told to reconnect, each at a random moment within this window, so"
                    + " they do not all come back at once (default: ${DEFAULT-VALUE}).")
    Duration drainWindow;

    @Option(names = "--shutdown-deadline", defaultValue = "60s",
            description = "A stop that takes longer than this halts the process (default: ${DEFAULT-VALUE}).")
    Duration shutdownDeadline;

    public Duration drainWindow() {
        return OptionCheck.between("--drain-window", drainWindow, Duration.ZERO, Duration.ofHours(1));
    }

    public Duration shutdownDeadline() {
        return OptionCheck.between("--shutdown-deadline", shutdownDeadline, Duration.ofSeconds(1), Duration.ofDays(1));
    }
}
