package io.herald.core.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.core.memory.InMemoryDeviceStore;
import io.herald.core.security.InMemoryTokenStore;
import io.herald.core.security.SecretHasher;
import io.herald.core.security.SecretVerifier;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The verified-secret cache in front of the slow hash, seen through logins ({@link SecretVerifier}). */
class DeviceServiceSecretCacheTest {
    private static final String SECRET = "s3cret-s3cret-s3cret";

    private final Clock clock = Clock.systemUTC();
    private final InMemoryDeviceStore store = new InMemoryDeviceStore();
    private final SecretHasher hasher = new SecretHasher(10);

    private SecretVerifier verifier = new SecretVerifier(hasher, 100);
    private DeviceService devices = service();

    private DeviceService service() {
        return new DeviceService(store, new InMemoryTokenStore(clock), hasher, verifier, Duration.ofMinutes(5), clock);
    }

    @Test
    void theFirstLoginAfterTheRegistrationAndTheLaterOnesSkipTheSlowHash() {
        devices.register("dev-1", SECRET);

        assertThat(devices.login("dev-1", SECRET)).isPresent();
        assertThat(devices.login("dev-1", SECRET)).isPresent();
        assertThat(verifier.slowChecks()).as("the registration hashed this very secret").isZero();
        assertThat(verifier.size()).isEqualTo(1);
    }

    @Test
    void anotherProcessPaysTheSlowHashOnceThenRemembers() {
        devices.register("dev-1", SECRET);
        verifier = new SecretVerifier(hasher, 100); // a restart, or another API node: nothing remembered
        devices = service();

        assertThat(devices.login("dev-1", SECRET)).isPresent();
        assertThat(verifier.slowChecks()).as("first login: miss").isEqualTo(1);
        assertThat(devices.login("dev-1", SECRET)).isPresent();
        assertThat(devices.login("dev-1", SECRET)).isPresent();
        assertThat(verifier.slowChecks()).as("later logins: hits").isEqualTo(1);
    }

    @Test
    void anAlreadyRegisteredAnswerRemembersNothingUnchecked() {
        devices.register("dev-1", SECRET);
        verifier = new SecretVerifier(hasher, 100);
        devices = service();

        assertThat(devices.register("dev-1", "wrong-secret-1")).isEqualTo(DeviceService.Registration.CONFLICT);
        assertThat(verifier.size()).as("a conflicting registration is not a verified secret").isZero();
        assertThat(devices.register("dev-1", SECRET)).isEqualTo(DeviceService.Registration.ALREADY_REGISTERED);
        assertThat(verifier.slowChecks()).as("both checked with the slow hash").isEqualTo(2);
        assertThat(devices.login("dev-1", SECRET)).isPresent();
        assertThat(verifier.slowChecks()).isEqualTo(2);
    }

    @Test
    void aWrongSecretAlwaysPaysTheSlowHashAndIsNeverRemembered() {
        devices.register("dev-1", SECRET);

        assertThat(devices.login("dev-1", "wrong-secret-1")).isEmpty();
        assertThat(devices.login("dev-1", "wrong-secret-1")).isEmpty();
        assertThat(verifier.slowChecks()).as("a remembered device still refuses a wrong secret, slowly")
                .isEqualTo(2);
        assertThat(devices.login("dev-1", SECRET)).as("the good entry survives wrong guesses").isPresent();
        assertThat(verifier.slowChecks()).isEqualTo(2);

        verifier = new SecretVerifier(hasher, 100);
        devices = service();
        assertThat(devices.login("dev-1", "wrong-secret-1")).isEmpty();
        assertThat(verifier.size()).as("nothing remembered for a failed check").isZero();
    }

