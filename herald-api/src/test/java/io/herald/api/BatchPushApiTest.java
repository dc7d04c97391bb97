package io.herald.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.core.ServiceUnavailableException;
import io.herald.core.message.PushMessage;
import io.herald.core.push.PushResult;
import io.herald.core.push.PushTargets;
import io.herald.protocol.Qos;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code POST /api/v1/push/batch}: per-message outcomes, limits, order per device, ids, auth. */
class BatchPushApiTest {
    private static TestApi api;

    @BeforeAll
    static void start() {
        api = TestApi.start();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @BeforeEach
    void reset() {
        api.pushService.reset();
    }

    private static TestApi.Reply batch(String json, String... headers) {
        return api.postWithKey(BatchPushRoutes.PATH, json, headers);
    }

    private static String batchOf(List<String> messages) {
        StringJoiner all = new StringJoiner(",", "{\"messages\":[", "]}");
        messages.forEach(all::add);
        return all.toString();
    }

    private static String payloadOf(PushMessage message) {
        return new String(message.payload(), StandardCharsets.UTF_8);
    }

    @Test
    void eachMessageGetsItsOwnOutcomeInRequestOrderAndABadOneFailsAlone() {
        String big = "x".repeat(api.settings.maxPayloadBytes() + 1);
        TestApi.Reply reply = batch(batchOf(List.of(
                "{\"to\":\"dev-1\",\"payload\":\"first\"}",
                "{\"to\":\"bad id!\",\"payload\":\"x\"}",
                "{\"broadcast\":true,\"payload\":\"x\"}",
                "42",
                "{\"to\":\"dev-2\",\"payload\":\"x\",\"ttl\":5}",
                "{\"to\":\"dev-2\",\"payload\":\"" + big + "\"}",
                "{\"to\":[\"dev-2\",\"dev-3\"],\"payloadBase64\":\"AAE=\",\"qos\":0,\"ttlSeconds\":60,"
                        + "\"contentType\":\"binary\",\"traceId\":\"my-trace\"}",
                "{\"to\":\"dev-4\",\"payload\":\"x\",\"traceId\":\"has space\"}")));

        assertThat(reply.status()).isEqualTo(200);
        JsonNode results = reply.json().get("results");
        assertThat(results).hasSize(8);
        assertThat(results.get(0).get("online").asInt()).isEqualTo(1);
        assertThat(results.get(1).at("/error/code").asText()).isEqualTo("invalid_client_id");
        assertThat(results.get(1).at("/error/message").asText()).startsWith("messages[1]: to is not a valid");
        assertThat(results.get(2).at("/error/message").asText()).contains("broadcast is not allowed in a batch");
        assertThat(results.get(3).at("/error/message").asText()).isEqualTo("messages[3] must be a JSON object");
        assertThat(results.get(4).at("/error/message").asText()).contains("unknown field \"ttl\"");
        assertThat(results.get(5).at("/error/code").asText()).isEqualTo("payload_too_large");
        assertThat(results.get(6).get("traceId").asText()).isEqualTo("my-trace");
        assertThat(results.get(6).get("online").asInt()).isEqualTo(2);
        assertThat(results.get(7).at("/error/code").asText()).isEqualTo("invalid_trace_id");

        // only the two good messages reached the push service, with the fields of a single push
        List<RecordingPushService.Call> calls = api.pushService.calls;
        assertThat(calls).hasSize(2);
        assertThat(payloadOf(calls.get(0).message())).isEqualTo("first");
        assertThat(calls.get(0).message().qos()).isEqualTo(Qos.AT_LEAST_ONCE);
        PushMessage second = calls.get(1).message();
        assertThat(((PushTargets.Devices) calls.get(1).targets()).clientIds()).containsExactly("dev-2", "dev-3");
        assertThat(second.payload()).containsExactly(0, 1);
        assertThat(second.qos()).isEqualTo(Qos.AT_MOST_ONCE);
        assertThat(second.expiresAt() - second.createdAt()).isEqualTo(Duration.ofSeconds(60).toMillis());
        assertThat(second.traceId()).isEqualTo("my-trace");
        assertThat(api.pushService.batches).as("the good messages, in one call").containsExactly(2);
    }

    @Test
    void messagesWithoutTheirOwnTraceIdTakeTheBatchOne() {
        TestApi.Reply reply = batch(batchOf(List.of("{\"to\":\"dev-1\",\"payload\":\"a\"}",
                "{\"to\":\"dev-2\",\"payload\":\"b\"}")), "X-Trace-Id", "batch-42");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("x-trace-id")).isEqualTo("batch-42");
        assertThat(reply.json().get("results").findValuesAsText("traceId")).containsExactly("batch-42", "batch-42");
    }

