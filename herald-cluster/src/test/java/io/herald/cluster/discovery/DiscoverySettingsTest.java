package io.herald.cluster.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DiscoverySettingsTest {
    private final DiscoverySettings defaults = DiscoverySettings.of("zk1:2181,zk2:2181");

    @Test
    void hasTheDocumentedDefaults() {
        assertThat(defaults.basePath()).isEqualTo("/herald/gateways");
        assertThat(defaults.sessionTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(defaults.connectionTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(defaults.refreshInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(defaults.gatewayPath("gw-1")).isEqualTo("/herald/gateways/gw-1");
    }

    @Test
    void rejectsAMissingEnsemble() {
        assertThatThrownBy(() -> DiscoverySettings.of(" "))
                .hasMessageContaining("ZooKeeper connect string is required");
    }

    @Test
    void rejectsBasePathsThatAreNotUsableParents() {
        for (String bad : new String[] {null, "/", "herald", "/herald/", "/herald//gateways"}) {
            assertThatThrownBy(() -> defaults.withBasePath(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("base path");
        }
        assertThat(defaults.withBasePath("/prod/gateways").basePath()).isEqualTo("/prod/gateways");
    }

    @Test
    void rejectsDurationsThatCannotWork() {
        assertThatThrownBy(() -> defaults.withRefreshInterval(Duration.ZERO))
                .hasMessage("refresh interval must be positive, was 0s");
        assertThatThrownBy(() -> defaults.withSessionTimeout(Duration.ofSeconds(-1)))
                .hasMessage("session timeout must be positive, was -1s");
        assertThatThrownBy(() -> defaults.withConnectionTimeout(Duration.ofSeconds(30)))
                .hasMessage("connection timeout (30s) must not exceed the session timeout (10s)");
    }
}
