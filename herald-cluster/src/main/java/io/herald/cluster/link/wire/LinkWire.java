package io.herald.cluster.link.wire;

/**
 * The layout of an internal link frame, as named sizes and offsets; {@code docs/cluster-link.md} describes every
 * frame byte by byte. All integers are big-endian.
 *
 * <pre>
 * offset  size  field
 *      0     4  length      bytes after this field: 10 + body length, at most the configured maximum - 4
 *      4     1  version     {@link #VERSION}
 *      5     1  type        {@link LinkFrameType}
 *      6     8  request id  chosen by the API node, echoed in the answer; {@link #NO_REQUEST} for the handshake
 *                           and for errors about the connection as a whole
 *     14     n  body        type-specific, see each frame record
 * </pre>
 */
public final class LinkWire {
    /** 2: HAND_OVER (many messages per frame) replaced PUSH and PUSH_STORED; API nodes and gateways move together. */
    public static final byte VERSION = 2;

    public static final int LENGTH_FIELD_LENGTH = 4;
    /** Offsets below count from the first byte after the length field, as the frame decoder sees the frame. */
    public static final int VERSION_OFFSET = 0;
    public static final int TYPE_OFFSET = VERSION_OFFSET + 1;
    public static final int REQUEST_ID_OFFSET = TYPE_OFFSET + 1;
    public static final int HEADER_LENGTH = REQUEST_ID_OFFSET + 8;

    public static final long NO_REQUEST = 0;

    /** Random bytes a gateway challenges each new connection with. */
    public static final int NONCE_LENGTH = 32;
    /** Strings are u16-length-prefixed UTF-8; this length stands for null, so 65,534 bytes is the longest string. */
    public static final int ABSENT_STRING = 0xFFFF;
    public static final int MAX_STRING_BYTES = ABSENT_STRING - 1;
    /** Client ids in lists are u8-length-prefixed UTF-8 (Herald's ids are at most 128 ASCII characters). */
    public static final int MAX_LISTED_ID_BYTES = 0xFF;

    private LinkWire() {
    }
}
