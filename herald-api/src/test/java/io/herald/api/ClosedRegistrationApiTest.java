package io.herald.api;

import io.herald.core.limit.AttemptLimit;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ClosedRegistrationApiTest {
    private static final String BODY = "{\"clientId\":\"closed-1\",\"secret\":\"secret-123\"}";
    private static TestApi api;

    @BeforeAll
    static void start() {
        // a registration cap of one per address, which open registration would apply
        api = TestApi.start(settings -> settings.withOpenRegistration(false).withLimits(new ApiLimits(
                ApiLimits.DEFAULT_LOGIN_FAILURES_PER_CLIENT, ApiLimits.DEFAULT_LOGIN_FAILURES_PER_ADDRESS,
                new AttemptLimit(1, Duration.ofMinutes(1)), List.of())));
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void registrationWithoutKeyIs401() {
        TestApi.Reply reply = api.post("/api/v1/devices", BODY);

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.errorCode()).isEqualTo("unauthorized");
        assertThat(reply.header("www-authenticate")).isEqualTo("Bearer");
        assertThat(api.deviceStore.find("closed-1")).isEmpty();
    }

    @Test
    void registrationWithWrongKeyIs401() {
        TestApi.Reply reply = api.post("/api/v1/devices", BODY, "Authorization", "Bearer not-the-key");

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.errorCode()).isEqualTo("unauthorized");
        assertThat(api.deviceStore.find("closed-1")).isEmpty();
    }

    @Test
    void registrationWithKeyWorks() {
        TestApi.Reply reply = api.postWithKey("/api/v1/devices",
                "{\"clientId\":\"closed-2\",\"secret\":\"secret-123\"}");

        assertThat(reply.status()).isEqualTo(201);
        assertThat(api.deviceStore.find("closed-2")).isPresent();
    }

    @Test
    void operatorsRegisteringWithTheKeyAreNotCappedPerAddress() {
        for (int i = 0; i < 5; i++) {
            TestApi.Reply reply = api.postWithKey("/api/v1/devices",
                    "{\"clientId\":\"fleet-" + i + "\",\"secret\":\"secret-123\"}");

            assertThat(reply.status()).isEqualTo(201);
        }
    }

    @Test
    void loginStaysOpen() {
        api.register("closed-3", "secret-123");

        TestApi.Reply reply = api.post("/api/v1/login", "{\"clientId\":\"closed-3\",\"secret\":\"secret-123\"}");

        assertThat(reply.status()).isEqualTo(200);
    }
}
