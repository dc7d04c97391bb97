package io.herald.api;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import java.io.IOException;
import java.util.Iterator;
import java.util.Set;

/**
 * A request body that must be one JSON object, with typed access to its fields. Every way it can be wrong
 * (wrong media type, malformed JSON, not an object, unknown field, field of the wrong type) becomes an
 * {@link ApiException} that names the problem. Unknown fields are rejected so that a misspelt optional field
 * (say "ttl" for "ttlSeconds") is reported instead of silently ignored.
 */
final class JsonRequest {
    private final ObjectNode object;

    private JsonRequest(ObjectNode object) {
        this.object = object;
    }

    static JsonRequest parse(AggregatedHttpRequest request, Set<String> allowedFields) {
        MediaType contentType = request.contentType();
        // No Content-Type is tolerated (the body is parsed as JSON); a different one is a client mistake.
        if (contentType != null && !contentType.isJson()) {
            throw new ApiException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, ErrorCodes.UNSUPPORTED_MEDIA_TYPE,
                    "request body must be application/json, was " + contentType.nameWithoutParameters());
        }
        if (request.content().isEmpty()) {
            throw ApiException.invalidRequest("request body is empty; expected a JSON object");
        }
        byte[] bytes = request.content().array();
        // Jackson decodes some invalid UTF-8 (the overlong C0 AF becomes "/"), so it is checked first.
        if (!Texts.isUtf8(bytes)) {
            throw ApiException.badRequest(ErrorCodes.MALFORMED_JSON, "request body is not valid UTF-8");
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(bytes);
        } catch (StreamConstraintsException e) {
            throw ApiException.badRequest(ErrorCodes.MALFORMED_JSON, "JSON over a parser limit: " + limit(e));
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest(ErrorCodes.MALFORMED_JSON, "malformed JSON" + where(e));
        } catch (IOException e) {
            throw ApiException.badRequest(ErrorCodes.MALFORMED_JSON, "malformed JSON");
        }
        return of(root, allowedFields, "request body");
    }

    /**
     * One JSON object inside a body already parsed (a message of a batch), checked like a whole body.
     *
     * @param what names the value in the error, e.g. "request body" or "messages[3]"
     */
    static JsonRequest of(JsonNode value, Set<String> allowedFields, String what) {
        if (value == null || !value.isObject()) {
            throw ApiException.invalidRequest(what + " must be a JSON object");
        }
        ObjectNode object = (ObjectNode) value;
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowedFields.contains(name)) {
                throw ApiException.invalidRequest("unknown field \"" + Texts.abbreviate(name) + "\"");
            }
        }
        return new JsonRequest(object);
    }

    /**
     * Where parsing failed, and nothing else: the parser's own message quotes the token it choked on, which can be
     * a secret (a login body with a missing quote), so no part of the input is ever echoed.
     */
    static String where(JsonProcessingException e) {
        JsonLocation location = e.getLocation();
        return location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    /** Which limit of {@link JsonLimits}; the constraint's message names numbers only, never input. */
    private static String limit(StreamConstraintsException e) {
        String message = e.getOriginalMessage();
        int from = message.indexOf(" (from `");
        return from > 0 ? message.substring(0, from) + ")" : message;
    }

    /** Present and not JSON null. */
    boolean has(String name) {
        JsonNode node = object.get(name);
        return node != null && !node.isNull();
    }

    /** The raw field, or null when absent or JSON null. */
    JsonNode node(String name) {
        return has(name) ? object.get(name) : null;
    }

    /** The string, or null when absent; a field of another type is an error. */
    String optionalString(String name) {
        JsonNode node = node(name);
        if (node == null) {
            return null;
        }
        if (!node.isTextual()) {
            throw ApiException.invalidRequest(name + " must be a string");
        }
        return node.textValue();
    }

    /** The integer, or {@code defaultValue} when absent; must lie within {@code [min, max]}. */
    long optionalLong(String name, long defaultValue, long min, long max) {
        JsonNode node = node(name);
        if (node == null) {
            return defaultValue;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < min
                || node.longValue() > max) {
            throw ApiException.invalidRequest(name + " must be an integer from " + min + " to " + max);
        }
        return node.longValue();
    }

    boolean optionalBoolean(String name, boolean defaultValue) {
        JsonNode node = node(name);
        if (node == null) {
            return defaultValue;
        }
        if (!node.isBoolean()) {
            throw ApiException.invalidRequest(name + " must be true or false");
        }
        return node.booleanValue();
    }
}
