package io.herald.core.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;

/**
 * The events' JSON (schema version {@link Event#SCHEMA_VERSION}, docs/events.md): the common fields first, then the
 * type's own, flat in one object:
 * <pre>
 * {"v":1,"id":"9f3c0a...-1a","type":"message.acked","time":"2026-12-05T10:15:30.123Z",
 *  "nodeId":"standalone","clientId":"sensor-1","messageId":"7345812345678901"}
 * </pre>
 * A webhook request carries a JSON array of them, a Kafka record one.
 */
public final class EventJson {
    private static final JsonFactory FACTORY = new JsonFactory();

    private EventJson() {
    }

    /** One event, UTF-8. */
    public static byte[] encode(Event event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            write(json, event);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // writing to memory: not expected
        }
        return out.toByteArray();
    }

    /** The events as one JSON array, UTF-8. */
    public static byte[] encodeArray(Collection<Event> events) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 * Math.max(1, events.size()));
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            json.writeStartArray();
            for (Event event : events) {
                write(json, event);
            }
            json.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void write(JsonGenerator json, Event event) throws IOException {
        json.writeStartObject();
        json.writeNumberField("v", Event.SCHEMA_VERSION);
        json.writeStringField("id", event.id());
        json.writeStringField("type", event.type().wireName());
        json.writeStringField("time", Instant.ofEpochMilli(event.timeMillis()).toString());
        json.writeStringField("nodeId", event.nodeId());
        json.writeStringField("clientId", event.clientId());
        for (Map.Entry<String, Object> field : event.details().entrySet()) {
            Object value = field.getValue();
            if (value instanceof Long number) {
                json.writeNumberField(field.getKey(), number);
            } else if (value instanceof Integer number) {
                json.writeNumberField(field.getKey(), number);
            } else if (value instanceof Boolean flag) {
                json.writeBooleanField(field.getKey(), flag);
            } else if (value == null) {
                json.writeNullField(field.getKey());
            } else {
                json.writeStringField(field.getKey(), value.toString());
            }
        }
        json.writeEndObject();
    }
}
