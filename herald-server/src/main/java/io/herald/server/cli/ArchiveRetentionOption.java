package io.herald.server.cli;

import io.herald.store.jdbc.ArchiveRetention;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.Option;

/** How long the upstream archive keeps messages: for the roles that write it (standalone, archiver). */
public final class ArchiveRetentionOption {

    @Option(names = "--archive-retention", defaultValue = "30d", paramLabel = "DURATION|off",
            description = "Upstream messages older than this are deleted from the archive, in small batches every"
                    + " minute; off (or 0) keeps them forever (default: ${DEFAULT-VALUE}).")
    String archiveRetention;

    /** The retention; zero for off. A bad value names the option. */
    public Duration retention() {
        return Setting.of("--archive-retention", () -> {
            String text = archiveRetention.trim().toLowerCase(Locale.ROOT);
            if (text.equals("off") || text.equals("0")) {
                return Duration.ZERO;
            }
            Duration retention;
            try {
                retention = new DurationConverter().convert(text);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
            return ArchiveRetention.requireValid(retention);
        });
    }
}
