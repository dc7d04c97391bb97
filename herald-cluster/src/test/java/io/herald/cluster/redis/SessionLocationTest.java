package io.herald.cluster.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class SessionLocationTest {

    @Test
    void encodesCompactlyAndDecodesBack() {
        SessionLocation location = new SessionLocation("gw-1", "8f3a2c1d", Instant.ofEpochMilli(1_718_000_000_123L));

        assertThat(location.encode()).isEqualTo("gw-1|8f3a2c1d|1718000000123");
        assertThat(SessionLocation.decode(location.encode())).isEqualTo(location);
    }

    @Test
    void keepsMillisecondsOnlySoThatARoundTripIsEqual() {
        SessionLocation location = new SessionLocation("gw-1", "c", Instant.parse("2024-06-01T10:00:00.123456789Z"));

        assertThat(location.connectedAt()).isEqualTo(Instant.parse("2024-06-01T10:00:00.123Z"));
        assertThat(SessionLocation.decode(location.encode())).isEqualTo(location);
    }

    @Test
    void rejectsIdsThatWouldBreakTheEncoding() {
        assertThatThrownBy(() -> new SessionLocation("gw|1", "c", Instant.EPOCH))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("node id must not contain '|'");
        assertThatThrownBy(() -> new SessionLocation("gw-1", "", Instant.EPOCH))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("connection id must not be empty");
    }

    @Test
    void rejectsMalformedStoredValues() {
        assertThatThrownBy(() -> SessionLocation.decode("garbage"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a session location");
        assertThatThrownBy(() -> SessionLocation.decode("gw-1|c|yesterday"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a session location");
    }

    @Test
    void knowsItsOwnConnection() {
        SessionLocation location = new SessionLocation("gw-1", "c-7", Instant.EPOCH);

        assertThat(location.isConnection("gw-1", "c-7")).isTrue();
        assertThat(location.isConnection("gw-2", "c-7")).isFalse();
        assertThat(location.isConnection("gw-1", "c-8")).isFalse();
    }
}
