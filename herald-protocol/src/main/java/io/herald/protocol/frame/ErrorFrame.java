package io.herald.protocol.frame;

import io.herald.protocol.ErrorCode;
import io.herald.protocol.FrameType;
import java.util.Objects;

/** A protocol error; the sender closes the connection after it. Body: {@code u16 code, str16 reason}. */
public record ErrorFrame(ErrorCode code, String reason) implements Frame {
    public ErrorFrame {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(reason, "reason");
    }

    @Override
    public FrameType type() {
        return FrameType.ERROR;
    }
}
