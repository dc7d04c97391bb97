package io.herald.cluster.link.wire;

import io.netty.buffer.ByteBuf;

/**
 * The frame types and how to read each one's body. Requests go API node → gateway and have codes 0x01-0x3f; the
 * answer to a request has the request's code with the high bit set; the handshake uses 0x40-0x4f.
 */
public enum LinkFrameType {
    BROADCAST(0x02, LinkRequest.Broadcast::read),
    KICK(0x03, LinkRequest.Kick::read),
    FIND(0x04, LinkRequest.Find::read),
    ONLINE_COUNT(0x05, (requestId, body) -> new LinkRequest.OnlineCount(requestId)),
    STORE_CHANGED(0x06, LinkRequest.StoreChanged::read),
    /** Many messages, each to its ids, QoS 1 ones already stored; 0x01 (PUSH) and 0x07 (PUSH_STORED) are retired. */
    HAND_OVER(0x08, LinkRequest.HandOver::read),

    /** The answer to BROADCAST. */
    PUSHED(0x82, LinkResponse.Pushed::read),
    KICKED(0x83, LinkResponse.Kicked::read),
    FOUND(0x84, LinkResponse.Found::read),
    COUNTED(0x85, LinkResponse.Counted::read),
    /** The answer to STORE_CHANGED: no body. */
    DONE(0x86, (requestId, body) -> new LinkResponse.Done(requestId)),
    HANDED_OVER(0x88, LinkResponse.HandedOver::read),

    CHALLENGE(0x40, HandshakeFrame.Challenge::read),
    AUTH(0x41, HandshakeFrame.Auth::read),
    AUTH_OK(0x42, (requestId, body) -> HandshakeFrame.AuthOk.INSTANCE),

    ERROR(0x7f, LinkError::read);

    /** Reads a body of this type; it may throw {@link MalformedLinkFrameException} or run past the end. */
    @FunctionalInterface
    interface BodyReader {
        LinkFrame read(long requestId, ByteBuf body);
    }

    private static final LinkFrameType[] BY_CODE = new LinkFrameType[256];

    static {
        for (LinkFrameType type : values()) {
            BY_CODE[type.code] = type;
        }
    }

    private final int code;
    private final BodyReader reader;

    LinkFrameType(int code, BodyReader reader) {
        this.code = code;
        this.reader = reader;
    }

    public int code() {
        return code;
    }

    /** The type with that code, or null. */
    public static LinkFrameType ofCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    LinkFrame readBody(long requestId, ByteBuf body) {
        return reader.read(requestId, body);
    }
}
