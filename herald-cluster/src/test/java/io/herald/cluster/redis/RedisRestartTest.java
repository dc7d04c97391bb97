package io.herald.cluster.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.herald.cluster.redis.RedisSessionRegistry.Registration;
import io.herald.core.security.TokenClaims;
import io.lettuce.core.RedisCommandTimeoutException;
import java.time.Clock;
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

    private RedisRevocations revocations;
    private RedisSessionRegistry sessions;

    @BeforeEach
    void connected() {
        awaitRedisAnswers();
        revocations = new RedisRevocations(redis.connections(), Clock.systemUTC(), Duration.ofMinutes(5));
        sessions = new RedisSessionRegistry(redis.connections());
    }

    @Test
    void everyOperationWorksAgainAfterRedisRestarts() throws Exception {
        revocations.revokeClient("device-1");
        get(sessions.register("device-1", "gw-1", "conn-a"));
        get(sessions.registerAll(List.of(new Registration("device-2", "gw-1", "conn-b")))); // opens the batch connection

        redis.server().restart();
        awaitRedisAnswers();

        // Redis keeps nothing on disk: what was there is gone, and the scripts must be sent again (NOSCRIPT).
        assertThat(revocations.markOf("device-1")).isZero();
        TokenClaims token = claims("device-1", 0);
        assertThat(get(revocations.revokesAsync(token))).isFalse();
        assertThat(get(sessions.register("device-1", "gw-2", "conn-c"))).isEmpty();
        assertThat(get(sessions.registerAll(List.of(new Registration("device-2", "gw-2", "conn-d"),
                new Registration("device-3", "gw-2", "conn-e"))))).isEmpty();
        assertThat(get(sessions.lookup(List.of("device-1", "device-2", "device-3")))).hasSize(3);
        assertThat(get(sessions.unregister("device-3", "gw-2", "conn-e"))).isTrue();
        assertThat(get(sessions.removeNode("gw-2"))).isEqualTo(2L);
        revocations.revokeClient("device-1");
        assertThat(get(revocations.revokesAsync(token))).isTrue();
    }

    @Test
    void commandsIssuedDuringAShortOutageCompleteOnceRedisIsBack() throws Exception {
        redis.server().kill();
        CompletableFuture<Optional<SessionLocation>> registered = sessions.register("device-1", "gw-1", "conn-a");
        CompletableFuture<Boolean> resolved = revocations.revokesAsync(claims("device-1", 0));
        Thread.sleep(300);
        redis.server().launch();

        // Buffered while disconnected, sent on reconnect, within the command timeout.
        assertThat(registered.get(10, TimeUnit.SECONDS)).isEmpty();
        assertThat(resolved.get(10, TimeUnit.SECONDS)).isFalse();
        assertThat(get(sessions.find("device-1"))).isPresent();
    }

    @Test
    void commandsFailWithATimeoutWhileRedisStaysDown() throws Exception {
        Duration timeout = Duration.ofMillis(500);
        try (RedisConnections impatient =
                     RedisConnections.open(RedisSettings.of(redis.server().uri()).withCommandTimeout(timeout))) {
            RedisRevocations impatientRevocations = new RedisRevocations(impatient, Clock.systemUTC(),
                    Duration.ofMinutes(1));
            redis.server().kill();

            long start = System.nanoTime();
            CompletableFuture<Boolean> resolved = impatientRevocations.revokesAsync(claims("device-1", 0));
            // Fail closed: an AUTH whose token cannot be checked against the list is refused, not let through.
            assertThatThrownBy(() -> resolved.get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(RedisUnavailableException.class)
                    .hasRootCauseInstanceOf(RedisCommandTimeoutException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            assertThatThrownBy(() -> impatientRevocations.revokeClient("device-1"))
                    .isInstanceOf(RedisUnavailableException.class)
                    .hasCauseInstanceOf(RedisCommandTimeoutException.class);

            redis.server().launch();
            await().atMost(Duration.ofSeconds(15)).ignoreExceptions()
                    .until(() -> !impatientRevocations.revokesAsync(claims("device-1", 0)).get(2, TimeUnit.SECONDS));
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

    private static TokenClaims claims(String clientId, long mark) {
        long now = System.currentTimeMillis() / 1000;
        return new TokenClaims(clientId, GENERATION, now, now + 300, mark, "AAAAAAAAAAAAAAAAAAAAAA");
    }

}
