package io.herald.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ApiSettingsTest {

    @Test
    void defaults() {
        ApiSettings settings = ApiSettings.of("key");

        assertThat(settings.port()).isEqualTo(ApiSettings.DEFAULT_PORT);
        assertThat(settings.bindAddress()).isEqualTo("0.0.0.0");
        assertThat(settings.openRegistration()).isTrue();
        assertThat(settings.maxRequestBytes()).isEqualTo(16 * 1024 * 1024);
        assertThat(settings.maxPayloadBytes()).isEqualTo(65_536 - 128);
        assertThat(settings.defaultTtl()).isEqualTo(Duration.ofHours(24));
        assertThat(settings.maxTtl()).isEqualTo(Duration.ofDays(30));
    }

    @Test
    void withersChangeOneThing() {
        ApiSettings settings = ApiSettings.of("key").withPort(0).withBindAddress("127.0.0.1")
                .withOpenRegistration(false).withMaxRequestBytes(1_000_000).withMaxPayloadBytes(1000)
                .withTtls(Duration.ofMinutes(5), Duration.ofHours(1));

        assertThat(settings).isEqualTo(new ApiSettings(0, "127.0.0.1", "key", false, 1_000_000, 1000,
                Duration.ofMinutes(5), Duration.ofHours(1)));
    }

    @Test
    void apiKeyIsRequired() {
        assertThatThrownBy(() -> ApiSettings.of(null)).hasMessageContaining("API key is required");
        assertThatThrownBy(() -> ApiSettings.of("  ")).hasMessageContaining("API key is required");
    }

    @Test
    void toStringHidesTheApiKey() {
        assertThat(ApiSettings.of("super-secret-key").toString()).doesNotContain("super-secret-key")
                .contains("apiKey=***");
    }

    @Test
    void invalidValuesAreExplained() {
        ApiSettings base = ApiSettings.of("key");
        assertThatThrownBy(() -> base.withPort(70_000)).hasMessageContaining("port must be 0-65535");
        assertThatThrownBy(() -> base.withPort(-1)).hasMessageContaining("port");
        assertThatThrownBy(() -> base.withBindAddress("")).hasMessageContaining("bind address is required");
        assertThatThrownBy(() -> base.withMaxPayloadBytes(0)).hasMessageContaining("max payload size");
        assertThatThrownBy(() -> base.withMaxPayloadBytes(ApiSettings.HARD_MAX_PAYLOAD_BYTES + 1))
                .hasMessageContaining("max payload size");
        assertThatThrownBy(() -> base.withMaxRequestBytes(1000))
                .hasMessageContaining("must be larger than the max payload size");
        assertThatThrownBy(() -> base.withTtls(Duration.ofDays(31), Duration.ofDays(30)))
                .hasMessageContaining("default TTL");
        assertThatThrownBy(() -> base.withTtls(Duration.ZERO, Duration.ofDays(30)))
                .hasMessageContaining("default TTL");
        assertThatThrownBy(() -> base.withTtls(Duration.ofMillis(10), Duration.ofMillis(500)))
                .hasMessageContaining("max TTL");
    }
}
