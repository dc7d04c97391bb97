package io.herald.api;

import io.herald.core.limit.AttemptLimit;
import io.herald.core.limit.LoginThrottle;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Failed logins and registrations per client id and address: 429 with Retry-After, before the secret is checked.
 * One server for the class, behind a "proxy" (the test client on 127.0.0.1 is trusted), so that each test has a
 * source address of its own in X-Forwarded-For and counts of one test never reach another.
 */
class AbuseLimitsApiTest {
    private static final String RIGHT = "secret-123";
    private static final String WRONG = "wrong-secret";
    private static final AttemptLimit PER_CLIENT = new AttemptLimit(3, Duration.ofMinutes(5));
    private static final AttemptLimit PER_ADDRESS = new AttemptLimit(5, Duration.ofMinutes(1));
    private static final AttemptLimit REGISTRATIONS = new AttemptLimit(5, Duration.ofMinutes(1));
    private static final AtomicInteger NEXT_ADDRESS = new AtomicInteger(1);
    private static TestApi api;
    private String address;
    private String otherAddress;
    /** IPv6 space of this test's own: "2001:db8:n", a /48. */
    private String ipv6Prefix;
    /** A /64 of it, as "2001:db8:n:0:" (complete it with the interface part). */
    private String ipv6Block;

    @BeforeAll
    static void start() {
        api = TestApi.start(settings -> settings.withLimits(
                new ApiLimits(PER_CLIENT, PER_ADDRESS, REGISTRATIONS, List.of("127.0.0.1"))));
        for (int i = 1; i <= 10; i++) {
            api.register("dev-" + i, RIGHT);
        }
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @BeforeEach
    void ownAddresses() {
        address = "203.0.113." + NEXT_ADDRESS.getAndIncrement();
        otherAddress = "203.0.113." + NEXT_ADDRESS.getAndIncrement();
        ipv6Prefix = "2001:db8:" + Integer.toHexString(NEXT_ADDRESS.getAndIncrement());
        ipv6Block = ipv6Prefix + ":0:";
    }

    private static TestApi.Reply login(String clientId, String secret, String forwardedFor) {
        return api.post("/api/v1/login", credentials(clientId, secret), "X-Forwarded-For", forwardedFor);
    }

    private static TestApi.Reply register(String clientId, String forwardedFor) {
        return register(clientId, RIGHT, forwardedFor);
    }

    private static TestApi.Reply register(String clientId, String secret, String forwardedFor) {
        return api.post("/api/v1/devices", credentials(clientId, secret), "X-Forwarded-For", forwardedFor);
    }

    private static String credentials(String clientId, String secret) {
        return "{\"clientId\":\"" + clientId + "\",\"secret\":\"" + secret + "\"}";
    }

    @Test
    void aClientIdOverItsFailuresFromOneAddressIs429ThereEvenWithTheRightSecret() {
        for (int i = 0; i < 3; i++) {
            assertThat(login("dev-1", WRONG, address).status()).isEqualTo(401);
        }
        int tokens = api.tokens.size();

        TestApi.Reply reply = login("dev-1", RIGHT, address);

        assertThat(reply.status()).isEqualTo(429);
        assertThat(reply.errorCode()).isEqualTo("too_many_requests");
        assertThat(reply.errorMessage()).contains("too many failed logins", "retry after 300 s");
        assertThat(reply.header("retry-after")).isEqualTo("300");
        assertThat(reply.contentType()).startsWith("application/json");
        assertThat(api.tokens.size()).as("no token issued").isEqualTo(tokens);
        assertThat(login("dev-2", RIGHT, address).status()).as("another client id").isEqualTo(200);
        assertThat(login("dev-1", RIGHT, otherAddress).status())
                .as("the device itself, elsewhere: a guesser cannot lock it out").isEqualTo(200);
    }

    @Test
    void aClientIdsBudgetOverAllAddressesIsTenTimesThePerAddressOne() {
        for (int source = 1; source <= LoginThrottle.CLIENT_BUDGET_FACTOR; source++) {
            for (int i = 0; i < 3; i++) {
                assertThat(login("dev-7", WRONG, ipv6Prefix + ":" + source + "::1").status()).isEqualTo(401);
            }
            api.clock.advance(Duration.ofSeconds(1));
        }

        TestApi.Reply fromANewAddress = login("dev-7", RIGHT, otherAddress);

        assertThat(fromANewAddress.status()).isEqualTo(429);
        assertThat(fromANewAddress.header("retry-after")).isEqualTo("290");
    }

    @Test
    void registeringATakenIdWithAnotherSecretCountsAsAFailedLogin() {
        for (int i = 0; i < 2; i++) {
            TestApi.Reply conflict = register("dev-8", WRONG, address);
            assertThat(conflict.status()).isEqualTo(409);
            assertThat(conflict.body()).doesNotContain(WRONG);
        }
        assertThat(login("dev-8", WRONG, address).status()).isEqualTo(401);

        TestApi.Reply guess = register("dev-8", RIGHT, address);
        assertThat(guess.status()).as("no answer tells whether the secret matched").isEqualTo(429);
        assertThat(guess.errorMessage()).startsWith("too many failed logins");
        assertThat(login("dev-8", RIGHT, address).status()).isEqualTo(429);
        assertThat(login("dev-8", RIGHT, otherAddress).status()).isEqualTo(200);
        assertThat(register("dev-8", RIGHT, otherAddress).status()).isEqualTo(200);
    }

    @Test
    void ipv6AddressesCountByTheirSlash64() {
        for (int i = 1; i <= 5; i++) {
            assertThat(login("guess-v6-" + i, WRONG, ipv6Block + ":" + Integer.toHexString(i)).status())
                    .isEqualTo(401);
        }

        assertThat(login("dev-9", RIGHT, ipv6Block + "ffff:ffff:ffff:ffff").status())
                .as("another address of the same /64").isEqualTo(429);
        assertThat(login("dev-9", RIGHT, "2001:db8:ffff:ffff::1").status()).as("another /64").isEqualTo(200);
    }

    @Test
    void ipv6AddressesOfOneSlash64ShareTheirRegistrations() {
        for (int i = 1; i <= 5; i++) {
            assertThat(register(ipv6Block.replace(':', '-') + i, ipv6Block + ":" + i).status()).isEqualTo(201);
        }

        assertThat(register(ipv6Block.replace(':', '-') + "x", ipv6Block + "1:2:3:4").status()).isEqualTo(429);
    }

    @Test
    void theLimitReleasesWhenTheWindowEnds() {
        login("dev-3", WRONG, address);
        api.clock.advance(Duration.ofMinutes(1));
        login("dev-3", WRONG, address);
        login("dev-3", WRONG, address);

        api.clock.advance(Duration.ofMinutes(3));
        TestApi.Reply blocked = login("dev-3", RIGHT, address);
        assertThat(blocked.status()).isEqualTo(429);
        assertThat(blocked.header("retry-after")).isEqualTo("60");

        api.clock.advance(Duration.ofMinutes(1));
        assertThat(login("dev-3", RIGHT, address).status()).isEqualTo(200);
    }

    @Test
    void unknownClientIdsCountLikeKnownOnes() {
        login("nobody", WRONG, address);
        login("nobody", WRONG, address);
        login("nobody", WRONG, address);

        assertThat(login("nobody", WRONG, address).status()).isEqualTo(429);
    }

    @Test
    void failuresFromOneAddressAcrossClientIdsBlockThatAddress() {
        for (int i = 1; i <= 5; i++) {
            login("guess-" + i, WRONG, address);
        }

        TestApi.Reply reply = login("dev-4", RIGHT, address);

        assertThat(reply.status()).isEqualTo(429);
        assertThat(reply.header("retry-after")).isEqualTo("60");
        assertThat(login("dev-4", RIGHT, otherAddress).status()).as("another address").isEqualTo(200);
    }

    @Test
    void successfulLoginsDoNotCount() {
        for (int i = 0; i < 10; i++) {
            assertThat(login("dev-5", RIGHT, address).status()).isEqualTo(200);
        }
    }

    @Test
    void whatAClientWritesInFrontOfTheProxysEntryIsNotBelieved() {
        for (int i = 1; i <= 5; i++) {
            login("guess-proxy-" + i, WRONG, address);
        }

        // nginx appends the address it saw: a client-chosen prefix does not move it to a fresh count
        assertThat(login("dev-6", RIGHT, otherAddress + ", " + address).status()).isEqualTo(429);
        assertThat(login("dev-6", RIGHT, address + ", " + otherAddress).status()).isEqualTo(200);
    }

    @Test
    void registrationsFromOneAddressAreCapped() {
        for (int i = 1; i <= 5; i++) {
            assertThat(register("new-" + i + "-of-5", address).status()).isEqualTo(201);
        }

        TestApi.Reply reply = register("new-3", address);

        assertThat(reply.status()).isEqualTo(429);
        assertThat(reply.errorCode()).isEqualTo("too_many_requests");
        assertThat(reply.header("retry-after")).isEqualTo("60");
        assertThat(api.deviceStore.find("new-3")).isEmpty();
        assertThat(register("new-3", otherAddress).status()).as("another address").isEqualTo(201);

        api.clock.advance(Duration.ofMinutes(1));
        assertThat(register("new-4", address).status()).isEqualTo(201);
    }

    @Test
    void refusalsAreCounted() {
        double logins = limited("login");
        double registrations = limited("registration");
        for (int i = 0; i < 4; i++) {
            login("guess-7", WRONG, address);
        }
        for (int i = 0; i < 6; i++) {
            register("new-5", otherAddress);
        }

        assertThat(limited("login") - logins).isEqualTo(1);
        assertThat(limited("registration") - registrations).isEqualTo(1);
        assertThat(api.get("/metrics").body()).contains("herald_http_limited_total{endpoint=\"login\"}");
    }

    private static double limited(String endpoint) {
        return api.registry.get("herald.http.limited").tag("endpoint", endpoint).counter().count();
    }

    @Test
    void theDefaultsAreOnAndTrustNoProxy() {
        assertThat(ApiSettings.of("key").limits()).isEqualTo(ApiLimits.DEFAULTS);
        assertThat(ApiLimits.DEFAULTS.loginFailuresPerClient()).isEqualTo(new AttemptLimit(10, Duration.ofMinutes(5)));
        assertThat(ApiLimits.DEFAULTS.loginFailuresPerAddress()).isEqualTo(new AttemptLimit(50, Duration.ofMinutes(1)));
        assertThat(ApiLimits.DEFAULTS.registrationsPerAddress())
                .isEqualTo(new AttemptLimit(100, Duration.ofMinutes(1)));
        assertThat(ApiLimits.DEFAULTS.trustedProxies()).isEmpty();
    }
}
