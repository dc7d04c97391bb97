package io.herald.protocol.frame;

import io.herald.protocol.FrameType;
import java.util.Objects;

/**
 * Device → server, first frame on a connection. Body: {@code str16 token}.
 * The client id is never sent: the server takes it from the token.
 */
public record AuthFrame(String token) implements Frame {
    public AuthFrame {
        Objects.requireNonNull(token, "token");
    }

    @Override
    public FrameType type() {
        return FrameType.AUTH;
    }

    @Override
    public String toString() {
        return "AuthFrame[token=<redacted>]";
    }
}
