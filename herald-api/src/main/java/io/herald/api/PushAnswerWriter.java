package io.herald.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Writes the answer of a single push ({@link PushSender.PushResponse}) field by field with a bare generator: the
 * same JSON the mapper writes (same field order, null fields left out, strings escaped), without the mapper's
 * per-call serializer lookup and record introspection, on a path taken once per push.
 */
final class PushAnswerWriter {
    /** The usual answer is about 130 bytes; a list of unknown ids grows the buffer. */
    private static final int INITIAL_BYTES = 192;

    private PushAnswerWriter() {
    }

    static byte[] bytes(PushSender.PushResponse response) {
        ByteArrayBuilder out = new ByteArrayBuilder(INITIAL_BYTES);
        try (JsonGenerator json = Json.MAPPER.getFactory().createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("messageId", response.messageId());
            json.writeStringField("traceId", response.traceId());
            json.writeNumberField("online", response.online());
            json.writeNumberField("stored", response.stored());
            json.writeNumberField("dropped", response.dropped());
            if (response.unknown() != null) {
                json.writeArrayFieldStart("unknown");
                for (String clientId : response.unknown()) {
                    json.writeString(clientId);
                }
                json.writeEndArray();
            }
            if (response.unknownCount() != null) {
                json.writeNumberField("unknownCount", response.unknownCount());
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return out.toByteArray();
    }
}
