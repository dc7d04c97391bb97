package io.herald.cluster.kafka;

import io.herald.core.message.UpstreamMessage;
import io.herald.protocol.ContentType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * An {@link UpstreamMessage} as a Kafka record, and back.
 *
 * <p>The key is the client id in UTF-8: Kafka's default partitioner hashes it, so all of one device's messages go
 * to one partition and keep their order. The trace id travels in the {@value #TRACE_ID_HEADER} header, where
 * tracing tools and {@code kafka-console-consumer --property print.headers=true} see it without knowing the
 * value's layout. The registration generation of the sender ({@code UpstreamMessage#generation}) travels in the
 * {@value #GENERATION_HEADER} header as 8 bytes big-endian; a record without it (written by a gateway that predates
 * generations) is of generation 0. The value is fixed-width big-endian, version first so the layout can evolve:
 * <pre>
 *   byte  format version (1)
 *   byte  content type code
 *   long  message id
 *   long  sent at, epoch ms
 *   long  received at, epoch ms
 *   ...   payload, the rest of the value
 * </pre>
 */
public final class UpstreamRecordCodec {
    public static final byte FORMAT_VERSION = 1;
    public static final String TRACE_ID_HEADER = "herald-trace-id";
    public static final String GENERATION_HEADER = "herald-generation";
    /** Bytes before the payload. */
    static final int HEADER_LENGTH = 1 + 1 + Long.BYTES * 3;

    private UpstreamRecordCodec() {
    }

    public static ProducerRecord<String, byte[]> toRecord(String topic, UpstreamMessage message) {
        Headers headers = new RecordHeaders();
        headers.add(GENERATION_HEADER, ByteBuffer.allocate(Long.BYTES).putLong(message.generation()).array());
        if (message.traceId() != null) {
            headers.add(TRACE_ID_HEADER, message.traceId().getBytes(StandardCharsets.UTF_8));
        }
        return new ProducerRecord<>(topic, null, message.clientId(), encodeValue(message), headers);
    }

    /** @throws UndecodableRecordException when the record has no key or a value of an unknown layout */
    public static UpstreamMessage fromRecord(ConsumerRecord<String, byte[]> record) {
        if (record.key() == null) {
            throw new UndecodableRecordException("record at " + where(record) + " has no key (client id)");
        }
        if (record.value() == null) {
            throw new UndecodableRecordException("record at " + where(record) + " has no value");
        }
        Header trace = record.headers().lastHeader(TRACE_ID_HEADER);
        String traceId = trace == null || trace.value() == null
                ? null : new String(trace.value(), StandardCharsets.UTF_8);
        Header generationHeader = record.headers().lastHeader(GENERATION_HEADER);
        long generation = 0;
        if (generationHeader != null) {
            if (generationHeader.value() == null || generationHeader.value().length != Long.BYTES) {
                throw new UndecodableRecordException("record at " + where(record) + " has a malformed "
                        + GENERATION_HEADER + " header");
            }
            generation = ByteBuffer.wrap(generationHeader.value()).getLong();
        }
        try {
            return decodeValue(record.key(), generation, record.value(), traceId);
        } catch (UndecodableRecordException e) {
            throw new UndecodableRecordException("record at " + where(record) + ": " + e.getMessage());
        }
    }

    static byte[] encodeValue(UpstreamMessage message) {
        byte[] payload = message.payload();
        return ByteBuffer.allocate(HEADER_LENGTH + payload.length)
                .put(FORMAT_VERSION)
                .put((byte) message.contentType().code())
                .putLong(message.messageId())
                .putLong(message.sentAt())
                .putLong(message.receivedAt())
                .put(payload)
                .array();
    }

    static UpstreamMessage decodeValue(String clientId, long generation, byte[] value, String traceId) {
        if (value.length < HEADER_LENGTH) {
            throw new UndecodableRecordException("value of " + value.length + " bytes is shorter than the "
                    + HEADER_LENGTH + "-byte header");
        }
        ByteBuffer buffer = ByteBuffer.wrap(value);
        byte version = buffer.get();
        if (version != FORMAT_VERSION) {
            throw new UndecodableRecordException("format version " + version + " is not known (this archiver "
                    + "reads version " + FORMAT_VERSION + "; upgrade archivers before gateways)");
        }
        int code = Byte.toUnsignedInt(buffer.get());
        ContentType contentType = ContentType.ofCode(code);
        if (contentType == null) {
            throw new UndecodableRecordException("content type code " + code + " is not known");
        }
        long messageId = buffer.getLong();
        long sentAt = buffer.getLong();
        long receivedAt = buffer.getLong();
        byte[] payload = Arrays.copyOfRange(value, HEADER_LENGTH, value.length);
        return new UpstreamMessage(clientId, generation, messageId, contentType, payload, traceId, sentAt, receivedAt);
    }

    private static String where(ConsumerRecord<?, ?> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }
}
