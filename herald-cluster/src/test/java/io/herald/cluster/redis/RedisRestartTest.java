package io.herald.cluster.redis;

import io.herald.core.device.DeviceIdentity;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.herald.cluster.redis.RedisSessionRegistry.Registration;
import io.herald.core.security.Token;
import io.lettuce.core.RedisCommandTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Redis crashing and coming back empty: the client reconnects by itself and every operation works again. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisRestartTest {
    @RegisterExtension
    static final PrivateRedis redis = new PrivateRedis();

    private RedisTokenStore tokens;
    private RedisSessionRegistry sessions;

    @BeforeEach
    void connected() {
        awaitRedisAnswers();
        tokens = new RedisTokenStore(redis.connections());
        sessions = new RedisSessionRegistry(redis.connections());
    }

    @Test
    void everyOperationWorksAgainAfterRedisRestarts() throws Exception {
        Token before = tokens.issue(id("device-1"), Duration.ofMinutes(5));
        get(sessions.register("device-1", "gw-1", "conn-a"));
        get(sessions.registerAll(List.of(new Registration("device-2", "gw-1", "conn-b")))); // opens the batch connection

        redis.server().restart();
        awaitRedisAnswers();

        // Redis keeps nothing on disk: what was there is gone, and the scripts must be sent again (NOSCRIPT).
        assertThat(tokens.resolve(before.value())).isEmpty();
        Token after = tokens.issue(id("device-1"), Duration.ofMinutes(5));
        assertThat(tokens.resolve(after.value())).contains(id("device-1"));
        assertThat(get(tokens.resolveAsync(after.value()))).contains(id("device-1"));
        assertThat(get(sessions.register("device-1", "gw-2", "conn-c"))).isEmpty();
        assertThat(get(sessions.registerAll(List.of(new Registration("device-2", "gw-2", "conn-d"),
                new Registration("device-3", "gw-2", "conn-e"))))).isEmpty();
        assertThat(get(sessions.lookup(List.of("device-1", "device-2", "device-3")))).hasSize(3);
        assertThat(get(sessions.unregister("device-3", "gw-2", "conn-e"))).isTrue();
        assertThat(get(sessions.removeNode("gw-2"))).isEqualTo(2L);
        tokens.revokeAll("device-1");
        assertThat(tokens.resolve(after.value())).isEmpty();
    }

    @Test
    void commandsIssuedDuringAShortOutageCompleteOnceRedisIsBack() throws Exception {
        redis.server().kill();
        CompletableFuture<Optional<SessionLocation>> registered = sessions.register("device-1", "gw-1", "conn-a");
        CompletableFuture<Optional<DeviceIdentity>> resolved = tokens.resolveAsync("C".repeat(43));
        Thread.sleep(300);
        redis.server().launch();

        // Buffered while disconnected, sent on reconnect, within the command timeout.
        assertThat(registered.get(10, TimeUnit.SECONDS)).isEmpty();
        assertThat(resolved.get(10, TimeUnit.SECONDS)).isEmpty();
        assertThat(get(sessions.find("device-1"))).isPresent();
    }

    @Test
    void commandsFailWithATimeoutWhileRedisStaysDown() throws Exception {
        Duration timeout = Duration.ofMillis(500);
        try (RedisConnections impatient =
                     RedisConnections.open(RedisSettings.of(redis.server().uri()).withCommandTimeout(timeout))) {
            RedisTokenStore impatientTokens = new RedisTokenStore(impatient);
            redis.server().kill();

            long start = System.nanoTime();
            CompletableFuture<Optional<DeviceIdentity>> resolved = impatientTokens.resolveAsync("D".repeat(43));
            assertThatThrownBy(() -> resolved.get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(RedisCommandTimeoutException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            assertThatThrownBy(() -> impatientTokens.issue(id("device-1"), Duration.ofMinutes(1)))
                    .isInstanceOf(RedisUnavailableException.class)
                    .hasCauseInstanceOf(RedisCommandTimeoutException.class);

            redis.server().launch();
            await().atMost(Duration.ofSeconds(15)).ignoreExceptions()
                    .until(() -> impatientTokens.resolveAsync("D".repeat(43)).get(2, TimeUnit.SECONDS).isEmpty());
        }
    }

    /** Until the shared connection has reconnected and answers. */
    private static void awaitRedisAnswers() {
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> "PONG".equals(redis.connections().async().ping().get(2, TimeUnit.SECONDS)));
    }

    private static <T> T get(CompletableFuture<T> future) throws Exception {
        return future.get(10, TimeUnit.SECONDS);
    }

    private static final long GENERATION = -42;

    private static DeviceIdentity id(String clientId) {
        return new DeviceIdentity(clientId, GENERATION);
    }
}
