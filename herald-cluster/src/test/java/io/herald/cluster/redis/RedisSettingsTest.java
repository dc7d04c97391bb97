package io.herald.cluster.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RedisSettingsTest {

    @Test
    void defaultsPointAtLocalRedisWithHeraldPrefix() {
        RedisSettings settings = RedisSettings.defaults();

        assertThat(settings.uri()).isEqualTo("redis://127.0.0.1:6379/0");
        assertThat(settings.keyPrefix()).isEqualTo("herald:");
        assertThat(settings.commandTimeout()).isEqualTo(RedisSettings.DEFAULT_COMMAND_TIMEOUT);
        assertThat(settings.redisUri().getPort()).isEqualTo(6379);
        assertThat(settings.redisUri().getTimeout()).isEqualTo(RedisSettings.DEFAULT_COMMAND_TIMEOUT);
    }

    @Test
    void rejectsMissingOrForeignUri() {
        assertThatThrownBy(() -> RedisSettings.of(" "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("redis uri is required");
        assertThatThrownBy(() -> RedisSettings.of("http://127.0.0.1:6379"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must start with redis:// or rediss://");
    }

    @Test
    void rejectsUnparsableUriWithoutShowingItsPassword() {
        assertThatThrownBy(() -> RedisSettings.of("redis://user:s3 cret@127.0.0.1:6379"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not valid")
                .hasMessageNotContaining("s3 cret")
                .hasNoCause();
        assertThatThrownBy(() -> RedisSettings.of("redis://127.0.0.1:99999"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Port out of range");
    }

    @Test
    void rejectsBadKeyPrefix() {
        assertThatThrownBy(() -> RedisSettings.defaults().withKeyPrefix(""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("key prefix");
        assertThatThrownBy(() -> RedisSettings.defaults().withKeyPrefix("has space:"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("key prefix");
    }

    @Test
    void rejectsNonPositiveOrHugeTimeout() {
        assertThatThrownBy(() -> RedisSettings.defaults().withCommandTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("command timeout");
        assertThatThrownBy(() -> RedisSettings.defaults().withCommandTimeout(Duration.ofHours(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("command timeout");
        assertThatThrownBy(() -> RedisSettings.defaults().withCommandTimeout(null))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void toStringHidesCredentials() {
        RedisSettings settings = RedisSettings.of("redis://herald:s3cret@redis.internal:6380/2");

        assertThat(settings.toString()).doesNotContain("s3cret").contains("redis://***@redis.internal:6380/2");
        assertThat(settings.redisUri().getHost()).isEqualTo("redis.internal");
        assertThat(settings.redisUri().getDatabase()).isEqualTo(2);
    }
}
