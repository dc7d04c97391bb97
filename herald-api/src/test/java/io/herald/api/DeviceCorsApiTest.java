package io.herald.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpRequest;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** CORS on the device endpoints: preflight and actual requests from allowed and refused origins, over a socket. */
class DeviceCorsApiTest {
    private static final String ALLOWED = "http://chat.example.com:8000";
    private static final String OTHER = "https://evil.example.net";
    private static final String CREDENTIALS = "{\"clientId\":\"web-1\",\"secret\":\"secret-123\"}";

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class WithAnAllowedOrigin {
        private TestApi api;

        @BeforeAll
        void start() {
            api = TestApi.start(settings -> settings.withCorsOrigins(List.of(ALLOWED, "https://other.example.org")));
            api.register("web-1", "secret-123");
        }

        @AfterAll
        void stop() {
            api.close();
        }

        @Test
        void preflightOfLoginFromAnAllowedOriginIsAnswered() {
            TestApi.Reply reply = preflight(api, "/api/v1/login", ALLOWED);

            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.header("access-control-allow-origin")).isEqualTo(ALLOWED);
            assertThat(reply.header("access-control-allow-methods")).contains("POST");
            assertThat(reply.header("access-control-allow-headers")).containsIgnoringCase("content-type");
            assertThat(reply.header("access-control-max-age")).isEqualTo("3600");
            assertThat(reply.header("access-control-allow-credentials")).isNull();
        }

        @Test
        void loginFromAnAllowedOriginCarriesTheAllowOriginHeader() {
            TestApi.Reply reply = api.post("/api/v1/login", CREDENTIALS, "Origin", ALLOWED);

            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.json().path("token").asText()).isNotEmpty();
            assertThat(reply.header("access-control-allow-origin")).isEqualTo(ALLOWED);
            assertThat(reply.header("access-control-expose-headers")).containsIgnoringCase("retry-after");
        }

        @Test
        void registrationIsReachableFromAnAllowedOrigin() {
            assertThat(preflight(api, "/api/v1/devices", ALLOWED).header("access-control-allow-origin"))
                    .isEqualTo(ALLOWED);
            TestApi.Reply reply = api.post("/api/v1/devices", "{\"clientId\":\"web-2\",\"secret\":\"secret-123\"}",
                    "Origin", ALLOWED);

            assertThat(reply.status()).isEqualTo(201);
            assertThat(reply.header("access-control-allow-origin")).isEqualTo(ALLOWED);
        }

        @Test
        void anotherOriginIsRefused() {
            // Answered without any Access-Control-Allow-* header, which the browser takes as a refusal. (No 403: a
            // same-origin POST carries an Origin header too, and must go on working.)
            TestApi.Reply preflight = preflight(api, "/api/v1/login", OTHER);
            assertThat(preflight.header("access-control-allow-origin")).isNull();
            assertThat(preflight.header("access-control-allow-methods")).isNull();

            // What a browser would not even send after that preflight gets no CORS header either.
            TestApi.Reply login = api.post("/api/v1/login", CREDENTIALS, "Origin", OTHER);
            assertThat(login.header("access-control-allow-origin")).isNull();
        }

        @Test
        void theOperatorsEndpointsGetNoCors() {
            for (String[] call : List.of(new String[] {"/api/v1/push", "POST"},
                    new String[] {"/api/v1/devices/web-1", "GET"}, new String[] {"/api/v1/devices/web-1", "DELETE"},
                    new String[] {"/api/v1/devices", "GET"})) {
                TestApi.Reply reply = api.send(api.request(call[0], "Origin", ALLOWED,
                        "Access-Control-Request-Method", call[1], "Access-Control-Request-Headers", "authorization")
                        .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build());
                String allowed = reply.header("access-control-allow-methods");
                // GET /api/v1/devices shares its path with the registration: its preflight may name the origin,
                // but never allows the method, nor the Authorization header the API key travels in.
                assertThat(allowed == null || !allowed.contains(call[1])).as(call[1] + " " + call[0]).isTrue();
                assertThat(reply.header("access-control-allow-headers")).as(call[0])
                        .satisfiesAnyOf(h -> assertThat(h).isNull(),
                                h -> assertThat(h).doesNotContainIgnoringCase("authorization"));
            }
            for (String path : List.of("/api/v1/devices/web-1", "/api/v1/devices")) {
                TestApi.Reply reply = api.get(path, "Origin", ALLOWED, "Authorization", "Bearer " + TestApi.API_KEY);
                assertThat(reply.status()).isEqualTo(200);
                assertThat(reply.header("access-control-allow-origin")).as(path).isNull();
            }
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class ByDefault {
        private TestApi api;

        @BeforeAll
        void start() {
            api = TestApi.start();
        }

        @AfterAll
        void stop() {
            api.close();
        }

        @Test
        void noOriginIsAllowed() {
            TestApi.Reply preflight = preflight(api, "/api/v1/login", ALLOWED);

            assertThat(preflight.status()).isGreaterThanOrEqualTo(400);
            assertThat(preflight.header("access-control-allow-origin")).isNull();
            assertThat(api.post("/api/v1/login", CREDENTIALS, "Origin", ALLOWED)
                    .header("access-control-allow-origin")).isNull();
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class WithAnyOrigin {
        private TestApi api;

        @BeforeAll
        void start() {
            api = TestApi.start(settings -> settings.withCorsOrigins(List.of("*")));
        }

        @AfterAll
        void stop() {
            api.close();
        }

        @Test
        void everyOriginMayLogIn() {
            TestApi.Reply reply = preflight(api, "/api/v1/login", OTHER);

            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.header("access-control-allow-origin")).isIn("*", OTHER);
        }
    }

    @Test
    void originsAreCheckedAndNormalised() {
        ApiSettings settings = ApiSettings.of("k").withCorsOrigins(List.of(" HTTPS://App.Example.com ",
                "https://app.example.com", "http://127.0.0.1:5173"));
        assertThat(settings.corsOrigins()).containsExactly("https://app.example.com", "http://127.0.0.1:5173");

        for (String bad : List.of("app.example.com", "https://app.example.com/", "ftp://x.example.com",
                "https://user@app.example.com", "https://app.example.com/chat", "https://")) {
            assertThatThrownBy(() -> ApiSettings.of("k").withCorsOrigins(List.of(bad)))
                    .as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("CORS origin '" + bad + "'");
        }
    }

    private static TestApi.Reply preflight(TestApi api, String path, String origin) {
        return api.send(api.request(path, "Origin", origin, "Access-Control-Request-Method", "POST",
                        "Access-Control-Request-Headers", "content-type")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build());
    }
}
