package io.herald.cluster.discovery;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The JSON data of a gateway znode. Written and read field by field (not bound to the record) so that the format
 * is explicit here, unknown fields are ignored (a newer gateway may add some) and optional ones have defaults:
 *
 * <pre>{"id":"gw-1","host":"10.0.0.5","tcpPort":7000,"wsPort":7001,"wsPath":"/ws","internalPort":7100,
 *  "weight":1,"connections":42,"startedAt":"2025-01-01T12:00:00Z","tls":false,"capacity":19000}</pre>
 *
 * {@code wsPort} (default {@value GatewayNode#NO_WEBSOCKET}), {@code wsPath}, {@code weight} (default 1),
 * {@code connections} (default 0), {@code tls} (default false: written by gateways older than TLS) and
 * {@code capacity} (default {@value GatewayNode#NO_CAPACITY}, no limit: written by gateways older than it) may be
 * missing; the others are required.
 */
public final class GatewayNodeCodec {
    /**
     * Bounded like every parser of the server: a znode holds one flat object of a few hundred bytes, so anything
     * deep or long in one is refused instead of built (ZooKeeper allows 1 MiB of data per znode).
     */
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(8).maxStringLength(4096).maxDocumentLength(64 * 1024).build())
            .build());

    private GatewayNodeCodec() {
    }

    public static byte[] encode(GatewayNode node) {
        ObjectNode json = JSON.createObjectNode()
                .put("id", node.id())
                .put("host", node.host())
                .put("tcpPort", node.tcpPort())
                .put("wsPort", node.wsPort())
                .put("wsPath", node.wsPath())
                .put("internalPort", node.internalPort())
                .put("weight", node.weight())
                .put("connections", node.connections())
                .put("startedAt", node.startedAt().toString())
                .put("tls", node.tls())
                .put("capacity", node.capacity());
        try {
            return JSON.writeValueAsBytes(json);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the JSON of gateway " + node.id(), e);
        }
    }

    /** @throws IllegalArgumentException when the data is not JSON, lacks a required field or has a bad value */
    public static GatewayNode decode(byte[] data) {
        JsonNode json = parse(data);
        String id = requiredText(json, "id");
        try {
            return new GatewayNode(id, requiredText(json, "host"), requiredInt(json, "tcpPort"),
                    json.path("wsPort").asInt(GatewayNode.NO_WEBSOCKET), json.path("wsPath").textValue(),
                    requiredInt(json, "internalPort"), json.path("weight").asInt(GatewayNode.MIN_WEIGHT),
                    json.path("connections").asInt(0), Instant.parse(requiredText(json, "startedAt")),
                    json.path("tls").asBoolean(false), json.path("capacity").asInt(GatewayNode.NO_CAPACITY));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("gateway " + id + ": startedAt is not an ISO-8601 instant", e);
        }
    }

    private static JsonNode parse(byte[] data) {
        if (data == null || data.length == 0) {
            throw new IllegalArgumentException("gateway node has no data");
        }
        try {
            JsonNode json = JSON.readTree(data);
            if (json == null || !json.isObject()) {
                throw new IllegalArgumentException("gateway node data is not a JSON object");
            }
            return json;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("gateway node data is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("gateway node data cannot be read: " + e.getMessage(), e);
        }
    }

    private static String requiredText(JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("gateway node data lacks the text field '" + field + "'");
        }
        return value.textValue();
    }

    private static int requiredInt(JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || !value.canConvertToInt() || !value.isIntegralNumber()) {
            throw new IllegalArgumentException("gateway node data lacks the integer field '" + field + "'");
        }
        return value.intValue();
    }
}
