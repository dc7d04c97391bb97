package io.herald.core.store;

import java.util.List;
import java.util.Objects;

/**
 * What became of a QoS 1 message at each device it was pushed to, for {@code GET /api/v1/messages/{id}}: stored
 * (waiting or in flight), acked, expired. Acked and expired outcomes are kept for a retention window
 * ({@code --message-status-retention}); a message none of whose copies is stored or remembered is unknown. Blocking.
 */
public interface MessageStatuses {

    /** The message's state per device, at most {@code limit} devices, stored ones first; empty when unknown. */
    List<DeliveryStatus> of(long messageId, int limit);

    /** The state of a message at one device. */
    enum State {
        /** In the offline store: waiting for the device, or sent and not acked yet. */
        STORED,
        /** The device acknowledged it. */
        ACKED,
        /** Its time to live ran out before the device acknowledged it. */
        EXPIRED
    }

    /** @param atMillis when it was acked or expired, epoch ms; 0 for {@link State#STORED} */
    record DeliveryStatus(String clientId, State state, long atMillis) {
        public DeliveryStatus {
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(state, "state");
        }
    }
}
