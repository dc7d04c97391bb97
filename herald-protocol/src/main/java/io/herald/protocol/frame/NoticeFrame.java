package io.herald.protocol.frame;

import io.herald.protocol.FrameType;
import io.herald.protocol.NoticeKind;
import java.util.Objects;

/**
 * Server → device: the session ends or must move.
 * Body: {@code u8 kind, u32 delayMillis, str16 reason, str16 redirect} (redirect is "host:port" or empty).
 */
public record NoticeFrame(NoticeKind kind, long delayMillis, String reason, String redirect) implements Frame {
    public NoticeFrame {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(redirect, "redirect");
        if (delayMillis < 0 || delayMillis > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("delayMillis out of u32 range: " + delayMillis);
        }
    }

    public static NoticeFrame kicked(String reason) {
        return new NoticeFrame(NoticeKind.KICKED, 0, reason, "");
    }

    @Override
    public FrameType type() {
        return FrameType.NOTICE;
    }
}
