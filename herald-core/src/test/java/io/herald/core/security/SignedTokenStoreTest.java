package io.herald.core.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.device.DeviceIdentity;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Signed tokens: what verifies, what does not, and revocation through the list (kept by a log across restarts). */
class SignedTokenStoreTest {
    private static final DeviceIdentity DEVICE = new DeviceIdentity("dev-1", -7);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final TokenKey key = TokenKey.random(1, RANDOM);
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-04T10:00:00Z"));
    private final MemoryLog log = new MemoryLog();
    private SignedTokenStore store = storeWith(TokenKeyRing.of(key));

    private SignedTokenStore storeWith(TokenKeyRing keys) {
        return new SignedTokenStore(new TokenVerifier(keys, clock), new LocalRevocations(log, clock,
                Duration.ofHours(1)));
    }

    @Test
    void aTokenResolvesToItsRegistrationUntilItExpires() {
        Token token = store.issue(DEVICE, Duration.ofMinutes(10));

        assertThat(token.value()).matches("[A-Za-z0-9_-]+").hasSizeLessThanOrEqualTo(SignedTokenFormat.MAX_CHARS);
        assertThat(token.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(10)));
        assertThat(store.resolve(token.value())).contains(DEVICE);
        clock.advance(Duration.ofMinutes(10).minusSeconds(1));
        assertThat(store.resolve(token.value())).contains(DEVICE);
        clock.advance(Duration.ofSeconds(1));
        assertThat(store.resolve(token.value())).as("expired").isEmpty();
    }

    @Test
    void everyChangedByteIsRefused() {
        String token = store.issue(DEVICE, Duration.ofMinutes(10)).value();
        byte[] bytes = Base64.getUrlDecoder().decode(token);
        for (int i = 0; i < bytes.length; i++) {
            byte[] tampered = bytes.clone();
            tampered[i] ^= 0x01;
            String value = Base64.getUrlEncoder().withoutPadding().encodeToString(tampered);
            assertThat(store.resolve(value)).as("byte " + i + " changed").isEmpty();
        }
    }

    @Test
    void aTokenOfAnotherKeyOrAnUnknownKeyIdIsRefused() {
        SignedTokenStore otherNode = storeWith(TokenKeyRing.of(TokenKey.random(1, RANDOM)));
        SignedTokenStore otherKeyId = storeWith(TokenKeyRing.of(TokenKey.random(2, RANDOM)));

        assertThat(store.resolve(otherNode.issue(DEVICE, Duration.ofMinutes(1)).value())).isEmpty();
        assertThat(store.resolve(otherKeyId.issue(DEVICE, Duration.ofMinutes(1)).value())).isEmpty();
    }

    @Test
    void afterARotationTokensOfTheOldKeyStillWorkAndNewOnesAreSignedWithTheNewKey() {
        Token old = store.issue(DEVICE, Duration.ofMinutes(1));
        TokenKey next = TokenKey.random(2, RANDOM);
        SignedTokenStore rotated = storeWith(new TokenKeyRing(next, List.of(key, next)));
        Token fresh = rotated.issue(DEVICE, Duration.ofMinutes(1));

        assertThat(rotated.resolve(old.value())).contains(DEVICE);
        assertThat(rotated.resolve(fresh.value())).contains(DEVICE);
        assertThat(store.resolve(fresh.value())).as("a node without the new key").isEmpty();
        assertThat(storeWith(TokenKeyRing.of(next)).resolve(old.value())).as("the old key dropped").isEmpty();
    }

    @Test
    void malformedOversizedAndEmptyInputIsSimplyNotAToken() {
        String valid = store.issue(DEVICE, Duration.ofMinutes(1)).value();
        List<String> bad = List.of("", "x", "not base64 !!", "A".repeat(43), "A".repeat(SignedTokenFormat.MAX_CHARS + 1),
                valid + "A", valid.substring(0, valid.length() - 1), "=".repeat(100), "A".repeat(10_000_000));
        for (String token : bad) {
            assertThat(store.resolve(token)).as(token.length() + " characters").isEmpty();
        }
        assertThat(store.resolve(null)).isEmpty();
        store.revoke("garbage"); // nothing to revoke, no failure
        assertThat(log.entries).isEmpty();
    }

    @Test
    void revokeRefusesThatTokenOnlyAndRevokeAllEveryTokenIssuedBefore() {
        Token first = store.issue(DEVICE, Duration.ofMinutes(10));
        Token second = store.issue(DEVICE, Duration.ofMinutes(10));
        Token other = store.issue(new DeviceIdentity("dev-2", 1), Duration.ofMinutes(10));

        store.revoke(first.value());
        assertThat(store.resolve(first.value())).isEmpty();
        assertThat(store.resolve(second.value())).contains(DEVICE);

        store.revokeAll("dev-1");
        Token after = store.issue(DEVICE, Duration.ofMinutes(10));
        assertThat(store.resolve(second.value())).isEmpty();
        assertThat(store.resolve(after.value())).as("issued after the revocation").contains(DEVICE);
        assertThat(store.resolve(other.value())).as("another device").isPresent();
    }

    @Test
    void revocationsAreReadBackFromTheLogByTheNextProcess() {
        Token revoked = store.issue(DEVICE, Duration.ofMinutes(10));
        Token single = store.issue(new DeviceIdentity("dev-2", 1), Duration.ofMinutes(10));
        Token kept = store.issue(new DeviceIdentity("dev-3", 1), Duration.ofMinutes(10));
        store.revokeAll("dev-1");
        store.revoke(single.value());

        SignedTokenStore restarted = storeWith(TokenKeyRing.of(key));

        assertThat(restarted.resolve(revoked.value())).isEmpty();
        assertThat(restarted.resolve(single.value())).isEmpty();
        assertThat(restarted.resolve(kept.value())).isPresent();
    }

    @Test
    void entriesAreForgottenOnceEveryTokenTheyCoverHasExpired() {
        LocalRevocations revocations = new LocalRevocations(log, clock, Duration.ofHours(1));
        SignedTokenStore local = new SignedTokenStore(new TokenVerifier(TokenKeyRing.of(key), clock), revocations);
        local.revoke(local.issue(DEVICE, Duration.ofMinutes(10)).value());
        local.revokeAll("dev-1");
        assertThat(revocations.size()).isEqualTo(2);

        clock.advance(Duration.ofMinutes(10));
        assertThat(revocations.purgeExpired()).as("the single token's entry").isEqualTo(1);
        clock.advance(Duration.ofHours(1).plus(LocalRevocations.CLOCK_MARGIN));
        assertThat(revocations.purgeExpired()).as("the client's entry").isEqualTo(1);
        assertThat(log.load(clock.millis())).isEmpty();
    }

    /** A revokeAll must refuse every token issued before it returned, however the two interleave. */
    @Test
    void noTokenIssuedBeforeARevokeAllReturnedSurvivesIt() throws Exception {
        SignedTokenStore shared = new SignedTokenStore(new TokenVerifier(TokenKeyRing.of(key), Clock.systemUTC()),
                new LocalRevocations(RevocationLog.NONE, Clock.systemUTC(), Duration.ofHours(1)));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 100; round++) {
                CountDownLatch go = new CountDownLatch(1);
                AtomicReference<List<Token>> issued = new AtomicReference<>(new ArrayList<>());
                List<Future<List<Token>>> work = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    work.add(pool.submit(() -> {
                        go.await();
                        List<Token> mine = new ArrayList<>();
                        for (int n = 0; n < 50; n++) {
                            mine.add(shared.issue(DEVICE, Duration.ofMinutes(1)));
                        }
                        return mine;
                    }));
                }
                go.countDown();
                Thread.sleep(0, 100_000);
                shared.revokeAll("dev-1"); // every token issued (returned) before this line must be refused after it
                List<Token> before = new ArrayList<>();
                for (Future<List<Token>> future : work) {
                    before.addAll(future.get(10, TimeUnit.SECONDS));
                }
                shared.revokeAll("dev-1");
                issued.set(before);
                assertThat(issued.get().stream().filter(t -> shared.resolve(t.value()).isPresent()))
                        .as("round " + round).isEmpty();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static final class MemoryLog implements RevocationLog {
        final List<Revocation> entries = new ArrayList<>();

        @Override
        public synchronized void record(Revocation entry) {
            entries.add(entry);
        }

        @Override
        public synchronized List<Revocation> load(long nowMillis) {
            return entries.stream().filter(e -> e.expiresAtMillis() > nowMillis).toList();
        }

        @Override
        public synchronized int purgeExpired(long nowMillis) {
            int before = entries.size();
            entries.removeIf(e -> e.expiresAtMillis() <= nowMillis);
            return before - entries.size();
        }
    }

    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
