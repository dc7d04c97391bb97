package io.herald.protocol.codec;

import io.herald.protocol.AckStatus;
import io.herald.protocol.ContentType;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.FrameType;
import io.herald.protocol.NoticeKind;
import io.herald.protocol.Qos;
import io.herald.protocol.Wire;
import io.herald.protocol.frame.AckFrame;
import io.herald.protocol.frame.AuthFailFrame;
import io.herald.protocol.frame.AuthFrame;
import io.herald.protocol.frame.AuthOkFrame;
import io.herald.protocol.frame.ErrorFrame;
import io.herald.protocol.frame.Frame;
import io.herald.protocol.frame.MessageFrame;
import io.herald.protocol.frame.NoticeFrame;
import io.herald.protocol.frame.PingFrame;
import io.herald.protocol.frame.PongFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Turns frames into bytes and back (see {@link Wire} for the header). Stateless and thread-safe; the Netty
 * handlers {@link FrameEncoder} and {@link FrameDecoder} and the tests all go through here.
 */
public final class FrameCodec {

    private FrameCodec() {
    }

    /** Encodes a whole frame (header + body) into a new buffer from the allocator. */
    public static ByteBuf encode(ByteBufAllocator alloc, Frame frame) {
        ByteBuf out = alloc.buffer(Wire.HEADER_LENGTH + estimateBody(frame));
        try {
            encode(frame, out);
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }

    /**
     * Appends a whole frame (header + body) to {@code out}. When the frame cannot be encoded (an invalid trace
     * id, a string over {@link Wire#MAX_STRING_BYTES}), nothing is appended: {@code out}'s writer index is put
     * back, so a buffer holding several frames never ends in half of one.
     */
    public static void encode(Frame frame, ByteBuf out) {
        int start = out.writerIndex();
        try {
            out.writeByte(Wire.MAGIC);
            out.writeByte(Wire.VERSION);
            out.writeByte(frame.type().code());
            out.writeByte(flagsOf(frame));
            out.writeInt(0); // length, patched below
            int bodyStart = out.writerIndex();
            encodeBody(frame, out);
            out.setInt(start + Wire.LENGTH_OFFSET, out.writerIndex() - bodyStart);
        } catch (RuntimeException e) {
            out.writerIndex(start);
            throw e;
        }
    }

    private static int flagsOf(Frame frame) {
        if (!(frame instanceof MessageFrame m)) {
            return 0;
        }
        int flags = 0;
        if (m.qos() == Qos.AT_LEAST_ONCE) {
            flags |= Wire.FLAG_QOS_1;
        }
        if (m.duplicate()) {
            flags |= Wire.FLAG_DUPLICATE;
        }
        if (m.traceId() != null) {
            flags |= Wire.FLAG_TRACE;
        }
        return flags;
    }

    private static int estimateBody(Frame frame) {
        return frame instanceof MessageFrame m ? 18 + m.payload().length + 65 : 64;
    }

    private static void encodeBody(Frame frame, ByteBuf out) {
        // Java 17 has no pattern switch; the sealed type plus FrameType keeps this exhaustive.
        switch (frame.type()) {
            case AUTH -> writeString(out, ((AuthFrame) frame).token());
            case AUTH_OK -> {
                AuthOkFrame f = (AuthOkFrame) frame;
                out.writeInt((int) f.heartbeatMillis());
                writeString(out, f.clientId());
                writeString(out, f.sessionId());
            }
            case AUTH_FAIL -> {
                AuthFailFrame f = (AuthFailFrame) frame;
                out.writeShort(f.code().code());
                writeString(out, f.reason());
            }
            case PING, PONG -> { }
            case MESSAGE -> {
                MessageFrame f = (MessageFrame) frame;
                out.writeLong(f.messageId());
                out.writeByte(f.contentType().code());
                out.writeLong(f.timestamp());
                if (f.traceId() != null) {
                    writeTraceId(out, f.traceId());
                }
                out.writeBytes(f.payload());
            }
            case ACK -> {
                AckFrame f = (AckFrame) frame;
                out.writeLong(f.messageId());
                out.writeByte(f.status().code());
                writeString(out, f.reason());
            }
            case ERROR -> {
                ErrorFrame f = (ErrorFrame) frame;
                out.writeShort(f.code().code());
                writeString(out, f.reason());
            }
            case NOTICE -> {
                NoticeFrame f = (NoticeFrame) frame;
                out.writeByte(f.kind().code());
                out.writeInt((int) f.delayMillis());
                writeString(out, f.reason());
                writeString(out, f.redirect());
            }
        }
    }

    /**
     * Decodes one frame body whose header fields were already read and checked for magic, version and length.
     *
     * @param body exactly the body bytes; fully consumed on success
     * @throws ProtocolException for an unknown type, bad flags, a truncated or over-long body, or bad values
     */
    public static Frame decodeBody(int typeCode, int flags, ByteBuf body) throws ProtocolException {
        FrameType type = FrameType.ofCode(typeCode);
        if (type == null) {
            throw new ProtocolException(ErrorCode.UNKNOWN_FRAME_TYPE, "unknown frame type 0x" + hex(typeCode));
        }
        if (type != FrameType.MESSAGE && flags != 0 || (flags & ~Wire.KNOWN_MESSAGE_FLAGS) != 0) {
            throw malformed(type + " has unknown flags 0x" + hex(flags));
        }
        try {
            Frame frame = decodeKnownBody(type, flags, body);
            if (body.isReadable()) {
                throw malformed(type + " has " + body.readableBytes() + " trailing bytes");
            }
            return frame;
        } catch (IndexOutOfBoundsException e) {
            throw malformed(type + " body is truncated");
        }
    }

    private static Frame decodeKnownBody(FrameType type, int flags, ByteBuf in) throws ProtocolException {
        return switch (type) {
            case AUTH -> new AuthFrame(readString(in));
            case AUTH_OK -> new AuthOkFrame(in.readUnsignedInt(), readString(in), readString(in));
            case AUTH_FAIL -> new AuthFailFrame(ErrorCode.ofCode(in.readUnsignedShort()), readString(in));
            case PING -> PingFrame.INSTANCE;
            case PONG -> PongFrame.INSTANCE;
            case MESSAGE -> decodeMessage(flags, in);
            case ACK -> {
                long id = in.readLong();
                int statusCode = in.readUnsignedByte();
                AckStatus status = AckStatus.ofCode(statusCode);
                if (status == null) {
                    throw malformed("unknown ACK status " + statusCode);
                }
                yield new AckFrame(id, status, readString(in));
            }
            case ERROR -> new ErrorFrame(ErrorCode.ofCode(in.readUnsignedShort()), readString(in));
            case NOTICE -> {
                int kindCode = in.readUnsignedByte();
                NoticeKind kind = NoticeKind.ofCode(kindCode);
                if (kind == null) {
                    throw malformed("unknown NOTICE kind " + kindCode);
                }
                yield new NoticeFrame(kind, in.readUnsignedInt(), readString(in), readString(in));
            }
        };
    }

    private static MessageFrame decodeMessage(int flags, ByteBuf in) throws ProtocolException {
        long id = in.readLong();
        int typeCode = in.readUnsignedByte();
        ContentType contentType = ContentType.ofCode(typeCode);
        if (contentType == null) {
            throw malformed("unknown content type " + typeCode);
        }
        long timestamp = in.readLong();
        String traceId = (flags & Wire.FLAG_TRACE) != 0 ? readTraceId(in) : null;
        byte[] payload = new byte[in.readableBytes()];
        in.readBytes(payload);
        Qos qos = (flags & Wire.FLAG_QOS_1) != 0 ? Qos.AT_LEAST_ONCE : Qos.AT_MOST_ONCE;
        return new MessageFrame(id, contentType, qos, (flags & Wire.FLAG_DUPLICATE) != 0, traceId, timestamp,
                payload);
    }

    private static void writeString(ByteBuf out, String value) {
        int lengthIndex = out.writerIndex();
        out.writeShort(0);
        int written = out.writeCharSequence(value, StandardCharsets.UTF_8);
        if (written > Wire.MAX_STRING_BYTES) {
            throw new IllegalArgumentException("string longer than " + Wire.MAX_STRING_BYTES + " UTF-8 bytes");
        }
        out.setShort(lengthIndex, written);
    }

    private static String readString(ByteBuf in) throws ProtocolException {
        int length = in.readUnsignedShort();
        if (length > in.readableBytes()) {
            throw malformed("string length " + length + " exceeds the body");
        }
        ByteBuffer bytes = in.nioBuffer(in.readerIndex(), length);
        in.skipBytes(length);
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes);
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw malformed("string is not valid UTF-8");
        }
    }

    private static void writeTraceId(ByteBuf out, String traceId) {
        if (!isValidTraceId(traceId)) {
            throw new IllegalArgumentException("trace id must be 1-" + Wire.MAX_TRACE_ID_LENGTH
                    + " printable ASCII characters");
        }
        out.writeByte(traceId.length());
        out.writeCharSequence(traceId, StandardCharsets.US_ASCII);
    }

    private static String readTraceId(ByteBuf in) throws ProtocolException {
        int length = in.readUnsignedByte();
        if (length == 0 || length > Wire.MAX_TRACE_ID_LENGTH || length > in.readableBytes()) {
            throw malformed("bad trace id length " + length);
        }
        String traceId = in.readCharSequence(length, StandardCharsets.US_ASCII).toString();
        if (!isValidTraceId(traceId)) {
            throw malformed("trace id is not printable ASCII");
        }
        return traceId;
    }

    /** 1 to 64 characters from '!' to '~' (printable ASCII without space). */
    public static boolean isValidTraceId(String traceId) {
        if (traceId == null || traceId.isEmpty() || traceId.length() > Wire.MAX_TRACE_ID_LENGTH) {
            return false;
        }
        for (int i = 0; i < traceId.length(); i++) {
            char c = traceId.charAt(i);
            if (c < '!' || c > '~') {
                return false;
            }
        }
        return true;
    }

    private static ProtocolException malformed(String reason) {
        return new ProtocolException(ErrorCode.MALFORMED_FRAME, reason);
    }

    private static String hex(int value) {
        return String.format("%02x", value);
    }
}
