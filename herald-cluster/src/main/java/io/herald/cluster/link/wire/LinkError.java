package io.herald.cluster.link.wire;

import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * An error, about one request (its id, connection stays up) or about the connection ({@link LinkWire#NO_REQUEST},
 * the sender closes after it).
 *
 * <p>Body: code (u16, {@link LinkErrorCode}), message (string).
 */
public record LinkError(long requestId, LinkErrorCode code, String message) implements LinkFrame {
    /** Keeps an error frame small whatever exception message it carries. */
    static final int MAX_MESSAGE_CHARS = 1_000;

    public LinkError {
        Objects.requireNonNull(code, "code");
        message = message == null ? "" : message;
        if (message.length() > MAX_MESSAGE_CHARS) {
            message = message.substring(0, MAX_MESSAGE_CHARS);
        }
    }

    /** An error about the connection as a whole. */
    public static LinkError ofConnection(LinkErrorCode code, String message) {
        return new LinkError(LinkWire.NO_REQUEST, code, message);
    }

    public boolean isAboutConnection() {
        return requestId == LinkWire.NO_REQUEST;
    }

    @Override
    public LinkFrameType type() {
        return LinkFrameType.ERROR;
    }

    @Override
    public void writeBody(ByteBuf out) {
        out.writeShort(code.code());
        WireValues.writeString(out, message);
    }

    static LinkError read(long requestId, ByteBuf body) {
        int number = body.readUnsignedShort();
        LinkErrorCode code = LinkErrorCode.ofCode(number);
        if (code == null) {
            throw new MalformedLinkFrameException("unknown error code " + number);
        }
        return new LinkError(requestId, code, WireValues.readString(body));
    }
}
