package io.herald.api;

import static io.herald.api.HostileJsonPropertyTest.assertJsonError;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The big and the deep: bodies that cost a parser or a handler the most, each answered with a 4xx and a JSON error
 * body, after which the server still serves. Unknown members are refused everywhere (400 invalid_request), never
 * ignored, so a misspelt optional member is reported; a member that is JSON null counts as absent.
 */
class HostileJsonApiTest {
    private static final String SECRET = "s3cret-s3cret";
    private static TestApi api;

    @BeforeAll
    static void start() {
        api = TestApi.start(settings -> settings.withLimits(ApiLimits.OFF));
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @AfterEach
    void stillServing() {
        assertThat(api.get("/health").status()).isEqualTo(200);
        assertThat(api.postWithKey("/api/v1/push", "{\"to\":\"still-serving\",\"payload\":\"x\"}").status())
                .isEqualTo(202);
    }

    private static String ids(int count) {
        return IntStream.range(0, count).mapToObj(i -> "\"device-" + i + "\"").collect(Collectors.joining(","));
    }

    @Test
    void aPushTo200000IdsIsRefusedWithoutTouchingThePushService() {
        int before = api.pushService.calls.size();

        TestApi.Reply reply = api.postWithKey("/api/v1/push", "{\"to\":[" + ids(200_000) + "],\"payload\":\"x\"}");

        assertJsonError(reply);
        assertThat(reply.errorMessage())
                .isEqualTo("to names 200000 client ids; at most 100000 are allowed in one push");
        assertThat(api.pushService.calls).hasSize(before);
    }

    @Test
    void aPushTo200000NumbersIsRefusedByItsSizeFirst() {
        String numbers = IntStream.range(0, 200_000).mapToObj(Integer::toString).collect(Collectors.joining(","));

        assertJsonError(api.postWithKey("/api/v1/push", "{\"to\":[" + numbers + "],\"payload\":\"x\"}"));
    }

    @Test
    void nestedArraysInToAreRefused() {
        TestApi.Reply reply = api.postWithKey("/api/v1/push", "{\"to\":[[\"a\",\"b\"],[\"c\"]],\"payload\":\"x\"}");

        assertJsonError(reply);
        assertThat(reply.errorMessage()).isEqualTo("to[0] must be a string");
    }

    @Test
    void jsonNested10000LevelsDeepIsMalformed() {
        for (String path : new String[] {"/api/v1/devices", "/api/v1/login", "/api/v1/push"}) {
            // the credentials endpoints take 4 KiB at most: 600 levels fit, and are as far over the depth limit
            int depth = path.equals("/api/v1/push") ? 10_000 : 600;
            String arrays = "[".repeat(depth) + "]".repeat(depth);
            String objects = "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
            TestApi.Reply whole = api.postWithKey(path, objects);
            assertJsonError(whole);
            assertThat(whole.errorCode()).isEqualTo("malformed_json");
            assertJsonError(api.postWithKey(path, "{\"to\":" + arrays + ",\"clientId\":" + arrays + "}"));
        }
    }

    @Test
    void aJsonPayloadNested10000LevelsDeepIsRefused() {
        String deep = "[".repeat(10_000) + "]".repeat(10_000);

        TestApi.Reply reply = api.postWithKey("/api/v1/push", "{\"to\":\"a\",\"contentType\":\"json\",\"payload\":"
                + HostileJsonPropertyTest.quote(deep) + "}");

        assertJsonError(reply);
        assertThat(reply.errorCode()).isEqualTo("invalid_payload");
    }

    @Test
    void bytesThatAreNotUtf8AreMalformed() {
        byte[][] bodies = {
                {'{', '"', 'c', 'l', 'i', 'e', 'n', 't', 'I', 'd', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'},
                {'{', '"', (byte) 0xFF, '"', ':', '1', '}'},
                {'{', '"', 'p', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}'}, // encoded surrogate
                {'{', '"', 'p', '"', ':', '"', (byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80, '"', '}'},
                {(byte) 0xC0, (byte) 0xBB, '}'}, // overlong '{'
        };
        for (String path : new String[] {"/api/v1/devices", "/api/v1/login", "/api/v1/push"}) {
            for (byte[] body : bodies) {
                TestApi.Reply reply = api.send(api.request(path, TestApi.apiKey())
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
                assertJsonError(reply);
            }
        }
    }

    @Test
    void numbersOutOfRangeAreRefused() {
        String digits = "9".repeat(5_000);
        String[] qos = {"2", "-1", "1.5", "1e400", "-1e400", "99999999999999999999999", "1E1", digits};
        for (String value : qos) {
            assertJsonError(api.postWithKey("/api/v1/push", "{\"to\":\"a\",\"payload\":\"x\",\"qos\":" + value + "}"));
        }
        String[] ttls = {"0", "-1", "2592001", "9223372036854775807", "9223372036854775808", "1e10", digits};
        for (String value : ttls) {
            assertJsonError(api.postWithKey("/api/v1/push",
                    "{\"to\":\"a\",\"payload\":\"x\",\"ttlSeconds\":" + value + "}"));
        }
        assertJsonError(api.post("/api/v1/login", "{\"clientId\":" + digits + ",\"secret\":\"" + SECRET + "\"}"));
    }

    @Test
    void unknownMembersAreRefusedOnEveryBody() {
        TestApi.Reply register = api.post("/api/v1/devices",
                "{\"clientId\":\"u-1\",\"secret\":\"" + SECRET + "\",\"name\":\"x\"}");
        TestApi.Reply login = api.post("/api/v1/login",
                "{\"clientId\":\"u-1\",\"secret\":\"" + SECRET + "\",\"a\":null}");
        TestApi.Reply push = api.postWithKey("/api/v1/push", "{\"to\":\"u-1\",\"payload\":\"x\",\"ttl\":60}");

        for (TestApi.Reply reply : new TestApi.Reply[] {register, login, push}) {
            assertJsonError(reply);
            assertThat(reply.errorCode()).isEqualTo("invalid_request");
            assertThat(reply.errorMessage()).startsWith("unknown field");
        }
        assertThat(api.deviceStore.find("u-1")).isEmpty();
    }

    @Test
    void nullMembersCountAsAbsent() {
        TestApi.Reply noId = api.post("/api/v1/devices", "{\"clientId\":null,\"secret\":\"" + SECRET + "\"}");
        TestApi.Reply noSecret = api.post("/api/v1/login", "{\"clientId\":\"n-1\",\"secret\":null}");
        TestApi.Reply noTarget = api.postWithKey("/api/v1/push", "{\"to\":null,\"payload\":\"x\"}");

        assertJsonError(noId);
        assertThat(noId.errorCode()).isEqualTo("invalid_client_id");
        assertJsonError(noSecret);
        assertThat(noSecret.errorCode()).isEqualTo("invalid_secret");
        assertJsonError(noTarget);
        // a null member next to its alternative is simply not there
        assertThat(api.postWithKey("/api/v1/push",
                "{\"to\":null,\"broadcast\":true,\"payload\":null,\"payloadBase64\":\"eA==\",\"qos\":null}").status())
                .isEqualTo(202);
    }

    @Test
    void aBodyJustUnderTheSizeLimitMadeOfWhitespaceIsRefused() {
        String spaces = " ".repeat(api.settings.maxRequestBytes() - 16);

        TestApi.Reply reply = api.post("/api/v1/login", spaces + "{}" + spaces.substring(0, 10));

        assertJsonError(reply);
        assertThat(reply.body()).hasSizeLessThan(300);
    }
}
