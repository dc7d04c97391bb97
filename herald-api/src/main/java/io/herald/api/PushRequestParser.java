package io.herald.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.linecorp.armeria.common.HttpStatus;
import io.herald.core.device.ClientIds;
import io.herald.core.device.Tags;
import io.herald.protocol.ContentType;
import io.herald.protocol.Qos;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Turns the body of {@code POST /api/v1/push} into a {@link PushRequest}, or says precisely what is wrong. */
final class PushRequestParser {
    static final int MAX_TARGETS = 100_000;
    static final Set<String> FIELDS =
            Set.of("to", "tag", "broadcast", "contentType", "payload", "payloadBase64", "qos", "ttlSeconds");
    private static final String CONTENT_TYPES = Arrays.stream(ContentType.values())
            .map(ContentType::label).collect(Collectors.joining(", "));
    /**
     * Checks that a JSON payload is well-formed. Unlike the request mapper it accepts duplicate keys: the payload
     * is the application's, and JSON only recommends unique names.
     */
    private static final ObjectMapper PAYLOAD_CHECKER = JsonMapper.builder(Json.boundedFactory())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final int maxPayloadBytes;
    private final Duration defaultTtl;
    private final long maxTtlSeconds;

    PushRequestParser(ApiSettings settings) {
        this.maxPayloadBytes = settings.maxPayloadBytes();
        this.defaultTtl = settings.defaultTtl();
        this.maxTtlSeconds = settings.maxTtl().toSeconds();
    }

    PushRequest parse(JsonRequest body) {
        String tag = tag(body);
        List<String> clientIds = tag == null ? targets(body) : null;
        ContentType contentType = contentType(body.optionalString("contentType"));
        byte[] payload = payload(body, contentType);
        Qos qos = Qos.ofLevel((int) body.optionalLong("qos", Qos.AT_LEAST_ONCE.level(), 0, 1));
        Duration ttl = body.has("ttlSeconds")
                ? Duration.ofSeconds(body.optionalLong("ttlSeconds", 0, 1, maxTtlSeconds))
                : defaultTtl;
        return new PushRequest(clientIds, tag, contentType, qos, payload, ttl);
    }

    /** The "tag" whose devices the push goes to, or null; it excludes "to" and "broadcast". */
    private static String tag(JsonRequest body) {
        if (!body.has("tag")) {
            return null;
        }
        if (body.has("to") || body.optionalBoolean("broadcast", false)) {
            throw ApiException.invalidRequest("give one of \"to\", \"tag\" and \"broadcast\": true");
        }
        String tag = body.optionalString("tag");
        String problem = Tags.problem(tag);
        if (problem != null) {
            throw ApiException.badRequest(ErrorCodes.INVALID_TAG, "tag is not valid: " + problem);
        }
        return tag;
    }

    /** The distinct ids of "to", or null for a broadcast. */
    private List<String> targets(JsonRequest body) {
        boolean broadcast = body.optionalBoolean("broadcast", false);
        JsonNode to = body.node("to");
        if (broadcast && to != null) {
            throw ApiException.invalidRequest("give either \"to\" or \"broadcast\": true, not both");
        }
        if (broadcast) {
            return null;
        }
        if (to == null) {
            throw ApiException.invalidRequest("\"to\" (a client id or a list of them), \"tag\" or "
                    + "\"broadcast\": true is required");
        }
        if (to.isTextual()) {
            return List.of(validClientId(to.textValue(), "to"));
        }
        if (!to.isArray()) {
            throw ApiException.invalidRequest("to must be a client id or a list of client ids");
        }
        if (to.isEmpty()) {
            throw ApiException.invalidRequest("to must name at least one client id");
        }
        if (to.size() > MAX_TARGETS) {
            throw ApiException.invalidRequest("to names " + to.size() + " client ids; at most " + MAX_TARGETS
                    + " are allowed in one push");
        }
        // Order kept so that a log or a test can follow the request; duplicates are delivered once.
        Set<String> ids = new LinkedHashSet<>(to.size() * 4 / 3 + 1);
        for (int i = 0; i < to.size(); i++) {
            JsonNode element = to.get(i);
            if (!element.isTextual()) {
                throw ApiException.invalidRequest("to[" + i + "] must be a string");
            }
            ids.add(validClientId(element.textValue(), "to[" + i + "]"));
        }
        return List.copyOf(ids);
    }

