package io.herald.cluster.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.device.DeviceService;
import io.herald.core.security.SecretHasher;
import io.herald.core.device.DeviceIdentity;
import io.herald.core.security.SignedTokenStore;
import io.herald.core.security.Token;
import io.herald.core.security.TokenKey;
import io.herald.core.security.TokenKeyRing;
import io.herald.core.security.TokenStore;
import io.herald.core.security.TokenVerifier;
import io.herald.store.jdbc.Database;
import io.herald.store.jdbc.JdbcDeviceStore;
import io.herald.store.jdbc.JdbcSettings;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 9, the cluster's half at the token-store level: logins racing the delete of their device, with signed
 * tokens whose revocation list is in a private Redis and devices in a database as an API node has them. Once a
 * delete returned, not one token of the deleted registration may resolve, whether a login returned it or refused it
 * (every issued token is recorded, so the refused ones are checked too).
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class RedisDeleteRaceTest {
    private static final int ROUNDS = 40;
    private static final int LOGINS = 4;
    private static final String SECRET = "secret-0123456789";

    @RegisterExtension
    static final PrivateRedis redis = new PrivateRedis();

    private Database database;
    private TokenStore tokens;
    private final List<Token> allIssued = Collections.synchronizedList(new ArrayList<>());
    private DeviceService devices;

    @BeforeEach
    void open() {
        database = Database.open(JdbcSettings.h2InMemory("delete_race_" + System.nanoTime()));
        TokenStore signed = new SignedTokenStore(new TokenVerifier(TokenKeyRing.of(TokenKey.random(1,
                new SecureRandom())), Clock.systemUTC()), new RedisRevocations(redis.connections(),
                Clock.systemUTC(), Duration.ofMinutes(5)));
        tokens = new RecordingTokenStore(signed, allIssued);
        devices = new DeviceService(new JdbcDeviceStore(database), tokens, new SecretHasher(1),
                Duration.ofMinutes(5), Clock.systemUTC());
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void noTokenOfADeletedRegistrationSurvivesConcurrentLogins() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(LOGINS + 1);
        List<String> survivors = new ArrayList<>();
        int issued = 0;
        try {
            for (int round = 0; round < ROUNDS; round++) {
                String clientId = "race-" + round;
                List<Token> got = race(pool, clientId);
                issued += got.size();
                for (Token token : got) {
                    if (tokens.resolve(token.value()).isPresent()) {
                        survivors.add(clientId + ": a token a login returned still resolves");
                    }
                }
                long left = allIssued.stream().filter(token -> token.clientId().equals(clientId))
                        .filter(token -> tokens.resolve(token.value()).isPresent()).count();
                if (left > 0) {
                    survivors.add(clientId + ": " + left + " issued token(s) still resolve");
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(issued).as("logins must win some races").isGreaterThan(ROUNDS);
        assertThat(survivors).isEmpty();
    }

    @Test
    void aTokenOfTheOldRegistrationIsRefusedAtLoginOfTheNewOne() {
        devices.register("reused", SECRET);
        Token old = devices.login("reused", SECRET).orElseThrow();
        devices.delete("reused");
        devices.register("reused", "another-owner-secret");
        Token fresh = devices.login("reused", "another-owner-secret").orElseThrow();

        assertThat(tokens.resolve(old.value())).isEmpty();
        assertThat(tokens.resolve(fresh.value())).contains(fresh.identity());
        assertThat(fresh.generation()).isNotEqualTo(old.generation());
        assertThat(devices.isCurrent(old.identity())).isFalse();
    }

    /** Passes everything to the store and keeps every token issued, including those a login then refused. */
    private record RecordingTokenStore(TokenStore store, List<Token> issued) implements TokenStore {
        @Override
        public Token issue(DeviceIdentity identity, Duration ttl) {
            Token token = store.issue(identity, ttl);
            issued.add(token);
            return token;
        }

        @Override
        public Optional<DeviceIdentity> resolve(String token) {
            return store.resolve(token);
        }

        @Override
        public void revoke(String token) {
            store.revoke(token);
        }

        @Override
        public void revokeAll(String clientId) {
            store.revokeAll(clientId);
        }
    }

    private List<Token> race(ExecutorService pool, String clientId) throws Exception {
        devices.register(clientId, SECRET);
        List<Token> got = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean deleted = new AtomicBoolean();
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> work = new ArrayList<>();
        for (int i = 0; i < LOGINS; i++) {
            work.add(pool.submit(() -> {
                go.await();
                for (int attempt = 0; attempt < 200 && !deleted.get(); attempt++) {
                    Optional<Token> token = devices.login(clientId, SECRET);
                    token.ifPresent(got::add);
                }
                return null;
            }));
        }
        work.add(pool.submit(() -> {
            go.await();
            Thread.sleep(ThreadLocalRandom.current().nextInt(1, 10));
            assertThat(devices.delete(clientId)).isTrue();
            deleted.set(true);
            return null;
        }));
        go.countDown();
        for (Future<?> future : work) {
            future.get(30, TimeUnit.SECONDS);
        }
        return got;
    }
}
