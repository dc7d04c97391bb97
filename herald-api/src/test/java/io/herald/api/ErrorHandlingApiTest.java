package io.herald.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Errors that Armeria raises before our handlers (routing, limits) and malformed bodies: all JSON. */
class ErrorHandlingApiTest {
    private static final int MAX_REQUEST = 200_000;
    private static TestApi api;

    @BeforeAll
    static void start() {
        api = TestApi.start(settings -> settings.withMaxRequestBytes(MAX_REQUEST));
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    private static void assertJsonError(TestApi.Reply reply, int status, String code) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.contentType()).startsWith("application/json");
        assertThat(reply.errorCode()).isEqualTo(code);
        assertThat(reply.errorMessage()).isNotBlank();
    }

    @Test
    void unknownRouteIs404Json() {
        TestApi.Reply reply = api.get("/api/v1/nothing-here?secret=abc");
        assertJsonError(reply, 404, "not_found");
        assertThat(reply.errorMessage()).isEqualTo("no endpoint at /api/v1/nothing-here");
        assertJsonError(api.get("/"), 404, "not_found");
        assertJsonError(api.post("/api/v2/push", "{}"), 404, "not_found");
    }

    @Test
    void wrongMethodIs405Json() {
        TestApi.Reply reply = api.get("/api/v1/push", TestApi.apiKey());
        assertJsonError(reply, 405, "method_not_allowed");
        assertThat(reply.errorMessage()).isEqualTo("GET is not allowed on /api/v1/push");
        assertJsonError(api.get("/api/v1/login"), 405, "method_not_allowed");
        assertJsonError(api.send(api.request("/api/v1/devices/x1").PUT(HttpRequest.BodyPublishers.ofString("{}"))
                .build()), 405, "method_not_allowed");
        assertJsonError(api.post("/health", "{}"), 405, "method_not_allowed");
    }

    @Test
    void malformedJsonIs400() {
        TestApi.Reply reply = api.post("/api/v1/login", "{\"clientId\": \"a\", ");

        assertJsonError(reply, 400, "malformed_json");
        assertThat(reply.errorMessage()).startsWith("malformed JSON");
    }

    @Test
    void malformedJsonDoesNotEchoTheBody() {
        TestApi.Reply reply = api.post("/api/v1/login", "{\"secret\":\"top-secret-value\" \"clientId\":1}");

        assertJsonError(reply, 400, "malformed_json");
        assertThat(reply.body()).doesNotContain("top-secret-value");
    }

    @Test
    void duplicateKeysAndTrailingDataAreMalformed() {
        assertJsonError(api.post("/api/v1/login", "{\"clientId\":\"a\",\"clientId\":\"b\",\"secret\":\"s3cret-12\"}"),
                400, "malformed_json");
        assertJsonError(api.post("/api/v1/login", "{\"clientId\":\"a\",\"secret\":\"s3cret-12\"} []"),
                400, "malformed_json");
    }

    @Test
    void bodyThatIsNotAnObjectIs400() {
        TestApi.Reply array = api.post("/api/v1/login", "[1,2]");
        assertJsonError(array, 400, "invalid_request");
        assertThat(array.errorMessage()).isEqualTo("request body must be a JSON object");
        assertJsonError(api.post("/api/v1/login", "\"text\""), 400, "invalid_request");
        assertJsonError(api.post("/api/v1/login", ""), 400, "invalid_request");
    }

    @Test
    void unknownFieldIs400() {
        TestApi.Reply reply = api.post("/api/v1/login",
                "{\"clientId\":\"a\",\"secret\":\"s3cret-12\",\"password\":\"x\"}");

        assertJsonError(reply, 400, "invalid_request");
        assertThat(reply.errorMessage()).isEqualTo("unknown field \"password\"");
    }

    @Test
    void unsupportedMediaTypeIs415() {
        TestApi.Reply reply = api.post("/api/v1/devices", "clientId=a&secret=b",
                "Content-Type", "application/x-www-form-urlencoded");

        assertJsonError(reply, 415, "unsupported_media_type");
    }

    @Test
    void jsonWithCharsetAndWithoutContentTypeAreAccepted() {
        TestApi.Reply withCharset = api.post("/api/v1/devices", "{\"clientId\":\"ct-1\",\"secret\":\"secret-123\"}",
                "Content-Type", "application/json; charset=utf-8");
        TestApi.Reply without = api.send(api.request("/api/v1/devices")
                .POST(HttpRequest.BodyPublishers.ofString("{\"clientId\":\"ct-2\",\"secret\":\"secret-123\"}"))
                .build());

        assertThat(withCharset.status()).isEqualTo(201);
        assertThat(without.status()).isEqualTo(201);
    }

    @Test
    void bodyOverTheLimitIs413() {
        String big = "{\"to\":\"a\",\"payload\":\"" + "s".repeat(MAX_REQUEST) + "\"}";

        TestApi.Reply reply = api.postWithKey("/api/v1/push", big);

        assertJsonError(reply, 413, "request_too_large");
        assertThat(reply.errorMessage()).isEqualTo("request body is larger than " + MAX_REQUEST + " bytes");
    }

    @Test
    void chunkedBodyOverTheLimitIs413() {
        byte[] big = ("{\"clientId\":\"a\",\"secret\":\"" + "s".repeat(MAX_REQUEST) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        // no Content-Length up front: the limit is hit while the body streams in
        HttpRequest request = api.request("/api/v1/push", TestApi.apiKey())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)))
                .build();

        assertJsonError(api.send(request), 413, "request_too_large");
    }

    @Test
    void http2ClientsGetTheSameAnswers() throws Exception {
        HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
                .connectTimeout(Duration.ofSeconds(5)).build();

        HttpResponse<String> notFound = h2.send(api.request("/nowhere").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> push = h2.send(api.request("/api/v1/push", TestApi.apiKey())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"to\":\"h2-dev\",\"payload\":\"x\"}")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(notFound.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(notFound.statusCode()).isEqualTo(404);
        assertThat(TestApi.JSON.readTree(notFound.body()).at("/error/code").asText()).isEqualTo("not_found");
        assertThat(push.statusCode()).isEqualTo(202);
    }

    @Test
    void missingApiKeyIsCheckedBeforeTheBody() {
        TestApi.Reply reply = api.post("/api/v1/push", "{not even json");

        assertJsonError(reply, 401, "unauthorized");
        assertThat(reply.header("www-authenticate")).isEqualTo("Bearer");
    }
}
