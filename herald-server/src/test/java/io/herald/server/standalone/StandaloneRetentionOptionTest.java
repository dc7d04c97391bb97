package io.herald.server.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.server.HeraldMain;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Standalone takes {@code --archive-retention} into its node settings (the option itself: ArchiveRetentionOptionTest). */
class StandaloneRetentionOptionTest {
    @TempDir
    Path dataDir;

    private StandaloneNode.Settings settings(String... more) throws Exception {
        String[] args = new String[more.length + 3];
        args[0] = "standalone";
        args[1] = "--data-dir";
        args[2] = dataDir.toString();
        System.arraycopy(more, 0, args, 3, more.length);
        StandaloneCommand command = HeraldMain.commandLine().parseArgs(args).subcommand().commandSpec()
                .commandLine().getCommand();
        return command.settings("key");
    }

    @Test
    void keepsAMonthByDefaultAndTakesTheOption() throws Exception {
        assertThat(settings().archiveRetention()).isEqualTo(Duration.ofDays(30));
        assertThat(settings("--archive-retention", "90d").archiveRetention()).isEqualTo(Duration.ofDays(90));
        assertThat(settings("--archive-retention", "off").archiveRetention()).isZero();
    }
}