    @Test
    void reRegistrationWithANewSecretInvalidatesTheRememberedOne() {
        devices.register("dev-1", SECRET);
        assertThat(devices.login("dev-1", SECRET)).isPresent();

        devices.delete("dev-1");
        assertThat(devices.login("dev-1", SECRET)).as("deleted").isEmpty();
        devices.register("dev-1", "another-secret-2");

        assertThat(devices.login("dev-1", SECRET)).as("the old secret no longer logs in").isEmpty();
        assertThat(devices.login("dev-1", "another-secret-2")).isPresent();
        long slow = verifier.slowChecks();
        assertThat(devices.login("dev-1", "another-secret-2")).isPresent();
        assertThat(verifier.slowChecks()).as("the new secret is now the remembered one").isEqualTo(slow);
        assertThat(devices.login("dev-1", SECRET)).isEmpty();
    }

    @Test
    void reRegistrationWithTheSameSecretIsRememberedUnderTheNewRegistration() {
        devices.register("dev-1", SECRET);
        assertThat(devices.login("dev-1", SECRET)).isPresent();
        devices.delete("dev-1");
        devices.register("dev-1", SECRET);
        long slow = verifier.slowChecks();

        assertThat(devices.login("dev-1", SECRET)).isPresent();
        assertThat(verifier.slowChecks()).isEqualTo(slow);
        assertThat(devices.isCurrent(store.find("dev-1").orElseThrow().identity())).isTrue();
    }

    @Test
    void aNewStoredHashUnderTheSameGenerationInvalidatesTheRememberedSecret() {
        devices.register("dev-1", SECRET);
        assertThat(devices.login("dev-1", SECRET)).isPresent();
        Device old = store.find("dev-1").orElseThrow();

        // A secret changed in the store (an operator's UPDATE, a restore), generation kept.
        store.delete("dev-1");
        store.insert(new Device("dev-1", hasher.hash("changed-secret-3"), old.createdAt(), old.generation()));

        assertThat(devices.login("dev-1", SECRET)).isEmpty();
        assertThat(devices.login("dev-1", "changed-secret-3")).isPresent();
    }

    @Test
    void theCacheHoldsAtMostItsCapacityLeastRecentlyUsedOut() {
        verifier = new SecretVerifier(hasher, 2);
        devices = service();
        for (String id : List.of("dev-1", "dev-2", "dev-3")) {
            devices.register(id, SECRET);
        }
        devices.login("dev-1", SECRET);
        devices.login("dev-2", SECRET);
        devices.login("dev-1", SECRET); // dev-1 used last: dev-2 is the eldest
        devices.login("dev-3", SECRET);
        assertThat(verifier.size()).isEqualTo(2);
        long slow = verifier.slowChecks();

        assertThat(devices.login("dev-1", SECRET)).isPresent();
        assertThat(devices.login("dev-3", SECRET)).isPresent();
        assertThat(verifier.slowChecks()).as("dev-1 and dev-3 kept").isEqualTo(slow);
        assertThat(devices.login("dev-2", SECRET)).isPresent();
        assertThat(verifier.slowChecks()).as("dev-2 was evicted").isEqualTo(slow + 1);
        assertThat(verifier.size()).isEqualTo(2);
    }

    @Test
    void capacityZeroRemembersNothing() {
        verifier = new SecretVerifier(hasher, 0);
        devices = service();
        devices.register("dev-1", SECRET);
        devices.login("dev-1", SECRET);
        devices.login("dev-1", SECRET);
        assertThat(verifier.slowChecks()).isEqualTo(2);
        assertThat(verifier.size()).isZero();
        assertThatThrownBy(() -> new SecretVerifier(hasher, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void concurrentLoginsOfManyDevicesStayWithinTheBoundAndAllSucceed() throws Exception {
        verifier = new SecretVerifier(hasher, 50);
        devices = service();
        for (int i = 0; i < 200; i++) {
            devices.register("dev-" + i, SECRET + i);
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < 200; i++) {
                    int n = i;
                    results.add(pool.submit(() -> devices.login("dev-" + n, SECRET + n).isPresent()
                            && devices.login("dev-" + n, SECRET + (n + 1)).isEmpty()));
                }
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(verifier.size()).isEqualTo(50);
    }
}
