package io.herald.protocol.frame;

import io.herald.protocol.FrameType;
import java.util.Objects;

/**
 * Server → device: the token was accepted. Body: {@code u32 heartbeatMillis, str16 clientId, str16 sessionId}.
 * The device must send PING (or any frame) at least every {@code heartbeatMillis}.
 */
public record AuthOkFrame(long heartbeatMillis, String clientId, String sessionId) implements Frame {
    public AuthOkFrame {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(sessionId, "sessionId");
        if (heartbeatMillis < 0 || heartbeatMillis > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("heartbeatMillis out of u32 range: " + heartbeatMillis);
        }
    }

    @Override
    public FrameType type() {
        return FrameType.AUTH_OK;
    }
}
