package io.herald.protocol.codec;

import io.herald.protocol.ErrorCode;
import io.herald.protocol.frame.ErrorFrame;

/**
 * Emitted by {@link FrameDecoder} instead of a frame when input is malformed, so that the next handler can
 * answer with an ERROR frame and close, rather than an exception reaching the log (after netty-codec-mqtt's
 * invalid-message idea). The decoder discards everything after a failure.
 */
public record DecodeFailure(ErrorCode code, String reason) {
    public ErrorFrame toErrorFrame() {
        return new ErrorFrame(code, reason);
    }
}