    private static String validClientId(String clientId, String field) {
        String problem = ClientIds.problem(clientId);
        if (problem != null) {
            // The value is not echoed (no error repeats input); the field's position says which one.
            throw ApiException.badRequest(ErrorCodes.INVALID_CLIENT_ID,
                    field + " is not a valid client id: " + problem);
        }
        return clientId;
    }

    private static ContentType contentType(String label) {
        if (label == null) {
            return ContentType.TEXT;
        }
        ContentType type = ContentType.ofLabel(label);
        if (type == null) {
            throw ApiException.invalidRequest("contentType must be one of " + CONTENT_TYPES);
        }
        return type;
    }

    private byte[] payload(JsonRequest body, ContentType contentType) {
        boolean hasText = body.has("payload");
        if (hasText == body.has("payloadBase64")) {
            throw ApiException.invalidRequest("give exactly one of \"payload\" (UTF-8 text) and "
                    + "\"payloadBase64\"");
        }
        byte[] payload;
        JsonNode value = body.node("payload");
        boolean jsonValue = value != null && !value.isTextual();
        if (jsonValue) {
            payload = jsonValue(value, contentType);
        } else if (hasText) {
            payload = Texts.encodeUtf8(body.optionalString("payload"));
            if (payload == null) {
                throw ApiException.badRequest(ErrorCodes.INVALID_PAYLOAD,
                        "payload contains an unpaired surrogate and is not valid Unicode");
            }
        } else {
            try {
                payload = Base64.getDecoder().decode(body.optionalString("payloadBase64"));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest(ErrorCodes.INVALID_PAYLOAD, "payloadBase64 is not valid Base64");
            }
        }
        if (payload.length > maxPayloadBytes) {
            throw new ApiException(HttpStatus.REQUEST_ENTITY_TOO_LARGE, ErrorCodes.PAYLOAD_TOO_LARGE,
                    "payload is " + payload.length + " bytes; at most " + maxPayloadBytes + " are allowed");
        }
        if (hasText && !jsonValue && contentType == ContentType.JSON) {
            checkWellFormedJson(payload);
        }
        return payload;
    }

    /**
     * {@code "payload":{"t":1}} (any JSON value but a string) with {@code contentType} json: the value, written
     * compactly, is the payload. Numbers keep their digits (the request mapper reads them exactly). A string stays
     * the payload's text, as before, so {@code "payload":"{\"t\":1}"} still works.
     */
    private static byte[] jsonValue(JsonNode value, ContentType contentType) {
        if (contentType != ContentType.JSON) {
            throw ApiException.invalidRequest("payload must be a string; a JSON value is taken with contentType json");
        }
        byte[] bytes;
        try {
            bytes = Json.MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            bytes = null;
        }
        if (bytes == null || !Texts.isUtf8(bytes)) {
            throw ApiException.badRequest(ErrorCodes.INVALID_PAYLOAD,
                    "payload contains an unpaired surrogate and is not valid Unicode");
        }
        return bytes;
    }

    private static void checkWellFormedJson(byte[] payload) {
        try {
            JsonNode root = PAYLOAD_CHECKER.readTree(payload);
            if (root == null || root.isMissingNode()) {
                throw ApiException.badRequest(ErrorCodes.INVALID_PAYLOAD,
                        "contentType is json but payload is empty");
            }
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest(ErrorCodes.INVALID_PAYLOAD,
                    "contentType is json but payload is not well-formed JSON" + JsonRequest.where(e));
        } catch (IOException e) {
            throw ApiException.badRequest(ErrorCodes.INVALID_PAYLOAD,
                    "contentType is json but payload is not well-formed JSON");
        }
    }
}
