package io.herald.protocol.frame;

import io.herald.protocol.FrameType;

/** Device → server heartbeat. Empty body. */
public record PingFrame() implements Frame {
    public static final PingFrame INSTANCE = new PingFrame();

    @Override
    public FrameType type() {
        return FrameType.PING;
    }
}
