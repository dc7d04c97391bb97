package io.herald.spi;

/** Thrown (or completes a handler's stage) when a message can never be accepted; the device is told not to resend. */
public class RejectedMessageException extends RuntimeException {
    public RejectedMessageException(String reason) {
        super(reason, null, false, false);
    }
}
