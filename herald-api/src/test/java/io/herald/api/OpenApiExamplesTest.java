package io.herald.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.api.OpenApiDescription.Located;
import io.herald.api.OpenApiDescription.Operation;
import io.herald.core.message.PushMessage;
import io.herald.core.message.UpstreamMessage;
import io.herald.core.session.SessionInfo;
import io.herald.core.store.MessageStatuses;
import io.herald.core.store.MessageStatuses.DeliveryStatus;
import io.herald.protocol.ContentType;
import io.herald.protocol.Qos;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Sends every example of the OpenAPI description to a real server and checks the answer is the documented one: the
 * status of the response that carries the example of the same name (or the operation's one success response when
 * none does), its required headers, its media type, a body valid against its schema, and for an error example the
 * same code and message. Before each example the server is brought back to what the examples assume (an example may
 * have deleted or kicked a device): {@code sensor-1} registered and online with upstream messages, {@code sensor-2}
 * registered and offline with a stored message, both with the secret {@code s3cret-s3cret}; message
 * {@code 7345812345678901} stored for {@code sensor-2}, acked by {@code sensor-1} and expired for {@code sensor-3}.
 */
class OpenApiExamplesTest {
    private static final OpenApiDescription DESCRIPTION = OpenApiDescription.load();
    private static final String SECRET = "s3cret-s3cret";
    private static TestApi api;

    @BeforeAll
    static void start() {
        api = TestApi.start();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @TestFactory
    Stream<DynamicTest> everyExampleIsAnsweredAsDescribed() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Operation operation : DESCRIPTION.operations()) {
            assertThat(DESCRIPTION.exampleNames(operation)).as("examples of %s", operation).isNotEmpty();
            for (String name : DESCRIPTION.exampleNames(operation)) {
                tests.add(DynamicTest.dynamicTest(operation + " example " + name, () -> send(operation, name)));
            }
        }
        return tests.stream();
    }

    private static void send(Operation operation, String name) {
        Map.Entry<String, Located> expected = expectedResponse(operation, name);
        setUp();
        TestApi.Reply reply = api.send(request(operation, name));

        assertThat(reply.status()).as("%s example %s: %s", operation, name, reply.body())
                .isEqualTo(Integer.parseInt(expected.getKey()));
        JsonNode headers = expected.getValue().node().path("headers");
        headers.fieldNames().forEachRemaining(header -> {
            if (DESCRIPTION.resolve(expected.getValue().at("headers", header)).node().path("required").asBoolean()) {
                assertThat(reply.header(header)).as("%s example %s: header %s", operation, name, header).isNotNull();
            }
        });
        JsonNode content = expected.getValue().node().path("content");
        if (content.isEmpty()) {
            assertThat(reply.body()).isEmpty();
            return;
        }
        String mediaType = content.fieldNames().next();
        assertThat(baseType(reply.contentType())).isEqualTo(baseType(mediaType));
        Located media = expected.getValue().at("content", mediaType);
        JsonNode body = baseType(mediaType).equals("application/json") ? reply.json()
                : TestApi.JSON.getNodeFactory().textNode(reply.body());
        assertThat(DESCRIPTION.validate(media.at("schema"), body)).as("%s example %s answered %s",
                operation, name, reply.body()).isEmpty();
        JsonNode exampleError = media.node().path("examples").path(name).path("value").path("error");
        if (!exampleError.isMissingNode()) {
            assertThat(body.get("error")).as("%s example %s: the error", operation, name).isEqualTo(exampleError);
        }
    }

    /** The response whose content has the example, else the operation's one success response. */
    static Map.Entry<String, Located> expectedResponse(Operation operation, String name) {
        Map<String, Located> responses = DESCRIPTION.responses(operation);
        List<Map.Entry<String, Located>> named = new ArrayList<>();
        List<Map.Entry<String, Located>> successes = new ArrayList<>();
        for (Map.Entry<String, Located> response : responses.entrySet()) {
            for (JsonNode media : response.getValue().node().path("content")) {
                if (media.path("examples").has(name)) {
                    named.add(response);
                }
            }
            if (response.getKey().startsWith("2")) {
                successes.add(response);
            }
        }
        List<Map.Entry<String, Located>> candidates = named.isEmpty() ? successes : named;
        assertThat(candidates).as("responses of %s that example %s may get", operation, name).hasSize(1);
        return candidates.get(0);
    }

    static HttpRequest request(Operation operation, String name) {
        String path = operation.path();
        List<String> query = new ArrayList<>();
        for (Located parameter : operation.parameters()) {
            JsonNode examples = parameter.node().path("examples");
            JsonNode value = examples.path(name).path("value");
            String in = parameter.node().path("in").asText();
            if (in.equals("path")) {
                JsonNode filled = value.isMissingNode() ? examples.path(OpenApiDescription.DEFAULT).path("value")
                        : value;
                assertThat(filled.isMissingNode()).as("%s has no value for {%s}", operation,
                        parameter.node().path("name").asText()).isFalse();
                path = path.replace("{" + parameter.node().path("name").asText() + "}", encode(filled.asText()));
            } else if (in.equals("query") && !value.isMissingNode()) {
                query.add(encode(parameter.node().path("name").asText()) + "=" + encode(value.asText()));
            }
        }
        if (!query.isEmpty()) {
            path += "?" + String.join("&", query);
        }
        HttpRequest.Builder request = api.request(path);
        if (DESCRIPTION.needsApiKey(operation) && !name.equals(OpenApiDescription.NO_KEY)) {
            request.headers(TestApi.apiKey());
        }
        JsonNode body = requestBody(operation, name);
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body.toString());
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return request.method(operation.method().toUpperCase(Locale.ROOT), publisher).build();
    }

    /** The body example of that name, else the first one (an example about a header or the key), else none. */
    static JsonNode requestBody(Operation operation, String name) {
        JsonNode examples = operation.node().node().path("requestBody").path("content").path("application/json")
                .path("examples");
        if (examples.isEmpty()) {
            return null;
        }
        return examples.has(name) ? examples.get(name).get("value") : examples.elements().next().get("value");
    }

    private static void setUp() {
        api.register("sensor-1", SECRET);
        api.register("sensor-2", SECRET);
        api.sessions.connect(new SessionInfo("sensor-1", "sess-1", TestApi.NOW.minusSeconds(30), "tcp",
                "203.0.113.7:50412", "gw-1"));
        long now = TestApi.NOW.toEpochMilli();
        api.offlineStore.store(List.of("sensor-2"), new PushMessage(1, ContentType.TEXT, Qos.AT_LEAST_ONCE,
                "waiting".getBytes(StandardCharsets.UTF_8), null, now - 1000, now + Duration.ofHours(1).toMillis()));
        long generation = api.deviceStore.find("sensor-1").orElseThrow().generation();
        api.messageStatuses.set(7345812345678901L, List.of(
                new DeliveryStatus("sensor-2", MessageStatuses.State.STORED, 0),
                new DeliveryStatus("sensor-1", MessageStatuses.State.ACKED, now - 2000),
                new DeliveryStatus("sensor-3", MessageStatuses.State.EXPIRED, now - 1000)));
        api.archive.append(List.of(
                new UpstreamMessage("sensor-1", generation, 2, ContentType.TEXT,
                        "21.5C".getBytes(StandardCharsets.UTF_8), "t-2", now - 1005, now - 1000),
                new UpstreamMessage("sensor-1", generation, -1L, ContentType.BINARY, new byte[] {0, 1, 2}, null,
                        now - 5, now)));
    }

    private static String baseType(String mediaType) {
        return mediaType == null ? null : mediaType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
