package io.herald.cluster.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.device.DeviceService;
import io.herald.core.security.SecretHasher;
import io.herald.core.security.Token;
import io.herald.store.jdbc.Database;
import io.herald.store.jdbc.JdbcDeviceStore;
import io.herald.store.jdbc.JdbcSettings;
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
 * Issue 9, the cluster's half at the token-store level: logins racing the delete of their device, with tokens in a
 * private Redis and devices in a database as an API node has them. Once a delete returned, not one token of the
 * deleted registration may exist in Redis, whether a login returned it or refused it.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class RedisDeleteRaceTest {
    private static final int ROUNDS = 40;
    private static final int LOGINS = 4;
    private static final String SECRET = "secret-0123456789";

    @RegisterExtension
    static final PrivateRedis redis = new PrivateRedis();

    private Database database;
    private RedisTokenStore tokens;
    private DeviceService devices;

    @BeforeEach
    void open() {
        database = Database.open(JdbcSettings.h2InMemory("delete_race_" + System.nanoTime()));
        tokens = new RedisTokenStore(redis.connections());
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
                List<String> left = redis.connections().sync().keys("herald:token:*");
                if (!left.isEmpty()) {
                    survivors.add(clientId + ": " + left.size() + " token(s) left in Redis");
                }
                Long listed = redis.connections().sync().exists("herald:client-tokens:" + clientId);
                if (listed != 0) {
                    survivors.add(clientId + ": its token set is left in Redis");
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
