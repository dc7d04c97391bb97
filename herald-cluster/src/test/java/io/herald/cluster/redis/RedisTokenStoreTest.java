package io.herald.cluster.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.herald.core.device.DeviceIdentity;
import io.herald.core.security.Token;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RedisTokenStoreTest {
    @RegisterExtension
    static final PrivateRedis redis = new PrivateRedis();

    private RedisTokenStore store;

    @BeforeEach
    void newStore() {
        store = new RedisTokenStore(redis.connections());
    }

    @Test
    void issuedTokenResolvesToItsClient() {
        Instant before = Instant.now();
        Token token = store.issue(id("device-1"), Duration.ofMinutes(10));

        assertThat(token.value()).matches("[A-Za-z0-9_-]{43}");
        assertThat(token.clientId()).isEqualTo("device-1");
        assertThat(token.expiresAt()).isBetween(before.plus(Duration.ofMinutes(10)), Instant.now().plusSeconds(600));
        assertThat(store.resolve(token.value())).contains(id("device-1"));
        assertThat(token.toString()).doesNotContain(token.value());
    }

    @Test
    void storesTokensUnderTheDocumentedKeys() {
        Token token = store.issue(id("device-1"), Duration.ofMinutes(10));

        assertThat(redis.connections().sync().get("herald:token:" + token.value())).isEqualTo(GENERATION + " device-1");
        assertThat(redis.connections().sync().pttl("herald:token:" + token.value())).isBetween(1L, 600_000L);
        assertThat(redis.connections().sync().smembers("herald:client-tokens:device-1")).containsExactly(token.value());
    }

    @Test
    void eachIssueMakesADifferentToken() {
        Token first = store.issue(id("device-1"), Duration.ofMinutes(1));
        Token second = store.issue(id("device-1"), Duration.ofMinutes(1));

        assertThat(first.value()).isNotEqualTo(second.value());
        assertThat(store.resolve(first.value())).contains(id("device-1"));
        assertThat(store.resolve(second.value())).contains(id("device-1"));
    }

    @Test
    void unknownOrMalformedTokensResolveToNothing() {
        assertThat(store.resolve("A".repeat(43))).isEmpty();
        assertThat(store.resolve("not-a-token")).isEmpty();
        assertThat(store.resolve("")).isEmpty();
        assertThat(store.resolve(null)).isEmpty();
        assertThat(store.resolve("*".repeat(43))).isEmpty();
    }

    @Test
    void tokenExpiresAfterItsTtl() {
        Token token = store.issue(id("device-1"), Duration.ofMillis(300));
        assertThat(store.resolve(token.value())).contains(id("device-1"));

        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> store.resolve(token.value()).isEmpty());
    }

    @Test
    void revokeAllRemovesEveryTokenOfThatClientOnly() {
        List<Token> revoked = List.of(store.issue(id("device-1"), Duration.ofMinutes(1)),
                store.issue(id("device-1"), Duration.ofMinutes(5)), store.issue(id("device-1"), Duration.ofHours(1)));
        Token kept = store.issue(id("device-2"), Duration.ofMinutes(1));

        store.revokeAll("device-1");

        revoked.forEach(token -> assertThat(store.resolve(token.value())).isEmpty());
        assertThat(store.resolve(kept.value())).contains(id("device-2"));
        assertThat(redis.connections().sync().exists("herald:client-tokens:device-1")).isZero();
    }

    @Test
    void revokeRemovesOneTokenAndItsEntryInTheClientSet() {
        Token revoked = store.issue(id("device-1"), Duration.ofMinutes(1));
        Token kept = store.issue(id("device-1"), Duration.ofMinutes(1));

        store.revoke(revoked.value());
        store.revoke("A".repeat(43)); // unknown: nothing happens
        store.revoke("malformed");

        assertThat(store.resolve(revoked.value())).isEmpty();
        assertThat(store.resolve(kept.value())).contains(id("device-1"));
        assertThat(redis.connections().sync().smembers("herald:client-tokens:device-1")).containsExactly(kept.value());
    }

    @Test
    void aTokenStoredBeforeGenerationsResolvesToGenerationZero() {
        redis.connections().sync().set("herald:token:" + "E".repeat(43), "old-device");

        assertThat(store.resolve("E".repeat(43))).contains(new DeviceIdentity("old-device", 0));
    }

    @Test
    void revokeAllOfAClientWithoutTokensDoesNothing() {
        store.revokeAll("never-logged-in");

        assertThat(redis.connections().sync().dbsize()).isZero();
    }

    @Test
    void clientTokenSetLivesAsLongAsTheLongestLivedToken() {
        String set = "herald:client-tokens:device-1";
        store.issue(id("device-1"), Duration.ofHours(1));
        store.issue(id("device-1"), Duration.ofMinutes(1));
        assertThat(redis.connections().sync().pttl(set)).isGreaterThan(Duration.ofMinutes(59).toMillis());

        store.issue(id("device-1"), Duration.ofHours(2));
        assertThat(redis.connections().sync().pttl(set)).isGreaterThan(Duration.ofMinutes(119).toMillis());
    }

    @Test
    void expiredTokensArePrunedFromTheClientSetOnceItGrows() {
        for (int i = 0; i < RedisTokenStore.PRUNE_THRESHOLD + 8; i++) {
            store.issue(id("chatty-device"), Duration.ofMillis(100));
        }
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> redis.connections().sync().keys("herald:token:*").isEmpty());

        Token live = store.issue(id("chatty-device"), Duration.ofMinutes(1));

        assertThat(redis.connections().sync().smembers("herald:client-tokens:chatty-device")).containsExactly(live.value());
    }

    @Test
    void resolveAsyncAnswersWithoutBlockingTheCaller() throws Exception {
        List<Token> tokens = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            tokens.add(store.issue(id("device-" + i), Duration.ofMinutes(1)));
        }

        List<CompletableFuture<Optional<DeviceIdentity>>> answers = new ArrayList<>();
        for (Token token : tokens) {
            answers.add(store.resolveAsync(token.value()));
        }
        CompletableFuture<Optional<DeviceIdentity>> unknown = store.resolveAsync("B".repeat(43));

        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
        for (int i = 0; i < tokens.size(); i++) {
            assertThat(answers.get(i).join()).contains(id("device-" + i));
        }
        assertThat(unknown.get(5, TimeUnit.SECONDS)).isEmpty();
        assertThat(store.resolveAsync("malformed")).isCompletedWithValue(Optional.empty());
    }

    @Test
    void honoursAConfiguredKeyPrefix() {
        try (RedisConnections other = RedisConnections.open(RedisSettings.of(redis.server().uri()).withKeyPrefix("fleet-b:"))) {
            RedisTokenStore otherStore = new RedisTokenStore(other);
            Token token = otherStore.issue(id("device-1"), Duration.ofMinutes(1));

            assertThat(redis.connections().sync().get("fleet-b:token:" + token.value())).isEqualTo(GENERATION + " device-1");
            assertThat(store.resolve(token.value())).isEmpty();
            assertThat(otherStore.resolve(token.value())).contains(id("device-1"));
        }
    }

    @Test
    void rejectsBadArguments() {
        assertThatThrownBy(() -> store.issue(id(""), Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("client id");
        assertThatThrownBy(() -> store.issue(id("device-1"), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1 ms");
        assertThatThrownBy(() -> store.revokeAll(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("client id");
    }

    private static final long GENERATION = -42;

    private static DeviceIdentity id(String clientId) {
        return new DeviceIdentity(clientId, GENERATION);
    }
}
