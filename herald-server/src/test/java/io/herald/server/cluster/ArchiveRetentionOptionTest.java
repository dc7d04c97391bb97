package io.herald.server.cluster;

import static io.herald.server.cluster.RoleCommandLines.parse;
import static io.herald.server.cluster.RoleCommandLines.refusal;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code --archive-retention} of the archiver role (standalone shares the option: StandaloneRetentionOptionTest). */
class ArchiveRetentionOptionTest {
    private static final String[] ARCHIVER = {"archiver", "--jdbc-url", "jdbc:mariadb://db/herald"};

    private static Duration retention(String... more) {
        ArchiverCommand command = parse(RoleCommandLines.with(ARCHIVER, more));
        return command.settings().archiveRetention();
    }

    @Test
    void keepsAMonthByDefault() {
        assertThat(retention()).isEqualTo(Duration.ofDays(30));
    }

    @Test
    void takesADurationOrOff() {
        assertThat(retention("--archive-retention", "7d")).isEqualTo(Duration.ofDays(7));
        assertThat(retention("--archive-retention", "12h")).isEqualTo(Duration.ofHours(12));
        assertThat(retention("--archive-retention", "off")).isZero();
        assertThat(retention("--archive-retention", "0")).isZero();
    }

    @Test
    void refusesWhatIsNoDurationOrNegativeByName() {
        assertThat(refusal(RoleCommandLines.with(ARCHIVER, "--archive-retention", "soon")))
                .contains("--archive-retention").contains("'soon' is not a duration");
        assertThat(refusal(RoleCommandLines.with(ARCHIVER, "--archive-retention", "-P1D")))
                .contains("--archive-retention").contains("0 (keep forever) or positive");
    }
}
