package io.herald.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bounded parsing: the endpoints anyone may call take 4 KiB at most, every parser keeps to {@link JsonLimits},
 * bodies must be valid UTF-8, and no error repeats what the caller sent.
 */
class JsonBoundsApiTest {
    private static TestApi api;

    @BeforeAll
    static void start() {
        api = TestApi.start(settings -> settings.withLimits(ApiLimits.OFF));
        api.register("bounded-1", "s3cret-s3cret");
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @AfterEach
    void stillServing() {
        assertThat(api.post("/api/v1/login", "{\"clientId\":\"bounded-1\",\"secret\":\"s3cret-s3cret\"}").status())
                .isEqualTo(200);
    }

    /** {"clientId":[[],[],...]}: cheap to send, a node per two bytes when parsed into a tree. */
    private static String wideArrays(int bytes) {
        return "{\"clientId\":[" + "[],".repeat(bytes / 3) + "[]]}";
    }

    @Test
    void loginAndRegistrationBodiesOver4KiBAre413() {
        for (String path : new String[] {"/api/v1/login", "/api/v1/devices"}) {
            TestApi.Reply reply = api.post(path, wideArrays(5 * 1024));

            assertJsonError(reply, 413, "request_too_large");
            assertThat(reply.errorMessage()).isEqualTo("request body is larger than 4096 bytes");
        }
    }

    @Test
    void fourHeapBombsAtOnceAreRefusedBeforeParsing() {
        String bomb = wideArrays(15 * 1024 * 1024);
        long before = usedHeapAfterGc();
        List<CompletableFuture<TestApi.Reply>> replies = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            replies.add(CompletableFuture.supplyAsync(() -> api.post("/api/v1/login", bomb)));
        }
        for (CompletableFuture<TestApi.Reply> reply : replies) {
            // Refused on its Content-Length: either the 413 arrives or the server closes while the body is sent.
            reply.handle((done, failure) -> failure != null || done.status() == 413).thenAccept(refused ->
                    assertThat(refused).isTrue()).join();
        }
        assertThat(usedHeapAfterGc() - before).as("heap grown").isLessThan(64L * 1024 * 1024);
    }

    private static long usedHeapAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        System.gc();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    @Test
    void nestingDeeperThanTheLimitIsMalformed() {
        String deep = "[".repeat(JsonLimits.MAX_NESTING_DEPTH + 1) + "]".repeat(JsonLimits.MAX_NESTING_DEPTH + 1);

        TestApi.Reply login = api.post("/api/v1/login", "{\"clientId\":" + deep + "}");
        TestApi.Reply push = api.postWithKey("/api/v1/push", "{\"to\":\"bounded-1\",\"payload\":\"x\",\"ttlSeconds\":"
                + deep + "}");

        for (TestApi.Reply reply : List.of(login, push)) {
            assertJsonError(reply, 400, "malformed_json");
            assertThat(reply.errorMessage()).startsWith("JSON over a parser limit: ").contains("nesting depth");
        }
    }

    @Test
    void aJsonPayloadDeeperThanTheLimitIsRefused() {
        String deep = "[".repeat(JsonLimits.MAX_NESTING_DEPTH + 1) + "]".repeat(JsonLimits.MAX_NESTING_DEPTH + 1);

        TestApi.Reply reply = api.postWithKey("/api/v1/push", "{\"to\":\"bounded-1\",\"contentType\":\"json\","
                + "\"payload\":\"" + deep + "\"}");

        assertJsonError(reply, 400, "invalid_payload");
    }

    @Test
    void overlongUtf8IsRefusedNotReadAsASlash() {
        // C0 AF is an overlong "/": not UTF-8, whatever a lenient decoder makes of it
        byte[] push = bytes("{\"to\":\"bounded-1\",\"payload\":\"a", new byte[] {(byte) 0xC0, (byte) 0xAF}, "b\"}");
        byte[] login = bytes("{\"clientId\":\"bounded-1\",\"secret\":\"s3cret-s3cret", new byte[] {(byte) 0xC0,
                (byte) 0xAF}, "\"}");
        int pushes = api.pushService.calls.size();

        assertJsonError(post("/api/v1/push", push), 400, "malformed_json");
        assertJsonError(post("/api/v1/login", login), 400, "malformed_json");
        assertThat(post("/api/v1/push", push).errorMessage()).isEqualTo("request body is not valid UTF-8");
        assertThat(api.pushService.calls).hasSize(pushes);
    }

    @Test
    void malformedJsonErrorsNeverQuoteTheBody() {
        TestApi.Reply login = api.post("/api/v1/login", "{\"clientId\":\"bounded-1\",\"secret\":hunter2hunter2}");
        TestApi.Reply payload = api.postWithKey("/api/v1/push", "{\"to\":\"bounded-1\",\"contentType\":\"json\","
                + "\"payload\":\"{\\\"pin\\\": hunter2hunter2}\"}");
        TestApi.Reply badId = api.postWithKey("/api/v1/push", "{\"to\":[\"ok\",\"hunter2 hunter2\"],\"payload\":\"x\"}");
        TestApi.Reply badType = api.postWithKey("/api/v1/push", "{\"to\":\"ok\",\"contentType\":\"hunter2hunter2\","
                + "\"payload\":\"x\"}");

        assertJsonError(login, 400, "malformed_json");
        assertThat(login.errorMessage()).isEqualTo("malformed JSON at line 1, column 34");
        assertJsonError(payload, 400, "invalid_payload");
        assertJsonError(badId, 400, "invalid_client_id");
        assertThat(badId.errorMessage()).startsWith("to[1] is not a valid client id");
        assertJsonError(badType, 400, "invalid_request");
        for (TestApi.Reply reply : List.of(login, payload, badId, badType)) {
            assertThat(reply.body()).doesNotContain("hunter2");
        }
    }

    private static void assertJsonError(TestApi.Reply reply, int status, String code) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        HostileJsonPropertyTest.assertJsonError(reply);
        assertThat(reply.errorCode()).isEqualTo(code);
    }

    private static byte[] bytes(String head, byte[] middle, String tail) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(middle);
        out.writeBytes(tail.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static TestApi.Reply post(String path, byte[] body) {
        return api.send(api.request(path, TestApi.apiKey()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }
}
