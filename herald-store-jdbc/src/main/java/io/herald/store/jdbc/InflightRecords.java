package io.herald.store.jdbc;

import io.herald.core.message.PushMessage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The records of the in-flight log, encoded into a growing buffer and replayed onto an {@link InflightIndex}.
 *
 * <p>Bodies (inside {@link ChecksummedSegments}' framing), strings as {@code short length, UTF-8 bytes} with
 * length -1 for null:
 * <pre>
 *   STORE  (1): byte 1, long messageId, int contentType, int qos, string traceId, long createdAt, long expiresAt,
 *               int payloadLength, payload, int deviceCount, string clientId × deviceCount
 *   REMOVE (2): byte 2, long messageId, string clientId          (the copy was discarded)
 *   FORGET (3): byte 3, string clientId                          (the device was deleted: all its messages go)
 *   ACK    (4): byte 4, long messageId, long ackedAt, string clientId  (the device acked it: the outcome "acked")
 *   MOVED  (5): byte 5                                           (every copy stored before is in the offline table)
 * </pre>
 * A segment ends with MOVED when it rolled: its copies went to the table, and it stays on disk only until its ACK
 * outcomes are in the table too ({@link AckedOutcomes}). Logs written before ACK existed hold REMOVE for ACKs; they
 * replay as before, without outcomes.
 */
final class InflightRecords {
    private static final byte STORE = 1;
    private static final byte REMOVE = 2;
    private static final byte FORGET = 3;
    private static final byte ACK = 4;
    private static final byte MOVED = 5;
    /** No record is larger: an 8 MiB payload and a chunk of 128-character client ids, with room to spare. */
    static final int MAX_BODY = 10 * 1024 * 1024;

    private ByteBuffer buffer;

    InflightRecords(int initialBytes) {
        buffer = ByteBuffer.allocate(initialBytes);
    }

    void store(List<String> clientIds, PushMessage message) {
        byte[] trace = message.traceId() == null ? null : message.traceId().getBytes(StandardCharsets.UTF_8);
        int clients = 0;
        for (String clientId : clientIds) {
            clients += 2 + 4 * clientId.length(); // UTF-8 bound; ids are ASCII in practice
        }
        int start = begin(1 + 8 + 4 + 4 + 2 + (trace == null ? 0 : trace.length) + 8 + 8 + 4
                + message.payload().length + 4 + clients);
        buffer.put(STORE).putLong(message.messageId()).putInt(message.contentType().code())
                .putInt(message.qos().level());
        putBytes(trace);
        buffer.putLong(message.createdAt()).putLong(message.expiresAt());
        buffer.putInt(message.payload().length).put(message.payload());
        buffer.putInt(clientIds.size());
        clientIds.forEach(this::putString);
        ChecksummedSegments.seal(buffer, start);
    }

    void remove(String clientId, long messageId) {
        int start = begin(1 + 8 + 2 + 4 * clientId.length());
        buffer.put(REMOVE).putLong(messageId);
        putString(clientId);
        ChecksummedSegments.seal(buffer, start);
    }

    void ack(String clientId, long messageId, long ackedAt) {
        int start = begin(1 + 8 + 8 + 2 + 4 * clientId.length());
        buffer.put(ACK).putLong(messageId).putLong(ackedAt);
        putString(clientId);
        ChecksummedSegments.seal(buffer, start);
    }

    void moved() {
        int start = begin(1);
        buffer.put(MOVED);
        ChecksummedSegments.seal(buffer, start);
    }

    void forget(String clientId) {
        int start = begin(1 + 2 + 4 * clientId.length());
        buffer.put(FORGET);
        putString(clientId);
        ChecksummedSegments.seal(buffer, start);
    }

    boolean isEmpty() {
        return buffer.position() == 0;
    }

    /** The encoded records, ready to write (flipped); {@link #reset} afterwards. */
    ByteBuffer encoded() {
        return buffer.flip();
    }

    /** Empties the buffer; one grown far beyond {@code keepBytes} (by a large payload) is let go. */
    void reset(int keepBytes) {
        if (buffer.capacity() > 4 * keepBytes) {
            buffer = ByteBuffer.allocate(keepBytes);
        } else {
            buffer.clear();
        }
    }

    /** Makes room for the header and a body of at most {@code body} bytes; returns where the record starts. */
    private int begin(int body) {
        int needed = ChecksummedSegments.HEADER + body;
        if (buffer.remaining() < needed) {
            ByteBuffer larger = ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.position() + needed));
            buffer.flip();
            larger.put(buffer);
            buffer = larger;
        }
        int start = buffer.position();
        buffer.position(start + ChecksummedSegments.HEADER);
        return start;
    }

    private void putString(String value) {
        putBytes(value.getBytes(StandardCharsets.UTF_8));
    }

    private void putBytes(byte[] bytes) {
        if (bytes == null) {
            buffer.putShort((short) -1);
        } else {
            buffer.putShort((short) bytes.length).put(bytes);
        }
    }

    /** Applies one record's body to the index and the outcomes, as the live store did when it wrote it. */
    static void replay(ByteBuffer body, InflightIndex index, AckedOutcomes acked) {
        byte type = body.get();
        switch (type) {
            case STORE -> {
                long messageId = body.getLong();
                int contentType = body.getInt();
                int qos = body.getInt();
                String traceId = string(body);
                long createdAt = body.getLong();
                long expiresAt = body.getLong();
                byte[] payload = new byte[body.getInt()];
                body.get(payload);
                PushMessage message = new PushMessage(messageId, Codes.contentType(contentType), Codes.qos(qos),
                        payload, traceId, createdAt, expiresAt);
                for (int i = body.getInt(); i > 0; i--) {
                    index.add(string(body), message);
                }
            }
            case REMOVE -> {
                long messageId = body.getLong();
                index.remove(string(body), messageId);
            }
            case FORGET -> index.removeDevice(string(body));
            case ACK -> {
                long messageId = body.getLong();
                long ackedAt = body.getLong();
                String clientId = string(body);
                index.remove(clientId, messageId);
                acked.add(clientId, messageId, ackedAt);
            }
            case MOVED -> index.clear();
            default -> throw new StoreException("Unknown in-flight log record type " + type
                    + " (written by a newer version?)");
        }
    }

    private static String string(ByteBuffer body) {
        short length = body.getShort();
        if (length < 0) {
            return null;
        }
        byte[] bytes = new byte[length];
        body.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
