package io.herald.api;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.core.ServiceUnavailableException;
import io.herald.core.message.PushMessage;
import io.herald.core.push.PushResult;
import io.herald.core.push.PushTargets;
import io.herald.protocol.ContentType;
import io.herald.protocol.Qos;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class PushApiTest {
    private static final String HEX32 = "[0-9a-f]{32}";
    private static TestApi api;

    @BeforeAll
    static void start() {
        api = TestApi.start();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @AfterEach
    void resetPushService() {
        api.pushService.reset();
    }

    private static TestApi.Reply push(String json, String... headers) {
        return api.postWithKey("/api/v1/push", json, headers);
    }

    private static PushTargets.Devices devices(PushTargets targets) {
        assertThat(targets).isInstanceOf(PushTargets.Devices.class);
        return (PushTargets.Devices) targets;
    }

    @Test
    void pushToOneDeviceWithDefaults() {
        api.pushService.results = (message, targets) -> new PushResult(message.messageId(), 1, 0, 0);

        TestApi.Reply reply = push("{\"to\":\"dev-1\",\"payload\":\"hello\"}");

        assertThat(reply.status()).isEqualTo(202);
        RecordingPushService.Call call = api.pushService.last();
        PushMessage message = call.message();
        assertThat(devices(call.targets()).clientIds()).containsExactly("dev-1");
        assertThat(message.contentType()).isEqualTo(ContentType.TEXT);
        assertThat(message.qos()).isEqualTo(Qos.AT_LEAST_ONCE);
        assertThat(new String(message.payload(), StandardCharsets.UTF_8)).isEqualTo("hello");
        assertThat(message.createdAt()).isEqualTo(TestApi.NOW.toEpochMilli());
        assertThat(message.expiresAt() - message.createdAt()).isEqualTo(Duration.ofHours(24).toMillis());

        JsonNode json = reply.json();
        assertThat(json.get("messageId").isTextual()).isTrue();
        assertThat(json.get("messageId").asText()).isEqualTo(Long.toString(message.messageId()));
        assertThat(json.get("traceId").asText()).isEqualTo(message.traceId());
        assertThat(json.get("online").asInt()).isEqualTo(1);
        assertThat(json.get("stored").asInt()).isZero();
        assertThat(json.get("dropped").asInt()).isZero();
        assertThat(reply.header("x-trace-id")).isEqualTo(message.traceId());
    }

    @Test
    void resultCountsArePassedThrough() {
        api.pushService.results = (message, targets) -> new PushResult(message.messageId(), 1, 2, 3);

        TestApi.Reply reply = push("{\"to\":[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\"],\"payload\":\"x\"}");

        assertThat(reply.status()).isEqualTo(202);
        assertThat(reply.json().get("online").asInt()).isEqualTo(1);
        assertThat(reply.json().get("stored").asInt()).isEqualTo(2);
        assertThat(reply.json().get("dropped").asInt()).isEqualTo(3);
    }

    @Test
    void theUnknownIdsOfAListPushAreNamed() {
        api.pushService.results = (message, targets) -> new PushResult(message.messageId(), 1, 2, 3)
                .withUnknown(List.of("e", "f", "g"));

        TestApi.Reply reply = push("{\"to\":[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\"],\"payload\":\"x\"}");

        assertThat(reply.status()).isEqualTo(202);
        assertThat(reply.json().get("unknown")).extracting(JsonNode::asText).containsExactly("e", "f", "g");
        assertThat(reply.json().get("unknownCount").asInt()).isEqualTo(3);
    }

    @Test
    void unknownIdsAreLeftOutWhenTheyWereNotLookedUp() {
        api.pushService.results = (message, targets) -> new PushResult(message.messageId(), 0, 0, 2);

        TestApi.Reply reply = push("{\"to\":[\"a\",\"b\"],\"payload\":\"x\",\"qos\":0}");

        assertThat(reply.json().has("unknown")).isFalse();
        assertThat(reply.json().has("unknownCount")).isFalse();
    }

    @Test
    void listOfIdsIsDeduplicatedInOrder() {
        TestApi.Reply reply = push("{\"to\":[\"b\",\"a\",\"b\",\"c\",\"a\"],\"payload\":\"x\"}");

        assertThat(reply.status()).isEqualTo(202);
        assertThat(devices(api.pushService.last().targets()).clientIds()).containsExactly("b", "a", "c");
    }

    @Test
    void hundredThousandIdsAreAcceptedAndDeduplicated() {
        ObjectNode body = TestApi.JSON.createObjectNode();
        ArrayNode to = body.putArray("to");
        List<String> distinct = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            distinct.add("device-" + i);
        }
        distinct.forEach(to::add);
        distinct.forEach(to::add); // every id twice: 100,000 entries
        body.put("payload", "bulk");

        TestApi.Reply reply = push(body.toString());

        assertThat(reply.status()).as(reply.body()).isEqualTo(202);
        assertThat(devices(api.pushService.last().targets()).clientIds()).containsExactlyElementsOf(distinct);
    }

    @Test
    void moreThanHundredThousandIdsIs400() {
        ObjectNode body = TestApi.JSON.createObjectNode();
        ArrayNode to = body.putArray("to");
        for (int i = 0; i <= 100_000; i++) {
            to.add("d" + i);
        }
        body.put("payload", "bulk");
        int callsBefore = api.pushService.calls.size();

        TestApi.Reply reply = push(body.toString());

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.errorMessage()).contains("100001").contains("100000");
        assertThat(api.pushService.calls).hasSize(callsBefore);
    }

    @Test
    void broadcast() {
        TestApi.Reply reply = push("{\"broadcast\":true,\"payload\":\"to all\",\"qos\":0}");

        assertThat(reply.status()).isEqualTo(202);
        RecordingPushService.Call call = api.pushService.last();
        assertThat(call.targets()).isSameAs(PushTargets.broadcast());
        assertThat(call.message().qos()).isEqualTo(Qos.AT_MOST_ONCE);
        assertThat(call.mdc()).doesNotContainKey("clientId");
    }

    @Test
    void toAndBroadcastTogetherIs400() {
        TestApi.Reply reply = push("{\"to\":\"dev-1\",\"broadcast\":true,\"payload\":\"x\"}");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.errorCode()).isEqualTo("invalid_request");
    }

    @Test
    void neitherToNorBroadcastIs400() {
        assertThat(push("{\"payload\":\"x\"}").status()).isEqualTo(400);
        assertThat(push("{\"broadcast\":false,\"payload\":\"x\"}").status()).isEqualTo(400);
    }

    @Test
    void invalidIdIs400NamingTheFirstBadOne() {
        TestApi.Reply reply = push("{\"to\":[\"ok-1\",\"ok-2\",\"bad id\",\"also bad\"],\"payload\":\"x\"}");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.errorCode()).isEqualTo("invalid_client_id");
        assertThat(reply.errorMessage()).startsWith("to[2] is not a valid client id").doesNotContain("bad id")
                .doesNotContain("also bad");
    }

    @Test
    void wrongTypesInToAre400() {
        assertThat(push("{\"to\":[\"ok\",7],\"payload\":\"x\"}").errorMessage()).isEqualTo("to[1] must be a string");
        assertThat(push("{\"to\":42,\"payload\":\"x\"}").status()).isEqualTo(400);
        assertThat(push("{\"to\":[],\"payload\":\"x\"}").errorMessage())
                .isEqualTo("to must name at least one client id");
        assertThat(push("{\"broadcast\":\"yes\",\"payload\":\"x\"}").errorMessage())
                .isEqualTo("broadcast must be true or false");
    }

    @Test
    void jsonPayloadIsValidated() {
        TestApi.Reply ok = push("{\"to\":\"dev-1\",\"contentType\":\"json\",\"payload\":\"{\\\"t\\\":21.5}\"}");
        assertThat(ok.status()).isEqualTo(202);
        assertThat(api.pushService.last().message().contentType()).isEqualTo(ContentType.JSON);

        TestApi.Reply bad = push("{\"to\":\"dev-1\",\"contentType\":\"json\",\"payload\":\"{not json\"}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.errorCode()).isEqualTo("invalid_payload");

        TestApi.Reply trailing = push("{\"to\":\"dev-1\",\"contentType\":\"json\",\"payload\":\"{} {}\"}");
        assertThat(trailing.status()).isEqualTo(400);
    }

    @Test
    void aJsonPayloadMayBeGivenAsAJsonValue() {
        TestApi.Reply object = push("{\"to\":\"dev-1\",\"contentType\":\"json\",\"payload\": {\"t\" : 21.50,"
                + " \"big\": 123456789012345678901234567890, \"s\":\"caf\u00e9 \\u2603\", \"a\":[1, true, null]}}");

        assertThat(object.status()).as(object.body()).isEqualTo(202);
        assertThat(new String(api.pushService.last().message().payload(), StandardCharsets.UTF_8))
                .isEqualTo("{\"t\":21.50,\"big\":123456789012345678901234567890,\"s\":\"caf\u00e9 \u2603\","
                        + "\"a\":[1,true,null]}");
        for (String value : new String[] {"[1,2]", "42", "true", "-0.5e3"}) {
            TestApi.Reply reply = push("{\"to\":\"dev-1\",\"contentType\":\"json\",\"payload\":" + value + "}");
            assertThat(reply.status()).as(value).isEqualTo(202);
        }
        assertThat(new String(api.pushService.last().message().payload(), StandardCharsets.UTF_8))
                .isEqualTo("-5E+2");
    }

    @Test
    void theStringFormOfAJsonPayloadStillWorksAndOtherTypesTakeStringsOnly() {
        TestApi.Reply string = push("{\"to\":\"dev-1\",\"contentType\":\"json\",\"payload\":\"{\\\"t\\\": 1}\"}");
        assertThat(string.status()).isEqualTo(202);
        assertThat(new String(api.pushService.last().message().payload(), StandardCharsets.UTF_8))
                .as("the text as sent").isEqualTo("{\"t\": 1}");

        TestApi.Reply text = push("{\"to\":\"dev-1\",\"contentType\":\"text\",\"payload\":{\"t\":1}}");
        assertThat(text.status()).isEqualTo(400);
        assertThat(text.errorMessage()).contains("contentType json");
        TestApi.Reply surrogate = push("{\"to\":\"dev-1\",\"contentType\":\"json\",\"payload\":[\"\\ud800\"]}");
        assertThat(surrogate.status()).as("a lone surrogate stays an escape: valid JSON and UTF-8").isEqualTo(202);
        assertThat(api.pushService.last().message().payload()).asString(StandardCharsets.UTF_8)
                .isEqualTo("[\"\\uD800\"]");
    }

    @Test
    void everyContentTypeLabelIsAccepted() {
        for (ContentType type : ContentType.values()) {
            String payload = type == ContentType.JSON ? "\"[1]\"" : "\"x\"";
            TestApi.Reply reply = push("{\"to\":\"dev-1\",\"contentType\":\"" + type.label() + "\",\"payload\":"
                    + payload + "}");
            assertThat(reply.status()).as(type.label()).isEqualTo(202);
            assertThat(api.pushService.last().message().contentType()).isEqualTo(type);
        }
    }

    @Test
    void unknownContentTypeIs400() {
        TestApi.Reply reply = push("{\"to\":\"dev-1\",\"contentType\":\"pdf\",\"payload\":\"x\"}");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.errorMessage()).contains("text, json, binary, image, video, audio");
    }

    @Test
    void base64PayloadIsDecoded() {
        byte[] bytes = {0, 1, 2, (byte) 0xff, (byte) 0xfe};
        TestApi.Reply reply = push("{\"to\":\"dev-1\",\"contentType\":\"binary\",\"payloadBase64\":\""
                + Base64.getEncoder().encodeToString(bytes) + "\"}");

        assertThat(reply.status()).isEqualTo(202);
        assertThat(api.pushService.last().message().payload()).containsExactly(bytes);
    }

    @Test
    void invalidBase64Is400() {
        TestApi.Reply reply = push("{\"to\":\"dev-1\",\"payloadBase64\":\"***\"}");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.errorCode()).isEqualTo("invalid_payload");
    }

    @Test
    void exactlyOnePayloadFieldIsRequired() {
        assertThat(push("{\"to\":\"dev-1\"}").status()).isEqualTo(400);
        TestApi.Reply both = push("{\"to\":\"dev-1\",\"payload\":\"x\",\"payloadBase64\":\"eA==\"}");
        assertThat(both.status()).isEqualTo(400);
        assertThat(both.errorMessage()).contains("exactly one");
    }

    @Test
    void qosAndTtl() {
        TestApi.Reply reply = push("{\"to\":\"dev-1\",\"payload\":\"x\",\"qos\":0,\"ttlSeconds\":60}");

        assertThat(reply.status()).isEqualTo(202);
        PushMessage message = api.pushService.last().message();
        assertThat(message.qos()).isEqualTo(Qos.AT_MOST_ONCE);
        assertThat(message.expiresAt() - message.createdAt()).isEqualTo(60_000);
    }

    @Test
    void maxTtlIsAccepted() {
        long max = ApiSettings.DEFAULT_MAX_TTL.toSeconds();
        assertThat(push("{\"to\":\"dev-1\",\"payload\":\"x\",\"ttlSeconds\":" + max + "}").status()).isEqualTo(202);
        assertThat(push("{\"to\":\"dev-1\",\"payload\":\"x\",\"ttlSeconds\":" + (max + 1) + "}").status())
                .isEqualTo(400);
    }

    @Test
    void badQosAndTtlAre400() {
        assertThat(push("{\"to\":\"dev-1\",\"payload\":\"x\",\"qos\":2}").errorMessage())
                .isEqualTo("qos must be an integer from 0 to 1");
        assertThat(push("{\"to\":\"dev-1\",\"payload\":\"x\",\"qos\":\"1\"}").status()).isEqualTo(400);
        assertThat(push("{\"to\":\"dev-1\",\"payload\":\"x\",\"qos\":1.5}").status()).isEqualTo(400);
        assertThat(push("{\"to\":\"dev-1\",\"payload\":\"x\",\"ttlSeconds\":0}").status()).isEqualTo(400);
        assertThat(push("{\"to\":\"dev-1\",\"payload\":\"x\",\"ttlSeconds\":99999999999999999999}").status())
                .isEqualTo(400);
    }

    @Test
    void payloadLargerThanTheLimitIs413() {
        int max = ApiSettings.DEFAULT_MAX_PAYLOAD_BYTES;
        int callsBefore = api.pushService.calls.size();

        TestApi.Reply tooLarge = push("{\"to\":\"dev-1\",\"payload\":\"" + "x".repeat(max + 1) + "\"}");

        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.errorCode()).isEqualTo("payload_too_large");
        assertThat(api.pushService.calls).hasSize(callsBefore);
        assertThat(push("{\"to\":\"dev-1\",\"payload\":\"" + "x".repeat(max) + "\"}").status()).isEqualTo(202);
    }

    @Test
    void payloadLimitCountsUtf8Bytes() {
        int max = ApiSettings.DEFAULT_MAX_PAYLOAD_BYTES;
        // "é" is two bytes in UTF-8: fewer characters than the limit, more bytes
        TestApi.Reply reply = push("{\"to\":\"dev-1\",\"payload\":\"" + "é".repeat(max / 2 + 1) + "\"}");

        assertThat(reply.status()).isEqualTo(413);
    }

    @Test
    void unpairedSurrogateIs400() {
        TestApi.Reply reply = push("{\"to\":\"dev-1\",\"payload\":\"\\ud800\"}");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.errorCode()).isEqualTo("invalid_payload");
    }

    @Test
    void unknownFieldIs400() {
        TestApi.Reply reply = push("{\"to\":\"dev-1\",\"payload\":\"x\",\"ttl\":60}");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.errorMessage()).isEqualTo("unknown field \"ttl\"");
    }

    @Test
    void generatedTraceIdIs32LowercaseHex() {
        TestApi.Reply first = push("{\"to\":\"dev-1\",\"payload\":\"x\"}");
        TestApi.Reply second = push("{\"to\":\"dev-1\",\"payload\":\"x\"}");

        String traceId = first.json().get("traceId").asText();
        assertThat(traceId).matches(HEX32);
        assertThat(second.json().get("traceId").asText()).matches(HEX32).isNotEqualTo(traceId);
    }

    @Test
    void xTraceIdIsUsed() {
        TestApi.Reply reply = push("{\"to\":\"dev-1\",\"payload\":\"x\"}", "X-Trace-Id", "order-4711");

        assertThat(reply.status()).isEqualTo(202);
        assertThat(reply.json().get("traceId").asText()).isEqualTo("order-4711");
        assertThat(reply.header("x-trace-id")).isEqualTo("order-4711");
        assertThat(api.pushService.last().message().traceId()).isEqualTo("order-4711");
    }

    @Test
    void invalidXTraceIdIs400() {
        int callsBefore = api.pushService.calls.size();

        TestApi.Reply spaces = push("{\"to\":\"dev-1\",\"payload\":\"x\"}", "X-Trace-Id", "has spaces");
        TestApi.Reply tooLong = push("{\"to\":\"dev-1\",\"payload\":\"x\"}", "X-Trace-Id", "t".repeat(65));

        assertThat(spaces.status()).isEqualTo(400);
        assertThat(spaces.errorCode()).isEqualTo("invalid_trace_id");
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(api.pushService.calls).hasSize(callsBefore);
    }

    @Test
    void traceparentTraceIdWins() {
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

        TestApi.Reply reply = push("{\"to\":\"dev-1\",\"payload\":\"x\"}", "traceparent", traceparent,
                "X-Trace-Id", "ignored-one");

        assertThat(reply.json().get("traceId").asText()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(api.pushService.last().message().traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    }

    @Test
    void invalidTraceparentIsIgnored() {
        TestApi.Reply withHeader = push("{\"to\":\"dev-1\",\"payload\":\"x\"}", "traceparent", "garbage",
                "X-Trace-Id", "fallback-1");
        TestApi.Reply alone = push("{\"to\":\"dev-1\",\"payload\":\"x\"}", "traceparent",
                "00-00000000000000000000000000000000-00f067aa0ba902b7-01");

        assertThat(withHeader.status()).isEqualTo(202);
        assertThat(withHeader.json().get("traceId").asText()).isEqualTo("fallback-1");
        assertThat(alone.status()).isEqualTo(202);
        assertThat(alone.json().get("traceId").asText()).matches(HEX32).isNotEqualTo("0".repeat(32));
    }

    @Test
    void traceIdIsReturnedOnErrorsToo() {
        TestApi.Reply reply = push("{\"to\":\"bad id\",\"payload\":\"x\"}", "X-Trace-Id", "err-trace");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.header("x-trace-id")).isEqualTo("err-trace");
    }

    @Test
    void traceIdAndClientIdAreInTheMdcDuringThePush() {
        push("{\"to\":\"dev-mdc\",\"payload\":\"x\"}", "X-Trace-Id", "mdc-trace-1");

        RecordingPushService.Call call = api.pushService.last();
        assertThat(call.mdc()).containsEntry("traceId", "mdc-trace-1").containsEntry("clientId", "dev-mdc");
    }

    @Test
    void severalTargetsPutOnlyTheTraceIdInTheMdc() {
        push("{\"to\":[\"a\",\"b\"],\"payload\":\"x\"}", "X-Trace-Id", "mdc-trace-2");

        RecordingPushService.Call call = api.pushService.last();
        assertThat(call.mdc()).containsEntry("traceId", "mdc-trace-2").doesNotContainKey("clientId");
    }

    @Test
    void logLinesAboutThePushCarryTheTraceIdOnEveryThread() {
        Logger logger = (Logger) LoggerFactory.getLogger(PushSender.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        Level level = logger.getLevel();
        logger.setLevel(Level.DEBUG);
        logger.addAppender(appender);
        api.pushService.completeAsync = true;
        try {
            TestApi.Reply reply = push("{\"to\":\"dev-log\",\"payload\":\"x\"}", "X-Trace-Id", "log-trace");
            assertThat(reply.status()).isEqualTo(202);
        } finally {
            logger.detachAppender(appender);
            logger.setLevel(level);
        }

        List<ILoggingEvent> events = appender.list.stream()
                .filter(e -> "log-trace".equals(e.getMDCPropertyMap().get("traceId")))
                .toList();
        assertThat(events).extracting(ILoggingEvent::getFormattedMessage)
                .anyMatch(m -> m.contains("accepted"))
                .anyMatch(m -> m.contains("done"));
        assertThat(events).allMatch(e -> "dev-log".equals(e.getMDCPropertyMap().get("clientId")));
        // the completion was logged on another thread than the one that called the push service
        assertThat(events).extracting(ILoggingEvent::getThreadName).doesNotHaveDuplicates();
    }

    @Test
    void failedPushIs500() {
        api.pushService.failure = new IllegalStateException("gateway gone");

        TestApi.Reply reply = push("{\"to\":\"dev-1\",\"payload\":\"x\"}");

        assertThat(reply.status()).isEqualTo(500);
        assertThat(reply.errorCode()).isEqualTo("push_failed");
        assertThat(reply.errorMessage()).doesNotContain("gateway gone");
    }

    @Test
    void aPushFailingBecauseAServiceIsDownIs503WithRetryAfter() {
        api.pushService.failure = new ServiceUnavailableException("redis unreachable", null, Duration.ofSeconds(7));

        TestApi.Reply reply = push("{\"to\":\"dev-1\",\"payload\":\"x\"}");

        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.errorCode()).isEqualTo("service_unavailable");
        assertThat(reply.headers().firstValue("retry-after")).contains("7");
        assertThat(reply.errorMessage()).contains("retry after 7 s").doesNotContain("redis");
    }

    @Test
    void aPushFailingBecauseTheDatabaseIsDownIs503() {
        api.pushService.failure = new IllegalStateException("store failed",
                new java.sql.SQLTransientConnectionException("Connection is not available, request timed out"));

        TestApi.Reply reply = push("{\"to\":\"dev-1\",\"payload\":\"x\"}");

        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.headers().firstValue("retry-after")).isPresent();
    }

    @Test
    void pushNeedsTheApiKey() {
        TestApi.Reply none = api.post("/api/v1/push", "{\"to\":\"dev-1\",\"payload\":\"x\"}");
        TestApi.Reply wrong = api.post("/api/v1/push", "{\"to\":\"dev-1\",\"payload\":\"x\"}",
                "Authorization", "Bearer nope");
        TestApi.Reply notBearer = api.post("/api/v1/push", "{\"to\":\"dev-1\",\"payload\":\"x\"}",
                "Authorization", "Basic " + TestApi.API_KEY);

        for (TestApi.Reply reply : List.of(none, wrong, notBearer)) {
            assertThat(reply.status()).isEqualTo(401);
            assertThat(reply.errorCode()).isEqualTo("unauthorized");
            assertThat(reply.header("www-authenticate")).isEqualTo("Bearer");
        }
    }

    @Test
    void bearerSchemeIsCaseInsensitive() {
        TestApi.Reply reply = api.post("/api/v1/push", "{\"to\":\"dev-1\",\"payload\":\"x\"}",
                "Authorization", "bearer " + TestApi.API_KEY);

        assertThat(reply.status()).isEqualTo(202);
    }

    @Test
    void pushesAreCounted() {
        double devicesBefore = api.registry.get("herald.push.requests").tag("kind", "devices").counter().count();
        double targetsBefore = api.registry.get("herald.push.targets").counter().count();

        push("{\"to\":[\"a\",\"b\",\"a\"],\"payload\":\"x\"}");

        assertThat(api.registry.get("herald.push.requests").tag("kind", "devices").counter().count())
                .isEqualTo(devicesBefore + 1);
        assertThat(api.registry.get("herald.push.targets").counter().count()).isEqualTo(targetsBefore + 2);
        assertThat(api.registry.get("herald.push.latency").tag("kind", "devices").tag("outcome", "ok").timer()
                .count()).isPositive();
    }
}
