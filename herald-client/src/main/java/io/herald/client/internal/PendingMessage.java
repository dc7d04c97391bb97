package io.herald.client.internal;

import io.herald.client.SendResult;
import io.herald.protocol.frame.MessageFrame;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * An upstream QoS 1 message from {@code send()} until its ACK: the frame to (re)send, the caller's future and
 * the bookkeeping of its transmissions. Event-loop confined once handed to {@link UpstreamSender}.
 */
public final class PendingMessage {
    private final MessageFrame frame;
    private final CompletableFuture<SendResult> result = new CompletableFuture<>();
    private int transmissions;
    /** Whether it sits in the send queue, so that a timeout and a reconnect cannot queue it twice. */
    boolean queued;
    /** The ACK timeout after a transmission, or the delay before a resend after ACK RETRY. */
    ScheduledFuture<?> timer;
    /** Created at the first ACK RETRY: each message backs off on its own. */
    Backoff retryBackoff;

    public PendingMessage(MessageFrame frame) {
        this.frame = Objects.requireNonNull(frame, "frame");
    }

    public long messageId() {
        return frame.messageId();
    }

    public CompletableFuture<SendResult> result() {
        return result;
    }

    public int transmissions() {
        return transmissions;
    }

    /** The frame for the next transmission: the original first, marked DUPLICATE on every later one. */
    MessageFrame nextTransmission() {
        return transmissions++ == 0 ? frame : frame.asDuplicate();
    }

    void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
