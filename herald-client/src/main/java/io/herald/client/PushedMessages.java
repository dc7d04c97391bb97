package io.herald.client;

import io.herald.client.internal.ClientLogger;
import io.herald.client.internal.ConnectionHandler;
import io.herald.client.internal.DuplicateFilter;
import io.herald.protocol.Qos;
import io.herald.protocol.frame.AckFrame;
import io.herald.protocol.frame.MessageFrame;

/**
 * Messages the gateway pushes: each handed to the listener once (a redelivery of one already handed over is
 * dropped), every QoS 1 one acked, the redelivered ones too. On the client's event loop.
 */
final class PushedMessages {
    private final DuplicateFilter duplicates;
    private final HeraldListener listener;
    private final ClientLogger log;

    PushedMessages(DuplicateFilter duplicates, HeraldListener listener, ClientLogger log) {
        this.duplicates = duplicates;
        this.listener = listener;
        this.log = log;
    }

    void received(ConnectionHandler connection, MessageFrame message) {
        if (duplicates.firstSeen(message.messageId())) {
            listener.onMessage(new ReceivedMessage(message.messageId(), message.contentType(), message.qos(),
                    message.payload(), message.traceId(), message.timestamp(), message.duplicate()));
        } else {
            log.debug("dropping redelivered message {}", Long.toUnsignedString(message.messageId()));
        }
        if (message.qos() == Qos.AT_LEAST_ONCE) {
            // Flushed when the current read burst completes, together with the other ACKs of the burst.
            connection.write(AckFrame.ok(message.messageId()));
        }
    }
}
