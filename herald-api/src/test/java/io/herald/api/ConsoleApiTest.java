package io.herald.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.limit.AttemptLimit;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The console's page, sign-in and session rule over real HTTP: who gets in (the API key once, then the cookie),
 * what the cookie is like, and that a request changing state needs the CSRF token and this host's Origin.
 */
class ConsoleApiTest {
    private TestApi api;

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
    }

    @Test
    void servesThePageWithAStrictContentSecurityPolicyAndItsAssets() {
        api = TestApi.start();

        TestApi.Reply page = api.get("/console/");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.contentType()).startsWith("text/html");
        assertThat(page.header("content-security-policy")).isEqualTo(ConsoleAssets.CONTENT_SECURITY_POLICY);
        assertThat(page.header("x-frame-options")).isEqualTo("DENY");
        assertThat(page.header("cache-control")).contains("no-cache");
        Matcher script = Pattern.compile("src=\"(/console/assets/[^\"]+\\.js)\"").matcher(page.body());
        assertThat(script.find()).as("the page loads its script: %s", page.body()).isTrue();
        TestApi.Reply asset = api.get(script.group(1));
        assertThat(asset.status()).isEqualTo(200);
        assertThat(asset.contentType()).contains("javascript");
        assertThat(asset.header("cache-control")).contains("immutable");
        assertThat(api.get("/console").status()).isEqualTo(301);
        assertThat(api.get("/console/assets/missing.js").status()).isEqualTo(404);
    }

    @Test
    void signsInWithTheKeyIntoAnHttpOnlySameSiteStrictCookie() {
        api = TestApi.start();

        TestApi.Reply wrong = signIn("not-the-key");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.header("set-cookie")).isNull();

        TestApi.Reply signedIn = signIn(TestApi.API_KEY);
        assertThat(signedIn.status()).isEqualTo(200);
        String setCookie = signedIn.header("set-cookie");
        assertThat(setCookie).startsWith(ConsoleCookie.PLAIN_NAME + "=").containsIgnoringCase("HttpOnly")
                .contains("SameSite=Strict").contains("Path=/").doesNotContain("Secure")
                .doesNotContain(TestApi.API_KEY);
        assertThat(signedIn.body()).doesNotContain(TestApi.API_KEY);
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        String csrf = signedIn.json().get("csrfToken").asText();
        assertThat(csrf).hasSizeGreaterThanOrEqualTo(43).isNotEqualTo(cookie.substring(cookie.indexOf('=') + 1));

        TestApi.Reply session = api.get(ConsoleSessionRoutes.PATH, "Cookie", cookie);
        assertThat(session.status()).isEqualTo(200);
        assertThat(session.json().get("csrfToken").asText()).isEqualTo(csrf);
        assertThat(api.get("/api/v1/devices", "Cookie", cookie).status()).isEqualTo(200);
        assertThat(api.get(ConsoleOverviewRoutes.PATH, "Cookie", cookie).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/devices", "Cookie", ConsoleCookie.PLAIN_NAME + "=forged").status())
                .isEqualTo(401);
        // A wrong key is refused even with a good cookie: the key is never "tried, then the cookie".
        assertThat(api.get("/api/v1/devices", "Cookie", cookie, "Authorization", "Bearer wrong").status())
                .isEqualTo(401);
    }

    @Test
    void aRequestThatChangesStateNeedsTheCsrfTokenAndThisOrigin() {
        api = TestApi.start();
        api.register("sensor-1", "s3cret-s3cret");
        TestApi.Reply signedIn = signIn(TestApi.API_KEY);
        String cookie = cookieOf(signedIn);
        String csrf = signedIn.json().get("csrfToken").asText();
        String kick = "/api/v1/devices/sensor-1/session";

        TestApi.Reply noToken = api.delete(kick, "Cookie", cookie, "Origin", origin());
        assertThat(noToken.status()).isEqualTo(403);
        assertThat(noToken.errorCode()).isEqualTo(ErrorCodes.CSRF_REJECTED);
        assertThat(api.delete(kick, "Cookie", cookie, "Origin", origin(), AdminAuthorizer.CSRF_HEADER, "x" + csrf)
                .status()).isEqualTo(403);
        assertThat(api.delete(kick, "Cookie", cookie, "Origin", "http://evil.example",
                AdminAuthorizer.CSRF_HEADER, csrf).status()).isEqualTo(403);
        assertThat(api.post("/api/v1/push", "{\"to\":\"sensor-1\",\"payload\":\"hi\"}", "Cookie", cookie,
                "Origin", origin()).status()).isEqualTo(403);
        assertThat(api.pushService.calls).isEmpty();

        TestApi.Reply kicked = api.delete(kick, "Cookie", cookie, "Origin", origin(), AdminAuthorizer.CSRF_HEADER, csrf);
        assertThat(kicked.status()).isEqualTo(200);
        assertThat(kicked.json().get("clientId").asText()).isEqualTo("sensor-1");
    }

    @Test
    void signInComesOnlyFromAPageOfThisHost() {
        api = TestApi.start();

        TestApi.Reply noOrigin = api.post(ConsoleSessionRoutes.PATH, "{\"apiKey\":\"" + TestApi.API_KEY + "\"}");
        assertThat(noOrigin.status()).isEqualTo(403);
        TestApi.Reply otherSite = api.post(ConsoleSessionRoutes.PATH, "{\"apiKey\":\"" + TestApi.API_KEY + "\"}",
                "Origin", "http://evil.example");
        assertThat(otherSite.status()).isEqualTo(403);
        assertThat(otherSite.header("set-cookie")).isNull();
    }

    @Test
    void signOutEndsTheSessionAndIdleSessionsExpire() {
        api = TestApi.start();
        TestApi.Reply first = signIn(TestApi.API_KEY);
        String cookie = cookieOf(first);

        TestApi.Reply signedOut = api.delete(ConsoleSessionRoutes.PATH, "Cookie", cookie, "Origin", origin(),
                AdminAuthorizer.CSRF_HEADER, first.json().get("csrfToken").asText());
        assertThat(signedOut.status()).isEqualTo(204);
        assertThat(signedOut.header("set-cookie")).contains("Max-Age=0");
        assertThat(api.get("/api/v1/devices", "Cookie", cookie).status()).isEqualTo(401);
        assertThat(api.get(ConsoleSessionRoutes.PATH, "Cookie", cookie).status()).isEqualTo(401);

        String second = cookieOf(signIn(TestApi.API_KEY));
        api.clock.advance(ConsoleSessions.IDLE_TIMEOUT.minusSeconds(1));
        assertThat(api.get("/api/v1/devices", "Cookie", second).status()).isEqualTo(200); // use keeps it alive
        api.clock.advance(ConsoleSessions.IDLE_TIMEOUT);
        assertThat(api.get("/api/v1/devices", "Cookie", second).status()).isEqualTo(401);
    }

    @Test
    void wrongKeysAreThrottledPerAddress() {
        api = TestApi.start(settings -> settings.withLimits(new ApiLimits(AttemptLimit.OFF,
                new AttemptLimit(3, Duration.ofMinutes(1)), AttemptLimit.OFF, List.of())));

        for (int i = 0; i < 3; i++) {
            assertThat(signIn("guess-" + i).status()).isEqualTo(401);
        }
        TestApi.Reply limited = signIn(TestApi.API_KEY);
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.header("retry-after")).isNotNull();
        api.clock.advance(Duration.ofMinutes(1));
        assertThat(signIn(TestApi.API_KEY).status()).isEqualTo(200);
    }

    @Test
    void theOverviewShowsThisNodeAndItsSamples() {
        api = TestApi.start();

        TestApi.Reply overview = api.get(ConsoleOverviewRoutes.PATH, TestApi.apiKey());
        assertThat(overview.status()).isEqualTo(200);
        assertThat(overview.json().at("/nodes/0/role").asText()).isEqualTo("api");
        assertThat(overview.json().at("/nodes/0/status").asText()).isEqualTo("UP");
        assertThat(overview.json().at("/samples/intervalSeconds").asLong()).isEqualTo(5);
        assertThat(api.get(ConsoleOverviewRoutes.PATH).status()).isEqualTo(401);
    }

    private TestApi.Reply signIn(String key) {
        return api.post(ConsoleSessionRoutes.PATH, "{\"apiKey\":\"" + key + "\"}", "Origin", origin());
    }

    private String origin() {
        return "http://127.0.0.1:" + api.port;
    }

    private static String cookieOf(TestApi.Reply signedIn) {
        String setCookie = signedIn.header("set-cookie");
        return setCookie.substring(0, setCookie.indexOf(';'));
    }
}
