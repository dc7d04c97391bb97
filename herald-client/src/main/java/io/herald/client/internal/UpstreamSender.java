package io.herald.client.internal;

import io.herald.client.HeraldClientOptions;
import io.herald.client.MessageRejectedException;
import io.herald.client.SendResult;
import io.herald.protocol.frame.AckFrame;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * At-least-once delivery of upstream messages: writes queued messages while the connection is writable, waits
 * for each ACK, resends on ACK timeout and (after a per-message backoff) on ACK RETRY, resends everything
 * unacknowledged — marked DUPLICATE — on every new connection, and settles each caller's future on ACK OK or
 * REJECTED. Event-loop confined.
 */
public final class UpstreamSender {
    private final EventLoop eventLoop;
    private final UnackedMessages unacked;
    private final HeraldClientOptions options;
    private final RandomGenerator random;
    private final ClientLogger log;
    /** Messages to write, in order; entries may be stale (acked meanwhile) and are skipped then. */
    private final ArrayDeque<PendingMessage> sendQueue = new ArrayDeque<>();
    private ConnectionHandler connection;

    public UpstreamSender(EventLoop eventLoop, UnackedMessages unacked, HeraldClientOptions options,
                          RandomGenerator random, ClientLogger log) {
        this.eventLoop = eventLoop;
        this.unacked = unacked;
        this.options = options;
        this.random = random;
        this.log = log.forClass(UpstreamSender.class);
    }

    /** Takes a new message (its slot already reserved) and sends it as soon as a connection can take it. */
    public void enqueue(PendingMessage message) {
        unacked.add(message);
        queue(message);
        flush();
    }

    /** A new authenticated connection: everything unacknowledged goes out again, oldest first. */
    public void connected(ConnectionHandler newConnection) {
        connection = newConnection;
        sendQueue.clear();
        for (PendingMessage message : unacked.inSendOrder()) {
            message.cancelTimer();
            message.queued = true;
            sendQueue.add(message);
        }
        if (!sendQueue.isEmpty()) {
            log.info("resending {} unacknowledged message(s)", sendQueue.size());
        }
        flush();
    }

    /** The connection is gone: timers stop; {@link #connected} will resend. */
    public void disconnected() {
        connection = null;
        for (PendingMessage message : unacked.inSendOrder()) {
            message.cancelTimer();
            message.queued = false;
        }
        sendQueue.clear();
    }

    /** Writes queued messages until the queue is empty or the channel is full (then {@code writable} resumes). */
    public void flush() {
        ConnectionHandler current = connection;
        if (current == null) {
            return;
        }
        PendingMessage message;
        while (current.isWritable() && (message = sendQueue.poll()) != null) {
            message.queued = false;
            if (unacked.get(message.messageId()) != message) {
                continue;
            }
            current.write(message.nextTransmission());
            PendingMessage sent = message;
            message.timer = eventLoop.schedule(() -> ackTimedOut(sent), options.ackTimeout().toMillis(),
                    TimeUnit.MILLISECONDS);
        }
        current.flush();
    }

    public void onAck(AckFrame ack) {
        PendingMessage message = unacked.get(ack.messageId());
        if (message == null) {
            // The ACK of an earlier transmission of a message acknowledged already.
            log.debug("ACK {} for message {} that is not pending", ack.status(),
                    Long.toUnsignedString(ack.messageId()));
            return;
        }
        switch (ack.status()) {
            case OK -> {
                unacked.remove(ack.messageId());
                message.cancelTimer();
                log.debug("message {} acknowledged after {} transmission(s)",
                        Long.toUnsignedString(ack.messageId()), message.transmissions());
                message.result().complete(new SendResult(ack.messageId(), message.transmissions()));
            }
            case REJECTED -> {
                unacked.remove(ack.messageId());
                message.cancelTimer();
                log.warn("message {} rejected by the server: {}", Long.toUnsignedString(ack.messageId()),
                        ack.reason());
                message.result().completeExceptionally(new MessageRejectedException(ack.messageId(), ack.reason()));
            }
            case RETRY -> scheduleRetry(message, ack.reason());
        }
    }

    private void scheduleRetry(PendingMessage message, String reason) {
        message.cancelTimer();
        if (message.retryBackoff == null) {
            message.retryBackoff = new Backoff(options.retryInitialDelay(), options.retryMaxDelay(), 2.0,
                    options.reconnectJitter(), random);
        }
        Duration delay = message.retryBackoff.nextDelay();
        log.debug("server asked to retry message {} ({}); resending in {} ms",
                Long.toUnsignedString(message.messageId()), reason, delay.toMillis());
        message.timer = eventLoop.schedule(() -> {
            message.timer = null;
            resend(message);
        }, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void ackTimedOut(PendingMessage message) {
        message.timer = null;
        log.debug("no ACK for message {} within {} ms; resending", Long.toUnsignedString(message.messageId()),
                options.ackTimeout().toMillis());
        resend(message);
    }

    private void resend(PendingMessage message) {
        if (connection != null && unacked.get(message.messageId()) == message) {
            queue(message);
            flush();
        }
    }

    /** Settles every pending message with {@code cause} (the client closed or was kicked). */
    public void failAll(Throwable cause) {
        sendQueue.clear();
        for (PendingMessage message : unacked.removeAll()) {
            message.cancelTimer();
            message.result().completeExceptionally(cause);
        }
    }

    private void queue(PendingMessage message) {
        if (!message.queued) {
            message.queued = true;
            sendQueue.add(message);
        }
    }
}
