package io.herald.protocol;

/**
 * The fixed layout of a Herald frame header, as named sizes and offsets; {@code docs/protocol.md}
 * describes every frame byte by byte.
 *
 * <pre>
 * offset  size  field
 *      0     1  magic    0x48 ('H')
 *      1     1  version  0x01
 *      2     1  type     {@link FrameType}
 *      3     1  flags    {@link #FLAG_QOS_1}, {@link #FLAG_DUPLICATE}, {@link #FLAG_TRACE}
 *      4     4  length   body length in bytes, unsigned big-endian, at most the configured maximum
 *      8     n  body     type-specific, see each frame record
 * </pre>
 */
public final class Wire {
    public static final byte MAGIC = 0x48;
    public static final byte VERSION = 1;

    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = MAGIC_OFFSET + 1;
    public static final int TYPE_OFFSET = VERSION_OFFSET + 1;
    public static final int FLAGS_OFFSET = TYPE_OFFSET + 1;
    public static final int LENGTH_OFFSET = FLAGS_OFFSET + 1;
    public static final int HEADER_LENGTH = LENGTH_OFFSET + 4;

    /** MESSAGE only: the sender wants an ACK (at-least-once delivery). */
    public static final int FLAG_QOS_1 = 0b0000_0001;
    /** MESSAGE only: this is a redelivery of a message id the receiver may have seen already. */
    public static final int FLAG_DUPLICATE = 0b0000_0010;
    /** MESSAGE only: a trace id (u8 length + ASCII) follows the fixed message fields. */
    public static final int FLAG_TRACE = 0b0000_0100;
    /** Flag bits that mean something; any other bit set is a malformed frame. */
    public static final int KNOWN_MESSAGE_FLAGS = FLAG_QOS_1 | FLAG_DUPLICATE | FLAG_TRACE;

    /** Body size limit used when none is configured (64 KiB). */
    public static final int DEFAULT_MAX_BODY_LENGTH = 64 * 1024;
    /** The largest body limit that may be configured (8 MiB): no setting lifts a frame past this. */
    public static final int HARD_MAX_BODY_LENGTH = 8 * 1024 * 1024;

    /** Strings (token, reason, client id) are u16-length-prefixed UTF-8: at most this many bytes. */
    public static final int MAX_STRING_BYTES = 0xFFFF;
    /** Trace ids are u8-length-prefixed printable ASCII. */
    public static final int MAX_TRACE_ID_LENGTH = 64;

    private Wire() {
    }
}
