package io.herald.protocol.frame;

import io.herald.protocol.ErrorCode;
import io.herald.protocol.FrameType;
import java.util.Objects;

/** Server → device: authentication failed; the server closes. Body: {@code u16 code, str16 reason}. */
public record AuthFailFrame(ErrorCode code, String reason) implements Frame {
    public AuthFailFrame {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(reason, "reason");
    }

    @Override
    public FrameType type() {
        return FrameType.AUTH_FAIL;
    }
}
