package io.herald.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ConnectionCapacityOptionTest {
    private static final int DEFAULT = ConnectionCapacityOption.FROM_OPEN_FILE_LIMIT;

    @Test
    void byDefaultTheCapacityIsTheOpenFileLimitMinusItsReserve() {
        assertThat(ConnectionCapacityOption.resolve(DEFAULT, OptionalLong.of(20_000))).isEqualTo(19_000);
        assertThat(ConnectionCapacityOption.resolve(DEFAULT, OptionalLong.of(1_048_576))).isEqualTo(1_047_576);
        // a small limit keeps a quarter for everything else rather than leaving nothing for devices
        assertThat(ConnectionCapacityOption.resolve(DEFAULT, OptionalLong.of(1_024))).isEqualTo(768);
        assertThat(ConnectionCapacityOption.resolve(DEFAULT, OptionalLong.empty())).isZero();
    }

    @Test
    void anExplicitCapacityWithinTheLimitIsKeptAndZeroMeansNoLimit() {
        assertThat(ConnectionCapacityOption.resolve(18_000, OptionalLong.of(20_000))).isEqualTo(18_000);
        assertThat(ConnectionCapacityOption.resolve(0, OptionalLong.of(20_000))).isZero();
        assertThat(ConnectionCapacityOption.resolve(50_000, OptionalLong.empty())).isEqualTo(50_000);
    }

    @Test
    void anExplicitCapacityOverTheOpenFileLimitIsRefusedNamingTheOptionAndBothNumbers() {
        assertThatThrownBy(() -> ConnectionCapacityOption.resolve(19_500, OptionalLong.of(20_000)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--max-connections 19500 needs more open files")
                .hasMessageContaining("(20000, ulimit -n): at most 19000 here");
        assertThatThrownBy(() -> ConnectionCapacityOption.resolve(-2, OptionalLong.of(20_000)))
                .hasMessageContaining("--max-connections must be 0 (no limit)");
    }
}
