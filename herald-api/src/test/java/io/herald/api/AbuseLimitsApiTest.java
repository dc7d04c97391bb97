package io.herald.api;

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
    private static final AttemptLimit PER_ADDRESS = new AttemptLimit(3, Duration.ofMinutes(1));
    private static final AttemptLimit REGISTRATIONS = new AttemptLimit(2, Duration.ofMinutes(1));
    private static final AtomicInteger NEXT_ADDRESS = new AtomicInteger(1);
    private static TestApi api;
    private String address;
    private String otherAddress;

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
    }

    private static TestApi.Reply login(String clientId, String secret, String forwardedFor) {
        return api.post("/api/v1/login", credentials(clientId, secret), "X-Forwarded-For", forwardedFor);
    }

    private static TestApi.Reply register(String clientId, String forwardedFor) {
        return api.post("/api/v1/devices", credentials(clientId, RIGHT), "X-Forwarded-For", forwardedFor);
    }

    private static String credentials(String clientId, String secret) {
        return "{\"clientId\":\"" + clientId + "\",\"secret\":\"" + secret + "\"}";
    }

    @Test
    void aClientIdOverItsFailuresIs429WithRetryAfterEvenWithTheRightSecret() {
        for (int i = 0; i < 3; i++) {
            assertThat(login("dev-1", WRONG, address).status()).isEqualTo(401);
        }
        int tokens = api.tokens.size();

        TestApi.Reply reply = login("dev-1", RIGHT, otherAddress);

        assertThat(reply.status()).isEqualTo(429);
        assertThat(reply.errorCode()).isEqualTo("too_many_requests");
        assertThat(reply.errorMessage()).contains("too many failed logins", "retry after 300 s");
        assertThat(reply.header("retry-after")).isEqualTo("300");
        assertThat(reply.contentType()).startsWith("application/json");
        assertThat(api.tokens.size()).as("no token issued").isEqualTo(tokens);
        assertThat(login("dev-2", RIGHT, otherAddress).status()).as("another client id").isEqualTo(200);
    }

    @Test
    void theLimitReleasesWhenTheWindowEnds() {
        login("dev-3", WRONG, address);
        api.clock.advance(Duration.ofMinutes(1));
        login("dev-3", WRONG, otherAddress);
        login("dev-3", WRONG, otherAddress);

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
        login("nobody", WRONG, otherAddress);

        assertThat(login("nobody", WRONG, otherAddress).status()).isEqualTo(429);
    }

    @Test
    void failuresFromOneAddressAcrossClientIdsBlockThatAddress() {
        login("guess-1", WRONG, address);
        login("guess-2", WRONG, address);
        login("guess-3", WRONG, address);

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
        login("guess-4", WRONG, address);
        login("guess-5", WRONG, address);
        login("guess-6", WRONG, address);

        // nginx appends the address it saw: a client-chosen prefix does not move it to a fresh count
        assertThat(login("dev-6", RIGHT, otherAddress + ", " + address).status()).isEqualTo(429);
        assertThat(login("dev-6", RIGHT, address + ", " + otherAddress).status()).isEqualTo(200);
    }

    @Test
    void registrationsFromOneAddressAreCapped() {
        assertThat(register("new-1", address).status()).isEqualTo(201);
        assertThat(register("new-2", address).status()).isEqualTo(201);

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
        for (int i = 0; i < 3; i++) {
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
