package io.herald.core.push;

import java.util.List;
import java.util.Objects;

/** Who a push goes to: a list of client ids, or every connected device. */
public sealed interface PushTargets {

    static PushTargets devices(List<String> clientIds) {
        return new Devices(clientIds);
    }

    static PushTargets broadcast() {
        return Broadcast.INSTANCE;
    }

    /** Specific devices; duplicates in the list are delivered once. */
    record Devices(List<String> clientIds) implements PushTargets {
        public Devices {
            clientIds = List.copyOf(Objects.requireNonNull(clientIds, "clientIds"));
        }
    }

    /** Every device connected when the broadcast is sent. Offline devices do not get it later. */
    final class Broadcast implements PushTargets {
        static final Broadcast INSTANCE = new Broadcast();

        private Broadcast() {
        }

        @Override
        public String toString() {
            return "Broadcast";
        }
    }
}
