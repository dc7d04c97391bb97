package io.herald.protocol.frame;

import io.herald.protocol.FrameType;

/** Server → device answer to PING. Empty body. */
public record PongFrame() implements Frame {
    public static final PongFrame INSTANCE = new PongFrame();

    @Override
    public FrameType type() {
        return FrameType.PONG;
    }
}