    @Test
    void idsAreUnsignedDecimalStringsGrowingInRequestOrder() {
        List<String> messages = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            messages.add("{\"to\":\"dev-" + (i % 3) + "\",\"payload\":\"" + i + "\"}");
        }
        TestApi.Reply reply = batch(batchOf(messages));

        assertThat(reply.status()).isEqualTo(200);
        List<String> ids = reply.json().get("results").findValuesAsText("messageId");
        assertThat(ids).hasSize(20).allMatch(id -> id.matches("[0-9]+"));
        for (int i = 1; i < ids.size(); i++) {
            assertThat(Long.compareUnsigned(Long.parseUnsignedLong(ids.get(i)), Long.parseUnsignedLong(ids.get(i - 1))))
                    .isPositive();
        }
        assertThat(api.pushService.calls).extracting(call -> Long.toUnsignedString(call.message().messageId()))
                .containsExactlyInAnyOrderElementsOf(ids);
    }

    @Test
    void theMessagesGoToThePushServiceInOneCallInRequestOrder() {
        // order per device is the push service's (PushService#pushAll): the batch keeps the request's order
        TestApi.Reply reply = batch(batchOf(List.of(
                "{\"to\":\"dev-a\",\"payload\":\"a1\"}",
                "{\"to\":\"dev-b\",\"payload\":\"b1\"}",
                "{\"to\":[\"dev-c\",\"dev-a\"],\"payload\":\"a2\"}",
                "{\"to\":\"dev-c\",\"payload\":\"c2\"}")));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(api.pushService.batches).containsExactly(4);
        List<RecordingPushService.Call> calls = api.pushService.calls;
        assertThat(calls).extracting(call -> payloadOf(call.message())).containsExactly("a1", "b1", "a2", "c2");
        assertThat(((PushTargets.Devices) calls.get(2).targets()).clientIds()).containsExactly("dev-c", "dev-a");
        assertThat(reply.json().get("results").findValuesAsText("messageId")).containsExactly(
                calls.stream().map(call -> Long.toUnsignedString(call.message().messageId())).toArray(String[]::new));
    }

    @Test
    void messagesToDifferentDevicesAreHandedOverTogether() {
        api.pushService.delayMillis = message -> 200;
        List<String> messages = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            messages.add("{\"to\":\"dev-" + i + "\",\"payload\":\"x\"}");
        }
        long started = System.nanoTime();

        TestApi.Reply reply = batch(batchOf(messages));

        assertThat(reply.status()).isEqualTo(200);
        // all 50 were in the push service's hands, in one call, before the first completed
        assertThat(api.pushService.batches).containsExactly(50);
        assertThat(api.pushService.completions.get(0).callsSoFar()).isEqualTo(50);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aFailingPushIsThatMessagesError() {
        api.pushService.failure = new ServiceUnavailableException("redis unreachable", null, Duration.ofSeconds(7));

        TestApi.Reply reply = batch(batchOf(List.of("{\"to\":\"dev-1\",\"payload\":\"x\"}",
                "{\"to\":\"bad id\",\"payload\":\"x\"}")));

        assertThat(reply.status()).isEqualTo(200);
        JsonNode results = reply.json().get("results");
        assertThat(results.get(0).at("/error/code").asText()).isEqualTo("service_unavailable");
        assertThat(results.get(0).at("/error/message").asText()).contains("retry after 7 s").doesNotContain("redis");
        assertThat(results.get(1).at("/error/code").asText()).isEqualTo("invalid_client_id");

        api.pushService.failure = new IllegalStateException("boom");
        TestApi.Reply failed = batch(batchOf(List.of("{\"to\":\"dev-1\",\"payload\":\"x\"}")));
        assertThat(failed.json().at("/results/0/error/code").asText()).isEqualTo("push_failed");
    }

    @Test
    void aThousandMessagesAreAcceptedOneMoreIsRefusedWhole() {
        List<String> messages = new ArrayList<>();
        for (int i = 0; i < BatchPushRoutes.MAX_MESSAGES; i++) {
            messages.add("{\"to\":\"dev-" + i + "\",\"payload\":\"x\"}");
        }
        TestApi.Reply full = batch(batchOf(messages));
        assertThat(full.status()).isEqualTo(200);
        assertThat(full.json().get("results")).hasSize(BatchPushRoutes.MAX_MESSAGES);

        api.pushService.calls.clear();
        messages.add("{\"to\":\"dev-x\",\"payload\":\"x\"}");
        TestApi.Reply over = batch(batchOf(messages));
        assertThat(over.status()).isEqualTo(413);
        assertThat(over.errorCode()).isEqualTo("request_too_large");
        assertThat(over.errorMessage()).contains("at most 1000");
        assertThat(api.pushService.calls).isEmpty();
    }

    @Test
    void aBodyMalformedAsAWholeIs400AndSendsNothing() {
        assertThat(batch("{\"messages\":[{\"to\":\"dev-1\",\"payload\":\"x\"}").errorCode())
                .isEqualTo("malformed_json");
        assertThat(batch("{\"messages\":[]}").errorMessage()).contains("at least one");
        assertThat(batch("{\"messages\":{\"to\":\"dev-1\"}}").errorMessage()).contains("\"messages\"");
        assertThat(batch("{}").status()).isEqualTo(400);
        assertThat(batch("[{\"to\":\"dev-1\",\"payload\":\"x\"}]").status()).isEqualTo(400);
        assertThat(batch("{\"messages\":[],\"extra\":1}").errorMessage()).contains("unknown field");
        assertThat(api.pushService.calls).isEmpty();
    }

    @Test
    void aBodyOverTheRequestSizeLimitIs413() {
        try (TestApi small = TestApi.start(settings -> settings.withMaxPayloadBytes(1000)
                .withMaxRequestBytes(4096))) {
            List<String> messages = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                messages.add("{\"to\":\"dev-" + i + "\",\"payload\":\"" + "y".repeat(900) + "\"}");
            }
            TestApi.Reply reply = small.postWithKey(BatchPushRoutes.PATH, batchOf(messages));

            assertThat(reply.status()).isEqualTo(413);
            assertThat(reply.errorCode()).isEqualTo("request_too_large");
            assertThat(small.pushService.calls).isEmpty();
        }
    }

    @Test
    void theApiKeyIsRequired() {
        String body = batchOf(List.of("{\"to\":\"dev-1\",\"payload\":\"x\"}"));

        assertThat(api.post(BatchPushRoutes.PATH, body).status()).isEqualTo(401);
        assertThat(api.post(BatchPushRoutes.PATH, body, "Authorization", "Bearer wrong").status()).isEqualTo(401);
        assertThat(api.pushService.calls).isEmpty();
    }

    @Test
    void aResultCarriesTheFieldsOfASinglePushAnswer() {
        api.pushService.results = (message, targets) ->
                new PushResult(message.messageId(), 1, 1, 1).withUnknown(List.of("dev-9"));
        try {
            TestApi.Reply reply = batch(batchOf(List.of("{\"to\":[\"dev-1\",\"dev-2\",\"dev-9\"],\"payload\":\"x\"}")));
            JsonNode single = api.postWithKey("/api/v1/push", "{\"to\":[\"dev-1\",\"dev-2\",\"dev-9\"],\"payload\":\"x\"}")
                    .json();

            JsonNode result = reply.json().at("/results/0");
            List<String> names = new ArrayList<>();
            result.fieldNames().forEachRemaining(names::add);
            List<String> singleNames = new ArrayList<>();
            single.fieldNames().forEachRemaining(singleNames::add);
            assertThat(names).containsExactlyElementsOf(singleNames);
            assertThat(result.get("unknown").get(0).asText()).isEqualTo("dev-9");
        } finally {
            api.pushService.results = (message, targets) -> new PushResult(message.messageId(),
                    targets instanceof PushTargets.Devices devices ? devices.clientIds().size() : 0, 0, 0);
        }
    }
}
