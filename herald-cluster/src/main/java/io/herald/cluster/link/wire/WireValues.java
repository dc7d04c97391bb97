package io.herald.cluster.link.wire;

import io.herald.core.message.PushMessage;
import io.herald.protocol.ContentType;
import io.herald.protocol.Qos;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Reading and writing the values frame bodies are made of. Readers check every length against what is left, so a
 * lying length is a {@link MalformedLinkFrameException}, never a huge allocation.
 */
final class WireValues {
    /** Fixed part of an encoded {@link PushMessage}: id, content type, QoS, createdAt, expiresAt, payload length. */
    private static final int MESSAGE_FIXED_BYTES = 8 + 1 + 1 + 8 + 8 + 4;
    /** The shortest encoded message: no trace id (its absent marker), no payload. */
    static final int MIN_MESSAGE_BYTES = MESSAGE_FIXED_BYTES + 2;
    /** The shortest listed id: one length byte and one character. */
    private static final int MIN_LISTED_ID_BYTES = 2;

    private WireValues() {
    }

    /** u16 length + UTF-8, or {@link LinkWire#ABSENT_STRING} alone for null. */
    static void writeString(ByteBuf out, String value) {
        if (value == null) {
            out.writeShort(LinkWire.ABSENT_STRING);
            return;
        }
        int length = ByteBufUtil.utf8Bytes(value);
        if (length > LinkWire.MAX_STRING_BYTES) {
            throw new IllegalArgumentException("string of " + length + " UTF-8 bytes; at most "
                    + LinkWire.MAX_STRING_BYTES + " fit in a link frame");
        }
        out.writeShort(length);
        out.writeCharSequence(value, StandardCharsets.UTF_8);
    }

    static String readString(ByteBuf in) {
        int length = in.readUnsignedShort();
        if (length == LinkWire.ABSENT_STRING) {
            return null;
        }
        requireReadable(in, length, "string");
        return in.readCharSequence(length, StandardCharsets.UTF_8).toString();
    }

    /** Like {@link #readString} for a value that must be present. */
    static String readRequiredString(ByteBuf in, String what) {
        String value = readString(in);
        if (value == null || value.isEmpty()) {
            throw new MalformedLinkFrameException(what + " is missing");
        }
        return value;
    }

    /** i32 count, then each id as u8 length + UTF-8: about 21 bytes for a typical 20-character id. */
    static void writeClientIds(ByteBuf out, Collection<String> clientIds) {
        out.writeInt(clientIds.size());
        for (String clientId : clientIds) {
            int length = ByteBufUtil.utf8Bytes(clientId);
            if (length == 0 || length > LinkWire.MAX_LISTED_ID_BYTES) {
                throw new IllegalArgumentException("client id '" + clientId + "' is " + length
                        + " UTF-8 bytes; a link frame carries ids of 1-" + LinkWire.MAX_LISTED_ID_BYTES);
            }
            out.writeByte(length);
            out.writeCharSequence(clientId, StandardCharsets.UTF_8);
        }
    }

    static List<String> readClientIds(ByteBuf in) {
        int count = in.readInt();
        if (count < 0 || count > in.readableBytes() / MIN_LISTED_ID_BYTES) {
            throw new MalformedLinkFrameException("client id count " + count + " does not fit the body");
        }
        List<String> clientIds = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int length = in.readUnsignedByte();
            if (length == 0) {
                throw new MalformedLinkFrameException("empty client id at index " + i);
            }
            requireReadable(in, length, "client id");
            clientIds.add(in.readCharSequence(length, StandardCharsets.UTF_8).toString());
        }
        return clientIds;
    }

    static int estimatedLength(Collection<String> clientIds) {
        return 4 + clientIds.size() * 24;
    }

    /**
     * id i64, content type u8, QoS u8, createdAt i64, expiresAt i64, trace id string, payload as i32 length + bytes:
     * the whole message, so the gateway stores and delivers exactly what the API accepted.
     */
    static void writeMessage(ByteBuf out, PushMessage message) {
        out.writeLong(message.messageId());
        out.writeByte(message.contentType().code());
        out.writeByte(message.qos().level());
        out.writeLong(message.createdAt());
        out.writeLong(message.expiresAt());
        writeString(out, message.traceId());
        out.writeInt(message.payload().length);
        out.writeBytes(message.payload());
    }

    static PushMessage readMessage(ByteBuf in) {
        long messageId = in.readLong();
        int contentTypeCode = in.readUnsignedByte();
        ContentType contentType = ContentType.ofCode(contentTypeCode);
        if (contentType == null) {
            throw new MalformedLinkFrameException("unknown content type " + contentTypeCode);
        }
        int qosLevel = in.readUnsignedByte();
        Qos qos = Qos.ofLevel(qosLevel);
        if (qos == null) {
            throw new MalformedLinkFrameException("unknown QoS " + qosLevel);
        }
        long createdAt = in.readLong();
        long expiresAt = in.readLong();
        String traceId = readString(in);
        byte[] payload = readBytes(in, in.readInt(), "payload");
        return new PushMessage(messageId, contentType, qos, payload, traceId, createdAt, expiresAt);
    }

    static int estimatedLength(PushMessage message) {
        return MESSAGE_FIXED_BYTES + 2 + (message.traceId() == null ? 0 : message.traceId().length())
                + message.payload().length;
    }

    /** u8 length + bytes. */
    static void writeShortBytes(ByteBuf out, byte[] bytes) {
        if (bytes.length > 0xFF) {
            throw new IllegalArgumentException(bytes.length + " bytes; at most 255 fit a u8 length");
        }
        out.writeByte(bytes.length);
        out.writeBytes(bytes);
    }

    static byte[] readShortBytes(ByteBuf in, String what) {
        return readBytes(in, in.readUnsignedByte(), what);
    }

    static boolean readBoolean(ByteBuf in) {
        int value = in.readUnsignedByte();
        if (value > 1) {
            throw new MalformedLinkFrameException("a flag byte must be 0 or 1, was " + value);
        }
        return value == 1;
    }

    private static byte[] readBytes(ByteBuf in, int length, String what) {
        if (length < 0) {
            throw new MalformedLinkFrameException(what + " length " + length + " is negative");
        }
        requireReadable(in, length, what);
        byte[] bytes = new byte[length];
        in.readBytes(bytes);
        return bytes;
    }

    private static void requireReadable(ByteBuf in, int length, String what) {
        if (length > in.readableBytes()) {
            throw new MalformedLinkFrameException(what + " length " + length + " runs past the end of the frame");
        }
    }
}
